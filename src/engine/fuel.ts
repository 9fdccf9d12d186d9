// Fuel metering (wasmtime's Config::consume_fuel): a deterministic instruction budget. Code
// compiled with `compileModule(m, { fuel: true })` charges, at the start of each straight-line
// segment (function entry, loop header, if/else arm, after a br_if and after the end of a
// branched-to block or an if), the number of Wasm instructions in the segment, as wasmtime
// counts them: 1 each, 0 for nop, drop, block, loop, unreachable, return, else and end. A
// charge that would take the remaining fuel below zero traps with FUEL_MESSAGE instead, leaving
// the remaining fuel as it was. Every instance instantiated with one Fuel shares its counter.
// A segment is charged in full at its start: a trap in the middle of it (or in a callee) has
// already paid for the rest of it. Host functions consume no fuel.

import { RuntimeError } from '../errors.js';

export const FUEL_MESSAGE = 'all fuel consumed by WebAssembly';

/** Largest fuel amount (exact in the double counter). */
export const MAX_FUEL = Number.MAX_SAFE_INTEGER;

/** The counter generated code updates: `r`, the remaining fuel. */
export interface FuelCell { r: number }

export class Fuel {
  /**
   * The remaining fuel, decremented by generated code (`FU.r`). A plain object's double field
   * is cheaper for V8 to update than a Float64Array element (fannkuch: ~25% less overhead).
   */
  readonly cell: FuelCell = { r: 0.5 }; // 0.5: the field is a double from the start
  private base = 0;

  constructor(amount: number) {
    this.set(amount);
  }

  /** Sets the remaining fuel (wasmtime's Store::set_fuel); `consumed` counts from here. */
  set(amount: number): void {
    if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`fuel must be an integer in [0, ${MAX_FUEL}], got ${amount}`);
    this.cell.r = amount;
    this.base = amount;
  }

  /** The fuel left (wasmtime's Store::get_fuel). */
  get remaining(): number {
    return this.cell.r;
  }

  /** The fuel consumed since the last set. */
  get consumed(): number {
    return this.base - this.cell.r;
  }
}

/** The out-of-fuel trap. */
export function outOfFuel(): RuntimeError {
  return new RuntimeError(FUEL_MESSAGE);
}
