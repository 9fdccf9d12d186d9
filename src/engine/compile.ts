// compileModule: prepares a validated module for instantiation. Function bodies are translated
// lazily, on their first call in any instance (codegen/function.ts); the translated factory is
// kept here, so later instances only create closures over their own state.

import type { Module } from '../ast/module.js';
import { importCount } from '../ast/module.js';
import type { FuncType, GlobalType, ValType } from '../ast/types.js';
import type { ModuleInfo } from './codegen/context.js';
import { generateFunction } from './codegen/function.js';
import { inlinedAt } from './codegen/inline.js';

/** Marker of inlined code in generated source (codegen/inline.ts). */
const INLINE_OPEN = '/*@';
/** Lines that `new Function` puts before the body it is given. */
const FUNCTION_HEADER_LINES = 2;
import * as R from './runtime.js';
import { moduleTypes } from './rtt.js';
import type { RTT } from './rtt.js';
import { RuntimeError } from '../errors.js';
import type { FuelCell } from './fuel.js';
import { LARGE_FUNCTION_JS, largeFunctionAhead } from './detach.js';

/** Instance state seen by generated code as `I`. */
export interface InstanceState {
  /** Call slots by function index: compiled code, or a stub that compiles on first call. */
  readonly F: ((...args: unknown[]) => unknown)[];
  /** Tail-call slots by function index: what return_call calls (engine/tailcall.ts). */
  readonly FT: ((...args: unknown[]) => unknown)[];
  readonly funcs: readonly unknown[];
  readonly tables: readonly unknown[];
  readonly memories: readonly unknown[];
  readonly globals: readonly unknown[];
  readonly tags: readonly unknown[];
  /** Data segments' bytes; dropped ones are empty. */
  readonly datas: Uint8Array[];
  /** Element segments' references; dropped ones are empty. */
  readonly elems: (readonly unknown[])[];
  /** Run-time types of the module's type indices (engine/rtt.ts). */
  readonly types: readonly RTT[];
  /** The fuel counter, only in instances of modules compiled with fuel. */
  readonly fuel?: FuelCell;
}

export interface CompileOptions {
  /** Generate code that consumes fuel (engine/fuel.ts); its instances need a Fuel. */
  readonly fuel?: boolean;
}

type Factory = (r: typeof R, i: InstanceState) => (...args: unknown[]) => unknown;

export interface CompiledModule {
  readonly module: Module;
  readonly info: ModuleInfo;
  /** Whether the code consumes fuel (compiled with { fuel: true }). */
  readonly fuel: boolean;
  /** Function name for backtraces. */
  funcName(idx: number): string;
  /** The compiled code of defined function idx, closed over an instance. */
  instantiateFunc(idx: number, state: InstanceState): (...args: unknown[]) => unknown;
  /** The generated JS source of function idx (for debugging and tests). */
  source(idx: number): string;
  /** Functions that defined function idx calls directly. */
  callees(idx: number): readonly number[];
  /** Whether function idx makes tail calls: its compiled code is a body that may return TAIL. */
  tailCalls(idx: number): boolean;
}

let nextModuleId = 0;

export function compileModule(m: Module, options: CompileOptions = {}): CompiledModule {
  const fuel = options.fuel === true;
  const id = nextModuleId++;
  const types: (FuncType | undefined)[] = m.types.map((t) => (t.comp.kind === 'func' ? t.comp : undefined));
  const rtts = moduleTypes(m);
  const typeIds = rtts.map((r) => r.id);
  const funcTypeIdx: number[] = [];
  const globals: GlobalType[] = [];
  const tags: (readonly ValType[])[] = [];
  const tagParams = (typeIdx: number): readonly ValType[] => types[typeIdx]?.params ?? [];
  for (const imp of m.imports) {
    if (imp.desc.kind === 'func') funcTypeIdx.push(imp.desc.typeIdx);
    else if (imp.desc.kind === 'global') globals.push(imp.desc.type);
    else if (imp.desc.kind === 'tag') tags.push(tagParams(imp.desc.type.typeIdx));
  }
  for (const f of m.funcs) funcTypeIdx.push(f.typeIdx);
  for (const g of m.globals) globals.push(g.type);
  for (const t of m.tags) tags.push(tagParams(t.typeIdx));
  const info: ModuleInfo = {
    module: m, id, types, typeIds, rtts, funcTypeIdx, importedFuncs: importCount(m, 'func'), globals,
    tags, importedTags: importCount(m, 'tag'),
  };

  const moduleName = m.names?.module ?? '<module>';
  const funcName = (idx: number): string => {
    const n = m.names?.funcs.get(idx);
    return n !== undefined ? `$${n}` : `${moduleName}!func[${idx}]`;
  };
  R.registerModuleNames(id, funcName);

  const factories: (Factory | undefined)[] = [];
  const generated: ({ source: string; callees: number[]; tailCalls: boolean } | undefined)[] = [];
  const gen = (idx: number) => (generated[idx] ??= generateFunction(info, idx, fuel));
  const source = (idx: number): string => gen(idx).source;
  R.registerInlineLookup(id, (idx, line, col) => {
    const src = generated[idx]?.source;
    if (src === undefined || !src.includes(INLINE_OPEN)) return undefined;
    // new Function('R', 'I', src) puts src after two lines: `function anonymous(R,I` and `) {`.
    const text = src.split('\n')[line - 1 - FUNCTION_HEADER_LINES];
    return text === undefined ? undefined : inlinedAt(text, col);
  });
  return {
    module: m,
    info,
    fuel,
    funcName,
    source,
    callees: (idx) => gen(idx).callees,
    tailCalls: (idx) => gen(idx).tailCalls,
    instantiateFunc(idx, state) {
      let f = factories[idx];
      if (f === undefined) {
        let src: string | undefined;
        try {
          src = source(idx);
          if (src.length >= LARGE_FUNCTION_JS) largeFunctionAhead();
          f = new Function('R', 'I', src) as Factory;
        } catch (e) {
          // V8's parser recurses on nesting; a stack overflow here is not a Wasm stack overflow.
          if (e instanceof RangeError && /call stack/i.test(e.message)) {
            const what = src === undefined ? 'translating it' : `parsing its generated JS (${Math.round(src.length / 1024)} KB)`;
            throw new RuntimeError(`cannot compile function ${funcName(idx)} (index ${idx}): the JS engine's stack ` +
              `overflowed while ${what}; it nests too deeply, or was compiled when the call stack was nearly full ` +
              `(${e.message})`);
          }
          throw e;
        }
        factories[idx] = f;
      }
      return f(R, state);
    },
  };
}
