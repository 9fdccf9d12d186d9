// Run-time memories, tables and globals (spec §4.2: meminst, tableinst, globalinst). api/
// should create its objects with these functions so compiled code finds the fields it reads
// (`view` on memories); objects made elsewhere are adapted by `memoryView`.

import type { GlobalType, MemType, TableType } from '../ast/types.js';
import type { GlobalObject, MemoryObject, TableObject } from './types.js';
import type { RTT } from './rtt.js';
import { SharedMemory, canShare } from './shared-memory.js';
import { HI, big, lo } from './i64.js';
import type { SharedMemoryHandle } from './shared-memory.js';

export const PAGE = 65536;
/** Most pages a 32-bit memory may have (4 GiB). */
const MAX_PAGES_32 = 65536;
/** Most pages a 64-bit memory may have here (16 GiB, the JS API's limit for memory64). */
const MAX_PAGES_64 = 262144;
/** Most elements a table may hold here (the JS API's limit). */
const MAX_TABLE = 10000000;

/** A memory with the DataView compiled code uses for every access, replaced with the buffer. */
export interface EngineMemory extends MemoryObject {
  readonly view: DataView;
}

// Memories grown by compiled code whose onGrow (api/'s buffer refresh) has not run yet. JS can
// only observe a memory's buffer when control leaves Wasm (a host call, or a return or throw
// to JS: wrappers.ts), so the refresh is deferred to then (flushGrows), which lets most grows
// reuse spare capacity instead of copying the whole memory each time.
let pending: Memory[] = [];

/** Runs the deferred onGrow callbacks; called whenever control passes from Wasm to JS. */
export function flushGrows(): void {
  if (pending.length === 0) return;
  const ms = pending;
  pending = [];
  for (const m of ms) {
    m.growPending = false;
    m.onGrow?.();
  }
}

class Memory implements EngineMemory {
  /** Backing store: its byteLength (the capacity) may exceed the memory's size. */
  private store: ArrayBuffer;
  /** Exactly the memory's size (bounds checks of compiled code rely on it). */
  view: DataView;
  pages: number;
  onGrow?: () => void;
  growPending = false;

  constructor(readonly type: MemType) {
    const limit = type.addr === 'i64' ? MAX_PAGES_64 : MAX_PAGES_32;
    if (type.limits.min > limit) throw new RangeError(`a memory cannot have more than ${limit} pages here`);
    // view and pages are assigned twice: V8 treats a field never reassigned as a constant, so
    // code optimized before the first grow would fold them in and be thrown away (or its
    // compilation aborted, after seconds for an interpreter's dispatch function) by the grow.
    this.pages = -1;
    this.pages = type.limits.min;
    this.store = new ArrayBuffer(this.pages * PAGE);
    this.view = new DataView(this.store, 0, 0);
    this.view = new DataView(this.store);
  }

  /** A buffer of exactly the memory's size (spare capacity is dropped when JS asks for it). */
  get buffer(): ArrayBuffer {
    const size = this.pages * PAGE;
    if (this.store.byteLength !== size) {
      const exact = new ArrayBuffer(size);
      new Uint8Array(exact).set(new Uint8Array(this.store, 0, size));
      this.store = exact;
      this.view = new DataView(exact);
    }
    return this.store;
  }

  /** api/ moves the contents to a new buffer object of the same size (replaceBuffer). */
  set buffer(b: ArrayBuffer) {
    this.store = b;
    this.view = new DataView(b);
  }

  // Every successful grow, even by 0 pages, runs onGrow: the JS API refreshes the buffer object
  // (detaching the old one) whenever memory.grow succeeds.
  grow(delta: number): number {
    const old = this.growBy(delta, false);
    if (old !== -1) this.onGrow?.();
    return old;
  }

  /** memory.grow from compiled code: onGrow runs at the next exit to JS (flushGrows). */
  growDeferred(delta: number): number {
    const old = this.growBy(delta, true);
    if (old !== -1 && this.onGrow !== undefined && !this.growPending) {
      this.growPending = true;
      pending.push(this);
    }
    return old;
  }

  private growBy(delta: number, spare: boolean): number {
    const old = this.pages;
    const limit = this.type.addr === 'i64' ? MAX_PAGES_64 : MAX_PAGES_32;
    const maxPages = Math.min(this.type.limits.max ?? limit, limit);
    if (delta < 0 || old + delta > maxPages) return -1;
    if (delta === 0) return old;
    const size = (old + delta) * PAGE;
    if (size > this.store.byteLength) {
      let buf: ArrayBuffer | undefined;
      if (spare) {
        // Room for half as much again, so that repeated small grows copy O(size) in total.
        const cap = Math.min(maxPages, old + delta + Math.max(delta, (old + delta) >>> 1, 16)) * PAGE;
        try {
          buf = new ArrayBuffer(cap);
        } catch {
          buf = undefined;
        }
      }
      if (buf === undefined) {
        try {
          buf = new ArrayBuffer(size);
        } catch {
          return -1; // the host cannot allocate it: memory.grow may fail (spec §4.4.7)
        }
      }
      new Uint8Array(buf).set(new Uint8Array(this.store, 0, old * PAGE));
      this.store = buf;
    }
    this.view = new DataView(this.store, 0, size);
    this.pages = old + delta;
    return old;
  }
}

/** memory.grow of compiled code (defers onGrow for engine memories). */
export function memGrow(m: MemoryObject, delta: number): number {
  return m instanceof Memory ? m.growDeferred(delta) : m.grow(delta);
}

/**
 * A memory of type `type`. Shared memories live on a growable SharedArrayBuffer (see
 * shared-memory.ts), or, given a handle, use another agent's; on hosts without growable
 * SharedArrayBuffers a shared memory is an ordinary one, usable by this agent only.
 */
export function createMemory(type: MemType, handle?: SharedMemoryHandle): EngineMemory {
  if (type.shared && canShare()) return new SharedMemory(type, handle);
  if (handle !== undefined) throw new TypeError('this host cannot share memories between agents');
  return new Memory(type);
}

/** The handle another agent needs to use shared memory `m` (undefined if `m` is not shareable). */
export function sharedHandle(m: MemoryObject): SharedMemoryHandle | undefined {
  return m instanceof SharedMemory ? m.handle : undefined;
}

/** Gives a memory object made outside the engine a `view` that follows its buffer. */
export function memoryView(m: MemoryObject): EngineMemory {
  if ((m as Partial<EngineMemory>).view instanceof DataView) return m as EngineMemory;
  let cached: DataView | undefined;
  Object.defineProperty(m, 'view', {
    get(this: MemoryObject): DataView {
      if (cached === undefined || cached.buffer !== this.buffer) cached = new DataView(this.buffer);
      return cached;
    },
  });
  return m as EngineMemory;
}

class Table implements TableObject {
  elements: unknown[];

  constructor(readonly type: TableType, init: unknown, readonly types?: readonly RTT[]) {
    this.elements = new Array<unknown>(type.limits.min).fill(init);
  }

  grow(delta: number, init: unknown): number {
    const old = this.elements.length;
    const max = Math.min(this.type.limits.max ?? MAX_TABLE, MAX_TABLE);
    if (delta < 0 || old + delta > max) return -1;
    for (let i = 0; i < delta; i++) this.elements.push(init);
    return old;
  }
}

export function createTable(type: TableType, init: unknown = null, types?: readonly RTT[]): TableObject {
  // Beyond the JS API's limit the allocation itself could take the process down.
  if (type.limits.min > MAX_TABLE) throw new RangeError(`table size ${type.limits.min} exceeds the limit ${MAX_TABLE}`);
  return new Table(type, init, types);
}

/**
 * An i64 global: its value in two int32 fields that compiled code reads and writes directly
 * (codegen/function.ts, for the module's own globals), with `value` converting to and from the
 * BigInt of the engine contract (types.ts). Go's compiler returns results through i64 globals,
 * which made a BigInt round trip per call.
 */
export class I64Global implements GlobalObject {
  lo = 0;
  hi = 0;

  constructor(readonly type: GlobalType, value: bigint) {
    this.value = value;
  }

  get value(): bigint {
    return big(this.lo, this.hi);
  }

  set value(v: unknown) {
    this.lo = lo(v as bigint);
    this.hi = HI.h;
  }
}

export function createGlobal(type: GlobalType, value: unknown, types?: readonly RTT[]): GlobalObject {
  if (type.type === 'i64') return new I64Global(type, value as bigint);
  return types === undefined ? { type, value } : { type, value, types };
}
