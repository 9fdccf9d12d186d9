// Resolved component types: what a type index means once its index space, outer aliases and
// resource types are known (at instantiation). Value types are trees of plain objects; resources
// are identities (`Resource`), one per resource type definition or per host resource, so two
// handles are of the same type exactly when they point to the same `Resource`.

export type PrimKind = 'bool' | 's8' | 'u8' | 's16' | 'u16' | 's32' | 'u32' | 's64' | 'u64' | 'f32' | 'f64' | 'char' | 'string';

export type Type =
  | { kind: PrimKind }
  | { kind: 'record'; fields: { name: string; type: Type }[] }
  | { kind: 'variant'; cases: { name: string; type?: Type }[] }
  | { kind: 'list'; elem: Type; length?: number }
  | { kind: 'tuple'; types: Type[] }
  | { kind: 'flags'; names: string[] }
  | { kind: 'enum'; names: string[] }
  | { kind: 'option'; type: Type }
  | { kind: 'result'; ok?: Type; err?: Type }
  | { kind: 'own'; resource: Resource }
  | { kind: 'borrow'; resource: Resource };

export interface FuncType {
  params: { name: string; type: Type }[];
  /** Result types in order; `named` when the function declared named results. */
  results: Type[];
  resultNames?: string[];
}

/**
 * A resource type. Guest resources (defined by a `resource` type in a component) have the
 * component instance that implements them and an optional destructor; host resources are
 * represented by JS objects (their `rep`), dropped by calling `Symbol.dispose` when present.
 */
export class Resource {
  /** Handles of this type lifted to JS: instances of this class (guest resources only). */
  jsClass?: new (...args: never[]) => object;
  constructor(
    /** The name it is exported or imported as (set when that is known). */
    public name: string,
    readonly host: boolean,
    /** The implementing component instance (guest resources): its core wasm gets reps, not handles. */
    readonly impl?: object,
    public dtor?: (rep: number) => void,
  ) {}
}

export const PRIM_KINDS: ReadonlySet<string> = new Set<PrimKind>([
  'bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string',
]);

/** Type text for error messages (WIT-like). */
export function typeToString(t: Type): string {
  switch (t.kind) {
    case 'record': return `record { ${t.fields.map((f) => `${f.name}: ${typeToString(f.type)}`).join(', ')} }`;
    case 'variant': return `variant { ${t.cases.map((c) => (c.type ? `${c.name}(${typeToString(c.type)})` : c.name)).join(', ')} }`;
    case 'list': return t.length === undefined ? `list<${typeToString(t.elem)}>` : `list<${typeToString(t.elem)}, ${t.length}>`;
    case 'tuple': return `tuple<${t.types.map(typeToString).join(', ')}>`;
    case 'flags': return `flags { ${t.names.join(', ')} }`;
    case 'enum': return `enum { ${t.names.join(', ')} }`;
    case 'option': return `option<${typeToString(t.type)}>`;
    case 'result': return `result<${t.ok ? typeToString(t.ok) : '_'}, ${t.err ? typeToString(t.err) : '_'}>`;
    case 'own': return `own<${t.resource.name}>`;
    case 'borrow': return `borrow<${t.resource.name}>`;
    default: return t.kind;
  }
}

/** Whether two value types are the same (resources by identity): what instantiation requires of arguments. */
export function typeEquals(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'record': { const o = b as typeof a; return a.fields.length === o.fields.length && a.fields.every((f, i) => f.name === o.fields[i].name && typeEquals(f.type, o.fields[i].type)); }
    case 'variant': {
      const o = b as typeof a;
      return a.cases.length === o.cases.length && a.cases.every((c, i) => c.name === o.cases[i].name && optEquals(c.type, o.cases[i].type));
    }
    case 'list': { const o = b as typeof a; return a.length === o.length && typeEquals(a.elem, o.elem); }
    case 'tuple': { const o = b as typeof a; return a.types.length === o.types.length && a.types.every((t, i) => typeEquals(t, o.types[i])); }
    case 'flags': case 'enum': { const o = b as typeof a; return a.names.length === o.names.length && a.names.every((n, i) => n === o.names[i]); }
    case 'option': return typeEquals(a.type, (b as typeof a).type);
    case 'result': { const o = b as typeof a; return optEquals(a.ok, o.ok) && optEquals(a.err, o.err); }
    case 'own': case 'borrow': return a.resource === (b as typeof a).resource;
    default: return true;
  }
}

function optEquals(a: Type | undefined, b: Type | undefined): boolean {
  return a === undefined || b === undefined ? a === b : typeEquals(a, b);
}

export function funcTypeEquals(a: FuncType, b: FuncType): boolean {
  return a.params.length === b.params.length && a.params.every((p, i) => p.name === b.params[i].name && typeEquals(p.type, b.params[i].type))
    && a.results.length === b.results.length && a.results.every((r, i) => typeEquals(r, b.results[i]));
}

export function funcTypeToString(f: FuncType): string {
  const params = f.params.map((p) => `${p.name}: ${typeToString(p.type)}`).join(', ');
  return `func(${params})${f.results.length === 0 ? '' : ` -> ${f.results.map(typeToString).join(', ')}`}`;
}
