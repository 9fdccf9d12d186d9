// Text-format instructions (spec §6.5), plain and folded, encoded straight to binary with
// writeInstr. Label and local identifiers are resolved here; module-level ones through ModCtx.

import type { BlockType, Catch, Instr, MemArg } from '../ast/instr.js';
import { exprOf, type Expr } from '../ast/module.js';
import { BY_NAME, OPCODES, type OpInfo } from '../ast/opcodes.js';
import type { RefType, ValType } from '../ast/types.js';
import { writeInstr } from '../binary/instr.js';
import { Writer } from '../binary/writer.js';
import type { Atom, List, SExpr } from './sexpr.js';
import { parseF32, parseF64 } from './numbers.js';
import {
  Cur, fail, headOf, idKey, intLiteral, natValue, u32Literal, type ModCtx,
} from './module-context.js';

const END = BY_NAME.get('end')!;
const ELSE = BY_NAME.get('else')!;
const CATCH = BY_NAME.get('catch')!;
const CATCH_ALL = BY_NAME.get('catch_all')!;
const DELEGATE = BY_NAME.get('delegate')!;
const SELECT = BY_NAME.get('select')!;
const SELECT_T = OPCODES.find((o) => o.imm === 'select_t')!;
const REF_TEST = OPCODES.filter((o) => o.name === 'ref.test');
const REF_CAST = OPCODES.filter((o) => o.name === 'ref.cast');

/** Keywords that end an instruction sequence; valid only where a structured instruction expects them. */
const TERMINATORS = new Set(['end', 'else', 'catch', 'catch_all', 'delegate']);
/** Parts of a function header, out of place among instructions. */
const FIELD_PARTS = new Set(['local', 'param', 'result', 'type', 'export', 'import']);
const BLOCKS = new Set(['block', 'loop', 'if', 'try', 'try_table']);

const SHAPES: Record<string, [number, number]> = {
  // lane count, lane bits
  i8x16: [16, 8], i16x8: [8, 16], i32x4: [4, 32], i64x2: [2, 64], f32x4: [4, 32], f64x2: [2, 64],
};

/** Encodes the instructions of one function body or constant expression. */
export class InstrParser {
  readonly w = new Writer();
  /** Label identifiers, innermost last (undefined for unnamed labels). */
  private readonly labels: (string | undefined)[] = [];

  constructor(readonly m: ModCtx, readonly locals: Map<string, number> = new Map()) {}

  /** Parses `instr*` up to the end of the cursor and returns the expression with its final `end`. */
  static expr(m: ModCtx, c: Cur, locals?: Map<string, number>): Expr {
    const p = new InstrParser(m, locals);
    p.seq(c, undefined);
    p.w.u8(0x0b);
    return exprOf(p.w.finish().slice());
  }

  private emit(i: Instr): void {
    writeInstr(this.w, i);
  }

  /** Plain and folded instructions until the cursor ends or (when allowed) a terminator keyword. */
  seq(c: Cur, stops: readonly string[] | undefined): void {
    while (!c.atEnd()) {
      const s = c.peek()!;
      if (s.kind === 'list') {
        c.i++;
        this.folded(s);
        continue;
      }
      if (s.token === 'keyword' && TERMINATORS.has(s.text)) {
        if (stops?.includes(s.text)) return;
        fail('unexpected token', s);
      }
      this.plain(c);
    }
    if (stops !== undefined) fail(`unexpected end of list, expected ${stops.join(' or ')}`, c.list.pos);
  }

  // --- labels ---

  private pushLabel(id: Atom | undefined): void {
    this.labels.push(id === undefined ? undefined : idKey(id));
  }

  /** Optional trailing `$id` after `end`/`else`/`catch`...: must repeat the block's label. */
  private trailingLabel(c: Cur): void {
    const id = c.optId();
    if (id === undefined) return;
    const own = this.labels[this.labels.length - 1];
    if (own === undefined || own !== idKey(id)) fail('mismatching label', id);
  }

  private label(a: SExpr): number {
    if (a.kind === 'atom' && a.token === 'id') {
      const k = idKey(a);
      const at = this.labels.lastIndexOf(k);
      if (at < 0) fail(`unknown label ${a.text}`, a);
      return this.labels.length - 1 - at;
    }
    return u32Literal(a);
  }

  private local(a: SExpr): number {
    if (a.kind === 'atom' && a.token === 'id') {
      const n = this.locals.get(idKey(a));
      if (n === undefined) fail(`unknown local ${a.text}`, a);
      return n;
    }
    return u32Literal(a);
  }

  // --- block types ---

  /** `(type x)? (param t*)* (result t*)*` of a block, simplified to the binary's short forms. */
  private blockType(c: Cur): BlockType {
    if (!c.isList('type', 'param', 'result')) return { kind: 'empty' };
    if (!c.isList('type')) {
      const save = c.i;
      const { params, results } = this.m.paramsResults(c);
      if (c.isList('type', 'param')) fail('unexpected token', c.peek()!);
      if (params.length === 0 && results.length === 0) return { kind: 'empty' };
      if (params.length === 0 && results.length === 1) return { kind: 'value', type: results[0] };
      c.i = save;
    }
    return { kind: 'type', index: this.m.typeUse(c) };
  }

  // --- structured instructions ---

  private structuredPlain(kw: Atom, c: Cur): void {
    const name = kw.text;
    const id = c.optId();
    if (name === 'try_table') {
      const bt = this.blockType(c);
      const catches = this.catches(c);
      this.pushLabel(id);
      this.emit({ op: BY_NAME.get('try_table')!, blockType: bt, catches });
      this.seq(c, ['end']);
    } else if (name === 'try') {
      const bt = this.blockType(c);
      this.pushLabel(id);
      this.emit({ op: BY_NAME.get('try')!, blockType: bt });
      this.seq(c, ['catch', 'catch_all', 'delegate', 'end']);
      if (c.isKw('delegate')) {
        c.next();
        this.labels.pop();
        this.emit({ op: DELEGATE, index: this.label(c.next()) });
        return;
      }
      while (c.isKw('catch')) {
        c.next();
        if (c.isIdx(1)) this.trailingLabel(c);
        this.emit({ op: CATCH, index: this.m.idx('tag', c.next()) });
        this.seq(c, ['catch', 'catch_all', 'end']);
      }
      if (c.isKw('catch_all')) {
        c.next();
        this.trailingLabel(c);
        this.emit({ op: CATCH_ALL });
        this.seq(c, ['end']);
      }
    } else {
      const bt = this.blockType(c);
      this.pushLabel(id);
      this.emit({ op: BY_NAME.get(name)!, blockType: bt });
      if (name === 'if') {
        this.seq(c, ['else', 'end']);
        if (c.eatKw('else')) {
          this.trailingLabel(c);
          this.emit({ op: ELSE });
          this.seq(c, ['end']);
        }
      } else {
        this.seq(c, ['end']);
      }
    }
    c.expectKw('end');
    this.trailingLabel(c);
    this.labels.pop();
    this.emit({ op: END });
  }

  private catches(c: Cur): Catch[] {
    const out: Catch[] = [];
    while (c.isList('catch', 'catch_ref', 'catch_all', 'catch_all_ref')) {
      const l = c.next() as List;
      const kind = headOf(l) as Catch['kind'];
      const cc = new Cur(l, 1);
      const tag = kind === 'catch' || kind === 'catch_ref' ? this.m.idx('tag', cc.next()) : undefined;
      const label = this.label(cc.next());
      cc.done();
      out.push(tag === undefined ? { kind, label } : { kind, tag, label });
    }
    return out;
  }

  private folded(l: List): void {
    const head = l.items[0];
    if (head === undefined || head.kind !== 'atom' || head.token !== 'keyword') fail('unexpected token', head ?? l);
    const c = new Cur(l, 1);
    if (!BLOCKS.has(head.text)) {
      if (TERMINATORS.has(head.text) || FIELD_PARTS.has(head.text)) fail('unexpected token', head);
      const i = this.plainInstr(head, c);
      while (!c.atEnd()) {
        const s = c.next();
        if (s.kind !== 'list') fail('unexpected token', s);
        this.folded(s);
      }
      this.emit(i);
      return;
    }
    const id = c.optId();
    switch (head.text) {
      case 'block':
      case 'loop': {
        const bt = this.blockType(c);
        this.pushLabel(id);
        this.emit({ op: BY_NAME.get(head.text)!, blockType: bt });
        this.seq(c, undefined);
        break;
      }
      case 'if': {
        const bt = this.blockType(c);
        // The condition operands come before `then`, outside the block.
        while (!c.atEnd() && !c.isList('then')) {
          const s = c.next();
          if (s.kind !== 'list' || headOf(s) === 'else') fail('unexpected token', s);
          this.folded(s);
        }
        if (!c.isList('then')) fail('expected (then ...)', c.pos());
        this.pushLabel(id);
        this.emit({ op: BY_NAME.get('if')!, blockType: bt });
        this.seq(new Cur(c.next() as List, 1), undefined);
        if (c.isList('else')) {
          this.emit({ op: ELSE });
          this.seq(new Cur(c.next() as List, 1), undefined);
        }
        c.done();
        break;
      }
      case 'try_table': {
        const bt = this.blockType(c);
        const catches = this.catches(c);
        this.pushLabel(id);
        this.emit({ op: BY_NAME.get('try_table')!, blockType: bt, catches });
        this.seq(c, undefined);
        break;
      }
      case 'try': {
        const bt = this.blockType(c);
        this.pushLabel(id);
        this.emit({ op: BY_NAME.get('try')!, blockType: bt });
        if (!c.isList('do')) fail('expected (do ...)', c.pos());
        this.seq(new Cur(c.next() as List, 1), undefined);
        if (c.isList('delegate')) {
          const d = new Cur(c.next() as List, 1);
          this.labels.pop();
          this.emit({ op: DELEGATE, index: this.label(d.next()) });
          d.done();
          c.done();
          return;
        }
        while (c.isList('catch')) {
          const cc = new Cur(c.next() as List, 1);
          this.emit({ op: CATCH, index: this.m.idx('tag', cc.next()) });
          this.seq(cc, undefined);
        }
        if (c.isList('catch_all')) {
          this.emit({ op: CATCH_ALL });
          this.seq(new Cur(c.next() as List, 1), undefined);
        }
        c.done();
        break;
      }
    }
    this.labels.pop();
    this.emit({ op: END });
  }

  private plain(c: Cur): void {
    const kw = c.atom();
    if (kw.token !== 'keyword') fail(kw.token === 'id' || kw.token === 'num' || kw.token === 'string' ? 'unexpected token' : 'unknown operator', kw);
    if (BLOCKS.has(kw.text)) {
      this.structuredPlain(kw, c);
      return;
    }
    this.emit(this.plainInstr(kw, c));
  }

  // --- plain instructions with their immediates ---

  /** Parses the immediates of the plain instruction named by `kw` from `c`. */
  private plainInstr(kw: Atom, c: Cur): Instr {
    const op = BY_NAME.get(kw.text);
    if (op === undefined || BLOCKS.has(kw.text) || TERMINATORS.has(kw.text)) fail(`unknown operator ${kw.text}`, kw);
    const m = this.m;
    switch (op.imm) {
      case 'none':
        if (op === SELECT && c.isList('result')) {
          const types: ValType[] = [];
          while (c.isList('result')) {
            const r = new Cur(c.next() as List, 1);
            while (!r.atEnd()) types.push(m.valType(r.next()));
          }
          return { op: SELECT_T, types };
        }
        return { op };
      case 'label':
        return { op, index: this.label(c.next()) };
      case 'br_table': {
        const labels = [this.label(c.next())];
        while (c.isIdx()) labels.push(this.label(c.next()));
        return { op, labels };
      }
      case 'func':
        return { op, index: m.idx('func', c.next()) };
      case 'local':
        return { op, index: this.local(c.next()) };
      case 'global':
        return { op, index: m.idx('global', c.next()) };
      case 'tag':
        return { op, index: m.idx('tag', c.next()) };
      case 'data':
        return { op, index: m.idx('data', c.next()) };
      case 'elem':
        return { op, index: m.idx('elem', c.next()) };
      case 'type':
        return { op, index: m.idx('type', c.next()) };
      case 'table':
        return { op, index: c.isIdx() ? m.idx('table', c.next()) : 0 };
      case 'memory':
        return { op, index: c.isIdx() ? m.idx('memory', c.next()) : 0 };
      case 'call_indirect': {
        const table = c.isIdx() ? m.idx('table', c.next()) : 0;
        return { op, index: m.typeUse(c), index2: table };
      }
      case 'memory_copy':
      case 'table_copy': {
        const space = op.imm === 'memory_copy' ? 'memory' : 'table';
        if (!c.isIdx()) return { op, index: 0, index2: 0 };
        const dst = m.idx(space, c.next());
        return { op, index: dst, index2: m.idx(space, c.next()) };
      }
      case 'memory_init':
      case 'table_init': {
        const [space, seg] = op.imm === 'memory_init' ? ['memory', 'data'] as const : ['table', 'elem'] as const;
        if (c.isIdx(1)) {
          const x = m.idx(space, c.next());
          return { op, index: m.idx(seg, c.next()), index2: x };
        }
        return { op, index: m.idx(seg, c.next()), index2: 0 };
      }
      case 'memarg':
        return { op, memarg: this.memarg(c, op) };
      case 'memarg_lane': {
        // `memidx? memarg laneidx`: a leading index is the memory only if a lane index follows.
        let memory: number | undefined;
        if (c.isIdx()) {
          let k = 1;
          while (isMemargKw(c.peek(k))) k++;
          if (c.isIdx(k)) memory = m.idx('memory', c.next());
        }
        const memarg = this.memarg(c, op, memory ?? 0);
        return { op, memarg, lane: this.lane(c.next(), 255) };
      }
      case 'i32':
        return { op, i32: Number(intLiteral(c.next(), 32)) };
      case 'i64':
        return { op, i64: intLiteral(c.next(), 64) };
      case 'f32':
        return { op, f32Bits: parseF32(...floatText(c.next())) };
      case 'f64':
        return { op, f64Bits: parseF64(...floatText(c.next())) };
      case 'v128':
        return { op, bytes: this.v128(c) };
      case 'shuffle': {
        const bytes = new Uint8Array(16);
        for (let k = 0; k < 16; k++) {
          if (c.peek()?.kind !== 'atom' || (c.peek() as Atom).token !== 'num') fail('invalid lane length', c.pos());
          bytes[k] = this.lane(c.next(), 255, true);
        }
        if (c.peek()?.kind === 'atom' && (c.peek() as Atom).token === 'num') fail('invalid lane length', c.pos());
        return { op, bytes };
      }
      case 'lane':
        return { op, lane: this.lane(c.next(), 255) };
      case 'heaptype': {
        if (op.name === 'ref.null') return { op, heapType: m.heapType(c.next()) };
        const rt = m.refType(c.next());
        const ops = op.name === 'ref.test' ? REF_TEST : REF_CAST;
        return { op: ops.find((o) => o.nullable === rt.nullable)!, heapType: rt.heap };
      }
      case 'type_field': {
        const t = m.idx('type', c.next());
        return { op, index: t, index2: this.field(t, c.next()) };
      }
      case 'type_u32': {
        const t = m.idx('type', c.next());
        return { op, index: t, index2: u32Literal(c.next()) };
      }
      case 'type_data': {
        const t = m.idx('type', c.next());
        return { op, index: t, index2: m.idx('data', c.next()) };
      }
      case 'type_elem': {
        const t = m.idx('type', c.next());
        return { op, index: t, index2: m.idx('elem', c.next()) };
      }
      case 'type_type': {
        const t = m.idx('type', c.next());
        return { op, index: t, index2: m.idx('type', c.next()) };
      }
      case 'br_on_cast': {
        const label = this.label(c.next());
        const refType1: RefType = m.refType(c.next());
        const refType2: RefType = m.refType(c.next());
        return { op, index: label, refType1, refType2 };
      }
      case 'zero_byte':
        return { op };
      case 'blocktype':
      case 'select_t':
      case 'try_table':
        break;
    }
    fail(`unknown operator ${kw.text}`, kw);
  }

  private field(type: number, a: SExpr): number {
    if (a.kind === 'atom' && a.token === 'id') {
      const n = this.m.fieldIds.get(type)?.get(idKey(a));
      if (n === undefined) fail(`unknown field ${a.text}`, a);
      return n;
    }
    return u32Literal(a);
  }

  private lane(a: SExpr, max: number, shuffle = false): number {
    if (a.kind !== 'atom') fail('unexpected token', a);
    if (a.token !== 'num') fail(a.token === 'keyword' || a.token === 'reserved' ? 'unknown operator' : 'unexpected token', a);
    const v = natValue(a.text);
    if (v === undefined) {
      if (shuffle) fail(a.text.startsWith('-') ? 'i8 constant out of range' : 'malformed lane index', a);
      fail('unexpected token', a);
    }
    if (v > BigInt(max)) fail('i8 constant out of range', a);
    return Number(v);
  }

  private memarg(c: Cur, op: OpInfo, memory?: number): MemArg {
    if (memory === undefined) memory = c.isIdx() ? this.m.idx('memory', c.next()) : 0;
    let offset = 0;
    let align = op.align ?? 0;
    const o = c.peek();
    if (o?.kind === 'atom' && o.token === 'keyword' && o.text.startsWith('offset=')) {
      c.i++;
      const v = natValue(o.text.slice(7));
      if (v === undefined) fail('unknown operator', o);
      if (v >= 1n << 64n) fail('constant out of range', o);
      if (!this.m.features.memory64 && v >= 1n << 32n) fail('i32 constant out of range', o);
      offset = Number(v);
    }
    const a = c.peek();
    if (a?.kind === 'atom' && a.token === 'keyword' && a.text.startsWith('align=')) {
      c.i++;
      const v = natValue(a.text.slice(6));
      if (v === undefined) fail('unknown operator', a);
      if (v === 0n || (v & (v - 1n)) !== 0n) fail('alignment must be a power of two', a);
      if (v >= 1n << 64n) fail('constant out of range', a);
      align = v.toString(2).length - 1;
    }
    return { align, offset, memory };
  }

  private v128(c: Cur): Uint8Array {
    const shapeAtom = c.next();
    if (shapeAtom.kind !== 'atom' || !(shapeAtom.text in SHAPES)) fail('unexpected token', shapeAtom);
    const [n, bits] = SHAPES[shapeAtom.text];
    const bytes = new Uint8Array(16);
    const dv = new DataView(bytes.buffer);
    // The lane count is checked before the lanes' values.
    let count = 0;
    while ((c.peek(count) as Atom | undefined)?.token === 'num') count++;
    const after = c.peek(count);
    if (count < n && after?.kind === 'atom') fail('unknown operator', after);
    if (count !== n) fail('wrong number of lane literals', after ?? c.list.pos);
    for (let k = 0; k < n; k++) {
      const s = c.next() as Atom;
      if (shapeAtom.text === 'f32x4') dv.setUint32(k * 4, parseF32(s.text, s.pos), true);
      else if (shapeAtom.text === 'f64x2') dv.setBigUint64(k * 8, parseF64(s.text, s.pos), true);
      else {
        const v = intLiteral(s, bits);
        if (bits === 8) dv.setInt8(k, Number(v));
        else if (bits === 16) dv.setInt16(k * 2, Number(v), true);
        else if (bits === 32) dv.setInt32(k * 4, Number(v), true);
        else dv.setBigInt64(k * 8, v, true);
      }
    }
    return bytes;
  }
}

function isMemargKw(s: SExpr | undefined): boolean {
  return s?.kind === 'atom' && s.token === 'keyword' && (s.text.startsWith('offset=') || s.text.startsWith('align='));
}

function floatText(a: SExpr): [string, number] {
  if (a.kind !== 'atom' || a.token === 'id' || a.token === 'string') fail('unexpected token', a);
  if (a.token !== 'num') fail('unknown operator', a);
  return [a.text, a.pos];
}

