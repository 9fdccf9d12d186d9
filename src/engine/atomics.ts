// Atomic memory instructions (threads proposal; Wasm 3.0 §4.4.7 with the threads extension),
// called from generated code as `A.<op><bits>(mem, ea, ...)`. JS's Atomics do the work on typed
// arrays over the memory's buffer: they are sequentially consistent (what Wasm's atomics
// require) and work on unshared buffers too. Wasm is little-endian and so is every host V8,
// SpiderMonkey and JSC run on, so the typed arrays' platform byte order is Wasm's.
//
// Checks, in the reference interpreter's order: alignment ("unaligned atomic"), then bounds,
// then for wait "expected shared memory". `ea` is the effective address as generated code
// computes it (codegen/address.ts): exact below 2^53, and at least 2^53 otherwise.

import { RuntimeError } from '../errors.js';

const trap = (message: string): RuntimeError => new RuntimeError(message);

type Mem = { readonly view: DataView; readonly type: { readonly shared: boolean } };

interface Views {
  /** The DataView of the memory these arrays cover (engine memories replace it when they grow). */
  readonly view: DataView;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly i64: BigInt64Array;
}

const cache = new WeakMap<object, Views>();
let lastMem: object | undefined;
let lastViews: Views | undefined;

/**
 * Typed arrays over exactly the memory's current view. Fixed-length ones: V8's Atomics on arrays
 * that track a growable SharedArrayBuffer's length are several times slower.
 */
function views(mem: Mem): Views {
  const view = mem.view;
  if (lastMem === mem && lastViews!.view === view) return lastViews!;
  let v = cache.get(mem);
  if (v === undefined || v.view !== view) {
    const b = view.buffer, n = view.byteLength;
    v = {
      view, u8: new Uint8Array(b, 0, n), u16: new Uint16Array(b, 0, n >>> 1), i32: new Int32Array(b, 0, n >>> 2),
      u32: new Uint32Array(b, 0, n >>> 2), i64: new BigInt64Array(b, 0, Math.floor(n / 8)),
    };
    cache.set(mem, v);
  }
  lastMem = mem;
  lastViews = v;
  return v;
}

/** Checks an access of `size` bytes at `ea`; returns the element index in arrays of that size. */
function at(m: Mem, ea: number, size: number): number {
  // Numbers at or above 2^53 are out of bounds whatever they round to (their alignment is
  // checked exactly by generated code for 64-bit memories).
  if (ea % size !== 0 && ea < 2 ** 53) throw trap('unaligned atomic');
  // (The arrays' length, cheaper to read than a DataView's byteLength.)
  if (ea + size > views(m).u8.length) throw trap('out of bounds memory access');
  return ea / size;
}

// ---- Loads and stores (zero-extending) ----

export const load8 = (m: Mem, ea: number): number => Atomics.load(views(m).u8, at(m, ea, 1));
export const load16 = (m: Mem, ea: number): number => Atomics.load(views(m).u16, at(m, ea, 2));
export const load32 = (m: Mem, ea: number): number => Atomics.load(views(m).i32, at(m, ea, 4));
export const load32u = (m: Mem, ea: number): number => Atomics.load(views(m).u32, at(m, ea, 4));
export const load64 = (m: Mem, ea: number): bigint => Atomics.load(views(m).i64, at(m, ea, 8));

export function store8(m: Mem, ea: number, x: number): void { Atomics.store(views(m).u8, at(m, ea, 1), x); }
export function store16(m: Mem, ea: number, x: number): void { Atomics.store(views(m).u16, at(m, ea, 2), x); }
export function store32(m: Mem, ea: number, x: number): void { Atomics.store(views(m).i32, at(m, ea, 4), x); }
export function store64(m: Mem, ea: number, x: bigint): void { Atomics.store(views(m).i64, at(m, ea, 8), x); }

// ---- Read-modify-write: each returns the old value, zero-extended ----

type NumOp = (a: Uint8Array | Uint16Array | Int32Array | Uint32Array, i: number, x: number) => number;
type BigOp = (a: BigInt64Array, i: number, x: bigint) => bigint;

function rmw(op: NumOp, bigOp: BigOp) {
  return {
    r8: (m: Mem, ea: number, x: number): number => op(views(m).u8, at(m, ea, 1), x),
    r16: (m: Mem, ea: number, x: number): number => op(views(m).u16, at(m, ea, 2), x),
    r32: (m: Mem, ea: number, x: number): number => op(views(m).i32, at(m, ea, 4), x),
    r32u: (m: Mem, ea: number, x: number): number => op(views(m).u32, at(m, ea, 4), x),
    r64: (m: Mem, ea: number, x: bigint): bigint => bigOp(views(m).i64, at(m, ea, 8), x),
  };
}

const ops = {
  add: rmw(Atomics.add as NumOp, Atomics.add as BigOp),
  sub: rmw(Atomics.sub as NumOp, Atomics.sub as BigOp),
  and: rmw(Atomics.and as NumOp, Atomics.and as BigOp),
  or: rmw(Atomics.or as NumOp, Atomics.or as BigOp),
  xor: rmw(Atomics.xor as NumOp, Atomics.xor as BigOp),
  xchg: rmw(Atomics.exchange as NumOp, Atomics.exchange as BigOp),
};

export const add8 = ops.add.r8, add16 = ops.add.r16, add32 = ops.add.r32, add32u = ops.add.r32u, add64 = ops.add.r64;
export const sub8 = ops.sub.r8, sub16 = ops.sub.r16, sub32 = ops.sub.r32, sub32u = ops.sub.r32u, sub64 = ops.sub.r64;
export const and8 = ops.and.r8, and16 = ops.and.r16, and32 = ops.and.r32, and32u = ops.and.r32u, and64 = ops.and.r64;
export const or8 = ops.or.r8, or16 = ops.or.r16, or32 = ops.or.r32, or32u = ops.or.r32u, or64 = ops.or.r64;
export const xor8 = ops.xor.r8, xor16 = ops.xor.r16, xor32 = ops.xor.r32, xor32u = ops.xor.r32u, xor64 = ops.xor.r64;
export const xchg8 = ops.xchg.r8, xchg16 = ops.xchg.r16, xchg32 = ops.xchg.r32, xchg32u = ops.xchg.r32u, xchg64 = ops.xchg.r64;

// The expected value is wrapped to the access width (Atomics converts it modulo 2^bits, as
// Wasm's narrow cmpxchg wraps it) before the comparison.
export const cmpxchg8 = (m: Mem, ea: number, e: number, x: number): number => Atomics.compareExchange(views(m).u8, at(m, ea, 1), e, x);
export const cmpxchg16 = (m: Mem, ea: number, e: number, x: number): number => Atomics.compareExchange(views(m).u16, at(m, ea, 2), e, x);
export const cmpxchg32 = (m: Mem, ea: number, e: number, x: number): number => Atomics.compareExchange(views(m).i32, at(m, ea, 4), e, x);
export const cmpxchg32u = (m: Mem, ea: number, e: number, x: number): number => Atomics.compareExchange(views(m).u32, at(m, ea, 4), e, x);
export const cmpxchg64 = (m: Mem, ea: number, e: bigint, x: bigint): bigint => Atomics.compareExchange(views(m).i64, at(m, ea, 8), e, x);

// ---- Fence ----

// JS has no fence of its own; a sequentially consistent read-modify-write is one in practice
// (V8 emits a locked instruction, a full barrier), and no plain access moves across the call.
const fenceCell = new Int32Array(typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4) : new ArrayBuffer(4));

/** atomic.fence. */
export function fence(): void {
  Atomics.add(fenceCell, 0, 0);
}

// ---- Wait and notify ----

/** A timeout in nanoseconds (negative: none) as Atomics.wait's milliseconds. */
function millis(ns: bigint): number {
  return ns < 0n ? Infinity : Number(ns) / 1e6;
}

const WAIT_RESULT: Record<string, number> = { 'ok': 0, 'not-equal': 1, 'timed-out': 2 };

function isShared(b: ArrayBufferLike): b is SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' && b instanceof SharedArrayBuffer;
}

/** memory.atomic.wait32: 0 woken, 1 value not equal to `expected`, 2 timed out. */
export function wait32(m: Mem, ea: number, expected: number, timeout: bigint): number {
  const i = at(m, ea, 4);
  if (!m.type.shared) throw trap('expected shared memory');
  const a = views(m).i32;
  // A shared memory without SharedArrayBuffer (hosts that lack it) has one agent: nothing can wake it.
  if (!isShared(a.buffer)) return Atomics.load(a, i) !== expected ? 1 : 2;
  return WAIT_RESULT[Atomics.wait(a, i, expected, millis(timeout))];
}

/** memory.atomic.wait64. */
export function wait64(m: Mem, ea: number, expected: bigint, timeout: bigint): number {
  const i = at(m, ea, 8);
  if (!m.type.shared) throw trap('expected shared memory');
  const a = views(m).i64;
  if (!isShared(a.buffer)) return Atomics.load(a, i) !== expected ? 1 : 2;
  return WAIT_RESULT[Atomics.wait(a, i, expected, millis(timeout))];
}

/** memory.atomic.notify: wakes up to `count` (unsigned) waiters at ea; returns how many woke (0 for unshared memories). */
export function notify(m: Mem, ea: number, count: number): number {
  const i = at(m, ea, 4);
  const a = views(m).i32;
  if (!isShared(a.buffer)) return 0;
  return Atomics.notify(a, i, count >>> 0);
}
