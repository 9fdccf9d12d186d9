// The WASI 0.2 host's functions called directly (jco's host conventions): streams and their
// `closed` error, pollables and poll over clocks, the environment and exit, and filesystem
// descriptors on the in-memory filesystem with the sandbox and error codes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Preview2, MemoryFileSystem, CollectedOutput, ExitStatus } from '../../src/index.js';
import { BufferedInput } from '../../src/wasi/stdio.js';
import type { Descriptor } from '../../src/wasi/preview2/filesystem.js';
import type { InputStream, OutputStream, Pollable } from '../../src/wasi/preview2/io.js';

type Api = Record<string, Record<string, (...a: never[]) => unknown>>;

function host(fs = new MemoryFileSystem({ 'a.txt': 'alpha', 'd/': null })) {
  const stdout = new CollectedOutput();
  const p2 = new Preview2({ args: ['prog', 'x'], env: ['A=1', 'B=two=2'], stdin: new BufferedInput('in'), stdout, stderr: new CollectedOutput(), preopens: { '/w': fs } });
  return { api: p2.imports as unknown as Api, stdout, fs };
}

test('environment, arguments and exit', () => {
  const { api } = host();
  assert.deepEqual(api['wasi:cli/environment'].getArguments(), ['prog', 'x']);
  assert.deepEqual(api['wasi:cli/environment'].getEnvironment(), [['A', '1'], ['B', 'two=2']]);
  assert.throws(() => api['wasi:cli/exit'].exit({ tag: 'err' } as never), (e: unknown) => e instanceof ExitStatus && e.code === 1);
  assert.throws(() => api['wasi:cli/exit'].exit({ tag: 'ok' } as never), (e: unknown) => e instanceof ExitStatus && e.code === 0);
});

test('stdio streams: writes reach the sink; reading past the end throws closed', () => {
  const { api, stdout } = host();
  const out = api['wasi:cli/stdout'].getStdout() as OutputStream;
  assert.ok(out.checkWrite() > 0n);
  out.blockingWriteAndFlush(new TextEncoder().encode('hi '));
  out.write(new TextEncoder().encode('there'));
  assert.equal(stdout.text(), 'hi there');
  const input = api['wasi:cli/stdin'].getStdin() as InputStream;
  assert.deepEqual([...input.blockingRead(10n)], [...new TextEncoder().encode('in')]);
  assert.throws(() => input.read(10n), (e: unknown) => (e as { tag?: string }).tag === 'closed');
  assert.equal(api['wasi:cli/terminal-stdout'].getTerminalStdout(), undefined);
});

test('clocks and poll: a duration pollable becomes ready; poll returns the ready indices', () => {
  const { api } = host();
  const clock = api['wasi:clocks/monotonic-clock'];
  const t0 = clock.now() as bigint;
  const soon = clock.subscribeDuration(15_000_000n as never) as Pollable;
  const later = clock.subscribeDuration(10_000_000_000n as never) as Pollable;
  assert.equal(soon.ready(), false);
  const ready = api['wasi:io/poll'].poll([later, soon] as never) as Uint32Array;
  assert.deepEqual([...ready], [1]);
  assert.ok((clock.now() as bigint) - t0 >= 15_000_000n, 'poll blocked until the deadline');
  assert.equal(later.ready(), false);
  const wall = api['wasi:clocks/wall-clock'].now() as { seconds: bigint; nanoseconds: number };
  assert.ok(wall.seconds > 1_600_000_000n && wall.nanoseconds < 1e9);
  const bytes = api['wasi:random/random'].getRandomBytes(32n as never) as Uint8Array;
  assert.equal(bytes.length, 32);
});

test('filesystem: preopens, open-at, read and write, directory entries, stat', () => {
  const { api, fs } = host();
  const [[root, name]] = api['wasi:filesystem/preopens'].getDirectories() as [Descriptor, string][];
  assert.equal(name, '/w');
  assert.equal(root.getType(), 'directory');
  const f = root.openAt({}, 'a.txt', {}, { read: true });
  assert.deepEqual(f.read(100n, 0n), [new TextEncoder().encode('alpha'), true]);
  const g = root.openAt({}, 'd/new.txt', { create: true }, { read: true, write: true });
  assert.equal(g.write(new TextEncoder().encode('data'), 0n), 4n);
  const s = g.writeViaStream(4n);
  s.blockingWriteAndFlush(new TextEncoder().encode('!'));
  assert.equal(new TextDecoder().decode(fs.readFile('d/new.txt')), 'data!');
  assert.equal(g.stat().size, 5n);
  assert.equal(root.statAt({}, 'd').type, 'directory');
  const entries = root.readDirectory();
  const names: string[] = [];
  for (let e = entries.readDirectoryEntry(); e !== undefined; e = entries.readDirectoryEntry()) names.push(`${e.type} ${e.name}`);
  assert.deepEqual(names.sort(), ['directory d', 'regular-file a.txt']);
});

test('filesystem errors are error-code strings; the sandbox refuses escapes', () => {
  const { api } = host();
  const [[root]] = api['wasi:filesystem/preopens'].getDirectories() as [Descriptor, string][];
  const code = (f: () => unknown): unknown => { try { f(); } catch (e) { return e; } return 'no error'; };
  assert.equal(code(() => root.openAt({}, 'missing.txt', {}, { read: true })), 'no-entry');
  assert.equal(code(() => root.openAt({}, '../etc/passwd', {}, { read: true })), 'not-permitted');
  assert.equal(code(() => root.openAt({}, '/etc/passwd', {}, { read: true })), 'not-permitted');
  assert.equal(code(() => root.openAt({}, 'a.txt', { create: true, exclusive: true }, { write: true })), 'exist');
  assert.equal(code(() => root.openAt({}, 'a.txt', { directory: true }, { read: true })), 'not-directory');
  assert.equal(code(() => root.createDirectoryAt('d')), 'exist');
  assert.equal(code(() => root.symlinkAt('../../x', 'link')), 'not-permitted');
  const f = root.openAt({}, 'a.txt', {}, { read: true });
  assert.equal(code(() => f.write(new Uint8Array(1), 0n)), 'bad-descriptor', 'not opened for writing');
});
