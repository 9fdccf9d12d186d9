// Lexical format: tokens, comments, strings, annotations, malformed input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSExprRoot, parseSExprs } from '../../src/text/lexer.js';
import { CompileError } from '../../src/errors.js';
import type { Atom, List, SExpr } from '../../src/text/sexpr.js';

function atoms(src: string): [string, string][] {
  return parseSExprs(src).map((e) => {
    assert.equal(e.kind, 'atom');
    return [(e as Atom).token, (e as Atom).text];
  });
}
function bytes(src: string): number[] {
  const [e] = parseSExprs(src);
  return Array.from((e as Atom).bytes!);
}
function rejects(src: string, re?: RegExp): void {
  assert.throws(() => parseSExprRoot(src), (e: unknown) => e instanceof CompileError && (!re || re.test(e.message)), src);
}
/** Drops positions, for comparing trees. */
function shape(e: SExpr): unknown {
  return e.kind === 'atom' ? e.text : e.items.map(shape);
}

test('token kinds', () => {
  assert.deepEqual(atoms('module i32.add $x $l$l $0 0 -1 +0x1_F 1.5e-3 0x1.8p3 inf -nan nan:0x1 nan:canonical "s" $"a b"'), [
    ['keyword', 'module'], ['keyword', 'i32.add'], ['id', '$x'], ['id', '$l$l'], ['id', '$0'],
    ['num', '0'], ['num', '-1'], ['num', '+0x1_F'], ['num', '1.5e-3'], ['num', '0x1.8p3'], ['num', 'inf'],
    ['num', '-nan'], ['num', 'nan:0x1'], ['keyword', 'nan:canonical'], ['string', '"s"'], ['id', '$"a b"'],
  ]);
  // Malformed runs are single reserved tokens, so that the parser rejects them.
  assert.deepEqual(atoms('0x 1_ 0$l $l"a" "a""b" 0"a" "a"x $"l"0 a;b {x} , @a X'), [
    ['reserved', '0x'], ['reserved', '1_'], ['reserved', '0$l'], ['reserved', '$l"a"'], ['reserved', '"a""b"'],
    ['reserved', '0"a"'], ['reserved', '"a"x'], ['reserved', '$"l"0'], ['reserved', 'a;b'], ['reserved', '{x}'],
    ['reserved', ','], ['reserved', '@a'], ['reserved', 'X'],
  ]);
});

test('lists, positions and delimiters', () => {
  const [m] = parseSExprs('(func(nop)nop)');
  assert.deepEqual(shape(m!), ['func', ['nop'], 'nop']);
  const l = m as List;
  assert.equal(l.pos, 0);
  assert.equal((l.items[1] as List).pos, 5);
  assert.equal((l.items[2] as Atom).pos, 10);
  assert.deepEqual(parseSExprs('(a) (b (c))').map(shape), [['a'], ['b', ['c']]]);
  assert.deepEqual(parseSExprs('(data "a";;c\n)').map(shape), [['data', '"a"']]);
  rejects('(a', /unclosed/);
  rejects('a)', /unexpected/);
  rejects('a\u00e9', /illegal character/);
  rejects('\u0000', /illegal character/);
  rejects('a\x0cb', /illegal character/);
  rejects('$', /empty identifier/);
  rejects('$""', /empty identifier/);
  rejects('$"\\ef"', /malformed UTF-8/);
});

test('comments', () => {
  assert.deepEqual(parseSExprs(';; line\n(a ;; x (\n b) ;; end').map(shape), [['a', 'b']]);
  assert.deepEqual(parseSExprs('(; block ;) a (; nested (; inner ;) ;) b (;;) c (;\x00 \u00e9 ;)').map(shape), ['a', 'b', 'c']);
  assert.deepEqual(parseSExprs('a(;x;)b').map(shape), ['a', 'b']);
  rejects('(; unterminated', /unclosed comment/);
  rejects('(; (; ;)', /unclosed comment/);
  assert.deepEqual(parseSExprs(';; no newline at end').map(shape), []);
});

test('strings', () => {
  assert.deepEqual(bytes('"a\\t\\n\\r\\"\\\'\\\\"'), [0x61, 9, 10, 13, 0x22, 0x27, 0x5c]);
  assert.deepEqual(bytes('"\\00\\ff\\Ab"'), [0, 0xff, 0xab]);
  assert.deepEqual(bytes('"\\u{0}\\u{41}\\u{e9}\\u{20AC}\\u{1F600}\\u{10_FFFF}"'),
    [0, 0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xf4, 0x8f, 0xbf, 0xbf]);
  assert.deepEqual(bytes('"\u00e9\u{1F600}"'), [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
  assert.deepEqual(bytes('""'), []);
  for (const bad of ['"\\q"', '"\\x"', '"\\0"', '"\\u{}"', '"\\u{110000}"', '"\\u{d800}"', '"\\u41"', '"\\u{_1}"']) {
    rejects(bad, /illegal escape/);
  }
  rejects('"abc', /unclosed string/);
  rejects('"a\nb"', /unclosed string/);
  rejects('"a\tb"', /control character/);
  rejects('"a\x7fb"', /control character/);
  rejects('"\udc80"', /malformed UTF-8/);
});

test('annotations', () => {
  assert.deepEqual(parseSExprs('(@a) (x (@b y (z) "s") w) (@x (@y))').map(shape), [['x', 'w']]);
  assert.deepEqual(parseSExprs('((@a) module (@a) $m (@a))').map(shape), [['module', '$m']]);
  assert.deepEqual(parseSExprs('(@a , ; ] [ }} }x{ ({) ,{{};}] ;) (@a (@) (@ x) (;c;) ;; )\n)').map(shape), []);
  const [m] = parseSExprs('(module (@custom "n" (after func) "d") (func) (@custom "m"))');
  const l = m as List;
  assert.deepEqual(shape(l), ['module', ['func']]);
  assert.deepEqual(l.annotations!.map(shape), [['@custom', '"n"', ['after', 'func'], '"d"'], ['@custom', '"m"']]);
  // Top-level custom annotations are kept on the synthetic root list.
  const root = parseSExprRoot('(@custom "x") (func)');
  assert.deepEqual(root.annotations!.map(shape), [['@custom', '"x"']]);
  assert.deepEqual(root.items.map(shape), [['func']]);
  assert.deepEqual(parseSExprs('(@"a") (@$) (@0)').map(shape), []);
  rejects('(@)', /empty annotation id/);
  rejects('(@ x)', /empty annotation id/);
  rejects('(@"")', /empty annotation id/);
  rejects('(@"\\ef")', /malformed UTF-8/);
  rejects('(@x (y)', /unclosed annotation/);
  rejects('(@x))', /unexpected token/);
  rejects('(@x "', /unclosed string/);
  rejects('(@a \u00e9)', /illegal character/);
  assert.deepEqual(atoms('( @a)'.slice(1, -1)), [['reserved', '@a']]);
});
