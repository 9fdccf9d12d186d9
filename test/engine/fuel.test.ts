// Fuel metering (engine/fuel.ts): deterministic consumption, the out-of-fuel trap, and no
// change at all to the code generated without fuel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/module.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { instantiateModule } from '../../src/engine/instantiate.js';
import { Fuel, FUEL_MESSAGE } from '../../src/engine/fuel.js';
import type { InstanceObject } from '../../src/engine/types.js';
import type { Module } from '../../src/ast/module.js';
import { RuntimeError } from '../../src/errors.js';
import { internals, WebAssembly } from '../../src/api/namespace.js';
import { encodeModule } from '../../src/index.js';
import { fn } from './helpers.js';

const WAT = `(module
  (func $add (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "nops") (result i32)
    nop nop (drop (i32.const 5)) (i32.const 7))
  ;; sum of n..1: per iteration 12 units, plus 3 for the exit test and 1 for the result
  (func (export "sum") (param i32) (result i32) (local i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br $l)))
    (local.get 1))
  (func (export "max") (param i32 i32) (result i32)
    (if (result i32) (i32.gt_s (local.get 0) (local.get 1))
      (then (local.get 0)) (else (local.get 1))))
  (func (export "calls") (result i32) (call $add (i32.const 1) (i32.const 2)))
  (func (export "spin") (loop $l (br $l)))
  (func (export "spin_if") (param i32) (loop $l (br_if $l (local.get 0))))
  (func (export "flat_loop") (result i32) (loop (result i32) (i32.const 1))))`;

function parsed(wat = WAT): Module {
  const m = parseWat(wat);
  validateModule(m);
  return m;
}

function metered(fuel: number, wat = WAT): { i: InstanceObject; fuel: Fuel } {
  const f = new Fuel(fuel);
  return { i: instantiateModule(compileModule(parsed(wat), { fuel: true }), [], { fuel: f }), fuel: f };
}

const isFuelTrap = (e: unknown): boolean => e instanceof RuntimeError && e.message === FUEL_MESSAGE;

test('fuel disabled: the generated source is exactly what it was', () => {
  const m = parsed();
  const plain = compileModule(m);
  const off = compileModule(m, { fuel: false });
  const on = compileModule(m, { fuel: true });
  const n = m.funcs.length;
  for (let k = 0; k < n; k++) {
    assert.equal(off.source(k), plain.source(k).replace(/w\$\d+\$/, `w$${off.info.id}$`));
    assert.doesNotMatch(plain.source(k), /FU|outOfFuel/);
    assert.match(on.source(k), /FU\.r -=/);
  }
  assert.equal(plain.fuel, false);
  assert.equal(on.fuel, true);
});

test('exact consumption of tiny functions (wasmtime costs: 1 per instruction, 0 for nop/drop/block/loop/end...)', () => {
  const { i, fuel } = metered(1000);
  assert.equal(fn(i, 'add')(2, 3), 5);
  assert.equal(fuel.consumed, 3); // local.get, local.get, i32.add
  assert.equal(fuel.remaining, 997);
  fuel.set(1000);
  assert.equal(fn(i, 'nops')(), 7);
  assert.equal(fuel.consumed, 2); // i32.const 5, i32.const 7
  fuel.set(1000);
  assert.equal(fn(i, 'max')(1, 9), 9);
  assert.equal(fuel.consumed, 5); // 2 gets, gt_s, if; then the else arm's local.get
  fuel.set(1000);
  assert.equal(fn(i, 'calls')(), 3);
  assert.equal(fuel.consumed, 6); // 2 consts and call, then add's 3
  for (const n of [0, 1, 10, 100]) {
    fuel.set(100000);
    assert.equal(fn(i, 'sum')(n), (n * (n + 1)) / 2);
    assert.equal(fuel.consumed, 12 * n + 4, `sum(${n})`);
  }
});

test('a counted loop: finishes with exactly enough fuel, traps with one unit less, deterministically', () => {
  const need = 12 * 1000 + 4;
  for (let rep = 0; rep < 3; rep++) {
    const ok = metered(need);
    assert.equal(fn(ok.i, 'sum')(1000), 500500);
    assert.equal(ok.fuel.remaining, 0);
    const short = metered(need - 1);
    assert.throws(() => fn(short.i, 'sum')(1000), isFuelTrap);
    // Every charge but the last (1 unit: the final local.get) was taken; the failed one is not.
    assert.equal(short.fuel.remaining, 0);
    assert.equal(short.fuel.consumed, need - 1);
  }
});

test('infinite loops trap with the fuel message', () => {
  const { i, fuel } = metered(1_000_000);
  assert.throws(() => fn(i, 'spin')(), isFuelTrap);
  assert.equal(fuel.remaining, 0);
  fuel.set(12345);
  assert.throws(() => fn(i, 'spin_if')(1), isFuelTrap);
  assert.equal(fuel.remaining, 12345 % 2); // 2 per iteration (local.get, br_if)
  fuel.set(0);
  assert.throws(() => fn(i, 'add')(1, 2), isFuelTrap);
  fuel.set(1);
  assert.equal(fn(i, 'flat_loop')(), 1);
  assert.equal(fuel.remaining, 0);
});

test('instances share their Fuel; options are checked', () => {
  const cm = compileModule(parsed(), { fuel: true });
  const fuel = new Fuel(100);
  const a = instantiateModule(cm, [], { fuel });
  const b = instantiateModule(cm, [], { fuel });
  fn(a, 'add')(1, 2);
  fn(b, 'add')(1, 2);
  assert.equal(fuel.consumed, 6);
  assert.throws(() => instantiateModule(cm, []), TypeError);
  assert.throws(() => instantiateModule(compileModule(parsed()), [], { fuel }), TypeError);
  assert.throws(() => new Fuel(-1), RangeError);
  assert.throws(() => new Fuel(1.5), RangeError);
});

test('through the API: internals.moduleWithFuel', () => {
  const bytes = encodeModule(parsed());
  const fuel = new Fuel(50);
  const mod = internals.moduleWithFuel(bytes, fuel);
  assert.ok(mod instanceof WebAssembly.Module);
  const inst = new WebAssembly.Instance(mod);
  const ex = inst.exports as Record<string, (...a: number[]) => number>;
  assert.equal(ex.add(40, 2), 42);
  assert.equal(fuel.consumed, 3);
  assert.throws(() => ex.spin(), (e: unknown) => e instanceof WebAssembly.RuntimeError && (e as Error).message === FUEL_MESSAGE);
});
