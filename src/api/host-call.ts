// The call of a host function (JS API "create a host function") whose parameters are all numbers
// (i32, i64, f32, f64: their internal values are the JS values, ToJSValue leaves them as they
// are) and that has at most one result: a function of the host function's fixed arity that
// passes the arguments straight on, so a call allocates no argument arrays. WASI's functions
// are all of this kind, and programs call fd_write once per line or buffer flush.

import type { FuncType, ValType } from '../ast/types.js';
import { flushGrows } from '../engine/objects.js';
import { toWasmValue } from './convert.js';

type Fn = (...args: unknown[]) => unknown;
type Maker = (fn: Function, mark: (e: unknown) => void, result: ((v: unknown) => unknown) | undefined, flush: () => void) => Fn;

const NUMERIC = new Set<ValType>(['i32', 'i64', 'f32', 'f64']);
// Generated per arity (cached), as engine/wrappers.ts does: rest parameters would collect the
// arguments in an array, which also quiets signalling NaNs among doubles.
const makers: Maker[] = [];
const rawMakers: Maker[] = [];

/** Whether numericHostCall applies to a function of this type. */
export function isNumericHostType(type: Pick<FuncType, 'params' | 'results'>): boolean {
  return type.params.every((t) => NUMERIC.has(t)) && type.results.length <= 1 && type.results.every((t) => NUMERIC.has(t));
}

/** The call of `fn` as a function of `type` (isNumericHostType); `mark` tags what it throws as the host's. */
export function numericHostCall(type: FuncType, fn: Function, mark: (e: unknown) => void): Fn {
  return make(makers, '', type, fn, mark);
}

/**
 * The same call as compiled code of Kasane's engine makes it (engine/runtime.ts EngineFuncRef.raw:
 * the engine's internal convention, deferred memory grow callbacks run first), for a type whose
 * parameters and result are i32, f32 or f64, whose internal values are their JS values (an i64 is
 * two words there). One wrapper instead of the engine's generic host wrapper around
 * numericHostCall's: a frame and a try less on every import call (fd_write's, for one).
 */
export function numericHostRaw(type: FuncType, fn: Function, mark: (e: unknown) => void): Fn | undefined {
  if (type.params.includes('i64') || type.results.includes('i64')) return undefined;
  return make(rawMakers, 'flush(); ', type, fn, mark);
}

function make(cache: Maker[], before: string, type: FuncType, fn: Function, mark: (e: unknown) => void): Fn {
  const n = type.params.length;
  const params = Array.from({ length: n }, (_, i) => `a${i}`).join(', ');
  const maker = (cache[n] ??= new Function('fn', 'mark', 'result', 'flush',
    `return function (${params}) { ${before}let r; try { r = fn(${params}); } catch (e) { mark(e); throw e; } ` +
    `return result === undefined ? undefined : result(r); };`,
  ) as Maker);
  const t = type.results[0];
  // ToWebAssemblyValue of the result (a Number for an i32 result without the call).
  const result = t === undefined ? undefined
    : t === 'i32' ? (v: unknown) => (typeof v === 'number' ? v | 0 : toWasmValue(v, 'i32'))
    : (v: unknown) => toWasmValue(v, t);
  return maker(fn, mark, result, flushGrows);
}
