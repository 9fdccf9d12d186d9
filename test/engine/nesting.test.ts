// Deeply nested blocks (Go's compiler emits chains of thousands for a br_table dispatch) must
// compile at Node's default stack size: codegen/function.ts flattens deep chains of branched-to
// blocks into one loop+switch state machine, since V8's parser recurses on JS nesting.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../src/binary/decode.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { instantiateModule } from '../../src/engine/instantiate.js';
import { FLATTEN_DEPTH } from '../../src/engine/codegen/function.js';
import { RuntimeError } from '../../src/errors.js';

const N = 5000;

// The text parser recurses on folded and plain nesting, so these modules are written in binary.
function uleb(n: number): number[] {
  const b: number[] = [];
  do { let x = n & 0x7f; n >>>= 7; if (n) x |= 0x80; b.push(x); } while (n);
  return b;
}
function sleb(n: number): number[] {
  const b: number[] = [];
  for (;;) {
    const x = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(x & 0x40)) || (n === -1 && x & 0x40)) { b.push(x); return b; }
    b.push(x | 0x80);
  }
}
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const op = {
  block: [0x02, 0x40], loop: [0x03, 0x40], if: [0x04, 0x40], end: [0x0b], drop: [0x1a], ret: [0x0f],
  br: (l: number) => [0x0c, ...uleb(l)], brIf: (l: number) => [0x0d, ...uleb(l)],
  brTable: (ls: number[], d: number) => [0x0e, ...vec(ls.map(uleb)), ...uleb(d)],
  get: (x: number) => [0x20, ...uleb(x)], set: (x: number) => [0x21, ...uleb(x)], tee: (x: number) => [0x22, ...uleb(x)],
  i32: (v: number) => [0x41, ...sleb(v)], add: [0x6a], mul: [0x6c], and: [0x71], eqz: [0x45],
};

/** A module exporting "f": (i32) -> i32 with two i32 locals and the given body (without its end). */
function funcModule(body: number[]): Uint8Array {
  const code = [...vec([[...uleb(2), 0x7f]]), ...body, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 1, 0x7f, 1, 0x7f]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[1, 0x66, 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

function compile(body: number[]) {
  const m = decodeModule(funcModule(body));
  validateModule(m);
  return compileModule(m);
}

/**
 * `f(i)`: N nested blocks b(N-1) .. b0 entered by one br_table (index i, default b(N-1)); after
 * the end of bk runs code k: acc = acc * 31 + k. Code k with k % 100 == 50 skips codes k+1..k+3
 * (br_if to b(k+4)) when i is odd; code k with k % 1000 == 500 runs a loop four times that then
 * branches out of it to b(k+2), skipping code k+1. Returns acc + the loop counter.
 */
function chainBody(): number[] {
  const w: number[] = [];
  for (let k = 0; k < N; k++) w.push(...op.block);
  w.push(...op.get(0), ...op.brTable(Array.from({ length: N - 1 }, (_, k) => k), N - 1));
  for (let k = 0; k < N; k++) {
    w.push(...op.end, ...op.get(1), ...op.i32(31), ...op.mul, ...op.i32(k), ...op.add, ...op.set(1));
    if (k % 100 === 50) w.push(...op.get(0), ...op.i32(1), ...op.and, ...op.brIf(3));
    if (k % 1000 === 500) {
      w.push(...op.loop, ...op.get(2), ...op.i32(1), ...op.add, ...op.tee(2), ...op.i32(3), ...op.and, ...op.eqz,
        ...op.brIf(2), ...op.br(0), ...op.end);
    }
  }
  w.push(...op.get(1), ...op.get(2), ...op.add);
  return w;
}

function expected(i: number): number {
  let acc = 0, counter = 0;
  let k = Math.min(i >>> 0, N - 1);
  while (k < N) {
    acc = (Math.imul(acc, 31) + k) | 0;
    if (k % 100 === 50 && (i & 1)) { k += 4; continue; }
    if (k % 1000 === 500) { counter += 4; k += 2; continue; }
    k++;
  }
  return (acc + counter) | 0;
}

test(`${N} nested blocks dispatched by one br_table compile and run at the default stack size`, () => {
  const cm = compile(chainBody());
  const src = cm.source(0);
  // The chain became a state machine: JS nesting stays shallow.
  assert.ok(src.includes('switch (s'), 'chain flattened');
  let depth = 0, max = 0;
  for (const ch of src) {
    if (ch === '{') max = Math.max(max, ++depth);
    else if (ch === '}') depth--;
  }
  assert.ok(max < 16, `JS nesting depth ${max}`);
  const inst = instantiateModule(cm, []);
  const e = inst.exports.get('f');
  assert.ok(e && e.kind === 'func');
  for (const i of [0, 1, 2, 49, 50, 51, 53, 54, 499, 500, 501, 502, 1234, 2499, 2500, 4950, 4998, 4999, 5000, -1]) {
    assert.equal(e.func.call(i), expected(i), `f(${i})`);
  }
});

test('shallow chains keep the direct translation', () => {
  const depth = FLATTEN_DEPTH;
  const w: number[] = [];
  for (let k = 0; k < depth; k++) w.push(...op.block);
  w.push(...op.get(0), ...op.brTable(Array.from({ length: depth - 1 }, (_, k) => k), depth - 1));
  for (let k = 0; k < depth; k++) w.push(...op.end, ...op.i32(k), ...op.ret);
  w.push(...op.i32(-1));
  const cm = compile(w);
  assert.ok(!cm.source(0).includes('switch (s'));
  const e = instantiateModule(cm, []).exports.get('f');
  assert.ok(e && e.kind === 'func');
  assert.equal(e.func.call(3), 3);
  assert.equal(e.func.call(1000), depth - 1);
});

test('a JS stack overflow while compiling a function is reported as such, naming it', () => {
  // Nested ifs are not flattened; 50000 of them overflow V8's parser at the default stack size.
  const n = 50_000;
  const w: number[] = [];
  for (let k = 0; k < n; k++) w.push(...op.get(0), ...op.if);
  for (let k = 0; k < n; k++) w.push(...op.end);
  w.push(...op.i32(7));
  const m = decodeModule(funcModule(w));
  validateModule(m);
  const e = instantiateModule(compileModule(m), []).exports.get('f');
  assert.ok(e && e.kind === 'func');
  assert.throws(() => e.func.call(1), (err: unknown) => {
    assert.ok(err instanceof RuntimeError);
    assert.match(err.message, /cannot compile function .*func\[0\].*stack overflowed while parsing/);
    return true;
  });
});
