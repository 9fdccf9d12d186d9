// The common data segment of decoded modules, `0x00 (i32.const n) end`, as one object.
//
// Go's modules have 10^5 data segments (esbuild.wasm: 98,450). As plain objects each was three
// (the segment, its mode, the offset expression): 15 MB that the young generation copied and
// promoted while decoding, which then spent more time collecting garbage than reading bytes.
// One flat object each is half the memory; the mode, rarely read more than twice, is made when
// asked for and dies young.

import type { Data, DataMode, Module } from './module.js';

export class ConstOffsetData implements Data {
  // The offset expression, `i32.const n end` with n in at most four LEB128 bytes, starts at
  // source[#offsetStart]; source is the whole binary, so indices are module offsets. (A private
  // field: the segment's own keys stay those of a plain Data; four fields in all, 56 bytes.)
  readonly #offsetStart: number;

  constructor(readonly source: Uint8Array, readonly start: number, readonly end: number, offsetStart: number) {
    this.#offsetStart = offsetStart;
  }

  /** The offset n, without making the mode. */
  offsetValue(): number {
    return constOffsetAt(this.source, this.#offsetStart);
  }

  get mode(): DataMode {
    const start = this.#offsetStart, src = this.source;
    let end = start + 1;
    while (src[end] & 0x80) end++;
    end += 2; // the LEB128's last byte and `end`
    return { kind: 'active', memory: 0, offset: { source: src, start, end, offset: start } };
  }
}

/** The n of the `i32.const n` at src[at]. */
export function constOffsetAt(src: Uint8Array, at: number): number {
  let p = at + 1, v = 0, shift = 0, b: number;
  do {
    b = src[p++];
    v |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return b & 0x40 ? v | (-1 << shift) : v;
}

/** Where readConstOffsetSegment leaves the parts of the segment it read (nothing allocated per segment). */
export const SEGMENT = { offsetStart: 0, start: 0, end: 0 };

/**
 * Reads the common segment, `0x00 (i32.const n) end len bytes` with LEB128s of at most four bytes
 * (always in range), at b[at] (before `end`): returns the position after it, its parts in SEGMENT,
 * or -1 when the bytes there are not of that form. No calls: modules may have 10^5 segments, mostly
 * read before the JIT has optimized anything.
 */
export function readConstOffsetSegment(b: Uint8Array, at: number, end: number): number {
  if (at + 5 > end || b[at] !== 0 || b[at + 1] !== 0x41) return -1;
  let p = at + 2;
  const last = p + 4;
  while (p < last && p < end && b[p] >= 0x80) p++;
  if (p === last || p + 2 >= end || b[p + 1] !== 0x0b) return -1;
  p += 2;
  let len = 0, shift = 0;
  for (;;) {
    if (p >= end || shift > 21) return -1;
    const x = b[p++];
    len |= (x & 0x7f) << shift;
    if (x < 0x80) break;
    shift += 7;
  }
  if (len > end - p) return -1;
  SEGMENT.offsetStart = at + 1;
  SEGMENT.start = p;
  SEGMENT.end = p + len;
  return p + len;
}

/**
 * A data section whose segments are all of the common form, kept as its bytes (source[start, end),
 * the segments after the count). Go's modules have 10^5 segments: one object each made decoding
 * about 19 ms slower (most of it collecting garbage) and instantiation read them back one by one.
 * Validation and instantiation read the bytes; `Module.datas` makes the objects when first read
 * (lazyDatas).
 */
export class ConstOffsetSection {
  constructor(readonly source: Uint8Array, readonly start: number, readonly end: number, readonly count: number) {}

  /** The segments as ConstOffsetData objects. */
  segments(): Data[] {
    const out: Data[] = new Array(this.count);
    let p = this.start;
    for (let i = 0; i < this.count; i++) {
      p = readConstOffsetSegment(this.source, p, this.end);
      out[i] = new ConstOffsetData(this.source, SEGMENT.start, SEGMENT.end, SEGMENT.offsetStart);
    }
    return out;
  }
}

/**
 * Makes `m.datas` the segments of `section`, made when first read (or replaced when first
 * written); until then `m.dataSection` is `section`, and afterwards undefined, so code that reads
 * the section never sees segments that differ from `m.datas`.
 */
export function lazyDatas(m: Module, section: ConstOffsetSection): void {
  m.dataSection = section;
  const settle = (datas: Data[]): Data[] => {
    m.dataSection = undefined;
    Object.defineProperty(m, 'datas', { value: datas, writable: true, enumerable: true, configurable: true });
    return datas;
  };
  Object.defineProperty(m, 'datas', {
    get: () => settle(section.segments()),
    set: (datas: Data[]) => { settle(datas); },
    enumerable: true,
    configurable: true,
  });
}

/** The number of data segments, without making them. */
export function dataSegmentCount(m: Module): number {
  return m.dataSection !== undefined ? m.dataSection.count : m.datas.length;
}
