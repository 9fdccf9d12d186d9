// memory.grow from Wasm keeps spare capacity inside the engine, yet JavaScript always sees an
// exact-size buffer, old buffers detached, and host calls see the grown memory.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeModule } from '../../src/binary/encode.js';
import { parseWat } from '../../src/text/module.js';
import { WebAssembly as K, internals } from '../../src/api/namespace.js';

const bytes = encodeModule(parseWat(`(module
  (import "h" "f" (func $f (param i32)))
  (memory (export "mem") 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "growcall") (param i32)
    (drop (memory.grow (local.get 0))) (i32.store (i32.const 70000) (i32.const 7)) (call $f (memory.size))
    (drop (memory.grow (local.get 0))) (i32.store (i32.const 140000) (i32.const 9)) (call $f (memory.size)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))`));

interface Exports {
  mem: { buffer: ArrayBuffer; grow(n: number): number };
  grow(n: number): number;
  growcall(n: number): void;
  load(a: number): number;
}

test('JS sees exact-size buffers, detached on grow, and host calls see the grown memory', () => {
  const seen: number[][] = [];
  let e: Exports | undefined;
  const inst = new K.Instance(new K.Module(bytes), {
    h: { f: (p: number) => { const b = e!.mem.buffer; seen.push([p, b.byteLength, new DataView(b).getInt32(70000, true)]); } },
  });
  e = inst.exports as unknown as Exports;
  const b0 = e.mem.buffer;
  assert.equal(e.grow(1), 1);
  assert.equal(b0.byteLength, 0, 'the old buffer is detached');
  assert.equal(e.mem.buffer.byteLength, 2 * 65536);
  for (let i = 0; i < 5; i++) e.grow(1);
  assert.equal(e.mem.buffer.byteLength, 7 * 65536);
  const b1 = e.mem.buffer;
  new Uint8Array(b1)[100] = 42;
  e.growcall(1);
  assert.deepEqual(seen, [[8, 8 * 65536, 7], [9, 9 * 65536, 7]]);
  assert.equal(b1.byteLength, 0);
  assert.equal(e.load(140000), 9);
  assert.equal(e.load(100), 42);
  e.mem.grow(1);
  assert.equal(e.mem.buffer.byteLength, 10 * 65536);
  assert.equal(e.load(140000), 9);
  assert.throws(() => e!.load(10 * 65536 - 2), K.RuntimeError);
});

test('spare capacity never widens the bounds compiled code checks', () => {
  const x = new K.Instance(new K.Module(bytes), { h: { f() {} } }).exports as unknown as Exports;
  x.grow(1);
  assert.throws(() => x.load(2 * 65536), K.RuntimeError);
  assert.equal(x.load(2 * 65536 - 4), 0);
  assert.equal(x.mem.buffer.byteLength, 2 * 65536);
});

test('memory.grow(0) from Wasm detaches the old buffer, as Memory.prototype.grow(0) does', () => {
  const x = new K.Instance(new K.Module(bytes), { h: { f() {} } }).exports as unknown as Exports;
  const b0 = x.mem.buffer;
  new Uint8Array(b0)[7] = 5;
  assert.equal(x.grow(0), 1);
  assert.equal(b0.byteLength, 0, 'detached by memory.grow 0 from Wasm');
  const b1 = x.mem.buffer;
  assert.notEqual(b1, b0);
  assert.equal(b1.byteLength, 65536);
  assert.equal(new Uint8Array(b1)[7], 5, 'contents kept');
  assert.equal(x.mem.grow(0), 1);
  assert.equal(b1.byteLength, 0, 'detached by Memory.prototype.grow(0)');
  assert.equal(new Uint8Array(x.mem.buffer)[7], 5);
  // A failed grow changes nothing.
  const b2 = x.mem.buffer;
  assert.equal(x.grow(70000), -1);
  assert.equal(x.mem.buffer, b2);
});

test('grows from Wasm that JS does not look at keep the spare capacity: no copy of the memory per grow', () => {
  const x = new K.Instance(new K.Module(bytes), { h: { f() {} } }).exports as unknown as Exports;
  const b0 = x.mem.buffer;
  new Uint8Array(b0)[9] = 3;
  x.grow(1);
  assert.equal(b0.byteLength, 0, 'the old buffer is detached at once');
  const mem = internals.memoryObjectOf(x.mem) as unknown as { view: DataView };
  const store = mem.view.buffer;
  for (let i = 0; i < 3; i++) x.grow(1);
  assert.equal(mem.view.buffer, store, 'grown within the spare capacity');
  const b1 = x.mem.buffer;
  assert.equal(b1.byteLength, 5 * 65536);
  assert.equal(new Uint8Array(b1)[9], 3);
  assert.equal(x.mem.buffer, b1, 'the same buffer object until the next grow');
});
