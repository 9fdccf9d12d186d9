// Active segments at instantiation (spec §4.5.4 steps 13-14): table.init / memory.init of each
// whole segment in order, then drop. A segment out of bounds traps, leaving earlier ones applied.
//
// Kept out of instantiateModule, in small functions: Go's modules have 10^5 data segments, and
// these loops run before V8 has optimized anything. A small function is optimized after fewer
// iterations and in less time than the whole instantiateModule (cold start, bench/coldstart.ts).

import { bytesOf, type Data, type Elem } from '../ast/module.js';
import {
  ConstOffsetData, type ConstOffsetSection, SEGMENT, constOffsetAt, readConstOffsetSegment,
} from '../ast/data-segment.js';
import { RuntimeError } from '../errors.js';
import { evalConst } from './constexpr.js';
import type { EngineMemory } from './objects.js';
import { EMPTY_ELEMS } from './runtime.js';
import type { FuncRef, GlobalObject, TableObject } from './types.js';

/** Applies active element segments to their tables and drops them (and declarative ones) from `elems`. */
export function initElems(
  segs: readonly Elem[], elems: (readonly unknown[])[], tables: readonly TableObject[],
  globals: readonly GlobalObject[], funcs: readonly FuncRef[],
): void {
  for (let i = 0; i < segs.length; i++) {
    const el = segs[i];
    if (el.mode.kind === 'active') {
      const t = tables[el.mode.table];
      const off = toIndex(evalConst(el.mode.offset, globals, funcs));
      const items = elems[i];
      if (off + items.length > t.elements.length) throw new RuntimeError('out of bounds table access');
      for (let k = 0; k < items.length; k++) t.elements[off + k] = items[k];
    }
    if (el.mode.kind !== 'passive') elems[i] = EMPTY_ELEMS;
  }
}

/** Copies active data segments into their memories; passive ones' bytes go to `datas` (active ones stay dropped). */
export function initDatas(
  segs: readonly Data[], datas: Uint8Array[], memories: readonly EngineMemory[],
  globals: readonly GlobalObject[], funcs: readonly FuncRef[],
): void {
  let view8: Uint8Array | undefined;
  for (let i = 0; i < segs.length; i++) {
    const d = segs[i];
    let mv: DataView, off: number;
    if (d instanceof ConstOffsetData) {
      // The usual segment of decoded modules: its offset without making its mode.
      mv = memories[0].view;
      off = d.offsetValue() >>> 0;
    } else {
      const mode = d.mode;
      if (mode.kind === 'passive') {
        datas[i] = bytesOf(d);
        continue;
      }
      mv = memories[mode.memory].view;
      off = toIndex(evalConst(mode.offset, globals, funcs));
    }
    const n = d.end - d.start;
    if (off + n > mv.byteLength) throw new RuntimeError('out of bounds memory access');
    // One byte view per memory buffer.
    if (view8 === undefined || view8.buffer !== mv.buffer || view8.length !== mv.byteLength) view8 = new Uint8Array(mv.buffer, 0, mv.byteLength);
    copyBytes(view8, off, d.source, d.start, n);
  }
}

/** Copies the segments of a data section kept as bytes (all active, `i32.const n`, memory 0). */
export function initConstOffsetSection(section: ConstOffsetSection, memory: EngineMemory): void {
  const mv = memory.view;
  const view8 = new Uint8Array(mv.buffer, 0, mv.byteLength);
  const src = section.source, end = section.end;
  let p = section.start;
  for (let i = 0; i < section.count; i++) {
    p = readConstOffsetSegment(src, p, end);
    const off = constOffsetAt(src, SEGMENT.offsetStart) >>> 0;
    const n = SEGMENT.end - SEGMENT.start;
    if (off + n > view8.length) throw new RuntimeError('out of bounds memory access');
    copyBytes(view8, off, src, SEGMENT.start, n);
  }
}

/**
 * dst[off, off + n) = src[start, start + n). Small segments (Go's are about 32 bytes) are
 * copied by a loop: cheaper than making a view of the source for set().
 */
function copyBytes(dst: Uint8Array, off: number, src: Uint8Array, start: number, n: number): void {
  if (n > 64) {
    dst.set(src.subarray(start, start + n), off);
    return;
  }
  for (let k = 0; k < n; k++) dst[off + k] = src[start + k];
}

/** An i32 offset read as unsigned (or an i64 one, for memory64 and table64). */
export function toIndex(v: unknown): number {
  return typeof v === 'bigint' ? Number(BigInt.asUintN(64, v)) : (v as number) >>> 0;
}
