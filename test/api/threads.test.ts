// Threads across agents: one shared WebAssembly.Memory used by a module instantiated in two
// worker threads; one waits (memory.atomic.wait32, no timeout), the other grows the memory,
// stores and notifies (memory.atomic.notify), and both see each other's writes and the growth,
// compiled code included (its cached view of the memory is refreshed after atomic accesses).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { encodeModule } from '../../src/binary/encode.js';
import { parseWat } from '../../src/text/module.js';
import { WebAssembly as K } from '../../src/api/namespace.js';
import { shareMemory, memoryFromHandle } from '../../src/api/shared.js';

const bytes = encodeModule(parseWat(`(module
  (import "env" "memory" (memory 1 2 shared))
  (func (export "wait") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))
  (func (export "store") (param i32 i32) (i32.atomic.store (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  ;; Waits, then reads the page the other agent added meanwhile, with a plain load in the same
  ;; function: its cached view of the memory must have been refreshed by the wait.
  (func (export "wait_then_load") (param i32) (result i32)
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
    (i32.load (local.get 0))))`));

function run(role: string, handle: unknown): Promise<Record<string, number>> {
  const w = new Worker(new URL('./threads-worker.js', import.meta.url), { workerData: { bytes, handle, role } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void w.terminate(); reject(new Error(`${role} did not finish`)); }, 20_000);
    w.once('message', (m: Record<string, number>) => { clearTimeout(timer); resolve(m); void w.terminate(); });
    w.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

test('wait/notify across worker threads on one shared memory', async () => {
  const memory = new K.Memory({ initial: 1, maximum: 2, shared: true });
  assert.ok((memory.buffer as unknown) instanceof SharedArrayBuffer);
  const handle = shareMemory(memory);
  const [waiter, notifier] = await Promise.all([run('waiter', handle), run('notifier', handle)]);
  assert.deepEqual(notifier, { woke: 1, old: 1 });
  assert.deepEqual(waiter, { result: 0, value: 1234, size: 2, buffer: 2 * 65536, fresh: 4321 }, 'woken ("ok"), sees the store and the growth');
  assert.equal(memory.buffer.byteLength, 2 * 65536, 'the creating agent sees the growth too');
  assert.equal(new DataView(memory.buffer).getInt32(4, true), 1234);
});

test('shareMemory refuses unshared memories; memoryFromHandle gives the same memory', () => {
  assert.throws(() => shareMemory(new K.Memory({ initial: 1 })), TypeError);
  const m = new K.Memory({ initial: 1, maximum: 4, shared: true });
  const again = memoryFromHandle(structuredClone(shareMemory(m)));
  new Uint8Array(m.buffer)[3] = 99;
  assert.equal(new Uint8Array(again.buffer)[3], 99);
  assert.equal(again.grow(2), 1);
  assert.equal(m.buffer.byteLength, 3 * 65536);
});
