// JS API for memory64/table64 (descriptors with address: "i64"): sizes, deltas and indices
// are BigInts in and out (AddressValueToU64 / U64ToAddressValue), and Numbers are refused.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeModule } from '../../src/binary/encode.js';
import { parseWat } from '../../src/text/module.js';
import { WebAssembly as K } from '../../src/api/namespace.js';

test('Memory with address "i64": BigInt sizes in and out', () => {
  const m = new K.Memory({ address: 'i64', initial: 1n, maximum: 3n });
  assert.equal(m.buffer.byteLength, 65536);
  assert.equal(m.grow(1n), 1n);
  assert.equal(m.buffer.byteLength, 2 * 65536);
  assert.throws(() => m.grow(2n), RangeError);
  assert.throws(() => m.grow(1), TypeError, 'a Number is not a BigInt');
  assert.throws(() => m.grow(-1n), TypeError);
  assert.throws(() => m.grow(2n ** 64n), TypeError);
  assert.throws(() => new K.Memory({ address: 'i64', initial: 1 }), TypeError);
  assert.throws(() => new K.Memory({ address: 'i64', initial: 2n, maximum: 1n }), RangeError);
  assert.throws(() => new K.Memory({ address: 'i64', initial: 2n ** 64n }), TypeError);
  // i32 memories keep Numbers.
  const m32 = new K.Memory({ initial: 1 });
  assert.equal(m32.grow(1), 1);
});

test('Table with address "i64": BigInt length, grow, get and set', () => {
  const t = new K.Table({ address: 'i64', element: 'externref', initial: 2n, maximum: 10n }, 'x');
  assert.equal(t.length, 2n);
  assert.equal(t.get(1n), 'x');
  t.set(0n, 'y');
  assert.equal(t.get(0n), 'y');
  assert.equal(t.grow(3n, 'z'), 2n);
  assert.equal(t.length, 5n);
  assert.equal(t.get(4n), 'z');
  assert.throws(() => t.get(5n), RangeError);
  assert.throws(() => t.get(2n ** 63n), RangeError);
  assert.throws(() => t.get(1), TypeError);
  assert.throws(() => t.grow(6n), RangeError);
});

test('i64 memories and tables from JS link to modules that import them', () => {
  const bytes = encodeModule(parseWat(`(module
    (import "e" "m" (memory i64 1))
    (import "e" "t" (table i64 1 externref))
    (func (export "size") (result i64) (memory.size))
    (func (export "tsize") (result i64) (table.size))
    (func (export "store") (param i64 i32) (i32.store (local.get 0) (local.get 1))))`));
  const m = new K.Memory({ address: 'i64', initial: 2n });
  const t = new K.Table({ address: 'i64', element: 'externref', initial: 3n });
  const e = new K.Instance(new K.Module(bytes), { e: { m, t } }).exports as unknown as {
    size(): bigint; tsize(): bigint; store(a: bigint, v: number): void;
  };
  assert.equal(e.size(), 2n);
  assert.equal(e.tsize(), 3n);
  e.store(65540n, 17);
  assert.equal(new DataView(m.buffer).getInt32(65540, true), 17);
  assert.throws(() => e.store(2n ** 32n, 1), K.RuntimeError);
  // An i32 memory does not match an i64 import.
  assert.throws(() => new K.Instance(new K.Module(bytes), { e: { m: new K.Memory({ initial: 2 }), t } }), K.LinkError);
});
