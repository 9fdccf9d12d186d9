// The syntax tree of one WIT file, as written (WIT.md grammar). Names are not resolved here:
// `resolve.ts` turns a set of files into the resolved representation of `types.ts`.

import type { Span } from './source.js';

export interface Ident {
  readonly name: string;
  readonly span: Span;
}

/** `@since(version = ..)`, `@unstable(feature = ..)`, `@deprecated(version = ..)`. */
export interface GateAst {
  since?: string;
  unstable?: string;
  deprecated?: string;
  /** `@since(version = x, feature = f)`, an older form found in WASI 0.2.0-era files. */
  sinceFeature?: string;
  span?: Span;
}

export interface PackageNameAst {
  readonly namespace: string;
  readonly name: string;
  readonly version?: string;
  readonly span: Span;
}

/** An interface reference: a bare name (in the package or a file-level `use`) or `ns:pkg/name@v`. */
export type UsePathAst =
  | { readonly kind: 'local'; readonly name: Ident }
  | { readonly kind: 'package'; readonly package: PackageNameAst; readonly name: Ident };

export type PrimName = 'bool' | 's8' | 'u8' | 's16' | 'u16' | 's32' | 'u32' | 's64' | 'u64' | 'f32' | 'f64' | 'char' | 'string' | 'error-context';

export type TypeAst = { readonly span: Span } & (
  | { readonly kind: 'prim'; readonly name: PrimName }
  | { readonly kind: 'list'; readonly elem: TypeAst; readonly length?: number }
  | { readonly kind: 'map'; readonly key: TypeAst; readonly value: TypeAst }
  | { readonly kind: 'tuple'; readonly types: TypeAst[] }
  | { readonly kind: 'option'; readonly type: TypeAst }
  | { readonly kind: 'result'; readonly ok?: TypeAst; readonly err?: TypeAst }
  | { readonly kind: 'future' | 'stream'; readonly type?: TypeAst }
  | { readonly kind: 'own' | 'borrow'; readonly name: Ident }
  | { readonly kind: 'named'; readonly name: Ident }
);

interface ItemBase {
  readonly docs?: string;
  readonly gate: GateAst;
}

export interface NamedTypeAst {
  readonly name: Ident;
  readonly type: TypeAst;
  readonly docs?: string;
}

export interface FuncTypeAst {
  readonly async: boolean;
  readonly params: NamedTypeAst[];
  readonly result?: TypeAst;
  readonly span: Span;
}

export interface FuncAst extends ItemBase {
  readonly kind: 'func';
  readonly name: Ident;
  readonly type: FuncTypeAst;
  readonly externalId?: string;
}

export interface ResourceFuncAst extends ItemBase {
  readonly kind: 'method' | 'static' | 'constructor';
  /** For a constructor: the `constructor` keyword. */
  readonly name: Ident;
  readonly type: FuncTypeAst;
  readonly externalId?: string;
}

export type TypeDefAst = ItemBase & { readonly name: Ident; readonly externalId?: string } & (
  | { readonly kind: 'record'; readonly fields: NamedTypeAst[] }
  | { readonly kind: 'variant'; readonly cases: { readonly name: Ident; readonly type?: TypeAst; readonly docs?: string }[] }
  | { readonly kind: 'enum' | 'flags'; readonly names: { readonly name: Ident; readonly docs?: string }[] }
  | { readonly kind: 'resource'; readonly funcs: ResourceFuncAst[] }
  | { readonly kind: 'alias'; readonly type: TypeAst }
);

export interface UseAst extends ItemBase {
  readonly kind: 'use';
  readonly path: UsePathAst;
  readonly names: { readonly name: Ident; readonly as?: Ident }[];
  readonly span: Span;
}

export type InterfaceItemAst = UseAst | TypeDefAst | FuncAst;

export interface InterfaceAst extends ItemBase {
  readonly kind: 'interface';
  readonly name: Ident;
  readonly items: InterfaceItemAst[];
}

export type ExternAst =
  | { readonly kind: 'func'; readonly type: FuncTypeAst }
  | { readonly kind: 'interface'; readonly items: InterfaceItemAst[]; readonly span: Span }
  | { readonly kind: 'path'; readonly path: UsePathAst };

export interface ImportExportAst extends ItemBase {
  readonly kind: 'import' | 'export';
  /** The plain name (`import name: ...`); absent for `import use-path;`. */
  readonly name?: Ident;
  readonly extern: ExternAst;
  readonly externalId?: string;
  readonly span: Span;
}

export interface IncludeAst extends ItemBase {
  readonly kind: 'include';
  readonly path: UsePathAst;
  readonly with: { readonly from: Ident; readonly to: Ident }[];
  readonly span: Span;
}

export type WorldItemAst = ImportExportAst | IncludeAst | UseAst | TypeDefAst;

export interface WorldAst extends ItemBase {
  readonly kind: 'world';
  readonly name: Ident;
  readonly items: WorldItemAst[];
}

/** A file-level `use ns:pkg/iface@v as name;`. */
export interface ToplevelUseAst {
  readonly kind: 'toplevel-use';
  readonly path: UsePathAst;
  readonly as?: Ident;
  readonly span: Span;
}

/** The items of one package as written in one file (the file's own, or a `package x { }` block). */
export interface PackageItemsAst {
  readonly package?: PackageNameAst;
  readonly docs?: string;
  readonly items: (InterfaceAst | WorldAst)[];
  readonly uses: ToplevelUseAst[];
}

export interface FileAst {
  /** The file's top-level package contents (`package` declaration optional). */
  readonly root: PackageItemsAst;
  /** `package a:b { ... }` blocks. */
  readonly nested: PackageItemsAst[];
}
