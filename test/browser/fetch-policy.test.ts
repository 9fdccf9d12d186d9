// The pure rules of the fetch client (src/wasi/preview2/fetch-policy.ts): forbidden request
// headers, request checks, response headers after fetch decoded a body, timeouts, failures.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRequest, fetchFailure, fetchTimeouts, isForbiddenHeader, requestHeaders, responseHeaders } from '../../src/wasi/preview2/fetch-policy.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);

test('forbidden request headers: the Fetch standard\'s names and prefixes, method overrides naming a forbidden method', () => {
  for (const n of ['Host', 'content-length', 'Cookie', 'Origin', 'Referer', 'TE', 'Keep-Alive', 'Proxy-Authorization', 'Sec-CH-UA', 'Accept-Encoding']) assert.ok(isForbiddenHeader(n, 'x'), n);
  for (const n of ['x-test', 'Authorization', 'Accept', 'Content-Type', 'User-Agent', 'proxyish', 'second']) assert.ok(!isForbiddenHeader(n, 'x'), n);
  assert.ok(isForbiddenHeader('X-HTTP-Method-Override', 'GET, trace'));
  assert.ok(!isForbiddenHeader('X-HTTP-Method-Override', 'PATCH'));
  const { send, dropped } = requestHeaders([['x-a', b('1')], ['Host', b('h')], ['host', b('h2')], ['x-b', new Uint8Array([0xe9])], ['Sec-X', b('s')]]);
  assert.deepEqual(send, [['x-a', '1'], ['x-b', '\u00e9']]);
  assert.deepEqual(dropped, ['host', 'sec-x']);
});

test('request checks: what fetch would refuse with a bare TypeError gets its error-code', () => {
  assert.equal(checkRequest('GET', 'http://a/', 0), undefined);
  assert.equal(checkRequest('POST', 'https://a/x', 3), undefined);
  assert.equal(checkRequest('track', 'http://a/', 0)?.code.tag, 'HTTP-request-method-invalid');
  assert.equal(checkRequest('GET', 'http://[zz/', 0)?.code.tag, 'HTTP-request-URI-invalid');
  assert.equal(checkRequest('GET', 'file:///etc/passwd', 0)?.code.tag, 'HTTP-request-URI-invalid');
  assert.deepEqual(checkRequest('HEAD', 'http://a/', 1)?.code, { tag: 'internal-error', val: 'fetch cannot send a body with a GET or HEAD request' });
});

test('response headers: Content-Encoding and Content-Length left out only when fetch decoded the body', () => {
  const h: [string, string][] = [['content-encoding', 'gzip'], ['content-length', '40'], ['x', '1']];
  assert.deepEqual(responseHeaders(h), [['x', '1']]);
  assert.deepEqual(responseHeaders([['content-encoding', 'gzip, br'], ['content-length', '4']]), []);
  assert.deepEqual(responseHeaders([['content-encoding', 'compress'], ['content-length', '4']]), [['content-encoding', 'compress'], ['content-length', '4']]);
  assert.deepEqual(responseHeaders([['content-length', '4']]), [['content-length', '4']]);
});

test('request-options timeouts: connect plus first-byte bound the head; the code names which were set', () => {
  assert.deepEqual(fetchTimeouts(undefined), {});
  assert.deepEqual(fetchTimeouts({}), {});
  assert.deepEqual(fetchTimeouts({ connectMs: 200 }), { headMs: 200, headCode: 'connection-timeout' });
  assert.deepEqual(fetchTimeouts({ connectMs: 200, firstByteMs: 50 }), { headMs: 250, headCode: 'connection-read-timeout' });
  assert.deepEqual(fetchTimeouts({ firstByteMs: 0 }), { headMs: 0, headCode: 'connection-read-timeout' });
  assert.deepEqual(fetchTimeouts({ betweenBytesMs: 2 }), { betweenBytesMs: 2 });
});

test('failures: timeouts and aborts by name; a network TypeError is connection-refused for an address, DNS-error for a name', () => {
  const net = new TypeError('Failed to fetch');
  const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
  assert.equal(fetchFailure(abort, 'http://a/', { timedOut: 'connection-read-timeout' }).code.tag, 'connection-read-timeout');
  assert.equal(fetchFailure(abort, 'http://a/', {}).code.tag, 'connection-terminated');
  assert.equal(fetchFailure(net, 'http://a/', { aborted: true }).code.tag, 'connection-terminated');
  for (const url of ['http://127.0.0.1:9/', 'http://[::1]:9/', 'http://localhost:9/', 'http://app.localhost/']) assert.equal(fetchFailure(net, url, {}).code.tag, 'connection-refused', url);
  const dns = fetchFailure(net, 'https://example.invalid/', {});
  assert.deepEqual(dns.code, { tag: 'DNS-error', val: { rcode: undefined, infoCode: undefined } });
  assert.match(dns.message, /^fetch failed \(TypeError: Failed to fetch\); .*CORS/);
});
