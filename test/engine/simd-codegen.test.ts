// Differential tests of the inline SIMD code (codegen/vector.ts, lanes.ts) against Node's native
// WebAssembly: each function reads vectors a, b, c from memory 0, 16, 32 (and an i32 at 48),
// computes an expression and stores the result at 64. The expressions target the paths that
// depend on static knowledge: lane bounds (widened bytes added without carry guards, narrowing
// without saturation), constant shift counts and splats, and bounds that must be forgotten at
// control flow.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/module.js';
import { encodeModule } from '../../src/binary/encode.js';
import { WebAssembly as Kasane } from '../../src/api/namespace.js';

const A = '(v128.load (i32.const 0))', B = '(v128.load (i32.const 16))', C = '(v128.load (i32.const 32))';
const N = '(i32.load (i32.const 48))';
const lo = (x: string): string => `(i16x8.extend_low_i8x16_u ${x})`;
const hi = (x: string): string => `(i16x8.extend_high_i8x16_u ${x})`;
/** (x + 2y + z + 2) >> 2 on widened lanes: the blur kernel of bench/workloads/src/simd.c. */
const blur = (w: (x: string) => string): string =>
  `(i16x8.shr_u (i16x8.add (i16x8.add ${w(A)} ${w(C)}) (i16x8.add (i16x8.shl ${w(B)} (i32.const 1)) (v128.const i16x8 2 2 2 2 2 2 2 2))) (i32.const 2))`;

const EXPRS: Record<string, string> = {
  blur: `(i8x16.narrow_i16x8_u ${blur(lo)} ${blur(hi)})`,
  blurS: `(i8x16.narrow_i16x8_s (i16x8.shr_u ${blur(lo)} (i32.const 1)) ${blur(hi)})`,
  // 255 << 9 overflows a lane: the mask is needed.
  shlOverflow: `(i16x8.shl ${lo(A)} (i32.const 9))`,
  // Counts are taken modulo the lane width.
  shlWide: `(i16x8.shl ${lo(A)} (i32.const 17))`,
  shrS: `(i16x8.shr_s ${A} (i32.const 20))`,
  shl8: `(i8x16.shl ${A} (i32.const 11))`,
  shr8: `(i8x16.shr_u ${A} (i32.const 3))`,
  shl32: `(i32x4.shl ${A} (i32.const 33))`,
  shr32u: `(i32x4.shr_u ${A} (i32.const 31))`,
  shr32s: `(i32x4.shr_s ${A} (i32.const -1))`,
  shlVar: `(i16x8.shl ${lo(A)} ${N})`,
  // Bounds summing to exactly 0xffff cannot carry; one more can.
  addEdge: `(i16x8.add ${lo(A)} (v128.const i16x8 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00))`,
  addCarry: `(i16x8.add ${lo(A)} (v128.const i16x8 0xff01 0xff01 0xff01 0xff01 0xff01 0xff01 0xff01 0xff01))`,
  addUnknown: `(i16x8.add ${lo(A)} ${B})`,
  // Narrowing: lanes <= 255 pack as bytes; larger ones saturate.
  narrowBig: `(i8x16.narrow_i16x8_u (i16x8.shl ${lo(A)} (i32.const 1)) ${hi(B)})`,
  narrowS255: `(i8x16.narrow_i16x8_s ${lo(A)} ${hi(B)})`,
  andMask: `(i8x16.narrow_i16x8_u (v128.and ${B} (v128.const i16x8 0x7f 0xff 1 0 0x80 0xff 3 0xfe)) ${lo(C)})`,
  orXor: `(i8x16.narrow_i16x8_s (v128.or ${lo(A)} (v128.const i16x8 1 2 3 4 5 6 7 0x7f)) (v128.xor ${hi(B)} ${lo(C)}))`,
  splats: `(i16x8.add (i16x8.add (i8x16.splat (i32.const 0x1ff)) (i16x8.splat (i32.const -1))) (i32x4.splat (i32.const 0x12345)))`,
  // Widened bytes are kept in even/odd lane order (lanes.ts): every other consumer must see lane order.
  eoStore: lo(A),
  eoHigh: hi(B),
  eoI32: `(i32x4.add ${lo(A)} ${hi(B)})`,
  eoMixed: `(i16x8.add ${lo(A)} (v128.const i16x8 1 2 3 4 5 6 7 8))`,
  eoMixedUnbounded: `(i16x8.sub ${lo(A)} ${B})`,
  eoSplatVar: `(i16x8.mul (i16x8.add ${lo(A)} (i16x8.splat ${N})) ${hi(C)})`,
  eoSplat8: `(i16x8.add ${lo(A)} (i8x16.splat ${N}))`,
  eoNarrowSat: `(i8x16.narrow_i16x8_u (i16x8.shl ${lo(A)} (i32.const 2)) ${hi(B)})`,
  eoNarrowMixed: `(i8x16.narrow_i16x8_u ${lo(A)} (v128.and ${B} (v128.const i16x8 0xff 0xff 0xff 0xff 0xff 0xff 0xff 0xff)))`,
  eoShiftVar: `(i16x8.shr_s (i16x8.shl ${lo(A)} ${N}) (i32.const 3))`,
  eoBitwise: `(v128.not (v128.andnot (v128.xor ${lo(A)} ${hi(B)}) (i16x8.splat (i32.const 0x0f0))))`,
  eoExtend: `(i32x4.extend_high_i16x8_u (i16x8.add ${lo(A)} ${lo(B)}))`,
  eoShuffle: `(i8x16.shuffle 1 0 3 2 5 4 7 6 9 8 11 10 13 12 15 14 ${lo(A)} ${hi(A)})`,
  // Word-level code of vector-ops.ts (i64x2 lanes as word pairs, shuffles, swizzles).
  i64add: `(i64x2.add ${A} ${B})`,
  i64sub: `(i64x2.sub ${A} ${B})`,
  i64eq: `(i64x2.eq ${A} (v128.or ${A} (v128.and ${B} (v128.const i64x2 1 0x100000000))))`,
  i64ne: `(i64x2.ne ${A} (v128.or ${A} (v128.and ${B} (v128.const i64x2 1 0x100000000))))`,
  i64shl: `(i64x2.shl ${A} ${N})`,
  i64shrU: `(i64x2.shr_u ${A} (i32.add ${N} (i32.const 30)))`,
  i64shrS: `(i64x2.shr_s ${A} (i32.add ${N} (i32.const 30)))`,
  shuffle: `(i8x16.shuffle 0 1 2 3 17 18 19 20 31 30 29 28 8 8 8 15 ${A} ${B})`,
  swizzle: `(i8x16.swizzle ${A} (v128.and ${B} (v128.const i8x16 0x1f 0x1f 0x1f 0x1f 0x1f 0x1f 0x1f 0x1f 0x8f 0x8f 0x8f 0x8f 0x0f 0x0f 0x0f 0x0f)))`,
  satDot: `(i32x4.dot_i16x8_s (i8x16.sub_sat_u ${A} ${B}) (i16x8.add_sat_s ${B} ${C}))`,
  splatNarrow: `(i8x16.narrow_i16x8_u (i16x8.splat (i32.const 300)) (i16x8.add ${lo(A)} (i16x8.splat (i32.const 7))))`,
  // Shifts right of even/odd words are deferred for narrowing to fuse (lanes.ts): by 1-8 with
  // shifted lanes <= 255, narrowed with deferred, plain even/odd or lane-order operands, or read
  // by anything else first.
  shrNarrow8: `(i8x16.narrow_i16x8_u (i16x8.shr_u ${blur(lo)} (i32.const 6)) (i16x8.shr_u (i16x8.shl ${hi(A)} (i32.const 8)) (i32.const 8)))`,
  shrNarrowMixed: `(i8x16.narrow_i16x8_u (i16x8.shr_u ${lo(A)} (i32.const 1)) ${hi(B)})`,
  shrNarrowLanes: `(i8x16.narrow_i16x8_s (v128.and ${B} (v128.const i16x8 0x7f 0x7f 0x7f 0x7f 0x7f 0x7f 0x7f 0x7f)) (i16x8.shr_u ${hi(C)} (i32.const 1)))`,
  shrNotFused: `(i8x16.narrow_i16x8_u (i16x8.shr_u ${blur(lo)} (i32.const 1)) (i16x8.shr_u ${hi(A)} (i32.const 9)))`,
  shrThenAdd: `(i16x8.add (i16x8.shr_u ${lo(A)} (i32.const 1)) ${lo(B)})`,
  shrThenShr: `(i8x16.narrow_i16x8_u (i16x8.shr_u (i16x8.shr_u ${hi(A)} (i32.const 1)) (i32.const 3)) ${lo(C)})`,
  shrThenMul: `(i16x8.mul (i16x8.shr_u ${lo(A)} (i32.const 2)) ${B})`,
  shrThenI32: `(i32x4.add (i16x8.shr_u ${hi(A)} (i32.const 4)) ${B})`,
};

// Bounds known before a join must be forgotten: the block's result is the small fallthrough
// value or, when the branch is taken, lanes of 0xffff (an add without carry guards would be wrong).
const CONTROL = `
  (func (export "join") (param i32)
    (v128.store (i32.const 64) (i16x8.add ${lo(B)}
      (block (result v128) (v128.const i16x8 -1 -1 -1 -1 -1 -1 -1 -1) (br_if 0 (local.get 0)) (drop) ${lo(A)}))))
  (func (export "loop") (param i32)
    (i32.const 64) ${lo(A)}
    (loop (param v128) (result v128)
      ${lo(B)} (i16x8.add) (i32.const 7) (i16x8.shl)
      (local.tee 0 (i32.sub (local.get 0) (i32.const 1))) (br_if 0))
    (v128.store))
  (func (export "eoLane") (param i32)
    (i32.store (i32.const 64) (i16x8.extract_lane_u 3 ${lo(A)}))
    (i32.store (i32.const 68) (i16x8.extract_lane_s 6 (i16x8.shl ${hi(A)} (i32.const 8))))
    (i64.store (i32.const 72) (i64x2.extract_lane 1 ${lo(B)})))
  (func (export "eoLocal") (param i32) (local v128)
    (local.set 1 ${lo(A)})
    (v128.store (i32.const 64) (i16x8.add (local.tee 1 (i16x8.add (local.get 1) ${hi(A)})) (local.get 1))))
  (func (export "eoBranch") (param i32)
    (v128.store (i32.const 64)
      (block (result v128) ${lo(A)} (br_if 0 (local.get 0)) (i16x8.add ${hi(B)}))))
  (func (export "shrLane") (param i32)
    (i32.store (i32.const 64) (i16x8.extract_lane_u 5 (i16x8.shr_u ${hi(A)} (i32.const 3))))
    (i32.store (i32.const 68) (i16x8.extract_lane_u 2 (i16x8.shr_u ${lo(B)} (i32.const 8)))))
  (func (export "shrBranch") (param i32)
    (v128.store (i32.const 64) (i8x16.narrow_i16x8_u
      (block (result v128) (i16x8.shr_u ${lo(A)} (i32.const 2)) (br_if 0 (local.get 0)) (i16x8.shr_u (i32.const 1)))
      (i16x8.shr_u ${hi(B)} (i32.const 1)))))
  (func (export "shrLocal") (param i32) (local v128)
    (local.set 1 (i16x8.shr_u ${lo(A)} (i32.const 1)))
    (v128.store (i32.const 64) (i8x16.narrow_i16x8_u (local.get 1) (i16x8.shr_u (local.get 1) (i32.const 1)))))
  (func (export "select") (param i32)
    (v128.store (i32.const 64) (i16x8.add ${lo(B)}
      (select (v128.const i16x8 -1 -1 -1 -1 -1 -1 -1 -1) ${lo(A)} (local.get 0)))))`;

const wat = `(module (memory (export "mem") 1)
  ${Object.entries(EXPRS).map(([name, e]) => `(func (export "${name}") (v128.store (i32.const 64) ${e}))`).join('\n  ')}
  ${CONTROL})`;

interface Api {
  Module: new (b: Uint8Array) => object;
  Instance: new (m: object, i?: object) => { exports: Record<string, unknown> };
}

function instantiate(api: Api): { mem: Uint8Array; f: Record<string, (...a: number[]) => void> } {
  const bytes = encodeModule(parseWat(wat));
  const e = new api.Instance(new api.Module(bytes)).exports;
  return { mem: new Uint8Array((e.mem as { buffer: ArrayBuffer }).buffer), f: e as Record<string, (...a: number[]) => void> };
}

let seed = 0x9e3779b9;
function rnd(): number {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return seed >>> 0;
}
const EDGE = [0, 1, 0x7f, 0x80, 0xfe, 0xff];

const native = instantiate((globalThis as unknown as { WebAssembly: Api }).WebAssembly);
const kasane = instantiate(Kasane as unknown as Api);

function check(name: string, args: number[]): void {
  for (let round = 0; round < 200; round++) {
    const input = new Uint8Array(52);
    for (let k = 0; k < 48; k++) input[k] = round < 100 ? EDGE[rnd() % EDGE.length] : rnd() & 0xff;
    input[48] = rnd() & 31;
    for (const x of [native, kasane]) {
      x.mem.fill(0, 0, 80);
      x.mem.set(input);
      x.f[name](...args);
    }
    assert.deepEqual([...kasane.mem.subarray(64, 80)], [...native.mem.subarray(64, 80)],
      `${name}(${args.join(', ')}) on ${[...input].map((b) => b.toString(16).padStart(2, '0')).join('')}`);
  }
}

for (const name of Object.keys(EXPRS)) {
  test(`inline SIMD matches native: ${name}`, () => check(name, []));
}

test('inline SIMD: lane bounds are forgotten at joins, loops and select', () => {
  for (const c of [0, 1]) {
    check('join', [c]);
    check('select', [c]);
  }
  for (const n of [1, 2, 3]) check('loop', [n]);
  for (const c of [0, 1]) {
    check('eoLane', [c]);
    check('eoLocal', [c]);
    check('eoBranch', [c]);
    check('shrLane', [c]);
    check('shrBranch', [c]);
    check('shrLocal', [c]);
  }
});
