// DataView access with the unsigned address form `(a >>> 0) + off` against `a + off`.
const dv = new DataView(new ArrayBuffer(1 << 20));
const cases = {
  unsigned: new Function('dv', `return function (n) { let s = 0, a = 0; for (let i = 0; i < n; i++) { a = (i * 4) & 0xffff0; s = (s + dv.getInt32((a >>> 0) + 8, true)) | 0; dv.setInt32((a >>> 0) + 4, s, true); } return s; }`)(dv),
  signed: new Function('dv', `return function (n) { let s = 0, a = 0; for (let i = 0; i < n; i++) { a = (i * 4) & 0xffff0; s = (s + dv.getInt32(a + 8, true)) | 0; dv.setInt32(a + 4, s, true); } return s; }`)(dv),
};
for (let r = 0; r < 3; r++) for (const [k, f] of Object.entries(cases)) {
  const t = performance.now(); f(3e7); console.log(k, (performance.now() - t).toFixed(0), 'ms');
}
