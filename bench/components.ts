// Component benchmark: Kasane (each backend) against jco (transpile, then load) on the
// componentize-js test component (test/component/js/types.*, about 13 MB with SpiderMonkey
// inside; built into .cache/components/ by test/component/js/build.mjs).
//
// Cold start: bytes in memory -> the first call's result, one fresh process per sample.
//   Kasane: decode, validate + instantiate (compiling the core modules), first call.
//   jco: transpile (jco's API, in process), write the output to a temporary directory, import the
//   generated JS, compile and instantiate its core modules, first call. Also shown: jco loading
//   output transpiled ahead of time (not the target; for reference).
// Call throughput (one process per runtime, after warm-up): `echo-string` (a string lowered into
// the guest, lowered again to a host import, lifted back twice) and `id-words` (a list<u32> of
// 100,000 items into the guest and back); calls per second from the median time of one call. The
// process's CPU time is no better a measure here: V8 keeps compiling the 13 MB guest on background
// threads for seconds. The same two operations also run on bench/components/abi.wat, a component
// whose guest does nothing (the canonical ABI alone), built with jco's `parse` into
// .cache/components/ when missing.
//
// Usage: node dist/bench/components.js [--runs N] [--rounds N] [--ms MS] [--no-write]
// Writes bench/results/components.md as well as standard output.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
const root = resolve(here, '..', '..');
const cache = join(root, '.cache', 'components');
const wasmPath = join(cache, 'types.component.wasm');
const jcoDir = join(cache, 'jco-types');
const abiPath = join(cache, 'abi.component.wasm');
const jcoAbiDir = join(cache, 'jco-abi');
type Subject = 'types' | 'abi';

type Api = Record<string, (...a: unknown[]) => unknown>;
const HostWasm = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<unknown> } }).WebAssembly;

/** The host import: identity functions (only h-string is called here). */
function hostImports(): Record<string, unknown> {
  const api: Record<string, (x: unknown) => unknown> = {};
  for (const n of ['Bool', 'U8', 'S8', 'U16', 'S16', 'U32', 'S32', 'U64', 'S64', 'F32', 'F64', 'Char', 'String', 'Bytes', 'Words', 'Strings', 'Point', 'Tuple', 'Shape', 'Color', 'Option', 'Result', 'Perms']) api[`h${n}`] = (x) => x;
  return { 'test:types/host': api };
}

type Runtime = 'kasane' | 'native' | 'jco' | 'jco-load';
type Phases = Record<string, number>;

async function loadJco(dir: string, files?: Record<string, Uint8Array>, subject: Subject = 'types'): Promise<Api> {
  const mod = await import(pathToFileURL(join(dir, `${subject}.js`)).href) as { instantiate(get: (p: string) => Promise<unknown>, imports: unknown): Promise<Record<string, Api>> };
  const x = await mod.instantiate((p) => HostWasm.compile(files?.[p] ?? readFileSync(join(dir, p))), subject === 'abi' ? abiImports() : hostImports());
  return x.api;
}

const abiImports = () => ({ 'test:abi/host': { hString: (x: unknown) => x } });

/** The ABI-only component's API on a runtime (already built). */
async function loadAbi(runtime: Runtime): Promise<Api> {
  if (runtime === 'jco-load') return loadJco(jcoAbiDir, undefined, 'abi');
  const { instantiateComponent } = await import(pathToFileURL(join(root, 'dist', 'src', 'index.js')).href) as typeof import('../src/index.js');
  return instantiateComponent(readFileSync(abiPath), abiImports(), { engine: runtime as 'kasane' | 'native' }).exports['test:abi/api'] as Api;
}

/** Builds the ABI-only component (jco parse) and its jco transpile output when missing. */
async function buildAbi(): Promise<void> {
  if (existsSync(abiPath) && existsSync(join(jcoAbiDir, 'abi.js'))) return;
  const jco = await import('@bytecodealliance/jco') as unknown as {
    parse(wat: string): Promise<Uint8Array>;
    transpile(b: Uint8Array, o: object): Promise<{ files: Record<string, Uint8Array> }>;
  };
  const bytes = await jco.parse(readFileSync(join(root, 'bench', 'components', 'abi.wat'), 'utf8'));
  writeFileSync(abiPath, bytes);
  const { files } = await jco.transpile(bytes, { name: 'abi', instantiation: 'async', quiet: true });
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(jcoAbiDir, name)), { recursive: true });
    writeFileSync(join(jcoAbiDir, name), data);
  }
}

async function load(runtime: Runtime, bytes: Uint8Array, phases: Phases): Promise<Api> {
  let t = performance.now();
  const lap = (name: string) => { const n = performance.now(); phases[name] = n - t; t = n; };
  if (runtime === 'kasane' || runtime === 'native') {
    const { decodeComponent, instantiateComponent } = await import(pathToFileURL(join(root, 'dist', 'src', 'index.js')).href) as typeof import('../src/index.js');
    t = performance.now();
    const c = decodeComponent(bytes);
    lap('decode');
    const api = instantiateComponent(c, hostImports(), { engine: runtime }).exports['test:types/api'] as Api;
    lap('validate+instantiate');
    return api;
  }
  if (runtime === 'jco-load') {
    const api = await loadJco(jcoDir);
    lap('load+instantiate');
    return api;
  }
  const { transpile } = await import('@bytecodealliance/jco') as unknown as { transpile(b: Uint8Array, o: object): Promise<{ files: Record<string, Uint8Array> }> };
  t = performance.now();
  const { files } = await transpile(bytes, { name: 'types', instantiation: 'async', quiet: true });
  lap('transpile');
  const dir = mkdtempSync(join(tmpdir(), 'kasane-jco-'));
  try {
    for (const [name, data] of Object.entries(files)) if (name.endsWith('.js')) writeFileSync(join(dir, name), data);
    // The core modules compile from memory (jco's getCoreModule may read them any way it likes).
    const api = await loadJco(dir, files);
    lap('load+instantiate');
    return api;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One cold-start sample (in a fresh process): phases and the total to the first call's result. */
async function coldChild(runtime: Runtime): Promise<Phases> {
  const bytes = readFileSync(wasmPath);
  const phases: Phases = {};
  const t0 = performance.now();
  const api = await load(runtime, bytes, phases);
  const t1 = performance.now();
  if (api.reverseString('cold') !== 'dloc') throw new Error('wrong first result');
  phases['first call'] = performance.now() - t1;
  phases.total = performance.now() - t0;
  return phases;
}

const WORDS = new Uint32Array(100_000).map((_, i) => i * 7);
const TEXT = 'Kasané 🦀 héllo wörld, '.repeat(4);

/** Calls per second of each operation, timed over about `ms` after a warm-up. */
async function callsChild(runtime: Runtime, ms: number, subject: Subject): Promise<Phases> {
  const api = subject === 'abi' ? await loadAbi(runtime) : await load(runtime, readFileSync(wasmPath), {});
  const ops: Record<string, () => void> = {
    'string round trip': () => { if (api.echoString(TEXT) !== TEXT) throw new Error('echo-string'); },
    'list<u32> 100,000': () => { if ((api.idWords(WORDS) as Uint32Array)[99_999] !== WORDS[99_999]) throw new Error('id-words'); },
  };
  const out: Phases = {};
  for (const [name, op] of Object.entries(ops)) {
    let end = performance.now() + Math.min(ms / 3, 1000);
    while (performance.now() < end) op();
    // Each call timed alone; the median call (robust to other jobs' bursts on a busy machine).
    const times: number[] = [];
    end = performance.now() + ms;
    do { const t0 = performance.now(); op(); times.push(performance.now() - t0); } while (performance.now() < end);
    out[name] = 1000 / median(times);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function spawnChild(args: string[]): Phases {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Phases;
}

const fmt = (ms: number) => ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string, dflt: number) => { const i = argv.indexOf(name); return i < 0 ? dflt : Number(argv[i + 1]); };
  if (argv[0] === '--child') {
    const r = argv[1] === 'cold' ? await coldChild(argv[2] as Runtime) : await callsChild(argv[2] as Runtime, Number(argv[3]), argv[4] as Subject);
    console.log(JSON.stringify(r));
    return;
  }
  if (!existsSync(wasmPath) || !existsSync(join(jcoDir, 'types.js'))) {
    const b = spawnSync(process.execPath, [join(root, 'test', 'component', 'js', 'build.mjs'), 'types'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('could not build the component (test/component/js/build.mjs)');
  }
  await buildAbi();
  const runs = opt('--runs', 5), ms = opt('--ms', 2000);
  const lines: string[] = [];
  const say = (s = '') => { console.log(s); lines.push(s); };
  say('# Components: Kasane vs jco');
  say();
  say(`Component: test/component/js/types.js + types.wit built by componentize-js (${(readFileSync(wasmPath).length / 1e6).toFixed(1)} MB). Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), a busy machine shared with other jobs: figures vary run to run.`);
  say(`Produced by \`npm run bench:components\` (bench/components.ts): ${runs} cold-start samples per runtime, each in a fresh process; call throughput from the median time of one call over ${ms} ms of calls per operation after warm-up, one process per runtime in each of ${opt('--rounds', 5)} rounds.`);
  say();
  say('## Cold start (bytes in memory to the first call\'s result), medians in ms');
  say();
  const runtimes: [Runtime, string][] = [['native', 'Kasane, native backend'], ['kasane', 'Kasane, kasane backend'], ['jco', 'jco transpile + load'], ['jco-load', 'jco load only (transpiled ahead of time)']];
  const cold = new Map<Runtime, Phases[]>();
  for (let i = 0; i < runs; i++) for (const [rt] of runtimes) {
    const r = spawnChild(['cold', rt]);
    (cold.get(rt) ?? cold.set(rt, []).get(rt)!).push(r);
  }
  say('| runtime | phases (median ms) | total (median) | min..max | vs jco transpile + load |');
  say('|---|---|---|---|---|');
  const jcoTotal = median(cold.get('jco')!.map((p) => p.total));
  for (const [rt, label] of runtimes) {
    const samples = cold.get(rt)!;
    const totals = samples.map((p) => p.total);
    const phases = Object.keys(samples[0]).filter((k) => k !== 'total').map((k) => `${k} ${fmt(median(samples.map((p) => p[k])))}`).join(', ');
    const t = median(totals);
    const ratio = rt === 'jco' ? 'reference' : t < jcoTotal ? `${(jcoTotal / t).toFixed(2)}x faster` : `${(t / jcoTotal).toFixed(2)}x slower`;
    say(`| ${label} | ${phases} | **${fmt(t)}** | ${fmt(Math.min(...totals))}..${fmt(Math.max(...totals))} | ${ratio} |`);
  }
  say();
  say('## Call throughput (calls per second, higher is better)');
  say();
  // Rounds alternate the runtimes, so that a burst of other jobs does not hit only one of them.
  const rounds = opt('--rounds', 5);
  const rate = (x: number) => x.toFixed(x >= 100 ? 0 : 1);
  const labels: [Runtime, string][] = [['native', 'Kasane, native backend'], ['kasane', 'Kasane, kasane backend'], ['jco-load', 'jco']];
  for (const subject of ['types', 'abi'] as Subject[]) {
    const calls = new Map<Runtime, Phases[]>();
    for (let i = 0; i < rounds; i++) for (const [rt] of labels) (calls.get(rt) ?? calls.set(rt, []).get(rt)!).push(spawnChild(['calls', rt, String(ms), subject]));
    const ops = Object.keys(calls.get('native')![0]);
    const med = (rt: Runtime, k: string) => median(calls.get(rt)!.map((c) => c[k]));
    say(subject === 'types'
      ? `### ${'`'}types${'`'} (componentize-js: SpiderMonkey running the JS of test/component/js/types.js)`
      : '### `abi` (bench/components/abi.wat: a guest that does nothing, so the canonical ABI alone)');
    say();
    say(`Median of ${rounds} processes per runtime (min..max across them), and the ratio of the medians to jco's.`);
    say();
    say(`| runtime | ${ops.join(' | ')} |`);
    say(`|---|${ops.map(() => '---').join('|')}|`);
    for (const [rt, label] of labels) {
      const cells = ops.map((k) => {
        const xs = calls.get(rt)!.map((c) => c[k]);
        return `${rate(med(rt, k))}/s (${rate(Math.min(...xs))}..${rate(Math.max(...xs))}), ${(med(rt, k) / med('jco-load', k)).toFixed(2)}x jco`;
      });
      say(`| ${label} | ${cells.join(' | ')} |`);
    }
    say();
  }
  say('Notes: cold-start totals include importing the runtime\'s own JS (Kasane\'s dist/src, jco\'s package); the');
  say('first call is `reverse-string("cold")`. In the `types` calls the guest (SpiderMonkey interpreting JS)');
  say('dominates; the `abi` rows are the canonical ABI\'s own cost (lifting, lowering, realloc calls, the copies).');
  say('CPU profiles (`node --cpu-prof`, after warm-up) split a `types` call as follows. Native backend: string');
  say('round trip 91% guest, 4% GC, 3% canonical ABI (jco: 82% guest, 14% its generated JS); list<u32> 57% GC');
  say('(the 400 KB copies in and out, as jco), 38% guest, 3% canonical ABI (jco: 58%, 35%, 6%). Kasane\'s backend:');
  say('string round trip 97.6% guest, 1.0% engine runtime, 0.4% canonical ABI. Two thirds of the guest\'s time');
  say('was one function, SpiderMonkey\'s interpreter loop (func 6226, 540 KB of generated JS, 418 KB of bytecode):');
  say('above V8\'s --max-optimized-bytecode-size (61,440 bytes) it was never optimized and ran in the baseline');
  say('tier (Sparkplug: every DataView access a LoadIC and a builtin call). Raising the limit does not help: TurboFan');
  say('then takes 1.8-4 s per compile of it and deoptimizes on its many paths without type feedback. Functions over');
  say('60 KB of JS are now outlined (src/engine/codegen/outline.ts: pieces of at most 40 KB, whole interpreter states');
  say('each, that V8 optimizes; the dispatch loop is left at 38 KB): 5 interleaved processes each of');
  say('`--child calls kasane 2000 types`, medians, against main: string round trip 74.8 -> 211/s (2.8x),');
  say('list<u32> 134 -> 312/s (2.3x); after thousands of calls the string round trip reaches ~230/s (4.4 ms).');
  say('What is left to V8\'s own Wasm tiers (~13x): every call of a piece passes 7-40 variables in and out (the');
  say('interpreter\'s locals; only operand stack slots are pruned by liveness), and the dispatch loop and the');
  say('pieces are recompiled after deoptimizations during the first seconds. The list<u32> call was 74% whole-memory copies: the guest grows its 16 MB memory during');
  say('each call, and reading `memory.buffer` after a grow copied all of it to an exact-size buffer (then the');
  say('next grow copied it again); the ABI now reads Kasane memories through the engine\'s view and the JS API');
  say('makes the new buffer only when JS asks, which took that call from about 130 to 35 ms of CPU.');
  say();
  say('Cold start on Kasane\'s engine (the target, faster than jco\'s transpile + load): not met, 1.17x slower here');
  say('(medians 1755 vs 1494 ms; 1.01x slower in the previous run, 1774 vs 1758 ms). Outlining costs the first call');
  say('about 170 ms (5 interleaved processes against main: first call 589 -> 760 ms, total 822 -> 1010 ms; ~30 ms of');
  say('it is outline.ts itself on the interpreter function, the rest V8 compiling and running the pieces).');
  say('Where it goes (one cold start under `--cpu-prof`, main thread, ~1.9 s of samples): the core module (13.2 MB,');
  say('12,754 functions, 9.2 MB of code) is decoded, validated and prepared in ~470 ms, ~290 of them Kasane\'s');
  say('validator running cold; the first call translates 540 of the 12,754 functions (507 KB of Wasm into 4.4 MB');
  say('of JS; 374 of them run) with the code generator itself still cold, ~480-640 ms (the same translation in a');
  say('warm process: ~180 ms), V8 parses and compiles the generated JS in ~280 ms, GC ~150 ms, the guest\'s own code');
  say('~110 ms; V8\'s background threads add their compiling (process CPU above wall-clock time). Changes of the');
  say('s3-compcold work, measured against main before them (5 fresh processes each, interleaved, busy machine):');
  say('CPU 3112 -> 2070 ms (median), wall 2321 -> 1831 ms, validate+instantiate 721 -> 571 ms: in modules with over');
  say('1 MiB of code only callees of at most 256 bytes are compiled ahead (the first call translated 810 functions,');
  say('839 KB of Wasm, 7.2 MB of JS); the component\'s core modules are compiled while it is validated (the module');
  say('was decoded and validated twice: by the component\'s validator, then by the engine); the generated');
  say('function is a parenthesized expression (V8 compiles it with its factory rather than preparsing it twice).');
  say();
  if (!argv.includes('--no-write')) writeFileSync(join(root, 'bench', 'results', 'components.md'), lines.join('\n'));
}

await main();
