// Paths shared by the WIT tests.

import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WitSource } from '../../src/wit/resolve.js';
import { readWitPath } from '../../src/host/wit-dir.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The WIT jco ships: WASI 0.2.10, 0.2.12 and 0.3.0, wasi-tls and jco:node. */
export const BUILTIN = join(repoRoot, 'node_modules', '@bytecodealliance', 'jco', 'lib', 'wit', 'builtin');
/** A world that uses every WIT type (test/wit/fixtures/kitchen). */
export const KITCHEN = join(repoRoot, 'test', 'wit', 'fixtures', 'kitchen');

/** Every package jco ships, one group per package directory (and its deps/). */
export function builtinGroups(): WitSource[][] {
  const groups: WitSource[][] = [];
  for (const v of ['0.2.12', '0.2.10', '0.3.0']) {
    for (const d of readdirSync(join(BUILTIN, v)).sort()) groups.push(...readWitPath(join(BUILTIN, v, d)));
  }
  groups.push(...readWitPath(join(BUILTIN, 'wasi-tls-0.2.0-draft')));
  groups.push(...readWitPath(join(BUILTIN, 'jco-node-0.1.0')));
  return groups;
}
