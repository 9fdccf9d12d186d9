import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemory } from '../../src/engine/objects.js';
import { f32Bits, f32FromBits } from '../../src/engine/runtime.js';
import { canonicalTypeId } from '../../src/engine/typeids.js';
import type { FuncRef } from '../../src/engine/types.js';
import type { FuncType } from '../../src/ast/types.js';
import { LinkError, RuntimeError } from '../../src/errors.js';
import { inst, fn } from './helpers.js';

function host(params: FuncType['params'], results: FuncType['results'], call: (...a: unknown[]) => unknown): FuncRef {
  const type: FuncType = { kind: 'func', params, results };
  return { type, typeId: canonicalTypeId(type), call };
}

test('arithmetic, locals, loops and recursion', () => {
  const i = inst(`(module
    (func $fac (export "fac") (param i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
        (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
    (func (export "sum") (param i32) (result i32) (local i32)
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
      (local.get 1))
    (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))`);
  assert.equal(fn(i, 'fac')(20n), 2432902008176640000n);
  assert.equal(fn(i, 'fac')(25n), 7034535277573963776n);
  assert.equal(fn(i, 'sum')(100), 5050);
  assert.equal(fn(i, 'div')(-7, 2), -3);
  assert.throws(() => fn(i, 'div')(1, 0), (e: unknown) => e instanceof RuntimeError && e.message === 'integer divide by zero');
  assert.throws(() => fn(i, 'div')(-2147483648, -1), /integer overflow/);
});

test('multi-value blocks and functions, br_table', () => {
  const i = inst(`(module
    (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
    (func (export "blk") (result i32)
      (i32.const 1) (i32.const 2)
      (block (param i32 i32) (result i32) (i32.add)))
    (func (export "sw") (param i32) (result i32)
      (block $a (block $b (block $c (br_table $a $b $c (local.get 0))) (return (i32.const 30)))
        (return (i32.const 20)))
      (i32.const 10)))`);
  assert.deepEqual(fn(i, 'swap')(7, 9n), [9n, 7]);
  assert.equal(fn(i, 'blk')(), 3);
  assert.deepEqual([0, 1, 2, 9].map((k) => fn(i, 'sw')(k)), [10, 20, 30, 30]);
});

test('memory: loads, stores, grow with onGrow, bounds traps with a backtrace', () => {
  const i = inst(`(module (memory (export "mem") 1 3)
    (func $inner (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0)))
    (func (export "store") (param i32 i32) (i32.store8 offset=1 (local.get 0) (local.get 1)))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "size") (result i32) (memory.size)))`);
  fn(i, 'store')(0, 0x1ff);
  assert.equal(fn(i, 'load')(0), 0xff00);
  const mem = i.exports.get('mem');
  assert.ok(mem && mem.kind === 'memory');
  let grown = 0;
  mem.memory.onGrow = () => grown++;
  assert.equal(fn(i, 'grow')(1), 1);
  assert.equal(fn(i, 'size')(), 2);
  assert.equal(grown, 1);
  assert.equal(fn(i, 'grow')(5), -1);
  assert.equal(fn(i, 'load')(65536 * 2 - 4), 0);
  assert.throws(() => fn(i, 'outer')(65536 * 2 - 3), (e: unknown) =>
    e instanceof RuntimeError && e.message === 'out of bounds memory access' && /\$inner[\s\S]*\$outer/.test(e.stack ?? ''));
});

test('f32 signalling NaN payloads survive load, store and reinterpret', () => {
  const i = inst(`(module (memory 1)
    (func (export "roundtrip") (param i32) (result i32)
      (f32.store (i32.const 0) (f32.reinterpret_i32 (local.get 0)))
      (i32.reinterpret_f32 (f32.load (i32.const 0)))))`);
  assert.equal(fn(i, 'roundtrip')(0x7fa00001), 0x7fa00001);
  assert.equal(fn(i, 'roundtrip')(0xffc00000 | 0), 0xffc00000 | 0);
  assert.equal(f32Bits(f32FromBits(0x7f800001)), 0x7f800001);
});

test('traps: unreachable, stack exhaustion, call_indirect checks', () => {
  const i = inst(`(module
    (type $v (func)) (type $i (func (result i32)))
    (table 3 funcref) (elem (i32.const 0) $u $r)
    (func $u (export "u") unreachable)
    (func $r (export "rec") (result i32) (call $r))
    (func (export "ci") (param i32) (call_indirect (type $v) (local.get 0))))`);
  assert.throws(() => fn(i, 'u')(), (e: unknown) => e instanceof RuntimeError && e.message === 'unreachable');
  assert.throws(() => fn(i, 'rec')(), (e: unknown) => e instanceof RuntimeError && e.message === 'call stack exhausted');
  assert.throws(() => fn(i, 'ci')(0), /unreachable/);
  assert.throws(() => fn(i, 'ci')(1), /indirect call type mismatch/);
  assert.throws(() => fn(i, 'ci')(2), /uninitialized element/);
  assert.throws(() => fn(i, 'ci')(3), /undefined element/);
});

test('imports: host functions, their exceptions pass through, link errors', () => {
  const wat = `(module (import "env" "f" (func $f (param i32) (result i32)))
    (func (export "g") (param i32) (result i32) (i32.add (call $f (local.get 0)) (i32.const 1))))`;
  const ok = inst(wat, [{ kind: 'func', func: host(['i32'], ['i32'], (x) => (x as number) * 2) }]);
  assert.equal(fn(ok, 'g')(20), 41);
  const boom = new RangeError('host range error');
  const thrower = inst(wat, [{ kind: 'func', func: host(['i32'], ['i32'], () => { throw boom; }) }]);
  assert.throws(() => fn(thrower, 'g')(1), (e: unknown) => e === boom);
  assert.throws(() => inst(wat, [{ kind: 'func', func: host(['i64'], ['i32'], () => 0) }]),
    (e: unknown) => e instanceof LinkError && e.message.includes('import "env" "f": expected func (param i32) (result i32)'));
  assert.throws(() => inst(`(module (import "env" "m" (memory 2)))`,
    [{ kind: 'memory', memory: createMemory({ limits: { min: 1 }, shared: false, addr: 'i32' }) }]), LinkError);
});

test('segments apply in order; a failing one traps after earlier ones', () => {
  const mem = createMemory({ limits: { min: 1 }, shared: false, addr: 'i32' });
  assert.throws(() => inst(`(module (import "env" "m" (memory 1))
    (data (i32.const 0) "ab") (data (i32.const 65535) "cd"))`, [{ kind: 'memory', memory: mem }]),
  (e: unknown) => e instanceof RuntimeError && e.message === 'out of bounds memory access');
  assert.equal(new Uint8Array(mem.buffer)[1], 'b'.charCodeAt(0));
});

test('bulk memory and table operations', () => {
  const i = inst(`(module (memory 1) (table $t 4 funcref)
    (data $d "hello")
    (elem $e func $a $b)
    (func $a (result i32) (i32.const 1)) (func $b (result i32) (i32.const 2))
    (func (export "init") (memory.init $d (i32.const 10) (i32.const 1) (i32.const 4)) (data.drop $d))
    (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "copyfill") (memory.copy (i32.const 20) (i32.const 10) (i32.const 4))
      (memory.fill (i32.const 10) (i32.const 0) (i32.const 2)))
    (func (export "tinit") (table.init $t $e (i32.const 1) (i32.const 0) (i32.const 2)))
    (func (export "call") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
    (func (export "tgrow") (result i32) (table.grow $t (ref.null func) (i32.const 2)))
    (func (export "tsize") (result i32) (table.size $t)))`);
  fn(i, 'init')();
  assert.equal(fn(i, 'peek')(10), 'e'.charCodeAt(0));
  assert.throws(() => fn(i, 'init')(), /out of bounds memory access/);
  fn(i, 'copyfill')();
  assert.equal(fn(i, 'peek')(10), 0);
  assert.equal(fn(i, 'peek')(23), 'o'.charCodeAt(0));
  fn(i, 'tinit')();
  assert.equal(fn(i, 'call')(2), 2);
  assert.equal(fn(i, 'tgrow')(), 4);
  assert.equal(fn(i, 'tsize')(), 6);
});
