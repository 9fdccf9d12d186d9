// The resolved WIT representation: packages, interfaces, worlds, functions and types with every
// name looked up. Self-contained (no other Kasane layer is imported) so that the component layer
// can map its own types onto it; ARCHITECTURE.md ("src/wit") describes that mapping.
//
// Value types are trees of plain objects whose anonymous shapes are those of the component
// model's value types (`{ kind: 'list', elem }`, `{ kind: 'record', fields }`, ...). A reference
// to a named WIT type (a record, variant, enum, flags, resource or `type` alias, defined here or
// brought in by `use`) is a `{ kind: 'named', def }` node pointing to its `TypeDef`: names are
// kept for bindings, and `deref` skips them where only the structure matters.

export type PrimKind = 'bool' | 's8' | 'u8' | 's16' | 'u16' | 's32' | 'u32' | 's64' | 'u64' | 'f32' | 'f64' | 'char' | 'string' | 'error-context';

export interface Field { readonly name: string; readonly type: WitType; readonly docs?: string }
export interface Case { readonly name: string; readonly type?: WitType; readonly docs?: string }

/** The structural type kinds that need a name in WIT (the body of a `TypeDef`). */
export type RecordType = { readonly kind: 'record'; readonly fields: readonly Field[] };
export type VariantType = { readonly kind: 'variant'; readonly cases: readonly Case[] };
export type EnumType = { readonly kind: 'enum'; readonly names: readonly string[]; readonly docs?: readonly (string | undefined)[] };
export type FlagsType = { readonly kind: 'flags'; readonly names: readonly string[]; readonly docs?: readonly (string | undefined)[] };

export type WitType =
  | { readonly kind: PrimKind }
  | { readonly kind: 'list'; readonly elem: WitType; readonly length?: number }
  | { readonly kind: 'map'; readonly key: WitType; readonly value: WitType }
  | { readonly kind: 'tuple'; readonly types: readonly WitType[] }
  | { readonly kind: 'option'; readonly type: WitType }
  | { readonly kind: 'result'; readonly ok?: WitType; readonly err?: WitType }
  | { readonly kind: 'future' | 'stream'; readonly type?: WitType }
  /** A handle; `resource` is the TypeDef named where it was written (maybe a `use` alias: see `resourceOf`). */
  | { readonly kind: 'own' | 'borrow'; readonly resource: TypeDef }
  | RecordType | VariantType | EnumType | FlagsType
  | { readonly kind: 'named'; readonly def: TypeDef };

export type TypeDefKind =
  | RecordType | VariantType | EnumType | FlagsType
  | { readonly kind: 'resource' }
  /** `type a = t;` and every name brought in by `use` (then `type` is a `named` reference). */
  | { readonly kind: 'alias'; readonly type: WitType };

/** Feature gates (WIT.md "Feature Gates"). */
export interface Stability {
  readonly since?: string;
  readonly unstable?: string;
  readonly deprecated?: string;
}

export interface TypeDef {
  readonly name: string;
  readonly owner: Interface | World;
  /** Filled in by the resolver (after every name in scope has its TypeDef). */
  kind: TypeDefKind;
  readonly docs?: string;
  readonly stability: Stability;
  /** For resources: the functions of `resource { ... }`, in order. */
  readonly functions: Func[];
}

export interface Param { readonly name: string; readonly type: WitType }

export type FuncKind =
  | { readonly kind: 'freestanding' }
  | { readonly kind: 'method' | 'static' | 'constructor'; readonly resource: TypeDef };

export interface Func {
  /** The name in the component: `f`, `[constructor]r`, `[method]r.f`, `[static]r.f`. */
  readonly name: string;
  /** The name as written in WIT (`f`; `constructor` for constructors). */
  readonly item: string;
  readonly kind: FuncKind;
  readonly async: boolean;
  /** Parameters, with the implicit `self: borrow<r>` first for methods. */
  readonly params: readonly Param[];
  /** The result; constructors without a written result return `own<r>`. */
  readonly result?: WitType;
  readonly docs?: string;
  readonly stability: Stability;
  readonly externalId?: string;
}

export interface PackageName {
  readonly namespace: string;
  readonly name: string;
  readonly version?: string;
}

export interface Package {
  readonly name: PackageName;
  readonly docs?: string;
  readonly interfaces: Map<string, Interface>;
  readonly worlds: Map<string, World>;
}

export interface Interface {
  /** Absent for an interface written inline in a world (`import x: interface { ... }`). */
  readonly name?: string;
  readonly package: Package;
  readonly docs?: string;
  readonly stability: Stability;
  /** Types defined here and brought in by `use`, in dependency order. */
  readonly types: Map<string, TypeDef>;
  /** Freestanding functions and resource functions, by component name, in source order. */
  readonly functions: Map<string, Func>;
}

export type WorldItem =
  | { readonly kind: 'interface'; readonly interface: Interface; readonly stability: Stability; readonly docs?: string; readonly externalId?: string }
  | { readonly kind: 'function'; readonly func: Func }
  | { readonly kind: 'type'; readonly type: TypeDef };

export interface World {
  readonly name: string;
  readonly package: Package;
  readonly docs?: string;
  readonly stability: Stability;
  /**
   * Imports by component import name: an interface's id (`wasi:io/poll@0.2.12`) or a plain
   * name. Includes interfaces brought in only because imported or exported ones `use` them
   * ("transitive imports"), dependencies first, and the world's own types.
   */
  readonly imports: Map<string, WorldItem>;
  readonly exports: Map<string, WorldItem>;
}

/** The result of resolving WIT: every package, dependencies before the packages using them. */
export interface Resolve {
  readonly packages: Package[];
}

// ------------------------------------------------------------------ helpers

export function packageNameToString(p: PackageName): string {
  return `${p.namespace}:${p.name}${p.version !== undefined ? '@' + p.version : ''}`;
}

/** The interface's id as used in component import/export names: `ns:pkg/name@version`. */
export function interfaceId(i: Interface): string | undefined {
  if (i.name === undefined) return undefined;
  const p = i.package.name;
  return `${p.namespace}:${p.name}/${i.name}${p.version !== undefined ? '@' + p.version : ''}`;
}

/** Skips `named` references and aliases: the structure of a type. */
export function deref(t: WitType): WitType {
  while (t.kind === 'named') {
    const k = t.def.kind;
    if (k.kind === 'alias') t = k.type;
    else if (k.kind === 'resource') return { kind: 'own', resource: t.def };
    else return k;
  }
  return t;
}

/** The resource a handle's TypeDef (perhaps an alias brought in by `use`) names. */
export function resourceOf(def: TypeDef): TypeDef {
  for (let d = def, i = 0; i < 1000; i++) {
    if (d.kind.kind === 'resource') return d;
    if (d.kind.kind !== 'alias' || d.kind.type.kind !== 'named') break;
    d = d.kind.type.def;
  }
  throw new Error(`\`${def.name}\` is not a resource`);
}

/** WIT text of a type (names as written). */
export function typeToString(t: WitType): string {
  switch (t.kind) {
    case 'named': return t.def.name;
    case 'list': return t.length === undefined ? `list<${typeToString(t.elem)}>` : `list<${typeToString(t.elem)}, ${t.length}>`;
    case 'map': return `map<${typeToString(t.key)}, ${typeToString(t.value)}>`;
    case 'tuple': return `tuple<${t.types.map(typeToString).join(', ')}>`;
    case 'option': return `option<${typeToString(t.type)}>`;
    case 'result':
      if (t.ok === undefined && t.err === undefined) return 'result';
      if (t.err === undefined) return `result<${typeToString(t.ok!)}>`;
      return `result<${t.ok ? typeToString(t.ok) : '_'}, ${typeToString(t.err)}>`;
    case 'future': case 'stream': return t.type ? `${t.kind}<${typeToString(t.type)}>` : t.kind;
    case 'own': return t.resource.name;
    case 'borrow': return `borrow<${t.resource.name}>`;
    case 'record': return `record { ${t.fields.map((f) => `${f.name}: ${typeToString(f.type)}`).join(', ')} }`;
    case 'variant': return `variant { ${t.cases.map((c) => (c.type ? `${c.name}(${typeToString(c.type)})` : c.name)).join(', ')} }`;
    case 'enum': return `enum { ${t.names.join(', ')} }`;
    case 'flags': return `flags { ${t.names.join(', ')} }`;
    default: return t.kind;
  }
}

/** WIT text of a function type. */
export function funcToString(f: Func): string {
  const params = f.params.map((p) => `${p.name}: ${typeToString(p.type)}`).join(', ');
  return `${f.async ? 'async ' : ''}func(${params})${f.result ? ` -> ${typeToString(f.result)}` : ''}`;
}
