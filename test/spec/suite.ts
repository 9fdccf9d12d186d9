// Where the WebAssembly spec test suite lives, and which of its files each test group covers.
// The suite is data shared beside the project (../shared/testsuite) and is never copied in.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Features, WASM_2_0, WASM_3_0 } from '../../src/ast/features.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (this file is compiled to dist/test/spec/). */
export const repoRoot = resolve(here, '..', '..', '..');

/** The suite root: $KASANE_SPEC_DIR, else ../shared/testsuite beside the repository. */
export function suiteRoot(): string | undefined {
  const candidates = [process.env.KASANE_SPEC_DIR, resolve(repoRoot, '..', 'shared', 'testsuite')];
  for (const c of candidates) if (c && existsSync(c) && statSync(c).isDirectory()) return c;
  return undefined;
}

export const SKIP_MESSAGE =
  'spec test suite not found: set KASANE_SPEC_DIR or place it at ../shared/testsuite (skipping spec tests)';

/** Test groups: the Wasm 2.0 suite, the 3.0 suite at the root, legacy exceptions, threads. */
export interface SuiteGroup {
  readonly name: string;
  readonly files: string[];
  /** The language version the group's scripts assume. */
  readonly features: Features;
}

function wastFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.wast')).sort().map((f) => join(dir, f));
}

export function suiteGroups(root: string): SuiteGroup[] {
  return [
    { name: 'wasm-2.0', files: wastFiles(join(root, 'wasm-2.0')), features: WASM_2_0 },
    {
      name: 'wasm-3.0',
      files: [...wastFiles(root), ...wastFiles(join(root, 'core-shadowed')), ...wastFiles(join(root, 'custom'))],
      features: WASM_3_0,
    },
    { name: 'legacy', files: wastFiles(join(root, 'legacy')), features: WASM_3_0 },
    // The threads proposal's tests date from 2020, before multi-memory and memory64.
    { name: 'threads', files: wastFiles(join(root, 'proposals', 'threads')), features: WASM_2_0 },
  ];
}

/** A file's name relative to the suite root, as used in reports and the known-failures list. */
export function suiteName(root: string, file: string): string {
  return relative(root, file);
}
