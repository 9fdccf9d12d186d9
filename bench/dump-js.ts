// Prints the JS that Kasane's engine generates for functions of a module, for reading what
// the code generator does with a hot function (and diffing it across commits).
//
// Usage: node dist/bench/dump-js.js <file.wasm | workload> [func ...]
//   func: a function index or a name from the name section (without '$'); none: every
//   defined function. A workload name (bench/lib/workloads.ts) reads its .wasm.
// Function names of a CPU profile (w$<module>$<func>) give the index after the second '$'.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModule } from '../src/binary/decode.js';
import { validateModule } from '../src/validate/validate.js';
import { compileModule } from '../src/engine/compile.js';
import { WORKLOADS } from './lib/workloads.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
const repoRoot = resolve(here, '..', '..');

function main(): void {
  const [target, ...funcs] = process.argv.slice(2);
  if (!target) throw new Error('usage: dump-js.js <file.wasm | workload> [func ...]');
  const w = WORKLOADS.find((x) => x.name === target);
  const file = w ? join(repoRoot, 'bench', 'workloads', 'wasm', w.file) : resolve(target);
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const m = decodeModule(new Uint8Array(readFileSync(file)));
  validateModule(m);
  const cm = compileModule(m);
  const imported = cm.info.importedFuncs;
  const total = imported + m.funcs.length;
  const byName = new Map<string, number>();
  for (const [idx, n] of m.names?.funcs ?? []) byName.set(n, idx);
  const indices = funcs.length === 0
    ? Array.from({ length: m.funcs.length }, (_, k) => imported + k)
    : funcs.map((f) => {
      const idx = /^\d+$/.test(f) ? Number(f) : byName.get(f.replace(/^\$/, ''));
      if (idx === undefined || idx < imported || idx >= total) throw new Error(`no defined function ${f}`);
      return idx;
    });
  for (const idx of indices) {
    process.stdout.write(`// ---- function ${idx} ${cm.funcName(idx)}\n${cm.source(idx)}\n`);
  }
}

main();
