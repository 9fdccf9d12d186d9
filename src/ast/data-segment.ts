// The common data segment of decoded modules, `0x00 (i32.const n) end`, as one object.
//
// Go's modules have 10^5 data segments (esbuild.wasm: 98,450). As plain objects each was three
// (the segment, its mode, the offset expression): 15 MB that the young generation copied and
// promoted while decoding, which then spent more time collecting garbage than reading bytes.
// One flat object each is half the memory; the mode, rarely read more than twice, is made when
// asked for and dies young.

import type { Data, DataMode } from './module.js';

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
    const src = this.source;
    let p = this.#offsetStart + 1, v = 0, shift = 0, b: number;
    do {
      b = src[p++];
      v |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return b & 0x40 ? v | (-1 << shift) : v;
  }

  get mode(): DataMode {
    const start = this.#offsetStart, src = this.source;
    let end = start + 1;
    while (src[end] & 0x80) end++;
    end += 2; // the LEB128's last byte and `end`
    return { kind: 'active', memory: 0, offset: { source: src, start, end, offset: start } };
  }
}
