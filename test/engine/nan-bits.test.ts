// Signalling NaNs keep their bits through Kasane's float helpers and f64.store, also in hot
// code. The hazard is browser-specific (Chromium's V8 quiets signalling NaNs passed to an
// optimized DataView.setFloat64; test/browser/ checks it there), so here the same code paths
// are checked for exact bits, the bounds behaviour of the NaN store, and warm-up.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wat2wasm, WebAssembly as K } from '../../src/index.js';
import { f32Bits, f32FromBits, f64Bits, f64FromBits, fabs, fcopysign, fneg } from '../../src/engine/runtime.js';
import { parseWat } from '../../src/text/module.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { instantiateModule } from '../../src/engine/instantiate.js';
import { fn, traps } from './helpers.js';

test('float bit helpers keep signalling NaN payloads after warm-up', () => {
  for (let i = 0; i < 100_000; i++) { f32Bits(i * 0.5); f64Bits(i * 0.5); fneg(i); fabs(-i); }
  const s32 = 0x7fa00001, s64 = 0x7ff4000000000001n;
  assert.equal(f32Bits(f32FromBits(s32)), s32);
  assert.equal(f64Bits(f64FromBits(s64)), s64);
  assert.equal(f64Bits(fneg(f64FromBits(s64))), BigInt.asIntN(64, s64 | 1n << 63n));
  assert.equal(f64Bits(fabs(fneg(f64FromBits(s64)))), s64);
  assert.equal(f64Bits(fcopysign(f64FromBits(s64), -1)), BigInt.asIntN(64, s64 | 1n << 63n));
  assert.equal(f32Bits(fneg(f32FromBits(s32))), (s32 | 0x80000000) | 0);
});

test('f64.store of a NaN: exact bits, and a store out of bounds writes nothing', async () => {
  const { instance } = await K.instantiate(wat2wasm(`(module (memory (export "m") 1)
    (func (export "store") (param $a i32) (param $bits i64) (f64.store (local.get $a) (f64.reinterpret_i64 (local.get $bits))))
    (func (export "load") (param $a i32) (result i64) (i64.load (local.get $a)))
    (func (export "hot") (param $n i32) (result i32) (local $i i32) (local $bad i32)
      (loop $l
        (f64.store (i32.const 0) (f64.convert_i32_s (local.get $i)))
        (f64.store (i32.const 8) (f64.reinterpret_i64 (i64.const 0x7ff4000000000001)))
        (if (i64.ne (i64.load (i32.const 8)) (i64.const 0x7ff4000000000001)) (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (local.get $bad)))`));
  const x = instance.exports as Record<string, (...a: unknown[]) => unknown>;
  for (const bits of [0x7ff4000000000001n, -0x000c000000000000n /* 0xfff4... */, 0x7ff8000000000000n, 0x3ff0000000000000n]) {
    x.store(16, bits);
    assert.equal(x.load(16), bits);
  }
  x.store(65528, 0x1111111111111111n);
  assert.throws(() => x.store(65532, 0x7ff4000000000001n), (e: unknown) => e instanceof K.RuntimeError && e.message === 'out of bounds memory access');
  assert.equal(x.load(65528), 0x1111111111111111n, 'the trapping store wrote nothing');
  assert.equal(x.hot(200_000), 0);
});

test('stores of arithmetic results skip the NaN path (their NaNs are quiet); other float stores keep it', () => {
  const m = parseWat(`(module (memory 1)
    (func (export "sum64") (param $a i32) (param $x i64) (param $y f64)
      (f64.store (local.get $a) (f64.add (f64.reinterpret_i64 (local.get $x)) (local.get $y))))
    (func (export "raw64") (param $a i32) (param $x i64)
      (f64.store (local.get $a) (f64.reinterpret_i64 (local.get $x))))
    (func (export "sum32") (param $a i32) (param $x i32) (param $y f32)
      (f32.store (local.get $a) (f32.mul (f32.reinterpret_i32 (local.get $x)) (local.get $y))))
    (func (export "raw32") (param $a i32) (param $x f32) (f32.store (local.get $a) (local.get $x)))
    (func (export "const64") (param $a i32) (f64.store (local.get $a) (f64.const nan:0x4000000000001)))
    (func (export "load64") (param $a i32) (result i64) (i64.load (local.get $a)))
    (func (export "load32") (param $a i32) (result i32) (i32.load (local.get $a))))`);
  validateModule(m);
  const cm = compileModule(m);
  const [sum64, raw64, sum32, raw32, const64] = [0, 1, 2, 3, 4].map((i) => cm.source(i));
  assert.ok(!sum64.includes('f64storeNaN') && sum64.includes('setFloat64'), sum64);
  assert.ok(raw64.includes('f64storeNaN'), raw64);
  assert.ok(const64.includes('f64storeNaN'), 'a NaN constant may be signalling');
  assert.ok(!sum32.includes('R.f32store') && sum32.includes('setFloat32'), sum32);
  assert.ok(raw32.includes('R.f32store'), raw32);

  const i = instantiateModule(cm, []);
  const [s64, r64, s32, c64, l64, l32] = ['sum64', 'raw64', 'sum32', 'const64', 'load64', 'load32'].map((n) => fn(i, n));
  const quiet64 = (b: bigint): boolean => (b & 0x7ff8000000000000n) === 0x7ff8000000000000n;
  for (let k = 0; k < 50_000; k++) s64(8, BigInt(k), 1.5); // hot
  s64(8, 0x7ff4000000000001n, 1.5);
  assert.ok(quiet64(BigInt.asUintN(64, l64(8) as bigint)), 'an arithmetic NaN is quiet');
  s64(8, 0x3ff0000000000000n, 1.5);
  assert.equal(l64(8), 0x4004000000000000n); // 1 + 1.5
  r64(16, 0x7ff4000000000001n);
  assert.equal(l64(16), 0x7ff4000000000001n);
  c64(24);
  assert.equal(l64(24), 0x7ff4000000000001n);
  s32(32, 0x7fa00001, 2);
  assert.equal((l32(32) as number) & 0x7fc00000, 0x7fc00000, 'an arithmetic f32 NaN is quiet');
  s32(32, 0x40400000, 2); // 3 * 2
  assert.equal(l32(32), 0x40c00000);
  traps(() => s64(65532, 0n, 1), 'out of bounds memory access');
});
