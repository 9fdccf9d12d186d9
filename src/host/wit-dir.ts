// Reading WIT from the host filesystem (WIT.md "Filesystem structure"): a root that is a file or
// a directory of *.wit files forming one package, and its `deps/` folder whose entries are each
// a file or a directory of one package (a dependency directory may have its own `deps/`).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { WitSource } from '../wit/resolve.js';

/** The groups of files `resolveWit` takes: the root package first, then every dependency. */
export function readWitPath(path: string): WitSource[][] {
  const groups: WitSource[][] = [];
  if (statSync(path).isDirectory()) addDirectory(path, groups, new Set());
  else groups.push([readSource(path)]);
  return groups;
}

function readSource(path: string): WitSource {
  return { name: path, text: readFileSync(path, 'utf8') };
}

function witFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.name.endsWith('.wit') && (e.isFile() || (e.isSymbolicLink() && statSync(join(dir, e.name)).isFile())))
    .map((e) => e.name)
    .sort();
}

function addDirectory(dir: string, groups: WitSource[][], seen: Set<string>): void {
  if (seen.has(dir)) return;
  seen.add(dir);
  groups.push(witFiles(dir).map((f) => readSource(join(dir, f))));
  const deps = join(dir, 'deps');
  let entries: string[];
  try {
    if (!statSync(deps).isDirectory()) return;
    entries = readdirSync(deps).sort();
  } catch {
    return;
  }
  for (const name of entries) {
    const p = join(deps, name);
    const st = statSync(p);
    if (st.isDirectory()) addDirectory(p, groups, seen);
    else if (name.endsWith('.wit')) groups.push([readSource(p)]);
  }
}
