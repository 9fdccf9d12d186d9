// Outlined functions (codegen/outline.ts): pieces of a huge function moved into functions of
// their own. Limits are lowered here so that small modules are outlined; each module runs on
// Kasane's engine and on the host's own WebAssembly (Node's V8), which must agree on every input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/module.js';
import { encodeModule } from '../../src/binary/encode.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { instantiateModule } from '../../src/engine/instantiate.js';
import { FLATTEN_DEPTH } from '../../src/engine/codegen/flatten.js';
import { outlineLimits } from '../../src/engine/codegen/outline.js';
import { hostWebAssembly } from '../../src/api/host.js';

const V8 = hostWebAssembly!;
const N = FLATTEN_DEPTH + 8;

/**
 * An interpreter-like state machine: a loop ($next) around a br_table over a chain of N blocks
 * (flattened), whose states read and write locals (i32, i64), keep values on the operand stack
 * across states (blocks with results), run loops, call, return from the middle (i64 results
 * through the high-word register), and continue the outer loop.
 */
function wat(): string {
  const w: string[] = [];
  w.push('(module (memory 1)');
  w.push('(func $h (param i32) (result i32) (i32.add (local.get 0) (i32.const 3)))');
  w.push('(func (export "f") (param $i i32) (result i64) (local $acc i32) (local $n i32) (local $w i64)');
  w.push('i32.const 1000 ;; an operand under the whole machine, added at the end');
  w.push('block $exit (result i32) loop $next');
  w.push('local.get $n i32.const 1 i32.add local.tee $n i32.const 12 i32.gt_u if local.get $acc br $exit end');
  w.push('block $root');
  for (let k = N - 1; k >= 0; k--) w.push(k % 7 === 3 ? `block $b${k} (result i32)` : `block $b${k}`);
  // br_table targets share one arity: the blocks with a result are entered through the next one.
  const entries = Array.from({ length: N }, (_, k) => (k % 7 === 3 ? `$b${k + 1}` : `$b${k}`));
  w.push(`local.get $i local.get $n i32.add i32.const ${N + 2} i32.rem_u br_table ${entries.join(' ')} $b0`);
  for (let k = 0; k < N; k++) {
    w.push('end');
    if (k % 7 === 3) w.push('local.get $acc i32.add local.set $acc'); // the block's result
    w.push(`local.get $acc i32.const 31 i32.mul i32.const ${k} i32.add local.set $acc`);
    w.push(`local.get $w i64.const ${k + 1} i64.mul i64.const 0x100000001 i64.add local.set $w`);
    if (k % 11 === 5) w.push('loop $l local.get $acc call $h local.set $acc local.get $acc i32.const 15 i32.and br_if $l end');
    if (k % 13 === 6) w.push(`local.get $i i32.const ${k} i32.eq if local.get $w local.get $acc i64.extend_i32_u i64.xor return end`);
    if (k % 5 === 4) w.push('local.get $acc i32.const 1 i32.and if i32.const 0 local.get $acc i32.store br $next end');
    if (k % 7 === 2) w.push(`i32.const ${k * 5} br $b${k + 1}`); // carries a value into the next block's result
  }
  w.push('end br $next end unreachable end');
  w.push('i32.add i64.extend_i32_u local.get $w i64.add i32.const 0 i64.load32_u i64.add))');
  return w.join('\n');
}

function withLimits<T>(limits: typeof outlineLimits, f: () => T): T {
  const saved = { ...outlineLimits };
  Object.assign(outlineLimits, limits);
  try {
    return f();
  } finally {
    Object.assign(outlineLimits, saved);
  }
}

test('an outlined state machine (pieces spanning states, live operands, loops, returns) agrees with V8', () => {
  const m = parseWat(wat());
  validateModule(m);
  const bytes = encodeModule(m);
  const v8Module = new V8.Module(bytes);
  for (const piece of [300, 1500, 6000]) {
    withLimits({ above: 0, piece, min: 1 }, () => {
      const cm = compileModule(m);
      const src = cm.source(1);
      assert.match(src, /function o\$\d+\$1\$0\(/);
      assert.match(src, /case \d+: [^\n]*oc = o\$/, 'a piece that spans states');
      for (let i = 0; i < N + 4; i++) {
        // Fresh instances: memory starts at zero for both.
        const e = instantiateModule(cm, []).exports.get('f');
        assert.ok(e && e.kind === 'func');
        const v8 = new V8.Instance(v8Module).exports as { f(i: number): bigint };
        assert.equal(e.func.call(i), v8.f(i), `f(${i}), pieces of ${piece}`);
      }
    });
  }
});

test('only functions above the limit are outlined, and what is left of them is much smaller', () => {
  const m = parseWat(wat());
  validateModule(m);
  const plain = compileModule(m).source(1);
  assert.doesNotMatch(plain, /function o\$/);
  const outlined = withLimits({ above: 4000, piece: 2000, min: 200 }, () => compileModule(m).source(1));
  const main = outlined.slice(outlined.indexOf('return (function w$'));
  assert.ok(plain.length > 4000 && main.length < plain.length / 4, `${plain.length} -> ${main.length}`);
});
