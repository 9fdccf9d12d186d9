// WAVE, the WebAssembly Value Encoding (wasm-tools crates/wasm-wave: README and wave_ebnf.md):
// the text form of component values that wasmtime's `--invoke 'f(args)'` reads and prints.
// Parsing is directed by a value type and produces JavaScript values in jco's conventions (the
// ones the canonical ABI lifts and lowers): numbers, BigInt for 64-bit integers, one-character
// strings for chars, typed arrays for lists of numbers, arrays for tuples, objects with
// lowerCamelCase keys for records and flags, `{ tag, val }` for variants and results, strings for
// enum cases, `undefined` / the value for options (`{ tag: 'some' | 'none' }` when nested), Map
// for maps. Printing goes the other way and writes what wasm-wave's writer writes.

import type { Case, Field, PrimKind, WitType } from './types.js';
import { camel } from './js-name.js';

/**
 * The value types WAVE works on: WIT's (`types.ts`), and any tree of the same shape, such as
 * the component layer's resolved types (resources are not looked at: they have no WAVE form).
 */
export type WaveType =
  | { readonly kind: PrimKind }
  | { readonly kind: 'list'; readonly elem: WaveType; readonly length?: number }
  | { readonly kind: 'map'; readonly key: WaveType; readonly value: WaveType }
  | { readonly kind: 'tuple'; readonly types: readonly WaveType[] }
  | { readonly kind: 'option'; readonly type: WaveType }
  | { readonly kind: 'result'; readonly ok?: WaveType; readonly err?: WaveType }
  | { readonly kind: 'future' | 'stream'; readonly type?: WaveType }
  | { readonly kind: 'own' | 'borrow'; readonly resource: unknown }
  | { readonly kind: 'record'; readonly fields: readonly { readonly name: string; readonly type: WaveType }[] }
  | { readonly kind: 'variant'; readonly cases: readonly { readonly name: string; readonly type?: WaveType }[] }
  | { readonly kind: 'enum' | 'flags'; readonly names: readonly string[] }
  | { readonly kind: 'named'; readonly def: { readonly name: string; readonly kind: WaveDefKind } };

type WaveDefKind =
  | { readonly kind: 'record'; readonly fields: readonly Field[] }
  | { readonly kind: 'variant'; readonly cases: readonly Case[] }
  | { readonly kind: 'enum' | 'flags'; readonly names: readonly string[] }
  | { readonly kind: 'resource' }
  | { readonly kind: 'alias'; readonly type: WitType };

// WitType is one of the shapes WaveType accepts.
const _witIsWave: (t: WitType) => WaveType = (t) => t;
void _witIsWave;

/** A malformed WAVE value, or a JS value that does not fit its type. */
export class WaveError extends Error {
  constructor(message: string, readonly line?: number, readonly column?: number) {
    super(line === undefined ? message : `${message} (at ${line}:${column})`);
    this.name = 'WaveError';
  }
}

const KEYWORDS = new Set(['true', 'false', 'inf', 'nan', 'some', 'none', 'ok', 'err']);

// Sticky: matched at the cursor without slicing the text.
const LABEL = /(%?)([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)*)(?![A-Za-z0-9-])/y;
const NUMBER = /(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|nan|-?inf)(?![A-Za-z0-9_.-])/y;
const INTEGER = /^-?(0|[1-9][0-9]*)$/;

/** The structure of a type: `named` references and aliases skipped. */
function structure(t: WaveType): WaveType {
  for (let i = 0; t.kind === 'named'; i++) {
    const k = t.def.kind;
    if (k.kind === 'alias') t = k.type;
    else if (k.kind === 'resource') return { kind: 'own', resource: t.def };
    else return k;
    if (i > 1000) throw new WaveError(`type ${t.kind} does not resolve`);
  }
  return t;
}

const TYPED: Partial<Record<string, { new (values: ArrayLike<number> | ArrayLike<bigint>): ArrayLike<unknown> }>> = {
  u8: Uint8Array, s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array, s32: Int32Array,
  u64: BigUint64Array, s64: BigInt64Array, f32: Float32Array, f64: Float64Array,
} as never;

const INT_RANGE: Record<string, [bigint, bigint]> = {
  s8: [-0x80n, 0x7fn], u8: [0n, 0xffn], s16: [-0x8000n, 0x7fffn], u16: [0n, 0xffffn],
  s32: [-0x80000000n, 0x7fffffffn], u32: [0n, 0xffffffffn],
  s64: [-0x8000000000000000n, 0x7fffffffffffffffn], u64: [0n, 0xffffffffffffffffn],
};

const NUM_RANGE: Record<string, [number, number]> = Object.fromEntries(Object.entries(INT_RANGE).map(([k, [lo, hi]]) => [k, [Number(lo), Number(hi)]]));

// ------------------------------------------------------------------ parsing

/** Parses one WAVE value of type `type` (whitespace and `//` comments around it allowed). */
export function parseWave(text: string, type: WaveType): unknown {
  const p = new WaveParser(text);
  p.ws();
  const v = p.value(type);
  p.ws();
  if (!p.atEnd()) p.fail('unexpected text after the value');
  return v;
}

/**
 * Parses function arguments `a, b, ...` (without the parentheses) for parameter types; trailing
 * `none` options may be left out (WAVE README, "Function arguments").
 */
export function parseWaveArgs(text: string, params: readonly WaveType[]): unknown[] {
  const p = new WaveParser(text);
  const args: unknown[] = [];
  p.ws();
  while (!p.atEnd()) {
    if (args.length >= params.length) p.fail(`too many arguments (expected ${params.length})`);
    args.push(p.value(params[args.length]));
    p.ws();
    if (p.atEnd()) break;
    p.expect(',');
    p.ws();
  }
  for (let i = args.length; i < params.length; i++) {
    if (structure(params[i]).kind !== 'option') p.fail(`missing argument ${i + 1} of ${params.length}`);
    args.push(undefined);
  }
  return args;
}

/** Splits a call `name(args)` (as given to `--invoke`) into the name and the argument text. */
export function parseWaveCall(text: string): { name: string; args: string } {
  const open = text.indexOf('(');
  const name = (open < 0 ? text : text.slice(0, open)).trim();
  if (open < 0) throw new WaveError(`expected \`name(arguments)\`, found \`${text}\``);
  if (name === '') throw new WaveError('missing function name before `(`', 1, open + 1);
  const close = text.lastIndexOf(')');
  if (close < open || text.slice(close + 1).trim() !== '') {
    const { line, column } = position(text, close < open ? text.length : close + 1);
    throw new WaveError('expected `)` at the end of the call', line, column);
  }
  // Argument positions are reported relative to the whole call.
  return { name, args: ' '.repeat(open + 1) + text.slice(open + 1, close) };
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return { line, column };
}

class WaveParser {
  pos = 0;
  constructor(readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(message: string, at = this.pos): never {
    const { line, column } = position(this.text, at);
    throw new WaveError(message, line, column);
  }

  /** Whitespace and `//` comments. */
  ws(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { this.pos++; continue; }
      if (c === '/' && t[this.pos + 1] === '/') {
        const nl = t.indexOf('\n', this.pos);
        this.pos = nl < 0 ? t.length : nl;
        continue;
      }
      return;
    }
  }

  peekChar(): string | undefined {
    return this.text[this.pos];
  }

  eat(c: string): boolean {
    if (this.text.startsWith(c, this.pos)) { this.pos += c.length; return true; }
    return false;
  }

  expect(c: string): void {
    if (!this.eat(c)) this.fail(`expected \`${c}\`, found ${this.found()}`);
  }

  found(): string {
    if (this.atEnd()) return 'end of input';
    const m = /^(%?[A-Za-z][A-Za-z0-9-]*|-?[0-9][0-9.eE+-]*|.)/u.exec(this.text.slice(this.pos))!;
    return `\`${m[0]}\``;
  }

  /** A label (`%` optional), without consuming it unless `consume`. */
  label(consume = true): { name: string; explicit: boolean; start: number } | undefined {
    LABEL.lastIndex = this.pos;
    const m = LABEL.exec(this.text);
    if (m === null) return undefined;
    const start = this.pos;
    for (const w of m[2].split('-')) {
      if (w !== w.toLowerCase() && w !== w.toUpperCase()) this.fail(`invalid label \`${m[2]}\`: a word mixes upper and lower case`);
    }
    if (consume) this.pos += m[0].length;
    return { name: m[2], explicit: m[1] === '%', start };
  }

  /** A bare keyword (`true`, `none`, ...) at the cursor, consumed when it matches. */
  keyword(...words: string[]): string | undefined {
    const l = this.label(false);
    if (l === undefined || l.explicit || !words.includes(l.name)) return undefined;
    this.pos += l.name.length;
    return l.name;
  }

  value(type: WaveType): unknown {
    const t = structure(type);
    switch (t.kind) {
      case 'bool': {
        const k = this.keyword('true', 'false');
        if (k === undefined) this.fail(`expected \`true\` or \`false\`, found ${this.found()}`);
        return k === 'true';
      }
      case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': case 's64': case 'u64':
        return this.integer(t.kind);
      case 'f32': case 'f64':
        return this.float(t.kind);
      case 'char': return this.char();
      case 'string': return this.string();
      case 'list': {
        const start = this.pos;
        const items = this.sequence('[', ']', t.elem);
        if (t.length !== undefined && items.length !== t.length) this.fail(`expected a list of ${t.length} elements, found ${items.length}`, start);
        const Typed = t.length === undefined ? TYPED[structure(t.elem).kind] : undefined;
        return Typed ? new Typed(items as ArrayLike<number>) : items;
      }
      case 'tuple': {
        const start = this.pos;
        this.expect('(');
        const out: unknown[] = [];
        for (let i = 0; ; i++) {
          this.ws();
          if (this.eat(')')) { if (i !== t.types.length) this.fail(`expected a tuple of ${t.types.length} values, found ${i}`, start); break; }
          if (i >= t.types.length) this.fail(`too many values for a tuple of ${t.types.length}`);
          out.push(this.value(t.types[i]));
          this.ws();
          if (!this.eat(',')) { this.ws(); this.expect(')'); if (i + 1 !== t.types.length) this.fail(`expected a tuple of ${t.types.length} values, found ${i + 1}`, start); break; }
        }
        return out;
      }
      case 'record': return this.record(t.fields);
      case 'flags': return this.flags(t.names);
      case 'map': return this.map(t.key, t.value);
      case 'enum': {
        const l = this.caseLabel();
        if (!t.names.includes(l.name)) this.fail(`unknown enum case \`${l.name}\` (expected one of ${t.names.join(', ')})`, l.start);
        return l.name;
      }
      case 'variant': {
        const l = this.caseLabel();
        const c = t.cases.find((x) => x.name === l.name);
        if (c === undefined) this.fail(`unknown variant case \`${l.name}\` (expected one of ${t.cases.map((x) => x.name).join(', ')})`, l.start);
        const val = this.payload(c.type, l.name);
        return c.type === undefined ? { tag: c.name } : { tag: c.name, val };
      }
      case 'option': {
        const inner = structure(t.type);
        const nested = inner.kind === 'option';
        const at = this.pos;
        const k = this.keyword('some', 'none');
        if (k === 'none') return nested ? { tag: 'none' } : undefined;
        if (k === 'some') {
          this.ws();
          this.expect('(');
          this.ws();
          const v = this.value(t.type);
          this.ws();
          this.expect(')');
          return nested ? { tag: 'some', val: v } : v;
        }
        if (nested || inner.kind === 'result') this.fail(`expected \`some(...)\` or \`none\` (an option of ${inner.kind} has no flat form), found ${this.found()}`, at);
        return this.value(t.type);
      }
      case 'result': {
        const k = this.keyword('ok', 'err');
        if (k !== undefined) {
          const payloadType = k === 'ok' ? t.ok : t.err;
          return { tag: k, val: this.payload(payloadType, k) };
        }
        const ok = t.ok === undefined ? undefined : structure(t.ok);
        if (ok === undefined || ok.kind === 'option' || ok.kind === 'result') this.fail(`expected \`ok\` or \`err\`, found ${this.found()}`);
        return { tag: 'ok', val: this.value(t.ok!) };
      }
      case 'own': case 'borrow': return this.fail('resource handles have no WAVE form');
      case 'future': case 'stream': case 'error-context': return this.fail(`${t.kind} values have no WAVE form`);
      case 'named': throw new Error('unreachable');
    }
  }

  /** A variant or enum case label: keywords need `%`. */
  private caseLabel(): { name: string; start: number } {
    const l = this.label();
    if (l === undefined) this.fail(`expected a case label, found ${this.found()}`);
    if (!l.explicit && KEYWORDS.has(l.name)) this.fail(`the case \`${l.name}\` is a keyword: write \`%${l.name}\``, l.start);
    return l;
  }

  private payload(type: WaveType | undefined, label: string): unknown {
    const save = this.pos;
    this.ws();
    if (type === undefined) {
      if (this.peekChar() === '(') this.fail(`\`${label}\` has no payload`);
      this.pos = save;
      return undefined;
    }
    if (!this.eat('(')) this.fail(`\`${label}\` needs a payload: \`${label}(...)\``);
    this.ws();
    const v = this.value(type);
    this.ws();
    this.expect(')');
    return v;
  }

  private sequence(open: string, close: string, elem: WaveType): unknown[] {
    this.expect(open);
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.eat(close)) return out;
      out.push(this.value(elem));
      this.ws();
      if (!this.eat(',')) { this.ws(); this.expect(close); return out; }
    }
  }

  private number(): { text: string; start: number } {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) this.fail(`expected a number, found ${this.found()}`);
    const start = this.pos;
    this.pos += m[0].length;
    return { text: m[0], start };
  }

  private integer(kind: string): number | bigint {
    const { text, start } = this.number();
    if (!INTEGER.test(text)) this.fail(`expected an integer (${kind}), found \`${text}\``, start);
    if (kind !== 's64' && kind !== 'u64' && text.length < 12) {
      const n = Number(text);
      const [lo, hi] = INT_RANGE[kind];
      if (n < Number(lo) || n > Number(hi)) this.fail(`${text} is out of range for ${kind}`, start);
      return n;
    }
    const v = BigInt(text);
    const [lo, hi] = INT_RANGE[kind];
    if (v < lo || v > hi) this.fail(`${text} is out of range for ${kind}`, start);
    return kind === 's64' || kind === 'u64' ? v : Number(v);
  }

  private float(kind: 'f32' | 'f64'): number {
    const { text, start } = this.number();
    if (text === 'nan') return NaN;
    if (text === 'inf') return Infinity;
    if (text === '-inf') return -Infinity;
    let v = Number(text);
    if (kind === 'f32') v = Math.fround(v);
    if (!Number.isFinite(v)) this.fail(`${text} is out of range for ${kind}`, start);
    return v;
  }

  private escape(): string {
    const start = this.pos;
    this.pos++; // the backslash
    const c = this.text[this.pos++];
    switch (c) {
      case "'": return "'";
      case '"': return '"';
      case '\\': return '\\';
      case 't': return '\t';
      case 'n': return '\n';
      case 'r': return '\r';
      case 'u': {
        const m = /^\{([0-9a-fA-F]{1,8})\}/.exec(this.text.slice(this.pos));
        if (m === null) this.fail('invalid unicode escape: expected `\\u{HEX}`', start);
        const cp = parseInt(m[1], 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.fail(`\\u{${m[1]}} is not a Unicode scalar value`, start);
        this.pos += m[0].length;
        return String.fromCodePoint(cp);
      }
      default:
        return this.fail(`invalid escape \`\\${c ?? ''}\``, start);
    }
  }

  private char(): string {
    const start = this.pos;
    this.expect("'");
    let s: string;
    if (this.peekChar() === '\\') {
      s = this.escape();
    } else {
      const cp = this.text.codePointAt(this.pos);
      if (cp === undefined || cp === 0x27 || cp === 0x0a) this.fail('expected a character between quotes', start);
      if (cp >= 0xd800 && cp <= 0xdfff) this.fail('a lone surrogate is not a Unicode scalar value');
      s = String.fromCodePoint(cp);
      this.pos += s.length;
    }
    if (!this.eat("'")) this.fail('a char holds exactly one Unicode scalar value', start);
    return s;
  }

  private string(): string {
    const start = this.pos;
    if (this.text.startsWith('"""', this.pos)) return this.multiline();
    this.expect('"');
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') this.fail('unterminated string', start);
      if (c === '"') { this.pos++; return out; }
      if (c === '\\') { out += this.escape(); continue; }
      const cp = this.text.codePointAt(this.pos)!;
      if (cp >= 0xd800 && cp <= 0xdfff && cp === this.text.charCodeAt(this.pos) && (cp >= 0xdc00 || !(this.text.charCodeAt(this.pos + 1) >= 0xdc00 && this.text.charCodeAt(this.pos + 1) <= 0xdfff))) {
        this.fail('a lone surrogate is not a Unicode scalar value');
      }
      const ch = String.fromCodePoint(cp);
      out += ch;
      this.pos += ch.length;
    }
  }

  /** `"""` line-break lines... indent `"""`: the closing delimiter's indent is removed from every line. */
  private multiline(): string {
    const start = this.pos;
    this.pos += 3;
    if (!this.eat('\n') && !this.eat('\r\n')) this.fail('a multiline string starts with `"""` and a line break', start);
    const end = this.text.indexOf('"""', this.pos);
    if (end < 0) this.fail('unterminated multiline string', start);
    const body = this.text.slice(this.pos, end);
    const lastBreak = body.lastIndexOf('\n');
    const indent = body.slice(lastBreak + 1);
    if (!/^ *$/.test(indent)) this.fail('the closing `"""` of a multiline string must be on its own line', end);
    const lines = lastBreak < 0 ? [] : body.slice(0, lastBreak).split('\n').map((l) => l.replace(/\r$/, ''));
    const dedented = lines.map((l, i) => {
      if (l.length < indent.length && l.trim() === '') return '';
      if (!l.startsWith(indent)) this.fail(`line ${i + 1} of the multiline string is indented less than its closing \`"""\``, start);
      return l.slice(indent.length);
    });
    // Escapes are decoded line by line; quotes need none inside `"""`.
    const value = dedented.map((l) => {
      const inner = new WaveParser(l);
      try {
        return inner.rawText();
      } catch (e) {
        if (e instanceof WaveError) this.fail(e.message.replace(/ \(at \d+:\d+\)$/, ''), start);
        throw e;
      }
    }).join('\n');
    this.pos = end + 3;
    return value;
  }

  /** The rest of the text as string characters (escapes decoded, quotes literal). */
  rawText(): string {
    let out = '';
    while (!this.atEnd()) {
      if (this.peekChar() === '\\') { out += this.escape(); continue; }
      const ch = String.fromCodePoint(this.text.codePointAt(this.pos)!);
      out += ch;
      this.pos += ch.length;
    }
    return out;
  }

  private record(fields: readonly { name: string; type: WaveType }[]): Record<string, unknown> {
    const start = this.pos;
    this.expect('{');
    this.ws();
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    if (this.eat(':')) {
      this.ws();
      this.expect('}');
    } else {
      for (;;) {
        this.ws();
        if (this.eat('}')) break;
        const l = this.label();
        if (l === undefined) this.fail(`expected a field name, found ${this.found()}`);
        const f = fields.find((x) => x.name === l.name);
        if (f === undefined) this.fail(`unknown field \`${l.name}\` (fields: ${fields.map((x) => x.name).join(', ')})`, l.start);
        if (seen.has(f.name)) this.fail(`field \`${f.name}\` is given twice`, l.start);
        seen.add(f.name);
        this.ws();
        this.expect(':');
        this.ws();
        out[camel(f.name)] = this.value(f.type);
        this.ws();
        if (!this.eat(',')) { this.ws(); this.expect('}'); break; }
      }
      if (seen.size === 0) this.fail('a record with no fields given is written `{:}`', start);
    }
    for (const f of fields) {
      if (seen.has(f.name)) continue;
      const t = structure(f.type);
      if (t.kind !== 'option') this.fail(`missing field \`${f.name}\``, start);
      out[camel(f.name)] = structure(t.type).kind === 'option' ? { tag: 'none' } : undefined;
    }
    return out;
  }

  private flags(names: readonly string[]): Record<string, boolean> {
    this.expect('{');
    const out: Record<string, boolean> = {};
    for (const n of names) out[camel(n)] = false;
    const seen = new Set<string>();
    for (;;) {
      this.ws();
      if (this.eat('}')) return out;
      const l = this.label();
      if (l === undefined) this.fail(`expected a flag name, found ${this.found()}`);
      if (!names.includes(l.name)) this.fail(`unknown flag \`${l.name}\` (flags: ${names.join(', ')})`, l.start);
      if (seen.has(l.name)) this.fail(`flag \`${l.name}\` is given twice`, l.start);
      seen.add(l.name);
      out[camel(l.name)] = true;
      this.ws();
      if (!this.eat(',')) { this.ws(); this.expect('}'); return out; }
    }
  }

  private map(key: WaveType, value: WaveType): Map<unknown, unknown> {
    this.expect('{');
    const out = new Map<unknown, unknown>();
    this.ws();
    if (this.eat(':')) { this.ws(); this.expect('}'); return out; }
    for (;;) {
      this.ws();
      if (this.eat('}')) return out;
      const k = this.value(key);
      this.ws();
      this.expect(':');
      this.ws();
      out.set(k, this.value(value));
      this.ws();
      if (!this.eat(',')) { this.ws(); this.expect('}'); return out; }
    }
  }
}

// ------------------------------------------------------------------ printing

/** WAVE text of a JS value of type `type` (as wasm-wave's writer prints it). */
export function printWave(value: unknown, type: WaveType): string {
  return print(value, type, () => 'value');
}

/** Function results as `--invoke` prints them: nothing for no result, else the one value. */
export function printWaveResult(value: unknown, type: WaveType | undefined): string {
  return type === undefined ? '' : printWave(value, type);
}

/** Where a value is, for messages: built only when one is needed. */
type Path = () => string;

function mismatch(what: string, v: unknown, path: Path): never {
  const got = v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
  throw new WaveError(`${path()}: expected ${what}, got ${got}`);
}

function print(v: unknown, type: WaveType, path: Path): string {
  const t = structure(type);
  switch (t.kind) {
    case 'bool':
      if (typeof v !== 'boolean') mismatch('a boolean', v, path);
      return v ? 'true' : 'false';
    case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': case 's64': case 'u64': {
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= NUM_RANGE[t.kind][0] && v <= NUM_RANGE[t.kind][1]) return String(v);
      const big = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : mismatch(`an integer (${t.kind})`, v, path);
      const [lo, hi] = INT_RANGE[t.kind];
      if (big < lo || big > hi) throw new WaveError(`${path()}: ${big} is out of range for ${t.kind}`);
      return String(big);
    }
    case 'f32': case 'f64':
      if (typeof v !== 'number') mismatch('a number', v, path);
      return formatFloat(v, t.kind);
    case 'char': {
      if (typeof v !== 'string' || [...v].length !== 1) mismatch('a one-character string', v, path);
      return `'${escapeText(v)}'`;
    }
    case 'string':
      if (typeof v !== 'string') mismatch('a string', v, path);
      return `"${escapeText(v)}"`;
    case 'list': {
      const items = Array.isArray(v) ? v : ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<unknown>) : mismatch('an array or typed array', v, path);
      if (t.length !== undefined && items.length !== t.length) throw new WaveError(`${path()}: expected ${t.length} elements, got ${items.length}`);
      return `[${items.map((x, i) => print(x, t.elem, () => `${path()}[${i}]`)).join(', ')}]`;
    }
    case 'tuple': {
      if (!Array.isArray(v) || v.length !== t.types.length) mismatch(`an array of ${t.types.length}`, v, path);
      return `(${t.types.map((x, i) => print(v[i], x, () => `${path()}[${i}]`)).join(', ')})`;
    }
    case 'record': {
      if (typeof v !== 'object' || v === null) mismatch('an object', v, path);
      const parts: string[] = [];
      for (const f of t.fields) {
        const fv = (v as Record<string, unknown>)[camel(f.name)];
        const ft = structure(f.type);
        if (ft.kind === 'option' && isNone(fv, ft)) continue;
        parts.push(`${f.name}: ${print(fv, f.type, () => `${path()}.${camel(f.name)}`)}`);
      }
      return parts.length === 0 ? '{:}' : `{${parts.join(', ')}}`;
    }
    case 'flags': {
      if (typeof v !== 'object' || v === null) mismatch('an object', v, path);
      return `{${t.names.filter((n) => (v as Record<string, unknown>)[camel(n)]).join(', ')}}`;
    }
    case 'map': {
      if (!(v instanceof Map)) mismatch('a Map', v, path);
      const parts = [...v].map(([k, x]) => `${print(k, t.key, () => `${path()} key`)}: ${print(x, t.value, () => `${path()}[${String(k)}]`)}`);
      return `{${parts.join(', ')}}`;
    }
    case 'enum':
      if (typeof v !== 'string' || !t.names.includes(v)) mismatch(`one of ${t.names.map((n) => `'${n}'`).join(', ')}`, v, path);
      return caseLabel(v);
    case 'variant': {
      const o = v as { tag?: unknown; val?: unknown } | null;
      const c = typeof o === 'object' && o !== null ? t.cases.find((x) => x.name === o.tag) : undefined;
      if (c === undefined) mismatch(`{ tag } with tag one of ${t.cases.map((x) => `'${x.name}'`).join(', ')}`, v, path);
      return caseLabel(c.name) + (c.type === undefined ? '' : `(${print(o!.val, c.type, () => `${path()}.val`)})`);
    }
    case 'option': {
      if (isNone(v, t)) return 'none';
      const nested = structure(t.type).kind === 'option';
      const inner = nested ? (v as { tag?: unknown; val?: unknown }) : undefined;
      if (nested && (typeof inner !== 'object' || inner === null || inner.tag !== 'some')) mismatch("{ tag: 'some' | 'none' }", v, path);
      return `some(${print(nested ? inner!.val : v, t.type, path)})`;
    }
    case 'result': {
      const o = v as { tag?: unknown; val?: unknown } | null;
      if (typeof o !== 'object' || o === null || (o.tag !== 'ok' && o.tag !== 'err')) mismatch("{ tag: 'ok' | 'err', val }", v, path);
      const payload = o.tag === 'ok' ? t.ok : t.err;
      return payload === undefined ? o.tag as string : `${o.tag as string}(${print(o.val, payload, () => `${path()}.val`)})`;
    }
    case 'own': case 'borrow': throw new WaveError(`${path()}: resource handles have no WAVE form`);
    case 'future': case 'stream': case 'error-context': throw new WaveError(`${path()}: ${t.kind} values have no WAVE form`);
    case 'named': throw new Error('unreachable');
  }
}

function isNone(v: unknown, t: WaveType & { kind: 'option' }): boolean {
  if (structure(t.type).kind === 'option') {
    return v === undefined || v === null || (typeof v === 'object' && (v as { tag?: unknown }).tag === 'none');
  }
  return v === undefined || v === null;
}

function caseLabel(name: string): string {
  return KEYWORDS.has(name) ? `%${name}` : name;
}

/** Escapes as wasm-wave's writer: `\\ \" \' \t \r \n` by name, other control characters as `\u{hex}`. */
function escapeText(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case "'": out += "\\'"; break;
      case '\t': out += '\\t'; break;
      case '\r': out += '\\r'; break;
      case '\n': out += '\\n'; break;
      default:
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff)) out += `\\u{${cp.toString(16)}}`;
        else out += ch;
    }
  }
  return out;
}

/**
 * A float as Rust's `Display` writes it (what wasm-wave prints): the shortest digits that read
 * back to the same f32 or f64, never in exponent form; `nan`, `inf`, `-inf`.
 */
export function formatFloat(v: number, kind: 'f32' | 'f64'): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  let s = String(v);
  if (kind === 'f32') {
    const f = Math.fround(v);
    for (let p = 1; p <= 9; p++) {
      const c = Number(f.toPrecision(p));
      if (Math.fround(c) === f) { s = String(c); break; }
    }
  }
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (m === null || m[4] === undefined) return s;
  const [, sign, int, frac = '', exp] = m;
  const digits = int + frac;
  const point = int.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`.replace(/0+$/, '');
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
