// Question 2: linear memory access in generated JS.
// Access strategies (each emitted by a generator per load/store site):
//   dataview          : dv.getInt32(ea, true) etc. DataView's own RangeError is the bounds check
//   ta-unchecked      : typed array, assumes aligned, NO bounds check (unsafe upper bound, not an option)
//   hybrid+check      : if (ea + size > memSize) trap(); aligned ? typedArray[ea >>> k] : dv.get..(ea, true)
//   hybrid+undef      : loads: aligned ? (v = ta[ea >>> k]) === undefined -> trap : dv ; stores need explicit check
//   bytes+check       : explicit check, then assemble from Uint8Array bytes
// Views live in module-closure `let` variables (refreshed by the module's grow).
import { wasm, compile, measure, header } from './harness.mjs';

const PAGE = 65536;

// --- per-strategy code generators. `ea` is the name of a JS const holding the
// effective address (already >>> 0 + offset). Each returns [stmts, expr].
let tmp = 0;
const T = { i32: ['i32', 2, 'Int32'], u8: ['u8', 0, 'Uint8'], f64: ['f64', 3, 'Float64'] };
const SIZE = { i32: 4, u8: 1, f64: 8 };

function load(strategy, ty, ea) {
  const [view, sh, dvName] = T[ty];
  const size = SIZE[ty];
  const idx = sh ? `${ea} >>> ${sh}` : ea;
  const aligned = sh ? `(${ea} & ${size - 1}) === 0` : 'true';
  const v = `v${tmp++}`;
  switch (strategy) {
    case 'dataview':
      return [`const ${v} = dv.get${dvName}(${ea}, true);`, v];
    case 'ta-unchecked':
      return [`const ${v} = ${view}[${idx}];`, v];
    case 'hybrid+check':
      return [`if (${ea} > memSize - ${size}) trap();
        const ${v} = ${sh ? `${aligned} ? ${view}[${idx}] : dv.get${dvName}(${ea}, true)` : `${view}[${idx}]`};`, v];
    case 'hybrid+undef':
      return [sh
        ? `let ${v}; if (${aligned}) { ${v} = ${view}[${idx}]; if (${v} === undefined) trap(); } else ${v} = dv.get${dvName}(${ea}, true);`
        : `const ${v} = ${view}[${idx}]; if (${v} === undefined) trap();`, v];
    case 'bytes+check': {
      if (ty === 'f64') return [`if (${ea} > memSize - 8) trap(); const ${v} = dv.getFloat64(${ea}, true);`, v];
      if (ty === 'u8') return [`if (${ea} > memSize - 1) trap(); const ${v} = u8[${ea}];`, v];
      return [`if (${ea} > memSize - 4) trap(); const ${v} = u8[${ea}] | (u8[${ea} + 1] << 8) | (u8[${ea} + 2] << 16) | (u8[${ea} + 3] << 24);`, v];
    }
  }
  throw new Error(strategy);
}
function store(strategy, ty, ea, val) {
  const [view, sh, dvName] = T[ty];
  const size = SIZE[ty];
  const idx = sh ? `${ea} >>> ${sh}` : ea;
  const aligned = sh ? `(${ea} & ${size - 1}) === 0` : 'true';
  switch (strategy) {
    case 'dataview': return `dv.set${dvName}(${ea}, ${val}, true);`;
    case 'ta-unchecked': return `${view}[${idx}] = ${val};`;
    case 'hybrid+check':
    case 'hybrid+undef': // typed-array stores ignore OOB silently -> explicit check needed
      return `if (${ea} > memSize - ${size}) trap(); ${sh ? `if (${aligned}) ${view}[${idx}] = ${val}; else dv.set${dvName}(${ea}, ${val}, true);` : `${view}[${idx}] = ${val};`}`;
    case 'bytes+check':
      if (ty === 'f64') return `if (${ea} > memSize - 8) trap(); dv.setFloat64(${ea}, ${val}, true);`;
      if (ty === 'u8') return `if (${ea} > memSize - 1) trap(); u8[${ea}] = ${val};`;
      return `if (${ea} > memSize - 4) trap(); { const w = ${val}; u8[${ea}] = w; u8[${ea} + 1] = w >>> 8; u8[${ea} + 2] = w >>> 16; u8[${ea} + 3] = w >>> 24; }`;
  }
  throw new Error(strategy);
}

// a "compiled module": closure over one memory, with the kernels inside
function moduleSource(kernels) {
  return `"use strict";
  let buf = memory.buffer, memSize = buf.byteLength;
  let dv = new DataView(buf), i32 = new Int32Array(buf), u8 = new Uint8Array(buf), f64 = new Float64Array(buf);
  function trap() { throw new Error('out of bounds memory access'); }
  ${kernels}
  return { ${kernels.match(/function (\w+)/g).map((m) => m.slice(9)).join(', ')} };`;
}

// helper for kernels: L(strategy, ty, addrExpr, off) -> [stmts, expr]
function genKernels(S) {
  const ld = (ty, addr, off = 0) => {
    const ea = `e${tmp++}`;
    const [st, v] = load(S, ty, ea);
    return [`const ${ea} = ((${addr}) >>> 0)${off ? ' + ' + off : ''}; ${st}`, v];
  };
  const st = (ty, addr, off, val) => {
    const ea = `e${tmp++}`;
    return `{ const ${ea} = ((${addr}) >>> 0)${off ? ' + ' + off : ''}; ${store(S, ty, ea, val)} }`;
  };
  // 1) sum of i32 array
  const [s1, v1] = ld('i32', 'i << 2');
  const sum32 = `function sum32(n, reps) {
    let s = 0;
    for (let r = 0; r < reps; r = (r + 1) | 0)
      for (let i = 0; i < n; i = (i + 1) | 0) { ${s1} s = (s + ${v1}) | 0; }
    return s;
  }`;
  // 2) sha-like byte/word mixing: src at 0, dst at 64K, bytes out at 128K
  const [a1, w] = ld('i32', 'i');
  const [a2, b] = ld('u8', 'i >>> 2', 16);
  const mix = `function mix(n, reps) {
    let h = 0x12345678;
    for (let r = 0; r < reps; r = (r + 1) | 0)
      for (let i = 0; i < n; i = (i + 4) | 0) {
        ${a1} ${a2}
        let x = (${w} ^ ${b} ^ h) | 0;
        x = (((x << 5) | (x >>> 27)) + h) | 0;
        h = (Math.imul(h, 0x01000193) ^ x) | 0;
        ${st('i32', 'i', 65536, 'x')}
        ${st('u8', 'i >>> 2', 131072, 'x')}
      }
    return h;
  }`;
  // 3) nbody-like f64: 5 bodies at base 0, stride 56 bytes: x y z vx vy vz m
  const L = (base, off) => ld('f64', base, off);
  let body = '';
  const vals = {};
  const get = (name, base, off) => { const [s, v] = L(base, off); body += s + '\n'; vals[name] = v; return v; };
  get('xi', 'bi', 0); get('yi', 'bi', 8); get('zi', 'bi', 16);
  get('xj', 'bj', 0); get('yj', 'bj', 8); get('zj', 'bj', 16);
  body += `const dx = ${vals.xi} - ${vals.xj}, dy = ${vals.yi} - ${vals.yj}, dz = ${vals.zi} - ${vals.zj};
    const d2 = dx * dx + dy * dy + dz * dz; const mag = 0.01 / (d2 * Math.sqrt(d2));\n`;
  get('mi', 'bi', 48); get('mj', 'bj', 48);
  for (const [k, off, d] of [['vxi', 24, 'dx'], ['vyi', 32, 'dy'], ['vzi', 40, 'dz']]) {
    get(k, 'bi', off); body += st('f64', 'bi', off, `${vals[k]} - ${d} * ${vals.mj} * mag`) + '\n';
  }
  for (const [k, off, d] of [['vxj', 24, 'dx'], ['vyj', 32, 'dy'], ['vzj', 40, 'dz']]) {
    get(k, 'bj', off); body += st('f64', 'bj', off, `${vals[k]} + ${d} * ${vals.mi} * mag`) + '\n';
  }
  let upd = '';
  for (const [p, v] of [[0, 24], [8, 32], [16, 40]]) {
    const [s1, pv] = L('bi', p); const [s2, vv] = L('bi', v);
    upd += s1 + s2 + st('f64', 'bi', p, `${pv} + 0.01 * ${vv}`) + '\n';
  }
  const [sx, xv] = L('bi', 0);
  const nbody = `function nbody(steps) {
    for (let s = 0; s < steps; s = (s + 1) | 0) {
      for (let i = 0; i < 5; i = (i + 1) | 0) {
        const bi = Math.imul(i, 56);
        for (let j = (i + 1) | 0; j < 5; j = (j + 1) | 0) {
          const bj = Math.imul(j, 56);
          ${body}
        }
      }
      for (let i = 0; i < 5; i = (i + 1) | 0) { const bi = Math.imul(i, 56); ${upd} }
    }
    let e = 0; for (let i = 0; i < 5; i = (i + 1) | 0) { const bi = Math.imul(i, 56); ${sx} e += ${xv}; }
    return e;
  }`;
  return sum32 + mix + nbody;
}

// native wasm versions
const nbodyWat = (() => {
  const L = (b, o) => `(f64.load offset=${o} (local.get $${b}))`;
  const upd = (b, o, sign, d, m) => `(f64.store offset=${o} (local.get $${b}) (f64.${sign} ${L(b, o)} (f64.mul (f64.mul (local.get $${d}) ${m}) (local.get $mag))))`;
  return `
  (func (export "nbody") (param $steps i32) (result f64)
    (local $s i32) (local $i i32) (local $j i32) (local $bi i32) (local $bj i32)
    (local $dx f64) (local $dy f64) (local $dz f64) (local $d2 f64) (local $mag f64) (local $e f64)
    (block $bs (loop $ls
      (br_if $bs (i32.ge_u (local.get $s) (local.get $steps)))
      (local.set $i (i32.const 0))
      (block $bI (loop $lI
        (br_if $bI (i32.ge_u (local.get $i) (i32.const 5)))
        (local.set $bi (i32.mul (local.get $i) (i32.const 56)))
        (local.set $j (i32.add (local.get $i) (i32.const 1)))
        (block $bJ (loop $lJ
          (br_if $bJ (i32.ge_u (local.get $j) (i32.const 5)))
          (local.set $bj (i32.mul (local.get $j) (i32.const 56)))
          (local.set $dx (f64.sub ${L('bi', 0)} ${L('bj', 0)}))
          (local.set $dy (f64.sub ${L('bi', 8)} ${L('bj', 8)}))
          (local.set $dz (f64.sub ${L('bi', 16)} ${L('bj', 16)}))
          (local.set $d2 (f64.add (f64.add (f64.mul (local.get $dx) (local.get $dx)) (f64.mul (local.get $dy) (local.get $dy))) (f64.mul (local.get $dz) (local.get $dz))))
          (local.set $mag (f64.div (f64.const 0.01) (f64.mul (local.get $d2) (f64.sqrt (local.get $d2)))))
          ${upd('bi', 24, 'sub', 'dx', L('bj', 48))} ${upd('bi', 32, 'sub', 'dy', L('bj', 48))} ${upd('bi', 40, 'sub', 'dz', L('bj', 48))}
          ${upd('bj', 24, 'add', 'dx', L('bi', 48))} ${upd('bj', 32, 'add', 'dy', L('bi', 48))} ${upd('bj', 40, 'add', 'dz', L('bi', 48))}
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $lJ)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lI)))
      (local.set $i (i32.const 0))
      (block $bU (loop $lU
        (br_if $bU (i32.ge_u (local.get $i) (i32.const 5)))
        (local.set $bi (i32.mul (local.get $i) (i32.const 56)))
        (f64.store offset=0 (local.get $bi) (f64.add ${L('bi', 0)} (f64.mul (f64.const 0.01) ${L('bi', 24)})))
        (f64.store offset=8 (local.get $bi) (f64.add ${L('bi', 8)} (f64.mul (f64.const 0.01) ${L('bi', 32)})))
        (f64.store offset=16 (local.get $bi) (f64.add ${L('bi', 16)} (f64.mul (f64.const 0.01) ${L('bi', 40)})))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lU)))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $ls)))
    (local.set $i (i32.const 0))
    (block $bE (loop $lE
      (br_if $bE (i32.ge_u (local.get $i) (i32.const 5)))
      (local.set $e (f64.add (local.get $e) (f64.load (i32.mul (local.get $i) (i32.const 56)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $lE)))
    (local.get $e))`;
})();
const WAT = `(module (memory (export "mem") 80)
  (func (export "sum32") (param $n i32) (param $reps i32) (result i32) (local $s i32) (local $i i32) (local $r i32)
    (block $b (loop $l
      (br_if $b (i32.ge_u (local.get $r) (local.get $reps)))
      (local.set $i (i32.const 0))
      (block $b2 (loop $l2
        (br_if $b2 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l2)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "mix") (param $n i32) (param $reps i32) (result i32) (local $h i32) (local $i i32) (local $r i32) (local $x i32)
    (local.set $h (i32.const 0x12345678))
    (block $b (loop $l
      (br_if $b (i32.ge_u (local.get $r) (local.get $reps)))
      (local.set $i (i32.const 0))
      (block $b2 (loop $l2
        (br_if $b2 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (i32.xor (i32.xor (i32.load (local.get $i)) (i32.load8_u offset=16 (i32.shr_u (local.get $i) (i32.const 2)))) (local.get $h)))
        (local.set $x (i32.add (i32.rotl (local.get $x) (i32.const 5)) (local.get $h)))
        (local.set $h (i32.xor (i32.mul (local.get $h) (i32.const 0x01000193)) (local.get $x)))
        (i32.store offset=65536 (local.get $i) (local.get $x))
        (i32.store8 offset=131072 (i32.shr_u (local.get $i) (i32.const 2)) (local.get $x))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $l2)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $l)))
    (local.get $h))
  ${nbodyWat})`;

function initMem(buf) {
  const u8 = new Uint8Array(buf);
  for (let i = 0; i < 4 * 1024 * 1024; i++) u8[i] = (i * 2654435761) >>> 24;
}
function initBodies(buf) {
  const f = new Float64Array(buf, 0, 35);
  for (let i = 0; i < 5; i++) {
    f[i * 7 + 0] = i * 1.5 + 0.1; f[i * 7 + 1] = (i * 7) % 5 - 2.2; f[i * 7 + 2] = i * i * 0.3 - 1;
    f[i * 7 + 3] = 0.01 * i; f[i * 7 + 4] = -0.02 * i; f[i * 7 + 5] = 0.005;
    f[i * 7 + 6] = 1 + i * 0.25;
  }
}

header('Q2 linear memory');
const STRATS = ['dataview', 'ta-unchecked', 'hybrid+check', 'hybrid+undef', 'bytes+check'];
const mods = {};
for (const S of STRATS) {
  const memory = new WebAssembly.Memory({ initial: 80 });
  initMem(memory.buffer);
  mods[S] = { m: compile(['memory'], moduleSource(genKernels(S)), memory), memory };
}
const W = wasm(WAT);
initMem(W.mem.buffer);

const N32 = 1 << 20, REPS = 40;
measure(`i32 array sum, ${N32} elements x ${REPS} reps`, [
  ...STRATS.map((S) => ({ name: S, run: () => mods[S].m.sum32(N32, REPS) })),
  { name: 'wasm', run: () => W.sum32(N32, REPS) },
], { ref: 'wasm' });

const NMIX = 65536, MREPS = 600;
measure(`byte/word mixing (i32.load, load8_u, i32.store, store8), ${NMIX / 4} words x ${MREPS} reps`, [
  ...STRATS.map((S) => ({ name: S, run: () => mods[S].m.mix(NMIX, MREPS) })),
  { name: 'wasm', run: () => W.mix(NMIX, MREPS) },
], { ref: 'wasm' });

const STEPS = 1000000;
measure(`nbody-like f64 loads/stores, 5 bodies x ${STEPS} steps`, [
  ...STRATS.map((S) => ({ name: S, run: () => { initBodies(mods[S].memory.buffer); return mods[S].m.nbody(STEPS); } })),
  { name: 'wasm', run: () => { initBodies(W.mem.buffer); return W.nbody(STEPS); } },
], { ref: 'wasm' });

// ------------------------------------------------- view refresh after memory.grow
// Kernel: i32 sum where every iteration calls a small function that MAY grow
// memory (it never does here), so views/size can change across the call.
function refreshModule(kind, mode) {
  const ld = (ea, i32, dv, size) => mode === 'dataview' ? `const v = ${dv}.getInt32(${ea}, true);` : `if (${ea} > ${size} - 4) trap(); const v = (${ea} & 3) === 0 ? ${i32}[${ea} >>> 2] : ${dv}.getInt32(${ea}, true);`;
  let common = `"use strict";
  function trap() { throw new Error('out of bounds'); }`;
  let body;
  switch (kind) {
    case 'instance-object': // views re-read from an instance object on each access
      common += `const inst = { buf: null, dv: null, i32: null, size: 0 };
        function refresh() { inst.buf = memory.buffer; inst.size = inst.buf.byteLength; inst.dv = new DataView(inst.buf); inst.i32 = new Int32Array(inst.buf); }
        refresh();
        function g(x) { if (x === -1) { memory.grow(1); refresh(); } return x & 7; }`;
      body = `let s = 0; for (let r = 0; r < reps; r = (r + 1) | 0) for (let i = 0; i < n; i = (i + 1) | 0) {
        const ea = (i << 2) >>> 0; ${ld('ea', 'inst.i32', 'inst.dv', 'inst.size')} s = (s + v + g(i)) | 0; } return s;`;
      break;
    case 'closure-lets': // module-closure lets, assigned by refresh()
      common += `let buf, dv, i32, size;
        function refresh() { buf = memory.buffer; size = buf.byteLength; dv = new DataView(buf); i32 = new Int32Array(buf); }
        refresh();
        function g(x) { if (x === -1) { memory.grow(1); refresh(); } return x & 7; }`;
      body = `let s = 0; for (let r = 0; r < reps; r = (r + 1) | 0) for (let i = 0; i < n; i = (i + 1) | 0) {
        const ea = (i << 2) >>> 0; ${ld('ea', 'i32', 'dv', 'size')} s = (s + v + g(i)) | 0; } return s;`;
      break;
    case 'locals-refreshed-after-call': // function-local copies, re-read after every call
      common += `const inst = { buf: null, dv: null, i32: null, size: 0 };
        function refresh() { inst.buf = memory.buffer; inst.size = inst.buf.byteLength; inst.dv = new DataView(inst.buf); inst.i32 = new Int32Array(inst.buf); }
        refresh();
        function g(x) { if (x === -1) { memory.grow(1); refresh(); } return x & 7; }`;
      body = `let i32 = inst.i32, dv = inst.dv, size = inst.size;
        let s = 0; for (let r = 0; r < reps; r = (r + 1) | 0) for (let i = 0; i < n; i = (i + 1) | 0) {
        const ea = (i << 2) >>> 0; ${ld('ea', 'i32', 'dv', 'size')} const c = g(i); i32 = inst.i32; dv = inst.dv; size = inst.size; s = (s + v + c) | 0; } return s;`;
      break;
    case 'resizable-AB length-tracking': // one RAB, length-tracking views never replaced
      common += `const rab = new ArrayBuffer(memory.buffer.byteLength, { maxByteLength: 65536 * 1024 });
        new Uint8Array(rab).set(new Uint8Array(memory.buffer));
        const dv = new DataView(rab), i32 = new Int32Array(rab);
        let size = rab.byteLength;
        function g(x) { if (x === -1) { rab.resize(rab.byteLength + 65536); size = rab.byteLength; } return x & 7; }`;
      body = `let s = 0; for (let r = 0; r < reps; r = (r + 1) | 0) for (let i = 0; i < n; i = (i + 1) | 0) {
        const ea = (i << 2) >>> 0; ${ld('ea', 'i32', 'dv', 'size')} s = (s + v + g(i)) | 0; } return s;`;
      break;
    case 'resizable-AB, no explicit check (undefined)':
      common += `const rab = new ArrayBuffer(memory.buffer.byteLength, { maxByteLength: 65536 * 1024 });
        new Uint8Array(rab).set(new Uint8Array(memory.buffer));
        const dv = new DataView(rab), i32 = new Int32Array(rab);
        function g(x) { if (x === -1) { rab.resize(rab.byteLength + 65536); } return x & 7; }`;
      body = `let s = 0; for (let r = 0; r < reps; r = (r + 1) | 0) for (let i = 0; i < n; i = (i + 1) | 0) {
        const ea = (i << 2) >>> 0; ${mode === 'dataview' ? 'const v = dv.getInt32(ea, true);' : 'let v; if ((ea & 3) === 0) { v = i32[ea >>> 2]; if (v === undefined) trap(); } else v = dv.getInt32(ea, true);'} s = (s + v + g(i)) | 0; } return s;`;
      break;
  }
  return compile(['memory'], `${common} return function sumCall(n, reps) { ${body} };`, (() => { const m = new WebAssembly.Memory({ initial: 80 }); initMem(m.buffer); return m; })());
}
const RK = ['instance-object', 'closure-lets', 'locals-refreshed-after-call', 'resizable-AB length-tracking', 'resizable-AB, no explicit check (undefined)'];
const rmods = [];
for (const mode of ['dataview', 'hybrid+check']) for (const k of RK) {
  if (mode === 'dataview' && k.includes('no explicit')) continue;
  rmods.push([`${k} [${mode}]`, refreshModule(k, mode)]);
}
const Wr = wasm(`(module (memory 80)
  (func $g (param $x i32) (result i32) (if (i32.eq (local.get $x) (i32.const -1)) (then (drop (memory.grow (i32.const 1))))) (i32.and (local.get $x) (i32.const 7)))
  (func (export "sumCall") (param $n i32) (param $reps i32) (result i32) (local $s i32) (local $i i32) (local $r i32)
    (block $b (loop $l
      (br_if $b (i32.ge_u (local.get $r) (local.get $reps)))
      (local.set $i (i32.const 0))
      (block $b2 (loop $l2
        (br_if $b2 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (i32.add (local.get $s) (i32.load (i32.shl (local.get $i) (i32.const 2)))) (call $g (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l2)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (export "mem" (memory 0)))`);
initMem(Wr.mem.buffer);
const RREPS = 20;
measure(`view refresh: i32 sum with a may-grow call every iteration, ${N32} x ${RREPS}`, [
  ...rmods.map(([k, f]) => ({ name: k, run: () => f(N32, RREPS) })),
  { name: 'wasm', run: () => Wr.sumCall(N32, RREPS) },
], { ref: 'wasm' });

// ------------------------------------------------- semantics checks
{
  const out = [];
  const ab = new ArrayBuffer(65536), dv = new DataView(ab), i32 = new Int32Array(ab);
  const tryIt = (f) => { try { return String(f()); } catch (e) { return `${e.constructor.name}: ${e.message}`; } };
  out.push(`DataView.getInt32(65534) on 64KiB: ${tryIt(() => dv.getInt32(65534, true))}`);
  out.push(`DataView.getInt32(2**32 + 8): ${tryIt(() => dv.getInt32(2 ** 32 + 8, true))}`);
  out.push(`Int32Array[16384] (one past end): ${tryIt(() => i32[16384])}`);
  out.push(`Int32Array[16384] = 1 (store past end): ${tryIt(() => { i32[16384] = 1; return 'silently ignored'; })}`);
  const mem = new WebAssembly.Memory({ initial: 1 }); const old = new DataView(mem.buffer); mem.grow(1);
  out.push(`old DataView after WebAssembly.Memory.grow: ${tryIt(() => old.getInt32(0, true))}`);
  const rab = new ArrayBuffer(65536, { maxByteLength: 1 << 20 }); const rdv = new DataView(rab), ri = new Int32Array(rab);
  rab.resize(131072);
  out.push(`length-tracking DataView after rab.resize: byteLength=${rdv.byteLength}, getInt32(100000)=${tryIt(() => rdv.getInt32(100000, true))}; Int32Array length=${ri.length}`);
  out.push(`little-endian host: ${new Uint8Array(new Uint16Array([1]).buffer)[0] === 1}`);
  console.log('\n### semantics checks\n' + out.map((l) => '- ' + l).join('\n'));
}
