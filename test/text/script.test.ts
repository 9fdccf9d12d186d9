// .wast scripts: every command form, constants and result patterns, and the whole spec suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseScript } from '../../src/text/script.js';
import { CompileError } from '../../src/errors.js';
import type { Command } from '../../src/text/script-ast.js';

const SPEC_DIR = process.env['KASANE_SPEC_DIR'] ?? '/work/shared/testsuite';
const IGNORED = ['custom-descriptors', 'custom-page-sizes', 'wide-arithmetic'];

function one(src: string): Command {
  const cs = parseScript(src);
  assert.equal(cs.length, 1);
  return cs[0]!;
}

test('module forms', () => {
  const [a, b, c, d, e] = parseScript(
    '(module $M (func))\n(module binary "\\00asm" "\\01\\00\\00\\00")\n(module $Q quote "(func)" " (memory 1)")\n' +
    '(module definition $D (func))\n(module instance $I $D)');
  assert.ok(a?.kind === 'module' && a.module.id === '$M' && a.module.source.kind === 'text' && a.line === 1);
  assert.equal(a.module.source.list.items.length, 3);
  assert.ok(b?.kind === 'module' && b.module.source.kind === 'binary' && b.line === 2);
  assert.deepEqual(Array.from(b.module.source.bytes), [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  assert.ok(c?.kind === 'module' && c.module.source.kind === 'quote' && c.module.id === '$Q');
  assert.equal(c.module.source.text, '(func) (memory 1)');
  assert.ok(d?.kind === 'module' && d.module.definition && d.module.id === '$D' && d.module.source.kind === 'text');
  // `definition` is dropped from the list handed to the module parser.
  assert.deepEqual(d.module.source.list.items.map((x) => x.kind === 'atom' ? x.text : '()'), ['module', '$D', '()']);
  assert.deepEqual(e, { kind: 'instance', id: '$I', definition: '$D', line: 5 });
  // $"x" and $x name the same module.
  const r = one('(register "m" $"M")');
  assert.deepEqual(r, { kind: 'register', as: 'm', module: '$M', line: 1 });
});

test('inline module', () => {
  const c = one('(func) (memory 0) (func (export "f"))');
  assert.ok(c.kind === 'module' && c.module.source.kind === 'text');
  assert.equal(c.module.source.list.items.length, 4);
});

test('actions and constants', () => {
  const c = one(`(invoke $M "f\\u{e9}" (i32.const -1) (i64.const 0xffffffffffffffff) (f32.const -0x1p-149)
    (f64.const nan:0x1) (v128.const i8x16 -1 255 0 1 2 3 4 5 6 7 8 9 10 11 12 128)
    (v128.const f32x4 1 -0 inf nan) (v128.const i64x2 -1 1) (ref.null extern) (ref.null $t) (ref.extern 7) (ref.host 3))`);
  assert.ok(c.kind === 'action' && c.action.kind === 'invoke');
  assert.equal(c.action.module, '$M');
  assert.equal(c.action.field, 'f\u00e9');
  const [i32, i64, f32, f64, v1, v2, v3, rn, rt, re, rh] = c.action.args;
  assert.deepEqual(i32, { kind: 'i32', value: -1 });
  assert.deepEqual(i64, { kind: 'i64', value: -1n });
  assert.deepEqual(f32, { kind: 'f32', bits: 0x80000001 });
  assert.deepEqual(f64, { kind: 'f64', bits: 0x7ff0000000000001n });
  assert.ok(v1?.kind === 'v128');
  assert.deepEqual(Array.from(v1.bytes), [255, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 128]);
  assert.ok(v2?.kind === 'v128');
  assert.deepEqual(Array.from(v2.bytes), [0, 0, 0x80, 0x3f, 0, 0, 0, 0x80, 0, 0, 0x80, 0x7f, 0, 0, 0xc0, 0x7f]);
  assert.ok(v3?.kind === 'v128');
  assert.deepEqual(Array.from(v3.bytes), [255, 255, 255, 255, 255, 255, 255, 255, 1, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(rn, { kind: 'ref.null', heap: 'extern' });
  assert.deepEqual(rt, { kind: 'ref.null', heap: '$t' });
  assert.deepEqual(re, { kind: 'ref.extern', value: 7 });
  assert.deepEqual(rh, { kind: 'ref.host', value: 3 });
  assert.deepEqual(one('(get "g")'), { kind: 'action', action: { kind: 'get', module: undefined, field: 'g' }, line: 1 });
  assert.throws(() => parseScript('(invoke "\\ff")'), CompileError);
  assert.throws(() => parseScript('(invoke "f" (i32.const 4294967296))'), CompileError);
  assert.throws(() => parseScript('(invoke "f" (v128.const i32x4 1 2 3))'), CompileError);
});

test('result patterns', () => {
  const c = one(`(assert_return (invoke "f") (f32.const nan:canonical) (f64.const nan:arithmetic) (f32.const -nan)
    (v128.const f32x4 nan:canonical 1 nan:arithmetic -0) (v128.const i16x8 -1 0 0 0 0 0 0 65535)
    (ref.null) (ref.null func) (ref.func) (ref.extern) (ref.extern 2) (ref.host 1) (ref.any) (ref.eq) (ref.i31)
    (ref.struct) (ref.array) (ref.exn) (either (i32.const 1) (i32.const 2)))`);
  assert.ok(c.kind === 'assert_return');
  assert.deepEqual(c.results, [
    { kind: 'f32', pattern: { kind: 'nan:canonical' } },
    { kind: 'f64', pattern: { kind: 'nan:arithmetic' } },
    { kind: 'value', value: { kind: 'f32', bits: 0xffc00000 } },
    { kind: 'v128', shape: 'f32x4', lanes: [{ kind: 'nan:canonical' }, { kind: 'bits', bits: 0x3f800000 }, { kind: 'nan:arithmetic' }, { kind: 'bits', bits: 0x80000000 }] },
    { kind: 'v128', shape: 'i16x8', lanes: [0xffffn, 0n, 0n, 0n, 0n, 0n, 0n, 0xffffn] },
    { kind: 'value', value: { kind: 'ref.null', heap: '' } },
    { kind: 'value', value: { kind: 'ref.null', heap: 'func' } },
    { kind: 'ref', heap: 'func' },
    { kind: 'ref', heap: 'extern' },
    { kind: 'value', value: { kind: 'ref.extern', value: 2 } },
    { kind: 'value', value: { kind: 'ref.host', value: 1 } },
    { kind: 'ref', heap: 'any' }, { kind: 'ref', heap: 'eq' }, { kind: 'ref', heap: 'i31' },
    { kind: 'ref', heap: 'struct' }, { kind: 'ref', heap: 'array' }, { kind: 'ref', heap: 'exn' },
    { kind: 'either', options: [{ kind: 'value', value: { kind: 'i32', value: 1 } }, { kind: 'value', value: { kind: 'i32', value: 2 } }] },
  ]);
  // NaN patterns are results only.
  assert.throws(() => parseScript('(invoke "f" (f32.const nan:canonical))'), CompileError);
});

test('assertions', () => {
  const cs = parseScript(`
(assert_trap (invoke "f") "unreachable")
(assert_trap (module (func unreachable) (start 0)) "unreachable")
(assert_exhaustion (invoke $M "f") "call stack exhausted")
(assert_exception (invoke "t"))
(assert_malformed (module quote "(func") "unexpected end")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_unlinkable (module (import "m" "f" (func))) "unknown import")
(assert_uninstantiable (module binary "") "x")
(assert_malformed_custom (module quote "(@custom)") "@custom annotation: missing section name")
(assert_invalid_custom (module) "x")`);
  assert.deepEqual(cs.map((c) => [c.kind, c.line]), [
    ['assert_trap', 2], ['assert_module_trap', 3], ['assert_exhaustion', 4], ['assert_exception', 5],
    ['assert_malformed', 6], ['assert_invalid', 7], ['assert_unlinkable', 8], ['assert_uninstantiable', 9],
    ['assert_malformed_custom', 10], ['assert_invalid_custom', 11],
  ]);
  const m = cs[4]!;
  assert.ok(m.kind === 'assert_malformed' && m.module.source.kind === 'quote' && m.message === 'unexpected end');
});

test('threads', () => {
  const cs = parseScript(`(module $Mem (memory 1 1 shared))
(thread $T1 (shared (module $Mem))
  (register "mem" $Mem)
  (assert_return (invoke "f") (i32.const 0)))
(wait $T1)`);
  const t = cs[1]!;
  assert.ok(t.kind === 'thread' && t.id === '$T1' && t.line === 2);
  assert.deepEqual(t.shared, ['$Mem']);
  assert.deepEqual(t.commands.map((c) => [c.kind, c.line]), [['register', 3], ['assert_return', 4]]);
  assert.deepEqual(cs[2], { kind: 'wait', id: '$T1', line: 5 });
});

test('malformed scripts', () => {
  for (const bad of ['foo', '(foo)', '(assert_return)', '(assert_trap (invoke "f"))', '(register 1)',
    '(invoke "f" 1)', '(assert_invalid (invoke "f") "x")', '(module binary 1)', '(assert_return (invoke "f") (i32.const 1 2))']) {
    assert.throws(() => parseScript(bad), CompileError, bad);
  }
});

function wastFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!IGNORED.includes(e.name)) wastFiles(p, out);
    } else if (e.name.endsWith('.wast')) out.push(p);
  }
  return out;
}

test('parses every .wast file of the spec test suite', {
  skip: fs.existsSync(SPEC_DIR) ? false : `spec test suite not found at ${SPEC_DIR} (set KASANE_SPEC_DIR)`,
}, (t) => {
  const files = wastFiles(SPEC_DIR);
  assert.ok(files.length > 0, 'no .wast files found');
  const counts: Record<string, number> = {};
  const failures: string[] = [];
  const countAll = (cs: readonly Command[]): void => {
    for (const c of cs) {
      counts[c.kind] = (counts[c.kind] ?? 0) + 1;
      if (c.kind === 'thread') countAll(c.commands);
    }
  };
  for (const f of files) {
    try {
      countAll(parseScript(fs.readFileSync(f, 'utf8')));
    } catch (e) {
      failures.push(`${path.relative(SPEC_DIR, f)}: ${(e as Error).message}`);
    }
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  t.diagnostic(`${files.length} files, ${total} commands: ${Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  assert.deepEqual(failures, []);
});
