// Compiling ahead (engine/instantiate.ts): a first call also compiles the direct callees of what
// it compiles; in large modules (over 1 MiB of code) only small callees.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exprOf } from '../../src/ast/module.js';
import { parseWat } from '../../src/text/module.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { instantiateModule } from '../../src/engine/instantiate.js';
import type { EngineFuncRef } from '../../src/engine/runtime.js';
import { fn } from './helpers.js';

// f calls neither callee when its argument is 0; $big has about 400 bytes of code.
const wat = `(module
  (func $small (result i32) (i32.const 1))
  (func $big (result i32) ${'(drop (i32.const 1000)) '.repeat(100)} (i32.const 2))
  (func $pad)
  (func (export "f") (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.add (call $small) (call $big)))
      (else (i32.const 0)))))`;

/** Instantiates the module, with $pad's body made `pad` bytes of nop when given; calls f(0). */
function run(pad: number): EngineFuncRef[] {
  const m = parseWat(wat);
  validateModule(m);
  if (pad > 0) {
    const body = new Uint8Array(pad + 1).fill(0x01); // nop ... end, never called
    body[pad] = 0x0b;
    m.funcs[2] = { ...m.funcs[2], code: exprOf(body) };
  }
  const i = instantiateModule(compileModule(m), []);
  assert.equal(fn(i, 'f')(0), 0);
  return i.funcs as EngineFuncRef[];
}

// Compiled code is the generated `w$<module>$<index>`; a stub is anonymous.
const compiled = (f: EngineFuncRef): boolean => f.raw.name.startsWith('w$');

test('small modules compile every direct callee ahead of its first call', () => {
  const [small, big, pad, f] = run(0);
  assert.ok(compiled(f));
  assert.ok(compiled(small));
  assert.ok(compiled(big));
  assert.ok(!compiled(pad));
});

test('large modules compile only small callees ahead', () => {
  const [small, big, pad, f] = run(1024 * 1024 + 1);
  assert.ok(compiled(f));
  assert.ok(compiled(small));
  assert.ok(!compiled(big));
  assert.ok(!compiled(pad));
});
