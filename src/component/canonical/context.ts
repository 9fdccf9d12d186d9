// What lifting and lowering need for one call (CanonicalABI.md "LiftLowerContext"): the canonical
// options (memory, realloc, string encoding), the component instance's handle table, and the
// call's borrow scope. Memory views are remade whenever the memory's buffer changes (a grow,
// including one inside realloc, detaches the old buffer). A memory of Kasane's engine is read
// through the engine's own view instead of `memory.buffer`: asking for the buffer after a grow
// would copy the whole memory to a buffer of exactly its size (the JS API's rule), and the engine
// keeps spare capacity so that grows do not copy.

import type { StringEncoding } from '../ast.js';
import { internals } from '../../api/namespace.js';
import { CallScope, type HandleTable, trap } from './resources.js';

export interface MemoryLike { readonly buffer: ArrayBuffer }

export interface CanonicalOptions {
  memory?: MemoryLike;
  realloc?: (originalPtr: number, originalSize: number, alignment: number, newSize: number) => unknown;
  postReturn?: (...results: unknown[]) => unknown;
  encoding: StringEncoding;
}

/** The component instance side of a call: its handle table and identity (implementer of its resources). */
export interface InstanceState {
  readonly table: HandleTable;
}

/** Views of a memory's current buffer, shared by all calls (remade when a grow replaces the buffer). */
interface Views { buffer: ArrayBuffer; dv: DataView; u8: Uint8Array }
const viewsOf = new WeakMap<MemoryLike, Views>();

/** A Kasane engine memory: its DataView covers [0, size) of its store and is replaced at every grow. */
interface EngineViews { readonly mem: { readonly view: DataView }; dv?: DataView; u8?: Uint8Array }
const engineOf = new WeakMap<MemoryLike, EngineViews | null>();
function engineMemory(m: MemoryLike): EngineViews | null {
  let e = engineOf.get(m);
  if (e === undefined) {
    const mem = internals.memoryObjectOf(m) as { view?: unknown } | undefined;
    // Shared memories are left to `buffer` (it never copies them).
    e = mem !== undefined && mem.view instanceof DataView && mem.view.buffer instanceof ArrayBuffer ? { mem: mem as { view: DataView } } : null;
    engineOf.set(m, e);
  }
  return e;
}

export class LiftLowerContext {
  private buffer: ArrayBuffer | undefined;
  private dv!: DataView;
  private u8!: Uint8Array;

  constructor(
    readonly opts: CanonicalOptions,
    readonly inst: InstanceState,
    readonly scope: CallScope = new CallScope(),
  ) {}

  private refresh(): void {
    const m = this.opts.memory;
    if (m === undefined) trap('canonical option `memory` is required here');
    const e = engineMemory(m);
    if (e !== null) {
      const v = e.mem.view;
      if (v !== e.dv) { e.dv = v; e.u8 = new Uint8Array(v.buffer, v.byteOffset, v.byteLength); }
      this.dv = v;
      this.u8 = e.u8!;
      return;
    }
    const b = m.buffer;
    if (b !== this.buffer) {
      let v = viewsOf.get(m);
      if (v === undefined || v.buffer !== b) {
        v = { buffer: b, dv: new DataView(b), u8: new Uint8Array(b) };
        viewsOf.set(m, v);
      }
      this.buffer = b;
      this.dv = v.dv;
      this.u8 = v.u8;
    }
  }

  view(): DataView {
    this.refresh();
    return this.dv;
  }

  bytes(): Uint8Array {
    this.refresh();
    return this.u8;
  }

  /** Traps unless [ptr, ptr + size) is inside memory and ptr is a multiple of align. */
  check(ptr: number, size: number, align: number): void {
    this.refresh();
    if (ptr % align !== 0) trap(`unaligned pointer ${ptr} (alignment ${align})`);
    if (ptr + size > this.u8.length) trap(`out of bounds memory access: ${size} bytes at ${ptr} (memory is ${this.u8.length} bytes)`);
  }

  /** Calls realloc for a new block; traps on a misaligned or out-of-bounds result. */
  alloc(align: number, size: number): number {
    const realloc = this.opts.realloc;
    if (realloc === undefined) trap('canonical option `realloc` is required here');
    const ptr = Number(realloc(0, 0, align, size)) >>> 0;
    this.check(ptr, size, align);
    return ptr;
  }

  /** Grows or shrinks a block made by alloc (strings whose final size is known only after transcoding). */
  realloc(ptr: number, oldSize: number, align: number, size: number): number {
    const p = Number(this.opts.realloc!(ptr, oldSize, align, size)) >>> 0;
    this.check(p, size, align);
    return p;
  }
}
