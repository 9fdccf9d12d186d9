// Canonical function type ids shared by every module in the process: they are the ids of the
// run-time types of engine/rtt.ts, so equal types (iso-recursively, across modules) have equal
// ids and call_indirect's signature check and import matching compare integers first
// (spec §4.4.8 call_indirect, §7.1 import matching).

import type { FuncType } from '../ast/types.js';
import { valTypeToString } from '../ast/types.js';
import { rttOfId, standaloneFuncTypeId } from './rtt.js';

/** Text spelling of a function type, as in error messages: `(param i32) (result i32)`. */
export function funcTypeText(ft: FuncType): string {
  const parts: string[] = [];
  if (ft.params.length) parts.push(`(param ${ft.params.map(valTypeToString).join(' ')})`);
  if (ft.results.length) parts.push(`(result ${ft.results.map(valTypeToString).join(' ')})`);
  return parts.join(' ');
}

/**
 * Canonical id of a function type given without its module (a final type in a rec group of its
 * own). Types that refer to other defined types need their module: use rtt.ts moduleTypes.
 */
export function canonicalTypeId(ft: FuncType): number {
  return standaloneFuncTypeId(ft);
}

export function typeOfId(id: number): FuncType | undefined {
  const c = rttOfId(id)?.comp;
  return c?.kind === 'func' ? c : undefined;
}
