// Lexical layer of the text format (spec §6.2 "Lexical Format"): tokens, comments, annotations,
// grouped by parentheses into an S-expression tree (see sexpr.ts).
//
// Tokens are scanned as maximal runs of idchars, strings and the reserved punctuation `, ; [ ] { }`
// and then classified; a run that is not exactly one keyword, id, number or string is a `reserved`
// token, which is how the spec makes `0$x`, `"a""b"` or `$l"a"` malformed (the parser rejects it).
//
// Annotations `(@id ...)` are dropped from the tree, except `(@custom ...)`, which is kept on the
// enclosing List's `annotations` as a List whose first item is the keyword atom `@custom`
// (its contents are not interpreted here: that is the custom-section parser's job).

import { CompileError } from '../errors.js';
import type { Atom, List, SExpr, TokenKind } from './sexpr.js';

// Character classes for ASCII, indexed by char code.
const C_OTHER = 0;
const C_SPACE = 1;
const C_IDCHAR = 2;
/** `, [ ] { }`: reserved punctuation (3.0), part of a reserved token. */
const C_PUNCT = 3;

const CLASS = new Uint8Array(128);
for (const c of ' \t\n\r') CLASS[c.charCodeAt(0)] = C_SPACE;
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = C_IDCHAR;
for (let c = 0x41; c <= 0x5a; c++) CLASS[c] = C_IDCHAR;
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = C_IDCHAR;
for (const c of "!#$%&'*+-./:<=>?@\\^_`|~") CLASS[c.charCodeAt(0)] = C_IDCHAR;
for (const c of ',[]{}') CLASS[c.charCodeAt(0)] = C_PUNCT;

const CH_LPAR = 0x28;
const CH_RPAR = 0x29;
const CH_SEMI = 0x3b;
const CH_QUOTE = 0x22;
const CH_AT = 0x40;
const CH_DOLLAR = 0x24;
const CH_BSLASH = 0x5c;

/** Number tokens (spec: uN, sN, fN), with underscores only between digits. */
const NUM_RE =
  /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?|0x[0-9a-fA-F](?:_?[0-9a-fA-F])*(?:\.(?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?(?:[pP][+-]?\d(?:_?\d)*)?|inf|nan(?::0x[0-9a-fA-F](?:_?[0-9a-fA-F])*)?)$/;

const EMPTY_BYTES = new Uint8Array(0);

interface Frame {
  items: SExpr[];
  pos: number;
  annotations: List[] | undefined;
  /** 0: ordinary list; 1: annotation to drop; 2: `(@custom ...)` to keep on the parent. */
  annot: 0 | 1 | 2;
  /** Opened with `(@`, at any depth. */
  isAnnot: boolean;
}

/** Parses text into its top-level S-expressions. Throws CompileError on lexical errors or unbalanced parentheses. */
export function parseSExprs(source: string): SExpr[] {
  return parseSExprRoot(source).items;
}

/**
 * Like parseSExprs, but returns a synthetic List (pos 0) holding the top-level items, so that
 * top-level `(@custom ...)` annotations (as in a module written without `(module ...)`) are kept.
 */
export function parseSExprRoot(source: string): List {
  return new Lexer(source).run();
}

/**
 * Canonical spelling of an id atom: `$name`, with `$"..."` decoded, so that `$x` and `$"x"` agree.
 */
export function idName(a: Atom): string {
  if (a.bytes === undefined) return a.text;
  return '$' + (decodeUtf8(a.bytes) ?? a.text.slice(1));
}

/** Is the text a valid number token (spec: uN | sN | fN)? */
export function isNumToken(text: string): boolean {
  return NUM_RE.test(text);
}

class Lexer {
  private pos = 0;
  constructor(private readonly src: string) {}

  private error(message: string, at: number): never {
    throw new CompileError(message, at);
  }

  run(): List {
    const src = this.src;
    const len = src.length;
    const root: Frame = { items: [], pos: 0, annotations: undefined, annot: 0, isAnnot: false };
    const stack: Frame[] = [];
    let top = root;
    // Depth of annotation nesting: inside an annotation, nested `(@x ...)` are ordinary lists.
    let annotDepth = 0;
    let i = 0;
    while (i < len) {
      const c = src.charCodeAt(i);
      const cls = c < 128 ? CLASS[c] : C_OTHER;
      if (cls === C_SPACE) { i++; continue; }
      if (c === CH_LPAR) {
        const n = src.charCodeAt(i + 1);
        if (n === CH_SEMI) { i = this.blockComment(i); continue; }
        const frame: Frame = { items: [], pos: i, annotations: undefined, annot: 0, isAnnot: false };
        if (n === CH_AT && annotDepth === 0) {
          // Annotation (inside one, `(@` is just a parenthesis followed by a token): `(@` annotid, where annotid is idchar+ or a non-empty UTF-8 string.
          this.pos = i + 2;
          const idStart = i + 2;
          const id = this.scanRun();
          const idText = src.slice(idStart, this.pos);
          if (id.strings === 0 ? idText.length === 0 || id.punct : !(id.strings === 1 && src.charCodeAt(idStart) === CH_QUOTE && id.lastStringEnd === this.pos)) {
            this.error('empty annotation id', i);
          }
          if (id.strings === 1) {
            const b = id.lastBytes!;
            if (b.length === 0) this.error('empty annotation id', i);
            checkUtf8(b, idStart);
          }
          frame.annot = idText === 'custom' ? 2 : 1;
          annotDepth++;
          frame.isAnnot = true;
          frame.items.push({ kind: 'atom', token: 'keyword', text: '@' + idText, pos: i + 1 } as Atom);
          stack.push(top);
          top = frame;
          i = this.pos;
          this.checkDelimiter(i);
          continue;
        }
        stack.push(top);
        top = frame;
        i++;
        continue;
      }
      if (c === CH_RPAR) {
        if (stack.length === 0) this.error('unexpected token', i);
        const done = top;
        top = stack.pop()!;
        const list: List = done.annotations
          ? { kind: 'list', items: done.items, pos: done.pos, annotations: done.annotations }
          : { kind: 'list', items: done.items, pos: done.pos };
        if (done.isAnnot) annotDepth--;
        if (done.annot === 1) {
          // dropped
        } else if (done.annot === 2) {
          (top.annotations ??= []).push(list);
        } else {
          top.items.push(list);
        }
        i++;
        continue;
      }
      if (c === CH_SEMI && src.charCodeAt(i + 1) === CH_SEMI) {
        // A line comment ends at a newline or a carriage return (spec: linechar excludes both).
        let j = i + 2;
        while (j < len) {
          const d = src.charCodeAt(j);
          if (d === 0x0a || d === 0x0d) break;
          j++;
        }
        i = j;
        continue;
      }
      if (cls === C_IDCHAR || cls === C_PUNCT || c === CH_SEMI || c === CH_QUOTE) {
        this.pos = i;
        top.items.push(this.token());
        i = this.pos;
        this.checkDelimiter(i);
        continue;
      }
      this.illegal(i);
    }
    if (stack.length > 0) {
      this.error(annotDepth > 0 ? 'unclosed annotation' : 'unclosed parenthesis', top.pos);
    }
    return root.annotations
      ? { kind: 'list', items: root.items, pos: 0, annotations: root.annotations }
      : { kind: 'list', items: root.items, pos: 0 };
  }

  private illegal(i: number): never {
    const c = this.src.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff || c === 0xfffd) this.error('malformed UTF-8 encoding', i);
    this.error('illegal character', i);
  }

  /** After a token, only whitespace, a parenthesis, a comment or the end may follow. */
  private checkDelimiter(i: number): void {
    if (i >= this.src.length) return;
    const c = this.src.charCodeAt(i);
    if (c === CH_LPAR || c === CH_RPAR || c < 128 && CLASS[c] === C_SPACE) return;
    if (c === CH_SEMI && this.src.charCodeAt(i + 1) === CH_SEMI) return;
    this.illegal(i);
  }

  /** Skips a (nestable) block comment starting at `(;`; returns the index after it. */
  private blockComment(start: number): number {
    const src = this.src;
    let depth = 0;
    let i = start;
    const len = src.length;
    while (i < len) {
      const c = src.charCodeAt(i);
      if (c === CH_LPAR && src.charCodeAt(i + 1) === CH_SEMI) { depth++; i += 2; continue; }
      if (c === CH_SEMI && src.charCodeAt(i + 1) === CH_RPAR) {
        i += 2;
        if (--depth === 0) return i;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) this.error('malformed UTF-8 encoding', i);
      i++;
    }
    return this.error('unclosed comment', start);
  }

  /** Scans a maximal run of idchars, punctuation, lone `;` and strings from this.pos. */
  private scanRun(): { strings: number; punct: boolean; lastBytes: Uint8Array | undefined; lastStringEnd: number } {
    const src = this.src;
    const len = src.length;
    let i = this.pos;
    let strings = 0;
    let punct = false;
    let lastBytes: Uint8Array | undefined;
    let lastStringEnd = -1;
    while (i < len) {
      const c = src.charCodeAt(i);
      if (c < 128) {
        const cls = CLASS[c];
        if (cls === C_IDCHAR) { i++; continue; }
        if (cls === C_PUNCT) { punct = true; i++; continue; }
        if (c === CH_SEMI && src.charCodeAt(i + 1) !== CH_SEMI) { punct = true; i++; continue; }
        if (c === CH_QUOTE) {
          this.pos = i;
          lastBytes = this.string();
          i = this.pos;
          lastStringEnd = i;
          strings++;
          continue;
        }
      }
      break;
    }
    this.pos = i;
    return { strings, punct, lastBytes, lastStringEnd };
  }

  /** Scans one token at this.pos and classifies it. */
  private token(): Atom {
    const src = this.src;
    const start = this.pos;
    const c = src.charCodeAt(start);
    // Fast path for the common case: a run of idchars only.
    let i = start;
    const len = src.length;
    while (i < len) {
      const d = src.charCodeAt(i);
      if (d < 128 && CLASS[d] === C_IDCHAR) i++;
      else break;
    }
    const d = i < len ? src.charCodeAt(i) : 0x20;
    const simpleEnd = !(d === CH_QUOTE || d < 128 && CLASS[d] === C_PUNCT || d === CH_SEMI && src.charCodeAt(i + 1) !== CH_SEMI);
    if (simpleEnd && i > start) {
      this.pos = i;
      const text = src.slice(start, i);
      if (text === '$') this.error('empty identifier', start);
      return { kind: 'atom', token: classify(text, c), text, pos: start };
    }
    const run = this.scanRun();
    const end = this.pos;
    const text = src.slice(start, end);
    if (run.strings === 1 && !run.punct) {
      if (c === CH_QUOTE && run.lastStringEnd === end) {
        return { kind: 'atom', token: 'string', text, pos: start, bytes: run.lastBytes };
      }
      if (c === CH_DOLLAR && src.charCodeAt(start + 1) === CH_QUOTE && run.lastStringEnd === end) {
        const bytes = run.lastBytes!;
        if (bytes.length === 0) this.error('empty identifier', start);
        checkUtf8(bytes, start);
        return { kind: 'atom', token: 'id', text, pos: start, bytes };
      }
    }
    if (text === '$') this.error('empty identifier', start);
    return { kind: 'atom', token: 'reserved', text, pos: start };
  }

  /** Scans a string literal at this.pos (on the opening quote); returns its bytes. */
  private string(): Uint8Array {
    const src = this.src;
    const len = src.length;
    const start = this.pos;
    let i = start + 1;
    // Fast path: printable ASCII without escapes.
    while (i < len) {
      const c = src.charCodeAt(i);
      if (c === CH_QUOTE) {
        this.pos = i + 1;
        if (i === start + 1) return EMPTY_BYTES;
        const out = new Uint8Array(i - start - 1);
        for (let k = start + 1, o = 0; k < i; k++, o++) out[o] = src.charCodeAt(k);
        return out;
      }
      if (c < 0x20 || c >= 0x7f || c === CH_BSLASH) break;
      i++;
    }
    // General path.
    const bytes: number[] = [];
    for (let k = start + 1; k < i; k++) bytes.push(src.charCodeAt(k));
    for (;;) {
      if (i >= len) this.error('unclosed string', start);
      const c = src.charCodeAt(i);
      if (c === CH_QUOTE) { i++; break; }
      if (c === 0x0a) this.error('unclosed string', start);
      if (c < 0x20 || c === 0x7f) this.error('illegal control character in string', i);
      if (c === CH_BSLASH) {
        const e = src.charCodeAt(i + 1);
        switch (e) {
          case 0x74: bytes.push(0x09); i += 2; continue; // \t
          case 0x6e: bytes.push(0x0a); i += 2; continue; // \n
          case 0x72: bytes.push(0x0d); i += 2; continue; // \r
          case 0x22: bytes.push(0x22); i += 2; continue;
          case 0x27: bytes.push(0x27); i += 2; continue;
          case 0x5c: bytes.push(0x5c); i += 2; continue;
          case 0x75: { // \u{hexnum}
            if (src.charCodeAt(i + 2) !== 0x7b) this.error('illegal escape', i);
            let k = i + 3;
            let v = 0;
            let digits = 0;
            let lastUnderscore = true;
            for (;;) {
              const h = src.charCodeAt(k);
              const hv = hexVal(h);
              if (hv >= 0) {
                v = v * 16 + hv;
                if (v > 0x10ffff) this.error('illegal escape', i);
                digits++;
                lastUnderscore = false;
                k++;
              } else if (h === 0x5f && !lastUnderscore) {
                lastUnderscore = true;
                k++;
              } else break;
            }
            if (digits === 0 || lastUnderscore || src.charCodeAt(k) !== 0x7d) this.error('illegal escape', i);
            if (v >= 0xd800 && v < 0xe000) this.error('illegal escape', i);
            pushUtf8(bytes, v);
            i = k + 1;
            continue;
          }
          default: {
            const h1 = hexVal(e);
            const h2 = hexVal(src.charCodeAt(i + 2));
            if (h1 < 0 || h2 < 0) this.error('illegal escape', i);
            bytes.push(h1 * 16 + h2);
            i += 3;
            continue;
          }
        }
      }
      if (c < 0x80) { bytes.push(c); i++; continue; }
      // Non-ASCII source character: encode as UTF-8; a lone surrogate stands for malformed UTF-8 input.
      let cp = c;
      if (c >= 0xd800 && c <= 0xdbff) {
        const lo = src.charCodeAt(i + 1);
        if (!(lo >= 0xdc00 && lo <= 0xdfff)) this.error('malformed UTF-8 encoding', i);
        cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i += 2;
      } else {
        if (c >= 0xdc00 && c <= 0xdfff) this.error('malformed UTF-8 encoding', i);
        i++;
      }
      pushUtf8(bytes, cp);
    }
    this.pos = i;
    return Uint8Array.from(bytes);
  }
}

function classify(text: string, c: number): TokenKind {
  if (c >= 0x61 && c <= 0x7a) {
    // `inf`, `nan`, `nan:0x...` are numbers; other words starting with a-z are keywords.
    if ((c === 0x69 || c === 0x6e) && NUM_RE.test(text)) return 'num';
    return 'keyword';
  }
  if (c === CH_DOLLAR) return text.length > 1 ? 'id' : 'reserved';
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d) return NUM_RE.test(text) ? 'num' : 'reserved';
  return 'reserved';
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

function checkUtf8(bytes: Uint8Array, pos: number): void {
  if (decodeUtf8(bytes) === undefined) throw new CompileError('malformed UTF-8 encoding', pos);
}

/**
 * Decodes UTF-8 strictly (no overlongs, surrogates or values above U+10FFFF), as names require.
 * Returns undefined when malformed.
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  let s = '';
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    let cp: number;
    if (b < 0x80) { cp = b; i++; }
    else if (b >= 0xc2 && b <= 0xdf) {
      if (i + 1 >= n) return undefined;
      const b1 = bytes[i + 1]!;
      if ((b1 & 0xc0) !== 0x80) return undefined;
      cp = ((b & 0x1f) << 6) | (b1 & 0x3f);
      i += 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      if (i + 2 >= n) return undefined;
      const b1 = bytes[i + 1]!, b2 = bytes[i + 2]!;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80) return undefined;
      cp = ((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
      i += 3;
    } else if (b >= 0xf0 && b <= 0xf4) {
      if (i + 3 >= n) return undefined;
      const b1 = bytes[i + 1]!, b2 = bytes[i + 2]!, b3 = bytes[i + 3]!;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return undefined;
      cp = ((b & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
      if (cp < 0x10000 || cp > 0x10ffff) return undefined;
      i += 4;
    } else return undefined;
    s += String.fromCodePoint(cp);
  }
  return s;
}
