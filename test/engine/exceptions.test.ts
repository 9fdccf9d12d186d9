// Exception handling on the engine, through the JS API: what Wasm handlers catch (and what they
// must not: traps, stack exhaustion), how exceptions cross the JS boundary, legacy delegate.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebAssembly as W } from '../../src/api/namespace.js';
import { RuntimeError } from '../../src/errors.js';
import { wat2wasm } from '../../src/index.js';
import { parseWat } from '../../src/text/module.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';

function exportsOf(wat: string, imports: object = {}): Record<string, any> {
  return new W.Instance(new W.Module(wat2wasm(wat)), imports).exports as Record<string, any>;
}

test('try_table: catch by tag with payload, catch_all, and no match', () => {
  const e = exportsOf(`(module
    (tag $a (param i32 f64)) (tag $b)
    (func $throw (param i32)
      (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $a (i32.const 7) (f64.const 2.5))))
      (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $b))))
    (func (export "f") (param i32) (result f64) (local f64)
      (block $h (result i32 f64)
        (try_table (catch $a $h) (call $throw (local.get 0)))
        (return (f64.const -1)))
      (local.set 1)
      (f64.add (f64.convert_i32_s) (local.get 1)))
    (func (export "g") (param i32) (result i32)
      (block $h (try_table (catch_all $h) (call $throw (local.get 0))) (return (i32.const 0)))
      (i32.const 1)))`);
  assert.equal(e.f(0), -1);
  assert.equal(e.f(1), 9.5);
  assert.throws(() => e.f(2), (x: unknown) => x instanceof W.Exception);
  assert.equal(e.g(0), 0);
  assert.equal(e.g(2), 1);
});

test('traps and host stack exhaustion are not caught by catch_all; host JS exceptions are', () => {
  const hostError = new Error('from the host');
  const hostRange = new RangeError('a host RangeError');
  const e = exportsOf(`(module
    (import "js" "fail" (func $fail))
    (import "js" "range" (func $range))
    (memory 1)
    (func $rec (call $rec))
    (func (export "trap") (result i32)
      (block $h (try_table (catch_all $h) (unreachable))) (i32.const 1))
    (func (export "oob") (result i32)
      (block $h (try_table (catch_all $h) (drop (i32.load (i32.const 70000))))) (i32.const 1))
    (func (export "deep") (result i32)
      (block $h (try_table (catch_all $h) (call $rec))) (i32.const 1))
    (func (export "host") (result i32)
      (block $h (try_table (catch_all $h) (call $fail)) (return (i32.const 0))) (i32.const 1))
    (func (export "hostRange") (result i32)
      (block $h (try_table (catch_all $h) (call $range)) (return (i32.const 0))) (i32.const 1))
    (func (export "legacy") (result i32)
      (try (result i32) (do (unreachable)) (catch_all (i32.const 1)))))`,
  { js: { fail: () => { throw hostError; }, range: () => { throw hostRange; } } });
  assert.throws(() => e.trap(), RuntimeError);
  assert.throws(() => e.oob(), RuntimeError);
  assert.throws(() => e.deep(), (x: unknown) => x instanceof RuntimeError || x instanceof RangeError);
  assert.throws(() => e.legacy(), RuntimeError);
  assert.equal(e.host(), 1);
  assert.equal(e.hostRange(), 1);
});

test('a host exception caught by catch_all_ref is rethrown unchanged by throw_ref', () => {
  const thrown = { a: 'host value' };
  const e = exportsOf(`(module
    (import "js" "fail" (func $fail))
    (func (export "f")
      (block $h (result exnref) (try_table (catch_all_ref $h) (call $fail)) (return))
      (throw_ref)))`, { js: { fail: () => { throw thrown; } } });
  assert.throws(() => e.f(), (x: unknown) => x === thrown);
});

test('a thrown null is an exception, not the null exnref', () => {
  const e = exportsOf(`(module
    (import "js" "fail" (func $fail))
    (func (export "f") (result i32)
      (block $h (result exnref) (try_table (catch_all_ref $h) (call $fail)) (return (i32.const -1)))
      (ref.is_null))
    (func (export "g")
      (block $h (result exnref) (try_table (catch_all_ref $h) (call $fail)) (return))
      (throw_ref)))`, { js: { fail: () => { throw null; } } });
  assert.equal(e.f(), 0);
  assert.throws(() => e.g(), (x: unknown) => x === null);
});

test('Wasm exceptions reach JS as WebAssembly.Exception, and JS ones are caught by tag', () => {
  const tag = new W.Tag({ parameters: ['i32', 'i64'] });
  const e = exportsOf(`(module
    (import "js" "tag" (tag $t (param i32 i64)))
    (import "js" "throwIt" (func $throwIt (param i32)))
    (func (export "throw") (param i32) (throw $t (local.get 0) (i64.const -5)))
    (func (export "catch") (param i32) (result i64) (local i64)
      (block $h (result i32 i64)
        (try_table (catch $t $h) (call $throwIt (local.get 0)))
        (return (i64.const 0)))
      (local.set 1)
      (i64.add (i64.extend_i32_s) (local.get 1))))`,
  { js: { tag, throwIt: (x: number) => { throw new W.Exception(tag, [x, 100n]); } } });
  try {
    e.throw(42);
    assert.fail('no exception');
  } catch (x) {
    assert.ok(x instanceof W.Exception);
    assert.equal((x as InstanceType<typeof W.Exception>).is(tag), true);
    assert.equal((x as InstanceType<typeof W.Exception>).getArg(tag, 0), 42);
    assert.equal((x as InstanceType<typeof W.Exception>).getArg(tag, 1), -5n);
  }
  assert.equal(e.catch(3), 103n);
});

test('the JS tag catches JS exceptions as externref, and throwing with it throws the value itself', () => {
  const err = new TypeError('boom');
  const e = exportsOf(`(module
    (import "wasm" "js" (tag $js (param externref)))
    (import "js" "fail" (func $fail))
    (func (export "caught") (result externref)
      (block $h (result externref) (try_table (catch $js $h) (call $fail)) (return (ref.null extern))))
    (func (export "throw") (param externref) (throw $js (local.get 0))))`,
  { wasm: { js: W.JSTag }, js: { fail: () => { throw err; } } });
  assert.equal(e.caught(), err);
  const v = { any: 'value' };
  assert.throws(() => e.throw(v), (x: unknown) => x === v);
});

test('legacy try: catch clauses in order, rethrow, delegate skipping handlers', () => {
  const e = exportsOf(`(module
    (tag $a (param i32)) (tag $b)
    (func (export "clauses") (param i32) (result i32)
      (try (result i32)
        (do (if (local.get 0) (then (throw $a (i32.const 5)))) (throw $b))
        (catch $a (i32.add (i32.const 100)))
        (catch_all (i32.const 2))))
    (func (export "rethrow") (result i32)
      (try (result i32)
        (do (try (do (throw $a (i32.const 1))) (catch $a (drop) (rethrow 0))) (i32.const 0))
        (catch $a)))
    (func (export "delegate") (result i32)
      (try $outer (result i32)
        (do
          (try (result i32)
            (do (try (do (throw $b)) (delegate $outer)) (i32.const 0))
            (catch_all (i32.const 1))))
        (catch $b (i32.const 2))))
    (func (export "delegateOut")
      (try (do (try (do (throw $b)) (delegate 1))) (catch_all))))`);
  assert.equal(e.clauses(1), 105);
  assert.equal(e.clauses(0), 2);
  assert.equal(e.rethrow(), 1);
  assert.equal(e.delegate(), 2);
  assert.throws(() => e.delegateOut(), (x: unknown) => x instanceof W.Exception);
});

test('memory grown inside a try body is seen by its handler', () => {
  const e = exportsOf(`(module
    (tag $t)
    (memory 1)
    (func $grow (drop (memory.grow (i32.const 1))) (i32.store (i32.const 70000) (i32.const 9)) (throw $t))
    (func (export "f") (result i32)
      (drop (i32.load (i32.const 0)))
      (block $h (try_table (catch $t $h) (call $grow)))
      (i32.load (i32.const 70000))))`);
  assert.equal(e.f(), 9);
});

test('handlers branch out of a flattened chain of nested blocks (FLATTEN_DEPTH)', () => {
  // 100 nested blocks; the innermost throws, a try_table's catch and a legacy catch clause
  // branch to blocks 30 and 60 levels out, whose ends add distinct amounts.
  const depth = 100;
  let body = `(try_table (catch_all 30) (call $throw (local.get 0)))
    (try (do (call $throw (i32.sub (local.get 0) (i32.const 1)))) (catch $t (drop) (br 60)))`;
  for (let k = 0; k < depth; k++) {
    // br_if 0 makes every block a branch target, so the chain is flattened.
    body = `(block (br_if 0 (i32.const 0)) ${body} (local.set 1 (i32.add (local.get 1) (i32.const ${k + 1}))))`;
  }
  const wat = `(module
    (tag $t (param i32))
    (func $throw (param i32) (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $t (local.get 0)))))
    (func (export "f") (param i32) (result i32) (local i32)
      (block (result i32) (drop (block (result i32) ${body} (i32.const 0))) (local.get 1))))`;
  const m = parseWat(wat);
  validateModule(m);
  assert.match(compileModule(m).source(1), /switch \(s/, 'the chain is flattened');
  const e = exportsOf(wat);
  const sum = (from: number): number => { let s = 0; for (let k = from; k < depth; k++) s += k + 1; return s; };
  assert.equal(e.f(0), sum(0));
  // The try_table catch leaves the 31 innermost blocks (its label 30 counts from outside it).
  assert.equal(e.f(1), sum(31));
  // The catch clause's label 0 is the try itself: br 60 leaves the 60 innermost blocks.
  assert.equal(e.f(2), sum(60));
});
