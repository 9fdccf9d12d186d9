// canon lift and canon lower (CanonicalABI.md "canon_lift", "canon_lower"): a core function
// becomes a JS function taking and returning JS values, and a JS function (host or another
// component's export) becomes a core function taking and returning flat values. Following jco, a
// function whose only result is a `result` returns its ok value and throws its error (a
// ComponentError carrying `payload`).

import type { FuncType, Type } from '../types.js';
import { flatSignature, layout } from './layout.js';
import { LiftLowerContext, type CanonicalOptions, type InstanceState } from './context.js';
import { FlatValues, liftFlat, loadTuple, lowerFlat, storeTuple } from './values.js';
import { trap, dropEntry } from './resources.js';
import type { Resource } from '../types.js';

/** The error of a `result` returned by a component function (jco: ComponentError). */
export class ComponentError extends Error {
  constructor(readonly payload: unknown) {
    super(typeof payload === 'string' ? payload : `component error: ${describe(payload)}`);
    this.name = 'ComponentError';
  }
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

/** The payload of an error thrown by a host function for a `result` error (jco's getErrorPayload). */
function errorPayload(e: unknown): unknown {
  if (e !== null && typeof e === 'object' && Object.hasOwn(e, 'payload')) return (e as { payload: unknown }).payload;
  if (e instanceof Error) throw e;
  return e;
}

const returnsResult = (ft: FuncType): boolean => ft.results.length === 1 && ft.results[0].kind === 'result' && ft.resultNames === undefined;

type TupleType = Type & { kind: 'tuple' };

function tuples(ft: FuncType): { params: TupleType; results: TupleType } {
  return { params: { kind: 'tuple', types: ft.params.map((p) => p.type) }, results: { kind: 'tuple', types: ft.results } };
}

export type JsFunction = (...args: unknown[]) => unknown;

/** A component instance as calls see it: its handle table, and whether it may be entered now. */
export interface CallableInstance extends InstanceState {
  /** Cleared while a call into the instance runs post-return (CanonicalABI.md: may_enter). */
  mayEnter: boolean;
}

// Numbers, booleans and chars only: lifting and lowering them needs no memory, realloc or
// handle table, so such functions skip the call context entirely (most WASI calls and the
// arithmetic exports of libraries). Each converter is the flat rule of its type.
const SCALAR_TO_CORE: Partial<Record<Type['kind'], (v: unknown) => unknown>> = {
  bool: (v) => (v ? 1 : 0),
  s8: (v) => numberOf(v) | 0, u8: (v) => numberOf(v) | 0, s16: (v) => numberOf(v) | 0, u16: (v) => numberOf(v) | 0,
  s32: (v) => numberOf(v) | 0, u32: (v) => numberOf(v) | 0,
  s64: (v) => BigInt.asIntN(64, bigintOf(v)), u64: (v) => BigInt.asIntN(64, bigintOf(v)),
  f32: (v) => Math.fround(numberOf(v)), f64: (v) => numberOf(v),
};
const SCALAR_FROM_CORE: Partial<Record<Type['kind'], (v: unknown) => unknown>> = {
  bool: (v) => (v as number) !== 0,
  s8: (v) => ((v as number) << 24) >> 24, u8: (v) => (v as number) & 0xff,
  s16: (v) => ((v as number) << 16) >> 16, u16: (v) => (v as number) & 0xffff,
  s32: (v) => (v as number) | 0, u32: (v) => (v as number) >>> 0,
  s64: (v) => BigInt.asIntN(64, v as bigint), u64: (v) => BigInt.asUintN(64, v as bigint),
  f32: (v) => v, f64: (v) => v,
};

function numberOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return Number(v);
  throw new TypeError(`expected a number, got ${typeof v}`);
}

function bigintOf(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new TypeError(`expected a BigInt, got ${typeof v}`);
}

function scalarSignature(ft: FuncType): boolean {
  return ft.resultNames === undefined && ft.results.length <= 1
    && ft.params.length <= 16 && ft.params.every((p) => SCALAR_TO_CORE[p.type.kind] !== undefined)
    && ft.results.every((r) => SCALAR_FROM_CORE[r.kind] !== undefined);
}

/** Runs guest code with the instance closed to reentrance (CanonicalABI's may_enter) until it returns or throws. */
function callGuest(inst: CallableInstance, core: (...args: unknown[]) => unknown, flat: unknown[]): unknown {
  inst.mayEnter = false;
  try {
    return core(...flat);
  } finally {
    inst.mayEnter = true;
  }
}

/** canon lift: the JS function for a core function of instance `inst`. */
export function liftFunction(ft: FuncType, core: (...args: unknown[]) => unknown, opts: CanonicalOptions, inst: CallableInstance): JsFunction {
  if (scalarSignature(ft) && opts.postReturn === undefined) {
    const toCore = ft.params.map((p) => SCALAR_TO_CORE[p.type.kind]!);
    const fromCore = ft.results.length === 1 ? SCALAR_FROM_CORE[ft.results[0].kind]! : undefined;
    const n = toCore.length;
    return function lifted(...args: unknown[]): unknown {
      if (!inst.mayEnter) trap('cannot enter the component instance (reentrance)');
      const flat = new Array<unknown>(n);
      for (let i = 0; i < n; i++) flat[i] = toCore[i](args[i]);
      const r = callGuest(inst, core, flat);
      return fromCore === undefined ? undefined : fromCore(r);
    };
  }
  const sig = flatSignature(ft, 'lift');
  const { params, results } = tuples(ft);
  const isResult = returnsResult(ft);
  const paramTypes = ft.params.map((p) => p.type);
  return function lifted(...args: unknown[]): unknown {
    if (!inst.mayEnter) trap('cannot enter the component instance (reentrance)');
    const cx = new LiftLowerContext(opts, inst);
    let flat: unknown[] = [];
    if (sig.paramsInMemory) {
      const l = layout(params);
      const ptr = cx.alloc(l.align, l.size);
      storeTuple(cx, args, params, ptr);
      flat = [ptr];
    } else for (let i = 0; i < paramTypes.length; i++) lowerFlat(cx, args[i], paramTypes[i], flat);
    const r = callGuest(inst, core, flat);
    let values: unknown[];
    if (sig.resultsInMemory) values = loadTuple(cx, Number(r) >>> 0, results);
    else if (ft.results.length === 1) values = [liftFlat(cx, new FlatValues([r]), ft.results[0])];
    else values = [];
    if (opts.postReturn !== undefined) {
      callGuest(inst, opts.postReturn, sig.results.length === 1 ? [r] : []);
    }
    if (cx.scope.borrowCount !== 0) trap('borrowed handles still remain at the end of the call');
    if (values.length === 0) return undefined;
    if (values.length > 1 || ft.resultNames !== undefined) return values;
    if (isResult) {
      const v = values[0] as { tag: string; val: unknown };
      if (v.tag === 'err') throw new ComponentError(v.val);
      return v.val;
    }
    return values[0];
  };
}

/** canon lower: the core function (flat values) calling the JS function `callee` for instance `inst`. */
export function lowerFunction(ft: FuncType, callee: JsFunction, opts: CanonicalOptions, inst: InstanceState): (...flat: unknown[]) => unknown {
  if (scalarSignature(ft)) {
    const fromCore = ft.params.map((p) => SCALAR_FROM_CORE[p.type.kind]!);
    const toCore = ft.results.length === 1 ? SCALAR_TO_CORE[ft.results[0].kind]! : undefined;
    const n = fromCore.length;
    return function lowered(...flat: unknown[]): unknown {
      const args = new Array<unknown>(n);
      for (let i = 0; i < n; i++) args[i] = fromCore[i](flat[i]);
      const r = callee(...args);
      return toCore === undefined ? undefined : toCore(r);
    };
  }
  const sig = flatSignature(ft, 'lower');
  const { params, results } = tuples(ft);
  const isResult = returnsResult(ft);
  const paramTypes = ft.params.map((p) => p.type);
  const nResults = ft.results.length;
  return function lowered(...flat: unknown[]): unknown {
    const cx = new LiftLowerContext(opts, inst);
    let args: unknown[];
    if (sig.paramsInMemory) args = loadTuple(cx, Number(flat[0]) >>> 0, params);
    else {
      const vi = new FlatValues(flat);
      args = new Array<unknown>(paramTypes.length);
      for (let i = 0; i < paramTypes.length; i++) args[i] = liftFlat(cx, vi, paramTypes[i]);
    }
    let values: unknown[];
    try {
      if (isResult) {
        try {
          values = [{ tag: 'ok', val: callee(...args) }];
        } catch (e) {
          values = [{ tag: 'err', val: errorPayload(e) }];
        }
      } else {
        const r = callee(...args);
        values = nResults === 0 ? [] : nResults === 1 && ft.resultNames === undefined ? [r] : (r as unknown[]);
      }
      if (sig.resultsInMemory) {
        storeTuple(cx, values, results, Number(flat[flat.length - 1]) >>> 0);
        return undefined;
      }
      if (nResults === 0) return undefined;
      const out: unknown[] = [];
      lowerFlat(cx, values[0], ft.results[0], out);
      return out[0];
    } finally {
      cx.scope.release();
    }
  };
}

/** canon resource.new: a core function making an owned handle for a representation. */
export function resourceNew(r: Resource, inst: InstanceState): (rep: number) => number {
  return (rep) => inst.table.add({ resource: r, rep: rep | 0, own: true, lends: 0 });
}

/** canon resource.drop. */
export function resourceDrop(r: Resource, inst: InstanceState): (i: number) => void {
  return (i) => {
    const h = inst.table.get(i, r);
    if (h.own && h.lends !== 0) trap(`cannot drop a ${r.name} handle while it is lent out`);
    dropEntry(inst.table.remove(i, r));
  };
}

/** canon resource.rep. */
export function resourceRep(r: Resource, inst: InstanceState): (i: number) => number {
  return (i) => inst.table.get(i, r).rep as number;
}
