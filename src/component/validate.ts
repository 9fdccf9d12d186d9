// Component validation: what instantiation relies on. Every index is checked against its index
// space as it is built (definition by definition, with instance and component types in scopes of
// their own), aliases against the exports an instance is known to have, canonical definitions
// against their types and options (memory and realloc present when values need them), import
// and export names for uniqueness, and nested core modules with the core validator. Errors are
// CompileErrors at the definition's byte offset. Not checked here: whether instantiation
// arguments have the types the component imports (instantiation checks it, as a LinkError).

import { CompileError } from '../errors.js';
import { decodeModule } from '../binary/decode.js';
import { validateModule } from '../validate/validate.js';
import type { Module } from '../ast/module.js';
import type { Alias, Canon, Component, Decl, DefType, ExternDesc, CoreDefType, Sort, ValType, Definition } from './ast.js';

type TypeInfo =
  | { kind: 'value'; def?: DefType }
  | { kind: 'func'; def: DefType & { kind: 'func' } }
  | { kind: 'component' | 'instance'; exports?: Map<string, Sort> }
  | { kind: 'resource' }
  | { kind: 'unknown' };

/** Index spaces of one scope (a component, or a component or instance type). */
class Scope {
  readonly counts = new Map<Sort, number>();
  readonly types: TypeInfo[] = [];
  readonly coreTypes: (CoreDefType | undefined)[] = [];
  /** Export names and sorts of instances (component-level), when known. */
  readonly instances: (Map<string, Sort> | undefined)[] = [];
  /** Exports of core instances, name to core sort, when known. */
  readonly coreInstances: (Map<string, Sort> | undefined)[] = [];
  /** Exports of core modules (name to core sort) and their import module names. */
  readonly coreModules: ({ exports: Map<string, Sort>; importModules: Set<string> } | undefined)[] = [];
  /** Export names of components, by sort, when known. */
  readonly components: (Map<string, Sort> | undefined)[] = [];
  constructor(readonly parent: Scope | undefined) {}

  count(s: Sort): number { return this.counts.get(s) ?? 0; }
  add(s: Sort): void { this.counts.set(s, this.count(s) + 1); }
}

function err(message: string, offset: number): never {
  throw new CompileError(message, offset);
}

const CORE_KIND_SORT: Record<string, Sort> = { func: 'core func', table: 'core table', memory: 'core memory', global: 'core global', tag: 'core func' };

export interface ValidateComponentOptions {
  /**
   * Validates a nested core module's code instead of Kasane's core validator (imports and exports
   * are still read by Kasane's decoder): the host's `WebAssembly.validate` when the host's engine
   * will compile the modules anyway, which is several times faster on large modules. When it
   * returns false, Kasane's validator runs to give the reason and offset. It may return the module
   * it decoded and validated (Kasane's engine compiling it), which is then not decoded again.
   */
  validateCore?: (bytes: Uint8Array) => boolean | Module;
}

class Validator {
  offset = 0;
  constructor(private readonly options: ValidateComponentOptions = {}) {}

  fail(message: string): never { return err(message, this.offset); }

  index(scope: Scope, sort: Sort, idx: number): void {
    if (idx >= scope.count(sort)) this.fail(`${sort} index ${idx} out of bounds (${scope.count(sort)} defined)`);
  }

  valType(scope: Scope, vt: ValType): void {
    if (typeof vt === 'string') return;
    this.index(scope, 'type', vt);
    const k = scope.types[vt].kind;
    if (k !== 'value' && k !== 'unknown') this.fail(`type index ${vt} is a ${k} type, not a value type`);
  }

  /** Whether values of this type need linear memory (strings and lists), when the type is known. */
  needsMemory(scope: Scope, vt: ValType | undefined, seen = 0): boolean {
    if (vt === undefined || seen > 100) return false;
    if (typeof vt === 'string') return vt === 'string';
    const t = scope.types[vt];
    if (t?.kind !== 'value' || t.def === undefined) return false;
    const d = t.def;
    switch (d.kind) {
      case 'prim': return d.prim === 'string';
      case 'list': return d.length === undefined || this.needsMemory(scope, d.elem, seen + 1);
      case 'record': return d.fields.some((f) => this.needsMemory(scope, f.type, seen + 1));
      case 'tuple': return d.types.some((x) => this.needsMemory(scope, x, seen + 1));
      case 'variant': return d.cases.some((c) => this.needsMemory(scope, c.type, seen + 1));
      case 'option': return this.needsMemory(scope, d.type, seen + 1);
      case 'result': return this.needsMemory(scope, d.ok, seen + 1) || this.needsMemory(scope, d.err, seen + 1);
      default: return false;
    }
  }

  /** Whether a value type uses `borrow` anywhere (not allowed in function results). */
  hasBorrow(scope: Scope, vt: ValType | undefined, seen = 0): boolean {
    if (vt === undefined || typeof vt === 'string' || seen > 100) return false;
    const t = scope.types[vt];
    if (t?.kind !== 'value' || t.def === undefined) return false;
    const d = t.def;
    const sub = (x: ValType | undefined): boolean => this.hasBorrow(scope, x, seen + 1);
    switch (d.kind) {
      case 'borrow': return true;
      case 'list': return sub(d.elem);
      case 'record': return d.fields.some((f) => sub(f.type));
      case 'tuple': return d.types.some(sub);
      case 'variant': return d.cases.some((c) => sub(c.type));
      case 'option': return sub(d.type);
      case 'result': return sub(d.ok) || sub(d.err);
      default: return false;
    }
  }

  defType(scope: Scope, dt: DefType): TypeInfo {
    switch (dt.kind) {
      case 'func':
        for (const p of dt.params) this.valType(scope, p.type);
        if (Array.isArray(dt.results)) for (const r of dt.results) this.valType(scope, r.type);
        else this.valType(scope, dt.results);
        for (const r of Array.isArray(dt.results) ? dt.results.map((x) => x.type) : [dt.results]) {
          if (this.hasBorrow(scope, r)) this.fail('function results cannot contain borrow handles');
        }
        unique(dt.params.map((p) => p.name), 'parameter', this);
        return { kind: 'func', def: dt };
      case 'component': case 'instance': return { kind: dt.kind, exports: this.decls(scope, dt.decls, dt.kind) };
      case 'resource':
        if (dt.dtor !== undefined) this.index(scope, 'core func', dt.dtor);
        return { kind: 'resource' };
      case 'record': dt.fields.forEach((f) => this.valType(scope, f.type)); unique(dt.fields.map((f) => f.name), 'field', this); break;
      case 'variant': dt.cases.forEach((c) => c.type !== undefined && this.valType(scope, c.type)); unique(dt.cases.map((c) => c.name), 'case', this); break;
      case 'list': this.valType(scope, dt.elem); break;
      case 'tuple': dt.types.forEach((t) => this.valType(scope, t)); break;
      case 'flags': unique(dt.names, 'flag', this); if (dt.names.length > 32) this.fail('flags with more than 32 labels'); break;
      case 'enum': unique(dt.names, 'enum case', this); break;
      case 'option': this.valType(scope, dt.type); break;
      case 'result': if (dt.ok !== undefined) this.valType(scope, dt.ok); if (dt.err !== undefined) this.valType(scope, dt.err); break;
      case 'own': case 'borrow': {
        this.index(scope, 'type', dt.idx);
        const k = scope.types[dt.idx].kind;
        if (k !== 'resource' && k !== 'unknown') this.fail(`${dt.kind} of type index ${dt.idx}, which is not a resource type`);
        break;
      }
      case 'stream': case 'future': if (dt.type !== undefined) this.valType(scope, dt.type); break;
    }
    return { kind: 'value', def: dt };
  }

  /** Declarators of a component or instance type, in a scope of their own; returns its export sorts. */
  decls(outer: Scope, decls: Decl[], kind: 'component' | 'instance'): Map<string, Sort> {
    const scope = new Scope(outer);
    const exports = new Map<string, Sort>();
    const imports = new Set<string>();
    for (const d of decls) {
      switch (d.kind) {
        case 'core type': scope.coreTypes.push(d.type); scope.add('core type'); break;
        case 'type':
          if (d.type.kind === 'resource') this.fail(`resource types cannot be defined in ${kind} types`);
          scope.types.push(this.defType(scope, d.type)); scope.add('type');
          break;
        case 'alias': this.alias(scope, d.alias); break;
        case 'import':
          if (imports.has(d.name)) this.fail(`duplicate import name "${d.name}"`);
          imports.add(d.name);
          this.externDesc(scope, d.desc);
          break;
        case 'export':
          if (exports.has(d.name)) this.fail(`duplicate export name "${d.name}"`);
          exports.set(d.name, d.desc.sort === 'core module' ? 'core module' : d.desc.sort);
          this.externDesc(scope, d.desc);
          break;
      }
    }
    return exports;
  }

  /** Checks a descriptor and adds the item it introduces to the scope. */
  externDesc(scope: Scope, desc: ExternDesc): void {
    switch (desc.sort) {
      case 'core module': {
        this.index(scope, 'core type', desc.type);
        const ct = scope.coreTypes[desc.type];
        if (ct !== undefined && ct.kind !== 'module') this.fail(`core type ${desc.type} is not a module type`);
        scope.coreModules.push(undefined);
        break;
      }
      case 'func': {
        this.index(scope, 'type', desc.type);
        const k = scope.types[desc.type].kind;
        if (k !== 'func' && k !== 'unknown') this.fail(`type index ${desc.type} is a ${k} type, not a function type`);
        break;
      }
      case 'value': this.valType(scope, desc.type); break;
      case 'type':
        if (desc.bound === 'sub resource') scope.types.push({ kind: 'resource' });
        else { this.index(scope, 'type', desc.bound.eq); scope.types.push(scope.types[desc.bound.eq]); }
        break;
      case 'component': case 'instance': {
        this.index(scope, 'type', desc.type);
        const t = scope.types[desc.type];
        if (t.kind !== desc.sort && t.kind !== 'unknown') this.fail(`type index ${desc.type} is a ${t.kind} type, not a ${desc.sort} type`);
        const ex = t.kind === 'component' || t.kind === 'instance' ? t.exports : undefined;
        if (desc.sort === 'instance') scope.instances.push(ex); else scope.components.push(ex);
        break;
      }
    }
    scope.add(desc.sort);
  }

  alias(scope: Scope, a: Alias): void {
    switch (a.target) {
      case 'outer': {
        let s: Scope | undefined = scope;
        for (let i = 0; i < a.count; i++) s = s?.parent;
        if (s === undefined) this.fail(`outer alias count ${a.count} is beyond the enclosing components`);
        if (!['type', 'component', 'core module', 'core type'].includes(a.sort)) this.fail(`outer aliases of ${a.sort} are not allowed`);
        this.index(s, a.sort, a.idx);
        if (a.sort === 'type') {
          if (s.types[a.idx].kind === 'resource' && a.count > 0) this.fail('outer aliases of resource types are not allowed');
          scope.types.push(s.types[a.idx]);
        } else if (a.sort === 'core type') scope.coreTypes.push(s.coreTypes[a.idx]);
        else if (a.sort === 'core module') scope.coreModules.push(s.coreModules[a.idx]);
        else scope.components.push(s.components[a.idx]);
        break;
      }
      case 'core export': {
        this.index(scope, 'core instance', a.instance);
        if (!a.sort.startsWith('core ')) this.fail(`core export aliases must have a core sort, not ${a.sort}`);
        const ex = scope.coreInstances[a.instance];
        if (ex !== undefined) {
          const s = ex.get(a.name);
          if (s === undefined) this.fail(`core instance ${a.instance} has no export "${a.name}"`);
          if (s !== a.sort) this.fail(`export "${a.name}" of core instance ${a.instance} is a ${s}, not a ${a.sort}`);
        }
        break;
      }
      case 'export': {
        this.index(scope, 'instance', a.instance);
        const ex = scope.instances[a.instance];
        if (ex !== undefined) {
          const s = ex.get(a.name);
          if (s === undefined) this.fail(`instance ${a.instance} has no export "${a.name}"`);
          if (s !== a.sort) this.fail(`export "${a.name}" of instance ${a.instance} is a ${s}, not a ${a.sort}`);
        }
        if (a.sort === 'type') scope.types.push({ kind: 'unknown' });
        else if (a.sort === 'instance') scope.instances.push(undefined);
        else if (a.sort === 'component') scope.components.push(undefined);
        else if (a.sort === 'core module') scope.coreModules.push(undefined);
        break;
      }
    }
    scope.add(a.sort);
  }

  coreModule(scope: Scope, bytes: Uint8Array, offset: number): void {
    let m;
    try {
      const checked = this.options.validateCore?.(bytes);
      if (typeof checked === 'object') m = checked;
      else {
        m = decodeModule(bytes);
        if (checked !== true) validateModule(m);
      }
    } catch (e) {
      if (e instanceof CompileError) {
        const msg = e.message.replace(/ \(at byte offset \d+\)$/, '');
        throw new CompileError(`core module: ${msg}`, (e.offset ?? 0) + offset);
      }
      throw e;
    }
    const exports = new Map<string, Sort>();
    for (const x of m.exports) exports.set(x.name, CORE_KIND_SORT[x.kind]);
    scope.coreModules.push({ exports, importModules: new Set(m.imports.map((i) => i.module)) });
    scope.add('core module');
  }

  component(c: Component, parent: Scope | undefined): Map<string, Sort> {
    const scope = new Scope(parent);
    const imports = new Set<string>();
    const exports = new Map<string, Sort>();
    for (const d of c.definitions) {
      this.offset = d.offset;
      this.definition(scope, d, imports, exports);
    }
    return exports;
  }

  definition(scope: Scope, d: Definition, imports: Set<string>, exports: Map<string, Sort>): void {
    switch (d.kind) {
      case 'core module': this.coreModule(scope, d.bytes, d.offset); return;
      case 'core type':
        if (d.type.kind === 'func') scope.coreTypes.push(d.type);
        else { this.coreModuleType(scope, d.type); scope.coreTypes.push(d.type); }
        scope.add('core type');
        return;
      case 'core instance': {
        const e = d.expr;
        if (e.kind === 'instantiate') {
          this.index(scope, 'core module', e.module);
          const names = new Set<string>();
          for (const a of e.args) {
            this.index(scope, 'core instance', a.instance);
            if (names.has(a.name)) this.fail(`duplicate core instantiation argument "${a.name}"`);
            names.add(a.name);
          }
          const m = scope.coreModules[e.module];
          if (m !== undefined) for (const need of m.importModules) if (!names.has(need)) this.fail(`core instantiation is missing argument "${need}" for the module's imports`);
          scope.coreInstances.push(m?.exports);
        } else {
          const ex = new Map<string, Sort>();
          for (const x of e.exports) {
            const sort = `core ${x.sort}` as Sort;
            this.index(scope, sort, x.idx);
            if (ex.has(x.name)) this.fail(`duplicate core export name "${x.name}"`);
            ex.set(x.name, sort);
          }
          scope.coreInstances.push(ex);
        }
        scope.add('core instance');
        return;
      }
      case 'component': {
        const saved = this.offset;
        const ex = this.component(d.component, scope);
        this.offset = saved;
        scope.components.push(ex);
        scope.add('component');
        return;
      }
      case 'instance': {
        const e = d.expr;
        if (e.kind === 'instantiate') {
          this.index(scope, 'component', e.component);
          const names = new Set<string>();
          for (const a of e.args) {
            this.sortIdx(scope, a.arg.sort, a.arg.idx);
            if (names.has(a.name)) this.fail(`duplicate instantiation argument "${a.name}"`);
            names.add(a.name);
          }
          scope.instances.push(scope.components[e.component]);
        } else {
          const ex = new Map<string, Sort>();
          for (const x of e.exports) {
            this.sortIdx(scope, x.arg.sort, x.arg.idx);
            if (ex.has(x.name)) this.fail(`duplicate export name "${x.name}"`);
            ex.set(x.name, x.arg.sort);
          }
          scope.instances.push(ex);
        }
        scope.add('instance');
        return;
      }
      case 'alias': this.alias(scope, d.alias); return;
      case 'type': scope.types.push(this.defType(scope, d.type)); scope.add('type'); return;
      case 'canon': this.canon(scope, d.canon); return;
      case 'start':
        this.index(scope, 'func', d.func);
        for (const v of d.args) this.index(scope, 'value', v);
        for (let i = 0; i < d.results; i++) scope.add('value');
        return;
      case 'import':
        if (imports.has(d.name)) this.fail(`duplicate import name "${d.name}"`);
        imports.add(d.name);
        this.externDesc(scope, d.desc);
        return;
      case 'export': {
        if (exports.has(d.name)) this.fail(`duplicate export name "${d.name}"`);
        if (d.arg.sort.startsWith('core ') && d.arg.sort !== 'core module') this.fail(`a component cannot export a ${d.arg.sort}`);
        this.sortIdx(scope, d.arg.sort, d.arg.idx);
        exports.set(d.name, d.arg.sort);
        if (d.desc !== undefined && d.desc.sort !== d.arg.sort) this.fail(`export "${d.name}" is a ${d.arg.sort} but is ascribed a ${d.desc.sort} type`);
        // The export is a new index aliasing the exported item.
        if (d.arg.sort === 'type') scope.types.push(scope.types[d.arg.idx]);
        else if (d.arg.sort === 'instance') scope.instances.push(scope.instances[d.arg.idx]);
        else if (d.arg.sort === 'component') scope.components.push(scope.components[d.arg.idx]);
        else if (d.arg.sort === 'core module') scope.coreModules.push(scope.coreModules[d.arg.idx]);
        scope.add(d.arg.sort);
        return;
      }
    }
  }

  sortIdx(scope: Scope, sort: Sort, idx: number): void {
    this.index(scope, sort, idx);
  }

  coreModuleType(scope: Scope, t: CoreDefType & { kind: 'module' }): void {
    let types = 0;
    for (const d of t.decls) {
      if (d.kind === 'type') types++;
      else if (d.kind === 'alias') {
        let s: Scope | undefined = scope;
        for (let i = 0; i < d.count; i++) s = s?.parent;
        // Count 0 is the module type itself; 1 is the enclosing component.
        if (d.count === 0) { if (d.idx >= types) this.fail(`core type index ${d.idx} out of bounds`); }
        else {
          let p: Scope | undefined = scope;
          for (let i = 1; i < d.count; i++) p = p?.parent;
          if (p === undefined) this.fail(`outer alias count ${d.count} is beyond the enclosing components`);
          this.index(p, 'core type', d.idx);
        }
        types++;
      } else if (d.desc.kind === 'func' && d.desc.type >= types) this.fail(`core type index ${d.desc.type} out of bounds`);
    }
  }

  canon(scope: Scope, k: Canon): void {
    const opts = (o: { memory?: number; realloc?: number; postReturn?: number }): void => {
      if (o.memory !== undefined) this.index(scope, 'core memory', o.memory);
      if (o.realloc !== undefined) this.index(scope, 'core func', o.realloc);
      if (o.postReturn !== undefined) this.index(scope, 'core func', o.postReturn);
    };
    switch (k.kind) {
      case 'lift': {
        this.index(scope, 'core func', k.coreFunc);
        this.index(scope, 'type', k.type);
        const t = scope.types[k.type];
        if (t.kind !== 'func') this.fail(`canon lift: type index ${k.type} is ${t.kind === 'unknown' ? 'not known to be' : `a ${t.kind} type, not`} a function type`);
        opts(k.options);
        const ft = t.def;
        const results = Array.isArray(ft.results) ? ft.results.map((r) => r.type) : [ft.results];
        const paramsNeed = ft.params.some((p) => this.needsMemory(scope, p.type));
        const resultsNeed = results.some((r) => this.needsMemory(scope, r));
        if ((paramsNeed || resultsNeed) && k.options.memory === undefined) this.fail('canon lift: canonical option `memory` is required (the function passes strings or lists)');
        if (paramsNeed && k.options.realloc === undefined) this.fail('canon lift: canonical option `realloc` is required (the parameters contain strings or lists)');
        if (k.options.postReturn !== undefined && k.options.async) this.fail('canon lift: post-return cannot be used with async');
        scope.add('func');
        return;
      }
      case 'lower':
        this.index(scope, 'func', k.func);
        opts(k.options);
        if (k.options.postReturn !== undefined) this.fail('canon lower: post-return is not allowed');
        scope.add('core func');
        return;
      case 'resource.new': case 'resource.drop': case 'resource.rep': {
        this.index(scope, 'type', k.type);
        const kind = scope.types[k.type].kind;
        if (kind !== 'resource' && kind !== 'unknown') this.fail(`canon ${k.kind}: type index ${k.type} is not a resource type`);
        scope.add('core func');
        return;
      }
      case 'unsupported': this.fail(`canonical built-in 0x${k.opcode.toString(16)} is not supported`);
    }
  }
}

function unique(names: string[], what: string, v: Validator): void {
  const seen = new Set<string>();
  for (const n of names) {
    const k = n.toLowerCase();
    if (seen.has(k)) v.fail(`duplicate ${what} name "${n}"`);
    seen.add(k);
  }
}

/** Validates a decoded component (throws CompileError naming the reason and byte offset). */
export function validateComponent(c: Component, options: ValidateComponentOptions = {}): void {
  new Validator(options).component(c, undefined);
}
