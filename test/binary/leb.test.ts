// LEB128 edge cases through Reader and Writer (spec §5.2.2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from '../../src/binary/reader.js';
import { Writer } from '../../src/binary/writer.js';
import { CompileError } from '../../src/errors.js';

const r = (...b: number[]): Reader => new Reader(new Uint8Array(b));

function throwsMsg(f: () => unknown, msg: string): void {
  assert.throws(f, (e: unknown) => e instanceof CompileError && e.message.startsWith(msg));
}

test('u32: minimal, padded, maximal and too large', () => {
  assert.equal(r(0x00).u32(), 0);
  assert.equal(r(0x7f).u32(), 127);
  assert.equal(r(0x80, 0x01).u32(), 128);
  assert.equal(r(0x80, 0x80, 0x80, 0x80, 0x00).u32(), 0); // padded to 5 bytes is allowed
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0x0f).u32(), 0xffffffff);
  throwsMsg(() => r(0xff, 0xff, 0xff, 0xff, 0x1f).u32(), 'integer too large');
  throwsMsg(() => r(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32(), 'integer representation too long');
  throwsMsg(() => r(0x80).u32(), 'unexpected end');
});

test('s32: sign extension and unused bits', () => {
  assert.equal(r(0x7f).s32(), -1);
  assert.equal(r(0x3f).s32(), 63);
  assert.equal(r(0x40).s32(), -64);
  assert.equal(r(0x80, 0x80, 0x80, 0x80, 0x78).s32(), -(2 ** 31));
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0x07).s32(), 2 ** 31 - 1);
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0x7f).s32(), -1);
  throwsMsg(() => r(0xff, 0xff, 0xff, 0xff, 0x0f).s32(), 'integer too large');
  throwsMsg(() => r(0x80, 0x80, 0x80, 0x80, 0x70).s32(), 'integer too large');
});

test('s33 and s64 bounds', () => {
  assert.equal(r(0x40).s33(), -64);
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0x0f).s33(), 2 ** 32 - 1);
  assert.equal(r(0x80, 0x80, 0x80, 0x80, 0x70).s33(), -(2 ** 32));
  assert.equal(r(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f).s64(), -(2n ** 63n));
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00).s64(), 2n ** 63n - 1n);
  throwsMsg(() => r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).s64(), 'integer too large');
  throwsMsg(() => r(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00).s64(), 'integer representation too long');
});

test('u64 as number', () => {
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f).u64(), 2 ** 46 - 1);
  throwsMsg(() => r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02).u64(), 'integer too large');
});

test('Writer round-trips through Reader', () => {
  const u32s = [0, 1, 63, 64, 127, 128, 16383, 16384, 2 ** 31, 2 ** 32 - 1];
  const s32s = [0, 1, -1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31)];
  const s64s = [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 1234567890123n, -64n, 63n];
  const w = new Writer();
  for (const v of u32s) w.u32(v);
  for (const v of s32s) w.s32(v);
  for (const v of s64s) w.s64(v);
  w.s64(2 ** 32 - 1); // s33 block type index
  w.s64(-64);
  w.u64(2 ** 53 - 1);
  w.u64(2n ** 64n - 1n);
  const rd = new Reader(w.finish());
  for (const v of u32s) assert.equal(rd.u32(), v);
  for (const v of s32s) assert.equal(rd.s32(), v);
  for (const v of s64s) assert.equal(rd.s64(), v);
  assert.equal(rd.s33(), 2 ** 32 - 1);
  assert.equal(rd.s33(), -64);
  assert.equal(rd.u64(), 2 ** 53 - 1);
  assert.equal(rd.u64Big(), 2n ** 64n - 1n);
  assert.ok(rd.atEnd());
});
