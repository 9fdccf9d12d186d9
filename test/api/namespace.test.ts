// WebAssembly JS API conformance: the namespace object, Module and its static functions,
// validate/compile/instantiate and the streaming variants.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebAssembly as W } from '../../src/api/namespace.js';
import { CompileError, LinkError, RuntimeError } from '../../src/errors.js';
import { wat2wasm } from '../../src/index.js';

const EMPTY = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

test('namespace shape: members, toStringTag, error classes', () => {
  assert.equal(Object.prototype.toString.call(W), '[object WebAssembly]');
  for (const k of ['Module', 'Instance', 'Memory', 'Table', 'Global', 'Tag', 'Exception', 'CompileError', 'LinkError', 'RuntimeError']) {
    assert.equal(typeof (W as unknown as Record<string, unknown>)[k], 'function', k);
  }
  for (const k of ['validate', 'compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
    assert.equal(typeof (W as unknown as Record<string, unknown>)[k], 'function', k);
  }
  assert.equal(W.CompileError, CompileError);
  assert.equal(W.LinkError, LinkError);
  assert.equal(W.RuntimeError, RuntimeError);
  assert.ok(new W.CompileError('x') instanceof Error);
  assert.equal(W.Module.length, 1);
  assert.equal(W.Instance.length, 1);
  assert.equal(W.Memory.length, 1);
  assert.equal(W.Table.length, 1);
  assert.equal(W.Global.length, 1);
});

test('Module: BufferSource argument, CompileError on bad bytes, requires new', () => {
  assert.ok(new W.Module(EMPTY) instanceof W.Module);
  assert.ok(new W.Module(EMPTY.buffer) instanceof W.Module);
  assert.ok(new W.Module(new DataView(EMPTY.buffer)) instanceof W.Module);
  assert.throws(() => new W.Module('abc' as never), TypeError);
  assert.throws(() => new W.Module(undefined as never), TypeError);
  assert.throws(() => new W.Module(new Uint8Array([1, 2, 3])), W.CompileError);
  assert.throws(() => (W.Module as unknown as (b: unknown) => unknown)(EMPTY), TypeError);
  assert.equal(Object.prototype.toString.call(new W.Module(EMPTY)), '[object WebAssembly.Module]');
});

test('Module: the bytes are copied when the module is made', () => {
  const b = EMPTY.slice();
  const m = new W.Module(b);
  b[0] = 0xff;
  assert.deepEqual(W.Module.exports(m), []);
});

test('Module.exports / imports / customSections', () => {
  const bytes = wat2wasm(`(module
    (import "env" "f" (func (param i32)))
    (import "env" "t" (table 1 funcref))
    (import "env" "m" (memory 1))
    (import "other" "g" (global i32))
    (func (export "run"))
    (table (export "tab") 1 funcref)
    (memory (export "mem") 1)
    (global (export "glob") i32 (i32.const 0)))`);
  const m = new W.Module(bytes);
  assert.deepEqual(W.Module.imports(m), [
    { module: 'env', name: 'f', kind: 'function' },
    { module: 'env', name: 't', kind: 'table' },
    { module: 'env', name: 'm', kind: 'memory' },
    { module: 'other', name: 'g', kind: 'global' },
  ]);
  assert.deepEqual(W.Module.exports(m), [
    { name: 'run', kind: 'function' },
    { name: 'tab', kind: 'table' },
    { name: 'mem', kind: 'memory' },
    { name: 'glob', kind: 'global' },
  ]);
  assert.throws(() => W.Module.exports({} as never), TypeError);
  assert.throws(() => W.Module.imports(undefined as never), TypeError);

  // A custom section "hello" with payload [1, 2, 3], twice, and one named "other".
  const custom = (name: string, payload: number[]): number[] => {
    const n = [...new TextEncoder().encode(name)];
    return [0, 1 + n.length + payload.length, n.length, ...n, ...payload];
  };
  const withCustom = new Uint8Array([...EMPTY, ...custom('hello', [1, 2, 3]), ...custom('other', [9]), ...custom('hello', [4])]);
  const cm = new W.Module(withCustom);
  const secs = W.Module.customSections(cm, 'hello');
  assert.equal(secs.length, 2);
  assert.ok(secs[0] instanceof ArrayBuffer);
  assert.deepEqual([...new Uint8Array(secs[0]!)], [1, 2, 3]);
  assert.deepEqual([...new Uint8Array(secs[1]!)], [4]);
  assert.notEqual(W.Module.customSections(cm, 'hello')[0], secs[0], 'each call returns fresh copies');
  assert.deepEqual(W.Module.customSections(cm, 'missing'), []);
  assert.throws(() => (W.Module.customSections as (m: unknown) => unknown)(cm), TypeError);
});

test('validate', () => {
  assert.equal(W.validate(EMPTY), true);
  assert.equal(W.validate(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])), false);
  // (func (result i32)) with an empty body is invalid.
  const invalid = new Uint8Array([...EMPTY, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0b]);
  assert.equal(W.validate(invalid), false);
  assert.throws(() => W.validate('x' as never), TypeError);
});

test('compile and instantiate: promises, both overloads, rejections', async () => {
  const m = await W.compile(EMPTY);
  assert.ok(m instanceof W.Module);
  await assert.rejects(W.compile(new Uint8Array([1])), W.CompileError);
  await assert.rejects(W.compile(42 as never), TypeError);

  const bytes = wat2wasm('(module (func (export "f") (result i32) i32.const 7))');
  const r = await W.instantiate(bytes);
  assert.ok(r.module instanceof W.Module);
  assert.ok(r.instance instanceof W.Instance);
  assert.equal((r.instance.exports.f as () => number)(), 7);

  const inst = await W.instantiate(r.module);
  assert.ok(inst instanceof W.Instance);
  assert.equal((inst.exports.f as () => number)(), 7);

  await assert.rejects(W.instantiate(42 as never), TypeError);
  const needsImports = wat2wasm('(module (import "m" "f" (func)))');
  await assert.rejects(W.instantiate(needsImports), TypeError);
  await assert.rejects(W.instantiate(needsImports, { m: { f: 1 } }), W.LinkError);
  await assert.rejects(W.instantiate(bytes, 5 as never), TypeError);
});

test('instantiate reads the imports synchronously, instantiates later', async () => {
  const bytes = wat2wasm('(module (import "m" "f" (func)))');
  const m = new W.Module(bytes);
  let reads = 0;
  const imports = { get m() { reads++; return { f: () => {} }; } };
  const p = W.instantiate(m, imports);
  assert.equal(reads, 1);
  assert.ok((await p) instanceof W.Instance);
});

test('compileStreaming / instantiateStreaming take a Response or a promise of one', async () => {
  const bytes = wat2wasm('(module (func (export "f") (result i32) i32.const 3))');
  const response = (type: string | null, ok = true) => ({
    ok,
    status: ok ? 200 : 404,
    headers: { get: (n: string) => (n.toLowerCase() === 'content-type' ? type : null) },
    arrayBuffer: async () => bytes.slice().buffer,
  });
  assert.ok((await W.compileStreaming(response('application/wasm'))) instanceof W.Module);
  assert.ok((await W.compileStreaming(Promise.resolve(response('application/wasm')))) instanceof W.Module);
  const r = await W.instantiateStreaming(response('application/wasm'));
  assert.equal((r.instance.exports.f as () => number)(), 3);
  await assert.rejects(W.compileStreaming(response('text/html')), TypeError);
  await assert.rejects(W.compileStreaming(response(null)), TypeError);
  await assert.rejects(W.compileStreaming(response('application/wasm', false)), TypeError);
  await assert.rejects(W.compileStreaming(42), TypeError);
  if (typeof Response === 'function') {
    const real = new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } });
    assert.ok((await W.compileStreaming(real)) instanceof W.Module);
  }
});
