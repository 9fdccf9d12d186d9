// SIMD library called by generated code: WebAssembly 2.0 fixed-width SIMD (0xFD 0x00-0xFF) and
// relaxed SIMD (0xFD 0x100-0x113). One function per instruction, named by the mnemonic with '.'
// replaced by '_'.
//
// Representation: V128 is an immutable object of four int32 words a,b,c,d (little-endian: a holds
// bytes 0-3). Measured on Node 20 (10^7 iterations, x = op(x, y)):
//   class {a,b,c,d}:       i32x4.add 4.5 ns, i8x16.add (SWAR) 7.9 ns
//   Int32Array(4) (fresh): i32x4.add 22 ns,  i8x16.add (SWAR) 20 ns; via Uint8Array views 450 ns
// so the class wins by ~4x. Lane-wise ops that are not done with word arithmetic go through a
// shared scratch buffer of typed-array views (assumes a little-endian platform, as all JS engines
// in practice are).
//
// NaNs: arithmetic float results that are NaN are the canonical NaN (positive). abs/neg/pmin/pmax
// and lane moves work on bits and preserve payloads. f32x4.extract_lane must return a JS number,
// so an f32 signalling NaN may come out quieted (the engine-wide f32 caveat of types.ts);
// f32x4.splat/extract_lane/replace_lane use the engine's f32 representation (engine/f32.ts),
// which keeps signalling-NaN payloads.
//
// Relaxed SIMD, deterministic choices (the first alternative of the spec's relaxed semantics):
//   relaxed_swizzle = swizzle; relaxed_trunc_* = trunc_sat_*; relaxed_madd/nmadd = unfused
//   (fround(fround(a*b) + c), for f64 a*b+c); relaxed_laneselect = bitselect;
//   relaxed_min/max = min/max; relaxed_q15mulr_s = q15mulr_sat_s; relaxed_dot_i8x16_i7x16_s =
//   signed*signed products, pairs added with signed saturation to i16; the _add_s form adds those
//   i16 sums pairwise into i32 lanes plus c (wrapping).

export class V128 {
  // `declare`: no class-field definitions (plain assignments build the object ~30% faster).
  declare readonly a: number;
  declare readonly b: number;
  declare readonly c: number;
  declare readonly d: number;
  constructor(a: number, b: number, c: number, d: number) {
    this.a = a; this.b = b; this.c = c; this.d = d;
  }
}

export const V128_ZERO = new V128(0, 0, 0, 0);

// --- Scratch: operands A (bytes 0-15), B (16-31), C (32-47), result R (48-63) ---
import { f32Bits, f32FromBits } from './f32.js';
const buf = new ArrayBuffer(64);
const I8 = new Int8Array(buf);
const U8 = new Uint8Array(buf);
const I16 = new Int16Array(buf);
const U16 = new Uint16Array(buf);
const I32 = new Int32Array(buf);
const U32 = new Uint32Array(buf);
const F32 = new Float32Array(buf);
const F64 = new Float64Array(buf);

function put1(a: V128): void {
  I32[0] = a.a; I32[1] = a.b; I32[2] = a.c; I32[3] = a.d;
}
function put2(a: V128, b: V128): void {
  I32[0] = a.a; I32[1] = a.b; I32[2] = a.c; I32[3] = a.d;
  I32[4] = b.a; I32[5] = b.b; I32[6] = b.c; I32[7] = b.d;
}
function put3(a: V128, b: V128, c: V128): void {
  put2(a, b);
  I32[8] = c.a; I32[9] = c.b; I32[10] = c.c; I32[11] = c.d;
}
function res(): V128 {
  return new V128(I32[12], I32[13], I32[14], I32[15]);
}

const CANON_F32 = 0x7fc00000;
const CANON_F64_HI = 0x7ff80000;

/** Stores an f32 arithmetic result into F32 lane i of the scratch, NaN as the canonical NaN. */
function setF32(i: number, x: number): void {
  if (x !== x) I32[i] = CANON_F32;
  else F32[i] = x;
}
function setF64(i: number, x: number): void {
  if (x !== x) { I32[2 * i] = 0; I32[2 * i + 1] = CANON_F64_HI; } else F64[i] = x;
}

// --- Conversions for the JS API and tests ---

export function v128FromBytes(bytes: Uint8Array): V128 {
  for (let i = 0; i < 16; i++) U8[i] = bytes[i];
  return new V128(I32[0], I32[1], I32[2], I32[3]);
}

export function v128ToBytes(v: V128): Uint8Array {
  put1(v);
  return U8.slice(0, 16);
}

export function v128Equal(a: V128, b: V128): boolean {
  return a.a === b.a && a.b === b.b && a.c === b.c && a.d === b.d;
}

export function v128_const(bytes: Uint8Array): V128 {
  return v128FromBytes(bytes);
}

function word(v: V128, i: number): number {
  return i === 0 ? v.a : i === 1 ? v.b : i === 2 ? v.c : v.d;
}
function withWord(v: V128, i: number, w: number): V128 {
  return i === 0 ? new V128(w, v.b, v.c, v.d) : i === 1 ? new V128(v.a, w, v.c, v.d)
    : i === 2 ? new V128(v.a, v.b, w, v.d) : new V128(v.a, v.b, v.c, w);
}

// --- Memory ---

function oob(): never {
  throw new RangeError('Offset is outside the bounds of the DataView');
}

export function v128_load(view: DataView, addr: number): V128 {
  if (addr + 16 > view.byteLength) oob();
  return new V128(view.getInt32(addr, true), view.getInt32(addr + 4, true), view.getInt32(addr + 8, true), view.getInt32(addr + 12, true));
}

function pack16(lo: number, hi: number): number {
  return (lo & 0xffff) | (hi << 16);
}

export function v128_load8x8_s(view: DataView, addr: number): V128 {
  if (addr + 8 > view.byteLength) oob();
  const g = (i: number) => view.getInt8(addr + i);
  return new V128(pack16(g(0), g(1)), pack16(g(2), g(3)), pack16(g(4), g(5)), pack16(g(6), g(7)));
}
export function v128_load8x8_u(view: DataView, addr: number): V128 {
  if (addr + 8 > view.byteLength) oob();
  const g = (i: number) => view.getUint8(addr + i);
  return new V128(pack16(g(0), g(1)), pack16(g(2), g(3)), pack16(g(4), g(5)), pack16(g(6), g(7)));
}
export function v128_load16x4_s(view: DataView, addr: number): V128 {
  if (addr + 8 > view.byteLength) oob();
  return new V128(view.getInt16(addr, true), view.getInt16(addr + 2, true), view.getInt16(addr + 4, true), view.getInt16(addr + 6, true));
}
export function v128_load16x4_u(view: DataView, addr: number): V128 {
  if (addr + 8 > view.byteLength) oob();
  return new V128(view.getUint16(addr, true), view.getUint16(addr + 2, true), view.getUint16(addr + 4, true), view.getUint16(addr + 6, true));
}
export function v128_load32x2_s(view: DataView, addr: number): V128 {
  if (addr + 8 > view.byteLength) oob();
  const x = view.getInt32(addr, true), y = view.getInt32(addr + 4, true);
  return new V128(x, x >> 31, y, y >> 31);
}
export function v128_load32x2_u(view: DataView, addr: number): V128 {
  if (addr + 8 > view.byteLength) oob();
  return new V128(view.getInt32(addr, true), 0, view.getInt32(addr + 4, true), 0);
}
export function v128_load8_splat(view: DataView, addr: number): V128 {
  return i8x16_splat(view.getUint8(addr));
}
export function v128_load16_splat(view: DataView, addr: number): V128 {
  return i16x8_splat(view.getUint16(addr, true));
}
export function v128_load32_splat(view: DataView, addr: number): V128 {
  const x = view.getInt32(addr, true);
  return new V128(x, x, x, x);
}
export function v128_load64_splat(view: DataView, addr: number): V128 {
  if (addr + 8 > view.byteLength) oob();
  const lo = view.getInt32(addr, true), hi = view.getInt32(addr + 4, true);
  return new V128(lo, hi, lo, hi);
}
export function v128_load32_zero(view: DataView, addr: number): V128 {
  return new V128(view.getInt32(addr, true), 0, 0, 0);
}
export function v128_load64_zero(view: DataView, addr: number): V128 {
  if (addr + 8 > view.byteLength) oob();
  return new V128(view.getInt32(addr, true), view.getInt32(addr + 4, true), 0, 0);
}
export function v128_load8_lane(view: DataView, addr: number, v: V128, lane: number): V128 {
  return i8x16_replace_lane(v, lane, view.getUint8(addr));
}
export function v128_load16_lane(view: DataView, addr: number, v: V128, lane: number): V128 {
  return i16x8_replace_lane(v, lane, view.getUint16(addr, true));
}
export function v128_load32_lane(view: DataView, addr: number, v: V128, lane: number): V128 {
  return withWord(v, lane, view.getInt32(addr, true));
}
export function v128_load64_lane(view: DataView, addr: number, v: V128, lane: number): V128 {
  if (addr + 8 > view.byteLength) oob();
  const lo = view.getInt32(addr, true), hi = view.getInt32(addr + 4, true);
  return lane === 0 ? new V128(lo, hi, v.c, v.d) : new V128(v.a, v.b, lo, hi);
}

export function v128_store(view: DataView, addr: number, v: V128): void {
  if (addr + 16 > view.byteLength) oob();
  view.setInt32(addr, v.a, true);
  view.setInt32(addr + 4, v.b, true);
  view.setInt32(addr + 8, v.c, true);
  view.setInt32(addr + 12, v.d, true);
}
export function v128_store8_lane(view: DataView, addr: number, v: V128, lane: number): void {
  view.setUint8(addr, i8x16_extract_lane_u(v, lane));
}
export function v128_store16_lane(view: DataView, addr: number, v: V128, lane: number): void {
  view.setUint16(addr, i16x8_extract_lane_u(v, lane), true);
}
export function v128_store32_lane(view: DataView, addr: number, v: V128, lane: number): void {
  view.setInt32(addr, word(v, lane), true);
}
export function v128_store64_lane(view: DataView, addr: number, v: V128, lane: number): void {
  if (addr + 8 > view.byteLength) oob();
  view.setInt32(addr, lane === 0 ? v.a : v.c, true);
  view.setInt32(addr + 4, lane === 0 ? v.b : v.d, true);
}

// --- Splat, lanes, shuffles ---

export function i8x16_splat(x: number): V128 {
  const w = ((x & 0xff) * 0x01010101) | 0;
  return new V128(w, w, w, w);
}
export function i16x8_splat(x: number): V128 {
  const w = ((x & 0xffff) * 0x10001) | 0;
  return new V128(w, w, w, w);
}
export function i32x4_splat(x: number): V128 {
  return new V128(x, x, x, x);
}
export function i64x2_splat(x: bigint): V128 {
  const lo = Number(BigInt.asIntN(32, x)), hi = Number(BigInt.asIntN(32, x >> 32n));
  return new V128(lo, hi, lo, hi);
}
export function f32x4_splat(x: number): V128 {
  const w = f32Bits(x);
  return new V128(w, w, w, w);
}
export function f64x2_splat(x: number): V128 {
  F64[0] = x;
  const lo = I32[0], hi = I32[1];
  return new V128(lo, hi, lo, hi);
}

export function i8x16_extract_lane_s(v: V128, lane: number): number {
  return (word(v, lane >> 2) << (24 - 8 * (lane & 3))) >> 24;
}
export function i8x16_extract_lane_u(v: V128, lane: number): number {
  return (word(v, lane >> 2) >>> (8 * (lane & 3))) & 0xff;
}
export function i8x16_replace_lane(v: V128, lane: number, x: number): V128 {
  const i = lane >> 2, s = 8 * (lane & 3);
  return withWord(v, i, (word(v, i) & ~(0xff << s)) | ((x & 0xff) << s));
}
export function i16x8_extract_lane_s(v: V128, lane: number): number {
  return (word(v, lane >> 1) << (16 - 16 * (lane & 1))) >> 16;
}
export function i16x8_extract_lane_u(v: V128, lane: number): number {
  return (word(v, lane >> 1) >>> (16 * (lane & 1))) & 0xffff;
}
export function i16x8_replace_lane(v: V128, lane: number, x: number): V128 {
  const i = lane >> 1, s = 16 * (lane & 1);
  return withWord(v, i, (word(v, i) & ~(0xffff << s)) | ((x & 0xffff) << s));
}
export function i32x4_extract_lane(v: V128, lane: number): number {
  return word(v, lane);
}
export function i32x4_replace_lane(v: V128, lane: number, x: number): V128 {
  return withWord(v, lane, x);
}
export function i64x2_extract_lane(v: V128, lane: number): bigint {
  const lo = lane === 0 ? v.a : v.c, hi = lane === 0 ? v.b : v.d;
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}
export function i64x2_replace_lane(v: V128, lane: number, x: bigint): V128 {
  const lo = Number(BigInt.asIntN(32, x)), hi = Number(BigInt.asIntN(32, x >> 32n));
  return lane === 0 ? new V128(lo, hi, v.c, v.d) : new V128(v.a, v.b, lo, hi);
}
export function f32x4_extract_lane(v: V128, lane: number): number {
  return f32FromBits(word(v, lane));
}
export function f32x4_replace_lane(v: V128, lane: number, x: number): V128 {
  return withWord(v, lane, f32Bits(x));
}
export function f64x2_extract_lane(v: V128, lane: number): number {
  I32[0] = lane === 0 ? v.a : v.c;
  I32[1] = lane === 0 ? v.b : v.d;
  return F64[0];
}
export function f64x2_replace_lane(v: V128, lane: number, x: number): V128 {
  F64[0] = x;
  return lane === 0 ? new V128(I32[0], I32[1], v.c, v.d) : new V128(v.a, v.b, I32[0], I32[1]);
}

export function i8x16_shuffle(a: V128, b: V128, lanes: readonly number[]): V128 {
  put2(a, b);
  for (let i = 0; i < 16; i++) U8[48 + i] = U8[lanes[i]];
  return res();
}
export function i8x16_swizzle(a: V128, s: V128): V128 {
  put2(a, s);
  for (let i = 0; i < 16; i++) {
    const k = U8[16 + i];
    U8[48 + i] = k < 16 ? U8[k] : 0;
  }
  return res();
}

// --- Bitwise ---

export function v128_not(a: V128): V128 {
  return new V128(~a.a, ~a.b, ~a.c, ~a.d);
}
export function v128_and(a: V128, b: V128): V128 {
  return new V128(a.a & b.a, a.b & b.b, a.c & b.c, a.d & b.d);
}
export function v128_andnot(a: V128, b: V128): V128 {
  return new V128(a.a & ~b.a, a.b & ~b.b, a.c & ~b.c, a.d & ~b.d);
}
export function v128_or(a: V128, b: V128): V128 {
  return new V128(a.a | b.a, a.b | b.b, a.c | b.c, a.d | b.d);
}
export function v128_xor(a: V128, b: V128): V128 {
  return new V128(a.a ^ b.a, a.b ^ b.b, a.c ^ b.c, a.d ^ b.d);
}
export function v128_bitselect(a: V128, b: V128, m: V128): V128 {
  return new V128((a.a & m.a) | (b.a & ~m.a), (a.b & m.b) | (b.b & ~m.b), (a.c & m.c) | (b.c & ~m.c), (a.d & m.d) | (b.d & ~m.d));
}
export function v128_any_true(a: V128): number {
  return (a.a | a.b | a.c | a.d) !== 0 ? 1 : 0;
}

// --- Lane-wise helpers over the scratch ---

type IntArr = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** r[i] = f(x[i], y[i]) over n lanes of array t (x at 0, y at n, r at 3n); r wraps on store. */
function bin(t: IntArr, n: number, a: V128, b: V128, f: (x: number, y: number) => number): V128 {
  put2(a, b);
  for (let i = 0; i < n; i++) t[3 * n + i] = f(t[i], t[n + i]);
  return res();
}
function un(t: IntArr, n: number, a: V128, f: (x: number) => number): V128 {
  put1(a);
  for (let i = 0; i < n; i++) t[3 * n + i] = f(t[i]);
  return res();
}
/** Comparison: all-ones lanes where p holds. */
function cmp(t: IntArr, n: number, a: V128, b: V128, p: (x: number, y: number) => boolean): V128 {
  put2(a, b);
  for (let i = 0; i < n; i++) t[3 * n + i] = p(t[i], t[n + i]) ? -1 : 0;
  return res();
}
function allTrue(t: IntArr, n: number, a: V128): number {
  put1(a);
  for (let i = 0; i < n; i++) if (t[i] === 0) return 0;
  return 1;
}
function bitmask(t: IntArr, n: number, a: V128): number {
  put1(a);
  let m = 0;
  for (let i = 0; i < n; i++) if (t[i] < 0) m |= 1 << i;
  return m;
}
const sat = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

// SWAR add/sub for packed 8- and 16-bit lanes.
const H8 = 0x80808080 | 0, L8 = 0x7f7f7f7f, H16 = 0x80008000 | 0, L16 = 0x7fff7fff;
const add8 = (x: number, y: number): number => ((x & L8) + (y & L8)) ^ ((x ^ y) & H8);
const sub8 = (x: number, y: number): number => ((x | H8) - (y & L8)) ^ ((x ^ ~y) & H8);
const add16 = (x: number, y: number): number => ((x & L16) + (y & L16)) ^ ((x ^ y) & H16);
const sub16 = (x: number, y: number): number => ((x | H16) - (y & L16)) ^ ((x ^ ~y) & H16);

// --- i8x16 ---

export function i8x16_eq(a: V128, b: V128): V128 { return cmp(I8, 16, a, b, (x, y) => x === y); }
export function i8x16_ne(a: V128, b: V128): V128 { return cmp(I8, 16, a, b, (x, y) => x !== y); }
export function i8x16_lt_s(a: V128, b: V128): V128 { return cmp(I8, 16, a, b, (x, y) => x < y); }
export function i8x16_lt_u(a: V128, b: V128): V128 { return cmp(U8, 16, a, b, (x, y) => x < y); }
export function i8x16_gt_s(a: V128, b: V128): V128 { return cmp(I8, 16, a, b, (x, y) => x > y); }
export function i8x16_gt_u(a: V128, b: V128): V128 { return cmp(U8, 16, a, b, (x, y) => x > y); }
export function i8x16_le_s(a: V128, b: V128): V128 { return cmp(I8, 16, a, b, (x, y) => x <= y); }
export function i8x16_le_u(a: V128, b: V128): V128 { return cmp(U8, 16, a, b, (x, y) => x <= y); }
export function i8x16_ge_s(a: V128, b: V128): V128 { return cmp(I8, 16, a, b, (x, y) => x >= y); }
export function i8x16_ge_u(a: V128, b: V128): V128 { return cmp(U8, 16, a, b, (x, y) => x >= y); }

export function i8x16_abs(a: V128): V128 { return un(I8, 16, a, (x) => (x < 0 ? -x : x)); }
export function i8x16_neg(a: V128): V128 { return un(I8, 16, a, (x) => -x); }
export function i8x16_popcnt(a: V128): V128 {
  const p = (w: number): number => {
    w = w - ((w >>> 1) & 0x55555555);
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    return (w + (w >>> 4)) & 0x0f0f0f0f;
  };
  return new V128(p(a.a), p(a.b), p(a.c), p(a.d));
}
export function i8x16_all_true(a: V128): number { return allTrue(U8, 16, a); }
export function i8x16_bitmask(a: V128): number { return bitmask(I8, 16, a); }
// Narrowing on words: a word holds two i16 lanes, lo = (x << 16) >> 16 and hi = x >> 16.
const satS8 = (x: number): number => (x < -128 ? 0x80 : x > 127 ? 0x7f : x & 0xff);
const satU8 = (x: number): number => (x < 0 ? 0 : x > 255 ? 255 : x);
export function narrowS8(x: number, y: number): number {
  return satS8((x << 16) >> 16) | (satS8(x >> 16) << 8) | (satS8((y << 16) >> 16) << 16) | (satS8(y >> 16) << 24);
}
export function narrowU8(x: number, y: number): number {
  return satU8((x << 16) >> 16) | (satU8(x >> 16) << 8) | (satU8((y << 16) >> 16) << 16) | (satU8(y >> 16) << 24);
}
export function i8x16_narrow_i16x8_s(a: V128, b: V128): V128 {
  return new V128(narrowS8(a.a, a.b), narrowS8(a.c, a.d), narrowS8(b.a, b.b), narrowS8(b.c, b.d));
}
export function i8x16_narrow_i16x8_u(a: V128, b: V128): V128 {
  return new V128(narrowU8(a.a, a.b), narrowU8(a.c, a.d), narrowU8(b.a, b.b), narrowU8(b.c, b.d));
}
export function i8x16_shl(a: V128, s: number): V128 {
  s &= 7;
  const m = (((0xff << s) & 0xff) * 0x01010101) | 0;
  return new V128((a.a << s) & m, (a.b << s) & m, (a.c << s) & m, (a.d << s) & m);
}
export function i8x16_shr_s(a: V128, s: number): V128 { s &= 7; return un(I8, 16, a, (x) => x >> s); }
export function i8x16_shr_u(a: V128, s: number): V128 {
  s &= 7;
  const m = ((0xff >>> s) * 0x01010101) | 0;
  return new V128((a.a >>> s) & m, (a.b >>> s) & m, (a.c >>> s) & m, (a.d >>> s) & m);
}
export function i8x16_add(a: V128, b: V128): V128 {
  return new V128(add8(a.a, b.a), add8(a.b, b.b), add8(a.c, b.c), add8(a.d, b.d));
}
export function i8x16_sub(a: V128, b: V128): V128 {
  return new V128(sub8(a.a, b.a), sub8(a.b, b.b), sub8(a.c, b.c), sub8(a.d, b.d));
}
export function i8x16_add_sat_s(a: V128, b: V128): V128 { return bin(I8, 16, a, b, (x, y) => sat(x + y, -128, 127)); }
export function i8x16_add_sat_u(a: V128, b: V128): V128 { return bin(U8, 16, a, b, (x, y) => sat(x + y, 0, 255)); }
export function i8x16_sub_sat_s(a: V128, b: V128): V128 { return bin(I8, 16, a, b, (x, y) => sat(x - y, -128, 127)); }
export function i8x16_sub_sat_u(a: V128, b: V128): V128 { return bin(U8, 16, a, b, (x, y) => sat(x - y, 0, 255)); }
export function i8x16_min_s(a: V128, b: V128): V128 { return bin(I8, 16, a, b, (x, y) => (x < y ? x : y)); }
export function i8x16_min_u(a: V128, b: V128): V128 { return bin(U8, 16, a, b, (x, y) => (x < y ? x : y)); }
export function i8x16_max_s(a: V128, b: V128): V128 { return bin(I8, 16, a, b, (x, y) => (x > y ? x : y)); }
export function i8x16_max_u(a: V128, b: V128): V128 { return bin(U8, 16, a, b, (x, y) => (x > y ? x : y)); }
export function i8x16_avgr_u(a: V128, b: V128): V128 { return bin(U8, 16, a, b, (x, y) => (x + y + 1) >> 1); }

// --- i16x8 ---

export function i16x8_eq(a: V128, b: V128): V128 { return cmp(I16, 8, a, b, (x, y) => x === y); }
export function i16x8_ne(a: V128, b: V128): V128 { return cmp(I16, 8, a, b, (x, y) => x !== y); }
export function i16x8_lt_s(a: V128, b: V128): V128 { return cmp(I16, 8, a, b, (x, y) => x < y); }
export function i16x8_lt_u(a: V128, b: V128): V128 { return cmp(U16, 8, a, b, (x, y) => x < y); }
export function i16x8_gt_s(a: V128, b: V128): V128 { return cmp(I16, 8, a, b, (x, y) => x > y); }
export function i16x8_gt_u(a: V128, b: V128): V128 { return cmp(U16, 8, a, b, (x, y) => x > y); }
export function i16x8_le_s(a: V128, b: V128): V128 { return cmp(I16, 8, a, b, (x, y) => x <= y); }
export function i16x8_le_u(a: V128, b: V128): V128 { return cmp(U16, 8, a, b, (x, y) => x <= y); }
export function i16x8_ge_s(a: V128, b: V128): V128 { return cmp(I16, 8, a, b, (x, y) => x >= y); }
export function i16x8_ge_u(a: V128, b: V128): V128 { return cmp(U16, 8, a, b, (x, y) => x >= y); }

export function i16x8_abs(a: V128): V128 { return un(I16, 8, a, (x) => (x < 0 ? -x : x)); }
export function i16x8_neg(a: V128): V128 { return un(I16, 8, a, (x) => -x); }
export function i16x8_q15mulr_sat_s(a: V128, b: V128): V128 {
  return bin(I16, 8, a, b, (x, y) => sat((x * y + 0x4000) >> 15, -32768, 32767));
}
export function i16x8_all_true(a: V128): number { return allTrue(U16, 8, a); }
export function i16x8_bitmask(a: V128): number { return bitmask(I16, 8, a); }
export function i16x8_narrow_i32x4_s(a: V128, b: V128): V128 {
  put2(a, b);
  for (let i = 0; i < 8; i++) I16[24 + i] = sat(I32[i], -32768, 32767);
  return res();
}
export function i16x8_narrow_i32x4_u(a: V128, b: V128): V128 {
  put2(a, b);
  for (let i = 0; i < 8; i++) U16[24 + i] = sat(I32[i], 0, 65535);
  return res();
}
// Widening on words: bytes 0-1 of x become the i16 lanes of one word, bytes 2-3 of the next.
export const extLoU = (x: number): number => (x & 0xff) | ((x << 8) & 0xff0000);
export const extHiU = (x: number): number => ((x >>> 16) & 0xff) | ((x >>> 8) & 0xff0000);
export const extLoS = (x: number): number => (((x << 24) >> 24) & 0xffff) | (((x << 16) >> 24) << 16);
export const extHiS = (x: number): number => (((x << 8) >> 24) & 0xffff) | ((x >> 24) << 16);
export function i16x8_extend_low_i8x16_s(a: V128): V128 { return new V128(extLoS(a.a), extHiS(a.a), extLoS(a.b), extHiS(a.b)); }
export function i16x8_extend_high_i8x16_s(a: V128): V128 { return new V128(extLoS(a.c), extHiS(a.c), extLoS(a.d), extHiS(a.d)); }
export function i16x8_extend_low_i8x16_u(a: V128): V128 { return new V128(extLoU(a.a), extHiU(a.a), extLoU(a.b), extHiU(a.b)); }
export function i16x8_extend_high_i8x16_u(a: V128): V128 { return new V128(extLoU(a.c), extHiU(a.c), extLoU(a.d), extHiU(a.d)); }
export function i16x8_shl(a: V128, s: number): V128 {
  s &= 15;
  const m = (((0xffff << s) & 0xffff) * 0x10001) | 0;
  return new V128((a.a << s) & m, (a.b << s) & m, (a.c << s) & m, (a.d << s) & m);
}
export function i16x8_shr_s(a: V128, s: number): V128 { s &= 15; return un(I16, 8, a, (x) => x >> s); }
export function i16x8_shr_u(a: V128, s: number): V128 {
  s &= 15;
  const m = ((0xffff >>> s) * 0x10001) | 0;
  return new V128((a.a >>> s) & m, (a.b >>> s) & m, (a.c >>> s) & m, (a.d >>> s) & m);
}
export function i16x8_add(a: V128, b: V128): V128 {
  return new V128(add16(a.a, b.a), add16(a.b, b.b), add16(a.c, b.c), add16(a.d, b.d));
}
export function i16x8_sub(a: V128, b: V128): V128 {
  return new V128(sub16(a.a, b.a), sub16(a.b, b.b), sub16(a.c, b.c), sub16(a.d, b.d));
}
export function i16x8_add_sat_s(a: V128, b: V128): V128 { return bin(I16, 8, a, b, (x, y) => sat(x + y, -32768, 32767)); }
export function i16x8_add_sat_u(a: V128, b: V128): V128 { return bin(U16, 8, a, b, (x, y) => sat(x + y, 0, 65535)); }
export function i16x8_sub_sat_s(a: V128, b: V128): V128 { return bin(I16, 8, a, b, (x, y) => sat(x - y, -32768, 32767)); }
export function i16x8_sub_sat_u(a: V128, b: V128): V128 { return bin(U16, 8, a, b, (x, y) => sat(x - y, 0, 65535)); }
export function i16x8_mul(a: V128, b: V128): V128 { return bin(I16, 8, a, b, (x, y) => Math.imul(x, y)); }
export function i16x8_min_s(a: V128, b: V128): V128 { return bin(I16, 8, a, b, (x, y) => (x < y ? x : y)); }
export function i16x8_min_u(a: V128, b: V128): V128 { return bin(U16, 8, a, b, (x, y) => (x < y ? x : y)); }
export function i16x8_max_s(a: V128, b: V128): V128 { return bin(I16, 8, a, b, (x, y) => (x > y ? x : y)); }
export function i16x8_max_u(a: V128, b: V128): V128 { return bin(U16, 8, a, b, (x, y) => (x > y ? x : y)); }
export function i16x8_avgr_u(a: V128, b: V128): V128 { return bin(U16, 8, a, b, (x, y) => (x + y + 1) >> 1); }
function extmul16(a: V128, b: V128, t: Int8Array | Uint8Array, from: number): V128 {
  put2(a, b);
  for (let i = 0; i < 8; i++) I16[24 + i] = t[from + i] * t[16 + from + i];
  return res();
}
export function i16x8_extmul_low_i8x16_s(a: V128, b: V128): V128 { return extmul16(a, b, I8, 0); }
export function i16x8_extmul_high_i8x16_s(a: V128, b: V128): V128 { return extmul16(a, b, I8, 8); }
export function i16x8_extmul_low_i8x16_u(a: V128, b: V128): V128 { return extmul16(a, b, U8, 0); }
export function i16x8_extmul_high_i8x16_u(a: V128, b: V128): V128 { return extmul16(a, b, U8, 8); }
function extaddPairwise16(a: V128, t: Int8Array | Uint8Array): V128 {
  put1(a);
  for (let i = 0; i < 8; i++) I16[24 + i] = t[2 * i] + t[2 * i + 1];
  return res();
}
export function i16x8_extadd_pairwise_i8x16_s(a: V128): V128 { return extaddPairwise16(a, I8); }
export function i16x8_extadd_pairwise_i8x16_u(a: V128): V128 { return extaddPairwise16(a, U8); }

// --- i32x4 (directly on words) ---

const b2m = (p: boolean): number => (p ? -1 : 0);
export function i32x4_eq(a: V128, b: V128): V128 {
  return new V128(b2m(a.a === b.a), b2m(a.b === b.b), b2m(a.c === b.c), b2m(a.d === b.d));
}
export function i32x4_ne(a: V128, b: V128): V128 {
  return new V128(b2m(a.a !== b.a), b2m(a.b !== b.b), b2m(a.c !== b.c), b2m(a.d !== b.d));
}
export function i32x4_lt_s(a: V128, b: V128): V128 {
  return new V128(b2m(a.a < b.a), b2m(a.b < b.b), b2m(a.c < b.c), b2m(a.d < b.d));
}
export function i32x4_lt_u(a: V128, b: V128): V128 {
  return new V128(b2m(a.a >>> 0 < b.a >>> 0), b2m(a.b >>> 0 < b.b >>> 0), b2m(a.c >>> 0 < b.c >>> 0), b2m(a.d >>> 0 < b.d >>> 0));
}
export function i32x4_gt_s(a: V128, b: V128): V128 { return i32x4_lt_s(b, a); }
export function i32x4_gt_u(a: V128, b: V128): V128 { return i32x4_lt_u(b, a); }
export function i32x4_le_s(a: V128, b: V128): V128 {
  return new V128(b2m(a.a <= b.a), b2m(a.b <= b.b), b2m(a.c <= b.c), b2m(a.d <= b.d));
}
export function i32x4_le_u(a: V128, b: V128): V128 {
  return new V128(b2m(a.a >>> 0 <= b.a >>> 0), b2m(a.b >>> 0 <= b.b >>> 0), b2m(a.c >>> 0 <= b.c >>> 0), b2m(a.d >>> 0 <= b.d >>> 0));
}
export function i32x4_ge_s(a: V128, b: V128): V128 { return i32x4_le_s(b, a); }
export function i32x4_ge_u(a: V128, b: V128): V128 { return i32x4_le_u(b, a); }

const abs32 = (x: number): number => (x < 0 ? -x | 0 : x);
export function i32x4_abs(a: V128): V128 { return new V128(abs32(a.a), abs32(a.b), abs32(a.c), abs32(a.d)); }
export function i32x4_neg(a: V128): V128 { return new V128(-a.a | 0, -a.b | 0, -a.c | 0, -a.d | 0); }
export function i32x4_all_true(a: V128): number {
  return a.a !== 0 && a.b !== 0 && a.c !== 0 && a.d !== 0 ? 1 : 0;
}
export function i32x4_bitmask(a: V128): number {
  return (a.a >>> 31) | ((a.b >>> 31) << 1) | ((a.c >>> 31) << 2) | ((a.d >>> 31) << 3);
}
export function i32x4_extend_low_i16x8_s(a: V128): V128 {
  return new V128((a.a << 16) >> 16, a.a >> 16, (a.b << 16) >> 16, a.b >> 16);
}
export function i32x4_extend_high_i16x8_s(a: V128): V128 {
  return new V128((a.c << 16) >> 16, a.c >> 16, (a.d << 16) >> 16, a.d >> 16);
}
export function i32x4_extend_low_i16x8_u(a: V128): V128 {
  return new V128(a.a & 0xffff, a.a >>> 16, a.b & 0xffff, a.b >>> 16);
}
export function i32x4_extend_high_i16x8_u(a: V128): V128 {
  return new V128(a.c & 0xffff, a.c >>> 16, a.d & 0xffff, a.d >>> 16);
}
export function i32x4_shl(a: V128, s: number): V128 { return new V128(a.a << s, a.b << s, a.c << s, a.d << s); }
export function i32x4_shr_s(a: V128, s: number): V128 { return new V128(a.a >> s, a.b >> s, a.c >> s, a.d >> s); }
export function i32x4_shr_u(a: V128, s: number): V128 {
  return new V128((a.a >>> s) | 0, (a.b >>> s) | 0, (a.c >>> s) | 0, (a.d >>> s) | 0);
}
export function i32x4_add(a: V128, b: V128): V128 {
  return new V128((a.a + b.a) | 0, (a.b + b.b) | 0, (a.c + b.c) | 0, (a.d + b.d) | 0);
}
export function i32x4_sub(a: V128, b: V128): V128 {
  return new V128((a.a - b.a) | 0, (a.b - b.b) | 0, (a.c - b.c) | 0, (a.d - b.d) | 0);
}
export function i32x4_mul(a: V128, b: V128): V128 {
  return new V128(Math.imul(a.a, b.a), Math.imul(a.b, b.b), Math.imul(a.c, b.c), Math.imul(a.d, b.d));
}
const mins = (x: number, y: number): number => (x < y ? x : y);
const maxs = (x: number, y: number): number => (x > y ? x : y);
const minu = (x: number, y: number): number => (x >>> 0 < y >>> 0 ? x : y);
const maxu = (x: number, y: number): number => (x >>> 0 > y >>> 0 ? x : y);
export function i32x4_min_s(a: V128, b: V128): V128 { return new V128(mins(a.a, b.a), mins(a.b, b.b), mins(a.c, b.c), mins(a.d, b.d)); }
export function i32x4_min_u(a: V128, b: V128): V128 { return new V128(minu(a.a, b.a), minu(a.b, b.b), minu(a.c, b.c), minu(a.d, b.d)); }
export function i32x4_max_s(a: V128, b: V128): V128 { return new V128(maxs(a.a, b.a), maxs(a.b, b.b), maxs(a.c, b.c), maxs(a.d, b.d)); }
export function i32x4_max_u(a: V128, b: V128): V128 { return new V128(maxu(a.a, b.a), maxu(a.b, b.b), maxu(a.c, b.c), maxu(a.d, b.d)); }
const dot = (x: number, y: number): number => (((x << 16) >> 16) * ((y << 16) >> 16) + (x >> 16) * (y >> 16)) | 0;
export function i32x4_dot_i16x8_s(a: V128, b: V128): V128 {
  return new V128(dot(a.a, b.a), dot(a.b, b.b), dot(a.c, b.c), dot(a.d, b.d));
}
function extmul32(a: V128, b: V128, t: Int16Array | Uint16Array, from: number): V128 {
  put2(a, b);
  for (let i = 0; i < 4; i++) I32[12 + i] = t[from + i] * t[8 + from + i];
  return res();
}
export function i32x4_extmul_low_i16x8_s(a: V128, b: V128): V128 { return extmul32(a, b, I16, 0); }
export function i32x4_extmul_high_i16x8_s(a: V128, b: V128): V128 { return extmul32(a, b, I16, 4); }
export function i32x4_extmul_low_i16x8_u(a: V128, b: V128): V128 { return extmul32(a, b, U16, 0); }
export function i32x4_extmul_high_i16x8_u(a: V128, b: V128): V128 { return extmul32(a, b, U16, 4); }
const pairS = (x: number): number => ((x << 16) >> 16) + (x >> 16);
const pairU = (x: number): number => (x & 0xffff) + (x >>> 16);
export function i32x4_extadd_pairwise_i16x8_s(a: V128): V128 { return new V128(pairS(a.a), pairS(a.b), pairS(a.c), pairS(a.d)); }
export function i32x4_extadd_pairwise_i16x8_u(a: V128): V128 { return new V128(pairU(a.a), pairU(a.b), pairU(a.c), pairU(a.d)); }

const truncSatS = (x: number): number => (x !== x ? 0 : x <= -2147483648 ? -2147483648 : x >= 2147483647 ? 2147483647 : Math.trunc(x) | 0);
const truncSatU = (x: number): number => (x !== x || x <= 0 ? 0 : x >= 4294967295 ? -1 : Math.trunc(x) | 0);
export function i32x4_trunc_sat_f32x4_s(a: V128): V128 {
  put1(a);
  return new V128(truncSatS(F32[0]), truncSatS(F32[1]), truncSatS(F32[2]), truncSatS(F32[3]));
}
export function i32x4_trunc_sat_f32x4_u(a: V128): V128 {
  put1(a);
  return new V128(truncSatU(F32[0]), truncSatU(F32[1]), truncSatU(F32[2]), truncSatU(F32[3]));
}
export function i32x4_trunc_sat_f64x2_s_zero(a: V128): V128 {
  put1(a);
  return new V128(truncSatS(F64[0]), truncSatS(F64[1]), 0, 0);
}
export function i32x4_trunc_sat_f64x2_u_zero(a: V128): V128 {
  put1(a);
  return new V128(truncSatU(F64[0]), truncSatU(F64[1]), 0, 0);
}

// --- i64x2 (word pairs lo, hi) ---

/** High 32 bits of the unsigned 64-bit product of x and y (as uint32). */
function umulh(x: number, y: number): number {
  const xl = x & 0xffff, xh = x >>> 16, yl = y & 0xffff, yh = y >>> 16;
  const ll = xl * yl, lh = xl * yh, hl = xh * yl, hh = xh * yh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}
function lt64(al: number, ah: number, bl: number, bh: number): boolean {
  return ah < bh || (ah === bh && al >>> 0 < bl >>> 0);
}
function i64cmp(a: V128, b: V128, p: (al: number, ah: number, bl: number, bh: number) => boolean): V128 {
  const x = b2m(p(a.a, a.b, b.a, b.b)), y = b2m(p(a.c, a.d, b.c, b.d));
  return new V128(x, x, y, y);
}
export function i64x2_eq(a: V128, b: V128): V128 { return i64cmp(a, b, (al, ah, bl, bh) => al === bl && ah === bh); }
export function i64x2_ne(a: V128, b: V128): V128 { return i64cmp(a, b, (al, ah, bl, bh) => al !== bl || ah !== bh); }
export function i64x2_lt_s(a: V128, b: V128): V128 { return i64cmp(a, b, lt64); }
export function i64x2_gt_s(a: V128, b: V128): V128 { return i64cmp(a, b, (al, ah, bl, bh) => lt64(bl, bh, al, ah)); }
export function i64x2_le_s(a: V128, b: V128): V128 { return i64cmp(a, b, (al, ah, bl, bh) => !lt64(bl, bh, al, ah)); }
export function i64x2_ge_s(a: V128, b: V128): V128 { return i64cmp(a, b, (al, ah, bl, bh) => !lt64(al, ah, bl, bh)); }

export function i64x2_neg(a: V128): V128 {
  return new V128(-a.a | 0, (~a.b + (a.a === 0 ? 1 : 0)) | 0, -a.c | 0, (~a.d + (a.c === 0 ? 1 : 0)) | 0);
}
export function i64x2_abs(a: V128): V128 {
  const n = i64x2_neg(a);
  return new V128(a.b < 0 ? n.a : a.a, a.b < 0 ? n.b : a.b, a.d < 0 ? n.c : a.c, a.d < 0 ? n.d : a.d);
}
export function i64x2_all_true(a: V128): number {
  return (a.a | a.b) !== 0 && (a.c | a.d) !== 0 ? 1 : 0;
}
export function i64x2_bitmask(a: V128): number {
  return (a.b >>> 31) | ((a.d >>> 31) << 1);
}
export function i64x2_extend_low_i32x4_s(a: V128): V128 { return new V128(a.a, a.a >> 31, a.b, a.b >> 31); }
export function i64x2_extend_high_i32x4_s(a: V128): V128 { return new V128(a.c, a.c >> 31, a.d, a.d >> 31); }
export function i64x2_extend_low_i32x4_u(a: V128): V128 { return new V128(a.a, 0, a.b, 0); }
export function i64x2_extend_high_i32x4_u(a: V128): V128 { return new V128(a.c, 0, a.d, 0); }

export function i64x2_shl(a: V128, s: number): V128 {
  s &= 63;
  if (s === 0) return a;
  if (s >= 32) return new V128(0, a.a << (s - 32), 0, a.c << (s - 32));
  return new V128(a.a << s, (a.b << s) | (a.a >>> (32 - s)), a.c << s, (a.d << s) | (a.c >>> (32 - s)));
}
export function i64x2_shr_s(a: V128, s: number): V128 {
  s &= 63;
  if (s === 0) return a;
  if (s >= 32) return new V128(a.b >> (s - 32), a.b >> 31, a.d >> (s - 32), a.d >> 31);
  return new V128((a.a >>> s) | (a.b << (32 - s)), a.b >> s, (a.c >>> s) | (a.d << (32 - s)), a.d >> s);
}
export function i64x2_shr_u(a: V128, s: number): V128 {
  s &= 63;
  if (s === 0) return a;
  if (s >= 32) return new V128((a.b >>> (s - 32)) | 0, 0, (a.d >>> (s - 32)) | 0, 0);
  return new V128((a.a >>> s) | (a.b << (32 - s)), (a.b >>> s) | 0, (a.c >>> s) | (a.d << (32 - s)), (a.d >>> s) | 0);
}
export function i64x2_add(a: V128, b: V128): V128 {
  const l0 = (a.a >>> 0) + (b.a >>> 0), l1 = (a.c >>> 0) + (b.c >>> 0);
  return new V128(l0 | 0, (a.b + b.b + (l0 > 0xffffffff ? 1 : 0)) | 0, l1 | 0, (a.d + b.d + (l1 > 0xffffffff ? 1 : 0)) | 0);
}
export function i64x2_sub(a: V128, b: V128): V128 {
  const l0 = (a.a >>> 0) - (b.a >>> 0), l1 = (a.c >>> 0) - (b.c >>> 0);
  return new V128(l0 | 0, (a.b - b.b - (l0 < 0 ? 1 : 0)) | 0, l1 | 0, (a.d - b.d - (l1 < 0 ? 1 : 0)) | 0);
}
const mulHi = (al: number, ah: number, bl: number, bh: number): number =>
  (Math.imul(ah, bl) + Math.imul(al, bh) + umulh(al, bl)) | 0;
export function i64x2_mul(a: V128, b: V128): V128 {
  return new V128(Math.imul(a.a, b.a), mulHi(a.a, a.b, b.a, b.b), Math.imul(a.c, b.c), mulHi(a.c, a.d, b.c, b.d));
}
/** High word of the signed 64-bit product of int32 x and y. */
const smulh = (x: number, y: number): number => (umulh(x, y) - (x < 0 ? y : 0) - (y < 0 ? x : 0)) | 0;
export function i64x2_extmul_low_i32x4_s(a: V128, b: V128): V128 {
  return new V128(Math.imul(a.a, b.a), smulh(a.a, b.a), Math.imul(a.b, b.b), smulh(a.b, b.b));
}
export function i64x2_extmul_high_i32x4_s(a: V128, b: V128): V128 {
  return new V128(Math.imul(a.c, b.c), smulh(a.c, b.c), Math.imul(a.d, b.d), smulh(a.d, b.d));
}
export function i64x2_extmul_low_i32x4_u(a: V128, b: V128): V128 {
  return new V128(Math.imul(a.a, b.a), umulh(a.a, b.a), Math.imul(a.b, b.b), umulh(a.b, b.b));
}
export function i64x2_extmul_high_i32x4_u(a: V128, b: V128): V128 {
  return new V128(Math.imul(a.c, b.c), umulh(a.c, b.c), Math.imul(a.d, b.d), umulh(a.d, b.d));
}

// --- Floating point helpers ---

/** Round to nearest, ties to even; -0 and NaN/infinities/large values pass through. */
function nearest(x: number): number {
  if (!(Math.abs(x) < 4503599627370496)) return x;
  const r = Math.round(x); // ties toward +inf; Math.round keeps -0 for x in [-0.5, -0]
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
const fmin = (x: number, y: number): number => Math.min(x, y);
const fmax = (x: number, y: number): number => Math.max(x, y);

function f32bin(a: V128, b: V128, f: (x: number, y: number) => number): V128 {
  put2(a, b);
  for (let i = 0; i < 4; i++) setF32(12 + i, Math.fround(f(F32[i], F32[4 + i])));
  return res();
}
function f32un(a: V128, f: (x: number) => number): V128 {
  put1(a);
  for (let i = 0; i < 4; i++) setF32(12 + i, Math.fround(f(F32[i])));
  return res();
}
function f32cmp(a: V128, b: V128, p: (x: number, y: number) => boolean): V128 {
  put2(a, b);
  return new V128(b2m(p(F32[0], F32[4])), b2m(p(F32[1], F32[5])), b2m(p(F32[2], F32[6])), b2m(p(F32[3], F32[7])));
}
function f64bin(a: V128, b: V128, f: (x: number, y: number) => number): V128 {
  put2(a, b);
  setF64(6, f(F64[0], F64[2]));
  setF64(7, f(F64[1], F64[3]));
  return res();
}
function f64un(a: V128, f: (x: number) => number): V128 {
  put1(a);
  setF64(6, f(F64[0]));
  setF64(7, f(F64[1]));
  return res();
}
function f64cmp(a: V128, b: V128, p: (x: number, y: number) => boolean): V128 {
  put2(a, b);
  const x = b2m(p(F64[0], F64[2])), y = b2m(p(F64[1], F64[3]));
  return new V128(x, x, y, y);
}
/** pmin/pmax select one operand's bits (no NaN canonicalisation). */
function f32sel(a: V128, b: V128, takeB: (x: number, y: number) => boolean): V128 {
  put2(a, b);
  for (let i = 0; i < 4; i++) I32[12 + i] = takeB(F32[i], F32[4 + i]) ? I32[4 + i] : I32[i];
  return res();
}
function f64sel(a: V128, b: V128, takeB: (x: number, y: number) => boolean): V128 {
  put2(a, b);
  const x = takeB(F64[0], F64[2]), y = takeB(F64[1], F64[3]);
  return new V128(x ? b.a : a.a, x ? b.b : a.b, y ? b.c : a.c, y ? b.d : a.d);
}

// --- f32x4 ---

export function f32x4_eq(a: V128, b: V128): V128 { return f32cmp(a, b, (x, y) => x === y); }
export function f32x4_ne(a: V128, b: V128): V128 { return f32cmp(a, b, (x, y) => x !== y); }
export function f32x4_lt(a: V128, b: V128): V128 { return f32cmp(a, b, (x, y) => x < y); }
export function f32x4_gt(a: V128, b: V128): V128 { return f32cmp(a, b, (x, y) => x > y); }
export function f32x4_le(a: V128, b: V128): V128 { return f32cmp(a, b, (x, y) => x <= y); }
export function f32x4_ge(a: V128, b: V128): V128 { return f32cmp(a, b, (x, y) => x >= y); }
export function f32x4_abs(a: V128): V128 {
  return new V128(a.a & 0x7fffffff, a.b & 0x7fffffff, a.c & 0x7fffffff, a.d & 0x7fffffff);
}
export function f32x4_neg(a: V128): V128 {
  return new V128(a.a ^ 0x80000000, a.b ^ 0x80000000, a.c ^ 0x80000000, a.d ^ 0x80000000);
}
export function f32x4_sqrt(a: V128): V128 { return f32un(a, Math.sqrt); }
export function f32x4_ceil(a: V128): V128 { return f32un(a, Math.ceil); }
export function f32x4_floor(a: V128): V128 { return f32un(a, Math.floor); }
export function f32x4_trunc(a: V128): V128 { return f32un(a, Math.trunc); }
export function f32x4_nearest(a: V128): V128 { return f32un(a, nearest); }
export function f32x4_add(a: V128, b: V128): V128 { return f32bin(a, b, (x, y) => x + y); }
export function f32x4_sub(a: V128, b: V128): V128 { return f32bin(a, b, (x, y) => x - y); }
export function f32x4_mul(a: V128, b: V128): V128 { return f32bin(a, b, (x, y) => x * y); }
export function f32x4_div(a: V128, b: V128): V128 { return f32bin(a, b, (x, y) => x / y); }
export function f32x4_min(a: V128, b: V128): V128 { return f32bin(a, b, fmin); }
export function f32x4_max(a: V128, b: V128): V128 { return f32bin(a, b, fmax); }
export function f32x4_pmin(a: V128, b: V128): V128 { return f32sel(a, b, (x, y) => y < x); }
export function f32x4_pmax(a: V128, b: V128): V128 { return f32sel(a, b, (x, y) => x < y); }
export function f32x4_convert_i32x4_s(a: V128): V128 {
  put1(a);
  for (let i = 0; i < 4; i++) F32[12 + i] = I32[i];
  return res();
}
export function f32x4_convert_i32x4_u(a: V128): V128 {
  put1(a);
  for (let i = 0; i < 4; i++) F32[12 + i] = U32[i];
  return res();
}
export function f32x4_demote_f64x2_zero(a: V128): V128 {
  put1(a);
  setF32(12, Math.fround(F64[0]));
  setF32(13, Math.fround(F64[1]));
  return new V128(I32[12], I32[13], 0, 0);
}

// --- f64x2 ---

export function f64x2_eq(a: V128, b: V128): V128 { return f64cmp(a, b, (x, y) => x === y); }
export function f64x2_ne(a: V128, b: V128): V128 { return f64cmp(a, b, (x, y) => x !== y); }
export function f64x2_lt(a: V128, b: V128): V128 { return f64cmp(a, b, (x, y) => x < y); }
export function f64x2_gt(a: V128, b: V128): V128 { return f64cmp(a, b, (x, y) => x > y); }
export function f64x2_le(a: V128, b: V128): V128 { return f64cmp(a, b, (x, y) => x <= y); }
export function f64x2_ge(a: V128, b: V128): V128 { return f64cmp(a, b, (x, y) => x >= y); }
export function f64x2_abs(a: V128): V128 { return new V128(a.a, a.b & 0x7fffffff, a.c, a.d & 0x7fffffff); }
export function f64x2_neg(a: V128): V128 { return new V128(a.a, a.b ^ 0x80000000, a.c, a.d ^ 0x80000000); }
export function f64x2_sqrt(a: V128): V128 { return f64un(a, Math.sqrt); }
export function f64x2_ceil(a: V128): V128 { return f64un(a, Math.ceil); }
export function f64x2_floor(a: V128): V128 { return f64un(a, Math.floor); }
export function f64x2_trunc(a: V128): V128 { return f64un(a, Math.trunc); }
export function f64x2_nearest(a: V128): V128 { return f64un(a, nearest); }
export function f64x2_add(a: V128, b: V128): V128 { return f64bin(a, b, (x, y) => x + y); }
export function f64x2_sub(a: V128, b: V128): V128 { return f64bin(a, b, (x, y) => x - y); }
export function f64x2_mul(a: V128, b: V128): V128 { return f64bin(a, b, (x, y) => x * y); }
export function f64x2_div(a: V128, b: V128): V128 { return f64bin(a, b, (x, y) => x / y); }
export function f64x2_min(a: V128, b: V128): V128 { return f64bin(a, b, fmin); }
export function f64x2_max(a: V128, b: V128): V128 { return f64bin(a, b, fmax); }
export function f64x2_pmin(a: V128, b: V128): V128 { return f64sel(a, b, (x, y) => y < x); }
export function f64x2_pmax(a: V128, b: V128): V128 { return f64sel(a, b, (x, y) => x < y); }
export function f64x2_convert_low_i32x4_s(a: V128): V128 {
  put1(a);
  F64[6] = I32[0];
  F64[7] = I32[1];
  return res();
}
export function f64x2_convert_low_i32x4_u(a: V128): V128 {
  put1(a);
  F64[6] = U32[0];
  F64[7] = U32[1];
  return res();
}
export function f64x2_promote_low_f32x4(a: V128): V128 {
  put1(a);
  setF64(6, F32[0]);
  setF64(7, F32[1]);
  return res();
}

// --- Relaxed SIMD (deterministic choices documented at the top) ---

export const i8x16_relaxed_swizzle = i8x16_swizzle;
export const i32x4_relaxed_trunc_f32x4_s = i32x4_trunc_sat_f32x4_s;
export const i32x4_relaxed_trunc_f32x4_u = i32x4_trunc_sat_f32x4_u;
export const i32x4_relaxed_trunc_f64x2_s_zero = i32x4_trunc_sat_f64x2_s_zero;
export const i32x4_relaxed_trunc_f64x2_u_zero = i32x4_trunc_sat_f64x2_u_zero;
export function f32x4_relaxed_madd(a: V128, b: V128, c: V128): V128 {
  put3(a, b, c);
  for (let i = 0; i < 4; i++) setF32(12 + i, Math.fround(Math.fround(F32[i] * F32[4 + i]) + F32[8 + i]));
  return res();
}
export function f32x4_relaxed_nmadd(a: V128, b: V128, c: V128): V128 {
  put3(a, b, c);
  for (let i = 0; i < 4; i++) setF32(12 + i, Math.fround(-Math.fround(F32[i] * F32[4 + i]) + F32[8 + i]));
  return res();
}
export function f64x2_relaxed_madd(a: V128, b: V128, c: V128): V128 {
  put3(a, b, c);
  setF64(6, F64[0] * F64[2] + F64[4]);
  setF64(7, F64[1] * F64[3] + F64[5]);
  return res();
}
export function f64x2_relaxed_nmadd(a: V128, b: V128, c: V128): V128 {
  put3(a, b, c);
  setF64(6, -(F64[0] * F64[2]) + F64[4]);
  setF64(7, -(F64[1] * F64[3]) + F64[5]);
  return res();
}
export const i8x16_relaxed_laneselect = v128_bitselect;
export const i16x8_relaxed_laneselect = v128_bitselect;
export const i32x4_relaxed_laneselect = v128_bitselect;
export const i64x2_relaxed_laneselect = v128_bitselect;
export const f32x4_relaxed_min = f32x4_min;
export const f32x4_relaxed_max = f32x4_max;
export const f64x2_relaxed_min = f64x2_min;
export const f64x2_relaxed_max = f64x2_max;
export const i16x8_relaxed_q15mulr_s = i16x8_q15mulr_sat_s;
export function i16x8_relaxed_dot_i8x16_i7x16_s(a: V128, b: V128): V128 {
  put2(a, b);
  for (let i = 0; i < 8; i++) {
    I16[24 + i] = sat(I8[2 * i] * I8[16 + 2 * i] + I8[2 * i + 1] * I8[17 + 2 * i], -32768, 32767);
  }
  return res();
}
export function i32x4_relaxed_dot_i8x16_i7x16_add_s(a: V128, b: V128, c: V128): V128 {
  const d = i16x8_relaxed_dot_i8x16_i7x16_s(a, b);
  return i32x4_add(i32x4_extadd_pairwise_i16x8_s(d), c);
}

// --- Word-level helpers for inline code (codegen/vector.ts): one f32 lane, as bits ---

function f32word(r: number): number {
  if (r !== r) return CANON_F32;
  F32[14] = r;
  return I32[14];
}
function f32lanes(x: number, y: number): void {
  I32[12] = x; I32[13] = y;
}
export function f32addw(x: number, y: number): number { f32lanes(x, y); return f32word(Math.fround(F32[12] + F32[13])); }
export function f32subw(x: number, y: number): number { f32lanes(x, y); return f32word(Math.fround(F32[12] - F32[13])); }
export function f32mulw(x: number, y: number): number { f32lanes(x, y); return f32word(Math.fround(F32[12] * F32[13])); }
export function f32divw(x: number, y: number): number { f32lanes(x, y); return f32word(Math.fround(F32[12] / F32[13])); }

/** The RangeError of an out-of-bounds DataView access (inline v128 loads and stores check first). */
export { oob };
