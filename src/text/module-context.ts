// Shared machinery of the text-format module parser: a cursor over S-expressions, the module's
// identifier contexts (spec §6.6.1 "Contexts"), and the parsing of types and type uses.

import { type Features, WASM_3_0 } from '../ast/features.js';
import { CompileError } from '../errors.js';
import type {
  CompType, FieldType, FuncType, HeapType, RefType, StorageType, SubType, ValType,
} from '../ast/types.js';
import * as T from '../ast/types.js';
import type { Atom, List, SExpr } from './sexpr.js';

// ignoreBOM: a leading U+FEFF is part of a name, not a byte order mark.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function fail(message: string, at: SExpr | number | undefined): never {
  const pos = typeof at === 'number' ? at : at?.pos;
  throw new CompileError(message, pos);
}

/** A cursor over the items of one list. */
export class Cur {
  i: number;
  constructor(readonly list: List, start = 0) {
    this.i = start;
  }
  get items(): SExpr[] {
    return this.list.items;
  }
  atEnd(): boolean {
    return this.i >= this.list.items.length;
  }
  peek(k = 0): SExpr | undefined {
    return this.list.items[this.i + k];
  }
  /** Position for errors about the current item (or the list's end). */
  pos(): number {
    return this.peek()?.pos ?? this.list.pos;
  }
  next(): SExpr {
    const s = this.list.items[this.i];
    if (s === undefined) fail('unexpected token', this.list.pos);
    this.i++;
    return s;
  }
  atom(): Atom {
    const s = this.next();
    if (s.kind !== 'atom') fail('unexpected token', s);
    return s;
  }
  /** The next item is the keyword `kw`. */
  isKw(kw: string, k = 0): boolean {
    const s = this.peek(k);
    return s !== undefined && s.kind === 'atom' && s.token === 'keyword' && s.text === kw;
  }
  eatKw(kw: string): boolean {
    if (!this.isKw(kw)) return false;
    this.i++;
    return true;
  }
  expectKw(kw: string): Atom {
    const s = this.peek();
    if (!this.isKw(kw)) fail(s === undefined ? `expected ${kw}` : 'unexpected token', s ?? this.list.pos);
    return this.atom();
  }
  /** The next item is a list whose head is the keyword `head` (or any of `heads`). */
  isList(...heads: string[]): boolean {
    const s = this.peek();
    return s !== undefined && s.kind === 'list' && heads.includes(headOf(s) ?? '');
  }
  /** An optional `$id`. */
  optId(): Atom | undefined {
    const s = this.peek();
    if (s !== undefined && s.kind === 'atom' && s.token === 'id') {
      this.i++;
      return s;
    }
    return undefined;
  }
  isIdx(k = 0): boolean {
    const s = this.peek(k);
    return s !== undefined && s.kind === 'atom' && (s.token === 'id' || (s.token === 'num' && /^[0-9]/.test(s.text)));
  }
  /** Nothing may follow. */
  done(): void {
    const s = this.peek();
    if (s !== undefined) fail('unexpected token', s);
  }
}

export function headOf(l: List): string | undefined {
  const h = l.items[0];
  return h !== undefined && h.kind === 'atom' && h.token === 'keyword' ? h.text : undefined;
}

/** The name an identifier denotes: `$x` and `$"x"` are the same identifier. */
export function idKey(a: Atom): string {
  if (a.bytes === undefined) return a.text;
  let s: string;
  try {
    s = utf8.decode(a.bytes);
  } catch {
    fail('malformed UTF-8 encoding', a);
  }
  if (s === '') fail('empty identifier', a);
  return '$' + s;
}

export function stringBytes(a: SExpr): Uint8Array {
  if (a.kind !== 'atom' || a.token !== 'string') fail('unexpected token', a);
  return a.bytes ?? new Uint8Array(0);
}

/** A string that must be valid UTF-8 (names). */
export function nameString(a: SExpr): string {
  const b = stringBytes(a);
  try {
    return utf8.decode(b);
  } catch {
    fail('malformed UTF-8 encoding', a);
  }
}

// --- Integers. The grammar of num/hexnum (spec §6.3.1), with range checks. ---

const DEC = /^[0-9](?:_?[0-9])*$/;
const HEX = /^0x[0-9a-fA-F](?:_?[0-9a-fA-F])*$/;

/** An unsigned literal, or undefined when the text is not one. */
export function natValue(text: string): bigint | undefined {
  if (DEC.test(text) || HEX.test(text)) return BigInt(text.replace(/_/g, ''));
  return undefined;
}

/** An integer literal of `bits` bits: signed or unsigned range accepted, returned signed. */
export function intLiteral(a: SExpr, bits: number): bigint {
  if (a.kind !== 'atom') fail('unexpected token', a);
  if (a.token !== 'num') fail(a.token === 'id' || a.token === 'string' ? 'unexpected token' : 'unknown operator', a);
  if (/^[+-]?(nan|inf)/.test(a.text)) fail('unexpected token', a);
  let t = a.text;
  let neg = false;
  if (t.startsWith('-') || t.startsWith('+')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  const v = natValue(t);
  if (v === undefined) fail(`unknown operator`, a);
  const limit = 1n << BigInt(bits);
  if (neg ? v > limit / 2n : v >= limit) fail('constant out of range', a);
  return BigInt.asIntN(bits, neg ? -v : v);
}

/** An unsigned literal below 2^bits. */
export function natLiteral(a: SExpr, bits = 32): bigint {
  if (a.kind !== 'atom') fail('unexpected token', a);
  if (a.token !== 'num') fail(a.token === 'id' || a.token === 'string' ? 'unexpected token' : 'unknown operator', a);
  const v = natValue(a.text);
  if (v === undefined) fail(/^[+-]/.test(a.text) ? 'unexpected token' : 'unknown operator', a);
  if (v >= 1n << BigInt(bits)) fail('constant out of range', a);
  return v;
}

export function u32Literal(a: SExpr): number {
  return Number(natLiteral(a, 32));
}

// --- Identifier contexts ---

export type Space = 'type' | 'func' | 'table' | 'memory' | 'global' | 'tag' | 'elem' | 'data';

const UNKNOWN: Record<Space, string> = {
  type: 'unknown type', func: 'unknown function', table: 'unknown table', memory: 'unknown memory',
  global: 'unknown global', tag: 'unknown tag', elem: 'unknown elem segment', data: 'unknown data segment',
};

export class IdSpace {
  readonly ids = new Map<string, number>();
  count = 0;
  constructor(readonly space: Space) {}
  /** Allocates the next index, binding `id` to it. */
  bind(id: Atom | undefined): number {
    const n = this.count++;
    if (id !== undefined) {
      const k = idKey(id);
      if (this.ids.has(k)) fail(`duplicate ${this.space}`, id);
      this.ids.set(k, n);
    }
    return n;
  }
  resolve(a: SExpr): number {
    if (a.kind !== 'atom') fail('unexpected token', a);
    if (a.token === 'id') {
      const n = this.ids.get(idKey(a));
      if (n === undefined) fail(`${UNKNOWN[this.space]} ${a.text}`, a);
      return n;
    }
    return u32Literal(a);
  }
}

/** The module-level context: index spaces and the types defined so far. */
export class ModCtx {
  constructor(readonly features: Features = WASM_3_0) {}
  readonly types: SubType[] = [];
  readonly recGroups: number[] = [];
  readonly spaces: Record<Space, IdSpace> = {
    type: new IdSpace('type'), func: new IdSpace('func'), table: new IdSpace('table'),
    memory: new IdSpace('memory'), global: new IdSpace('global'), tag: new IdSpace('tag'),
    elem: new IdSpace('elem'), data: new IdSpace('data'),
  };
  /** Field identifiers per type index. */
  readonly fieldIds = new Map<number, Map<string, number>>();
  /** Number of explicitly defined types; implicit ones (spec: typeuse abbreviation) follow. */
  explicitTypes = 0;

  idx(space: Space, a: SExpr): number {
    return this.spaces[space].resolve(a);
  }

  funcType(idx: number): FuncType | undefined {
    const t = this.types[idx];
    return t?.comp.kind === 'func' ? t.comp : undefined;
  }

  /**
   * The least type index whose rec group is exactly `(rec (type (func ft)))` with `ft` equal to the
   * given signature, else a new such type appended to the module (spec: inline type uses).
   */
  implicitType(params: readonly ValType[], results: readonly ValType[]): number {
    let start = 0;
    for (const size of this.recGroups) {
      if (size === 1) {
        const t = this.types[start];
        if (t.final && t.supertypes.length === 0 && t.comp.kind === 'func' &&
            sameTypes(t.comp.params, params) && sameTypes(t.comp.results, results)) return start;
      }
      start += size;
    }
    this.types.push({ final: true, supertypes: [], comp: { kind: 'func', params: [...params], results: [...results] } });
    this.recGroups.push(1);
    this.spaces.type.count = this.types.length;
    return this.types.length - 1;
  }

  // --- Types (spec §6.4) ---

  heapType(a: SExpr): HeapType {
    if (a.kind === 'atom' && a.token === 'keyword') {
      if (ABS_HEAP.has(a.text)) return a.text as T.AbsHeapType;
      fail('unexpected token', a);
    }
    return this.idx('type', a);
  }

  /** A reference type, or undefined when `s` is not one. */
  refTypeOpt(s: SExpr): RefType | undefined {
    if (s.kind === 'atom') return s.token === 'keyword' ? REF_SHORTHANDS.get(s.text) : undefined;
    if (headOf(s) !== 'ref') return undefined;
    const c = new Cur(s, 1);
    const nullable = c.eatKw('null');
    const h = this.heapType(c.next());
    c.done();
    return { nullable, heap: h };
  }

  refType(s: SExpr): RefType {
    return this.refTypeOpt(s) ?? fail('unexpected token', s);
  }

  valTypeOpt(s: SExpr): ValType | undefined {
    if (s.kind === 'atom' && s.token === 'keyword' && NUM_VEC.has(s.text)) return s.text as ValType;
    return this.refTypeOpt(s);
  }

  valType(s: SExpr): ValType {
    return this.valTypeOpt(s) ?? fail(s.kind === 'atom' && s.token === 'keyword' ? `unknown operator ${s.text}` : 'unexpected token', s);
  }

  storageType(s: SExpr): StorageType {
    if (s.kind === 'atom' && (s.text === 'i8' || s.text === 'i16')) return s.text;
    return this.valType(s);
  }

  fieldType(s: SExpr): FieldType {
    if (s.kind === 'list' && headOf(s) === 'mut') {
      const c = new Cur(s, 1);
      const st = this.storageType(c.next());
      c.done();
      return { storage: st, mutable: true };
    }
    return { storage: this.storageType(s), mutable: false };
  }

  /**
   * `(param id? t)` / `(param t*)` lists followed by `(result t*)` lists. Binds param ids into `ids`
   * when given, else rejects them (block types and call_indirect may not name parameters).
   */
  paramsResults(c: Cur, ids?: (Atom | undefined)[]): { params: ValType[]; results: ValType[] } {
    const params: ValType[] = [];
    const results: ValType[] = [];
    while (c.isList('param')) {
      const p = new Cur(c.next() as List, 1);
      const id = p.optId();
      if (id !== undefined) {
        if (ids === undefined) fail('unexpected token', id);
        params.push(this.valType(p.next()));
        ids.push(id);
        p.done();
      } else {
        while (!p.atEnd()) {
          params.push(this.valType(p.next()));
          ids?.push(undefined);
        }
      }
    }
    while (c.isList('result')) {
      const r = new Cur(c.next() as List, 1);
      while (!r.atEnd()) results.push(this.valType(r.next()));
    }
    return { params, results };
  }

  /**
   * A type use (spec: typeuse): `(type x)? (param ...)* (result ...)*`, resolved to a type index.
   * `paramIds` receives the parameter identifiers (one entry per parameter) when ids are allowed.
   */
  typeUse(c: Cur, paramIds?: (Atom | undefined)[]): number {
    const at = c.pos();
    let x: number | undefined;
    if (c.isList('type')) {
      const l = new Cur(c.next() as List, 1);
      x = this.idx('type', l.next());
      l.done();
    }
    const inline = c.isList('param', 'result');
    const ids: (Atom | undefined)[] = [];
    const { params, results } = this.paramsResults(c, paramIds === undefined ? undefined : ids);
    // The parts of a type use come in a fixed order.
    if (c.isList('type', 'param')) fail('unexpected token', c.peek()!);
    if (x === undefined) {
      paramIds?.push(...ids);
      return this.implicitType(params, results);
    }
    if (inline) {
      const ft = this.funcType(x);
      if (x >= this.types.length) fail('unknown type', at);
      if (ft === undefined || !sameTypes(ft.params, params) || !sameTypes(ft.results, results)) {
        fail('inline function type', at);
      }
      paramIds?.push(...ids);
    } else {
      const ft = this.funcType(x);
      if (paramIds !== undefined && ft !== undefined) for (let k = 0; k < ft.params.length; k++) paramIds.push(undefined);
    }
    return x;
  }

  /** A composite type `(func ...)`, `(struct ...)`, `(array ...)`; binds field ids for type `self`. */
  compType(s: SExpr, self: number): CompType {
    if (s.kind !== 'list') fail('unexpected token', s);
    const c = new Cur(s, 1);
    switch (headOf(s)) {
      case 'func': {
        const { params, results } = this.paramsResults(c, []);
        c.done();
        return { kind: 'func', params, results };
      }
      case 'struct': {
        const fields: FieldType[] = [];
        const names = new Map<string, number>();
        while (!c.atEnd()) {
          const f = c.next();
          if (f.kind !== 'list' || headOf(f) !== 'field') fail('unexpected token', f);
          const fc = new Cur(f, 1);
          const id = fc.optId();
          if (id !== undefined) {
            const k = idKey(id);
            if (names.has(k)) fail('duplicate field', id);
            names.set(k, fields.length);
            fields.push(this.fieldType(fc.next()));
            fc.done();
          } else {
            while (!fc.atEnd()) fields.push(this.fieldType(fc.next()));
          }
        }
        if (names.size > 0) this.fieldIds.set(self, names);
        return { kind: 'struct', fields };
      }
      case 'array': {
        let f = c.next();
        // `(array (field ...))` is accepted as a spelling of the element type.
        if (f.kind === 'list' && headOf(f) === 'field') {
          const fc = new Cur(f, 1);
          fc.optId();
          f = fc.next();
          fc.done();
        }
        const element = this.fieldType(f);
        c.done();
        return { kind: 'array', element };
      }
      default:
        fail('unexpected token', s);
    }
  }

  /** The body of `(type $id? subtype)`, at index `self`. */
  subType(s: SExpr, self: number): SubType {
    if (s.kind === 'list' && headOf(s) === 'sub') {
      const c = new Cur(s, 1);
      const final = c.eatKw('final');
      const supertypes: number[] = [];
      while (c.isIdx()) supertypes.push(this.idx('type', c.next()));
      const comp = this.compType(c.next(), self);
      c.done();
      return { final, supertypes, comp };
    }
    return { final: true, supertypes: [], comp: this.compType(s, self) };
  }
}

export function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  return a.length === b.length && a.every((t, k) => T.equalValType(t, b[k]));
}

const NUM_VEC = new Set(['i32', 'i64', 'f32', 'f64', 'v128']);
const ABS_HEAP = new Set(['func', 'nofunc', 'extern', 'noextern', 'any', 'eq', 'i31', 'struct', 'array', 'none', 'exn', 'noexn']);
const REF_SHORTHANDS = new Map<string, RefType>([
  ['funcref', T.funcref], ['externref', T.externref], ['anyref', T.anyref], ['eqref', T.eqref],
  ['i31ref', T.i31ref], ['structref', T.structref], ['arrayref', T.arrayref], ['nullref', T.nullref],
  ['nullfuncref', T.nullfuncref], ['nullexternref', T.nullexternref], ['exnref', T.exnref],
  ['nullexnref', T.nullexnref],
]);
