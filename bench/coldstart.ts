// Cold start of a large module: bytes -> first call, each run in a fresh process (no JIT state,
// nothing cached), Kasane's phases against native V8.
//
// Phases (Kasane, engine entry points, the same work `new WebAssembly.Module` + `new Instance`
// do): decode (binary/decode.ts), validate (validate/), compile (engine/compile.ts),
// instantiate (engine/instantiate.ts) and first call: the module's export `run` (Go's entry
// point) until its first call of an import, which throws to stop it there. The first call
// translates `run` and the functions it calls ahead of their first call (instantiate.ts).
// Native: `new WebAssembly.Module`, `new WebAssembly.Instance`, the same first call.
//
// Usage: node dist/bench/coldstart.js [--runs N] [--wasm FILE] [--export NAME] [--baseline DIR]
//          [--out FILE | --no-write]
// --baseline DIR also runs the Kasane of another built checkout (DIR/dist), interleaved: a
// before/after comparison under the same machine load.
// Writes bench/results/coldstart.md as well as standard output.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
const repoRoot = resolve(here, '..', '..');
const src = join(repoRoot, 'dist', 'src');

const PHASES = ['decode', 'validate', 'compile', 'instantiate', 'firstCall'] as const;
type Key = typeof PHASES[number] | 'module' | 'total';
type Times = Partial<Record<Key, number>>;
/** One run: wall-clock and CPU ms (all threads of the process) per phase. */
interface Run { wall: Times; cpu: Times }

class Stop extends Error {}

interface NativeApi {
  Module: { new (bytes: Uint8Array): object; imports(m: object): { module: string; name: string; kind: string }[] };
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}

/** Import object entries / resolved imports whose every function throws Stop. */
function importNames(imports: readonly { module: string; name: string; kind: string }[]): Record<string, Record<string, unknown>> {
  const o: Record<string, Record<string, unknown>> = {};
  for (const i of imports) {
    if (i.kind !== 'function') throw new Error(`cold start bench: import ${i.module}.${i.name} is a ${i.kind}`);
    (o[i.module] ??= {})[i.name] = () => { throw new Stop(); };
  }
  return o;
}

function firstCall(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
}

/** Records phases as they end: wall-clock and CPU time (every thread: V8 compiles and collects on helper threads). */
class Clock {
  readonly run: Run = { wall: {}, cpu: {} };
  private t = performance.now();
  private c = process.cpuUsage();
  private readonly t0 = this.t;
  private readonly c0 = this.c;
  private cpuMs(from: NodeJS.CpuUsage): number {
    const u = process.cpuUsage(from);
    return (u.user + u.system) / 1000;
  }
  phase(k: Key): void {
    const t = performance.now(), c = process.cpuUsage();
    this.run.wall[k] = t - this.t;
    this.run.cpu[k] = this.cpuMs(this.c);
    this.t = t;
    this.c = c;
  }
  /** A phase that is the sum of earlier ones. */
  span(k: Key, parts: Key[]): void {
    this.run.wall[k] = parts.reduce((a, p) => a + (this.run.wall[p] ?? 0), 0);
    this.run.cpu[k] = parts.reduce((a, p) => a + (this.run.cpu[p] ?? 0), 0);
  }
  end(): Run {
    this.run.wall.total = performance.now() - this.t0;
    this.run.cpu.total = this.cpuMs(this.c0);
    return this.run;
  }
}

async function child(engine: string, file: string, exportName: string): Promise<Run> {
  const bytes = new Uint8Array(readFileSync(file));
  if (engine === 'native') {
    const W = (globalThis as unknown as { WebAssembly: NativeApi }).WebAssembly;
    const clock = new Clock();
    const mod = new W.Module(bytes);
    clock.phase('module');
    const inst = new W.Instance(mod, importNames(W.Module.imports(mod)));
    clock.phase('instantiate');
    firstCall(inst.exports[exportName] as () => unknown);
    clock.phase('firstCall');
    return clock.end();
  }
  const load = async <T>(p: string): Promise<T> => (await import(pathToFileURL(join(src, p)).href)) as T;
  const { decodeModule } = await load<typeof import('../src/binary/decode.js')>('binary/decode.js');
  const { validateModule } = await load<typeof import('../src/validate/validate.js')>('validate/validate.js');
  const { compileModule } = await load<typeof import('../src/engine/compile.js')>('engine/compile.js');
  const { instantiateModule } = await load<typeof import('../src/engine/instantiate.js')>('engine/instantiate.js');
  const { canonicalTypeId } = await load<typeof import('../src/engine/typeids.js')>('engine/typeids.js');
  const clock = new Clock();
  const m = decodeModule(bytes);
  clock.phase('decode');
  validateModule(m);
  clock.phase('validate');
  const cm = compileModule(m);
  clock.phase('compile');
  clock.span('module', ['decode', 'validate', 'compile']);
  const imports = m.imports.map((imp) => {
    if (imp.desc.kind !== 'func') throw new Error(`cold start bench: import ${imp.module}.${imp.name} is a ${imp.desc.kind}`);
    const type = cm.info.types[imp.desc.typeIdx]!;
    const call = (): never => { throw new Stop(); };
    return { kind: 'func' as const, func: { type, typeId: canonicalTypeId(type), call } };
  });
  const inst = instantiateModule(cm, imports);
  clock.phase('instantiate');
  const ev = inst.exports.get(exportName);
  if (ev?.kind !== 'func') throw new Error(`no exported function ${exportName}`);
  const ref = ev.func;
  firstCall(() => ref.call(...ref.type.params.map((p) => (p === 'i64' ? 0n : 0))));
  clock.phase('firstCall');
  return clock.end();
}

/** The checked-out commit of a directory, or '?'. */
function commitOf(dir: string): string {
  const p = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  return p.status === 0 ? p.stdout.trim() : '?';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const t = await child(argv[1], argv[2], argv[3]);
    process.stdout.write('@@RESULT ' + JSON.stringify(t) + '\n');
    return;
  }
  let runs = 9;
  let file = join(repoRoot, 'node_modules', 'esbuild-wasm', 'esbuild.wasm');
  let exportName = 'run';
  let out: string | undefined = join(repoRoot, 'bench', 'results', 'coldstart.md');
  let baseline: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') runs = Number(argv[++i]);
    else if (a === '--wasm') file = resolve(argv[++i]);
    else if (a === '--export') exportName = argv[++i];
    else if (a === '--out') out = resolve(argv[++i]);
    else if (a === '--no-write') out = undefined;
    else if (a === '--baseline') baseline = resolve(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  // 'baseline' is the other checkout's Kasane, run by its own copy of this script.
  const engines = baseline === undefined ? ['native', 'kasane'] : ['native', 'baseline', 'kasane'];
  const results: Record<string, Run[]> = Object.fromEntries(engines.map((e) => [e, []]));
  for (let r = 0; r < runs; r++) {
    for (const engine of r % 2 ? [...engines].reverse() : engines) {
      const script = engine === 'baseline' ? join(baseline!, 'dist', 'bench', 'coldstart.js') : fileURLToPath(import.meta.url);
      const p = spawnSync(process.execPath, [script, '--child', engine === 'baseline' ? 'kasane' : engine, file, exportName], { encoding: 'utf8' });
      const line = p.stdout.split('\n').find((l) => l.startsWith('@@RESULT '));
      if (!line) throw new Error(`${engine} run failed: ${p.stderr}`);
      results[engine].push(JSON.parse(line.slice(9)) as Run);
    }
  }
  const med = (engine: string, clock: keyof Run, k: Key): number => median(results[engine].map((t) => t[clock][k] ?? NaN));
  const size = readFileSync(file).length;
  const lines: string[] = [];
  lines.push('# Cold start: bytes to first call, fresh process per run');
  lines.push('');
  lines.push(`Generated by \`node dist/bench/coldstart.js\` (bench/coldstart.ts) on ${new Date().toISOString()}.`);
  lines.push('');
  lines.push(`- Module: ${relative(repoRoot, file)} (${(size / 2 ** 20).toFixed(2)} MiB); first call: export \`${exportName}\` until its first import call`);
  lines.push(`- Host: Node ${process.version}, ${process.platform}/${process.arch}, ${cpus()[0]?.model ?? '?'} x ${cpus().length}`);
  lines.push(`- ${runs} runs per engine, each in a fresh process, engines interleaved; medians in ms`);
  if (baseline !== undefined) lines.push(`- *baseline*: Kasane as built in ${baseline} (commit ${commitOf(baseline)})`);
  lines.push('- *module* = decode + validate + compile, what `new WebAssembly.Module` does; native has no finer split');
  lines.push('- CPU ms count every thread of the process (V8 compiles and collects garbage on helper threads); on a busy ' +
    'machine they vary less than wall-clock times');
  for (const clock of ['wall', 'cpu'] as const) {
    lines.push('');
    lines.push(clock === 'wall' ? '## Wall-clock ms' : '## CPU ms');
    lines.push('');
    lines.push('| engine | decode | validate | compile | module | instantiate | first call | total |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const e of engines) {
      lines.push(`| ${e} | ${PHASES.slice(0, 3).map((k) => f1(med(e, clock, k))).join(' | ')} | ${f1(med(e, clock, 'module'))} | ` +
        `${f1(med(e, clock, 'instantiate'))} | ${f1(med(e, clock, 'firstCall'))} | ${f1(med(e, clock, 'total'))} |`);
    }
    lines.push('');
    for (const e of engines.slice(1)) {
      const k = med(e, clock, 'total');
      lines.push(`${e === 'kasane' ? 'Kasane' : 'Baseline'} total / native module: **${(k / med('native', clock, 'module')).toFixed(2)}x**; ` +
        `total / native total: **${(k / med('native', clock, 'total')).toFixed(2)}x**.`);
    }
  }
  lines.push('');
  lines.push('Kasane wall-clock totals of each run: ' + results.kasane.map((t) => f1(t.wall.total ?? NaN)).join(', '));
  lines.push('');
  lines.push('Kasane CPU totals of each run: ' + results.kasane.map((t) => f1(t.cpu.total ?? NaN)).join(', '));
  const text = lines.join('\n') + '\n';
  process.stdout.write(text);
  if (out) writeFileSync(out, text);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
