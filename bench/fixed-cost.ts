// Fixed cost of the engine benchmark's workloads: each workload run with the argument that
// makes its work about nothing (Workload.zeroArgs), one process per run as bench/engine.ts
// does, so what remains is what every run pays whatever its size: translating the functions
// _start reaches on its first call, V8 parsing and tiering up the generated code, the
// program's own set-up (simd fills a 1 MB image, hashes it, and takes 512 dot products),
// printing. Also, per workload, the CPU time of translating every function cold
// (bench/lib/translate-all.ts), which bounds the translation part.
//
// Usage: node dist/bench/fixed-cost.js [--reps N] [--engines native,kasane,polywasm]
//          [--only w1,w2] [--out FILE | --no-write]
// Writes bench/results/fixed-cost.md as well as standard output.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import type { RunResult } from './lib/run-one.js';
import type { TranslateResult } from './lib/translate-all.js';
import { WORKLOADS } from './lib/workloads.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
const repoRoot = resolve(here, '..', '..');

interface Options { reps: number; engines: string[]; only?: string[]; out?: string }

function parseArgs(argv: string[]): Options {
  const o: Options = { reps: 5, engines: ['native', 'kasane'], out: join(repoRoot, 'bench', 'results', 'fixed-cost.md') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--reps') o.reps = Math.max(1, Number(val()) | 0);
    else if (a === '--engines') o.engines = val().split(',').filter(Boolean);
    else if (a === '--only') o.only = val().split(',').filter(Boolean);
    else if (a === '--out') o.out = resolve(val());
    else if (a === '--no-write') o.out = undefined;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

function lineOf(out: string, tag: string): string | undefined {
  return out.split('\n').find((l) => l.startsWith(tag))?.slice(tag.length);
}

function runOnce(engine: string, workload: string, args: string[], pretranslate = false): RunResult {
  const env = pretranslate ? { ...process.env, BENCH_PRETRANSLATE: '1' } : process.env;
  const p = spawnSync(process.execPath, [join(here, 'lib', 'run-one.js'), engine, workload, ...args], { encoding: 'utf8', env });
  const line = lineOf(p.stdout, '@@RESULT ');
  if (!line) return { engine, workload, ok: false, error: `no result: ${p.stderr.trim().split('\n').pop()}` };
  return JSON.parse(line) as RunResult;
}

function translateOnce(workload: string): TranslateResult | undefined {
  const p = spawnSync(process.execPath, [join(here, 'lib', 'translate-all.js'), workload], { encoding: 'utf8' });
  const line = lineOf(p.stdout, '@@TRANSLATE ');
  return line ? (JSON.parse(line) as TranslateResult) : undefined;
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (x: number): string => (Number.isNaN(x) ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  const workloads = WORKLOADS.filter((w) => !o.only || o.only.includes(w.name));
  const cpu = new Map<string, number[]>();
  const setup = new Map<string, number[]>();
  const failures: string[] = [];
  const translate = new Map<string, TranslateResult[]>();
  // Kasane with every function translated before _start (run-one BENCH_PRETRANSLATE=1).
  const pre = new Map<string, number[]>();
  const preT = new Map<string, number[]>();
  const key = (e: string, w: string): string => `${e}/${w}`;
  for (let rep = 0; rep < o.reps; rep++) {
    for (const w of workloads) {
      // Rotate the engine order each repetition, as bench/engine.ts does.
      const engines = o.engines.map((_, i) => o.engines[(i + rep) % o.engines.length]);
      for (const e of engines) {
        const r = runOnce(e, w.name, w.zeroArgs);
        if (!r.ok) { failures.push(`${e} ${w.name}: ${r.error}`); continue; }
        (cpu.get(key(e, w.name)) ?? cpu.set(key(e, w.name), []).get(key(e, w.name))!).push(r.runCpuMs!);
        (setup.get(key(e, w.name)) ?? setup.set(key(e, w.name), []).get(key(e, w.name))!).push(r.compileMs! + r.instantiateMs!);
      }
      if (o.engines.includes('kasane')) {
        const r = runOnce('kasane', w.name, w.zeroArgs, true);
        if (r.ok) {
          (pre.get(w.name) ?? pre.set(w.name, []).get(w.name)!).push(r.runCpuMs!);
          (preT.get(w.name) ?? preT.set(w.name, []).get(w.name)!).push(r.pretranslateCpuMs!);
        } else failures.push(`kasane (pretranslated) ${w.name}: ${r.error}`);
        const t = translateOnce(w.name);
        if (t) (translate.get(w.name) ?? translate.set(w.name, []).get(w.name)!).push(t);
      }
    }
  }

  const L: string[] = [];
  L.push('# Fixed cost of the engine workloads');
  L.push('');
  L.push(`Generated by \`node dist/bench/fixed-cost.js\` (${relative(repoRoot, join(repoRoot, 'bench', 'fixed-cost.ts'))}), ` +
    `${o.reps} runs each, one process per run; medians. Node ${process.version} (V8 ${process.versions.v8}), ` +
    `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}.`);
  L.push('');
  L.push('Each workload runs with the argument that makes its work about nothing. "run CPU" is the CPU time of the');
  L.push('process (all threads: V8 compiles concurrently) while `_start` runs, as in bench/results/engine.md;');
  L.push('"compile+inst." is the wall time of `new Module` + `new Instance` before it. "translated first": Kasane');
  L.push('again, but with every function translated to JS between compile and instantiate (run-one.js with');
  L.push('BENCH_PRETRANSLATE=1), so its run CPU is V8 parsing the JS and running it; "translating first" is the CPU');
  L.push('time that took. "translate all, alone" is translation in a process that does nothing else');
  L.push('(bench/lib/translate-all.ts), and "parse" that of `new Function` on the results. Functions never reached');
  L.push('are not translated in a normal run, and a run pays translation with Kasane\'s code generator still cold.');
  L.push('');
  const head = ['workload', 'zero args'];
  for (const e of o.engines) head.push(`${e} run CPU ms`);
  for (const e of o.engines) if (e !== 'native') head.push(`${e} compile+inst. ms`);
  if (o.engines.includes('kasane')) head.push('kasane run CPU ms, translated first', 'translating first ms', 'translate all, alone ms', 'parse ms', 'Wasm code → JS');
  L.push(`| ${head.join(' | ')} |`);
  L.push(`|${head.map(() => '---').join('|')}|`);
  for (const w of workloads) {
    const row = [w.name, w.zeroArgs.join(' ')];
    for (const e of o.engines) row.push(fmt(median(cpu.get(key(e, w.name)) ?? [])));
    for (const e of o.engines) if (e !== 'native') row.push(fmt(median(setup.get(key(e, w.name)) ?? [])));
    if (o.engines.includes('kasane')) {
      const ts = translate.get(w.name) ?? [];
      row.push(fmt(median(pre.get(w.name) ?? [])), fmt(median(preT.get(w.name) ?? [])));
      row.push(fmt(median(ts.map((t) => t.translateCpuMs))), fmt(median(ts.map((t) => t.parseCpuMs))));
      row.push(ts.length ? `${(ts[0].wasmBytes / 1024).toFixed(1)} KiB → ${(ts[0].jsChars / 1024).toFixed(0)} KiB` : '–');
    }
    L.push(`| ${row.join(' | ')} |`);
  }
  if (failures.length) {
    L.push('');
    L.push('Failures:');
    for (const f of failures) L.push(`- ${f}`);
  }
  const report = L.join('\n') + '\n';
  process.stdout.write(report);
  if (o.out) {
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, report);
  }
}

main();
