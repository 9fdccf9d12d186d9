// Translates EVERY defined function of one workload in a fresh process, as the first call of
// _start does for the functions it reaches (engine/instantiate.ts compiles callees ahead), and
// prints "@@TRANSLATE {json}": CPU ms of Kasane's code generation (codegen/, cold: its own
// code still runs in V8's interpreter or baseline tier) and of V8 parsing the generated JS
// (`new Function`), with the sizes. Spawned by bench/fixed-cost.ts.
// Usage: node dist/bench/lib/translate-all.js <workload>

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModule } from '../../src/binary/decode.js';
import { compileModule } from '../../src/engine/compile.js';
import { importCount } from '../../src/ast/module.js';
import { findWorkload } from './workloads.js';

export interface TranslateResult {
  wasmBytes: number;
  jsChars: number;
  functions: number;
  translateCpuMs: number;
  parseCpuMs: number;
}

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench/lib
const repoRoot = resolve(here, '..', '..', '..');

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

function main(): void {
  const w = findWorkload(process.argv[2] ?? '');
  const m = decodeModule(new Uint8Array(readFileSync(join(repoRoot, 'bench', 'workloads', 'wasm', w.file))));
  const cm = compileModule(m);
  const first = importCount(m, 'func');
  const r: TranslateResult = { wasmBytes: 0, jsChars: 0, functions: m.funcs.length, translateCpuMs: 0, parseCpuMs: 0 };
  const c0 = process.cpuUsage();
  for (let k = 0; k < m.funcs.length; k++) cm.source(first + k);
  r.translateCpuMs = cpuMs(process.cpuUsage(c0));
  const sources: string[] = [];
  for (let k = 0; k < m.funcs.length; k++) {
    sources.push(cm.source(first + k));
    r.wasmBytes += m.funcs[k].code.end - m.funcs[k].code.start;
  }
  const c1 = process.cpuUsage();
  for (const s of sources) new Function('R', 'I', s);
  r.parseCpuMs = cpuMs(process.cpuUsage(c1));
  r.jsChars = sources.reduce((a, s) => a + s.length, 0);
  process.stdout.write('@@TRANSLATE ' + JSON.stringify(r) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
