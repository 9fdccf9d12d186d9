// wasi:http's host resources called directly (jco's conventions): fields and their header-error
// cases, outgoing requests through a stand-in HttpClient (sent once the body is finished, errors
// as error-codes), and a response set through response-outparam.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Preview2 } from '../../src/wasi/preview2/host.js';
import { HttpRequestError, type HttpClient, type HttpRequest } from '../../src/wasi/preview2/http-client.js';
import { Fields, OutgoingBody, OutgoingRequest, OutgoingResponse, ResponseOutparam, FutureIncomingResponse, IncomingResponse, bytesSource } from '../../src/wasi/preview2/http.js';
import type { InputStream } from '../../src/wasi/preview2/io.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const thrown = (f: () => unknown): unknown => { try { f(); } catch (e) { return e; } return 'no error'; };

test('fields: case-insensitive names, header-error cases, immutable children', () => {
  const f = Fields.fromList([['Content-Type', enc('text/plain')], ['x-a', enc('1')]]);
  assert.deepEqual(f.get('content-type').map(dec), ['text/plain']);
  f.append('X-A', enc('2'));
  assert.deepEqual(f.get('x-a').map(dec), ['1', '2']);
  f.set('x-a', [enc('3')]);
  assert.deepEqual(f.entries().map(([k, v]) => `${k}=${dec(v)}`), ['Content-Type=text/plain', 'x-a=3']);
  f.delete('CONTENT-TYPE');
  assert.equal(f.has('content-type'), false);
  assert.deepEqual(thrown(() => f.set('bad name', [])), { tag: 'invalid-syntax' });
  assert.deepEqual(thrown(() => f.append('x', enc('a\r\nb'))), { tag: 'invalid-syntax' });
  assert.deepEqual(thrown(() => f.append('Connection', enc('close'))), { tag: 'forbidden' });
  assert.deepEqual(thrown(() => Fields.fromList([['a b', enc('')]])), { tag: 'invalid-syntax' });
  const req = new OutgoingRequest(f);
  const child = req.headers();
  assert.deepEqual(thrown(() => child.append('y', enc('1'))), { tag: 'immutable' });
  const copy = child.clone();
  copy.append('y', enc('1'));
  assert.equal(copy.has('y'), true);
});

function fakeClient(sent: HttpRequest[], fail = false): HttpClient {
  return {
    request(req) {
      sent.push(req);
      if (fail) throw new HttpRequestError({ tag: 'connection-refused' }, 'refused');
      const body = bytesSource(enc(`got ${dec(req.body)}`));
      return { status: 201, headers: [['x-r', enc('v')]], read: (n) => body.read(n), close() {} };
    },
  };
}

test('outgoing-handler: sent when the body is finished; response head, headers and body', () => {
  const sent: HttpRequest[] = [];
  const api = new Preview2({ http: fakeClient(sent) }).imports;
  const handle = (api['wasi:http/outgoing-handler'] as { handle: (r: OutgoingRequest) => FutureIncomingResponse }).handle;
  const req = new OutgoingRequest(Fields.fromList([['x-q', enc('1')]]));
  req.setMethod({ tag: 'post' });
  req.setScheme({ tag: 'HTTP' });
  req.setAuthority('example.test:8080');
  req.setPathWithQuery('/p?q=1');
  const body = req.body();
  const stream = body.write();
  const future = handle(req);
  assert.equal(future.subscribe().ready(), false, 'not sent before the body is finished');
  assert.equal(future.get(), undefined);
  stream.write(enc('data'));
  OutgoingBody.finish(body, undefined);
  assert.equal(future.subscribe().ready(), true);
  assert.deepEqual(sent.map((r) => [r.method, r.url, r.headers.map(([k, v]) => `${k}=${dec(v)}`), dec(r.body)]),
    [['POST', 'http://example.test:8080/p?q=1', ['x-q=1'], 'data']]);
  const got = future.get() as { tag: string; val: { tag: string; val: IncomingResponse } };
  assert.equal(got.tag, 'ok');
  assert.equal(got.val.tag, 'ok');
  const res = got.val.val;
  assert.equal(res.status(), 201);
  assert.deepEqual(res.headers().get('X-R').map(dec), ['v']);
  const input = res.consume().stream() as InputStream;
  assert.equal(dec(input.blockingRead(100n)), 'got data');
  assert.deepEqual(thrown(() => input.read(10n)), { tag: 'closed' });
  assert.deepEqual(future.get(), { tag: 'err', val: undefined }, 'the response is taken once');
});

test('outgoing-handler: transport errors are error-codes; no client or no authority fail at once', () => {
  const sent: HttpRequest[] = [];
  const handle = (client?: HttpClient) => (new Preview2({ http: client }).imports['wasi:http/outgoing-handler'] as { handle: (r: OutgoingRequest) => FutureIncomingResponse }).handle;
  const req = new OutgoingRequest(new Fields());
  req.setAuthority('127.0.0.1:1');
  assert.deepEqual(handle(fakeClient(sent, true))(req).get(), { tag: 'ok', val: { tag: 'err', val: { tag: 'connection-refused' } } });
  assert.deepEqual(thrown(() => handle(undefined)(req)), { tag: 'HTTP-request-denied' });
  assert.deepEqual(thrown(() => handle(fakeClient(sent))(new OutgoingRequest(new Fields()))), { tag: 'HTTP-request-URI-invalid' });
});

test('response-outparam: set once; outgoing-response status bounds and body', () => {
  const out = new ResponseOutparam();
  const res = new OutgoingResponse(Fields.fromList([['a', enc('b')]]));
  assert.equal(res.statusCode(), 200);
  assert.equal(thrown(() => res.setStatusCode(42)), undefined);
  res.setStatusCode(418);
  const b = res.body();
  b.write().blockingWriteAndFlush(enc('tea'));
  OutgoingBody.finish(b, undefined);
  ResponseOutparam.set(out, { tag: 'ok', val: res });
  assert.throws(() => ResponseOutparam.set(out, { tag: 'ok', val: res }));
  assert.equal(out.result?.tag, 'ok');
  assert.equal(dec(res.body_!.bytes()), 'tea');
  assert.equal(res.statusCode(), 418);
});

test('outgoing-body: kept until attached, then written through; finish passes trailers; dropped unfinished aborts', () => {
  const calls: string[] = [];
  const target = {
    write: (b: Uint8Array) => calls.push(`write ${dec(b)}`),
    finish: (t: readonly [string, Uint8Array][] | undefined) => calls.push(`finish ${t?.map(([k, v]) => `${k}=${dec(v)}`).join(',') ?? 'none'}`),
    abort: () => calls.push('abort'),
  };
  const res = new OutgoingResponse(new Fields());
  const body = res.body();
  const out = body.write();
  out.blockingWriteAndFlush(enc('early'));
  assert.deepEqual(calls, [], 'nothing goes out before the response is under way');
  res.attach(target);
  out.blockingWriteAndFlush(enc('late'));
  OutgoingBody.finish(body, Fields.fromList([['x-t', enc('1')]]));
  assert.deepEqual(calls, ['write early', 'write late', 'finish x-t=1']);
  assert.deepEqual((thrown(() => out.write(enc('after'))) as { tag: string }).tag, 'last-operation-failed');

  calls.length = 0;
  const res2 = new OutgoingResponse(new Fields());
  res2.attach(target);
  const body2 = res2.body();
  body2.write().blockingWriteAndFlush(enc('part'));
  body2[Symbol.dispose]();
  assert.deepEqual(calls, ['write part', 'abort']);
});
