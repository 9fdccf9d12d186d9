// Expression folding: a stack slot of type i32, f32 or f64 may hold a pure JS expression
// (over locals, slot variables and literals) instead of having it assigned to its variable,
// so `local.get; i32.const; i32.add; local.set` becomes one statement, `l1 = (l0 + 4) | 0;`.
// FuncGen keeps the pending expressions (FuncGen.pend) and assigns one to its variable
// (materializes it) before anything could change what it reads or before control flow.
// Loads from memory fold too: they are assigned before stores, calls, global.set and anything
// else that may trap, so memory is read and an out-of-bounds trap happens in Wasm's order (two
// loads out of bounds trap alike, whichever is evaluated first). Less JS
// means less to parse, fewer bytecodes to interpret before V8 optimizes a function, and more
// callers under V8's inlining budget (which counts bytecodes): bench/results/representations.md §10.

/** Type characters (context.ts) whose slots may hold pending expressions: one JS variable each. */
export function foldable(c: string): boolean {
  return c === 'i' || c === 'f' || c === 'd';
}

/**
 * Longest pending expression: beyond it the value is assigned to its variable, which bounds how
 * deeply generated expressions nest (JS parsers recurse on nesting).
 */
export const MAX_FOLDED = 200;

/** Whether `e` is a variable name or a non-negative literal: safe to repeat and to substitute bare. */
export function atomic(e: string): boolean {
  return /^[\w.]+$/.test(e) || /^\(-[\w.]+\)$/.test(e);
}

/** `e` as an operand in any template position. */
export function operand(e: string): string {
  return atomic(e) ? e : `(${e})`;
}

/** JS source of a literal as a pending expression (negative numbers parenthesized: `x - (-1)`). */
export function literal(s: string): string {
  return s.startsWith('-') ? `(${s})` : s;
}

/** Sentinels standing for operands when templates are probed for how often they use each. */
export const PROBE_A = '\u0001a', PROBE_B = '\u0001b';

const useCache = new WeakMap<object, readonly [number, number]>();

/**
 * How many times template `key` uses its operands A and B, from `probe()` (the template applied
 * to PROBE_A and PROBE_B), worked out once per template.
 */
export function usesOf(key: object, probe: () => string): readonly [number, number] {
  let u = useCache.get(key);
  if (u === undefined) {
    const text = probe();
    u = [uses(text, PROBE_A), uses(text, PROBE_B)];
    useCache.set(key, u);
  }
  return u;
}

/** How many times `text` (a template applied to a sentinel) uses `probe`. */
export function uses(text: string, probe: string): number {
  let n = 0;
  for (let i = text.indexOf(probe); i >= 0; i = text.indexOf(probe, i + probe.length)) {
    const next = text.charCodeAt(i + probe.length);
    // `\u0001a` must not count as a prefix of a longer name (`\u0001ah`, the i64 high word).
    if (!(next >= 48 && next <= 57) && !(next >= 65 && next <= 90) && !(next >= 97 && next <= 122) && next !== 95) n++;
  }
  return n;
}

const zeroOne = /^([^?;]*) \? 1 : 0$/;
const oneZero = /^([^?;]*) \? 0 : 1$/;

/** A JS condition testing i32 expression `e` for non-zero (a 0/1 comparison tests directly). */
export function condition(e: string): string {
  let m = zeroOne.exec(e);
  if (m) return `(${m[1]})`;
  m = oneZero.exec(e);
  if (m) return `!(${m[1]})`;
  return `(${e})`;
}

/** i32.eqz of expression `e`, negating a 0/1 comparison instead of comparing it with 0. */
export function eqz(e: string): string {
  let m = zeroOne.exec(e);
  if (m) return `${m[1]} ? 0 : 1`;
  m = oneZero.exec(e);
  if (m) return `${m[1]} ? 1 : 0`;
  return `${operand(e)} === 0 ? 1 : 0`;
}

/**
 * Whether expression `e` loads from memory: only loads name a memory view (`mv<i>`), and no
 * other variable starts with `mv` (locals are l<n>, slots <type char><n>).
 */
export function loads(e: string): boolean {
  return e.includes('mv');
}

/** Whether expression `e` reads variable `v` (a whole identifier). */
export function reads(e: string, v: string): boolean {
  for (let i = e.indexOf(v); i >= 0; i = e.indexOf(v, i + 1)) {
    const before = i === 0 ? 32 : e.charCodeAt(i - 1);
    const after = i + v.length >= e.length ? 32 : e.charCodeAt(i + v.length);
    if (!isWord(before) && !isWord(after) && before !== 46 /* . */) return true;
  }
  return false;
}

function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
