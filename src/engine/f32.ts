// f32 values are JS numbers; a float32 NaN is held as the float64 NaN with the same sign and
// payload in the top mantissa bits (what widening does, minus the hardware's quieting), so
// loads, stores, reinterprets and SIMD lane moves keep signalling NaNs bit for bit.

const scratch = new DataView(new ArrayBuffer(8));

export function f32Bits(x: number): number {
  if (x === x) {
    scratch.setFloat32(0, x);
    return scratch.getUint32(0) | 0;
  }
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  let mant = ((hi & 0xfffff) << 3) | (lo >>> 29);
  if (mant === 0) mant = 0x400000;
  return ((hi & 0x80000000) | 0x7f800000 | mant) | 0;
}

export function f32FromBits(b: number): number {
  if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) {
    scratch.setUint32(0, (b & 0x80000000) | 0x7ff00000 | ((b & 0x7fffff) >>> 3));
    scratch.setUint32(4, (b & 7) << 29);
    return scratch.getFloat64(0);
  }
  scratch.setUint32(0, b);
  return scratch.getFloat32(0);
}

