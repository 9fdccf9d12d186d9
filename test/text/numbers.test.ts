// Numeric literals: exact bit patterns, including the rounding cases listed in the spec tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseF32, parseF64, parseI32, parseI64, parseIntN, parseU32, parseU64 } from '../../src/text/numbers.js';
import { parseScript } from '../../src/text/script.js';
import { CompileError } from '../../src/errors.js';
import type { List, SExpr } from '../../src/text/sexpr.js';

const SPEC_DIR = process.env['KASANE_SPEC_DIR'] ?? '/work/shared/testsuite';

function throwsMsg(f: () => unknown, re: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof CompileError && re.test(e.message));
}

test('integers', () => {
  assert.equal(parseI32('0'), 0);
  assert.equal(parseI32('+42'), 42);
  assert.equal(parseI32('-0x80000000'), -0x80000000);
  assert.equal(parseI32('0xffffffff'), -1);
  assert.equal(parseI32('4294967295'), -1);
  assert.equal(parseI32('1_000_000'), 1000000);
  assert.equal(parseI32('0x0000_0000_0000_0000_0001'), 1);
  throwsMsg(() => parseI32('4294967296'), /constant out of range/);
  throwsMsg(() => parseI32('-2147483649'), /constant out of range/);
  throwsMsg(() => parseI32('0x100000000'), /constant out of range/);
  for (const bad of ['', '0x', '1_', '_1', '1__0', '0x_1', '+_1', '1.0', '1e3', '0X1', 'x']) {
    throwsMsg(() => parseI32(bad), /unknown operator/);
  }
  assert.equal(parseI64('0xffffffffffffffff'), -1n);
  assert.equal(parseI64('-9223372036854775808'), -9223372036854775808n);
  assert.equal(parseI64('18446744073709551615'), -1n);
  throwsMsg(() => parseI64('18446744073709551616'), /constant out of range/);
  throwsMsg(() => parseI64('-9223372036854775809'), /constant out of range/);
  assert.equal(parseU32('0xffff_ffff'), 0xffffffff);
  throwsMsg(() => parseU32('-1'), /unknown operator/);
  throwsMsg(() => parseU32('4294967296'), /constant out of range/);
  assert.equal(parseU64('0x1_0000_0000'), 0x100000000);
  assert.equal(parseU64('0xffff_ffff_ffff_ffff'), 0xffffffffffffffffn);
  throwsMsg(() => parseU64('0x1_0000_0000_0000_0000'), /constant out of range/);
  assert.equal(parseIntN('255', 8), -1n);
  assert.equal(parseIntN('-128', 8), -128n);
  throwsMsg(() => parseIntN('256', 8), /constant out of range/);
  throwsMsg(() => parseIntN('-129', 8), /constant out of range/);
  assert.equal(parseIntN('65535', 16), -1n);
});

test('f32 bit patterns', () => {
  const cases: [string, number][] = [
    ['0', 0], ['-0', 0x80000000], ['+0.0', 0], ['1', 0x3f800000], ['-1.5', 0xbfc00000],
    ['inf', 0x7f800000], ['-inf', 0xff800000], ['nan', 0x7fc00000], ['-nan', 0xffc00000],
    ['nan:0x1', 0x7f800001], ['-nan:0x7fffff', 0xffffffff], ['nan:0x20_0000', 0x7fa00000],
    ['0x1p-149', 1], ['0x1p-150', 0], ['0x1.000001p-150', 1], ['0x1.8p-149', 2], ['0x1p-126', 0x800000],
    ['0x1.fffffcp-127', 0x7fffff], ['0x1.fffffep127', 0x7f7fffff], ['0x1.921fb6p+2', 0x40c90fdb],
    ['0x1.00000100000000000p-50', 0x26800000], ['0x1.00000100000000001p-50', 0x26800001],
    ['0x1.000001fffffffffffp-50', 0x26800001], ['0x1.00000300000000000p-50', 0x26800002],
    ['1.00000005960464477550', 0x3f800001], ['1.000000059604644775390625', 0x3f800000],
    ['1.000000178813934326171875', 0x3f800002], ['1.0000001788139343261718749', 0x3f800001],
    ['1.401298464324817e-45', 1], ['7.006492321624085e-46', 0], ['7.006492321624086e-46', 1],
    ['3.4028234663852886e+38', 0x7f7fffff], ['340282356779733661637539395458142568447', 0x7f7fffff],
    ['1e-1000', 0], ['0x1p-100000000000', 0], ['1.e1', 0x41200000], ['0x1.p1', 0x40000000],
    ['0x1P+1', 0x40000000], ['1E1', 0x41200000], ['0x0.0000000000000000000000000000000000000001p+160', 0x3f800000],
  ];
  for (const [t, bits] of cases) assert.equal(parseF32(t), bits, t);
  for (const t of ['0x1p128', '-0x1p128', '0x1.ffffffp127', '1e39', '340282356779733661637539395458142568448', '1e100000000000']) {
    throwsMsg(() => parseF32(t), /constant out of range/);
  }
  for (const t of ['nan:0x0', 'nan:0x80_0000']) throwsMsg(() => parseF32(t), /constant out of range/);
  for (const t of ['.0', '0e', '0x', '0x.', '0x0p', 'nan:1', 'nan:0x', '1.0_', 'infinity', '0x1e+1.0']) {
    throwsMsg(() => parseF32(t), /unknown operator/);
  }
});

test('f64 bit patterns', () => {
  const cases: [string, bigint][] = [
    ['0', 0n], ['-0', 0x8000000000000000n], ['1', 0x3ff0000000000000n], ['inf', 0x7ff0000000000000n],
    ['nan', 0x7ff8000000000000n], ['-nan:0xfffffffffffff', 0xffffffffffffffffn], ['nan:0x1', 0x7ff0000000000001n],
    ['0x1p-1074', 1n], ['0x1p-1075', 0n], ['0x1.8p-1074', 2n], ['0x1.fffffffffffffp1023', 0x7fefffffffffffffn],
    ['0x1.00000000000008p0', 0x3ff0000000000000n], ['0x1.000000000000080000000001p0', 0x3ff0000000000001n],
    ['0x1.00000000000018p0', 0x3ff0000000000002n], ['1.7976931348623157e308', 0x7fefffffffffffffn],
    ['4.9406564584124654e-324', 1n], ['2.4703282292062327e-324', 0n], ['2.4703282292062328e-324', 1n],
    ['1_000_000', 0x412e848000000000n], ['0x1.921fb54442d18p+1', 0x400921fb54442d18n],
  ];
  for (const [t, bits] of cases) assert.equal(parseF64(t), bits, t);
  for (const t of ['0x1p1024', '-0x1p1024', '0x1.fffffffffffff8p1023', '1e309', '1.7976931348623159e308']) {
    throwsMsg(() => parseF64(t), /constant out of range/);
  }
  for (const t of ['nan:0x0', 'nan:0x10_0000_0000_0000']) throwsMsg(() => parseF64(t), /constant out of range/);
});

// Exact expectations from the spec tests: each `(func (export "n") ... (T.const X))` whose
// assert_return gives the expected value (for float_literals.wast as reinterpreted bits).
function innermostConst(e: SExpr): { op: string; text: string; reinterpret: boolean } | undefined {
  if (e.kind !== 'list') return undefined;
  const h = e.items[0];
  const op = h && h.kind === 'atom' ? h.text : '';
  if (/^[if](32|64)\.const$/.test(op) && e.items[1]?.kind === 'atom') {
    return { op, text: e.items[1].text, reinterpret: false };
  }
  for (const x of e.items) {
    const r = innermostConst(x);
    if (r) return { ...r, reinterpret: r.reinterpret || op.includes('reinterpret') };
  }
  return undefined;
}

function exportedConsts(list: List): Map<string, { op: string; text: string; reinterpret: boolean }> {
  const m = new Map<string, { op: string; text: string; reinterpret: boolean }>();
  for (const f of list.items) {
    if (f.kind !== 'list' || f.items[0]?.kind !== 'atom' || f.items[0].text !== 'func') continue;
    const ex = f.items.find((x): x is List => x.kind === 'list' && x.items[0]?.kind === 'atom' && x.items[0].text === 'export');
    const name = ex?.items[1];
    if (!name || name.kind !== 'atom') continue;
    const c = innermostConst({ kind: 'list', items: f.items.slice(1), pos: 0 });
    if (c) m.set(new TextDecoder().decode(name.bytes), c);
  }
  return m;
}

for (const file of ['const.wast', 'float_literals.wast', 'wasm-2.0/const.wast', 'wasm-2.0/float_literals.wast']) {
  const p = path.join(SPEC_DIR, file);
  test(`exact literals of ${file}`, { skip: fs.existsSync(p) ? false : `spec test suite not found at ${SPEC_DIR}` }, () => {
    let consts = new Map<string, { op: string; text: string; reinterpret: boolean }>();
    let checked = 0;
    for (const c of parseScript(fs.readFileSync(p, 'utf8'))) {
      if (c.kind === 'module') {
        consts = c.module.source.kind === 'text' ? exportedConsts(c.module.source.list) : new Map();
        continue;
      }
      if (c.kind !== 'assert_return' || c.action.kind !== 'invoke' || c.action.args.length !== 0) continue;
      const k = consts.get(c.action.field);
      const r = c.results[0];
      if (!k || !r || r.kind !== 'value') continue;
      const v = r.value;
      const where = `${file}:${c.line} ${k.op} ${k.text}`;
      if (k.op === 'f32.const') {
        const bits = parseF32(k.text);
        if (v.kind === 'i32') assert.equal(bits, v.value >>> 0, where);
        else if (v.kind === 'f32') assert.equal(bits, v.bits, where);
        else continue;
      } else if (k.op === 'f64.const') {
        const bits = parseF64(k.text);
        if (v.kind === 'i64') assert.equal(bits, BigInt.asUintN(64, v.value), where);
        else if (v.kind === 'f64') assert.equal(bits, v.bits, where);
        else continue;
      } else if (k.op === 'i32.const' && v.kind === 'i32') {
        assert.equal(parseI32(k.text), v.value, where);
      } else if (k.op === 'i64.const' && v.kind === 'i64') {
        assert.equal(parseI64(k.text), v.value, where);
      } else continue;
      checked++;
    }
    assert.ok(checked > 20, `only ${checked} checks in ${file}`);
  });
}
