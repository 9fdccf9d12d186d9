// Import matching (spec §4.5.3.1 "external types" and §4.5.4 instantiation step 3): each
// resolved import must be of the declared kind and a subtype of the declared type.

import type { Import, Module } from '../ast/module.js';
import type { GlobalType, HeapType, Limits, MemType, TableType, ValType } from '../ast/types.js';
import { valTypeToString } from '../ast/types.js';
import { isSubId, KIND_FUNC, KIND_STRUCT, type RTT } from './rtt.js';
import { LinkError } from '../errors.js';
import { funcTypeText } from './typeids.js';
import type { ModuleInfo } from './codegen/context.js';
import type { GlobalObject, ResolvedImport, TableObject } from './types.js';

function limitsText(l: Limits): string {
  return l.max === undefined ? `${l.min}` : `${l.min} ${l.max}`;
}

function expectedText(m: Module, info: ModuleInfo, imp: Import): string {
  const d = imp.desc;
  switch (d.kind) {
    case 'func': {
      const t = info.types[d.typeIdx];
      const s = t ? funcTypeText(t) : '';
      return s ? `func ${s}` : 'func';
    }
    case 'table': return `table ${limitsText(d.type.limits)} ${valTypeToString(d.type.elem)}`;
    case 'memory': return `memory ${limitsText(d.type.limits)}`;
    case 'global': return d.type.mutable ? `global (mut ${valTypeToString(d.type.type)})` : `global ${valTypeToString(d.type.type)}`;
    case 'tag': {
      const t = info.types[d.type.typeIdx];
      const s = t ? funcTypeText(t) : '';
      return s ? `tag ${s}` : 'tag';
    }
  }
  void m;
}

/** Limits {min, max} match the expected ones when they are at least as tight (spec: limits subtyping). */
function limitsMatch(actualMin: number, actualMax: number | undefined, expected: Limits): boolean {
  if (actualMin < expected.min) return false;
  if (expected.max === undefined) return true;
  return actualMax !== undefined && actualMax <= expected.max;
}

/** A value type with the run-time types that resolve its concrete heap types. */
interface Typed { readonly t: ValType; readonly types: readonly RTT[] | undefined }

function tableMatches(actual: TableObject, expected: TableType, types: readonly RTT[]): boolean {
  const a: Typed = { t: actual.type.elem, types: actual.types }, e: Typed = { t: expected.elem, types };
  return valSubtype(a, e) && valSubtype(e, a) && actual.type.addr === expected.addr &&
    limitsMatch(actual.elements.length, actual.type.limits.max, expected.limits);
}

function memoryMatches(actualType: MemType, pages: number, expected: MemType): boolean {
  return actualType.addr === expected.addr && actualType.shared === expected.shared &&
    limitsMatch(pages, actualType.limits.max, expected.limits);
}

/** A heap type resolved: an abstract name, or the run-time type of a concrete one. */
type Heap = string | RTT;

function resolve(h: HeapType, types: readonly RTT[] | undefined): Heap {
  return typeof h === 'number' ? (types?.[h] ?? `unresolved ${h}`) : h;
}

/** Value type subtyping across modules (3.0 §3.3.3), concrete types compared canonically. */
function valSubtype(a: Typed, b: Typed): boolean {
  if (typeof a.t !== 'object' || typeof b.t !== 'object') return a.t === b.t;
  if (a.t.nullable && !b.t.nullable) return false;
  return heapSubtype(resolve(a.t.heap, a.types), resolve(b.t.heap, b.types));
}

const TOP: Record<string, string> = {
  func: 'func', nofunc: 'func', extern: 'extern', noextern: 'extern', exn: 'exn', noexn: 'exn',
  any: 'any', eq: 'any', i31: 'any', struct: 'any', array: 'any', none: 'any',
};

function heapSubtype(a: Heap, b: Heap): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object') return a.isSub(b);
  if (typeof a === 'object') {
    if (typeof b !== 'string') return false;
    if (a.kind === KIND_FUNC) return b === 'func';
    return b === 'any' || b === 'eq' || b === (a.kind === KIND_STRUCT ? 'struct' : 'array');
  }
  if (typeof b === 'object') return b.kind === KIND_FUNC ? a === 'nofunc' : a === 'none';
  if (TOP[a] === undefined || TOP[a] !== TOP[b]) return false;
  if (a === 'nofunc' || a === 'noextern' || a === 'noexn' || a === 'none') return true;
  if (b === TOP[b]) return true;
  return b === 'eq' && (a === 'i31' || a === 'struct' || a === 'array');
}

/** Immutable globals are covariant; mutable ones invariant (spec: global type matching). */
function globalMatches(actual: GlobalObject, expected: GlobalType, types: readonly RTT[]): boolean {
  if (actual.type.mutable !== expected.mutable) return false;
  const a: Typed = { t: actual.type.type, types: actual.types }, e: Typed = { t: expected.type, types };
  return valSubtype(a, e) && (!expected.mutable || valSubtype(e, a));
}

/** Throws a LinkError naming the first import that does not match. */
export function checkImports(info: ModuleInfo, imports: readonly ResolvedImport[]): void {
  const m = info.module;
  if (imports.length !== m.imports.length) {
    throw new LinkError(`expected ${m.imports.length} imports, got ${imports.length}`);
  }
  m.imports.forEach((imp, i) => {
    const got = imports[i];
    const d = imp.desc;
    let ok = got.kind === d.kind;
    if (ok) {
      switch (d.kind) {
        case 'func': ok = got.kind === 'func' && isSubId(got.func.typeId, info.typeIds[d.typeIdx]); break;
        case 'table': ok = got.kind === 'table' && tableMatches(got.table, d.type, info.rtts); break;
        case 'memory': ok = got.kind === 'memory' && memoryMatches(got.memory.type, got.memory.pages, d.type); break;
        case 'global': ok = got.kind === 'global' && globalMatches(got.global, d.type, info.rtts); break;
        // Tag types match when equal (3.0 §3.3.3 external types), not by subtyping.
        case 'tag': ok = got.kind === 'tag' && got.tag.typeId === info.typeIds[d.type.typeIdx]; break;
      }
    }
    if (!ok) {
      throw new LinkError(`import ${JSON.stringify(imp.module)} ${JSON.stringify(imp.name)}: expected ${expectedText(m, info, imp)}` +
        (got.kind !== d.kind ? `, got ${got.kind}` : ': incompatible import type'));
    }
  });
}
