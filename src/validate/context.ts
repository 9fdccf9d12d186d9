// The validation context C (spec §3.1.1), flattened into typed arrays of interned types so the
// body validator can index it without touching the Module's objects.

import type { TypeCtx } from './types.js';

export interface ModuleCtx {
  readonly tc: TypeCtx;
  /** Function index -> type index (imports first). */
  readonly funcTypes: Int32Array;
  readonly nfuncs: number;
  /** Table index -> interned element reference type / address type (I32 or I64). */
  readonly tableElem: Int32Array;
  readonly tableAddr: Int32Array;
  readonly ntables: number;
  /** Memory index -> address type (I32 or I64). */
  readonly memAddr: Int32Array;
  readonly nmems: number;
  /** Global index -> interned value type / mutability. */
  readonly globalType: Int32Array;
  readonly globalMut: Uint8Array;
  readonly nglobals: number;
  /** Tag index -> function type index. */
  readonly tagTypes: Int32Array;
  readonly ntags: number;
  /** Elem segment index -> interned reference type. */
  readonly elemType: Int32Array;
  readonly nelems: number;
  /** Number of data segments usable from code (the data count), and whether the count was declared. */
  readonly ndatas: number;
  readonly hasDataCount: boolean;
  /** C.refs: functions referenced outside function bodies (ref.func in code must name one). */
  readonly refs: Uint8Array;
}
