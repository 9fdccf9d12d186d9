// Helpers called by generated code (passed in as `R`), and the conversion of JS errors into
// Wasm traps at the boundary between Wasm and its callers. Generated code keeps the common
// cases inline; what lives here is either rare (traps, bit-exact float moves) or too long to
// emit at every use (i64 conversions, bulk memory and table operations).

import { RuntimeError } from '../errors.js';
import type { FuncRef, MemoryObject, TableObject } from './types.js';
import { hostCall } from './wrappers.js';
import { isSubId } from './rtt.js';

// ---- Traps ----

/** Creates a trap; generated code writes `throw R.trap("...")`. */
export function trap(message: string): RuntimeError {
  return new RuntimeError(message);
}

/** Errors thrown by host functions called from Wasm: they pass through the boundary unchanged. */
const hostErrors = new WeakSet<object>();

export function markHost(e: unknown): void {
  if (typeof e === 'object' && e !== null) hostErrors.add(e);
}

/**
 * Whether a Wasm exception handler may catch `e` (engine/exception.ts): not a trap (RuntimeError,
 * or a RangeError raised by compiled code: memory bounds, stack overflow) and not the host's
 * stack exhaustion. Anything else a host function throws is a JS exception, caught by catch_all.
 */
export function isCatchable(e: unknown): boolean {
  if (e instanceof RuntimeError) return false;
  if (e instanceof RangeError) return hostErrors.has(e) && !/call stack/i.test(e.message);
  return true;
}

/** Function names by module id, for backtraces (generated functions are named w$<module>$<func>). */
const moduleNames = new Map<number, (func: number) => string>();

export function registerModuleNames(id: number, nameOf: (func: number) => string): void {
  moduleNames.set(id, nameOf);
}

/**
 * Per module id: the function inlined (codegen/inline.ts) at a line and column of a function's
 * generated source, as the JS stack trace gives them.
 */
const inlineLookups = new Map<number, (func: number, line: number, col: number) => number | undefined>();

export function registerInlineLookup(id: number, lookup: (func: number, line: number, col: number) => number | undefined): void {
  inlineLookups.set(id, lookup);
}

const annotated = new WeakSet<object>();

/** Lists the Wasm frames of a JS stack trace, innermost first (inlined calls as frames of their own). */
function wasmBacktrace(stack: string | undefined): string[] {
  if (!stack) return [];
  const out: string[] = [];
  const re = /w\$(\d+)\$(\d+)/g;
  let last = '';
  for (const line of stack.split('\n')) {
    re.lastIndex = 0;
    const m = re.exec(line);
    if (!m || line === last) continue;
    last = line;
    const id = Number(m[1]), func = Number(m[2]);
    const nameOf = moduleNames.get(id);
    const name = (f: number): string => (nameOf ? nameOf(f) : `<module>!func[${f}]`);
    const pos = /:(\d+):(\d+)\)?\s*$/.exec(line);
    const inlined = pos ? inlineLookups.get(id)?.(func, Number(pos[1]), Number(pos[2])) : undefined;
    if (inlined !== undefined) out.push(name(inlined));
    out.push(name(func));
  }
  return out;
}

function annotate(e: RuntimeError, from: string | undefined): RuntimeError {
  if (annotated.has(e)) return e;
  annotated.add(e);
  const frames = wasmBacktrace(from);
  if (frames.length) {
    const bt = frames.map((f, i) => `\n    wasm#${i}: ${f}`).join('');
    // The JS frames of the error the trap came from (a DataView RangeError, say) say more than ours.
    const rest = (from ?? e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).join('\n');
    e.stack = `${e.name}: ${e.message}\n  wasm backtrace:${bt}${rest ? '\n' + rest : ''}`;
  }
  return e;
}

/**
 * Converts what a Wasm call threw into what its caller sees: traps get a Wasm backtrace,
 * JS RangeErrors raised by compiled code (DataView bounds, stack overflow) become traps,
 * and host exceptions pass through unchanged.
 */
export function convert(e: unknown): unknown {
  if (e instanceof RuntimeError) return annotate(e, e.stack);
  if (e instanceof RangeError && !hostErrors.has(e)) {
    const msg = /call stack/i.test(e.message) ? 'call stack exhausted' : 'out of bounds memory access';
    return annotate(new RuntimeError(msg), e.stack);
  }
  return e;
}

// ---- Integer helpers (i64 ones, on int32 pairs, are in i64.ts) ----

export function i32ctz(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

export function i32popcnt(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

// ---- Float <-> integer conversions (spec §4.3.3: trunc, trunc_sat, convert) ----

/** Throws the trap of a failed i32.trunc: `t` is Math.trunc of the operand. */
export function truncFail(t: number): never {
  throw trap(t !== t ? 'invalid conversion to integer' : 'integer overflow');
}

export function i32truncSatS(x: number): number {
  if (x !== x) return 0;
  if (x >= 2147483647) return 2147483647;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x) | 0;
}

export function i32truncSatU(x: number): number {
  if (x !== x || x <= 0) return 0;
  if (x >= 4294967295) return -1;
  return Math.trunc(x) | 0;
}

// ---- Bit patterns of floats ----
// Through typed arrays, not DataView.setFloat64, which quiets signalling NaNs once optimized in
// Chromium's V8 (see f32.ts).
import { f32Bits, f32FromBits, scratchF64, scratchU32, HI, LO } from './f32.js';
export { f32Bits, f32FromBits };

const scratchI64 = new BigInt64Array(scratchF64.buffer);

export function f64Bits(x: number): bigint {
  scratchF64[0] = x;
  return scratchI64[0];
}

export function f64FromBits(b: bigint): number {
  scratchI64[0] = b;
  return scratchF64[0];
}

export function f32load(dv: DataView, ea: number): number {
  const x = dv.getFloat32(ea, true);
  return x === x ? x : f32FromBits(dv.getUint32(ea, true));
}

export function f32store(dv: DataView, ea: number, x: number): void {
  if (x === x) dv.setFloat32(ea, x, true);
  else dv.setUint32(ea, f32Bits(x), true);
}

/** f64.store of a NaN, bit-exact: two words, the high one first so that a bounds trap writes nothing. */
export function f64storeNaN(dv: DataView, ea: number, x: number): void {
  scratchF64[0] = x;
  dv.setUint32(ea + 4, scratchU32[HI], true);
  dv.setUint32(ea, scratchU32[LO], true);
}

/** Sign operations act on the bits, NaN included (spec: fneg, fabs, fcopysign are not arithmetic). */
export function fneg(x: number): number {
  if (x === x) return -x;
  scratchF64[0] = x;
  scratchU32[HI] ^= 0x80000000;
  return scratchF64[0];
}

export function fabs(x: number): number {
  if (x === x) return Math.abs(x);
  scratchF64[0] = x;
  scratchU32[HI] &= 0x7fffffff;
  return scratchF64[0];
}

export function fcopysign(x: number, y: number): number {
  scratchF64[0] = y;
  const sign = scratchU32[HI] & 0x80000000;
  scratchF64[0] = x;
  scratchU32[HI] = (scratchU32[HI] & 0x7fffffff) | sign;
  return scratchF64[0];
}

/** Round to nearest, ties to even (fnearest). */
export function fnearest(x: number): number {
  if (x !== x) return NaN;
  if (x === 0 || !isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  let r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  if (r === 0 && x < 0) r = -0;
  return r;
}

/** fmin/fmax: NaN if either operand is NaN (a quiet one), -0 below +0. */
export function fmin(a: number, b: number): number {
  return a !== a || b !== b ? NaN : Math.min(a, b);
}

export function fmax(a: number, b: number): number {
  return a !== a || b !== b ? NaN : Math.max(a, b);
}

// ---- Bulk memory (spec §4.4.7: bounds are checked before anything is written) ----

const OOB_MEM = 'out of bounds memory access';
const OOB_TABLE = 'out of bounds table access';

// Compiled code passes engine memories (objects.ts), whose `view` covers exactly the memory.
type ViewMem = { readonly view: DataView };

function bytes(mem: ViewMem): Uint8Array {
  const v = mem.view;
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

export function memFill(mem: ViewMem, d: number, val: number, n: number): void {
  if (d + n > mem.view.byteLength) throw trap(OOB_MEM);
  bytes(mem).fill(val & 0xff, d, d + n);
}

export function memCopy(dst: ViewMem, src: ViewMem, d: number, s: number, n: number): void {
  if (d + n > dst.view.byteLength || s + n > src.view.byteLength) throw trap(OOB_MEM);
  if (n === 0) return;
  if (dst === src) bytes(dst).copyWithin(d, s, s + n);
  else bytes(dst).set(bytes(src).subarray(s, s + n), d);
}

export function memInit(mem: ViewMem, seg: Uint8Array, d: number, s: number, n: number): void {
  if (s + n > seg.length || d + n > mem.view.byteLength) throw trap(OOB_MEM);
  if (n === 0) return;
  bytes(mem).set(seg.subarray(s, s + n), d);
}

export { memGrow } from './objects.js';

// ---- Tables ----

export function tableGet(t: TableObject, i: number): unknown {
  if (i >= t.elements.length) throw trap(OOB_TABLE);
  return t.elements[i];
}

export function tableSet(t: TableObject, i: number, v: unknown): void {
  if (i >= t.elements.length) throw trap(OOB_TABLE);
  t.elements[i] = v;
}

export function tableFill(t: TableObject, i: number, v: unknown, n: number): void {
  if (i + n > t.elements.length) throw trap(OOB_TABLE);
  t.elements.fill(v, i, i + n);
}

export function tableCopy(dst: TableObject, src: TableObject, d: number, s: number, n: number): void {
  if (d + n > dst.elements.length || s + n > src.elements.length) throw trap(OOB_TABLE);
  if (dst === src) dst.elements.copyWithin(d, s, s + n);
  else for (let k = 0; k < n; k++) dst.elements[d + k] = src.elements[s + k];
}

export function tableInit(t: TableObject, seg: readonly unknown[], d: number, s: number, n: number): void {
  if (s + n > seg.length || d + n > t.elements.length) throw trap(OOB_TABLE);
  for (let k = 0; k < n; k++) t.elements[d + k] = seg[s + k];
}

// ---- Calls ----

/** A function reference made by this engine: `raw` calls compiled code without the boundary. */
export interface EngineFuncRef extends FuncRef {
  raw: (...args: unknown[]) => unknown;
  /** What a tail call of it calls: its body, which may return TAIL (engine/tailcall.ts). */
  tail: (...args: unknown[]) => unknown;
}

const hostWrappers = new WeakMap<FuncRef, (...args: unknown[]) => unknown>();

/**
 * What compiled code calls for `f` (internal convention): an engine function's `raw`, a host
 * function's own `raw` when it has one (api/host-call.ts numericHostRaw, which also runs
 * flushGrows and marks what it throws), else a wrapper of its `call` that makes its exceptions
 * recognisably the host's.
 */
export function rawOf(f: FuncRef): (...args: unknown[]) => unknown {
  const raw = (f as Partial<EngineFuncRef>).raw;
  if (raw !== undefined) return raw;
  let w = hostWrappers.get(f);
  if (w === undefined) {
    w = hostCall(f.type, f.call, markHost);
    hostWrappers.set(f, w);
  }
  return w;
}

/** call_indirect's checks (spec §4.4.8): in bounds, not null, and the expected type. */
export function indirect(t: TableObject, i: number, typeId: number): (...args: unknown[]) => unknown {
  const f = t.elements[i] as FuncRef | null | undefined;
  if (f === undefined || i >= t.elements.length) throw trap('undefined element');
  if (f === null) throw trap(`uninitialized element ${i}`);
  if (f.typeId !== typeId && !isSubId(f.typeId, typeId)) throw trap('indirect call type mismatch');
  return (f as Partial<EngineFuncRef>).raw ?? rawOf(f);
}

/** return_call_indirect's checks, as call_indirect's; returns what the tail call calls. */
export function indirectTail(t: TableObject, i: number, typeId: number): (...args: unknown[]) => unknown {
  const f = t.elements[i] as FuncRef | null | undefined;
  if (f === undefined || i >= t.elements.length) throw trap('undefined element');
  if (f === null) throw trap(`uninitialized element ${i}`);
  if (f.typeId !== typeId && !isSubId(f.typeId, typeId)) throw trap('indirect call type mismatch');
  return tailOf(f);
}

/** What a tail call of `f` calls: an engine function's body, or a host function's wrapper. */
export function tailOf(f: FuncRef): (...args: unknown[]) => unknown {
  return (f as Partial<EngineFuncRef>).tail ?? rawOf(f);
}

// ---- Dropped segments (data.drop, elem.drop) ----

export const EMPTY_BYTES = new Uint8Array(0);
export const EMPTY_ELEMS: readonly unknown[] = Object.freeze([]);

export * as simd from './simd.js';
export * as simdWords from './simd-words.js';
export * as i64 from './i64.js';

export * as atomics from './atomics.js';

export { outOfFuel } from './fuel.js';

export * as gc from './gc.js';
export { JS_TAG, NO_PAYLOAD, NewException, exception, exnref, match, thrown } from './exception.js';
export { TAIL, TS, TA } from './tailcall.js';
