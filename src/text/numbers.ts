// Numeric literals of the text format (spec §6.3.1 "Integers", §6.3.2 "Floating-Point"):
// exact values with underscores only between digits, `0x` hex, optional sign; floats rounded to
// nearest-even from the exact literal value, `inf`, `nan`, `nan:0xN`.

import { CompileError } from '../errors.js';

const INT_RE = /^[+-]?(?:\d(?:_?\d)*|0x[0-9a-fA-F](?:_?[0-9a-fA-F])*)$/;
const DEC_FLOAT_RE = /^\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?$/;
const HEX_FLOAT_RE = /^0x[0-9a-fA-F](?:_?[0-9a-fA-F])*(?:\.(?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?(?:[pP][+-]?\d(?:_?\d)*)?$/;
const NAN_PAYLOAD_RE = /^nan:0x[0-9a-fA-F](?:_?[0-9a-fA-F])*$/;

function malformed(text: string, pos?: number): never {
  throw new CompileError(`unknown operator: malformed number "${text}"`, pos);
}
function outOfRange(pos?: number): never {
  throw new CompileError('constant out of range', pos);
}

function stripUnderscores(s: string): string {
  return s.indexOf('_') < 0 ? s : s.replace(/_/g, '');
}

/** Sign and magnitude of an integer literal (spec: uN / sN), without range checks. */
function intParts(text: string, pos?: number): { neg: boolean; signed: boolean; mag: bigint } {
  if (!INT_RE.test(text)) malformed(text, pos);
  const c = text.charCodeAt(0);
  const signed = c === 0x2b || c === 0x2d;
  const neg = c === 0x2d;
  const body = stripUnderscores(signed ? text.slice(1) : text);
  return { neg, signed, mag: BigInt(body) };
}

/** Fast magnitude for short literals (exact below 2^53); undefined when too long. */
function smallMagnitude(body: string): number | undefined {
  if (body.length > 13) return undefined;
  return body.charCodeAt(1) === 0x78 ? parseInt(body.slice(2), 16) : Number(body);
}

/** Unsigned 32-bit literal (spec: u32), used for indices, alignment, limits. */
export function parseU32(text: string, pos?: number): number {
  if (!INT_RE.test(text) || text.charCodeAt(0) === 0x2b || text.charCodeAt(0) === 0x2d) malformed(text, pos);
  const body = stripUnderscores(text);
  const small = smallMagnitude(body);
  const v = small !== undefined ? small : Number(BigInt(body) > 0xffffffffn ? -1 : BigInt(body));
  if (v < 0 || v > 0xffffffff) outOfRange(pos);
  return v;
}

/** Unsigned 64-bit literal (spec: u64), e.g. memory64 offsets and limits: a number when exact, else a bigint. */
export function parseU64(text: string, pos?: number): number | bigint {
  if (!INT_RE.test(text) || text.charCodeAt(0) === 0x2b || text.charCodeAt(0) === 0x2d) malformed(text, pos);
  const body = stripUnderscores(text);
  const small = smallMagnitude(body);
  if (small !== undefined) return small;
  const v = BigInt(body);
  if (v > 0xffffffffffffffffn) outOfRange(pos);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** i32 literal: -2^31 .. 2^32-1, returned as the signed 32-bit value. */
export function parseI32(text: string, pos?: number): number {
  if (!INT_RE.test(text)) malformed(text, pos);
  const c = text.charCodeAt(0);
  const signed = c === 0x2b || c === 0x2d;
  const body = stripUnderscores(signed ? text.slice(1) : text);
  let mag = smallMagnitude(body);
  if (mag === undefined) {
    const b = BigInt(body);
    mag = b > 0x100000000n ? Infinity : Number(b);
  }
  if (c === 0x2d) {
    if (mag > 0x80000000) outOfRange(pos);
    return -mag | 0;
  }
  if (mag > 0xffffffff) outOfRange(pos);
  return mag | 0;
}

/** i64 literal: -2^63 .. 2^64-1, returned as the signed 64-bit value. */
export function parseI64(text: string, pos?: number): bigint {
  const { neg, mag } = intParts(text, pos);
  if (neg) {
    if (mag > 0x8000000000000000n) outOfRange(pos);
    return BigInt.asIntN(64, -mag);
  }
  if (mag > 0xffffffffffffffffn) outOfRange(pos);
  return BigInt.asIntN(64, mag);
}

/** An N-bit integer literal (e.g. v128 lanes: i8, i16): -2^(N-1) .. 2^N-1, returned signed. */
export function parseIntN(text: string, bits: number, pos?: number): bigint {
  const { neg, mag } = intParts(text, pos);
  const limit = 1n << BigInt(bits);
  if (neg ? mag > limit >> 1n : mag >= limit) outOfRange(pos);
  return BigInt.asIntN(bits, neg ? -mag : mag);
}

// ---- Floats ----

interface FloatFormat {
  readonly mantBits: number; // explicit significand bits (23 / 52)
  readonly expBits: number;  // 8 / 11
}
const F32: FloatFormat = { mantBits: 23, expBits: 8 };
const F64: FloatFormat = { mantBits: 52, expBits: 11 };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds M * 2^e2 (M >= 0, exact) to nearest-even in the format, returning the bit pattern
 * without sign; throws "constant out of range" on overflow to infinity.
 */
function roundBinary(M: bigint, e2: number, f: FloatFormat, pos?: number): bigint {
  if (M === 0n) return 0n;
  const bias = (1 << (f.expBits - 1)) - 1;
  const emin = 1 - bias;
  const L = bitLength(M);
  let E = L - 1 + e2; // unbiased exponent of the leading bit
  // Far outside the range: decide without huge shifts.
  if (E > bias + 1) outOfRange(pos);
  if (E < emin - f.mantBits - 2) return 0n;
  // Number of low bits to drop so that the result has the right precision.
  const shift = E >= emin ? L - (f.mantBits + 1) : emin - f.mantBits - e2;
  let q: bigint;
  if (shift <= 0) {
    q = M << BigInt(-shift);
  } else {
    const s = BigInt(shift);
    q = M >> s;
    const rem = M - (q << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  const implicit = 1n << BigInt(f.mantBits);
  if (E < emin) {
    // Subnormal; rounding up to `implicit` yields the smallest normal, which the same encoding expresses.
    return q;
  }
  if (q >= implicit << 1n) { q >>= 1n; E++; }
  if (E > bias) outOfRange(pos);
  return (BigInt(E + bias) << BigInt(f.mantBits)) | (q - implicit);
}

/** Exact value of a hexadecimal float body (after `0x`) as M * 2^e2. */
function hexFloatParts(body: string): { M: bigint; e2: number } {
  let s = stripUnderscores(body);
  let exp = 0;
  const p = s.search(/[pP]/);
  if (p >= 0) {
    exp = clampExp(s.slice(p + 1));
    s = s.slice(0, p);
  }
  const dot = s.indexOf('.');
  let frac = '';
  if (dot >= 0) { frac = s.slice(dot + 1); s = s.slice(0, dot); }
  const M = BigInt('0x' + s + frac);
  return { M, e2: exp - 4 * frac.length };
}

/** Decimal exponent text as a number, clamped so that absurd exponents still round to 0 or overflow. */
function clampExp(t: string): number {
  const v = Number(t);
  return Math.max(-1e9, Math.min(1e9, v));
}

/** Exact rounding of a decimal float body to the format (used where Number() would double-round). */
function roundDecimal(body: string, f: FloatFormat, pos?: number): bigint {
  let s = stripUnderscores(body);
  let exp = 0;
  const e = s.search(/[eE]/);
  if (e >= 0) { exp = clampExp(s.slice(e + 1)); s = s.slice(0, e); }
  const dot = s.indexOf('.');
  if (dot >= 0) { exp -= s.length - dot - 1; s = s.slice(0, dot) + s.slice(dot + 1); }
  const D = BigInt(s);
  if (D === 0n) return 0n;
  const digits = s.replace(/^0+/, '').length;
  // Decide far-out-of-range exponents without building huge powers of ten.
  if (digits + exp > 400) outOfRange(pos);
  if (digits + exp < -400) return 0n;
  if (exp >= 0) return roundBinary(D * 10n ** BigInt(exp), 0, f, pos);
  const den = 10n ** BigInt(-exp);
  // Scale so the quotient carries enough bits, then keep the remainder as a sticky bit.
  const sh = Math.max(0, bitLength(den) - bitLength(D) + f.mantBits + 3);
  const num = D << BigInt(sh);
  const q = num / den;
  const sticky = num - q * den === 0n ? 0n : 1n;
  return roundBinary((q << 1n) | sticky, -sh - 1, f, pos);
}

/** Splits off a sign; returns [negative, body]. */
function splitSign(text: string): [boolean, string] {
  const c = text.charCodeAt(0);
  if (c === 0x2d) return [true, text.slice(1)];
  if (c === 0x2b) return [false, text.slice(1)];
  return [false, text];
}

/** f32 literal, returned as its u32 bit pattern. */
export function parseF32(text: string, pos?: number): number {
  const [neg, body] = splitSign(text);
  const sign = neg ? 0x80000000 : 0;
  let bits: number;
  if (body === 'inf') bits = 0x7f800000;
  else if (body === 'nan') bits = 0x7fc00000;
  else if (body.startsWith('nan:')) {
    if (!NAN_PAYLOAD_RE.test(body)) malformed(text, pos);
    const payload = BigInt(stripUnderscores(body.slice(4)));
    if (payload === 0n || payload >= 1n << 23n) outOfRange(pos);
    bits = 0x7f800000 | Number(payload);
  } else if (HEX_FLOAT_RE.test(body)) {
    const { M, e2 } = hexFloatParts(body.slice(2));
    bits = Number(roundBinary(M, e2, F32, pos));
  } else if (DEC_FLOAT_RE.test(body)) {
    const x = Number(stripUnderscores(body));
    if (x === Infinity) outOfRange(pos);
    const r = Math.fround(x);
    if (r === x) {
      bits = f32Bits(r);
    } else if (r !== Infinity && !isMidpointF32(x, r)) {
      bits = f32Bits(r);
    } else {
      // x lies on an f32 rounding boundary (or next to overflow): Number() may have double-rounded.
      bits = Number(roundDecimal(body, F32, pos));
    }
  } else {
    malformed(text, pos);
  }
  return (bits | sign) >>> 0;
}

/** f64 literal, returned as its u64 bit pattern. */
export function parseF64(text: string, pos?: number): bigint {
  const [neg, body] = splitSign(text);
  let bits: bigint;
  if (body === 'inf') bits = 0x7ff0000000000000n;
  else if (body === 'nan') bits = 0x7ff8000000000000n;
  else if (body.startsWith('nan:')) {
    if (!NAN_PAYLOAD_RE.test(body)) malformed(text, pos);
    const payload = BigInt(stripUnderscores(body.slice(4)));
    if (payload === 0n || payload >= 1n << 52n) outOfRange(pos);
    bits = 0x7ff0000000000000n | payload;
  } else if (HEX_FLOAT_RE.test(body)) {
    const { M, e2 } = hexFloatParts(body.slice(2));
    bits = roundBinary(M, e2, F64, pos);
  } else if (DEC_FLOAT_RE.test(body)) {
    // Number() rounds decimal strings correctly to nearest-even.
    const x = Number(stripUnderscores(body));
    if (x === Infinity) outOfRange(pos);
    bits = f64Bits(x);
  } else {
    malformed(text, pos);
  }
  return neg ? bits | 0x8000000000000000n : bits;
}

const scratch = new DataView(new ArrayBuffer(8));

function f32Bits(x: number): number {
  scratch.setFloat32(0, x);
  return scratch.getUint32(0);
}
function f64Bits(x: number): bigint {
  scratch.setFloat64(0, x);
  return scratch.getBigUint64(0);
}

/** Is x exactly halfway between r = fround(x) and its f32 neighbour on x's side? */
function isMidpointF32(x: number, r: number): boolean {
  let b = f32Bits(r);
  // Neighbour away from r towards x (x, r >= 0 here: literals are unsigned bodies).
  b = x > r ? b + 1 : b - 1;
  scratch.setUint32(0, b);
  const n = scratch.getFloat32(0);
  // f32 values and their midpoints (one extra bit) are exact in f64.
  return (r + n) / 2 === x;
}

/** Float bit pattern to a JS number (f32 bits are a u32). */
export function f32FromBits(bits: number): number {
  scratch.setUint32(0, bits);
  return scratch.getFloat32(0);
}
export function f64FromBits(bits: bigint): number {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}
