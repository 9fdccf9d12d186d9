// How deep the stack goes: Kasane's JavaScript inside QuickJS, whose .wasm runs on Kasane's
// engine (`kasane`: global WebAssembly deleted, kasane/polyfill) or on V8 (`native`); inside,
// Kasane runs a .wat function, a WASI hello, and with --interp wabt's wasm-interp (from
// nested/build.sh) running a C hello: V8 > Kasane > QuickJS > Kasane > wasm-interp > hello.
// Usage: node dist/bench/self-host.js kasane|native [--interp]

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const mode = process.argv[2];
if (mode !== 'kasane' && mode !== 'native') throw new Error('usage: self-host.js kasane|native [--interp]');
if (mode === 'kasane') {
  delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
  await import('../src/polyfill.js');
}
const { selfHost } = await import('./lib/self-host.js');
const out = fileURLToPath(new URL('../../.cache/nested/out/', import.meta.url));
const interp = process.argv.includes('--interp')
  ? { interpreter: readFileSync(`${out}wasm-interp.wasm`), program: readFileSync(`${out}hello-c.wasm`), args: ['deep'] }
  : undefined;
const t0 = performance.now();
const r = await selfHost({ interp });
console.log(JSON.stringify({ mode, totalMs: Math.round(performance.now() - t0), ...r }, null, 1));
