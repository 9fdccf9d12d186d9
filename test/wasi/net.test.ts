// Sockets and blocking readiness through `kasane run`: the C echo server (test/wasi/c/echo.c)
// behind --tcplisten serving loopback clients on both engines, poll_oneoff waiting on stdin with
// a clock timeout, --max-memory and --timeout. Traffic goes to 127.0.0.1 only; every wait is bounded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES, PROGRAMS } from './helpers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const echoWasm = join(repoRoot, 'test', 'wasi', 'fixtures', 'echo.wasm');
const dir = mkdtempSync(join(tmpdir(), 'kasane-net-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Connects, sends the lines one by one (each after its echo), half-closes; resolves to all that came back. */
function client(port: number, lines: string[]): Promise<string> {
  return new Promise((res, rej) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    let i = 0;
    let expected = '';
    const next = (): void => {
      if (i < lines.length) { expected += lines[i]; s.write(lines[i++]); } else s.end();
    };
    s.on('connect', next);
    s.on('data', (d) => { got += d; if (got === expected) next(); });
    s.on('end', () => res(got));
    s.on('error', rej);
    s.setTimeout(10_000, () => { s.destroy(); rej(new Error('client timed out')); });
  });
}

interface Proc { stdout: string; stderr: string; exit: Promise<number | null>; waitFor(text: string): Promise<void> }
function start(args: string[]): Proc {
  const child = spawn(process.execPath, [bin, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const p: Proc = {
    stdout: '', stderr: '',
    exit: new Promise((r) => child.on('close', (code) => { clearTimeout(killer); r(code); })),
    waitFor: (text) => new Promise((res, rej) => {
      const check = (): void => { if (p.stdout.includes(text)) res(); };
      child.stdout.on('data', check);
      child.on('close', () => rej(new Error(`exited before '${text}': ${p.stderr}`)));
      check();
    }),
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => { p.stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { p.stderr += d; });
  return p;
}

for (const engine of ENGINES) {
  test(`run --engine ${engine} --tcplisten: the C echo server serves loopback clients`, { timeout: 30_000 }, async () => {
    const port = await freePort();
    const server = start(['--engine', engine, '--tcplisten', `127.0.0.1:${port}`, echoWasm, '2']);
    await server.waitFor('listening\n');
    const lines = ['hello\n', 'second line\n', 'x'.repeat(100_000) + '\n'];
    assert.equal(await client(port, lines), lines.join(''));
    await server.waitFor('conn 1:');
    assert.equal(await client(port, ['again\n']), 'again\n');
    assert.equal(await server.exit, 0, server.stderr);
    assert.equal(server.stdout, `listening\nconn 1: ${lines.join('').length} bytes\nconn 2: 6 bytes\n`);
    assert.equal(server.stderr, '');
  });
}

test('run -S tcplisten=ADDR:PORT, and a port already in use is a one-line error', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const server = start(['-S', `tcplisten=127.0.0.1:${port}`, echoWasm]);
  await server.waitFor('listening\n');
  const busy = spawnSync(process.execPath, [bin, 'run', '--tcplisten', `127.0.0.1:${port}`, echoWasm], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(busy.status, 1);
  assert.match(busy.stderr, /^kasane: --tcplisten 127\.0\.0\.1:\d+: address in use\n$/);
  assert.equal(await client(port, ['one\n']), 'one\n');
  assert.equal(await server.exit, 0);
  const noSock = spawnSync(process.execPath, [bin, 'run', echoWasm], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(noSock.status, 2);
  assert.match(noSock.stderr, /no listening socket/);
});

// poll_oneoff on stdin (userdata 1) and a 1.5 s relative clock (userdata 2); prints the first
// event's userdata, exits with the number of events.
const pollStdin = file('poll-stdin.wat', `(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\\01\\00\\00\\00\\00\\00\\00\\00\\01")
  (data (i32.const 48) "\\02\\00\\00\\00\\00\\00\\00\\00\\00")
  (func (export "_start")
    (i64.store (i32.const 72) (i64.const 1500000000))
    (if (call $poll (i32.const 0) (i32.const 200) (i32.const 2) (i32.const 196)) (then (call $exit (i32.const 99))))
    (i32.store8 (i32.const 400) (i32.add (i32.const 48) (i32.load8_u (i32.const 200))))
    (i32.store8 (i32.const 401) (i32.const 10))
    (i32.store (i32.const 300) (i32.const 400)) (i32.store (i32.const 304) (i32.const 2))
    (drop (call $write (i32.const 1) (i32.const 300) (i32.const 1) (i32.const 308)))
    (call $exit (i32.load (i32.const 196)))))`);

function runWithStdin(args: string[], feed: (w: NodeJS.WritableStream) => void): Promise<{ code: number | null; stdout: string; ms: number }> {
  return new Promise((res) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, 'run', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => { clearTimeout(killer); child.stdin.destroy(); res({ code, stdout, ms: performance.now() - t0 }); });
    feed(child.stdin);
  });
}

test('run: poll_oneoff on a stdin pipe waits for input, bounded by a clock subscription', { timeout: 30_000 }, async () => {
  // Nothing arrives (the pipe stays open): the clock fires after 1.5 s.
  let held: NodeJS.WritableStream | undefined;
  const idle = await runWithStdin([pollStdin], (w) => { held = w; });
  held?.end();
  assert.equal(idle.stdout, '2\n');
  assert.equal(idle.code, 1);
  assert.ok(idle.ms >= 1400, `waited ${idle.ms} ms`);
  // Input after 200 ms: stdin is reported, before the clock.
  const fed = await runWithStdin([pollStdin], (w) => { setTimeout(() => w.write('hi\n'), 200); });
  assert.equal(fed.stdout, '1\n');
  // A regular file is always ready.
  const r = spawnSync(process.execPath, [bin, 'run', pollStdin], { input: undefined, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  assert.equal(r.stdout, '1\n');
});

const grow = file('grow.wat', `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    ;; exit status: 10 * (first grow result + 1) + (second grow failed ? 1 : 0)
    (call $exit (i32.add
      (i32.mul (i32.const 10) (i32.add (memory.grow (i32.const 1)) (i32.const 1)))
      (i32.eq (memory.grow (i32.const 1)) (i32.const -1))))))`);

for (const engine of ENGINES) {
  test(`run --engine ${engine} --max-memory: memory.grow fails beyond the limit`, () => {
    const run = (...a: string[]): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [bin, 'run', '--engine', engine, ...a, grow], { encoding: 'utf8' });
    assert.equal(run().status, 20);
    assert.equal(run('--max-memory', '131072').status, 21);
    assert.equal(run('-W', 'max-memory-size=131072').status, 21);
    assert.equal(run('--max-memory', '150000').status, 21); // rounded down to 2 pages
    const tooSmall = run('--max-memory', '1000');
    assert.equal(tooSmall.status, 1);
    assert.match(String(tooSmall.stderr), /memory minimum size of 65536 bytes exceeds the limit of 1000 bytes/);
  });

  test(`run --engine ${engine} --timeout: an endless loop is interrupted as a trap; a short run is not`, () => {
    const loop = file(`loop-${engine}.wat`, `(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))`);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, 'run', '--engine', engine, '--timeout', '0.5', loop], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 134);
    assert.match(r.stderr, /wasm trap: interrupt/);
    assert.ok(performance.now() - t0 < 10_000);
    const echo = file(`echo-${engine}.wat`, PROGRAMS.echo);
    const ok = spawnSync(process.execPath, [bin, 'run', '--engine', engine, '-W', 'timeout=10s', '--env', 'A=1', echo, 'x'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(ok.stderr, '');
    assert.equal(ok.status, 0);
    assert.equal(ok.stdout, `${echo}\nx\nA=1\n`);
    const exit42 = file(`exit42-${engine}.wat`, PROGRAMS.exit42);
    assert.equal(spawnSync(process.execPath, [bin, 'run', '--engine', engine, '--timeout', '10', exit42], { encoding: 'utf8' }).status, 42);
  });
}

test('run --fuel N / -W fuel=N: a deterministic budget, trapping as wasmtime when spent', () => {
  // _start: 5 iterations of 12 units, then 3 + 2 (the exit test, the call's arguments and call), all before proc_exit.
  const count = file('count.wat', `(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start") (local i32)
      (local.set 0 (i32.const 5))
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (nop) (nop) (nop) (nop) (nop)
        (br $l)))
      (call $exit (i32.const 7))))`);
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'run', ...args], { encoding: 'utf8' });
  const spin = file('spin.wat', `(module (memory (export "memory") 1) (func (export "_start") (loop (br 0))))`);
  const trapped = run('--fuel', '1000', spin);
  assert.equal(trapped.status, 134);
  assert.match(trapped.stderr, /^kasane: .*spin\.wat: wasm trap: all fuel consumed by WebAssembly\n/);
  // 2 (local.set 0 5) + 5 * 8 + 3 (last exit test) + 2 (const, call) = 47 units.
  assert.equal(run('--fuel', '47', count).status, 7);
  assert.equal(run('-W', 'fuel=47', count).status, 7);
  assert.equal(run('--engine', 'kasane', '--fuel=47', count).status, 7);
  const short = run('--fuel', '46', count);
  assert.equal(short.status, 134);
  assert.match(short.stderr, /wasm trap: all fuel consumed by WebAssembly/);
  const native = run('--engine', 'native', '--fuel', '100', grow);
  assert.equal(native.status, 1);
  assert.match(native.stderr, /^kasane: --fuel needs Kasane's engine/);
  assert.match(run('--fuel', 'lots', grow).stderr, /^kasane: invalid fuel 'lots'/);
});
