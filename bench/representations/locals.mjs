// Question 4: Wasm locals and operand-stack slots in generated JS.
// One kernel (a SHA-256-like round over 8 state words + counter + temp = 10
// i32 locals) is written ONCE as flat Wasm stack code; generators emit:
//   let-temps   : a JS `let` per local and per stack slot (s0, s1, ...)
//   let-folded  : a JS `let` per local; stack tracked symbolically and folded
//                 into expressions (spilled to temps only when a local.set
//                 would change a pending value)
//   int32array  : locals and stack in Int32Array L[k] / S[d]
//   plain-array : locals and stack in JS arrays
import { wasm, compile, measure, header } from './harness.mjs';

const BODY = `
  local.get 4 i32.const 6 i32.rotl local.get 4 i32.const 11 i32.rotl i32.xor local.get 4 i32.const 25 i32.rotl i32.xor
  local.get 4 local.get 5 i32.and local.get 4 i32.const -1 i32.xor local.get 6 i32.and i32.xor i32.add
  local.get 7 i32.add local.get 8 i32.const 0x428a2f98 i32.mul i32.add local.set 9
  local.get 6 local.set 7 local.get 5 local.set 6 local.get 4 local.set 5
  local.get 3 local.get 9 i32.add local.set 4
  local.get 2 local.set 3 local.get 1 local.set 2 local.get 0 local.set 1
  local.get 9 local.get 1 i32.const 2 i32.rotl local.get 1 i32.const 13 i32.rotl i32.xor
  local.get 1 local.get 2 i32.and local.get 1 local.get 3 i32.and i32.xor local.get 2 local.get 3 i32.and i32.xor i32.add i32.add local.set 0
  local.get 8 i32.const 1 i32.add local.tee 8 local.get 10 i32.lt_u`; // condition left on the stack
const NLOC = 11; // 10 locals + param n (index 10)

function tokens() {
  const t = BODY.trim().split(/\s+/); const out = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === 'local.get' || t[i] === 'local.set' || t[i] === 'local.tee' || t[i] === 'i32.const') out.push([t[i], Number(t[++i])]);
    else out.push([t[i]]);
  }
  return out;
}
function binop(op, a, b, bconst) {
  switch (op) {
    case 'i32.add': return `(${a} + ${b}) | 0`;
    case 'i32.mul': return `Math.imul(${a}, ${b})`;
    case 'i32.xor': return `${a} ^ ${b}`;
    case 'i32.and': return `${a} & ${b}`;
    case 'i32.lt_u': return `(${a} >>> 0) < (${b} >>> 0) ? 1 : 0`;
    case 'i32.rotl': return bconst != null ? `(${a} << ${bconst & 31}) | (${a} >>> ${(32 - bconst) & 31})` : `(${a} << (${b} & 31)) | (${a} >>> ((32 - ${b}) & 31))`;
  }
  throw new Error(op);
}
function gen(mode) {
  const LOC = (k) => (mode === 'int32array' || mode === 'plain-array' ? `L[${k}]` : `l${k}`);
  const SLOT = (d) => (mode === 'int32array' || mode === 'plain-array' ? `S[${d}]` : `s${d}`);
  let code = '';
  let cond;
  if (mode === 'let-folded') {
    const st = []; let ntmp = 0; const temps = [];
    const lit = []; // constant value or null per stack entry
    for (const [op, arg] of tokens()) {
      if (op === 'local.get') { st.push(LOC(arg)); lit.push(null); }
      else if (op === 'i32.const') { st.push(String(arg | 0)); lit.push(arg | 0); }
      else if (op === 'local.set' || op === 'local.tee') {
        const v = st.pop(); lit.pop();
        const re = new RegExp(`\\bl${arg}\\b`);
        for (let i = 0; i < st.length; i++) if (re.test(st[i])) { const t = `t${ntmp++}`; temps.push(t); code += `${t} = ${st[i]};\n`; st[i] = t; }
        code += `${LOC(arg)} = ${v};\n`;
        if (op === 'local.tee') { st.push(LOC(arg)); lit.push(null); }
      } else {
        const b = st.pop(), bl = lit.pop(), a = st.pop(); lit.pop();
        st.push(`(${binop(op, a, b, bl)})`); lit.push(null);
      }
    }
    cond = st.pop();
    return { decl: `let ${[...Array(NLOC - 1).keys()].map((k) => `l${k} = 0`).join(', ')}; let ${temps.length ? temps.join(', ') : '_t'};`, code, cond };
  }
  let d = 0;
  for (const [op, arg] of tokens()) {
    if (op === 'local.get') code += `${SLOT(d++)} = ${LOC(arg)};\n`;
    else if (op === 'i32.const') code += `${SLOT(d++)} = ${arg | 0};\n`;
    else if (op === 'local.set') code += `${LOC(arg)} = ${SLOT(--d)};\n`;
    else if (op === 'local.tee') code += `${LOC(arg)} = ${SLOT(d - 1)};\n`;
    else { d--; code += `${SLOT(d - 1)} = ${binop(op, SLOT(d - 1), SLOT(d))};\n`; }
  }
  cond = SLOT(--d);
  const decl = mode === 'let-temps'
    ? `let ${[...Array(NLOC - 1).keys()].map((k) => `l${k} = 0`).join(', ')}; let ${[...Array(12).keys()].map((k) => `s${k} = 0`).join(', ')};`
    : mode === 'int32array' ? 'const L = new Int32Array(11), S = new Int32Array(16);' : 'const L = new Array(11).fill(0), S = new Array(16).fill(0);';
  return { decl, code, cond };
}
function build(mode) {
  const { decl, code, cond } = gen(mode);
  const init = (k, v) => (mode === 'int32array' || mode === 'plain-array' ? `L[${k}] = ${v};` : `l${k} = ${v};`);
  const nParam = mode === 'int32array' || mode === 'plain-array' ? 'L[10] = n;' : 'const l10 = n;';
  const R = (k) => (mode === 'int32array' || mode === 'plain-array' ? `L[${k}]` : `l${k}`);
  const src = `"use strict"; return function kernel(n) {
    ${decl} ${nParam}
    ${[0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19].map((v, k) => init(k, v | 0)).join(' ')}
    do {
      ${code}
    } while (${cond});
    return ${R(0)} ^ ${R(4)} ^ ${R(7)};
  };`;
  return compile([], src);
}

header('Q4 locals and operand stack');
const W = wasm(`(module (func (export "kernel") (param $n i32) (result i32)
  (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
  (local.set 1 (i32.const ${0x6a09e667 | 0})) (local.set 2 (i32.const ${0xbb67ae85 | 0})) (local.set 3 (i32.const ${0x3c6ef372 | 0})) (local.set 4 (i32.const ${0xa54ff53a | 0}))
  (local.set 5 (i32.const ${0x510e527f | 0})) (local.set 6 (i32.const ${0x9b05688c | 0})) (local.set 7 (i32.const ${0x1f83d9ab | 0})) (local.set 8 (i32.const ${0x5be0cd19 | 0}))
  (loop $l ${BODY.replace(/local\.(get|set|tee) (\d+)/g, (m, k, i) => `local.${k} ${Number(i) === 10 ? 0 : Number(i) + 1}`)} br_if $l)
  (i32.xor (i32.xor (local.get 1) (local.get 5)) (local.get 8))))`);
const N = 10_000_000;
measure(`SHA-like round loop with 10 i32 locals, ${N} iterations`, [
  ...['let-temps', 'let-folded', 'int32array', 'plain-array'].map((m) => { const f = build(m); return { name: m, run: () => f(N) }; }),
  { name: 'wasm', run: () => W.kernel(N) },
], { ref: 'wasm' });
