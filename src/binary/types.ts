// Binary encoding of types (spec §5.3): value, reference, heap, storage, field, composite and
// sub types, recursion groups, limits, memory/table/global/tag types. Readers and writers.

import type { Reader } from './reader.js';
import type { Writer } from './writer.js';
import {
  anyref, arrayref, eqref, exnref, externref, funcref, i31ref, nullexnref, nullexternref, nullfuncref,
  nullref, structref,
} from '../ast/types.js';
import type {
  AbsHeapType, AddrType, CompType, FieldType, GlobalType, HeapType, Limits, MemType, RefType,
  StorageType, SubType, TableType, TagType, ValType,
} from '../ast/types.js';

/** Abstract heap types by their (negative, single-byte) encoding. */
const ABS_HEAP: (AbsHeapType | undefined)[] = new Array(128).fill(undefined);
ABS_HEAP[0x70] = 'func';
ABS_HEAP[0x6f] = 'extern';
ABS_HEAP[0x6e] = 'any';
ABS_HEAP[0x6d] = 'eq';
ABS_HEAP[0x6c] = 'i31';
ABS_HEAP[0x6b] = 'struct';
ABS_HEAP[0x6a] = 'array';
ABS_HEAP[0x71] = 'none';
ABS_HEAP[0x73] = 'nofunc';
ABS_HEAP[0x72] = 'noextern';
ABS_HEAP[0x69] = 'exn';
ABS_HEAP[0x74] = 'noexn';

const ABS_HEAP_CODE: Record<AbsHeapType, number> = {
  func: 0x70, extern: 0x6f, any: 0x6e, eq: 0x6d, i31: 0x6c, struct: 0x6b, array: 0x6a,
  none: 0x71, nofunc: 0x73, noextern: 0x72, exn: 0x69, noexn: 0x74,
};

/** Nullable abstract reference types: the shorthand bytes map to the interned objects. */
const NULLABLE_ABS: Record<AbsHeapType, RefType> = {
  func: funcref, extern: externref, any: anyref, eq: eqref, i31: i31ref, struct: structref,
  array: arrayref, none: nullref, nofunc: nullfuncref, noextern: nullexternref, exn: exnref,
  noexn: nullexnref,
};

/** Non-nullable abstract reference types, interned too so that decoding allocates nothing for them. */
const NON_NULL_ABS = Object.fromEntries(
  (Object.keys(ABS_HEAP_CODE) as AbsHeapType[]).map((h) => [h, { nullable: false, heap: h } as RefType]),
) as Record<AbsHeapType, RefType>;

/** A reference type, interned when its heap type is abstract. */
export function refType(nullable: boolean, heap: HeapType): RefType {
  if (typeof heap === 'number') return { nullable, heap };
  return nullable ? NULLABLE_ABS[heap] : NON_NULL_ABS[heap];
}

// ---------------------------------------------------------------- reading

/**
 * A vector length. At most the number of bytes left, so nothing is ever allocated for a count
 * the input cannot back; too large a count fails as reading the missing elements would.
 */
export function readVecLength(r: Reader): number {
  return r.vecLength(1);
}

/** A byte length (section and function sizes; spec interpreter: len32). */
export function readByteLength(r: Reader): number {
  const at = r.pos;
  const n = r.u32();
  if (n > r.end - r.pos) r.fail('length out of bounds', at);
  return n;
}

/** A name, with its length checked like a vector's before the bytes are read. */
export function readName(r: Reader): string {
  const at = r.pos;
  const n = r.u32();
  if (n > r.end - r.pos) r.fail('length out of bounds', at);
  r.pos = at;
  return r.name();
}

/**
 * heaptype ::= absheaptype (one negative byte) | s33 type index (non-negative).
 * A single byte in 0x40..0x7F is a negative s33, so it must name an abstract heap type.
 */
export function readHeapType(r: Reader): HeapType {
  const at = r.pos;
  const b = r.peekU8();
  if ((b & 0xc0) === 0x40) {
    r.pos++;
    const h = ABS_HEAP[b];
    if (h === undefined) r.fail('malformed heap type', at);
    return h;
  }
  const idx = r.s33();
  if (idx < 0) r.fail('malformed heap type', at);
  return idx;
}

/** The rest of a reference type whose first byte `b` has already been consumed. */
function refTypeFromByte(r: Reader, b: number): RefType | undefined {
  if (b === 0x64) return refType(false, readHeapType(r));
  if (b === 0x63) return refType(true, readHeapType(r));
  const h = b < 128 ? ABS_HEAP[b] : undefined;
  if (h === undefined) return undefined;
  return NULLABLE_ABS[h];
}

export function readRefType(r: Reader): RefType {
  const at = r.pos;
  const t = refTypeFromByte(r, r.u8());
  if (t === undefined) r.fail('malformed reference type', at);
  return t;
}

/** The rest of a value type whose first byte `b` has already been consumed; undefined if `b` starts none. */
function valTypeFromByte(r: Reader, b: number): ValType | undefined {
  switch (b) {
    case 0x7f: return 'i32';
    case 0x7e: return 'i64';
    case 0x7d: return 'f32';
    case 0x7c: return 'f64';
    case 0x7b: return 'v128';
    default: return refTypeFromByte(r, b);
  }
}

export function readValType(r: Reader): ValType {
  const at = r.pos;
  const t = valTypeFromByte(r, r.u8());
  if (t === undefined) r.fail('malformed value type', at);
  return t;
}

export function readStorageType(r: Reader): StorageType {
  const at = r.pos;
  const b = r.u8();
  if (b === 0x78) return 'i8';
  if (b === 0x77) return 'i16';
  const t = valTypeFromByte(r, b);
  if (t === undefined) r.fail('malformed storage type', at);
  return t;
}

function readMut(r: Reader): boolean {
  const at = r.pos;
  const m = r.u8();
  if (m > 1) r.fail('malformed mutability', at);
  return m === 1;
}

export function readFieldType(r: Reader): FieldType {
  const storage = readStorageType(r);
  return { storage, mutable: readMut(r) };
}

function readResultType(r: Reader): ValType[] {
  const n = readVecLength(r);
  const ts: ValType[] = new Array(n);
  for (let i = 0; i < n; i++) ts[i] = readValType(r);
  return ts;
}

/** comptype, where its first byte `b` has been consumed. */
function compTypeFromByte(r: Reader, b: number, at: number): CompType {
  switch (b) {
    case 0x60: {
      const params = readResultType(r);
      return { kind: 'func', params, results: readResultType(r) };
    }
    case 0x5f: {
      const n = readVecLength(r);
      const fields: FieldType[] = new Array(n);
      for (let i = 0; i < n; i++) fields[i] = readFieldType(r);
      return { kind: 'struct', fields };
    }
    case 0x5e:
      return { kind: 'array', element: readFieldType(r) };
    default:
      // The form is an s7: a continuation bit means an over-long (padded) encoding.
      r.fail(b & 0x80 ? 'integer representation too long' : 'malformed definition type', at);
  }
}

export function readCompType(r: Reader): CompType {
  const at = r.pos;
  return compTypeFromByte(r, r.u8(), at);
}

/** subtype ::= 0x50 vec(typeidx) comptype | 0x4F vec(typeidx) comptype | comptype (final, no supertypes). */
export function readSubType(r: Reader): SubType {
  const at = r.pos;
  const b = r.u8();
  if (b === 0x50 || b === 0x4f) {
    const n = readVecLength(r);
    const supertypes: number[] = new Array(n);
    for (let i = 0; i < n; i++) supertypes[i] = r.u32();
    return { final: b === 0x4f, supertypes, comp: readCompType(r) };
  }
  return { final: true, supertypes: [], comp: compTypeFromByte(r, b, at) };
}

/** rectype ::= 0x4E vec(subtype) | subtype. Appends to `out`, returns the group's size. */
export function readRecType(r: Reader, out: SubType[]): number {
  if (r.peekU8() === 0x4e) {
    r.pos++;
    const n = readVecLength(r);
    for (let i = 0; i < n; i++) out.push(readSubType(r));
    return n;
  }
  out.push(readSubType(r));
  return 1;
}

/**
 * limits with the flag byte: bit 0 = has max, bit 1 = shared (memories only), bit 2 = 64-bit
 * address type. Returns the pieces; callers build MemType / TableType.
 */
function readLimitsFlags(r: Reader, allowShared: boolean, memory64: boolean): { limits: Limits; shared: boolean; addr: AddrType } {
  const at = r.pos;
  const flags = r.u8();
  if (flags & ~(allowShared ? 0x07 : 0x05) || (!memory64 && flags & 4)) r.fail('malformed limits flags', at);
  // 3.0 reads both bounds as u64 whatever the address type (the validator checks their range);
  // before memory64 they were u32.
  const bound = memory64 ? () => r.u64() : () => r.u32();
  const min = bound();
  const limits: Limits = flags & 1 ? { min, max: bound() } : { min };
  return { limits, shared: (flags & 2) !== 0, addr: flags & 4 ? 'i64' : 'i32' };
}

export function readMemType(r: Reader, memory64 = true): MemType {
  return readLimitsFlags(r, true, memory64);
}

export function readTableType(r: Reader, memory64 = true): TableType {
  const elem = readRefType(r);
  const { limits, addr } = readLimitsFlags(r, false, memory64);
  return { limits, addr, elem };
}

export function readGlobalType(r: Reader): GlobalType {
  const type = readValType(r);
  return { type, mutable: readMut(r) };
}

/** tagtype ::= 0x00 typeidx (the attribute byte is reserved: only "exception" exists). */
export function readTagType(r: Reader): TagType {
  const at = r.pos;
  if (r.u8() !== 0) r.fail('malformed tag attribute', at);
  return { typeIdx: r.u32() };
}

// ---------------------------------------------------------------- writing

export function writeHeapType(w: Writer, h: HeapType): void {
  if (typeof h === 'number') w.s64(h);
  else w.u8(ABS_HEAP_CODE[h]);
}

export function writeRefType(w: Writer, t: RefType): void {
  if (t.nullable && typeof t.heap === 'string') {
    w.u8(ABS_HEAP_CODE[t.heap]);
    return;
  }
  w.u8(t.nullable ? 0x63 : 0x64);
  writeHeapType(w, t.heap);
}

export function writeValType(w: Writer, t: ValType): void {
  switch (t) {
    case 'i32': w.u8(0x7f); return;
    case 'i64': w.u8(0x7e); return;
    case 'f32': w.u8(0x7d); return;
    case 'f64': w.u8(0x7c); return;
    case 'v128': w.u8(0x7b); return;
    default: writeRefType(w, t);
  }
}

export function writeStorageType(w: Writer, t: StorageType): void {
  if (t === 'i8') w.u8(0x78);
  else if (t === 'i16') w.u8(0x77);
  else writeValType(w, t);
}

export function writeFieldType(w: Writer, f: FieldType): void {
  writeStorageType(w, f.storage);
  w.u8(f.mutable ? 1 : 0);
}

function writeResultType(w: Writer, ts: readonly ValType[]): void {
  w.u32(ts.length);
  for (const t of ts) writeValType(w, t);
}

export function writeCompType(w: Writer, c: CompType): void {
  switch (c.kind) {
    case 'func':
      w.u8(0x60);
      writeResultType(w, c.params);
      writeResultType(w, c.results);
      return;
    case 'struct':
      w.u8(0x5f);
      w.u32(c.fields.length);
      for (const f of c.fields) writeFieldType(w, f);
      return;
    case 'array':
      w.u8(0x5e);
      writeFieldType(w, c.element);
  }
}

export function writeSubType(w: Writer, s: SubType): void {
  if (s.final && s.supertypes.length === 0) {
    writeCompType(w, s.comp);
    return;
  }
  w.u8(s.final ? 0x4f : 0x50);
  w.u32(s.supertypes.length);
  for (const t of s.supertypes) w.u32(t);
  writeCompType(w, s.comp);
}

/** A recursion group; one of size 1 is written as its bare subtype (equivalent, shorter). */
export function writeRecType(w: Writer, group: readonly SubType[]): void {
  if (group.length === 1) {
    writeSubType(w, group[0]);
    return;
  }
  w.u8(0x4e);
  w.u32(group.length);
  for (const s of group) writeSubType(w, s);
}

function writeLimits(w: Writer, limits: Limits, shared: boolean, addr: AddrType): void {
  w.u8((limits.max !== undefined ? 1 : 0) | (shared ? 2 : 0) | (addr === 'i64' ? 4 : 0));
  w.u64(limits.min);
  if (limits.max !== undefined) w.u64(limits.max);
}

export function writeMemType(w: Writer, m: MemType): void {
  writeLimits(w, m.limits, m.shared, m.addr);
}

export function writeTableType(w: Writer, t: TableType): void {
  writeRefType(w, t.elem);
  writeLimits(w, t.limits, false, t.addr);
}

export function writeGlobalType(w: Writer, g: GlobalType): void {
  writeValType(w, g.type);
  w.u8(g.mutable ? 1 : 0);
}

export function writeTagType(w: Writer, t: TagType): void {
  w.u8(0);
  w.u32(t.typeIdx);
}
