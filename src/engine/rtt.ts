// Run-time types (RTTs): one object per canonical defined type in the process, shared by every
// module, so that equal types (spec §3.4.x iso-recursive equivalence of rec groups) are the same
// object across modules. Casts, call_indirect and import matching compare RTTs (or their ids).
//
// Canonicalisation keys each rec group by its structure, with references into the group as
// relative indices and references to earlier types by their global id (as the validator does per
// module, validate/types.ts); equal keys get the same RTTs. Subtyping of defined types is
// nominal over declared supertypes, so each RTT keeps its chain of supertypes: `supers[d]` is its
// ancestor at depth d (itself at `depth`), and `a <: b` is `a.supers[b.depth] === b`, one load
// and one compare (what V8 does).

import type { Module } from '../ast/module.js';
import type { CompType, FieldType, FuncType, HeapType, StorageType, SubType } from '../ast/types.js';
import { tyChar, zeroOf } from './codegen/context.js';

export const KIND_FUNC = 0, KIND_STRUCT = 1, KIND_ARRAY = 2, KIND_HOST = 3;

/** What compiled code needs of a struct field or array element. */
export interface FieldInfo {
  /** Type character of the unpacked value (codegen/context.ts tyChar). */
  readonly c: string;
  /** 8 or 16 for packed storage, 0 otherwise. */
  readonly packed: 0 | 8 | 16;
  readonly mutable: boolean;
  /** JS source of the default value (spec: default value of the storage type). */
  readonly zero: string;
}

export class RTT {
  /** Ancestors by depth, this one last (supers[depth] === this). */
  supers: RTT[] = [];
  depth = 0;
  /** Struct fields, or the one array element type. */
  fields: FieldInfo[] = [];
  /** Makes a struct from its field values (built on first use). */
  private maker?: (...fields: unknown[]) => object;

  constructor(
    /** Process-wide id (FuncRef.typeId for function types). */
    readonly id: number,
    readonly kind: number,
    readonly final: boolean,
    /** The type as the first module that defined it spelled it (indices relative to `types`). */
    readonly sub: SubType | undefined,
    /** The RTTs of that module's type indices. */
    readonly types: readonly RTT[],
  ) {}

  get comp(): CompType | undefined {
    return this.sub?.comp;
  }

  /** Whether this type is a subtype of `b` (declared supertypes, reflexive and transitive). */
  isSub(b: RTT): boolean {
    return this === b || this.supers[b.depth] === b;
  }

  /** A struct of this type from its field values in order (packed ones already wrapped). */
  make(...fields: unknown[]): object {
    if (this.maker === undefined) {
      // The same literal shape as compiled code's struct.new, so all structs of a type share a map.
      const names = this.fields.map((_, i) => `f${i}`);
      this.maker = new Function('T', `return function (${names.join(', ')}) { return { t: T${names.map((n) => `, ${n}: ${n}`).join('')} }; };`)(this) as (...f: unknown[]) => object;
    }
    return this.maker(...fields);
  }
}

/** The RTT of host values internalized into the any hierarchy (gc.ts HostBox): below any only. */
export const HOST_RTT = new RTT(-1, KIND_HOST, true, undefined, []);
HOST_RTT.supers = [HOST_RTT];

const groups = new Map<string, RTT[]>();
const byId: RTT[] = [];
const perModule = new WeakMap<Module, RTT[]>();

export function fieldInfo(f: FieldType): FieldInfo {
  const s = f.storage;
  if (s === 'i8' || s === 'i16') return { c: 'i', packed: s === 'i8' ? 8 : 16, mutable: f.mutable, zero: '0' };
  const c = tyChar(s);
  return { c, packed: 0, mutable: f.mutable, zero: c === 'v' ? 'S.V128_ZERO' : zeroOf(c) };
}

/** The RTTs of a module's type indices (computed once per module). */
export function moduleTypes(m: Module): readonly RTT[] {
  let out = perModule.get(m);
  if (out !== undefined) return out;
  out = [];
  let start = 0;
  for (const size of m.recGroups) {
    defineGroup(m.types, start, start + size, out);
    start += size;
  }
  perModule.set(m, out);
  return out;
}

function heapKey(h: HeapType, start: number, out: readonly RTT[]): string {
  if (typeof h !== 'number') return h;
  return h >= start ? `r${h - start}` : `g${out[h].id}`;
}

function storageKey(t: StorageType, start: number, out: readonly RTT[]): string {
  return typeof t === 'string' ? t : `${t.nullable ? 'n' : ''}(${heapKey(t.heap, start, out)})`;
}

function defineGroup(types: readonly SubType[], start: number, end: number, out: RTT[]): void {
  let key = '';
  const sk = (t: StorageType): string => storageKey(t, start, out);
  for (let i = start; i < end; i++) {
    const st = types[i];
    key += st.final ? 'F' : 'O';
    for (const s of st.supertypes) key += `<${heapKey(s, start, out)}`;
    const c = st.comp;
    if (c.kind === 'func') key += `f${c.params.map(sk).join(',')}>${c.results.map(sk).join(',')};`;
    else if (c.kind === 'struct') key += `s${c.fields.map((f) => (f.mutable ? 'm' : '') + sk(f.storage)).join(',')};`;
    else key += `a${c.element.mutable ? 'm' : ''}${sk(c.element.storage)};`;
  }
  let rtts = groups.get(key);
  if (rtts === undefined) {
    rtts = [];
    for (let i = start; i < end; i++) {
      const st = types[i];
      const kind = st.comp.kind === 'func' ? KIND_FUNC : st.comp.kind === 'struct' ? KIND_STRUCT : KIND_ARRAY;
      const r = new RTT(byId.length, kind, st.final, st, out);
      byId.push(r);
      rtts.push(r);
    }
    // Supertypes come before their subtypes (validated), inside or before the group.
    for (let i = start; i < end; i++) {
      const r = rtts[i - start];
      const st = types[i];
      const s = st.supertypes.length > 0 ? st.supertypes[0] : -1;
      const sup = s < 0 ? undefined : s >= start ? rtts[s - start] : out[s];
      r.depth = sup === undefined ? 0 : sup.depth + 1;
      r.supers = sup === undefined ? [r] : [...sup.supers, r];
      const c = st.comp;
      if (c.kind === 'struct') r.fields = c.fields.map(fieldInfo);
      else if (c.kind === 'array') r.fields = [fieldInfo(c.element)];
    }
    groups.set(key, rtts);
  }
  for (const r of rtts) out.push(r);
}

export function rttOfId(id: number): RTT | undefined {
  return byId[id];
}

/** Whether canonical type `a` is a subtype of `b` (by id: FuncRef.typeId). */
export function isSubId(a: number, b: number): boolean {
  if (a === b) return true;
  const ra = byId[a], rb = byId[b];
  return ra !== undefined && rb !== undefined && ra.isSub(rb);
}

/**
 * Id of a function type standing alone (no module around it: host functions made by an
 * embedder). Its concrete references, if any, cannot be resolved; it is keyed as a final type
 * in a group of its own, which is what a plain `(type (func ...))` in a module is.
 */
export function standaloneFuncTypeId(ft: FuncType): number {
  const m: Module = {
    types: [{ final: true, supertypes: [], comp: ft }], recGroups: [1], imports: [], funcs: [], tables: [],
    memories: [], globals: [], tags: [], exports: [], elems: [], datas: [], customs: [],
  };
  return moduleTypes(m)[0].id;
}
