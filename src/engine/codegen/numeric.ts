// JS statements for the numeric instructions (spec §4.3 numerics), one template per mnemonic.
// Representation (engine/types.ts): i32 as `|0` numbers, i64 as BigInt wrapped with N(64, x)
// (BigInt.asIntN) only after operations that can leave the range, f32 as fround'ed numbers.
// In the factory's prelude: N = BigInt.asIntN, U = BigInt.asUintN, fr = Math.fround.

/** Operand arity, result type char and a statement that sets `r` from `a` (and `b`). */
export interface NumTemplate {
  readonly arity: 1 | 2;
  readonly result: string;
  readonly emit: (r: string, a: string, b: string) => string;
}

const T = new Map<string, NumTemplate>();

function def(name: string, arity: 1 | 2, result: string, emit: (r: string, a: string, b: string) => string): void {
  T.set(name, { arity, result, emit });
}
const expr = (f: (a: string, b: string) => string) => (r: string, a: string, b: string): string => `${r} = ${f(a, b)};`;

const DIV0 = 'throw R.trap("integer divide by zero");';

// i32
def('i32.eqz', 1, 'i', expr((a) => `${a} === 0 ? 1 : 0`));
for (const [n, o] of [['eq', '==='], ['ne', '!=='], ['lt_s', '<'], ['gt_s', '>'], ['le_s', '<='], ['ge_s', '>=']]) {
  def(`i32.${n}`, 2, 'i', expr((a, b) => `${a} ${o} ${b} ? 1 : 0`));
  def(`i64.${n}`, 2, 'i', expr((a, b) => `${a} ${o} ${b} ? 1 : 0`));
}
for (const [n, o] of [['lt_u', '<'], ['gt_u', '>'], ['le_u', '<='], ['ge_u', '>=']]) {
  def(`i32.${n}`, 2, 'i', expr((a, b) => `(${a} >>> 0) ${o} (${b} >>> 0) ? 1 : 0`));
  def(`i64.${n}`, 2, 'i', expr((a, b) => `U(64, ${a}) ${o} U(64, ${b}) ? 1 : 0`));
}
def('i32.clz', 1, 'i', expr((a) => `Math.clz32(${a})`));
def('i32.ctz', 1, 'i', expr((a) => `R.i32ctz(${a})`));
def('i32.popcnt', 1, 'i', expr((a) => `R.i32popcnt(${a})`));
def('i32.add', 2, 'i', expr((a, b) => `(${a} + ${b}) | 0`));
def('i32.sub', 2, 'i', expr((a, b) => `(${a} - ${b}) | 0`));
def('i32.mul', 2, 'i', expr((a, b) => `Math.imul(${a}, ${b})`));
def('i32.div_s', 2, 'i', (r, a, b) =>
  `if (${b} === 0) ${DIV0} if (${a} === -2147483648 && ${b} === -1) throw R.trap("integer overflow"); ${r} = (${a} / ${b}) | 0;`);
def('i32.div_u', 2, 'i', (r, a, b) => `if (${b} === 0) ${DIV0} ${r} = ((${a} >>> 0) / (${b} >>> 0)) | 0;`);
def('i32.rem_s', 2, 'i', (r, a, b) => `if (${b} === 0) ${DIV0} ${r} = (${a} % ${b}) | 0;`);
def('i32.rem_u', 2, 'i', (r, a, b) => `if (${b} === 0) ${DIV0} ${r} = ((${a} >>> 0) % (${b} >>> 0)) | 0;`);
def('i32.and', 2, 'i', expr((a, b) => `${a} & ${b}`));
def('i32.or', 2, 'i', expr((a, b) => `${a} | ${b}`));
def('i32.xor', 2, 'i', expr((a, b) => `${a} ^ ${b}`));
def('i32.shl', 2, 'i', expr((a, b) => `${a} << ${b}`));
def('i32.shr_s', 2, 'i', expr((a, b) => `${a} >> ${b}`));
def('i32.shr_u', 2, 'i', expr((a, b) => `(${a} >>> ${b}) | 0`));
// JS masks shift counts by 31, like Wasm, so (32 - b) is right for b = 0 as well.
def('i32.rotl', 2, 'i', expr((a, b) => `(${a} << ${b}) | (${a} >>> (32 - ${b}))`));
def('i32.rotr', 2, 'i', expr((a, b) => `(${a} >>> ${b}) | (${a} << (32 - ${b}))`));

// i64
def('i64.eqz', 1, 'i', expr((a) => `${a} === 0n ? 1 : 0`));
def('i64.clz', 1, 'j', expr((a) => `R.i64clz(${a})`));
def('i64.ctz', 1, 'j', expr((a) => `R.i64ctz(${a})`));
def('i64.popcnt', 1, 'j', expr((a) => `R.i64popcnt(${a})`));
def('i64.add', 2, 'j', expr((a, b) => `N(64, ${a} + ${b})`));
def('i64.sub', 2, 'j', expr((a, b) => `N(64, ${a} - ${b})`));
def('i64.mul', 2, 'j', expr((a, b) => `N(64, ${a} * ${b})`));
def('i64.div_s', 2, 'j', expr((a, b) => `R.i64divS(${a}, ${b})`));
def('i64.div_u', 2, 'j', expr((a, b) => `R.i64divU(${a}, ${b})`));
def('i64.rem_s', 2, 'j', expr((a, b) => `R.i64remS(${a}, ${b})`));
def('i64.rem_u', 2, 'j', expr((a, b) => `R.i64remU(${a}, ${b})`));
def('i64.and', 2, 'j', expr((a, b) => `${a} & ${b}`));
def('i64.or', 2, 'j', expr((a, b) => `${a} | ${b}`));
def('i64.xor', 2, 'j', expr((a, b) => `${a} ^ ${b}`));
def('i64.shl', 2, 'j', expr((a, b) => `N(64, ${a} << (${b} & 63n))`));
def('i64.shr_s', 2, 'j', expr((a, b) => `${a} >> (${b} & 63n)`));
def('i64.shr_u', 2, 'j', expr((a, b) => `N(64, U(64, ${a}) >> (${b} & 63n))`));
def('i64.rotl', 2, 'j', expr((a, b) => `R.i64rotl(${a}, ${b})`));
def('i64.rotr', 2, 'j', expr((a, b) => `R.i64rotr(${a}, ${b})`));

// f32 and f64: arithmetic in double then one rounding to float32 is exact for + - * / sqrt.
for (const [t, c, round] of [['f32', 'f', (x: string) => `fr(${x})`], ['f64', 'd', (x: string) => x]] as const) {
  for (const [n, o] of [['eq', '==='], ['ne', '!=='], ['lt', '<'], ['gt', '>'], ['le', '<='], ['ge', '>=']]) {
    def(`${t}.${n}`, 2, 'i', expr((a, b) => `${a} ${o} ${b} ? 1 : 0`));
  }
  def(`${t}.abs`, 1, c, expr((a) => `${a} === ${a} ? Math.abs(${a}) : R.fabs(${a})`));
  def(`${t}.neg`, 1, c, expr((a) => `${a} === ${a} ? -${a} : R.fneg(${a})`));
  // Math.ceil/floor/trunc may return a signalling NaN operand unchanged; Wasm wants it quiet.
  def(`${t}.ceil`, 1, c, expr((a) => `${a} === ${a} ? Math.ceil(${a}) : NaN`));
  def(`${t}.floor`, 1, c, expr((a) => `${a} === ${a} ? Math.floor(${a}) : NaN`));
  def(`${t}.trunc`, 1, c, expr((a) => `${a} === ${a} ? Math.trunc(${a}) : NaN`));
  def(`${t}.nearest`, 1, c, expr((a) => `R.fnearest(${a})`));
  def(`${t}.sqrt`, 1, c, expr((a) => round(`Math.sqrt(${a})`)));
  def(`${t}.add`, 2, c, expr((a, b) => round(`${a} + ${b}`)));
  def(`${t}.sub`, 2, c, expr((a, b) => round(`${a} - ${b}`)));
  def(`${t}.mul`, 2, c, expr((a, b) => round(`${a} * ${b}`)));
  def(`${t}.div`, 2, c, expr((a, b) => round(`${a} / ${b}`)));
  def(`${t}.min`, 2, c, expr((a, b) => `R.fmin(${a}, ${b})`));
  def(`${t}.max`, 2, c, expr((a, b) => `R.fmax(${a}, ${b})`));
  def(`${t}.copysign`, 2, c, expr((a, b) => `R.fcopysign(${a}, ${b})`));
}

// Conversions (spec §4.3.3)
def('i32.wrap_i64', 1, 'i', expr((a) => `Number(N(32, ${a}))`));
for (const s of ['f32', 'f64']) {
  // Math.trunc then an int32 round trip rejects NaN, infinities and out-of-range values at once.
  def(`i32.trunc_${s}_s`, 1, 'i', (r, a) => `n = Math.trunc(${a}); if ((n | 0) !== n) R.truncFail(n); ${r} = n | 0;`);
  def(`i32.trunc_${s}_u`, 1, 'i', (r, a) => `n = Math.trunc(${a}); if ((n >>> 0) !== n) R.truncFail(n); ${r} = n | 0;`);
  def(`i64.trunc_${s}_s`, 1, 'j', expr((a) => `R.i64truncS(${a})`));
  def(`i64.trunc_${s}_u`, 1, 'j', expr((a) => `R.i64truncU(${a})`));
  def(`i32.trunc_sat_${s}_s`, 1, 'i', expr((a) => `R.i32truncSatS(${a})`));
  def(`i32.trunc_sat_${s}_u`, 1, 'i', expr((a) => `R.i32truncSatU(${a})`));
  def(`i64.trunc_sat_${s}_s`, 1, 'j', expr((a) => `R.i64truncSatS(${a})`));
  def(`i64.trunc_sat_${s}_u`, 1, 'j', expr((a) => `R.i64truncSatU(${a})`));
}
def('i64.extend_i32_s', 1, 'j', expr((a) => `BigInt(${a})`));
def('i64.extend_i32_u', 1, 'j', expr((a) => `BigInt(${a} >>> 0)`));
def('f32.convert_i32_s', 1, 'f', expr((a) => `fr(${a})`));
def('f32.convert_i32_u', 1, 'f', expr((a) => `fr(${a} >>> 0)`));
def('f32.convert_i64_s', 1, 'f', expr((a) => `R.f32convertI64S(${a})`));
def('f32.convert_i64_u', 1, 'f', expr((a) => `R.f32convertI64U(${a})`));
def('f32.demote_f64', 1, 'f', expr((a) => `fr(${a})`));
def('f64.convert_i32_s', 1, 'd', expr((a) => `${a}`));
def('f64.convert_i32_u', 1, 'd', expr((a) => `${a} >>> 0`));
def('f64.convert_i64_s', 1, 'd', expr((a) => `Number(${a})`));
def('f64.convert_i64_u', 1, 'd', expr((a) => `Number(U(64, ${a}))`));
// A float32 NaN may be held as a signalling float64 NaN (runtime.ts): promote quiets it.
def('f64.promote_f32', 1, 'd', expr((a) => `${a} === ${a} ? ${a} : NaN`));
def('i32.reinterpret_f32', 1, 'i', expr((a) => `R.f32Bits(${a})`));
def('i64.reinterpret_f64', 1, 'j', expr((a) => `R.f64Bits(${a})`));
def('f32.reinterpret_i32', 1, 'f', expr((a) => `R.f32FromBits(${a})`));
def('f64.reinterpret_i64', 1, 'd', expr((a) => `R.f64FromBits(${a})`));
def('i32.extend8_s', 1, 'i', expr((a) => `(${a} << 24) >> 24`));
def('i32.extend16_s', 1, 'i', expr((a) => `(${a} << 16) >> 16`));
def('i64.extend8_s', 1, 'j', expr((a) => `N(8, ${a})`));
def('i64.extend16_s', 1, 'j', expr((a) => `N(16, ${a})`));
def('i64.extend32_s', 1, 'j', expr((a) => `N(32, ${a})`));

export const NUMERIC: ReadonlyMap<string, NumTemplate> = T;

// Memory accesses (spec §4.4.7): one DataView, little-endian; its RangeError is the bounds check.
/** Load mnemonic -> [result type char, expression of view `v` and address `e`]. */
export const LOADS: ReadonlyMap<string, [string, (v: string, e: string) => string]> = new Map<string, [string, (v: string, e: string) => string]>([
  ['i32.load', ['i', (v, e) => `${v}.getInt32(${e}, true)`]],
  ['i64.load', ['j', (v, e) => `${v}.getBigInt64(${e}, true)`]],
  ['f32.load', ['f', (v, e) => `R.f32load(${v}, ${e})`]],
  ['f64.load', ['d', (v, e) => `${v}.getFloat64(${e}, true)`]],
  ['i32.load8_s', ['i', (v, e) => `${v}.getInt8(${e})`]],
  ['i32.load8_u', ['i', (v, e) => `${v}.getUint8(${e})`]],
  ['i32.load16_s', ['i', (v, e) => `${v}.getInt16(${e}, true)`]],
  ['i32.load16_u', ['i', (v, e) => `${v}.getUint16(${e}, true)`]],
  ['i64.load8_s', ['j', (v, e) => `BigInt(${v}.getInt8(${e}))`]],
  ['i64.load8_u', ['j', (v, e) => `BigInt(${v}.getUint8(${e}))`]],
  ['i64.load16_s', ['j', (v, e) => `BigInt(${v}.getInt16(${e}, true))`]],
  ['i64.load16_u', ['j', (v, e) => `BigInt(${v}.getUint16(${e}, true))`]],
  ['i64.load32_s', ['j', (v, e) => `BigInt(${v}.getInt32(${e}, true))`]],
  ['i64.load32_u', ['j', (v, e) => `BigInt(${v}.getUint32(${e}, true))`]],
]);

/** Store mnemonic -> statement of view `v`, address `e` and value `x`. */
export const STORES: ReadonlyMap<string, (v: string, e: string, x: string) => string> = new Map<string, (v: string, e: string, x: string) => string>([
  ['i32.store', (v, e, x) => `${v}.setInt32(${e}, ${x}, true);`],
  ['i64.store', (v, e, x) => `${v}.setBigInt64(${e}, ${x}, true);`],
  ['f32.store', (v, e, x) => `R.f32store(${v}, ${e}, ${x});`],
  ['f64.store', (v, e, x) => `${v}.setFloat64(${e}, ${x}, true);`],
  ['i32.store8', (v, e, x) => `${v}.setInt8(${e}, ${x});`],
  ['i32.store16', (v, e, x) => `${v}.setInt16(${e}, ${x}, true);`],
  ['i64.store8', (v, e, x) => `${v}.setInt8(${e}, Number(N(8, ${x})));`],
  ['i64.store16', (v, e, x) => `${v}.setInt16(${e}, Number(N(16, ${x})), true);`],
  ['i64.store32', (v, e, x) => `${v}.setInt32(${e}, Number(N(32, ${x})), true);`],
]);
