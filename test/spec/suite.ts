// Where the WebAssembly spec test suite lives, and which of its files each test group covers.
// The suite is data shared beside the project (../shared/testsuite) and is never copied in.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
}

function wastFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.wast')).sort().map((f) => join(dir, f));
}

export function suiteGroups(root: string): SuiteGroup[] {
  return [
    { name: 'wasm-2.0', files: wastFiles(join(root, 'wasm-2.0')) },
    {
      name: 'wasm-3.0',
      files: [...wastFiles(root), ...wastFiles(join(root, 'core-shadowed')), ...wastFiles(join(root, 'custom'))],
    },
    { name: 'legacy', files: wastFiles(join(root, 'legacy')) },
    { name: 'threads', files: wastFiles(join(root, 'proposals', 'threads')) },
  ];
}

/** A file's name relative to the suite root, as used in reports and the known-failures list. */
export function suiteName(root: string, file: string): string {
  return relative(root, file);
}
