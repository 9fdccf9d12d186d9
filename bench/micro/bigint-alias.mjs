// Does calling BigInt.asIntN through a factory-level alias (`const N = BigInt.asIntN`) cost
// against calling it by name? (generated code uses the alias)
const mk = (body) => new Function(body)();
const aliased = mk(`const N = BigInt.asIntN; return function (n) { let x = 1n, y = 3n; for (let i = 0; i < n; i++) { x = N(64, x * 6364136223846793005n + y); y = N(64, y + x); } return x; }`);
const direct = mk(`return function (n) { let x = 1n, y = 3n; for (let i = 0; i < n; i++) { x = BigInt.asIntN(64, x * 6364136223846793005n + y); y = BigInt.asIntN(64, y + x); } return x; }`);
for (const [name, f] of [['aliased', aliased], ['direct', direct], ['aliased', aliased], ['direct', direct]]) {
  const t = performance.now(); f(3e6); console.log(name, (performance.now() - t).toFixed(0), 'ms');
}
