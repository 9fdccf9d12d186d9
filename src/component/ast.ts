// The component representation (Component Model Explainer, Binary.md): one list of definitions in
// section order, because every index space is built incrementally and instantiation follows that
// order. Nested core modules stay as byte views into the component binary; type indices stay
// indices (resolved against index spaces by the validator and at instantiation).

export type CoreSort = 'func' | 'table' | 'memory' | 'global' | 'type' | 'module' | 'instance';

/** A component-level sort: `core` sorts are written `core func`, `core module`, ... */
export type Sort =
  | 'core func' | 'core table' | 'core memory' | 'core global' | 'core type' | 'core module' | 'core instance'
  | 'func' | 'value' | 'type' | 'component' | 'instance';

export interface SortIdx { sort: Sort; idx: number }

export type PrimValType =
  | 'bool' | 's8' | 'u8' | 's16' | 'u16' | 's32' | 'u32' | 's64' | 'u64' | 'f32' | 'f64' | 'char' | 'string'
  | 'error-context';

/** A type index (into the type index space) or a primitive value type. */
export type ValType = number | PrimValType;

export interface LabelValType { name: string; type: ValType }
export interface Case { name: string; type?: ValType }

export type DefValType =
  | { kind: 'prim'; prim: PrimValType }
  | { kind: 'record'; fields: LabelValType[] }
  | { kind: 'variant'; cases: Case[] }
  | { kind: 'list'; elem: ValType; length?: number }
  | { kind: 'tuple'; types: ValType[] }
  | { kind: 'flags'; names: string[] }
  | { kind: 'enum'; names: string[] }
  | { kind: 'option'; type: ValType }
  | { kind: 'result'; ok?: ValType; err?: ValType }
  | { kind: 'own'; idx: number }
  | { kind: 'borrow'; idx: number }
  | { kind: 'stream'; type?: ValType }
  | { kind: 'future'; type?: ValType };

export interface FuncType {
  kind: 'func';
  params: LabelValType[];
  /** One unnamed result, or a list of named results (empty: none). */
  results: ValType | LabelValType[];
  async?: boolean;
}

export type TypeBound = { eq: number } | 'sub resource';

export type ExternDesc =
  | { sort: 'core module'; type: number }
  | { sort: 'func'; type: number }
  | { sort: 'value'; type: ValType }
  | { sort: 'type'; bound: TypeBound }
  | { sort: 'component'; type: number }
  | { sort: 'instance'; type: number };

/** Declarators of component and instance types (imports only in component types). */
export type Decl =
  | { kind: 'core type'; type: CoreDefType }
  | { kind: 'type'; type: DefType }
  | { kind: 'alias'; alias: Alias }
  | { kind: 'import'; name: string; desc: ExternDesc }
  | { kind: 'export'; name: string; desc: ExternDesc };

export interface ComponentType { kind: 'component'; decls: Decl[] }
export interface InstanceType { kind: 'instance'; decls: Decl[] }
export interface ResourceType { kind: 'resource'; rep: 'i32'; dtor?: number; async?: boolean; callback?: number }

export type DefType = DefValType | FuncType | ComponentType | InstanceType | ResourceType;

/** Core types that a component can define: function types and module types. */
export type CoreValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'ref';
export interface CoreFuncType { kind: 'func'; params: CoreValType[]; results: CoreValType[] }
export type CoreModuleDecl =
  | { kind: 'import'; module: string; name: string; desc: CoreImportDesc }
  | { kind: 'type'; type: CoreDefType }
  | { kind: 'alias'; count: number; idx: number }
  | { kind: 'export'; name: string; desc: CoreImportDesc };
export type CoreImportDesc =
  | { kind: 'func'; type: number }
  | { kind: 'table' | 'memory' | 'global' | 'tag' };
export interface CoreModuleType { kind: 'module'; decls: CoreModuleDecl[] }
export type CoreDefType = CoreFuncType | CoreModuleType;

export type Alias =
  | { sort: Sort; target: 'export'; instance: number; name: string }
  | { sort: Sort; target: 'core export'; instance: number; name: string }
  | { sort: Sort; target: 'outer'; count: number; idx: number };

export type StringEncoding = 'utf8' | 'utf16' | 'latin1+utf16';

export interface CanonOptions {
  stringEncoding?: StringEncoding;
  memory?: number;
  realloc?: number;
  postReturn?: number;
  async?: boolean;
  callback?: number;
}

export type Canon =
  | { kind: 'lift'; coreFunc: number; options: CanonOptions; type: number }
  | { kind: 'lower'; func: number; options: CanonOptions }
  | { kind: 'resource.new'; type: number }
  | { kind: 'resource.drop'; type: number; async?: boolean }
  | { kind: 'resource.rep'; type: number }
  /** Built-ins Kasane decodes but cannot run yet (async, threads): kept by opcode for the error message. */
  | { kind: 'unsupported'; opcode: number };

export type CoreInstanceExpr =
  | { kind: 'instantiate'; module: number; args: { name: string; instance: number }[] }
  | { kind: 'exports'; exports: { name: string; sort: CoreSort; idx: number }[] };

export type InstanceExpr =
  | { kind: 'instantiate'; component: number; args: { name: string; arg: SortIdx }[] }
  | { kind: 'exports'; exports: { name: string; arg: SortIdx }[] };

/** One definition, in binary order; `offset` is its byte offset in the outermost binary. */
export type Definition = (
  | { kind: 'core module'; bytes: Uint8Array }
  | { kind: 'core instance'; expr: CoreInstanceExpr }
  | { kind: 'core type'; type: CoreDefType }
  | { kind: 'component'; component: Component }
  | { kind: 'instance'; expr: InstanceExpr }
  | { kind: 'alias'; alias: Alias }
  | { kind: 'type'; type: DefType }
  | { kind: 'canon'; canon: Canon }
  | { kind: 'start'; func: number; args: number[]; results: number }
  | { kind: 'import'; name: string; desc: ExternDesc }
  | { kind: 'export'; name: string; arg: SortIdx; desc?: ExternDesc }
) & { offset: number };

export interface CustomSection { name: string; data: Uint8Array }

export interface Component {
  definitions: Definition[];
  customSections: CustomSection[];
  /** Byte offset of the preamble in the outermost binary (0 for a top-level component). */
  offset: number;
}

/** What the first 8 bytes say: a core module (layer 0), a component (layer 1), or neither. */
export function binaryLayer(bytes: Uint8Array): 'module' | 'component' | undefined {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return undefined;
  if (bytes[6] === 0 && bytes[7] === 0) return 'module';
  if (bytes[6] === 1 && bytes[7] === 0) return 'component';
  return undefined;
}
