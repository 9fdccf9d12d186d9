// Import matching (spec §4.5.3.1 "external types" and §4.5.4 instantiation step 3): each
// resolved import must be of the declared kind and a subtype of the declared type.

import type { Import, Module } from '../ast/module.js';
import type { GlobalType, HeapType, Limits, MemType, TableType, ValType } from '../ast/types.js';
import { valTypeToString, equalValType } from '../ast/types.js';
import { LinkError } from '../errors.js';
import { funcTypeText } from './typeids.js';
import type { ModuleInfo } from './codegen/context.js';
import type { ResolvedImport } from './types.js';

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
    case 'tag': return 'tag';
  }
  void m;
}

/** Limits {min, max} match the expected ones when they are at least as tight (spec: limits subtyping). */
function limitsMatch(actualMin: number, actualMax: number | undefined, expected: Limits): boolean {
  if (actualMin < expected.min) return false;
  if (expected.max === undefined) return true;
  return actualMax !== undefined && actualMax <= expected.max;
}

function tableMatches(actualType: TableType, size: number, expected: TableType): boolean {
  return equalValType(actualType.elem, expected.elem) && actualType.addr === expected.addr &&
    limitsMatch(size, actualType.limits.max, expected.limits);
}

function memoryMatches(actualType: MemType, pages: number, expected: MemType): boolean {
  return actualType.addr === expected.addr && actualType.shared === expected.shared &&
    limitsMatch(pages, actualType.limits.max, expected.limits);
}

/** Subtyping of value types over abstract heap types (3.0 §3.3.3); concrete ones must be equal. */
function valSubtype(a: ValType, b: ValType): boolean {
  if (equalValType(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a.nullable && !b.nullable) return false;
  return heapSubtype(a.heap, b.heap);
}

const TOP: Record<string, string> = {
  func: 'func', nofunc: 'func', extern: 'extern', noextern: 'extern', exn: 'exn', noexn: 'exn',
  any: 'any', eq: 'any', i31: 'any', struct: 'any', array: 'any', none: 'any',
};

function heapSubtype(a: HeapType, b: HeapType): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') {
    // A concrete type is below its abstract top; bottom types are below concrete ones.
    if (typeof a === 'number' && typeof b === 'string') return b === 'func' || b === 'any' || b === 'eq' || b === 'struct' || b === 'array';
    if (typeof a === 'string' && typeof b === 'number') return a === 'nofunc' || a === 'none';
    return false;
  }
  if (TOP[a] !== TOP[b]) return false;
  if (a === 'nofunc' || a === 'noextern' || a === 'noexn' || a === 'none') return true;
  if (b === TOP[b]) return true;
  return b === 'eq' && (a === 'i31' || a === 'struct' || a === 'array');
}

/** Immutable globals are covariant; mutable ones invariant (spec: global type matching). */
function globalMatches(actual: GlobalType, expected: GlobalType): boolean {
  if (actual.mutable !== expected.mutable) return false;
  return expected.mutable ? equalValType(actual.type, expected.type) : valSubtype(actual.type, expected.type);
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
        case 'func': ok = got.kind === 'func' && got.func.typeId === info.typeIds[d.typeIdx]; break;
        case 'table': ok = got.kind === 'table' && tableMatches(got.table.type, got.table.elements.length, d.type); break;
        case 'memory': ok = got.kind === 'memory' && memoryMatches(got.memory.type, got.memory.pages, d.type); break;
        case 'global': ok = got.kind === 'global' && globalMatches(got.global.type, d.type); break;
        case 'tag': {
          const want = info.types[d.type.typeIdx]?.params ?? [];
          const have = got.kind === 'tag' ? got.tag.params : [];
          ok = want.length === have.length && want.every((t, k) => equalValType(t, have[k]));
          break;
        }
      }
    }
    if (!ok) {
      throw new LinkError(`import ${JSON.stringify(imp.module)} ${JSON.stringify(imp.name)}: expected ${expectedText(m, info, imp)}` +
        (got.kind !== d.kind ? `, got ${got.kind}` : ': incompatible import type'));
    }
  });
}
