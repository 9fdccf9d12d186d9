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
// Usage: node dist/bench/coldstart.js [--runs N] [--wasm FILE] [--export NAME] [--out FILE | --no-write]
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
type Phase = typeof PHASES[number];
type Times = Partial<Record<Phase | 'module' | 'total', number>>;

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

async function child(engine: string, file: string, exportName: string): Promise<Times> {
  const bytes = new Uint8Array(readFileSync(file));
  const t: Times = {};
  if (engine === 'native') {
    const W = (globalThis as unknown as { WebAssembly: NativeApi }).WebAssembly;
    const t0 = performance.now();
    const mod = new W.Module(bytes);
    const t1 = performance.now();
    const inst = new W.Instance(mod, importNames(W.Module.imports(mod)));
    const t2 = performance.now();
    firstCall(inst.exports[exportName] as () => unknown);
    const t3 = performance.now();
    Object.assign(t, { module: t1 - t0, instantiate: t2 - t1, firstCall: t3 - t2, total: t3 - t0 });
    return t;
  }
  const load = async <T>(p: string): Promise<T> => (await import(pathToFileURL(join(src, p)).href)) as T;
  const { decodeModule } = await load<typeof import('../src/binary/decode.js')>('binary/decode.js');
  const { validateModule } = await load<typeof import('../src/validate/validate.js')>('validate/validate.js');
  const { compileModule } = await load<typeof import('../src/engine/compile.js')>('engine/compile.js');
  const { instantiateModule } = await load<typeof import('../src/engine/instantiate.js')>('engine/instantiate.js');
  const { canonicalTypeId } = await load<typeof import('../src/engine/typeids.js')>('engine/typeids.js');
  const t0 = performance.now();
  const m = decodeModule(bytes);
  const t1 = performance.now();
  validateModule(m);
  const t2 = performance.now();
  const cm = compileModule(m);
  const t3 = performance.now();
  const imports = m.imports.map((imp) => {
    if (imp.desc.kind !== 'func') throw new Error(`cold start bench: import ${imp.module}.${imp.name} is a ${imp.desc.kind}`);
    const type = cm.info.types[imp.desc.typeIdx]!;
    const call = (): never => { throw new Stop(); };
    return { kind: 'func' as const, func: { type, typeId: canonicalTypeId(type), call } };
  });
  const inst = instantiateModule(cm, imports);
  const t4 = performance.now();
  const ev = inst.exports.get(exportName);
  if (ev?.kind !== 'func') throw new Error(`no exported function ${exportName}`);
  const ref = ev.func;
  firstCall(() => ref.call(...ref.type.params.map((p) => (p === 'i64' ? 0n : 0))));
  const t5 = performance.now();
  Object.assign(t, { decode: t1 - t0, validate: t2 - t1, compile: t3 - t2, instantiate: t4 - t3, firstCall: t5 - t4, module: t3 - t0, total: t5 - t0 });
  return t;
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
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') runs = Number(argv[++i]);
    else if (a === '--wasm') file = resolve(argv[++i]);
    else if (a === '--export') exportName = argv[++i];
    else if (a === '--out') out = resolve(argv[++i]);
    else if (a === '--no-write') out = undefined;
    else throw new Error(`unknown option ${a}`);
  }
  const results: Record<string, Times[]> = { native: [], kasane: [] };
  for (let r = 0; r < runs; r++) {
    for (const engine of r % 2 ? ['kasane', 'native'] : ['native', 'kasane']) {
      const p = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', engine, file, exportName], { encoding: 'utf8' });
      const line = p.stdout.split('\n').find((l) => l.startsWith('@@RESULT '));
      if (!line) throw new Error(`${engine} run failed: ${p.stderr}`);
      results[engine].push(JSON.parse(line.slice(9)) as Times);
    }
  }
  const med = (engine: string, k: keyof Times): number => median(results[engine].map((t) => t[k] ?? NaN));
  const size = readFileSync(file).length;
  const lines: string[] = [];
  lines.push('# Cold start: bytes to first call, fresh process per run');
  lines.push('');
  lines.push(`Generated by \`node dist/bench/coldstart.js\` (bench/coldstart.ts) on ${new Date().toISOString()}.`);
  lines.push('');
  lines.push(`- Module: ${relative(repoRoot, file)} (${(size / 2 ** 20).toFixed(2)} MiB); first call: export \`${exportName}\` until its first import call`);
  lines.push(`- Host: Node ${process.version}, ${process.platform}/${process.arch}, ${cpus()[0]?.model ?? '?'} x ${cpus().length}`);
  lines.push(`- ${runs} runs per engine, each in a fresh process, engines interleaved; medians in ms`);
  lines.push('');
  lines.push('| engine | decode | validate | compile | module total | instantiate | first call | total |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const e of ['native', 'kasane']) {
    lines.push(`| ${e} | ${f1(med(e, 'decode'))} | ${f1(med(e, 'validate'))} | ${f1(med(e, 'compile'))} | ${f1(med(e, 'module'))} | ` +
      `${f1(med(e, 'instantiate'))} | ${f1(med(e, 'firstCall'))} | ${f1(med(e, 'total'))} |`);
  }
  lines.push('');
  const k = med('kasane', 'total');
  lines.push(`Kasane total / native \`new WebAssembly.Module\`: **${(k / med('native', 'module')).toFixed(2)}x**; ` +
    `Kasane total / native total: **${(k / med('native', 'total')).toFixed(2)}x**.`);
  lines.push('');
  lines.push('Kasane totals (ms) of each run: ' + results.kasane.map((t) => f1(t.total ?? NaN)).join(', '));
  const text = lines.join('\n') + '\n';
  process.stdout.write(text);
  if (out) writeFileSync(out, text);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
