// Types of WebAssembly 3.0 (spec §2.3), as produced by binary/ and text/ and checked by validate/.
// Number and vector types are interned strings so that comparing them is a pointer compare;
// reference types are small objects compared structurally (see equalValType).

export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
export type VecType = 'v128';

/** Abstract heap types (spec: absheaptype). */
export type AbsHeapType =
  | 'func' | 'nofunc'
  | 'extern' | 'noextern'
  | 'any' | 'eq' | 'i31' | 'struct' | 'array' | 'none'
  | 'exn' | 'noexn';

/** A heap type: abstract, or a concrete type index into Module.types. */
export type HeapType = AbsHeapType | number;

export interface RefType {
  readonly nullable: boolean;
  readonly heap: HeapType;
}

export type ValType = NumType | VecType | RefType;

export type PackedType = 'i8' | 'i16';
export type StorageType = ValType | PackedType;

export interface FieldType {
  readonly storage: StorageType;
  readonly mutable: boolean;
}

export interface FuncType {
  readonly kind: 'func';
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}
export interface StructType {
  readonly kind: 'struct';
  readonly fields: readonly FieldType[];
}
export interface ArrayType {
  readonly kind: 'array';
  readonly element: FieldType;
}
/** Composite type (spec: comptype). */
export type CompType = FuncType | StructType | ArrayType;

/** Sub type (spec: subtype): `sub final? supertypes comptype`. A plain comptype is `sub final () comptype`. */
export interface SubType {
  readonly final: boolean;
  /** Type indices of declared supertypes (at most one is valid). */
  readonly supertypes: readonly number[];
  readonly comp: CompType;
}

/** Address type of a memory or table (memory64/table64). */
export type AddrType = 'i32' | 'i64';

/** Limits. Values above 2^53 (possible only for 64-bit limits) lose precision; validation bounds are far below that. */
export interface Limits {
  readonly min: number;
  readonly max?: number;
}

export interface MemType {
  readonly limits: Limits;
  readonly shared: boolean;
  readonly addr: AddrType;
}

export interface TableType {
  readonly limits: Limits;
  readonly addr: AddrType;
  readonly elem: RefType;
}

export interface GlobalType {
  readonly type: ValType;
  readonly mutable: boolean;
}

/** Tag type: a function type index whose results must be empty. */
export interface TagType {
  readonly typeIdx: number;
}

// Interned common reference types (the text format's shorthands: funcref, externref, ...).
export const funcref: RefType = { nullable: true, heap: 'func' };
export const externref: RefType = { nullable: true, heap: 'extern' };
export const anyref: RefType = { nullable: true, heap: 'any' };
export const eqref: RefType = { nullable: true, heap: 'eq' };
export const i31ref: RefType = { nullable: true, heap: 'i31' };
export const structref: RefType = { nullable: true, heap: 'struct' };
export const arrayref: RefType = { nullable: true, heap: 'array' };
export const nullref: RefType = { nullable: true, heap: 'none' };
export const nullfuncref: RefType = { nullable: true, heap: 'nofunc' };
export const nullexternref: RefType = { nullable: true, heap: 'noextern' };
export const exnref: RefType = { nullable: true, heap: 'exn' };
export const nullexnref: RefType = { nullable: true, heap: 'noexn' };

export function isRefType(t: StorageType): t is RefType {
  return typeof t === 'object';
}

export function isNumType(t: StorageType): t is NumType {
  return t === 'i32' || t === 'i64' || t === 'f32' || t === 'f64';
}

/** Syntactic equality of value types (module-relative indices; not iso-recursive equivalence). */
export function equalValType(a: StorageType, b: StorageType): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return a.nullable === b.nullable && a.heap === b.heap;
}

export function heapTypeToString(h: HeapType): string {
  return typeof h === 'number' ? String(h) : h;
}

/** Text-format spelling of a value type, with type indices as numbers (used in error messages). */
export function valTypeToString(t: StorageType): string {
  if (typeof t === 'string') return t;
  return `(ref ${t.nullable ? 'null ' : ''}${heapTypeToString(t.heap)})`;
}

export function funcTypeToString(f: FuncType): string {
  return `[${f.params.map(valTypeToString).join(' ')}] -> [${f.results.map(valTypeToString).join(' ')}]`;
}
