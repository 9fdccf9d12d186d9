// Flattened dispatch chains (codegen/flatten.ts): br_tables jumping straight to states, the
// entry hoisted ahead of the loop, threaded jumps. Each module runs on Kasane's engine and on the
// host's own WebAssembly (Node's V8), which must agree on every input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/module.js';
import { encodeModule } from '../../src/binary/encode.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { instantiateModule } from '../../src/engine/instantiate.js';
import { FLATTEN_DEPTH } from '../../src/engine/codegen/flatten.js';
import { hostWebAssembly } from '../../src/api/host.js';

const V8 = hostWebAssembly!;

const N = FLATTEN_DEPTH + 6; // blocks b0..b(N-1) inside the region's root

/** acc = acc * 31 + k */
const mark = (k: number): string => `local.get $acc i32.const 31 i32.mul i32.const ${k} i32.add local.set $acc`;

/**
 * f(i): the region's root ($root) sits in an if inside $outer, so $outer encloses the region. A
 * br_table on i starts state 0 (entries: every b<k>, $root, $outer); after the end of b<k> runs
 * mark(k) (for k < N - 3), and:
 * - k = 10 skips to b14 when i is odd (a plain jump);
 * - k = 20 runs a loop holding a br_table that targets the loop and states (not fusable: the
 *   loop does not enclose the region);
 * - k = 30 has a second br_table (not at state 0), to states, $root and $outer;
 * - k = 40 has a legacy try whose body branches to b(N-2) when i = 7 and whose catch_all
 *   branches to $outer: b(N-2)'s code calls $t, which throws when i = 7; a jump from the try
 *   must not run that code inside the try (threading must leave it a jump);
 * - k = 50 stores acc to memory and branches to b(N-3) (a threaded tail with a call after it).
 */
function wat(): string {
  const w: string[] = [];
  w.push('(module (memory 1) (tag $x)');
  w.push('(func $t (param i32) (result i32) (if (i32.eq (local.get 0) (i32.const 7)) (then (throw $x))) (i32.add (local.get 0) (i32.const 3)))');
  w.push('(func (export "f") (param $i i32) (result i32) (local $acc i32) (local $c i32)');
  w.push('block $outer local.get $i i32.const -5 i32.ne if block $root');
  for (let k = N - 1; k >= 0; k--) w.push(`block $b${k}`);
  const entries = Array.from({ length: N }, (_, k) => `$b${k}`);
  w.push(`local.get $i br_table ${entries.join(' ')} $root $outer $b3 $b${N - 1}`);
  for (let k = 0; k < N; k++) {
    w.push(k < N - 3 ? `end ${mark(k)}` : 'end'); // the last states stay short (threadable)
    if (k === 10) w.push('local.get $i i32.const 1 i32.and br_if $b14');
    if (k === 20) {
      w.push('loop $l local.get $c i32.const 1 i32.add local.tee $c', mark(1000));
      w.push('local.get $c i32.const 3 i32.and br_table $l $l $b22 $b25 end');
    }
    if (k === 30) w.push(`local.get $i i32.const 4 i32.shr_u i32.const 7 i32.and br_table $b31 $b33 $b${N - 1} $root $outer $b40`);
    if (k === 40) {
      w.push(`try local.get $i i32.const 7 i32.eq br_if $b${N - 2} local.get $i call $t drop catch_all br $outer end`);
    }
    if (k === 50) w.push(`i32.const 0 local.get $acc i32.store br $b${N - 3}`);
    if (k === N - 2) w.push('local.get $acc local.get $i call $t i32.add local.set $acc');
  }
  w.push(`end ${mark(2000)} end end ${mark(3000)}`);
  w.push('local.get $acc i32.const 0 i32.load i32.add))');
  return w.join('\n');
}

const inputs = [0, 1, 2, 3, 7, 9, 10, 11, 14, 20, 21, 22, 30, 31, 40, 41, 45, 50, 51, N - 3, N - 2, N - 1, N, N + 1, N + 2, N + 3, 100, -1, -5, 16, 33, 48, 64, 80, 96, 112];

function outcome(f: (i: number) => unknown, i: number): string {
  try {
    return `value ${f(i)}`;
  } catch {
    return 'throws';
  }
}

test('flattened chain with fused br_tables, hoisted entry and threaded jumps agrees with V8', () => {
  const m = parseWat(wat());
  validateModule(m);
  const cm = compileModule(m);
  const src = cm.source(1);
  // The entry br_table became the state assignment ahead of the loop: one switch per dispatch.
  assert.match(src, /s(L\d+) = \((\w+) >>> 0\) < \d+ \? \2 \+ \d+ : \d+; \1: for \(;;\) \{ switch \(s\1\) \{/);
  // Only the loop's br_table (its target, the loop, does not enclose the region) stays a switch.
  assert.equal(src.match(/switch \(/g)?.length, 2);
  const mine = instantiateModule(cm, []).exports.get('f');
  assert.ok(mine && mine.kind === 'func');
  const native = new V8.Instance(new V8.Module(encodeModule(m))).exports.f as (i: number) => number;
  for (const i of inputs) {
    // A fresh instance per input: memory starts at zero for both.
    const k = instantiateModule(cm, []).exports.get('f');
    assert.ok(k && k.kind === 'func');
    const v = new V8.Instance(new V8.Module(encodeModule(m))).exports.f as (i: number) => number;
    assert.equal(outcome((x) => k.func.call(x), i), outcome(v, i), `f(${i})`);
  }
  assert.equal(outcome((x) => mine.func.call(x), 7), 'throws');
  assert.equal(outcome(native, 7), 'throws');
});

test('a jump inside a try is not threaded, others are', () => {
  const m = parseWat(wat());
  validateModule(m);
  const src = compileModule(m).source(1);
  // The tail of b(N-2) (call $t, then on to the region's end) is copied to the jump of b50's
  // code but not into the try of b40's code.
  const tail = /\{ [^{}]*F\[0\][^{}]*break L\d+; \}/;
  assert.match(src, tail);
  const tryAt = src.indexOf('try {');
  assert.ok(tryAt > 0);
  const inTry = src.slice(tryAt, src.indexOf('catch', tryAt));
  assert.doesNotMatch(inTry, tail);
  assert.match(inTry, /\{ s(L\d+) = \d+; continue \1; \}/);
});
