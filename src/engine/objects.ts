// Run-time memories, tables and globals (spec §4.2: meminst, tableinst, globalinst). api/
// should create its objects with these functions so compiled code finds the fields it reads
// (`view` on memories); objects made elsewhere are adapted by `memoryView`.

import type { GlobalType, MemType, TableType } from '../ast/types.js';
import type { GlobalObject, MemoryObject, TableObject } from './types.js';

export const PAGE = 65536;
/** Most pages a 32-bit memory may have (4 GiB). */
const MAX_PAGES_32 = 65536;
/** Most elements a table may hold here (the JS API's limit). */
const MAX_TABLE = 10000000;

/** A memory with the DataView compiled code uses for every access, replaced with the buffer. */
export interface EngineMemory extends MemoryObject {
  readonly view: DataView;
}

class Memory implements EngineMemory {
  buffer: ArrayBuffer;
  view: DataView;
  pages: number;
  onGrow?: () => void;

  constructor(readonly type: MemType) {
    this.pages = type.limits.min;
    this.buffer = new ArrayBuffer(this.pages * PAGE);
    this.view = new DataView(this.buffer);
  }

  grow(delta: number): number {
    const old = this.pages;
    const max = Math.min(this.type.limits.max ?? MAX_PAGES_32, MAX_PAGES_32);
    if (delta < 0 || old + delta > max) return -1;
    if (delta === 0) return old;
    let buf: ArrayBuffer;
    try {
      buf = new ArrayBuffer((old + delta) * PAGE);
    } catch {
      return -1; // the host cannot allocate it: memory.grow may fail (spec §4.4.7)
    }
    new Uint8Array(buf).set(new Uint8Array(this.buffer));
    this.buffer = buf;
    this.view = new DataView(buf);
    this.pages = old + delta;
    this.onGrow?.();
    return old;
  }
}

export function createMemory(type: MemType): EngineMemory {
  return new Memory(type);
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

  constructor(readonly type: TableType, init: unknown) {
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

export function createTable(type: TableType, init: unknown = null): TableObject {
  // Beyond the JS API's limit the allocation itself could take the process down.
  if (type.limits.min > MAX_TABLE) throw new RangeError(`table size ${type.limits.min} exceeds the limit ${MAX_TABLE}`);
  return new Table(type, init);
}

export function createGlobal(type: GlobalType, value: unknown): GlobalObject {
  return { type, value };
}
