// Focused validation tests on hand-made modules with hand-assembled code bytes.

import { dataOf, exprOf } from '../../src/ast/module.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyModule, type Expr, type Module } from '../../src/ast/module.js';
import type { MemType, RefType, SubType, ValType } from '../../src/ast/types.js';
import { ConstOffsetData } from '../../src/ast/data-segment.js';
import { CompileError } from '../../src/errors.js';
import { validateModule } from '../../src/validate/validate.js';

const I32: ValType = 'i32';
const I64: ValType = 'i64';
const refT = (heap: RefType['heap'], nullable = false): RefType => ({ nullable, heap });
const fn = (params: ValType[], results: ValType[], supertypes: number[] = [], final = true): SubType =>
  ({ final, supertypes, comp: { kind: 'func', params, results } });
const struct = (fields: [ValType | 'i8' | 'i16', boolean][], supertypes: number[] = [], final = true): SubType =>
  ({ final, supertypes, comp: { kind: 'struct', fields: fields.map(([storage, mutable]) => ({ storage, mutable })) } });

function expr(bytes: number[], offset = 100): Expr {
  return exprOf(Uint8Array.from(bytes), offset);
}

/** A module with the given types (one rec group each unless `groups` says otherwise) and functions. */
function mod(types: SubType[], funcs: { type: number; locals?: ValType[]; code: number[] }[], extra: Partial<Module> = {}, groups?: number[]): Module {
  const m = emptyModule();
  m.types = types;
  m.recGroups = groups ?? types.map(() => 1);
  m.funcs = funcs.map((f) => ({ typeIdx: f.type, locals: (f.locals ?? []).map((type) => ({ count: 1, type })), code: expr(f.code) }));
  return Object.assign(m, extra);
}

function invalid(m: Module, reason: string | RegExp): CompileError {
  let err: unknown;
  try {
    validateModule(m);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof CompileError, `expected CompileError, got ${String(err)}`);
  if (typeof reason === 'string') assert.ok(err.message.startsWith(reason), `message "${err.message}" should start with "${reason}"`);
  else assert.match(err.message, reason);
  return err;
}

const END = 0x0b;

test('numeric code and the stack discipline', () => {
  // (func (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  validateModule(mod([fn([I32, I32], [I32])], [{ type: 0, code: [0x20, 0, 0x20, 1, 0x6a, END] }]));
  invalid(mod([fn([I32, I64], [I32])], [{ type: 0, code: [0x20, 0, 0x20, 1, 0x6a, END] }]), 'type mismatch');
  invalid(mod([fn([], [I32])], [{ type: 0, code: [END] }]), 'type mismatch');
  invalid(mod([fn([], [])], [{ type: 0, code: [0x41, 1, END] }]), 'type mismatch');
  invalid(mod([fn([], [])], [{ type: 0, code: [0x20, 0, END] }]), 'unknown local');
});

test('errors name the function and the byte offset of the instruction', () => {
  const e = invalid(mod([fn([], [])], [{ type: 0, code: [0x01, 0x41, 0x80, 0x01, 0x6a, 0x1a, END] }]), 'type mismatch');
  assert.equal(e.offset, 100 + 4);
  assert.match(e.message, /function 0/);
  // Text-made modules (offset -1) name the instruction instead.
  const m = mod([fn([], [])], [{ type: 0, code: [0x41, 0, 0x6a, 0x1a, END] }]);
  m.funcs[0] = { ...m.funcs[0], code: expr([0x41, 0, 0x6a, 0x1a, END], -1) };
  assert.match(invalid(m, 'type mismatch').message, /at i32\.add/);
});

test('unreachable code is typed with the bottom type', () => {
  // unreachable i32.add drop; unreachable then br_table to a result label
  validateModule(mod([fn([], [])], [{ type: 0, code: [0x00, 0x6a, 0x1a, END] }]));
  validateModule(mod([fn([], [I32])], [{ type: 0, code: [0x00, END] }]));
  validateModule(mod([fn([], [I64])], [{ type: 0, code: [0x02, 0x7e, 0x00, 0x0e, 0, 0, END, END] }]));
  // but values that are present are still checked
  invalid(mod([fn([], [])], [{ type: 0, code: [0x00, 0x42, 0, 0x6a, 0x1a, END] }]), 'type mismatch');
  // select on unknown operands, and untyped select on references is invalid
  validateModule(mod([fn([], [I32])], [{ type: 0, code: [0x00, 0x1b, END] }]));
  invalid(mod([fn([], [])], [{ type: 0, code: [0xd0, 0x70, 0xd0, 0x70, 0x41, 0, 0x1b, 0x1a, END] }]), 'type mismatch');
  validateModule(mod([fn([], [])], [{ type: 0, code: [0xd0, 0x70, 0xd0, 0x70, 0x41, 0, 0x1c, 1, 0x70, 0x1a, END] }]));
  invalid(mod([fn([], [])], [{ type: 0, code: [0x41, 0, 0x41, 0, 0x41, 0, 0x1c, 2, 0x7f, 0x7f, 0x1a, END] }]), 'invalid result arity');
});

test('body must end exactly at its final end', () => {
  invalid(mod([fn([], [])], [{ type: 0, code: [0x01] }]), 'END opcode expected');
  invalid(mod([fn([], [])], [{ type: 0, code: [END, 0x01] }]), /size mismatch|END/);
  invalid(mod([fn([], [])], [{ type: 0, code: [0xff, END] }]), 'illegal opcode');
});

test('non-defaultable locals must be set before use, per block', () => {
  const types = [struct([[I32, false]]), fn([], [])];
  const nn = refT(0);
  // local.get of an unset (ref $s) local
  invalid(mod(types, [{ type: 1, locals: [nn], code: [0x20, 0, 0x1a, END] }]), 'uninitialized local');
  // set, then get: fine
  validateModule(mod(types, [{ type: 1, locals: [nn], code: [0x41, 0, 0xfb, 0, 0, 0x21, 0, 0x20, 0, 0x1a, END] }]));
  // set inside a block does not survive the block's end
  invalid(mod(types, [{ type: 1, locals: [nn], code: [0x02, 0x40, 0x41, 0, 0xfb, 0, 0, 0x21, 0, END, 0x20, 0, 0x1a, END] }]), 'uninitialized local');
  // nullable locals are defaultable
  validateModule(mod(types, [{ type: 1, locals: [refT(0, true)], code: [0x20, 0, 0x1a, END] }]));
});

test('rec groups: equivalent groups are the same types (iso-recursive)', () => {
  // Two identical rec groups each holding one func type; a function of type 0 can be call_ref'd as type 1.
  const types = [fn([I32], []), fn([I32], []), fn([], [])];
  const m = mod(types, [{ type: 2, locals: [refT(0, true)], code: [0x41, 0, 0x20, 0, 0x14, 1, END] }]);
  validateModule(m);
  // Different structure: not equivalent.
  const types2 = [fn([I32], []), fn([I64], []), fn([], [])];
  invalid(mod(types2, [{ type: 2, locals: [refT(0, true)], code: [0x41, 0, 0x20, 0, 0x14, 1, END] }]), 'type mismatch');
  // Groups of two that differ only in group membership are not equivalent to singletons.
  const types3 = [fn([I32], []), fn([], []), fn([I32], []), fn([], [])];
  invalid(mod(types3, [{ type: 3, locals: [refT(0, true)], code: [0x41, 0, 0x20, 0, 0x14, 2, END] }], {}, [2, 1, 1]), 'type mismatch');
});

test('declared supertypes: must precede, be non-final, and match', () => {
  validateModule(mod([struct([[I32, false]], [], false), struct([[I32, false], [I64, true]], [0])], []));
  invalid(mod([struct([[I32, false]], [], true), struct([[I32, false]], [0])], []), 'sub type');
  invalid(mod([struct([[I32, true]], [], false), struct([[I64, true]], [0])], []), 'sub type');
  // Mutable fields are invariant: (ref $0) field cannot refine (ref null $0) when mutable.
  invalid(mod([struct([], [], false), struct([[refT(0, true), true]], [], false), struct([[refT(0), true]], [1])], []), 'sub type');
  validateModule(mod([struct([], [], false), struct([[refT(0, true), false]], [], false), struct([[refT(0), false]], [1])], []));
  invalid(mod([struct([], [1], false), struct([], [], false)], [], {}, [2]), 'unknown type');
  invalid(mod([fn([], [refT(5)])], []), 'unknown type');
});

test('subtyping of abstract heap types through casts and branches', () => {
  const types = [struct([[I32, false]], [], false), fn([], [])];
  // ref.cast to a struct from anyref; from funcref is out of hierarchy.
  validateModule(mod(types, [{ type: 1, code: [0xd0, 0x6e, 0xfb, 22, 0, 0x1a, END] }]));
  invalid(mod(types, [{ type: 1, code: [0xd0, 0x70, 0xfb, 22, 0, 0x1a, END] }]), 'type mismatch');
  // br_on_cast 0 anyref -> (ref $0) into a block of result (ref null 0): rt2 <: label
  validateModule(mod([...types, fn([], [refT(0, true)])], [{
    type: 1, code: [0x02, 0x63, 0, 0xd0, 0x6e, 0xfb, 24, 0b01, 0, 0x6e, 0, 0x1a, 0xd0, 0, END, 0x1a, END],
  }]));
  // rt2 must be a subtype of rt1 (funcref is not <: anyref)
  invalid(mod(types, [{ type: 1, code: [0x02, 0x40, 0xd0, 0x6e, 0xfb, 24, 0b11, 0, 0x6e, 0x70, 0x1a, END, END] }]), 'type mismatch');
});

test('ref.func needs a declared reference; exports declare', () => {
  const types = [fn([], [])];
  invalid(mod(types, [{ type: 0, code: [0xd2, 0, 0x1a, END] }]), 'undeclared function reference');
  validateModule(mod(types, [{ type: 0, code: [0xd2, 0, 0x1a, END] }], { exports: [{ name: 'f', kind: 'func', index: 0 }] }));
  validateModule(mod(types, [{ type: 0, code: [0xd2, 0, 0x1a, END] }], {
    elems: [{ type: refT('func'), init: { kind: 'funcs', indices: [0] }, mode: { kind: 'declarative' } }],
  }));
});

test('memories: alignment, address types, atomics, data count', () => {
  const mem32 = { limits: { min: 1 }, shared: false, addr: 'i32' as const };
  const mem64 = { limits: { min: 1 }, shared: false, addr: 'i64' as const };
  const t = [fn([], [])];
  validateModule(mod(t, [{ type: 0, code: [0x41, 0, 0x28, 2, 0, 0x1a, END] }], { memories: [mem32] }));
  invalid(mod(t, [{ type: 0, code: [0x41, 0, 0x28, 3, 0, 0x1a, END] }], { memories: [mem32] }), 'alignment must not be larger than natural');
  invalid(mod(t, [{ type: 0, code: [0x41, 0, 0x28, 2, 0, 0x1a, END] }]), 'unknown memory');
  // memory64: addresses are i64
  validateModule(mod(t, [{ type: 0, code: [0x42, 0, 0x28, 2, 0, 0x1a, END] }], { memories: [mem64] }));
  invalid(mod(t, [{ type: 0, code: [0x41, 0, 0x28, 2, 0, 0x1a, END] }], { memories: [mem64] }), 'type mismatch');
  // multi-memory: flag bit 6 then memory index 1
  validateModule(mod(t, [{ type: 0, code: [0x42, 0, 0x28, 0x42, 1, 0, 0x1a, END] }], { memories: [mem32, mem64] }));
  // atomics need exactly natural alignment (unshared memories allowed)
  validateModule(mod(t, [{ type: 0, code: [0x41, 0, 0xfe, 0x10, 2, 0, 0x1a, END] }], { memories: [mem32] }));
  invalid(mod(t, [{ type: 0, code: [0x41, 0, 0xfe, 0x10, 1, 0, 0x1a, END] }], { memories: [mem32] }), 'alignment must be exactly natural');
  // memory.init / data.drop in a binary module need a data count section
  const data = [dataOf(new Uint8Array(1), { kind: 'passive' })];
  invalid(mod(t, [{ type: 0, code: [0xfc, 9, 0, END] }], { memories: [mem32], datas: data }), 'data count section required');
  validateModule(mod(t, [{ type: 0, code: [0xfc, 9, 0, END] }], { memories: [mem32], datas: data, dataCount: 1 }));
  // limits
  invalid(mod(t, [], { memories: [{ limits: { min: 65537 }, shared: false, addr: 'i32' }] }), 'memory size must be at most 65536 pages (4GiB)');
  invalid(mod(t, [], { memories: [{ limits: { min: 2, max: 1 }, shared: false, addr: 'i32' }] }), 'size minimum must not be greater than maximum');
  invalid(mod(t, [], { memories: [{ limits: { min: 1 }, shared: true, addr: 'i32' }] }), 'shared memory must have maximum');
});

test('SIMD lane indices', () => {
  const t = [fn([], [])];
  const v = [0xfd, 12, ...new Array(16).fill(0)];
  validateModule(mod(t, [{ type: 0, code: [...v, 0xfd, 21, 15, 0x1a, END] }]));
  invalid(mod(t, [{ type: 0, code: [...v, 0xfd, 21, 16, 0x1a, END] }]), 'invalid lane index');
  invalid(mod(t, [{ type: 0, code: [...v, 0xfd, 29, 2, 0x1a, END] }]), 'invalid lane index');
  invalid(mod(t, [{ type: 0, code: [...v, ...v, 0xfd, 13, ...new Array(15).fill(0), 32, 0x1a, END] }]), 'invalid lane index');
});

test('exceptions: try_table catch labels, legacy try/catch/rethrow/delegate', () => {
  const types = [fn([I32], []), fn([], [])];
  const tags = [{ typeIdx: 0 }];
  // block (result i32) try_table (catch 0 0) end unreachable end drop
  validateModule(mod(types, [{ type: 1, code: [0x02, 0x7f, 0x1f, 0x40, 1, 0, 0, 0, END, 0x00, END, 0x1a, END] }], { tags }));
  // catch_ref needs an exnref slot in the label
  invalid(mod(types, [{ type: 1, code: [0x02, 0x7f, 0x1f, 0x40, 1, 1, 0, 0, END, 0x00, END, 0x1a, END] }], { tags }), 'type mismatch');
  invalid(mod(types, [{ type: 1, code: [0x08, 1, END] }], { tags }), 'unknown tag');
  // legacy: try catch 0 (drop the i32) rethrow 0 end
  validateModule(mod(types, [{ type: 1, code: [0x06, 0x40, 0x07, 0, 0x1a, 0x09, 0, END, END] }], { tags }));
  // rethrow must target a catch
  invalid(mod(types, [{ type: 1, code: [0x06, 0x40, 0x09, 0, END, END] }], { tags }), 'invalid rethrow label');
  // try ... delegate 0 (to the function's label)
  validateModule(mod(types, [{ type: 1, code: [0x06, 0x40, 0x18, 0, END] }], { tags }));
  invalid(mod(types, [{ type: 1, code: [0x06, 0x40, 0x18, 1, END] }], { tags }), 'unknown label');
  // tags must have empty results
  invalid(mod([fn([], [I32])], [], { tags: [{ typeIdx: 0 }] }), 'non-empty tag result type');
});

test('tail calls need matching results', () => {
  const types = [fn([], [I32]), fn([], [I64])];
  validateModule(mod(types, [{ type: 0, code: [0x12, 0, END] }]));
  invalid(mod(types, [{ type: 0, code: [0x12, 1, END] }, { type: 1, code: [0x42, 0, END] }]), 'type mismatch');
});

test('module-level rules', () => {
  const t = [fn([], []), fn([I32], [])];
  invalid(mod(t, [{ type: 0, code: [END] }], { exports: [{ name: 'a', kind: 'func', index: 0 }, { name: 'a', kind: 'func', index: 0 }] }), 'duplicate export name');
  invalid(mod(t, [{ type: 1, code: [END] }], { start: 0 }), 'start function');
  invalid(mod(t, [], { start: 0 }), 'unknown function');
  // Globals: constant expressions, earlier immutable globals only.
  const g = (init: number[], mutable = false) => ({ type: { type: I32, mutable }, init: expr(init) });
  validateModule(mod(t, [], { globals: [g([0x41, 1, END]), g([0x23, 0, 0x41, 2, 0x6a, END])] }));
  invalid(mod(t, [], { globals: [g([0x23, 1, END]), g([0x41, 1, END])] }), 'unknown global');
  invalid(mod(t, [], { globals: [g([0x41, 1, END], true), g([0x23, 0, END])] }), 'constant expression required');
  invalid(mod(t, [], { globals: [g([0x41, 1, 0x41, 1, 0x6d, END])] }), 'constant expression required');
  invalid(mod(t, [{ type: 0, code: [0x41, 0, 0x24, 0, END] }], { globals: [g([0x41, 1, END])] }), 'global is immutable');
  // Tables of non-nullable references need an initializer.
  invalid(mod(t, [], { tables: [{ type: { limits: { min: 1 }, addr: 'i32', elem: refT('func') } }] }), 'type mismatch');
  validateModule(mod(t, [{ type: 0, code: [END] }], {
    tables: [{ type: { limits: { min: 1 }, addr: 'i32', elem: refT('func') }, init: expr([0xd2, 0, END]) }],
  }));
  // Elem segments must match their table.
  invalid(mod(t, [{ type: 0, code: [END] }], {
    tables: [{ type: { limits: { min: 1 }, addr: 'i32', elem: refT('extern', true) } }],
    elems: [{ type: refT('func', true), init: { kind: 'funcs', indices: [0] }, mode: { kind: 'active', table: 0, offset: expr([0x41, 0, END]) } }],
  }), 'type mismatch');
});

test('decoded i32.const data segments (one flat object each) are checked against memory 0', () => {
  const seg = (mems: MemType[]): Module => {
    const bytes = Uint8Array.from([0x41, 0x05, 0x0b, 0x61]); // i32.const 5, end, "a"
    const m = emptyModule();
    m.memories = mems;
    m.datas = [new ConstOffsetData(bytes, 3, 4, 0)];
    return m;
  };
  validateModule(seg([{ limits: { min: 1 }, shared: false, addr: 'i32' }]));
  assert.throws(() => validateModule(seg([])), (e: unknown) => e instanceof CompileError && /unknown memory 0/.test(e.message));
  assert.throws(() => validateModule(seg([{ limits: { min: 1 }, shared: false, addr: 'i64' }])),
    (e: unknown) => e instanceof CompileError && /type mismatch/.test(e.message));
});
