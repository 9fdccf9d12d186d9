// Expression folding in the code generator (codegen/fold.ts): pending expressions must read
// locals, slots and memory as Wasm's order of evaluation has them, and traps must come in
// Wasm's order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/module.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { inst, fn, traps } from './helpers.js';

test('a folded load traps before a later division by zero, a store or a global.set', () => {
  const i = inst(`(module (memory 1) (global $g (export "g") (mut i32) (i32.const 7))
    (func (export "div") (param $a i32) (result i32) (i32.div_s (i32.load (local.get $a)) (i32.const 0)))
    (func (export "store") (param $a i32)
      (i32.load (local.get $a)) (i32.store (i32.const 0) (i32.const 99)) (drop))
    (func (export "gset") (param $a i32)
      (i32.load (local.get $a)) (global.set $g (i32.const 1)) (drop))
    (func (export "dropped") (param $a i32) (drop (i32.load (local.get $a))))
    (func (export "peek") (result i32) (i32.load (i32.const 0))))`);
  traps(() => fn(i, 'div')(65536), 'out of bounds memory access');
  traps(() => fn(i, 'div')(0), 'integer divide by zero');
  traps(() => fn(i, 'store')(65533), 'out of bounds memory access');
  assert.equal(fn(i, 'peek')(), 0, 'the store after the trapping load did not happen');
  traps(() => fn(i, 'gset')(-1), 'out of bounds memory access');
  const g = i.exports.get('g');
  assert.ok(g && g.kind === 'global');
  assert.equal(g.global.value, 7, 'the global.set after the trapping load did not happen');
  traps(() => fn(i, 'dropped')(65536), 'out of bounds memory access');
});

test('a folded load reads memory before a later store or call changes it', () => {
  const i = inst(`(module (memory 1)
    (func $bump (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 100))))
    (func (export "store") (result i32)
      (i32.store (i32.const 0) (i32.const 5))
      (i32.load (i32.const 0))
      (i32.store (i32.const 0) (i32.const 6))
      (i32.load (i32.const 0))
      (i32.sub))
    (func (export "call") (result i32)
      (i32.store (i32.const 0) (i32.const 5))
      (i32.load (i32.const 0))
      (call $bump)
      (i32.load (i32.const 0))
      (i32.sub)))`);
  assert.equal(fn(i, 'store')(), -1);
  assert.equal(fn(i, 'call')(), -100);
});

test('pending expressions see locals and slots as they were when pushed', () => {
  const i = inst(`(module
    (func $seven (result i32) (i32.const 7))
    (func (export "set") (param $x i32) (result i32)
      (local.get $x)
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (local.get $x)
      (i32.sub))
    (func (export "tee") (param $x i32) (result i32)
      (i32.mul (local.get $x) (i32.const 10))
      (local.tee $x (i32.const 3))
      (i32.add))
    (func (export "slots") (param $x i32) (result i32)
      ;; a pending sum reads a call's result slot; the next call reuses that slot
      (local.get $x) (call $seven) (i32.add)
      (call $seven) (i32.const 100) (i32.mul)
      (i32.add))
    (func (export "f64") (param $x f64) (result f64)
      (f64.mul (local.get $x) (f64.const -2))
      (local.set $x (f64.const 0.5))
      (local.get $x)
      (f64.add)))`);
  assert.equal(fn(i, 'set')(41), -1);
  assert.equal(fn(i, 'tee')(4), 43);
  assert.equal(fn(i, 'slots')(1), 708);
  assert.equal(fn(i, 'f64')(1.5), -2.5);
});

test('conditions test folded comparisons directly, negated by eqz', () => {
  const src = `(module
    (func (export "f") (param $a i32) (param $b i32) (result i32)
      (block $out
        (br_if $out (i32.eqz (i32.lt_s (local.get $a) (local.get $b))))
        (return (i32.const 1)))
      (if (result i32) (i32.eqz (i32.eqz (i32.ge_u (local.get $a) (local.get $b))))
        (then (i32.const 2)) (else (i32.const 3)))))`;
  const m = parseWat(src);
  validateModule(m);
  const js = compileModule(m).source(0);
  assert.ok(js.includes('if (!(l0 < l1))'), js);
  assert.ok(js.includes('if (((l0 >>> 0) >= (l1 >>> 0)))'), js);
  const i = inst(src);
  const f = fn(i, 'f');
  assert.equal(f(1, 2), 1);
  assert.equal(f(2, 1), 2);
  assert.equal(f(-1, 1), 1);
  assert.equal(f(2, 2), 2);
});

test('a long chain of folded operations compiles (expressions are bounded) and computes', () => {
  const n = 20_000;
  const body = '(local.get 0)' + '(i32.const 3) (i32.add) (local.get 0) (i32.xor)'.repeat(n);
  const i = inst(`(module (func (export "f") (param i32) (result i32) ${body}))`);
  let x = 0;
  const p = 12345;
  x = p;
  for (let k = 0; k < n; k++) x = ((x + 3) | 0) ^ p;
  assert.equal(fn(i, 'f')(p), x);
});
