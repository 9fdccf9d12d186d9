// WAVE, the WebAssembly Value Encoding (component-model design/mvp/WAVE.md): component values as
// text, read against their type into jco-convention JS values and printed back. Used by
// `kasane run --invoke 'name(args)'` for components. Resources have no text form.

import type { FuncType, Type } from './types.js';
import { camel } from './canonical/values.js';

export class WaveError extends Error {
  constructor(message: string, readonly at?: number) {
    super(at === undefined ? message : `${message} (at character ${at})`);
    this.name = 'WaveError';
  }
}

const TYPED: Partial<Record<string, new (n: number) => ArrayLike<unknown> & { [i: number]: unknown }>> = {
  u8: Uint8Array, s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array, s32: Int32Array,
  u64: BigUint64Array, s64: BigInt64Array, f32: Float32Array, f64: Float64Array,
};

const INT_RANGE: Record<string, [bigint, bigint]> = {
  s8: [-128n, 127n], u8: [0n, 255n], s16: [-32768n, 32767n], u16: [0n, 65535n],
  s32: [-(2n ** 31n), 2n ** 31n - 1n], u32: [0n, 2n ** 32n - 1n], s64: [-(2n ** 63n), 2n ** 63n - 1n], u64: [0n, 2n ** 64n - 1n],
};

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(message: string): never { throw new WaveError(message, this.i); }

  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  peek(): string { this.ws(); return this.s[this.i] ?? ''; }

  eat(c: string): boolean {
    if (this.peek() === c) { this.i++; return true; }
    return false;
  }

  expect(c: string): void {
    if (!this.eat(c)) this.fail(`expected '${c}'`);
  }

  /** A label (kebab-case, optionally %-escaped) or keyword. */
  label(): string {
    this.ws();
    const m = /^%?([a-zA-Z][a-zA-Z0-9]*(?:-[a-zA-Z0-9]+)*)/.exec(this.s.slice(this.i));
    if (m === null) this.fail('expected a label');
    this.i += m[0].length;
    return m[1];
  }

  number(): string {
    this.ws();
    const m = /^-?(?:inf|nan|[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)/.exec(this.s.slice(this.i));
    if (m === null) this.fail('expected a number');
    this.i += m[0].length;
    return m[0];
  }

  quoted(q: string): string {
    this.ws();
    if (this.s[this.i] !== q) this.fail(`expected ${q === '"' ? 'a string' : 'a char'}`);
    this.i++;
    let out = '';
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) this.fail('unterminated literal');
      if (c === q) return out;
      if (c !== '\\') { out += c; continue; }
      const e = this.s[this.i++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '\\': case '\'': case '"': out += e; break;
        case 'u': {
          const m = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.s.slice(this.i));
          if (m === null) this.fail('malformed \\u{...} escape');
          this.i += m[0].length;
          out += String.fromCodePoint(parseInt(m[1], 16));
          break;
        }
        default: this.fail(`unknown escape \\${e}`);
      }
    }
  }

  /** A comma-separated sequence up to `close` (trailing comma allowed). */
  seq(close: string, item: () => void): void {
    while (!this.eat(close)) {
      item();
      if (!this.eat(',')) { this.expect(close); return; }
    }
  }

  value(t: Type): unknown {
    switch (t.kind) {
      case 'bool': {
        const l = this.label();
        if (l !== 'true' && l !== 'false') this.fail('expected true or false');
        return l === 'true';
      }
      case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': case 's64': case 'u64': {
        const at = this.i;
        const text = this.number();
        if (!/^-?[0-9]+$/.test(text)) { this.i = at; this.fail(`expected an integer for ${t.kind}`); }
        const v = BigInt(text);
        const [lo, hi] = INT_RANGE[t.kind];
        if (v < lo || v > hi) { this.i = at; this.fail(`${text} is out of range for ${t.kind}`); }
        return t.kind === 's64' || t.kind === 'u64' ? v : Number(v);
      }
      case 'f32': case 'f64': {
        const text = this.number();
        const v = text === 'nan' || text === '-nan' ? NaN : text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
        return t.kind === 'f32' ? Math.fround(v) : v;
      }
      case 'char': {
        const c = this.quoted('\'');
        if ([...c].length !== 1) this.fail('a char literal holds one character');
        return c;
      }
      case 'string': return this.quoted('"');
      case 'list': {
        this.expect('[');
        const items: unknown[] = [];
        this.seq(']', () => items.push(this.value(t.elem)));
        const Typed = t.length === undefined ? TYPED[t.elem.kind] : undefined;
        if (Typed === undefined) return items;
        const arr = new Typed(items.length);
        items.forEach((x, i) => { arr[i] = x; });
        return arr;
      }
      case 'tuple': {
        this.expect('(');
        const items: unknown[] = [];
        this.seq(')', () => {
          if (items.length >= t.types.length) this.fail(`too many tuple elements (expected ${t.types.length})`);
          items.push(this.value(t.types[items.length]));
        });
        if (items.length !== t.types.length) this.fail(`expected ${t.types.length} tuple elements`);
        return items;
      }
      case 'record': {
        this.expect('{');
        const out: Record<string, unknown> = {};
        const seen = new Set<string>();
        this.seq('}', () => {
          const name = this.label();
          const f = t.fields.find((x) => x.name === name) ?? this.fail(`unknown field ${name}`);
          this.expect(':');
          out[camel(name)] = this.value(f.type);
          seen.add(name);
        });
        for (const f of t.fields) if (!seen.has(f.name) && f.type.kind !== 'option') this.fail(`missing field ${f.name}`);
        return out;
      }
      case 'flags': {
        this.expect('{');
        const out: Record<string, boolean> = Object.fromEntries(t.names.map((n) => [camel(n), false]));
        this.seq('}', () => {
          const name = this.label();
          if (!t.names.includes(name)) this.fail(`unknown flag ${name}`);
          out[camel(name)] = true;
        });
        return out;
      }
      case 'enum': {
        const name = this.label();
        if (!t.names.includes(name)) this.fail(`unknown enum case ${name}`);
        return name;
      }
      case 'variant': {
        const name = this.label();
        const c = t.cases.find((x) => x.name === name) ?? this.fail(`unknown variant case ${name}`);
        if (c.type === undefined) return { tag: name };
        this.expect('(');
        const val = this.value(c.type);
        this.expect(')');
        return { tag: name, val };
      }
      case 'option': {
        const name = this.label();
        let v: unknown;
        if (name === 'none') v = undefined;
        else if (name === 'some') { this.expect('('); v = this.value(t.type); this.expect(')'); }
        else this.fail('expected some(...) or none');
        if (t.type.kind === 'option') return name === 'none' ? { tag: 'none' } : { tag: 'some', val: v };
        return v;
      }
      case 'result': {
        const name = this.label();
        if (name !== 'ok' && name !== 'err') this.fail('expected ok or err');
        const pt = name === 'ok' ? t.ok : t.err;
        if (pt === undefined) return { tag: name, val: undefined };
        this.expect('(');
        const val = this.value(pt);
        this.expect(')');
        return { tag: name, val };
      }
      case 'own': case 'borrow': this.fail('resources cannot be written as WAVE values');
    }
  }
}

/** Reads one value of type t. */
export function parseWave(text: string, t: Type): unknown {
  const p = new Parser(text);
  const v = p.value(t);
  if (p.peek() !== '') p.fail('unexpected text after the value');
  return v;
}

/** Reads `name(arg, ...)` (or a bare `name`): the function name and its argument text. */
export function parseInvocation(text: string): { name: string; args: string } {
  const open = text.indexOf('(');
  if (open < 0) return { name: text.trim(), args: '' };
  if (!text.trimEnd().endsWith(')')) throw new WaveError(`expected ')' at the end of ${JSON.stringify(text)}`);
  return { name: text.slice(0, open).trim(), args: text.slice(open + 1, text.trimEnd().length - 1) };
}

/** Reads the arguments of a call to a function of type ft (the text between the parentheses). */
export function parseArguments(args: string, ft: FuncType): unknown[] {
  const p = new Parser(args);
  const out: unknown[] = [];
  while (p.peek() !== '') {
    if (out.length >= ft.params.length) p.fail(`too many arguments (the function takes ${ft.params.length})`);
    out.push(p.value(ft.params[out.length].type));
    if (!p.eat(',')) break;
  }
  if (p.peek() !== '') p.fail('expected \',\' or the end of the arguments');
  if (out.length !== ft.params.length) throw new WaveError(`expected ${ft.params.length} argument(s), got ${out.length}`);
  return out;
}

function escape(s: string, q: string): string {
  let out = '';
  for (const c of s) {
    switch (c) {
      case '\n': out += '\\n'; break;
      case '\t': out += '\\t'; break;
      case '\r': out += '\\r'; break;
      case '\\': out += '\\\\'; break;
      default:
        if (c === q) out += '\\' + c;
        else if (c.codePointAt(0)! < 0x20 || c.codePointAt(0) === 0x7f) out += `\\u{${c.codePointAt(0)!.toString(16)}}`;
        else out += c;
    }
  }
  return out;
}

function label(name: string): string {
  return ['true', 'false', 'some', 'none', 'ok', 'err', 'inf', 'nan'].includes(name) ? `%${name}` : name;
}

/** Writes a value of type t (a jco-convention JS value) as WAVE text. */
export function printWave(v: unknown, t: Type): string {
  switch (t.kind) {
    case 'bool': return v ? 'true' : 'false';
    case 'f32': case 'f64': {
      const n = v as number;
      return Number.isNaN(n) ? 'nan' : n === Infinity ? 'inf' : n === -Infinity ? '-inf' : Object.is(n, -0) ? '-0' : String(n);
    }
    case 'char': return `'${escape(v as string, '\'')}'`;
    case 'string': return `"${escape(v as string, '"')}"`;
    case 'list': return `[${Array.from(v as ArrayLike<unknown>, (x) => printWave(x, t.elem)).join(', ')}]`;
    case 'tuple': return `(${t.types.map((x, i) => printWave((v as unknown[])[i], x)).join(', ')})`;
    case 'record': return `{${t.fields.map((f) => `${label(f.name)}: ${printWave((v as Record<string, unknown>)[camel(f.name)], f.type)}`).join(', ')}}`;
    case 'flags': return `{${t.names.filter((n) => (v as Record<string, boolean>)[camel(n)]).map(label).join(', ')}}`;
    case 'enum': return label(v as string);
    case 'variant': {
      const o = v as { tag: string; val?: unknown };
      const c = t.cases.find((x) => x.name === o.tag)!;
      return c.type === undefined ? label(c.name) : `${label(c.name)}(${printWave(o.val, c.type)})`;
    }
    case 'option': {
      if (t.type.kind === 'option') {
        const o = v as { tag: string; val?: unknown };
        return o.tag === 'none' ? 'none' : `some(${printWave(o.val, t.type)})`;
      }
      return v === undefined || v === null ? 'none' : `some(${printWave(v, t.type)})`;
    }
    case 'result': {
      const o = v as { tag: 'ok' | 'err'; val?: unknown };
      const pt = o.tag === 'ok' ? t.ok : t.err;
      return pt === undefined ? o.tag : `${o.tag}(${printWave(o.val, pt)})`;
    }
    case 'own': case 'borrow': return `<${t.kind} ${t.resource.name}>`;
    default: return String(v);
  }
}
