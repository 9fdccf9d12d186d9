// Limits of the JS API and detaching of replaced memory buffers. Memories, tables and globals
// themselves are made by engine/objects.ts, whose objects compiled code knows how to access.

import type { MemoryObject } from '../engine/types.js';
import { detach } from '../engine/detach.js';

export const PAGE_SIZE = 65536;
/** Largest page count of a 32-bit memory (spec: 2^16 pages). */
export const MAX_PAGES_32 = 65536;
/** Largest page count of a 64-bit memory that Kasane can allocate (ArrayBuffers are bounded well below 2^48 pages). */
export const MAX_PAGES_64 = 2 ** 48;
/** Implementation limit on table size (JS API: 10,000,000 elements). */
export const MAX_TABLE_SIZE = 10_000_000;

/** Moves a memory's contents to a new buffer object (the old one is detached), keeping the engine's view in step. */
export function replaceBuffer(mem: MemoryObject): ArrayBuffer {
  const fresh = detach(mem.buffer);
  mem.buffer = fresh;
  const m = mem as { view?: unknown };
  if (m.view instanceof DataView) {
    try {
      m.view = new DataView(fresh);
    } catch {
      // a getter-only view (engine/objects.ts memoryView) follows the buffer by itself
    }
  }
  return fresh;
}

export function isShared(buf: ArrayBuffer): boolean {
  return typeof SharedArrayBuffer === 'function' && (buf as unknown) instanceof SharedArrayBuffer;
}
