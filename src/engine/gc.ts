// GC objects at run time (Wasm 3.0 GC; measurements in bench/results/representations.md §8):
//
//   struct  -> a plain object `{ t: RTT, f0, f1, ... }` (an object literal of one shape per type)
//   array   -> a typed array for numeric elements (Int8Array/Int16Array for packed i8/i16,
//              Int32Array, BigInt64Array, Float64Array for f32 and f64) or a JS array for
//              references and v128, with a `t: RTT` property
//   i31     -> a JS number in [-2^30, 2^30)
//   a host value in the any hierarchy (any.convert_extern of a non-GC externref) -> a HostBox
//              `{ t: HOST_RTT, v }`
//
// So every non-null, non-number value of the any hierarchy is an engine object with `t`, and a
// cast reads `x.t` without meeting host objects (no getters, no proxies). externref holds what
// JS sees: host values as themselves, i31 as numbers, and GC objects as their opaque exported
// wrapper (JS API "Exported GC Object"), made once per object; extern.convert_any and
// any.convert_extern translate, and round-trip identity holds both ways.

import { RuntimeError } from '../errors.js';
import { f32FromBits } from './f32.js';
import { HOST_RTT, type RTT } from './rtt.js';
import { V128_ZERO, v128FromBytes } from './simd.js';

export { isSubId } from './rtt.js';

export interface HostBox { readonly t: RTT; readonly v: unknown }
export interface GcStruct { readonly t: RTT; [field: string]: unknown }
export type GcArray = (Int8Array | Int16Array | Int32Array | BigInt64Array | Float64Array | unknown[]) & { t: RTT };

export function trap(message: string): RuntimeError {
  return new RuntimeError(message);
}

// ---- The JS-facing wrappers of GC objects (JS API: Exported GC Objects are opaque) ----

const wrappers = new WeakMap<object, object>();
const wrapped = new WeakMap<object, object>();

const opaque: ProxyHandler<object> = {
  getPrototypeOf: () => null,
  setPrototypeOf: () => false,
  isExtensible: () => false,
  preventExtensions: () => false,
  getOwnPropertyDescriptor: () => undefined,
  defineProperty: () => false,
  has: () => false,
  get: () => undefined,
  set: () => false,
  deleteProperty: () => false,
  ownKeys: () => [],
};

/** The one exported wrapper of a struct or array. */
function wrapperOf(o: object): object {
  let w = wrappers.get(o);
  if (w === undefined) {
    w = new Proxy(Object.freeze(Object.create(null) as object), opaque);
    wrappers.set(o, w);
    wrapped.set(w, o);
  }
  return w;
}

/** The struct or array an exported wrapper stands for, if `v` is one. */
export function gcObjectOf(v: unknown): object | undefined {
  return typeof v === 'object' && v !== null ? wrapped.get(v) : undefined;
}

// ---- extern.convert_any / any.convert_extern ----

/** any.convert_extern: an externref as an anyref. */
export function internalize(x: unknown): unknown {
  if (x === null) return null;
  if (typeof x === 'number') {
    const i = (x << 1) >> 1;
    if (i === x) return i; // an i31 (also -0, as +0)
  } else if (typeof x === 'object') {
    const o = wrapped.get(x as object);
    if (o !== undefined) return o;
  }
  return { t: HOST_RTT, v: x } satisfies HostBox;
}

/** extern.convert_any: an anyref as an externref. */
export function externalize(x: unknown): unknown {
  if (x === null || typeof x === 'number') return x;
  const o = x as { t: RTT; v?: unknown };
  return o.t === HOST_RTT ? o.v : wrapperOf(o);
}

/** The kind of a non-null anyref: 'i31', 'struct', 'array' or 'host'. */
export function anyKind(x: unknown): 'i31' | 'struct' | 'array' | 'host' {
  if (typeof x === 'number') return 'i31';
  const t = (x as { t: RTT }).t;
  return t.kind === 1 ? 'struct' : t.kind === 2 ? 'array' : 'host';
}

// ---- Arrays ----

const OOB = 'out of bounds array access';

/** A new array of type T with n elements (uninitialised numbers are 0; references null). */
export function newArray(T: RTT, n: number): GcArray {
  const e = T.fields[0];
  let a: GcArray;
  try {
    switch (e.packed || e.c) {
      case 8: a = new Int8Array(n) as GcArray; break;
      case 16: a = new Int16Array(n) as GcArray; break;
      case 'i': a = new Int32Array(n) as GcArray; break;
      case 'j': a = new BigInt64Array(n) as GcArray; break;
      case 'f': case 'd': a = new Float64Array(n) as GcArray; break;
      default: a = new Array<unknown>(n).fill(e.c === 'v' ? V128_ZERO : null) as GcArray; break;
    }
  } catch (e) {
    if (e instanceof RangeError) throw trap('out of memory: array too large');
    throw e;
  }
  a.t = T;
  return a;
}

/** array.new: n copies of v. */
export function arrayNew(T: RTT, v: unknown, n: number): GcArray {
  const a = newArray(T, n);
  if (n > 0) (a as unknown[]).fill(v as never);
  return a;
}

/** array.new_fixed (and constant expressions): an array of the given values. */
export function arrayOf(T: RTT, values: readonly unknown[]): GcArray {
  const a = newArray(T, values.length);
  for (let i = 0; i < values.length; i++) (a as unknown[])[i] = values[i];
  return a;
}

/** Bytes per element of an array type's storage, for data segments. */
function elemSize(T: RTT): number {
  const e = T.fields[0];
  if (e.packed) return e.packed / 8;
  switch (e.c) {
    case 'i': case 'f': return 4;
    case 'j': case 'd': return 8;
    case 'v': return 16;
    default: return 0;
  }
}

/** Reads n elements of T's storage type from seg at byte offset s. */
function readData(T: RTT, seg: Uint8Array, s: number, n: number): unknown[] {
  const dv = new DataView(seg.buffer, seg.byteOffset, seg.byteLength);
  const e = T.fields[0];
  const size = elemSize(T);
  const out: unknown[] = [];
  for (let k = 0, p = s; k < n; k++, p += size) {
    if (e.packed === 8) out.push(dv.getInt8(p));
    else if (e.packed === 16) out.push(dv.getInt16(p, true));
    else switch (e.c) {
      case 'i': out.push(dv.getInt32(p, true)); break;
      case 'j': out.push(dv.getBigInt64(p, true)); break;
      case 'f': out.push(f32FromBits(dv.getInt32(p, true))); break;
      case 'd': out.push(dv.getFloat64(p, true)); break;
      default: out.push(v128FromBytes(seg.subarray(p, p + 16))); break;
    }
  }
  return out;
}

/** array.new_data: n elements read from data segment seg at byte offset s. */
export function arrayNewData(T: RTT, seg: Uint8Array, s: number, n: number): GcArray {
  if (s + n * elemSize(T) > seg.length) throw trap('out of bounds memory access');
  return arrayOf(T, readData(T, seg, s, n));
}

/** array.new_elem: n references of element segment seg from index s. */
export function arrayNewElem(T: RTT, seg: readonly unknown[], s: number, n: number): GcArray {
  if (s + n > seg.length) throw trap('out of bounds table access');
  return arrayOf(T, seg.slice(s, s + n));
}

export function arrayFill(a: GcArray | null, d: number, v: unknown, n: number): void {
  if (a === null) throw trap('null array reference');
  if (d + n > a.length) throw trap(OOB);
  (a as unknown[]).fill(v as never, d, d + n);
}

export function arrayCopy(dst: GcArray | null, d: number, src: GcArray | null, s: number, n: number): void {
  if (dst === null || src === null) throw trap('null array reference');
  if (d + n > dst.length || s + n > src.length) throw trap(OOB);
  if (n === 0) return;
  if (dst === src) (dst as unknown[]).copyWithin(d, s, s + n);
  else if (ArrayBuffer.isView(dst) && ArrayBuffer.isView(src)) (dst as Int32Array).set((src as Int32Array).subarray(s, s + n), d);
  else for (let k = 0; k < n; k++) (dst as unknown[])[d + k] = (src as unknown[])[s + k];
}

export function arrayInitData(a: GcArray | null, d: number, seg: Uint8Array, s: number, n: number): void {
  if (a === null) throw trap('null array reference');
  if (d + n > a.length) throw trap(OOB);
  if (s + n * elemSize(a.t) > seg.length) throw trap('out of bounds memory access');
  const vs = readData(a.t, seg, s, n);
  for (let k = 0; k < n; k++) (a as unknown[])[d + k] = vs[k];
}

export function arrayInitElem(a: GcArray | null, d: number, seg: readonly unknown[], s: number, n: number): void {
  if (a === null) throw trap('null array reference');
  if (d + n > a.length) throw trap(OOB);
  if (s + n > seg.length) throw trap('out of bounds table access');
  for (let k = 0; k < n; k++) (a as unknown[])[d + k] = seg[s + k];
}
