// Hand-made binaries: malformed ones must fail with the spec's messages; well-formed ones
// exercise element/data/table forms, the name section and the instruction codec.
import { exprOf } from '../../src/ast/module.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../src/binary/decode.js';
import { encodeModule } from '../../src/binary/encode.js';
import { readExpr, readInstr, skipExpr, writeInstr } from '../../src/binary/instr.js';
import { encodeNameSection } from '../../src/binary/names.js';
import { Reader } from '../../src/binary/reader.js';
import { Writer } from '../../src/binary/writer.js';
import { CompileError } from '../../src/errors.js';
import { BY_NAME, lookupOpcode } from '../../src/ast/opcodes.js';
import { emptyNameSection } from '../../src/ast/module.js';
import { funcref, externref } from '../../src/ast/types.js';
import type { Instr } from '../../src/ast/instr.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const mod = (...b: number[]): Uint8Array => new Uint8Array([...HEADER, ...b]);

function malformed(bytes: Uint8Array | number[], message: string, offset?: number): void {
  assert.throws(() => decodeModule(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)), (e: unknown) => {
    assert.ok(e instanceof CompileError, String(e));
    assert.ok(e.message.startsWith(message), `expected "${message}", got "${e.message}"`);
    if (offset !== undefined) assert.equal(e.offset, offset);
    return true;
  });
}

test('malformed headers and section framing', () => {
  malformed([], 'unexpected end');
  malformed([0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0], 'magic header not detected', 0);
  malformed([0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0], 'unknown binary version', 4);
  malformed(mod(0x0e, 0x00), 'malformed section id', 8);
  malformed(mod(0x01, 0x01, 0x00, 0x01, 0x01, 0x00), 'unexpected content after last section', 11); // type twice
  malformed(mod(0x0a, 0x01, 0x00, 0x03, 0x01, 0x00), 'unexpected content after last section', 11); // function after code
  malformed(mod(0x01, 0x02, 0x00, 0x00), 'section size mismatch');
  malformed(mod(0x01, 0x05, 0x00), 'length out of bounds', 9);
  malformed(mod(0x03, 0x02, 0x01, 0x00), 'function and code section have inconsistent lengths');
  malformed(mod(0x0c, 0x01, 0x01), 'data count and data section have inconsistent lengths');
  malformed(mod(0x05, 0x02, 0x01, 0x08), 'malformed limits flags', 11);
  malformed(mod(0x04, 0x04, 0x01, 0x70, 0x02, 0x00), 'malformed limits flags'); // shared table
  malformed(mod(0x06, 0x06, 0x01, 0x7f, 0x02, 0x41, 0x00, 0x0b), 'malformed mutability');
  malformed(mod(0x02, 0x04, 0x01, 0x00, 0x00, 0x05), 'malformed import kind');
  malformed(mod(0x01, 0x04, 0x01, 0x60, 0x01, 0x00), 'malformed value type');
  malformed(mod(0x01, 0x03, 0x01, 0x5d, 0x00), 'malformed definition type');
  malformed(mod(0x0b, 0x03, 0x01, 0x03, 0x00), 'malformed data segment kind');
  // Type section with a vector count larger than the bytes left: rejected before allocating.
  malformed(mod(0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f), 'unexpected end of section or function');
});

test('too many locals and bodies without end', () => {
  const types = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00];
  // two local declarations of 2^32-1 i32s each
  malformed(mod(...types, 0x0a, 0x10, 0x01, 0x0e, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b),
    'too many locals');
  malformed(mod(...types, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x41, 0x00), 'unexpected end of section or function');
});

test('a malformed name section is ignored', () => {
  const name = [0x04, 0x6e, 0x61, 0x6d, 0x65];
  const m = decodeModule(mod(0x00, 0x08, ...name, 0x01, 0x05, 0x01));
  assert.equal(m.names, undefined);
  assert.equal(m.customs.length, 1);
});

test('name section subsections', () => {
  const ns = emptyNameSection();
  ns.module = 'mod';
  ns.funcs.set(0, 'f').set(3, 'g\u00e9');
  ns.locals.set(0, new Map([[0, 'x'], [1, 'y']]));
  ns.labels.set(0, new Map([[0, 'l']]));
  ns.types.set(0, 't');
  ns.tables.set(0, 'tab');
  ns.memories.set(0, 'mem');
  ns.globals.set(1, 'glob');
  ns.elems.set(0, 'e');
  ns.datas.set(0, 'd');
  ns.fields.set(0, new Map([[2, 'fld']]));
  ns.tags.set(0, 'tag');
  const content = encodeNameSection(ns);
  const w = new Writer();
  w.name('name').bytes(content);
  const bytes = new Uint8Array([...HEADER, 0x00, ...sized(w.finish())]);
  const m = decodeModule(bytes);
  assert.deepEqual(m.names, ns);
  assert.equal(m.customs[0].after, 0);
});

function sized(b: Uint8Array): number[] {
  const w = new Writer();
  w.u32(b.length).bytes(b);
  return [...w.finish()];
}

test('element, data and table forms round-trip; custom sections keep their place', () => {
  const w = new Writer();
  w.bytes(new Uint8Array(HEADER));
  const section = (id: number, body: number[]): void => { w.u8(id).u32(body.length).bytes(new Uint8Array(body)); };
  const custom = (name: string): void => {
    const c = new Writer();
    c.name(name).u8(0xaa);
    w.u8(0).u32(c.length).bytes(c.finish());
  };
  custom('first');
  section(1, [0x01, 0x60, 0x00, 0x00]);
  section(3, [0x01, 0x00]);
  custom('after-func');
  // table 0: funcref 1; table 1: 0x40 0x00 externref 0 with init ref.null extern
  section(4, [0x02, 0x70, 0x00, 0x01, 0x40, 0x00, 0x6f, 0x00, 0x00, 0xd0, 0x6f, 0x0b]);
  section(5, [0x01, 0x00, 0x01]);
  const i32c0 = [0x41, 0x00, 0x0b];
  section(9, [0x08,
    0x00, ...i32c0, 0x01, 0x00,                          // 0: active table 0, funcs
    0x01, 0x00, 0x01, 0x00,                              // 1: passive funcs
    0x02, 0x00, ...i32c0, 0x00, 0x01, 0x00,              // 2: active table 0 explicit, funcs
    0x03, 0x00, 0x01, 0x00,                              // 3: declarative funcs
    0x04, ...i32c0, 0x01, 0xd2, 0x00, 0x0b,              // 4: active table 0, exprs
    0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,                  // 5: passive externref exprs
    0x06, 0x01, ...i32c0, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,  // 6: active table 1, externref exprs
    0x07, 0x64, 0x70, 0x01, 0xd2, 0x00, 0x0b,            // 7: declarative (ref func) exprs
  ]);
  section(12, [0x03]);
  section(10, [0x01, 0x02, 0x00, 0x0b]);
  section(11, [0x03, 0x00, ...i32c0, 0x01, 0x61, 0x01, 0x01, 0x62, 0x02, 0x00, ...i32c0, 0x00]);
  custom('last');
  const bytes = w.finish().slice();
  const m = decodeModule(bytes);
  assert.deepEqual(m.customs.map((c) => [c.name, c.after]), [['first', 0], ['after-func', 3], ['last', 11]]);
  assert.equal(m.tables[0].type.elem, funcref);
  assert.equal(m.tables[1].type.elem, externref);
  assert.ok(m.tables[1].init);
  assert.deepEqual(m.elems.map((e) => [e.mode.kind, e.init.kind]), [
    ['active', 'funcs'], ['passive', 'funcs'], ['active', 'funcs'], ['declarative', 'funcs'],
    ['active', 'exprs'], ['passive', 'exprs'], ['active', 'exprs'], ['declarative', 'exprs'],
  ]);
  assert.deepEqual(m.elems[7].type, { nullable: false, heap: 'func' });
  assert.equal(m.dataCount, 3);
  assert.deepEqual(m.datas.map((d) => d.mode.kind), ['active', 'passive', 'active']);
  // Offsets are absolute: the code body starts right after its size and local count.
  assert.equal(bytes[m.funcs[0].code.offset], 0x0b);
  const again = encodeModule(m);
  const m2 = decodeModule(again);
  assert.deepEqual(m2.customs.map((c) => [c.name, c.after]), [['first', 0], ['after-func', 3], ['last', 11]]);
  assert.equal(m2.elems.length, 8);
  for (let i = 0; i < 8; i++) {
    assert.deepEqual(m2.elems[i].type, m.elems[i].type);
    assert.equal(m2.elems[i].mode.kind, m.elems[i].mode.kind);
  }
});

function op(prefix: number, code: number) {
  const o = lookupOpcode(prefix, code);
  assert.ok(o);
  return o;
}

test('instruction codec: every immediate kind round-trips', () => {
  const instrs: Instr[] = [
    { op: op(0, 0x02), blockType: { kind: 'empty' } },
    { op: op(0, 0x03), blockType: { kind: 'value', type: { nullable: true, heap: 5 } } },
    { op: op(0, 0x04), blockType: { kind: 'type', index: 300 } },
    { op: op(0, 0x0e), labels: [0, 1, 2] },
    { op: op(0, 0x11), index: 1, index2: 2 },
    { op: op(0, 0x1c), types: ['i32', funcref] },
    { op: op(0, 0x28), memarg: { align: 2, offset: 2 ** 40, memory: 0 } },
    { op: op(0, 0x36), memarg: { align: 1, offset: 7, memory: 3 } },
    { op: op(0xfd, 84), memarg: { align: 0, offset: 1, memory: 1 }, lane: 15 },
    { op: op(0, 0x41), i32: -(2 ** 31) },
    { op: op(0, 0x42), i64: -(2n ** 63n) },
    { op: op(0, 0x43), f32Bits: 0x7fc00001 },
    { op: op(0, 0x44), f64Bits: 0xfff8000000000001n },
    { op: op(0xfd, 12), bytes: new Uint8Array(16).map((_, i) => i * 17) },
    { op: op(0xfd, 13), bytes: new Uint8Array(16).map((_, i) => 31 - i) },
    { op: op(0xfd, 21), lane: 3 },
    { op: op(0xfc, 8), index: 4, index2: 1 },
    { op: op(0xfc, 12), index: 2, index2: 3 },
    { op: op(0, 0xd0), heapType: 'noexn' },
    { op: op(0xfb, 23), heapType: 7 },
    { op: op(0xfb, 2), index: 1, index2: 2 },
    { op: op(0xfb, 8), index: 1, index2: 100 },
    { op: op(0xfb, 24), index: 0, refType1: { nullable: true, heap: 'any' }, refType2: { nullable: false, heap: 3 } },
    { op: op(0, 0x1f), blockType: { kind: 'empty' }, catches: [
      { kind: 'catch', tag: 0, label: 0 }, { kind: 'catch_ref', tag: 1, label: 1 },
      { kind: 'catch_all', label: 0 }, { kind: 'catch_all_ref', label: 2 }] },
    { op: op(0, 0x0b) },
    { op: op(0xfe, 0x03) },
    { op: op(0xfe, 0x48), memarg: { align: 3, offset: 0, memory: 0 } },
    { op: op(0xfd, 0x113) },
    { op: op(0, 0x0b) },
    { op: op(0, 0x0b) },
    { op: op(0, 0x0b) },
  ];
  const w = new Writer();
  for (const i of instrs) writeInstr(w, i);
  w.u8(0x0b);
  const body = w.finish().slice();
  const back = readExpr(exprOf(body));
  assert.deepEqual(back, instrs);
  // skipExpr agrees on where the expression ends.
  const r = new Reader(body);
  skipExpr(r);
  assert.equal(r.pos, body.length);
  assert.equal(BY_NAME.get('ref.cast')?.nullable, false);
});

test('instruction decoding errors', () => {
  const fail = (bytes: number[], message: string): void => {
    assert.throws(() => readInstr(new Reader(new Uint8Array(bytes))), (e: unknown) =>
      e instanceof CompileError && e.message.startsWith(message));
  };
  fail([0xff], 'illegal opcode ff');
  fail([0xfc, 0x7f], 'illegal opcode');
  fail([0x28, 0x80, 0x01, 0x00], 'malformed memop flags');
  fail([0xfe, 0x03, 0x01], 'zero byte expected');
  fail([0x02, 0xff, 0x7f], 'malformed block type');
});
