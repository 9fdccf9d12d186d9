// Seeded robustness of the WIT and WAVE front ends: mutated WIT either resolves or throws a
// WitError with a position; mutated WAVE either parses or throws a WaveError. Never another
// exception. KASANE_FUZZ_SEED reproduces a run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveWit } from '../../src/wit/resolve.js';
import { WitError } from '../../src/wit/source.js';
import { parseWave, printWave, WaveError } from '../../src/wit/wave.js';
import type { WitType } from '../../src/wit/types.js';
import { BUILTIN, KITCHEN } from './helpers.js';
import { prng } from '../support/prng.js';

const SEED = Number(process.env.KASANE_FUZZ_SEED ?? 0x77697421) >>> 0;

const PIECES = ['{', '}', '(', ')', '<', '>', ';', ':', ',', '.', '@', '/', '%', '_', '->', '"', "'", '\n', ' ', 'use ', 'type ',
  'resource ', 'func', 'u32', 'list<', 'result<_, ', 'borrow<', 'include ', 'with { a as b }', '@since(version = 1.0.0)',
  '@unstable(feature = x)', '///doc\n', '/*', '*/', 'é', '\u0000', '\u202e', '0.2.', 'x', '-', 'A'];

function mutate(text: string, r: () => number): string {
  const n = 1 + Math.floor(r() * 3);
  let s = text;
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const k = r();
    if (k < 0.4) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 8));
    else if (k < 0.8) s = s.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + s.slice(at);
    else { const len = Math.floor(r() * 30); s = s.slice(0, at) + s.slice(at + len, at + 2 * len) + s.slice(at, at + len) + s.slice(at + 2 * len); }
  }
  return s;
}

test('mutated WIT resolves or fails with a WitError naming file:line:column', () => {
  const r = prng(SEED);
  const sources = [
    { name: 'kitchen.wit', text: readFileSync(join(KITCHEN, 'kitchen.wit'), 'utf8') },
    { name: 'io.wit', text: readFileSync(join(BUILTIN, '0.2.12', 'wasi-io', 'package.wit'), 'utf8') },
    { name: 'cli.wit', text: readFileSync(join(BUILTIN, '0.3.0', 'wasi-cli', 'package.wit'), 'utf8') },
  ];
  let failed = 0;
  const cases = 1500;
  for (let i = 0; i < cases; i++) {
    const src = sources[i % sources.length];
    const text = mutate(src.text, r);
    // The 0.3.0 cli package needs its neighbours: give them as dependencies.
    const deps = src.name === 'cli.wit'
      ? ['wasi-clocks', 'wasi-filesystem', 'wasi-sockets', 'wasi-random'].map((d) => [{ name: d, text: readFileSync(join(BUILTIN, '0.3.0', d, 'package.wit'), 'utf8') }])
      : [];
    try {
      resolveWit([[{ name: src.name, text }], ...deps]);
    } catch (e) {
      if (!(e instanceof WitError)) assert.fail(`case ${i} (seed ${SEED}): ${String(e)}\n${text}`);
      if (!/^[a-z.]+:\d+:\d+: /.test(e.message) && !/no `package` declaration|no WIT files/.test(e.message)) {
        assert.fail(`case ${i}: error without a position: ${e.message}`);
      }
      failed++;
    }
  }
  assert.ok(failed > cases / 3, `most mutations are errors (${failed} of ${cases})`);
});

test('mutated WAVE parses or fails with a WaveError; what parses prints and parses back', () => {
  const r = prng(SEED ^ 0x5a5a);
  const text = readFileSync(join(KITCHEN, 'kitchen.wit'), 'utf8');
  const wit = resolveWit([[{ name: 'kitchen.wit', text }]]);
  const type: WitType = { kind: 'named', def: wit.root.interfaces.get('all')!.types.get('everything')! };
  const value = `{b: true, a-s8: -8, a-u8: 8, a-s16: -16, a-u16: 16, a-s32: -32, a-u32: 32, a-s64: -64, a-u64: 64, a-f32: 1.5,
    a-f64: -inf, c: '\\n', s: "x\\u{1F600}", bytes: [0, 255], words: [1], longs: [-1], floats: [0.25], names: ["x", "y"],
    pair: (1, "p"), maybe: 3, maybe-maybe: some(none), res: err("bad"), ok-only: 9, err-only: err(denied), neither: ok,
    p: {x: 1, y: 2}, col: blue-ish, perms: {exec}, sh: labelled(("l", 'z')), i: 1, is: [1, 2]}`;
  parseWave(value, type);
  let parsed = 0;
  for (let i = 0; i < 3000; i++) {
    const t = mutate(value, r);
    let v: unknown;
    try {
      v = parseWave(t, type);
    } catch (e) {
      if (!(e instanceof WaveError)) assert.fail(`case ${i} (seed ${SEED}): ${String(e)}\n${t}`);
      assert.ok(e.line !== undefined && e.column !== undefined, `case ${i}: position in ${e.message}`);
      continue;
    }
    parsed++;
    assert.deepEqual(parseWave(printWave(v, type), type), v, t);
  }
  assert.ok(parsed > 0 && parsed < 3000);
});
