// WASI 0.2 components in Debian's Chromium (playwright-core), on the bundle browser.test.ts checks:
// a jco-built command component on the in-memory filesystem (stdout captured by the page), the
// same as in Node and on Chromium's own WebAssembly; wasi:http over fetch with the guest in a
// Web Worker blocked in Atomics.wait while the page runs fetch (the client's scenario as in
// fetch-http.test.ts, then a componentize-js proxy component making an outgoing request to this
// test's server); wasi:sockets answering not-supported; and the clear errors of a FetchHttpClient
// made where it cannot work. Skipped without /usr/bin/chromium, as browser.test.ts.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Kasane from '../../src/index.js';
import { bundle, esbuild, repoRoot, stopEsbuild } from './bundle.js';
import { serve, type Route, type StaticServer } from './server.js';
import { httpTestRoute, releaseHeld, seen } from './http-routes.js';
import { fetchPolicyChecks } from './fetch-expect.js';
import { corsScenario, fetchClientErrorScenario, fetchClientScenario, httpComponentScenario, socketsScenario, wasiScenario } from './scenarios.js';

const CHROMIUM = process.env.KASANE_CHROMIUM ?? '/usr/bin/chromium';
const required = process.env.KASANE_REQUIRE_BROWSER === '1';
const chromiumMissing = existsSync(CHROMIUM) || required ? false
  : `${CHROMIUM} not found: browser tests skipped (scripts/install-browser.sh installs Debian's chromium; CI runs it)`;

const COMMAND = {
  argv: ['wasi-fs', 'a', 'b c'], env: { GREETING: 'hello' }, stdin: 'mem', preopen: '/work', seed: { 'in.txt': 'input\n' }, component: true,
};
const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** The guest's worker: runs one scenario (sent as source text) with the bundle, fetched files and the port to the page's fetch agent. */
const GUEST_WORKER = `self.onmessage = async (e) => {
  const { scenario, args, urls, port } = e.data;
  try {
    const K = await import('/kasane.js');
    const fetched = await Promise.all(urls.map(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer())));
    self.postMessage({ result: await (0, eval)('(' + scenario + ')')(K, args, fetched, port) });
  } catch (err) {
    self.postMessage({ error: String(err && err.stack || err) });
  }
};`;

/** In the page: a fresh worker runs the scenario while the page serves its requests with serveFetch. */
const IN_WORKER = `globalThis.inWorker = (scenario, args, urls) => new Promise((ok) => {
  const w = new Worker('/guest-worker.js', { type: 'module' });
  const { port1, port2 } = new MessageChannel();
  const stop = Kasane.serveFetch(port1);
  const done = (r) => { stop(); w.terminate(); ok(r); };
  w.onmessage = (e) => done(e.data);
  w.onerror = (e) => done({ error: 'worker error: ' + e.message });
  w.postMessage({ scenario, args, urls, port: port2 }, [port2]);
});`;

type Page = import('playwright-core').Page;
type Browser = import('playwright-core').Browser;

after(stopEsbuild);

describe('WASI 0.2 components in Chromium', { skip: chromiumMissing, timeout: 300_000 }, () => {
  let server: StaticServer;
  let browser: Browser;
  let open: (path: string) => Promise<Page>;
  let isolated: Page;
  let closedPort = 0;
  let socketsComponent: Uint8Array;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  before(async () => {
    const es = await esbuild();
    assert.ok(es, 'esbuild-wasm is needed to bundle for the browser');
    const bundled = await bundle(es);
    const { buildHttpComponent } = await import(pathToFileURL(join(repoRoot, 'test/component/http/build-http.mjs')).href) as
      { buildHttpComponent: () => Promise<{ path: string }> };
    const { parse } = await import('@bytecodealliance/jco') as unknown as { parse: (wat: string) => Promise<Uint8Array> };
    const wasm = (body: Uint8Array): Route => ({ type: 'application/wasm', body });
    socketsComponent = await parse(readFileSync(join(repoRoot, 'test/browser/wat/sockets.wat'), 'utf8'));
    const routes = new Map<string, Route>([
      ['/kasane.html', { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script>delete globalThis.WebAssembly;</script>' }],
      ['/native.html', { type: 'text/html', body: '<!doctype html><meta charset="utf-8">' }],
      ['/isolated.html', { type: 'text/html', body: '<!doctype html><meta charset="utf-8">', headers: ISOLATED }],
      ['/guest-worker.js', { type: 'text/javascript', body: GUEST_WORKER, headers: ISOLATED }],
      ['/wasi-fs.component.wasm', wasm(readFileSync(join(repoRoot, 'test/component/fixtures/wasi-fs.component.wasm')))],
      ['/http-handler.component.wasm', wasm(readFileSync((await buildHttpComponent()).path))],
      ['/sockets.component.wasm', wasm(socketsComponent)],
    ]);
    for (const [name, code] of bundled.files) routes.set(`/${name}`, { type: 'text/javascript', body: code });
    server = await serve(routes, httpTestRoute);
    // A port that had a server a moment ago: connections to it are refused.
    const gone = createServer();
    await new Promise<void>((ok) => gone.listen(0, '127.0.0.1', ok));
    closedPort = (gone.address() as AddressInfo).port;
    await new Promise((ok) => gone.close(ok));

    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found and KASANE_REQUIRE_BROWSER=1 (scripts/install-browser.sh installs it)`);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    open = async (path: string): Promise<Page> => {
      const page = await browser.newPage();
      page.on('pageerror', (e) => pageErrors.push(`${path}: ${e.message}`));
      page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${path}: ${m.text()}`); });
      await page.goto(server.origin + path);
      await page.evaluate(`import('/kasane.js').then((m) => { globalThis.Kasane = m; })`);
      return page;
    };
    isolated = await open('/isolated.html');
    await isolated.evaluate(IN_WORKER);
  });

  after(async () => {
    releaseHeld();
    await browser?.close();
    await server?.close();
  });

  /** Runs a scenario on the page's main thread (bundle, args, fetched files). */
  async function inPage(page: Page, scenario: (...a: never[]) => unknown, args: object, urls: string[] = []): Promise<any> {
    return page.evaluate(`(async () => {
      const fetched = await Promise.all(${JSON.stringify(urls)}.map(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer())));
      return (${scenario.toString()})(globalThis.Kasane, ${JSON.stringify(args)}, fetched);
    })()`);
  }

  /** Runs a scenario in a Web Worker of the isolated page, with a port to the page's fetch agent. */
  async function inWorker(scenario: (...a: never[]) => unknown, args: object, urls: string[] = []): Promise<any> {
    const r = await isolated.evaluate(`inWorker(${JSON.stringify(scenario.toString())}, ${JSON.stringify(args)}, ${JSON.stringify(urls)})`) as { result?: unknown; error?: string };
    assert.equal(r.error, undefined, r.error);
    return r.result;
  }

  test('a command component (C, jco\'s preview1 adapter) on the in-memory filesystem: the same stdout, stderr, exit code and files as in Node, on both engines', async (t) => {
    const kasanePage = await open('/kasane.html');
    const nativePage = await open('/native.html');
    const fixture = readFileSync(join(repoRoot, 'test/component/fixtures/wasi-fs.component.wasm'));
    const inNode = await wasiScenario(Kasane, { engine: 'kasane', ...COMMAND }, [fixture]) as Record<string, any>;
    const onKasane = await inPage(kasanePage, wasiScenario, { engine: 'kasane', ...COMMAND }, ['/wasi-fs.component.wasm']);
    const onNative = await inPage(nativePage, wasiScenario, { engine: 'native', ...COMMAND }, ['/wasi-fs.component.wasm']);
    t.diagnostic(`wasi-fs.component.wasm: ${onKasane.ms.toFixed(0)} ms in Chromium on Kasane's engine, ${onNative.ms.toFixed(0)} ms on Chromium's, ${inNode.ms.toFixed(0)} ms in Node`);
    for (const r of [inNode, onKasane, onNative]) delete r.ms;
    assert.deepEqual(onKasane, inNode);
    assert.deepEqual(onNative, inNode);
    assert.equal(onKasane.code, 0);
    // It read the seeded in.txt, wrote files (100 of them and renamed.txt in dir/) and printed to stdout.
    assert.match(onKasane.stdout, /^argc 3 \[a\] \[b c\]\nGREETING=hello\n/);
    assert.match(onKasane.stdout, /^ok readdir sees 100 files$/m);
    assert.match(onKasane.stdout, /stdin \[mem\]\nfailures 0\n$/);
    assert.equal(onKasane.stderr, 'to stderr\n');
    assert.ok(onKasane.tree.includes('in.txt 6'));
    assert.equal(onKasane.tree.filter((f: string) => /^dir\/./.test(f)).length, 101);
    await kasanePage.close();
    await nativePage.close();
  });

  test('wasi:http over fetch: the guest in a Web Worker, fetch on the page; the same results as in Node', async () => {
    const r = await inWorker(fetchClientScenario, { origin: server.origin, closedPort });
    fetchPolicyChecks(r, 'chromium');
    const host = new URL(server.origin).host;
    assert.ok(seen.includes(`GET /echo?q=1 x-test=a cookie=undefined host=${host} `), seen.join('\n'));
    assert.ok(seen.includes(`POST /echo x-test=p cookie=undefined host=${host} ping`));
  });

  test('wasi:http over fetch, cross-origin: CORS decides what the guest gets', async () => {
    const crossOrigin = server.origin.replace('127.0.0.1', 'localhost');
    const r = await inWorker(corsScenario, { crossOrigin });
    // A response the server shares (Access-Control-Allow-Origin: *) shows only the safelisted
    // headers and those it exposes (not e.g. its access-control-* headers).
    assert.deepEqual(r.simple, { status: 200, headers: ['content-type', 'x-multi', 'x-upstream'], body: 'GET /echo?cors x-test=undefined []' });
    // A preflight the server refuses and a response without CORS headers are the bare TypeError of
    // a network failure: connection-refused for an address, and the message names CORS.
    assert.deepEqual(r.preflighted, { code: 'connection-refused', mentionsCors: true });
    assert.deepEqual(r.noCors, { code: 'connection-refused', mentionsCors: true });
    assert.ok(seen.some((l) => l.startsWith('OPTIONS /echo?preflight ')));
    assert.ok(!seen.some((l) => l.startsWith('GET /echo?preflight ')), 'the request itself was never sent');
  });

  for (const engine of ['native', 'kasane'] as const) {
    test(`a componentize-js wasi:http/proxy component makes an outgoing request through fetch (${engine} engine in the worker)`, async (t) => {
      const r = await inWorker(httpComponentScenario, { origin: server.origin, closedPort, engine }, ['/http-handler.component.wasm']);
      t.diagnostic(`${engine}: instantiated in ${r.ms.ready} ms, first request (with its outgoing fetch) ${r.ms.first} ms`);
      assert.deepEqual(r.proxied, { status: 200, body: 'upstream 200 yes POST /echo?from=component x-test=undefined [ping]' });
      assert.equal(seen.at(-1), `POST /echo?from=component x-test=undefined cookie=undefined host=${new URL(server.origin).host} ping`);
      // A refused connection reaches the handler as an error-code: its fetch rejects and it answers 500.
      assert.equal(r.refused, 500);
      assert.deepEqual(r.echo, { status: 200, body: 'GET /plain?x=1 null []' });
      // StarlingMonkey sets Content-Length itself; the page may not, and is told so once.
      assert.deepEqual(r.notes, ['wasi:http in the browser: content-length not sent (browsers do not let a page set this header; fetch sets its own)']);
    });
  }

  test('wasi:sockets in the browser: create-tcp-socket gives not-supported on both engines (as in Node without a socket host)', async () => {
    const kasanePage = await open('/kasane.html');
    const NOT_SUPPORTED = 2 + 1; // error-code's case index + 1
    assert.equal(socketsScenario(Kasane, { engine: 'kasane' }, [socketsComponent]), NOT_SUPPORTED);
    assert.equal(await inPage(kasanePage, socketsScenario, { engine: 'kasane' }, ['/sockets.component.wasm']), NOT_SUPPORTED);
    assert.equal(await inPage(isolated, socketsScenario, { engine: 'native' }, ['/sockets.component.wasm']), NOT_SUPPORTED);
    await kasanePage.close();
  });

  test('a FetchHttpClient where it cannot block says why: no cross-origin isolation, or a page\'s main thread', async () => {
    const plain = await open('/native.html');
    assert.match(await inPage(plain, fetchClientErrorScenario, {}), /^FetchHttpClient needs SharedArrayBuffer: serve the page cross-origin isolated/);
    assert.match(await inPage(isolated, fetchClientErrorScenario, {}), /may not do: run the component in a Web Worker and serveFetch on the page$/);
    await plain.close();
  });

  test('no uncaught errors in the pages', () => {
    assert.deepEqual(pageErrors, []);
    // Chromium logs every failed or non-2xx load (the 418, refused connections, the favicon) and CORS refusals: those only.
    assert.deepEqual(consoleErrors.filter((m) => !/Failed to load resource|net::ERR_(CONNECTION_REFUSED|NAME_NOT_RESOLVED)|blocked by CORS policy/.test(m)), []);
  });
});
