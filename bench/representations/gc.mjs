// Question 8: the representation of WasmGC objects (structs, arrays, i31) in generated JS.
// Kernels: binary-trees style allocation and walk (structs), a subtype test on a hot path,
// i32 array fill+sum, and i31 values in an anyref array. Native Wasm cannot take part: Node
// 20's V8 (11.3) predates the final GC encoding (see bench/results/gc.md).
import { compile, measure, header } from './harness.mjs';

header('gc.mjs: struct, array and i31 representations');

// A run-time type (engine/rtt.ts): canonical id, depth and supertype chain.
function rtt(id, sup) {
  const t = { id, depth: sup ? sup.depth + 1 : 0, supers: null, final: false };
  t.supers = sup ? [...sup.supers, t] : [t];
  return t;
}
const NODE = rtt(1, null);
class GcStruct {}

// ---- structs: binary trees (depth 16, ~131k nodes per tree, 8 trees per run) ----
const DEPTH = 16;
const treeBody = (make, left, right) => `"use strict";
  function make(d) { if (d === 0) return ${make('null', 'null')}; return ${make('make(d - 1)', 'make(d - 1)')}; }
  function check(n) { const l = ${left('n')}; if (l === null) return 1; return (1 + check(l) + check(${right('n')})) | 0; }
  return function run() { let s = 0; for (let i = 0; i < 8; i++) s = (s + check(make(${DEPTH}))) | 0; return s; };`;

// (a) per-type constructor function, fields f0.., prototype shared by all structs (instanceof-able)
const ctorRun = (() => {
  const C = new Function('T', 'return function S1(a, b) { this.t = T; this.f0 = a; this.f1 = b; };')(NODE);
  C.prototype = GcStruct.prototype;
  return compile(['C'], treeBody((a, b) => `new C(${a}, ${b})`, (n) => `${n}.f0`, (n) => `${n}.f1`), C);
})();
// (b) object literal (Object.prototype, shape shared per literal site)
const litRun = compile(['T'], treeBody((a, b) => `{ t: T, f0: ${a}, f1: ${b} }`, (n) => `${n}.f0`, (n) => `${n}.f1`), NODE);
// (c) JS array [rtt, f0, f1]
const arrRun = compile(['T'], treeBody((a, b) => `[T, ${a}, ${b}]`, (n) => `${n}[1]`, (n) => `${n}[2]`), NODE);
// (d) class with fields declared in a class body
const classRun = (() => {
  const C = new Function('T', 'B', 'return class S1 extends B { constructor(a, b) { super(); this.t = T; this.f0 = a; this.f1 = b; } };')(NODE, GcStruct);
  return compile(['C'], treeBody((a, b) => `new C(${a}, ${b})`, (n) => `${n}.f0`, (n) => `${n}.f1`), C);
})();
measure(`binary trees, depth ${DEPTH} x 8 (alloc + walk)`, [
  { name: 'ctor fn, f0.. fields, shared proto', run: ctorRun },
  { name: 'object literal {t, f0, f1}', run: litRun },
  { name: 'JS array [t, f0, f1]', run: arrRun },
  { name: 'class extends GcStruct', run: classRun },
], { ref: 'ctor fn, f0.. fields, shared proto' });

// ---- subtype test (ref.test against a non-final type at depth 2), 20M tests ----
const A = rtt(10, null), B = rtt(11, A), Cc = rtt(12, B), D = rtt(13, A);
const objs = [A, B, Cc, D].map((t) => { const o = new (function S() { this.t = t; this.f0 = 1; })(); return o; });
const testBody = (test) => `"use strict"; return function run() { let n = 0;
  for (let i = 0; i < 20000000; i++) { const x = O[i & 3]; if (${test}) n++; } return n; };`;
measure('ref.test (ref $B), B at depth 1, 20M tests on 4 types', [
  { name: 'supers[depth] === T (bounded)', run: compile(['O', 'T'], testBody('x.t.depth >= 1 && x.t.supers[1] === T'), objs, B) },
  { name: 'supers[depth] === T (unbounded read)', run: compile(['O', 'T'], testBody('x.t.supers[1] === T'), objs, B) },
  { name: 'walk the supertype chain', run: compile(['O', 'T'], testBody('(() => { for (let s = x.t; s; s = s.depth ? s.supers[s.depth - 1] : null) if (s === T) return true; return false; })()'), objs, B) },
]);

// ---- arrays: i32 array, new + fill via set + sum via get, length 1000, 20k times ----
const arrBody = (alloc, get, set) => `"use strict"; return function run() { let s = 0;
  for (let k = 0; k < 20000; k++) { const a = ${alloc('1000')};
    for (let i = 0; i < 1000; i++) ${set('a', 'i', '(i * k) | 0')};
    for (let i = 0; i < 1000; i++) s = (s + ${get('a', 'i')}) | 0; }
  return s; };`;
class GcArray { constructor(t, a) { this.t = t; this.a = a; } }
measure('i32 array: new 1000 + 1000 set + 1000 get, 20k times', [
  { name: 'wrapper {t, a: Int32Array}', run: compile(['W', 'T'], arrBody((n) => `new W(T, new Int32Array(${n}))`, (a, i) => `${a}.a[${i}]`, (a, i, v) => `${a}.a[${i}] = ${v}`), GcArray, NODE) },
  { name: 'wrapper {t, a: JS array}', run: compile(['W', 'T'], arrBody((n) => `new W(T, new Array(${n}).fill(0))`, (a, i) => `${a}.a[${i}]`, (a, i, v) => `${a}.a[${i}] = ${v}`), GcArray, NODE) },
  { name: 'Int32Array with a t property', run: compile(['T'], arrBody((n) => `(() => { const x = new Int32Array(${n}); x.t = T; return x; })()`, (a, i) => `${a}[${i}]`, (a, i, v) => `${a}[${i}] = ${v}`), NODE) },
], { ref: 'wrapper {t, a: Int32Array}' });

// ---- i31: ref.i31 into an anyref array, then ref.test i31 + i31.get_s, 10M ----
class I31 { constructor(v) { this.t = null; this.v = v; } }
const i31Body = (box, test, get) => `"use strict"; return function run() { const a = new Array(1024).fill(null); let s = 0;
  for (let i = 0; i < 10000000; i++) { a[i & 1023] = ${box('(i & 0x3fffffff) - 0x20000000')}; const x = a[(i * 7) & 1023];
    if (x !== null && ${test('x')}) s = (s + ${get('x')}) | 0; }
  return s; };`;
measure('i31: box, store in anyref array, test + get, 10M', [
  { name: 'JS number (typeof test)', run: compile([], i31Body((v) => v, (x) => `typeof ${x} === 'number'`, (x) => x)) },
  { name: 'object {t, v} (instanceof test)', run: compile(['I'], i31Body((v) => `new I(${v})`, (x) => `${x} instanceof I`, (x) => `${x}.v`), I31) },
], { ref: 'JS number (typeof test)' });
