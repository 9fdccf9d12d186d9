// Tail calls: constant JS stack for deep mutual tail recursion (direct, through a table, through
// a reference), NaN bits kept across the trampoline, and handlers gone before the callee runs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebAssembly as W } from '../../src/api/namespace.js';
import { wat2wasm } from '../../src/index.js';
import { parseWat } from '../../src/text/module.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { instantiateModule } from '../../src/engine/instantiate.js';
import { f64Bits, f64FromBits } from '../../src/engine/runtime.js';

function exportsOf(wat: string, imports: object = {}): Record<string, any> {
  return new W.Instance(new W.Module(wat2wasm(wat)), imports).exports as Record<string, any>;
}

const EVEN_ODD = `(module
  (type $p (func (param i64) (result i32)))
  (table funcref (elem $even-i $odd-i))
  (elem declare func $even-r $odd-r)
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
  (func $even-i (export "even-indirect") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call_indirect (type $p) (i64.sub (local.get 0) (i64.const 1)) (i32.const 1)))))
  (func $odd-i (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call_indirect (type $p) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
  (func $even-r (export "even-ref") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call_ref $p (i64.sub (local.get 0) (i64.const 1)) (ref.func $odd-r)))))
  (func $odd-r (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call_ref $p (i64.sub (local.get 0) (i64.const 1)) (ref.func $even-r))))))`;

test('a million mutual tail calls run in constant JS stack (direct, indirect, by reference)', () => {
  const e = exportsOf(EVEN_ODD);
  assert.equal(e.even(1_000_000n), 1);
  assert.equal(e.even(1_000_001n), 0);
  assert.equal(e['even-indirect'](1_000_000n), 1);
  assert.equal(e['even-ref'](1_000_001n), 0);
});

test('arguments keep their NaN bits across a tail call', () => {
  const m = parseWat(`(module
    (func $id (param f64 f64 f64) (result f64) (local.get 1))
    (func (export "f") (param f64 f64 f64) (result f64) (return_call $id (local.get 0) (local.get 1) (local.get 2))))`);
  validateModule(m);
  const inst = instantiateModule(compileModule(m), []);
  const f = inst.exports.get('f');
  assert.ok(f?.kind === 'func');
  const snan = f64FromBits(0x7ff0000000000001n);
  const r = f.func.call(1, snan, 2) as number;
  assert.equal(f64Bits(r), 0x7ff0000000000001n);
});

test('a tail call leaves the try_table around it: the exception of the callee is not caught there', () => {
  const e = exportsOf(`(module
    (tag $t)
    (func $throw (result i32) (throw $t))
    (func $tail (result i32)
      (block $h (try_table (catch $t $h) (return_call $throw))) (i32.const 1))
    (func (export "f") (result i32)
      (block $h (try_table (catch $t $h) (drop (call $tail)) (return (i32.const 0)))) (i32.const 2)))`);
  assert.equal(e.f(), 2);
});

test('multiple results through a tail call, and a tail call of an import', () => {
  const e = exportsOf(`(module
    (import "js" "add" (func $add (param i32 i32) (result i32)))
    (func $pair (param i32) (result i32 i32) (local.get 0) (i32.const 10))
    (func (export "pair") (param i32) (result i32 i32) (return_call $pair (local.get 0)))
    (func (export "add") (param i32) (result i32) (return_call $add (local.get 0) (i32.const 1))))`,
  { js: { add: (a: number, b: number) => a + b } });
  assert.deepEqual(e.pair(4), [4, 10]);
  assert.equal(e.add(41), 42);
});

test('only functions that may chain tail calls get a driver', () => {
  const m = parseWat(`(module
    (tag $t)
    (func $leaf (param i32) (result i32) (local.get 0))
    (func $toLeaf (param i32) (result i32) (return_call $leaf (local.get 0)))
    (func $self (param i32) (result i32)
      (if (result i32) (local.get 0) (then (return_call $self (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 7))))
    (func $inTry (param i32) (result i32)
      (block $h (try_table (catch_all $h) (return_call $leaf (local.get 0)))) (i32.const -1)))`);
  validateModule(m);
  const cm = compileModule(m);
  assert.equal(cm.tailCalls(0), false);
  assert.equal(cm.tailCalls(1), false, 'a tail call of a function without tail calls is a plain call');
  assert.equal(cm.tailCalls(2), true);
  assert.equal(cm.tailCalls(3), true, 'inside a handler the callee must run after the frame is gone');
  const inst = instantiateModule(cm, []);
  const call = (name: number): ((...a: unknown[]) => unknown) => inst.funcs[name].call;
  assert.equal(call(1)(5), 5);
  assert.equal(call(2)(100000), 7);
  assert.equal(call(3)(4), 4);
});

test('return_call_indirect through a table64 (i64 index)', () => {
  const e = exportsOf(`(module
    (type $p (func (param i32) (result i32)))
    (table i64 2 funcref)
    (elem (table 0) (i64.const 0) func $dbl $f)
    (func $dbl (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))
    (func $f (param i32) (result i32) (return_call_indirect (type $p) (local.get 0) (i64.const 0)))
    (func (export "f") (param i32) (result i32) (return_call_indirect (type $p) (local.get 0) (i64.const 1))))`);
  assert.equal(e.f(21), 42);
});

test('return_call_indirect accepts a function whose type is a subtype of the expected one, as call_indirect does', () => {
  const e = exportsOf(`(module
    (type $base (sub (func (result i32))))
    (type $derived (sub $base (func (result i32))))
    (type $other (func (result i32)))
    (table 2 funcref)
    (elem (table 0) (i32.const 0) func $seven $eight)
    (func $seven (type $derived) (i32.const 7))
    (func $eight (type $other) (i32.const 8))
    (func (export "plain") (param i32) (result i32) (call_indirect (type $base) (local.get 0)))
    (func (export "tail") (param i32) (result i32) (return_call_indirect (type $base) (local.get 0))))`);
  assert.equal(e.plain(0), 7);
  assert.equal(e.tail(0), 7);
  assert.throws(() => e.tail(1), /indirect call type mismatch/);
  assert.throws(() => e.plain(1), /indirect call type mismatch/);
});
