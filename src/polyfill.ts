// `import 'kasane/polyfill'`: makes Kasane's WebAssembly namespace the global one when the host
// has none (engines without Wasm, or with it disabled). `install({ force: true })` replaces the
// host's namespace anyway.

import { WebAssembly } from './api/namespace.js';

export interface InstallOptions {
  /** Replace globalThis.WebAssembly even when the host provides one. */
  readonly force?: boolean;
}

/** Installs the namespace as globalThis.WebAssembly; returns whether it did. */
export function install(options: InstallOptions = {}): boolean {
  const g = globalThis as { WebAssembly?: unknown };
  if (g.WebAssembly !== undefined && !options.force) return false;
  Object.defineProperty(globalThis, 'WebAssembly', { value: WebAssembly, writable: true, enumerable: false, configurable: true });
  return true;
}

install();

export { WebAssembly };
