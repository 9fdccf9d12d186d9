// Word-level SIMD helpers for inline code (codegen/vector-ops.ts). A v128 in generated code is
// four int32 words (little-endian: a word holds four i8 lanes, two i16 lanes or one i32 lane);
// each helper here takes operand words and returns one result word, so calling one allocates
// nothing (unlike the V128 functions of simd.ts), and V8 inlines the small ones.

type Lanes = (x: number, y: number) => number;

const sat = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** f over the four signed (s) or unsigned (u) byte lanes of x and y; results wrap to 8 bits. */
function by8s(f: Lanes): Lanes {
  return (x, y) => (f((x << 24) >> 24, (y << 24) >> 24) & 0xff) | ((f((x << 16) >> 24, (y << 16) >> 24) & 0xff) << 8) |
    ((f((x << 8) >> 24, (y << 8) >> 24) & 0xff) << 16) | (f(x >> 24, y >> 24) << 24);
}
function by8u(f: Lanes): Lanes {
  return (x, y) => (f(x & 0xff, y & 0xff) & 0xff) | ((f((x >>> 8) & 0xff, (y >>> 8) & 0xff) & 0xff) << 8) |
    ((f((x >>> 16) & 0xff, (y >>> 16) & 0xff) & 0xff) << 16) | (f(x >>> 24, y >>> 24) << 24);
}
/** f over the two signed (s) or unsigned (u) 16-bit lanes; results wrap to 16 bits. */
function by16s(f: Lanes): Lanes {
  return (x, y) => (f((x << 16) >> 16, (y << 16) >> 16) & 0xffff) | (f(x >> 16, y >> 16) << 16);
}
function by16u(f: Lanes): Lanes {
  return (x, y) => (f(x & 0xffff, y & 0xffff) & 0xffff) | (f(x >>> 16, y >>> 16) << 16);
}

const addSatS8 = (x: number, y: number): number => sat(x + y, -128, 127);
const subSatS8 = (x: number, y: number): number => sat(x - y, -128, 127);
const addSatS16 = (x: number, y: number): number => sat(x + y, -32768, 32767);
const subSatS16 = (x: number, y: number): number => sat(x - y, -32768, 32767);
const min = (x: number, y: number): number => (x < y ? x : y);
const max = (x: number, y: number): number => (x > y ? x : y);
const avgr = (x: number, y: number): number => (x + y + 1) >>> 1;
const abs1 = (x: number): number => (x < 0 ? -x : x);

// Binary lane-wise operations, by instruction name (codegen/vector-ops.ts calls them per word).
export const i8x16_add_sat_s = by8s(addSatS8);
export const i8x16_add_sat_u = by8u((x, y) => min(x + y, 255));
export const i8x16_sub_sat_s = by8s(subSatS8);
export const i8x16_sub_sat_u = by8u((x, y) => max(x - y, 0));
export const i8x16_min_s = by8s(min);
export const i8x16_min_u = by8u(min);
export const i8x16_max_s = by8s(max);
export const i8x16_max_u = by8u(max);
export const i8x16_avgr_u = by8u(avgr);
export const i8x16_eq = by8u((x, y) => (x === y ? -1 : 0));
export const i8x16_ne = by8u((x, y) => (x !== y ? -1 : 0));
export const i8x16_lt_s = by8s((x, y) => (x < y ? -1 : 0));
export const i8x16_lt_u = by8u((x, y) => (x < y ? -1 : 0));
export const i8x16_gt_s = by8s((x, y) => (x > y ? -1 : 0));
export const i8x16_gt_u = by8u((x, y) => (x > y ? -1 : 0));
export const i8x16_le_s = by8s((x, y) => (x <= y ? -1 : 0));
export const i8x16_le_u = by8u((x, y) => (x <= y ? -1 : 0));
export const i8x16_ge_s = by8s((x, y) => (x >= y ? -1 : 0));
export const i8x16_ge_u = by8u((x, y) => (x >= y ? -1 : 0));

export const i16x8_add_sat_s = by16s(addSatS16);
export const i16x8_add_sat_u = by16u((x, y) => min(x + y, 0xffff));
export const i16x8_sub_sat_s = by16s(subSatS16);
export const i16x8_sub_sat_u = by16u((x, y) => max(x - y, 0));
export const i16x8_min_s = by16s(min);
export const i16x8_min_u = by16u(min);
export const i16x8_max_s = by16s(max);
export const i16x8_max_u = by16u(max);
export const i16x8_avgr_u = by16u(avgr);
export const i16x8_q15mulr_sat_s = by16s((x, y) => sat((x * y + 0x4000) >> 15, -32768, 32767));
export const i16x8_eq = by16u((x, y) => (x === y ? -1 : 0));
export const i16x8_ne = by16u((x, y) => (x !== y ? -1 : 0));
export const i16x8_lt_s = by16s((x, y) => (x < y ? -1 : 0));
export const i16x8_lt_u = by16u((x, y) => (x < y ? -1 : 0));
export const i16x8_gt_s = by16s((x, y) => (x > y ? -1 : 0));
export const i16x8_gt_u = by16u((x, y) => (x > y ? -1 : 0));
export const i16x8_le_s = by16s((x, y) => (x <= y ? -1 : 0));
export const i16x8_le_u = by16u((x, y) => (x <= y ? -1 : 0));
export const i16x8_ge_s = by16s((x, y) => (x >= y ? -1 : 0));
export const i16x8_ge_u = by16u((x, y) => (x >= y ? -1 : 0));

// Unary lane-wise operations (the second operand is ignored).
export const i8x16_abs = by8s(abs1);
export const i8x16_neg = by8s((x) => -x);
export const i16x8_abs = by16s(abs1);
export const i16x8_neg = by16s((x) => -x);
export function i8x16_popcnt(w: number): number {
  w = w - ((w >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (w + (w >>> 4)) & 0x0f0f0f0f;
}
/** Pairwise sums of the byte lanes of x, as two 16-bit lanes. */
export function i16x8_extadd_pairwise_i8x16_s(x: number): number {
  return ((((x << 24) >> 24) + ((x << 16) >> 24)) & 0xffff) | ((((x << 8) >> 24) + (x >> 24)) << 16);
}
export function i16x8_extadd_pairwise_i8x16_u(x: number): number {
  return ((x & 0xff) + ((x >>> 8) & 0xff)) | ((((x >>> 16) & 0xff) + (x >>> 24)) << 16);
}

// Narrowing: words x and y (two i32 lanes) become one word of two i16 lanes, saturated.
export function i16x8_narrow_i32x4_s(x: number, y: number): number {
  return (sat(x, -32768, 32767) & 0xffff) | (sat(y, -32768, 32767) << 16);
}
export function i16x8_narrow_i32x4_u(x: number, y: number): number {
  return sat(x, 0, 0xffff) | (sat(y, 0, 0xffff) << 16);
}

/**
 * Extended multiplication of byte lanes into 16-bit lanes: the two bytes of half `h` (0: bytes
 * 0-1, 1: bytes 2-3) of words x and y.
 */
export function i16x8_extmul_i8x16_s(x: number, y: number, h: number): number {
  const s = 16 * h;
  return (Math.imul((x << (24 - s)) >> 24, (y << (24 - s)) >> 24) & 0xffff) |
    (Math.imul((x << (16 - s)) >> 24, (y << (16 - s)) >> 24) << 16);
}
export function i16x8_extmul_i8x16_u(x: number, y: number, h: number): number {
  const s = 16 * h;
  return (Math.imul((x >>> s) & 0xff, (y >>> s) & 0xff) & 0xffff) | (Math.imul((x >>> (s + 8)) & 0xff, (y >>> (s + 8)) & 0xff) << 16);
}

/** Word of a swizzle: bytes of a0..a3 chosen by the four byte indices in s (>= 16: zero). */
export function swizzleWord(a0: number, a1: number, a2: number, a3: number, s: number): number {
  let r = 0;
  for (let k = 0; k < 32; k += 8) {
    const i = (s >>> k) & 0xff;
    if (i < 16) {
      const w = i < 8 ? (i < 4 ? a0 : a1) : i < 12 ? a2 : a3;
      r |= ((w >>> (8 * (i & 3))) & 0xff) << k;
    }
  }
  return r;
}
