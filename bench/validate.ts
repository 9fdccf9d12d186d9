// Times Kasane's decode + validate against the host's WebAssembly.validate on the same bytes,
// in the same process, interleaved (so both see the same machine state), after a warm-up.
// Usage: node dist/bench/validate.js [--reps N] [--warmup N] [FILE.wasm ...]
// Writes the report to bench/results/validate.md as well as to standard output.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arch, cpus, platform } from 'node:os';
import { decodeModule } from '../src/binary/decode.js';

const collectGarbage = (globalThis as { gc?: () => void }).gc;
import { validateModule } from '../src/validate/validate.js';

/** The host's validator (the ES2022 lib has no WebAssembly typings). */
const hostWasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Options {
  reps: number;
  warmup: number;
  files: string[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = { reps: 15, warmup: 3, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a positive integer`);
      return v;
    };
    if (a === '--reps') o.reps = num();
    else if (a === '--warmup') o.warmup = num();
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else o.files.push(a);
  }
  return o;
}

/** Large modules installed under node_modules (esbuild.wasm first), as benchmark inputs. */
function findModules(): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 6) return;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p, depth + 1);
      else if (e.endsWith('.wasm') && st.size >= 256 * 1024) found.push(p);
    }
  };
  walk(join(repoRoot, 'node_modules'), 0);
  return found.sort((a, b) => Number(b.endsWith('esbuild.wasm')) - Number(a.endsWith('esbuild.wasm')) || a.localeCompare(b));
}

interface Stats {
  median: number;
  min: number;
  max: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

interface Result {
  name: string;
  size: number;
  decode: Stats;
  validate: Stats;
  kasane: Stats;
  v8: Stats;
  v8Valid: boolean;
  error?: string;
}

function benchOne(file: string, o: Options): Result {
  const bytes = new Uint8Array(readFileSync(file));
  const name = relative(repoRoot, file);
  const dec: number[] = [];
  const val: number[] = [];
  const tot: number[] = [];
  const v8: number[] = [];
  let v8Valid = true;
  let error: string | undefined;
  for (let i = 0; i < o.warmup + o.reps; i++) {
    // Alternate which runs first, so neither always inherits the other's GC debt.
    const order = i % 2 === 0 ? ['k', 'v'] : ['v', 'k'];
    for (const which of order) {
      // Each timed run starts from a collected heap (with --expose-gc, as `npm run bench` runs
      // it), so neither side pays for the garbage of the run before it.
      collectGarbage?.();
      if (which === 'v') {
        const t0 = performance.now();
        v8Valid = hostWasm.validate(bytes);
        const t1 = performance.now();
        if (i >= o.warmup) v8.push(t1 - t0);
      } else {
        const t0 = performance.now();
        let t1 = t0;
        try {
          const m = decodeModule(bytes);
          t1 = performance.now();
          validateModule(m);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
        const t2 = performance.now();
        if (i >= o.warmup) {
          dec.push(t1 - t0);
          val.push(t2 - t1);
          tot.push(t2 - t0);
        }
      }
    }
  }
  return { name, size: bytes.length, decode: stats(dec), validate: stats(val), kasane: stats(tot), v8: stats(v8), v8Valid, error };
}

const ms = (x: number): string => x.toFixed(1);
const mbps = (size: number, t: number): string => (size / 2 ** 20 / (t / 1000)).toFixed(1);

function report(results: Result[], o: Options): string {
  const lines: string[] = [];
  lines.push('# Validation benchmark: Kasane decode + validate vs V8 `WebAssembly.validate`', '');
  lines.push(`Node ${process.version} (V8 ${process.versions.v8}), ${platform()}/${arch()}, ${cpus()[0]?.model ?? 'unknown CPU'}.`);
  lines.push(`${o.reps} interleaved repetitions after ${o.warmup} warm-up runs each; times are wall-clock ms, same process${collectGarbage ? ', each run starting from a collected heap' : ''}. Generated by \`npm run bench\`.`, '');
  lines.push('| module | size | Kasane median (min-max) | Kasane MiB/s | V8 median (min-max) | V8 MiB/s | Kasane / V8 |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    lines.push(`| ${r.name} | ${(r.size / 2 ** 20).toFixed(2)} MiB | ${ms(r.kasane.median)} (${ms(r.kasane.min)}-${ms(r.kasane.max)}) | ${mbps(r.size, r.kasane.median)} | ${ms(r.v8.median)} (${ms(r.v8.min)}-${ms(r.v8.max)}) | ${mbps(r.size, r.v8.median)} | ${(r.kasane.median / r.v8.median).toFixed(2)}x |`);
  }
  const geo = Math.exp(results.reduce((s, r) => s + Math.log(r.kasane.median / r.v8.median), 0) / results.length);
  lines.push('', `Geometric mean of Kasane / V8: **${geo.toFixed(2)}x** (target: within 3x).`, '');
  lines.push('Split of Kasane\'s time (medians):', '');
  lines.push('| module | decode ms | decode MiB/s | validate ms | validate MiB/s |');
  lines.push('| --- | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    lines.push(`| ${r.name} | ${ms(r.decode.median)} | ${mbps(r.size, r.decode.median)} | ${ms(r.validate.median)} | ${mbps(r.size, r.validate.median)} |`);
  }
  const notes = results.filter((r) => r.error || !r.v8Valid);
  if (notes.length) {
    lines.push('', 'Notes:', '');
    for (const r of notes) {
      if (r.error) lines.push(`- ${r.name}: Kasane rejected it: ${r.error}`);
      if (!r.v8Valid) lines.push(`- ${r.name}: V8 rejected it.`);
    }
  }
  return lines.join('\n') + '\n';
}

function main(): number {
  let o: Options;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  const files = o.files.length ? o.files.map((f) => resolve(f)) : findModules();
  if (files.length === 0) {
    process.stderr.write('bench: no large .wasm modules found (install esbuild-wasm: npm install)\n');
    return 1;
  }
  const results: Result[] = [];
  for (const f of files) {
    if (!existsSync(f)) {
      process.stderr.write(`bench: ${f}: no such file\n`);
      return 1;
    }
    process.stderr.write(`benchmarking ${basename(f)}...\n`);
    results.push(benchOne(f, o));
  }
  const text = report(results, o);
  process.stdout.write(text);
  const out = join(repoRoot, 'bench', 'results', 'validate.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  process.stderr.write(`wrote ${relative(process.cwd(), out)}\n`);
  return 0;
}

process.exitCode = main();
