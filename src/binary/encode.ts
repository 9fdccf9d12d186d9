// Module encoder (spec §5.5): the inverse of decode.ts. Function bodies and constant
// expressions are already binary (Expr bytes) and are copied as they are.

import { encodeNameSection } from './names.js';
import { Writer } from './writer.js';
import { bytesOf, exprOf, SectionId } from '../ast/module.js';
import type { Elem, Expr, Module } from '../ast/module.js';
import type { RefType } from '../ast/types.js';
import {
  writeGlobalType, writeMemType, writeRecType, writeRefType, writeTableType, writeTagType, writeValType,
} from './types.js';

const EXTERN_CODE = { func: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;

/** Non-custom sections in the order the binary format requires. */
const SECTION_ORDER: readonly SectionId[] = [
  SectionId.Type, SectionId.Import, SectionId.Function, SectionId.Table, SectionId.Memory,
  SectionId.Tag, SectionId.Global, SectionId.Export, SectionId.Start, SectionId.Element,
  SectionId.DataCount, SectionId.Code, SectionId.Data,
];

function isFuncref(t: RefType): boolean {
  return t.nullable && t.heap === 'func';
}

function isRefFunc(t: RefType): boolean {
  return !t.nullable && t.heap === 'func';
}

function writeExpr(w: Writer, e: Expr): void {
  w.bytes(bytesOf(e));
}

/** `ref.func i end`, for function-index items that need the expression form. */
function refFuncExpr(i: number): Expr {
  const w = new Writer();
  w.u8(0xd2).u32(i).u8(0x0b);
  return exprOf(w.finish().slice());
}

/**
 * Picks the most compact of the eight segment forms that decodes back to the same Elem.
 * Function-index forms imply type (ref func), and form 4 (expressions for table 0) implies
 * funcref; any other type needs the forms that spell it out.
 */
function writeElem(w: Writer, e: Elem): void {
  const mode = e.mode;
  let init = e.init;
  if (init.kind === 'funcs' && !isRefFunc(e.type)) init = { kind: 'exprs', exprs: init.indices.map(refFuncExpr) };
  const exprs = init.kind === 'exprs';
  if (mode.kind === 'active') {
    if (mode.table === 0 && (exprs ? isFuncref(e.type) : true)) {
      w.u32(exprs ? 4 : 0);
      writeExpr(w, mode.offset);
    } else {
      w.u32(exprs ? 6 : 2);
      w.u32(mode.table);
      writeExpr(w, mode.offset);
      if (exprs) writeRefType(w, e.type);
      else w.u8(0x00);
    }
  } else {
    w.u32((mode.kind === 'passive' ? 1 : 3) | (exprs ? 4 : 0));
    if (exprs) writeRefType(w, e.type);
    else w.u8(0x00);
  }
  if (init.kind === 'funcs') {
    w.u32(init.indices.length);
    for (const i of init.indices) w.u32(i);
  } else {
    w.u32(init.exprs.length);
    for (const x of init.exprs) writeExpr(w, x);
  }
}

/** Writes the contents of one non-custom section; returns false when it has nothing to say. */
function writeSection(s: Writer, id: SectionId, m: Module): boolean {
  switch (id) {
    case SectionId.Type: {
      if (m.recGroups.length === 0) return false;
      s.u32(m.recGroups.length);
      let at = 0;
      for (const size of m.recGroups) {
        writeRecType(s, m.types.slice(at, at + size));
        at += size;
      }
      return true;
    }
    case SectionId.Import:
      if (m.imports.length === 0) return false;
      s.u32(m.imports.length);
      for (const imp of m.imports) {
        s.name(imp.module).name(imp.name);
        const d = imp.desc;
        s.u8(EXTERN_CODE[d.kind]);
        switch (d.kind) {
          case 'func': s.u32(d.typeIdx); break;
          case 'table': writeTableType(s, d.type); break;
          case 'memory': writeMemType(s, d.type); break;
          case 'global': writeGlobalType(s, d.type); break;
          case 'tag': writeTagType(s, d.type); break;
        }
      }
      return true;
    case SectionId.Function:
      if (m.funcs.length === 0) return false;
      s.u32(m.funcs.length);
      for (const f of m.funcs) s.u32(f.typeIdx);
      return true;
    case SectionId.Table:
      if (m.tables.length === 0) return false;
      s.u32(m.tables.length);
      for (const t of m.tables) {
        if (t.init) {
          s.u8(0x40).u8(0x00);
          writeTableType(s, t.type);
          writeExpr(s, t.init);
        } else {
          writeTableType(s, t.type);
        }
      }
      return true;
    case SectionId.Memory:
      if (m.memories.length === 0) return false;
      s.u32(m.memories.length);
      for (const mem of m.memories) writeMemType(s, mem);
      return true;
    case SectionId.Tag:
      if (m.tags.length === 0) return false;
      s.u32(m.tags.length);
      for (const t of m.tags) writeTagType(s, t);
      return true;
    case SectionId.Global:
      if (m.globals.length === 0) return false;
      s.u32(m.globals.length);
      for (const g of m.globals) {
        writeGlobalType(s, g.type);
        writeExpr(s, g.init);
      }
      return true;
    case SectionId.Export:
      if (m.exports.length === 0) return false;
      s.u32(m.exports.length);
      for (const e of m.exports) s.name(e.name).u8(EXTERN_CODE[e.kind]).u32(e.index);
      return true;
    case SectionId.Start:
      if (m.start === undefined) return false;
      s.u32(m.start);
      return true;
    case SectionId.Element:
      if (m.elems.length === 0) return false;
      s.u32(m.elems.length);
      for (const e of m.elems) writeElem(s, e);
      return true;
    case SectionId.DataCount:
      if (m.dataCount === undefined) return false;
      s.u32(m.dataCount);
      return true;
    case SectionId.Code: {
      if (m.funcs.length === 0) return false;
      s.u32(m.funcs.length);
      const f = new Writer();
      for (const fn of m.funcs) {
        f.length = 0;
        f.u32(fn.locals.length);
        for (const l of fn.locals) {
          f.u32(l.count);
          writeValType(f, l.type);
        }
        s.u32(f.length + fn.code.end - fn.code.start);
        s.bytes(f.finish());
        s.bytes(bytesOf(fn.code));
      }
      return true;
    }
    case SectionId.Data:
      if (m.datas.length === 0) return false;
      s.u32(m.datas.length);
      for (const d of m.datas) {
        const mode = d.mode;
        if (mode.kind === 'passive') s.u32(1);
        else if (mode.memory === 0) {
          s.u32(0);
          writeExpr(s, mode.offset);
        } else {
          s.u32(2).u32(mode.memory);
          writeExpr(s, mode.offset);
        }
        s.u32(d.end - d.start).bytes(bytesOf(d));
      }
      return true;
    default:
      return false;
  }
}

/** Encodes a module. Custom sections go back after the section named by their `after`. */
export function encodeModule(m: Module): Uint8Array {
  const w = new Writer();
  w.bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

  const customsAfter = new Map<number, typeof m.customs>();
  for (const c of m.customs) {
    let list = customsAfter.get(c.after);
    if (!list) customsAfter.set(c.after, (list = []));
    list.push(c);
  }
  const writeCustoms = (after: number): void => {
    for (const c of customsAfter.get(after) ?? []) {
      const s = new Writer();
      s.name(c.name).bytes(c.bytes);
      w.u8(SectionId.Custom).sized(s);
    }
  };

  writeCustoms(0);
  const s = new Writer();
  for (const id of SECTION_ORDER) {
    s.length = 0;
    // A section that some custom section follows is written even when empty (as a zero count),
    // so that the re-decoded custom section keeps its placement.
    if (writeSection(s, id, m) || (customsAfter.has(id) && id !== SectionId.Start && id !== SectionId.DataCount)) {
      if (s.length === 0) s.u32(0);
      w.u8(id).sized(s);
    }
    writeCustoms(id);
  }
  // A module made from text carries its identifiers in `names` but has no name section yet.
  if (m.names !== undefined && !m.customs.some((c) => c.name === 'name')) {
    const ns = new Writer();
    ns.name('name').bytes(encodeNameSection(m.names));
    w.u8(SectionId.Custom).sized(ns);
  }
  return w.finish().slice();
}
