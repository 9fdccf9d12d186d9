// .wast scripts (the spec interpreter's script syntax, plus 3.0's `module definition` /
// `module instance` and the threads proposal's `thread` / `wait`) into Commands (script-ast.ts).
// Module bodies stay unparsed S-expressions; constants are parsed to exact values here.

import { CompileError } from '../errors.js';
import { decodeUtf8, idName, parseSExprRoot } from './lexer.js';
import { parseF32, parseF64, parseI32, parseI64, parseIntN } from './numbers.js';
import type { Atom, List, SExpr } from './sexpr.js';
import type { Action, Command, FloatPattern, ResultPattern, ScriptModule, Value } from './script-ast.js';

/** Parses a .wast script. Throws CompileError on malformed script syntax (not on malformed modules inside it). */
export function parseScript(source: string): Command[] {
  return new ScriptParser(source).script();
}

export { idName };

/**
 * Decodes UTF-8 for `module quote` text, mapping each malformed byte to a lone surrogate
 * (U+DC00 + byte) so that the lexer reports it as malformed UTF-8 where it matters.
 */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  const parts: string[] = [];
  let run = '';
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) { run += String.fromCharCode(b); i++; continue; }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    const s = len > 0 && i + len <= n ? decodeUtf8(bytes.subarray(i, i + len)) : undefined;
    if (s === undefined) { run += String.fromCharCode(0xdc00 + b); i++; continue; }
    run += s;
    i += len;
    if (run.length > 4096) { parts.push(run); run = ''; }
  }
  parts.push(run);
  return parts.join('');
}

/** Module fields that may start a script written as a bare module. */
const MODULE_FIELDS = new Set(['type', 'rec', 'import', 'func', 'table', 'memory', 'global', 'tag', 'export', 'start', 'elem', 'data']);

class ScriptParser {
  private lineStarts: number[] | undefined;
  constructor(private readonly src: string) {}

  private fail(message: string, at: number): never {
    throw new CompileError(message, at);
  }

  line(pos: number): number {
    if (!this.lineStarts) {
      const starts = [0];
      const s = this.src;
      for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const a = this.lineStarts;
    let lo = 0, hi = a.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (a[mid]! <= pos) lo = mid; else hi = mid - 1;
    }
    return lo + 1;
  }

  script(): Command[] {
    const root = parseSExprRoot(this.src);
    const items = root.items;
    if (items.length === 0) return [];
    const first = items[0]!;
    // A script may also be a bare module: a sequence of module fields (spec interpreter's "inline module").
    if (first.kind === 'list' && MODULE_FIELDS.has(headKeyword(first) ?? '')) {
      const moduleKw: Atom = { kind: 'atom', token: 'keyword', text: 'module', pos: 0 };
      const list: List = root.annotations
        ? { kind: 'list', items: [moduleKw, ...items], pos: 0, annotations: root.annotations }
        : { kind: 'list', items: [moduleKw, ...items], pos: 0 };
      const module: ScriptModule = { source: { kind: 'text', list }, definition: false, pos: 0, line: 1 };
      return [{ kind: 'module', module, line: 1 }];
    }
    return items.map((e) => this.command(e));
  }

  private command(e: SExpr): Command {
    if (e.kind !== 'list') this.fail(`unexpected token "${e.text}" in script`, e.pos);
    const head = headKeyword(e);
    const line = this.line(e.pos);
    const it = e.items;
    switch (head) {
      case 'module': {
        const kw = it[1];
        if (kw && kw.kind === 'atom' && kw.token === 'keyword' && kw.text === 'instance') {
          let k = 2;
          let id: string | undefined;
          let definition: string | undefined;
          if (isId(it[k])) id = idName(it[k++] as Atom);
          if (isId(it[k])) definition = idName(it[k++] as Atom);
          if (k !== it.length) this.fail('unexpected token in module instance', at(it[k], e));
          return { kind: 'instance', id, definition, line };
        }
        return { kind: 'module', module: this.module(e), line };
      }
      case 'register': {
        const name = this.name(it[1], e);
        let module: string | undefined;
        if (isId(it[2])) module = idName(it[2] as Atom);
        this.end(e, module === undefined ? 2 : 3);
        return { kind: 'register', as: name, module, line };
      }
      case 'invoke':
      case 'get':
        return { kind: 'action', action: this.action(e), line };
      case 'assert_return': {
        const action = this.action(this.list(it[1], e));
        const results = it.slice(2).map((r) => this.result(r));
        return { kind: 'assert_return', action, results, line };
      }
      case 'assert_trap': {
        const target = this.list(it[1], e);
        const message = this.message(it[2], e);
        this.end(e, 3);
        if (headKeyword(target) === 'module') {
          return { kind: 'assert_module_trap', module: this.module(target), message, line };
        }
        return { kind: 'assert_trap', action: this.action(target), message, line };
      }
      case 'assert_exhaustion': {
        const action = this.action(this.list(it[1], e));
        const message = this.message(it[2], e);
        this.end(e, 3);
        return { kind: 'assert_exhaustion', action, message, line };
      }
      case 'assert_exception': {
        const action = this.action(this.list(it[1], e));
        this.end(e, 2);
        return { kind: 'assert_exception', action, line };
      }
      case 'assert_malformed':
      case 'assert_invalid':
      case 'assert_unlinkable':
      case 'assert_uninstantiable':
      case 'assert_malformed_custom':
      case 'assert_invalid_custom': {
        const target = this.list(it[1], e);
        if (headKeyword(target) !== 'module') this.fail(`${head}: expected a module`, target.pos);
        const module = this.module(target);
        const message = this.message(it[2], e);
        this.end(e, 3);
        return { kind: head, module, message, line };
      }
      case 'thread': {
        const idAtom = it[1];
        if (!isId(idAtom)) this.fail('thread: expected an id', at(idAtom, e));
        const shared: string[] = [];
        const commands: Command[] = [];
        for (let k = 2; k < it.length; k++) {
          const x = this.list(it[k], e);
          if (headKeyword(x) === 'shared') {
            // (shared (module $M))
            const m = this.list(x.items[1], x);
            if (headKeyword(m) !== 'module' || !isId(m.items[1]) || m.items.length !== 2) {
              this.fail('thread: malformed shared module', m.pos);
            }
            shared.push(idName(m.items[1] as Atom));
          } else {
            commands.push(this.command(x));
          }
        }
        return { kind: 'thread', id: idName(idAtom as Atom), shared, commands, line };
      }
      case 'wait': {
        const idAtom = it[1];
        if (!isId(idAtom)) this.fail('wait: expected an id', at(idAtom, e));
        this.end(e, 2);
        return { kind: 'wait', id: idName(idAtom as Atom), line };
      }
      default:
        return this.fail(`unknown script command "${head ?? ''}"`, e.pos);
    }
  }

  /** `(module $id? ...)`, `(module definition $id? ...)`, with `binary`/`quote` forms. */
  private module(e: List): ScriptModule {
    const it = e.items;
    const line = this.line(e.pos);
    let k = 1;
    let definition = false;
    let id: string | undefined;
    let idAtom: Atom | undefined;
    let defAt = -1;
    for (;;) {
      const x = it[k];
      if (!definition && isKeyword(x, 'definition')) { definition = true; defAt = k; k++; continue; }
      if (id === undefined && isId(x)) { idAtom = x as Atom; id = idName(idAtom); k++; continue; }
      break;
    }
    const x = it[k];
    if (isKeyword(x, 'binary') || isKeyword(x, 'quote')) {
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (let j = k + 1; j < it.length; j++) {
        const s = it[j]!;
        if (s.kind !== 'atom' || s.token !== 'string') this.fail('expected a string', s.pos);
        chunks.push(s.bytes!);
        total += s.bytes!.length;
      }
      const bytes = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) { bytes.set(c, o); o += c.length; }
      const source = (x as Atom).text === 'binary'
        ? { kind: 'binary' as const, bytes }
        : { kind: 'quote' as const, text: decodeUtf8Lenient(bytes) };
      return { id, source, definition, pos: e.pos, line };
    }
    // Text module: hand on `(module $id? field*)`, without the script-level `definition` keyword.
    let list = e;
    if (defAt >= 0) {
      const items = it.slice(0, defAt).concat(it.slice(defAt + 1));
      list = e.annotations
        ? { kind: 'list', items, pos: e.pos, annotations: e.annotations }
        : { kind: 'list', items, pos: e.pos };
    }
    return { id, source: { kind: 'text', list }, definition, pos: e.pos, line };
  }

  private action(e: List): Action {
    const head = headKeyword(e);
    const it = e.items;
    if (head !== 'invoke' && head !== 'get') this.fail('expected an action (invoke or get)', e.pos);
    let k = 1;
    let module: string | undefined;
    if (isId(it[k])) module = idName(it[k++] as Atom);
    const field = this.name(it[k++], e);
    if (head === 'get') {
      this.end(e, k);
      return { kind: 'get', module, field };
    }
    const args: Value[] = [];
    for (; k < it.length; k++) args.push(this.constant(this.list(it[k], e)));
    return { kind: 'invoke', module, field, args };
  }

  /** An argument constant. */
  private constant(e: List): Value {
    const head = headKeyword(e);
    const it = e.items;
    switch (head) {
      case 'i32.const': this.end(e, 2); return { kind: 'i32', value: parseI32(this.num(it[1], e), it[1]!.pos) };
      case 'i64.const': this.end(e, 2); return { kind: 'i64', value: parseI64(this.num(it[1], e), it[1]!.pos) };
      case 'f32.const': this.end(e, 2); return { kind: 'f32', bits: parseF32(this.num(it[1], e), it[1]!.pos) };
      case 'f64.const': this.end(e, 2); return { kind: 'f64', bits: parseF64(this.num(it[1], e), it[1]!.pos) };
      case 'v128.const': {
        const { shape, lanes } = this.v128Lanes(e, false);
        return { kind: 'v128', bytes: lanesToBytes(shape, lanes as (bigint | FloatPattern)[]) };
      }
      case 'ref.null': {
        const h = it[1];
        if (!h || h.kind !== 'atom' || (h.token !== 'keyword' && h.token !== 'id')) this.fail('ref.null: expected a heap type', at(h, e));
        this.end(e, 2);
        return { kind: 'ref.null', heap: h.token === 'id' ? idName(h) : h.text };
      }
      case 'ref.extern':
      case 'ref.host': {
        this.end(e, 2);
        const v = parseI32(this.num(it[1], e), it[1]!.pos) >>> 0;
        return { kind: head, value: v };
      }
      default:
        return this.fail(`unknown constant "${head ?? ''}"`, e.pos);
    }
  }

  /** An expected result. */
  private result(x: SExpr | undefined): ResultPattern {
    const e = this.list(x, undefined);
    const head = headKeyword(e);
    const it = e.items;
    switch (head) {
      case 'f32.const':
      case 'f64.const': {
        const a = it[1];
        this.end(e, 2);
        if (isKeyword(a, 'nan:canonical') || isKeyword(a, 'nan:arithmetic')) {
          return { kind: head === 'f32.const' ? 'f32' : 'f64', pattern: { kind: (a as Atom).text as 'nan:canonical' | 'nan:arithmetic' } };
        }
        return { kind: 'value', value: this.constant(e) };
      }
      case 'v128.const': {
        const { shape, lanes } = this.v128Lanes(e, true);
        return { kind: 'v128', shape, lanes };
      }
      case 'ref.null':
        // `(ref.null)` without a heap type matches any null reference; heap is then ''.
        if (it.length === 1) return { kind: 'value', value: { kind: 'ref.null', heap: '' } };
        return { kind: 'value', value: this.constant(e) };
      case 'ref.extern':
      case 'ref.host':
        if (it.length === 1) return { kind: 'ref', heap: head.slice(4) };
        return { kind: 'value', value: this.constant(e) };
      case 'either': {
        if (it.length < 2) this.fail('either: expected results', e.pos);
        return { kind: 'either', options: it.slice(1).map((r) => this.result(r)) };
      }
      case 'i32.const':
      case 'i64.const':
        return { kind: 'value', value: this.constant(e) };
      default:
        if (head !== undefined && head.startsWith('ref.')) {
          // (ref.func), (ref.any), (ref.eq), (ref.i31), (ref.struct), (ref.array), (ref.exn), ...
          let value: number | undefined;
          if (it.length >= 2) {
            value = parseI32(this.num(it[1], e), it[1]!.pos) >>> 0;
            this.end(e, 2);
          }
          return value === undefined ? { kind: 'ref', heap: head.slice(4) } : { kind: 'ref', heap: head.slice(4), value };
        }
        return this.fail(`unknown result "${head ?? ''}"`, e.pos);
    }
  }

  /** Lanes of `(v128.const shape lane*)`: integer lanes as unsigned bigints, float lanes as patterns. */
  private v128Lanes(e: List, allowNanPatterns: boolean): { shape: string; lanes: (FloatPattern | bigint)[] } {
    const it = e.items;
    const shapeAtom = it[1];
    const shape = shapeAtom && shapeAtom.kind === 'atom' ? shapeAtom.text : '';
    const count = SHAPES[shape];
    if (count === undefined) this.fail(`v128.const: unknown shape "${shape}"`, at(shapeAtom, e));
    if (it.length !== 2 + count) this.fail('v128.const: wrong number of lanes', e.pos);
    const lanes: (FloatPattern | bigint)[] = [];
    for (let k = 2; k < it.length; k++) {
      const a = it[k]!;
      if (allowNanPatterns && (shape === 'f32x4' || shape === 'f64x2') &&
          (isKeyword(a, 'nan:canonical') || isKeyword(a, 'nan:arithmetic'))) {
        lanes.push({ kind: (a as Atom).text as 'nan:canonical' | 'nan:arithmetic' });
        continue;
      }
      const t = this.num(a, e);
      switch (shape) {
        case 'i8x16': lanes.push(BigInt.asUintN(8, parseIntN(t, 8, a.pos))); break;
        case 'i16x8': lanes.push(BigInt.asUintN(16, parseIntN(t, 16, a.pos))); break;
        case 'i32x4': lanes.push(BigInt(parseI32(t, a.pos) >>> 0)); break;
        case 'i64x2': lanes.push(BigInt.asUintN(64, parseI64(t, a.pos))); break;
        case 'f32x4': lanes.push({ kind: 'bits', bits: parseF32(t, a.pos) }); break;
        default: lanes.push({ kind: 'bits', bits: parseF64(t, a.pos) }); break;
      }
    }
    return { shape, lanes };
  }

  private list(x: SExpr | undefined, parent: List | undefined): List {
    if (!x || x.kind !== 'list') this.fail('expected a parenthesized form', x ? x.pos : parent ? parent.pos : 0);
    return x;
  }

  private num(x: SExpr | undefined, parent: List): string {
    if (!x || x.kind !== 'atom' || x.token !== 'num') this.fail('expected a number', at(x, parent));
    return x.text;
  }

  /** A name: a string that must be valid UTF-8. */
  private name(x: SExpr | undefined, parent: List): string {
    if (!x || x.kind !== 'atom' || x.token !== 'string') this.fail('expected a name string', at(x, parent));
    const s = decodeUtf8(x.bytes!);
    if (s === undefined) this.fail('malformed UTF-8 encoding', x.pos);
    return s;
  }

  /** An assertion's expected message (compared loosely by runners, so decoded leniently). */
  private message(x: SExpr | undefined, parent: List): string {
    if (!x || x.kind !== 'atom' || x.token !== 'string') this.fail('expected a message string', at(x, parent));
    return decodeUtf8Lenient(x.bytes!);
  }

  private end(e: List, n: number): void {
    if (e.items.length > n) this.fail('unexpected token', at(e.items[n], e));
    if (e.items.length < n) this.fail('missing operand', e.pos);
  }
}

const SHAPES: Record<string, number> = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 };

function lanesToBytes(shape: string, lanes: readonly (bigint | FloatPattern)[]): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  lanes.forEach((l, i) => {
    switch (shape) {
      case 'i8x16': view.setUint8(i, Number(l as bigint)); break;
      case 'i16x8': view.setUint16(i * 2, Number(l as bigint), true); break;
      case 'i32x4': view.setUint32(i * 4, Number(l as bigint), true); break;
      case 'i64x2': view.setBigUint64(i * 8, l as bigint, true); break;
      case 'f32x4': view.setUint32(i * 4, (l as { bits: number }).bits, true); break;
      default: view.setBigUint64(i * 8, (l as { bits: bigint }).bits, true); break;
    }
  });
  return bytes;
}

function headKeyword(e: List): string | undefined {
  const h = e.items[0];
  return h && h.kind === 'atom' && h.token === 'keyword' ? h.text : undefined;
}

function isKeyword(x: SExpr | undefined, text: string): boolean {
  return x !== undefined && x.kind === 'atom' && x.token === 'keyword' && x.text === text;
}

function isId(x: SExpr | undefined): boolean {
  return x !== undefined && x.kind === 'atom' && x.token === 'id';
}

function at(x: SExpr | undefined, parent: List): number {
  return x ? x.pos : parent.pos;
}
