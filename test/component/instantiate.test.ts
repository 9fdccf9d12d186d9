// Instantiating a hand-written component (wat/types.wat, built by build.sh) on both engines:
// lifted exports (numbers, strings, lists, a result thrown as ComponentError, post-return), a
// host instance import with a resource class and string-returning functions (canon lower with
// realloc), a guest resource with a constructor, a method and a destructor, and the LinkErrors of
// missing imports.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instantiateComponent, ComponentError, LinkError, RuntimeError } from '../../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bytes = readFileSync(join(root, 'test', 'component', 'fixtures', 'types.component.wasm'));

function host() {
  const log: string[] = [];
  class Thing {
    constructor(readonly v: number) {}
    value(): number { return this.v; }
    [Symbol.dispose](): void { log.push(`disposed ${this.v}`); }
  }
  const imports = { 'test:host/api': { Thing, makeThing: () => new Thing(42), getName: () => 'Kasané 🦀', log: (m: string) => log.push(m) } };
  return { imports, log, Thing };
}

type Exports = Record<string, (...a: unknown[]) => unknown> & { Counter: new (v: number) => { get(): number; [Symbol.dispose](): void } };

for (const engine of ['kasane', 'native'] as const) {
  test(`exports of several types (${engine})`, () => {
    const { imports } = host();
    const x = instantiateComponent(bytes, imports, { engine }).exports as Exports;
    assert.equal(x.add(2, 40), 42);
    assert.equal(x.add(0xffffffff, 2), 1, 'u32 wraps');
    assert.equal(x.echoString('héllo wörld'), 'héllo wörld');
    assert.equal(x['echo-string']('same function'), 'same function');
    assert.equal(x.sum(Uint32Array.of(1, 2, 3, 4)), 10);
    assert.equal(x.sum([5, 6]), 11);
    assert.equal(x.check(21), 42);
    assert.equal(x.posts(), 1, 'post-return ran once');
    assert.throws(() => x.check(0), (e: unknown) => e instanceof ComponentError && e.payload === 'zero');
    assert.equal(x.posts(), 2);
  });

  test(`host imports: strings through realloc, a host resource owned then dropped (${engine})`, () => {
    const { imports, log, Thing } = host();
    const x = instantiateComponent(bytes, imports, { engine }).exports as Exports;
    assert.equal(x.greet(), 'Kasané 🦀');
    assert.deepEqual(log, ['Kasané 🦀']);
    assert.equal(x.useThing(), 42);
    assert.deepEqual(log, ['Kasané 🦀', 'disposed 42'], 'resource.drop of an own handle disposes the host object');
    const leaked = x.leakThing();
    assert.ok(leaked instanceof Thing, 'own<thing> lifted back to JS is the host object');
  });

  test(`a guest resource: constructor, method with borrow, destructor (${engine})`, () => {
    const { imports } = host();
    const x = instantiateComponent(bytes, imports, { engine }).exports as Exports;
    const c = new x.Counter(7);
    assert.equal(c.get(), 7);
    assert.equal(x.drops(), 0);
    c[Symbol.dispose]();
    assert.equal(x.drops(), 7, 'the destructor got the representation');
    assert.throws(() => c.get(), TypeError, 'a dropped resource cannot be used');
  });
}

test('missing imports are LinkErrors naming what is missing', () => {
  assert.throws(() => instantiateComponent(bytes, {}), (e: unknown) => e instanceof LinkError && /test:host\/api@1\.0\.0/.test(e.message));
  const { imports } = host();
  const noMethod = { 'test:host/api': { ...imports['test:host/api'], Thing: class {} } };
  assert.throws(() => instantiateComponent(bytes, noMethod), (e: unknown) => e instanceof LinkError && /Thing\.prototype\.value is missing/.test(e.message));
  const noFunc = { 'test:host/api': { ...imports['test:host/api'], getName: undefined } };
  assert.throws(() => instantiateComponent(bytes, noFunc), (e: unknown) => e instanceof LinkError && /getName is missing/.test(e.message));
});

test('the versioned import name is accepted too', () => {
  const { imports } = host();
  const x = instantiateComponent(bytes, { 'test:host/api@1.0.0': imports['test:host/api'] }).exports as Exports;
  assert.equal(x.add(1, 2), 3);
});

test('a host function returning the wrong type fails the call', () => {
  const { imports } = host();
  const x = instantiateComponent(bytes, { 'test:host/api': { ...imports['test:host/api'], getName: () => 5 } }).exports as Exports;
  assert.throws(() => x.greet(), TypeError);
  const y = instantiateComponent(bytes, { 'test:host/api': { ...imports['test:host/api'], makeThing: () => 5 } }).exports as Exports;
  assert.throws(() => y.useThing(), TypeError);
});

test('instantiation arguments must have the types the nested component imports', () => {
  const mismatch = readFileSync(join(root, 'test', 'component', 'fixtures', 'mismatch.component.wasm'));
  assert.throws(() => instantiateComponent(mismatch, {}), (e: unknown) => e instanceof LinkError
    && /instantiation argument "f": expected func\(\) -> string, got func\(\) -> u32/.test(e.message));
});

test('reentering a component instance from a host callback traps', () => {
  const { imports } = host();
  let x: Exports | undefined;
  x = instantiateComponent(bytes, { 'test:host/api': { ...imports['test:host/api'], getName: () => x!.echoString('again') } }).exports as Exports;
  assert.throws(() => x!.greet(), (e: unknown) => e instanceof RuntimeError && /cannot enter the component instance/.test(e.message));
  // The instance is usable again afterwards.
  assert.equal(x.add(1, 1), 2);
});
