// Question 6: cost of trap checks for integer division and float->int truncation.
import { wasm, compile, measure, header } from './harness.mjs';

const PRE = `"use strict";
  class WasmTrap extends Error {}
  const MSG = ['integer divide by zero', 'integer overflow', 'invalid conversion to integer'];
  function trap(k) { throw new WasmTrap(MSG[k]); }`;

// i32.div_s + i32.rem_s + i32.div_u per iteration, operands not provably safe
const DIV = {
  unchecked: (a, b) => ({ pre: '', div: `((${a} / ${b}) | 0)`, rem: `((${a} % ${b}) | 0)`, divu: `(((${a} >>> 0) / (${b} >>> 0)) | 0)` }),
  'inline throw': (a, b) => ({
    pre: `if (${b} === 0) throw new WasmTrap(MSG[0]); if (${a} === -2147483648 && ${b} === -1) throw new WasmTrap(MSG[1]);`,
    div: `((${a} / ${b}) | 0)`, rem: `((${a} % ${b}) | 0)`, divu: `(((${a} >>> 0) / (${b} >>> 0)) | 0)`,
  }),
  'inline check, trap() helper': (a, b) => ({
    pre: `if (${b} === 0) trap(0); if (${a} === -2147483648 && ${b} === -1) trap(1);`,
    div: `((${a} / ${b}) | 0)`, rem: `((${a} % ${b}) | 0)`, divu: `(((${a} >>> 0) / (${b} >>> 0)) | 0)`,
  }),
  'helper functions div_s(a,b)': (a, b) => ({ pre: '', div: `div_s(${a}, ${b})`, rem: `rem_s(${a}, ${b})`, divu: `div_u(${a}, ${b})` }),
};
function buildDiv(kind) {
  const e = DIV[kind]('a', 'b');
  return compile([], `${PRE}
    function div_s(a, b) { if (b === 0) trap(0); if (a === -2147483648 && b === -1) trap(1); return (a / b) | 0; }
    function rem_s(a, b) { if (b === 0) trap(0); return (a % b) | 0; }
    function div_u(a, b) { if (b === 0) trap(0); return ((a >>> 0) / (b >>> 0)) | 0; }
    return function divs(n) {
      let s = 0;
      for (let i = 0; i < n; i = (i + 1) | 0) {
        const a = Math.imul(i, 7919) ^ s, b = ((i & 15) + 1) | 0;
        ${e.pre}
        s = (s + ${e.div} + ${e.rem} + ${e.divu}) | 0;
      }
      return s;
    };`);
}
// i32.trunc_f64_s (trapping) vs trunc_sat
const TRUNC = {
  'unchecked x|0 (wrong for out-of-range)': (x) => ({ pre: '', v: `(${x} | 0)` }),
  'range check: !(x > -2147483649 && x < 2147483648)': (x) => ({ pre: `if (!(${x} > -2147483649 && ${x} < 2147483648)) trap(2);`, v: `(${x} | 0)` }),
  'Math.trunc + (t|0) !== t': (x) => ({ pre: `const t = Math.trunc(${x}); if ((t | 0) !== t) trap(2);`, v: `(t | 0)` }),
  'trunc_sat (nested conditionals)': (x) => ({ pre: '', v: `(${x} !== ${x} ? 0 : ${x} >= 2147483647 ? 2147483647 : ${x} <= -2147483648 ? -2147483648 : ${x} | 0)` }),
};
function buildTrunc(kind) {
  const e = TRUNC[kind]('x');
  return compile([], `${PRE}
    return function trunc(n) {
      let s = 0;
      for (let i = 0; i < n; i = (i + 1) | 0) {
        const x = i * 0.37 - 1e6;
        ${e.pre}
        s = (s + ${e.v}) | 0;
      }
      return s;
    };`);
}
const W = wasm(`(module
  (func (export "divs") (param $n i32) (result i32) (local $i i32) (local $s i32) (local $a i32) (local $b i32)
    (block $b0 (loop $l
      (br_if $b0 (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $a (i32.xor (i32.mul (local.get $i) (i32.const 7919)) (local.get $s)))
      (local.set $b (i32.add (i32.and (local.get $i) (i32.const 15)) (i32.const 1)))
      (local.set $s (i32.add (i32.add (i32.add (local.get $s) (i32.div_s (local.get $a) (local.get $b))) (i32.rem_s (local.get $a) (local.get $b))) (i32.div_u (local.get $a) (local.get $b))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "trunc") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $b0 (loop $l
      (br_if $b0 (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.trunc_f64_s (f64.sub (f64.mul (f64.convert_i32_s (local.get $i)) (f64.const 0.37)) (f64.const 1e6)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "truncsat") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $b0 (loop $l
      (br_if $b0 (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.trunc_sat_f64_s (f64.sub (f64.mul (f64.convert_i32_s (local.get $i)) (f64.const 0.37)) (f64.const 1e6)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s)))`);

header('Q6 trap checks');
const N = 10_000_000;
measure(`i32 div_s + rem_s + div_u per iteration, ${N} iterations`, [
  ...Object.keys(DIV).map((k) => { const f = buildDiv(k); return { name: k, run: () => f(N) }; }),
  { name: 'wasm', run: () => W.divs(N) },
], { ref: 'wasm' });
const NT = 20_000_000;
measure(`i32.trunc_f64_s per iteration, ${NT} iterations (all in range)`, [
  ...Object.keys(TRUNC).map((k) => { const f = buildTrunc(k); return { name: k, run: () => f(NT) }; }),
  { name: 'wasm i32.trunc_f64_s', run: () => W.trunc(NT) },
  { name: 'wasm i32.trunc_sat_f64_s', run: () => W.truncsat(NT) },
], { ref: 'wasm i32.trunc_f64_s' });

// semantics spot checks of the chosen sequences
{
  const f = buildTrunc('range check: !(x > -2147483649 && x < 2147483648)');
  const probe = (x) => { const g = compile([], `${PRE} return (x) => { if (!(x > -2147483649 && x < 2147483648)) trap(2); return x | 0; };`); try { return g(x); } catch (e) { return e.message; } };
  console.log('\n### semantics checks\n' + [NaN, 2147483647.9, 2147483648, -2147483648.9, -2147483649, -0.5, Infinity]
    .map((x) => `- trunc_f64_s(${Object.is(x, -0) ? '-0' : x}) -> ${probe(x)}`).join('\n'));
  void f;
}
