// wasi:sockets/udp on the WASI 0.2 host over Node's socket host (node:dgram on the network
// thread), with real datagrams on loopback: between two guest sockets, and to an echo server in
// a child process. This thread blocks in Atomics.wait while the guest-side calls run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Preview2 } from '../../src/wasi/preview2/host.js';
import { nodeNetHost } from '../../src/host/node-net.js';
import type { Network } from '../../src/wasi/preview2/sockets.js';
import type { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream } from '../../src/wasi/preview2/udp.js';
import type { Pollable } from '../../src/wasi/preview2/io.js';
import type { SocketAddress } from '../../src/wasi/preview2/network.js';

type Api = Record<string, Record<string, (...a: never[]) => unknown>>;
const api = new Preview2({ net: nodeNetHost() }).imports as unknown as Api;
const network = api['wasi:sockets/instance-network'].instanceNetwork() as Network;
const create = (family: 'ipv4' | 'ipv6' = 'ipv4'): UdpSocket => api['wasi:sockets/udp-create-socket'].createUdpSocket(family as never) as UdpSocket;
const thrown = (f: () => unknown): unknown => { try { f(); } catch (e) { return e; } return 'no error'; };
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const loopback = (port: number): SocketAddress => ({ tag: 'ipv4', val: { port, address: [127, 0, 0, 1] } });

function bound(family: 'ipv4' | 'ipv6' = 'ipv4'): UdpSocket {
  const s = create(family);
  s.startBind(network, family === 'ipv4' ? loopback(0) : { tag: 'ipv6', val: { port: 0, flowInfo: 0, address: [0, 0, 0, 0, 0, 0, 0, 1], scopeId: 0 } });
  s.finishBind();
  return s;
}

/** Waits on the stream's pollable, then takes what arrived. */
function receive(input: IncomingDatagramStream, max = 16n): { data: Uint8Array; remoteAddress: SocketAddress }[] {
  (input.subscribe() as Pollable).block();
  return input.receive(max);
}

function send(out: OutgoingDatagramStream, datagrams: { data: Uint8Array; remoteAddress?: SocketAddress }[]): bigint {
  assert.ok(out.checkSend() >= BigInt(datagrams.length));
  return out.send(datagrams);
}

test('udp: datagrams between two bound sockets; addresses; nothing waiting is an empty list', () => {
  const a = bound(), b = bound();
  const aPort = a.localAddress().val.port, bPort = b.localAddress().val.port;
  assert.ok(aPort > 0 && bPort > 0 && aPort !== bPort);
  const [, aOut] = a.stream(undefined);
  const [bIn] = b.stream(undefined);
  assert.deepEqual(bIn.receive(10n), []);
  assert.equal((bIn.subscribe() as Pollable).ready(), false);
  assert.equal(send(aOut, [{ data: text('one'), remoteAddress: loopback(bPort) }, { data: text('two'), remoteAddress: loopback(bPort) }]), 2n);
  const got: { data: Uint8Array; remoteAddress: SocketAddress }[] = [];
  while (got.length < 2) got.push(...receive(bIn));
  assert.deepEqual(got.map((d) => new TextDecoder().decode(d.data)), ['one', 'two']);
  assert.deepEqual(got[0].remoteAddress, loopback(aPort));
  assert.deepEqual(bIn.receive(0n), []);
  a.close(); b.close();
});

test('udp: a connected stream sends without an address and reports its remote address', () => {
  const a = bound(), b = bound();
  const bPort = b.localAddress().val.port;
  const [, aOut] = a.stream(loopback(bPort));
  assert.deepEqual(a.remoteAddress(), loopback(bPort));
  const [bIn] = b.stream(undefined);
  assert.equal(send(aOut, [{ data: text('connected') }]), 1n);
  // A different address than the connected one is refused; the connected one itself is accepted.
  aOut.checkSend();
  assert.equal(thrown(() => aOut.send([{ data: text('x'), remoteAddress: loopback(9) }])), 'invalid-argument');
  assert.equal(send(aOut, [{ data: text('again'), remoteAddress: loopback(bPort) }]), 1n);
  const got: string[] = [];
  while (got.length < 2) got.push(...receive(bIn).map((d) => new TextDecoder().decode(d.data)));
  assert.deepEqual(got, ['connected', 'again']);
  a.close(); b.close();
});

test('udp: an echo server in another process', async () => {
  const code = "const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>s.send(Buffer.from(m.toString().toUpperCase()),r.port,r.address));s.bind(0,'127.0.0.1',()=>console.log(s.address().port))";
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString()))));
    const s = bound();
    const [input, output] = s.stream(loopback(port));
    assert.equal(send(output, [{ data: text('hello udp') }]), 1n);
    const [reply] = receive(input, 1n);
    assert.equal(new TextDecoder().decode(reply.data), 'HELLO UDP');
    assert.deepEqual(reply.remoteAddress, loopback(port));
    s.close();
  } finally { child.kill(); }
});

test('udp: states, arguments and traps', () => {
  const s = create();
  assert.equal(thrown(() => s.stream(undefined)), 'invalid-state');
  assert.equal(thrown(() => s.localAddress()), 'invalid-state');
  assert.equal(thrown(() => s.finishBind()), 'not-in-progress');
  assert.equal(thrown(() => s.startBind(network, { tag: 'ipv6', val: { port: 0, flowInfo: 0, address: [0, 0, 0, 0, 0, 0, 0, 1], scopeId: 0 } })), 'invalid-argument');
  s.startBind(network, loopback(0));
  assert.equal(thrown(() => s.startBind(network, loopback(0))), 'concurrency-conflict');
  assert.equal(thrown(() => s.localAddress()), 'concurrency-conflict');
  s.finishBind();
  assert.equal(thrown(() => s.startBind(network, loopback(0))), 'invalid-state');
  assert.equal(thrown(() => s.remoteAddress()), 'invalid-state');
  assert.equal(thrown(() => s.stream(loopback(0))), 'invalid-argument');
  assert.equal(thrown(() => s.stream({ tag: 'ipv4', val: { port: 53, address: [0, 0, 0, 0] } })), 'invalid-argument');
  const [input, output] = s.stream(undefined);
  // Streams of an earlier call must be dropped first (wasmtime traps).
  assert.match(String(thrown(() => s.stream(undefined))), /RuntimeError: UDP streams not dropped yet/);
  assert.match(String(thrown(() => output.send([{ data: text('x'), remoteAddress: loopback(9) }]))), /RuntimeError: unpermitted: must call check-send first/);
  assert.equal(output.checkSend(), 16n);
  assert.match(String(thrown(() => output.send(new Array(17).fill({ data: text('x'), remoteAddress: loopback(9) })))), /exceeds permitted size/);
  output.checkSend();
  assert.equal(thrown(() => output.send([{ data: text('no address') }])), 'invalid-argument');
  output.checkSend();
  assert.equal(thrown(() => output.send([{ data: new Uint8Array(70000), remoteAddress: loopback(9) }])), 'datagram-too-large');
  output.checkSend();
  assert.equal(thrown(() => output.send([{ data: text('port 0'), remoteAddress: loopback(0) }])), 'invalid-argument');
  // Once a datagram has gone, a later failure is reported as the count.
  output.checkSend();
  assert.equal(output.send([{ data: text('ok'), remoteAddress: loopback(9) }, { data: text('bad') }]), 1n);
  const dispose = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for('nodejs.dispose');
  (input as unknown as Record<symbol, () => void>)[dispose]();
  (output as unknown as Record<symbol, () => void>)[dispose]();
  const [again] = s.stream(undefined);
  assert.ok(again);
  s.close();
});

test('udp: options', () => {
  const s = create();
  assert.equal(thrown(() => s.setUnicastHopLimit(0)), 'invalid-argument');
  assert.equal(thrown(() => s.setReceiveBufferSize(0n)), 'invalid-argument');
  s.setUnicastHopLimit(7);
  s.setReceiveBufferSize(32768n);
  s.startBind(network, loopback(0));
  s.finishBind();
  assert.equal(s.unicastHopLimit(), 7);
  // Linux doubles the value given (for its bookkeeping); it is at least what was asked.
  assert.ok(s.receiveBufferSize() >= 32768n);
  s.setSendBufferSize(16384n);
  assert.ok(s.sendBufferSize() >= 16384n);
  assert.equal(s.addressFamily(), 'ipv4');
  s.close();
});

test('udp: IPv6 loopback', () => {
  let s: UdpSocket;
  try { s = bound('ipv6'); } catch (e) { assert.equal(e, 'address-not-bindable'); return; }
  const r = bound('ipv6');
  const [, out] = s.stream(undefined);
  const [input] = r.stream(undefined);
  send(out, [{ data: text('six'), remoteAddress: r.localAddress() }]);
  const [d] = receive(input);
  assert.equal(new TextDecoder().decode(d.data), 'six');
  assert.deepEqual(d.remoteAddress, s.localAddress());
  s.close(); r.close();
});

test('udp: permissions', () => {
  const denied = new Preview2({ net: nodeNetHost(), networkPermissions: { inheritNetwork: false, tcp: true, udp: true, ipNameLookup: false } }).imports as unknown as Api;
  const net = denied['wasi:sockets/instance-network'].instanceNetwork() as Network;
  const s = denied['wasi:sockets/udp-create-socket'].createUdpSocket('ipv4' as never) as UdpSocket;
  assert.equal(thrown(() => s.startBind(net, loopback(0))), 'access-denied');
  const noUdp = new Preview2({ net: nodeNetHost(), networkPermissions: { inheritNetwork: true, tcp: true, udp: false, ipNameLookup: false } }).imports as unknown as Api;
  assert.equal(thrown(() => noUdp['wasi:sockets/udp-create-socket'].createUdpSocket('ipv4' as never)), 'access-denied');
  assert.equal(thrown(() => (new Preview2({}).imports['wasi:sockets/udp-create-socket'] as { createUdpSocket: (f: string) => unknown }).createUdpSocket('ipv4')), 'not-supported');
});
