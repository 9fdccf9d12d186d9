// Component binary decoder (Binary.md). Reads the preamble (layer 1) and every section into the
// definitions of src/component/ast.ts; nested core modules stay byte views (decoded and validated
// by the core layers when they are validated or instantiated). Errors are CompileErrors at the
// absolute byte offset in the outermost binary.

import { Reader } from '../binary/reader.js';
import { readGlobalType, readMemType, readName, readTableType, readTagType, readValType, readVecLength, readByteLength } from '../binary/types.js';
import type {
  Alias, Canon, CanonOptions, Case, Component, ComponentType, CoreDefType, CoreFuncType, CoreImportDesc,
  CoreInstanceExpr, CoreModuleDecl, CoreModuleType, CoreSort, CoreValType, Decl, DefType, Definition, ExternDesc,
  FuncType, InstanceExpr, InstanceType, LabelValType, PrimValType, Sort, SortIdx, ValType,
} from './ast.js';

const PRIM: Record<number, PrimValType> = {
  0x7f: 'bool', 0x7e: 's8', 0x7d: 'u8', 0x7c: 's16', 0x7b: 'u16', 0x7a: 's32', 0x79: 'u32',
  0x78: 's64', 0x77: 'u64', 0x76: 'f32', 0x75: 'f64', 0x74: 'char', 0x73: 'string', 0x64: 'error-context',
};

const CORE_SORT: Record<number, CoreSort> = {
  0x00: 'func', 0x01: 'table', 0x02: 'memory', 0x03: 'global', 0x10: 'type', 0x11: 'module', 0x12: 'instance',
};

const COMPONENT_VERSION = 0x0d;

function readCoreSort(r: Reader): CoreSort {
  const at = r.pos;
  const s = CORE_SORT[r.u8()];
  if (s === undefined) r.fail('malformed core sort', at);
  return s;
}

function readSort(r: Reader): Sort {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00: return `core ${readCoreSort(r)}` as Sort;
    case 0x01: return 'func';
    case 0x02: return 'value';
    case 0x03: return 'type';
    case 0x04: return 'component';
    case 0x05: return 'instance';
    default: r.fail('malformed sort', at);
  }
}

function readSortIdx(r: Reader): SortIdx {
  const sort = readSort(r);
  return { sort, idx: r.u32() };
}

function readValTypeC(r: Reader): ValType {
  const at = r.pos;
  const b = r.peekU8();
  if ((b & 0xc0) === 0x40) {
    r.pos++;
    const p = PRIM[b];
    if (p === undefined) r.fail('malformed value type', at);
    return p;
  }
  return r.u32();
}

/** `<T>?`: 0x00 for none, 0x01 then T. */
function optional<T>(r: Reader, read: () => T): T | undefined {
  const at = r.pos;
  switch (r.u8()) {
    case 0: return undefined;
    case 1: return read();
    default: r.fail('malformed optional', at);
  }
}

function vec<T>(r: Reader, read: () => T): T[] {
  const n = readVecLength(r);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(read());
  return out;
}

function readLabelValType(r: Reader): LabelValType {
  const name = readName(r);
  return { name, type: readValTypeC(r) };
}

function readCase(r: Reader): Case {
  const name = readName(r);
  const type = optional(r, () => readValTypeC(r));
  const at = r.pos;
  if (r.u8() !== 0) r.fail('malformed variant case (refinement is not supported)', at);
  return type === undefined ? { name } : { name, type };
}

function readFuncType(r: Reader, async: boolean): FuncType {
  const params = vec(r, () => readLabelValType(r));
  const at = r.pos;
  let results: ValType | LabelValType[];
  switch (r.u8()) {
    case 0x00: results = readValTypeC(r); break;
    case 0x01: results = vec(r, () => readLabelValType(r)); break;
    default: r.fail('malformed function result list', at);
  }
  return async ? { kind: 'func', params, results, async } : { kind: 'func', params, results };
}

function readDefType(r: Reader): DefType {
  const at = r.pos;
  const b = r.u8();
  switch (b) {
    case 0x40: return readFuncType(r, false);
    case 0x43: return readFuncType(r, true);
    case 0x41: return { kind: 'component', decls: vec(r, () => readDecl(r, true)) } satisfies ComponentType;
    case 0x42: return { kind: 'instance', decls: vec(r, () => readDecl(r, false)) } satisfies InstanceType;
    case 0x3f: case 0x3e: {
      const repAt = r.pos;
      if (r.u8() !== 0x7f) r.fail('malformed resource representation (only i32)', repAt);
      const dtor = optional(r, () => r.u32());
      if (b === 0x3e) {
        const callback = optional(r, () => r.u32());
        return { kind: 'resource', rep: 'i32', dtor, async: true, callback };
      }
      return dtor === undefined ? { kind: 'resource', rep: 'i32' } : { kind: 'resource', rep: 'i32', dtor };
    }
    case 0x72: return { kind: 'record', fields: nonEmpty(r, at, vec(r, () => readLabelValType(r)), 'record') };
    case 0x71: return { kind: 'variant', cases: nonEmpty(r, at, vec(r, () => readCase(r)), 'variant') };
    case 0x70: return { kind: 'list', elem: readValTypeC(r) };
    case 0x67: { const elem = readValTypeC(r); return { kind: 'list', elem, length: r.u32() }; }
    case 0x6f: return { kind: 'tuple', types: nonEmpty(r, at, vec(r, () => readValTypeC(r)), 'tuple') };
    case 0x6e: return { kind: 'flags', names: nonEmpty(r, at, vec(r, () => readName(r)), 'flags') };
    case 0x6d: return { kind: 'enum', names: nonEmpty(r, at, vec(r, () => readName(r)), 'enum') };
    case 0x6b: return { kind: 'option', type: readValTypeC(r) };
    case 0x6a: {
      const ok = optional(r, () => readValTypeC(r));
      const err = optional(r, () => readValTypeC(r));
      return { kind: 'result', ...(ok !== undefined ? { ok } : {}), ...(err !== undefined ? { err } : {}) };
    }
    case 0x69: return { kind: 'own', idx: r.u32() };
    case 0x68: return { kind: 'borrow', idx: r.u32() };
    case 0x66: return { kind: 'stream', type: optional(r, () => readValTypeC(r)) };
    case 0x65: return { kind: 'future', type: optional(r, () => readValTypeC(r)) };
    default: {
      const p = PRIM[b];
      if (p === undefined) r.fail(`malformed type (0x${b.toString(16)})`, at);
      return { kind: 'prim', prim: p };
    }
  }
}

function nonEmpty<T>(r: Reader, at: number, xs: T[], what: string): T[] {
  if (xs.length === 0) r.fail(`${what} type must have at least one element`, at);
  return xs;
}

function readExternName(r: Reader): string {
  const at = r.pos;
  // 0x01 marked interface names in older binaries; the name's syntax says the same today.
  const b = r.u8();
  if (b !== 0x00 && b !== 0x01) r.fail('malformed import or export name', at);
  return readName(r);
}

function readExternDesc(r: Reader): ExternDesc {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00: {
      const s = r.pos;
      if (r.u8() !== 0x11) r.fail('malformed core sort in extern descriptor (only core module)', s);
      return { sort: 'core module', type: r.u32() };
    }
    case 0x01: return { sort: 'func', type: r.u32() };
    case 0x02: {
      const b = r.pos;
      switch (r.u8()) {
        case 0x00: return { sort: 'value', type: r.u32() };
        case 0x01: return { sort: 'value', type: readValTypeC(r) };
        default: r.fail('malformed value bound', b);
      }
    }
    case 0x03: {
      const b = r.pos;
      switch (r.u8()) {
        case 0x00: return { sort: 'type', bound: { eq: r.u32() } };
        case 0x01: return { sort: 'type', bound: 'sub resource' };
        default: r.fail('malformed type bound', b);
      }
    }
    case 0x04: return { sort: 'component', type: r.u32() };
    case 0x05: return { sort: 'instance', type: r.u32() };
    default: r.fail('malformed extern descriptor', at);
  }
}

function readAlias(r: Reader): Alias {
  const sort = readSort(r);
  const at = r.pos;
  switch (r.u8()) {
    case 0x00: { const instance = r.u32(); return { sort, target: 'export', instance, name: readName(r) }; }
    case 0x01: { const instance = r.u32(); return { sort, target: 'core export', instance, name: readName(r) }; }
    case 0x02: { const count = r.u32(); return { sort, target: 'outer', count, idx: r.u32() }; }
    default: r.fail('malformed alias target', at);
  }
}

function readDecl(r: Reader, component: boolean): Decl {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00: return { kind: 'core type', type: readCoreType(r) };
    case 0x01: return { kind: 'type', type: readDefType(r) };
    case 0x02: return { kind: 'alias', alias: readAlias(r) };
    case 0x03:
      if (!component) r.fail('imports are not allowed in instance types', at);
      { const name = readExternName(r); return { kind: 'import', name, desc: readExternDesc(r) }; }
    case 0x04: { const name = readExternName(r); return { kind: 'export', name, desc: readExternDesc(r) }; }
    default: r.fail('malformed declarator', at);
  }
}

function coreValType(r: Reader): CoreValType {
  const t = readValType(r);
  return typeof t === 'string' ? t : 'ref';
}

function readCoreImportDesc(r: Reader): CoreImportDesc {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00: return { kind: 'func', type: r.u32() };
    case 0x01: readTableType(r); return { kind: 'table' };
    case 0x02: readMemType(r); return { kind: 'memory' };
    case 0x03: readGlobalType(r); return { kind: 'global' };
    case 0x04: readTagType(r); return { kind: 'tag' };
    default: r.fail('malformed import kind', at);
  }
}

function readCoreType(r: Reader): CoreDefType {
  const at = r.pos;
  switch (r.u8()) {
    case 0x60: {
      const params = vec(r, () => coreValType(r));
      return { kind: 'func', params, results: vec(r, () => coreValType(r)) } satisfies CoreFuncType;
    }
    case 0x50: {
      const decls = vec(r, (): CoreModuleDecl => {
        const d = r.pos;
        switch (r.u8()) {
          case 0x00: { const module = readName(r); const name = readName(r); return { kind: 'import', module, name, desc: readCoreImportDesc(r) }; }
          case 0x01: return { kind: 'type', type: readCoreType(r) };
          case 0x02: {
            const s = r.pos;
            if (readCoreSort(r) !== 'type' || r.u8() !== 0x01) r.fail('malformed core alias in module type (only outer type aliases)', s);
            const count = r.u32();
            return { kind: 'alias', count, idx: r.u32() };
          }
          case 0x03: { const name = readName(r); return { kind: 'export', name, desc: readCoreImportDesc(r) }; }
          default: r.fail('malformed module type declarator', d);
        }
      });
      return { kind: 'module', decls } satisfies CoreModuleType;
    }
    default: r.fail('unsupported core type in a component (only function and module types)', at);
  }
}

function readCanonOptions(r: Reader): CanonOptions {
  const opts: CanonOptions = {};
  const n = readVecLength(r);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const b = r.u8();
    const once = (key: keyof CanonOptions, conflicting?: boolean): void => {
      if (opts[key] !== undefined || conflicting) r.fail(`duplicate or conflicting canonical option ${key}`, at);
    };
    switch (b) {
      case 0x00: once('stringEncoding'); opts.stringEncoding = 'utf8'; break;
      case 0x01: once('stringEncoding'); opts.stringEncoding = 'utf16'; break;
      case 0x02: once('stringEncoding'); opts.stringEncoding = 'latin1+utf16'; break;
      case 0x03: once('memory'); opts.memory = r.u32(); break;
      case 0x04: once('realloc'); opts.realloc = r.u32(); break;
      case 0x05: once('postReturn'); opts.postReturn = r.u32(); break;
      case 0x06: once('async'); opts.async = true; break;
      case 0x07: once('callback'); opts.callback = r.u32(); break;
      default: r.fail(`unsupported canonical option 0x${b.toString(16)}`, at);
    }
  }
  return opts;
}

function readCanon(r: Reader): Canon {
  const at = r.pos;
  const op = r.u8();
  switch (op) {
    case 0x00: {
      const s = r.pos;
      if (r.u8() !== 0x00) r.fail('malformed canon lift (expected core func sort)', s);
      const coreFunc = r.u32();
      const options = readCanonOptions(r);
      return { kind: 'lift', coreFunc, options, type: r.u32() };
    }
    case 0x01: {
      const s = r.pos;
      if (r.u8() !== 0x00) r.fail('malformed canon lower (expected func sort)', s);
      const func = r.u32();
      return { kind: 'lower', func, options: readCanonOptions(r) };
    }
    case 0x02: return { kind: 'resource.new', type: r.u32() };
    case 0x03: return { kind: 'resource.drop', type: r.u32() };
    case 0x07: return { kind: 'resource.drop', type: r.u32(), async: true };
    case 0x04: return { kind: 'resource.rep', type: r.u32() };
    default: r.fail(`unsupported canonical built-in 0x${op.toString(16)} (async and thread built-ins are not implemented)`, at);
  }
}

function readCoreInstance(r: Reader): CoreInstanceExpr {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00: {
      const module = r.u32();
      const args = vec(r, () => {
        const name = readName(r);
        const s = r.pos;
        if (r.u8() !== 0x12) r.fail('malformed core instantiation argument (only instances)', s);
        return { name, instance: r.u32() };
      });
      return { kind: 'instantiate', module, args };
    }
    case 0x01:
      return { kind: 'exports', exports: vec(r, () => { const name = readName(r); const sort = readCoreSort(r); return { name, sort, idx: r.u32() }; }) };
    default: r.fail('malformed core instance expression', at);
  }
}

function readInstance(r: Reader): InstanceExpr {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00: {
      const component = r.u32();
      const args = vec(r, () => { const name = readName(r); return { name, arg: readSortIdx(r) }; });
      return { kind: 'instantiate', component, args };
    }
    case 0x01:
      return { kind: 'exports', exports: vec(r, () => { const name = readExternName(r); return { name, arg: readSortIdx(r) }; }) };
    default: r.fail('malformed instance expression', at);
  }
}

/** Reads a component whose preamble starts at r.pos and which ends at r.end. */
function readComponent(r: Reader): Component {
  const offset = r.pos;
  const magic = r.bytesView(4);
  if (magic[0] !== 0 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) r.fail('magic header not detected', offset);
  const versionAt = r.pos;
  const version = r.u8() | (r.u8() << 8);
  const layer = r.u8() | (r.u8() << 8);
  if (layer !== 1) r.fail(layer === 0 ? 'a core module, not a component' : 'unknown binary layer', versionAt + 2);
  if (version !== COMPONENT_VERSION) r.fail(`unsupported component binary version 0x${version.toString(16)} (expected 0x0d)`, versionAt);
  const c: Component = { definitions: [], customSections: [], offset };
  const defs = c.definitions;
  while (!r.atEnd()) {
    const idAt = r.pos;
    const id = r.u8();
    const size = readByteLength(r);
    const start = r.pos;
    const end = start + size;
    const outerEnd = r.end;
    r.end = end;
    const push = (d: Definition): void => { defs.push(d); };
    const each = (read: (at: number) => void): void => {
      const n = readVecLength(r);
      for (let i = 0; i < n; i++) read(r.pos);
    };
    switch (id) {
      case 0: { const name = readName(r); c.customSections.push({ name, data: r.bytesView(end - r.pos) }); break; }
      case 1: push({ kind: 'core module', bytes: r.bytes.subarray(start, end), offset: start }); r.pos = end; break;
      case 2: each((at) => push({ kind: 'core instance', expr: readCoreInstance(r), offset: at })); break;
      case 3: each((at) => push({ kind: 'core type', type: readCoreType(r), offset: at })); break;
      case 4: push({ kind: 'component', component: readComponent(r), offset: start }); break;
      case 5: each((at) => push({ kind: 'instance', expr: readInstance(r), offset: at })); break;
      case 6: each((at) => push({ kind: 'alias', alias: readAlias(r), offset: at })); break;
      case 7: each((at) => push({ kind: 'type', type: readDefType(r), offset: at })); break;
      case 8: each((at) => push({ kind: 'canon', canon: readCanon(r), offset: at })); break;
      case 9: {
        const func = r.u32();
        const args = vec(r, () => r.u32());
        push({ kind: 'start', func, args, results: r.u32(), offset: start });
        break;
      }
      case 10: each((at) => { const name = readExternName(r); push({ kind: 'import', name, desc: readExternDesc(r), offset: at }); }); break;
      case 11: each((at) => {
        const name = readExternName(r);
        const arg = readSortIdx(r);
        const desc = optional(r, () => readExternDesc(r));
        push(desc ? { kind: 'export', name, arg, desc, offset: at } : { kind: 'export', name, arg, offset: at });
      }); break;
      case 12: r.fail('value sections are not supported', idAt);
      default: r.fail(`malformed section id ${id}`, idAt);
    }
    if (r.pos !== end) r.fail('section size mismatch', r.pos);
    r.end = outerEnd;
  }
  return c;
}

/** Decodes a component binary (throws CompileError with the byte offset on malformed input). */
export function decodeComponent(bytes: Uint8Array): Component {
  return readComponent(new Reader(bytes));
}
