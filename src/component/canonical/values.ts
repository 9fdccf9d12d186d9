// Lifting and lowering values (CanonicalABI.md "Loading", "Storing", "Flat Lifting", "Flat
// Lowering") between core Wasm (flat values and linear memory) and JavaScript, with jco's JS
// conventions: numbers (BigInt for 64-bit), one-character strings for char, typed arrays for
// numeric lists, objects with lowerCamelCase keys for records and flags, arrays for tuples,
// `{ tag, val }` for variants and results, enum cases as strings, `T | undefined` for options.

import type { Type } from '../types.js';
import { type CoreType, alignment, elemSize, flatten, payloadOffset, variantCases, discriminantSize, layout } from './layout.js';
import type { LiftLowerContext } from './context.js';
import { trap } from './resources.js';
import { liftOwn, liftBorrow, lowerOwn, lowerBorrow } from './handles.js';
import { camel } from '../../wit/js-name.js';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf16Decoder = new TextDecoder('utf-16le', { fatal: true });
const latin1Decoder = new TextDecoder('latin1');
const utf8Encoder = new TextEncoder();

const UTF16_TAG = 0x80000000;
const MAX_STRING_BYTE_LENGTH = 0x7fffffff;

const camelCache = new Map<string, string>();
function jsName(label: string): string {
  let n = camelCache.get(label);
  if (n === undefined) { n = camel(label); camelCache.set(label, n); }
  return n;
}

// ------------------------------------------------------------------ scalar conversions

const scratch = new DataView(new ArrayBuffer(8));

function f32FromBits(i: number): number { scratch.setInt32(0, i, true); return scratch.getFloat32(0, true); }
function bitsFromF32(f: number): number { scratch.setFloat32(0, f, true); return scratch.getInt32(0, true); }
function f64FromBits(i: bigint): number { scratch.setBigInt64(0, i, true); return scratch.getFloat64(0, true); }
function bitsFromF64(f: number): bigint { scratch.setFloat64(0, f, true); return scratch.getBigInt64(0, true); }

function charFromCode(i: number): string {
  if (i >= 0x110000 || (i >= 0xd800 && i <= 0xdfff)) trap(`invalid char code point 0x${i.toString(16)}`);
  return String.fromCodePoint(i);
}

function codeFromChar(v: unknown): number {
  if (typeof v !== 'string') throw new TypeError(`expected a one-character string for char, got ${typeof v}`);
  const c = v.codePointAt(0);
  if (c === undefined || v.length !== (c > 0xffff ? 2 : 1) || (c >= 0xd800 && c <= 0xdfff)) throw new TypeError(`expected one Unicode scalar value for char, got ${JSON.stringify(v)}`);
  return c;
}

function num(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new TypeError(`expected a number for ${what}, got ${typeof v}`);
}

function big(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new TypeError(`expected a BigInt for ${what}, got ${typeof v}`);
}

// ------------------------------------------------------------------ strings

export function loadString(cx: LiftLowerContext, ptr: number, tagged: number): string {
  let align = 1;
  let byteLength = tagged;
  let decoder = utf8Decoder;
  switch (cx.opts.encoding) {
    case 'utf8': break;
    case 'utf16': align = 2; byteLength = 2 * tagged; decoder = utf16Decoder; break;
    case 'latin1+utf16':
      align = 2;
      if (tagged & UTF16_TAG) { byteLength = 2 * (tagged & ~UTF16_TAG); decoder = utf16Decoder; } else decoder = latin1Decoder;
      break;
  }
  if (byteLength > MAX_STRING_BYTE_LENGTH) trap('string too long');
  cx.check(ptr, byteLength, align);
  const bytes = cx.bytes().subarray(ptr, ptr + byteLength);
  if (decoder === latin1Decoder) {
    // TextDecoder's 'latin1' is windows-1252; Latin-1 maps each byte to the same code point.
    let s = '';
    for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
    return s;
  }
  if (decoder === utf8Decoder && byteLength <= 64) {
    // Short ASCII strings (names, keys, messages) without TextDecoder's call overhead.
    let ascii = true;
    for (let i = 0; i < byteLength; i++) if (bytes[i] >= 0x80) { ascii = false; break; }
    if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    return trap(`invalid ${decoder === utf8Decoder ? 'UTF-8' : 'UTF-16'} string`);
  }
}

/** Stores a string with realloc; returns [pointer, length in code units (tagged for latin1+utf16)]. */
export function storeString(cx: LiftLowerContext, v: unknown): [number, number] {
  if (typeof v !== 'string') throw new TypeError(`expected a string, got ${typeof v}`);
  switch (cx.opts.encoding) {
    case 'utf8': {
      // The exact UTF-8 length first, so that the string is encoded once, straight into the block.
      const n = utf8Length(v);
      if (n > MAX_STRING_BYTE_LENGTH) trap('string too long');
      const ptr = cx.alloc(1, n);
      const b = cx.bytes();
      if (n === v.length && n <= 64) {
        for (let i = 0; i < n; i++) b[ptr + i] = v.charCodeAt(i);
      } else if (b.buffer instanceof ArrayBuffer) {
        utf8Encoder.encodeInto(v, b.subarray(ptr, ptr + n));
      } else {
        b.set(utf8Encoder.encode(v), ptr); // encodeInto refuses shared memory in browsers
      }
      return [ptr, n];
    }
    case 'utf16': {
      const ptr = cx.alloc(2, 2 * v.length);
      writeUtf16(cx, v, ptr);
      return [ptr, v.length];
    }
    case 'latin1+utf16': {
      let latin1 = true;
      for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) > 0xff) { latin1 = false; break; }
      if (latin1) {
        const ptr = cx.alloc(2, v.length);
        const b = cx.bytes();
        for (let i = 0; i < v.length; i++) b[ptr + i] = v.charCodeAt(i);
        return [ptr, v.length];
      }
      const ptr = cx.alloc(2, 2 * v.length);
      writeUtf16(cx, v, ptr);
      return [ptr, (v.length | UTF16_TAG) >>> 0];
    }
  }
}

/** The length of s in UTF-8 (a lone surrogate counts as U+FFFD's 3 bytes, as TextEncoder writes it). */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) { n += 1; continue; }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      // A pair: 4 bytes for 2 code units.
      if (d >= 0xdc00 && d <= 0xdfff) { n += 2; i++; continue; }
    }
    n += 2;
  }
  return n;
}

function writeUtf16(cx: LiftLowerContext, s: string, ptr: number): void {
  const dv = cx.view();
  for (let i = 0; i < s.length; i++) dv.setUint16(ptr + 2 * i, s.charCodeAt(i), true);
}

// ------------------------------------------------------------------ numeric lists as typed arrays

type TypedArrayCtor = { new (buffer: ArrayBufferLike, offset: number, length: number): ArrayLike<unknown> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number; slice(): unknown }; new (length: number): unknown; BYTES_PER_ELEMENT: number };

const TYPED: Partial<Record<Type['kind'], TypedArrayCtor>> = {
  u8: Uint8Array, s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array, s32: Int32Array,
  u64: BigUint64Array, s64: BigInt64Array, f32: Float32Array, f64: Float64Array,
} as unknown as Partial<Record<Type['kind'], TypedArrayCtor>>;

function loadList(cx: LiftLowerContext, ptr: number, length: number, elem: Type): unknown {
  const size = elemSize(elem);
  cx.check(ptr, length * size, alignment(elem));
  const Typed = TYPED[elem.kind];
  if (Typed !== undefined) {
    // A copy: the guest may reuse its memory after the call. The slice of the underlying bytes
    // keeps exact NaN payloads, which lifting may do (any NaN lifts to NaN in JS).
    const b = cx.bytes();
    if (b.buffer instanceof ArrayBuffer) return new Typed(b.buffer.slice(ptr, ptr + length * size), 0, length);
    return new Typed(b.slice(ptr, ptr + length * size).buffer, 0, length); // not shared with other agents
  }
  const out = new Array<unknown>(length);
  for (let i = 0; i < length; i++) out[i] = load(cx, ptr + i * size, elem);
  return out;
}

function storeList(cx: LiftLowerContext, v: unknown, elem: Type): [number, number] {
  const size = elemSize(elem);
  const Typed = TYPED[elem.kind];
  if (Typed !== undefined && ArrayBuffer.isView(v) && v instanceof (Typed as unknown as typeof Uint8Array)) {
    const src = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    const n = v.byteLength / size;
    const ptr = cx.alloc(alignment(elem), v.byteLength);
    cx.bytes().set(src, ptr);
    return [ptr, n];
  }
  const items = Array.isArray(v) ? v : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<unknown>) : undefined;
  if (items === undefined) throw new TypeError(`expected an array for list, got ${typeof v}`);
  const ptr = cx.alloc(alignment(elem), items.length * size);
  for (let i = 0; i < items.length; i++) store(cx, items[i], elem, ptr + i * size);
  return [ptr, items.length];
}

// ------------------------------------------------------------------ variants in JS

/** The case index and payload of a JS value of a variant-like type. */
function caseOf(t: Type, v: unknown): [number, unknown] {
  switch (t.kind) {
    case 'option':
      if (t.type.kind === 'option') {
        const o = v as { tag?: string; val?: unknown } | undefined;
        if (o === undefined || o === null || o.tag === 'none') return [0, undefined];
        if (o.tag === 'some') return [1, o.val];
        throw new TypeError('expected { tag: "some" | "none" } for a nested option');
      }
      return v === undefined || v === null ? [0, undefined] : [1, v];
    case 'enum': {
      const i = t.names.indexOf(v as string);
      if (i < 0) throw new TypeError(`invalid enum value ${JSON.stringify(v)} (expected one of ${t.names.join(', ')})`);
      return [i, undefined];
    }
    case 'result': {
      const o = v as { tag?: string; val?: unknown };
      if (o?.tag === 'ok') return [0, o.val];
      if (o?.tag === 'err') return [1, o.val];
      throw new TypeError('expected { tag: "ok" | "err", val } for a result');
    }
    case 'variant': {
      const o = v as { tag?: string; val?: unknown };
      const i = t.cases.findIndex((c) => c.name === o?.tag);
      if (i < 0) throw new TypeError(`invalid variant tag ${JSON.stringify(o?.tag)} (expected one of ${t.cases.map((c) => c.name).join(', ')})`);
      return [i, o.val];
    }
    default: throw new Error('not a variant');
  }
}

function variantValue(t: Type, i: number, payload: unknown): unknown {
  switch (t.kind) {
    case 'option':
      if (t.type.kind === 'option') return i === 0 ? { tag: 'none' } : { tag: 'some', val: payload };
      return i === 0 ? undefined : payload;
    case 'enum': return t.names[i];
    case 'result': return { tag: i === 0 ? 'ok' : 'err', val: payload };
    case 'variant': return t.cases[i].type === undefined ? { tag: t.cases[i].name } : { tag: t.cases[i].name, val: payload };
    default: throw new Error('not a variant');
  }
}

// ------------------------------------------------------------------ memory

function loadDisc(cx: LiftLowerContext, ptr: number, n: number): number {
  const dv = cx.view();
  switch (discriminantSize(n)) {
    case 1: return dv.getUint8(ptr);
    case 2: return dv.getUint16(ptr, true);
    default: return dv.getUint32(ptr, true);
  }
}

/** load (CanonicalABI.md): the value of type t at ptr (ptr is already checked for bounds and alignment). */
export function load(cx: LiftLowerContext, ptr: number, t: Type): unknown {
  const dv = cx.view();
  switch (t.kind) {
    case 'bool': return dv.getUint8(ptr) !== 0;
    case 'u8': return dv.getUint8(ptr);
    case 's8': return dv.getInt8(ptr);
    case 'u16': return dv.getUint16(ptr, true);
    case 's16': return dv.getInt16(ptr, true);
    case 'u32': return dv.getUint32(ptr, true);
    case 's32': return dv.getInt32(ptr, true);
    case 'u64': return dv.getBigUint64(ptr, true);
    case 's64': return dv.getBigInt64(ptr, true);
    case 'f32': return dv.getFloat32(ptr, true);
    case 'f64': return dv.getFloat64(ptr, true);
    case 'char': return charFromCode(dv.getUint32(ptr, true));
    case 'string': return loadString(cx, dv.getUint32(ptr, true), dv.getUint32(ptr + 4, true));
    case 'list':
      if (t.length !== undefined) {
        const size = elemSize(t.elem);
        const out = new Array<unknown>(t.length);
        for (let i = 0; i < t.length; i++) out[i] = load(cx, ptr + i * size, t.elem);
        return out;
      }
      return loadList(cx, dv.getUint32(ptr, true), dv.getUint32(ptr + 4, true), t.elem);
    case 'record': {
      const out: Record<string, unknown> = {};
      let p = ptr;
      for (const f of t.fields) {
        p = Math.ceil(p / alignment(f.type)) * alignment(f.type);
        out[jsName(f.name)] = load(cx, p, f.type);
        p += elemSize(f.type);
      }
      return out;
    }
    case 'tuple': {
      const out = new Array<unknown>(t.types.length);
      let p = ptr;
      t.types.forEach((ft, i) => {
        p = Math.ceil(p / alignment(ft)) * alignment(ft);
        out[i] = load(cx, p, ft);
        p += elemSize(ft);
      });
      return out;
    }
    case 'flags': {
      const n = t.names.length;
      const out: Record<string, boolean> = {};
      const word = (w: number): number => (n <= 8 ? dv.getUint8(ptr) : n <= 16 ? dv.getUint16(ptr, true) : dv.getUint32(ptr + 4 * w, true));
      for (let i = 0; i < n; i++) out[jsName(t.names[i])] = ((word(i >> 5) >>> (i & 31)) & 1) === 1;
      return out;
    }
    case 'variant': case 'option': case 'result': case 'enum': {
      const cases = variantCases(t)!;
      const i = loadDisc(cx, ptr, cases.length);
      if (i >= cases.length) trap(`invalid variant discriminant ${i}`);
      const ct = cases[i]?.type;
      return variantValue(t, i, ct === undefined ? undefined : load(cx, ptr + payloadOffset(t), ct));
    }
    case 'own': return liftOwn(cx, t.resource, dv.getUint32(ptr, true));
    case 'borrow': return liftBorrow(cx, t.resource, dv.getUint32(ptr, true));
  }
}

/** store (CanonicalABI.md): writes v of type t at ptr (already checked). */
export function store(cx: LiftLowerContext, v: unknown, t: Type, ptr: number): void {
  switch (t.kind) {
    case 'bool': cx.view().setUint8(ptr, v ? 1 : 0); return;
    case 'u8': case 's8': cx.view().setUint8(ptr, num(v, t.kind) & 0xff); return;
    case 'u16': case 's16': cx.view().setUint16(ptr, num(v, t.kind) & 0xffff, true); return;
    case 'u32': case 's32': cx.view().setUint32(ptr, num(v, t.kind) >>> 0, true); return;
    case 'u64': case 's64': cx.view().setBigUint64(ptr, BigInt.asUintN(64, big(v, t.kind)), true); return;
    case 'f32': cx.view().setFloat32(ptr, num(v, 'f32'), true); return;
    case 'f64': cx.view().setFloat64(ptr, num(v, 'f64'), true); return;
    case 'char': cx.view().setUint32(ptr, codeFromChar(v), true); return;
    case 'string': {
      const [p, n] = storeString(cx, v);
      const dv = cx.view();
      dv.setUint32(ptr, p, true); dv.setUint32(ptr + 4, n, true);
      return;
    }
    case 'list': {
      if (t.length !== undefined) {
        const items = v as unknown[];
        if (items?.length !== t.length) throw new TypeError(`expected ${t.length} elements`);
        const size = elemSize(t.elem);
        for (let i = 0; i < t.length; i++) store(cx, items[i], t.elem, ptr + i * size);
        return;
      }
      const [p, n] = storeList(cx, v, t.elem);
      const dv = cx.view();
      dv.setUint32(ptr, p, true); dv.setUint32(ptr + 4, n, true);
      return;
    }
    case 'record': {
      if (typeof v !== 'object' || v === null) throw new TypeError('expected an object for a record');
      let p = ptr;
      for (const f of t.fields) {
        p = Math.ceil(p / alignment(f.type)) * alignment(f.type);
        store(cx, (v as Record<string, unknown>)[jsName(f.name)], f.type, p);
        p += elemSize(f.type);
      }
      return;
    }
    case 'tuple': {
      if (!Array.isArray(v) || v.length !== t.types.length) throw new TypeError(`expected an array of ${t.types.length} for a tuple`);
      let p = ptr;
      t.types.forEach((ft, i) => {
        p = Math.ceil(p / alignment(ft)) * alignment(ft);
        store(cx, v[i], ft, p);
        p += elemSize(ft);
      });
      return;
    }
    case 'flags': {
      const words = flagWords(t.names, v);
      const dv = cx.view();
      const n = t.names.length;
      if (n <= 8) dv.setUint8(ptr, words[0]);
      else if (n <= 16) dv.setUint16(ptr, words[0], true);
      else words.forEach((w, i) => dv.setUint32(ptr + 4 * i, w, true));
      return;
    }
    case 'variant': case 'option': case 'result': case 'enum': {
      const cases = variantCases(t)!;
      const [i, payload] = caseOf(t, v);
      const dv = cx.view();
      switch (discriminantSize(cases.length)) {
        case 1: dv.setUint8(ptr, i); break;
        case 2: dv.setUint16(ptr, i, true); break;
        default: dv.setUint32(ptr, i, true);
      }
      const ct = cases[i]?.type;
      if (ct !== undefined) store(cx, payload, ct, ptr + payloadOffset(t));
      return;
    }
    case 'own': cx.view().setUint32(ptr, lowerOwn(cx, t.resource, v), true); return;
    case 'borrow': cx.view().setUint32(ptr, lowerBorrow(cx, t.resource, v), true); return;
  }
}

function flagWords(names: string[], v: unknown): number[] {
  if (typeof v !== 'object' || v === null) throw new TypeError('expected an object for flags');
  const words = new Array<number>(Math.max(1, Math.ceil(names.length / 32))).fill(0);
  names.forEach((n, i) => { if ((v as Record<string, unknown>)[jsName(n)]) words[i >> 5] |= 1 << (i & 31); });
  return words.map((w) => w >>> 0);
}

// ------------------------------------------------------------------ flat values

/** A cursor over flat core values (CanonicalABI.md "CoreValueIter"). */
export class FlatValues {
  i = 0;
  constructor(readonly values: readonly unknown[]) {}
  next(): unknown {
    return this.values[this.i++];
  }
}

function coerceLift(have: CoreType, want: CoreType, v: unknown): unknown {
  if (have === want) return v;
  if (have === 'i32') return f32FromBits(v as number); // want f32
  const i = v as bigint; // have i64
  switch (want) {
    case 'i32': return Number(BigInt.asIntN(32, i));
    case 'f32': return f32FromBits(Number(BigInt.asIntN(32, i)));
    case 'f64': return f64FromBits(i);
    default: return v;
  }
}

function coerceLower(joined: CoreType, have: CoreType, v: unknown): unknown {
  if (joined === have) return v;
  if (joined === 'i32') return bitsFromF32(v as number); // have f32
  switch (have) { // joined i64
    case 'i32': return BigInt((v as number) >>> 0);
    case 'f32': return BigInt(bitsFromF32(v as number) >>> 0);
    case 'f64': return bitsFromF64(v as number);
    default: return v;
  }
}

/** lift_flat: the JS value of type t from flat core values. */
export function liftFlat(cx: LiftLowerContext, vi: FlatValues, t: Type): unknown {
  switch (t.kind) {
    case 'bool': return (vi.next() as number) !== 0;
    case 'u8': return (vi.next() as number) & 0xff;
    case 's8': return ((vi.next() as number) << 24) >> 24;
    case 'u16': return (vi.next() as number) & 0xffff;
    case 's16': return ((vi.next() as number) << 16) >> 16;
    case 'u32': return (vi.next() as number) >>> 0;
    case 's32': return (vi.next() as number) | 0;
    case 'u64': return BigInt.asUintN(64, vi.next() as bigint);
    case 's64': return BigInt.asIntN(64, vi.next() as bigint);
    case 'f32': case 'f64': return vi.next() as number;
    case 'char': return charFromCode((vi.next() as number) >>> 0);
    case 'string': { const p = (vi.next() as number) >>> 0; return loadString(cx, p, (vi.next() as number) >>> 0); }
    case 'list':
      if (t.length !== undefined) { const out: unknown[] = []; for (let i = 0; i < t.length; i++) out.push(liftFlat(cx, vi, t.elem)); return out; }
      { const p = (vi.next() as number) >>> 0; return loadList(cx, p, (vi.next() as number) >>> 0, t.elem); }
    case 'record': {
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[jsName(f.name)] = liftFlat(cx, vi, f.type);
      return out;
    }
    case 'tuple': return t.types.map((ft) => liftFlat(cx, vi, ft));
    case 'flags': {
      const n = t.names.length;
      const words: number[] = [];
      for (let w = 0; w < Math.max(1, Math.ceil(n / 32)); w++) words.push((vi.next() as number) >>> 0);
      const out: Record<string, boolean> = {};
      for (let i = 0; i < n; i++) out[jsName(t.names[i])] = ((words[i >> 5] >>> (i & 31)) & 1) === 1;
      return out;
    }
    case 'variant': case 'option': case 'result': case 'enum': {
      const cases = variantCases(t)!;
      const joined = flatten(t).slice(1);
      const i = (vi.next() as number) >>> 0;
      if (i >= cases.length) trap(`invalid variant discriminant ${i}`);
      const ct = cases[i]?.type;
      let payload: unknown;
      if (ct !== undefined) {
        const want = flatten(ct);
        const coerced = want.map((w, k) => coerceLift(joined[k], w, vi.values[vi.i + k]));
        payload = liftFlat(cx, new FlatValues(coerced), ct);
      }
      vi.i += joined.length;
      return variantValue(t, i, payload);
    }
    case 'own': return liftOwn(cx, t.resource, vi.next() as number);
    case 'borrow': return liftBorrow(cx, t.resource, vi.next() as number);
  }
}

/** lower_flat: pushes the flat core values of v (type t) onto out. */
export function lowerFlat(cx: LiftLowerContext, v: unknown, t: Type, out: unknown[]): void {
  switch (t.kind) {
    case 'bool': out.push(v ? 1 : 0); return;
    case 'u8': case 's8': case 'u16': case 's16': case 'u32': case 's32': out.push(num(v, t.kind) | 0); return;
    case 'u64': case 's64': out.push(BigInt.asIntN(64, big(v, t.kind))); return;
    case 'f32': out.push(Math.fround(num(v, 'f32'))); return;
    case 'f64': out.push(num(v, 'f64')); return;
    case 'char': out.push(codeFromChar(v)); return;
    case 'string': { const [p, n] = storeString(cx, v); out.push(p, n | 0); return; }
    case 'list':
      if (t.length !== undefined) {
        const items = v as unknown[];
        if (items?.length !== t.length) throw new TypeError(`expected ${t.length} elements`);
        for (const x of items) lowerFlat(cx, x, t.elem, out);
        return;
      }
      { const [p, n] = storeList(cx, v, t.elem); out.push(p, n); return; }
    case 'record':
      if (typeof v !== 'object' || v === null) throw new TypeError('expected an object for a record');
      for (const f of t.fields) lowerFlat(cx, (v as Record<string, unknown>)[jsName(f.name)], f.type, out);
      return;
    case 'tuple':
      if (!Array.isArray(v) || v.length !== t.types.length) throw new TypeError(`expected an array of ${t.types.length} for a tuple`);
      t.types.forEach((ft, i) => lowerFlat(cx, v[i], ft, out));
      return;
    case 'flags': {
      const words = flagWords(t.names, v);
      for (const w of words) out.push(w | 0);
      return;
    }
    case 'variant': case 'option': case 'result': case 'enum': {
      const cases = variantCases(t)!;
      const joined = flatten(t).slice(1);
      const [i, payload] = caseOf(t, v);
      out.push(i);
      const ct = cases[i]?.type;
      const start = out.length;
      if (ct !== undefined) {
        const have = flatten(ct);
        lowerFlat(cx, payload, ct, out);
        for (let k = 0; k < have.length; k++) out[start + k] = coerceLower(joined[k], have[k], out[start + k]);
      }
      for (let k = out.length - start; k < joined.length; k++) out.push(joined[k] === 'i64' ? 0n : 0);
      return;
    }
    case 'own': out.push(lowerOwn(cx, t.resource, v)); return;
    case 'borrow': out.push(lowerBorrow(cx, t.resource, v)); return;
  }
}

/** Loads the values of a tuple type from memory at ptr (checked), as params or results passed in memory are. */
export function loadTuple(cx: LiftLowerContext, ptr: number, t: Type & { kind: 'tuple' }): unknown[] {
  cx.check(ptr, layout(t).size, layout(t).align);
  return load(cx, ptr, t) as unknown[];
}

/** Stores the values of a tuple type at ptr (checked). */
export function storeTuple(cx: LiftLowerContext, values: unknown[], t: Type & { kind: 'tuple' }, ptr: number): void {
  cx.check(ptr, layout(t).size, layout(t).align);
  store(cx, values, t, ptr);
}
