// memory64 and table64: i64 addresses are never wrapped to 32 bits, bounds checks stay exact
// beyond 2^32 and beyond 2^53 (where JS numbers round), and sizes are i64 values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InstanceObject } from '../../src/engine/types.js';
import { inst, fn, traps } from './helpers.js';

const ACCESS = `
  (func (export "load") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load_off") (param i64) (result i32) (i32.load8_u offset=0xffff_ffff_ffff_ffff (local.get 0)))
  (func (export "load_off1") (param i64) (result i32) (i32.load8_u offset=1 (local.get 0)))
  (func (export "load64") (param i64) (result i64) (i64.load (local.get 0)))
  (func (export "store") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))`;

test('memory64: addresses at and beyond 2^32 are not wrapped', () => {
  const i = inst(`(module (memory i64 1 2) ${ACCESS})`);
  fn(i, 'store')(5n, 77);
  assert.equal(fn(i, 'load')(5n), 77);
  // A 32-bit truncation would read address 5 or 0 here.
  traps(() => fn(i, 'load')(0x1_0000_0005n), 'out of bounds memory access');
  traps(() => fn(i, 'load')(0x1_0000_0000n), 'out of bounds memory access');
  traps(() => fn(i, 'store')(0x1_0000_0000n, 1), 'out of bounds memory access');
  traps(() => fn(i, 'fill')(0x1_0000_0000n, 1, 1n), 'out of bounds memory access');
  traps(() => fn(i, 'copy')(0n, 0x1_0000_0000n, 1n), 'out of bounds memory access');
  assert.equal(fn(i, 'load')(5n), 77, 'nothing was written by the trapping accesses');
});

test('memory64: addresses and offsets beyond 2^53 never round into bounds', () => {
  const i = inst(`(module (memory i64 1) ${ACCESS})`);
  const huge = [2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, -1n /* 2^64-1 */, -8n];
  for (const a of huge) {
    traps(() => fn(i, 'load')(a), 'out of bounds memory access');
    traps(() => fn(i, 'load64')(a), 'out of bounds memory access');
    traps(() => fn(i, 'load_off1')(a), 'out of bounds memory access');
    traps(() => fn(i, 'store')(a, 1), 'out of bounds memory access');
    traps(() => fn(i, 'fill')(0n, 1, a), 'out of bounds memory access');
    traps(() => fn(i, 'fill')(a, 1, 1n), 'out of bounds memory access');
    traps(() => fn(i, 'copy')(a, 0n, 1n), 'out of bounds memory access');
  }
  // base + offset = 2^64 exactly (it would wrap to 0 in 64-bit arithmetic) and beyond.
  traps(() => fn(i, 'load_off')(1n), 'out of bounds memory access');
  traps(() => fn(i, 'load_off')(0n), 'out of bounds memory access');
  // Zero-length bulk operations at the end are in bounds, one past it is not.
  fn(i, 'fill')(65536n, 1, 0n);
  traps(() => fn(i, 'fill')(65537n, 1, 0n), 'out of bounds memory access');
});

test('memory64: memory.size and memory.grow are i64; failure is -1', () => {
  const i = inst(`(module (memory i64 1 3) ${ACCESS})`);
  assert.equal(fn(i, 'size')(), 1n);
  assert.equal(fn(i, 'grow')(1n), 1n);
  assert.equal(fn(i, 'size')(), 2n);
  assert.equal(fn(i, 'grow')(2n), -1n);
  assert.equal(fn(i, 'grow')(0x1_0000_0001n), -1n, 'a delta that truncates to 1 must fail');
  assert.equal(fn(i, 'grow')(-1n), -1n);
  assert.equal(fn(i, 'size')(), 2n);
});

test('memory64: a memory larger than 4 GiB is addressed exactly beyond 2^32', () => {
  // 65537 pages: 4 GiB + 64 KiB (zero pages are mapped lazily by the OS, so this costs little).
  let i: InstanceObject;
  try {
    i = inst(`(module (memory i64 65537) ${ACCESS})`);
  } catch (e) {
    if (e instanceof RangeError) return; // the host cannot reserve 4 GiB: nothing to test
    throw e;
  }
  const top = 65537n * 65536n;
  fn(i, 'store')(0x1_0000_0007n, 9);
  assert.equal(fn(i, 'load')(0x1_0000_0007n), 9);
  assert.equal(fn(i, 'load')(7n), 0, 'the low alias of 2^32+7 is untouched');
  fn(i, 'store')(top - 1n, 3);
  assert.equal(fn(i, 'load')(top - 1n), 3);
  traps(() => fn(i, 'load')(top), 'out of bounds memory access');
  traps(() => fn(i, 'load64')(top - 7n), 'out of bounds memory access');
  assert.equal(fn(i, 'size')(), 65537n);
});

test('table64: indices beyond 2^32 trap instead of wrapping, sizes are i64', () => {
  const i = inst(`(module
    (type $t (func (result i32)))
    (table $t64 i64 2 10 funcref)
    (func $one (result i32) (i32.const 1))
    (elem (table $t64) (i64.const 0) func $one)
    (func (export "call") (param i64) (result i32) (call_indirect $t64 (type $t) (local.get 0)))
    (func (export "get_null") (param i64) (result i32) (ref.is_null (table.get $t64 (local.get 0))))
    (func (export "set") (param i64) (table.set $t64 (local.get 0) (ref.null func)))
    (func (export "size") (result i64) (table.size $t64))
    (func (export "grow") (param i64) (result i64) (table.grow $t64 (ref.null func) (local.get 0)))
    (func (export "fill") (param i64 i64) (table.fill $t64 (local.get 0) (ref.null func) (local.get 1))))`);
  assert.equal(fn(i, 'call')(0n), 1);
  traps(() => fn(i, 'call')(0x1_0000_0000n), 'undefined element');
  traps(() => fn(i, 'call')(-1n), 'undefined element');
  assert.equal(fn(i, 'get_null')(1n), 1);
  traps(() => fn(i, 'get_null')(0x1_0000_0001n), 'out of bounds table access');
  traps(() => fn(i, 'set')(0x1_0000_0000n), 'out of bounds table access');
  traps(() => fn(i, 'fill')(0n, 0x1_0000_0000n), 'out of bounds table access');
  traps(() => fn(i, 'fill')(2n ** 63n, 1n), 'out of bounds table access');
  assert.equal(fn(i, 'call')(0n), 1, 'the trapping fills wrote nothing');
  assert.equal(fn(i, 'size')(), 2n);
  assert.equal(fn(i, 'grow')(0x1_0000_0001n), -1n);
  assert.equal(fn(i, 'grow')(3n), 2n);
  assert.equal(fn(i, 'size')(), 5n);
});

test('memory.copy and table.copy between 32-bit and 64-bit memories and tables', () => {
  // Operand types (spec): d of the destination's address type, s of the source's, n of the
  // smaller of the two (i32 when either is 32-bit).
  const i = inst(`(module
    (memory $m32 1) (memory $m64 i64 1)
    (table $t32 2 funcref) (table $t64 i64 2 funcref)
    (func $f)
    (elem (table $t32) (i32.const 1) func $f)
    (func (export "to64") (param i64 i32 i32) (memory.copy $m64 $m32 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "to32") (param i32 i64 i32) (memory.copy $m32 $m64 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "store32") (param i32 i32) (i32.store8 $m32 (local.get 0) (local.get 1)))
    (func (export "load64") (param i64) (result i32) (i32.load8_u $m64 (local.get 0)))
    (func (export "tcopy") (param i64 i32 i32) (table.copy $t64 $t32 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "tnull") (param i64) (result i32) (ref.is_null (table.get $t64 (local.get 0)))))`);
  fn(i, 'store32')(10, 99);
  fn(i, 'to64')(65535n, 10, 1);
  assert.equal(fn(i, 'load64')(65535n), 99);
  traps(() => fn(i, 'to64')(0x1_0000_0000n, 10, 1), 'out of bounds memory access');
  traps(() => fn(i, 'to32')(0, 0x1_0000_0000n, 1), 'out of bounds memory access');
  // n is an i32 here: -1 is 2^32-1 bytes, out of bounds, not "-1".
  traps(() => fn(i, 'to64')(0n, 0, -1), 'out of bounds memory access');
  fn(i, 'tcopy')(0n, 1, 1);
  assert.equal(fn(i, 'tnull')(0n), 0);
  traps(() => fn(i, 'tcopy')(0x1_0000_0000n, 0, 1), 'out of bounds table access');
});
