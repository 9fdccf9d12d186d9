// Which i64 (BigInt) forms does this V8 compile without allocating? ns per loop iteration.
const mk = (body) => new Function(`const N = BigInt.asIntN, U = BigInt.asUintN; return function (n) { let x = 0x123456789n, y = 7n; for (let i = 0; i < n; i++) { ${body} } return x; }`)();
const base = 'x = N(64, (x ^ y) * 0x2545f4914f6cdd1dn + 1n);';
const src = {
  base: base,
  'U>>k': `y = U(64, x) >> 30n; ${base}`,
  'N(x>>k)': `y = x >> 30n; ${base}`,
  'N(x<<k)': `y = N(64, x << 25n); ${base}`,
  'x/2^k': `y = U(64, x) / 1073741824n; ${base}`,
  'x===0n': `y = x === 0n ? 1n : 2n; ${base}`,
  'x<y': `y = x < y ? 1n : 2n; ${base}`,
  'Number(N32)': `y = BigInt(Number(N(32, x)) | 0); ${base}`,
  'BigInt(i)': `y = BigInt(i); ${base}`,
};
const cases = Object.fromEntries(Object.entries(src).map(([k, b]) => [k, mk(b)]));
const n = 2e6;
for (let r = 0; r < 2; r++) for (const [k, f] of Object.entries(cases)) {
  const t = performance.now(); f(n); if (r) console.log(k.padEnd(14), ((performance.now() - t) * 1e6 / n).toFixed(1), 'ns');
}
