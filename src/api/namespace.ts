// The WebAssembly JavaScript Interface (W3C "WebAssembly JavaScript Interface", JS API §3-§5),
// backed by Kasane's decoder, validator and engine. `WebAssembly` here is a drop-in for the
// host's namespace object: Module, Instance, Memory, Table, Global, validate, compile,
// instantiate, the streaming variants and the three error classes.
//
// Brand checks use WeakMaps keyed by the API objects, so that objects wrapping engine objects
// (exports of an instance) can be made without running the public constructors.

// host.js first: it must capture the host's namespace before the polyfill replaces it.
import './host.js';
import type { Module as AstModule } from '../ast/module.js';
import type { FuncType, GlobalType, MemType, RefType, TableType, ValType } from '../ast/types.js';
import { anyref, externref, funcref, valTypeToString } from '../ast/types.js';
import { WASM_3_0 } from '../ast/features.js';
import { decodeModule } from '../binary/decode.js';
import { validateModule } from '../validate/validate.js';
import { CompileError, LinkError, RuntimeError } from '../errors.js';
import type {
  ExportValue, FuncRef, GlobalObject, InstanceObject, MemoryObject, ResolvedImport, TableObject,
} from '../engine/types.js';
import { funcTypeText } from '../engine/typeids.js';
import { moduleTypes, rttOfId, type RTT } from '../engine/rtt.js';
import { markHost } from '../engine/runtime.js';
import { isNumericHostType, numericHostCall, numericHostRaw } from './host-call.js';
import { compileModule } from '../engine/compile.js';
import { instantiateModule } from '../engine/instantiate.js';
import type { Fuel } from '../engine/fuel.js';
import {
  addressValueToU64, defaultValue, dictionary, enforceRange, funcHooks, u64ToAddressValue, hasV128, toJSValue, toWasmValue,
  toValueType,
} from './convert.js';
import { createGlobal, createMemory, createTable } from '../engine/objects.js';
import { Exception, JSTag, Tag, tagObjectOf, wrapTag } from './exceptions.js';
import { detach, detachesExpected } from '../engine/detach.js';
import { isShared, MAX_PAGES_32, MAX_PAGES_64, MAX_TABLE_SIZE, replaceBuffer } from './objects.js';

type CompiledModule = ReturnType<typeof compileModule>;

export type ImportExportKind = 'function' | 'table' | 'memory' | 'global' | 'tag';
export interface ModuleExportDescriptor { name: string; kind: ImportExportKind }
export interface ModuleImportDescriptor { module: string; name: string; kind: ImportExportKind }
export type BufferSourceLike = ArrayBuffer | ArrayBufferView;

const KIND_NAMES = { func: 'function', table: 'table', memory: 'memory', global: 'global', tag: 'tag' } as const;

// ---------------------------------------------------------------------------------------------
// Internal state of the API objects.

interface ModuleState { readonly ast: AstModule; readonly compiled: CompiledModule; readonly bytes: Uint8Array; readonly fuel?: Fuel }
/** buffer: the current buffer object; undefined after a grow until JS asks for it (see onGrow). */
interface MemoryState { readonly mem: MemoryObject; buffer: ArrayBuffer | undefined; generation: number }

const moduleStates = new WeakMap<object, ModuleState>();
const instanceExports = new WeakMap<object, object>();
const memoryStates = new WeakMap<object, MemoryState>();
const tableStates = new WeakMap<object, TableObject>();
const globalStates = new WeakMap<object, GlobalObject>();

// Caches: one API object per engine object (JS API: the "export caches").
const memoryCache = new WeakMap<MemoryObject, Memory>();
const tableCache = new WeakMap<TableObject, Table>();
const globalCache = new WeakMap<GlobalObject, Global>();

/** The one JS API object for an engine object (identity is preserved across exports). */
function wrapOnce<E extends object, W extends object>(e: E, cache: WeakMap<E, W>, states: WeakMap<object, E>, proto: W): W {
  let w = cache.get(e);
  if (!w) {
    w = Object.create(proto) as W;
    states.set(w, e);
    cache.set(e, w);
  }
  return w;
}
/** Exported Function objects, per FuncRef, and back. */
const jsFunctions = new WeakMap<FuncRef, Function>();
const funcRefs = new WeakMap<Function, FuncRef>();
/** Host functions wrapped for an import: the FuncRef gives back the original JS function. */
const hostOrigins = new WeakMap<FuncRef, Function>();
const hostRefs = new WeakMap<Function, FuncRef>();
/** Index of a Wasm function in the instance that defines it (the Exported Function's name). */
const funcIndices = new WeakMap<FuncRef, number>();

function brand<T>(map: WeakMap<object, T>, self: unknown, what: string): T {
  const s = typeof self === 'object' && self !== null ? map.get(self) : undefined;
  if (s === undefined) throw new TypeError(`receiver is not a WebAssembly.${what}`);
  return s;
}

/** Copies the bytes of a BufferSource (JS API: "get a copy of the buffer source"). */
function copyBytes(bytes: unknown): Uint8Array {
  if (bytes instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && bytes instanceof SharedArrayBuffer)) {
    return new Uint8Array(bytes.slice(0));
  }
  if (ArrayBuffer.isView(bytes)) {
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
  }
  throw new TypeError('first argument must be an ArrayBuffer or typed array object');
}

function compileBytes(bytes: Uint8Array, fuel?: Fuel): ModuleState {
  const ast = decodeModule(bytes, WASM_3_0);
  validateModule(ast, WASM_3_0);
  if (fuel !== undefined) return { ast, compiled: compileModule(ast, { fuel: true }), bytes, fuel };
  return { ast, compiled: compileModule(ast), bytes };
}

/** A Module whose code consumes fuel from `fuel` (shared by all its instances); see internals. */
function moduleWithFuel(bytes: BufferSourceLike, fuel: Fuel): Module {
  const m = Object.create(Module.prototype) as Module;
  moduleStates.set(m, compileBytes(copyBytes(bytes), fuel));
  return m;
}

// ---------------------------------------------------------------------------------------------
// Functions across the boundary.

function resultsToJS(r: unknown, results: readonly ValType[], types?: readonly RTT[]): unknown {
  if (results.length === 0) return undefined;
  if (results.length === 1) return toJSValue(r, results[0]!, types);
  const arr = r as unknown[];
  return results.map((t, i) => toJSValue(arr[i], t, types));
}

/** A function's type as its canonical run-time type spells it, with the types its indices name. */
function typeContext(ref: FuncRef): { type: FuncType; types?: readonly RTT[] } {
  const rt = rttOfId(ref.typeId);
  return rt?.comp?.kind === 'func' ? { type: rt.comp, types: rt.types } : { type: ref.type };
}

/** The Exported Function for a FuncRef (JS API §5.3), one per FuncRef. */
export function exportedFunction(ref: FuncRef): Function {
  const host = hostOrigins.get(ref);
  if (host) return host;
  let fn = jsFunctions.get(ref);
  if (fn) return fn;
  const { type, types } = typeContext(ref);
  const crossesV128 = hasV128(type.params) || hasV128(type.results);
  const f = (...args: unknown[]): unknown => {
    if (crossesV128) throw new TypeError('cannot call a WebAssembly function with v128 or exnref parameters or results from JavaScript');
    const a = new Array<unknown>(type.params.length);
    for (let i = 0; i < a.length; i++) a[i] = toWasmValue(args[i], type.params[i]!, types);
    return resultsToJS(ref.call(...a), type.results, types);
  };
  const index = funcIndices.get(ref);
  Object.defineProperty(f, 'name', { value: index !== undefined ? String(index) : (ref.name ?? '') });
  Object.defineProperty(f, 'length', { value: type.params.length });
  fn = f;
  jsFunctions.set(ref, fn);
  funcRefs.set(fn, ref);
  return fn;
}

/** The FuncRef of an Exported Function (or a host function re-exported by Wasm), else undefined. */
export function funcRefOf(v: unknown): FuncRef | undefined {
  if (typeof v !== 'function') return undefined;
  return funcRefs.get(v) ?? hostRefs.get(v);
}

funcHooks.toJS = exportedFunction;
funcHooks.fromJS = funcRefOf;

/** Wraps a JS function as a host function of the given type (JS API: "create a host function"). */
function hostFunction(fn: Function, type: FuncType, typeId: number, types: readonly RTT[]): FuncRef {
  const crossesV128 = hasV128(type.params) || hasV128(type.results);
  const results = type.results;
  const ref: FuncRef & { raw?: unknown } = {
    type,
    typeId,
    name: fn.name || 'host',
    // Kasane's engine calls a numeric host function through `raw` (engine/runtime.ts rawOf).
    raw: isNumericHostType(type) ? numericHostRaw(type, fn, markHost) : undefined,
    call: isNumericHostType(type) ? numericHostCall(type, fn, markHost) : (...args: unknown[]): unknown => {
      if (crossesV128) throw new TypeError('cannot call a JavaScript function with v128 or exnref parameters or results');
      const jsArgs = type.params.map((t, i) => toJSValue(args[i], t, types));
      let ret: unknown;
      try {
        ret = Reflect.apply(fn, undefined, jsArgs);
      } catch (e) {
        markHost(e); // a host exception passes through Wasm frames unchanged
        throw e;
      }
      if (results.length === 0) return undefined;
      if (results.length === 1) return toWasmValue(ret, results[0]!, types);
      if ((typeof ret !== 'object' || ret === null) && typeof ret !== 'function') {
        throw new TypeError('a host function with several results must return an iterable object');
      }
      const iter = (ret as { [Symbol.iterator]?: unknown })[Symbol.iterator];
      if (typeof iter !== 'function') throw new TypeError('a host function with several results must return an iterable object');
      const values = [...(ret as Iterable<unknown>)];
      if (values.length !== results.length) {
        throw new TypeError(`host function returned ${values.length} values, expected ${results.length}`);
      }
      return results.map((t, i) => toWasmValue(values[i], t, types));
    },
  };
  hostOrigins.set(ref, fn);
  if (!hostRefs.has(fn)) hostRefs.set(fn, ref);
  return ref;
}

// ---------------------------------------------------------------------------------------------
// Module (JS API §4.2 / §5.1)

export class Module {
  constructor(bytes: BufferSourceLike) {
    moduleStates.set(this, compileBytes(copyBytes(bytes)));
  }

  static exports(moduleObject: Module): ModuleExportDescriptor[] {
    const s = brand(moduleStates, moduleObject, 'Module');
    return s.ast.exports.map((e) => ({ name: e.name, kind: KIND_NAMES[e.kind] }));
  }

  static imports(moduleObject: Module): ModuleImportDescriptor[] {
    const s = brand(moduleStates, moduleObject, 'Module');
    return s.ast.imports.map((i) => ({ module: i.module, name: i.name, kind: KIND_NAMES[i.desc.kind] }));
  }

  static customSections(moduleObject: Module, sectionName: string): ArrayBuffer[] {
    const s = brand(moduleStates, moduleObject, 'Module');
    if (arguments.length < 2) throw new TypeError('WebAssembly.Module.customSections requires a section name');
    const name = String(sectionName);
    return s.ast.customs.filter((c) => c.name === name).map((c) => c.bytes.slice().buffer as ArrayBuffer);
  }
}
Object.defineProperty(Module.prototype, Symbol.toStringTag, { value: 'WebAssembly.Module', configurable: true });

// ---------------------------------------------------------------------------------------------
// Instance (JS API §4.3, "read the imports", "create an exports object")

function importName(module: string, name: string): string {
  return `import "${module}" "${name}"`;
}

/** JS API "read the imports": import object entries to engine objects, in import order. */
function readImports(s: ModuleState, importObject: unknown): ResolvedImport[] {
  const ast = s.ast;
  if (ast.imports.length > 0 && importObject === undefined) {
    throw new TypeError('the module has imports, but no import object was given');
  }
  const out: ResolvedImport[] = [];
  for (const imp of ast.imports) {
    const o = (importObject as Record<string, unknown>)[imp.module];
    if ((typeof o !== 'object' || o === null) && typeof o !== 'function') {
      throw new TypeError(`${importName(imp.module, imp.name)}: module "${imp.module}" is not an object in the import object`);
    }
    const v = (o as Record<string, unknown>)[imp.name];
    const where = importName(imp.module, imp.name);
    const desc = imp.desc;
    switch (desc.kind) {
      case 'func': {
        const type = funcTypeOf(ast, desc.typeIdx);
        if (typeof v !== 'function') throw new LinkError(`${where}: expected a function of type ${funcTypeText(type) || '[] -> []'}, got ${describe(v)}`);
        const ref = funcRefs.get(v);
        out.push({ kind: 'func', func: ref ?? hostFunction(v, type, moduleTypes(ast)[desc.typeIdx].id, moduleTypes(ast)) });
        break;
      }
      case 'global': {
        const gt = desc.type;
        const g = typeof v === 'object' && v !== null ? globalStates.get(v) : undefined;
        if (g) {
          out.push({ kind: 'global', global: g });
          break;
        }
        const expected = `${gt.mutable ? 'mutable ' : 'immutable '}global of type ${valTypeToString(gt.type)}`;
        const t = gt.type;
        if (t === 'i64' && typeof v !== 'bigint') throw new LinkError(`${where}: expected ${expected} (a BigInt or WebAssembly.Global), got ${describe(v)}`);
        if ((t === 'i32' || t === 'f32' || t === 'f64') && typeof v !== 'number') {
          throw new LinkError(`${where}: expected ${expected} (a Number or WebAssembly.Global), got ${describe(v)}`);
        }
        if (t === 'v128') throw new LinkError(`${where}: expected ${expected} (a WebAssembly.Global), got ${describe(v)}`);
        const value = toWasmValue(v, t, moduleTypes(ast));
        if (gt.mutable) throw new LinkError(`${where}: expected ${expected} (a WebAssembly.Global), got ${describe(v)}`);
        out.push({ kind: 'global', global: createGlobal(gt, value, moduleTypes(ast)) });
        break;
      }
      case 'memory': {
        const m = typeof v === 'object' && v !== null ? memoryStates.get(v) : undefined;
        if (!m) throw new LinkError(`${where}: expected a WebAssembly.Memory, got ${describe(v)}`);
        out.push({ kind: 'memory', memory: m.mem });
        break;
      }
      case 'table': {
        const t = typeof v === 'object' && v !== null ? tableStates.get(v) : undefined;
        if (!t) throw new LinkError(`${where}: expected a WebAssembly.Table of ${refName(desc.type.elem)}, got ${describe(v)}`);
        out.push({ kind: 'table', table: t });
        break;
      }
      case 'tag': {
        const t = tagObjectOf(v);
        if (!t) throw new LinkError(`${where}: expected a WebAssembly.Tag${tagParamsText(ast, desc.type.typeIdx)}, got ${describe(v)}`);
        out.push({ kind: 'tag', tag: t });
        break;
      }
    }
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') {
    const tag = Object.prototype.toString.call(v).slice(8, -1);
    return tag === 'Object' ? 'an object' : `${/^[AEIOU]/.test(tag) ? 'an' : 'a'} ${tag}`;
  }
  return typeof v === 'string' ? 'a string' : typeof v;
}

/** A reference type as the JS API names it (funcref, externref), else in text syntax. */
function refName(t: RefType): string {
  return t.nullable && (t.heap === 'func' || t.heap === 'extern' || t.heap === 'any') ? `${t.heap}ref` : valTypeToString(t);
}

/** ` of type (param ...)` for a tag's type index, or nothing when it has no parameters. */
function tagParamsText(ast: AstModule, typeIdx: number): string {
  const st = ast.types[typeIdx];
  const text = st && st.comp.kind === 'func' ? funcTypeText(st.comp) : '';
  return text ? ` of type ${text}` : '';
}

function funcTypeOf(ast: AstModule, typeIdx: number): FuncType {
  const st = ast.types[typeIdx];
  if (!st || st.comp.kind !== 'func') throw new LinkError(`type ${typeIdx} is not a function type`);
  return st.comp;
}

/** JS API "create an exports object": a frozen null-prototype object of API objects. */
function exportsObject(inst: InstanceObject, ast: AstModule): object {
  const imported = ast.imports.filter((i) => i.desc.kind === 'func').length;
  inst.funcs.forEach((f, i) => {
    if (i >= imported || !funcIndices.has(f)) funcIndices.set(f, i);
  });
  const obj = Object.create(null) as Record<string, unknown>;
  for (const [name, ev] of inst.exports) obj[name] = exportValue(ev);
  return Object.freeze(obj);
}

function exportValue(ev: ExportValue): unknown {
  switch (ev.kind) {
    case 'func': return exportedFunction(ev.func);
    case 'memory': return wrapMemory(ev.memory);
    case 'table': return wrapTable(ev.table);
    case 'global': return wrapGlobal(ev.global);
    case 'tag': return wrapTag(ev.tag);
  }
}

function instantiateState(s: ModuleState, imports: ResolvedImport[]): object {
  const inst = s.fuel === undefined ? instantiateModule(s.compiled, imports) : instantiateModule(s.compiled, imports, { fuel: s.fuel });
  return exportsObject(inst, s.ast);
}

function checkImportObject(importObject: unknown): void {
  if (importObject !== undefined && (typeof importObject !== 'object' || importObject === null) && typeof importObject !== 'function') {
    throw new TypeError('second argument (the import object) must be an object');
  }
}

export class Instance {
  constructor(module: Module, ...rest: [importObject?: object]) {
    const s = brand(moduleStates, module, 'Module');
    const importObject = rest[0];
    checkImportObject(importObject);
    instanceExports.set(this, instantiateState(s, readImports(s, importObject)));
  }

  get exports(): Record<string, unknown> {
    return brand(instanceExports, this, 'Instance') as Record<string, unknown>;
  }
}
Object.defineProperty(Instance.prototype, Symbol.toStringTag, { value: 'WebAssembly.Instance', configurable: true });

function makeInstance(exportsObj: object): Instance {
  const i = Object.create(Instance.prototype) as Instance;
  instanceExports.set(i, exportsObj);
  return i;
}

// ---------------------------------------------------------------------------------------------
// Memory (JS API §4.4)

function parseAddress(a: unknown): 'i32' | 'i64' {
  if (a === undefined) return 'i32';
  const s = String(a);
  if (s !== 'i32' && s !== 'i64') throw new TypeError(`address must be "i32" or "i64", got "${s}"`);
  return s;
}

export interface MemoryDescriptor { initial: number | bigint; maximum?: number | bigint; shared?: boolean; address?: 'i32' | 'i64' }

export class Memory {
  constructor(descriptor: MemoryDescriptor) {
    // Dictionary members are read once each, in lexicographic order (WebIDL); the address
    // values (`any` in the IDL) are converted afterwards, by the address type (memory64).
    const d = dictionary(descriptor, 'WebAssembly.Memory descriptor');
    const addr = parseAddress(d.address);
    const initialV = d.initial;
    if (initialV === undefined) throw new TypeError('WebAssembly.Memory descriptor requires "initial"');
    const maximumV = d.maximum;
    const shared = Boolean(d.shared);
    const limit = addr === 'i64' ? MAX_PAGES_64 : MAX_PAGES_32;
    const initial = addressValueToU64(initialV, addr, 'initial');
    const maximum = maximumV === undefined ? undefined : addressValueToU64(maximumV, addr, 'maximum');
    if (initial > limit) throw new RangeError(`initial memory size ${initial} exceeds the limit of ${limit} pages`);
    if (maximum !== undefined && maximum > limit) throw new RangeError(`maximum memory size ${maximum} exceeds the limit of ${limit} pages`);
    if (maximum !== undefined && maximum < initial) throw new RangeError(`initial memory size ${initial} is larger than the maximum ${maximum}`);
    if (shared && maximum === undefined) throw new TypeError('a shared memory must have a maximum');
    const type: MemType = { limits: maximum === undefined ? { min: initial } : { min: initial, max: maximum }, shared, addr };
    let mem: MemoryObject;
    try {
      mem = createMemory(type);
    } catch {
      throw new RangeError(`cannot allocate a memory of ${initial} pages`);
    }
    initMemory(this, mem);
  }

  /** The current buffer: the same object until the memory grows (JS API: [[BufferObject]]). */
  get buffer(): ArrayBuffer {
    const s = brand(memoryStates, this, 'Memory');
    if (s.buffer === undefined) s.buffer = s.mem.buffer;
    else if (s.mem.buffer !== s.buffer) refreshBuffer(s);
    return s.buffer;
  }

  grow(delta: number | bigint): number | bigint {
    const s = brand(memoryStates, this, 'Memory');
    const addr = s.mem.type.addr;
    const d = addressValueToU64(delta, addr, 'delta');
    const generation = s.generation;
    const old = s.mem.grow(d);
    if (old === -1) throw new RangeError(`cannot grow memory by ${d} pages`);
    // Every grow replaces the buffer object, even by 0 pages ("refresh the memory buffer").
    if (s.generation === generation) refreshBuffer(s);
    return u64ToAddressValue(old, addr);
  }
}
Object.defineProperty(Memory.prototype, Symbol.toStringTag, { value: 'WebAssembly.Memory', configurable: true });

function initMemory(self: object, mem: MemoryObject): void {
  const s: MemoryState = { mem, buffer: mem.buffer, generation: 0 };
  memoryStates.set(self, s);
  memoryCache.set(mem, self as Memory);
  mem.onGrow = () => {
    // The old buffer is detached now (JS API), but the new one is made only when JS asks for it:
    // an engine memory with spare capacity would otherwise be copied to an exact-size buffer at
    // every grow (and then copied again at the next), even when nothing in JS looks at it.
    const store = (s.mem as { view?: unknown }).view;
    if (s.buffer === undefined) s.generation++; // still nothing for JS to see
    else if (store instanceof DataView && store.buffer !== s.buffer && !isShared(s.buffer)) {
      s.generation++;
      detach(s.buffer);
      s.buffer = undefined;
    } else refreshBuffer(s);
  };
  // Its grows will detach buffers: engine/detach.ts decides when V8 should stop assuming none is.
  if (s.buffer !== undefined && !isShared(s.buffer)) detachesExpected();
}

/** Detaches the old buffer and makes the engine's current one (or a fresh transfer of it) current. */
function refreshBuffer(s: MemoryState): void {
  s.generation++;
  const cur = s.mem.buffer;
  if (isShared(cur)) {
    s.buffer = cur;
    return;
  }
  if (s.buffer === undefined) {
    s.buffer = cur;
  } else if (cur === s.buffer) {
    // Grown in place (or by 0): move the contents to a new buffer object.
    s.buffer = replaceBuffer(s.mem);
  } else {
    const old = s.buffer;
    s.buffer = cur;
    if (!isShared(old)) detach(old);
  }
}

function wrapMemory(mem: MemoryObject): Memory {
  let m = memoryCache.get(mem);
  if (!m) {
    m = Object.create(Memory.prototype) as Memory;
    initMemory(m, mem);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Table (JS API §4.5)

function parseElement(v: unknown): RefType {
  const s = String(v);
  switch (s) {
    case 'anyfunc': case 'funcref': return funcref;
    case 'externref': return externref;
    case 'anyref': return anyref;
    default: throw new TypeError(`table element type must be "anyfunc", "funcref" or "externref", got "${s}"`);
  }
}

export interface TableDescriptor { element: string; initial: number | bigint; maximum?: number | bigint; address?: 'i32' | 'i64' }

export class Table {
  constructor(descriptor: TableDescriptor, ...rest: [value?: unknown]) {
    const d = dictionary(descriptor, 'WebAssembly.Table descriptor');
    const addr = parseAddress(d.address);
    const elementV = d.element;
    if (elementV === undefined) throw new TypeError('WebAssembly.Table descriptor requires "element"');
    const elem = parseElement(elementV);
    const initialV = d.initial;
    if (initialV === undefined) throw new TypeError('WebAssembly.Table descriptor requires "initial"');
    const maximumV = d.maximum;
    const initial = addressValueToU64(initialV, addr, 'initial');
    const maximum = maximumV === undefined ? undefined : addressValueToU64(maximumV, addr, 'maximum');
    if (maximum !== undefined && maximum < initial) throw new RangeError(`initial table size ${initial} is larger than the maximum ${maximum}`);
    if (initial > MAX_TABLE_SIZE) throw new RangeError(`initial table size ${initial} exceeds the limit of ${MAX_TABLE_SIZE}`);
    const value = rest[0];
    const init = value === undefined ? defaultValue(elem) : toWasmValue(value, elem);
    const type: TableType = { limits: maximum === undefined ? { min: initial } : { min: initial, max: maximum }, addr, elem };
    const t = createTable(type, null);
    t.elements.fill(init); // (init may be undefined: the default of externref)
    tableStates.set(this, t);
    tableCache.set(t, this);
  }

  get length(): number | bigint {
    const t = brand(tableStates, this, 'Table');
    return u64ToAddressValue(t.elements.length, t.type.addr);
  }

  grow(delta: number | bigint, ...rest: [value?: unknown]): number | bigint {
    const t = brand(tableStates, this, 'Table');
    const d = addressValueToU64(delta, t.type.addr, 'delta');
    const value = rest[0];
    const init = value === undefined ? defaultValue(t.type.elem) : toWasmValue(value, t.type.elem, t.types);
    const old = t.grow(d, init);
    if (old === -1) throw new RangeError(`cannot grow table by ${d} elements`);
    return u64ToAddressValue(old, t.type.addr);
  }

  get(index: number | bigint): unknown {
    const t = brand(tableStates, this, 'Table');
    const i = addressValueToU64(index, t.type.addr, 'index');
    if (i >= t.elements.length) throw new RangeError(`table index ${i} is out of bounds (length ${t.elements.length})`);
    return toJSValue(t.elements[i], t.type.elem, t.types);
  }

  set(index: number | bigint, ...rest: [value?: unknown]): void {
    const t = brand(tableStates, this, 'Table');
    const i = addressValueToU64(index, t.type.addr, 'index');
    if (i >= t.elements.length) throw new RangeError(`table index ${i} is out of bounds (length ${t.elements.length})`);
    const value = rest[0];
    t.elements[i] = value === undefined ? defaultValue(t.type.elem) : toWasmValue(value, t.type.elem, t.types);
  }
}
Object.defineProperty(Table.prototype, Symbol.toStringTag, { value: 'WebAssembly.Table', configurable: true });

function wrapTable(t: TableObject): Table {
  return wrapOnce(t, tableCache, tableStates, Table.prototype);
}

// ---------------------------------------------------------------------------------------------
// Global (JS API §4.6)


export interface GlobalDescriptor { value: string; mutable?: boolean }

export class Global {
  constructor(descriptor: GlobalDescriptor, ...rest: [value?: unknown]) {
    const d = dictionary(descriptor, 'WebAssembly.Global descriptor');
    const mutable = Boolean(d.mutable);
    const valueV = d.value;
    if (valueV === undefined) throw new TypeError('WebAssembly.Global descriptor requires "value"');
    const type = toValueType(valueV, 'global value');
    if (type === 'v128') throw new TypeError('a WebAssembly.Global of type v128 cannot be created from JavaScript');
    const v = rest[0];
    const value = v === undefined ? defaultValue(type) : toWasmValue(v, type);
    const g = createGlobal({ type, mutable } satisfies GlobalType, value);
    globalStates.set(this, g);
    globalCache.set(g, this);
  }

  get value(): unknown {
    const g = brand(globalStates, this, 'Global');
    return toJSValue(g.value, g.type.type, g.types);
  }

  set value(v: unknown) {
    const g = brand(globalStates, this, 'Global');
    if (!g.type.mutable) throw new TypeError('cannot set the value of an immutable WebAssembly.Global');
    g.value = toWasmValue(v, g.type.type, g.types);
  }

  valueOf(): unknown {
    const g = brand(globalStates, this, 'Global');
    return toJSValue(g.value, g.type.type, g.types);
  }
}
Object.defineProperty(Global.prototype, Symbol.toStringTag, { value: 'WebAssembly.Global', configurable: true });

function wrapGlobal(g: GlobalObject): Global {
  return wrapOnce(g, globalCache, globalStates, Global.prototype);
}

// ---------------------------------------------------------------------------------------------
// Namespace functions (JS API §4.1)

function validate(bytes: BufferSourceLike): boolean {
  const copy = copyBytes(bytes);
  try {
    const ast = decodeModule(copy, WASM_3_0);
    validateModule(ast, WASM_3_0);
    return true;
  } catch (e) {
    if (e instanceof CompileError) return false;
    throw e;
  }
}

async function compile(bytes: BufferSourceLike): Promise<Module> {
  const copy = copyBytes(bytes);
  await null;
  return moduleFromBytes(copy);
}

function moduleFromBytes(copy: Uint8Array): Module {
  const m = Object.create(Module.prototype) as Module;
  moduleStates.set(m, compileBytes(copy));
  return m;
}

export interface WebAssemblyInstantiatedSource { module: Module; instance: Instance }

function instantiate(bytes: BufferSourceLike, importObject?: object): Promise<WebAssemblyInstantiatedSource>;
function instantiate(moduleObject: Module, importObject?: object): Promise<Instance>;
async function instantiate(source: unknown, importObject?: object): Promise<unknown> {
  const s = typeof source === 'object' && source !== null ? moduleStates.get(source) : undefined;
  if (s) {
    checkImportObject(importObject);
    const imports = readImports(s, importObject);
    await null;
    return makeInstance(instantiateState(s, imports));
  }
  const copy = copyBytes(source);
  checkImportObject(importObject);
  await null;
  const module = moduleFromBytes(copy);
  const ms = moduleStates.get(module)!;
  const imports = readImports(ms, importObject);
  await null;
  return { module, instance: makeInstance(instantiateState(ms, imports)) };
}

/** The parts of a fetch Response that the streaming functions use. */
interface ResponseLike {
  readonly ok?: boolean;
  readonly status?: number;
  readonly headers?: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

async function responseBytes(source: unknown): Promise<Uint8Array> {
  const r = (await source) as ResponseLike;
  if (typeof r !== 'object' || r === null || typeof r.arrayBuffer !== 'function') {
    throw new TypeError('argument must be a Response or a Promise resolving to one');
  }
  const ct = r.headers?.get('Content-Type');
  const essence = ct == null ? null : ct.split(';')[0]!.trim().toLowerCase();
  if (essence !== 'application/wasm') {
    throw new TypeError(`incorrect response MIME type: expected "application/wasm", got ${ct == null ? 'none' : `"${ct}"`}`);
  }
  if (r.ok === false) throw new TypeError(`HTTP status ${r.status ?? '?'} is not an ok status`);
  return new Uint8Array(await r.arrayBuffer());
}

async function compileStreaming(source: unknown): Promise<Module> {
  return moduleFromBytes(await responseBytes(source));
}

async function instantiateStreaming(source: unknown, importObject?: object): Promise<WebAssemblyInstantiatedSource> {
  checkImportObject(importObject);
  const module = moduleFromBytes(await responseBytes(source));
  const s = moduleStates.get(module)!;
  const imports = readImports(s, importObject);
  await null;
  return { module, instance: makeInstance(instantiateState(s, imports)) };
}

// ---------------------------------------------------------------------------------------------
// The namespace object.

export interface WebAssemblyNamespace {
  readonly Module: typeof Module;
  readonly Instance: typeof Instance;
  readonly Memory: typeof Memory;
  readonly Table: typeof Table;
  readonly Global: typeof Global;
  readonly Tag: typeof Tag;
  readonly Exception: typeof Exception;
  readonly JSTag: Tag;
  readonly CompileError: typeof CompileError;
  readonly LinkError: typeof LinkError;
  readonly RuntimeError: typeof RuntimeError;
  validate(bytes: BufferSourceLike): boolean;
  compile(bytes: BufferSourceLike): Promise<Module>;
  instantiate: typeof instantiate;
  compileStreaming(source: unknown): Promise<Module>;
  instantiateStreaming(source: unknown, importObject?: object): Promise<WebAssemblyInstantiatedSource>;
}

const ns = {};
for (const [k, v] of Object.entries({ validate, compile, instantiate, compileStreaming, instantiateStreaming })) {
  Object.defineProperty(ns, k, { value: v, writable: true, enumerable: true, configurable: true });
}
for (const [k, v] of Object.entries({ Module, Instance, Memory, Table, Global, Tag, Exception, CompileError, LinkError, RuntimeError })) {
  Object.defineProperty(ns, k, { value: v, writable: true, enumerable: false, configurable: true });
}
Object.defineProperty(ns, 'JSTag', { value: JSTag, writable: false, enumerable: true, configurable: false });
Object.defineProperty(ns, Symbol.toStringTag, { value: 'WebAssembly', configurable: true });

/** Kasane's implementation of the WebAssembly namespace object. */
export const WebAssembly = ns as WebAssemblyNamespace;

export { CompileError, LinkError, RuntimeError, Exception, Tag };

/** Engine-level access for embedders and the spec runner (not part of the JS API). */
export const internals = {
  funcRefOf,
  /** Compiles a Module metered by a Fuel (engine/fuel.ts): its code traps when the fuel runs out. */
  moduleWithFuel,
  exportedFunction,
  /** The decoded, validated module of a Kasane Module. */
  moduleAstOf: (m: unknown): AstModule | undefined => (typeof m === 'object' && m !== null ? moduleStates.get(m)?.ast : undefined),
  /** The engine's compiled module of a Kasane Module (its functions translate on first call). */
  compiledOf: (m: unknown): CompiledModule | undefined => (typeof m === 'object' && m !== null ? moduleStates.get(m)?.compiled : undefined),
  globalObjectOf: (g: unknown): GlobalObject | undefined => (typeof g === 'object' && g !== null ? globalStates.get(g) : undefined),
  memoryObjectOf: (m: unknown): MemoryObject | undefined => (typeof m === 'object' && m !== null ? memoryStates.get(m)?.mem : undefined),
  /** The one WebAssembly.Memory of an engine memory (made on first use). */
  memoryOf: (m: MemoryObject): Memory => wrapMemory(m),
  tableObjectOf: (t: unknown): TableObject | undefined => (typeof t === 'object' && t !== null ? tableStates.get(t) : undefined),
};
