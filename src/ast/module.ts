// The one module representation that binary/ and text/ both produce (spec §2.5).
//
// Module-level structure is decoded into plain objects. Instruction sequences (function
// bodies and constant expressions) stay in their binary encoding (`Expr`, a range of bytes): the text
// parser encodes them, the validator and engine stream over them with binary/reader.ts.
// Keeping code as bytes is what lets a 10 MB module decode and validate at close to the
// host's speed and compile lazily per function; nothing downstream needs instruction objects.

import type { GlobalType, MemType, RefType, SubType, TableType, TagType, ValType } from './types.js';
import type { ConstOffsetSection } from './data-segment.js';

/**
 * Bytes [start, end) of a larger buffer. A decoded module points into the binary it came from
 * instead of making a view per function, expression and segment: a module with 10^5 data
 * segments decodes three times faster that way. `bytesOf` makes a view when one is wanted.
 */
export interface ByteRange {
  readonly source: Uint8Array;
  readonly start: number;
  readonly end: number;
}

export function bytesOf(r: ByteRange): Uint8Array {
  return r.source.subarray(r.start, r.end);
}

/** An instruction sequence in binary encoding, terminated by `end` (0x0B). */
export interface Expr extends ByteRange {
  /** Byte offset of `source[start]` in the binary the module was decoded from; -1 when made from text. */
  readonly offset: number;
}

/** An expression held in a buffer of its own (text-made or synthesised code). */
export function exprOf(body: Uint8Array, offset = -1): Expr {
  return { source: body, start: 0, end: body.length, offset };
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export type ImportDesc =
  | { readonly kind: 'func'; readonly typeIdx: number }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly type: MemType }
  | { readonly kind: 'global'; readonly type: GlobalType }
  | { readonly kind: 'tag'; readonly type: TagType };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
}

export interface Export {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
}

/** Run-length encoded local declarations, as in the binary format. */
export interface LocalDecl {
  readonly count: number;
  readonly type: ValType;
}

/** A function defined in the module (function section entry + code section entry). */
export interface Func {
  readonly typeIdx: number;
  readonly locals: readonly LocalDecl[];
  /** The body expression (ends with 0x0B). */
  readonly code: Expr;
}

export interface Table {
  readonly type: TableType;
  /** Initialiser expression (3.0 `table tt expr`); absent means ref.null of the element's heap type. */
  readonly init?: Expr;
}

export interface Global {
  readonly type: GlobalType;
  readonly init: Expr;
}

export type ElemMode =
  | { readonly kind: 'passive' }
  | { readonly kind: 'declarative' }
  | { readonly kind: 'active'; readonly table: number; readonly offset: Expr };

/** Element segment items: function indices (the binary's compact form) or expressions. */
export type ElemInit =
  | { readonly kind: 'funcs'; readonly indices: readonly number[] }
  | { readonly kind: 'exprs'; readonly exprs: readonly Expr[] };

export interface Elem {
  readonly type: RefType;
  readonly init: ElemInit;
  readonly mode: ElemMode;
}

export type DataMode =
  | { readonly kind: 'passive' }
  | { readonly kind: 'active'; readonly memory: number; readonly offset: Expr };

/** A data segment; its bytes are the range [start, end) of `source`. */
export interface Data extends ByteRange {
  readonly mode: DataMode;
}

export function dataOf(bytes: Uint8Array, mode: DataMode): Data {
  return { source: bytes, start: 0, end: bytes.length, mode };
}

/** Binary section ids (spec §5.5.2), used to place custom sections on re-encoding. */
export const enum SectionId {
  Custom = 0, Type = 1, Import = 2, Function = 3, Table = 4, Memory = 5, Global = 6,
  Export = 7, Start = 8, Element = 9, Code = 10, Data = 11, DataCount = 12, Tag = 13,
}

export interface CustomSection {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Id of the last non-custom section before this one (0 when it comes first). */
  readonly after: number;
}

/** The `name` custom section, decoded (subsections of the extended name section included). */
export interface NameSection {
  module?: string;
  funcs: Map<number, string>;
  locals: Map<number, Map<number, string>>;
  labels: Map<number, Map<number, string>>;
  types: Map<number, string>;
  tables: Map<number, string>;
  memories: Map<number, string>;
  globals: Map<number, string>;
  elems: Map<number, string>;
  datas: Map<number, string>;
  fields: Map<number, Map<number, string>>;
  tags: Map<number, string>;
}

export interface Module {
  /** All defined types in index order; `recGroups` says how they are grouped. */
  types: SubType[];
  /** Sizes of the recursion groups, in order; they sum to types.length. */
  recGroups: number[];
  imports: Import[];
  funcs: Func[];
  tables: Table[];
  memories: MemType[];
  globals: Global[];
  tags: TagType[];
  exports: Export[];
  start?: number;
  elems: Elem[];
  datas: Data[];
  /**
   * Set by the decoder while `datas` has not been read when every data segment has the common
   * form (`i32.const n` in memory 0): the section as bytes (ast/data-segment.ts, lazyDatas).
   */
  dataSection?: ConstOffsetSection;
  /** Present when the module has a data count section. */
  dataCount?: number;
  customs: CustomSection[];
  /** Decoded name section, when present and well-formed. */
  names?: NameSection;
}

export function emptyModule(): Module {
  return {
    types: [], recGroups: [], imports: [], funcs: [], tables: [], memories: [],
    globals: [], tags: [], exports: [], elems: [], datas: [], customs: [],
  };
}

export function emptyNameSection(): NameSection {
  return {
    funcs: new Map(), locals: new Map(), labels: new Map(), types: new Map(), tables: new Map(),
    memories: new Map(), globals: new Map(), elems: new Map(), datas: new Map(), fields: new Map(),
    tags: new Map(),
  };
}

/** Number of imports of a given kind: imported entities come first in each index space. */
export function importCount(m: Module, kind: ExternKind): number {
  let n = 0;
  for (const imp of m.imports) if (imp.desc.kind === kind) n++;
  return n;
}
