// Sharing a shared WebAssembly.Memory with other agents (worker threads). A host's own Memory
// objects are serializable, so postMessage(memory) gives the receiver the same memory; Kasane's
// are ordinary JS objects, which structured clone cannot carry, so this pair of Kasane
// extensions (not part of the JS API) passes a plain handle instead:
//
//   worker.postMessage(shareMemory(memory));                 // sender
//   const memory = memoryFromHandle(event.data);              // receiver: the same memory

import type { SharedMemoryHandle } from '../engine/shared-memory.js';
import { createMemory, sharedHandle } from '../engine/objects.js';
import { internals, type Memory } from './namespace.js';

export type { SharedMemoryHandle };

/** A structured-cloneable handle to a shared memory (TypeError if `memory` is not one this host can share). */
export function shareMemory(memory: Memory): SharedMemoryHandle {
  const mem = internals.memoryObjectOf(memory);
  if (mem === undefined) throw new TypeError('shareMemory: expected a WebAssembly.Memory of Kasane');
  const h = sharedHandle(mem);
  if (h === undefined) throw new TypeError('shareMemory: the memory is not shared (or this host has no growable SharedArrayBuffer)');
  return h;
}

/** A WebAssembly.Memory, in this agent, of the shared memory a handle from shareMemory names. */
export function memoryFromHandle(handle: SharedMemoryHandle): Memory {
  if (typeof handle !== 'object' || handle === null || !handle.type?.shared) throw new TypeError('memoryFromHandle: expected a handle from shareMemory');
  return internals.memoryOf(createMemory(handle.type, handle));
}
