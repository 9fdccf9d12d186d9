// WasmGC values at the JS boundary (JS API, GC section): exported GC objects are opaque, anyref
// parameters turn numbers in i31 range into i31 and internalize other values, and
// extern.convert_any / any.convert_extern round-trip identity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/module.js';
import { encodeModule } from '../../src/binary/encode.js';
import { WebAssembly } from '../../src/api/namespace.js';

type Exports = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function instance(wat: string, imports: object = {}): Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(encodeModule(parseWat(wat))), imports).exports as Exports;
}

const KINDS = `(module
  (type $s (struct (field i32)))
  (type $a (array i8))
  (global $g (mut anyref) (ref.null any))
  (func (export "kind") (param anyref) (result i32)
    (if (ref.is_null (local.get 0)) (then (return (i32.const 0))))
    (if (ref.test (ref i31) (local.get 0)) (then (return (i32.const 1))))
    (if (ref.test (ref $s) (local.get 0)) (then (return (i32.const 2))))
    (if (ref.test (ref array) (local.get 0)) (then (return (i32.const 3))))
    (if (ref.test (ref eq) (local.get 0)) (then (return (i32.const 4))))
    (i32.const 5))
  (func (export "i31") (param anyref) (result i32) (i31.get_s (ref.cast (ref i31) (local.get 0))))
  (func (export "id") (param anyref) (result anyref) (local.get 0))
  (func (export "newStruct") (param i32) (result anyref) (struct.new $s (local.get 0)))
  (func (export "newArray") (result (ref $a)) (array.new_default $a (i32.const 3)))
  (func (export "field") (param (ref null $s)) (result i32) (struct.get $s 0 (local.get 0)))
  (func (export "keep") (param anyref) (global.set $g (local.get 0)))
  (func (export "kept") (result anyref) (global.get $g))
  (func (export "isKept") (param eqref) (result i32) (ref.eq (local.get 0) (ref.cast eqref (global.get $g))))
  (func (export "internalize") (param externref) (result anyref) (any.convert_extern (local.get 0)))
  (func (export "externalize") (param anyref) (result externref) (extern.convert_any (local.get 0)))
  (func (export "roundTrip") (param externref) (result externref)
    (extern.convert_any (any.convert_extern (local.get 0)))))`;

test('anyref parameters: null, i31-range numbers become i31, other values are host values', () => {
  const e = instance(KINDS);
  assert.equal(e.kind(null), 0);
  assert.equal(e.kind(5), 1);
  assert.equal(e.i31(-(2 ** 30)), -(2 ** 30));
  assert.equal(e.i31(2 ** 30 - 1), 2 ** 30 - 1);
  assert.equal(e.kind(2 ** 30), 5, '2^30 is outside i31 range: a host value');
  assert.equal(e.kind(1.5), 5);
  assert.equal(e.kind({}), 5);
  assert.equal(e.kind('s'), 5);
  assert.equal(e.kind(undefined), 5);
  assert.equal(e.kind(e.newStruct(1)), 2);
  assert.equal(e.kind(e.newArray()), 3);
});

test('host values pass through anyref unchanged, i31 comes back as a number', () => {
  const e = instance(KINDS);
  const o = { x: 1 };
  assert.equal(e.id(o), o);
  assert.equal(e.id('str'), 'str');
  assert.equal(e.id(1.5), 1.5);
  assert.equal(e.id(7), 7);
  assert.ok(Object.is(e.id(-0), 0), '-0 is the i31 0');
  assert.equal(e.id(null), null);
});

test('exported GC objects are opaque and keep their identity', () => {
  const e = instance(KINDS);
  const s = e.newStruct(42);
  assert.equal(typeof s, 'object');
  assert.equal(Object.getPrototypeOf(s), null);
  assert.equal((s as { f0?: unknown }).f0, undefined);
  assert.equal((s as { t?: unknown }).t, undefined);
  assert.deepEqual(Reflect.ownKeys(s), []);
  assert.equal('f0' in s, false);
  assert.throws(() => { 'use strict'; (s as { x?: number }).x = 1; }, TypeError);
  assert.throws(() => Object.defineProperty(s, 'x', { value: 1 }), TypeError);
  assert.throws(() => Object.setPrototypeOf(s, {}), TypeError);
  assert.equal(Object.isExtensible(s), false);
  // The same object each time it leaves Wasm, and the struct itself when it comes back.
  e.keep(s);
  assert.equal(e.kept(), s);
  assert.equal(e.id(s), s);
  assert.equal(e.field(s), 42);
  assert.equal(e.isKept(s), 1);
  assert.equal(e.isKept(e.newStruct(42)), 0);
});

test('typed GC parameters reject values of other types', () => {
  const e = instance(KINDS);
  assert.throws(() => e.field(e.newArray()), TypeError);
  assert.throws(() => e.field(5), TypeError);
  assert.throws(() => e.field({}), TypeError);
  assert.throws(() => e.isKept({}), TypeError, 'a host value is not an eqref');
  assert.throws(() => e.field(null), /null structure reference/);
});

test('extern.convert_any and any.convert_extern round-trip identity', () => {
  const e = instance(KINDS);
  for (const v of [{}, 'text', 1.5, 2 ** 40, 3, () => 1]) assert.equal(e.roundTrip(v), v);
  const s = e.newStruct(1);
  assert.equal(e.externalize(s), s, 'an externalized struct is its exported wrapper');
  assert.equal(e.internalize(s), s);
  assert.equal(e.kind(e.internalize(s)), 2);
  assert.equal(e.externalize(9), 9);
  assert.equal(e.externalize(null), null);
});

test('anyref tables and globals through the JS API', () => {
  const e = instance(`(module
    (type $s (struct))
    (table (export "t") 2 anyref)
    (global (export "g") (mut anyref) (struct.new $s))
    (func (export "isI31") (param i32) (result i32) (ref.test (ref i31) (table.get (local.get 0)))))`);
  const t = e.t as { get(i: number): unknown; set(i: number, v: unknown): void };
  t.set(0, 12);
  t.set(1, { host: true });
  assert.equal(e.isI31(0), 1);
  assert.equal(e.isI31(1), 0);
  assert.equal(t.get(0), 12);
  assert.deepEqual(t.get(1), { host: true });
  const g = e.g as { value: unknown };
  assert.equal(typeof g.value, 'object');
  assert.equal(Object.getPrototypeOf(g.value), null);
  assert.equal(g.value, g.value);
});
