// An HTTP handler for the wasi:http/proxy world, in StarlingMonkey's fetch-event style (built
// with componentize-js by build-http.mjs). GET /proxy?url=U fetches U (an outgoing request through
// the host's wasi:http/outgoing-handler) and answers with its status, a header and its body;
// anything else echoes the method, path, a request header and the request body.
// `x-served` counts the requests this instance has handled (1 with an instance per request).
addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

let served = 0;

async function handle(request) {
  served++;
  const url = new URL(request.url);
  if (url.pathname === '/proxy') {
    const target = url.searchParams.get('url');
    const r = await fetch(target, { method: 'POST', headers: { 'x-from': 'component' }, body: 'ping' });
    const text = await r.text();
    return new Response(`upstream ${r.status} ${r.headers.get('x-upstream')} ${text}`, { status: 200 });
  }
  const body = await request.text();
  return new Response(`${request.method} ${url.pathname}${url.search} ${request.headers.get('x-test')} [${body}]`, {
    status: url.pathname === '/missing' ? 404 : 200,
    headers: { 'content-type': 'text/plain', 'x-kasane': 'served', 'x-served': String(served) },
  });
}
