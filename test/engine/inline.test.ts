import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/module.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { instantiateModule } from '../../src/engine/instantiate.js';
import { CALLER_MIN } from '../../src/engine/codegen/inline.js';
import { RuntimeError } from '../../src/errors.js';
import { fn } from './helpers.js';

// A caller big enough to inline its callees (codegen/inline.ts): `nop`s pad its body.
const PAD = ' nop'.repeat(CALLER_MIN);

const WAT = `(module (memory 1)
  (func $add3 (param i32 i32 i32) (result i32) (local i32)
    (local.set 3 (i32.add (local.get 0) (local.get 1)))
    (if (i32.eqz (local.get 2)) (then (return (i32.const -1))))
    (i32.add (local.get 3) (local.get 2)))
  (func $pick (param i32) (result i32 i64)
    (block $b (result i32 i64)
      (block $a (result i32 i64) (i32.const 30) (i64.const 300) (br_table $a $b 2 (local.get 0)))
      (drop) (drop) (return (i32.const 10) (i64.const 100)))
    (drop) (drop) (i32.const 20) (i64.const 200))
  (func $counter (result i32) (local i32)
    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
    (local.get 0))
  (func $load (param i32) (result i32) (i32.load (local.get 0)))
  (func $deep (param i32) (result i32) (if (local.get 0) (then unreachable)) (i32.const 7))
  (func $mid (param i32) (result i32) (call $deep (local.get 0)))
  (func $big (export "big") (param i32 i32) (result i32)
    ${PAD}
    (i32.add
      (i32.add (call $add3 (local.get 0) (local.get 1) (i32.const 3)) (call $add3 (i32.const 1) (i32.const 1) (i32.const 0)))
      (i32.add (call $counter) (call $counter)))
    (call $pick (local.get 1)) (i64.const 1000) (i64.lt_u) (i32.add) (i32.add))
  (func $bigLoad (export "bigLoad") (param i32) (result i32) ${PAD} (call $load (local.get 0)))
  (func $bigTrap (export "bigTrap") (param i32) (result i32) ${PAD} (call $mid (local.get 0))))`;

function compile() {
  const m = parseWat(WAT);
  validateModule(m);
  const cm = compileModule(m);
  return { cm, i: instantiateModule(cm, []) };
}

test('small callees of a big function are inlined (no call left) and compute what calls compute', () => {
  const { cm, i } = compile();
  const big = cm.source(6);
  for (const f of [0, 1, 2]) {
    assert.ok(big.includes(`/*@${f}*/`), `callee ${f} inlined`);
    assert.ok(!big.includes(`F[${f}](`), `no call of ${f}`);
  }
  assert.ok(!cm.source(4).includes('/*@'), 'small callers call');
  // add3(a, b, 3) + add3(1, 1, 0) = (a + b + 3) + -1; counter() is 1 each time (locals start at
  // zero); pick(b) is 10 (b = 0: br_table to $a, then return), 20 (b = 1: to $b) or 30 (to the
  // function's end), its i64 result below 1000 adds 1.
  assert.equal(fn(i, 'big')(5, 0), 5 + 0 + 3 - 1 + 2 + 10 + 1);
  assert.equal(fn(i, 'big')(5, 1), 5 + 1 + 3 - 1 + 2 + 20 + 1);
  assert.equal(fn(i, 'big')(5, 7), 5 + 7 + 3 - 1 + 2 + 30 + 1);
});

test('traps in inlined code, and in calls made from it, keep the inlined function in the backtrace', () => {
  const { i } = compile();
  assert.equal(fn(i, 'bigLoad')(4), 0);
  assert.throws(() => fn(i, 'bigLoad')(65535), (e: unknown) =>
    e instanceof RuntimeError && e.message === 'out of bounds memory access' &&
    /wasm#0: \$load\n\s+wasm#1: \$bigLoad\n/.test(e.stack ?? ''));
  assert.equal(fn(i, 'bigTrap')(0), 7);
  assert.throws(() => fn(i, 'bigTrap')(1), (e: unknown) =>
    e instanceof RuntimeError && e.message === 'unreachable' &&
    /wasm#0: \$deep\n\s+wasm#1: \$mid\n\s+wasm#2: \$bigTrap\n/.test(e.stack ?? ''));
});

test('a big function that is outlined is translated without inlining, and computes the same', async () => {
  const { outlineLimits } = await import('../../src/engine/codegen/outline.js');
  const saved = { ...outlineLimits };
  Object.assign(outlineLimits, { above: 0, piece: 400, min: 1 }); // as test/spec/exec-outlined.ts
  try {
    const { cm, i } = compile();
    const big = cm.source(6);
    assert.ok(!big.includes('/*@'), 'nothing inlined');
    assert.ok(/function o\$\d+\$6\$0\(/.test(big), 'outlined');
    assert.equal(fn(i, 'big')(5, 0), 5 + 0 + 3 - 1 + 2 + 10 + 1);
    assert.equal(fn(i, 'big')(5, 7), 5 + 7 + 3 - 1 + 2 + 30 + 1);
  } finally {
    Object.assign(outlineLimits, saved);
  }
});
