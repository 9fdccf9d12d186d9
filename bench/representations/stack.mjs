// Question 5: stack exhaustion. How deep does generated JS recurse before
// RangeError, can it be caught and turned into a Wasm trap reliably, and what
// does an explicit depth counter cost instead?
// Run as: node stack.mjs            (parent: runs the probes in child processes)
//         node stack.mjs --child X  (one probe)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { wasm, compile, measure, header } from './harness.mjs';

const self = fileURLToPath(import.meta.url);
const PRE = `"use strict"; class WasmTrap extends Error {}`;

function recursor(nlocals) {
  // f(n) with `nlocals` i32 locals live across the recursive call
  const ls = [...Array(nlocals).keys()];
  return compile([], `${PRE}
    let depth = 0;
    function f(n) {
      depth = n;
      ${ls.map((k) => `let l${k} = (n + ${k}) | 0;`).join(' ')}
      const r = f((n + 1) | 0);
      return (r ${ls.map((k) => `+ l${k}`).join(' ')}) | 0;
    }
    return function probe() { depth = 0; try { f(0); } catch (e) { if (!(e instanceof RangeError)) throw e; return depth; } };`);
}
function wasmDepth(nlocals) {
  const W = wasm(`(module (global $d (mut i32) (i32.const 0))
    (func $f (param $n i32) (result i32) ${nlocals ? `(local ${'i32 '.repeat(nlocals)})` : ''}
      (global.set $d (local.get $n))
      ${[...Array(nlocals).keys()].map((k) => `(local.set ${k + 1} (i32.add (local.get $n) (i32.const ${k})))`).join(' ')}
      (i32.add (call $f (i32.add (local.get $n) (i32.const 1))) ${[...Array(nlocals).keys()].reduce((acc, k) => `(i32.add ${acc} (local.get ${k + 1}))`, '(i32.const 0)')}))
    (func (export "f") (result i32) (call $f (i32.const 0)))
    (func (export "d") (result i32) (global.get $d)))`);
  try { W.f(); } catch (e) { return `${W.d()} (${e.constructor.name}: ${e.message})`; }
}

const child = process.argv.indexOf('--child');
if (child >= 0) {
  const what = process.argv[child + 1];
  if (what === 'depth') {
    const rows = [];
    for (const nl of [0, 4, 16, 64]) {
      const p = recursor(nl);
      const ds = [p(), p(), p()];
      rows.push(`| ${nl} | ${ds.join(', ')} | ${wasmDepth(nl)} |`);
    }
    console.log('| live i32 locals | JS depth at RangeError (3 tries) | native wasm depth |\n|---:|---|---|\n' + rows.join('\n'));
  } else if (what === 'stress') {
    // 3000 overflows at varying starting depth, through builtins, with a
    // try/catch and try/finally in every frame, converting to WasmTrap.
    const g = compile([], `${PRE}
      const dv = new DataView(new ArrayBuffer(64));
      let mode = 0, sink = 0;
      function f(n) {
        switch (mode) {
          case 0: sink = (sink + Math.imul(n, 3)) | 0; return (f((n + 1) | 0) + 1) | 0;
          case 1: sink = (sink + dv.getInt32(n & 31, true)) | 0; return (f((n + 1) | 0) + 1) | 0;
          case 2: sink = (sink + Number(BigInt.asIntN(64, BigInt(n) * 3n) & 1n)) | 0; return (f((n + 1) | 0) + 1) | 0;
          case 3: try { return (f((n + 1) | 0) + 1) | 0; } catch (e) { throw e instanceof RangeError ? new WasmTrap('call stack exhausted') : e; }
          case 4: try { return (f((n + 1) | 0) + 1) | 0; } finally { sink = (sink + 1) | 0; }
          case 5: sink = (sink + [n, n + 1].length + String(n).length) | 0; return (f((n + 1) | 0) + 1) | 0;
        }
      }
      function pad(k, n) { return k === 0 ? f(n) : (pad(k - 1, n) + 1) | 0; }
      return function run(m, k) {
        mode = m;
        try { pad(k, 0); return 'no overflow?'; }
        catch (e) {
          if (e instanceof WasmTrap) return 'trap';
          if (e instanceof RangeError && /call stack/.test(e.message)) return 'trap';
          return 'OTHER: ' + e;
        }
      };`);
    const counts = {};
    let seed = 1;
    for (let i = 0; i < 3000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const m = i % 6, k = seed % 3000;
      const r = g(m, k);
      counts[`mode${m}:${r}`] = (counts[`mode${m}:${r}`] || 0) + 1;
    }
    // also: overflow inside generated code called from wasm (host import recursion)
    const rec = compile([], `${PRE} function r(n) { return (r((n + 1) | 0) + 1) | 0; } return r;`);
    const W = wasm(`(module (import "h" "r" (func $r (param i32) (result i32))) (func (export "go") (result i32) (call $r (i32.const 0))))`, { h: { r: rec } });
    let viaWasm = '';
    for (let i = 0; i < 50; i++) { try { W.go(); } catch (e) { viaWasm = `${e.constructor.name}: ${e.message}`; } }
    console.log('stress results (mode:result -> count): ' + JSON.stringify(counts));
    console.log(`overflow in JS called from wasm (x50): ${viaWasm}`);
    console.log('still alive after all overflows: ' + (rec.length === 1));
  } else if (what === 'cost') {
    const N = 32;
    const plain = compile([], `${PRE} function fib(n) { if (n < 2) return n; return (fib((n - 1) | 0) + fib((n - 2) | 0)) | 0; } return fib;`);
    const counted = compile([], `${PRE} let depth = 0; const LIMIT = 5000;
      function fib(n) { if (++depth > LIMIT) { depth = 0; throw new WasmTrap('call stack exhausted'); }
        if (n < 2) { depth--; return n; } const r = (fib((n - 1) | 0) + fib((n - 2) | 0)) | 0; depth--; return r; } return fib;`);
    const countedFinally = compile([], `${PRE} let depth = 0; const LIMIT = 5000;
      function fib(n) { if (++depth > LIMIT) { depth = 0; throw new WasmTrap('call stack exhausted'); }
        try { if (n < 2) return n; return (fib((n - 1) | 0) + fib((n - 2) | 0)) | 0; } finally { depth--; } } return fib;`);
    const countedParam = compile([], `${PRE} const LIMIT = 5000;
      function fib(n, d) { if (d > LIMIT) throw new WasmTrap('call stack exhausted');
        if (n < 2) return n; return (fib((n - 1) | 0, d + 1) + fib((n - 2) | 0, d + 1)) | 0; } return (n) => fib(n, 0);`);
    header('Q5 stack: cost of explicit depth accounting');
    measure(`fib(${N}) with stack-depth accounting`, [
      { name: 'none (rely on RangeError)', run: () => plain(N) },
      { name: 'global counter, depth-- before each return', run: () => counted(N) },
      { name: 'global counter, try/finally depth--', run: () => countedFinally(N) },
      { name: 'depth passed as extra parameter', run: () => countedParam(N) },
    ], { ref: 'none (rely on RangeError)' });
  }
  process.exit(0);
}

header('Q5 stack exhaustion');
for (const [what, args] of [['depth', []], ['depth', ['--stack-size=4000']], ['stress', []], ['cost', []], ['depth', ['--stack-size=60000']]]) {
  const r = spawnSync(process.execPath, [...args, self, '--child', what], { encoding: 'utf8', env: process.env });
  console.log(`\n#### child: node ${args.join(' ')} stack.mjs --child ${what}  -> exit status ${r.status}, signal ${r.signal}`);
  if (r.stdout) console.log(r.stdout.trim());
  if (r.status !== 0) console.log('stderr (first lines): ' + (r.stderr || '').split('\n').slice(0, 3).join(' / '));
}
