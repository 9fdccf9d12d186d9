// `npm run bench:nested`: the founding experiment of "runtime on runtime". binary-trees (C and
// Rust, bench/workloads) at several N, directly on a host and nested under wabt's wasm-interp
// (compiled to wasm32-wasi by nested/build.sh, run with --wasi), on three hosts: Kasane's engine,
// Kasane's native backend (Node's V8) and native wasmtime (Python package, when installed).
// Every run is one fresh process, timed from spawn to exit (start-up and compilation included,
// as `time wasmtime x.wasm` would): wall-clock, and CPU time (user + system, all threads) through
// GNU time when /usr/bin/time exists. Ratios use CPU time when it was measured: on a shared,
// busy machine wall-clock mostly measures the other processes. Each run's stdout must equal
// the direct native run's.
// Writes bench/results/nested.md and bench/results/nested.svg.
//
// Usage: node dist/bench/nested.js [--n 7,14] [--reps 3] [--budget 180] [--no-build]
//   --n       the sizes; default 7,14 plus the largest N whose slowest configuration is
//             estimated (from the previous N, x2.1 per step) to stay within --budget seconds
//   --reps    repetitions per configuration (runs longer than 60 s get one)
//   --budget  seconds allowed for one run of the slowest configuration

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { barChartSvg } from './lib/svg-chart.js';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const workloadsDir = join(root, 'bench', 'workloads', 'wasm');
const outDir = join(root, '.cache', 'nested', 'out');
const interp = join(outDir, 'wasm-interp.wasm');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const reps = Number(option('--reps') ?? 3);
const budgetS = Number(option('--budget') ?? 180);
const fixedN = option('--n')?.split(',').map(Number);

type Host = 'kasane' | 'native' | 'wasmtime';
interface Config { host: Host; nested: boolean }
const workloads = [
  { name: 'C', file: 'binarytrees.wasm' },
  { name: 'Rust', file: 'binarytrees-rs.wasm' },
];

const PY_RUN = `
import sys, wasmtime
args = sys.argv[1:]
engine = wasmtime.Engine(); store = wasmtime.Store(engine)
linker = wasmtime.Linker(engine); linker.define_wasi()
cfg = wasmtime.WasiConfig(); cfg.argv = args; cfg.inherit_stdout(); cfg.inherit_stderr()
cfg.preopen_dir(${JSON.stringify(workloadsDir)}, '/b')
store.set_wasi(cfg)
module = wasmtime.Module.from_file(engine, args[0])
inst = linker.instantiate(store, module)
try:
    inst.exports(store)['_start'](store)
except wasmtime.ExitTrap as e:
    sys.exit(e.code)
`;

function hasWasmtime(): boolean {
  return spawnSync('python3', ['-c', 'import wasmtime'], { stdio: 'ignore' }).status === 0;
}

/** The command line for one run. Nested: wasm-interp --wasi /b/<workload> -- N. */
function command(c: Config, file: string, n: number): [string, string[]] {
  const guest = c.nested ? [interp, '--wasi', `/b/${file}`, '--', String(n)] : [join(workloadsDir, file), String(n)];
  if (c.host === 'wasmtime') return ['python3', ['-c', PY_RUN, ...guest]];
  return [process.execPath, [cli, 'run', '--engine', c.host, '--dir', `${workloadsDir}::/b`, ...guest]];
}

const gnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0;

function runOnce(c: Config, file: string, n: number): { ms: number; cpuMs?: number; stdout: string } {
  const [cmd, args] = command(c, file, n);
  const t0 = performance.now();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '@@CPU %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${label(c)} ${file} ${n}: exit ${r.status ?? r.signal}\n${r.stderr}`);
  const cpu = /@@CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { ms, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined, stdout: r.stdout };
}

const label = (c: Config): string => (c.nested ? `wasm-interp on ${c.host}` : c.host);
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

// --- build what is needed (cached) ---
if (!process.argv.includes('--no-build')) {
  console.log('building wasm-interp.wasm (nested/build.sh wabt; cached in .cache/nested)...');
  const b = spawnSync('sh', [join(root, 'nested', 'build.sh'), 'wabt'], { stdio: 'inherit' });
  if (b.status !== 0) { console.error('nested/build.sh failed'); process.exit(1); }
}
if (!existsSync(interp)) { console.error(`${interp} is missing: run nested/build.sh`); process.exit(1); }
if (!existsSync(cli)) { console.error(`${cli} is missing: run npm run build`); process.exit(1); }

const hosts: Host[] = ['kasane', 'native'];
if (hasWasmtime()) hosts.push('wasmtime');
else console.log('python3 wasmtime package not found: wasmtime columns skipped (pip install wasmtime)');
const configs: Config[] = hosts.flatMap((host) => [{ host, nested: false }, { host, nested: true }]);

interface Row { workload: string; n: number; config: Config; times: number[]; cpu: number[] }
const rows: Row[] = [];
const started = performance.now();

function measure(n: number): void {
  for (const w of workloads) {
    let expected: string | undefined;
    for (const c of configs) {
      const times: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < reps; i++) {
        const elapsed = fmt(performance.now() - started);
        process.stdout.write(`[${elapsed}] binary-trees ${w.name} N=${n} ${label(c).padEnd(22)} run ${i + 1}/${reps} ... `);
        const r = runOnce(c, w.file, n);
        expected ??= r.stdout;
        if (r.stdout !== expected) throw new Error(`${label(c)} ${w.file} N=${n}: output differs from ${label(configs[0])}'s`);
        times.push(r.ms);
        if (r.cpuMs !== undefined) cpu.push(r.cpuMs);
        console.log(r.cpuMs !== undefined ? `${fmt(r.ms)} (cpu ${fmt(r.cpuMs)})` : fmt(r.ms));
        if (r.ms > 60_000) break; // one run is enough at this length
      }
      rows.push({ workload: w.name, n, config: c, times, cpu });
    }
  }
}

const sizes = fixedN ?? [7, 14];
for (const n of sizes) measure(n);
if (!fixedN) {
  // Largest N whose slowest configuration stays within the budget, estimated from the last N.
  const last = sizes[sizes.length - 1];
  const slowest = Math.max(...rows.filter((r) => r.n === last).map((r) => median(r.times)));
  let n = last;
  while (slowest * 2.1 ** (n + 1 - last) <= budgetS * 1000) n++;
  if (n > last) { sizes.push(n); measure(n); }
  else console.log(`N=${last} already takes ${fmt(slowest)} in the slowest configuration: no larger N within ${budgetS} s`);
}

// --- report ---
const get = (w: string, n: number, host: Host, nested: boolean): Row | undefined =>
  rows.find((r) => r.workload === w && r.n === n && r.config.host === host && r.config.nested === nested);
/** What ratios are computed from: CPU time when measured, else wall-clock. */
const cost = (r: Row): number => (r.cpu.length === r.times.length && r.cpu.length > 0 ? median(r.cpu) : median(r.times));
const show = (r: Row): string => (r.cpu.length === r.times.length && r.cpu.length > 0 ? `${fmt(median(r.cpu))} (${fmt(median(r.times))})` : fmt(median(r.times)));
const lines: string[] = [];
lines.push('# Runtime on runtime: binary-trees, directly and nested under wasm-interp');
lines.push('');
lines.push(`Generated by \`npm run bench:nested\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${hosts.length} hosts).`);
lines.push(gnuTime
  ? 'Time per run: one process each, start-up and compilation included; median of the repetitions of CPU time (user + system, all threads), with the median wall-clock time after it. Ratios use CPU time.'
  : 'Time per run: one process each, start-up and compilation included; median wall-clock time of the repetitions.');
lines.push('"vs native" is the ratio to the direct run on the native backend (V8); "nesting" is nested ÷ direct on the same host.');
lines.push('The nested interpreter is wabt 1.0.32\'s `wasm-interp --wasi`, built for wasm32-wasi by `nested/build.sh`.');
lines.push('');
lines.push('| workload | N | host | direct | reps | vs native | nested | reps | vs native | nesting |');
lines.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|');
for (const w of workloads) {
  for (const n of sizes) {
    const base = get(w.name, n, 'native', false);
    for (const host of hosts) {
      const d = get(w.name, n, host, false);
      const x = get(w.name, n, host, true);
      if (!d || !x || !base) continue;
      const b = cost(base);
      const dm = cost(d);
      const xm = cost(x);
      lines.push(`| ${w.name} | ${n} | ${host} | ${show(d)} | ${d.times.length} | ${(dm / b).toFixed(2)}x | ${show(x)} | ${x.times.length} | ${(xm / b).toFixed(1)}x | **${(xm / dm).toFixed(1)}x** |`);
    }
  }
}
lines.push('');
lines.push('Founding experiment for comparison: wasm3 (built to wasm32-wasi) nested on wasmtime, binary-trees at N = 21: about 122x nesting slowdown (17x to 300x across wasm3, wasmtime and WasmEdge).');
lines.push('');
lines.push('![nesting slowdown per host](nested.svg)');
const md = lines.join('\n') + '\n';
console.log('\n' + md);

const bars = workloads.flatMap((w) => sizes.flatMap((n) => hosts.map((host) => {
  const d = get(w.name, n, host, false);
  const x = get(w.name, n, host, true);
  return d && x ? { group: `${w.name} N=${n}`, series: host, value: cost(x) / cost(d) } : undefined;
}))).filter((b): b is { group: string; series: Host; value: number } => b !== undefined);
const svg = barChartSvg({ title: 'Nesting slowdown under wasm-interp (nested ÷ direct, same host; log scale)', bars, unit: 'x' });
const results = join(root, 'bench', 'results');
mkdirSync(results, { recursive: true });
writeFileSync(join(results, 'nested.md'), md);
writeFileSync(join(results, 'nested.svg'), svg);
console.log(`wrote bench/results/nested.md and bench/results/nested.svg (${fmt(performance.now() - started)} in all)`);
