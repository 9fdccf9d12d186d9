// WebAssembly.Memory, Table and Global: descriptors, argument validation, buffer identity and
// detaching on grow, table and global semantics and value conversions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebAssembly as W } from '../../src/api/namespace.js';
import { wat2wasm } from '../../src/index.js';

type Fn = (...a: unknown[]) => unknown;
const PAGE = 65536;

function isDetached(b: ArrayBuffer): boolean {
  return (b as { detached?: boolean }).detached === true || b.byteLength === 0;
}

test('Memory descriptor: validation with TypeError and RangeError', () => {
  assert.throws(() => new W.Memory(undefined as never), TypeError);
  assert.throws(() => new W.Memory({} as never), TypeError);
  assert.throws(() => new W.Memory(5 as never), TypeError);
  assert.throws(() => new W.Memory({ initial: -1 }), TypeError);
  assert.throws(() => new W.Memory({ initial: NaN }), TypeError);
  assert.throws(() => new W.Memory({ initial: 2 ** 32 }), TypeError);
  assert.throws(() => new W.Memory({ initial: 65537 }), RangeError);
  assert.throws(() => new W.Memory({ initial: 1, maximum: 65537 }), RangeError);
  assert.throws(() => new W.Memory({ initial: 2, maximum: 1 }), RangeError);
  assert.throws(() => new W.Memory({ initial: 1, shared: true }), TypeError);
  const m = new W.Memory({ initial: 1.9, maximum: 3 });
  assert.equal(m.buffer.byteLength, PAGE);
  assert.equal(Object.prototype.toString.call(m), '[object WebAssembly.Memory]');
  assert.throws(() => (W.Memory as unknown as Fn)({ initial: 1 }), TypeError);
});

test('Memory descriptor members are read in order: initial, maximum, shared', () => {
  const order: string[] = [];
  const d = {
    get initial() { order.push('initial'); return 1; },
    get maximum() { order.push('maximum'); return 2; },
    get shared() { order.push('shared'); return false; },
  };
  new W.Memory(d);
  assert.deepEqual(order, ['initial', 'maximum', 'shared']);
});

test('Memory.buffer identity stays until grow; grow detaches and returns the old size', () => {
  const m = new W.Memory({ initial: 1, maximum: 3 });
  const b1 = m.buffer;
  assert.equal(m.buffer, b1);
  new Uint8Array(b1)[10] = 42;
  assert.equal(m.grow(1), 1);
  assert.ok(isDetached(b1), 'the old buffer is detached');
  const b2 = m.buffer;
  assert.notEqual(b2, b1);
  assert.equal(b2.byteLength, 2 * PAGE);
  assert.equal(new Uint8Array(b2)[10], 42, 'contents are kept');
  assert.equal(m.grow(0), 2);
  assert.ok(isDetached(b2), 'grow(0) replaces the buffer too');
  assert.equal(new Uint8Array(m.buffer)[10], 42);
  assert.throws(() => m.grow(2), RangeError);
  assert.equal(m.buffer.byteLength, 2 * PAGE);
  assert.throws(() => m.grow(-1), TypeError);
  assert.equal(m.grow(1), 2);
  assert.throws(() => m.grow(1), RangeError);
});

test('Memory grown by Wasm: the exported Memory sees a new buffer, the old one detached', () => {
  const i = new W.Instance(new W.Module(wat2wasm(`(module (memory (export "m") 1)
    (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
    (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u)
    (func (export "size") (result i32) memory.size))`)));
  const m = i.exports.m as InstanceType<typeof W.Memory>;
  assert.equal(i.exports.m, m);
  const b1 = m.buffer;
  new Uint8Array(b1)[PAGE - 1] = 7;
  assert.equal((i.exports.grow as Fn)(2), 1);
  assert.ok(isDetached(b1));
  assert.equal(m.buffer.byteLength, 3 * PAGE);
  assert.equal(new Uint8Array(m.buffer)[PAGE - 1], 7);
  new Uint8Array(m.buffer)[2 * PAGE] = 9;
  assert.equal((i.exports.load as Fn)(2 * PAGE), 9);
  assert.equal(m.grow(1), 3);
  assert.equal((i.exports.size as Fn)(), 4);
  new Uint8Array(m.buffer)[3 * PAGE + 1] = 5;
  assert.equal((i.exports.load as Fn)(3 * PAGE + 1), 5, 'Wasm sees the memory grown from JS');
  m.grow(0);
  new Uint8Array(m.buffer)[4] = 11;
  assert.equal((i.exports.load as Fn)(4), 11, 'Wasm sees the buffer replaced by grow(0)');
});

test('an imported Memory is shared with the instance, and the same object comes back as an export', () => {
  const mem = new W.Memory({ initial: 1 });
  const i = new W.Instance(new W.Module(wat2wasm('(module (import "env" "m" (memory 1)) (export "m" (memory 0)) (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store8))')), { env: { m: mem } });
  assert.equal(i.exports.m, mem);
  (i.exports.store as Fn)(3, 99);
  assert.equal(new Uint8Array(mem.buffer)[3], 99);
});

test('Table: descriptor, get/set/grow/length, default values and RangeErrors', () => {
  assert.throws(() => new W.Table({ element: 'i32', initial: 1 } as never), TypeError);
  assert.throws(() => new W.Table({ initial: 1 } as never), TypeError);
  assert.throws(() => new W.Table({ element: 'anyfunc' } as never), TypeError);
  assert.throws(() => new W.Table({ element: 'anyfunc', initial: 2, maximum: 1 }), RangeError);
  assert.throws(() => new W.Table({ element: 'anyfunc', initial: 10_000_001 }), RangeError);
  const t = new W.Table({ element: 'anyfunc', initial: 2, maximum: 4 });
  assert.equal(t.length, 2);
  assert.equal(t.get(0), null);
  assert.throws(() => t.get(2), RangeError);
  assert.throws(() => t.set(2, null), RangeError);
  assert.throws(() => t.get(-1), TypeError);
  assert.throws(() => t.set(0, () => {}), TypeError, 'only exported Wasm functions go into funcref tables');
  const f = new W.Instance(new W.Module(wat2wasm('(module (func (export "f") (result i32) i32.const 5))'))).exports.f as Fn;
  t.set(1, f);
  assert.equal(t.get(1), f);
  t.set(1);
  assert.equal(t.get(1), null);
  assert.equal(t.grow(1, f), 2);
  assert.equal(t.length, 3);
  assert.equal(t.get(2), f);
  assert.throws(() => t.grow(2), RangeError);
  assert.equal(t.length, 3);
  assert.equal(Object.prototype.toString.call(t), '[object WebAssembly.Table]');

  const e = new W.Table({ element: 'externref', initial: 2 });
  assert.equal(e.get(0), undefined, 'externref tables default to undefined');
  const o = {};
  e.set(1, o);
  assert.equal(e.get(1), o);
  e.set(1, null);
  assert.equal(e.get(1), null);
  const e2 = new W.Table({ element: 'externref', initial: 1 }, 'x');
  assert.equal(e2.get(0), 'x');
});

test('Table shared with Wasm: call_indirect sees functions set from JS', () => {
  const t = new W.Table({ element: 'anyfunc', initial: 2 });
  const a = new W.Instance(new W.Module(wat2wasm('(module (func (export "seven") (result i32) i32.const 7))')));
  const b = new W.Instance(new W.Module(wat2wasm(`(module (import "env" "t" (table 2 funcref))
    (type $r (func (result i32)))
    (func (export "call") (param i32) (result i32) local.get 0 call_indirect (type $r)))`)), { env: { t } });
  t.set(1, a.exports.seven);
  assert.equal((b.exports.call as Fn)(1), 7);
  assert.throws(() => (b.exports.call as Fn)(0), W.RuntimeError);
});

test('Global: descriptor, value getter/setter, valueOf, immutability, i64 as BigInt', () => {
  assert.throws(() => new W.Global({} as never), TypeError);
  assert.throws(() => new W.Global({ value: 'x' } as never), TypeError);
  assert.throws(() => new W.Global({ value: 'v128' }), TypeError);
  const g = new W.Global({ value: 'i32' }, 42.9);
  assert.equal(g.value, 42);
  assert.equal(g.valueOf(), 42);
  assert.throws(() => { g.value = 1; }, TypeError);
  const m = new W.Global({ value: 'i32', mutable: true });
  assert.equal(m.value, 0);
  m.value = 2 ** 32 + 1;
  assert.equal(m.value, 1);
  const i64 = new W.Global({ value: 'i64', mutable: true });
  assert.equal(i64.value, 0n);
  i64.value = 2n ** 63n;
  assert.equal(i64.value, -(2n ** 63n));
  assert.throws(() => { i64.value = 1; }, TypeError);
  assert.throws(() => new W.Global({ value: 'i64' }, 1), TypeError);
  assert.equal(new W.Global({ value: 'f32' }, 0.1).value, Math.fround(0.1));
  assert.equal(new W.Global({ value: 'f64' }, 0.1).value, 0.1);
  assert.equal(new W.Global({ value: 'externref' }).value, undefined);
  assert.equal(new W.Global({ value: 'anyfunc' }).value, null);
  assert.throws(() => new W.Global({ value: 'anyfunc' }, () => {}), TypeError);
  assert.equal(Object.prototype.toString.call(g), '[object WebAssembly.Global]');
  const getter = Object.getOwnPropertyDescriptor(W.Global.prototype, 'value')!.get!;
  assert.throws(() => getter.call({}), TypeError);
});

test('Global shared with Wasm, and exported globals keep their identity', () => {
  const g = new W.Global({ value: 'i32', mutable: true }, 1);
  const i = new W.Instance(new W.Module(wat2wasm(`(module (import "env" "g" (global $g (mut i32)))
    (export "g" (global $g))
    (global (export "h") i64 (i64.const 9))
    (global (export "v") v128 (v128.const i32x4 0 0 0 0))
    (func (export "inc") global.get $g i32.const 1 i32.add global.set $g))`)), { env: { g } });
  assert.equal(i.exports.g, g);
  (i.exports.inc as Fn)();
  assert.equal(g.value, 2);
  g.value = 10;
  (i.exports.inc as Fn)();
  assert.equal(g.value, 11);
  const h = i.exports.h as InstanceType<typeof W.Global>;
  assert.equal(h.value, 9n);
  assert.equal(i.exports.h, h);
  assert.throws(() => (i.exports.v as InstanceType<typeof W.Global>).value, TypeError);
});

test('a host function growing the memory (even by 0) while Wasm runs: Wasm keeps working', () => {
  let mem: InstanceType<typeof W.Memory> | undefined;
  let delta = 0;
  const i = new W.Instance(new W.Module(wat2wasm(`(module (import "e" "h" (func $h)) (memory (export "m") 1 4)
    (func (export "f") (result i32) i32.const 0 i32.const 5 i32.store call $h i32.const 0 i32.load))`)), { e: { h: () => { mem!.grow(delta); } } });
  mem = i.exports.m as InstanceType<typeof W.Memory>;
  assert.equal((i.exports.f as Fn)(), 5);
  delta = 1;
  const before = mem.buffer;
  assert.equal((i.exports.f as Fn)(), 5);
  assert.ok(isDetached(before));
  assert.equal(mem.buffer.byteLength, 2 * PAGE);
});
