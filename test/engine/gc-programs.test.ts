// Small WasmGC programs: structs, arrays, packed storage, subtyping and casts, canonical types
// across modules, GC constant expressions, and the spec's traps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/module.js';
import { encodeModule } from '../../src/binary/encode.js';
import { WebAssembly } from '../../src/api/namespace.js';

type Exports = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function instance(wat: string, imports: object = {}): Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(encodeModule(parseWat(wat))), imports).exports as Exports;
}

test('a linked list of structs with i64 and f64 fields', () => {
  const e = instance(`(module
    (type $cell (struct (field $v i64) (field $w f64) (field $next (ref null $cell))))
    (func $build (param $n i32) (result (ref null $cell)) (local $l (ref null $cell))
      (block $done (loop $k
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $l (struct.new $cell (i64.extend_i32_u (local.get $n)) (f64.convert_i32_u (local.get $n)) (local.get $l)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $k)))
      (local.get $l))
    (func (export "sum") (param $n i32) (result i64) (local $l (ref null $cell)) (local $s i64)
      (local.set $l (call $build (local.get $n)))
      (block $done (loop $k
        (br_if $done (ref.is_null (local.get $l)))
        (local.set $s (i64.add (local.get $s) (i64.mul (struct.get $cell $v (local.get $l)) (i64.const 0x100000000))))
        (local.set $l (struct.get $cell $next (local.get $l)))
        (br $k)))
      (local.get $s))
    (func (export "nan") (param i64) (result i64)
      (i64.reinterpret_f64 (array.get $fa (array.new $fa (f64.reinterpret_i64 (local.get 0)) (i32.const 2)) (i32.const 1))))
    (type $fa (array (mut f64))))`);
  assert.equal(e.sum(100), 5050n * 0x100000000n);
  assert.equal(e.nan(0x7ff0000000000001n), 0x7ff0000000000001n, 'a signalling NaN keeps its payload in an f64 array');
});

test('packed fields and elements: wrap on store, sign or zero extend on load', () => {
  const e = instance(`(module
    (type $p (struct (field $b (mut i8)) (field $h (mut i16))))
    (type $bytes (array (mut i8)))
    (type $halves (array i16))
    (data $d "\\01\\80\\ff\\7f")
    (func (export "field") (param i32) (result i32 i32 i32 i32) (local $x (ref $p))
      (local.set $x (struct.new $p (local.get 0) (local.get 0)))
      (struct.get_s $p $b (local.get $x)) (struct.get_u $p $b (local.get $x))
      (struct.get_s $p $h (local.get $x)) (struct.get_u $p $h (local.get $x)))
    (func (export "elem") (param i32) (result i32 i32) (local $a (ref $bytes))
      (local.set $a (array.new_default $bytes (i32.const 1)))
      (array.set $bytes (local.get $a) (i32.const 0) (local.get 0))
      (array.get_s $bytes (local.get $a) (i32.const 0)) (array.get_u $bytes (local.get $a) (i32.const 0)))
    (func (export "data") (result i32 i32) (local $a (ref $halves))
      (local.set $a (array.new_data $halves $d (i32.const 0) (i32.const 2)))
      (array.get_s $halves (local.get $a) (i32.const 0)) (array.get_u $halves (local.get $a) (i32.const 1))))`);
  assert.deepEqual(e.field(0x12345ff), [-1, 255, 0x45ff, 0x45ff]);
  assert.deepEqual(e.field(0x8080), [-128, 128, -32640, 0x8080]);
  assert.deepEqual(e.elem(0x1ff), [-1, 255]);
  assert.deepEqual(e.data(), [-32767, 0x7fff]);
});

const SHAPES = `(module
  (type $shape (sub (struct (field i32))))
  (type $circle (sub final $shape (struct (field i32) (field f64))))
  (type $rect (sub $shape (struct (field i32) (field f64) (field f64))))
  (type $area (sub (func (param (ref $shape)) (result f64))))
  (table $t 2 funcref)
  (elem (table $t) (i32.const 0) func $circleArea $rectArea)
  (func $circleArea (type $area) (local $c (ref $circle))
    (local.set $c (ref.cast (ref $circle) (local.get 0)))
    (f64.mul (f64.const 3) (f64.mul (struct.get $circle 1 (local.get $c)) (struct.get $circle 1 (local.get $c)))))
  (func $rectArea (type $area)
    (block $no (result (ref $shape))
      (br_on_cast_fail $no (ref $shape) (ref $rect) (local.get 0))
      (return (f64.mul (struct.get $rect 1) (struct.get $rect 2 (ref.cast (ref $rect) (local.get 0))))))
    (drop) (f64.const -1))
  (func (export "area") (param $kind i32) (result f64)
    (call_indirect $t (type $area)
      (if (result (ref $shape)) (local.get $kind)
        (then (struct.new $rect (i32.const 1) (f64.const 2) (f64.const 5)))
        (else (struct.new $circle (i32.const 0) (f64.const 2))))
      (local.get $kind)))
  (func (export "wrong") (result f64)
    (call_indirect $t (type $area) (struct.new $circle (i32.const 0) (f64.const 2)) (i32.const 1)))
  (func (export "badCast") (result i32)
    (struct.get $rect 0 (ref.cast (ref $rect) (struct.new $shape (i32.const 0)))))
  (func (export "tests") (result i32 i32 i32 i32)
    (ref.test (ref $shape) (struct.new $rect (i32.const 0) (f64.const 0) (f64.const 0)))
    (ref.test (ref $circle) (struct.new $rect (i32.const 0) (f64.const 0) (f64.const 0)))
    (ref.test (ref $rect) (struct.new $shape (i32.const 0)))
    (ref.test (ref null $rect) (ref.null none))))`;

test('subtyping: casts, br_on_cast_fail and call_indirect through a supertype', () => {
  const e = instance(SHAPES);
  assert.equal(e.area(0), 12);
  assert.equal(e.area(1), 10);
  assert.equal(e.wrong(), -1);
  assert.deepEqual(e.tests(), [1, 0, 0, 1]);
  assert.throws(() => e.badCast(), /cast failure/);
});

test('equal rec groups in two modules are one type; a different group is not', () => {
  const group = `(rec (type $pair (struct (field i32) (field (ref null $pair)))) (type $f (func (result (ref $pair)))))`;
  const a = instance(`(module ${group}
    (func (export "make") (type $f) (struct.new $pair (i32.const 5) (ref.null $pair))))`);
  const b = instance(`(module ${group}
    (type $other (struct (field i32) (field anyref)))
    (import "a" "make" (func $make (type $f)))
    (func (export "same") (result i32) (ref.test (ref $pair) (call $make)))
    (func (export "other") (result i32) (ref.test (ref $other) (call $make)))
    (func (export "first") (param anyref) (result i32) (struct.get $pair 0 (ref.cast (ref $pair) (local.get 0)))))`, { a });
  assert.equal(b.same(), 1);
  assert.equal(b.other(), 0);
  assert.equal(b.first(a.make()), 5);
  assert.throws(() => instance(`(module (type $p (struct (field i64)))
    (import "a" "make" (func (result (ref $p)))))`, { a }), WebAssembly.LinkError);
});

test('GC constant expressions in globals, tables and element segments', () => {
  const e = instance(`(module
    (type $s (struct (field i32) (field i8)))
    (type $a (array i32))
    (global $g (ref $s) (struct.new $s (i32.const 7) (i32.const 0x1ff)))
    (global $h (ref $a) (array.new_fixed $a 3 (i32.const 1) (i32.const 2) (i32.add (i32.const 1) (i32.const 2))))
    (global $i i31ref (ref.i31 (i32.const -1)))
    (table $t 2 (ref null $s) (struct.new_default $s))
    (elem $e (ref $s) (item (struct.new $s (i32.const 9) (i32.const 0))))
    (func (export "read") (result i32 i32 i32 i32 i32 i32)
      (struct.get $s 0 (global.get $g))
      (struct.get_u $s 1 (global.get $g))
      (array.get $a (global.get $h) (i32.const 2))
      (i31.get_u (ref.as_non_null (global.get $i)))
      (struct.get $s 0 (table.get $t (i32.const 1)))
      (struct.get $s 0 (array.get $arr (array.new_elem $arr $e (i32.const 0) (i32.const 1)) (i32.const 0))))
    (type $arr (array (ref $s))))`);
  assert.deepEqual(e.read(), [7, 255, 3, 0x7fffffff, 0, 9]);
});

test('the spec traps: null references, bounds, casts', () => {
  const e = instance(`(module
    (type $s (struct (field (mut i32))))
    (type $a (array (mut i32)))
    (func (export "getNull") (result i32) (struct.get $s 0 (ref.null $s)))
    (func (export "setNull") (struct.set $s 0 (ref.null $s) (i32.const 1)))
    (func (export "lenNull") (result i32) (array.len (ref.null $a)))
    (func (export "oob") (param i32) (result i32) (array.get $a (array.new $a (i32.const 1) (i32.const 4)) (local.get 0)))
    (func (export "copyOob") (array.copy $a $a (array.new_default $a (i32.const 4)) (i32.const 2) (array.new_default $a (i32.const 4)) (i32.const 0) (i32.const 3)))
    (func (export "i31Null") (result i32) (i31.get_s (ref.null i31)))
    (func (export "cast") (param anyref) (result i32) (ref.is_null (ref.cast (ref null $s) (local.get 0)))))`);
  assert.throws(() => e.getNull(), /null structure reference/);
  assert.throws(() => e.setNull(), /null structure reference/);
  assert.throws(() => e.lenNull(), /null array reference/);
  assert.equal(e.oob(3), 1);
  assert.throws(() => e.oob(4), /out of bounds array access/);
  assert.throws(() => e.oob(-1), /out of bounds array access/);
  assert.throws(() => e.copyOob(), /out of bounds array access/);
  assert.throws(() => e.i31Null(), /null i31 reference/);
  assert.equal(e.cast(null), 1);
  assert.throws(() => e.cast(3), /cast failure/);
});
