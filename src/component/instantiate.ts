// Component instantiation (Explainer.md "Instance Definitions"): runs the definitions of a
// component in order, building its index spaces from values: core modules compiled and
// instantiated through one WebAssembly namespace (so Kasane's engine and the host's both work),
// aliases, types resolved to `Type`s with resource identities, canonical functions, nested
// component instances. Imports come from a JS object keyed by import name (an interface name
// like `wasi:cli/stdout@0.2.0` may also be given without its version); exports are JS values.

import { LinkError } from '../errors.js';
import type { WebAssemblyNamespace } from '../api/namespace.js';
import type {
  Alias, CanonOptions, Component, CoreDefType, Decl, DefType, ExternDesc, FuncType as AstFuncType, SortIdx, ValType,
} from './ast.js';
import { Resource, type FuncType, type Type, PRIM_KINDS, funcTypeEquals, funcTypeToString, typeEquals } from './types.js';
import { HandleTable } from './canonical/resources.js';
import type { CanonicalOptions } from './canonical/context.js';
import { liftFunction, lowerFunction, resourceDrop, resourceNew, resourceRep, type CallableInstance, type JsFunction } from './canonical/call.js';
import { camel, className } from '../wit/js-name.js';
import { CONSTRUCTOR, resourceClass } from './canonical/handles.js';

/** A component-level function: its type and a JS function with jco's conventions. */
export interface Func { type: FuncType; call: JsFunction }

export type TypeValue =
  | { kind: 'value'; type: Type }
  | { kind: 'func'; type: FuncType }
  | { kind: 'resource'; resource: Resource }
  | { kind: 'component' | 'instance'; decls: Decl[]; env: Env };

export interface InstanceValue { exports: Map<string, Extern> }

export interface ComponentValue { component: Component; env: Env | undefined }

export type Extern =
  | { sort: 'func'; func: Func }
  | { sort: 'type'; type: TypeValue }
  | { sort: 'instance'; instance: InstanceValue }
  | { sort: 'component'; component: ComponentValue }
  | { sort: 'core module'; module: unknown };

/** The index spaces of one component (or component/instance type) being instantiated. */
export class Env {
  coreFuncs: unknown[] = [];
  coreTables: unknown[] = [];
  coreMemories: unknown[] = [];
  coreGlobals: unknown[] = [];
  coreTypes: CoreDefType[] = [];
  coreModules: unknown[] = [];
  coreInstances: Record<string, unknown>[] = [];
  funcs: Func[] = [];
  types: TypeValue[] = [];
  components: ComponentValue[] = [];
  instances: InstanceValue[] = [];
  constructor(readonly parent: Env | undefined) {}
}

/** State of one component instance: its handle table; it implements the resources it defines. */
class ComponentInstanceState implements CallableInstance {
  readonly table = new HandleTable();
  mayEnter = true;
}

const PRIM_TYPES = new Map<string, Type>();
for (const k of PRIM_KINDS) PRIM_TYPES.set(k, { kind: k } as Type);

// Compiled core modules by engine and bytes: instantiating one decoded component again (kasane
// serve makes an instance per request) compiles its modules once, and validating a component
// before instantiating it may compile them (component/index.ts), so that no module is validated twice.
const moduleCache = new WeakMap<WebAssemblyNamespace, WeakMap<Uint8Array, unknown>>();
export function compiledCoreModule(wasm: WebAssemblyNamespace, bytes: Uint8Array): InstanceType<WebAssemblyNamespace['Module']> {
  let byBytes = moduleCache.get(wasm);
  if (byBytes === undefined) { byBytes = new WeakMap(); moduleCache.set(wasm, byBytes); }
  let m = byBytes.get(bytes) as InstanceType<WebAssemblyNamespace['Module']> | undefined;
  if (m === undefined) { m = new wasm.Module(bytes); byBytes.set(bytes, m); }
  return m;
}

function fail(message: string): never {
  throw new LinkError(message);
}

/** `wasi:cli/run@0.2.0` → `wasi:cli/run`. */
export function withoutVersion(name: string): string {
  const at = name.indexOf('@');
  return at < 0 ? name : name.slice(0, at);
}

function typeValueEquals(a: TypeValue | undefined, b: TypeValue): boolean {
  if (a === undefined || a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'value': return typeEquals(a.type, (b as typeof a).type);
    case 'func': return funcTypeEquals(a.type, (b as typeof a).type);
    case 'resource': return a.resource === (b as typeof a).resource;
    default: return true;
  }
}

/** What imports a component instantiation was given: host JS values, or externs from an enclosing component. */
type ImportSource = { kind: 'host'; imports: Record<string, unknown>; resources: Map<string, Resource> } | { kind: 'args'; args: Map<string, Extern> };

export interface InstantiateOptions {
  /** The WebAssembly namespace that compiles and instantiates the core modules. */
  wasm: WebAssemblyNamespace;
  /**
   * Compiles one core module instead of `new wasm.Module` (fuel, memory limits: core-limits.ts);
   * its modules are not cached, since they depend on the options of this instantiation.
   */
  coreModule?: (bytes: Uint8Array) => unknown;
}

class Instantiator {
  constructor(private readonly wasm: WebAssemblyNamespace, private readonly coreModule?: (bytes: Uint8Array) => unknown) {}

  // ------------------------------------------------------------------ types

  valType(env: Env, vt: ValType): Type {
    if (typeof vt === 'string') {
      const t = PRIM_TYPES.get(vt);
      if (t === undefined) fail(`unsupported value type ${vt}`);
      return t;
    }
    const tv = env.types[vt];
    if (tv?.kind !== 'value') fail(`type index ${vt} is not a value type`);
    return tv.type;
  }

  resource(env: Env, idx: number): Resource {
    const tv = env.types[idx];
    if (tv?.kind !== 'resource') fail(`type index ${idx} is not a resource type`);
    return tv.resource;
  }

  funcType(env: Env, ft: AstFuncType): FuncType {
    if (ft.async) fail('async functions are not supported yet');
    const params = ft.params.map((p) => ({ name: p.name, type: this.valType(env, p.type) }));
    if (Array.isArray(ft.results)) {
      const named = ft.results;
      return named.length === 0 ? { params, results: [] } : { params, results: named.map((r) => this.valType(env, r.type)), resultNames: named.map((r) => r.name) };
    }
    return { params, results: [this.valType(env, ft.results)] };
  }

  defType(env: Env, dt: DefType, inst: ComponentInstanceState | undefined): TypeValue {
    switch (dt.kind) {
      case 'func': return { kind: 'func', type: this.funcType(env, dt) };
      case 'component': case 'instance': return { kind: dt.kind, decls: dt.decls, env };
      case 'resource': {
        if (dt.async) fail('async resource destructors are not supported yet');
        const r = new Resource('resource', false, inst);
        if (dt.dtor !== undefined) {
          const f = env.coreFuncs[dt.dtor] as (rep: number) => unknown;
          if (typeof f !== 'function') fail(`resource destructor ${dt.dtor} is not a core function`);
          r.dtor = (rep) => { f(rep); };
        }
        return { kind: 'resource', resource: r };
      }
      case 'prim': return { kind: 'value', type: this.valType(env, dt.prim) };
      case 'record': return { kind: 'value', type: { kind: 'record', fields: dt.fields.map((f) => ({ name: f.name, type: this.valType(env, f.type) })) } };
      case 'variant': return { kind: 'value', type: { kind: 'variant', cases: dt.cases.map((c) => (c.type === undefined ? { name: c.name } : { name: c.name, type: this.valType(env, c.type) })) } };
      case 'list': return { kind: 'value', type: dt.length === undefined ? { kind: 'list', elem: this.valType(env, dt.elem) } : { kind: 'list', elem: this.valType(env, dt.elem), length: dt.length } };
      case 'tuple': return { kind: 'value', type: { kind: 'tuple', types: dt.types.map((t) => this.valType(env, t)) } };
      case 'flags': return { kind: 'value', type: { kind: 'flags', names: dt.names } };
      case 'enum': return { kind: 'value', type: { kind: 'enum', names: dt.names } };
      case 'option': return { kind: 'value', type: { kind: 'option', type: this.valType(env, dt.type) } };
      case 'result': {
        const t: Type = { kind: 'result' };
        if (dt.ok !== undefined) t.ok = this.valType(env, dt.ok);
        if (dt.err !== undefined) t.err = this.valType(env, dt.err);
        return { kind: 'value', type: t };
      }
      case 'own': return { kind: 'value', type: { kind: 'own', resource: this.resource(env, dt.idx) } };
      case 'borrow': return { kind: 'value', type: { kind: 'borrow', resource: this.resource(env, dt.idx) } };
      case 'stream': case 'future': fail(`${dt.kind} types are not supported yet`);
    }
  }

  // ------------------------------------------------------------------ index spaces

  outer(env: Env, count: number): Env {
    let e: Env | undefined = env;
    for (let i = 0; i < count; i++) e = e?.parent;
    if (e === undefined) fail(`outer alias count ${count} is beyond the enclosing components`);
    return e;
  }

  /** Adds an extern to the index space of its sort. */
  push(env: Env, x: Extern): void {
    switch (x.sort) {
      case 'func': env.funcs.push(x.func); break;
      case 'type': env.types.push(x.type); break;
      case 'instance': env.instances.push(x.instance); break;
      case 'component': env.components.push(x.component); break;
      case 'core module': env.coreModules.push(x.module); break;
    }
  }

  /** The extern at a sort index of env. */
  get(env: Env, s: SortIdx): Extern {
    const missing = (): never => fail(`${s.sort} index ${s.idx} out of bounds`);
    switch (s.sort) {
      case 'func': return { sort: 'func', func: env.funcs[s.idx] ?? missing() };
      case 'type': return { sort: 'type', type: env.types[s.idx] ?? missing() };
      case 'instance': return { sort: 'instance', instance: env.instances[s.idx] ?? missing() };
      case 'component': return { sort: 'component', component: env.components[s.idx] ?? missing() };
      case 'core module': return { sort: 'core module', module: env.coreModules[s.idx] ?? missing() };
      default: return fail(`${s.sort} cannot be an export or an instantiation argument`);
    }
  }

  alias(env: Env, a: Alias): void {
    if (a.target === 'outer') {
      const o = this.outer(env, a.count);
      switch (a.sort) {
        case 'type': env.types.push(o.types[a.idx] ?? fail(`outer type index ${a.idx} out of bounds`)); return;
        case 'component': env.components.push(o.components[a.idx] ?? fail(`outer component index ${a.idx} out of bounds`)); return;
        case 'core module': env.coreModules.push(o.coreModules[a.idx] ?? fail(`outer core module index ${a.idx} out of bounds`)); return;
        case 'core type': env.coreTypes.push(o.coreTypes[a.idx] ?? fail(`outer core type index ${a.idx} out of bounds`)); return;
        default: fail(`outer aliases of ${a.sort} are not allowed`);
      }
    }
    if (a.target === 'core export') {
      const inst = env.coreInstances[a.instance] ?? fail(`core instance index ${a.instance} out of bounds`);
      if (!Object.hasOwn(inst, a.name)) fail(`core instance ${a.instance} has no export "${a.name}"`);
      const v = inst[a.name];
      switch (a.sort) {
        case 'core func': env.coreFuncs.push(v); return;
        case 'core table': env.coreTables.push(v); return;
        case 'core memory': env.coreMemories.push(v); return;
        case 'core global': env.coreGlobals.push(v); return;
        default: fail(`cannot alias a core ${a.sort} export`);
      }
    }
    const inst = env.instances[a.instance] ?? fail(`instance index ${a.instance} out of bounds`);
    const x = inst.exports.get(a.name) ?? fail(`instance ${a.instance} has no export "${a.name}"`);
    if (x.sort !== a.sort) fail(`export "${a.name}" of instance ${a.instance} is a ${x.sort}, not a ${a.sort}`);
    this.push(env, x);
  }

  canonOptions(env: Env, o: CanonOptions): CanonicalOptions {
    if (o.async || o.callback !== undefined) fail('async canonical options are not supported yet');
    const opts: CanonicalOptions = { encoding: o.stringEncoding ?? 'utf8' };
    if (o.memory !== undefined) opts.memory = (env.coreMemories[o.memory] ?? fail(`core memory index ${o.memory} out of bounds`)) as CanonicalOptions['memory'];
    if (o.realloc !== undefined) opts.realloc = (env.coreFuncs[o.realloc] ?? fail(`core func index ${o.realloc} out of bounds`)) as CanonicalOptions['realloc'];
    if (o.postReturn !== undefined) opts.postReturn = (env.coreFuncs[o.postReturn] ?? fail(`core func index ${o.postReturn} out of bounds`)) as CanonicalOptions['postReturn'];
    return opts;
  }

  // ------------------------------------------------------------------ imports

  /** The host's value for an import name: exact name first, then without the version. */
  hostValue(imports: Record<string, unknown>, name: string): unknown {
    if (Object.hasOwn(imports, name)) return imports[name];
    const plain = withoutVersion(name);
    if (Object.hasOwn(imports, plain)) return imports[plain];
    // A plain function name may also be given in camelCase, as jco names functions.
    if (!name.includes(':') && Object.hasOwn(imports, camel(name))) return imports[camel(name)];
    return undefined;
  }

  /** Makes the extern for a host import of the given description (instance types are walked declarator by declarator). */
  hostExtern(env: Env, name: string, desc: ExternDesc, host: unknown, resources: Map<string, Resource>, iface: string): Extern {
    switch (desc.sort) {
      case 'func': {
        const tv = env.types[desc.type];
        if (tv?.kind !== 'func') fail(`import "${name}": type ${desc.type} is not a function type`);
        return { sort: 'func', func: { type: tv.type, call: this.hostFunction(iface, name, host) } };
      }
      case 'instance': {
        const tv = env.types[desc.type];
        if (tv?.kind !== 'instance') fail(`import "${name}": type ${desc.type} is not an instance type`);
        if (host === undefined && this.typesOnly(env, desc)) host = {};
        if (typeof host !== 'object' || host === null) fail(`import "${name}" is missing (an object of functions and resource classes is expected)`);
        return { sort: 'instance', instance: this.hostInstance(tv.decls, tv.env, host as Record<string, unknown>, resources, name) };
      }
      case 'type': {
        if (desc.bound === 'sub resource') return { sort: 'type', type: { kind: 'resource', resource: this.hostResource(resources, iface, name) } };
        return { sort: 'type', type: env.types[desc.bound.eq] ?? fail(`type index ${desc.bound.eq} out of bounds`) };
      }
      default: fail(`import "${name}": importing a ${desc.sort} from the host is not supported`);
    }
  }

  /**
   * An instance import that exports value types only (a WIT interface of type definitions, like
   * one other interfaces `use`): it needs nothing from the host, so it may be left out, as in jco.
   */
  typesOnly(env: Env, desc: ExternDesc): boolean {
    if (desc.sort !== 'instance') return false;
    const tv = env.types[desc.type];
    return tv?.kind === 'instance' && tv.decls.every((d) => d.kind !== 'export' || (d.desc.sort === 'type' && d.desc.bound !== 'sub resource'));
  }

  hostResource(resources: Map<string, Resource>, iface: string, name: string): Resource {
    const key = `${withoutVersion(iface)}#${name}`;
    let r = resources.get(key);
    if (r === undefined) { r = new Resource(name, true); resources.set(key, r); }
    return r;
  }

  /** A host function for an import name, with `[method]`, `[static]` and `[constructor]` names mapped to jco's classes. */
  hostFunction(iface: string, name: string, host: unknown): JsFunction {
    const where = iface === name ? `"${name}"` : `"${name}" of "${iface}"`;
    const m = /^\[(method|static|constructor)\]([^.]+)(?:\.(.+))?$/.exec(name);
    if (m === null) {
      if (typeof host !== 'function') fail(`import ${where} is not a function`);
      return host as JsFunction;
    }
    if (typeof host !== 'function') fail(`import ${where}: resource class ${className(m[2])} is missing`);
    const cls = host as unknown as { prototype?: Record<string, unknown> } & Record<string, unknown>;
    switch (m[1]) {
      case 'constructor': return (...args) => new (cls as unknown as new (...a: unknown[]) => unknown)(...args);
      case 'static': {
        const f = cls[camel(m[3])];
        if (typeof f !== 'function') fail(`import ${where}: static method ${className(m[2])}.${camel(m[3])} is missing`);
        return (...args) => (f as JsFunction).apply(cls, args);
      }
      default: {
        const method = camel(m[3]);
        if (typeof cls.prototype?.[method] !== 'function') fail(`import ${where}: method ${className(m[2])}.prototype.${method} is missing`);
        return (self, ...args) => (self as Record<string, JsFunction>)[method](...args);
      }
    }
  }

  hostInstance(decls: Decl[], outer: Env, host: Record<string, unknown>, resources: Map<string, Resource>, iface: string): InstanceValue {
    const env = new Env(outer);
    const exports = new Map<string, Extern>();
    for (const d of decls) {
      switch (d.kind) {
        case 'core type': env.coreTypes.push(d.type); break;
        case 'type': env.types.push(this.defType(env, d.type, undefined)); break;
        case 'alias': this.alias(env, d.alias); break;
        case 'import': fail('imports are not allowed in instance types');
        case 'export': {
          let v: unknown;
          if (d.desc.sort === 'func') {
            const m = /^\[(?:method|static|constructor)\]([^.]+)/.exec(d.name);
            v = m !== null ? host[className(m[1])] : host[camel(d.name)];
            if (v === undefined) fail(`import "${iface}": ${m !== null ? `resource class ${className(m[1])}` : `function ${camel(d.name)}`} is missing (for "${d.name}")`);
          } else if (d.desc.sort === 'instance') v = host[d.name];
          const x = this.hostExtern(env, d.name, d.desc, v, resources, iface);
          this.push(env, x);
          exports.set(d.name, x);
        }
      }
    }
    return { exports };
  }

  // ------------------------------------------------------------------ type checks

  /** Checks that an extern has the type a descriptor (of an import or an export ascription) gives. */
  checkExtern(env: Env, desc: ExternDesc, x: Extern, what: string): void {
    if (x.sort !== (desc.sort === 'core module' ? 'core module' : desc.sort)) fail(`${what} is a ${x.sort}, not a ${desc.sort}`);
    switch (desc.sort) {
      case 'func': {
        const tv = env.types[desc.type];
        if (tv?.kind !== 'func') fail(`${what}: type ${desc.type} is not a function type`);
        const got = (x as { func: Func }).func.type;
        if (!funcTypeEquals(tv.type, got)) fail(`${what}: expected ${funcTypeToString(tv.type)}, got ${funcTypeToString(got)}`);
        return;
      }
      case 'type': {
        const t = (x as { type: TypeValue }).type;
        if (desc.bound === 'sub resource') { if (t.kind !== 'resource') fail(`${what} is not a resource type`); return; }
        const want = env.types[desc.bound.eq];
        if (!typeValueEquals(want, t)) fail(`${what}: type mismatch`);
        return;
      }
      case 'instance': {
        const tv = env.types[desc.type];
        if (tv?.kind !== 'instance') fail(`${what}: type ${desc.type} is not an instance type`);
        this.checkInstance(tv.decls, tv.env, (x as { instance: InstanceValue }).instance, what);
        return;
      }
      default: return;
    }
  }

  /** Checks an instance against the declarators of an instance type (its type exports bind to the instance's). */
  checkInstance(decls: Decl[], outer: Env, inst: InstanceValue, what: string): void {
    const env = new Env(outer);
    for (const d of decls) {
      switch (d.kind) {
        case 'core type': env.coreTypes.push(d.type); break;
        case 'type': env.types.push(this.defType(env, d.type, undefined)); break;
        case 'alias': this.alias(env, d.alias); break;
        case 'import': break;
        case 'export': {
          const x = inst.exports.get(d.name) ?? fail(`${what} has no export "${d.name}"`);
          this.checkExtern(env, d.desc, x, `export "${d.name}" of ${what}`);
          this.push(env, x);
        }
      }
    }
  }

  // ------------------------------------------------------------------ components

  run(c: Component, parent: Env | undefined, source: ImportSource): { instance: InstanceValue; state: ComponentInstanceState } {
    const env = new Env(parent);
    const state = new ComponentInstanceState();
    const exports = new Map<string, Extern>();
    for (const d of c.definitions) {
      try {
        this.define(env, state, d, source, exports);
      } catch (e) {
        if (e instanceof LinkError && !/at byte offset/.test(e.message)) throw new LinkError(`${e.message} (at byte offset ${d.offset})`);
        throw e;
      }
    }
    return { instance: { exports }, state };
  }

  private define(env: Env, state: ComponentInstanceState, d: Component['definitions'][number], source: ImportSource, exports: Map<string, Extern>): void {
    switch (d.kind) {
      case 'core module': env.coreModules.push(this.coreModule !== undefined ? this.coreModule(d.bytes) : compiledCoreModule(this.wasm, d.bytes)); return;
      case 'core type': env.coreTypes.push(d.type); return;
      case 'core instance': {
        const e = d.expr;
        if (e.kind === 'instantiate') {
          const module = env.coreModules[e.module] ?? fail(`core module index ${e.module} out of bounds`);
          const importObject: Record<string, unknown> = {};
          for (const a of e.args) importObject[a.name] = env.coreInstances[a.instance] ?? fail(`core instance index ${a.instance} out of bounds`);
          const inst = new this.wasm.Instance(module as InstanceType<WebAssemblyNamespace['Module']>, importObject);
          env.coreInstances.push(inst.exports as Record<string, unknown>);
        } else {
          const obj: Record<string, unknown> = Object.create(null);
          for (const x of e.exports) {
            const space = { func: env.coreFuncs, table: env.coreTables, memory: env.coreMemories, global: env.coreGlobals }[x.sort as 'func'];
            if (space === undefined) fail(`core instances cannot export a ${x.sort}`);
            if (x.idx >= space.length) fail(`core ${x.sort} index ${x.idx} out of bounds`);
            obj[x.name] = space[x.idx];
          }
          env.coreInstances.push(obj);
        }
        return;
      }
      case 'component': env.components.push({ component: d.component, env }); return;
      case 'instance': {
        const e = d.expr;
        if (e.kind === 'instantiate') {
          const cv = env.components[e.component] ?? fail(`component index ${e.component} out of bounds`);
          const args = new Map<string, Extern>();
          for (const a of e.args) args.set(a.name, this.get(env, a.arg));
          env.instances.push(this.run(cv.component, cv.env, { kind: 'args', args }).instance);
        } else {
          const ex = new Map<string, Extern>();
          for (const x of e.exports) ex.set(x.name, this.get(env, x.arg));
          env.instances.push({ exports: ex });
        }
        return;
      }
      case 'alias': this.alias(env, d.alias); return;
      case 'type': env.types.push(this.defType(env, d.type, state)); return;
      case 'canon': {
        const k = d.canon;
        switch (k.kind) {
          case 'lift': {
            const core = env.coreFuncs[k.coreFunc] as (...a: unknown[]) => unknown;
            if (typeof core !== 'function') fail(`core func index ${k.coreFunc} out of bounds`);
            const tv = env.types[k.type];
            if (tv?.kind !== 'func') fail(`canon lift: type ${k.type} is not a function type`);
            env.funcs.push({ type: tv.type, call: liftFunction(tv.type, core, this.canonOptions(env, k.options), state) });
            return;
          }
          case 'lower': {
            const f = env.funcs[k.func] ?? fail(`func index ${k.func} out of bounds`);
            env.coreFuncs.push(lowerFunction(f.type, f.call, this.canonOptions(env, k.options), state));
            return;
          }
          case 'resource.new': env.coreFuncs.push(resourceNew(this.resource(env, k.type), state)); return;
          case 'resource.drop':
            if (k.async) fail('async resource.drop is not supported yet');
            env.coreFuncs.push(resourceDrop(this.resource(env, k.type), state));
            return;
          case 'resource.rep': env.coreFuncs.push(resourceRep(this.resource(env, k.type), state)); return;
          case 'unsupported': fail(`canonical built-in 0x${k.opcode.toString(16)} is not supported`);
        }
        return;
      }
      case 'start': {
        if (d.args.length > 0 || d.results > 0) fail('start functions with values are not supported');
        const f = env.funcs[d.func] ?? fail(`func index ${d.func} out of bounds`);
        f.call();
        return;
      }
      case 'import': {
        let x: Extern;
        if (source.kind === 'args') {
          x = source.args.get(d.name) ?? fail(`missing instantiation argument "${d.name}"`);
          this.checkExtern(env, d.desc, x, `instantiation argument "${d.name}"`);
        } else {
          const host = this.hostValue(source.imports, d.name);
          if (host === undefined && d.desc.sort !== 'type' && !this.typesOnly(env, d.desc)) fail(`unknown import: "${d.name}" has not been defined`);
          x = this.hostExtern(env, d.name, d.desc, host, source.resources, d.name);
        }
        if (x.sort === 'type' && x.type.kind === 'resource' && x.type.resource.name === 'resource') x.type.resource.name = d.name;
        this.push(env, x);
        return;
      }
      case 'export': {
        const x = this.get(env, d.arg);
        if (d.desc !== undefined) this.checkExtern(env, d.desc, x, `export "${d.name}"`);
        if (x.sort === 'type' && x.type.kind === 'resource' && x.type.resource.name === 'resource') x.type.resource.name = d.name;
        exports.set(d.name, x);
        this.push(env, x);
        return;
      }
    }
  }
}


/** The JS view of an exported extern: functions as they are; instances as objects of camelCase functions and resource classes. */
export function externToJs(x: Extern): unknown {
  switch (x.sort) {
    case 'func': return x.func.call;
    case 'instance': {
      const obj: Record<string, unknown> = {};
      for (const [name, e] of x.instance.exports) {
        const m = /^\[(method|static|constructor)\]([^.]+)(?:\.(.+))?$/.exec(name);
        if (m !== null && e.sort === 'func') {
          attachResourceFunction(x.instance, m[1], m[2], m[3], e.func, obj);
          continue;
        }
        if (e.sort === 'type' && e.type.kind === 'resource') {
          const r = e.type.resource;
          obj[className(name)] = r.host ? undefined : resourceClass(r);
          continue;
        }
        if (e.sort === 'type') continue;
        obj[camel(name)] = externToJs(e);
      }
      return obj;
    }
    case 'type': return undefined;
    case 'component': case 'core module': return undefined;
  }
}

function attachResourceFunction(inst: InstanceValue, kind: string, resName: string, member: string | undefined, f: Func, obj: Record<string, unknown>): void {
  const rx = inst.exports.get(resName);
  if (rx?.sort !== 'type' || rx.type.kind !== 'resource' || rx.type.resource.host) return;
  const C = resourceClass(rx.type.resource) as unknown as Record<string, unknown> & { prototype: Record<string, unknown> };
  obj[className(resName)] = C;
  const call = f.call;
  switch (kind) {
    case 'constructor':
      Object.defineProperty(C, CONSTRUCTOR, { value: call, configurable: true });
      break;
    case 'static': Object.defineProperty(C, camel(member!), { value: call, configurable: true }); break;
    default: Object.defineProperty(C.prototype, camel(member!), { value(this: unknown, ...args: unknown[]) { return call(this, ...args); }, configurable: true });
  }
}

export interface ComponentInstance {
  /** Exports by name: functions, and instances as objects (also under the name without its version). */
  exports: Record<string, unknown>;
  /** The exported externs themselves (for embedders needing the types). */
  externs: Map<string, Extern>;
}

/** Instantiates a decoded component with host imports keyed by import name. */
export function instantiateComponent(c: Component, imports: Record<string, unknown>, options: InstantiateOptions): ComponentInstance {
  const it = new Instantiator(options.wasm, options.coreModule);
  const { instance } = it.run(c, undefined, { kind: 'host', imports, resources: new Map() });
  // The component's own exports look like an exported instance's (camelCase functions, resource
  // classes with their methods), plus every export under its exact name and instances also
  // under their name without the version.
  const exports = externToJs({ sort: 'instance', instance }) as Record<string, unknown>;
  for (const [name, x] of instance.exports) {
    const v = x.sort === 'type' ? undefined : externToJs(x);
    if (v === undefined || /^\[/.test(name)) continue;
    exports[name] = v;
    const plain = withoutVersion(name);
    if (plain !== name && !Object.hasOwn(exports, plain)) exports[plain] = v;
  }
  return { exports, externs: instance.exports };
}
