// What vector.ts knows statically about values in straight-line code, to emit cheaper SIMD
// code: constant i32 operands (shift counts, splatted constants), upper bounds of the unsigned
// 16-bit lanes of v128 stack slots and whether they are all equal (FuncGen.laneFacts), and the
// order of the lanes in their words (FuncGen.permuted); all forgotten at control flow.
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
  return g.laneFacts.get(slot)?.max ?? ANY16;
}

/** Records what is known of v128 slot `slot`: a bound of its 16-bit lanes, whether they are all equal. */
export function setFacts(g: FuncGen, slot: string, max: number, uniform = false): void {
  if (max < ANY16 || uniform) g.laneFacts.set(slot, { max, uniform });
}

// Even/odd lane order. Widening bytes to 16-bit lanes in lane order costs four operations a word
// ((x & 0xff) | ((x << 8) & 0xff0000)); taking even and odd bytes costs one or two
// (x & 0x00ff00ff, (x >>> 8) & 0x00ff00ff). So extend_{low,high}_i8x16_u produce words
// (lanes 0 2, lanes 1 3, lanes 4 6, lanes 5 7): lane-wise operations work on them as they are,
// narrowing packs them back with `e | (o << 8)`, and anything else restores lane order first
// (FuncGen.parts emits the fix-up).

/** How the words of v128 slot `slot` hold its 16-bit lanes: even/odd, any order (all equal), or lane order. */
export type Form = 'evenodd' | 'uniform' | 'lanes';

/** The words' form, after any deferred shift of the slot is done (its raw words are then final). */
export function formOf(g: FuncGen, slot: string): Form {
  settle(g, slot);
  if (g.permuted.has(slot)) return 'evenodd';
  return g.laneFacts.get(slot)?.uniform ? 'uniform' : 'lanes';
}

/** The statement restoring lane order of an even/odd slot. */
function reorder(g: FuncGen, slot: string): string {
  const [e0, o0, e1, o1] = g.rawParts(slot);
  return `y0 = (${e0} & 0xffff) | (${o0} << 16); y1 = (${e0} >>> 16) | (${o0} & -65536); ` +
    `y2 = (${e1} & 0xffff) | (${o1} << 16); y3 = (${e1} >>> 16) | (${o1} & -65536); ` +
    `${e0} = y0; ${o0} = y1; ${e1} = y2; ${o1} = y3;`;
}

/** Marks v128 slot `slot` as holding its lanes in even/odd order. */
export function setEvenOdd(g: FuncGen, slot: string): void {
  g.permuted.set(slot, reorder(g, slot));
}

// Deferred shifts. The blur of simd.c narrows 16-bit lanes just shifted right: (x >>> s) & m per
// word, then e | (o << 8) per pair of even/odd words. Narrowing the unshifted words directly,
// ((e >>> s) & 0x00ff00ff) | ((o << (8 - s)) & 0xff00ff00), saves an operation a word. So
// i16x8.shr_u by a constant of an even/odd slot leaves its words unshifted and records the
// shift (with the reordering) as the slot's fix-up in FuncGen.permuted: parts() and control flow
// emit it; formOf() emits the shift alone for readers of raw words; narrowing fuses it.

const deferred = new WeakMap<FuncGen, Map<string, { readonly s: number; readonly shift: string; readonly fix: string }>>();

/** Defers `shift` (a right shift by s of the raw words of even/odd slot `slot`, just pushed). */
export function deferShift(g: FuncGen, slot: string, s: number, shift: string): void {
  let m = deferred.get(g);
  if (m === undefined) deferred.set(g, (m = new Map()));
  const fix = `${shift} ${reorder(g, slot)}`;
  g.permuted.set(slot, fix);
  m.set(slot, { s, shift, fix });
}

/**
 * The count of the shift deferred on slot `slot`, if any: its entry is live while FuncGen still
 * holds its fix-up (a push of the slot, parts() or control flow drop that).
 */
export function deferredShift(g: FuncGen, slot: string): number | undefined {
  const d = deferred.get(g)?.get(slot);
  if (d === undefined) return undefined;
  if (g.permuted.get(slot) === d.fix) return d.s;
  deferred.get(g)!.delete(slot);
  return undefined;
}

/** Does the deferred shift of slot `slot` now: its raw words are then even/odd words as usual. */
function settle(g: FuncGen, slot: string): void {
  if (deferredShift(g, slot) === undefined) return;
  g.emit(deferred.get(g)!.get(slot)!.shift);
  deferred.get(g)!.delete(slot);
  setEvenOdd(g, slot);
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
