// Fixed-arity wrapper functions. Rest parameters (`...args`) would put the arguments in an
// array, and V8 quiets signalling NaNs stored in arrays of doubles, so wrappers that forward
// float arguments are generated per signature instead (and cached).
//
// Compiled code calls in the internal convention (types.ts): an i64 is two arguments (low,
// high word), an i64 result is returned as its low word with the high word in HI.h, several
// results as an array with an i64 as two entries. `FuncRef.call` takes and returns BigInts for
// i64; the wrappers here convert between the two.

import type { FuncType } from '../ast/types.js';
import { HI, big, lo } from './i64.js';
import { flushGrows } from './objects.js';

type Fn = (...args: unknown[]) => unknown;

function names(n: number, p = 'a'): string[] {
  return Array.from({ length: n }, (_, i) => `${p}${i}`);
}

/** Which positions of a list of value types are i64 ('j') or not ('x'). */
function shape(types: readonly unknown[]): string {
  return types.map((t) => (t === 'i64' ? 'j' : 'x')).join('');
}

/** The number of JS arguments that pass these parameters in the internal convention. */
export function internalArity(type: FuncType): number {
  let n = 0;
  for (const t of type.params) n += t === 'i64' ? 2 : 1;
  return n;
}

/** JS arguments in the internal convention for BigInt-convention arguments a0, a1, ... */
function toInternalArgs(params: string): string[] {
  // Arguments are evaluated left to right: lo() sets HI.h just before it is read.
  return [...params].flatMap((c, i) => (c === 'j' ? [`lo(a${i})`, 'HI.h'] : [`a${i}`]));
}

/** Statement converting internal-convention result `r` (just returned) to the BigInt convention. */
function fromInternalResult(results: string): string {
  if (results.length === 0 || !results.includes('j')) return '';
  if (results.length === 1) return 'r = big(r, HI.h);';
  const vals: string[] = [];
  let k = 0;
  for (const c of results) {
    vals.push(c === 'j' ? `big(r[${k}], r[${k + 1}])` : `r[${k}]`);
    k += c === 'j' ? 2 : 1;
  }
  // A literal with a null keeps the array generic: V8 quiets signalling NaNs in double arrays.
  return `r = [${vals.join(', ')}, null]; r.length = ${results.length};`;
}

/** Expression converting BigInt-convention result `r` to the internal convention. */
function toInternalResult(results: string): string {
  if (!results.includes('j')) return 'r';
  if (results.length === 1) return 'lo(r)';
  const vals = [...results].flatMap((c, i) => (c === 'j' ? [`lo(r[${i}])`, 'HI.h'] : [`r[${i}]`]));
  return `(t = [${vals.join(', ')}, null], t.length = ${vals.length}, t)`;
}

type Lib = { HI: typeof HI; big: typeof big; lo: typeof lo; flush: () => void };
const LIB: Lib = { HI, big, lo, flush: flushGrows };

type BoundaryMaker = (ref: { raw: Fn }, convert: (e: unknown) => unknown, lib: Lib) => Fn;
const boundaries = new Map<string, BoundaryMaker>();

/**
 * `ref.raw(...)` called in the BigInt convention, with thrown errors converted by `convert` (the
 * Wasm boundary). Deferred memory grow callbacks run before JS sees the result (objects.ts
 * flushGrows).
 */
export function boundary(type: FuncType, ref: { raw: Fn }, convert: (e: unknown) => unknown): Fn {
  // By type object first: an instance makes one per function (esbuild.wasm: 5,307), of few types.
  let f = boundaryOfType.get(type);
  if (f === undefined) {
    f = boundaryMaker(type);
    boundaryOfType.set(type, f);
  }
  return f(ref, convert, LIB);
}

const boundaryOfType = new WeakMap<FuncType, BoundaryMaker>();

function boundaryMaker(type: FuncType): BoundaryMaker {
  const ps = shape(type.params), rs = shape(type.results);
  const key = `${ps}>${rs}`;
  let f = boundaries.get(key);
  if (f === undefined) {
    f = new Function('ref', 'convert', 'lib', `const { HI, big, lo, flush } = lib; ` +
      `return function (${names(ps.length).join(', ')}) { let r; try { r = ref.raw(${toInternalArgs(ps).join(', ')}); ` +
      `${fromInternalResult(rs)} } catch (e) { flush(); throw convert(e); } flush(); return r; };`,
    ) as BoundaryMaker;
    boundaries.set(key, f);
  }
  return f;
}

const stubs: ((compile: () => Fn) => Fn)[] = [];

/** Calls `compile()` (which installs the compiled function) and then what it returns, with `n` JS arguments. */
export function lazyStub(n: number, compile: () => Fn): Fn {
  const f = (stubs[n] ??= new Function('compile',
    `return function (${names(n).join(', ')}) { return compile()(${names(n).join(', ')}); };`,
  ) as (typeof stubs)[number]);
  return f(compile);
}

type HostMaker = (call: Fn, mark: (e: unknown) => void, lib: Lib) => Fn;
const hosts = new Map<string, HostMaker>();

/**
 * Calls a host function (BigInt convention) from compiled code (internal convention), marking
 * what it throws as the host's own (runtime.ts markHost); first runs deferred memory grow
 * callbacks (objects.ts flushGrows), as the host may look at memory.
 */
export function hostCall(type: FuncType, call: Fn, mark: (e: unknown) => void): Fn {
  const ps = shape(type.params), rs = shape(type.results);
  const key = `${ps}>${rs}`;
  let f = hosts.get(key);
  if (f === undefined) {
    const params: string[] = [], args: string[] = [];
    [...ps].forEach((c, i) => {
      if (c === 'j') { params.push(`a${i}`, `a${i}h`); args.push(`big(a${i}, a${i}h)`); }
      else { params.push(`a${i}`); args.push(`a${i}`); }
    });
    f = new Function('call', 'mark', 'lib', `const { HI, big, lo, flush } = lib; ` +
      `return function (${params.join(', ')}) { flush(); let r, t; try { r = call(${args.join(', ')}); } ` +
      `catch (e) { mark(e); throw e; } return ${toInternalResult(rs)}; };`,
    ) as HostMaker;
    hosts.set(key, f);
  }
  return f(call, mark, LIB);
}
