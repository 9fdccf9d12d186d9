// Conversions of the JS API (spec: JS API §5 "ToJSValue", "ToWebAssemblyValue", WebIDL
// [EnforceRange] and dictionaries), between JS values and the engine's internal representation
// (engine/types.ts).

import type { RefType, ValType } from '../ast/types.js';
import { anyref, externref, funcref, valTypeToString } from '../ast/types.js';
import type { FuncRef } from '../engine/types.js';
import { externalize, internalize } from '../engine/gc.js';
import { HOST_RTT, KIND_FUNC, isSubId, type RTT } from '../engine/rtt.js';

/** Hooks into the function caches of namespace.ts (set once it loads; avoids an import cycle). */
export const funcHooks: {
  toJS: (f: FuncRef) => Function;
  fromJS: (f: unknown) => FuncRef | undefined;
} = {
  toJS: () => { throw new TypeError('WebAssembly API not initialised'); },
  fromJS: () => undefined,
};

/** ECMAScript ToPrimitive. */
export function toPrimitive(v: unknown, hint: 'number' | 'string' | 'default' = 'number'): unknown {
  if ((typeof v !== 'object' || v === null) && typeof v !== 'function') return v;
  const o = v as Record<PropertyKey, unknown>;
  const exotic = o[Symbol.toPrimitive];
  if (exotic !== undefined && exotic !== null) {
    if (typeof exotic !== 'function') throw new TypeError('Symbol.toPrimitive is not a function');
    const r = exotic.call(v, hint);
    if ((typeof r === 'object' && r !== null) || typeof r === 'function') throw new TypeError('cannot convert object to primitive value');
    return r;
  }
  const order = hint === 'string' ? ['toString', 'valueOf'] : ['valueOf', 'toString'];
  for (const name of order) {
    const m = o[name];
    if (typeof m === 'function') {
      const r = m.call(v);
      if ((typeof r !== 'object' || r === null) && typeof r !== 'function') return r;
    }
  }
  throw new TypeError('cannot convert object to primitive value');
}

/** ECMAScript ToNumber (TypeError for BigInt and Symbol). */
export function toNumber(v: unknown): number {
  return +(v as number);
}

/** ECMAScript ToBigInt: Numbers are a TypeError, strings parse (SyntaxError when they do not). */
export function toBigInt(v: unknown): bigint {
  const p = toPrimitive(v, 'number');
  switch (typeof p) {
    case 'bigint': return p;
    case 'boolean': return p ? 1n : 0n;
    case 'string': return BigInt(p);
    default: throw new TypeError(`cannot convert ${p === null ? 'null' : typeof p} to a BigInt`);
  }
}

/**
 * AddressValueToU64 (JS API, memory64): for i32, [EnforceRange] unsigned long; for i64, ToBigInt
 * (Numbers are a TypeError) in [0, 2^64). The result is a number: exact below 2^53, and at
 * least 2^53 above, which exceeds every size limit, so range checks stay right.
 */
export function addressValueToU64(v: unknown, addr: 'i32' | 'i64', what: string): number {
  if (addr === 'i32') return enforceRange(v, what);
  const n = toBigInt(v);
  if (n < 0n || n >= 2n ** 64n) throw new TypeError(`${what} is out of range: ${n}`);
  return Number(n);
}

/** U64ToAddressValue (JS API): a size or index as a Number (i32) or a BigInt (i64). */
export function u64ToAddressValue(n: number, addr: 'i32' | 'i64'): number | bigint {
  return addr === 'i64' ? BigInt(n) : n;
}

/** WebIDL [EnforceRange] unsigned long (or unsigned long long up to 2^53 when `max` says so). */
export function enforceRange(v: unknown, what: string, max = 0xffffffff): number {
  const n = typeof v === 'bigint' ? Number(v) : toNumber(v);
  if (!Number.isFinite(n)) throw new TypeError(`${what} must be a finite number, got ${String(n)}`);
  const t = Math.trunc(n);
  if (t < 0 || t > max) throw new TypeError(`${what} is out of range: ${t}`);
  return t === 0 ? 0 : t;
}

/** WebIDL dictionary conversion: undefined and null are an empty dictionary, other non-objects a TypeError. */
export function dictionary(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' && typeof v !== 'function') throw new TypeError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

/**
 * ToJSValue: an internal value to JS. `types` resolves concrete heap types (the run-time types of
 * the module the type comes from). GC objects leave as their opaque wrappers and i31 as numbers
 * (engine/gc.ts externalize); externref already holds what JS sees.
 */
export function toJSValue(v: unknown, t: ValType, types?: readonly RTT[]): unknown {
  switch (t) {
    case 'i32': case 'f32': case 'f64': return v;
    case 'i64': return v;
    case 'v128': throw new TypeError('v128 values cannot be passed to or from JavaScript');
  }
  if (isExnType(t)) throw new TypeError('exnref values cannot be passed to JavaScript');
  if (v === null) return null;
  const heap = t.heap;
  if (heap === 'func' || typeof heap === 'number') {
    if (isFuncRef(v)) return funcHooks.toJS(v);
  }
  switch (heap) {
    case 'extern': case 'noextern': case 'exn': case 'noexn': case 'func': case 'nofunc': return v;
  }
  return externalize(v);
}

function isFuncRef(v: unknown): v is FuncRef {
  return typeof v === 'object' && v !== null && typeof (v as FuncRef).call === 'function' && typeof (v as FuncRef).type === 'object';
}

/** ToWebAssemblyValue: a JS value to the internal representation of type t (see toJSValue for `types`). */
export function toWasmValue(v: unknown, t: ValType, types?: readonly RTT[]): unknown {
  switch (t) {
    case 'i32': return toNumber(v) | 0;
    case 'i64': return BigInt.asIntN(64, toBigInt(v));
    case 'f32': return Math.fround(toNumber(v));
    case 'f64': return toNumber(v);
    case 'v128': throw new TypeError('v128 values cannot be passed to or from JavaScript');
  }
  return toWasmRef(v, t, types);
}

function toWasmRef(v: unknown, t: RefType, types: readonly RTT[] | undefined): unknown {
  if (isExnType(t)) throw new TypeError('exnref values cannot be made from JavaScript');
  if (v === null) {
    if (!t.nullable) throw new TypeError(`null is not a value of type ${valTypeToString(t)}`);
    return null;
  }
  const heap = t.heap;
  const mismatch = (): TypeError => new TypeError(`value is not of type ${valTypeToString(t)}`);
  switch (heap) {
    // JS API: a number in i31 range becomes an i31 (as itself, but -0 is 0); other values stay.
    case 'extern': return Object.is(v, -0) ? 0 : v;
    case 'func': {
      const f = funcHooks.fromJS(v);
      if (!f) throw new TypeError(`value of type ${valTypeToString(t)} must be null or an exported WebAssembly function`);
      return f;
    }
    case 'nofunc': case 'noextern': case 'none': case 'noexn':
      throw new TypeError(`only null is a value of type ${valTypeToString(t)}`);
    case 'exn':
      throw new TypeError(`values of type ${valTypeToString(t)} cannot be passed from JavaScript`);
  }
  const r = typeof heap === 'number' ? types?.[heap] : undefined;
  if (typeof heap === 'number' && (r === undefined || r.kind === KIND_FUNC)) {
    const f = funcHooks.fromJS(v);
    if (f && (r === undefined || isSubId(f.typeId, r.id))) return f;
    throw mismatch();
  }
  // The any hierarchy: internalize (i31, the GC object behind a wrapper, or a boxed host value), then check.
  const x = internalize(v);
  const rt = typeof x === 'number' ? undefined : (x as { t: RTT }).t;
  let ok: boolean;
  switch (heap) {
    case 'any': ok = true; break;
    case 'eq': ok = rt !== HOST_RTT; break;
    case 'i31': ok = rt === undefined; break;
    case 'struct': ok = rt !== undefined && rt.kind === 1; break;
    case 'array': ok = rt !== undefined && rt.kind === 2; break;
    default: ok = rt !== undefined && r !== undefined && rt.isSub(r); break;
  }
  if (!ok) throw mismatch();
  return x;
}

/** DefaultValue(type) of the JS API: 0 for numbers, null for funcref, undefined for externref. */
export function defaultValue(t: ValType): unknown {
  switch (t) {
    case 'i32': case 'f32': case 'f64': return 0;
    case 'i64': return 0n;
    case 'v128': throw new TypeError('v128 values cannot be created from JavaScript');
  }
  return t.heap === 'extern' ? toWasmValue(undefined, t) : null;
}

/** Whether a type cannot cross the JS boundary: v128 and exnref (JS API "call an Exported Function"). */
export function hasV128(types: readonly ValType[]): boolean {
  return types.some((t) => t === 'v128' || isExnType(t));
}

function isExnType(t: ValType): boolean {
  return typeof t === 'object' && (t.heap === 'exn' || t.heap === 'noexn');
}

/** ToValueType (WebIDL enum ValueType, as Global and Tag take it); `what` names it in the TypeError. */
export function toValueType(v: unknown, what: string): ValType {
  const s = String(v);
  switch (s) {
    case 'i32': case 'i64': case 'f32': case 'f64': case 'v128': return s;
    case 'anyfunc': case 'funcref': return funcref;
    case 'externref': return externref;
    case 'anyref': return anyref;
    default: throw new TypeError(`invalid ${what} type "${s}"`);
  }
}
