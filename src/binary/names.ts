// The `name` custom section (spec Appendix "Name Section"), with the extended-name-section
// subsections (labels, types, tables, memories, globals, elems, datas, fields, tags).

import { Reader } from './reader.js';
import { Writer } from './writer.js';
import { readVecLength } from './types.js';
import { emptyNameSection } from '../ast/module.js';
import type { NameSection } from '../ast/module.js';

const enum Sub {
  Module = 0, Funcs = 1, Locals = 2, Labels = 3, Types = 4, Tables = 5, Memories = 6,
  Globals = 7, Elems = 8, Datas = 9, Fields = 10, Tags = 11,
}

/** namemap ::= vec(idx name) */
function readNameMap(r: Reader, into: Map<number, string>): void {
  const n = readVecLength(r);
  for (let i = 0; i < n; i++) {
    const idx = r.u32();
    into.set(idx, r.name());
  }
}

/** indirectnamemap ::= vec(idx namemap) */
function readIndirectNameMap(r: Reader, into: Map<number, Map<number, string>>): void {
  const n = readVecLength(r);
  for (let i = 0; i < n; i++) {
    const idx = r.u32();
    const inner = new Map<number, string>();
    readNameMap(r, inner);
    into.set(idx, inner);
  }
}

/**
 * Decodes the contents of a `name` custom section (after its name). Throws CompileError when
 * malformed; the module decoder catches that, since a bad name section must not reject a module.
 * `base` is the absolute offset of `bytes[0]`, for error messages.
 */
export function decodeNameSection(bytes: Uint8Array, base = 0): NameSection {
  const ns = emptyNameSection();
  const r = new Reader(bytes, 0, bytes.length, base);
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    if (size > r.end - r.pos) r.fail('length out of bounds');
    const end = r.pos + size;
    const sectionEnd = r.end;
    r.end = end;
    switch (id) {
      case Sub.Module: ns.module = r.name(); break;
      case Sub.Funcs: readNameMap(r, ns.funcs); break;
      case Sub.Locals: readIndirectNameMap(r, ns.locals); break;
      case Sub.Labels: readIndirectNameMap(r, ns.labels); break;
      case Sub.Types: readNameMap(r, ns.types); break;
      case Sub.Tables: readNameMap(r, ns.tables); break;
      case Sub.Memories: readNameMap(r, ns.memories); break;
      case Sub.Globals: readNameMap(r, ns.globals); break;
      case Sub.Elems: readNameMap(r, ns.elems); break;
      case Sub.Datas: readNameMap(r, ns.datas); break;
      case Sub.Fields: readIndirectNameMap(r, ns.fields); break;
      case Sub.Tags: readNameMap(r, ns.tags); break;
      default: r.pos = end; // unknown subsections are skipped
    }
    if (r.pos !== end) r.fail('section size mismatch');
    r.end = sectionEnd;
  }
  return ns;
}

function writeNameMap(w: Writer, m: Map<number, string>): void {
  const keys = [...m.keys()].sort((a, b) => a - b);
  w.u32(keys.length);
  for (const k of keys) w.u32(k).name(m.get(k)!);
}

function writeIndirectNameMap(w: Writer, m: Map<number, Map<number, string>>): void {
  const keys = [...m.keys()].sort((a, b) => a - b);
  w.u32(keys.length);
  for (const k of keys) {
    w.u32(k);
    writeNameMap(w, m.get(k)!);
  }
}

/** Encodes a NameSection as the contents of a `name` custom section (empty subsections omitted). */
export function encodeNameSection(ns: NameSection): Uint8Array {
  const w = new Writer();
  const sub = (id: number, fill: (s: Writer) => void): void => {
    const s = new Writer();
    fill(s);
    w.u8(id).sized(s);
  };
  if (ns.module !== undefined) sub(Sub.Module, (s) => s.name(ns.module!));
  const maps: [number, Map<number, string>][] = [
    [Sub.Funcs, ns.funcs],
  ];
  for (const [id, m] of maps) if (m.size) sub(id, (s) => writeNameMap(s, m));
  if (ns.locals.size) sub(Sub.Locals, (s) => writeIndirectNameMap(s, ns.locals));
  if (ns.labels.size) sub(Sub.Labels, (s) => writeIndirectNameMap(s, ns.labels));
  const more: [number, Map<number, string>][] = [
    [Sub.Types, ns.types], [Sub.Tables, ns.tables], [Sub.Memories, ns.memories],
    [Sub.Globals, ns.globals], [Sub.Elems, ns.elems], [Sub.Datas, ns.datas],
  ];
  for (const [id, m] of more) if (m.size) sub(id, (s) => writeNameMap(s, m));
  if (ns.fields.size) sub(Sub.Fields, (s) => writeIndirectNameMap(s, ns.fields));
  if (ns.tags.size) sub(Sub.Tags, (s) => writeNameMap(s, ns.tags));
  return w.finish().slice();
}
