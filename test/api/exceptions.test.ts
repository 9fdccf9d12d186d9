// JS API: WebAssembly.Tag, WebAssembly.Exception, WebAssembly.JSTag, and tags as imports and
// exports (JS API §"Tags", §"Exceptions", "read the imports").

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebAssembly as W } from '../../src/api/namespace.js';
import { wat2wasm } from '../../src/index.js';

type Exn = InstanceType<typeof W.Exception>;

test('Tag: constructor, type(), toStringTag, TypeErrors', () => {
  const t = new W.Tag({ parameters: ['i32', 'f64', 'externref', 'anyfunc'] });
  assert.deepEqual(t.type(), { parameters: ['i32', 'f64', 'externref', 'funcref'] });
  assert.equal(Object.prototype.toString.call(t), '[object WebAssembly.Tag]');
  assert.equal(W.Tag.length, 1);
  assert.throws(() => new W.Tag({} as never), TypeError);
  assert.throws(() => new W.Tag({ parameters: ['i33'] }), TypeError);
  assert.throws(() => new W.Tag({ parameters: 5 } as never), TypeError);
  assert.throws(() => (W.Tag as unknown as (d: unknown) => unknown)({ parameters: [] }), TypeError);
  // A sequence is any iterable.
  assert.deepEqual(new W.Tag({ parameters: new Set(['i64']) as never }).type(), { parameters: ['i64'] });
});

test('Exception: constructor checks, getArg, is, stack', () => {
  const t = new W.Tag({ parameters: ['i32', 'i64'] });
  const other = new W.Tag({ parameters: ['i32', 'i64'] });
  const e = new W.Exception(t, [1.9, 7n]);
  assert.equal(W.Exception.length, 2);
  assert.equal(Object.prototype.toString.call(e), '[object WebAssembly.Exception]');
  assert.equal(e.is(t), true);
  assert.equal(e.is(other), false);
  assert.equal(e.getArg(t, 0), 1);
  assert.equal(e.getArg(t, 1), 7n);
  assert.throws(() => e.getArg(other, 0), TypeError);
  assert.throws(() => e.getArg(t, 2), RangeError);
  assert.throws(() => e.getArg(t, -1), TypeError);
  assert.throws(() => e.is({} as never), TypeError);
  assert.throws(() => new W.Exception({} as never, []), TypeError);
  assert.throws(() => new W.Exception(t, [1]), TypeError);
  assert.throws(() => new W.Exception(t, 5 as never), TypeError);
  assert.throws(() => new W.Exception(t, [1, 'not a bigint']), SyntaxError);
  assert.throws(() => new W.Exception(W.JSTag, [1]), TypeError);
  assert.throws(() => new W.Exception(new W.Tag({ parameters: ['v128'] }), [0]), TypeError);
  assert.equal(e.stack, undefined);
  const traced = new W.Exception(t, [0, 0n], { traceStack: true });
  assert.equal(typeof traced.stack, 'string');
  assert.throws(() => W.Exception.prototype.getArg.call({}, t, 0), TypeError);
});

test('JSTag: a Tag of one externref parameter', () => {
  assert.ok(W.JSTag instanceof W.Tag);
  assert.deepEqual(W.JSTag.type(), { parameters: ['externref'] });
  assert.equal(W.JSTag, W.JSTag);
});

test('tags as exports and imports: identity, and link-time type checks naming the import', () => {
  const a = new W.Instance(new W.Module(wat2wasm(`(module
    (tag (export "t") (param i32))
    (func (export "throw") (param i32) (throw 0 (local.get 0))))`))).exports as Record<string, any>;
  assert.ok(a.t instanceof W.Tag);
  assert.deepEqual(a.t.type(), { parameters: ['i32'] });
  try {
    a.throw(5);
    assert.fail('no exception');
  } catch (x) {
    assert.ok(x instanceof W.Exception);
    assert.equal((x as Exn).is(a.t), true);
    assert.equal((x as Exn).getArg(a.t, 0), 5);
  }
  const importer = new W.Module(wat2wasm(`(module
    (import "m" "t" (tag $t (param i32)))
    (export "t" (tag $t)))`));
  const b = new W.Instance(importer, { m: { t: a.t } }).exports as Record<string, any>;
  assert.equal(b.t, a.t);
  assert.throws(() => new W.Instance(importer, { m: { t: new W.Tag({ parameters: ['i64'] }) } }),
    (e: unknown) => e instanceof W.LinkError && /"m" "t"/.test(e.message) && /tag \(param i32\)/.test(e.message));
  assert.throws(() => new W.Instance(importer, { m: { t: 1 } }),
    (e: unknown) => e instanceof W.LinkError && /"m" "t"/.test(e.message) && /WebAssembly\.Tag of type \(param i32\)/.test(e.message));
  assert.ok(new W.Instance(importer, { m: { t: new W.Tag({ parameters: ['i32'] }) } }));
  assert.deepEqual(W.Module.imports(importer), [{ module: 'm', name: 't', kind: 'tag' }]);
});

test('exnref cannot cross the JS boundary', () => {
  const e = new W.Instance(new W.Module(wat2wasm(`(module
    (func (export "f") (param exnref))
    (func (export "g") (result exnref) (ref.null exn)))`))).exports as Record<string, any>;
  assert.throws(() => e.f(null), TypeError);
  assert.throws(() => e.g(), TypeError);
});
