// The host's own WebAssembly namespace, captured before kasane/polyfill can replace it: this
// module is imported by api/namespace.ts, so it is evaluated before the polyfill installs.

import type { WebAssemblyNamespace } from './namespace.js';

const g = globalThis as { WebAssembly?: unknown };

/** The host's native namespace, or undefined where the host has none (or it was removed). */
export const hostWebAssembly: WebAssemblyNamespace | undefined =
  typeof g.WebAssembly === 'object' && g.WebAssembly !== null ? (g.WebAssembly as WebAssemblyNamespace) : undefined;
