// Runs ONE workload on ONE engine in this process and prints a single result line
// ("@@RESULT {json}") on stdout. Spawned by bench/engine.ts, one process per run, so JIT
// state never leaks between engines or repetitions.
// Usage: node dist/bench/lib/run-one.js <native|polywasm|kasane> <workload> [arg ...]
// (extra args replace the workload's default argv.)

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ProcExit, WasiShim } from './wasi-shim.js';
import type { WasmApi, WasmMemoryLike } from './wasm-api.js';
import { findWorkload } from './workloads.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench/lib
const repoRoot = resolve(here, '..', '..', '..');
export const KASANE_NAMESPACE = join(repoRoot, 'dist', 'src', 'api', 'namespace.js');

export interface RunResult {
  engine: string;
  workload: string;
  ok: boolean;
  /** 'unavailable' when the engine itself could not be loaded. */
  errorKind?: 'unavailable' | 'compile' | 'instantiate' | 'run' | 'exit';
  error?: string;
  exitCode?: number;
  compileMs?: number;
  instantiateMs?: number;
  runMs?: number;
  /** compile + instantiate + run, to exit. */
  totalMs?: number;
  /** CPU time of the process (all threads: V8 compiles concurrently) during the run phase. */
  runCpuMs?: number;  /**
   * With BENCH_PRETRANSLATE=1 (Kasane only): CPU time of translating every function to JS
   * before _start runs (bench/fixed-cost.ts), which runCpuMs then leaves out.
   */
  pretranslateCpuMs?: number;
  stdout?: string;
  stderr?: string;
  maxRssMB?: number;
}

/** Translates every defined function of a Kasane Module now (their first calls then only parse). */
async function pretranslate(module: unknown): Promise<number> {
  const mod = (await import(pathToFileURL(KASANE_NAMESPACE).href)) as {
    internals: { compiledOf(m: unknown): { module: { funcs: unknown[] }; source(idx: number): string } | undefined };
  };
  const cm = mod.internals.compiledOf(module);
  if (!cm) throw new Error('not a Kasane module');
  const first = funcImports(cm.module);
  const c0 = process.cpuUsage();
  for (let k = 0; k < cm.module.funcs.length; k++) cm.source(first + k);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

function funcImports(m: unknown): number {
  return (m as { imports: { desc: { kind: string } }[] }).imports.filter((i) => i.desc.kind === 'func').length;
}

export async function loadEngine(engine: string): Promise<WasmApi> {
  if (engine === 'native') {
    return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  }
  if (engine === 'polywasm') {
    const spec = 'polywasm'; // untyped package: a variable specifier keeps tsc from resolving it
    const mod = (await import(spec)) as { WebAssembly?: WasmApi };
    if (!mod.WebAssembly) throw new Error('polywasm has no WebAssembly export');
    return mod.WebAssembly;
  }
  if (engine === 'kasane') {
    if (!existsSync(KASANE_NAMESPACE)) throw new Error(`not available (${KASANE_NAMESPACE} does not exist)`);
    const mod = (await import(pathToFileURL(KASANE_NAMESPACE).href)) as { WebAssembly?: WasmApi };
    if (!mod.WebAssembly) throw new Error('not available (namespace.js has no WebAssembly export)');
    return mod.WebAssembly;
  }
  throw new Error(`unknown engine ${engine}`);
}

function msg(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

async function main(): Promise<void> {
  const [engine, name, ...extra] = process.argv.slice(2);
  if (!engine || !name) throw new Error('usage: run-one.js <engine> <workload> [arg ...]');
  const w = findWorkload(name);
  const result: RunResult = { engine, workload: name, ok: false };
  const emit = (): void => {
    result.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stdout.write('@@RESULT ' + JSON.stringify(result) + '\n');
  };

  let api: WasmApi;
  try {
    api = await loadEngine(engine);
  } catch (e) {
    result.errorKind = 'unavailable';
    const m = msg(e);
    result.error = m.includes('not available') ? m : `not available: ${m}`;
    return emit();
  }
  const bytes = new Uint8Array(readFileSync(join(repoRoot, 'bench', 'workloads', 'wasm', w.file)));
  const shim = new WasiShim({ args: [w.file.replace(/\.wasm$/, ''), ...(extra.length ? extra : w.args)] });

  const t0 = performance.now();
  let module: unknown;
  try {
    module = new api.Module(bytes);
  } catch (e) {
    result.errorKind = 'compile';
    result.error = msg(e);
    return emit();
  }
  if (engine === 'kasane' && process.env.BENCH_PRETRANSLATE === '1') result.pretranslateCpuMs = await pretranslate(module);
  const t1 = performance.now();
  let exports: Record<string, unknown>;
  try {
    exports = new api.Instance(module, shim.imports).exports;
    shim.setMemory(exports.memory as WasmMemoryLike);
  } catch (e) {
    result.errorKind = 'instantiate';
    result.error = msg(e);
    return emit();
  }
  const t2 = performance.now();
  const cpu0 = process.cpuUsage();
  let code = 0;
  try {
    (exports._start as () => void)();
  } catch (e) {
    if (e instanceof ProcExit) {
      code = e.code;
    } else {
      result.errorKind = 'run';
      result.error = msg(e);
      result.stdout = shim.stdout();
      result.stderr = shim.stderr();
      return emit();
    }
  }
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  result.runCpuMs = (cpu.user + cpu.system) / 1000;
  result.exitCode = code;
  result.compileMs = t1 - t0;
  result.instantiateMs = t2 - t1;
  result.runMs = t3 - t2;
  result.totalMs = t3 - t0;
  result.stdout = shim.stdout();
  result.stderr = shim.stderr();
  if (code !== 0) {
    result.errorKind = 'exit';
    result.error = `exit code ${code}`;
  } else {
    result.ok = true;
  }
  emit();
}

// Only when run as a script (engine.ts imports KASANE_NAMESPACE from here).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stdout.write('@@RESULT ' + JSON.stringify({ ok: false, errorKind: 'run', error: msg(e) }) + '\n');
    process.exitCode = 1;
  });
}
