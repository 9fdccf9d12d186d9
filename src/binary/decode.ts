// Module decoder (spec §5.5). Decodes the module structure; function bodies and constant
// expressions stay as byte views (Expr) for the validator and engine to stream over, which is
// what keeps decoding a 14 MB module to tens of milliseconds (mostly spent allocating segments).

import { type Features, WASM_3_0 } from '../ast/features.js';
import { Reader } from './reader.js';
import { CompileError } from '../errors.js';
import { emptyModule, SectionId } from '../ast/module.js';
import type {
  CustomSection, Data, DataMode, Elem, ElemInit, ElemMode, Export, ExternKind, Expr, Func, Import,
  ImportDesc, LocalDecl, Module, Table,
} from '../ast/module.js';
import { funcref } from '../ast/types.js';
import type { RefType } from '../ast/types.js';
import {
  ConstOffsetData, ConstOffsetSection, SEGMENT, dataSegmentCount, lazyDatas, readConstOffsetSegment,
} from '../ast/data-segment.js';
import { skipExpr } from './instr.js';
import { decodeNameSection } from './names.js';
import {
  readGlobalType, readMemType, readName, readRecType, readRefType, readTableType, readTagType, readValType,
  readByteLength, readVecLength,
} from './types.js';

/** Position of each non-custom section id in the required order (spec §5.5.2), 0 = not a section. */
const SECTION_RANK: readonly number[] = (() => {
  const order = [
    SectionId.Type, SectionId.Import, SectionId.Function, SectionId.Table, SectionId.Memory,
    SectionId.Tag, SectionId.Global, SectionId.Export, SectionId.Start, SectionId.Element,
    SectionId.DataCount, SectionId.Code, SectionId.Data,
  ];
  const rank = new Array<number>(14).fill(0);
  order.forEach((id, i) => (rank[id] = i + 1));
  return rank;
})();

const EXTERN_KINDS: readonly ExternKind[] = ['func', 'table', 'memory', 'global', 'tag'];

/** Reads a constant expression, up to and including its `end`, as a view. */
function readConstExpr(r: Reader): Expr {
  const start = r.pos;
  const b = r.bytes;
  // Fast path for the usual `i32.const n end` offsets (a module may have 10^5 data segments).
  if (b[start] === 0x41 && start < r.end) {
    r.pos = start + 1;
    r.s32();
    if (r.pos < r.end && b[r.pos] === 0x0b) {
      r.pos++;
      return { source: b, start, end: r.pos, offset: r.base + start };
    }
    r.pos = start;
  }
  skipExpr(r);
  return { source: r.bytes, start, end: r.pos, offset: r.base + start };
}

function readTypeSection(r: Reader, m: Module): void {
  const n = readVecLength(r);
  for (let i = 0; i < n; i++) m.recGroups.push(readRecType(r, m.types));
}

function readImportSection(r: Reader, m: Module, memory64: boolean): void {
  const n = readVecLength(r);
  for (let i = 0; i < n; i++) {
    const module = readName(r);
    const name = readName(r);
    const at = r.pos;
    const kind = r.u8();
    let desc: ImportDesc;
    switch (kind) {
      case 0: desc = { kind: 'func', typeIdx: r.u32() }; break;
      case 1: desc = { kind: 'table', type: readTableType(r, memory64) }; break;
      case 2: desc = { kind: 'memory', type: readMemType(r, memory64) }; break;
      case 3: desc = { kind: 'global', type: readGlobalType(r) }; break;
      case 4: desc = { kind: 'tag', type: readTagType(r) }; break;
      default: r.fail('malformed import kind', at);
    }
    m.imports.push({ module, name, desc } satisfies Import);
  }
}

function readTableSection(r: Reader, m: Module, memory64: boolean): void {
  const n = readVecLength(r);
  for (let i = 0; i < n; i++) {
    let t: Table;
    if (r.peekU8() === 0x40) {
      // 3.0: 0x40 0x00 tabletype expr, a table with an explicit initialiser.
      r.pos++;
      const at = r.pos;
      if (r.u8() !== 0) r.fail('malformed table', at);
      const type = readTableType(r, memory64);
      t = { type, init: readConstExpr(r) };
    } else {
      t = { type: readTableType(r, memory64) };
    }
    m.tables.push(t);
  }
}

function readExportSection(r: Reader, m: Module): void {
  const n = readVecLength(r);
  for (let i = 0; i < n; i++) {
    const name = readName(r);
    const at = r.pos;
    const k = r.u8();
    if (k > 4) r.fail('malformed export kind', at);
    m.exports.push({ name, kind: EXTERN_KINDS[k], index: r.u32() } satisfies Export);
  }
}

function readFuncIndices(r: Reader): ElemInit {
  const n = readVecLength(r);
  const indices: number[] = new Array(n);
  for (let i = 0; i < n; i++) indices[i] = r.u32();
  return { kind: 'funcs', indices };
}

function readElemExprs(r: Reader): ElemInit {
  const n = readVecLength(r);
  const exprs: Expr[] = new Array(n);
  for (let i = 0; i < n; i++) exprs[i] = readConstExpr(r);
  return { kind: 'exprs', exprs };
}

/** In 3.0, segments of function indices have type (ref func): the indices cannot be null. */
const refFunc: RefType = { nullable: false, heap: 'func' };

/** elemkind ::= 0x00 (ref func), the only kind of the compact function-index forms. */
function readElemKind(r: Reader): RefType {
  const at = r.pos;
  if (r.u8() !== 0) r.fail('malformed element kind', at);
  return refFunc;
}

/**
 * elem ::= flags u32 0..7. Bit 0: passive or declarative (else active); bit 1: with bit 0
 * declarative, else an explicit table index; bit 2: expressions instead of function indices.
 */
function readElemSection(r: Reader, m: Module): void {
  const n = readVecLength(r);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 7) r.fail('malformed elements segment kind', at);
    let mode: ElemMode;
    let type: RefType;
    if (flags & 1) {
      mode = flags & 2 ? { kind: 'declarative' } : { kind: 'passive' };
      type = flags & 4 ? readRefType(r) : readElemKind(r);
    } else {
      const table = flags & 2 ? r.u32() : 0;
      mode = { kind: 'active', table, offset: readConstExpr(r) };
      if (flags & 2) type = flags & 4 ? readRefType(r) : readElemKind(r);
      else type = flags & 4 ? funcref : refFunc;
    }
    const init = flags & 4 ? readElemExprs(r) : readFuncIndices(r);
    m.elems.push({ type, init, mode } satisfies Elem);
  }
}

/** Locals of one function body; returns them and leaves `r` at the start of the code. */
function readLocals(r: Reader): LocalDecl[] {
  const n = readVecLength(r);
  const locals: LocalDecl[] = new Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const count = r.u32();
    total += count;
    if (total > 0xffffffff) r.fail('too many locals', at);
    locals[i] = { count, type: readValType(r) };
  }
  return locals;
}

/** Function bodies, kept as views; their count is checked against the function section at the end. */
function readCodeSection(r: Reader, m: Module, funcTypes: readonly number[]): number {
  const n = readVecLength(r);
  const limit = r.end;
  const bytes = r.bytes;
  for (let i = 0; i < n; i++) {
    const size = readByteLength(r);
    const end = r.pos + size;
    r.end = end;
    const locals = readLocals(r);
    const start = r.pos;
    if (start === end || bytes[end - 1] !== 0x0b) {
      // The body cannot end with its closing `end`: fail now, as the spec interpreter (which
      // reads on past the body) would: out of input, into the next section, or into the next body.
      const message = end === bytes.length ? 'unexpected end of section or function'
        : i === n - 1 ? 'section size mismatch' : 'END opcode expected';
      r.fail(message, end);
    }
    const code: Expr = { source: bytes, start, end, offset: r.base + start };
    m.funcs.push({ typeIdx: funcTypes[i] ?? 0, locals, code } satisfies Func);
    r.pos = end;
    r.end = limit;
  }
  return n;
}

function readDataSection(r: Reader, m: Module): void {
  const n = readVecLength(r);
  const b = r.bytes, first = r.pos;
  // Every segment of the common form (Go's modules): the section stays bytes.
  let p = first, k = 0;
  while (k < n && (p = readConstOffsetSegment(b, p, r.end)) >= 0) k++;
  if (n > 0 && k === n) {
    r.pos = p;
    lazyDatas(m, new ConstOffsetSection(b, first, p, n));
    return;
  }
  for (let i = 0; i < n; i++) {
    const next = readConstOffsetSegment(b, r.pos, r.end);
    if (next >= 0) {
      m.datas.push(new ConstOffsetData(b, SEGMENT.start, SEGMENT.end, SEGMENT.offsetStart));
      r.pos = next;
      continue;
    }
    const at = r.pos;
    const flags = r.u32();
    let mode: DataMode;
    switch (flags) {
      case 0: mode = { kind: 'active', memory: 0, offset: readConstExpr(r) }; break;
      case 1: mode = { kind: 'passive' }; break;
      case 2: {
        const memory = r.u32();
        mode = { kind: 'active', memory, offset: readConstExpr(r) };
        break;
      }
      default: r.fail('malformed data segment kind', at);
    }
    const len = r.u32();
    if (len > r.end - r.pos) r.fail('unexpected end');
    const start = r.pos;
    r.pos += len;
    m.datas.push({ source: r.bytes, start, end: r.pos, mode } satisfies Data);
  }
}

/** Decodes a binary module. Throws CompileError (with an absolute byte offset) when malformed. */
export function decodeModule(bytes: Uint8Array, features: Features = WASM_3_0): Module {
  // Views of subclasses (Node's Buffer) are several times slower to create than plain ones,
  // and the module holds one per function body and segment.
  if (bytes.constructor !== Uint8Array) bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new Reader(bytes);
  if (bytes.length < 4) r.fail('unexpected end', bytes.length);
  if (bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    r.fail('magic header not detected', 0);
  }
  if (bytes.length < 8) r.fail('unexpected end', bytes.length);
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) r.fail('unknown binary version', 4);
  r.pos = 8;
  try {
    return decodeSections(r, features.memory64);
  } catch (e) {
    // Past the header, running out of input is reported as the spec interpreter words it.
    if (e instanceof CompileError && e.message.startsWith('unexpected end') &&
        !e.message.startsWith('unexpected end of section or function')) {
      throw new CompileError('unexpected end of section or function', e.offset);
    }
    throw e;
  }
}

function decodeSections(r: Reader, memory64: boolean): Module {
  const m = emptyModule();
  const bytes = r.bytes;
  const total = bytes.length;
  let lastRank = 0;
  let lastId = 0;
  let funcTypes: number[] | undefined;
  let codeCount: number | undefined;

  while (r.pos < total) {
    const idAt = r.pos;
    const id = r.u8();
    if (id > 13) r.fail('malformed section id', idAt);
    const size = readByteLength(r);
    const start = r.pos;
    const end = start + size;
    if (id === SectionId.Custom) {
      r.end = end;
      const name = r.name();
      const content = bytes.subarray(r.pos, end);
      m.customs.push({ name, bytes: content, after: lastId } satisfies CustomSection);
      if (name === 'name' && m.names === undefined) {
        try {
          m.names = decodeNameSection(content, r.pos);
        } catch (e) {
          // A malformed name section is ignored (custom sections never affect validity).
          if (!(e instanceof CompileError)) throw e;
        }
      }
      r.pos = end;
      r.end = total;
      continue;
    }
    const rank = SECTION_RANK[id];
    if (rank <= lastRank) r.fail('unexpected content after last section', idAt);
    lastRank = rank;
    lastId = id;
    // Like the spec interpreter, a section's contents are read up to the end of the input and
    // only then compared with its size, so an inner error wins over "section size mismatch".
    switch (id as SectionId) {
      case SectionId.Type: readTypeSection(r, m); break;
      case SectionId.Import: readImportSection(r, m, memory64); break;
      case SectionId.Function: {
        const n = readVecLength(r);
        funcTypes = new Array(n);
        for (let i = 0; i < n; i++) funcTypes[i] = r.u32();
        break;
      }
      case SectionId.Table: readTableSection(r, m, memory64); break;
      case SectionId.Memory: {
        const n = readVecLength(r);
        for (let i = 0; i < n; i++) m.memories.push(readMemType(r, memory64));
        break;
      }
      case SectionId.Tag: {
        const n = readVecLength(r);
        for (let i = 0; i < n; i++) m.tags.push(readTagType(r));
        break;
      }
      case SectionId.Global: {
        const n = readVecLength(r);
        for (let i = 0; i < n; i++) {
          const type = readGlobalType(r);
          m.globals.push({ type, init: readConstExpr(r) });
        }
        break;
      }
      case SectionId.Export: readExportSection(r, m); break;
      case SectionId.Start: m.start = r.u32(); break;
      case SectionId.Element: readElemSection(r, m); break;
      case SectionId.DataCount: m.dataCount = r.u32(); break;
      case SectionId.Code: codeCount = readCodeSection(r, m, funcTypes ?? []); break;
      case SectionId.Data: readDataSection(r, m); break;
    }
    if (r.pos !== end) r.fail('section size mismatch', r.pos);
  }

  if ((funcTypes?.length ?? 0) !== (codeCount ?? 0)) {
    r.fail('function and code section have inconsistent lengths', total);
  }
  if (m.dataCount !== undefined && m.dataCount !== dataSegmentCount(m)) {
    r.fail('data count and data section have inconsistent lengths', total);
  }
  return m;
}
