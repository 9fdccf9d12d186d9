// Helpers for i64 values held as pairs of int32 (lo, hi) in compiled code (codegen/i64.ts);
// generated code reaches them as `Q` (R.i64). A helper with an i64 result returns its low word
// and leaves the high word in HI.h, which the caller reads right after the call; compiled
// functions return i64 results the same way (the internal call convention, types.ts).
// Measurements behind these choices: bench/results/representations.md §9.

import { RuntimeError } from '../errors.js';
import { scratchF64, scratchU32, HI as WORD_HI, LO as WORD_LO } from './f32.js';

/**
 * The high word of the last i64 result. A field of a shared object: as cheap as an Int32Array
 * element and cheaper than BigInt or an array for a function's result (representations.md §9).
 */
export const HI = { h: 0 };

const scratch = new DataView(new ArrayBuffer(8));

function trap(message: string): RuntimeError {
  return new RuntimeError(message);
}

// ---- BigInt at the boundaries (globals, the JS API, host functions) ----

/** The low word of a BigInt in [-2^63, 2^63); the high word goes to HI.h. */
export function lo(x: bigint): number {
  scratch.setBigInt64(0, x, true);
  HI.h = scratch.getInt32(4, true);
  return scratch.getInt32(0, true);
}

/** The BigInt (in [-2^63, 2^63)) of a pair. */
export function big(lo: number, hi: number): bigint {
  scratch.setInt32(0, lo, true);
  scratch.setInt32(4, hi, true);
  return scratch.getBigInt64(0, true);
}

// ---- Division (spec: idiv_u, irem_u, idiv_s, irem_s) ----
// Unsigned division in doubles, exact. For an integer n < 2^52 and inv = 1 / B (B >= 1),
// floor(n * inv) is floor(n / B) unless n / B is an integer, when it may be one too small: the
// two roundings are within (n / B) * 2^-52 < 1 / B, the distance from a non-integer quotient to
// the next integer (B = 1 is exact). A remainder check corrects that case. With a divisor
// below 2^32 a 64-bit dividend is divided in two such steps: its top 52 bits, then the
// remainder followed by its last 12 bits (below 2^44). Multiplying by inv rather than dividing
// twice keeps the single division off the dividend's path (divisions do not pipeline).
// The common case is small enough for V8 to inline into the caller; the rest is in divmodSlow.

const TRAP_DIV0 = 'integer divide by zero';

export function divU(a: number, ah: number, b: number, bh: number): number {
  if (bh === 0 && b !== 0) {
    const B = b >>> 0;
    if (ah === 0) { HI.h = 0; return ((a >>> 0) / B) | 0; }
    const inv = 1 / B;
    const t = (ah >>> 0) * 1048576 + (a >>> 12);
    let q1 = Math.floor(t * inv);
    let r1 = t - q1 * B;
    if (r1 >= B) { q1++; r1 -= B; }
    const n = r1 * 4096 + (a & 4095);
    let q0 = Math.floor(n * inv);
    if (n - q0 * B >= B) q0++;
    // q = q1 * 2^12 + q0 with q0 < 2^12; ToInt32 of an integral double keeps its low 32 bits.
    HI.h = (q1 / 1048576) | 0;
    return ((q1 | 0) << 12) | q0;
  }
  return divmodSlow(a, ah, b, bh, false);
}

export function remU(a: number, ah: number, b: number, bh: number): number {
  if (bh === 0 && b !== 0) {
    const B = b >>> 0;
    HI.h = 0;
    if (ah === 0) return ((a >>> 0) % B) | 0;
    const inv = 1 / B;
    const t = (ah >>> 0) * 1048576 + (a >>> 12);
    // r1 may be B (not 0) on an exact multiple: n below is then n + B * 2^12, same remainder.
    const r1 = t - Math.floor(t * inv) * B;
    const n = r1 * 4096 + (a & 4095);
    const r = n - Math.floor(n * inv) * B;
    return (r >= B ? r - B : r) | 0;
  }
  return divmodSlow(a, ah, b, bh, true);
}

/** Unsigned division by 0 (a trap) or by a divisor of 2^32 or more (the quotient is below 2^32). */
function divmodSlow(a: number, ah: number, b: number, bh: number, rem: boolean): number {
  if ((b | bh) === 0) throw trap(TRAP_DIV0);
  const A1 = ah >>> 0, B1 = bh >>> 0;
  if (A1 < 0x200000 && B1 < 0x200000) {
    const A = A1 * 4294967296 + (a >>> 0), B = B1 * 4294967296 + (b >>> 0);
    const q = Math.floor(A / B);
    if (!rem) { HI.h = 0; return q | 0; }
    const r = A - q * B;
    const rh = Math.floor(r / 4294967296);
    HI.h = rh | 0;
    return (r - rh * 4294967296) | 0;
  }
  const x = BigInt.asUintN(64, big(a, ah)), y = BigInt.asUintN(64, big(b, bh));
  return lo(BigInt.asIntN(64, rem ? x % y : x / y));
}

// Signed division: non-negative operands divide as unsigned ones; otherwise on magnitudes
// (|INT64_MIN| = 2^63 as unsigned), or with one double division when both operands are
// sign-extended int32. The first test is kept apart so that V8 inlines it.

export function divS(a: number, ah: number, b: number, bh: number): number {
  return (ah | bh) >= 0 ? divU(a, ah, b, bh) : divSigned(a, ah, b, bh);
}

export function remS(a: number, ah: number, b: number, bh: number): number {
  return (ah | bh) >= 0 ? remU(a, ah, b, bh) : remSigned(a, ah, b, bh);
}

function divSigned(a: number, ah: number, b: number, bh: number): number {
  if (ah === a >> 31 && bh === b >> 31 && b !== 0 && b !== -1) {
    const q = (a / b) | 0;
    HI.h = q >> 31;
    return q;
  }
  if (b === -1 && bh === -1 && a === 0 && ah === -2147483648) throw trap('integer overflow');
  let xa = a, xh = ah, ya = b, yh = bh;
  if (ah < 0) { xa = -a | 0; xh = (~ah + (xa === 0 ? 1 : 0)) | 0; }
  if (bh < 0) { ya = -b | 0; yh = (~bh + (ya === 0 ? 1 : 0)) | 0; }
  const q = divU(xa, xh, ya, yh);
  if ((ah ^ bh) >= 0) return q;
  const n = -q | 0;
  HI.h = (~HI.h + (n === 0 ? 1 : 0)) | 0;
  return n;
}

function remSigned(a: number, ah: number, b: number, bh: number): number {
  if (ah === a >> 31 && bh === b >> 31 && b !== 0) {
    const r = b === -1 ? 0 : (a % b) | 0;
    HI.h = r >> 31;
    return r;
  }
  let xa = a, xh = ah, ya = b, yh = bh;
  if (ah < 0) { xa = -a | 0; xh = (~ah + (xa === 0 ? 1 : 0)) | 0; }
  if (bh < 0) { ya = -b | 0; yh = (~bh + (ya === 0 ? 1 : 0)) | 0; }
  const r = remU(xa, xh, ya, yh);
  if (ah >= 0) return r;
  const n = -r | 0;
  HI.h = (~HI.h + (n === 0 ? 1 : 0)) | 0;
  return n;
}

// ---- Float conversions (spec §4.3.3: trunc, trunc_sat, convert, reinterpret) ----

/** The pair of an integral double in [-2^63, 2^64). */
function fromIntegral(t: number): number {
  const h = Math.floor(t / 4294967296);
  HI.h = h | 0;
  return (t - h * 4294967296) | 0;
}

export function truncS(x: number): number {
  if (x !== x) throw trap('invalid conversion to integer');
  if (!(x >= -9223372036854775808 && x < 9223372036854775808)) throw trap('integer overflow');
  return fromIntegral(Math.trunc(x));
}

export function truncU(x: number): number {
  if (x !== x) throw trap('invalid conversion to integer');
  if (!(x > -1 && x < 18446744073709551616)) throw trap('integer overflow');
  return fromIntegral(Math.trunc(x));
}

export function truncSatS(x: number): number {
  if (x !== x) { HI.h = 0; return 0; }
  if (x >= 9223372036854775808) { HI.h = 0x7fffffff; return -1; }
  if (x < -9223372036854775808) { HI.h = -2147483648; return 0; }
  return fromIntegral(Math.trunc(x));
}

export function truncSatU(x: number): number {
  if (x !== x || x <= -1) { HI.h = 0; return 0; }
  if (x >= 18446744073709551616) { HI.h = -1; return -1; }
  return fromIntegral(Math.trunc(x));
}

/** Rounds an exact non-negative integer to float32 once (Number() then fround would round twice). */
function u64ToF32(u: bigint): number {
  if (u < 0x20000000000000n) return Math.fround(Number(u));
  // Keep 26 significant bits plus a sticky bit, so the single rounding to 24 bits is exact.
  const n = u.toString(2).length;
  const shift = BigInt(n - 26);
  let top = u >> shift;
  if ((top << shift) !== u) top |= 1n;
  return Math.fround(Number(top) * 2 ** (n - 26));
}

function f32convertI64S(x: bigint): number {
  return x < 0n ? -u64ToF32(-x) : u64ToF32(x);
}

function f32convertI64U(x: bigint): number {
  return u64ToF32(BigInt.asUintN(64, x));
}

// Below 2^53 the value is exact in a double, so fround rounds once; above, u64ToF32
// rounds once too (through a double would round twice).
export function f32convertS(a: number, ah: number): number {
  if (ah >= -0x200000 && ah < 0x200000) return Math.fround(ah * 4294967296 + (a >>> 0));
  return f32convertI64S(big(a, ah));
}

export function f32convertU(a: number, ah: number): number {
  if ((ah >>> 0) < 0x200000) return Math.fround(ah * 4294967296 + (a >>> 0));
  return f32convertI64U(big(a, ah));
}

// Through a Float64Array, not DataView.setFloat64, which quiets signalling NaNs once optimized
// in Chromium's V8 (see f32.ts).
export function f64Bits(x: number): number {
  scratchF64[0] = x;
  HI.h = scratchU32[WORD_HI] | 0;
  return scratchU32[WORD_LO] | 0;
}

export function f64FromBits(a: number, ah: number): number {
  scratchU32[WORD_LO] = a;
  scratchU32[WORD_HI] = ah;
  return scratchF64[0];
}
