// Host functions with only number types (src/api/host-call.ts: fixed arity, arguments passed as
// they are): argument values, ToWebAssemblyValue of the result, exceptions, and that functions
// with other types still take the general path.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebAssembly as W } from '../../src/api/namespace.js';
import { wat2wasm } from '../../src/index.js';
import { isNumericHostType } from '../../src/api/host-call.js';

type Fn = (...a: unknown[]) => unknown;

function instance(wat: string, env: Record<string, unknown>): Record<string, Fn> {
  return new W.Instance(new W.Module(wat2wasm(wat)), { env } as never).exports as unknown as Record<string, Fn>;
}

test('numeric host functions: arguments arrive as JS values, in order, with this undefined', () => {
  const seen: unknown[][] = [];
  let self: unknown = 'unset';
  const ex = instance(`(module
    (import "env" "f" (func $f (param i32 i64 f32 f64 i32) (result i32)))
    (func (export "call") (result i32)
      (call $f (i32.const -7) (i64.const -1) (f32.const 1.5) (f64.const nan) (i32.const 0x7fffffff))))`,
  { f: function (this: unknown, ...a: unknown[]) { self = this; seen.push(a); return 3; } });
  assert.equal(ex.call(), 3);
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0].slice(0, 3), [-7, -1n, 1.5]);
  assert.ok(Number.isNaN(seen[0][3]));
  assert.equal(seen[0][4], 0x7fffffff);
  assert.equal(self, undefined);
});

test('numeric host functions: results converted by ToWebAssemblyValue', () => {
  const cases: [unknown, number][] = [[2 ** 32 + 5, 5], [-0, 0], ['12', 12], [undefined, 0], [3.9, 3], [{ valueOf: () => 8 }, 8], [2 ** 31, -(2 ** 31)]];
  for (const [ret, want] of cases) {
    const ex = instance(`(module (import "env" "f" (func $f (result i32))) (func (export "g") (result i32) (call $f)))`, { f: () => ret });
    const got = ex.g();
    assert.ok(Object.is(got, want), `${String(ret)} -> ${String(got)}`);
  }
  const i64 = instance(`(module (import "env" "f" (func $f (result i64))) (func (export "g") (result i64) (call $f)))`, { f: () => 2n ** 64n + 3n });
  assert.equal(i64.g(), 3n);
  const bad = instance(`(module (import "env" "f" (func $f (result i64))) (func (export "g") (result i64) (call $f)))`, { f: () => 1 });
  assert.throws(() => bad.g(), TypeError);
  const f32 = instance(`(module (import "env" "f" (func $f (result f32))) (func (export "g") (result f32) (call $f)))`, { f: () => 0.1 });
  assert.equal(f32.g(), Math.fround(0.1));
  const none = instance(`(module (import "env" "f" (func $f (param i32))) (func (export "g") (call $f (i32.const 1))))`, { f: () => 99 });
  assert.equal(none.g(), undefined);
});

test('numeric host functions: a thrown value passes through the Wasm frames unchanged', () => {
  const err = new Error('from the host');
  const ex = instance(`(module (import "env" "f" (func $f (param i32) (result i32))) (func (export "g") (result i32) (call $f (i32.const 1))))`,
    { f: () => { throw err; } });
  assert.throws(() => ex.g(), (e: unknown) => e === err);
  const sym = Symbol('s');
  const ex2 = instance(`(module (import "env" "f" (func $f)) (func (export "g") (call $f)))`, { f: () => { throw sym; } });
  assert.throws(() => ex2.g(), (e: unknown) => e === sym);
});

test('isNumericHostType: only number parameters and at most one number result', () => {
  assert.ok(isNumericHostType({ params: ['i32', 'i64', 'f32', 'f64'], results: ['i32'] }));
  assert.ok(isNumericHostType({ params: [], results: [] }));
  assert.ok(!isNumericHostType({ params: ['i32'], results: ['i32', 'i32'] }));
  assert.ok(!isNumericHostType({ params: ['v128'], results: [] }));
  assert.ok(!isNumericHostType({ params: [{ nullable: true, heap: 'extern' }], results: [] }));
  assert.ok(!isNumericHostType({ params: [], results: [{ nullable: true, heap: 'func' }] }));
});
