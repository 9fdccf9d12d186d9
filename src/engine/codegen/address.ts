// Addresses of memories and tables in generated code (memory64 and table64: spec §4.4.7,
// §4.4.6). Whatever the address type, generated code works on one JS number per address:
// exact below 2^53, and for an i64 address at or above 2^53 a number that is still at least
// 2^53 (the conversion rounds monotonically), which is beyond any memory or table JS can
// allocate, so bounds checks (DataView's, or `a + n > length` in runtime.ts) still fail.
// Sums of such numbers with offsets and lengths round monotonically too, so they stay out of
// bounds exactly when the exact sum is.
//
// addr64, i64Low32 and i64SetFromNumber are the only places here and in atomic.ts that know how
// i64 values are represented in generated code (a pair of int32 variables x, xh: codegen/i64.ts).

import type { Module } from '../../ast/module.js';
import type { AddrType, MemType, TableType } from '../../ast/types.js';

/**
 * JS expression: the i64 operand `x` read as an unsigned address (a number, see above).
 * The one place that knows how i64 values are represented in generated code.
 */
export function addr64(x: string): string {
  // hi * 2^32 is exact and the sum is rounded once, monotonically.
  return `((${x} >>> 0) + (${x}h >>> 0) * 4294967296)`;
}

/** JS expression: the low 32 bits of i64 operand `x` as an unsigned number. */
export function i64Low32(x: string): string {
  return `(${x} >>> 0)`;
}

/** JS statement: i64 variable `r` set to number `n`, an integer in (-2^53, 2^53). */
export function i64SetFromNumber(r: string, n: string): string {
  return `${r} = ${n}; ${r}h = Math.floor(${r} / 4294967296) | 0; ${r} |= 0;`;
}

/** JS expression: operand `x` of address type `t` as an unsigned number. */
export function addrOf(x: string, t: AddrType): string {
  return t === 'i64' ? addr64(x) : `(${x} >>> 0)`;
}

/** JS statement: variable `r` of type `t` set to a number `n` (a size or an old size, never above 2^53; -1 stays -1). */
export function setAddrValue(r: string, n: string, t: AddrType): string {
  return t === 'i64' ? i64SetFromNumber(r, n) : `${r} = ${n};`;
}

/** Type character (context.ts) of values of address type `t`. */
export function addrChar(t: AddrType): string {
  return t === 'i64' ? 'j' : 'i';
}

/** Effective address of a memarg: unsigned base plus offset (spec: no wrap-around). */
export function effectiveAddress(base: string, offset: number, t: AddrType): string {
  // i32: at most 2^33, exact in a double.
  const a = addrOf(base, t);
  return offset === 0 ? a : `${a} + ${offset}`;
}

interface AddrTypes {
  readonly memories: readonly AddrType[];
  readonly tables: readonly AddrType[];
  /** Per memory: whether it is shared. */
  readonly shared: readonly boolean[];
}

const cache = new WeakMap<Module, AddrTypes>();

/** Address types of a module's memories and tables, and which memories are shared; imports first. */
export function addrTypes(m: Module): AddrTypes {
  let a = cache.get(m);
  if (a === undefined) {
    const mems: MemType[] = [];
    const tables: TableType[] = [];
    for (const imp of m.imports) {
      if (imp.desc.kind === 'memory') mems.push(imp.desc.type);
      else if (imp.desc.kind === 'table') tables.push(imp.desc.type);
    }
    for (const mt of m.memories) mems.push(mt);
    for (const t of m.tables) tables.push(t.type);
    a = { memories: mems.map((t) => t.addr), tables: tables.map((t) => t.addr), shared: mems.map((t) => t.shared) };
    cache.set(m, a);
  }
  return a;
}
