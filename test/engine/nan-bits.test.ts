// Signalling NaNs keep their bits through Kasane's float helpers and f64.store, also in hot
// code. The hazard is browser-specific (Chromium's V8 quiets signalling NaNs passed to an
// optimized DataView.setFloat64; test/browser/ checks it there), so here the same code paths
// are checked for exact bits, the bounds behaviour of the NaN store, and warm-up.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wat2wasm, WebAssembly as K } from '../../src/index.js';
import { f32Bits, f32FromBits, f64Bits, f64FromBits, fabs, fcopysign, fneg } from '../../src/engine/runtime.js';

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
