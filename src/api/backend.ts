// One choice of backend for every layer above the API: Kasane's own engine, the host's native
// WebAssembly, or `auto` (native when the host has it and accepts the module, else Kasane).

import { hostWebAssembly } from './host.js';
import { WebAssembly as kasaneWebAssembly, type WebAssemblyNamespace } from './namespace.js';

export type EngineChoice = 'kasane' | 'native' | 'auto';

export const ENGINE_CHOICES: readonly EngineChoice[] = ['kasane', 'native', 'auto'];

/** Whether the host has a WebAssembly implementation of its own (not Kasane's polyfill). */
export function hasNativeWebAssembly(): boolean {
  return hostWebAssembly !== undefined && hostWebAssembly !== kasaneWebAssembly;
}

/**
 * The namespace to use for a module. `auto` asks the host's validator, which rejects modules
 * using features the host lacks (GC, exnref, memory64... on Node 20): those run on Kasane.
 * An invalid module also goes to Kasane, whose CompileError names the reason and offset.
 */
export function selectWebAssembly(choice: EngineChoice, bytes?: Uint8Array): WebAssemblyNamespace {
  switch (choice) {
    case 'kasane':
      return kasaneWebAssembly;
    case 'native':
      if (!hasNativeWebAssembly()) throw new Error('the host has no native WebAssembly (use --engine kasane or auto)');
      return hostWebAssembly!;
    case 'auto':
      if (!hasNativeWebAssembly()) return kasaneWebAssembly;
      if (bytes === undefined) return hostWebAssembly!;
      try {
        return hostWebAssembly!.validate(bytes) ? hostWebAssembly! : kasaneWebAssembly;
      } catch {
        return kasaneWebAssembly;
      }
  }
}
