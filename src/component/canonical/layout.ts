// Canonical ABI layout (CanonicalABI.md "Alignment", "Element Size", "Flattening"): the memory
// alignment and size of every value type and its flat core representation. Computed once per type
// object and cached, since lifting and lowering ask for them on every value.

import type { FuncType, Type } from '../types.js';

export type CoreType = 'i32' | 'i64' | 'f32' | 'f64';

export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_RESULTS = 1;

interface Layout { align: number; size: number; flat: CoreType[] }

const cache = new WeakMap<Type, Layout>();

/** Size in bytes of the discriminant of a variant with n cases. */
export function discriminantSize(n: number): number {
  return n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 4;
}

export function alignTo(ptr: number, alignment: number): number {
  return Math.ceil(ptr / alignment) * alignment;
}

/** The cases of option, result and enum as a variant's (CanonicalABI.md "despecialize"). */
export function variantCases(t: Type): ({ type?: Type } | undefined)[] | undefined {
  switch (t.kind) {
    case 'variant': return t.cases;
    case 'option': return [{}, { type: t.type }];
    case 'result': return [{ type: t.ok }, { type: t.err }];
    case 'enum': return t.names.map(() => ({}));
    default: return undefined;
  }
}

function join(a: CoreType, b: CoreType): CoreType {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

function flagsWords(n: number): number {
  return Math.ceil(n / 32);
}

function compute(t: Type): Layout {
  switch (t.kind) {
    case 'bool': case 's8': case 'u8': return { align: 1, size: 1, flat: ['i32'] };
    case 's16': case 'u16': return { align: 2, size: 2, flat: ['i32'] };
    case 's32': case 'u32': case 'char': return { align: 4, size: 4, flat: ['i32'] };
    case 's64': case 'u64': return { align: 8, size: 8, flat: ['i64'] };
    case 'f32': return { align: 4, size: 4, flat: ['f32'] };
    case 'f64': return { align: 8, size: 8, flat: ['f64'] };
    case 'string': return { align: 4, size: 8, flat: ['i32', 'i32'] };
    case 'own': case 'borrow': return { align: 4, size: 4, flat: ['i32'] };
    case 'list': {
      if (t.length === undefined) return { align: 4, size: 8, flat: ['i32', 'i32'] };
      const e = layout(t.elem);
      const flat: CoreType[] = [];
      for (let i = 0; i < t.length; i++) flat.push(...e.flat);
      return { align: e.align, size: e.size * t.length, flat };
    }
    case 'record': case 'tuple': {
      const types = t.kind === 'record' ? t.fields.map((f) => f.type) : t.types;
      let align = 1;
      let size = 0;
      const flat: CoreType[] = [];
      for (const ft of types) {
        const l = layout(ft);
        size = alignTo(size, l.align) + l.size;
        align = Math.max(align, l.align);
        flat.push(...l.flat);
      }
      return { align, size: alignTo(size, align), flat };
    }
    case 'flags': {
      const n = t.names.length;
      if (n <= 8) return { align: 1, size: 1, flat: ['i32'] };
      if (n <= 16) return { align: 2, size: 2, flat: ['i32'] };
      const w = flagsWords(n);
      return { align: 4, size: 4 * w, flat: new Array<CoreType>(w).fill('i32') };
    }
    case 'variant': case 'option': case 'result': case 'enum': {
      const cases = variantCases(t)!;
      const disc = discriminantSize(cases.length);
      let caseAlign = 1;
      let caseSize = 0;
      const flat: CoreType[] = [];
      for (const c of cases) {
        if (!c?.type) continue;
        const l = layout(c.type);
        caseAlign = Math.max(caseAlign, l.align);
        caseSize = Math.max(caseSize, l.size);
        l.flat.forEach((ft, i) => { flat[i] = i < flat.length ? join(flat[i], ft) : ft; });
      }
      const align = Math.max(disc, caseAlign);
      const size = alignTo(alignTo(disc, caseAlign) + caseSize, align);
      return { align, size, flat: ['i32', ...flat] };
    }
  }
}

export function layout(t: Type): Layout {
  let l = cache.get(t);
  if (l === undefined) { l = compute(t); cache.set(t, l); }
  return l;
}

export const alignment = (t: Type): number => layout(t).align;
export const elemSize = (t: Type): number => layout(t).size;
export const flatten = (t: Type): CoreType[] => layout(t).flat;

/** Offset of the payload of a variant-like type (after the discriminant, aligned for every case). */
export function payloadOffset(t: Type): number {
  const cases = variantCases(t)!;
  let caseAlign = 1;
  for (const c of cases) if (c?.type) caseAlign = Math.max(caseAlign, alignment(c.type));
  return alignTo(discriminantSize(cases.length), caseAlign);
}

/** The tuple of a function's parameters or results, as one type (for memory layout). */
export function tupleOf(types: Type[]): Type {
  return { kind: 'tuple', types };
}

export interface FlatSignature {
  params: CoreType[];
  results: CoreType[];
  /** Parameters are passed in memory: one i32 pointer. */
  paramsInMemory: boolean;
  /** Results are passed in memory (lift: the callee returns a pointer; lower: the caller passes one). */
  resultsInMemory: boolean;
}

const sigCache = new WeakMap<FuncType, { lift: FlatSignature; lower: FlatSignature }>();

/** flatten_functype (CanonicalABI.md): the core signature of a lifted or lowered function. */
export function flatSignature(ft: FuncType, context: 'lift' | 'lower'): FlatSignature {
  let s = sigCache.get(ft);
  if (s === undefined) {
    const params = ft.params.flatMap((p) => flatten(p.type));
    const results = ft.results.flatMap((r) => flatten(r));
    const paramsInMemory = params.length > MAX_FLAT_PARAMS;
    const resultsInMemory = results.length > MAX_FLAT_RESULTS;
    const p: CoreType[] = paramsInMemory ? ['i32'] : params;
    s = {
      lift: { params: p, results: resultsInMemory ? ['i32'] : results, paramsInMemory, resultsInMemory },
      lower: { params: resultsInMemory ? [...p, 'i32'] : p, results: resultsInMemory ? [] : results, paramsInMemory, resultsInMemory },
    };
    sigCache.set(ft, s);
  }
  return s[context];
}
