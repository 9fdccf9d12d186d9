// Text nested deeper than the parser's recursion can follow is a CompileError, never a RangeError.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompileError } from '../../src/errors.js';
import { parseWat } from '../../src/text/module.js';

test('deeply nested text is rejected with a CompileError', () => {
  const n = 100000;
  const folded = `(module (func ${'(block '.repeat(n)}${')'.repeat(n)}))`;
  const flat = `(module (func ${'block '.repeat(n)}${'end '.repeat(n)}))`;
  for (const src of [folded, flat]) {
    assert.throws(() => parseWat(src), (e: unknown) => e instanceof CompileError && /nests too deeply/.test(e.message));
  }
});

test('ordinary nesting depths parse', () => {
  const n = 500;
  const m = parseWat(`(module (func ${'(block '.repeat(n)}${')'.repeat(n)}))`);
  assert.equal(m.funcs.length, 1);
});
