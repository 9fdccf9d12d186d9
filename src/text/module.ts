// The text-format module parser (spec §6.6): an S-expression tree to the one module
// representation, with instruction sequences encoded to binary.
//
// Identifiers may be used before their definition, so fields are walked three times: bind type
// identifiers and parse the type definitions; bind every other index space (imports come first in
// each space, which the text format guarantees by rejecting imports after definitions); then
// parse the fields in order. Implicit function types from inline type uses are appended after all
// explicit ones, in order of appearance, as the spec prescribes.

import { type Features, WASM_3_0 } from '../ast/features.js';
import type {
  CustomSection, Data, Elem, ElemInit, Export, Expr, ExternKind, Global, Import, Module, Table,
} from '../ast/module.js';
import { dataOf, emptyModule, emptyNameSection, exprOf } from '../ast/module.js';
import { CompileError } from '../errors.js';
import type { AddrType, GlobalType, Limits, MemType, RefType, TableType, ValType } from '../ast/types.js';
import { Writer } from '../binary/writer.js';
import { parseSExprRoot } from './lexer.js';
import type { Atom, List, SExpr } from './sexpr.js';
import {
  Cur, fail, headOf, idKey, ModCtx, nameString, natLiteral, stringBytes, type Space,
} from './module-context.js';
import { InstrParser } from './module-instrs.js';

/** Parses `(module $id? field*)` (or `(module definition $id? field*)`). */
export function parseModule(list: List, features: Features = WASM_3_0): Module {
  const c = new Cur(list, 0);
  let id: Atom | undefined;
  if (c.isKw('module')) {
    c.next();
    c.eatKw('definition');
    id = c.optId();
  }
  const m = withDepthLimit(() => new ModuleParser(list, c.i, features).parse());
  if (id !== undefined) (m.names ??= emptyNameSection()).module = idName(id);
  return m;
}

/**
 * The parser follows the nesting of the text recursively; text nested deeper than the host's
 * stack allows is rejected as a CompileError rather than escaping as a RangeError.
 */
function withDepthLimit<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new CompileError('module text nests too deeply to parse (the JavaScript stack overflowed)');
    }
    throw e;
  }
}

/** The name an identifier gives to the name section: its text without the `$`. */
function idName(a: Atom): string {
  return idKey(a).slice(1);
}

/** Parses a text module: one `(module ...)`, or a bare sequence of module fields. */
export function parseWat(source: string, features: Features = WASM_3_0): Module {
  const root = withDepthLimit(() => parseSExprRoot(source));
  const exprs = root.items;
  if (exprs.length === 1 && exprs[0].kind === 'list' && headOf(exprs[0]) === 'module') return parseModule(exprs[0], features);
  return parseModule(root, features);
}

const KIND_NAME: Record<ExternKind, string> = { func: 'function', table: 'table', memory: 'memory', global: 'global', tag: 'tag' };
const EXTERN_KINDS = new Set(['func', 'table', 'memory', 'global', 'tag']);

class ModuleParser {
  private readonly m: ModCtx;
  private readonly out: Module = emptyModule();
  private readonly fields: List[] = [];

  constructor(private readonly list: List, start: number, features: Features) {
    this.m = new ModCtx(features);
    for (let k = start; k < list.items.length; k++) {
      const f = list.items[k];
      if (f.kind !== 'list') fail('unexpected token', f);
      this.fields.push(f);
    }
  }

  parse(): Module {
    this.bindTypes();
    this.bindOthers();
    for (const f of this.fields) this.field(f);
    const out = this.out;
    out.types = this.m.types;
    out.recGroups = this.m.recGroups;
    if (out.datas.length > 0) out.dataCount = out.datas.length;
    this.customs();
    this.names();
    return out;
  }

  /** Identifiers become the name section, as wat2wasm and wasm-tools do, so traps can name functions. */
  private names(): void {
    const ns = emptyNameSection();
    const spaces: [Space, Map<number, string>][] = [
      ['func', ns.funcs], ['type', ns.types], ['table', ns.tables], ['memory', ns.memories], ['global', ns.globals],
      ['elem', ns.elems], ['data', ns.datas], ['tag', ns.tags],
    ];
    let any = this.localNames.size > 0;
    for (const [space, map] of spaces) {
      for (const [key, index] of this.m.spaces[space].ids) {
        map.set(index, key.slice(1));
        any = true;
      }
    }
    for (const [f, locals] of this.localNames) ns.locals.set(f, locals);
    if (any) this.out.names = ns;
  }

  /** Local identifiers per function index, collected while parsing function bodies. */
  private readonly localNames = new Map<number, Map<number, string>>();

  // --- pass 1: types ---

  private bindTypes(): void {
    const m = this.m;
    const defs: List[] = [];
    for (const f of this.fields) {
      const h = headOf(f);
      if (h === 'type') {
        defs.push(f);
      } else if (h === 'rec') {
        for (let k = 1; k < f.items.length; k++) {
          const t = f.items[k];
          if (t.kind !== 'list' || headOf(t) !== 'type') fail('unexpected token', t);
          defs.push(t);
        }
      }
    }
    for (const d of defs) m.spaces.type.bind(new Cur(d, 1).optId());
    for (const f of this.fields) {
      const h = headOf(f);
      if (h !== 'type' && h !== 'rec') continue;
      const group = h === 'type' ? [f] : (f.items.slice(1) as List[]);
      for (const d of group) {
        const c = new Cur(d, 1);
        c.optId();
        const self = m.types.length;
        m.types.push(m.subType(c.next(), self));
        c.done();
      }
      m.recGroups.push(group.length);
    }
    m.explicitTypes = m.types.length;
  }

  // --- pass 2: identifiers of the other index spaces ---

  private bindOthers(): void {
    const s = this.m.spaces;
    let defined: ExternKind | undefined;
    for (const f of this.fields) {
      const h = headOf(f);
      const c = new Cur(f, 1);
      switch (h) {
        case 'import': {
          if (defined !== undefined) fail(`import after ${KIND_NAME[defined]}`, f);
          c.next();
          c.next();
          const d = c.next();
          if (d.kind !== 'list' || !EXTERN_KINDS.has(headOf(d) ?? '')) fail('unexpected token', d);
          s[headOf(d) as Space].bind(new Cur(d, 1).optId());
          break;
        }
        case 'func': case 'table': case 'memory': case 'global': case 'tag': {
          const id = c.optId();
          while (c.isList('export')) c.next();
          if (c.isList('import')) {
            if (defined !== undefined) fail(`import after ${KIND_NAME[defined]}`, f);
          } else {
            defined ??= h;
          }
          s[h].bind(id);
          // An inline `(elem ...)` or `(data ...)` defines a segment without an identifier.
          if (h === 'table' && f.items.some((i) => i.kind === 'list' && headOf(i) === 'elem')) s.elem.bind(undefined);
          if (h === 'memory' && f.items.some((i) => i.kind === 'list' && headOf(i) === 'data')) s.data.bind(undefined);
          break;
        }
        case 'elem': case 'data':
          s[h].bind(c.optId());
          break;
        case 'type': case 'rec': case 'export': case 'start':
          break;
        default:
          fail(`unknown operator ${h ?? ''}`.trim(), f);
      }
    }
  }

  // --- pass 3: fields ---

  private field(f: List): void {
    const c = new Cur(f, 1);
    switch (headOf(f)) {
      case 'import': return this.importField(c);
      case 'func': return this.func(c);
      case 'table': return this.table(c);
      case 'memory': return this.memory(c);
      case 'global': return this.global(c);
      case 'tag': return this.tag(c);
      case 'export': return this.exportField(c);
      case 'start': {
        if (this.out.start !== undefined) fail('multiple start sections', f);
        this.out.start = this.m.idx('func', c.next());
        c.done();
        return;
      }
      case 'elem': return this.elem(c);
      case 'data': return this.data(c);
    }
  }

  /** `(export "name")*` abbreviations on a definition. */
  private inlineExports(c: Cur, kind: ExternKind, index: number): void {
    while (c.isList('export')) {
      const e = new Cur(c.next() as List, 1);
      this.out.exports.push({ name: nameString(e.next()), kind, index });
      e.done();
    }
  }

  /** An inline `(import "m" "n")`, if present. */
  private inlineImport(c: Cur): { module: string; name: string } | undefined {
    if (!c.isList('import')) return undefined;
    const i = new Cur(c.next() as List, 1);
    const r = { module: nameString(i.next()), name: nameString(i.next()) };
    i.done();
    return r;
  }

  private importField(c: Cur): void {
    const module = nameString(c.next());
    const name = nameString(c.next());
    const d = c.next() as List;
    c.done();
    const dc = new Cur(d, 1);
    dc.optId();
    const kind = headOf(d) as ExternKind;
    this.out.imports.push({ module, name, desc: this.externType(kind, dc) });
    dc.done();
  }

  private externType(kind: ExternKind, c: Cur): Import['desc'] {
    switch (kind) {
      case 'func': return { kind, typeIdx: this.m.typeUse(c, []) };
      case 'tag': return { kind, type: { typeIdx: this.m.typeUse(c) } };
      case 'table': return { kind, type: this.tableType(c) };
      case 'memory': return { kind, type: this.memType(c) };
      case 'global': return { kind, type: this.globalType(c.next()) };
    }
  }

  private func(c: Cur): void {
    c.optId();
    const m = this.m;
    const index = this.index('func');
    this.inlineExports(c, 'func', index);
    const imp = this.inlineImport(c);
    if (imp !== undefined) {
      this.out.imports.push({ ...imp, desc: { kind: 'func', typeIdx: m.typeUse(c, []) } });
      c.done();
      return;
    }
    const paramIds: (Atom | undefined)[] = [];
    const typeIdx = m.typeUse(c, paramIds);
    const locals = new Map<string, number>();
    const bindLocal = (id: Atom | undefined, n: number): void => {
      if (id === undefined) return;
      const k = idKey(id);
      if (locals.has(k)) fail('duplicate local', id);
      locals.set(k, n);
    };
    paramIds.forEach(bindLocal);
    let n = paramIds.length;
    const decls: { count: number; type: ValType }[] = [];
    const add = (t: ValType): void => {
      const last = decls[decls.length - 1];
      if (last !== undefined && last.type === t) last.count++;
      else decls.push({ count: 1, type: t });
    };
    while (c.isList('local')) {
      const l = new Cur(c.next() as List, 1);
      const id = l.optId();
      if (id !== undefined) {
        bindLocal(id, n++);
        add(m.valType(l.next()));
        l.done();
      } else {
        while (!l.atEnd()) {
          add(m.valType(l.next()));
          n++;
        }
      }
    }
    const code = InstrParser.expr(m, c, locals);
    this.out.funcs.push({ typeIdx, locals: decls, code });
    if (locals.size > 0) this.localNames.set(index, new Map([...locals].map(([k, i]) => [i, k.slice(1)])));
  }

  private index(kind: ExternKind): number {
    // Imports and definitions share each index space in document order.
    if (this.importsCounted < this.out.imports.length) {
      for (const i of this.out.imports.slice(this.importsCounted)) this.imported[i.desc.kind]++;
      this.importsCounted = this.out.imports.length;
    }
    const n = this.imported[kind];
    switch (kind) {
      case 'func': return n + this.out.funcs.length;
      case 'table': return n + this.out.tables.length;
      case 'memory': return n + this.out.memories.length;
      case 'global': return n + this.out.globals.length;
      case 'tag': return n + this.out.tags.length;
    }
  }

  private importsCounted = 0;
  private readonly imported: Record<ExternKind, number> = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };

  private limits(c: Cur, addr: AddrType): Limits {
    // 3.0's syntax allows u64 for both address types and validation checks the ranges;
    // before memory64, limits were u32 literals.
    void addr;
    const literal = (a: SExpr): number => {
      if (this.m.features.memory64) return Number(natLiteral(a, 64));
      try {
        return Number(natLiteral(a, 32));
      } catch (e) {
        if (e instanceof CompileError && /out of range/.test(e.message)) fail('i32 constant out of range', a);
        throw e;
      }
    };
    const min = literal(c.next());
    const s = c.peek();
    if (s?.kind === 'atom' && s.token === 'num') {
      c.i++;
      return { min, max: literal(s) };
    }
    return { min };
  }

  private addrType(c: Cur): AddrType {
    if (c.eatKw('i64')) return 'i64';
    c.eatKw('i32');
    return 'i32';
  }

  private tableType(c: Cur): TableType {
    const addr = this.addrType(c);
    const limits = this.limits(c, addr);
    const elem = this.m.refType(c.next());
    return { limits, addr, elem };
  }

  private memType(c: Cur): MemType {
    const addr = this.addrType(c);
    const limits = this.limits(c, addr);
    const shared = c.eatKw('shared');
    if (!shared) c.eatKw('unshared');
    return { limits, shared, addr };
  }

  private globalType(s: SExpr): GlobalType {
    if (s.kind === 'list' && headOf(s) === 'mut') {
      const c = new Cur(s, 1);
      const t = this.m.valType(c.next());
      c.done();
      return { type: t, mutable: true };
    }
    return { type: this.m.valType(s), mutable: false };
  }

  private table(c: Cur): void {
    c.optId();
    const index = this.index('table');
    this.inlineExports(c, 'table', index);
    const imp = this.inlineImport(c);
    if (imp !== undefined) {
      this.out.imports.push({ ...imp, desc: { kind: 'table', type: this.tableType(c) } });
      c.done();
      return;
    }
    // `addrtype? reftype (elem ...)`: the table is sized by its inline segment.
    const save = c.i;
    const addr = this.addrType(c);
    const rt = c.atEnd() ? undefined : this.m.refTypeOpt(c.peek()!);
    if (rt !== undefined && c.peek(1)?.kind === 'list' && headOf(c.peek(1) as List) === 'elem') {
      c.i++;
      const e = new Cur(c.next() as List, 1);
      c.done();
      const init = this.elemList(e, rt, true);
      const n = init.kind === 'funcs' ? init.indices.length : init.exprs.length;
      this.out.tables.push({ type: { limits: { min: n, max: n }, addr, elem: rt } });
      this.out.elems.push({ type: rt, init, mode: { kind: 'active', table: index, offset: constExpr(addr, 0) } });
      return;
    }
    c.i = save;
    const type = this.tableType(c);
    const t: Table = c.atEnd() ? { type } : { type, init: InstrParser.expr(this.m, c) };
    this.out.tables.push(t);
  }

  private memory(c: Cur): void {
    c.optId();
    const index = this.index('memory');
    this.inlineExports(c, 'memory', index);
    const imp = this.inlineImport(c);
    if (imp !== undefined) {
      this.out.imports.push({ ...imp, desc: { kind: 'memory', type: this.memType(c) } });
      c.done();
      return;
    }
    const save = c.i;
    const addr = this.addrType(c);
    if (c.isList('data')) {
      const d = new Cur(c.next() as List, 1);
      c.done();
      const bytes = this.dataString(d);
      const pages = Math.ceil(bytes.length / 65536);
      this.out.memories.push({ limits: { min: pages, max: pages }, shared: false, addr });
      this.out.datas.push(dataOf(bytes, { kind: 'active', memory: index, offset: constExpr(addr, 0) }));
      return;
    }
    c.i = save;
    this.out.memories.push(this.memType(c));
    c.done();
  }

  private global(c: Cur): void {
    c.optId();
    const index = this.index('global');
    this.inlineExports(c, 'global', index);
    const imp = this.inlineImport(c);
    if (imp !== undefined) {
      this.out.imports.push({ ...imp, desc: { kind: 'global', type: this.globalType(c.next()) } });
      c.done();
      return;
    }
    const type = this.globalType(c.next());
    const g: Global = { type, init: InstrParser.expr(this.m, c) };
    this.out.globals.push(g);
  }

  private tag(c: Cur): void {
    c.optId();
    const index = this.index('tag');
    this.inlineExports(c, 'tag', index);
    const imp = this.inlineImport(c);
    const typeIdx = this.m.typeUse(c);
    c.done();
    if (imp !== undefined) this.out.imports.push({ ...imp, desc: { kind: 'tag', type: { typeIdx } } });
    else this.out.tags.push({ typeIdx });
  }

  private exportField(c: Cur): void {
    const name = nameString(c.next());
    const d = c.next();
    c.done();
    if (d.kind !== 'list' || !EXTERN_KINDS.has(headOf(d) ?? '')) fail('unexpected token', d);
    const kind = headOf(d) as ExternKind;
    const dc = new Cur(d, 1);
    const e: Export = { name, kind, index: this.m.idx(kind, dc.next()) };
    dc.done();
    this.out.exports.push(e);
  }

  // --- segments ---

  /** `(offset instr*)` or a single folded instruction. */
  private offset(c: Cur): Expr {
    const s = c.next();
    if (s.kind !== 'list') fail('unexpected token', s);
    if (headOf(s) === 'offset') return InstrParser.expr(this.m, new Cur(s, 1));
    return InstrParser.expr(this.m, new Cur({ kind: 'list', items: [s], pos: s.pos }));
  }

  /**
   * elemlist: `reftype elemexpr*` or `func? funcidx*` (the 1.0 shorthand). `inline` is the table
   * field's `(elem ...)`, where the element type comes from the table.
   */
  private elemList(c: Cur, inlineType: RefType | undefined, allowBareFuncs: boolean): ElemInit & { type?: RefType } {
    const m = this.m;
    let type: RefType | undefined;
    if (inlineType === undefined && !c.atEnd()) {
      if (c.isKw('func')) {
        c.next();
        return funcsInit(this.funcIndices(c));
      }
      type = m.refTypeOpt(c.peek()!);
      if (type !== undefined) c.i++;
    }
    if (type === undefined && (allowBareFuncs || inlineType !== undefined) && (c.atEnd() || c.isIdx())) {
      return funcsInit(this.funcIndices(c));
    }
    if (type === undefined && inlineType === undefined) fail('unexpected token', c.pos());
    const exprs: Expr[] = [];
    while (!c.atEnd()) {
      const s = c.next();
      if (s.kind !== 'list') fail('unexpected token', s);
      if (headOf(s) === 'item') exprs.push(InstrParser.expr(m, new Cur(s, 1)));
      else exprs.push(InstrParser.expr(m, new Cur({ kind: 'list', items: [s], pos: s.pos })));
    }
    return { kind: 'exprs', exprs, type };
  }

  private funcIndices(c: Cur): number[] {
    const out: number[] = [];
    while (!c.atEnd()) out.push(this.m.idx('func', c.next()));
    return out;
  }

  private elem(c: Cur): void {
    c.optId();
    let mode: Elem['mode'];
    if (c.eatKw('declare')) {
      mode = { kind: 'declarative' };
    } else if (c.isList('table') || c.isList('offset') || c.peek()?.kind === 'list' && !this.isRefTypeList(c.peek()!) ||
               c.isIdx() && c.peek(1)?.kind === 'list') {
      let table = 0;
      if (c.isList('table')) {
        const t = new Cur(c.next() as List, 1);
        table = this.m.idx('table', t.next());
        t.done();
      } else if (c.isIdx()) {
        table = this.m.idx('table', c.next()); // 1.0 syntax: a bare table index
      }
      mode = { kind: 'active', table, offset: this.offset(c) };
    } else {
      mode = { kind: 'passive' };
    }
    const active = mode.kind === 'active';
    const init = this.elemList(c, undefined, active);
    const type = init.type ?? { nullable: false, heap: 'func' as const };
    const e: Elem = {
      type: init.kind === 'funcs' ? { nullable: false, heap: 'func' } : type,
      init: init.kind === 'funcs' ? { kind: 'funcs', indices: init.indices } : { kind: 'exprs', exprs: init.exprs },
      mode,
    };
    this.out.elems.push(e);
  }

  private isRefTypeList(s: SExpr): boolean {
    return s.kind === 'list' && headOf(s) === 'ref';
  }

  private dataString(c: Cur): Uint8Array {
    const parts: Uint8Array[] = [];
    while (!c.atEnd()) parts.push(stringBytes(c.next()));
    const w = new Writer();
    for (const p of parts) w.bytes(p);
    return w.finish().slice();
  }

  private data(c: Cur): void {
    c.optId();
    let mode: Data['mode'] = { kind: 'passive' };
    if (c.isList('memory') || c.peek()?.kind === 'list' || c.isIdx() && c.peek(1)?.kind === 'list') {
      let memory = 0;
      if (c.isList('memory')) {
        const t = new Cur(c.next() as List, 1);
        memory = this.m.idx('memory', t.next());
        t.done();
      } else if (c.isIdx()) {
        memory = this.m.idx('memory', c.next());
      }
      mode = { kind: 'active', memory, offset: this.offset(c) };
    }
    this.out.datas.push(dataOf(this.dataString(c), mode));
  }

  // --- custom sections from `(@custom "name" (place)? "bytes"*)` annotations ---

  private customs(): void {
    for (const a of this.list.annotations ?? []) {
      if (headOf(a) !== '@custom') continue;
      // A malformed annotation is dropped: annotations must never make a module malformed.
      try {
        this.custom(a);
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
      }
    }
  }

  private custom(a: List): void {
    {
      const c = new Cur(a, 1);
      const name = nameString(c.next());
      let after = -1;
      if (c.isList('before', 'after')) {
        const p = new Cur(c.next() as List, 0);
        const where = p.atom().text;
        const sec = p.atom();
        p.done();
        const id = SECTION_IDS[sec.text];
        if (id === undefined && sec.text !== 'first' && sec.text !== 'last') fail('malformed custom section placement', sec);
        if (sec.text === 'first') after = 0;
        else if (sec.text === 'last') after = -1;
        else after = where === 'after' ? id : precedingSection(id);
      }
      const bytes = this.dataString(c);
      const cs: CustomSection = { name, bytes, after: after < 0 ? SectionIdLast : after };
      this.out.customs.push(cs);
    }
  }
}

function funcsInit(indices: number[]): ElemInit & { type?: RefType } {
  return { kind: 'funcs', indices };
}

/** `i32.const n` / `i64.const n` followed by `end`. */
function constExpr(addr: AddrType, n: number): Expr {
  const w = new Writer();
  w.u8(addr === 'i64' ? 0x42 : 0x41);
  w.s32(n);
  w.u8(0x0b);
  return exprOf(w.finish().slice());
}

const SECTION_IDS: Record<string, number> = {
  type: 1, import: 2, func: 3, table: 4, memory: 5, global: 6, export: 7, start: 8, elem: 9,
  code: 10, data: 11, datacount: 12, tag: 13,
};
/** Data is the last section in binary order. */
const SectionIdLast = 11;

/** The section a custom section placed `before` section `id` must follow, in binary order. */
function precedingSection(id: number): number {
  // Binary order: type import func table memory tag global export start elem datacount code data.
  const order = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
  const k = order.indexOf(id);
  return k <= 0 ? 0 : order[k - 1];
}
