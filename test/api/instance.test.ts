// WebAssembly.Instance: reading the imports (TypeError / LinkError cases), the exports object,
// Exported Functions (name, length, identity, value conversions) and host functions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebAssembly as W } from '../../src/api/namespace.js';
import { wat2wasm } from '../../src/index.js';

const mod = (wat: string) => new W.Module(wat2wasm(wat));
type Fn = (...a: unknown[]) => unknown;

test('import object: TypeError when missing but needed or when a module entry is not an object', () => {
  const m = mod('(module (import "env" "f" (func)))');
  assert.throws(() => new W.Instance(m), TypeError);
  assert.throws(() => new W.Instance(m, {}), TypeError);
  assert.throws(() => new W.Instance(m, { env: 1 } as never), TypeError);
  assert.throws(() => new W.Instance(m, null as never), TypeError);
  assert.throws(() => new W.Instance(mod('(module)'), 5 as never), TypeError);
  assert.ok(new W.Instance(mod('(module)')) instanceof W.Instance);
  assert.throws(() => new W.Instance({} as never, {}), TypeError);
});

test('LinkError for wrong kinds, naming module, field and expected type', () => {
  const f = mod('(module (import "env" "f" (func (param i32) (result i64))))');
  assert.throws(() => new W.Instance(f, { env: {} }), (e: unknown) => {
    assert.ok(e instanceof W.LinkError);
    assert.match((e as Error).message, /"env" "f"/);
    assert.match((e as Error).message, /function|func/);
    return true;
  });
  assert.throws(() => new W.Instance(f, { env: { f: 42 } }), W.LinkError);

  const g = mod('(module (import "env" "g" (global i64)))');
  assert.throws(() => new W.Instance(g, { env: { g: 1 } }), (e: unknown) => e instanceof W.LinkError && /"env" "g"/.test((e as Error).message) && /i64/.test((e as Error).message));
  assert.ok(new W.Instance(g, { env: { g: 1n } }));
  const g32 = mod('(module (import "env" "g" (global i32)))');
  assert.throws(() => new W.Instance(g32, { env: { g: 1n } }), W.LinkError);
  assert.throws(() => new W.Instance(g32, { env: { g: '1' } }), W.LinkError);
  assert.ok(new W.Instance(g32, { env: { g: 1 } }));
  const gm = mod('(module (import "env" "g" (global (mut i32))))');
  assert.throws(() => new W.Instance(gm, { env: { g: 1 } }), W.LinkError);
  assert.ok(new W.Instance(gm, { env: { g: new W.Global({ value: 'i32', mutable: true }, 1) } }));
  assert.throws(() => new W.Instance(gm, { env: { g: new W.Global({ value: 'i32' }, 1) } }), W.LinkError);
  assert.throws(() => new W.Instance(gm, { env: { g: new W.Global({ value: 'i64', mutable: true }, 1n) } }), W.LinkError);

  const mm = mod('(module (import "env" "m" (memory 1)))');
  assert.throws(() => new W.Instance(mm, { env: { m: new ArrayBuffer(65536) } }), (e: unknown) => e instanceof W.LinkError && /"env" "m"/.test((e as Error).message) && /Memory|memory/.test((e as Error).message));
  assert.throws(() => new W.Instance(mm, { env: { m: new W.Memory({ initial: 0 }) } }), W.LinkError);
  assert.ok(new W.Instance(mm, { env: { m: new W.Memory({ initial: 1 }) } }));

  const tt = mod('(module (import "env" "t" (table 2 funcref)))');
  assert.throws(() => new W.Instance(tt, { env: { t: [] } }), (e: unknown) => e instanceof W.LinkError && /"env" "t"/.test((e as Error).message) && /funcref/.test((e as Error).message));
  assert.throws(() => new W.Instance(tt, { env: { t: new W.Table({ element: 'externref', initial: 2 }) } }), W.LinkError);
  assert.ok(new W.Instance(tt, { env: { t: new W.Table({ element: 'anyfunc', initial: 2 }) } }));
});

test('Wasm function imports are type-checked: LinkError on mismatch', () => {
  const a = new W.Instance(mod('(module (func (export "f") (param i32)))'));
  const want = mod('(module (import "env" "f" (func (param i64))))');
  assert.throws(() => new W.Instance(want, { env: { f: a.exports.f } }), (e: unknown) => e instanceof W.LinkError && /"env" "f"/.test((e as Error).message));
  const ok = mod('(module (import "env" "f" (func (param i32))))');
  assert.ok(new W.Instance(ok, { env: { f: a.exports.f } }));
});

test('exports object: frozen, null prototype, in export order, identity of functions', () => {
  const i = new W.Instance(mod(`(module
    (func $a (export "a") (param i32 i64) (result i32) local.get 0)
    (export "a2" (func $a))
    (memory (export "m") 1)
    (func (export "b")))`));
  const e = i.exports;
  assert.equal(Object.getPrototypeOf(e), null);
  assert.ok(Object.isFrozen(e));
  assert.deepEqual(Object.keys(e), ['a', 'a2', 'm', 'b']);
  assert.equal(e.a, e.a2, 'the same function exported twice is the same JS function');
  assert.equal(i.exports, e);
  const fa = e.a as Fn;
  assert.equal(fa.name, '0');
  assert.equal(fa.length, 2);
  assert.equal((e.b as Fn).name, '1');
  assert.equal((e.b as Fn).length, 0);
  assert.throws(() => new (fa as unknown as new () => unknown)(), TypeError, 'exported functions are not constructors');
  assert.equal(Object.prototype.toString.call(i), '[object WebAssembly.Instance]');
  const desc = Object.getOwnPropertyDescriptor(W.Instance.prototype, 'exports');
  assert.ok(desc?.get);
  assert.throws(() => desc.get!.call({}), TypeError);
});

test('exported function identity survives tables and re-exports across instances', () => {
  const a = new W.Instance(mod('(module (func (export "f") (result i32) i32.const 1) (table (export "t") 1 funcref) (elem (i32.const 0) func 0))'));
  const t = a.exports.t as InstanceType<typeof W.Table>;
  assert.equal(t.get(0), a.exports.f);
  const b = new W.Instance(mod('(module (import "a" "f" (func (result i32))) (export "g" (func 0)))'), { a: { f: a.exports.f } });
  assert.equal(b.exports.g, a.exports.f);
});

test('host functions: re-exported JS function is the same function, argument and result conversions', () => {
  const calls: unknown[][] = [];
  const host = (...args: unknown[]) => { calls.push(args); return 41.9; };
  const i = new W.Instance(mod(`(module
    (import "env" "h" (func $h (param i32 i64 f32 f64) (result i32)))
    (export "h" (func $h))
    (func (export "call") (result i32)
      i32.const -1 i64.const -2 f32.const 1.5 f64.const 2.25 call $h))`), { env: { h: host } });
  assert.equal(i.exports.h, host);
  assert.equal((i.exports.call as Fn)(), 41);
  assert.deepEqual(calls, [[-1, -2n, 1.5, 2.25]]);
  assert.equal(calls[0]!.length, 4);
});

test('host function results: ToInt32, ToBigInt64, fround, ToNumber, multi-value from an iterable', () => {
  const run = (type: string, ret: unknown) => {
    const i = new W.Instance(mod(`(module (import "env" "h" (func $h (result ${type}))) (func (export "f") (result ${type}) call $h))`), { env: { h: () => ret } });
    return (i.exports.f as Fn)();
  };
  assert.equal(run('i32', 2 ** 32 + 5), 5);
  assert.equal(run('i32', '7'), 7);
  assert.equal(run('i64', 2n ** 64n + 3n), 3n);
  assert.equal(run('i64', 2n ** 63n), -(2n ** 63n));
  assert.equal(run('i64', true), 1n);
  assert.throws(() => run('i64', 5), TypeError);
  assert.equal(run('f32', 0.1), Math.fround(0.1));
  assert.equal(run('f64', '0.5'), 0.5);
  assert.throws(() => run('i32', 1n), TypeError);

  const multi = (ret: unknown) => {
    const i = new W.Instance(mod('(module (import "env" "h" (func $h (result i32 i64))) (func (export "f") (result i32 i64) call $h))'), { env: { h: () => ret } });
    return (i.exports.f as Fn)();
  };
  assert.deepEqual(multi([1, 2n]), [1, 2n]);
  assert.deepEqual(multi(new Set([3, 4n])), [3, 4n]);
  assert.throws(() => multi(5), TypeError);
  assert.throws(() => multi([1]), TypeError);
  assert.throws(() => multi({}), TypeError);
});

test('exported function arguments and results: conversions, i64 as BigInt, v128 is a TypeError', () => {
  const i = new W.Instance(mod(`(module
    (func (export "i32") (param i32) (result i32) local.get 0)
    (func (export "i64") (param i64) (result i64) local.get 0)
    (func (export "f32") (param f32) (result f32) local.get 0)
    (func (export "f64") (param f64) (result f64) local.get 0)
    (func (export "two") (result i32 f64) i32.const 1 f64.const 2.5)
    (func (export "none"))
    (func (export "v") (param v128))
    (func (export "ext") (param externref) (result externref) local.get 0))`));
  const e = i.exports as Record<string, Fn>;
  assert.equal(e.i32!(2 ** 31), -(2 ** 31));
  assert.equal(e.i32!('12'), 12);
  assert.equal(e.i32!(), 0);
  assert.throws(() => e.i32!(1n), TypeError);
  assert.equal(e.i64!(2n ** 64n - 1n), -1n);
  assert.equal(e.i64!('5'), 5n);
  assert.throws(() => e.i64!(5), TypeError);
  assert.throws(() => e.i64!(), TypeError);
  assert.equal(e.f32!(0.1), Math.fround(0.1));
  assert.equal(e.f64!(0.1), 0.1);
  assert.ok(Number.isNaN(e.f64!(undefined)));
  assert.deepEqual(e.two!(), [1, 2.5]);
  assert.equal(e.none!(), undefined);
  assert.throws(() => e.v!(), TypeError);
  const o = {};
  assert.equal(e.ext!(o), o);
  assert.equal(e.ext!(null), null);
  assert.equal(e.ext!(undefined), undefined);
  assert.equal(e.ext!(5), 5);
});

test('traps propagate as RuntimeError; host exceptions pass through unchanged', () => {
  const i = new W.Instance(mod(`(module
    (import "env" "boom" (func $boom))
    (func (export "trap") unreachable)
    (func (export "div") (param i32) (result i32) i32.const 1 local.get 0 i32.div_s)
    (func (export "boom") call $boom))`), { env: { boom: () => { throw new SyntaxError('from host'); } } });
  assert.throws(() => (i.exports.trap as Fn)(), W.RuntimeError);
  assert.throws(() => (i.exports.div as Fn)(0), W.RuntimeError);
  assert.equal((i.exports.div as Fn)(1), 1);
  assert.throws(() => (i.exports.boom as Fn)(), (e: unknown) => e instanceof SyntaxError && (e as Error).message === 'from host');
});

test('start function runs at instantiation; a trap there is a RuntimeError', () => {
  let called = 0;
  new W.Instance(mod('(module (import "env" "f" (func $f)) (start $f))'), { env: { f: () => { called++; } } });
  assert.equal(called, 1);
  assert.throws(() => new W.Instance(mod('(module (func $s unreachable) (start $s))')), W.RuntimeError);
});

test('a JS number imported as an immutable global', () => {
  const i = new W.Instance(mod('(module (import "env" "g" (global $g f64)) (func (export "get") (result f64) global.get $g))'), { env: { g: 2.5 } });
  assert.equal((i.exports.get as Fn)(), 2.5);
});
