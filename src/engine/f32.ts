// f32 values are JS numbers; a float32 NaN is held as the float64 NaN with the same sign and
// payload in the top mantissa bits (what widening does, minus the hardware's quieting), so
// loads, stores, reinterprets and SIMD lane moves keep signalling NaNs bit for bit.
//
// Bits move through typed arrays, never DataView.setFloat64: once optimized (Maglev, Chromium
// 156) that call quiets signalling NaNs, while stores to a Float64Array keep them
// (test/browser/ found it; Node 20's V8 keeps both).

export const scratchF64 = new Float64Array(1);
const scratchF32 = new Float32Array(scratchF64.buffer, 0, 1);
export const scratchU32 = new Uint32Array(scratchF64.buffer);
/** Index in scratchU32 of the high (sign and exponent) word of scratchF64: the host's byte order. */
export const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
export const LO = 1 - HI;

export function f32Bits(x: number): number {
  if (x === x) {
    scratchF32[0] = x;
    return scratchU32[0] | 0;
  }
  scratchF64[0] = x;
  const hi = scratchU32[HI];
  const lo = scratchU32[LO];
  let mant = ((hi & 0xfffff) << 3) | (lo >>> 29);
  if (mant === 0) mant = 0x400000;
  return ((hi & 0x80000000) | 0x7f800000 | mant) | 0;
}

export function f32FromBits(b: number): number {
  if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) {
    scratchU32[HI] = (b & 0x80000000) | 0x7ff00000 | ((b & 0x7fffff) >>> 3);
    scratchU32[LO] = (b & 7) << 29;
    return scratchF64[0];
  }
  scratchU32[0] = b;
  return scratchF32[0];
}
