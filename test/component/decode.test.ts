// The component decoder and validator: real components decode into the expected definitions,
// malformed binaries and invalid components are CompileErrors at the right byte offset, and
// `binaryLayer` tells modules from components.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeComponent, validateComponent, instantiateComponent, binaryLayer, CompileError, wat2wasm } from '../../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixture = (name: string): Uint8Array => readFileSync(join(root, 'test', 'component', 'fixtures', name));

// ------------------------------------------------------------------ a tiny component encoder

const leb = (n: number): number[] => { const out: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const str = (s: string): number[] => { const b = [...new TextEncoder().encode(s)]; return [...leb(b.length), ...b]; };
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
const component = (...sections: number[][]): Uint8Array => Uint8Array.from([...PREAMBLE, ...sections.flat()]);

/** Where decoding or validation fails: [message pattern, offset]. */
function failure(bytes: Uint8Array): [string, number | undefined] {
  try {
    validateComponent(decodeComponent(bytes));
  } catch (e) {
    assert.ok(e instanceof CompileError, `expected a CompileError, got ${e}`);
    return [e.message, e.offset];
  }
  return ['valid', undefined];
}

test('binaryLayer tells a core module from a component', () => {
  assert.equal(binaryLayer(wat2wasm('(module)')), 'module');
  assert.equal(binaryLayer(component()), 'component');
  assert.equal(binaryLayer(Uint8Array.of(1, 2, 3)), undefined);
});

test('a command component made by jco decodes into its definitions, nested component included', () => {
  const c = decodeComponent(fixture('hello.component.wasm'));
  const kinds = new Map<string, number>();
  for (const d of c.definitions) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
  assert.equal(kinds.get('core module'), 4, 'main module, adapter, shim, fixup');
  assert.equal(kinds.get('component'), 1, 'the wasi:cli/run shim component');
  const imports = c.definitions.filter((d) => d.kind === 'import').map((d) => (d as { name: string }).name);
  assert.ok(imports.includes('wasi:cli/environment@0.2.12'));
  assert.ok(imports.every((n) => /^wasi:[a-z-]+\/[a-z-]+@0\.2\.\d+$/.test(n)), 'versioned interface names');
  const exports = c.definitions.filter((d) => d.kind === 'export');
  assert.deepEqual(exports.map((d) => (d as { name: string }).name), ['wasi:cli/run@0.2.12']);
  validateComponent(c);
});

test('the hand-written component decodes its types, canonical functions and resource', () => {
  const c = decodeComponent(fixture('types.component.wasm'));
  const canon = c.definitions.filter((d) => d.kind === 'canon').map((d) => (d as { canon: { kind: string } }).canon.kind);
  assert.deepEqual([...new Set(canon)].sort(), ['lift', 'lower', 'resource.drop', 'resource.new']);
  const res = c.definitions.find((d) => d.kind === 'type' && d.type.kind === 'resource');
  assert.ok(res !== undefined && res.kind === 'type' && res.type.kind === 'resource' && res.type.dtor !== undefined);
  validateComponent(c);
});

test('malformed binaries: CompileError at the offending byte', () => {
  assert.deepEqual(failure(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0c, 0, 1, 0])), ['unsupported component binary version 0xc (expected 0x0d) (at byte offset 4)', 4]);
  assert.match(failure(component([0x0d, 0x00]))[0], /malformed section id 13/);
  assert.equal(failure(component([0x0d, 0x00]))[1], 8);
  // A type section claiming more bytes than there are.
  assert.match(failure(component([7, 10, 1]))[0], /length out of bounds/);
  // An unknown type constructor.
  const bad = component(section(7, vec([[0x30]])));
  assert.deepEqual(failure(bad), ['malformed type (0x30) (at byte offset 11)', 11]);
  // A section with trailing bytes.
  assert.match(failure(component(section(7, [...vec([[0x7f]]), 0x00])))[0], /section size mismatch/);
  // Duplicate canonical options.
  const dupOpts = component(section(8, vec([[0x01, 0x00, 0x00, ...vec([[0x00], [0x01]])]])));
  assert.match(failure(dupOpts)[0], /duplicate or conflicting canonical option stringEncoding/);
});

test('invalid components: index spaces, types and canonical options', () => {
  // (type (own 0)) where type 0 does not exist.
  assert.match(failure(component(section(7, vec([[0x69, 0x00]]))))[0], /type index 0 out of bounds/);
  // own of a non-resource type: type 0 = u32 (a defvaltype), type 1 = own 0.
  assert.match(failure(component(section(7, vec([[0x79], [0x69, 0x00]]))))[0], /own of type index 0, which is not a resource type/);
  // canon lift of a core function that does not exist.
  const functype = [0x40, ...vec([]), 0x01, 0x00]; // (func) with no params or results
  assert.match(failure(component(section(7, vec([functype])), section(8, vec([[0x00, 0x00, 0x05, 0x00, 0x00]]))))[0], /core func index 5 out of bounds/);
  // An export of a function index that does not exist.
  assert.match(failure(component(section(11, vec([[0x00, ...str('f'), 0x01, 0x03, 0x00]]))))[0], /func index 3 out of bounds/);
  // Duplicate import names.
  const imp = [0x00, ...str('wasi:cli/run@0.2.0'), 0x03, 0x01]; // (import "..." (type (sub resource)))
  const [msg, offset] = failure(component(section(10, vec([imp, imp]))));
  assert.match(msg, /duplicate import name "wasi:cli\/run@0.2.0"/);
  assert.equal(offset, 8 + 2 + 1 + imp.length, 'at the second import');
  // (func (result (borrow 0))) with type 0 a resource (with no destructor).
  const borrowResult = component(section(7, vec([[0x3f, 0x7f, 0x00], [0x68, 0x00], [0x40, ...vec([]), 0x00, 0x01]])));
  assert.match(failure(borrowResult)[0], /function results cannot contain borrow handles/);
  // A record with two fields that differ only in case.
  const rec = [0x72, ...vec([[...str('a'), 0x79], [...str('A'), 0x79]])];
  assert.match(failure(component(section(7, vec([rec]))))[0], /duplicate field name "A"/);
});

test('canon lift of a function passing strings needs memory and realloc', () => {
  // type 0 = (func (param "s" string)); core module exporting f(i32 i32); core instance; lift.
  const core = wat2wasm('(module (func (export "f") (param i32 i32)))');
  const types = section(7, vec([[0x40, ...vec([[...str('s'), 0x73]]), 0x01, 0x00]]));
  const mod = section(1, [...core]);
  const inst = section(2, vec([[0x00, 0x00, ...vec([])]]));
  const alias = section(6, vec([[0x00, 0x00, 0x01, 0x00, ...str('f')]])); // (alias core export 0 "f" (core func))
  const lift = section(8, vec([[0x00, 0x00, 0x00, ...vec([]), 0x00]]));
  assert.match(failure(component(types, mod, inst, alias, lift))[0], /canonical option `memory` is required/);
  // An alias of an export the core instance does not have.
  const badAlias = section(6, vec([[0x00, 0x00, 0x01, 0x00, ...str('g')]]));
  assert.match(failure(component(types, mod, inst, badAlias))[0], /core instance 0 has no export "g"/);
});

test('an invalid nested core module is reported at its offset in the component', () => {
  const core = wat2wasm('(module (func (export "f") (result i32) (i32.const 1)))');
  // Break the function body: replace `i32.const 1` (0x41 0x01) by `f32.const` with a short operand.
  const broken = Uint8Array.from(core);
  const at = broken.findIndex((b, i) => b === 0x41 && broken[i + 1] === 0x01 && broken[i + 2] === 0x0b);
  broken[at] = 0x6a; // i32.add with an empty stack
  const [msg, offset] = failure(component(section(1, [...broken])));
  assert.match(msg, /^core module: /);
  assert.ok(offset !== undefined && offset >= 10 && offset < 10 + broken.length, `offset ${offset} inside the nested module`);
});

test('validateCore replaces the core validator for code; when it says invalid, Kasane\'s gives the reason', () => {
  const core = wat2wasm('(module (func (export "f") (result i32) (i32.const 1)))');
  const broken = Uint8Array.from(core);
  const at = broken.findIndex((b, i) => b === 0x41 && broken[i + 1] === 0x01 && broken[i + 2] === 0x0b);
  broken[at] = 0x6a; // i32.add with an empty stack
  const c = decodeComponent(component(section(1, [...broken])));
  const seen: number[] = [];
  validateComponent(c, { validateCore: (b) => { seen.push(b.length); return true; } });
  assert.deepEqual(seen, [broken.length], 'the nested module was handed to validateCore, which accepted it');
  assert.throws(() => validateComponent(c, { validateCore: () => false }), (e: unknown) => e instanceof CompileError && /^core module: /.test(e.message));
  // On either engine, instantiating reports the broken module as Kasane's CompileError.
  for (const engine of ['native', 'kasane', 'auto'] as const) {
    assert.throws(() => instantiateComponent(c, {}, { engine }), (e: unknown) => e instanceof CompileError && /^core module: /.test(e.message), engine);
  }
});
