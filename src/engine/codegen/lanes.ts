// What vector.ts knows statically about values in straight-line code, to emit cheaper SIMD
// code: constant i32 operands (shift counts, splatted constants) and upper bounds of the
// unsigned 16-bit lanes of v128 stack slots (FuncGen.laneMax, forgotten at control flow).
//
// Bounds make packed arithmetic exact without its carry guards: widened bytes (<= 255) added
// as i16 lanes cannot carry into the next lane, so `x + y` adds both lanes of a word at once,
// and narrowing lanes known to be <= 255 needs no saturation. This is the u8 -> u16 -> u8
// pattern of image kernels (bench/workloads/src/simd.c).

import type { FuncGen } from './function.js';

/** The trivial bound of an unsigned 16-bit lane. */
export const ANY16 = 0xffff;

/** The known bound of the 16-bit lanes of v128 slot `slot`. */
export function boundOf(g: FuncGen, slot: string): number {
  return g.laneMax.get(slot) ?? ANY16;
}

/** Records a bound for the 16-bit lanes of v128 slot `slot` (no-op for the trivial bound). */
export function setBound(g: FuncGen, slot: string, max: number): void {
  if (max < ANY16) g.laneMax.set(slot, max);
}

/** The smallest all-ones value >= x: a bound of x | y and x ^ y for x, y <= that. */
export function onesAbove(x: number): number {
  return x <= 0 ? 0 : Math.min(ANY16, 2 ** (32 - Math.clz32(x)) - 1);
}

/** The largest unsigned 16-bit lane of the four words `w`. */
export function maxLane16(w: readonly number[]): number {
  let m = 0;
  for (const x of w) m = Math.max(m, x & 0xffff, x >>> 16);
  return m;
}

/**
 * If the statement just emitted set i32 slot `slot` to a literal (an i32.const it consumes),
 * removes that statement and returns the value.
 */
export function takeConst(g: FuncGen, slot: string): number | undefined {
  const last = g.out[g.out.length - 1];
  const prefix = `${slot} = `;
  if (last === undefined || !last.startsWith(prefix) || !last.endsWith(';')) return undefined;
  const lit = last.slice(prefix.length, -1);
  if (!/^-?\d+$/.test(lit)) return undefined;
  g.out.pop();
  return Number(lit) | 0;
}
