// Type section validation (spec §3.2, §3.4.x "Recursive types") and subtyping (§3.3.x "Matching").
//
// Value types are interned as small integers so the body validator's operand stack is an
// Int32Array and most type checks are one integer compare:
//   0 = BOT (the unknown type of unreachable code), 1..5 = i32 i64 f32 f64 v128, 6/7 = i8/i16
//   (packed storage only), and reference types 8 + 2*heap + (nullable ? 1 : 0), where heap is an
//   abstract heap type code (H_*) or CONCRETE + the canonical representative of a type index.
// Type indices are canonicalized per module by iso-recursive equivalence: each rec group is
// keyed by its structure (references inside the group as relative indices, references to
// earlier types by their canonical representative), and equal keys share one representative,
// so equivalent concrete types intern to the same integer.

import { CompileError } from '../errors.js';
import type { CompType, FieldType, HeapType, StorageType, SubType, ValType } from '../ast/types.js';

export const BOT = 0, I32 = 1, I64 = 2, F32 = 3, F64 = 4, V128 = 5, I8 = 6, I16 = 7;

export const H_FUNC = 0, H_NOFUNC = 1, H_EXTERN = 2, H_NOEXTERN = 3, H_ANY = 4, H_EQ = 5, H_I31 = 6,
  H_STRUCT = 7, H_ARRAY = 8, H_NONE = 9, H_EXN = 10, H_NOEXN = 11, H_BOT = 12, CONCRETE = 16;

export const K_FUNC = 0, K_STRUCT = 1, K_ARRAY = 2;

export function ref(heap: number, nullable: boolean): number {
  return 8 + heap * 2 + (nullable ? 1 : 0);
}
export function isRef(t: number): boolean {
  return t >= 8;
}
export function heapOf(t: number): number {
  return (t - 8) >> 1;
}
export function isNullable(t: number): boolean {
  return (t & 1) === 1;
}

const ABS_NAMES = ['func', 'nofunc', 'extern', 'noextern', 'any', 'eq', 'i31', 'struct', 'array', 'none', 'exn', 'noexn', 'bot'];
const ABS_CODE: Record<string, number> = {};
ABS_NAMES.forEach((n, i) => (ABS_CODE[n] = i));

/** Abstract heap type code for a binary heap type byte (0x69..0x74), -1 otherwise. */
export const ABS_HEAP_BYTE: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  t[0x70] = H_FUNC; t[0x6f] = H_EXTERN; t[0x6e] = H_ANY; t[0x6d] = H_EQ; t[0x6c] = H_I31;
  t[0x6b] = H_STRUCT; t[0x6a] = H_ARRAY; t[0x71] = H_NONE; t[0x72] = H_NOEXTERN; t[0x73] = H_NOFUNC;
  t[0x69] = H_EXN; t[0x74] = H_NOEXN;
  return t;
})();

const EMPTY: Int32Array = new Int32Array(0);

/** Per-module type information, indexed by type index (or by canonical representative where noted). */
export class TypeCtx {
  readonly n: number;
  /** Type index -> canonical representative (a type index). */
  readonly canon: Int32Array;
  /** Canonical representative -> representative of its declared supertype, or -1. */
  readonly sup: Int32Array;
  readonly kind: Uint8Array;
  readonly final: Uint8Array;
  /** Function types: interned params/results; structs: field storage types; arrays: one element. */
  readonly params: Int32Array[];
  readonly results: Int32Array[];
  readonly fields: Int32Array[];
  readonly mut: Uint8Array[];
  /** Canonical key of each rec group keyed by structure -> its first type index. */
  private readonly groupKeys = new Map<string, number>();

  constructor(readonly types: readonly SubType[], recGroups: readonly number[]) {
    const n = (this.n = types.length);
    this.canon = new Int32Array(n).fill(-1);
    this.sup = new Int32Array(n).fill(-1);
    this.kind = new Uint8Array(n);
    this.final = new Uint8Array(n);
    this.params = new Array(n).fill(EMPTY);
    this.results = new Array(n).fill(EMPTY);
    this.fields = new Array(n).fill(EMPTY);
    this.mut = new Array(n).fill(new Uint8Array(0));
    let start = 0;
    for (const size of recGroups) {
      this.defineGroup(start, start + size);
      start += size;
    }
    if (start !== n) throw new CompileError('type section: rec groups do not cover all types');
  }

  private defineGroup(start: number, end: number): void {
    const types = this.types;
    // Key: structure with in-group references relative and outer references canonical.
    let key = '';
    const refKey = (h: HeapType): string => {
      if (typeof h !== 'number') return h;
      if (h >= end) throw new CompileError(`unknown type ${h}`);
      return h >= start ? `r${h - start}` : `c${this.canon[h]}`;
    };
    const vk = (t: StorageType): string => (typeof t === 'string' ? t : `${t.nullable ? 'n' : ''}(${refKey(t.heap)})`);
    for (let i = start; i < end; i++) {
      const st = types[i];
      key += st.final ? 'F' : 'O';
      for (const s of st.supertypes) {
        if (s >= i) throw new CompileError(`unknown type ${s}: supertype of type ${i} must be defined before it`);
        key += `<${refKey(s)}`;
      }
      const c = st.comp;
      if (c.kind === 'func') key += `f${c.params.map(vk).join(',')}>${c.results.map(vk).join(',')};`;
      else if (c.kind === 'struct') key += `s${c.fields.map((f) => (f.mutable ? 'm' : '') + vk(f.storage)).join(',')};`;
      else key += `a${c.element.mutable ? 'm' : ''}${vk(c.element.storage)};`;
    }
    const prev = this.groupKeys.get(key);
    const rep = prev ?? start;
    if (prev === undefined) this.groupKeys.set(key, start);
    for (let i = start; i < end; i++) this.canon[i] = rep + (i - start);
    for (let i = start; i < end; i++) {
      const st = types[i];
      const c = st.comp;
      this.kind[i] = c.kind === 'func' ? K_FUNC : c.kind === 'struct' ? K_STRUCT : K_ARRAY;
      this.final[i] = st.final ? 1 : 0;
      if (c.kind === 'func') {
        this.params[i] = Int32Array.from(c.params, (t) => this.valType(t, end));
        this.results[i] = Int32Array.from(c.results, (t) => this.valType(t, end));
      } else {
        const fs: readonly FieldType[] = c.kind === 'struct' ? c.fields : [c.element];
        this.fields[i] = Int32Array.from(fs, (f) => this.storageType(f.storage, end));
        this.mut[i] = Uint8Array.from(fs, (f) => (f.mutable ? 1 : 0));
      }
      if (st.supertypes.length > 1) throw new CompileError(`sub type: type ${i} has more than one supertype`);
      if (st.supertypes.length === 1) this.sup[this.canon[i]] = this.canon[st.supertypes[0]];
    }
    // Supertype rules, once every type of the group is interned.
    for (let i = start; i < end; i++) {
      const st = types[i];
      if (st.supertypes.length === 0) continue;
      const s = st.supertypes[0];
      if (this.final[s]) throw new CompileError(`sub type: type ${i} extends final type ${s}`);
      if (!this.compMatches(i, s)) throw new CompileError(`sub type: type ${i} does not match its supertype ${s}`);
    }
  }

  /** Interns a value type; concrete indices must be below `bound` (default: all types). */
  valType(t: ValType, bound = this.n): number {
    switch (t) {
      case 'i32': return I32;
      case 'i64': return I64;
      case 'f32': return F32;
      case 'f64': return F64;
      case 'v128': return V128;
    }
    return ref(this.heapType(t.heap, bound), t.nullable);
  }

  storageType(t: StorageType, bound = this.n): number {
    if (t === 'i8') return I8;
    if (t === 'i16') return I16;
    return this.valType(t, bound);
  }

  heapType(h: HeapType, bound = this.n): number {
    if (typeof h === 'number') {
      if (h < 0 || h >= bound || h >= this.n) throw new CompileError(`unknown type ${h}`);
      return CONCRETE + this.canon[h];
    }
    const c = ABS_CODE[h];
    if (c === undefined) throw new CompileError(`unknown heap type ${h}`);
    return c;
  }

  /** Comptype of type a matches comptype of type b (spec: comptype matching). */
  private compMatches(a: number, b: number): boolean {
    const k = this.kind[a];
    if (k !== this.kind[b]) return false;
    if (k === K_FUNC) {
      const pa = this.params[a], pb = this.params[b], ra = this.results[a], rb = this.results[b];
      if (pa.length !== pb.length || ra.length !== rb.length) return false;
      for (let i = 0; i < pa.length; i++) if (!this.isSub(pb[i], pa[i])) return false;
      for (let i = 0; i < ra.length; i++) if (!this.isSub(ra[i], rb[i])) return false;
      return true;
    }
    const fa = this.fields[a], fb = this.fields[b], ma = this.mut[a], mb = this.mut[b];
    if (k === K_ARRAY ? fa.length !== fb.length : fa.length < fb.length) return false;
    for (let i = 0; i < fb.length; i++) if (!this.fieldMatches(fa[i], ma[i], fb[i], mb[i])) return false;
    return true;
  }

  fieldMatches(ta: number, ma: number, tb: number, mb: number): boolean {
    if (ma !== mb) return false;
    if (ta === tb) return true;
    if (ta < 8 || tb < 8) return false;
    return this.isSub(ta, tb) && (ma === 0 || this.isSub(tb, ta));
  }

  /** Value type subtyping (BOT matches everything). */
  isSub(a: number, b: number): boolean {
    if (a === b || a === BOT) return true;
    if (a < 8 || b < 8) return false;
    if ((a & 1) === 1 && (b & 1) === 0) return false;
    return this.heapSub((a - 8) >> 1, (b - 8) >> 1);
  }

  heapSub(a: number, b: number): boolean {
    if (a === b || a === H_BOT) return true;
    if (b >= CONCRETE) {
      const cb = b - CONCRETE;
      if (a >= CONCRETE) {
        for (let c = a - CONCRETE; c >= 0; c = this.sup[c]) if (c === cb) return true;
        return false;
      }
      const k = this.kind[cb];
      if (a === H_NONE) return k !== K_FUNC;
      if (a === H_NOFUNC) return k === K_FUNC;
      return false;
    }
    if (a >= CONCRETE) {
      const k = this.kind[a - CONCRETE];
      switch (b) {
        case H_ANY: case H_EQ: return k !== K_FUNC;
        case H_STRUCT: return k === K_STRUCT;
        case H_ARRAY: return k === K_ARRAY;
        case H_FUNC: return k === K_FUNC;
        default: return false;
      }
    }
    switch (b) {
      case H_ANY: return a === H_EQ || a === H_I31 || a === H_STRUCT || a === H_ARRAY || a === H_NONE;
      case H_EQ: return a === H_I31 || a === H_STRUCT || a === H_ARRAY || a === H_NONE;
      case H_STRUCT: case H_ARRAY: case H_I31: return a === H_NONE;
      case H_FUNC: return a === H_NOFUNC;
      case H_EXTERN: return a === H_NOEXTERN;
      case H_EXN: return a === H_NOEXN;
      default: return false;
    }
  }

  /** The top of a heap type's hierarchy (func, extern, any or exn); H_BOT for bot. */
  topOf(h: number): number {
    if (h >= CONCRETE) return this.kind[h - CONCRETE] === K_FUNC ? H_FUNC : H_ANY;
    switch (h) {
      case H_FUNC: case H_NOFUNC: return H_FUNC;
      case H_EXTERN: case H_NOEXTERN: return H_EXTERN;
      case H_EXN: case H_NOEXN: return H_EXN;
      case H_BOT: return H_BOT;
      default: return H_ANY;
    }
  }

  isFunc(idx: number): boolean {
    return idx >= 0 && idx < this.n && this.kind[idx] === K_FUNC;
  }

  toString(t: number): string {
    switch (t) {
      case BOT: return 'bot';
      case I32: return 'i32';
      case I64: return 'i64';
      case F32: return 'f32';
      case F64: return 'f64';
      case V128: return 'v128';
      case I8: return 'i8';
      case I16: return 'i16';
    }
    const h = heapOf(t);
    const hs = h >= CONCRETE ? String(h - CONCRETE) : ABS_NAMES[h];
    return `(ref ${isNullable(t) ? 'null ' : ''}${hs})`;
  }
}

/** Unpacks a storage type to the value type it is read as. */
export function unpacked(t: number): number {
  return t === I8 || t === I16 ? I32 : t;
}

/** Defaultable value types: numbers, vectors and nullable references (and packed storage). */
export function defaultable(t: number): boolean {
  return t < 8 || (t & 1) === 1;
}

export type { CompType };
