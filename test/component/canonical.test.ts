// The canonical ABI against layouts computed by hand from CanonicalABI.md: alignment, size and
// flattening; bytes stored in memory at the offsets the spec gives; flat and memory round trips;
// the traps (bounds, alignment, invalid char, invalid discriminant, invalid UTF-8).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignment, elemSize, flatten, flatSignature } from '../../src/component/canonical/layout.js';
import { LiftLowerContext, type CanonicalOptions } from '../../src/component/canonical/context.js';
import { FlatValues, liftFlat, load, lowerFlat, store } from '../../src/component/canonical/values.js';
import { camel, className } from '../../src/wit/js-name.js';
import { resourceClass } from '../../src/component/canonical/handles.js';
import { HandleTable } from '../../src/component/canonical/resources.js';
import { Resource, type Type } from '../../src/component/types.js';
import { RuntimeError } from '../../src/errors.js';

const T = (kind: string): Type => ({ kind } as Type);
const u8 = T('u8'), u16 = T('u16'), u32 = T('u32'), u64 = T('u64'), s8 = T('s8'), s16 = T('s16'), s64 = T('s64');
const f32 = T('f32'), f64 = T('f64'), bool = T('bool'), char = T('char'), string = T('string');
const list = (elem: Type): Type => ({ kind: 'list', elem });
const record = (...fields: [string, Type][]): Type => ({ kind: 'record', fields: fields.map(([name, type]) => ({ name, type })) });
const tuple = (...types: Type[]): Type => ({ kind: 'tuple', types });
const option = (type: Type): Type => ({ kind: 'option', type });
const result = (ok?: Type, err?: Type): Type => ({ kind: 'result', ...(ok ? { ok } : {}), ...(err ? { err } : {}) });
const variant = (...cases: [string, Type?][]): Type => ({ kind: 'variant', cases: cases.map(([name, type]) => (type ? { name, type } : { name })) });
const enumT = (...names: string[]): Type => ({ kind: 'enum', names });
const flags = (...names: string[]): Type => ({ kind: 'flags', names });

/** A context over a fresh 64 KiB memory with a bump allocator as realloc (records its calls). */
function context(encoding: CanonicalOptions['encoding'] = 'utf8', start = 1024) {
  const memory = { buffer: new ArrayBuffer(65536) };
  let next = start;
  const calls: number[][] = [];
  const realloc = (old: number, oldSize: number, align: number, size: number): number => {
    calls.push([old, oldSize, align, size]);
    next = Math.ceil(next / align) * align;
    const p = next;
    next += size;
    return p;
  };
  const cx = new LiftLowerContext({ memory, realloc, encoding }, { table: new HandleTable() });
  return { cx, memory, calls, dv: new DataView(memory.buffer), bytes: new Uint8Array(memory.buffer) };
}

test('alignment, size and flattening (CanonicalABI.md)', () => {
  const cases: [Type, number, number, string[]][] = [
    [bool, 1, 1, ['i32']],
    [u16, 2, 2, ['i32']],
    [u64, 8, 8, ['i64']],
    [f32, 4, 4, ['f32']],
    [char, 4, 4, ['i32']],
    [string, 4, 8, ['i32', 'i32']],
    [list(u8), 4, 8, ['i32', 'i32']],
    // record { a: u8, b: u32, c: u16 }: a@0, b@4, c@8, size 12 (aligned to 4).
    [record(['a', u8], ['b', u32], ['c', u16]), 4, 12, ['i32', 'i32', 'i32']],
    // tuple<u8, u64>: 8-aligned, u64 at 8, size 16.
    [tuple(u8, u64), 8, 16, ['i32', 'i64']],
    // option<u32>: discriminant u8, payload at 4, size 8.
    [option(u32), 4, 8, ['i32', 'i32']],
    // result<u64, string>: payload at 8, size 16; flat: i32 disc, join(i64, i32) = i64, then i32.
    [result(u64, string), 8, 16, ['i32', 'i64', 'i32']],
    // variant { a(f32), b(u32) }: join(f32, i32) = i32.
    [variant(['a', f32], ['b', u32]), 4, 8, ['i32', 'i32']],
    // variant { a(f32), b(f64) }: join(f32, f64) = i64.
    [variant(['a', f32], ['b', f64]), 8, 16, ['i32', 'i64']],
    [enumT('x', 'y', 'z'), 1, 1, ['i32']],
    [flags(...Array.from({ length: 9 }, (_, i) => `f${i}`)), 2, 2, ['i32']],
    [flags(...Array.from({ length: 17 }, (_, i) => `f${i}`)), 4, 4, ['i32']],
    // A variant with 257 cases has a u16 discriminant.
    [variant(...Array.from({ length: 257 }, (_, i): [string] => [`c${i}`])), 2, 2, ['i32']],
  ];
  for (const [t, a, s, flat] of cases) {
    assert.equal(alignment(t), a, `alignment of ${JSON.stringify(t).slice(0, 60)}`);
    assert.equal(elemSize(t), s, `size of ${JSON.stringify(t).slice(0, 60)}`);
    assert.deepEqual(flatten(t), flat, `flattening of ${JSON.stringify(t).slice(0, 60)}`);
  }
});

test('flat signatures: more than 16 params go through memory, more than 1 result too', () => {
  const many = { params: Array.from({ length: 17 }, (_, i) => ({ name: `p${i}`, type: u32 })), results: [string] };
  assert.deepEqual(flatSignature(many, 'lift'), { params: ['i32'], results: ['i32'], paramsInMemory: true, resultsInMemory: true });
  assert.deepEqual(flatSignature(many, 'lower'), { params: ['i32', 'i32'], results: [], paramsInMemory: true, resultsInMemory: true });
  const few = { params: [{ name: 'x', type: u64 }], results: [u32] };
  assert.deepEqual(flatSignature(few, 'lift'), { params: ['i64'], results: ['i32'], paramsInMemory: false, resultsInMemory: false });
});

test('store writes the bytes at the offsets CanonicalABI.md gives', () => {
  const { cx, dv, bytes } = context();
  const t = record(['a', u8], ['b', u32], ['c', u16], ['d', option(u64)], ['e', enumT('x', 'y')]);
  // a@0 b@4 c@8 d@16 (disc; payload @24) e@32; size 40.
  assert.equal(elemSize(t), 40);
  store(cx, { a: 0xab, b: 0x01020304, c: 0xbeef, d: 7n, e: 'y' }, t, 0);
  assert.equal(bytes[0], 0xab);
  assert.equal(dv.getUint32(4, true), 0x01020304);
  assert.equal(dv.getUint16(8, true), 0xbeef);
  assert.equal(bytes[16], 1);
  assert.equal(dv.getBigUint64(24, true), 7n);
  assert.equal(bytes[32], 1);
  assert.deepEqual(load(cx, 0, t), { a: 0xab, b: 0x01020304, c: 0xbeef, d: 7n, e: 'y' });
});

test('strings and lists are stored through realloc; the record holds (ptr, len)', () => {
  const { cx, dv, bytes, calls } = context();
  store(cx, ['héllo', Uint32Array.of(1, 2, 3)], tuple(string, list(u32)), 0);
  const [sp, sl] = [dv.getUint32(0, true), dv.getUint32(4, true)];
  assert.equal(sl, 6); // UTF-8 bytes
  assert.equal(new TextDecoder().decode(bytes.subarray(sp, sp + sl)), 'héllo');
  const [lp, ll] = [dv.getUint32(8, true), dv.getUint32(12, true)];
  assert.equal(ll, 3);
  assert.equal(lp % 4, 0);
  assert.deepEqual([dv.getUint32(lp, true), dv.getUint32(lp + 4, true), dv.getUint32(lp + 8, true)], [1, 2, 3]);
  assert.deepEqual(calls, [[0, 0, 1, 6], [0, 0, 4, 12]]);
});

test('utf8 strings: one realloc of the exact length, encoded as TextEncoder encodes (pairs, lone surrogates, long strings)', () => {
  for (const s of ['', 'ascii', 'é', '€', '🦀', 'a\ud800b', '\udc00', 'x🦀\ud83e', 'Kasané 🦀 '.repeat(50), 'plain ascii '.repeat(20)]) {
    const { cx, dv, bytes, calls } = context();
    store(cx, s, string, 0);
    const want = new TextEncoder().encode(s);
    const p = dv.getUint32(0, true);
    assert.equal(dv.getUint32(4, true), want.length, JSON.stringify(s));
    assert.deepEqual(calls, [[0, 0, 1, want.length]]);
    assert.deepEqual(bytes.subarray(p, p + want.length), want);
  }
});

test('string encodings: utf16 and latin1+utf16 (tagged length)', () => {
  {
    const { cx, dv } = context('utf16');
    store(cx, 'aé€', string, 0);
    const p = dv.getUint32(0, true);
    assert.equal(dv.getUint32(4, true), 3);
    assert.deepEqual([dv.getUint16(p, true), dv.getUint16(p + 2, true), dv.getUint16(p + 4, true)], [0x61, 0xe9, 0x20ac]);
    assert.equal(load(cx, 0, string), 'aé€');
  }
  {
    const { cx, dv, bytes } = context('latin1+utf16');
    store(cx, 'café', string, 0);
    const p = dv.getUint32(0, true);
    assert.equal(dv.getUint32(4, true), 4); // untagged: Latin-1
    assert.deepEqual([...bytes.subarray(p, p + 4)], [0x63, 0x61, 0x66, 0xe9]);
    assert.equal(load(cx, 0, string), 'café');
    store(cx, 'a€', string, 8);
    assert.equal(dv.getUint32(12, true), (2 | 0x80000000) >>> 0); // tagged: UTF-16
    assert.equal(load(cx, 8, string), 'a€');
  }
});

test('round trips through memory and flat values', () => {
  const values: [Type, unknown][] = [
    [bool, true], [s8, -5], [u8, 250], [s16, -30000], [u32, 0xffffffff], [s64, -(2n ** 63n)], [u64, 2n ** 64n - 1n],
    [f32, 1.5], [f64, -0.25], [char, '🦀'], [string, 'ünïcödé 🦀'],
    [list(u8), Uint8Array.of(1, 2, 3)], [list(s16), Int16Array.of(-1, 2)], [list(f64), Float64Array.of(1.5, -2)], [list(u64), BigUint64Array.of(1n, 2n ** 64n - 1n)],
    [list(string), ['a', 'bc', '']], [list(list(u32)), [Uint32Array.of(1), Uint32Array.of()]],
    [record(['x-coord', f64], ['name', string], ['tags', list(string)]), { xCoord: 2.5, name: 'n', tags: ['t'] }],
    [tuple(u8, string, u64), [1, 's', 3n]],
    [option(string), 'some'], [option(string), undefined], [option(option(u32)), { tag: 'some', val: undefined }], [option(option(u32)), { tag: 'some', val: 5 }],
    [result(u32, string), { tag: 'ok', val: 1 }], [result(u32, string), { tag: 'err', val: 'bad' }], [result(), { tag: 'ok', val: undefined }],
    [variant(['a', f32], ['b', u64], ['c']), { tag: 'a', val: 1.25 }], [variant(['a', f32], ['b', u64], ['c']), { tag: 'b', val: 2n ** 40n }], [variant(['a', f32], ['b', u64], ['c']), { tag: 'c' }],
    [variant(['i', s8], ['f', f64]), { tag: 'i', val: -1 }],
    [enumT('red', 'green', 'blue'), 'blue'],
    [flags('read', 'write', 'mutate-directory'), { read: true, write: false, mutateDirectory: true }],
    [flags(...Array.from({ length: 40 }, (_, i) => `f${i}`)), Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, i % 3 === 0]))],
  ];
  for (const [t, v] of values) {
    const { cx } = context();
    store(cx, v, t, 64);
    assert.deepEqual(load(cx, 64, t), v, `memory round trip of ${JSON.stringify(t, (_k, x) => (typeof x === 'bigint' ? String(x) : x)).slice(0, 80)}`);
    const flat: unknown[] = [];
    lowerFlat(cx, v, t, flat);
    assert.equal(flat.length, flatten(t).length);
    flat.forEach((x, i) => assert.equal(typeof x, flatten(t)[i] === 'i64' ? 'bigint' : 'number', `flat value ${i} has its core type`));
    assert.deepEqual(liftFlat(cx, new FlatValues(flat), t), v, 'flat round trip');
  }
});

test('variant payloads are coerced to the joined flat type and back', () => {
  const { cx } = context();
  const t = variant(['a', f32], ['b', u64]);
  const flat: unknown[] = [];
  lowerFlat(cx, { tag: 'a', val: 1.5 }, t, flat);
  // f32 1.5 = 0x3fc00000, widened to i64 (zero-extended).
  assert.deepEqual(flat, [0, 0x3fc00000n]);
  assert.deepEqual(liftFlat(cx, new FlatValues([0, 0x3fc00000n]), t), { tag: 'a', val: 1.5 });
});

test('NaN lifts and lowers as NaN; integers wrap as the flat lifting rules say', () => {
  const { cx } = context();
  assert.ok(Number.isNaN(liftFlat(cx, new FlatValues([NaN]), f32) as number));
  store(cx, NaN, f64, 0);
  assert.ok(Number.isNaN(load(cx, 0, f64) as number));
  assert.equal(liftFlat(cx, new FlatValues([0x1ff]), u8), 0xff);
  assert.equal(liftFlat(cx, new FlatValues([0xff]), s8), -1);
  assert.equal(liftFlat(cx, new FlatValues([-1]), u32), 0xffffffff);
  assert.equal(liftFlat(cx, new FlatValues([-1n]), u64), 2n ** 64n - 1n);
});

test('traps: out of bounds, misaligned, invalid char, discriminant and UTF-8', () => {
  const { cx, dv, bytes } = context();
  const traps = (f: () => unknown, re: RegExp): void => assert.throws(f, (e: unknown) => e instanceof RuntimeError && re.test(e.message));
  traps(() => liftFlat(cx, new FlatValues([65530, 10]), string), /out of bounds/);
  traps(() => liftFlat(cx, new FlatValues([2, 1]), list(u32)), /unaligned/);
  traps(() => liftFlat(cx, new FlatValues([0xd800]), char), /invalid char/);
  traps(() => liftFlat(cx, new FlatValues([0x110000]), char), /invalid char/);
  traps(() => liftFlat(cx, new FlatValues([3, 0]), option(u32)), /discriminant/);
  bytes[100] = 0xff;
  traps(() => liftFlat(cx, new FlatValues([100, 1]), string), /invalid UTF-8/);
  dv.setUint8(200, 5);
  traps(() => load(cx, 200, enumT('a', 'b')), /discriminant/);
  // realloc returning a misaligned pointer for a list<u32> traps.
  const bad = new LiftLowerContext({ memory: { buffer: new ArrayBuffer(1024) }, realloc: () => 2, encoding: 'utf8' }, { table: new HandleTable() });
  traps(() => lowerFlat(bad, [1, 2], list(u32), []), /unaligned/);
});

test('JS values of the wrong shape are TypeErrors', () => {
  const { cx } = context();
  assert.throws(() => lowerFlat(cx, 'no', enumT('a', 'b'), []), TypeError);
  assert.throws(() => lowerFlat(cx, { tag: 'zz' }, variant(['a']), []), TypeError);
  assert.throws(() => lowerFlat(cx, 'ab', char, []), TypeError);
  assert.throws(() => lowerFlat(cx, 5, string, []), TypeError);
});

test('handles: own moves out of the table, borrow lends and the lend ends with the call', () => {
  const { cx } = context();
  const r = new Resource('thing', true);
  const obj = { id: 1 };
  const flat: unknown[] = [];
  lowerFlat(cx, obj, { kind: 'own', resource: r }, flat);
  const h = flat[0] as number;
  assert.equal(h, 1); // index 0 is never used
  assert.equal(cx.inst.table.size, 1);
  assert.equal(liftFlat(cx, new FlatValues([h]), { kind: 'borrow', resource: r }), obj);
  // While lent, it cannot be moved out.
  assert.throws(() => liftFlat(cx, new FlatValues([h]), { kind: 'own', resource: r }), RuntimeError);
  cx.scope.release();
  assert.equal(liftFlat(cx, new FlatValues([h]), { kind: 'own', resource: r }), obj);
  assert.equal(cx.inst.table.size, 0);
  // A handle of another resource type traps.
  const other = new Resource('other', true);
  const h2 = cx.inst.table.add({ resource: other, rep: {}, own: true, lends: 0 });
  assert.throws(() => liftFlat(cx, new FlatValues([h2]), { kind: 'own', resource: r }), /is a other, not a thing/);
});

test('camelCase names as jco makes them', () => {
  assert.equal(camel('data-access-timestamp'), 'dataAccessTimestamp');
  assert.equal(camel('get-stdout'), 'getStdout');
  assert.equal(camel('x'), 'x');
  assert.equal(camel('parse-XML'), 'parseXml');
});

test('resource classes are named as jco names them: acronyms lowercased after their first letter', () => {
  assert.equal(className('XML-parser'), 'XmlParser');
  assert.equal(className('blob'), 'Blob');
  assert.equal(resourceClass(new Resource('XML-parser', false)).name, 'XmlParser');
  assert.equal(resourceClass(new Resource('input-stream', false)).name, 'InputStream');
});
