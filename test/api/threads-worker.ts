// Worker side of threads.test.ts: instantiates the test module on the shared memory named by
// the handle it is given, then waits or notifies.

import { parentPort, workerData } from 'node:worker_threads';
import { WebAssembly as K, memoryFromHandle } from '../../src/index.js';
import type { SharedMemoryHandle } from '../../src/index.js';

interface Exports {
  wait(addr: number, expected: number, timeout: bigint): number;
  notify(addr: number, count: number): number;
  store(addr: number, v: number): void;
  load(addr: number): number;
  grow(delta: number): number;
  size(): number;
  wait_then_load(addr: number): number;
}

const { bytes, handle, role } = workerData as { bytes: Uint8Array; handle: SharedMemoryHandle; role: 'waiter' | 'notifier' };
const memory = memoryFromHandle(handle);
const e = new K.Instance(new K.Module(bytes), { env: { memory } }).exports as unknown as Exports;

if (role === 'waiter') {
  e.store(8, 1); // "about to wait"
  const result = e.wait(0, 0, -1n); // no timeout: only a notify ends it
  // A second round: wait in Wasm, then read the page added while waiting.
  e.store(16, 1);
  const fresh = e.wait_then_load(65540);
  parentPort!.postMessage({ result, value: e.load(4), size: e.size(), buffer: memory.buffer.byteLength, fresh });
} else {
  while (e.load(8) === 0) e.wait(12, 0, 1_000_000n); // sleep 1 ms
  e.store(4, 1234);
  // The waiter may not be blocked yet when it has set the flag: notify until it wakes.
  let woke = 0;
  while ((woke = e.notify(0, 1)) === 0) e.wait(12, 0, 1_000_000n);
  // Second round: the waiter blocks again inside one Wasm function (its view was made when
  // the memory had one page); the page it reads next is added and written before the notify.
  while (e.load(16) === 0) e.wait(12, 0, 1_000_000n);
  const old = e.grow(1);
  e.store(65540, 4321);
  while (e.notify(0, 1) === 0) e.wait(12, 0, 1_000_000n);
  parentPort!.postMessage({ woke, old });
}
