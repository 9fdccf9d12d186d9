// Shared memories (threads: `shared` limits) on a growable SharedArrayBuffer, which grows in
// place: the maximum is reserved up front as address space only, and every agent sees the new
// length. Agents (worker threads) share one memory by passing its SharedMemoryHandle, which
// structured clone copies by reference.
//
// `view` is a fixed-length DataView of the current length, remade when the length changes:
// V8 optimises DataViews that track a growable buffer's length poorly (about 20-40x slower
// accesses, measured on Node 20). Compiled code reloads its cached view after calls, grows,
// atomic accesses and memory.size (codegen), the points where it can have learnt of another
// agent's grow.
//
// The size in pages is kept in a separate shared control word, changed by compare-and-swap,
// so that concurrent grows from several agents each get their own old size (a read of the
// buffer's length followed by a grow could hand two agents the same one).

import type { MemType } from '../ast/types.js';
import type { MemoryObject } from './types.js';

const PAGE = 65536;
/** Largest growable SharedArrayBuffer V8 makes (its maxByteLength limit), in pages. */
const MAX_SHARED_PAGES = 65536;

/** What another agent needs to use the same memory: plain data, structured-cloneable. */
export interface SharedMemoryHandle {
  readonly type: MemType;
  readonly buffer: SharedArrayBuffer;
  /** Int32 word 0: the size in pages. */
  readonly control: SharedArrayBuffer;
}

type GrowableSAB = SharedArrayBuffer & { grow(n: number): void; readonly growable: boolean; readonly maxByteLength: number };

/** Whether this host has growable SharedArrayBuffers (without them, shared memories are per agent). */
export function canShare(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof (SharedArrayBuffer.prototype as Partial<GrowableSAB>).grow === 'function';
}

export class SharedMemory implements MemoryObject {
  private readonly sab: GrowableSAB;
  private fixed: DataView;
  private readonly size: Int32Array;
  onGrow?: () => void;

  constructor(readonly type: MemType, handle?: SharedMemoryHandle) {
    if (handle !== undefined) {
      this.sab = handle.buffer as GrowableSAB;
      this.size = new Int32Array(handle.control);
    } else {
      const max = Math.min(type.limits.max ?? MAX_SHARED_PAGES, MAX_SHARED_PAGES);
      if (type.limits.min > max) throw new RangeError(`a shared memory cannot have more than ${MAX_SHARED_PAGES} pages here`);
      this.sab = new (SharedArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => GrowableSAB)(
        type.limits.min * PAGE, { maxByteLength: max * PAGE });
      this.size = new Int32Array(new SharedArrayBuffer(4));
      this.size[0] = type.limits.min;
    }
    this.fixed = new DataView(this.sab, 0, this.sab.byteLength);
  }

  /** A DataView of exactly the memory's current size. */
  get view(): DataView {
    const n = this.sab.byteLength;
    if (this.fixed.byteLength !== n) this.fixed = new DataView(this.sab, 0, n);
    return this.fixed;
  }

  get handle(): SharedMemoryHandle {
    return { type: this.type, buffer: this.sab, control: this.size.buffer as SharedArrayBuffer };
  }

  /** The buffer's length, not the control word: a grow in progress elsewhere is not visible until its pages are. */
  get pages(): number {
    return this.sab.byteLength / PAGE;
  }

  /** The one SharedArrayBuffer (it grows in place, so it never changes). */
  get buffer(): ArrayBuffer {
    return this.sab as unknown as ArrayBuffer;
  }

  set buffer(_b: ArrayBuffer) {
    // Shared buffers are never detached or replaced (api/ only replaces unshared ones).
  }

  grow(delta: number): number {
    const maxPages = Math.min(this.type.limits.max ?? MAX_SHARED_PAGES, this.sab.maxByteLength / PAGE);
    let old: number;
    for (;;) {
      old = Atomics.load(this.size, 0);
      if (delta < 0 || old + delta > maxPages) return -1;
      if (Atomics.compareExchange(this.size, 0, old, old + delta) === old) break;
    }
    const bytes = (old + delta) * PAGE;
    // Another agent's larger grow may have grown the buffer already (grow cannot shrink).
    if (this.sab.byteLength < bytes) {
      try {
        this.sab.grow(bytes);
      } catch {
        if (this.sab.byteLength < bytes) {
          // Could not commit the memory: undo the size change if nobody grew meanwhile.
          Atomics.compareExchange(this.size, 0, old + delta, old);
          return -1;
        }
      }
    }
    this.onGrow?.();
    return old;
  }
}
