// Binary encoding of instructions (spec §5.4): one instruction with its immediates at a time.
// Used by the printer and the text encoder; the validator and engine read code bytes themselves.
// skipExpr finds the end of a constant expression without allocating.

import { Reader } from './reader.js';
import type { Writer } from './writer.js';
import { lookupOpcode } from '../ast/opcodes.js';
import type { OpInfo } from '../ast/opcodes.js';
import type { BlockType, Catch, Instr, MemArg } from '../ast/instr.js';
import type { Expr } from '../ast/module.js';
import type { ValType } from '../ast/types.js';
import { readHeapType, readValType, readVecLength, refType, writeHeapType, writeValType } from './types.js';

const CATCH_KINDS: Catch['kind'][] = ['catch', 'catch_ref', 'catch_all', 'catch_all_ref'];

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Reads an opcode (with its prefix, if any) and returns its table entry. */
export function readOp(r: Reader): OpInfo {
  const at = r.pos;
  const b = r.u8();
  if (b >= 0xfb && b <= 0xfe) {
    const code = r.u32();
    const op = lookupOpcode(b, code);
    if (op === undefined) r.fail(`illegal opcode ${hex(b)} ${code}`, at);
    return op;
  }
  const op = lookupOpcode(0, b);
  if (op === undefined) r.fail(`illegal opcode ${hex(b)}`, at);
  return op;
}

/** blocktype ::= 0x40 | valtype | s33 type index (non-negative). */
export function readBlockType(r: Reader): BlockType {
  const at = r.pos;
  const b = r.peekU8();
  if (b === 0x40) {
    r.pos++;
    return EMPTY_BLOCK;
  }
  // A single byte in 0x40..0x7F is a negative s33: a value type.
  if ((b & 0xc0) === 0x40) return { kind: 'value', type: readValType(r) };
  const index = r.s33();
  if (index < 0) r.fail('malformed block type', at);
  return { kind: 'type', index };
}

const EMPTY_BLOCK: BlockType = { kind: 'empty' };

/** memarg ::= u32 flags (bit 6: a memory index follows) [u32 memidx] u64 offset. */
export function readMemArg(r: Reader): MemArg {
  const at = r.pos;
  const flags = r.u32();
  if (flags >= 0x80) r.fail('malformed memop flags', at);
  const memory = flags & 0x40 ? r.u32() : 0;
  const offset = r.u64();
  return { align: flags & ~0x40, offset, memory };
}

/**
 * Reads the immediates of `op` into `out`, or just skips them when `out` is null (skipExpr).
 * One function for both keeps the immediate grammar in a single place.
 */
function readImmediates(r: Reader, op: OpInfo, out: Instr | null): void {
  switch (op.imm) {
    case 'none':
      return;
    case 'blocktype': {
      const bt = readBlockType(r);
      if (out) out.blockType = bt;
      return;
    }
    case 'label': case 'func': case 'type': case 'local': case 'global': case 'table':
    case 'memory': case 'data': case 'elem': case 'tag': {
      const i = r.u32();
      if (out) out.index = i;
      return;
    }
    case 'br_table': {
      const n = readVecLength(r);
      if (!out) {
        for (let i = 0; i <= n; i++) r.u32();
        return;
      }
      const labels: number[] = new Array(n + 1);
      for (let i = 0; i <= n; i++) labels[i] = r.u32();
      out.labels = labels;
      return;
    }
    case 'call_indirect': case 'memory_copy': case 'memory_init': case 'table_copy': case 'table_init':
    case 'type_field': case 'type_u32': case 'type_data': case 'type_elem': case 'type_type': {
      const a = r.u32();
      const b = r.u32();
      if (out) {
        out.index = a;
        out.index2 = b;
      }
      return;
    }
    case 'select_t': {
      const n = readVecLength(r);
      const types: ValType[] = new Array(n);
      for (let i = 0; i < n; i++) types[i] = readValType(r);
      if (out) out.types = types;
      return;
    }
    case 'memarg': {
      const m = readMemArg(r);
      if (out) out.memarg = m;
      return;
    }
    case 'memarg_lane': {
      const m = readMemArg(r);
      const lane = r.u8();
      if (out) {
        out.memarg = m;
        out.lane = lane;
      }
      return;
    }
    case 'i32': {
      const v = r.s32();
      if (out) out.i32 = v;
      return;
    }
    case 'i64': {
      const v = r.s64();
      if (out) out.i64 = v;
      return;
    }
    case 'f32': {
      const v = r.f32Bits();
      if (out) out.f32Bits = v;
      return;
    }
    case 'f64': {
      if (!out) {
        r.bytesView(8);
        return;
      }
      out.f64Bits = r.f64Bits();
      return;
    }
    case 'v128': case 'shuffle': {
      const v = r.bytesView(16);
      if (out) out.bytes = v.slice();
      return;
    }
    case 'lane': {
      const lane = r.u8();
      if (out) out.lane = lane;
      return;
    }
    case 'heaptype': {
      const h = readHeapType(r);
      if (out) out.heapType = h;
      return;
    }
    case 'br_on_cast': {
      const at = r.pos;
      const flags = r.u8();
      if (flags > 3) r.fail('malformed cast flags', at);
      const label = r.u32();
      const h1 = readHeapType(r);
      const h2 = readHeapType(r);
      if (out) {
        out.index = label;
        out.refType1 = refType((flags & 1) !== 0, h1);
        out.refType2 = refType((flags & 2) !== 0, h2);
      }
      return;
    }
    case 'try_table': {
      const bt = readBlockType(r);
      const n = readVecLength(r);
      const catches: Catch[] = out ? new Array(n) : [];
      for (let i = 0; i < n; i++) {
        const at = r.pos;
        const k = r.u8();
        if (k > 3) r.fail('malformed catch clause', at);
        const tag = k < 2 ? r.u32() : undefined;
        const label = r.u32();
        if (out) catches[i] = tag === undefined ? { kind: CATCH_KINDS[k], label } : { kind: CATCH_KINDS[k], tag, label };
      }
      if (out) {
        out.blockType = bt;
        out.catches = catches;
      }
      return;
    }
    case 'zero_byte': {
      const at = r.pos;
      if (r.u8() !== 0) r.fail('zero byte expected', at);
      return;
    }
  }
}

/** Decodes one instruction. */
export function readInstr(r: Reader): Instr {
  const op = readOp(r);
  const instr: Instr = { op };
  readImmediates(r, op, instr);
  return instr;
}

/**
 * Advances past an expression: scans instructions, tracking block nesting, up to and including
 * the `end` that closes depth 0. Allocates nothing (used for constant expressions).
 */
export function skipExpr(r: Reader): void {
  let depth = 0;
  for (;;) {
    if (r.pos >= r.end) r.fail('unexpected end of section or function');
    const b = r.bytes[r.pos];
    // Fast path for the common constant-expression opcodes.
    if (b === 0x0b) {
      r.pos++;
      if (depth === 0) return;
      depth--;
      continue;
    }
    const op = readOp(r);
    readImmediates(r, op, null);
    if (op.prefix === 0) {
      const c = op.code;
      if (c === 0x02 || c === 0x03 || c === 0x04 || c === 0x06 || c === 0x1f) depth++;
      // Legacy `delegate` closes its `try` in place of `end`.
      else if (c === 0x18) {
        if (depth === 0) r.fail('END opcode expected', r.pos);
        depth--;
      }
    }
  }
}

/**
 * All instructions of an expression, in order, without the final `end` that closes it
 * (nested blocks' `end`, `else`, `catch`... are included).
 */
export function readExpr(expr: Expr): Instr[] {
  const r = new Reader(expr.source, expr.start, expr.end, expr.offset < 0 ? 0 : expr.offset - expr.start);
  const out: Instr[] = [];
  let depth = 0;
  for (;;) {
    if (r.atEnd()) r.fail('END opcode expected');
    const instr = readInstr(r);
    const op = instr.op;
    if (op.prefix === 0) {
      const c = op.code;
      if (c === 0x0b) {
        if (depth === 0) {
          if (!r.atEnd()) r.fail('section size mismatch');
          return out;
        }
        depth--;
      } else if (c === 0x02 || c === 0x03 || c === 0x04 || c === 0x06 || c === 0x1f) depth++;
      else if (c === 0x18 && depth > 0) depth--;
    }
    out.push(instr);
  }
}

// ---------------------------------------------------------------- writing

export function writeBlockType(w: Writer, bt: BlockType): void {
  if (bt.kind === 'empty') w.u8(0x40);
  else if (bt.kind === 'value') writeValType(w, bt.type);
  else w.s64(bt.index);
}

export function writeMemArg(w: Writer, m: MemArg): void {
  if (m.memory !== 0) {
    w.u32(m.align | 0x40);
    w.u32(m.memory);
  } else {
    w.u32(m.align);
  }
  // Offsets near 2^64 are rounded as numbers (to 2^64 itself): clamp to the largest u64.
  w.u64(m.offset >= 2 ** 64 ? 2n ** 64n - 1n : m.offset);
}

function need<T>(v: T | undefined, what: string, op: OpInfo): T {
  if (v === undefined) throw new Error(`writeInstr: ${op.name} lacks its ${what} immediate`);
  return v;
}

/** Encodes one instruction: opcode (op.prefix/op.code picks the encoding) and immediates. */
export function writeInstr(w: Writer, i: Instr): void {
  const op = i.op;
  if (op.prefix !== 0) {
    w.u8(op.prefix);
    w.u32(op.code);
  } else {
    w.u8(op.code);
  }
  switch (op.imm) {
    case 'none':
      return;
    case 'blocktype':
      writeBlockType(w, need(i.blockType, 'blocktype', op));
      return;
    case 'label': case 'func': case 'type': case 'local': case 'global': case 'table':
    case 'memory': case 'data': case 'elem': case 'tag':
      w.u32(need(i.index, 'index', op));
      return;
    case 'br_table': {
      const labels = need(i.labels, 'labels', op);
      w.u32(labels.length - 1);
      for (const l of labels) w.u32(l);
      return;
    }
    case 'call_indirect': case 'memory_copy': case 'memory_init': case 'table_copy': case 'table_init':
    case 'type_field': case 'type_u32': case 'type_data': case 'type_elem': case 'type_type':
      w.u32(need(i.index, 'index', op));
      w.u32(need(i.index2, 'index2', op));
      return;
    case 'select_t': {
      const ts = need(i.types, 'types', op);
      w.u32(ts.length);
      for (const t of ts) writeValType(w, t);
      return;
    }
    case 'memarg':
      writeMemArg(w, need(i.memarg, 'memarg', op));
      return;
    case 'memarg_lane':
      writeMemArg(w, need(i.memarg, 'memarg', op));
      w.u8(need(i.lane, 'lane', op));
      return;
    case 'i32':
      w.s32(need(i.i32, 'i32', op));
      return;
    case 'i64':
      w.s64(need(i.i64, 'i64', op));
      return;
    case 'f32':
      w.u32le(need(i.f32Bits, 'f32', op));
      return;
    case 'f64':
      w.u64le(need(i.f64Bits, 'f64', op));
      return;
    case 'v128': case 'shuffle': {
      const b = need(i.bytes, 'bytes', op);
      if (b.length !== 16) throw new Error(`writeInstr: ${op.name} needs 16 bytes`);
      w.bytes(b);
      return;
    }
    case 'lane':
      w.u8(need(i.lane, 'lane', op));
      return;
    case 'heaptype':
      writeHeapType(w, need(i.heapType, 'heaptype', op));
      return;
    case 'br_on_cast': {
      const t1 = need(i.refType1, 'refType1', op);
      const t2 = need(i.refType2, 'refType2', op);
      w.u8((t1.nullable ? 1 : 0) | (t2.nullable ? 2 : 0));
      w.u32(need(i.index, 'label', op));
      writeHeapType(w, t1.heap);
      writeHeapType(w, t2.heap);
      return;
    }
    case 'try_table': {
      writeBlockType(w, need(i.blockType, 'blocktype', op));
      const cs = need(i.catches, 'catches', op);
      w.u32(cs.length);
      for (const c of cs) {
        const k = CATCH_KINDS.indexOf(c.kind);
        w.u8(k);
        if (k < 2) w.u32(need(c.tag, 'catch tag', op));
        w.u32(c.label);
      }
      return;
    }
    case 'zero_byte':
      w.u8(0);
      return;
  }
}
