// i64 as int32 pairs (lo, hi) against BigInt, op by op, in the forms the code generator
// (src/engine/codegen/i64.ts) emits; and where a callee puts the hi word of an i64 result.
//   add   : carry by an unsigned compare of the low words, or by a double sum
//   mul   : high word of the low words' product by 16-bit limbs, by two 32x16-bit double
//           products, or by rounding a double product (Math.imul gives the low word)
//   rotl  : variable count, inline
//   div   : u64 / u32 in doubles (helpers), against BigInt division
//   conv  : BigInt <-> pair at the boundary
//   calls : i64 argument and result through a callee V8 does not inline: BigInt, or pair with
//           the hi word in a shared object's field, an Int32Array element, or a closure variable
// Each kernel checks that all its variants agree, then times them interleaved (harness.mjs).
import { compile, measure, header } from './harness.mjs';

const N = Number(process.env.N || 5e6);
const big = (lo, hi) => (BigInt(hi) << 32n) | BigInt(lo >>> 0);

header('i64 pairs vs BigInt');

// ---- add: 64-bit counter stepping by an odd constant, compared against a limit ----
{
  const carryCmp = compile(['n'], `return function () { let a = 1, ah = 0, s = 0;
    for (let i = 0; i < n; i++) { const t = (a + 0x9e3779b9) | 0; ah = (ah + 0x7f4a7c15 + ((t >>> 0) < (a >>> 0) ? 1 : 0)) | 0; a = t;
      if (ah < 0x12345678 || (ah === 0x12345678 && (a >>> 0) < 5)) s = (s + 1) | 0; }
    return String(${'(BigInt(ah) << 32n) | BigInt(a >>> 0)'}) + ':' + s; }`, N);
  const carryDbl = compile(['n'], `return function () { let a = 1, ah = 0, s = 0;
    for (let i = 0; i < n; i++) { const d = (a >>> 0) + 0x9e3779b9; ah = (ah + 0x7f4a7c15 + (d > 4294967295 ? 1 : 0)) | 0; a = d | 0;
      if (ah < 0x12345678 || (ah === 0x12345678 && (a >>> 0) < 5)) s = (s + 1) | 0; }
    return String(${'(BigInt(ah) << 32n) | BigInt(a >>> 0)'}) + ':' + s; }`, N);
  const bigint = compile(['n'], `return function () { let x = 1n, s = 0;
    for (let i = 0; i < n; i++) { x = BigInt.asIntN(64, x + 0x7f4a7c159e3779b9n); if (x < 0x1234567800000005n) s = (s + 1) | 0; }
    return String(x) + ':' + s; }`, N);
  measure(`add + lt_s, ${N / 1e6}M iterations`, [
    { name: 'pair, carry (t>>>0)<(a>>>0)', run: carryCmp },
    { name: 'pair, carry via double sum', run: carryDbl },
    { name: 'bigint', run: bigint },
  ], { ref: 'bigint' });
}

// ---- mul: x = x * K + y; y ^= x (splitmix-like), both operands variable ----
{
  const hiLimbs = (a, b) => `(((${a} >>> 16) * (${b} >>> 16)) + (((${a} & 0xffff) * (${b} >>> 16)) >>> 16) + (((${a} >>> 16) * (${b} & 0xffff)) >>> 16) +
    (((((${a} & 0xffff) * (${b} & 0xffff)) >>> 16) + (((${a} & 0xffff) * (${b} >>> 16)) & 0xffff) + (((${a} >>> 16) * (${b} & 0xffff)) & 0xffff)) >>> 16))`;
  const hiRound = (a, b, lo) => `((((${a} >>> 0) * (${b} >>> 0) - (${lo} >>> 0)) / 4294967296 + 0.5) | 0)`;
  const body = (hi) => `return function () { let x = 0x12345, xh = 0x6789, y = 0x2545f491, yh = 0x4f6cdd1d;
    for (let i = 0; i < n; i++) {
      const l = Math.imul(x, y); const h = (${hi('x', 'y', 'l')} + Math.imul(x, yh) + Math.imul(xh, y)) | 0;
      x = (l + i) | 0; xh = (h + ((x >>> 0) < (l >>> 0) ? 1 : 0)) | 0; y = y ^ xh; yh = yh ^ x; }
    return String((BigInt(xh) << 32n) | BigInt(x >>> 0)); }`;
  // floor(a*b / 2^32) = floor((floor(a*b0 / 2^16) + a*b1) / 2^16) for b = b1*2^16 + b0: exact.
  const hiTwo = (a, b) => `Math.floor((Math.floor((${a} >>> 0) * (${b} & 0xffff) / 65536) + (${a} >>> 0) * (${b} >>> 16)) / 65536)`;
  const two = compile(['n'], body(hiTwo), N);
  // The same with the divisions by 2^16 written as multiplications by 2^-16 (exact).
  const hiTwoMul = (a, b) => `Math.floor((Math.floor((${a} >>> 0) * (${b} & 0xffff) * 1.52587890625e-5) + (${a} >>> 0) * (${b} >>> 16)) * 1.52587890625e-5)`;
  const twoMul = compile(['n'], body(hiTwoMul), N);
  const limbs = compile(['n'], body(hiLimbs), N);
  const round = compile(['n'], body(hiRound), N);
  const bigint = compile(['n'], `return function () { let x = 0x678900012345n, y = 0x4f6cdd1d2545f491n;
    for (let i = 0; i < n; i++) { x = BigInt.asIntN(64, x * y + BigInt(i)); y = y ^ BigInt.asIntN(64, (x << 32n) | BigInt.asUintN(64, x) >> 32n); }
    return String(x); }`, N);
  measure(`mul (both operands variable), ${N / 1e6}M iterations`, [
    { name: 'pair, 16-bit limbs', run: limbs },
    { name: 'pair, two 32x16-bit double products', run: two },
    { name: 'pair, two 32x16-bit double products, * 2^-16', run: twoMul },
    { name: 'pair, imul + rounded double', run: round },
    { name: 'bigint', run: bigint },
  ], { ref: 'bigint' });
}

// ---- rotl by a variable count ----
{
  const pair = compile(['n'], `return function () { let a = 0x12345678, ah = 0x0fedcba9, s = 0;
    for (let i = 0; i < n; i++) { const q = i & 63, c = q & 31; let x = a, y = ah; if (q & 32) { x = ah; y = a; }
      a = (x << c) | ((y >>> 1) >>> (31 - c)); ah = (y << c) | ((x >>> 1) >>> (31 - c)); a = (a + 1) | 0; s ^= ah; }
    return String((BigInt(ah) << 32n) | BigInt(a >>> 0)) + ':' + s; }`, N);
  const bigint = compile(['n'], `return function () { let x = 0x0fedcba912345678n, s = 0;
    for (let i = 0; i < n; i++) { const k = BigInt(i) & 63n, u = BigInt.asUintN(64, x);
      x = BigInt.asIntN(64, (u << k) | (u >> ((64n - k) & 63n))); x = BigInt.asIntN(64, (x & ~0xffffffffn) | BigInt.asUintN(32, x + 1n)); s ^= Number(x >> 32n); }
    return String(x) + ':' + s; }`, N);
  measure(`rotl (variable count), ${N / 1e6}M iterations`, [
    { name: 'pair inline', run: pair },
    { name: 'bigint', run: bigint },
  ], { ref: 'bigint' });
}

// ---- div_u: 64-bit dividend, divisor below 2^32 ----
{
  const digits16 = `
    let H = 0;
    function divU(a, ah, b) { // b: a u32 divisor, not 0; three divisions on 32+16+16 bits
      const B = b >>> 0, A1 = ah >>> 0, A0 = a >>> 0;
      const qh = Math.floor(A1 / B); let r = A1 - qh * B;
      let n = r * 65536 + (A0 >>> 16); const q1 = Math.floor(n / B); r = n - q1 * B;
      n = r * 65536 + (A0 & 0xffff); const q0 = Math.floor(n / B);
      H = qh | 0; return (q1 * 65536 + q0) | 0; }`;
  const split53 = (recip) => `
    let H = 0;
    function divU(a, ah, b) { // two steps: the top 53 bits, then 11 more (as engine/i64.ts)
      const B = b >>> 0; ${recip ? 'const inv = 1 / B;' : ''}
      const t = (ah >>> 0) * 2097152 + (a >>> 11);
      const q1 = Math.floor(t / B);
      const n = (t - q1 * B) * 2048 + (a & 2047);
      ${recip ? 'let q0 = Math.floor(n * inv); if (n - q0 * B >= B) q0++;' : 'const q0 = Math.floor(n / B);'}
      const q1h = Math.floor(q1 / 2097152);
      H = q1h | 0; return ((q1 - q1h * 2097152) * 2048 + q0) | 0; }`;
  const loop = `return function () { let x = 0x9e3779b9, xh = 0x7f4a7c15, s = 0;
    for (let i = 0; i < n; i++) { const d = (i * 2654435761 >>> 8) | 1; const q = divU(x, xh, d), qh = H;
      s = (s + q + qh) | 0; x = (x + 0x6a09e667) | 0; xh = (xh ^ q) | 0; }
    return s; }`;
  const bigint = compile(['n'], `return function () { let x = 0x7f4a7c159e3779b9n, s = 0;
    for (let i = 0; i < n; i++) { const d = BigInt((i * 2654435761 >>> 8) | 1); const q = BigInt.asUintN(64, x) / d;
      s = (s + Number(BigInt.asIntN(32, q)) + Number(BigInt.asIntN(32, q >> 32n))) | 0;
      x = BigInt.asIntN(64, (x & ~0xffffffffn) | BigInt.asUintN(32, x + 0x6a09e667n)); x = x ^ (BigInt.asIntN(32, q) << 32n); x = BigInt.asIntN(64, x); }
    return s; }`, N);
  measure(`div_u (u64 / u32), ${N / 1e6}M iterations`, [
    { name: 'pair, 32+16+16-bit digits (3 divisions)', run: compile(['n'], digits16 + loop, N) },
    { name: 'pair, 53+11 bits (2 divisions)', run: compile(['n'], split53(false) + loop, N) },
    { name: 'pair, 53+11 bits, reciprocal for the 2nd', run: compile(['n'], split53(true) + loop, N) },
    { name: 'bigint', run: bigint },
  ], { ref: 'bigint' });
}

// ---- calls: acc = f(acc, i) with f = a * 5 + b, f not inlined (padded) ----
{
  const pad = Array.from({ length: 60 }, (_, k) => `if (a === ${k + 1234567} && b === ${k}) throw new Error("x${k}");`).join(' ');
  const mk = (kind) => {
    if (kind === 'bigint') {
      return compile(['n'], `function f(a, b) { ${pad.replace(/=== (\d+) &&/g, '=== $1n &&')} return BigInt.asIntN(64, a * 5n + b); }
        return function () { let x = 1n; for (let i = 0; i < n; i++) x = f(x, BigInt(i)); return String(x); }`, N);
    }
    const set = { obj: 'X.h = ', ta: 'XA[0] = ', closure: 'XH = ' }[kind];
    const get = { obj: 'X.h', ta: 'XA[0]', closure: 'XH' }[kind];
    // f and the loop are separate closures sharing only the register, as generated functions are.
    const shared = { X: { h: 0 }, XA: new Int32Array(1) };
    const f = compile(['X', 'XA'], `let XH = 0; function f(a, ah, b, bh) { ${pad}
        const l = Math.imul(a, 5), t = (l + b) | 0;
        const h = ((((a >>> 0) * 5 - (l >>> 0)) / 4294967296 + 0.5) | 0) + Math.imul(ah, 5) + bh + ((t >>> 0) < (l >>> 0) ? 1 : 0);
        ${set}h | 0; return t; }
        return { f, get XH() { return XH; } };`, shared.X, shared.XA);
    if (kind === 'closure') {
      // A closure variable is only visible inside its own closure: both functions in one.
      return compile(['n'], `let XH = 0; function f(a, ah, b, bh) { ${pad}
        const l = Math.imul(a, 5), t = (l + b) | 0;
        const h = ((((a >>> 0) * 5 - (l >>> 0)) / 4294967296 + 0.5) | 0) + Math.imul(ah, 5) + bh + ((t >>> 0) < (l >>> 0) ? 1 : 0);
        XH = h | 0; return t; }
        return function () { let x = 1, xh = 0; for (let i = 0; i < n; i++) { x = f(x, xh, i, 0); xh = XH; } return String((BigInt(xh) << 32n) | BigInt(x >>> 0)); }`, N);
    }
    return compile(['n', 'F', 'X', 'XA'], `const f = F.f; return function () { let x = 1, xh = 0;
      for (let i = 0; i < n; i++) { x = f(x, xh, i, 0); xh = ${get}; } return String((BigInt(xh) << 32n) | BigInt(x >>> 0)); }`, N, f, shared.X, shared.XA);
  };
  measure(`i64 call f(acc, i) not inlined, ${N / 1e6}M calls`, [
    { name: 'bigint args and result', run: mk('bigint') },
    { name: 'pair, hi in a shared object field', run: mk('obj') },
    { name: 'pair, hi in a shared Int32Array', run: mk('ta') },
    { name: 'pair, hi in a closure variable (one closure)', run: mk('closure') },
  ], { ref: 'bigint args and result' });
}

// ---- boundary conversions: BigInt <-> pair ----
{
  const dv = new DataView(new ArrayBuffer(8));
  const toPairArith = compile(['n'], `return function () { let s = 0, x = 0x123456789abcdefn;
    for (let i = 0; i < n; i++) { const lo = Number(BigInt.asIntN(32, x)), hi = Number(x >> 32n); s = (s + lo + hi) | 0; x = x ^ BigInt(i); } return s; }`, N);
  const toPairDv = compile(['n', 'dv'], `return function () { let s = 0, x = 0x123456789abcdefn;
    for (let i = 0; i < n; i++) { dv.setBigInt64(0, x, true); const lo = dv.getInt32(0, true), hi = dv.getInt32(4, true); s = (s + lo + hi) | 0; x = x ^ BigInt(i); } return s; }`, N, dv);
  measure(`BigInt -> pair, ${N / 1e6}M`, [
    { name: 'Number(asIntN(32, x)), Number(x >> 32n)', run: toPairArith },
    { name: 'DataView setBigInt64 + 2 getInt32', run: toPairDv },
  ]);
  const fromPairArith = compile(['n'], `return function () { let s = 0n;
    for (let i = 0; i < n; i++) { const x = (BigInt(i ^ 0x5bd1e995) << 32n) | BigInt((i * 7) >>> 0); s ^= x; } return String(s); }`, N);
  const fromPairDv = compile(['n', 'dv'], `return function () { let s = 0n;
    for (let i = 0; i < n; i++) { dv.setInt32(0, (i * 7) | 0, true); dv.setInt32(4, i ^ 0x5bd1e995, true); s ^= dv.getBigInt64(0, true); } return String(s); }`, N, dv);
  measure(`pair -> BigInt, ${N / 1e6}M`, [
    { name: '(BigInt(hi) << 32n) | BigInt(lo >>> 0)', run: fromPairArith },
    { name: 'DataView 2 setInt32 + getBigInt64', run: fromPairDv },
  ]);
}
void big;
