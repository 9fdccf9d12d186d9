// JS statements for the i64 instructions. An i64 variable `x` is two int32 variables: `x`, the
// low word, and `xh`, the high word (FuncGen.hi). Most instructions are inline int32 code;
// division, float conversions and reinterpretation call engine/i64.ts (`Q` in generated code),
// which returns the low word and leaves the high word in `H.h`. Measurements:
// bench/results/representations.md §9.
//
// The result variable may be the first operand's (same stack slot), so every template reads
// what it needs of an operand word before it assigns that word, using temporaries x0..x5.

import { addCarry, subBorrow } from './carry.js';
import type { NumTemplate } from './numeric.js';

const T = new Map<string, NumTemplate>();

function def(name: string, arity: 1 | 2, result: string, emit: (r: string, a: string, b: string) => string): void {
  T.set(name, { arity, result, emit });
}

const u = (x: string): string => `(${x} >>> 0)`;

// Comparisons: the high words decide, unless they are equal (then the low words, unsigned).
def('i64.eqz', 1, 'i', (r, a) => `${r} = (${a} | ${a}h) === 0 ? 1 : 0;`);
def('i64.eq', 2, 'i', (r, a, b) => `${r} = ${a} === ${b} && ${a}h === ${b}h ? 1 : 0;`);
def('i64.ne', 2, 'i', (r, a, b) => `${r} = ${a} !== ${b} || ${a}h !== ${b}h ? 1 : 0;`);
for (const [n, o, strict] of [['lt', '<', '<'], ['gt', '>', '>'], ['le', '<=', '<'], ['ge', '>=', '>']]) {
  def(`i64.${n}_s`, 2, 'i', (r, a, b) =>
    `${r} = ${a}h ${strict} ${b}h || (${a}h === ${b}h && ${u(a)} ${o} ${u(b)}) ? 1 : 0;`);
  def(`i64.${n}_u`, 2, 'i', (r, a, b) =>
    `${r} = ${u(`${a}h`)} ${strict} ${u(`${b}h`)} || (${a}h === ${b}h && ${u(a)} ${o} ${u(b)}) ? 1 : 0;`);
}

// Bit counts
def('i64.clz', 1, 'j', (r, a) => `${r} = ${a}h !== 0 ? Math.clz32(${a}h) : 32 + Math.clz32(${a}); ${r}h = 0;`);
def('i64.ctz', 1, 'j', (r, a) =>
  `${r} = ${a} !== 0 ? 31 - Math.clz32(${a} & -${a}) : ${a}h !== 0 ? 63 - Math.clz32(${a}h & -${a}h) : 64; ${r}h = 0;`);
// Both words' bit counts per byte (at most 8 + 8) added before one multiply sums the bytes.
def('i64.popcnt', 1, 'j', (r, a) =>
  `x0 = ${a} - ((${a} >>> 1) & 0x55555555); x1 = ${a}h - ((${a}h >>> 1) & 0x55555555); ` +
  `x0 = (x0 & 0x33333333) + ((x0 >>> 2) & 0x33333333); x1 = (x1 & 0x33333333) + ((x1 >>> 2) & 0x33333333); ` +
  `x0 = ((x0 + (x0 >>> 4)) & 0x0f0f0f0f) + ((x1 + (x1 >>> 4)) & 0x0f0f0f0f); ${r} = Math.imul(x0, 0x01010101) >>> 24; ${r}h = 0;`);

// Arithmetic: the carry (borrow) of the low words in bit operations (carry.ts): V8 compiles
// `c ? 1 : 0` to a branch, which mispredicts half the time on random operands.
def('i64.add', 2, 'j', (r, a, b) =>
  `x0 = (${a} + ${b}) | 0; ${r}h = (${a}h + ${b}h + ${addCarry(a, b, 'x0')}) | 0; ${r} = x0;`);
def('i64.sub', 2, 'j', (r, a, b) =>
  `x0 = (${a} - ${b}) | 0; ${r}h = (${a}h - ${b}h - ${subBorrow(a, b, 'x0')}) | 0; ${r} = x0;`);
// The high word of the low words' product from 16-bit limbs (every partial product is exact
// in a double), plus the low words of the cross products; faster than BigInt by 10x and than
// rounding a double product (§9).
def('i64.mul', 2, 'j', (r, a, b) =>
  `x0 = ${a} & 0xffff; x1 = ${a} >>> 16; x2 = ${b} & 0xffff; x3 = ${b} >>> 16; x4 = x0 * x3; x5 = x1 * x2; ` +
  `${r}h = (x1 * x3 + (x4 >>> 16) + (x5 >>> 16) + ((((x0 * x2) >>> 16) + (x4 & 0xffff) + (x5 & 0xffff)) >>> 16) + ` +
  `Math.imul(${a}, ${b}h) + Math.imul(${a}h, ${b})) | 0; ${r} = Math.imul(${a}, ${b});`);
for (const [n, f] of [['div_u', 'divU'], ['rem_u', 'remU']]) {
  def(`i64.${n}`, 2, 'j', (r, a, b) => `${r} = Q.${f}(${a}, ${a}h, ${b}, ${b}h); ${r}h = H.h;`);
}
// Signed division by a non-negative divisor (the usual case) is the unsigned one on the
// dividend's magnitude, its result negated when the dividend is negative (the quotient's and
// the remainder's sign is then the dividend's): a branchless conditional negation around an
// unsigned helper that V8 inlines here (it stops inlining divS into large functions, and a
// negative dividend is common). x0 is 0 or -1 (the sign); negating a pair is ~x + 1 with the
// carry into the high word when the low word is 0. |INT64_MIN| = 2^63 is right as an unsigned
// pair, and INT64_MIN / -1 has a negative divisor, so it stays in divS.
const negIf = (s: string, d: string, l: string, h: string): string =>
  `${d} = ((${l} ^ ${s}) - ${s}) | 0; ${d}h = ((${h} ^ ${s}) - (${d} === 0 ? ${s} : 0)) | 0;`;
for (const [n, f, g] of [['div_s', 'divS', 'divU'], ['rem_s', 'remS', 'remU']]) {
  def(`i64.${n}`, 2, 'j', (r, a, b) => `if (${b}h >= 0) { x0 = ${a}h >> 31; ` +
    `x1 = ((${a} ^ x0) - x0) | 0; x2 = ((${a}h ^ x0) - (x1 === 0 ? x0 : 0)) | 0; ` +
    `x1 = Q.${g}(x1, x2, ${b}, ${b}h); x2 = H.h; ${negIf('x0', r, 'x1', 'x2')} } ` +
    `else { ${r} = Q.${f}(${a}, ${a}h, ${b}, ${b}h); ${r}h = H.h; }`);
}
for (const [n, o] of [['and', '&'], ['or', '|'], ['xor', '^']]) {
  def(`i64.${n}`, 2, 'j', (r, a, b) => `${r} = ${a} ${o} ${b}; ${r}h = ${a}h ${o} ${b}h;`);
}

// Shifts and rotates by a variable count (its low 6 bits): x0 = count mod 32, and bit 5 of the
// count moves whole words. `(y >>> 1) >>> (31 - c)` is y >>> (32 - c), also right for c = 0.
def('i64.shl', 2, 'j', (r, a, b) => `x0 = ${b} & 31; if (${b} & 32) { ${r}h = ${a} << x0; ${r} = 0; } ` +
  `else { ${r}h = (${a}h << x0) | ((${a} >>> 1) >>> (31 - x0)); ${r} = ${a} << x0; }`);
def('i64.shr_u', 2, 'j', (r, a, b) => `x0 = ${b} & 31; if (${b} & 32) { ${r} = (${a}h >>> x0) | 0; ${r}h = 0; } ` +
  `else { ${r} = (${a} >>> x0) | ((${a}h << 1) << (31 - x0)); ${r}h = (${a}h >>> x0) | 0; }`);
def('i64.shr_s', 2, 'j', (r, a, b) => `x0 = ${b} & 31; if (${b} & 32) { ${r} = ${a}h >> x0; ${r}h = ${a}h >> 31; } ` +
  `else { ${r} = (${a} >>> x0) | ((${a}h << 1) << (31 - x0)); ${r}h = ${a}h >> x0; }`);
const swapped = (a: string, b: string): string => `if (${b} & 32) { x1 = ${a}h; x2 = ${a}; } else { x1 = ${a}; x2 = ${a}h; } `;
def('i64.rotl', 2, 'j', (r, a, b) => `x0 = ${b} & 31; ${swapped(a, b)}` +
  `${r} = (x1 << x0) | ((x2 >>> 1) >>> (31 - x0)); ${r}h = (x2 << x0) | ((x1 >>> 1) >>> (31 - x0));`);
def('i64.rotr', 2, 'j', (r, a, b) => `x0 = ${b} & 31; ${swapped(a, b)}` +
  `${r} = (x1 >>> x0) | ((x2 << 1) << (31 - x0)); ${r}h = (x2 >>> x0) | ((x1 << 1) << (31 - x0));`);

// Conversions
def('i32.wrap_i64', 1, 'i', (r, a) => `${r} = ${a};`);
def('i64.extend_i32_s', 1, 'j', (r, a) => `${r} = ${a}; ${r}h = ${a} >> 31;`);
def('i64.extend_i32_u', 1, 'j', (r, a) => `${r} = ${a}; ${r}h = 0;`);
def('i64.extend8_s', 1, 'j', (r, a) => `${r} = (${a} << 24) >> 24; ${r}h = ${r} >> 31;`);
def('i64.extend16_s', 1, 'j', (r, a) => `${r} = (${a} << 16) >> 16; ${r}h = ${r} >> 31;`);
def('i64.extend32_s', 1, 'j', (r, a) => `${r}h = ${a} >> 31; ${r} = ${a};`);
// hi * 2^32 is exact, so the sum is rounded once.
def('f64.convert_i64_s', 1, 'd', (r, a) => `${r} = ${a}h * 4294967296 + ${u(a)};`);
def('f64.convert_i64_u', 1, 'd', (r, a) => `${r} = ${u(`${a}h`)} * 4294967296 + ${u(a)};`);
def('f32.convert_i64_s', 1, 'f', (r, a) => `${r} = Q.f32convertS(${a}, ${a}h);`);
def('f32.convert_i64_u', 1, 'f', (r, a) => `${r} = Q.f32convertU(${a}, ${a}h);`);
for (const s of ['f32', 'f64']) {
  def(`i64.trunc_${s}_s`, 1, 'j', (r, a) => `${r} = Q.truncS(${a}); ${r}h = H.h;`);
  def(`i64.trunc_${s}_u`, 1, 'j', (r, a) => `${r} = Q.truncU(${a}); ${r}h = H.h;`);
  def(`i64.trunc_sat_${s}_s`, 1, 'j', (r, a) => `${r} = Q.truncSatS(${a}); ${r}h = H.h;`);
  def(`i64.trunc_sat_${s}_u`, 1, 'j', (r, a) => `${r} = Q.truncSatU(${a}); ${r}h = H.h;`);
}
def('i64.reinterpret_f64', 1, 'j', (r, a) => `${r} = Q.f64Bits(${a}); ${r}h = H.h;`);
def('f64.reinterpret_i64', 1, 'd', (r, a) => `${r} = Q.f64FromBits(${a}, ${a}h);`);

/** Templates of the instructions that take or produce i64 values. */
export const I64_NUMERIC: ReadonlyMap<string, NumTemplate> = T;

/** Shifts and rotates by a constant count k in [1, 63] (count 0 is a plain copy). */
export const I64_CONST_SHIFTS: ReadonlyMap<string, (r: string, a: string, k: number) => string> = new Map([
  ['i64.shl', (r: string, a: string, k: number) => k < 32
    ? `${r}h = (${a}h << ${k}) | (${a} >>> ${32 - k}); ${r} = ${a} << ${k};`
    : `${r}h = ${a} << ${k - 32}; ${r} = 0;`],
  ['i64.shr_u', (r: string, a: string, k: number) => k < 32
    ? `${r} = (${a} >>> ${k}) | (${a}h << ${32 - k}); ${r}h = ${a}h >>> ${k};`
    : `${r} = (${a}h >>> ${k - 32}) | 0; ${r}h = 0;`],
  ['i64.shr_s', (r: string, a: string, k: number) => k < 32
    ? `${r} = (${a} >>> ${k}) | (${a}h << ${32 - k}); ${r}h = ${a}h >> ${k};`
    : `${r} = ${a}h >> ${k - 32}; ${r}h = ${a}h >> 31;`],
  ['i64.rotl', rotl],
  ['i64.rotr', (r: string, a: string, k: number) => rotl(r, a, 64 - k)],
]);

function rotl(r: string, a: string, k: number): string {
  if (k === 32) return `x0 = ${a}; ${r} = ${a}h; ${r}h = x0;`;
  const [lo, hi] = k < 32 ? [a, `${a}h`] : [`${a}h`, a];
  const c = k & 31;
  return `x0 = (${lo} << ${c}) | (${hi} >>> ${32 - c}); ${r}h = (${hi} << ${c}) | (${lo} >>> ${32 - c}); ${r} = x0;`;
}

/** i64 loads: statement setting `r` (and `rh`) from view `v` at address `e`. */
export const I64_LOADS: ReadonlyMap<string, (r: string, v: string, e: string) => string> = new Map([
  // The high word first: an access out of bounds throws before anything is assigned.
  ['i64.load', (r: string, v: string, e: string) => `${r}h = ${v}.getInt32(${e} + 4, true); ${r} = ${v}.getInt32(${e}, true);`],
  ['i64.load8_s', (r: string, v: string, e: string) => `${r} = ${v}.getInt8(${e}); ${r}h = ${r} >> 31;`],
  ['i64.load8_u', (r: string, v: string, e: string) => `${r} = ${v}.getUint8(${e}); ${r}h = 0;`],
  ['i64.load16_s', (r: string, v: string, e: string) => `${r} = ${v}.getInt16(${e}, true); ${r}h = ${r} >> 31;`],
  ['i64.load16_u', (r: string, v: string, e: string) => `${r} = ${v}.getUint16(${e}, true); ${r}h = 0;`],
  ['i64.load32_s', (r: string, v: string, e: string) => `${r} = ${v}.getInt32(${e}, true); ${r}h = ${r} >> 31;`],
  ['i64.load32_u', (r: string, v: string, e: string) => `${r} = ${v}.getInt32(${e}, true); ${r}h = 0;`],
]);

/** i64 stores: statement storing `x` (and `xh`) to view `v` at address `e`. */
export const I64_STORES: ReadonlyMap<string, (v: string, e: string, x: string) => string> = new Map([
  // The high word first: a store out of bounds traps before writing anything.
  ['i64.store', (v: string, e: string, x: string) => `${v}.setInt32(${e} + 4, ${x}h, true); ${v}.setInt32(${e}, ${x}, true);`],
  ['i64.store8', (v: string, e: string, x: string) => `${v}.setInt8(${e}, ${x});`],
  ['i64.store16', (v: string, e: string, x: string) => `${v}.setInt16(${e}, ${x}, true);`],
  ['i64.store32', (v: string, e: string, x: string) => `${v}.setInt32(${e}, ${x}, true);`],
]);
