// The built `kasane` command, run as a child process on temporary files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'kasane-cli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function kasane(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: dir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** A failure: non-zero exit, exactly one line on stderr naming the subject, no stack trace. */
function assertError(r: ReturnType<typeof kasane>, pattern: RegExp): void {
  assert.notEqual(r.status, 0);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line of stderr, got: ${r.stderr}`);
  assert.match(lines[0], /^kasane: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.doesNotMatch(r.stderr, /internal error/);
}

const WAT = `(module
  (memory (export "mem") 1)
  (func $add (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (data (i32.const 0) "hello"))
`;

const WASM = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type () -> ()
  0x03, 0x02, 0x01, 0x00, // func 0: type 0
  0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // body: no locals, end
]);

test('the binary has a shebang', () => {
  assert.ok(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n'));
});

test('--help and --version', () => {
  const h = kasane('--help');
  assert.equal(h.status, 0);
  assert.match(h.stdout, /validate FILE/);
  assert.match(h.stdout, /wat2wasm/);
  assert.match(h.stdout, /wasm2wat/);
  const v = kasane('--version');
  assert.equal(v.status, 0);
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  assert.equal(v.stdout.trim(), `kasane ${pkg.version}`);
});

test('validate accepts a good text and a good binary module', () => {
  const t = kasane('validate', file('good.wat', WAT));
  assert.equal(t.status, 0, t.stderr);
  assert.equal(t.stdout, 'valid\n');
  const b = kasane('validate', file('good.wasm', WASM));
  assert.equal(b.status, 0, b.stderr);
  assert.equal(b.stdout, 'valid\n');
});

test('wat2wasm then wasm2wat round-trips', () => {
  const src = file('rt.wat', WAT);
  const w = kasane('wat2wasm', src);
  assert.equal(w.status, 0, w.stderr);
  const wasm = join(dir, 'rt.wasm');
  assert.ok(existsSync(wasm), 'default output is FILE with .wasm');
  assert.deepEqual(Array.from(readFileSync(wasm).subarray(0, 4)), [0, 0x61, 0x73, 0x6d]);

  const out = kasane('wasm2wat', wasm);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^\(module/);
  assert.match(out.stdout, /i32\.add/);
  assert.match(out.stdout, /\(export "add" \(func 0\)\)/);

  // The printed text assembles to the same binary.
  const again = file('again.wat', out.stdout);
  const w2 = kasane('wat2wasm', again, '-o', 'again.wasm');
  assert.equal(w2.status, 0, w2.stderr);
  assert.deepEqual(readFileSync(join(dir, 'again.wasm')), readFileSync(wasm));

  const o = kasane('wasm2wat', wasm, '-o', 'out.wat');
  assert.equal(o.status, 0);
  assert.equal(o.stdout, '');
  assert.equal(readFileSync(join(dir, 'out.wat'), 'utf8'), out.stdout);
});

test('a missing file is a one-line error', () => {
  for (const cmd of ['validate', 'wat2wasm', 'wasm2wat']) {
    assertError(kasane(cmd, 'nope.wat'), /nope\.wat: no such file/);
  }
});

test('malformed modules are one-line errors', () => {
  assertError(kasane('validate', file('bad.wat', '(module (func (i32.add')), /bad\.wat: /);
  assertError(kasane('validate', file('bad.wasm', WASM.subarray(0, 20))), /bad\.wasm: /);
  assertError(kasane('wasm2wat', file('bad2.wasm', WASM.subarray(0, 20))), /bad2\.wasm: /);
  assertError(kasane('validate', file('latin1.wat', Uint8Array.from([0x28, 0xe9, 0x29]))), /latin1\.wat: /);
});

test('invalid modules are one-line errors, and wat2wasm writes nothing', () => {
  const p = file('invalid.wat', '(module (func (result i32) i64.const 1))');
  assertError(kasane('validate', p), /invalid\.wat: /);
  assertError(kasane('wat2wasm', p), /invalid\.wat: /);
  assert.ok(!existsSync(join(dir, 'invalid.wasm')));
});

test('unknown commands and flags are one-line errors', () => {
  assertError(kasane('frobnicate', 'x.wat'), /unknown command 'frobnicate'/);
  assertError(kasane('validate', '--frob', file('ok.wat', WAT)), /unknown option '--frob'/);
  assertError(kasane('validate'), /usage: kasane validate FILE/);
  assertError(kasane('wat2wasm', file('ok2.wat', WAT), '-o'), /-o needs an argument/);
});

test('no arguments prints the help and fails', () => {
  const r = kasane();
  assert.notEqual(r.status, 0);
  assert.match(r.stdout, /Usage: kasane/);
});
