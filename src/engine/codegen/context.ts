// What the code generator needs to know about the module around a function: index spaces
// flattened (imports first) and canonical type ids. Built once per module by compile.ts.

import type { Module } from '../../ast/module.js';
import type { FuncType, GlobalType, ValType } from '../../ast/types.js';
import type { RTT } from '../rtt.js';

export interface ModuleInfo {
  readonly module: Module;
  /** Process-wide id of the compiled module (generated functions are named w$<id>$<func>). */
  readonly id: number;
  /** Function type of every type index that is a function type. */
  readonly types: readonly (FuncType | undefined)[];
  /** Process-wide canonical type id per type index (engine/rtt.ts; FuncRef.typeId). */
  readonly typeIds: readonly number[];
  /** Run-time type per type index. */
  readonly rtts: readonly RTT[];
  /** Type index of every function, imports first. */
  readonly funcTypeIdx: readonly number[];
  readonly importedFuncs: number;
  readonly globals: readonly GlobalType[];
  /** Parameter types of every tag, imports first. */
  readonly tags: readonly (readonly ValType[])[];
  readonly importedTags: number;
}

/** Type character of a value type: names the JS variables that hold it. */
export function tyChar(t: ValType): string {
  switch (t) {
    case 'i32': return 'i';
    case 'i64': return 'j';
    case 'f32': return 'f';
    case 'f64': return 'd';
    case 'v128': return 'v';
    default: return 'r';
  }
}

/** JS source of the zero value of a type character held in one variable (not i64, v128). */
export function zeroOf(c: string): string {
  switch (c) {
    case 'i': case 'f': case 'd': return '0';
    case 'v': return 'V0';
    default: return 'null';
  }
}
