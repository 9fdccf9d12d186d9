// Differential tests of engine/simd.ts against Node's native WebAssembly SIMD: every non-relaxed
// 0xFD instruction runs natively (inputs through memory) and through the library on random and
// edge-case lane values. Relaxed SIMD is checked against the spec tests' allowed results.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPCODES, type OpInfo } from '../../src/ast/opcodes.js';
import { parseWat } from '../../src/text/module.js';
import { encodeModule } from '../../src/binary/encode.js';
import * as simd from '../../src/engine/simd.js';
import { V128, v128FromBytes, v128ToBytes, v128Equal } from '../../src/engine/simd.js';

const lib = simd as unknown as Record<string, (...args: unknown[]) => unknown>;
const fnName = (op: string): string => op.replace(/\./g, '_');

// --- Deterministic random inputs ---
let seed = 0x2545f491;
function rnd(): number {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return seed >>> 0;
}
const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length];

const F32_EDGE = [0, -0, Infinity, -Infinity, NaN, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, 0.49999997,
  3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, 1.1754943508222875e-38,
  2147483648, -2147483648, 2147483520, 4294967296, 4294967040, -1.5, 8388608.5, 16777216, 1e10, -1e10];
const F32_NAN_BITS = [0x7fc00000, 0xffc00000, 0x7f800001, 0x7fc12345, 0xffbfffff, 0x7fffffff];
const F64_EDGE = [0, -0, Infinity, -Infinity, NaN, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 0.49999999999999994,
  Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, 2.2250738585072014e-308, 2147483647, 2147483647.5,
  2147483648, -2147483648.5, -2147483649, 4294967295.5, 4294967296, 4503599627370495.5, 4503599627370497,
  3.4028234663852886e38, 3.4028235677973366e38, 1.401298464324817e-45, 7e-46, 1 + 2 ** -24, 1 + 2 ** -23 + 2 ** -24];
const F64_NAN = [[0, 0x7ff80000], [0, 0xfff80000 | 0], [1, 0x7ff00000], [0x12345678, 0x7ff81234], [-1, -1]];
const INT_EDGE = [0, 1, -1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000 | 0, 0x4000, 0x100, 0x10000];

const buf = new ArrayBuffer(16);
const u8 = new Uint8Array(buf), i8a = new Int8Array(buf), i16a = new Int16Array(buf), i32a = new Int32Array(buf);
const f32a = new Float32Array(buf), f64a = new Float64Array(buf);

function randomBytes(shape: string): Uint8Array {
  const s = shape === 'any' ? pick(['i8', 'i16', 'i32', 'i64', 'f32', 'f64', 'bits']) : shape;
  const edge = (): boolean => rnd() % 3 === 0;
  switch (s) {
    case 'i8': for (let i = 0; i < 16; i++) i8a[i] = edge() ? pick(INT_EDGE) : rnd(); break;
    case 'i16': for (let i = 0; i < 8; i++) i16a[i] = edge() ? pick(INT_EDGE) : rnd() % 3 ? (rnd() % 512) - 256 : rnd(); break;
    case 'i32': case 'i64': for (let i = 0; i < 4; i++) i32a[i] = edge() ? (rnd() % 2 ? pick(INT_EDGE) : (rnd() & 0x7f) - 64) : rnd() % 3 ? (rnd() & 0xffff) - 0x8000 : rnd();
      if (s === 'i64') for (let i = 1; i < 4; i += 2) if (rnd() % 3 === 0) i32a[i] = i32a[i - 1] >> 31;
      break;
    case 'f32': for (let i = 0; i < 4; i++) {
      const k = rnd() % 8;
      if (k < 3) f32a[i] = pick(F32_EDGE);
      else if (k === 3) i32a[i] = pick(F32_NAN_BITS);
      else if (k === 4) i32a[i] = rnd();
      else f32a[i] = ((rnd() % 4001) - 2000) / pick([1, 2, 4, 10, 1000]);
    } break;
    case 'f64': for (let i = 0; i < 2; i++) {
      const k = rnd() % 8;
      if (k < 3) f64a[i] = pick(F64_EDGE);
      else if (k === 3) { const [lo, hi] = pick(F64_NAN); i32a[2 * i] = lo; i32a[2 * i + 1] = hi; }
      else if (k === 4) { i32a[2 * i] = rnd(); i32a[2 * i + 1] = rnd(); }
      else f64a[i] = ((rnd() % 4001) - 2000) / pick([1, 2, 4, 10, 1000, 3]);
    } break;
    default: for (let i = 0; i < 16; i++) u8[i] = rnd();
  }
  return u8.slice();
}

function shapeOf(name: string): string {
  const m = /^(i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)/.exec(name);
  if (!m) return 'any';
  // Inputs of conversions are of the source shape.
  const src = /_(i8x16|i16x8|i32x4|f32x4|f64x2)(_|$)/.exec(name.slice(6));
  const sh = src ? src[1] : m[1];
  return { i8x16: 'i8', i16x8: 'i16', i32x4: 'i32', i64x2: 'i64', f32x4: 'f32', f64x2: 'f64' }[sh] ?? 'any';
}
function randomInput(shape: string): Uint8Array {
  return randomBytes(rnd() % 4 === 0 ? 'any' : shape);
}

// NaN results of these ops may be any (arithmetic) NaN: compare lanes as "is NaN".
const NAN_FREE = /^(f32x4|f64x2)\.(add|sub|mul|div|sqrt|min|max|ceil|floor|trunc|nearest|demote_f64x2_zero|promote_low_f32x4)$/;

function resultLaneIsNaN(bytes: Uint8Array, f64: boolean, lane: number): boolean {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return f64 ? Number.isNaN(dv.getFloat64(lane * 8, true)) : Number.isNaN(dv.getFloat32(lane * 4, true));
}

function sameResult(name: string, got: Uint8Array, want: Uint8Array): boolean {
  if (!NAN_FREE.test(name)) return Buffer.compare(got, want) === 0;
  const f64 = name.startsWith('f64x2');
  const n = f64 ? 2 : 4, w = 16 / n;
  for (let l = 0; l < n; l++) {
    const g = got.subarray(l * w, l * w + w), x = want.subarray(l * w, l * w + w);
    // The library's NaN results are always the positive canonical NaN.
    if (resultLaneIsNaN(got, f64, l) && hex(g) !== (f64 ? '000000000000f87f' : '0000c07f')) return false;
    if (Buffer.compare(g, x) === 0) continue;
    if (!(resultLaneIsNaN(got, f64, l) && resultLaneIsNaN(want, f64, l))) return false;
  }
  return true;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// --- Module construction ---

interface Case { export: string; op: OpInfo; kind: string; imm?: number | number[] }

const simdOps = OPCODES.filter((o) => o.prefix === 0xfd && o.code < 0x100);
const cases: Case[] = [];
const funcs: string[] = [];
const ld = (off: number): string => `(v128.load (i32.const ${off}))`;
const SCALAR: Record<string, string> = { i8x16: 'i32', i16x8: 'i32', i32x4: 'i32', i64x2: 'i64', f32x4: 'f32', f64x2: 'f64' };

function add(op: OpInfo, kind: string, body: string, sig: string, imm?: number | number[]): void {
  const ex = `e${cases.length}`;
  cases.push({ export: ex, op, kind, imm });
  funcs.push(`(func (export "${ex}") ${sig} ${body})`);
}

for (const op of simdOps) {
  const n = op.name, shape = n.slice(0, 5);
  if (op.imm === 'memarg') {
    if (n === 'v128.store') add(op, 'store', `(v128.store (local.get 0) ${ld(0)})`, '(param i32)');
    else add(op, 'load', `(v128.store (i32.const 48) (${n} (local.get 0)))`, '(param i32)');
  } else if (op.imm === 'memarg_lane') {
    const lanes = 16 / (1 << op.align!);
    for (let lane = 0; lane < lanes; lane++) {
      if (n.includes('store')) add(op, 'store_lane', `(${n} ${lane} (local.get 0) ${ld(0)})`, '(param i32)', lane);
      else add(op, 'load_lane', `(v128.store (i32.const 48) (${n} ${lane} (local.get 0) ${ld(0)}))`, '(param i32)', lane);
    }
  } else if (op.imm === 'v128') {
    add(op, 'const', '', '');
    cases.pop(); funcs.pop(); // tested separately below
  } else if (op.imm === 'shuffle') {
    for (let k = 0; k < 12; k++) {
      const lanes = Array.from({ length: 16 }, (_, i) => (k === 0 ? i : k === 1 ? 31 - i : rnd() % 32));
      add(op, 'shuffle', `(v128.store (i32.const 48) (i8x16.shuffle ${lanes.join(' ')} ${ld(0)} ${ld(16)}))`, '', lanes);
    }
  } else if (op.imm === 'lane') {
    const count = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 }[shape]!;
    const t = SCALAR[shape];
    for (let lane = 0; lane < count; lane++) {
      if (n.includes('extract')) {
        const st = t === 'i32' ? 'i32.store' : `${t}.store`;
        add(op, 'extract', `(${st} (i32.const 48) (${n} ${lane} ${ld(0)}))`, '', lane);
      } else {
        add(op, 'replace', `(v128.store (i32.const 48) (${n} ${lane} ${ld(0)} (local.get 0)))`, `(param ${t})`, lane);
      }
    }
  } else if (n.endsWith('.splat')) {
    add(op, 'splat', `(v128.store (i32.const 48) (${n} (local.get 0)))`, `(param ${SCALAR[shape]})`);
  } else if (op.sig === 'v128 v128 -> v128') {
    add(op, 'bin', `(v128.store (i32.const 48) (${n} ${ld(0)} ${ld(16)}))`, '');
  } else if (op.sig === 'v128 -> v128') {
    add(op, 'un', `(v128.store (i32.const 48) (${n} ${ld(0)}))`, '');
  } else if (op.sig === 'v128 -> i32') {
    add(op, 'test', `(${n} ${ld(0)})`, '(result i32)');
  } else if (op.sig === 'v128 i32 -> v128') {
    add(op, 'shift', `(v128.store (i32.const 48) (${n} ${ld(0)} (local.get 0)))`, '(param i32)');
  } else if (op.sig === 'v128 v128 v128 -> v128') {
    add(op, 'ter', `(v128.store (i32.const 48) (${n} ${ld(0)} ${ld(16)} ${ld(32)}))`, '');
  } else {
    throw new Error(`untested SIMD op ${n}`);
  }
}

// Node's own WebAssembly (the project's tsconfig has no DOM/WebAssembly typings).
interface NativeWasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object) => { exports: Record<string, unknown> };
}
const NW = (globalThis as unknown as { WebAssembly: NativeWasm }).WebAssembly;
type NativeExports = Record<string, (...a: unknown[]) => unknown> & { mem: { buffer: ArrayBuffer } };
function instantiate(wat: string): NativeExports {
  return new NW.Instance(new NW.Module(encodeModule(parseWat(wat)))).exports as NativeExports;
}

const wat = `(module (memory (export "mem") 1)\n${funcs.join('\n')})`;
const native = instantiate(wat);
const mem = new Uint8Array(native.mem.buffer);
const MEM_SIZE = mem.length;

function setIn(off: number, b: Uint8Array): void { mem.set(b, off); }
function out(off = 48, len = 16): Uint8Array { return mem.slice(off, off + len); }

function scalarFromBytes(t: string, b: Uint8Array): unknown {
  const dv = new DataView(b.buffer, b.byteOffset);
  return t === 'i32' ? dv.getInt32(0, true) : t === 'i64' ? dv.getBigInt64(0, true) : t === 'f32' ? dv.getFloat32(0, true) : dv.getFloat64(0, true);
}

const ITER = 250;
let totalChecks = 0;
const testedOps = new Set<string>();

function run(c: Case): number {
  const n = c.op.name, f = lib[fnName(n)], nat = native[c.export];
  assert.equal(typeof f, 'function', `missing ${fnName(n)}`);
  testedOps.add(n);
  const shape = shapeOf(n);
  let checks = 0;
  for (let it = 0; it < ITER; it++) {
    const a = randomInput(shape);
    const b = rnd() % 5 === 0 ? a.map((x, i) => (rnd() % 2 ? x : u8[i])) : randomInput(shape);
    const c3 = randomInput(shape);
    setIn(0, a); setIn(16, b); setIn(32, c3);
    const va = v128FromBytes(a), vb = v128FromBytes(b), vc = v128FromBytes(c3);
    const ctx = () => `${n} ${JSON.stringify(c.imm ?? '')} a=${hex(a)} b=${hex(b)} c=${hex(c3)}`;
    switch (c.kind) {
      case 'bin': case 'un': case 'ter': case 'shuffle': {
        nat();
        const r = c.kind === 'shuffle' ? f(va, vb, c.imm) : f(va, vb, vc);
        const got = v128ToBytes(r as V128), want = out();
        assert.ok(sameResult(n, got, want), `${ctx()}: got ${hex(got)} want ${hex(want)}`);
        break;
      }
      case 'test':
        assert.equal(f(va), nat(), ctx());
        break;
      case 'shift': {
        const s = it < 70 ? it : pick([rnd(), -1, 0x80000000 | 0, 63, 64, 65, 127, 128]);
        nat(s);
        assert.equal(hex(v128ToBytes(f(va, s) as V128)), hex(out()), `${ctx()} s=${s}`);
        break;
      }
      case 'extract': {
        nat();
        const t = SCALAR[n.slice(0, 5)];
        const want = scalarFromBytes(t, out(48, 8));
        const got = f(va, c.imm);
        if (t === 'f32' || t === 'f64') {
          // f32 lanes travel as JS numbers: sNaN payloads may be quieted, so NaN matches NaN.
          const g = got as number, w = want as number;
          assert.ok(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)), `${ctx()}: got ${g} want ${w}`);
          if (t === 'f64' && !Number.isNaN(w)) assert.ok(Object.is(g, w));
          if (t === 'f64') {
            // (not via an array literal: V8 canonicalises NaNs stored in double arrays)
            const gb = new Uint8Array(8), wb = out(48, 8);
            new DataView(gb.buffer).setFloat64(0, g, true);
            assert.equal(hex(gb), hex(wb), `${ctx()} f64 bits`);
          }
        } else assert.equal(got, want, ctx());
        break;
      }
      case 'replace': case 'splat': {
        const t = SCALAR[n.slice(0, 5)];
        let x = scalarFromBytes(t, randomInput(shapeOf(t === 'i32' ? 'i32' : n)));
        if (t === 'i32' && rnd() % 2) x = pick(INT_EDGE);
        nat(x);
        const r = c.kind === 'splat' ? f(x) : f(va, c.imm, x);
        const got = v128ToBytes(r as V128), want = out();
        const nanOk = (t === 'f32' || t === 'f64') && Number.isNaN(x as number);
        assert.ok(hex(got) === hex(want) || (nanOk && sameLanesExceptNaN(got, want, t)), `${ctx()} x=${String(x)}: got ${hex(got)} want ${hex(want)}`);
        break;
      }
      case 'load': case 'load_lane': {
        const region = randomBytes('any');
        const addr = it < 10 ? MEM_SIZE - 1 - it : 256 + (rnd() % 512);
        for (let k = 0; k < 64; k += 16) mem.set(region, 256 + k);
        if (addr >= MEM_SIZE - 16) mem.set(region.subarray(0, MEM_SIZE - addr), addr);
        const view = new DataView(mem.buffer);
        let natErr: unknown = null, ourErr: unknown = null;
        let r: unknown;
        try { nat(addr); } catch (e) { natErr = e; }
        try { r = c.kind === 'load' ? f(view, addr) : f(view, addr, va, c.imm); } catch (e) { ourErr = e; }
        assert.equal(natErr !== null, ourErr !== null, `${ctx()} addr=${addr} trap mismatch ${String(natErr)} / ${String(ourErr)}`);
        if (ourErr) assert.ok(ourErr instanceof RangeError);
        else assert.equal(hex(v128ToBytes(r as V128)), hex(out()), `${ctx()} addr=${addr}`);
        break;
      }
      case 'store': case 'store_lane': {
        const addr = it < 20 ? MEM_SIZE - 1 - it : 256 + (rnd() % 512);
        const lo = Math.min(addr, MEM_SIZE - 32);
        mem.fill(0xaa, lo, MEM_SIZE);
        const copy = new Uint8Array(mem.length);
        copy.set(mem);
        let natErr: unknown = null, ourErr: unknown = null;
        try { nat(addr); } catch (e) { natErr = e; }
        try { if (c.kind === 'store') f(new DataView(copy.buffer), addr, va); else f(new DataView(copy.buffer), addr, va, c.imm); } catch (e) { ourErr = e; }
        assert.equal(natErr !== null, ourErr !== null, `${ctx()} addr=${addr} trap mismatch`);
        if (ourErr) assert.ok(ourErr instanceof RangeError);
        assert.equal(hex(copy.subarray(lo)), hex(mem.subarray(lo)), `${ctx()} addr=${addr} memory`);
        break;
      }
      default: throw new Error(c.kind);
    }
    checks++;
  }
  return checks;
}

function sameLanesExceptNaN(got: Uint8Array, want: Uint8Array, t: string): boolean {
  const w = t === 'f32' ? 4 : 8;
  for (let i = 0; i < 16; i += w) {
    const g = got.subarray(i, i + w), x = want.subarray(i, i + w);
    if (Buffer.compare(g, x) === 0) continue;
    const dg = new DataView(got.buffer, got.byteOffset + i), dw = new DataView(want.buffer, want.byteOffset + i);
    const isNaN = (d: DataView): boolean => Number.isNaN(w === 4 ? d.getFloat32(0, true) : d.getFloat64(0, true));
    if (!(isNaN(dg) && isNaN(dw))) return false;
  }
  return true;
}

// Group cases by instruction so each op is one test.
const byOp = new Map<string, Case[]>();
for (const c of cases) {
  const l = byOp.get(c.op.name) ?? [];
  l.push(c);
  byOp.set(c.op.name, l);
}
for (const [name, cs] of byOp) {
  test(`native differential: ${name}`, () => {
    for (const c of cs) totalChecks += run(c);
  });
}

test('v128.const and byte conversions', () => {
  for (let k = 0; k < 200; k++) {
    const bytes = randomBytes('bits');
    const body = `(v128.store (i32.const 48) (v128.const i8x16 ${Array.from(bytes).join(' ')}))`;
    const m = instantiate(`(module (memory (export "mem") 1) (func (export "f") ${body}))`);
    m.f();
    const v = simd.v128_const(bytes);
    assert.equal(hex(v128ToBytes(v)), hex(new Uint8Array(m.mem.buffer, 48, 16)));
    assert.ok(v128Equal(v, v128FromBytes(v128ToBytes(v))));
    totalChecks++;
    if (k > 20) break; // module compilation is the slow part
  }
  assert.ok(!v128Equal(new V128(1, 2, 3, 4), new V128(1, 2, 3, 5)));
});

test('f32/f64 lanes keep NaN payload bits when moved', () => {
  const v = v128FromBytes(new Uint8Array([1, 0, 0x80, 0x7f, 0x45, 0x23, 0xc1, 0xff, 1, 0, 0, 0, 0, 0, 0xf0, 0x7f]));
  assert.equal(hex(v128ToBytes(simd.f32x4_abs(v))), '0100807f4523c17f010000000000f07f');
  assert.equal(hex(v128ToBytes(simd.f32x4_neg(v))), '010080ff4523c17f010000800000f0ff');
  assert.equal(simd.i32x4_extract_lane(simd.f32x4_neg(v), 0), 0xff800001 | 0);
  assert.equal(simd.i32x4_extract_lane(simd.f64x2_neg(v), 3), 0xfff00000 | 0);
  // f64 payloads survive extract/replace through JS numbers.
  const w = simd.f64x2_replace_lane(simd.V128_ZERO, 1, simd.f64x2_extract_lane(v, 1));
  assert.equal(w.c, 1);
  assert.equal(w.d, 0x7ff00000);
  // pmin/pmax select operand bits.
  const nan = v128FromBytes(new Uint8Array([0x45, 0x23, 0xc1, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  assert.equal(simd.f32x4_pmin(nan, simd.V128_ZERO).a, 0x7fc12345);
});

const v = (lanes: number[], bits: 8 | 16 | 32): V128 => {
  const b = new Uint8Array(16), dv = new DataView(b.buffer);
  lanes.forEach((x, i) => (bits === 8 ? dv.setInt8(i, x) : bits === 16 ? dv.setInt16(2 * i, x, true) : dv.setInt32(4 * i, x, true)));
  return v128FromBytes(b);
};
const f32v = (xs: number[]): V128 => v128FromBytes(new Uint8Array(new Float32Array(xs).buffer));
const f64v = (xs: number[]): V128 => v128FromBytes(new Uint8Array(new Float64Array(xs).buffer));

test('relaxed SIMD: deterministic choices within the spec tests\' allowed results', () => {
  const iota = v(Array.from({ length: 16 }, (_, i) => i), 8);
  assert.ok(v128Equal(simd.i16x8_relaxed_dot_i8x16_i7x16_s(iota, iota), v([1, 13, 41, 85, 145, 221, 313, 421], 16)));
  assert.ok(v128Equal(simd.i16x8_relaxed_dot_i8x16_i7x16_s(v([-128, -128, 127, 127], 8), v([127, 127, 127, 127], 8)), v([-32512, 32258, 0, 0, 0, 0, 0, 0], 16)));
  assert.ok(v128Equal(simd.i16x8_relaxed_dot_i8x16_i7x16_s(v([-128, -128], 8), v([-127, -127], 8)), v([32512], 16)));
  assert.ok(v128Equal(simd.i32x4_relaxed_dot_i8x16_i7x16_add_s(iota, iota, v([0, 1, 2, 3], 32)), v([14, 127, 368, 737], 32)));
  assert.ok(v128Equal(simd.i32x4_relaxed_dot_i8x16_i7x16_add_s(v([-128, -128, -128, -128, 127, 127, 127, 127], 8), v([127, 127, 127, 127, 127, 127, 127, 127], 8), v([1, 2, 3, 4], 32)), v([-65023, 64518, 3, 4], 32)));
  assert.ok(v128Equal(simd.i32x4_relaxed_dot_i8x16_i7x16_add_s(v([-128, -128, -128, -128], 8), v([-127, -127, -127, -127], 8), v([1, 2, 3, 4], 32)), v([65025, 2, 3, 4], 32)));
  // q15mulr: saturating choice.
  assert.ok(v128Equal(simd.i16x8_relaxed_q15mulr_s(v([-32768, -32767, 32767], 16), v([-32768, -32768, 32767], 16)), v([32767, 32767, 32766], 16)));
  // swizzle: out-of-range indices give 0.
  assert.ok(v128Equal(simd.i8x16_relaxed_swizzle(iota, v([0, 16, -1, 15, 200], 8)), v([0, 0, 0, 15, 0], 8)));
  // trunc: saturating.
  assert.ok(v128Equal(simd.i32x4_relaxed_trunc_f32x4_s(f32v([NaN, -3e9, 3e9, -1.5])), v([0, -2147483648, 2147483647, -1], 32)));
  assert.ok(v128Equal(simd.i32x4_relaxed_trunc_f32x4_u(f32v([NaN, -1, 5e9, 3.9])), v([0, 0, -1, 3], 32)));
  assert.ok(v128Equal(simd.i32x4_relaxed_trunc_f64x2_s_zero(f64v([NaN, -3e9])), v([0, -2147483648, 0, 0], 32)));
  assert.ok(v128Equal(simd.i32x4_relaxed_trunc_f64x2_u_zero(f64v([4294967295.9, -0.5])), v([-1, 0, 0, 0], 32)));
  // madd: unfused (x*y rounds to f32 first).
  const big = 2 ** 24 + 2, one = 1 + 2 ** -23;
  const m = simd.f32x4_relaxed_madd(f32v([one, 3, 0, 0]), f32v([one, 4, 0, 0]), f32v([-1, 5, 0, -0]));
  assert.deepEqual(Array.from(new Float32Array(v128ToBytes(m).buffer)), [Math.fround(Math.fround(one * one) - 1), 17, 0, 0]);
  assert.deepEqual(Array.from(new Float32Array(v128ToBytes(simd.f32x4_relaxed_nmadd(f32v([big, 2, 1, 1]), f32v([1, 3, 1, 1]), f32v([1, 1, 1, 1]))).buffer)), [Math.fround(-big + 1), -5, 0, 0]);
  const d = simd.f64x2_relaxed_madd(f64v([1 + 2 ** -52, 2]), f64v([1 + 2 ** -52, 3]), f64v([-1, 1]));
  assert.deepEqual(Array.from(new Float64Array(v128ToBytes(d).buffer)), [(1 + 2 ** -52) * (1 + 2 ** -52) - 1, 7]);
  assert.deepEqual(Array.from(new Float64Array(v128ToBytes(simd.f64x2_relaxed_nmadd(f64v([2, 2]), f64v([3, 3]), f64v([1, 10]))).buffer)), [-5, 4]);
  // relaxed_madd_nmadd.wast: FLT_MAX*2-FLT_MAX is inf unfused; the fma test case gives 0.
  const fmax = 3.4028234663852886e38;
  assert.deepEqual(Array.from(new Float32Array(v128ToBytes(simd.f32x4_relaxed_madd(f32v([fmax, 0, 0, 0]), f32v([2, 0, 0, 0]), f32v([-fmax, 0, 0, 0]))).buffer)), [Infinity, 0, 0, 0]);
  const fx = 1 + 2 ** -22, fy = 1 + 2 ** -15, fz = -(1 + 2 ** -15 + 2 ** -22);
  assert.deepEqual(Array.from(new Float32Array(v128ToBytes(simd.f32x4_relaxed_madd(f32v([fx, fx, fx, fx]), f32v([fy, fy, fy, fy]), f32v([fz, fz, fz, fz]))).buffer)), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(new Float32Array(v128ToBytes(simd.f32x4_relaxed_nmadd(f32v([-fx, fx, 0, 0]), f32v([fy, -fy, 0, 0]), f32v([fz, fz, 0, 0]))).buffer)), [0, 0, 0, 0]);
  // laneselect = bitselect.
  const a = v([0x12345678, 1, 2, 3], 32), b = v([0x11111111, 5, 6, 7], 32), mask = v([0xff00ff00 | 0, -1, 0, 0], 32);
  for (const fn of [simd.i8x16_relaxed_laneselect, simd.i16x8_relaxed_laneselect, simd.i32x4_relaxed_laneselect, simd.i64x2_relaxed_laneselect]) {
    assert.ok(v128Equal(fn(a, b, mask), simd.v128_bitselect(a, b, mask)));
  }
  // min/max: NaN propagates, -0 < +0.
  const mn = new Float32Array(v128ToBytes(simd.f32x4_relaxed_min(f32v([NaN, -0, 0, 1]), f32v([1, 0, -0, 2]))).buffer);
  assert.ok(Number.isNaN(mn[0]) && Object.is(mn[1], -0) && Object.is(mn[2], -0) && mn[3] === 1);
  const mx = new Float64Array(v128ToBytes(simd.f64x2_relaxed_max(f64v([-0, 1]), f64v([0, NaN]))).buffer);
  assert.ok(Object.is(mx[0], 0) && Number.isNaN(mx[1]));
  assert.ok(Number.isNaN(new Float32Array(v128ToBytes(simd.f32x4_relaxed_max(f32v([1, 1, 1, 1]), f32v([NaN, 0, 0, 0]))).buffer)[0]));
  assert.ok(Number.isNaN(new Float64Array(v128ToBytes(simd.f64x2_relaxed_min(f64v([NaN, 1]), f64v([0, 0]))).buffer)[0]));
});

test('every SIMD opcode has a library function', () => {
  for (const op of OPCODES) if (op.prefix === 0xfd) assert.equal(typeof lib[fnName(op.name)], 'function', op.name);
});

test('differential coverage summary', () => {
  const nonRelaxed = OPCODES.filter((o) => o.prefix === 0xfd && o.code < 0x100 && o.name !== 'v128.const');
  for (const o of nonRelaxed) assert.ok(testedOps.has(o.name), `not tested natively: ${o.name}`);
  console.log(`simd: ${testedOps.size + 1} instructions compared with native WebAssembly, ${totalChecks} checks`);
});
