// What fetchClientScenario (scenarios.ts) must give, in Node and in Chromium alike: the same
// values (error messages differ between fetch implementations and are not compared).

import assert from 'node:assert/strict';

const echo = (body: string, status = 200): object => ({
  status, upstream: ['yes'], multi: ['a, b'], encoding: [], body, pieces: 1, firstPieceEarly: false,
});
const code = (tag: string, val: unknown = null): object => ({ code: tag, val });

export function fetchPolicyChecks(r: Record<string, any>, where: string): void {
  const at = `(${where})`;
  assert.deepEqual(r.get, echo('GET /echo?q=1 x-test=a []'), at);
  assert.deepEqual(r.post, echo('POST /echo x-test=p [ping]'), at);
  assert.deepEqual(r.status, echo('PUT /echo?status=418 x-test=undefined [tea]', 418), at);
  assert.deepEqual(r.again, echo('GET /echo?again x-test=undefined []'), at);
  // Four pieces 150 ms apart arrive as four reads, the first long before the last.
  assert.deepEqual(r.drip, { status: 200, upstream: [], multi: [], encoding: [], body: 'piece 0\npiece 1\npiece 2\npiece 3\n', pieces: 4, firstPieceEarly: true }, at);
  // fetch decoded the gzip body, so its Content-Encoding is not passed on.
  assert.equal(r.gzip.body, 'unzipped by fetch '.repeat(20), at);
  assert.deepEqual(r.gzip.encoding, [], at);
  assert.deepEqual(r.refused, code('connection-refused'), at);
  assert.deepEqual(r.dns, code('DNS-error', {}), at);
  assert.deepEqual(r.connectMethod, code('HTTP-request-method-invalid'), at);
  assert.deepEqual(r.getWithBody, code('internal-error', 'fetch cannot send a body with a GET or HEAD request'), at);
  assert.deepEqual(r.badScheme, code('HTTP-request-URI-invalid'), at);
  // request-options' timeouts, enforced with an AbortController (300 ms each; a busy machine may add some).
  assert.deepEqual(r.firstByte.result, code('connection-read-timeout'), at);
  assert.deepEqual(r.connect.result, code('connection-timeout'), at);
  assert.deepEqual(r.between.second, code('connection-read-timeout'), at);
  for (const ms of [r.firstByte.ms, r.connect.ms, r.between.ms]) assert.ok(ms >= 290 && ms < 5000, `${ms} ms ${at}`);
  assert.equal(r.between.first, 'first\n', at);
  assert.equal(r.between.after, 0, at);
  assert.deepEqual(r.cut, { first: 'partial\n', second: code('HTTP-response-incomplete') }, at);
  assert.deepEqual(r.closed, { first: 'piece 0\n', after: 0 }, at);
  assert.deepEqual(r.notes, [
    'wasi:http in the browser: host, cookie, sec-fetch-x not sent (browsers do not let a page set these headers; fetch sets its own)',
    'wasi:http in the browser: content-length not sent (browsers do not let a page set this header; fetch sets its own)',
  ], at);
}
