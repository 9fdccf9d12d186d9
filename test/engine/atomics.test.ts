// Threads: atomic loads, stores and read-modify-writes (zero-extending narrow accesses),
// alignment traps, wait/notify within one agent, and shared memories on SharedArrayBuffers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inst, fn, traps } from './helpers.js';

const OPS = `
  (func (export "store64") (param i32 i64) (i64.atomic.store (local.get 0) (local.get 1)))
  (func (export "load64") (param i32) (result i64) (i64.atomic.load (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.atomic.load8_u (local.get 0)))
  (func (export "load64_32") (param i32) (result i64) (i64.atomic.load32_u (local.get 0)))
  (func (export "add8") (param i32 i32) (result i32) (i32.atomic.rmw8.add_u (local.get 0) (local.get 1)))
  (func (export "add64_8") (param i32 i64) (result i64) (i64.atomic.rmw8.add_u (local.get 0) (local.get 1)))
  (func (export "sub32") (param i32 i32) (result i32) (i32.atomic.rmw.sub (local.get 0) (local.get 1)))
  (func (export "xchg64_32") (param i32 i64) (result i64) (i64.atomic.rmw32.xchg_u (local.get 0) (local.get 1)))
  (func (export "and64") (param i32 i64) (result i64) (i64.atomic.rmw.and (local.get 0) (local.get 1)))
  (func (export "cmpxchg16") (param i32 i32 i32) (result i32) (i32.atomic.rmw16.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))
  (func (export "cmpxchg64") (param i32 i64 i64) (result i64) (i64.atomic.rmw.cmpxchg (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fence") (atomic.fence))
  (func (export "wait32") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "wait64") (param i32 i64 i64) (result i32) (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))`;

for (const shared of [true, false]) {
  test(`atomic read-modify-writes zero-extend and return the old value (${shared ? 'shared' : 'unshared'} memory)`, () => {
    const i = inst(`(module (memory 1 1 ${shared ? 'shared' : ''}) ${OPS})`);
    fn(i, 'store64')(0, -1n);
    assert.equal(fn(i, 'load8')(0), 0xff);
    assert.equal(fn(i, 'load64_32')(0), 0xffffffffn, 'zero-extended, not sign-extended');
    assert.equal(fn(i, 'add8')(0, 0x102), 0xff); // adds 0x02 to the byte: wraps to 0x01
    assert.equal(fn(i, 'load8')(0), 0x01);
    assert.equal(fn(i, 'add64_8')(0, 0x1_0000_0001n), 0x01n);
    assert.equal(fn(i, 'load64')(0), -254n, 'only the low byte changed (0x...ff02)');
    assert.equal(fn(i, 'sub32')(8, 1), 0);
    assert.equal(fn(i, 'load32')(8), -1);
    assert.equal(fn(i, 'xchg64_32')(8, 0x1_2345_6789n), 0xffffffffn);
    assert.equal(fn(i, 'load32')(8), 0x23456789);
    assert.equal(fn(i, 'and64')(8, 0xff00n), 0x23456789n);
    assert.equal(fn(i, 'load64')(8), 0x6700n);
    // Narrow cmpxchg compares with the expected value wrapped to the width.
    assert.equal(fn(i, 'cmpxchg16')(8, 0x1_6700, 0xabcd), 0x6700);
    assert.equal(fn(i, 'load32')(8), 0xabcd);
    assert.equal(fn(i, 'cmpxchg16')(8, 0x1234, 7), 0xabcd, 'no exchange when different');
    assert.equal(fn(i, 'cmpxchg64')(8, 0xabcdn, -5n), 0xabcdn);
    assert.equal(fn(i, 'load64')(8), -5n);
    fn(i, 'fence')();
  });

  test(`atomic accesses trap when unaligned or out of bounds (${shared ? 'shared' : 'unshared'} memory)`, () => {
    const i = inst(`(module (memory 1 1 ${shared ? 'shared' : ''}) ${OPS})`);
    traps(() => fn(i, 'load32')(2), 'unaligned atomic');
    traps(() => fn(i, 'load64')(4), 'unaligned atomic');
    traps(() => fn(i, 'store64')(12, 0n), 'unaligned atomic');
    traps(() => fn(i, 'cmpxchg16')(1, 0, 0), 'unaligned atomic');
    traps(() => fn(i, 'notify')(2, 1), 'unaligned atomic');
    traps(() => fn(i, 'load32')(65536), 'out of bounds memory access');
    traps(() => fn(i, 'load64')(65536 - 4), 'unaligned atomic');
    traps(() => fn(i, 'load64')(65536 - 8 + 8), 'out of bounds memory access');
    assert.equal(fn(i, 'load8')(65535), 0, 'byte accesses are always aligned');
    traps(() => fn(i, 'wait32')(65536, 0, 0n), 'out of bounds memory access');
    assert.equal(fn(i, 'notify')(0, 1), 0, 'no waiters');
  });
}

test('wait: unshared memories trap, shared ones compare and time out', () => {
  const u = inst(`(module (memory 1) ${OPS})`);
  traps(() => fn(u, 'wait32')(0, 0, 0n), 'expected shared memory');
  traps(() => fn(u, 'wait64')(0, 0n, 0n), 'expected shared memory');
  const s = inst(`(module (memory 1 1 shared) ${OPS})`);
  fn(s, 'store64')(0, 5n);
  assert.equal(fn(s, 'wait32')(0, 4, -1n), 1, 'not equal: returns at once even without a timeout');
  assert.equal(fn(s, 'wait64')(0, 4n, -1n), 1);
  const t0 = Date.now();
  assert.equal(fn(s, 'wait32')(0, 5, 20_000_000n), 2, 'timed out after 20 ms');
  assert.ok(Date.now() - t0 >= 15);
  assert.equal(fn(s, 'wait64')(0, 5n, 0n), 2);
});

test('shared memories live on one SharedArrayBuffer that grows in place', () => {
  const i = inst(`(module (memory (export "m") 1 3 shared) ${OPS}
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "size") (result i32) (memory.size)))`);
  const mem = i.memories[0];
  const buf = mem.buffer;
  assert.ok((buf as unknown) instanceof SharedArrayBuffer);
  const before = new Uint8Array(buf);
  fn(i, 'store64')(8, 42n);
  assert.equal(fn(i, 'grow')(1), 1);
  assert.equal(fn(i, 'grow')(0), 2);
  assert.equal(mem.buffer, buf, 'the same buffer object');
  assert.equal(buf.byteLength, 2 * 65536);
  assert.equal(before.length, 2 * 65536, 'views made before the grow see it');
  assert.equal(before[8], 42);
  fn(i, 'store64')(65536 + 8, 7n);
  assert.equal(fn(i, 'load64')(65536 + 8), 7n);
  assert.equal(fn(i, 'grow')(2), -1, 'beyond the maximum');
  assert.equal(fn(i, 'size')(), 2);
});
