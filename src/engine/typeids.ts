// Canonical function type ids shared by every module in the process: two function types get
// the same id exactly when they are equal, so call_indirect's signature check and import
// matching compare one integer (spec §4.4.8 call_indirect, §7.1 import matching).

import type { FuncType, ValType } from '../ast/types.js';
import { valTypeToString } from '../ast/types.js';

const ids = new Map<string, number>();
const types: FuncType[] = [];

/** Text spelling of a function type, as in error messages: `(param i32) (result i32)`. */
export function funcTypeText(ft: FuncType): string {
  const parts: string[] = [];
  if (ft.params.length) parts.push(`(param ${ft.params.map(valTypeToString).join(' ')})`);
  if (ft.results.length) parts.push(`(result ${ft.results.map(valTypeToString).join(' ')})`);
  return parts.join(' ');
}

function key(ft: FuncType): string {
  const t = (v: ValType): string => valTypeToString(v);
  return `${ft.params.map(t).join(',')}>${ft.results.map(t).join(',')}`;
}

/**
 * Canonical id of a function type. Concrete heap types (3.0) are keyed by their module-local
 * index, which is exact only within one module; 2.0 has no concrete heap types.
 */
export function canonicalTypeId(ft: FuncType): number {
  const k = key(ft);
  let id = ids.get(k);
  if (id === undefined) {
    id = types.length;
    types.push(ft);
    ids.set(k, id);
  }
  return id;
}

export function typeOfId(id: number): FuncType | undefined {
  return types[id];
}
