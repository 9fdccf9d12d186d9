// Cost of tail calls on Kasane's trampoline (engine/tailcall.ts) next to plain calls and native
// V8, in ns per call. Run after a build: node bench/micro/tailcall.mjs
//   call:        a loop making plain calls of a small function (no tail calls in the module)
//   return_call: even/odd mutual recursion by return_call (each call goes through the driver)
//   indirect:    the same by return_call_indirect
//   entry:       plain calls of a function that contains a tail call (driver entry, one hop)
import { wat2wasm } from '../../dist/src/index.js';
import { WebAssembly as K } from '../../dist/src/api/namespace.js';

const WAT = `(module
  (type $p (func (param i32) (result i32)))
  (table funcref (elem $even-i $odd-i))
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "call") (param $n i32) (result i32) (local $s i32)
    (loop $l (local.set $s (call $inc (local.get $s)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func $even (export "return_call") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get 0) (i32.const 1))))))
  (func $even-i (export "indirect") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call_indirect (type $p) (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))))
  (func $odd-i (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call_indirect (type $p) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))))
  (func $one (param i32) (result i32) (return_call $inc (local.get 0)))
  (func (export "entry") (param $n i32) (result i32) (local $s i32)
    (loop $l (local.set $s (call $one (local.get $s)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s)))`;

const bytes = wat2wasm(WAT);
const engines = { native: globalThis.WebAssembly, kasane: K };
const n = 5e6;
for (const [name, W] of Object.entries(engines)) {
  const e = new W.Instance(new W.Module(bytes), {}).exports;
  // The best of 7 rounds (the first warms up): the machine may be busy.
  const best = {};
  for (let r = 0; r < 7; r++) {
    for (const k of ['call', 'return_call', 'indirect', 'entry']) {
      const t = performance.now();
      e[k](n);
      const ns = (performance.now() - t) * 1e6 / n;
      if (r > 0) best[k] = Math.min(best[k] ?? Infinity, ns);
    }
  }
  console.log(name.padEnd(7), Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(1)}`).join('  '), 'ns/call');
}
