// Handles (CanonicalABI.md "Handle State"): each component instance has one table of handles;
// an entry names its resource type, its representation, whether it owns the resource, how many
// borrows it currently lends, and for a borrow the call it was lent to.

import { RuntimeError } from '../../errors.js';
import type { Resource } from '../types.js';

export interface HandleEntry {
  resource: Resource;
  /** The representation: an i32 for guest resources, the JS object for host resources. */
  rep: unknown;
  own: boolean;
  /** Borrows of this (owned) handle currently lent out; it cannot be dropped or moved meanwhile. */
  lends: number;
  /** The call a borrow handle was lent to (which must drop it before returning). */
  scope?: CallScope;
}

/** One call across the component boundary: the borrows it received and the handles it lends. */
export class CallScope {
  borrowCount = 0;
  readonly lenders: HandleEntry[] = [];
  /** Ends the call: returns what was lent (CanonicalABI.md: Task.exit). */
  release(): void {
    for (const h of this.lenders) h.lends--;
    this.lenders.length = 0;
  }
}

/** Symbol.dispose where the engine has it (jco's host resources implement it), else Node's old name. */
export const DISPOSE: symbol = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for('nodejs.dispose');

export function trap(message: string): never {
  throw new RuntimeError(message);
}

export class HandleTable {
  // Index 0 is never handed out, so that 0 can be a null handle in guest code.
  private readonly entries: (HandleEntry | undefined)[] = [undefined];
  private readonly free: number[] = [];

  add(e: HandleEntry): number {
    const i = this.free.pop();
    if (i !== undefined) { this.entries[i] = e; return i; }
    if (this.entries.length >= 2 ** 28) trap('handle table full');
    this.entries.push(e);
    return this.entries.length - 1;
  }

  get(i: number, resource: Resource): HandleEntry {
    const e = this.entries[i >>> 0];
    if (e === undefined) trap(`unknown handle index ${i >>> 0}`);
    if (e.resource !== resource) trap(`handle index ${i >>> 0} is a ${e.resource.name}, not a ${resource.name}`);
    return e;
  }

  remove(i: number, resource: Resource): HandleEntry {
    const e = this.get(i, resource);
    this.entries[i >>> 0] = undefined;
    this.free.push(i >>> 0);
    return e;
  }

  /** Live handles (for tests and leak checks). */
  get size(): number {
    return this.entries.length - 1 - this.free.length;
  }
}

/** canon resource.drop on an entry already removed from its table. */
export function dropEntry(h: HandleEntry): void {
  if (h.own) {
    if (h.lends !== 0) trap(`cannot drop a ${h.resource.name} handle while it is lent out`);
    const r = h.resource;
    if (r.host) {
      const rep = h.rep as Record<symbol, unknown> | null;
      if (rep !== null && typeof rep === 'object' && typeof rep[DISPOSE] === 'function') (rep[DISPOSE] as () => void)();
    } else r.dtor?.(h.rep as number);
  } else if (h.scope !== undefined) h.scope.borrowCount--;
}
