// Instantiating a component compiles each core module once: validating the component compiles
// them (component/index.ts coreValidator) into the cache instantiation takes them from, and reads
// the module Kasane's engine decoded rather than decoding it again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectWebAssembly } from '../../src/api/backend.js';
import type { WebAssemblyNamespace } from '../../src/api/namespace.js';
import { coreModules, coreValidator, decodeComponent, validateComponent } from '../../src/component/index.js';
import { instantiateComponent } from '../../src/component/instantiate.js';
import { decodeModule } from '../../src/binary/decode.js';
import { CompileError, wat2wasm } from '../../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bytes = readFileSync(join(root, 'test', 'component', 'fixtures', 'types.component.wasm'));

test('validating and instantiating a component compiles each core module once', () => {
  const kasane = selectWebAssembly('kasane');
  const made: Uint8Array[] = [];
  const Base = kasane.Module;
  // Kasane's namespace with a Module that records what it compiles.
  const wasm = Object.create(kasane, {
    Module: { value: class extends Base { constructor(b: Uint8Array) { super(b); made.push(b); } } },
  }) as WebAssemblyNamespace;
  const c = decodeComponent(bytes);
  const cores = coreModules(c);
  assert.ok(cores.length >= 2);
  validateComponent(c, { validateCore: coreValidator(wasm, 'kasane') });
  assert.deepEqual(made, cores);
  class Thing { value(): number { return 1; } }
  const imports = { 'test:host/api': { Thing, makeThing: () => new Thing(), getName: () => '', log: () => {} } };
  const x = instantiateComponent(c, imports, { wasm }).exports as Record<string, (...a: unknown[]) => unknown>;
  assert.equal(x.add(2, 40), 42);
  assert.deepEqual(made, cores, 'instantiation compiled nothing again');
});

test('the component validator reads the module validateCore returns instead of decoding its own', () => {
  const c = decodeComponent(bytes);
  validateComponent(c, { validateCore: () => true });
  // A module without the exports the component uses makes it invalid.
  const empty = decodeModule(wat2wasm('(module)'));
  assert.throws(() => validateComponent(c, { validateCore: () => empty }), CompileError);
});
