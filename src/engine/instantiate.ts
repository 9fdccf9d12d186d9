// instantiateModule (spec §4.5.4): matches imports, creates the instance's functions, globals,
// tables and memories, applies element and then data segments in order (a segment out of
// bounds traps, leaving earlier segments applied, as in 2.0), and runs the start function.

import type { CompiledModule, InstanceState } from './compile.js';
import { evalConst } from './constexpr.js';
import type { Fuel } from './fuel.js';
import { checkImports } from './link.js';
import { createGlobal, createMemory, createTable, memoryView } from './objects.js';
import type { EngineMemory } from './objects.js';
import { EMPTY_BYTES, convert, rawOf } from './runtime.js';
import type { EngineFuncRef } from './runtime.js';
import { initConstOffsetSection, initDatas, initElems } from './segments.js';
import { dataSegmentCount } from '../ast/data-segment.js';
import { boundary, internalArity, lazyStub } from './wrappers.js';
import { tailDriver } from './tailcall.js';
import type {
  ExportValue, FuncRef, GlobalObject, InstanceObject, ResolvedImport, TableObject, TagObject,
} from './types.js';

/**
 * How much compiling one function may compile ahead (its callees, transitively, nearest
 * first): at most this many functions and about this many bytes of Wasm code. Small modules
 * are compiled ahead (nearly) whole. A first call into a large module runs a small part of
 * what it could reach: an unbounded closure made esbuild.wasm's (10 MB of code) translate ~800
 * functions (about a second), and 32 KiB still 46 (36 KB of Wasm, 440 KB of JS) to run 22;
 * 16 KiB halves that and the first call's CPU time (bench/results/coldstart.md). Small modules
 * keep 32 KiB: fewer of their call sites see a stub first (which leaves them megamorphic).
 */
const COMPILE_AHEAD = 1000;
const COMPILE_AHEAD_BYTES = 32 * 1024;
const COMPILE_AHEAD_BYTES_LARGE = 16 * 1024;
/**
 * In large modules only callees of at most this many bytes of Wasm code are compiled ahead.
 * Larger ones wait for their first call: on the 13 MB componentize-js component the first call
 * compiled 810 functions (839 KB of Wasm, 7.2 MB of JS) of which 374 (489 KB) ran; with this
 * cap, 501 (500 KB). Their call sites then see a stub first, which costs little: a callee this
 * large compiles to more JS than V8 inlines anyway.
 */
const AHEAD_CALLEE_LARGE = 256;
/** Modules with more code than this are large. */
const LARGE_MODULE_CODE = 1024 * 1024;

export interface InstantiateOptions {
  /** The fuel counter of a module compiled with { fuel: true } (required for those, refused otherwise). */
  readonly fuel?: Fuel;
}

export function instantiateModule(cm: CompiledModule, imports: readonly ResolvedImport[], options: InstantiateOptions = {}): InstanceObject {
  const { module: m, info } = cm;
  if (cm.fuel !== (options.fuel !== undefined)) {
    throw new TypeError(cm.fuel ? 'a module compiled with fuel needs a Fuel to instantiate' : 'a Fuel needs a module compiled with { fuel: true }');
  }
  checkImports(info, imports);
  const funcs: FuncRef[] = [];
  const tables: TableObject[] = [];
  const memories: EngineMemory[] = [];
  const globals: GlobalObject[] = [];
  const tags: TagObject[] = [];
  const F: ((...args: unknown[]) => unknown)[] = [];
  const FT: ((...args: unknown[]) => unknown)[] = [];
  // Passive segments' bytes are filled in by initDatas.
  const datas: Uint8Array[] = new Array<Uint8Array>(dataSegmentCount(m)).fill(EMPTY_BYTES);
  const elems: (readonly unknown[])[] = [];
  const state: InstanceState = options.fuel === undefined
    ? { F, FT, funcs, tables, memories, globals, tags, datas, elems, types: info.rtts }
    : { F, FT, funcs, tables, memories, globals, tags, datas, elems, types: info.rtts, fuel: options.fuel.cell };

  for (const imp of imports) {
    switch (imp.kind) {
      case 'func': F.push(rawOf(imp.func)); FT.push(rawOf(imp.func)); funcs.push(imp.func); break;
      case 'table': tables.push(imp.table); break;
      case 'memory': memories.push(memoryView(imp.memory)); break;
      case 'global': globals.push(imp.global); break;
      case 'tag': tags.push(imp.tag); break;
    }
  }

  // Compiling a function also compiles the functions it calls directly, transitively (up to
  // a budget), before any of them runs: call sites then only ever see the compiled callee
  // (a stub seen first would make them megamorphic for V8) and call it through F[idx].
  const compiled: ((...args: unknown[]) => unknown)[] = [];
  const refs: { raw: (...args: unknown[]) => unknown; tail: (...args: unknown[]) => unknown }[] = [];
  const nImported = funcs.length;
  let codeBytes = 0;
  for (const f of m.funcs) codeBytes += f.code.end - f.code.start;
  const large = codeBytes > LARGE_MODULE_CODE;
  const aheadBytes = large ? COMPILE_AHEAD_BYTES_LARGE : COMPILE_AHEAD_BYTES;
  const aheadCallee = large ? AHEAD_CALLEE_LARGE : Infinity;
  const compileFrom = (idx: number): ((...args: unknown[]) => unknown) => {
    const fn0 = compiled[idx];
    if (fn0 !== undefined) return fn0;
    const todo = [idx];
    const seen = new Set(todo);
    let budget = COMPILE_AHEAD;
    let bytes = aheadBytes;
    for (let q = 0; q < todo.length; q++) {
      const i = todo[q];
      if (compiled[i] !== undefined) continue;
      let fn: (...args: unknown[]) => unknown;
      let body: (...args: unknown[]) => unknown;
      try {
        body = cm.instantiateFunc(i, state);
        // A function with tail calls is a body that may return TAIL, run by a driver.
        fn = cm.tailCalls(i) ? tailDriver(internalArity(funcs[i].type), body) : body;
      } catch (e) {
        if (i === idx) throw e;
        continue; // a callee that cannot be compiled fails when (if) it is called
      }
      compiled[i] = fn;
      F[i] = fn;
      FT[i] = body;
      refs[i - nImported].raw = fn;
      refs[i - nImported].tail = body;
      for (const c of cm.callees(i)) {
        if (c >= nImported && compiled[c] === undefined && !seen.has(c) && budget > 0 && bytes > 0) {
          const code = m.funcs[c - nImported].code;
          const size = code.end - code.start;
          if (size > aheadCallee) continue;
          budget--;
          bytes -= size;
          seen.add(c);
          todo.push(c);
        }
      }
    }
    return compiled[idx];
  };

  for (let k = 0; k < m.funcs.length; k++) {
    const idx = funcs.length;
    const typeIdx = m.funcs[k].typeIdx;
    const type = info.types[typeIdx]!;
    // Compiles on first call, then patches the call slot and the reference.
    // (Callers that took the stub before compilation keep calling it: it caches.)
    const stub = lazyStub(internalArity(type), () => compileFrom(idx));
    // Until compiled, a tail call calls the entry point (a driver, if the function has tail
    // calls): one JS frame more, once per function, and no second stub per function.
    const ref: { -readonly [K in keyof EngineFuncRef]: EngineFuncRef[K] } = {
      type, typeId: info.typeIds[typeIdx], name: cm.funcName(idx), raw: stub, call: stub, tail: stub,
    };
    ref.call = boundary(type, ref, convert);
    F.push(stub);
    FT.push(stub);
    refs.push(ref);
    funcs.push(ref);
  }

  for (const g of m.globals) globals.push(createGlobal(g.type, evalConst(g.init, globals, funcs, info.rtts), info.rtts));
  for (const t of m.tables) tables.push(createTable(t.type, t.init ? evalConst(t.init, globals, funcs, info.rtts) : null, info.rtts));
  for (const mt of m.memories) memories.push(createMemory(mt));
  for (const t of m.tags) {
    const ft = info.types[t.typeIdx];
    tags.push({ params: ft ? ft.params : [], typeId: info.typeIds[t.typeIdx] });
  }

  const exports = new Map<string, ExportValue>();
  for (const e of m.exports) {
    switch (e.kind) {
      case 'func': exports.set(e.name, { kind: 'func', func: funcs[e.index] }); break;
      case 'table': exports.set(e.name, { kind: 'table', table: tables[e.index] }); break;
      case 'memory': exports.set(e.name, { kind: 'memory', memory: memories[e.index] }); break;
      case 'global': exports.set(e.name, { kind: 'global', global: globals[e.index] }); break;
      case 'tag': exports.set(e.name, { kind: 'tag', tag: tags[e.index] }); break;
    }
  }

  for (const el of m.elems) {
    elems.push(el.init.kind === 'funcs'
      ? el.init.indices.map((i) => funcs[i])
      : el.init.exprs.map((x) => evalConst(x, globals, funcs, info.rtts)));
  }
  const instance: InstanceObject = { funcs, tables, memories, globals, tags, exports };

  // Active segments: table.init / memory.init of the whole segment, then drop (spec §4.5.4 steps 13-14).
  initElems(m.elems, elems, tables, globals, funcs);
  if (m.dataSection !== undefined) initConstOffsetSection(m.dataSection, memories[0]);
  else initDatas(m.datas, datas, memories, globals, funcs);

  if (m.start !== undefined) funcs[m.start].call();
  return instance;
}
