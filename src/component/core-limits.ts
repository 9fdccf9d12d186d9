// Resource limits for a whole component, applied to each of its core modules as they are
// compiled: one fuel budget (a Fuel shared by every core module, so the component traps when the
// sum of their instructions exhausts it; Kasane's engine only) and a cap on the maximum of every
// memory a core module defines (memories a module imports come from another core module of the
// component, capped where they are defined). The same mechanisms as for a core module: the
// engine's fuel counter and the memory-section rewrite of wasi/limits.ts.

import { internals, type WebAssemblyNamespace } from '../api/namespace.js';
import { Fuel } from '../engine/fuel.js';
import { limitMemory } from '../wasi/limits.js';

export interface CoreLimits {
  /** The budget all core modules consume (their code is compiled with fuel metering): a Fuel, or an amount. */
  fuel?: Fuel | number;
  /** Most bytes any core memory of the component may grow to. */
  maxMemory?: number;
}

/** How to compile a core module under the limits; undefined when there are none (the cached path). */
export function limitedCoreModule(wasm: WebAssemblyNamespace, limits: CoreLimits): ((bytes: Uint8Array) => unknown) | undefined {
  const { maxMemory } = limits;
  const fuel = typeof limits.fuel === 'number' ? new Fuel(limits.fuel) : limits.fuel;
  if (fuel === undefined && maxMemory === undefined) return undefined;
  return (bytes) => {
    const limited = maxMemory !== undefined ? limitMemory(bytes, maxMemory) : bytes;
    return fuel !== undefined ? internals.moduleWithFuel(limited, fuel) : new wasm.Module(limited);
  };
}
