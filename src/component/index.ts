// Components from the library: decode, validate, instantiate (on Kasane's engine or the host's).

import { hostWebAssembly } from '../api/host.js';
import { hasNativeWebAssembly, selectWebAssembly, type EngineChoice } from '../api/backend.js';
import { internals, type WebAssemblyNamespace } from '../api/namespace.js';
import type { Module } from '../ast/module.js';
import type { Component } from './ast.js';
import { decodeComponent } from './decode.js';
import { validateComponent } from './validate.js';
import { compiledCoreModule, instantiateComponent as instantiateDecoded, type ComponentInstance } from './instantiate.js';
import { limitedCoreModule, type CoreLimits } from './core-limits.js';

export { decodeComponent } from './decode.js';
export { validateComponent, type ValidateComponentOptions } from './validate.js';
export { binaryLayer, type Component } from './ast.js';
export { ComponentError } from './canonical/call.js';
export type { ComponentInstance } from './instantiate.js';

/** Every nested core module of a component, depth first. */
export function coreModules(c: Component): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const d of c.definitions) {
    if (d.kind === 'core module') out.push(d.bytes);
    else if (d.kind === 'component') out.push(...coreModules(d.component));
  }
  return out;
}

/**
 * One WebAssembly namespace for all of a component's core modules (their memories, tables and
 * functions are shared between instances, so they must come from the same engine): with `auto`,
 * the host's when it accepts every module, else Kasane's.
 */
export function componentBackend(c: Component, engine: EngineChoice): WebAssemblyNamespace {
  if (engine !== 'auto') return selectWebAssembly(engine);
  if (!hasNativeWebAssembly()) return selectWebAssembly('kasane');
  for (const m of coreModules(c)) {
    let ok = false;
    try { ok = hostWebAssembly!.validate(m); } catch { ok = false; }
    if (!ok) return selectWebAssembly('kasane');
  }
  return hostWebAssembly!;
}

export interface ComponentOptions extends CoreLimits {
  /**
   * Which WebAssembly implementation runs the core modules (default 'auto'; with `fuel`, Kasane's:
   * 'native' is then an error).
   */
  engine?: EngineChoice;
}

/**
 * How validating a component checks its core modules' code, on `wasm` chosen for `engine`: the
 * engine compiles them, into the cache instantiation takes them from (component/instantiate.ts),
 * so each is decoded and validated once; validating, then compiling doubled that (Kasane's
 * engine: 13 MB of componentize-js, about 250 ms more on a cold start). One that fails to compile
 * goes to Kasane's validator for the reason and offset. With 'auto' on the host's engine, the host
 * has validated them already (choosing the backend). Without `compile`, as before: the host
 * validates them on its engine, Kasane's validator on Kasane's.
 */
export function coreValidator(wasm: WebAssemblyNamespace, engine: EngineChoice, compile = true): ((bytes: Uint8Array) => boolean | Module) | undefined {
  if (engine === 'auto' && wasm === hostWebAssembly) return () => true;
  if (!compile) return wasm === hostWebAssembly ? (b) => hostWebAssembly!.validate(b) : undefined;
  return (b) => {
    // Kasane's engine decoded the module: the component's validator need not decode it again.
    try { return internals.moduleAstOf(compiledCoreModule(wasm, b)) ?? true; } catch { return false; }
  };
}

/** Decodes, validates and instantiates a component; imports are keyed by import name (versions optional). */
export function instantiateComponent(bytes: Uint8Array | Component, imports: Record<string, unknown> = {}, options: ComponentOptions = {}): ComponentInstance {
  const c = bytes instanceof Uint8Array ? decodeComponent(bytes) : bytes;
  if (options.fuel !== undefined && options.engine === 'native') throw new Error('fuel needs Kasane\'s engine (engine \'kasane\' or \'auto\'), not \'native\'');
  const engine = options.fuel !== undefined ? 'kasane' : options.engine ?? 'auto';
  const wasm = componentBackend(c, engine);
  const coreModule = limitedCoreModule(wasm, options);
  // Under limits the core modules are compiled otherwise (fuel, capped memories) when instantiated.
  validateComponent(c, { validateCore: coreValidator(wasm, engine, coreModule === undefined) });
  return instantiateDecoded(c, imports, { wasm, coreModule });
}
