// Readiness in WASI 0.2: stdin's pollable is ready only when data (or the end) is there, a
// non-blocking read returns nothing until then, and wasi:io/poll.poll waits on stdin, clocks and
// sockets together in one host wait. The component (stdin/poll.wat) runs under `kasane run` in a
// child process on both engines, and this test writes to its stdin only after its first poll
// (stdin and a 200 ms clock) has answered `clock`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pollable, HostPollable, poll } from '../../src/wasi/preview2/poll.js';
import type { NetHost, PollReady, PollRequest } from '../../src/wasi/sockets.js';
import { clockNs } from '../../src/wasi/preview1.js';
import { CLOCKID } from '../../src/wasi/constants.js';
import { ENGINES } from '../wasi/helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
const component = join(root, 'test', 'component', 'fixtures', 'stdin-poll.component.wasm');

/** Runs the component with a pipe as stdin; `feed` is called with its stdin once `ready: clock` has been printed. */
function runPoller(args: string[], feed: (stdin: NodeJS.WritableStream) => void): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'run', ...args, component], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let fed = false;
  const killer = setTimeout(() => child.kill(), 30_000);
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (!fed && stdout.includes('ready: clock\n')) { fed = true; feed(child.stdin); }
  });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((done) => child.on('close', (status) => { clearTimeout(killer); done({ status, stdout, stderr }); }));
}

for (const engine of ENGINES) {
  test(`stdin readiness of a component under kasane run, a writer after a delay (${engine})`, async () => {
    let fedAt = 0;
    const r = await runPoller(['--engine', engine], (stdin) => {
      fedAt = performance.now();
      // The component is blocked in poll([stdin, 10 s]) by now (or about to be): the data wakes it.
      setTimeout(() => {
        stdin.write('hello\n');
        setTimeout(() => { stdin.write('world\n'); stdin.end(); }, 200);
      }, 300);
    });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    // Nothing to read at first (no data, no end: a pipe still open), then the clock fires before
    // stdin, then stdin (not the 10 s clock) once written, then the data and its end.
    assert.equal(r.stdout, 'read: nothing\nready: clock\nready: stdin\nhello\nworld\neof\n');
    assert.ok(performance.now() - fedAt < 8000, 'woken by the data, not by the 10 s clock');
  });
}

test('stdin from a file or /dev/null is always ready (as on POSIX)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasane-stdin-'));
  try {
    const file = join(dir, 'in.txt');
    writeFileSync(file, 'abc');
    const fd = openSync(file, 'r');
    try {
      const r = spawnSync(process.execPath, [bin, 'run', component], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.stdout, 'read: data\nready: stdin\nready: stdin\neof\n');
    } finally { closeSync(fd); }
    const nul = spawnSync(process.execPath, [bin, 'run', component], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30_000 });
    assert.equal(nul.stdout, 'read: closed\nready: stdin\nready: stdin\neof\n');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

/** A NetHost whose handles become readable at given times; it records every poll request. */
class ScriptedHost implements Partial<NetHost> {
  calls: { handles: number[]; timeoutMs: number | undefined }[] = [];
  constructor(private readonly readyAt: Map<number, number>) {}
  poll(subs: readonly PollRequest[], timeoutMs: number | undefined): PollReady[] {
    this.calls.push({ handles: subs.map((s) => s.handle), timeoutMs });
    const now = performance.now();
    const ready = (t: number): PollReady[] => subs.flatMap((s, index) => ((this.readyAt.get(s.handle) ?? Infinity) <= t ? [{ index, nbytes: 1, hangup: false, error: 0 }] : []));
    if (ready(now).length > 0 || timeoutMs === 0) return ready(now);
    // Block (this is what the network thread does) until a handle is ready or the timeout passes.
    const first = Math.min(...subs.map((s) => this.readyAt.get(s.handle) ?? Infinity));
    const until = Math.min(first, timeoutMs === undefined ? Infinity : now + timeoutMs);
    if (until === Infinity) throw new Error('would block forever');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, until - now));
    return ready(performance.now());
  }
}

const monotonic = (): bigint => clockNs(CLOCKID.MONOTONIC);

test('poll over several host handles and a clock makes one host wait, bounded by the clock', () => {
  const t0 = performance.now();
  const host = new ScriptedHost(new Map([[1, t0 + 150], [2, Infinity], [3, Infinity]]));
  const hp = (h: number): Pollable => new HostPollable(host as unknown as NetHost, h);
  const clock = new Pollable(monotonic() + 2_000_000_000n, monotonic);
  assert.deepEqual([...poll([hp(2), clock, hp(1), hp(3)])], [2]);
  assert.ok(performance.now() - t0 >= 140);
  // One request for all three handles, its timeout the clock's (2 s, in whole milliseconds).
  assert.equal(host.calls.length, 1);
  assert.deepEqual(host.calls[0].handles, [2, 1, 3]);
  assert.ok(host.calls[0].timeoutMs! > 1800 && host.calls[0].timeoutMs! <= 2000, String(host.calls[0].timeoutMs));

  // The clock first: the host's wait ends at its deadline and the clock is reported.
  const idle = new ScriptedHost(new Map());
  const t1 = performance.now();
  const soon = new Pollable(monotonic() + 100_000_000n, monotonic);
  assert.deepEqual([...poll([new HostPollable(idle as unknown as NetHost, 7), soon])], [1]);
  assert.ok(performance.now() - t1 >= 99);
  assert.ok(idle.calls.length <= 2, `host waits: ${idle.calls.length}`);
  assert.equal(idle.calls[0].timeoutMs, 100);

  // Something ready already: the host is only looked at (timeout 0), every ready index reported.
  const busy = new ScriptedHost(new Map([[1, 0]]));
  assert.deepEqual([...poll([new HostPollable(busy as unknown as NetHost, 1), new Pollable()])], [0, 1]);
  assert.deepEqual(busy.calls.map((c) => c.timeoutMs), [0]);
});
