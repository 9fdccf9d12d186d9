// The WIT lexer (WIT.md "Lexical structure"). Tokens are produced on demand because package
// versions are full semver (`0.2.0-rc-2023-11-10+build.1`), which is scanned from the raw text
// after an `@` rather than assembled from tokens. Doc comments (`///` and `/** */`) are kept
// and attached to the next token; other comments are whitespace.

import { type SourceFile, type Span, WitError } from './source.js';

export type TokenKind =
  | 'id'        // a kebab-case identifier, or %-prefixed (then `explicit`)
  | 'keyword'
  | 'integer'
  | 'string'
  | 'op'        // = , : ; ( ) { } < > * -> / . @ _
  | 'eof';

export interface Token extends Span {
  readonly kind: TokenKind;
  /** The identifier without `%`, the keyword, the operator, the digits, or the string's value. */
  readonly value: string;
  /** The identifier was written with a leading `%` (so it is never a keyword). */
  readonly explicit?: boolean;
  /** Doc comments written before this token, one string per comment. */
  readonly docs?: string[];
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'as', 'async', 'bool', 'borrow', 'char', 'constructor', 'enum', 'export', 'f32', 'f64', 'flags',
  'from', 'func', 'future', 'import', 'include', 'interface', 'list', 'map', 'option', 'own',
  'package', 'record', 'resource', 'result', 's16', 's32', 's64', 's8', 'static', 'stream',
  'string', 'tuple', 'type', 'u16', 'u32', 'u64', 'u8', 'use', 'variant', 'with', 'world',
  'error-context',
]);

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
const isIdChar = (c: number) => isDigit(c) || isLower(c) || isUpper(c) || c === 0x2d;

export class Lexer {
  pos = 0;
  private peeked?: Token;

  constructor(readonly file: SourceFile) {
    checkCharacters(file);
  }

  private span(start: number, end = this.pos): Span {
    return { file: this.file, start, end };
  }

  error(message: string, start: number, end = start + 1): never {
    throw new WitError(message, this.span(start, end));
  }

  peek(): Token {
    return (this.peeked ??= this.scan());
  }

  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  /** Re-reads from offset (used after scanning a version from the raw text). */
  reset(offset: number): void {
    this.pos = offset;
    this.peeked = undefined;
  }

  /** Scans a semver string starting at offset (just after an `@`); returns it and its span. */
  version(offset: number): { text: string; span: Span } {
    const text = this.file.text;
    while (text[offset] === ' ' || text[offset] === '\t') offset++;
    let end = offset;
    while (end < text.length && (isIdChar(text.charCodeAt(end)) || text[end] === '.' || text[end] === '+')) end++;
    // A version is followed by `;`, `{`, `.{` (a use list) or whitespace: a trailing `.` belongs
    // to the use syntax, not to the version.
    while (end > offset && text[end - 1] === '.') end--;
    const v = text.slice(offset, end);
    const span = this.span(offset, end);
    if (!isSemver(v)) throw new WitError(v === '' ? 'expected a version after `@`' : `invalid semver version \`${v}\``, span);
    this.reset(end);
    return { text: v, span };
  }

  private scan(): Token {
    const text = this.file.text;
    let docs: string[] | undefined;
    // Whitespace and comments.
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) { this.pos++; continue; }
      if (c === 0x2f && text.charCodeAt(this.pos + 1) === 0x2f) {
        const end = text.indexOf('\n', this.pos);
        const stop = end < 0 ? text.length : end;
        const body = text.slice(this.pos, stop).replace(/\r$/, '');
        if (body.startsWith('///') && !body.startsWith('////')) (docs ??= []).push(stripLineDoc(body));
        this.pos = stop;
        continue;
      }
      if (c === 0x2f && text.charCodeAt(this.pos + 1) === 0x2a) {
        const start = this.pos;
        let depth = 0;
        while (this.pos < text.length) {
          if (text.startsWith('/*', this.pos)) { depth++; this.pos += 2; continue; }
          if (text.startsWith('*/', this.pos)) { depth--; this.pos += 2; if (depth === 0) break; continue; }
          this.pos++;
        }
        if (depth !== 0) this.error('unterminated block comment', start, start + 2);
        const body = text.slice(start, this.pos);
        if (body.startsWith('/**') && body !== '/**/' && !body.startsWith('/***')) (docs ??= []).push(stripBlockDoc(body));
        continue;
      }
      break;
    }
    const start = this.pos;
    if (start >= text.length) return { kind: 'eof', value: '', file: this.file, start, end: start, docs };
    const c = text.charCodeAt(start);
    const tok = (kind: TokenKind, value: string, explicit?: boolean): Token =>
      ({ kind, value, file: this.file, start, end: this.pos, ...(explicit ? { explicit } : {}), ...(docs ? { docs } : {}) });

    if (c === 0x2d && text.charCodeAt(start + 1) === 0x3e) { this.pos += 2; return tok('op', '->'); }
    if ('=,:;(){}<>*/.@_'.includes(text[start]) && !(text[start] === '_' && isIdChar(text.charCodeAt(start + 1)))) {
      this.pos++;
      return tok('op', text[start]);
    }
    if (isDigit(c)) {
      while (isDigit(text.charCodeAt(this.pos))) this.pos++;
      return tok('integer', text.slice(start, this.pos));
    }
    if (c === 0x22) return tok('string', this.stringLiteral());
    const explicit = c === 0x25; // %
    if (explicit) this.pos++;
    const idStart = this.pos;
    while (isIdChar(text.charCodeAt(this.pos))) this.pos++;
    if (this.pos === idStart) {
      const cp = text.codePointAt(start)!;
      this.error(`unexpected character ${JSON.stringify(String.fromCodePoint(cp))}`, start, start + (cp > 0xffff ? 2 : 1));
    }
    const name = text.slice(idStart, this.pos);
    checkIdentifier(name, (m) => this.error(m, start, this.pos));
    if (!explicit && KEYWORDS.has(name)) return tok('keyword', name);
    return tok('id', name, explicit);
  }

  /** A core text-format `name` string: `\t \n \r \" \' \\ \hh \u{...}`. */
  private stringLiteral(): string {
    const text = this.file.text;
    const start = this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= text.length || text[this.pos] === '\n') this.error('unterminated string literal', start);
      const ch = text[this.pos];
      if (ch === '"') { this.pos++; return out; }
      if (ch !== '\\') { out += ch; this.pos++; continue; }
      const e = text[this.pos + 1];
      const simple: Record<string, string> = { t: '\t', n: '\n', r: '\r', '"': '"', "'": "'", '\\': '\\' };
      if (e in simple) { out += simple[e]; this.pos += 2; continue; }
      const u = /^u\{([0-9a-fA-F]+)\}/.exec(text.slice(this.pos + 1, this.pos + 12));
      if (u) {
        const cp = parseInt(u[1], 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.error('invalid unicode escape', this.pos);
        out += String.fromCodePoint(cp);
        this.pos += 1 + u[0].length;
        continue;
      }
      const h = /^[0-9a-fA-F]{2}/.exec(text.slice(this.pos + 1, this.pos + 3));
      if (h) { out += String.fromCharCode(parseInt(h[0], 16)); this.pos += 3; continue; }
      this.error('invalid escape in string literal', this.pos, this.pos + 2);
    }
  }
}

function stripLineDoc(body: string): string {
  const s = body.slice(3);
  return s.startsWith(' ') ? s.slice(1) : s;
}

function stripBlockDoc(body: string): string {
  const inner = body.slice(3, -2);
  return inner.split('\n').map((l) => l.replace(/^\s*\*? ?/, '').trimEnd()).join('\n').trim();
}

/** Kebab-case words: each is all lower case or all upper case and starts with a letter (Explainer "label"). */
function checkIdentifier(name: string, fail: (m: string) => never): void {
  for (const word of name.split('-')) {
    if (word === '') fail(`invalid identifier \`${name}\`: empty word (identifiers are kebab-case)`);
    if (isDigit(word.charCodeAt(0))) fail(`invalid identifier \`${name}\`: a word starts with a digit`);
    let lower = false;
    let upper = false;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (isLower(c)) lower = true;
      if (isUpper(c)) upper = true;
    }
    if (lower && upper) fail(`invalid identifier \`${name}\`: the word \`${word}\` mixes upper and lower case`);
  }
}

/** WIT files may not contain control codes other than tab, newline and carriage return, nor bidi overrides. */
function checkCharacters(file: SourceFile): void {
  const text = file.text;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const bad = (c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f
      || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    if (bad) throw new WitError(`invalid character U+${c.toString(16).toUpperCase().padStart(4, '0')} in WIT source`, { file, start: i, end: i + 1 });
  }
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function isSemver(v: string): boolean {
  return SEMVER.test(v);
}
