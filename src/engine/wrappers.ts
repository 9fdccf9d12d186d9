// Fixed-arity wrapper functions. Rest parameters (`...args`) would put the arguments in an
// array, and V8 quiets signalling NaNs stored in arrays of doubles, so wrappers that forward
// float arguments are generated per arity instead (and cached).

import { flushGrows } from './objects.js';

type Fn = (...args: unknown[]) => unknown;

function params(n: number): string {
  return Array.from({ length: n }, (_, i) => `a${i}`).join(', ');
}

const boundaries: ((ref: { raw: Fn }, convert: (e: unknown) => unknown, flush: () => void) => Fn)[] = [];

/**
 * `ref.raw(...)` with thrown errors converted by `convert` (the Wasm boundary). Deferred memory
 * grow callbacks run before JS sees the result (objects.ts flushGrows).
 */
export function boundary(n: number, ref: { raw: Fn }, convert: (e: unknown) => unknown): Fn {
  const f = (boundaries[n] ??= new Function('ref', 'convert', 'flush',
    `return function (${params(n)}) { let r; try { r = ref.raw(${params(n)}); } catch (e) { flush(); throw convert(e); } flush(); return r; };`,
  ) as (typeof boundaries)[number]);
  return f(ref, convert, flushGrows);
}

const stubs: ((compile: () => Fn) => Fn)[] = [];

/** Calls `compile()` (which installs the compiled function) and then what it returns. */
export function lazyStub(n: number, compile: () => Fn): Fn {
  const f = (stubs[n] ??= new Function('compile',
    `return function (${params(n)}) { return compile()(${params(n)}); };`,
  ) as (typeof stubs)[number]);
  return f(compile);
}

const hosts: ((call: Fn, mark: (e: unknown) => void, flush: () => void) => Fn)[] = [];

/**
 * Calls a host function, marking what it throws as the host's own (runtime.ts markHost); first
 * runs deferred memory grow callbacks (objects.ts flushGrows), as the host may look at memory.
 */
export function hostCall(n: number, call: Fn, mark: (e: unknown) => void): Fn {
  const f = (hosts[n] ??= new Function('call', 'mark', 'flush',
    `return function (${params(n)}) { flush(); try { return call(${params(n)}); } catch (e) { mark(e); throw e; } };`,
  ) as (typeof hosts)[number]);
  return f(call, mark, flushGrows);
}
