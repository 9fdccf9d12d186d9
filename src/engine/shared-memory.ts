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
// Two shared control words hold the size in pages: RESERVED, changed by compare-and-swap, so
// that concurrent grows from several agents each get their own old size (a read of the
// buffer's length followed by a grow could hand two agents the same one), and COMMITTED,
// raised once the buffer has grown, which is the size everyone sees (memory.size, `view`).
// Reading it is much cheaper than a growable SharedArrayBuffer's byteLength (~50 ns on Node 20).

import type { MemType } from '../ast/types.js';
import type { MemoryObject } from './types.js';

const PAGE = 65536;
/** Largest growable SharedArrayBuffer V8 makes (its maxByteLength limit), in pages. */
const MAX_SHARED_PAGES = 65536;

/** What another agent needs to use the same memory: plain data, structured-cloneable. */
export interface SharedMemoryHandle {
  readonly type: MemType;
  readonly buffer: SharedArrayBuffer;
  /** Two Int32 words: the reserved and the committed size in pages. */
  readonly control: SharedArrayBuffer;
}

const RESERVED = 0;
const COMMITTED = 1;

type GrowableSAB = SharedArrayBuffer & { grow(n: number): void; readonly growable: boolean; readonly maxByteLength: number };

/** Whether this host has growable SharedArrayBuffers (without them, shared memories are per agent). */
export function canShare(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof (SharedArrayBuffer.prototype as Partial<GrowableSAB>).grow === 'function';
}

export class SharedMemory implements MemoryObject {
  private readonly sab: GrowableSAB;
  private readonly size: Int32Array;
  private fixed: DataView;
  /** The size `fixed` was made for, in pages. */
  private fixedPages: number;
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
      this.size = new Int32Array(new SharedArrayBuffer(8));
      this.size[RESERVED] = this.size[COMMITTED] = type.limits.min;
    }
    this.fixedPages = Atomics.load(this.size, COMMITTED);
    this.fixed = new DataView(this.sab, 0, this.fixedPages * PAGE);
  }

  /** A DataView of exactly the memory's current (committed) size. */
  get view(): DataView {
    // A plain read: what an agent must see of another's grow, it has synchronised with first.
    const p = this.size[COMMITTED];
    if (p !== this.fixedPages) {
      this.fixed = new DataView(this.sab, 0, p * PAGE);
      this.fixedPages = p;
    }
    return this.fixed;
  }

  get handle(): SharedMemoryHandle {
    return { type: this.type, buffer: this.sab, control: this.size.buffer as SharedArrayBuffer };
  }

  /** The committed size: a grow in progress elsewhere is not visible until its pages are. */
  get pages(): number {
    return Atomics.load(this.size, COMMITTED);
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
      old = Atomics.load(this.size, RESERVED);
      if (delta < 0 || old + delta > maxPages) return -1;
      if (Atomics.compareExchange(this.size, RESERVED, old, old + delta) === old) break;
    }
    const pages = old + delta;
    const bytes = pages * PAGE;
    // Another agent's larger grow may have grown the buffer already (grow cannot shrink).
    if (this.sab.byteLength < bytes) {
      try {
        this.sab.grow(bytes);
      } catch {
        if (this.sab.byteLength < bytes) {
          // Could not commit the memory: undo the reservation if nobody grew meanwhile.
          Atomics.compareExchange(this.size, RESERVED, pages, old);
          return -1;
        }
      }
    }
    for (let c = Atomics.load(this.size, COMMITTED); c < pages; c = Atomics.load(this.size, COMMITTED)) {
      if (Atomics.compareExchange(this.size, COMMITTED, c, pages) === c) break;
    }
    this.onGrow?.();
    return old;
  }
}
