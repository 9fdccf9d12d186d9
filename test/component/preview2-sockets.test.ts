// wasi:sockets (TCP, ip-name-lookup) on the WASI 0.2 host, called directly with jco's conventions
// over Node's real socket host (the network thread). The peers run in child processes: this
// thread blocks in Atomics.wait while the guest-side calls run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Preview2 } from '../../src/wasi/preview2/host.js';
import { nodeNetHost } from '../../src/host/node-net.js';
import type { TcpSocket, Network } from '../../src/wasi/preview2/sockets.js';
import type { InputStream, OutputStream, Pollable } from '../../src/wasi/preview2/io.js';

type Api = Record<string, Record<string, (...a: never[]) => unknown>>;
const api = new Preview2({ net: nodeNetHost() }).imports as unknown as Api;
const network = api['wasi:sockets/instance-network'].instanceNetwork() as Network;
const create = (): TcpSocket => api['wasi:sockets/tcp-create-socket'].createTcpSocket('ipv4' as never) as TcpSocket;
const thrown = (f: () => unknown): unknown => { try { f(); } catch (e) { return e; } return 'no error'; };

function readAll(input: InputStream): string {
  let s = '';
  for (;;) {
    try { s += new TextDecoder().decode(input.blockingRead(65536n)); } catch (e) { assert.deepEqual(e, { tag: 'closed' }); return s; }
  }
}

/** A child process running an upper-casing echo server; resolves with its port. */
function echoServer(): Promise<{ port: number; stop: () => void }> {
  const code = "const s=require('net').createServer({allowHalfOpen:true},(c)=>{let b='';c.on('data',(d)=>b+=d);c.on('end',()=>c.end(b.toUpperCase()))});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))";
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout!.once('data', (d: Buffer) => resolve({ port: Number(d.toString()), stop: () => child.kill() })));
}

test('tcp: connect, write, shutdown send, read the reply; addresses', async () => {
  const { port, stop } = await echoServer();
  try {
    const sock = create();
    sock.startConnect(network, { tag: 'ipv4', val: { port, address: [127, 0, 0, 1] } });
    const [input, output] = sock.finishConnect() as [InputStream, OutputStream];
    output.blockingWriteAndFlush(new TextEncoder().encode('hello sockets'));
    sock.shutdown('send');
    assert.equal(readAll(input), 'HELLO SOCKETS');
    assert.equal(sock.remoteAddress().val.port, port);
    assert.ok(sock.localAddress().val.port > 0);
    assert.deepEqual(sock.localAddress().val.address, [127, 0, 0, 1]);
    assert.equal(thrown(() => sock.finishConnect()), 'not-in-progress');
    sock.close();
  } finally { stop(); }
});

test('tcp: read never waits, the input stream\'s pollable does; blocking-read after the end is closed', async () => {
  const { port, stop } = await echoServer();
  try {
    const sock = create();
    sock.startConnect(network, { tag: 'ipv4', val: { port, address: [127, 0, 0, 1] } });
    const [input, output] = sock.finishConnect() as [InputStream, OutputStream];
    output.blockingWriteAndFlush(new TextEncoder().encode('later'));
    // The server answers only once sending is shut down.
    assert.equal(input.read(100n).length, 0);
    const ready = input.subscribe() as Pollable;
    assert.equal(ready.ready(), false);
    sock.shutdown('send');
    ready.block();
    assert.equal(new TextDecoder().decode(input.read(100n)), 'LATER');
    assert.deepEqual(thrown(() => input.blockingRead(100n)), { tag: 'closed' });
    assert.deepEqual(thrown(() => input.read(100n)), { tag: 'closed' });
    sock.close();
  } finally { stop(); }
});

test('poll over two connections and a clock: one wait on the network thread, woken by the data', async () => {
  const { port, stop } = await echoServer();
  const host = nodeNetHost();
  const original = host.poll;
  const waits: (number | undefined)[] = [];
  try {
    const connect = (): [TcpSocket, InputStream, OutputStream] => {
      const sock = create();
      sock.startConnect(network, { tag: 'ipv4', val: { port, address: [127, 0, 0, 1] } });
      const [input, output] = sock.finishConnect() as [InputStream, OutputStream];
      return [sock, input, output];
    };
    const [a, aIn] = connect();
    const [b, bIn, bOut] = connect();
    const clocks = api['wasi:clocks/monotonic-clock'];
    const poll = api['wasi:io/poll'].poll as unknown as (ps: Pollable[]) => Uint32Array;
    host.poll = function (subs, timeoutMs) { if (timeoutMs !== 0) waits.push(timeoutMs); return original.call(this, subs, timeoutMs); };
    // Nothing comes on either: the clock ends the one wait.
    const t0 = performance.now();
    assert.deepEqual([...poll([aIn.subscribe(), bIn.subscribe(), clocks.subscribeDuration(150_000_000n as never) as Pollable])], [2]);
    assert.ok(performance.now() - t0 >= 149);
    assert.equal(waits.length, 1);
    // b's reply (sent once b shuts down sending) ends the wait long before the 10 s clock.
    bOut.blockingWriteAndFlush(new TextEncoder().encode('b'));
    b.shutdown('send');
    const t1 = performance.now();
    assert.deepEqual([...poll([aIn.subscribe(), bIn.subscribe(), clocks.subscribeDuration(10_000_000_000n as never) as Pollable])], [1]);
    assert.ok(performance.now() - t1 < 5000);
    assert.ok(waits.length <= 3, `host waits: ${waits.length}`);
    assert.equal(new TextDecoder().decode(bIn.read(10n)), 'B');
    a.close(); b.close();
  } finally { host.poll = original; stop(); }
});

test('tcp: a refused connection is connection-refused; bad arguments and states', () => {
  const sock = create();
  sock.startConnect(network, { tag: 'ipv4', val: { port: 1, address: [127, 0, 0, 1] } });
  assert.equal(thrown(() => sock.finishConnect()), 'connection-refused');
  assert.equal(thrown(() => create().startConnect(network, { tag: 'ipv4', val: { port: 0, address: [127, 0, 0, 1] } })), 'invalid-argument');
  assert.equal(thrown(() => create().startConnect(network, { tag: 'ipv6', val: { port: 80, address: [0, 0, 0, 0, 0, 0, 0, 1] } })), 'invalid-argument');
  assert.equal(thrown(() => create().accept()), 'invalid-state');
});

test('tcp: bind, listen, would-block, a pollable that becomes ready, accept', async () => {
  const l = create();
  l.startBind(network, { tag: 'ipv4', val: { port: 0, address: [127, 0, 0, 1] } });
  l.finishBind();
  l.startListen();
  l.finishListen();
  assert.equal(l.isListening(), true);
  const port = l.localAddress().val.port;
  assert.ok(port > 0);
  assert.equal(thrown(() => l.accept()), 'would-block');
  const ready = l.subscribe() as Pollable;
  assert.equal(ready.ready(), false);
  const client = spawn(process.execPath, ['-e', `require('net').connect(${port}, '127.0.0.1', function () { this.end('from child'); })`], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 50));
  ready.block();
  const [conn, input] = l.accept() as [TcpSocket, InputStream, OutputStream];
  // The accepted connection's ends, from the host.
  assert.deepEqual(conn.localAddress(), { tag: 'ipv4', val: { port, address: [127, 0, 0, 1] } });
  assert.deepEqual(conn.remoteAddress().val.address, [127, 0, 0, 1]);
  assert.ok(conn.remoteAddress().val.port > 0 && conn.remoteAddress().val.port !== port);
  assert.equal(readAll(input), 'from child');
  conn.close();
  l.close();
  await new Promise((r) => client.once('exit', r));
});

test('permissions: no address without inherit-network, no TCP without tcp', () => {
  const denied = new Preview2({ net: nodeNetHost(), networkPermissions: { inheritNetwork: false, tcp: true, udp: true, ipNameLookup: false } }).imports as unknown as Api;
  const net = denied['wasi:sockets/instance-network'].instanceNetwork() as Network;
  const sock = denied['wasi:sockets/tcp-create-socket'].createTcpSocket('ipv4' as never) as TcpSocket;
  assert.equal(thrown(() => sock.startConnect(net, { tag: 'ipv4', val: { port: 80, address: [127, 0, 0, 1] } })), 'access-denied');
  assert.equal(thrown(() => sock.startBind(net, { tag: 'ipv4', val: { port: 0, address: [127, 0, 0, 1] } })), 'access-denied');
  // Argument errors come first, as in wasmtime.
  assert.equal(thrown(() => sock.startConnect(net, { tag: 'ipv4', val: { port: 0, address: [127, 0, 0, 1] } })), 'invalid-argument');
  const noTcp = new Preview2({ net: nodeNetHost(), networkPermissions: { inheritNetwork: true, tcp: false, udp: true, ipNameLookup: true } }).imports as unknown as Api;
  assert.equal(thrown(() => noTcp['wasi:sockets/tcp-create-socket'].createTcpSocket('ipv4' as never)), 'access-denied');
  assert.equal(thrown(() => create().startListen()), 'invalid-state');
  assert.equal(thrown(() => (new Preview2({}).imports['wasi:sockets/tcp-create-socket'] as { createTcpSocket: (f: string) => unknown }).createTcpSocket('ipv4')), 'not-supported');
});
