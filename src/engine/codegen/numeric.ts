// JS statements for the numeric instructions (spec §4.3 numerics), one template per mnemonic.
// Representation (engine/types.ts): i32 as `|0` numbers, f32 as fround'ed numbers; the
// instructions that take or produce i64 values (int32 pairs) are in i64.ts.
// In the factory's prelude: fr = Math.fround.

/** Operand arity, result type char and a statement that sets `r` from `a` (and `b`). */
export interface NumTemplate {
  readonly arity: 1 | 2;
  readonly result: string;
  readonly emit: (r: string, a: string, b: string) => string;
  /** The result as a pure expression (no effects, no trap), when it is one: it may be folded (fold.ts). */
  readonly pure?: (a: string, b: string) => string;
}

const T = new Map<string, NumTemplate>();

type Emit = ((r: string, a: string, b: string) => string) & { pure?: (a: string, b: string) => string };

function def(name: string, arity: 1 | 2, result: string, emit: Emit): void {
  T.set(name, { arity, result, emit, pure: emit.pure });
}
/** A template that assigns a pure expression of its operands. */
const expr = (f: (a: string, b: string) => string): Emit =>
  Object.assign((r: string, a: string, b: string): string => `${r} = ${f(a, b)};`, { pure: f });

const DIV0 = 'throw R.trap("integer divide by zero");';

// i32
def('i32.eqz', 1, 'i', expr((a) => `${a} === 0 ? 1 : 0`));
for (const [n, o] of [['eq', '==='], ['ne', '!=='], ['lt_s', '<'], ['gt_s', '>'], ['le_s', '<='], ['ge_s', '>=']]) {
  def(`i32.${n}`, 2, 'i', expr((a, b) => `${a} ${o} ${b} ? 1 : 0`));
}
for (const [n, o] of [['lt_u', '<'], ['gt_u', '>'], ['le_u', '<='], ['ge_u', '>=']]) {
  def(`i32.${n}`, 2, 'i', expr((a, b) => `(${a} >>> 0) ${o} (${b} >>> 0) ? 1 : 0`));
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
for (const s of ['f32', 'f64']) {
  // Math.trunc then an int32 round trip rejects NaN, infinities and out-of-range values at once.
  def(`i32.trunc_${s}_s`, 1, 'i', (r, a) => `n = Math.trunc(${a}); if ((n | 0) !== n) R.truncFail(n); ${r} = n | 0;`);
  def(`i32.trunc_${s}_u`, 1, 'i', (r, a) => `n = Math.trunc(${a}); if ((n >>> 0) !== n) R.truncFail(n); ${r} = n | 0;`);
  def(`i32.trunc_sat_${s}_s`, 1, 'i', expr((a) => `R.i32truncSatS(${a})`));
  def(`i32.trunc_sat_${s}_u`, 1, 'i', expr((a) => `R.i32truncSatU(${a})`));
}
def('f32.convert_i32_s', 1, 'f', expr((a) => `fr(${a})`));
def('f32.convert_i32_u', 1, 'f', expr((a) => `fr(${a} >>> 0)`));
def('f32.demote_f64', 1, 'f', expr((a) => `fr(${a})`));
def('f64.convert_i32_s', 1, 'd', expr((a) => `${a}`));
def('f64.convert_i32_u', 1, 'd', expr((a) => `${a} >>> 0`));
// A float32 NaN may be held as a signalling float64 NaN (runtime.ts): promote quiets it.
def('f64.promote_f32', 1, 'd', expr((a) => `${a} === ${a} ? ${a} : NaN`));
def('i32.reinterpret_f32', 1, 'i', expr((a) => `R.f32Bits(${a})`));
def('f32.reinterpret_i32', 1, 'f', expr((a) => `R.f32FromBits(${a})`));
def('i32.extend8_s', 1, 'i', expr((a) => `(${a} << 24) >> 24`));
def('i32.extend16_s', 1, 'i', expr((a) => `(${a} << 16) >> 16`));

export const NUMERIC: ReadonlyMap<string, NumTemplate> = T;

/**
 * Float instructions whose result is never a signalling NaN as generated code holds it: JS
 * arithmetic quiets NaNs, and the helpers return the canonical NaN. Wasm wants an arithmetic
 * (quiet) NaN from them anyway, so a store of such a value needs no bit-exact NaN path, and if
 * a host quieted it that would be right too (spec §4.3.3: nans).
 */
export const QUIET_RESULTS: ReadonlySet<string> = new Set([
  ...['f32', 'f64'].flatMap((t) => ['ceil', 'floor', 'trunc', 'nearest', 'sqrt', 'add', 'sub', 'mul', 'div', 'min', 'max']
    .map((n) => `${t}.${n}`)),
  'f32.convert_i32_s', 'f32.convert_i32_u', 'f32.convert_i64_s', 'f32.convert_i64_u', 'f32.demote_f64',
  'f64.convert_i32_s', 'f64.convert_i32_u', 'f64.convert_i64_s', 'f64.convert_i64_u', 'f64.promote_f32',
]);

// Memory accesses (spec §4.4.7): one DataView, little-endian; its RangeError is the bounds check.
/** Load mnemonic -> [result type char, expression of view `v` and address `e`]. */
export const LOADS: ReadonlyMap<string, [string, (v: string, e: string) => string]> = new Map<string, [string, (v: string, e: string) => string]>([
  ['i32.load', ['i', (v, e) => `${v}.getInt32(${e}, true)`]],
  ['f32.load', ['f', (v, e) => `R.f32load(${v}, ${e})`]],
  ['f64.load', ['d', (v, e) => `${v}.getFloat64(${e}, true)`]],
  ['i32.load8_s', ['i', (v, e) => `${v}.getInt8(${e})`]],
  ['i32.load8_u', ['i', (v, e) => `${v}.getUint8(${e})`]],
  ['i32.load16_s', ['i', (v, e) => `${v}.getInt16(${e}, true)`]],
  ['i32.load16_u', ['i', (v, e) => `${v}.getUint16(${e}, true)`]],
]);

/** Store mnemonic -> statement of view `v`, address `e` and value `x`. */
export const STORES: ReadonlyMap<string, (v: string, e: string, x: string) => string> = new Map<string, (v: string, e: string, x: string) => string>([
  ['i32.store', (v, e, x) => `${v}.setInt32(${e}, ${x}, true);`],
  ['f32.store', (v, e, x) => `R.f32store(${v}, ${e}, ${x});`],
  // Optimized DataView.setFloat64 may quiet a signalling NaN (runtime.ts), so a NaN is rewritten
  // bit-exactly after the store (in bounds by then). Storing first, then testing, keeps nbody at
  // 543-686 ms; testing before the store (if/else) made it 874-912 ms. `e` and `x` are pure.
  ['f64.store', (v, e, x) => `${v}.setFloat64(${e}, ${x}, true); if (${x} !== ${x}) R.f64storeNaN(${v}, ${e}, ${x});`],
  ['i32.store8', (v, e, x) => `${v}.setInt8(${e}, ${x});`],
  ['i32.store16', (v, e, x) => `${v}.setInt16(${e}, ${x}, true);`],
]);

/**
 * f32.store and f64.store of a value that is not a signalling NaN (QUIET_RESULTS): a plain
 * DataView store. On nbody the NaN test after each f64.store cost about a quarter of the run
 * (bench/results/representations.md §10).
 */
export const QUIET_STORES: ReadonlyMap<string, (v: string, e: string, x: string) => string> = new Map<string, (v: string, e: string, x: string) => string>([
  ['f32.store', (v, e, x) => `${v}.setFloat32(${e}, ${x}, true);`],
  ['f64.store', (v, e, x) => `${v}.setFloat64(${e}, ${x}, true);`],
]);
