// WAVE: parsing to jco-convention JS values, printing as wasm-wave does, round trips through
// every WIT type, and errors with their positions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWave, parseWaveArgs, parseWaveCall, printWave, formatFloat, WaveError, type WaveType } from '../../src/wit/wave.js';
import { resolveWit, resolveWitText } from '../../src/wit/resolve.js';
import { readWitPath } from '../../src/host/wit-dir.js';
import type { WitType } from '../../src/wit/types.js';
import { KITCHEN } from './helpers.js';

const T = {
  bool: { kind: 'bool' }, u8: { kind: 'u8' }, s8: { kind: 's8' }, u32: { kind: 'u32' }, s32: { kind: 's32' },
  u64: { kind: 'u64' }, s64: { kind: 's64' }, f32: { kind: 'f32' }, f64: { kind: 'f64' }, char: { kind: 'char' }, string: { kind: 'string' },
} as const satisfies Record<string, WitType>;

const list = (elem: WitType, length?: number): WitType => (length === undefined ? { kind: 'list', elem } : { kind: 'list', elem, length });
const option = (type: WitType): WitType => ({ kind: 'option', type });
const result = (ok?: WitType, err?: WitType): WitType => ({ kind: 'result', ...(ok ? { ok } : {}), ...(err ? { err } : {}) });

/** The kitchen-sink `everything` record: every WIT value type in one. */
function everything(): WitType {
  const wit = resolveWit(readWitPath(KITCHEN));
  const def = wit.root.interfaces.get('all')!.types.get('everything')!;
  return { kind: 'named', def };
}

/** Parses, prints (expecting `canonical`, default: the input), and parses the printed text again. */
function roundTrip(text: string, type: WaveType, expected: unknown, canonical = text): void {
  const v = parseWave(text, type);
  assert.deepEqual(v, expected, text);
  const printed = printWave(v, type);
  assert.equal(printed, canonical, text);
  assert.deepEqual(parseWave(printed, type), expected, printed);
}

test('scalars: bools, integers at their limits, floats with nan and infinities, chars and strings with escapes', () => {
  roundTrip('true', T.bool, true);
  roundTrip('false', T.bool, false);
  roundTrip('255', T.u8, 255);
  roundTrip('-128', T.s8, -128);
  roundTrip('4294967295', T.u32, 4294967295);
  roundTrip('-2147483648', T.s32, -2147483648);
  roundTrip('18446744073709551615', T.u64, 18446744073709551615n);
  roundTrip('-9223372036854775808', T.s64, -9223372036854775808n);
  roundTrip('nan', T.f64, NaN);
  roundTrip('inf', T.f32, Infinity);
  roundTrip('-inf', T.f64, -Infinity);
  roundTrip('3.14', T.f64, 3.14);
  roundTrip('6.022e+23', T.f64, 6.022e23, '602200000000000000000000');
  roundTrip('0.1', T.f32, Math.fround(0.1));
  roundTrip('-0', T.f64, -0);
  roundTrip('1e-7', T.f64, 1e-7, '0.0000001');
  roundTrip("'x'", T.char, 'x');
  roundTrip("'☃'", T.char, '☃');
  roundTrip("'🦀'", T.char, '🦀');
  roundTrip("'\\''", T.char, "'");
  roundTrip("'\\u{0}'", T.char, '\0');
  roundTrip("'\"'", T.char, '"', "'\\\"'");
  roundTrip('"abc\\t123"', T.string, 'abc\t123');
  roundTrip('"quote \\" apostrophe \' backslash \\\\ \\n \\r"', T.string, 'quote " apostrophe \' backslash \\ \n \r', '"quote \\" apostrophe \\\' backslash \\\\ \\n \\r"');
  roundTrip('"\\u{1F44B} \\u{7f}"', T.string, '👋 \x7f', '"👋 \\u{7f}"');
  roundTrip('""', T.string, '');
});

test('floats print as Rust Display does (shortest round-trip digits, no exponent)', () => {
  assert.equal(formatFloat(1, 'f64'), '1');
  assert.equal(formatFloat(1e21, 'f64'), '1000000000000000000000');
  assert.equal(formatFloat(1.5e-10, 'f64'), '0.00000000015');
  assert.equal(formatFloat(Math.fround(3.4028234663852886e38), 'f32'), '340282350000000000000000000000000000000');
  assert.equal(formatFloat(Math.fround(1.1), 'f32'), '1.1');
  assert.equal(formatFloat(Math.fround(1.1), 'f64'), '1.100000023841858');
  assert.equal(formatFloat(-2.5, 'f32'), '-2.5');
});

test('compound values: lists (typed arrays for numbers), tuples, records, variants, enums, options, results, flags', () => {
  roundTrip('[1, 2, 3]', list(T.u8), Uint8Array.of(1, 2, 3));
  roundTrip('[-1, 2]', list(T.s64), BigInt64Array.of(-1n, 2n));
  roundTrip('[1.5, nan]', list(T.f32), Float32Array.of(1.5, NaN));
  roundTrip('[]', list(T.string), []);
  roundTrip('["a", "b",]', list(T.string), ['a', 'b'], '["a", "b"]');
  roundTrip('[1, 2, 3, 4]', list(T.u8, 4), [1, 2, 3, 4]);
  roundTrip('("abc", 123)', { kind: 'tuple', types: [T.string, T.u32] }, ['abc', 123]);
  roundTrip('[some(1), none]', list(option(T.u8)), [1, undefined]);
  roundTrip('5', option(T.u8), 5, 'some(5)');
  roundTrip('some(some(1))', option(option(T.u8)), { tag: 'some', val: 1 });
  roundTrip('some(none)', option(option(T.u8)), { tag: 'some', val: undefined });
  roundTrip('none', option(option(T.u8)), { tag: 'none' });
  roundTrip('"flat ok"', result(T.string), { tag: 'ok', val: 'flat ok' }, 'ok("flat ok")');
  roundTrip('err("oops")', result(T.u8, T.string), { tag: 'err', val: 'oops' });
  roundTrip('ok', result(undefined, T.string), { tag: 'ok', val: undefined });
  roundTrip('err', result(), { tag: 'err', val: undefined });
  const wit = resolveWitText(`package t:t;
    interface i {
      record rec { field-a: u8, field-b: string, maybe: option<u32> }
      record all-optional { x: option<u8> }
      variant response { empty, body(list<u8>), err(string), days(u32) }
      enum status { ok, not-found }
      flags perms { read, write, exec-all }
      type m = map<string, u32>;
    }`);
  const named = (n: string): WitType => ({ kind: 'named', def: wit.root.interfaces.get('i')!.types.get(n)! });
  roundTrip('{field-a: 1, field-b: "two"}', named('rec'), { fieldA: 1, fieldB: 'two', maybe: undefined });
  roundTrip('{maybe: 7, field-b: "two", field-a: 1,}', named('rec'), { fieldA: 1, fieldB: 'two', maybe: 7 }, '{field-a: 1, field-b: "two", maybe: some(7)}');
  roundTrip('{:}', named('all-optional'), { x: undefined });
  roundTrip('empty', named('response'), { tag: 'empty' });
  roundTrip('body([79, 75])', named('response'), { tag: 'body', val: Uint8Array.of(79, 75) });
  roundTrip('%err("oops")', named('response'), { tag: 'err', val: 'oops' });
  roundTrip('days( 30 )', named('response'), { tag: 'days', val: 30 }, 'days(30)');
  roundTrip('%ok', named('status'), 'ok');
  roundTrip('not-found', named('status'), 'not-found');
  roundTrip('{write, read,}', named('perms'), { read: true, write: true, execAll: false }, '{read, write}');
  roundTrip('{}', named('perms'), { read: false, write: false, execAll: false });
  roundTrip('{exec-all}', named('perms'), { read: false, write: false, execAll: true });
  roundTrip('{"a": 1, "b": 2}', named('m'), new Map([['a', 1], ['b', 2]]));
  roundTrip('{:}', named('m'), new Map(), '{}');
});

test('every WIT type at once: the kitchen-sink record', () => {
  const text = `{
    // a comment
    b: true, a-s8: -8, a-u8: 8, a-s16: -16, a-u16: 16, a-s32: -32, a-u32: 32, a-s64: -64, a-u64: 64,
    a-f32: 1.5, a-f64: -inf, c: '\\n', s: """
      multi
        line
      """,
    bytes: [0, 255], words: [1], longs: [-1], floats: [0.25], names: ["x", "y"],
    pair: (1, "p"), maybe: 3, maybe-maybe: some(none), res: err("bad"), ok-only: 9, err-only: err(denied), neither: ok,
    p: {x: 1, y: 2}, col: blue-ish, perms: {exec}, sh: labelled(("l", '∂')), i: 12345678901234567890, is: [1, 2],
  }`;
  const type = everything();
  const v = parseWave(text, type) as Record<string, unknown>;
  assert.equal(v.aS64, -64n);
  assert.equal(v.s, 'multi\n  line');
  assert.deepEqual(v.bytes, Uint8Array.of(0, 255));
  assert.deepEqual(v.longs, BigInt64Array.of(-1n));
  assert.deepEqual(v.maybeMaybe, { tag: 'some', val: undefined });
  assert.deepEqual(v.okOnly, { tag: 'ok', val: 9 });
  assert.deepEqual(v.errOnly, { tag: 'err', val: 'denied' });
  assert.deepEqual(v.sh, { tag: 'labelled', val: ['l', '∂'] });
  assert.deepEqual(v.is, BigUint64Array.of(1n, 2n));
  assert.deepEqual(v.perms, { read: false, write: false, exec: true });
  const printed = printWave(v, type);
  assert.equal(printed, '{b: true, a-s8: -8, a-u8: 8, a-s16: -16, a-u16: 16, a-s32: -32, a-u32: 32, a-s64: -64, a-u64: 64, '
    + 'a-f32: 1.5, a-f64: -inf, c: \'\\n\', s: "multi\\n  line", bytes: [0, 255], words: [1], longs: [-1], floats: [0.25], '
    + 'names: ["x", "y"], pair: (1, "p"), maybe: some(3), maybe-maybe: some(none), res: err("bad"), ok-only: ok(9), '
    + 'err-only: err(denied), neither: ok, p: {x: 1, y: 2}, col: blue-ish, perms: {exec}, sh: labelled(("l", \'∂\')), '
    + 'i: 12345678901234567890, is: [1, 2]}');
  assert.deepEqual(parseWave(printed, type), v);
});

/** [text, type, message pattern, line, column] */
const ERRORS: [string, WitType, RegExp, number, number][] = [
  ['256', T.u8, /256 is out of range for u8/, 1, 1],
  ['-1', T.u32, /-1 is out of range for u32/, 1, 1],
  ['1.5', T.s32, /expected an integer \(s32\), found `1\.5`/, 1, 1],
  ['01', T.u8, /expected a number, found `01`/, 1, 1],
  ['1e39', T.f32, /out of range for f32/, 1, 1],
  ['[1, 2', list(T.u8), /expected `\]`, found end of input/, 1, 6],
  ['[1, x]', list(T.u8), /expected a number, found `x`/, 1, 5],
  ["'ab'", T.char, /exactly one Unicode scalar value/, 1, 1],
  ['"abc', T.string, /unterminated string/, 1, 1],
  ['"\\q"', T.string, /invalid escape `\\q`/, 1, 2],
  ['"\\u{d800}"', T.string, /not a Unicode scalar value/, 1, 2],
  ['(1, 2, 3)', { kind: 'tuple', types: [T.u8, T.u8] }, /too many values for a tuple of 2/, 1, 8],
  ['yes', T.bool, /expected `true` or `false`, found `yes`/, 1, 1],
  ['some(1', option(T.u8), /expected `\)`/, 1, 7],
  ['1', option(option(T.u8)), /no flat form/, 1, 1],
  ['maybe', result(undefined, T.string), /expected `ok` or `err`/, 1, 1],
  ['ok(1)', result(undefined, T.string), /`ok` has no payload/, 1, 3],
  ['true false', T.bool, /unexpected text after the value/, 1, 6],
  ['[\n  1,\n  300\n]', list(T.u8), /300 is out of range for u8/, 3, 3],
];

test('errors say what is wrong and where (line:column)', () => {
  for (const [text, type, pattern, line, column] of ERRORS) {
    let err: unknown;
    try { parseWave(text, type); } catch (e) { err = e; }
    assert.ok(err instanceof WaveError, `${text}: expected a WaveError, got ${String(err)}`);
    assert.match(err.message, pattern, text);
    assert.equal(`${err.line}:${err.column}`, `${line}:${column}`, `${text}: ${err.message}`);
  }
  const wit = resolveWitText(`package t:t; interface i {
    record r { a: u8, b: option<u8> } variant v { x, ok(u8) } enum e { red } flags f { a } }`);
  const named = (n: string): WitType => ({ kind: 'named', def: wit.root.interfaces.get('i')!.types.get(n)! });
  assert.throws(() => parseWave('{b: 1}', named('r')), /missing field `a` \(at 1:1\)/);
  assert.throws(() => parseWave('{a: 1, a: 2}', named('r')), /field `a` is given twice \(at 1:8\)/);
  assert.throws(() => parseWave('{a: 1, c: 2}', named('r')), /unknown field `c` \(fields: a, b\) \(at 1:8\)/);
  assert.throws(() => parseWave('{}', named('r')), /written `\{:\}`/);
  assert.throws(() => parseWave('ok(1)', named('v')), /the case `ok` is a keyword: write `%ok`/);
  assert.throws(() => parseWave('y', named('v')), /unknown variant case `y` \(expected one of x, ok\)/);
  assert.throws(() => parseWave('x(1)', named('v')), /`x` has no payload/);
  assert.throws(() => parseWave('blue', named('e')), /unknown enum case `blue`/);
  assert.throws(() => parseWave('{a, b}', named('f')), /unknown flag `b` \(flags: a\) \(at 1:5\)/);
});

test('printing checks JS values against the type', () => {
  assert.equal(printWave(1, T.u64), '1', 'a number is accepted for a 64-bit integer, as the canonical ABI does');
  assert.throws(() => printWave(1.5, T.u8), /expected an integer \(u8\), got number 1\.5/);
  assert.throws(() => printWave(300, T.u8), /300 is out of range for u8/);
  assert.throws(() => printWave('ab', T.char), /expected a one-character string/);
  assert.throws(() => printWave({ tag: 'maybe' }, result(T.u8)), /expected \{ tag: 'ok' \| 'err', val \}/);
  assert.throws(() => printWave([1, 'x'], list(T.u8)), /value\[1\]: expected an integer/);
});

test('function calls: name(args), trailing options omitted, positions in the whole call', () => {
  const call = parseWaveCall('add(1, 2)');
  assert.equal(call.name, 'add');
  assert.deepEqual(parseWaveArgs(call.args, [T.u32, T.u32]), [1, 2]);
  const f = parseWaveCall('f(some(1))');
  assert.deepEqual(parseWaveArgs(f.args, [option(T.u8), option(T.u8), option(T.u8)]), [1, undefined, undefined]);
  assert.deepEqual(parseWaveArgs(parseWaveCall('g()').args, []), []);
  assert.throws(() => parseWaveArgs(parseWaveCall('add(1)').args, [T.u32, T.u32]), /missing argument 2 of 2/);
  assert.throws(() => parseWaveArgs(parseWaveCall('add(1, 2, 3)').args, [T.u32, T.u32]), /too many arguments \(expected 2\) \(at 1:11\)/);
  assert.throws(() => parseWaveArgs(parseWaveCall('add(1, 999999999999)').args, [T.u32, T.u32]), /out of range for u32 \(at 1:8\)/);
  assert.throws(() => parseWaveCall('add'), /expected `name\(arguments\)`/);
  assert.throws(() => parseWaveCall('add(1) x'), /expected `\)` at the end of the call/);
});

test('the component layer\'s resolved types (same shapes, resources by identity) are WAVE types', () => {
  // The shape of src/component/types.ts `Type`, which WAVE accepts as it is.
  type CompType =
    | { kind: 'u8' | 'string' }
    | { kind: 'record'; fields: { name: string; type: CompType }[] }
    | { kind: 'variant'; cases: { name: string; type?: CompType }[] }
    | { kind: 'list'; elem: CompType; length?: number }
    | { kind: 'option'; type: CompType }
    | { kind: 'own'; resource: object };
  const t: CompType = { kind: 'record', fields: [{ name: 'a-b', type: { kind: 'list', elem: { kind: 'u8' } } }, { name: 'c', type: { kind: 'option', type: { kind: 'string' } } }] };
  const asWave: WaveType = t;
  assert.deepEqual(parseWave('{a-b: [1], c: "x"}', asWave), { aB: Uint8Array.of(1), c: 'x' });
  assert.throws(() => parseWave('1', { kind: 'own', resource: {} } satisfies CompType), /resource handles have no WAVE form/);
});
