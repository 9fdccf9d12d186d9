// Lifting and lowering own and borrow handles (CanonicalABI.md "Handles"). In JS, a host resource
// is its own representation (any object); a guest resource is an instance of the resource's JS
// class holding the representation, owning it (lifted `own`) or not (a lent `borrow`).

import type { Resource } from '../types.js';
import type { LiftLowerContext } from './context.js';
import { DISPOSE, trap } from './resources.js';
import { className } from '../../wit/js-name.js';

const HANDLE = Symbol('kasane.resource');
/** Where a guest resource class keeps its lifted constructor. */
export const CONSTRUCTOR = Symbol('kasane.constructor');

interface Held { resource: Resource; rep: number | undefined; own: boolean }

/** The JS class of a guest resource (methods are added when its component is instantiated). */
export function resourceClass(r: Resource): new (...args: never[]) => object {
  if (r.jsClass === undefined) {
    const name = className(r.name);
    // `new R(...)` runs the lifted `[constructor]` (attached under CONSTRUCTOR at instantiation)
    // and adopts the handle it returns, as jco's classes do.
    const C = { [name]: class {
      constructor(...args: unknown[]) {
        const make = (C as unknown as Record<symbol, ((...a: unknown[]) => object) | undefined>)[CONSTRUCTOR];
        if (make === undefined) throw new TypeError(`${name} has no constructor`);
        (this as unknown as { [HANDLE]: Held })[HANDLE] = (make(...args) as { [HANDLE]: Held })[HANDLE];
      }
    } }[name];
    Object.defineProperty(C.prototype, DISPOSE, {
      value(this: { [HANDLE]: Held }) {
        const h = this[HANDLE];
        if (h.own && h.rep !== undefined) {
          const rep = h.rep;
          h.rep = undefined;
          h.resource.dtor?.(rep);
        }
      },
    });
    r.jsClass = C;
  }
  return r.jsClass;
}

export function wrapResource(r: Resource, rep: number, own: boolean): object {
  const o = Object.create(resourceClass(r).prototype) as { [HANDLE]: Held };
  o[HANDLE] = { resource: r, rep, own };
  return o;
}

/** The representation held by a JS resource object; `take` moves ownership out of it. */
export function unwrapResource(r: Resource, v: unknown, take: boolean): number {
  const h = (v as { [HANDLE]?: Held } | null)?.[HANDLE];
  if (h === undefined || h.resource !== r) throw new TypeError(`expected a ${r.name} resource`);
  if (h.rep === undefined) throw new TypeError(`this ${r.name} resource was moved or dropped`);
  const rep = h.rep;
  if (take) {
    if (!h.own) throw new TypeError(`a borrowed ${r.name} cannot be passed as owned`);
    h.rep = undefined;
  }
  return rep;
}

export function liftOwn(cx: LiftLowerContext, r: Resource, i: number): unknown {
  // Checked before removing, so that a trap leaves the table as it was.
  const h = cx.inst.table.get(i, r);
  if (!h.own) trap(`handle ${i} is a borrow, not an owned ${r.name}`);
  if (h.lends !== 0) trap(`cannot move a ${r.name} handle while it is lent out`);
  cx.inst.table.remove(i, r);
  return r.host ? h.rep : wrapResource(r, h.rep as number, true);
}

export function liftBorrow(cx: LiftLowerContext, r: Resource, i: number): unknown {
  const h = cx.inst.table.get(i, r);
  if (h.own) {
    h.lends++;
    cx.scope.lenders.push(h);
  }
  return r.host ? h.rep : wrapResource(r, h.rep as number, false);
}

export function lowerOwn(cx: LiftLowerContext, r: Resource, v: unknown): number {
  const rep = r.host ? hostRep(r, v) : unwrapResource(r, v, true);
  return cx.inst.table.add({ resource: r, rep, own: true, lends: 0 });
}

export function lowerBorrow(cx: LiftLowerContext, r: Resource, v: unknown): number {
  const rep = r.host ? hostRep(r, v) : unwrapResource(r, v, false);
  // The implementing instance gets the representation itself, not a handle.
  if (r.impl !== undefined && r.impl === cx.inst) return rep as number;
  cx.scope.borrowCount++;
  return cx.inst.table.add({ resource: r, rep, own: false, lends: 0, scope: cx.scope });
}

function hostRep(r: Resource, v: unknown): unknown {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) throw new TypeError(`expected a ${r.name} object, got ${v === null ? 'null' : typeof v}`);
  return v;
}
