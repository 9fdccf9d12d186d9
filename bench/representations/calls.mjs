// Question 3: calls between compiled functions, and call_indirect.
import { wasm, compile, measure, header } from './harness.mjs';

// body of wasm `fib` as the compiler would emit it, calling itself through `CALL`
const fibBody = (CALL) => `if (n < 2) return n; return (${CALL}((n - 1) | 0) + ${CALL}((n - 2) | 0)) | 0;`;
// a second function so the module has more than one function: fib is called from main
const FIB_N = 34;

// (a) all functions of the module in ONE new Function, direct calls to function declarations
const oneClosure = compile([], `"use strict";
  function f0(n) { ${fibBody('f0')} }
  function f1(n) { return f0(n) | 0; }
  return f1;`);

// (b) per-function compilation; calls through a shared array F[i]
function perFunctionArray() {
  const F = [];
  F[0] = compile(['F'], `"use strict"; return function f0(n) { ${fibBody('F[0]')} };`, F);
  F[1] = compile(['F'], `"use strict"; return function f1(n) { return F[0](n) | 0; };`, F);
  return F[1];
}
const arrayCalls = perFunctionArray();

// (c1) lazy: the array initially holds stubs that compile the function on first
// call and patch F[i]; steady state calls go through the patched slot.
function lazyArray() {
  const F = [];
  const src = [
    `"use strict"; return function f0(n) { ${fibBody('F[0]')} };`,
    `"use strict"; return function f1(n) { return F[0](n) | 0; };`,
  ];
  for (let i = 0; i < src.length; i++) {
    F[i] = function stub(...args) {
      const f = compile(['F'], src[i], F);
      F[i] = f;
      return f(...args);
    };
  }
  return (n) => F[1](n);
}
const lazyArr = lazyArray();

// (c2) lazy inside ONE closure: mutable `let` slots per function, initially stubs
const lazyClosure = compile([], `"use strict";
  let f0 = function (n) { f0 = new Function('getF0', '"use strict"; return function f0(n) { ${fibBody('getF0()').replace(/'/g, "\\'")} };')(() => f0); return f0(n); };
  let f1 = function (n) { f1 = function (n) { return f0(n) | 0; }; return f1(n); };
  return (n) => f1(n);`);
// the above lazily compiled f0 reaches itself through a getter; the realistic
// variant of a closure-slot design is (c3): the lazily compiled body is
// produced by a factory that receives the slot object.
const lazySlots = compile([], `"use strict";
  const S = { f0: null, f1: null };
  S.f0 = function (n) { S.f0 = new Function('S', '"use strict"; return function f0(n) { ${fibBody('S.f0')} };')(S); return S.f0(n); };
  S.f1 = function (n) { S.f1 = new Function('S', '"use strict"; return function f1(n) { return S.f0(n) | 0; };')(S); return S.f1(n); };
  return (n) => S.f1(n);`);

const W = wasm(`(module
  (type $t0 (func (param i32) (result i32)))
  (type $t1 (func (param i32 i32) (result i32)))
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "fib") (param $n i32) (result i32) (call $fib (local.get $n)))
  (func $a (type $t0) (i32.add (local.get 0) (i32.const 1)))
  (func $b (type $t0) (i32.xor (local.get 0) (i32.const 0x55)))
  (func $c (type $t0) (i32.mul (local.get 0) (i32.const 3)))
  (func $d (type $t0) (i32.shr_u (local.get 0) (i32.const 1)))
  (func $o (type $t1) (i32.add (local.get 0) (local.get 1)))
  (table 8 funcref)
  (elem (i32.const 0) $a $b $c $d $o $o $o $o)
  (func (export "indirect") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $b (loop $l
      (br_if $b (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s) (call_indirect (type $t0) (local.get $s) (i32.and (local.get $i) (i32.const 3)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s)))`);

header('Q3 calls');
const fibCalls = (n) => { let a = 0, b = 1; for (let i = 0; i <= n; i++) [a, b] = [b, a + b]; return 2 * a - 1; };
measure(`recursive fib(${FIB_N}) (${(fibCalls(FIB_N) / 1e6).toFixed(1)}M calls)`, [
  { name: 'one closure, direct calls', run: () => oneClosure(FIB_N) },
  { name: 'per-function, F[i](...) array', run: () => arrayCalls(FIB_N) },
  { name: 'lazy stubs patched in F[i]', run: () => lazyArr(FIB_N) },
  { name: 'lazy, mutable slot object S.fi', run: () => lazySlots(FIB_N) },
  { name: 'lazy, mutable closure let + getter', run: () => lazyClosure(FIB_N) },
  { name: 'wasm', run: () => W.fib(FIB_N) },
], { ref: 'wasm' });

// ------------------------------------------------------------ call_indirect
// Table of JS functions; type 0 = (i32)->i32 at 0..3, type 1 at 4..7.
function makeTable(mode) {
  return compile([], `"use strict";
    function trap(m) { throw new Error(m); }
    function a(x) { return (x + 1) | 0; }
    function b(x) { return x ^ 0x55; }
    function c(x) { return Math.imul(x, 3); }
    function d(x) { return x >>> 1 | 0; }
    function o(x, y) { return (x + y) | 0; }
    const T = [a, b, c, d, o, o, o, o];
    const TI = new Int32Array([0, 0, 0, 0, 1, 1, 1, 1]);
    const WM = new WeakMap(); for (const f of [a, b, c, d]) WM.set(f, 0); WM.set(o, 1);
    for (const f of [a, b, c, d]) f.__t = 0; o.__t = 1;
    return function indirect(n) {
      let s = 0;
      for (let i = 0; i < n; i = (i + 1) | 0) {
        const idx = (i & 3) >>> 0;
        ${{
    none: 'const f = T[idx];',
    property: `const f = T[idx]; if (f === undefined || f === null) trap('uninitialized element'); if (f.__t !== 0) trap('indirect call signature mismatch');`,
    weakmap: `const f = T[idx]; if (f === undefined || f === null) trap('uninitialized element'); if (WM.get(f) !== 0) trap('indirect call signature mismatch');`,
    parallel: `if (idx >= TI.length) trap('undefined element'); if (TI[idx] !== 0) trap('indirect call signature mismatch'); const f = T[idx];`,
  }[mode]}
        s = (s + f(s)) | 0;
      }
      return s;
    };`);
}
const NIND = 20_000_000;
const modes = ['none', 'property', 'weakmap', 'parallel'];
const tabs = modes.map((m) => [m, makeTable(m)]);
measure(`call_indirect loop, 4 targets, ${NIND} calls`, [
  ...tabs.map(([m, f]) => ({ name: `sig check: ${m === 'none' ? 'none (unsafe baseline)' : m === 'parallel' ? 'parallel Int32Array of type ids' : m === 'property' ? 'integer type id property on function' : 'WeakMap lookup'}`, run: () => f(NIND) })),
  { name: 'wasm call_indirect', run: () => W.indirect(NIND) },
], { ref: 'wasm call_indirect' });
