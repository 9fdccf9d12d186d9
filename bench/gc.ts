// WasmGC benchmark: binary-trees with GC structs (bench/gc/binarytrees-gc.wat) on Kasane's
// engine and, where the host's V8 can run the final GC encoding, natively. For scale it also
// runs the linear-memory C version (bench/workloads/wasm/binarytrees.wasm, malloc/free) on both.
// The GC program's report lines are printed in the C program's format and checked to be equal
// to its output, so both versions are known to compute the same trees.
//
// Each run is its own process (fresh JIT state); configurations are interleaved round-robin.
// Usage: node dist/bench/gc.js [--depth N] [--reps N] [--out FILE | --no-write]
//        node dist/bench/gc.js --one <kasane|native> <depth>      (one run; prints @@RESULT json)

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus, loadavg } from 'node:os';
import type { RunResult } from './lib/run-one.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
const repoRoot = resolve(here, '..', '..');
const WAT = join(repoRoot, 'bench', 'gc', 'binarytrees-gc.wat');

interface GcResult { ok: boolean; error?: string; runMs?: number; compileMs?: number; stdout?: string; result?: number }

/** The C program's output lines for one report call. */
function line(kind: number, iters: number, depth: number, check: number): string {
  if (kind === 0) return `stretch tree of depth ${depth}\t check: ${check}`;
  if (kind === 1) return `${iters}\t trees of depth ${depth}\t check: ${check}`;
  return `long lived tree of depth ${depth}\t check: ${check}`;
}

async function one(engine: string, depth: number): Promise<GcResult> {
  const { parseWat } = await import(pathToFileURL(join(repoRoot, 'dist', 'src', 'text', 'module.js')).href) as typeof import('../src/text/module.js');
  const { encodeModule } = await import(pathToFileURL(join(repoRoot, 'dist', 'src', 'binary', 'encode.js')).href) as typeof import('../src/binary/encode.js');
  const bytes = encodeModule(parseWat(readFileSync(WAT, 'utf8')));
  type Api = { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, unknown> } };
  const api: Api = engine === 'native'
    ? (globalThis as unknown as { WebAssembly: Api }).WebAssembly
    : ((await import(pathToFileURL(join(repoRoot, 'dist', 'src', 'api', 'namespace.js')).href)) as { WebAssembly: Api }).WebAssembly;
  const out: string[] = [];
  try {
    const t0 = performance.now();
    const m = new api.Module(bytes);
    const inst = new api.Instance(m, { env: { report: (k: number, i: number, d: number, c: number) => { out.push(line(k, i, d, c)); } } });
    const t1 = performance.now();
    const result = (inst.exports.run as (d: number) => number)(depth);
    const t2 = performance.now();
    return { ok: true, compileMs: t1 - t0, runMs: t2 - t1, stdout: out.join('\n') + '\n', result };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function parseResult(stdout: string): (GcResult & Partial<RunResult>) | undefined {
  const l = stdout.split('\n').find((x) => x.startsWith('@@RESULT '));
  return l ? JSON.parse(l.slice(9)) as GcResult & Partial<RunResult> : undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--one') {
    const r = await one(argv[1], Number(argv[2]));
    process.stdout.write('@@RESULT ' + JSON.stringify(r) + '\n');
    return;
  }
  let depth = 16, reps = 5;
  let out: string | undefined = join(repoRoot, 'bench', 'results', 'gc.md');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--depth') depth = Number(argv[++i]);
    else if (argv[i] === '--reps') reps = Number(argv[++i]);
    else if (argv[i] === '--out') out = resolve(argv[++i]);
    else if (argv[i] === '--no-write') out = undefined;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  const self = fileURLToPath(import.meta.url);
  const runOne = join(here, 'lib', 'run-one.js');
  const configs = [
    { name: 'WasmGC on Kasane', args: [self, '--one', 'kasane', String(depth)] },
    { name: 'WasmGC native (node --experimental-wasm-gc)', args: ['--experimental-wasm-gc', self, '--one', 'native', String(depth)] },
    { name: 'linear-memory C on Kasane', args: [runOne, 'kasane', 'binarytrees-c', String(depth)] },
    { name: 'linear-memory C native', args: [runOne, 'native', 'binarytrees-c', String(depth)] },
  ];
  const times: number[][] = configs.map(() => []);
  const errors: (string | undefined)[] = configs.map(() => undefined);
  const outputs: (string | undefined)[] = configs.map(() => undefined);
  const load0 = loadavg()[0];
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < configs.length; k++) {
      const i = (k + r) % configs.length;
      if (errors[i] !== undefined) continue;
      const p = spawnSync(process.execPath, configs[i].args, { encoding: 'utf8', maxBuffer: 1 << 24 });
      const res = parseResult(p.stdout);
      if (!res || !res.ok) {
        errors[i] = res?.error ?? `exit ${p.status}: ${p.stderr.split('\n')[0]}`;
        continue;
      }
      times[i].push(res.runMs!);
      outputs[i] ??= res.stdout;
    }
  }
  const ref = outputs[3] ?? outputs[2];
  const lines = [
    '# WasmGC binary-trees',
    '',
    `\`npm run bench:gc\` (bench/gc.ts): bench/gc/binarytrees-gc.wat, depth ${depth}, ${reps} runs per configuration, each in its own process,`,
    `interleaved. Time is the run only (after compile + instantiate), median (min-max) in ms. node ${process.version},`,
    `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${load0.toFixed(2)} at start: **a busy machine shared with other builds**, so`,
    'differences under ~10% are noise.',
    '',
    '| configuration | median ms | min-max | ratio to WasmGC on Kasane | output = C program\'s |',
    '|---|---:|---:|---:|---|',
  ];
  const base = times[0].length ? median(times[0]) : NaN;
  configs.forEach((c, i) => {
    if (errors[i] !== undefined) {
      lines.push(`| ${c.name} | - | - | - | cannot run: ${errors[i]!.replace(/\|/g, '/')} |`);
      return;
    }
    const m = median(times[i]);
    lines.push(`| ${c.name} | ${m.toFixed(1)} | ${Math.min(...times[i]).toFixed(1)}-${Math.max(...times[i]).toFixed(1)} | ${(m / base).toFixed(2)} | ${outputs[i] === ref ? 'yes' : 'NO'} |`);
  });
  if (errors[1] !== undefined) {
    lines.push('', 'Native WasmGC cannot run here: Node 20 ships V8 11.3, whose `--experimental-wasm-gc` implements a',
      'pre-standard draft of the GC proposal whose binary encoding differs from the final one that Kasane and the',
      'spec tests use (the error above: V8 11.3 reads a final-encoding reference type code as a type of the stringref',
      'draft; GC opcodes were renumbered too before WasmGC shipped). The linear-memory C rows give the scale instead:',
      'the same trees, allocated with malloc/free in linear memory, natively and on Kasane.');
  }
  const text = lines.join('\n') + '\n';
  console.log(text);
  if (out) writeFileSync(out, text);
  if (outputs[0] !== undefined && outputs[0] !== ref) {
    console.error('WasmGC output differs from the C program\'s:\n' + outputs[0] + '\nvs\n' + ref);
    process.exitCode = 1;
  }
}

await main();
