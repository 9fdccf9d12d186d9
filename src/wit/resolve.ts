// Name resolution (WIT.md "Name resolution", "WIT Packages and `use`", "Union of Worlds with
// `include`", "Filesystem structure"): a set of parsed files grouped into packages becomes the
// resolved representation of types.ts. Packages, interfaces and worlds are resolved on demand and
// memoised, so definitions may come in any order and in any file; `use` cycles, `include` cycles
// and recursive types are errors naming where they were found.

import type {
  FileAst, FuncTypeAst, GateAst, Ident, ImportExportAst, IncludeAst, InterfaceAst, InterfaceItemAst,
  PackageItemsAst, PackageNameAst, ToplevelUseAst, TypeAst, TypeDefAst, UseAst, UsePathAst, WorldAst, WorldItemAst,
} from './ast.js';
import { parseWit } from './parser.js';
import { type Span, WitError } from './source.js';
import {
  type Func, type Interface, type Package, type PackageName, type Param, type Resolve, type Stability,
  type TypeDef, type WitType, type World, type WorldItem, deref, interfaceId, packageNameToString, resourceOf,
} from './types.js';

/** A WIT file to resolve: its name (for messages) and text. */
export interface WitSource {
  readonly name: string;
  readonly text: string;
}

export interface ResolveOptions {
  /**
   * Features whose `@unstable(feature = ...)` items are kept; `'all'` keeps every one. Items
   * of other features are left out, as wit-parser does by default.
   */
  readonly features?: readonly string[] | 'all';
}

export interface ResolvedWit {
  readonly resolve: Resolve;
  /** The package of the first group (the root directory or file). */
  readonly root: Package;
}

/**
 * Resolves WIT given as groups of files: each group is one package split over files (a
 * directory, or a single file); `package x { ... }` blocks anywhere add further packages. The
 * first group is the root package; the others are its dependencies (a `deps/` folder), in any
 * order. A package defined twice keeps its first definition.
 */
export function resolveWit(groups: readonly (readonly WitSource[])[], options: ResolveOptions = {}): ResolvedWit {
  if (groups.length === 0 || groups[0].length === 0) throw new WitError('no WIT files to resolve');
  const parsed = groups.map((g) => g.map((f) => parseWit(f.text, f.name)));
  return new Resolver(options).run(parsed);
}

/** Resolves one WIT document (with its dependencies as `package x { ... }` blocks). */
export function resolveWitText(text: string, name = '<wit>', options: ResolveOptions = {}): ResolvedWit {
  return resolveWit([[{ name, text }]], options);
}

/**
 * Picks the world to generate bindings for (WIT.md "Specifying a World"): the root package's
 * only world, a world of the root package by name, or `ns:pkg/world[@version]` from any package.
 */
export function selectWorld(wit: ResolvedWit, spec?: string): World {
  const { root, resolve } = wit;
  if (spec === undefined) {
    if (root.worlds.size === 1) return [...root.worlds.values()][0];
    const names = [...root.worlds.keys()];
    throw new WitError(names.length === 0
      ? `package ${packageNameToString(root.name)} has no world`
      : `package ${packageNameToString(root.name)} has several worlds (${names.join(', ')}): name one`);
  }
  const m = /^([^:/@]+(?::[^:/@]+)*):([^:/@]+)\/([^/@]+)(?:@(.+))?$/.exec(spec);
  if (m === null) {
    const w = root.worlds.get(spec);
    if (w === undefined) throw new WitError(`no world \`${spec}\` in package ${packageNameToString(root.name)}`);
    return w;
  }
  const [, ns, name, world, version] = m;
  const candidates = resolve.packages.filter((p) => p.name.namespace === ns && p.name.name === name && (version === undefined || p.name.version === version));
  if (candidates.length === 0) throw new WitError(`no package ${ns}:${name}${version ? '@' + version : ''}`);
  if (candidates.length > 1) throw new WitError(`several versions of ${ns}:${name}: give one in \`${spec}\``);
  const w = candidates[0].worlds.get(world);
  if (w === undefined) throw new WitError(`no world \`${world}\` in package ${packageNameToString(candidates[0].name)}`);
  return w;
}

// ------------------------------------------------------------------ the resolver

/** A file's part of a package: its items and its file-level `use` names. */
interface FilePart {
  readonly items: PackageItemsAst;
  readonly uses: Map<string, ToplevelUseAst>;
}

interface PendingPackage {
  readonly name: PackageName;
  readonly key: string;
  readonly span?: Span;
  readonly parts: FilePart[];
  /** Item name → its syntax and the file part it belongs to. */
  readonly items: Map<string, { ast: InterfaceAst | WorldAst; part: FilePart }>;
  pkg?: Package;
}

/** Where names are looked up: a package and the file (for file-level `use`). */
interface Scope {
  readonly pending: PendingPackage;
  readonly part: FilePart;
}

/** What a type name is looked up in: an interface's or a world's types. */
interface TypeScope {
  readonly types: Map<string, TypeDef>;
  readonly asts: Map<TypeDef, TypeDefAst | { use: UseAst; name: Ident; target: TypeDef }>;
}

const EMPTY: Stability = {};

const MAP_KEYS: ReadonlySet<string> = new Set(['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'char', 'bool', 'string']);

function stability(g: GateAst): Stability {
  if (g.since === undefined && g.unstable === undefined && g.deprecated === undefined) return EMPTY;
  const s: { since?: string; unstable?: string; deprecated?: string } = {};
  if (g.since !== undefined) s.since = g.since;
  if (g.unstable !== undefined) s.unstable = g.unstable;
  if (g.deprecated !== undefined) s.deprecated = g.deprecated;
  return s;
}

class Resolver {
  private readonly packages = new Map<string, PendingPackage>();
  private readonly interfaces = new Map<InterfaceAst, Interface | 'resolving'>();
  private readonly worlds = new Map<WorldAst, World | 'resolving'>();
  private readonly packageDeps = new Map<Package, Set<Package>>();
  /** Interfaces whose types an interface `use`s. */
  private readonly uses = new Map<Interface, Set<Interface>>();
  private readonly aliasState = new Map<TypeDef, 'resolving' | 'done'>();

  constructor(private readonly options: ResolveOptions) {}

  run(groups: FileAst[][]): ResolvedWit {
    let root: PendingPackage | undefined;
    groups.forEach((files, gi) => {
      const pending = this.group(files, gi === 0);
      if (gi === 0) root = pending;
    });
    // Resolve everything (also what nothing refers to): all must be valid.
    for (const p of this.packages.values()) {
      this.pkg(p);
      for (const { ast, part } of p.items.values()) {
        if (!this.enabled(ast.gate)) continue;
        const scope = { pending: p, part };
        if (ast.kind === 'interface') this.iface(ast, scope); else this.world(ast, scope);
      }
    }
    return { resolve: { packages: this.order() }, root: root!.pkg! };
  }

  /** Packages, each after the packages it uses. */
  private order(): Package[] {
    const out: Package[] = [];
    const seen = new Set<Package>();
    const visit = (p: Package) => {
      if (seen.has(p)) return;
      seen.add(p);
      for (const d of this.packageDeps.get(p) ?? []) visit(d);
      out.push(p);
    };
    for (const p of this.packages.values()) visit(p.pkg!);
    return out;
  }

  // ---------------------------------------------------------------- packages

  /** Registers the packages of one group of files; returns the group's own package. */
  private group(files: FileAst[], isRoot: boolean): PendingPackage | undefined {
    let decl: PackageNameAst | undefined;
    for (const f of files) {
      const d = f.root.package;
      if (d === undefined) continue;
      if (decl !== undefined && packageKey(d) !== packageKey(decl)) {
        throw new WitError(`package \`${packageKey(d)}\` does not match \`${packageKey(decl)}\` declared in ${decl.span.file.name}`, d.span);
      }
      decl ??= d;
    }
    const hasItems = files.some((f) => f.root.items.length > 0 || f.root.uses.length > 0);
    let own: PendingPackage | undefined;
    if (decl === undefined) {
      if (hasItems || (isRoot && files.every((f) => f.nested.length === 0))) {
        const where = files.find((f) => f.root.items.length > 0)?.root.items[0]?.name.span;
        throw new WitError('no `package` declaration: one file of the package must start with `package namespace:name;`', where);
      }
    } else {
      own = this.addPackage(decl, files.map((f) => f.root));
    }
    const nested: PendingPackage[] = [];
    for (const f of files) for (const n of f.nested) nested.push(this.addPackage(n.package!, [n])!);
    // A root that is only `package x { }` blocks: the last block is the root (WIT.md: dependencies first).
    return own ?? (isRoot ? nested[nested.length - 1] : undefined);
  }

  private addPackage(decl: PackageNameAst, parts: PackageItemsAst[]): PendingPackage {
    const key = packageKey(decl);
    const existing = this.packages.get(key);
    if (existing !== undefined) return existing;
    const pending: PendingPackage = {
      name: { namespace: decl.namespace, name: decl.name, ...(decl.version !== undefined ? { version: decl.version } : {}) },
      key, span: decl.span, parts: [], items: new Map(),
    };
    for (const items of parts) {
      const part: FilePart = { items, uses: new Map() };
      pending.parts.push(part);
      for (const item of items.items) {
        const lower = item.name.name.toLowerCase();
        for (const [n, other] of pending.items) {
          if (n.toLowerCase() === lower) throw new WitError(`\`${item.name.name}\` is defined more than once in package ${key} (also at ${where(other.ast.name.span)})`, item.name.span);
        }
        pending.items.set(item.name.name, { ast: item, part });
        if (decl.version === undefined && hasGate(item)) {
          throw new WitError(`package ${key} uses version gates (@since, @deprecated) but has no version`, item.gate.span ?? item.name.span);
        }
      }
      for (const u of items.uses) {
        const name = u.as ?? u.path.name;
        if (part.uses.has(name.name)) throw new WitError(`\`${name.name}\` is defined more than once in this file`, name.span);
        part.uses.set(name.name, u);
      }
    }
    this.packages.set(key, pending);
    return pending;
  }

  private pkg(p: PendingPackage): Package {
    if (p.pkg === undefined) {
      const docs = p.parts.map((x) => x.items.docs).find((d) => d !== undefined);
      p.pkg = { name: p.name, ...(docs !== undefined ? { docs } : {}), interfaces: new Map(), worlds: new Map() };
    }
    return p.pkg;
  }

  private enabled(g: GateAst): boolean {
    if (g.unstable === undefined) return true;
    const f = this.options.features;
    return f === 'all' || (f !== undefined && f.includes(g.unstable));
  }

  /** The interface a use-path names, resolving it if needed. */
  private lookupInterface(path: UsePathAst, scope: Scope): Interface {
    if (path.kind === 'local') {
      const fileUse = scope.part.uses.get(path.name.name);
      if (fileUse !== undefined) {
        // A file-level `use` of a local name refers to the package, not to itself.
        if (fileUse.path.kind === 'local' && fileUse.path.name.name === path.name.name && fileUse.as === undefined) {
          return this.packageInterface(scope.pending, fileUse.path.name);
        }
        return this.lookupInterface(fileUse.path, scope);
      }
      return this.packageInterface(scope.pending, path.name);
    }
    const target = this.findPackage(path.package);
    if (target !== scope.pending) {
      const from = this.pkg(scope.pending);
      let deps = this.packageDeps.get(from);
      if (deps === undefined) this.packageDeps.set(from, (deps = new Set()));
      deps.add(this.pkg(target));
    }
    return this.packageInterface(target, path.name);
  }

  private packageInterface(p: PendingPackage, name: Ident): Interface {
    const entry = p.items.get(name.name);
    if (entry === undefined) {
      throw new WitError(`interface \`${name.name}\` not found in package ${p.key}`, name.span);
    }
    if (entry.ast.kind !== 'interface') throw new WitError(`\`${name.name}\` is a world, not an interface`, name.span);
    if (!this.enabled(entry.ast.gate)) throw new WitError(`interface \`${name.name}\` is gated by disabled feature \`${entry.ast.gate.unstable}\``, name.span);
    return this.iface(entry.ast, { pending: p, part: entry.part }, name.span);
  }

  private findPackage(name: PackageNameAst): PendingPackage {
    const exact = this.packages.get(packageKey(name));
    if (exact !== undefined) return exact;
    const any = [...this.packages.values()].filter((p) => p.name.namespace === name.namespace && p.name.name === name.name);
    if (name.version === undefined && any.length === 1) return any[0];
    const known = any.map((p) => p.key).join(', ');
    throw new WitError(`package ${packageKey(name)} not found${known ? ` (found ${known})` : ' (add it to deps/)'}`, name.span);
  }

  // ---------------------------------------------------------------- interfaces

  private iface(ast: InterfaceAst, scope: Scope, usedAt?: Span): Interface {
    const done = this.interfaces.get(ast);
    if (done === 'resolving') throw new WitError(`interface \`${ast.name.name}\` depends on itself through \`use\``, usedAt ?? ast.name.span);
    if (done !== undefined) return done;
    if (!this.enabled(ast.gate)) throw new WitError('gated interface', ast.name.span);
    this.interfaces.set(ast, 'resolving');
    const pkg = this.pkg(scope.pending);
    const i = this.interfaceBody(ast.items, scope, ast.name.name, ast.docs, stability(ast.gate));
    pkg.interfaces.set(ast.name.name, i);
    this.interfaces.set(ast, i);
    return i;
  }

  /** An interface's contents (also of an inline `import x: interface { }`). */
  private interfaceBody(items: readonly InterfaceItemAst[], scope: Scope, name: string | undefined, docs: string | undefined, stab: Stability): Interface {
    const i: Interface = {
      ...(name !== undefined ? { name } : {}), package: this.pkg(scope.pending), ...(docs !== undefined ? { docs } : {}),
      stability: stab, types: new Map(), functions: new Map(),
    };
    const live = items.filter((it) => this.enabled(it.gate));
    const ts = this.declareTypes(live, i, scope, i.types);
    const names = new Map<string, Span>();
    for (const [n, def] of ts.types) names.set(n.toLowerCase(), spanOfDecl(ts, def));
    for (const it of live) {
      if (it.kind === 'func') {
        const lower = it.name.name.toLowerCase();
        const prev = names.get(lower);
        if (prev) throw new WitError(`\`${it.name.name}\` is defined more than once (also at ${where(prev)})`, it.name.span);
        names.set(lower, it.name.span);
      }
    }
    this.defineTypes(ts);
    for (const it of live) {
      if (it.kind === 'func') {
        const f = this.func(it.name.name, it.name.name, { kind: 'freestanding' }, it.type, ts, it.docs, stability(it.gate), it.externalId);
        i.functions.set(f.name, f);
      } else if (it.kind === 'resource') {
        for (const f of ts.types.get(it.name.name)!.functions) i.functions.set(f.name, f);
      }
    }
    const deps = new Set<Interface>();
    for (const def of ts.types.values()) {
      const k = def.kind;
      if (k.kind === 'alias' && k.type.kind === 'named' && k.type.def.owner !== i && isInterface(k.type.def.owner)) deps.add(k.type.def.owner);
    }
    this.uses.set(i, deps);
    sortTypes(i.types);
    return i;
  }

  // ---------------------------------------------------------------- types

  /** Creates the TypeDefs of the typedefs and `use`s of a scope (bodies come later). */
  private declareTypes(items: readonly (InterfaceItemAst | WorldItemAst)[], owner: Interface | World, scope: Scope, types: Map<string, TypeDef>): TypeScope {
    const ts: TypeScope = { types, asts: new Map() };
    const lowerNames = new Map<string, Span>();
    const declare = (name: Ident, def: TypeDef, ast: TypeDefAst | { use: UseAst; name: Ident; target: TypeDef }) => {
      const lower = name.name.toLowerCase();
      const prev = lowerNames.get(lower);
      if (prev) throw new WitError(`\`${name.name}\` is defined more than once (also at ${where(prev)})`, name.span);
      lowerNames.set(lower, name.span);
      types.set(name.name, def);
      ts.asts.set(def, ast);
    };
    for (const it of items) {
      if (it.kind === 'use') {
        const target = this.lookupInterface(it.path, scope);
        for (const n of it.names) {
          const orig = target.types.get(n.name.name);
          if (orig === undefined) {
            throw new WitError(`type \`${n.name.name}\` not defined in interface ${interfaceId(target) ?? '(inline)'}`, n.name.span);
          }
          const local = n.as ?? n.name;
          const def: TypeDef = {
            name: local.name, owner, kind: { kind: 'alias', type: { kind: 'named', def: orig } },
            stability: stability(it.gate), functions: [],
          };
          this.aliasState.set(def, 'done');
          declare(local, def, { use: it, name: local, target: orig });
        }
      } else if (it.kind === 'record' || it.kind === 'variant' || it.kind === 'enum' || it.kind === 'flags' || it.kind === 'resource' || it.kind === 'alias') {
        const def: TypeDef = {
          name: it.name.name, owner,
          // Placeholder kinds: structure is filled in by defineTypes.
          kind: it.kind === 'alias' ? { kind: 'alias', type: { kind: 'bool' } } : it.kind === 'resource' ? { kind: 'resource' } : placeholder(it.kind),
          ...(it.docs !== undefined ? { docs: it.docs } : {}), stability: stability(it.gate), functions: [],
        };
        declare(it.name, def, it);
      }
    }
    return ts;
  }

  private defineTypes(ts: TypeScope): void {
    for (const [def, ast] of ts.asts) {
      if ('use' in ast) continue;
      switch (ast.kind) {
        case 'record': {
          const seen = new Map<string, Span>();
          def.kind = {
            kind: 'record',
            fields: ast.fields.map((f) => {
              unique(seen, f.name, 'field');
              return { name: f.name.name, type: this.type(f.type, ts), ...(f.docs !== undefined ? { docs: f.docs } : {}) };
            }),
          };
          break;
        }
        case 'variant': {
          const seen = new Map<string, Span>();
          def.kind = {
            kind: 'variant',
            cases: ast.cases.map((c) => {
              unique(seen, c.name, 'case');
              return { name: c.name.name, ...(c.type ? { type: this.type(c.type, ts) } : {}), ...(c.docs !== undefined ? { docs: c.docs } : {}) };
            }),
          };
          break;
        }
        case 'enum': case 'flags': {
          const seen = new Map<string, Span>();
          for (const n of ast.names) unique(seen, n.name, ast.kind === 'enum' ? 'case' : 'flag');
          const docs = ast.names.map((n) => n.docs);
          def.kind = { kind: ast.kind, names: ast.names.map((n) => n.name.name), ...(docs.some((d) => d !== undefined) ? { docs } : {}) };
          break;
        }
        case 'alias':
          this.alias(def, ts);
          break;
        case 'resource':
          break;
      }
    }
    // Resource functions after every type has its structure (they may mention any of them).
    for (const [def, ast] of ts.asts) {
      if ('use' in ast || ast.kind !== 'resource') continue;
      const seen = new Map<string, Span>();
      let ctor = false;
      for (const f of ast.funcs) {
        if (!this.enabled(f.gate)) continue;
        if (f.kind === 'constructor') {
          if (ctor) throw new WitError(`resource \`${def.name}\` has more than one constructor`, f.name.span);
          ctor = true;
        } else {
          unique(seen, f.name, 'function');
        }
        const name = f.kind === 'constructor' ? `[constructor]${def.name}` : `[${f.kind}]${def.name}.${f.name.name}`;
        def.functions.push(this.func(name, f.name.name, { kind: f.kind, resource: def }, f.type, ts, f.docs, stability(f.gate), f.externalId));
      }
    }
    this.checkRecursion(ts);
  }

  /** Resolves a `type a = t;` body (on demand: other aliases may need it to know if it is a resource). */
  private alias(def: TypeDef, ts: TypeScope): void {
    const state = this.aliasState.get(def);
    if (state === 'done') return;
    const ast = ts.asts.get(def) as TypeDefAst & { kind: 'alias' };
    if (state === 'resolving') throw new WitError(`type \`${def.name}\` refers to itself`, ast.name.span);
    this.aliasState.set(def, 'resolving');
    def.kind = { kind: 'alias', type: this.type(ast.type, ts, true) };
    this.aliasState.set(def, 'done');
  }

  private isResource(def: TypeDef, ts: TypeScope): boolean {
    for (let d = def; ;) {
      if (d.kind.kind === 'resource') return true;
      const ast = ts.asts.get(d);
      if (ast !== undefined && !('use' in ast) && ast.kind === 'alias') this.alias(d, ts);
      if (d.kind.kind !== 'alias' || d.kind.type.kind !== 'named') return false;
      d = d.kind.type.def;
    }
  }

  private lookupType(name: Ident, ts: TypeScope): TypeDef {
    const def = ts.types.get(name.name);
    if (def === undefined) throw new WitError(`type \`${name.name}\` is not defined`, name.span);
    return def;
  }

  /** A type expression; `aliasBody`: a resource name stays a name (`type a = r` aliases the resource). */
  private type(t: TypeAst, ts: TypeScope, aliasBody = false): WitType {
    switch (t.kind) {
      case 'prim': return { kind: t.name };
      case 'named': {
        const def = this.lookupType(t.name, ts);
        if (this.isResource(def, ts)) return aliasBody ? { kind: 'named', def } : { kind: 'own', resource: def };
        return { kind: 'named', def };
      }
      case 'own': case 'borrow': {
        const def = this.lookupType(t.name, ts);
        if (!this.isResource(def, ts)) throw new WitError(`\`${t.name.name}\` is not a resource type`, t.name.span);
        return { kind: t.kind, resource: def };
      }
      case 'list': return t.length === undefined ? { kind: 'list', elem: this.type(t.elem, ts) } : { kind: 'list', elem: this.type(t.elem, ts), length: t.length };
      case 'map': {
        const key = this.type(t.key, ts);
        // WIT.md `kt`: integers, char, bool and string only.
        if (!MAP_KEYS.has(deref(key).kind)) throw new WitError(`a map key must be an integer, char, bool or string type`, t.key.span);
        return { kind: 'map', key, value: this.type(t.value, ts) };
      }
      case 'tuple': return { kind: 'tuple', types: t.types.map((x) => this.type(x, ts)) };
      case 'option': return { kind: 'option', type: this.type(t.type, ts) };
      case 'result': return {
        kind: 'result',
        ...(t.ok ? { ok: this.type(t.ok, ts) } : {}),
        ...(t.err ? { err: this.type(t.err, ts) } : {}),
      };
      case 'future': case 'stream': return t.type ? { kind: t.kind, type: this.type(t.type, ts) } : { kind: t.kind };
    }
  }

  /** Types may not contain themselves (through records, variants, aliases, ...; handles break cycles). */
  private checkRecursion(ts: TypeScope): void {
    const state = new Map<TypeDef, 'visiting' | 'done'>();
    const visitType = (t: WitType, from: TypeDef): void => {
      switch (t.kind) {
        case 'named': visitDef(t.def, from); return;
        case 'list': visitType(t.elem, from); return;
        case 'map': visitType(t.key, from); visitType(t.value, from); return;
        case 'tuple': t.types.forEach((x) => visitType(x, from)); return;
        case 'option': visitType(t.type, from); return;
        case 'result': if (t.ok) visitType(t.ok, from); if (t.err) visitType(t.err, from); return;
        case 'record': t.fields.forEach((f) => visitType(f.type, from)); return;
        case 'variant': t.cases.forEach((c) => c.type && visitType(c.type, from)); return;
        default: return; // handles, futures and streams are references, not containment
      }
    };
    const visitDef = (def: TypeDef, from: TypeDef): void => {
      if (!ts.asts.has(def)) return; // defined elsewhere: checked there
      const s = state.get(def);
      if (s === 'done') return;
      if (s === 'visiting') {
        const ast = ts.asts.get(from)!;
        throw new WitError(`type \`${def.name}\` refers to itself (through \`${from.name}\`)`, ('use' in ast ? ast.name : ast.name).span);
      }
      state.set(def, 'visiting');
      const k = def.kind;
      if (k.kind === 'alias') visitType(k.type, def);
      else if (k.kind !== 'resource') visitType(k, def);
      state.set(def, 'done');
    };
    for (const def of ts.asts.keys()) visitDef(def, def);
  }

  private func(
    name: string, item: string, kind: Func['kind'], ft: FuncTypeAst, ts: TypeScope,
    docs: string | undefined, stab: Stability, externalId: string | undefined,
  ): Func {
    const seen = new Map<string, Span>();
    const params: Param[] = [];
    if (kind.kind === 'method') params.push({ name: 'self', type: { kind: 'borrow', resource: kind.resource } });
    for (const p of ft.params) {
      unique(seen, p.name, 'parameter');
      if (kind.kind === 'method' && p.name.name === 'self') throw new WitError('`self` is implicit in methods', p.name.span);
      params.push({ name: p.name.name, type: this.type(p.type, ts) });
    }
    let result = ft.result ? this.type(ft.result, ts) : undefined;
    if (kind.kind === 'constructor') {
      const own: WitType = { kind: 'own', resource: kind.resource };
      if (result === undefined) {
        result = own;
      } else {
        const ok = result.kind === 'result' ? result.ok : undefined;
        if (ok === undefined || ok.kind !== 'own' || resourceOf(ok.resource) !== kind.resource) {
          throw new WitError(`a constructor returns \`${kind.resource.name}\` or \`result<${kind.resource.name}, E>\``, ft.result!.span);
        }
      }
    }
    return {
      name, item, kind, async: ft.async, params, ...(result !== undefined ? { result } : {}),
      ...(docs !== undefined ? { docs } : {}), stability: stab, ...(externalId !== undefined ? { externalId } : {}),
    };
  }

  // ---------------------------------------------------------------- worlds

  private world(ast: WorldAst, scope: Scope, includedAt?: Span): World {
    const done = this.worlds.get(ast);
    if (done === 'resolving') throw new WitError(`world \`${ast.name.name}\` includes itself`, includedAt ?? ast.name.span);
    if (done !== undefined) return done;
    this.worlds.set(ast, 'resolving');
    const pkg = this.pkg(scope.pending);
    const w: World = {
      name: ast.name.name, package: pkg, ...(ast.docs !== undefined ? { docs: ast.docs } : {}),
      stability: stability(ast.gate), imports: new Map(), exports: new Map(),
    };
    const live = ast.items.filter((it) => this.enabled(it.gate));
    const ts = this.declareTypes(live, w, scope, new Map());
    this.defineTypes(ts);
    const imports = new Map<string, WorldItem>();
    const exports = new Map<string, WorldItem>();
    const spans = { import: new Map<string, Span>(), export: new Map<string, Span>() };
    const add = (dir: 'import' | 'export', key: string, item: WorldItem, span: Span) => {
      const map = dir === 'import' ? imports : exports;
      const lower = key.toLowerCase();
      for (const k of map.keys()) {
        if (k.toLowerCase() === lower) {
          const prev = spans[dir].get(k);
          throw new WitError(`${dir} \`${key}\` is defined more than once${prev ? ` (also at ${where(prev)})` : ''}`, span);
        }
      }
      map.set(key, item);
      spans[dir].set(key, span);
    };
    // World types are imports of the component (as types), with resource functions.
    for (const def of ts.types.values()) {
      imports.set(def.name, { kind: 'type', type: def });
      spans.import.set(def.name, spanOfDecl(ts, def));
      for (const f of def.functions) imports.set(f.name, { kind: 'function', func: f });
    }
    for (const it of live) {
      if (it.kind === 'import' || it.kind === 'export') {
        const [key, item] = this.worldExtern(it, ts, scope);
        add(it.kind, key, item, it.name?.span ?? it.span);
      }
    }
    for (const it of live) {
      if (it.kind === 'include') this.include(it, scope, imports, exports, spans, add);
    }
    // WIT.md: a `use` of an interface the world both imports and exports is ambiguous.
    for (const [def, ast] of ts.asts) {
      if (!('use' in ast) || def.kind.kind !== 'alias' || def.kind.type.kind !== 'named') continue;
      const owner = def.kind.type.def.owner;
      const id = isInterface(owner) ? interfaceId(owner) : undefined;
      if (id !== undefined && imports.has(id) && exports.has(id)) {
        throw new WitError(`\`use\` of ${id} is ambiguous: the world both imports and exports it`, ast.use.span);
      }
    }
    this.elaborate(w, imports, exports, ts);
    pkg.worlds.set(w.name, w);
    this.worlds.set(ast, w);
    return w;
  }

  private worldExtern(it: ImportExportAst, ts: TypeScope, scope: Scope): [string, WorldItem] {
    const stab = stability(it.gate);
    const ext = it.extern;
    const extra = { ...(it.docs !== undefined ? { docs: it.docs } : {}), ...(it.externalId !== undefined ? { externalId: it.externalId } : {}) };
    if (ext.kind === 'func') {
      const name = it.name!.name;
      return [name, { kind: 'function', func: this.func(name, name, { kind: 'freestanding' }, ext.type, ts, it.docs, stab, it.externalId) }];
    }
    if (ext.kind === 'interface') {
      const i = this.interfaceBody(ext.items, scope, undefined, it.docs, stab);
      return [it.name!.name, { kind: 'interface', interface: i, stability: stab, ...extra }];
    }
    const i = this.lookupInterface(ext.path, scope);
    const key = it.name?.name ?? interfaceId(i)!;
    return [key, { kind: 'interface', interface: i, stability: stab, ...extra }];
  }

  private include(
    it: IncludeAst, scope: Scope, imports: Map<string, WorldItem>, exports: Map<string, WorldItem>,
    spans: { import: Map<string, Span>; export: Map<string, Span> },
    add: (dir: 'import' | 'export', key: string, item: WorldItem, span: Span) => void,
  ): void {
    const included = this.lookupWorld(it.path, scope, it.span);
    if (included === undefined) return;
    const renames = new Map<string, Ident>();
    for (const w of it.with) {
      if (renames.has(w.from.name)) throw new WitError(`\`${w.from.name}\` is renamed more than once`, w.from.span);
      const known = included.imports.get(w.from.name) ?? included.exports.get(w.from.name);
      const byInterface = [...included.imports, ...included.exports].some(([k, item]) => isInterfaceName(k, item) && item.kind === 'interface' && item.interface.name === w.from.name);
      if (known === undefined && byInterface) throw new WitError(`\`${w.from.name}\` is an interface name: only plain names can be renamed`, w.from.span);
      if (known === undefined) throw new WitError(`world \`${included.name}\` has no import or export named \`${w.from.name}\``, w.from.span);
      if (isInterfaceName(w.from.name, known)) throw new WitError(`\`${w.from.name}\` is an interface name: only plain names can be renamed`, w.from.span);
      renames.set(w.from.name, w.to);
    }
    const merge = (dir: 'import' | 'export', from: Map<string, WorldItem>, into: Map<string, WorldItem>) => {
      for (const [key, item] of from) {
        if (isInterfaceName(key, item)) {
          // The same interface from two worlds is one import (or export).
          if (!into.has(key)) { into.set(key, item); spans[dir].set(key, it.span); }
          continue;
        }
        if (item.kind === 'type' && into.get(key)?.kind === 'type' && (into.get(key) as { type: TypeDef }).type === item.type) continue;
        const to = renames.get(key);
        const name = to?.name ?? key;
        let renamed = item;
        if (to !== undefined && item.kind === 'function') renamed = { kind: 'function', func: { ...item.func, name, item: name } };
        add(dir, name, renamed, to?.span ?? it.span);
      }
    };
    merge('import', included.imports, imports);
    merge('export', included.exports, exports);
  }

  /** The world an `include` names; undefined when it is gated off (then it adds nothing, as in wit-parser). */
  private lookupWorld(path: UsePathAst, scope: Scope, at: Span): World | undefined {
    let p = scope.pending;
    let name = path.name;
    if (path.kind === 'package') {
      p = this.findPackage(path.package);
    } else {
      const fileUse = scope.part.uses.get(path.name.name);
      if (fileUse !== undefined && fileUse.path.kind === 'package') {
        p = this.findPackage(fileUse.path.package);
        name = fileUse.path.name;
      }
    }
    const entry = p.items.get(name.name);
    if (entry === undefined) throw new WitError(`world \`${name.name}\` not found in package ${p.key}`, name.span);
    if (entry.ast.kind !== 'world') throw new WitError(`\`${name.name}\` is an interface, not a world`, name.span);
    if (!this.enabled(entry.ast.gate)) return undefined;
    return this.world(entry.ast, { pending: p, part: entry.part }, at);
  }

  /**
   * Adds the interfaces that imported and exported items depend on through `use` as imports,
   * before the items that need them (WIT.md "Transitive imports and worlds"). A dependency of an
   * export that is not exported itself is imported, as wit-parser does.
   */
  private elaborate(w: World, imports: Map<string, WorldItem>, exports: Map<string, WorldItem>, ts: TypeScope): void {
    const out = w.imports;
    const exported = new Set<Interface>();
    for (const item of exports.values()) if (item.kind === 'interface') exported.add(item.interface);
    const present = (i: Interface) => {
      const id = interfaceId(i);
      return id !== undefined && out.has(id);
    };
    const addDeps = (i: Interface, skipExported: boolean, path: Interface[]) => {
      for (const d of this.uses.get(i) ?? []) {
        if (path.includes(d)) continue;
        if (skipExported && exported.has(d)) continue;
        if (present(d)) continue;
        addDeps(d, skipExported, [...path, d]);
        if (!present(d)) out.set(interfaceId(d)!, { kind: 'interface', interface: d, stability: d.stability });
      }
    };
    const typeDeps = (def: TypeDef) => {
      const k = def.kind;
      if (k.kind === 'alias' && k.type.kind === 'named' && isInterface(k.type.def.owner)) {
        const i = k.type.def.owner;
        addDeps(i, false, [i]);
        if (!present(i) && i.name !== undefined) out.set(interfaceId(i)!, { kind: 'interface', interface: i, stability: i.stability });
      }
    };
    for (const def of ts.types.values()) typeDeps(def);
    for (const [key, item] of imports) {
      if (item.kind === 'interface') addDeps(item.interface, false, [item.interface]);
      if (item.kind === 'type') typeDeps(item.type);
      if (!out.has(key)) out.set(key, item);
    }
    for (const [key, item] of exports) {
      if (item.kind === 'interface') addDeps(item.interface, true, [item.interface]);
      w.exports.set(key, item);
    }
  }
}

// ------------------------------------------------------------------ small helpers

function packageKey(p: PackageNameAst | PackageName): string {
  return packageNameToString(p);
}

function where(s: Span): string {
  const { line, column } = s.file.position(s.start);
  return `${s.file.name}:${line}:${column}`;
}

function unique(seen: Map<string, Span>, id: Ident, what: string): void {
  const lower = id.name.toLowerCase();
  const prev = seen.get(lower);
  if (prev) throw new WitError(`${what} \`${id.name}\` is defined more than once (also at ${where(prev)})`, id.span);
  seen.set(lower, id.span);
}

/** Whether an item uses version gates (`@since`, `@deprecated`), which need a package version. */
function hasGate(item: InterfaceAst | WorldAst): boolean {
  const gated = (g: GateAst) => g.since !== undefined || g.deprecated !== undefined;
  if (gated(item.gate)) return true;
  const items: readonly (InterfaceItemAst | WorldItemAst)[] = item.items;
  return items.some((it) => gated(it.gate) || (it.kind === 'resource' && it.funcs.some((f) => gated(f.gate))));
}

function placeholder(kind: 'record' | 'variant' | 'enum' | 'flags'): TypeDef['kind'] {
  switch (kind) {
    case 'record': return { kind, fields: [] };
    case 'variant': return { kind, cases: [] };
    default: return { kind, names: [] };
  }
}

function isInterface(o: Interface | World): o is Interface {
  return !('imports' in o);
}

/** An import/export keyed by the id of the interface it is (not a plain name). */
function isInterfaceName(key: string, item: WorldItem): boolean {
  return item.kind === 'interface' && interfaceId(item.interface) === key;
}

function spanOfDecl(ts: TypeScope, def: TypeDef): Span {
  const ast = ts.asts.get(def)!;
  return ast.name.span;
}

/**
 * Orders a scope's types so that each comes after the types of the same scope it refers to:
 * source order, except that a type is held back until just after the last one it needs (the
 * order wit-parser, and so jco, produce).
 */
function sortTypes(types: Map<string, TypeDef>): void {
  const defs = new Set(types.values());
  const deps = new Map<TypeDef, Set<TypeDef>>();
  const collect = (t: WitType, into: Set<TypeDef>): void => {
    switch (t.kind) {
      case 'named': if (defs.has(t.def)) into.add(t.def); return;
      case 'own': case 'borrow': if (defs.has(t.resource)) into.add(t.resource); return;
      case 'list': collect(t.elem, into); return;
      case 'map': collect(t.key, into); collect(t.value, into); return;
      case 'tuple': t.types.forEach((x) => collect(x, into)); return;
      case 'option': collect(t.type, into); return;
      case 'result': if (t.ok) collect(t.ok, into); if (t.err) collect(t.err, into); return;
      case 'future': case 'stream': if (t.type) collect(t.type, into); return;
      case 'record': t.fields.forEach((f) => collect(f.type, into)); return;
      case 'variant': t.cases.forEach((c) => c.type && collect(c.type, into)); return;
      default: return;
    }
  };
  for (const def of defs) {
    const d = new Set<TypeDef>();
    const k = def.kind;
    if (k.kind === 'alias') collect(k.type, d);
    else if (k.kind !== 'resource') collect(k, d);
    d.delete(def);
    deps.set(def, d);
  }
  const done = new Set<TypeDef>();
  const out: TypeDef[] = [];
  const pending: TypeDef[] = [];
  const ready = (def: TypeDef) => [...deps.get(def)!].every((d) => done.has(d));
  const emit = (def: TypeDef) => { done.add(def); out.push(def); };
  for (const def of defs) {
    if (!ready(def)) { pending.push(def); continue; }
    emit(def);
    for (let i = 0; i < pending.length; i++) {
      if (ready(pending[i])) { emit(pending[i]); pending.splice(i, 1); i = -1; }
    }
  }
  out.push(...pending);
  types.clear();
  for (const d of out) types.set(d.name, d);
}
