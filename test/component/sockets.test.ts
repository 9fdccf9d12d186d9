// A real component using wasi:sockets (test/component/sockets/client.wat, built into
// fixtures/sockets.component.wasm by test/component/build.sh) run by `kasane run` on both
// engines against TCP and UDP echo servers in this process on loopback: network granted as
// wasmtime's CLI does (-S inherit-network, -S allow-ip-name-lookup), denied by default.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { createSocket, type Socket } from 'node:dgram';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES } from '../wasi/helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
const component = join(root, 'test', 'component', 'fixtures', 'sockets.component.wasm');

/** Runs `kasane run` in a child process (this process keeps serving meanwhile). */
function kasane(args: string[]): Promise<{ stdout: string; stderr: string; status: number | null }> {
  const child = spawn(process.execPath, [bin, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d; });
  child.stderr.on('data', (d: Buffer) => { stderr += d; });
  const timer = setTimeout(() => child.kill(), 60_000);
  return new Promise((r) => child.on('close', (status) => { clearTimeout(timer); r({ stdout, stderr, status }); }));
}

/** An upper-casing TCP echo server and a UDP one answering `echo:` + the datagram, on one port. */
async function servers(): Promise<{ port: number; close: () => void }> {
  const tcp: Server = createServer({ allowHalfOpen: true }, (c) => {
    let b = '';
    c.on('data', (d) => { b += d; });
    c.on('end', () => c.end(b.toUpperCase()));
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const port = (tcp.address() as { port: number }).port;
  const udp: Socket = createSocket('udp4');
  udp.on('message', (m, r) => udp.send(Buffer.from(`echo:${m}`), r.port, r.address));
  await new Promise<void>((r) => udp.bind(port, '127.0.0.1', r));
  return { port, close: () => { tcp.close(); udp.close(); } };
}

for (const engine of ENGINES) {
  test(`sockets component on ${engine}: TCP and UDP exchanges with -S inherit-network, a lookup with allow-ip-name-lookup`, async () => {
    const { port, close } = await servers();
    try {
      const run = (flags: string, ...args: string[]) => kasane(['--engine', engine, '-S', flags, component, ...args]);
      let r = await run('inherit-network', 'tcp', String(port), 'hello over tcp');
      assert.deepEqual([r.stdout, r.stderr, r.status], ['HELLO OVER TCP', '', 0]);
      r = await run('inherit-network', 'udp', String(port), 'hello over udp');
      assert.deepEqual([r.stdout, r.stderr, r.status], ['echo:hello over udp', '', 0]);
      r = await run('inherit-network,allow-ip-name-lookup=y', 'tcp', String(port), 'by name', 'localhost');
      assert.deepEqual([r.stdout, r.status], ['BY NAME', 0]);
      r = await run('inherit-network', 'tcp', String(port), 'x', 'localhost');
      assert.deepEqual([r.stdout, r.status], ['error: resolve permanent-resolver-failure\n', 1]);
      r = await run('inherit-network,allow-ip-name-lookup', 'tcp', String(port), 'x', '10.1.2.300');
      assert.deepEqual([r.stdout, r.status], ['error: resolve invalid-argument\n', 1]);
    } finally { close(); }
  });

  test(`sockets component on ${engine}: a TCP server (bind, listen, accept) that a client here talks to`, async () => {
    // A free port: one the system just gave out.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const child = spawn(process.execPath, [bin, 'run', '--engine', engine, '-S', 'inherit-network', component, 'tcp-server', String(port), 'welcome:'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    const exited = new Promise<number | null>((r) => child.on('close', r));
    await new Promise<void>((r) => child.stdout.on('data', (d: Buffer) => { stdout += d; if (stdout.includes('\n')) r(); }));
    assert.equal(stdout, 'listening\n');
    const reply = await new Promise<string>((resolve, reject) => {
      const c = connect(port, '127.0.0.1', () => c.end('ping pong'));
      let b = '';
      c.on('data', (d) => { b += d; });
      c.on('end', () => resolve(b));
      c.on('error', reject);
    });
    assert.equal(reply, 'welcome:ping pong');
    assert.equal(await exited, 0, stderr);
  });

  test(`sockets component on ${engine}: denied by default, refused connections, -S tcp=n / udp=n`, async () => {
    const { port, close } = await servers();
    // A port nothing listens on: the servers' own port, once closed.
    close();
    const run = (flags: string[], ...args: string[]) => kasane(['--engine', engine, ...flags, component, ...args]);
    let r = await run([], 'tcp', String(port), 'x');
    assert.deepEqual([r.stdout, r.stderr, r.status], ['error: connect access-denied\n', '', 1]);
    r = await run([], 'udp', String(port), 'x');
    assert.deepEqual([r.stdout, r.status], ['error: bind access-denied\n', 1]);
    r = await run(['-S', 'inherit-network'], 'tcp', String(port), 'x');
    assert.deepEqual([r.stdout, r.status], ['error: connect connection-refused\n', 1]);
    r = await run(['-S', 'inherit-network', '-S', 'tcp=n'], 'tcp', String(port), 'x');
    assert.deepEqual([r.stdout, r.status], ['error: socket access-denied\n', 1]);
    r = await run(['-S', 'inherit-network,udp=no'], 'udp', String(port), 'x');
    assert.deepEqual([r.stdout, r.status], ['error: socket access-denied\n', 1]);
    r = await run(['-S', 'tcp=maybe'], 'tcp', String(port), 'x');
    assert.match(r.stderr, /invalid value for -S tcp: 'maybe'/);
    assert.equal(r.status, 1);
  });
}
