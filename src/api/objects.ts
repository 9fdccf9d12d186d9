// Limits of the JS API and detaching of replaced memory buffers. Memories, tables and globals
// themselves are made by engine/objects.ts, whose objects compiled code knows how to access.

import type { MemoryObject } from '../engine/types.js';

export const PAGE_SIZE = 65536;
/** Largest page count of a 32-bit memory (spec: 2^16 pages). */
export const MAX_PAGES_32 = 65536;
/** Largest page count of a 64-bit memory that Kasane can allocate (ArrayBuffers are bounded well below 2^48 pages). */
export const MAX_PAGES_64 = 2 ** 48;
/** Implementation limit on table size (JS API: 10,000,000 elements). */
export const MAX_TABLE_SIZE = 10_000_000;

/**
 * Detaches an ArrayBuffer (spec: DetachArrayBuffer), returning a new buffer with its contents.
 * Uses ArrayBuffer.prototype.transfer where the host has it, else structuredClone's transfer.
 */
export function detach(buf: ArrayBuffer): ArrayBuffer {
  const transfer = (ArrayBuffer.prototype as { transfer?: (this: ArrayBuffer) => ArrayBuffer }).transfer;
  if (typeof transfer === 'function') return transfer.call(buf);
  const sc = (globalThis as { structuredClone?: (v: unknown, o: { transfer: unknown[] }) => unknown }).structuredClone;
  if (typeof sc === 'function') return sc(buf, { transfer: [buf] }) as ArrayBuffer;
  // No way to detach on this host: the old buffer stays usable (a documented deviation).
  return buf;
}

let detachedOnce = false;

/**
 * Detaches a small buffer of its own, once per process, before compiled code that a grow's
 * detach would invalidate is optimized: V8 keeps one process-wide assumption that no buffer was
 * ever detached, and the first detach throws away all optimized code relying on it (and aborts
 * compilations in flight: seconds of work for an interpreter's dispatch function). Called for
 * each memory the JS API sees, since its grows will detach buffers anyway.
 */
export function detachOnce(): void {
  if (detachedOnce) return;
  detachedOnce = true;
  detach(new ArrayBuffer(8));
}

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
