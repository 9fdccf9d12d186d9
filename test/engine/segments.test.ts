// Data segments of decoded binaries at instantiation: the usual `i32.const n` segments are
// decoded flat (ast/data-segment.ts) and copied by engine/segments.ts without their mode.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wat2wasm } from '../../src/index.js';
import { decodeModule } from '../../src/binary/decode.js';
import { ConstOffsetData } from '../../src/ast/data-segment.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { instantiateModule } from '../../src/engine/instantiate.js';
import { createMemory, type EngineMemory } from '../../src/engine/objects.js';
import { RuntimeError } from '../../src/errors.js';
import { fn } from './helpers.js';

function fromBinary(wat: string, imports: Parameters<typeof instantiateModule>[1] = []) {
  const m = decodeModule(wat2wasm(wat));
  validateModule(m);
  return { m, inst: () => instantiateModule(compileModule(m), imports) };
}

const long = 'x'.repeat(100); // copied with set(), not byte by byte

test('decoded i32.const data segments land at their offsets', () => {
  const { m, inst } = fromBinary(`(module (memory (export "mem") 2)
    (data (i32.const 0) "ab")
    (data (i32.const 127) "c")
    (data (i32.const 65535) "de")
    (data (i32.const 70000) "${long}")
    (data (i32.const 1) "Z")
    (data "passive!")
    (func (export "init") (memory.init 5 (i32.const 200) (i32.const 0) (i32.const 8))))`);
  assert.equal(m.datas.filter((d) => d instanceof ConstOffsetData).length, 5);
  const mode = m.datas[2].mode;
  assert.ok(mode.kind === 'active' && mode.memory === 0);
  assert.equal((m.datas[2] as ConstOffsetData).offsetValue(), 65535);
  const i = inst();
  const mem = i.memories[0] as EngineMemory;
  const at = (off: number, n: number): string => String.fromCharCode(...new Uint8Array(mem.view.buffer, off, n));
  assert.equal(at(0, 2), 'aZ'); // later segments overwrite earlier ones
  assert.equal(at(127, 1), 'c');
  assert.equal(at(65535, 2), 'de');
  assert.equal(at(70000, 100), long);
  fn(i, 'init')();
  assert.equal(at(200, 8), 'passive!');
});

test('a negative i32.const offset is a large unsigned one: out of bounds, earlier segments stay', () => {
  const memory = createMemory({ limits: { min: 1 }, shared: false, addr: 'i32' });
  const { m, inst } = fromBinary(`(module (import "m" "memory" (memory 1))
    (data (i32.const 10) "ok")
    (data (i32.const -1) "x")
    (data (i32.const 20) "never"))`, [{ kind: 'memory', memory }]);
  assert.equal((m.datas[1] as ConstOffsetData).offsetValue(), -1);
  assert.throws(() => inst(), (e: unknown) => e instanceof RuntimeError && e.message === 'out of bounds memory access');
  const bytes = new Uint8Array(memory.view.buffer);
  assert.equal(String.fromCharCode(bytes[10], bytes[11]), 'ok');
  assert.equal(bytes[20], 0);
});

test('a data section of i32.const segments only stays bytes until m.datas is read', () => {
  const { m, inst } = fromBinary(`(module (memory (export "mem") 2)
    (data (i32.const 0) "ab")
    (data (i32.const 127) "c")
    (data (i32.const 70000) "${long}")
    (data (i32.const 1) "Z"))`);
  assert.equal(m.dataSection?.count, 4);
  const mem = inst().memories[0] as EngineMemory;
  assert.notEqual(m.dataSection, undefined, 'validation and instantiation did not make the segments');
  const at = (off: number, n: number): string => String.fromCharCode(...new Uint8Array(mem.view.buffer, off, n));
  assert.equal(at(0, 2), 'aZ');
  assert.equal(at(127, 1), 'c');
  assert.equal(at(70000, 100), long);
  // Reading m.datas makes the objects, once, and drops the section.
  const datas = m.datas;
  assert.equal(m.dataSection, undefined);
  assert.equal(m.datas, datas);
  assert.deepEqual(datas.map((d) => (d as ConstOffsetData).offsetValue()), [0, 127, 70000, 1]);
  assert.deepEqual(datas.map((d) => d.end - d.start), [2, 1, 100, 1]);
  const mode = datas[2].mode;
  assert.ok(mode.kind === 'active' && mode.memory === 0);
  assert.deepEqual([...mode.offset.source.subarray(mode.offset.start, mode.offset.end)], [0x41, 0xf0, 0xa2, 0x04, 0x0b]);
});

test('writing m.datas replaces a data section kept as bytes', () => {
  const m = decodeModule(wat2wasm('(module (memory 1) (data (i32.const 0) "ab"))'));
  assert.notEqual(m.dataSection, undefined);
  m.datas = [];
  assert.equal(m.dataSection, undefined);
  assert.equal(m.datas.length, 0);
});

test('a data section with another kind of segment is decoded to objects', () => {
  const m = decodeModule(wat2wasm('(module (memory 1) (data (i32.const 0) "ab") (data "passive"))'));
  assert.equal(m.dataSection, undefined);
  assert.equal(m.datas.length, 2);
  assert.ok(m.datas[0] instanceof ConstOffsetData);
  assert.equal(m.datas[1].mode.kind, 'passive');
});

test('kept as bytes, an out-of-bounds segment traps after the earlier ones are applied', () => {
  const memory = createMemory({ limits: { min: 1 }, shared: false, addr: 'i32' });
  const { m, inst } = fromBinary(`(module (import "m" "memory" (memory 1))
    (data (i32.const 10) "ok")
    (data (i32.const 65535) "xy")
    (data (i32.const 20) "never"))`, [{ kind: 'memory', memory }]);
  assert.notEqual(m.dataSection, undefined);
  assert.throws(() => inst(), (e: unknown) => e instanceof RuntimeError && e.message === 'out of bounds memory access');
  const bytes = new Uint8Array(memory.view.buffer);
  assert.equal(String.fromCharCode(bytes[10], bytes[11]), 'ok');
  assert.equal(bytes[65535], 0);
  assert.equal(bytes[20], 0);
});

test('kept as bytes, segments still need a 32-bit memory 0', () => {
  // The same segment with no memory, and with a 64-bit one (made by patching the memory's flags).
  const bytes = wat2wasm('(module (memory 1) (data (i32.const 0) "a"))');
  const noMemory = decodeModule(bytes);
  noMemory.memories = [];
  assert.notEqual(noMemory.dataSection, undefined);
  assert.throws(() => validateModule(noMemory), (e: unknown) => e instanceof Error && /unknown memory 0/.test(e.message));
  const memSection = bytes.findIndex((b, i) => b === 5 && bytes[i + 1] === 3 && bytes[i + 2] === 1 && bytes[i + 3] === 0);
  bytes[memSection + 3] = 0x04; // limits flags: 64-bit addresses
  const m64 = decodeModule(bytes);
  assert.equal(m64.memories[0].addr, 'i64');
  assert.notEqual(m64.dataSection, undefined);
  assert.throws(() => validateModule(m64), (e: unknown) => e instanceof Error && /type mismatch/.test(e.message));
});
