// `kasane run`, as a child process: WASI programs from .wat files, --dir sandboxes, --env,
// --invoke, exit statuses (proc_exit, trap, errors), and the C workloads on both engines.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, mkdirSync, symlinkSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES, PROGRAMS } from './helpers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'kasane-run-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function kasane(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'run', ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const echo = file('echo.wat', PROGRAMS.echo);
const exit42 = file('exit42.wat', PROGRAMS.exit42);
const files = file('files.wat', PROGRAMS.files);
const trap = file('trap.wat', PROGRAMS.trap);

for (const engine of ENGINES) {
  test(`run --engine ${engine}: args, --env NAME=VALUE and --env NAME`, () => {
    const r = kasane(['--engine', engine, '--env', 'A=1', '--env', 'INHERITED', '--env', 'UNSET_XYZ', echo, 'x', '--not-an-option'], { INHERITED: 'yes' });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${echo}\nx\n--not-an-option\nA=1\nINHERITED=yes\n`);
  });

  test(`run --engine ${engine}: proc_exit status and stderr`, () => {
    const r = kasane(['--engine', engine, exit42]);
    assert.equal(r.status, 42);
    assert.equal(r.stderr, 'bye\n');
  });

  test(`run --engine ${engine}: --dir HOST::GUEST files and sandbox escapes`, () => {
    const parent = join(dir, `sb-${engine}`);
    const root = join(parent, 'root');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(parent, 'secret.txt'), 'secret');
    symlinkSync(parent, join(root, 'out'));
    let r = kasane(['--engine', engine, '--dir', `${root}::/data`, files, 'new.txt']);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'world');
    assert.equal(readFileSync(join(root, 'new.txt'), 'utf8'), 'hello world');
    const before = readdirSync(parent).sort();
    for (const escape of ['../escape.txt', '/tmp/escape.txt', 'out/escape.txt', 'out/secret.txt']) {
      r = kasane(['--engine', engine, `--dir=${root}::/data`, files, escape]);
      assert.equal(r.status, 76, `${escape}: NOTCAPABLE`);
    }
    assert.deepEqual(readdirSync(parent).sort(), before);
    assert.equal(readFileSync(join(parent, 'secret.txt'), 'utf8'), 'secret');
    assert.ok(!existsSync('/tmp/escape.txt') || readFileSync('/tmp/escape.txt', 'utf8') !== 'hello world');
  });

  test(`run --engine ${engine}: a trap exits 134 with a Wasm backtrace`, () => {
    const r = kasane(['--engine', engine, trap]);
    assert.equal(r.status, 134);
    assert.match(r.stderr, /wasm trap: .*divide by zero/);
    assert.match(r.stderr, /wasm backtrace:\n\s+0: /);
    assert.doesNotMatch(r.stderr, /node:internal|\.js:\d+/);
  });

  test(`run --engine ${engine}: --invoke parses arguments by type and prints results`, () => {
    const r = kasane(['--engine', engine, '--invoke', 'add', trap, '-2', '12345678901234']);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '12345678901232\n');
    const bad = kasane(['--engine', engine, '--invoke', 'add', trap, 'x', '1']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^kasane: invalid i32 argument 'x'\n$/);
  });
}

test('run: one-line errors exit 1 (missing file, invalid module, unknown import, bad option)', () => {
  const cases: [string[], RegExp][] = [
    [['missing.wasm'], /^kasane: missing\.wasm: no such file or directory$/],
    [[file('invalid.wat', '(module (func (result i32)))')], /^kasane: .*invalid\.wat: invalid module: /],
    [[file('garbage.wasm', '\0asm\x01\0\0\0\x99')], /^kasane: .*garbage\.wasm: invalid module: /],
    [[file('imp.wat', '(module (import "env" "f" (func)) (memory (export "memory") 1) (func (export "_start")))')], /unknown import: `env::f`/],
    [['--bogus', echo], /^kasane: unknown option '--bogus'$/],
    [['--dir', join(dir, 'no-such-dir'), echo], /no-such-dir: cannot open directory/],
    [[], /usage: kasane run/],
  ];
  for (const [args, pattern] of cases) {
    const r = kasane(args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], pattern);
  }
});

const fannkuch = join(repoRoot, 'bench', 'workloads', 'wasm', 'fannkuch.wasm');
test('run: the C workload fannkuch gives the same output on both engines', { skip: !existsSync(fannkuch) }, () => {
  const outs = ENGINES.map((engine) => {
    const r = kasane(['--engine', engine, fannkuch, '7']);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  });
  assert.match(outs[0], /Pfannkuchen\(7\) = 16/);
  for (const o of outs) assert.equal(o, outs[0]);
});

test('run: large output through a pipe is complete and in order', () => {
  // Writes 4 MiB to stdout in 64 KiB chunks, then a marker to stderr.
  const prog = file('big.wat', `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 2)
    (func (export "_start") (local $i i32)
      (memory.fill (i32.const 1024) (i32.const 120) (i32.const 65536))
      (i32.store (i32.const 0) (i32.const 1024))
      (i32.store (i32.const 4) (i32.const 65536))
      (loop $l
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 64))))))`);
  const r = kasane([prog]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.length, 64 * 65536);
});

test('run --help', () => {
  const r = kasane(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Usage: kasane run \[OPTIONS\] FILE/);
  assert.match(r.stdout, /--dir HOST\[::GUEST\]/);
});
