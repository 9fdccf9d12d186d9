// Shared by the engine tests: instantiate a .wat module on Kasane's engine and reach its exports.

import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/module.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { instantiateModule } from '../../src/engine/instantiate.js';
import type { InstanceObject, ResolvedImport } from '../../src/engine/types.js';
import { RuntimeError } from '../../src/errors.js';

/** Parses, validates, compiles and instantiates a .wat module. */
export function inst(wat: string, imports: ResolvedImport[] = []): InstanceObject {
  const m = parseWat(wat);
  validateModule(m);
  return instantiateModule(compileModule(m), imports);
}

/** The exported function `name` of an instance, as a JS-callable. */
export function fn(i: InstanceObject, name: string): (...args: unknown[]) => unknown {
  const e = i.exports.get(name);
  assert.ok(e && e.kind === 'func', name);
  return e.func.call;
}

/** Asserts that f traps with exactly this message. */
export function traps(f: () => unknown, message: string): void {
  assert.throws(f, (e: unknown) => e instanceof RuntimeError && e.message === message);
}
