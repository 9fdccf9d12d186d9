// Question 1: representation of i64 in generated JS.
//   bigint-naive : BigInt, BigInt.asIntN(64, ..) after EVERY op (incl. xor)
//   bigint-min   : BigInt, wrap only ops that can leave the signed range
//   pair-inline  : two int32 JS locals (x_lo, x_hi), ops emitted inline
//   pair-helper  : two int32 JS locals, ops as helper calls; hi half returned
//                  through a closure scratch variable H
//   wasm         : the same kernel as native WebAssembly
// Kernels are written once in a tiny 3-address form and emitted by a
// generator per representation, like the engine would.
import { wasm, compile, measure, header } from './harness.mjs';

const M64 = (1n << 64n) - 1n;
const s64 = (x) => BigInt.asIntN(64, x);
const lo32 = (c) => Number(BigInt.asIntN(32, c));
const hi32 = (c) => Number(BigInt.asIntN(32, c >> 32n));

// ---------------------------------------------------------------- emitters
function bigintEmitter(minimal) {
  const W = (e) => `BigInt.asIntN(64, ${e})`;
  const v = (a) => (typeof a === 'bigint' ? `${s64(a)}n` : a);
  return {
    prelude: '',
    decl: (names) => names.map((n) => `let ${n} = 0n;`).join(' '),
    fromI32: (d, e) => `${d} = BigInt(${e});`,
    set(d, op, a, b) {
      a = v(a); b = v(b);
      switch (op) {
        case 'mov': return `${d} = ${a};`;
        case 'add': return `${d} = ${W(`${a} + ${b}`)};`;
        case 'sub': return `${d} = ${W(`${a} - ${b}`)};`;
        case 'mul': return `${d} = ${W(`${a} * ${b}`)};`;
        case 'xor': return minimal ? `${d} = ${a} ^ ${b};` : `${d} = ${W(`${a} ^ ${b}`)};`;
        case 'shr_u':
          return minimal && /^\d+n$/.test(b) && b !== '0n'
            ? `${d} = BigInt.asUintN(64, ${a}) >> ${b};`
            : `${d} = ${W(`BigInt.asUintN(64, ${a}) >> (${b} & 63n)`)};`;
        case 'div_u': return `if (${b} === 0n) trap(); ${d} = ${W(`BigInt.asUintN(64, ${a}) / BigInt.asUintN(64, ${b})`)};`;
        case 'rem_u': return `if (${b} === 0n) trap(); ${d} = ${W(`BigInt.asUintN(64, ${a}) % BigInt.asUintN(64, ${b})`)};`;
      }
      throw new Error(op);
    },
    lt_s: (a, b) => `${v(a)} < ${v(b)}`,
    nez: (a) => `${v(a)} !== 0n`,
    ret: (a) => `return ${a};`,
  };
}

const PAIR_HELPERS = `
let H = 0;
function trap() { throw new Error('integer divide by zero'); }
function add64(alo, ahi, blo, bhi) { const lo = (alo + blo) | 0; H = (ahi + bhi + ((lo >>> 0) < (alo >>> 0) ? 1 : 0)) | 0; return lo; }
function sub64(alo, ahi, blo, bhi) { const lo = (alo - blo) | 0; H = (ahi - bhi - ((alo >>> 0) < (blo >>> 0) ? 1 : 0)) | 0; return lo; }
function mul64(alo, ahi, blo, bhi) {
  const a0 = alo & 0xffff, a1 = alo >>> 16, b0 = blo & 0xffff, b1 = blo >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  H = (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
  return (mid << 16) | (p00 & 0xffff);
}
function shr_u64(alo, ahi, k) {
  k &= 63;
  if (k === 0) { H = ahi; return alo; }
  if (k < 32) { H = ahi >>> k; return (alo >>> k) | (ahi << (32 - k)); }
  H = 0; return (ahi >>> (k - 32)) | 0;
}
function big(lo, hi) { return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0); }
// unsigned divide / remainder; rem stored in R
let R = 0;
function divrem_u64(alo, ahi, blo, bhi) {
  if ((blo | bhi) === 0) trap();
  const bu = blo >>> 0;
  if (bhi === 0 && bu < 0x200000) {          // small divisor: exact 2-step long division in doubles
    const ah = ahi >>> 0, al = alo >>> 0;
    const qh = Math.floor(ah / bu), r1 = ah - qh * bu;
    const t = r1 * 4294967296 + al;           // < 2^53
    const ql = Math.floor(t / bu);
    R = t - ql * bu;                          // rem < 2^21, hi of rem = 0
    H = qh | 0; return ql | 0;
  }
  const A = big(alo, ahi), B = big(blo, bhi);
  const q = A / B, r = A % B;
  R = Number(r & 0xffffffffn) | 0; RH = Number(r >> 32n) | 0;
  H = Number(q >> 32n) | 0; return Number(q & 0xffffffffn) | 0;
}
let RH = 0;
`;

function pairEmitter(inline) {
  const L = (a) => (typeof a === 'bigint' ? String(lo32(a)) : a + '_lo');
  const Hh = (a) => (typeof a === 'bigint' ? String(hi32(a)) : a + '_hi');
  return {
    prelude: PAIR_HELPERS,
    decl: (names) => names.map((n) => `let ${n}_lo = 0, ${n}_hi = 0;`).join(' '),
    fromI32: (d, e) => `${d}_lo = ${e} | 0; ${d}_hi = ${d}_lo >> 31;`,
    set(d, op, a, b) {
      const alo = L(a), ahi = Hh(a), blo = L(b), bhi = Hh(b), dlo = d + '_lo', dhi = d + '_hi';
      if (op === 'mov') return `${dlo} = ${alo}; ${dhi} = ${ahi};`;
      if (op === 'div_u') return `${dlo} = divrem_u64(${alo}, ${ahi}, ${blo}, ${bhi}); ${dhi} = H;`;
      if (op === 'rem_u') return `divrem_u64(${alo}, ${ahi}, ${blo}, ${bhi}); ${dlo} = R; ${dhi} = (${bhi} === 0 && (${blo} >>> 0) < 0x200000) ? 0 : RH;`;
      if (op === 'xor') return `${dlo} = ${alo} ^ ${blo}; ${dhi} = ${ahi} ^ ${bhi};`;
      if (!inline) {
        if (op === 'shr_u') return `${dlo} = shr_u64(${alo}, ${ahi}, ${blo}); ${dhi} = H;`;
        return `${dlo} = ${op}64(${alo}, ${ahi}, ${blo}, ${bhi}); ${dhi} = H;`;
      }
      switch (op) {
        case 'add': return `{ const lo = (${alo} + ${blo}) | 0; ${dhi} = (${ahi} + ${bhi} + ((lo >>> 0) < (${alo} >>> 0) ? 1 : 0)) | 0; ${dlo} = lo; }`;
        case 'sub': return `{ const lo = (${alo} - ${blo}) | 0; ${dhi} = (${ahi} - ${bhi} - ((${alo} >>> 0) < (${blo} >>> 0) ? 1 : 0)) | 0; ${dlo} = lo; }`;
        case 'shr_u': {
          if (typeof b !== 'bigint') return `${dlo} = shr_u64(${alo}, ${ahi}, ${blo}); ${dhi} = H;`;
          const k = Number(b & 63n);
          if (k === 0) return `${dlo} = ${alo}; ${dhi} = ${ahi};`;
          if (k < 32) return `${dlo} = (${alo} >>> ${k}) | (${ahi} << ${32 - k}); ${dhi} = (${ahi} >>> ${k}) | 0;`;
          return `${dlo} = (${ahi} >>> ${k - 32}) | 0; ${dhi} = 0;`;
        }
        case 'mul': {
          const bc = typeof b === 'bigint';
          const b0 = bc ? String(lo32(b) & 0xffff) : `(${blo} & 0xffff)`;
          const b1 = bc ? String(lo32(b) >>> 16) : `(${blo} >>> 16)`;
          return `{ const alo = ${alo}, ahi = ${ahi}, a0 = alo & 0xffff, a1 = alo >>> 16;
            const p00 = a0 * ${b0}, p01 = a0 * ${b1}, p10 = a1 * ${b0};
            const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
            ${dhi} = (a1 * ${b1} + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(alo, ${bhi}) + Math.imul(ahi, ${blo})) | 0;
            ${dlo} = (mid << 16) | (p00 & 0xffff); }`;
        }
      }
      throw new Error(op);
    },
    lt_s: (a, b) => `(${Hh(a)} < ${Hh(b)} || (${Hh(a)} === ${Hh(b)} && (${L(a)} >>> 0) < (${L(b)} >>> 0)))`,
    nez: (a) => `(${L(a)} | ${Hh(a)}) !== 0`,
    ret: (a) => `return BigInt.asIntN(64, big(${a}_lo, ${a}_hi));`,
  };
}

const EMITTERS = {
  'bigint-naive': bigintEmitter(false),
  'bigint-min': bigintEmitter(true),
  'pair-inline': pairEmitter(true),
  'pair-helper': pairEmitter(false),
};

function build(E, body) {
  const src = `"use strict";
function trap() { throw new Error('integer divide by zero'); }
${E.prelude}
return ${body};`;
  return compile([], src);
}

// ---------------------------------------------------------------- kernels
const K1 = 0x9E3779B97F4A7C15n, K2 = 0xBF58476D1CE4E5B9n, K3 = 0x94D049BB133111EBn;

// splitmix64 over n iterations, summing outputs.
const splitmix = (E) => `function splitmix(n) {
  ${E.decl(['x', 'z', 't', 'acc'])}
  ${E.set('x', 'mov', 12345n)}
  for (let i = 0; i < n; i = (i + 1) | 0) {
    ${E.set('x', 'add', 'x', K1)}
    ${E.set('t', 'shr_u', 'x', 30n)}
    ${E.set('z', 'xor', 'x', 't')}
    ${E.set('z', 'mul', 'z', K2)}
    ${E.set('t', 'shr_u', 'z', 27n)}
    ${E.set('z', 'xor', 'z', 't')}
    ${E.set('z', 'mul', 'z', K3)}
    ${E.set('t', 'shr_u', 'z', 31n)}
    ${E.set('z', 'xor', 'z', 't')}
    ${E.set('acc', 'add', 'acc', 'z')}
  }
  ${E.ret('acc')}
}`;
const splitmixWat = `
 (func (export "splitmix") (param $n i32) (result i64) (local $x i64) (local $z i64) (local $acc i64) (local $i i32)
  (local.set $x (i64.const 12345))
  (block $b (loop $l
    (br_if $b (i32.ge_u (local.get $i) (local.get $n)))
    (local.set $x (i64.add (local.get $x) (i64.const ${K1})))
    (local.set $z (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 30))))
    (local.set $z (i64.mul (local.get $z) (i64.const ${K2})))
    (local.set $z (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 27))))
    (local.set $z (i64.mul (local.get $z) (i64.const ${K3})))
    (local.set $z (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 31))))
    (local.set $acc (i64.add (local.get $acc) (local.get $z)))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $l)))
  (local.get $acc))`;

// 64-bit counter loop crossing the 2^32 carry boundary: acc += i; i += 1; while i <s end
const START = 3n * (1n << 32n) - 2500000n;
const counter = (E) => `function counter(n) {
  ${E.decl(['i', 'end', 'acc', 'nn'])}
  ${E.set('i', 'mov', START)}
  ${E.fromI32('nn', 'n')}
  ${E.set('end', 'add', 'i', 'nn')}
  for (;;) {
    ${E.set('acc', 'add', 'acc', 'i')}
    ${E.set('i', 'add', 'i', 1n)}
    if (!(${E.lt_s('i', 'end')})) break;
  }
  ${E.ret('acc')}
}`;
const counterWat = `
 (func (export "counter") (param $n i32) (result i64) (local $i i64) (local $end i64) (local $acc i64)
  (local.set $i (i64.const ${START}))
  (local.set $end (i64.add (local.get $i) (i64.extend_i32_u (local.get $n))))
  (loop $l
    (local.set $acc (i64.add (local.get $acc) (local.get $i)))
    (local.set $i (i64.add (local.get $i) (i64.const 1)))
    (br_if $l (i64.lt_s (local.get $i) (local.get $end))))
  (local.get $acc))`;

// u64 -> decimal digit sum (div_u / rem_u by 10), m numbers from an LCG
const digits = (E) => `function digits(m) {
  ${E.decl(['x', 'y', 'r', 's'])}
  ${E.set('x', 'mov', 7n)}
  for (let k = 0; k < m; k = (k + 1) | 0) {
    ${E.set('x', 'mul', 'x', K2)}
    ${E.set('x', 'add', 'x', K1)}
    ${E.set('y', 'mov', 'x')}
    while (${E.nez('y')}) {
      ${E.set('r', 'rem_u', 'y', 10n)}
      ${E.set('s', 'add', 's', 'r')}
      ${E.set('y', 'div_u', 'y', 10n)}
    }
  }
  ${E.set('s', 'xor', 's', 'x')}
  ${E.ret('s')}
}`;
const digitsWat = `
 (func (export "digits") (param $m i32) (result i64) (local $x i64) (local $y i64) (local $s i64) (local $k i32)
  (local.set $x (i64.const 7))
  (block $b (loop $l
    (br_if $b (i32.ge_u (local.get $k) (local.get $m)))
    (local.set $x (i64.add (i64.mul (local.get $x) (i64.const ${K2})) (i64.const ${K1})))
    (local.set $y (local.get $x))
    (block $b2 (loop $l2
      (br_if $b2 (i64.eqz (local.get $y)))
      (local.set $s (i64.add (local.get $s) (i64.rem_u (local.get $y) (i64.const 10))))
      (local.set $y (i64.div_u (local.get $y) (i64.const 10)))
      (br $l2)))
    (local.set $k (i32.add (local.get $k) (i32.const 1)))
    (br $l)))
  (i64.xor (local.get $s) (local.get $x)))`;

// ---------------------------------------------------------------- boundary
// f(a, b) = a * K2 + b, called from a loop: acc = f(acc, i64(i)).
// "noinline" pads the callee with dead code so V8 will not inline it
// (max inlined bytecode size is 460 bytes), measuring a real call.
function pad(cond) {
  let s = `if (${cond}) { let q = 0;`;
  for (let i = 0; i < 70; i++) s += ` q = (q + Math.imul(q, ${i + 3}) + ${i}) | 0;`;
  return s + ' sink = q; }';
}
function boundary(kind, noinline) {
  const P = noinline;
  const mulAdd = `const a0 = alo & 0xffff, a1 = alo >>> 16;
    const p00 = a0 * ${lo32(K2) & 0xffff}, p01 = a0 * ${lo32(K2) >>> 16}, p10 = a1 * ${lo32(K2) & 0xffff};
    const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
    let hi = (a1 * ${lo32(K2) >>> 16} + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(alo, ${hi32(K2)}) + Math.imul(ahi, ${lo32(K2)})) | 0;
    let lo = (mid << 16) | (p00 & 0xffff);
    const l2 = (lo + blo) | 0; hi = (hi + bhi + ((l2 >>> 0) < (lo >>> 0) ? 1 : 0)) | 0; lo = l2;`;
  let fn, loop;
  switch (kind) {
    case 'bigint':
      fn = `function f(a, b) { ${P ? pad('a === 17n') : ''} return BigInt.asIntN(64, BigInt.asIntN(64, a * ${s64(K2)}n) + b); }`;
      loop = `let acc = 1n; for (let i = 0; i < n; i++) acc = f(acc, BigInt(i)); return acc;`;
      break;
    case 'pair-scratch':
      fn = `function f(alo, ahi, blo, bhi) { ${P ? pad('alo === 17.5') : ''} ${mulAdd} H = hi; return lo; }`;
      loop = `let alo = 1, ahi = 0; for (let i = 0; i < n; i++) { alo = f(alo, ahi, i, 0); ahi = H; } return BigInt.asIntN(64, (BigInt(ahi >>> 0) << 32n) | BigInt(alo >>> 0));`;
      break;
    case 'pair-array':
      fn = `function f(alo, ahi, blo, bhi) { ${P ? pad('alo === 17.5') : ''} ${mulAdd} return [lo, hi]; }`;
      loop = `let alo = 1, ahi = 0; for (let i = 0; i < n; i++) { const r = f(alo, ahi, i, 0); alo = r[0]; ahi = r[1]; } return BigInt.asIntN(64, (BigInt(ahi >>> 0) << 32n) | BigInt(alo >>> 0));`;
      break;
    case 'pair-object':
      fn = `function f(alo, ahi, blo, bhi) { ${P ? pad('alo === 17.5') : ''} ${mulAdd} return { lo, hi }; }`;
      loop = `let alo = 1, ahi = 0; for (let i = 0; i < n; i++) { const r = f(alo, ahi, i, 0); alo = r.lo; ahi = r.hi; } return BigInt.asIntN(64, (BigInt(ahi >>> 0) << 32n) | BigInt(alo >>> 0));`;
      break;
  }
  return compile([], `"use strict"; let H = 0, sink = 0; ${fn} return function run(n) { ${loop} };`);
}
const boundaryWat = `
 (func $f (param $a i64) (param $b i64) (result i64) (i64.add (i64.mul (local.get $a) (i64.const ${K2})) (local.get $b)))
 (func (export "boundary") (param $n i32) (result i64) (local $acc i64) (local $i i32)
  (local.set $acc (i64.const 1))
  (block $b (loop $l
    (br_if $b (i32.ge_u (local.get $i) (local.get $n)))
    (local.set $acc (call $f (local.get $acc) (i64.extend_i32_u (local.get $i))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $l)))
  (local.get $acc))
 (func (export "f") (param $a i64) (param $b i64) (result i64) (call $f (local.get $a) (local.get $b)))`;

// ---------------------------------------------------------------- main
header('Q1 i64 representation');
const W = wasm(`(module ${splitmixWat} ${counterWat} ${digitsWat} ${boundaryWat})`);
const N_SPLIT = 10_000_000, N_COUNT = 20_000_000, M_DIG = 300_000, N_CALL = 10_000_000;

const norm = (r) => String(BigInt.asIntN(64, BigInt(r)));
for (const [title, gen, n, wname] of [
  [`splitmix64 hash loop, ${N_SPLIT} iterations`, splitmix, N_SPLIT, 'splitmix'],
  [`64-bit counter loop (add + lt_s), ${N_COUNT} iterations`, counter, N_COUNT, 'counter'],
  [`u64 decimal digit sum (div_u/rem_u by 10), ${M_DIG} numbers (~${(M_DIG * 19 / 1e6).toFixed(1)}M div+rem)`, digits, M_DIG, 'digits'],
]) {
  const variants = Object.entries(EMITTERS).map(([name, E]) => {
    const f = build(E, gen(E));
    return { name, run: () => f(n), norm };
  });
  variants.push({ name: 'wasm', run: () => W[wname](n), norm });
  measure(title, variants, { ref: 'wasm' });
}

const bvars = [];
for (const noinline of [false, true]) {
  for (const kind of ['bigint', 'pair-scratch', 'pair-array', 'pair-object']) {
    const f = boundary(kind, noinline);
    bvars.push({ name: `${kind}${noinline ? ' (not inlined)' : ' (inlinable)'}`, run: () => f(N_CALL), norm });
  }
}
bvars.push({ name: 'wasm (internal call)', run: () => W.boundary(N_CALL), norm });
{
  const wf = W.f;
  bvars.push({
    name: 'JS->wasm export call, BigInt args',
    run: () => { let acc = 1n; for (let i = 0; i < N_CALL; i++) acc = wf(acc, BigInt(i)); return acc; },
    norm,
  });
}
measure(`i64 call boundary: acc = f(acc, i) with f = a*K + b, ${N_CALL} calls`, bvars, { ref: 'wasm (internal call)' });
