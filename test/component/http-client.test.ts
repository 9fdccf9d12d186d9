// wasi:http's outgoing side on Node's client (src/host/node-http.ts) against real node:http
// servers on loopback, through the host's resources as a guest calls them: a request body that
// goes out as it is written while its response is read, trailers both ways, and the
// request-options timeouts as error-codes. The servers run in a worker thread, since this thread
// blocks (Atomics.wait) while the guest waits for the network.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { Preview2 } from '../../src/wasi/preview2/host.js';
import { NodeHttpClient } from '../../src/host/node-http.js';
import { nodeNetHost } from '../../src/host/node-net.js';
import type { Pollable } from '../../src/wasi/preview2/poll.js';
import { Fields, IncomingBody, OutgoingBody, OutgoingRequest, RequestOptions, httpErrorCode, type FutureIncomingResponse, type IncomingResponse } from '../../src/wasi/preview2/http.js';
import type { InputStream, IoError } from '../../src/wasi/preview2/io.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

const SERVER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const server = http.createServer((req, res) => {
  if (req.url === '/echo') {
    // The head at once, then each piece of the request body back as it arrives.
    res.writeHead(200, { 'x-early': 'yes' });
    res.flushHeaders();
    req.on('data', (c) => res.write(c));
    req.on('end', () => { res.addTrailers({ 'x-seen': String(req.trailers['x-up']) }); res.end(); });
  } else if (req.url === '/late') {
    setTimeout(() => res.end('late'), 300);
  } else if (req.url === '/stall') {
    res.writeHead(200);
    res.write('part');
  } else if (req.url !== '/silent') {
    res.end('ok');
  }
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

let worker: Worker;
let port = 0;
before(async () => {
  worker = new Worker(SERVER, { eval: true });
  port = await new Promise<number>((r) => worker.once('message', r));
});
after(() => worker?.terminate());

const p2 = new Preview2({ http: new NodeHttpClient() }).imports;
const handle = (p2['wasi:http/outgoing-handler'] as { handle: (r: OutgoingRequest, o?: RequestOptions) => FutureIncomingResponse }).handle;

function request(method: string, path: string, authority = `127.0.0.1:${port}`): OutgoingRequest {
  const req = new OutgoingRequest(new Fields());
  req.setMethod({ tag: method });
  req.setAuthority(authority);
  req.setPathWithQuery(path);
  return req;
}

type Got = { tag: 'ok'; val: { tag: 'ok'; val: IncomingResponse } | { tag: 'err'; val: { tag: string } } };
function waitResponse(future: FutureIncomingResponse): Got['val'] {
  future.subscribe().block();
  return (future.get() as Got).val;
}

function readAll(input: InputStream): string {
  let s = '';
  for (;;) {
    try { s += dec(input.blockingRead(65536n)); } catch (e) { if ((e as { tag: string }).tag === 'closed') return s; throw e; }
  }
}

test('a request body streams: the response is read while the body is still being written; trailers both ways', () => {
  const req = request('post', '/echo');
  const body = req.body();
  const out = body.write();
  const options = new RequestOptions();
  // A client that sent only finished bodies would never see this response head: fail, not hang.
  options.setFirstByteTimeout(5_000_000_000n);
  const future = handle(req, options);
  out.blockingWriteAndFlush(enc('one'));
  const got = waitResponse(future);
  assert.equal(got.tag, 'ok');
  const res = (got as { val: IncomingResponse }).val;
  assert.equal(res.status(), 200);
  assert.deepEqual(res.headers().get('x-early').map(dec), ['yes']);
  const incoming = res.consume();
  const input = incoming.stream() as InputStream;
  assert.equal(dec(input.blockingRead(100n)), 'one');
  out.blockingWriteAndFlush(enc('two'));
  assert.equal(dec(input.blockingRead(100n)), 'two');
  OutgoingBody.finish(body, Fields.fromList([['x-up', enc('42')]]));
  assert.equal(readAll(input), '');
  const trailers = IncomingBody.finish(incoming).get() as { tag: 'ok'; val: { tag: 'ok'; val: Fields | undefined } };
  assert.deepEqual(trailers.val.val?.get('x-seen').map(dec), ['42']);
});

test('a response without trailers: future-trailers gives none; a GET without a body', () => {
  const got = waitResponse(handle(request('get', '/plain')));
  const incoming = (got as { val: IncomingResponse }).val.consume();
  assert.equal(readAll(incoming.stream() as InputStream), 'ok');
  assert.deepEqual(IncomingBody.finish(incoming).get(), { tag: 'ok', val: { tag: 'ok', val: undefined } });
});

test('poll waits for a response head on the network thread with other pollables, not by checking every millisecond', () => {
  const io = p2['wasi:io/poll'] as { poll(ps: Pollable[]): Uint32Array };
  const clock = p2['wasi:clocks/monotonic-clock'] as { subscribeDuration(ns: bigint): Pollable };
  const net = nodeNetHost();
  // Every round trip to the network thread goes through call().
  const call = net.call;
  let waits = 0;
  net.call = (op) => { waits++; return call.call(net, op); };
  try {
    // The response comes after 300 ms, before the 5 s deadline: one wait, woken by its head.
    const late = handle(request('get', '/late'));
    const t0 = performance.now();
    assert.deepEqual([...io.poll([clock.subscribeDuration(5_000_000_000n), late.subscribe()])], [1]);
    const ms = performance.now() - t0;
    assert.ok(ms >= 250 && ms < 4000, `${ms} ms`);
    assert.ok(waits <= 3, `${waits} round trips to the network thread for one response (checking every millisecond would make ~300)`);
    const got = (late.get() as Got).val as { val: IncomingResponse };
    assert.equal(readAll(got.val.consume().stream() as InputStream), 'late');
    // No response at all: the deadline ends the same single wait.
    waits = 0;
    const silent = handle(request('get', '/silent'));
    assert.deepEqual([...io.poll([silent.subscribe(), clock.subscribeDuration(200_000_000n)])], [1]);
    assert.ok(waits <= 3, `${waits} round trips to the network thread until the deadline`);
    assert.equal(silent.get(), undefined);
  } finally {
    net.call = call;
  }
});

test('first-byte-timeout: connection-read-timeout when the head does not come', () => {
  const options = new RequestOptions();
  options.setFirstByteTimeout(200_000_000n);
  const t0 = performance.now();
  assert.deepEqual(waitResponse(handle(request('get', '/silent'), options)), { tag: 'err', val: { tag: 'connection-read-timeout' } });
  const ms = performance.now() - t0;
  assert.ok(ms >= 190 && ms < 5000, `${ms} ms`);
});

test('between-bytes-timeout: the body stream fails with connection-read-timeout (http-error-code)', () => {
  const options = new RequestOptions();
  options.setBetweenBytesTimeout(200_000_000n);
  const got = waitResponse(handle(request('get', '/stall'), options));
  const input = (got as { val: IncomingResponse }).val.consume().stream() as InputStream;
  assert.equal(dec(input.blockingRead(100n)), 'part');
  let err: unknown;
  try { input.blockingRead(100n); } catch (e) { err = e; }
  const e = err as { tag: string; val: IoError };
  assert.equal(e.tag, 'last-operation-failed');
  assert.deepEqual(httpErrorCode(e.val), { tag: 'connection-read-timeout' });
});

// A listener whose accept queue is full (backlog 0, never accepting, one connection queued) drops
// further SYNs, so a connection attempt hangs: only Python can make one here (Node always accepts).
const python = spawnSync('python3', ['-c', 'print(1)']).status === 0;
test('connect-timeout: connection-timeout when the connection does not come up', { skip: !python && 'python3 is not installed' }, async () => {
  const child: ChildProcess = spawn('python3', ['-c', 'import socket, sys, time\ns = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)\nprint(s.getsockname()[1], flush=True); time.sleep(30)'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const p = await new Promise<number>((r) => child.stdout!.once('data', (b: Buffer) => r(Number(b.toString().trim()))));
    const filler = net.connect(p, '127.0.0.1');
    await new Promise((r) => filler.once('connect', r));
    const options = new RequestOptions();
    options.setConnectTimeout(300_000_000n);
    assert.equal(options.connectTimeout(), 300_000_000n);
    const t0 = performance.now();
    assert.deepEqual(waitResponse(handle(request('get', '/', `127.0.0.1:${p}`), options)), { tag: 'err', val: { tag: 'connection-timeout' } });
    const ms = performance.now() - t0;
    assert.ok(ms >= 290 && ms < 5000, `${ms} ms`);
    filler.destroy();
  } finally {
    child.kill();
  }
});
