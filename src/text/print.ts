// wasm2wat: prints a Module in the text format (spec §6), flat (non-folded) instructions and
// numeric indices, so that parseWat(printModule(m)) encodes to the same bytes as m (custom
// sections aside). Names from the name section become `$id`s on definitions only where they
// are valid, unique ids; every reference stays numeric, so a name can never change meaning.

import { bytesOf, type Expr, type Module, type NameSection } from '../ast/module.js';
import type {
  CompType, FieldType, HeapType, Limits, RefType, StorageType, SubType, ValType,
} from '../ast/types.js';
import type { BlockType, Instr, MemArg } from '../ast/instr.js';
import { Reader } from '../binary/reader.js';
import { readInstr } from '../binary/instr.js';

/** Deepest indentation printed: deeply nested code (e.g. Go's dispatch loops) would otherwise grow quadratically. */
const MAX_INDENT = 8;

export function printModule(m: Module): string {
  return new Printer(m).module();
}

/** Prints one instruction (flat form, no trailing newline). */
export function printInstr(i: Instr): string {
  return instrText(i);
}

// --- Lexical helpers ---

const ID_CHARS = /^[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+$/;

/** A string literal: printable ASCII as is, everything else as `\hh` escapes of its bytes. */
export function quoteBytes(bytes: Uint8Array): string {
  let s = '"';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) s += String.fromCharCode(b);
    else s += '\\' + (b < 16 ? '0' : '') + b.toString(16);
  }
  return s + '"';
}

const utf8 = new TextEncoder();

export function quoteString(s: string): string {
  // Plain ASCII names are the common case; skip the encoder for them.
  if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return `"${s}"`;
  return quoteBytes(utf8.encode(s));
}

const ABS_SHORTHAND: Record<string, string> = {
  func: 'funcref', nofunc: 'nullfuncref', extern: 'externref', noextern: 'nullexternref',
  any: 'anyref', eq: 'eqref', i31: 'i31ref', struct: 'structref', array: 'arrayref', none: 'nullref',
  exn: 'exnref', noexn: 'nullexnref',
};

function heapText(h: HeapType): string {
  return typeof h === 'number' ? String(h) : h;
}

export function refTypeText(t: RefType): string {
  if (t.nullable && typeof t.heap === 'string') return ABS_SHORTHAND[t.heap];
  return `(ref ${t.nullable ? 'null ' : ''}${heapText(t.heap)})`;
}

export function valTypeText(t: StorageType): string {
  return typeof t === 'string' ? t : refTypeText(t);
}

function fieldTypeText(f: FieldType): string {
  return f.mutable ? `(mut ${valTypeText(f.storage)})` : valTypeText(f.storage);
}

/** A u64 held in a number: values from 2^53 up are inexact, and 2^64-1 rounds up to 2^64. */
function u64Text(n: number): string {
  return n >= 2 ** 64 ? '18446744073709551615' : BigInt(n).toString();
}

function limitsText(l: Limits): string {
  return l.max === undefined ? u64Text(l.min) : `${u64Text(l.min)} ${u64Text(l.max)}`;
}

function hex(n: number | bigint, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}

/**
 * An exact float literal from its bit pattern: hex float for finite values (always exact),
 * `nan:0x...` for NaNs other than the canonical one.
 */
function floatText(bits: bigint, mantBits: number, expBits: number): string {
  const mantMask = (1n << BigInt(mantBits)) - 1n;
  const expMask = (1n << BigInt(expBits)) - 1n;
  const sign = (bits >> BigInt(mantBits + expBits)) & 1n ? '-' : '';
  const exp = Number((bits >> BigInt(mantBits)) & expMask);
  const mant = bits & mantMask;
  if (exp === Number(expMask)) {
    if (mant === 0n) return sign + 'inf';
    if (mant === 1n << BigInt(mantBits - 1)) return sign + 'nan';
    return `${sign}nan:0x${mant.toString(16)}`;
  }
  if (exp === 0 && mant === 0n) return sign + '0x0p+0';
  const bias = (1 << (expBits - 1)) - 1;
  // Left-align the mantissa on a hex digit boundary (23 -> 24 bits, 52 -> 52 bits).
  const pad = (4 - (mantBits % 4)) % 4;
  let digits = hex(mant << BigInt(pad), (mantBits + pad) / 4).replace(/0+$/, '');
  const lead = exp === 0 ? '0' : '1';
  const e = exp === 0 ? 1 - bias : exp - bias;
  return `${sign}0x${lead}${digits ? '.' + digits : ''}p${e < 0 ? '-' : '+'}${Math.abs(e)}`;
}

const f32View = new DataView(new ArrayBuffer(8));

export function f32Text(bits: number): string {
  const s = floatText(BigInt(bits >>> 0), 23, 8);
  if (s.startsWith('0x') || s.startsWith('-0x')) {
    f32View.setUint32(0, bits >>> 0);
    const v = f32View.getFloat32(0);
    if (v !== 0) return `${s} (;=${v};)`;
  }
  return s;
}

export function f64Text(bits: bigint): string {
  const s = floatText(BigInt.asUintN(64, bits), 52, 11);
  if (s.startsWith('0x') || s.startsWith('-0x')) {
    f32View.setBigUint64(0, BigInt.asUintN(64, bits));
    const v = f32View.getFloat64(0);
    if (v !== 0) return `${s} (;=${v};)`;
  }
  return s;
}

function blockTypeText(bt: BlockType | undefined): string {
  if (!bt || bt.kind === 'empty') return '';
  if (bt.kind === 'value') return ` (result ${valTypeText(bt.type)})`;
  return ` (type ${bt.index})`;
}

function memArgText(op: { align?: number }, ma: MemArg): string {
  let s = ma.memory !== 0 ? ` ${ma.memory}` : '';
  if (ma.offset !== 0) s += ` offset=${u64Text(ma.offset)}`;
  if (ma.align !== op.align) s += ` align=${2 ** ma.align}`;
  return s;
}

/** Text of one instruction with its immediates (flat form). */
function instrText(i: Instr): string {
  const op = i.op;
  const name = op.name;
  switch (op.imm) {
    case 'none':
    case 'zero_byte':
      return name;
    case 'blocktype':
      return name + blockTypeText(i.blockType);
    case 'label':
    case 'func':
    case 'type':
    case 'local':
    case 'global':
    case 'table':
    case 'data':
    case 'elem':
    case 'tag':
      return `${name} ${i.index}`;
    case 'memory':
      return i.index ? `${name} ${i.index}` : name;
    case 'br_table':
      return `${name} ${i.labels!.join(' ')}`;
    case 'call_indirect':
      return `${name}${i.index2 ? ' ' + i.index2 : ''} (type ${i.index})`;
    case 'select_t':
      return `${name} (result${i.types!.map((t) => ' ' + valTypeText(t)).join('')})`;
    case 'memarg':
      return name + memArgText(op, i.memarg!);
    case 'memarg_lane':
      return `${name}${memArgText(op, i.memarg!)} ${i.lane}`;
    case 'i32':
      return `${name} ${i.i32! | 0}`;
    case 'i64':
      return `${name} ${BigInt.asIntN(64, i.i64!)}`;
    case 'f32':
      return `${name} ${f32Text(i.f32Bits!)}`;
    case 'f64':
      return `${name} ${f64Text(i.f64Bits!)}`;
    case 'v128': {
      const b = i.bytes!;
      let s = `${name} i32x4`;
      for (let k = 0; k < 16; k += 4) {
        const w = (b[k] | (b[k + 1] << 8) | (b[k + 2] << 16) | (b[k + 3] << 24)) >>> 0;
        s += ' 0x' + hex(w, 8);
      }
      return s;
    }
    case 'shuffle':
      return `${name} ${Array.from(i.bytes!).join(' ')}`;
    case 'lane':
      return `${name} ${i.lane}`;
    case 'memory_copy':
    case 'table_copy':
      return i.index || i.index2 ? `${name} ${i.index} ${i.index2}` : name;
    case 'memory_init':
    case 'table_init':
      // Text order is `memory.init memidx? dataidx`, `table.init tableidx? elemidx`.
      return i.index2 ? `${name} ${i.index2} ${i.index}` : `${name} ${i.index}`;
    case 'heaptype':
      if (name === 'ref.null') return `${name} ${heapText(i.heapType!)}`;
      return `${name} ${refTypeText({ nullable: !!op.nullable, heap: i.heapType! })}`;
    case 'type_field':
    case 'type_u32':
    case 'type_data':
    case 'type_elem':
    case 'type_type':
      return `${name} ${i.index} ${i.index2}`;
    case 'br_on_cast':
      return `${name} ${i.index} ${refTypeText(i.refType1!)} ${refTypeText(i.refType2!)}`;
    case 'try_table': {
      let s = name + blockTypeText(i.blockType);
      for (const c of i.catches!) {
        s += c.tag === undefined || c.kind === 'catch_all' || c.kind === 'catch_all_ref'
          ? ` (${c.kind} ${c.label})`
          : ` (${c.kind} ${c.tag} ${c.label})`;
      }
      return s;
    }
    default:
      throw new Error(`printer: unhandled immediate kind ${op.imm as string}`);
  }
}

/** Opcodes that open a block (their `end`, or `delegate`, closes it). */
function opensBlock(name: string): boolean {
  return name === 'block' || name === 'loop' || name === 'if' || name === 'try' || name === 'try_table';
}

class Printer {
  private out: string[] = [];
  private readonly names: NameSection | undefined;
  private indents: string[] = [];

  constructor(private readonly m: Module) {
    this.names = m.names;
    for (let d = 0; d <= MAX_INDENT + 2; d++) this.indents.push('  '.repeat(d));
  }

  private line(depth: number, text: string): void {
    this.out.push(this.indents[Math.max(0, Math.min(depth, MAX_INDENT + 2))] + text);
  }

  /** `$id (;n;)` for a definition: the id only when it is valid and unique in its index space. */
  private defIds(map: Map<number, string> | undefined): (i: number) => string {
    const usable = new Map<number, string>();
    if (map && map.size) {
      const seen = new Map<string, number>();
      for (const name of map.values()) seen.set(name, (seen.get(name) ?? 0) + 1);
      for (const [i, name] of map) if (seen.get(name) === 1 && ID_CHARS.test(name)) usable.set(i, '$' + name);
    }
    return (i) => {
      const id = usable.get(i);
      return id ? ` ${id} (;${i};)` : ` (;${i};)`;
    };
  }

  module(): string {
    const m = this.m;
    const n = this.names;
    this.out.push(n?.module !== undefined && ID_CHARS.test(n.module) ? `(module $${n.module}` : '(module');

    // Types, grouped by recursion group.
    const typeId = this.defIds(n?.types);
    let t = 0;
    for (const size of m.recGroups) {
      if (size === 1) {
        this.line(1, this.typeDef(t, m.types[t], typeId));
      } else {
        this.line(1, '(rec');
        for (let k = 0; k < size; k++) this.line(2, this.typeDef(t + k, m.types[t + k], typeId));
        this.out[this.out.length - 1] += ')';
        if (size === 0) this.out[this.out.length - 1] = this.indents[1] + '(rec)';
      }
      t += size;
    }

    const funcId = this.defIds(n?.funcs);
    const tableId = this.defIds(n?.tables);
    const memId = this.defIds(n?.memories);
    const globalId = this.defIds(n?.globals);
    const tagId = this.defIds(n?.tags);
    const counts = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
    for (const imp of m.imports) {
      const d = imp.desc;
      let desc: string;
      switch (d.kind) {
        case 'func': desc = `(func${funcId(counts.func++)} (type ${d.typeIdx}))`; break;
        case 'table': desc = `(table${tableId(counts.table++)} ${this.tableType(d.type)})`; break;
        case 'memory': desc = `(memory${memId(counts.memory++)} ${this.memType(d.type)})`; break;
        case 'global': desc = `(global${globalId(counts.global++)} ${this.globalType(d.type)})`; break;
        case 'tag': desc = `(tag${tagId(counts.tag++)} (type ${d.type.typeIdx}))`; break;
      }
      this.line(1, `(import ${quoteString(imp.module)} ${quoteString(imp.name)} ${desc})`);
    }

    for (const tab of m.tables) {
      const init = tab.init ? ' ' + this.constExpr(tab.init) : '';
      this.line(1, `(table${tableId(counts.table++)} ${this.tableType(tab.type)}${init})`);
    }
    for (const mem of m.memories) this.line(1, `(memory${memId(counts.memory++)} ${this.memType(mem)})`);
    for (const tag of m.tags) this.line(1, `(tag${tagId(counts.tag++)} (type ${tag.typeIdx}))`);
    for (const g of m.globals) {
      this.line(1, `(global${globalId(counts.global++)} ${this.globalType(g.type)} ${this.constExpr(g.init)})`);
    }
    for (const e of m.exports) this.line(1, `(export ${quoteString(e.name)} (${e.kind} ${e.index}))`);
    if (m.start !== undefined) this.line(1, `(start ${m.start})`);

    const elemId = this.defIds(n?.elems);
    m.elems.forEach((e, i) => {
      let s = `(elem${elemId(i)}`;
      if (e.mode.kind === 'declarative') s += ' declare';
      else if (e.mode.kind === 'active') s += ` (table ${e.mode.table}) (offset ${this.constExpr(e.mode.offset)})`;
      if (e.init.kind === 'funcs') {
        s += ' func';
        for (const f of e.init.indices) s += ' ' + f;
      } else {
        s += ' ' + refTypeText(e.type);
        for (const x of e.init.exprs) s += ` (item ${this.constExpr(x)})`;
      }
      this.line(1, s + ')');
    });

    // Functions come after the other fields only for readability; text order does not matter.
    const firstFunc = counts.func;
    m.funcs.forEach((f, i) => this.func(firstFunc + i, f, funcId));

    const dataId = this.defIds(n?.datas);
    m.datas.forEach((d, i) => {
      let s = `(data${dataId(i)}`;
      if (d.mode.kind === 'active') s += ` (memory ${d.mode.memory}) (offset ${this.constExpr(d.mode.offset)})`;
      this.line(1, `${s} ${quoteBytes(bytesOf(d))})`);
    });

    this.out.push(')');
    return this.out.join('\n') + '\n';
  }

  private typeDef(i: number, st: SubType, id: (i: number) => string): string {
    const comp = this.compType(st.comp);
    if (st.final && st.supertypes.length === 0) return `(type${id(i)} ${comp})`;
    const sups = st.supertypes.map((s) => ' ' + s).join('');
    return `(type${id(i)} (sub${st.final ? ' final' : ''}${sups} ${comp}))`;
  }

  private compType(c: CompType): string {
    switch (c.kind) {
      case 'func': {
        let s = '(func';
        if (c.params.length) s += ' (param' + c.params.map((p) => ' ' + valTypeText(p)).join('') + ')';
        if (c.results.length) s += ' (result' + c.results.map((p) => ' ' + valTypeText(p)).join('') + ')';
        return s + ')';
      }
      case 'struct':
        return '(struct' + c.fields.map((f) => ` (field ${fieldTypeText(f)})`).join('') + ')';
      case 'array':
        return `(array ${fieldTypeText(c.element)})`;
    }
  }

  private tableType(t: { limits: Limits; addr: string; elem: RefType }): string {
    return `${t.addr === 'i64' ? 'i64 ' : ''}${limitsText(t.limits)} ${refTypeText(t.elem)}`;
  }

  private memType(t: { limits: Limits; addr: string; shared: boolean }): string {
    return `${t.addr === 'i64' ? 'i64 ' : ''}${limitsText(t.limits)}${t.shared ? ' shared' : ''}`;
  }

  private globalType(g: { type: ValType; mutable: boolean }): string {
    return g.mutable ? `(mut ${valTypeText(g.type)})` : valTypeText(g.type);
  }

  /** A constant expression as a sequence of parenthesised plain instructions (no blocks occur). */
  private constExpr(e: Expr): string {
    const r = new Reader(e.source, e.start, e.end, e.offset < 0 ? 0 : e.offset - e.start);
    const parts: string[] = [];
    while (!r.atEnd()) {
      const ins = readInstr(r);
      if (ins.op.name === 'end' && r.atEnd()) break;
      parts.push(`(${instrText(ins)})`);
    }
    return parts.join(' ');
  }

  private func(index: number, f: Module['funcs'][number], id: (i: number) => string): void {
    this.line(1, `(func${id(index)} (type ${f.typeIdx})`);
    for (const l of f.locals) {
      this.line(2, `(local${(' ' + valTypeText(l.type)).repeat(l.count)})`);
    }
    const body = bytesOf(f.code);
    const r = new Reader(body, 0, body.length, f.code.offset < 0 ? 0 : f.code.offset);
    let depth = 2;
    while (!r.atEnd()) {
      const ins = readInstr(r);
      const name = ins.op.name;
      if (name === 'end') {
        if (r.atEnd() && depth === 2) break;
        depth--;
        this.line(depth, 'end');
      } else if (name === 'else' || name === 'catch' || name === 'catch_all') {
        this.line(depth - 1, instrText(ins));
      } else if (name === 'delegate') {
        depth--;
        this.line(depth, instrText(ins));
      } else {
        this.line(depth, instrText(ins));
        if (opensBlock(name)) depth++;
      }
    }
    this.out[this.out.length - 1] += ')';
  }
}
