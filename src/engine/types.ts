// The engine's contract with api/: run-time objects and the calling convention of compiled code.
// engine/ knows nothing of the JS API's classes; api/ wraps these objects in WebAssembly.Memory,
// Table, Global, Instance, and converts JS values at the boundary.
//
// Value representation in every engine object below (globals, tables, FuncRef.call):
//   i32  -> JS number holding a signed 32-bit integer (x | 0)
//   i64  -> BigInt in [-2^63, 2^63) (BigInt.asIntN(64, x)); inside compiled code an i64 is a
//           pair of int32 (low, high word) instead, see the internal convention below
//   f32  -> JS number that is exactly representable as a float32 (Math.fround), see F32 NaN note
//   f64  -> JS number
//   v128 -> V128 (engine/simd.ts): an immutable 16-byte value
//   references -> null for every null reference; a FuncRef for non-null function references;
//                 for externref, the value as JS sees it (never null, which is ref.null extern);
//                 in the any hierarchy, GC objects, i31 numbers and boxed host values (gc.ts).
// NaN payloads: f64 payloads survive JS numbers on V8; f32 signalling-NaN payloads can be
// quieted by float conversions, so f32 loads/stores/reinterprets work on raw bits where needed.

import type { FuncType, GlobalType, MemType, TableType, ValType } from '../ast/types.js';
import type { RTT } from './rtt.js';

/**
 * A function that compiled code can call: its `call` takes and returns internal values.
 *
 * Compiled functions call each other (and host functions, through a wrapper: wrappers.ts) in
 * the internal convention, which differs only for i64: an i64 parameter is two JS arguments
 * (low word, high word, int32 each); a single i64 result is returned as its low word with the
 * high word in `HI.h` (engine/i64.ts), read by the caller right after the call; several
 * results come in an array in which an i64 takes two entries (low, high).
 */
export interface FuncRef {
  readonly type: FuncType;
  /** Canonical type id for call_indirect's signature check (equal ids = equal types). */
  readonly typeId: number;
  /**
   * Calls the function with internal values; returns undefined (no result), the value (one
   * result), or an array (several results).
   */
  readonly call: (...args: unknown[]) => unknown;
  /** For functions defined by a Wasm instance: its index there and a name for backtraces. */
  readonly name?: string;
}

/** Linear memory (the engine owns the ArrayBuffer; growing replaces it). */
export interface MemoryObject {
  readonly type: MemType;
  /** Current buffer; replaced on grow (api/ detaches the old one). */
  buffer: ArrayBuffer;
  /** Size in pages of 64 KiB. */
  pages: number;
  /** Grows by delta pages; returns the old size in pages, or -1 when it cannot grow. */
  grow(delta: number): number;
  /** Called after every successful grow (api/ hooks it to refresh Memory.buffer). */
  onGrow?: () => void;
}

export interface TableObject {
  readonly type: TableType;
  /** Run-time types of the module whose indices `type` uses (absent: no concrete types). */
  readonly types?: readonly RTT[];
  /** Elements in internal representation (null for null references). */
  elements: unknown[];
  /** Grows by delta with init; returns the old size, or -1 when it cannot grow. */
  grow(delta: number, init: unknown): number;
}

export interface GlobalObject {
  readonly type: GlobalType;
  /** Run-time types of the module whose indices `type` uses (absent: no concrete types). */
  readonly types?: readonly RTT[];
  /** Current value, internal representation. */
  value: unknown;
}

/** A tag (spec: tag instance); tags are generative: each object is a distinct tag. */
export interface TagObject {
  readonly params: readonly ValType[];
  /** Canonical id of its function type (typeids.ts), for link-time matching. */
  readonly typeId: number;
}

/** An external value (spec: externval): what an import resolves to and what an export names. */
export type ExternValue =
  | { readonly kind: 'func'; readonly func: FuncRef }
  | { readonly kind: 'table'; readonly table: TableObject }
  | { readonly kind: 'memory'; readonly memory: MemoryObject }
  | { readonly kind: 'global'; readonly global: GlobalObject }
  | { readonly kind: 'tag'; readonly tag: TagObject };

/** An import resolved by api/ (or any embedder) to engine objects, in the module's import order. */
export type ResolvedImport = ExternValue;

export type ExportValue = ExternValue;

/** An instantiated module: every index space, imports first. */
export interface InstanceObject {
  readonly funcs: readonly FuncRef[];
  readonly tables: readonly TableObject[];
  readonly memories: readonly MemoryObject[];
  readonly globals: readonly GlobalObject[];
  readonly tags: readonly TagObject[];
  readonly exports: ReadonlyMap<string, ExportValue>;
}

// Entry points (implemented in engine/compile.ts and engine/instantiate.ts):
//   compileModule(m: Module): CompiledModule            m must be valid; code is compiled lazily
//   instantiateModule(cm: CompiledModule, imports: readonly ResolvedImport[]): InstanceObject
//     checks import types (LinkError naming module, field and expected type), creates
//     memories/tables/globals, applies element and data segments, runs the start function;
//     traps are RuntimeError with a Wasm backtrace.
