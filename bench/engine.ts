// Engine benchmark: runs the WASI workloads of bench/workloads/ on the host's native
// WebAssembly (V8), on polywasm (Wasm-to-JS polyfill, our closest peer) and on Kasane's
// WebAssembly namespace (dist/src/api/namespace.js, "not available" until it exists).
//
// Each run is its own process (node dist/bench/lib/run-one.js <engine> <workload>), so JIT
// state never leaks; configurations are interleaved round-robin (rotating the engine order
// each repetition). Outputs are checked to be identical across engines.
//
// Usage: node dist/bench/engine.js [--reps N] [--engines native,polywasm,kasane]
//          [--only w1,w2] [--timeout SECONDS] [--out FILE | --no-write]
// Writes the report to bench/results/engine.md as well as to standard output.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arch, cpus, platform, release } from 'node:os';
import { KASANE_NAMESPACE, type RunResult } from './lib/run-one.js';
import { WORKLOADS, type Workload } from './lib/workloads.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
const repoRoot = resolve(here, '..', '..');
const runOne = join(here, 'lib', 'run-one.js');
const ENGINES = ['native', 'polywasm', 'kasane'] as const;

interface Options {
  reps: number;
  engines: string[];
  only: string[] | undefined;
  timeoutSec: number;
  out: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    reps: 5,
    engines: [...ENGINES],
    only: undefined,
    timeoutSec: 600,
    out: join(repoRoot, 'bench', 'results', 'engine.md'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(val());
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a positive integer`);
      return v;
    };
    if (a === '--reps') o.reps = num();
    else if (a === '--timeout') o.timeoutSec = num();
    else if (a === '--engines') o.engines = val().split(',').filter(Boolean);
    else if (a === '--only') o.only = val().split(',').filter(Boolean);
    else if (a === '--out') o.out = resolve(val());
    else if (a === '--no-write') o.out = undefined;
    else throw new Error(`unknown option ${a}`);
  }
  for (const e of o.engines) {
    if (!(ENGINES as readonly string[]).includes(e)) throw new Error(`unknown engine ${e}`);
  }
  if (o.only) {
    for (const w of o.only) {
      if (!WORKLOADS.some((x) => x.name === w)) throw new Error(`unknown workload ${w}`);
    }
  }
  return o;
}

/** Spawns one run; resolves with its result line (or a synthesized failure). */
function spawnRun(engine: string, w: Workload, timeoutSec: number): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [runOne, engine, w.name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSec * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('@@RESULT '));
      if (line) {
        const r = JSON.parse(line.slice('@@RESULT '.length)) as RunResult;
        r.engine = engine;
        r.workload = w.name;
        resolveRun(r);
        return;
      }
      const why = timedOut
        ? `timed out after ${timeoutSec} s`
        : `process exited (code ${code}, signal ${signal}) without a result: ${err.trim().split('\n').slice(-3).join(' | ')}`;
      resolveRun({ engine, workload: w.name, ok: false, errorKind: 'run', error: why });
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function geomean(xs: number[]): number {
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

interface Cell {
  runs: RunResult[];
  /** Set once the pair stops being run: its first failure, or an output mismatch. */
  failure?: string;
}

const fmtMs = (ms: number): string => (ms >= 10000 ? ms.toFixed(0) : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const fmtX = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) + '×';

function gitCommit(): string {
  try {
    // In a worktree .git is a file naming its git dir; refs are in the common dir.
    let gitDir = join(repoRoot, '.git');
    let common = gitDir;
    if (statSync(gitDir).isFile()) {
      gitDir = resolve(repoRoot, readFileSync(gitDir, 'utf8').trim().replace(/^gitdir: /, ''));
      const c = join(gitDir, 'commondir');
      common = existsSync(c) ? resolve(gitDir, readFileSync(c, 'utf8').trim()) : gitDir;
    }
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head.slice(0, 12);
    const ref = head.slice(5);
    const p = join(common, ref);
    if (existsSync(p)) return readFileSync(p, 'utf8').trim().slice(0, 12);
    const packed = readFileSync(join(common, 'packed-refs'), 'utf8');
    const m = packed.split('\n').find((l) => l.endsWith(' ' + ref));
    return m ? m.slice(0, 12) : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const workloads = WORKLOADS.filter((w) => !o.only || o.only.includes(w.name));
  const cells = new Map<string, Cell>();
  const key = (e: string, w: string): string => `${e}/${w}`;
  for (const e of o.engines) for (const w of workloads) cells.set(key(e, w.name), { runs: [] });

  // Engines that cannot be loaded at all are reported once, not run.
  const unavailable = new Map<string, string>();
  if (o.engines.includes('kasane') && !existsSync(KASANE_NAMESPACE)) {
    unavailable.set('kasane', `not available: ${relative(repoRoot, KASANE_NAMESPACE)} does not exist`);
  }
  for (const w of workloads) {
    const f = join(repoRoot, 'bench', 'workloads', 'wasm', w.file);
    if (!existsSync(f)) throw new Error(`${relative(repoRoot, f)} is missing: run npm run bench:build`);
  }

  const reference = new Map<string, string>(); // workload -> expected stdout
  const started = Date.now();
  for (let rep = 0; rep < o.reps; rep++) {
    // Rotate the engine order each repetition so no engine always runs first.
    const order = o.engines.map((_, i) => o.engines[(i + rep) % o.engines.length]);
    for (const w of workloads) {
      for (const e of order) {
        if (unavailable.has(e)) continue;
        const cell = cells.get(key(e, w.name))!;
        if (cell.failure) continue;
        const r = await spawnRun(e, w, o.timeoutSec);
        if (!r.ok) {
          if (r.errorKind === 'unavailable') {
            unavailable.set(e, r.error ?? 'not available');
          } else {
            cell.failure = `${r.errorKind ?? 'error'}: ${r.error ?? 'unknown'}`;
          }
          process.stderr.write(`rep ${rep + 1}/${o.reps} ${w.name.padEnd(15)} ${e.padEnd(9)} FAILED ${r.error}\n`);
          continue;
        }
        // Native's output is the reference; the first good output stands in without it.
        if (e === 'native' || !reference.has(w.name)) {
          if (e === 'native' && reference.has(w.name) && reference.get(w.name) !== r.stdout) {
            // A different non-native engine went first: native decides; recheck all.
            for (const e2 of o.engines) {
              const c2 = cells.get(key(e2, w.name))!;
              if (e2 !== 'native' && c2.runs.some((x) => x.stdout !== r.stdout)) c2.failure = 'output differs from native';
            }
          }
          if (e === 'native' || !reference.has(w.name)) reference.set(w.name, r.stdout ?? '');
        }
        if (r.stdout !== reference.get(w.name)) {
          cell.failure = `output differs${e === 'native' ? ' between native runs' : ' from native'}: ${JSON.stringify((r.stdout ?? '').slice(0, 120))}`;
        }
        cell.runs.push(r);
        process.stderr.write(
          `rep ${rep + 1}/${o.reps} ${w.name.padEnd(15)} ${e.padEnd(9)} total ${fmtMs(r.totalMs!).padStart(7)} ms` +
            ` (compile ${fmtMs(r.compileMs!)}, instantiate ${fmtMs(r.instantiateMs!)}, run ${fmtMs(r.runMs!)})` +
            (cell.failure ? `  ${cell.failure}` : '') + '\n',
        );
      }
    }
  }
  const elapsedSec = (Date.now() - started) / 1000;

  // ---- report ----
  interface Stat { total: number; min: number; max: number; compile: number; inst: number; run: number; n: number; rss: number; cpu?: number }
  const stat = (e: string, w: string): Stat | undefined => {
    const c = cells.get(key(e, w));
    if (!c || c.failure || unavailable.has(e) || c.runs.length === 0) return undefined;
    const t = c.runs.map((r) => r.totalMs!);
    return {
      total: median(t), min: Math.min(...t), max: Math.max(...t),
      compile: median(c.runs.map((r) => r.compileMs!)), inst: median(c.runs.map((r) => r.instantiateMs!)),
      run: median(c.runs.map((r) => r.runMs!)), n: c.runs.length, rss: Math.max(...c.runs.map((r) => r.maxRssMB ?? 0)),
      cpu: c.runs.every((r) => r.runCpuMs !== undefined) ? median(c.runs.map((r) => r.runCpuMs!)) : undefined,
    };
  };

  const L: string[] = [];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  L.push('# Engine benchmark: Kasane vs native WebAssembly vs polywasm', '');
  L.push(`Generated by \`npm run bench:engine\` (bench/engine.ts) on ${new Date().toISOString()}.`, '');
  L.push(`- Host: Node ${process.version} (V8 ${process.versions.v8}), ${platform()} ${release()} ${arch()}, ${cpu} × ${cpus().length}`);
  L.push(`- Kasane commit: ${gitCommit()}; polywasm ${pkgVersion('polywasm')}`);
  L.push(`- ${o.reps} repetitions per configuration, one process per run, configurations interleaved round-robin (engine order rotated each repetition); wall time ${elapsedSec.toFixed(0)} s`);
  L.push('- **total** = `new WebAssembly.Module(bytes)` + `new WebAssembly.Instance(...)` + `_start()` to exit, in ms (the .wasm bytes are read before timing); compile/instantiate/run are medians of their own');
  L.push('- polywasm translates each function to JS lazily on its first call, so its translation cost lands in *run*, not *compile*');
  L.push('- Workloads are WASI preview1 commands served by the harness\'s own minimal WASI shim (bench/lib/wasi-shim.ts), identical for every engine; every run\'s stdout is checked against native\'s', '');

  L.push('## Workloads', '');
  L.push('| workload | source | argv | .wasm bytes | exercises |', '|---|---|---|---:|---|');
  for (const w of workloads) {
    const size = statSync(join(repoRoot, 'bench', 'workloads', 'wasm', w.file)).size;
    L.push(`| ${w.name} | bench/workloads/src/${w.source} | ${w.args.join(' ')} | ${size} | ${w.what} |`);
  }
  L.push('');

  L.push('## Results (median total ms, min–max)', '');
  const hdr = ['workload', ...o.engines.map((e) => `${e} total`)];
  const ratioCols: [string, string][] = [];
  for (const e of o.engines) if (e !== 'native' && o.engines.includes('native')) ratioCols.push([e, 'native']);
  if (o.engines.includes('kasane') && o.engines.includes('polywasm')) ratioCols.push(['kasane', 'polywasm']);
  hdr.push(...ratioCols.map(([a, b]) => `${a} / ${b}`));
  L.push('| ' + hdr.join(' | ') + ' |', '|' + hdr.map((_, i) => (i === 0 ? '---' : '---:')).join('|') + '|');
  const ratios = new Map<string, number[]>();
  const runRatios = new Map<string, number[]>();
  for (const w of workloads) {
    const row = [w.name];
    for (const e of o.engines) {
      const s = stat(e, w.name);
      if (s) row.push(`${fmtMs(s.total)} (${fmtMs(s.min)}–${fmtMs(s.max)}, n=${s.n})`);
      else if (unavailable.has(e)) row.push('not available');
      else row.push('failed (see below)');
    }
    for (const [a, b] of ratioCols) {
      const sa = stat(a, w.name);
      const sb = stat(b, w.name);
      if (sa && sb) {
        row.push(fmtX(sa.total / sb.total));
        const k = `${a}/${b}`;
        ratios.set(k, [...(ratios.get(k) ?? []), sa.total / sb.total]);
        runRatios.set(k, [...(runRatios.get(k) ?? []), sa.run / sb.run]);
      } else row.push('–');
    }
    L.push('| ' + row.join(' | ') + ' |');
  }
  if (ratioCols.length) {
    const row = ['**geometric mean**', ...o.engines.map(() => '')];
    for (const [a, b] of ratioCols) {
      const xs = ratios.get(`${a}/${b}`);
      row.push(xs?.length ? `**${fmtX(geomean(xs))}** (${xs.length} workloads)` : '–');
    }
    L.push('| ' + row.join(' | ') + ' |');
  }
  L.push('');
  if (ratioCols.some(([a, b]) => runRatios.get(`${a}/${b}`)?.length)) {
    L.push('Geometric mean of the run phase only (`_start` to exit, excluding compile and instantiate): ' +
      ratioCols.filter(([a, b]) => runRatios.get(`${a}/${b}`)?.length)
        .map(([a, b]) => `${a} / ${b} ${fmtX(geomean(runRatios.get(`${a}/${b}`)!))}`).join('; ') + '.', '');
  }

  // CPU time of the run phase: steadier than wall time when other processes share the cores.
  if (ratioCols.length && workloads.some((w) => o.engines.every((e) => stat(e, w.name)?.cpu !== undefined || !stat(e, w.name)))) {
    L.push('## Run phase CPU time (median ms, process CPU of `_start` to exit, all threads)', '');
    const h2 = ['workload', ...o.engines, ...ratioCols.map(([a, b]) => `${a} / ${b}`)];
    L.push('| ' + h2.join(' | ') + ' |', '|' + h2.map((_, i) => (i === 0 ? '---' : '---:')).join('|') + '|');
    const cpuRatios = new Map<string, number[]>();
    for (const w of workloads) {
      const row = [w.name, ...o.engines.map((e) => { const c = stat(e, w.name)?.cpu; return c === undefined ? '–' : fmtMs(c); })];
      for (const [a, b] of ratioCols) {
        const ca = stat(a, w.name)?.cpu, cb = stat(b, w.name)?.cpu;
        if (ca !== undefined && cb !== undefined) {
          row.push(fmtX(ca / cb));
          cpuRatios.set(`${a}/${b}`, [...(cpuRatios.get(`${a}/${b}`) ?? []), ca / cb]);
        } else row.push('–');
      }
      L.push('| ' + row.join(' | ') + ' |');
    }
    const row = ['**geometric mean**', ...o.engines.map(() => '')];
    for (const [a, b] of ratioCols) {
      const xs = cpuRatios.get(`${a}/${b}`);
      row.push(xs?.length ? `**${fmtX(geomean(xs))}** (${xs.length} workloads)` : '–');
    }
    L.push('| ' + row.join(' | ') + ' |', '');
  }

  L.push('## Phases (medians, ms) and peak RSS', '');
  L.push('| workload | engine | compile | instantiate | run | total | peak RSS MB |', '|---|---|---:|---:|---:|---:|---:|');
  for (const w of workloads) {
    for (const e of o.engines) {
      const s = stat(e, w.name);
      if (s) L.push(`| ${w.name} | ${e} | ${fmtMs(s.compile)} | ${fmtMs(s.inst)} | ${fmtMs(s.run)} | ${fmtMs(s.total)} | ${s.rss} |`);
    }
  }
  L.push('');

  L.push('## Failures and unavailable engines', '');
  let any = false;
  for (const [e, why] of unavailable) {
    L.push(`- **${e}**: ${why}`);
    any = true;
  }
  for (const w of workloads) {
    for (const e of o.engines) {
      const c = cells.get(key(e, w.name))!;
      if (c.failure && !unavailable.has(e)) {
        L.push(`- **${e} / ${w.name}**: ${c.failure}`);
        any = true;
      }
    }
  }
  if (!any) L.push('None.');
  L.push('');

  L.push('## Reference outputs (native)', '');
  for (const w of workloads) {
    const ref = reference.get(w.name);
    const agree = o.engines.filter((e) => { const c = cells.get(key(e, w.name))!; return !c.failure && c.runs.length > 0; });
    L.push(`- ${w.name} (identical on: ${agree.join(', ') || 'none'}): \`${summarize(ref)}\``);
  }
  L.push('');

  const report = L.join('\n') + '\n';
  process.stdout.write(report);
  if (o.out) {
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, report);
    process.stderr.write(`wrote ${relative(repoRoot, o.out)}\n`);
  }
}

/** A one-line form of a workload's output: all lines, or the first and last when long. */
function summarize(out: string | undefined): string {
  const lines = (out ?? '(none)').trim().replace(/\t/g, ' ').split('\n');
  const all = lines.join(' / ');
  return all.length <= 200 ? all : `${lines[0]} / … / ${lines[lines.length - 1]}`;
}

function pkgVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '(not installed)';
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
