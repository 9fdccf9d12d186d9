// `kasane run [options] FILE [ARGS...]`: runs a WASI preview1 command (or, with --invoke, one
// export of it; a component goes to run-component.ts) from a .wasm or .wat file, as `wasmtime run` does. Exit status: the guest's
// proc_exit code (0 when _start returns); 134 (128 + SIGABRT, as wasmtime on Unix) for a trap,
// with the Wasm backtrace on stderr; 1 with a one-line error for a missing file, an invalid
// module, an unresolvable import or a bad option.

import { readFileSync } from 'node:fs';
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { decodeModule, encodeModule, isBinaryModule, loadModule } from '../index.js';
import { ENGINE_CHOICES, selectWebAssembly, type EngineChoice } from '../api/backend.js';
import { internals } from '../api/namespace.js';
import { Fuel, MAX_FUEL } from '../engine/fuel.js';
import type { FuncType, ValType } from '../ast/types.js';
import { Preview1, ExitStatus, checkWasiImports, limitMemory, MemoryLimitError, type PreopenedSocket } from '../wasi/index.js';
import type { FileSystem } from '../vfs/types.js';
import { NodeFileSystem } from '../host/node-fs.js';
import { nodeStdio } from '../host/node-stdio.js';
import { nodeNetHost } from '../host/node-net.js';
import { binaryLayer } from '../component/ast.js';
import { RunError, firstLine } from './run-error.js';
import { runComponent } from './run-component.js';
import { DEFAULT_CLI_PERMISSIONS, type SocketPermissions } from '../wasi/preview2/socket-host.js';
import { allowOptimizingLargeFunctions } from '../host/v8-tuning.js';

export const TRAP_EXIT_STATUS = 134;


export interface RunOptions {
  file: string;
  args: string[];
  dirs: { host: string; guest: string }[];
  env: string[];
  engine: EngineChoice;
  invoke?: string;
  /** ADDR:PORT of listening TCP sockets to pre-open (wasmtime's --tcplisten). */
  tcplisten: string[];
  /** Most bytes any memory of the module may grow to. */
  maxMemory?: number;
  /** Wall-clock limit of the run, in seconds. */
  timeout?: number;
  /** Fuel (instruction budget) of the run, on Kasane's engine. */
  fuel?: number;
  /** What a component may do with wasi:sockets (wasmtime's -S inherit-network, tcp, udp, allow-ip-name-lookup). */
  network: SocketPermissions;
}

const USAGE = 'usage: kasane run [--dir HOST[::GUEST]] [--env NAME[=VALUE]] [-S OPTION[=VALUE],...] [--tcplisten ADDR:PORT] [--max-memory BYTES] [--timeout SECONDS] [--fuel N] [--engine kasane|native|auto] [--invoke NAME] FILE [ARGS...]';

const HELP = `Usage: kasane run [OPTIONS] FILE [ARGS...]

Runs a WASI preview1 command (a .wasm or .wat file) or a WASI 0.2 command component; ARGS are
passed to it, FILE as argv[0].

Options:
  --dir HOST[::GUEST]     preopen the host directory HOST (read-write, sandboxed) as GUEST (default: HOST)
  --env NAME=VALUE        set an environment variable for the program
  --env NAME              pass the variable NAME from kasane's environment, if set
  -S inherit-env          pass all of kasane's environment
  --engine ENGINE         kasane, native or auto (default: auto: native when the host accepts the module)
  --invoke NAME           call the export NAME with ARGS (parsed by its parameter types) and print the results
  --tcplisten ADDR:PORT   pre-open a listening TCP socket (after the --dir directories); also -S tcplisten=
  -S inherit-network      components: let wasi:sockets bind, connect and send to any address
                          (without it each is access-denied)
  -S allow-ip-name-lookup components: let wasi:sockets/ip-name-lookup resolve names (without it
                          resolve-addresses fails with permanent-resolver-failure)
  -S tcp=n, -S udp=n      components: no TCP (UDP) sockets at all (on by default, as in wasmtime)
                          -S options may be joined with commas; a flag takes =y or =n
  --max-memory BYTES      memory.grow fails (-1) beyond BYTES (for a component: each memory of its
                          core modules); also -W max-memory-size=BYTES
  --timeout SECONDS       stop the program after SECONDS (as a trap: 'wasm trap: interrupt', exit 134);
                          also -W timeout=N (seconds; N ms, s or m suffixes accepted)
  --fuel N                trap ('all fuel consumed by WebAssembly', exit 134) after N units of fuel
                          (about one per Wasm instruction, as wasmtime; a component's core modules
                          share one budget); runs on Kasane's engine (--engine auto picks it; not
                          with --engine native); also -W fuel=N

Exit status: the program's proc_exit code (0 when _start returns); 134 on a trap (the Wasm
backtrace is printed on stderr); 1 when the file, the module or an import is wrong.
`;

/** Parses `run`'s arguments: options up to FILE, everything after FILE goes to the program. */
export function parseRunArgs(argv: readonly string[], environ: Record<string, string | undefined> = process.env): RunOptions {
  const o: Partial<RunOptions> & { dirs: RunOptions['dirs']; env: string[]; tcplisten: string[]; network: SocketPermissions } = { dirs: [], env: [], engine: 'auto', tcplisten: [], network: { ...DEFAULT_CLI_PERMISSIONS } };
  let i = 0;
  const value = (name: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    if (i + 1 >= argv.length) throw new RunError(undefined, `option ${name} needs an argument`);
    return argv[++i];
  };
  const addEnv = (spec: string): void => {
    const eq = spec.indexOf('=');
    if (eq === 0) throw new RunError(undefined, `invalid --env '${spec}'`);
    if (eq > 0) o.env.push(spec);
    else if (environ[spec] !== undefined) o.env.push(`${spec}=${environ[spec]}`);
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    const m = /^(--?[^=]+)(?:=(.*))?$/s.exec(a)!;
    const [name, inline] = [m[1], m[2]];
    switch (name) {
      case '--dir': {
        const spec = value(name, inline);
        const k = spec.indexOf('::');
        o.dirs.push(k < 0 ? { host: spec, guest: spec } : { host: spec.slice(0, k), guest: spec.slice(k + 2) });
        break;
      }
      case '--env': addEnv(value(name, inline)); break;
      case '--engine': {
        const e = value(name, inline);
        if (!(ENGINE_CHOICES as readonly string[]).includes(e)) throw new RunError(undefined, `--engine must be one of ${ENGINE_CHOICES.join(', ')}`);
        o.engine = e as EngineChoice;
        break;
      }
      case '--invoke': o.invoke = value(name, inline); break;
      case '--tcplisten': o.tcplisten.push(parseListen(value(name, inline))); break;
      case '--max-memory': o.maxMemory = parseBytes(value(name, inline)); break;
      case '--timeout': o.timeout = parseSeconds(value(name, inline)); break;
      case '--fuel': o.fuel = parseFuel(value(name, inline)); break;
      case '-S':
        // wasmtime's WASI options, comma-separated: inherit-env, tcplisten=ADDR:PORT, and the
        // flags (NAME, NAME=y, NAME=n) inherit-network, allow-ip-name-lookup, tcp, udp.
        for (const spec of value(name, inline).split(',')) wasiOption(spec, o, environ);
        break;
      case '-W': {
        // wasmtime's Wasm options: max-memory-size=BYTES, timeout=DURATION.
        const s = value(name, inline);
        if (s.startsWith('max-memory-size=')) o.maxMemory = parseBytes(s.slice('max-memory-size='.length));
        else if (s.startsWith('timeout=')) o.timeout = parseSeconds(s.slice('timeout='.length));
        else if (s.startsWith('fuel=')) o.fuel = parseFuel(s.slice('fuel='.length));
        else throw new RunError(undefined, `unsupported -W option '${s}'`);
        break;
      }
      default: throw new RunError(undefined, `unknown option '${a}'`);
    }
  }
  if (o.fuel !== undefined && o.engine === 'native') throw new RunError(undefined, '--fuel needs Kasane\'s engine (--engine kasane or auto), not native');
  if (i >= argv.length) throw new RunError(undefined, USAGE);
  o.file = argv[i];
  o.args = argv.slice(i + 1);
  return o as RunOptions;
}

const NETWORK_FLAGS: Record<string, keyof SocketPermissions> = {
  'inherit-network': 'inheritNetwork', 'allow-ip-name-lookup': 'ipNameLookup', tcp: 'tcp', udp: 'udp',
};

function wasiOption(spec: string, o: { env: string[]; tcplisten: string[]; network: SocketPermissions }, environ: Record<string, string | undefined>): void {
  const eq = spec.indexOf('=');
  const [key, val] = eq < 0 ? [spec, undefined] : [spec.slice(0, eq), spec.slice(eq + 1)];
  if (key === 'tcplisten' && val !== undefined) { o.tcplisten.push(parseListen(val)); return; }
  const flag = (): boolean => {
    if (val === undefined || /^(y|yes|true)$/.test(val)) return true;
    if (/^(n|no|false)$/.test(val)) return false;
    throw new RunError(undefined, `invalid value for -S ${key}: '${val}' (expected y or n)`);
  };
  if (key === 'inherit-env') {
    if (flag()) for (const [k, v] of Object.entries(environ)) if (v !== undefined) o.env.push(`${k}=${v}`);
  } else if (Object.hasOwn(NETWORK_FLAGS, key)) {
    o.network[NETWORK_FLAGS[key]] = flag();
  } else throw new RunError(undefined, `unsupported -S option '${spec}'`);
}

function parseFuel(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n)) throw new RunError(undefined, `invalid fuel '${text}' (expected an integer in [0, ${MAX_FUEL}])`);
  return n;
}

function parseListen(spec: string): string {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\[\]]+):(\d+)$/.exec(spec);
  if (m === null || Number(m[2]) > 65535) throw new RunError(undefined, `invalid --tcplisten '${spec}' (expected ADDR:PORT)`);
  return spec;
}

function parseBytes(text: string): number {
  const m = /^(\d+)([kmg]i?b?)?$/i.exec(text.trim());
  if (m === null) throw new RunError(undefined, `invalid memory size '${text}'`);
  const unit = (m[2] ?? '').toLowerCase()[0];
  return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1 << 20 : unit === 'g' ? 1 << 30 : 1);
}

function parseSeconds(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (m === null) throw new RunError(undefined, `invalid timeout '${text}'`);
  const v = Number(m[1]);
  return m[2] === 'ms' ? v / 1000 : m[2] === 'm' ? v * 60 : v;
}

/** Opens the --tcplisten sockets in the network worker. */
function openListeners(specs: readonly string[]): PreopenedSocket[] {
  if (specs.length === 0) return [];
  const host = nodeNetHost();
  return specs.map((spec) => {
    const k = spec.lastIndexOf(':');
    const addr = spec.slice(0, k).replace(/^\[(.*)\]$/, '$1');
    try {
      return { host, handle: host.listen(addr, Number(spec.slice(k + 1))).handle };
    } catch (e) {
      throw new RunError(undefined, `--tcplisten ${firstLine(e)}`);
    }
  });
}

/**
 * --timeout: the run happens on a worker thread (stdout and stderr are written with
 * fs.writeSync from there, so nothing is reordered); this thread waits for its exit status with
 * Atomics.wait and, past the deadline, reports the interrupt as wasmtime does (a trap, 134) and
 * terminates the worker.
 */
function runWithTimeout(argv: readonly string[], file: string, seconds: number, say: (s: string) => void): number {
  const cell = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(new URL(import.meta.url), { workerData: { kasaneRun: { argv: [...argv], cell } }, stdin: false });
  worker.unref();
  const r = Atomics.wait(cell, 0, 0, Math.max(0, seconds * 1000));
  if (r !== 'timed-out' || Atomics.load(cell, 0) !== 0) return cell[1];
  void worker.terminate();
  say(`kasane: ${file}: wasm trap: interrupt\nwasm backtrace:\n    <unavailable: the program was stopped after ${seconds} s (--timeout)>\n`);
  return TRAP_EXIT_STATUS;
}

function readModuleBytes(file: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new RunError(file, code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : (e as Error).message);
  }
  if (isBinaryModule(bytes)) return bytes;
  try {
    return encodeModule(loadModule(bytes));
  } catch (e) {
    throw new RunError(file, `invalid module: ${firstLine(e)}`);
  }
}


/** The type of an exported function, read from the module with Kasane's decoder. */
function exportType(bytes: Uint8Array, name: string): FuncType | undefined {
  const m = decodeModule(bytes);
  const ex = m.exports.find((e) => e.name === name && e.kind === 'func');
  if (ex === undefined) return undefined;
  const imported = m.imports.filter((i) => i.desc.kind === 'func');
  const typeIdx = ex.index < imported.length
    ? (imported[ex.index].desc as { typeIdx: number }).typeIdx
    : m.funcs[ex.index - imported.length].typeIdx;
  const comp = m.types[typeIdx].comp;
  return comp.kind === 'func' ? comp : undefined;
}

function parseArg(text: string, t: ValType): unknown {
  const bad = (): never => { throw new RunError(undefined, `invalid ${typeof t === 'string' ? t : 'reference'} argument '${text}'`); };
  switch (t) {
    case 'i32': {
      if (!/^[+-]?(0x[0-9a-f]+|\d+)$/i.test(text)) bad();
      const neg = text.startsWith('-');
      const v = BigInt(text.replace(/^[+-]/, '')) * (neg ? -1n : 1n);
      if (v < -(1n << 31n) || v >= 1n << 32n) bad();
      return Number(BigInt.asIntN(32, v));
    }
    case 'i64': {
      if (!/^[+-]?(0x[0-9a-f]+|\d+)$/i.test(text)) bad();
      const neg = text.startsWith('-');
      const v = BigInt(text.replace(/^[+-]/, '')) * (neg ? -1n : 1n);
      if (v < -(1n << 63n) || v >= 1n << 64n) bad();
      return BigInt.asIntN(64, v);
    }
    case 'f32':
    case 'f64': {
      const v = /^[+-]?(inf|infinity)$/i.test(text) ? (text.startsWith('-') ? -Infinity : Infinity) : /^[+-]?nan$/i.test(text) ? NaN : Number(text);
      if (Number.isNaN(v) && !/nan/i.test(text)) bad();
      return v;
    }
    default: return bad();
  }
}

function formatResult(v: unknown, t: ValType): string {
  if (t === 'f32' || t === 'f64') {
    const n = v as number;
    return Number.isNaN(n) ? 'NaN' : n === Infinity ? 'inf' : n === -Infinity ? '-inf' : String(n);
  }
  return String(v);
}

/** The Wasm frames of an error's stack (native: wasm-function[N] frames; Kasane: its compiled functions). */
export function wasmBacktrace(e: unknown): string[] {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  const lines = stack.split('\n').slice(1);
  // Kasane's engine lists the Wasm frames itself ("wasm#0: $name").
  const own = lines.map((l) => /^\s*wasm#\d+: (.*)$/.exec(l)?.[1]).filter((f): f is string => f !== undefined);
  if (own.length > 0) return own;
  return lines.map((l) => l.trim().replace(/^at /, '')).filter((l) => /wasm:\/\/|wasm-function\[/.test(l));
}

function isTrap(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  return e.name === 'RuntimeError' || (e instanceof RangeError && /call stack/.test(e.message));
}

/** Runs `kasane run` with the given arguments; returns the exit status. */
export function runMain(argv: readonly string[], inWorker = false): number {
  const out = nodeStdio();
  const say = (s: string): void => out.stderr.write(new TextEncoder().encode(s));
  let opts: RunOptions | undefined;
  try {
    if (argv[0] === '-h' || argv[0] === '--help') {
      out.stdout.write(new TextEncoder().encode(HELP));
      return 0;
    }
    opts = parseRunArgs(argv);
    if (opts.timeout !== undefined && !inWorker) return runWithTimeout(argv, opts.file, opts.timeout, say);
    allowOptimizingLargeFunctions();
    let bytes = readModuleBytes(opts.file);
    if (opts.maxMemory !== undefined && binaryLayer(bytes) !== 'component') {
      try {
        bytes = limitMemory(bytes, opts.maxMemory);
      } catch (e) {
        throw new RunError(opts.file, e instanceof MemoryLimitError ? e.message : `invalid module: ${firstLine(e)}`);
      }
    }
    const preopens: Record<string, FileSystem> = {};
    for (const d of opts.dirs) {
      try {
        preopens[d.guest] = new NodeFileSystem(d.host);
      } catch (e) {
        throw new RunError(d.host, 'cannot open directory: ' + ((e as { errno?: number }).errno === 44 ? 'no such file or directory' : firstLine(e)));
      }
    }
    if (binaryLayer(bytes) === 'component') return runComponent(opts, bytes, preopens, out);
    const sockets = openListeners(opts.tcplisten);
    const wasi = new Preview1({ args: [opts.file, ...(opts.invoke ? [] : opts.args)], env: opts.env, preopens, sockets, ...out });
    const ns = (() => {
      try { return selectWebAssembly(opts.fuel !== undefined ? 'kasane' : opts.engine, bytes); } catch (e) { throw new RunError(undefined, firstLine(e)); }
    })();
    let module: object;
    try {
      module = opts.fuel !== undefined ? internals.moduleWithFuel(bytes, new Fuel(opts.fuel)) : new ns.Module(bytes);
    } catch (e) {
      throw new RunError(opts.file, `invalid module: ${firstLine(e)}`);
    }
    let instance: { exports: Record<string, unknown> };
    try {
      checkWasiImports(ns, module, wasi);
      instance = new ns.Instance(module as never, wasi.importObject as never) as unknown as { exports: Record<string, unknown> };
    } catch (e) {
      if (isTrap(e) || e instanceof ExitStatus) throw e;
      throw new RunError(opts.file, firstLine(e));
    }
    if (opts.invoke === undefined) {
      if (typeof instance.exports._start !== 'function') throw new RunError(opts.file, 'no exported function `_start` (use --invoke NAME)');
      return wasi.start(instance);
    }
    const fn = instance.exports[opts.invoke];
    const type = exportType(bytes, opts.invoke);
    if (typeof fn !== 'function' || type === undefined) throw new RunError(opts.file, `no exported function \`${opts.invoke}\``);
    if (opts.args.length !== type.params.length) {
      throw new RunError(undefined, `function \`${opts.invoke}\` takes ${type.params.length} argument(s), got ${opts.args.length}`);
    }
    const callArgs = opts.args.map((a, k) => parseArg(a, type.params[k]));
    try {
      if ('memory' in instance.exports) wasi.initialize(instance);
      const r = (fn as (...a: unknown[]) => unknown)(...callArgs);
      const results = type.results.length === 1 ? [r] : type.results.length === 0 ? [] : [...(r as unknown[])];
      out.stdout.write(new TextEncoder().encode(results.map((v, k) => formatResult(v, type.results[k]) + '\n').join('')));
      return 0;
    } catch (e) {
      if (e instanceof ExitStatus) return e.code;
      throw e;
    }
  } catch (e) {
    if (e instanceof ExitStatus) return e.code;
    if (e instanceof RunError) {
      say(`kasane: ${e.subject !== undefined ? e.subject + ': ' : ''}${e.message.split('\n')[0]}\n`);
      return 1;
    }
    if (isTrap(e)) {
      const frames = wasmBacktrace(e);
      let msg = `kasane: ${opts?.file ?? 'module'}: wasm trap: ${firstLine(e)}\n`;
      msg += 'wasm backtrace:\n' + (frames.length > 0 ? frames.map((f, k) => `  ${String(k).padStart(3)}: ${f}\n`).join('') : '    <unavailable>\n');
      say(msg);
      return TRAP_EXIT_STATUS;
    }
    say(`kasane: ${opts?.file ? opts.file + ': ' : ''}error: ${firstLine(e)}\n`);
    return 1;
  }
}

/** The command-table entry for src/cli/main.ts. */
export const runEntry = {
  usage: 'run [OPTS] FILE [ARGS]',
  summary: 'run a WASI preview1 command (.wasm or .wat) or a WASI 0.2 command component; see kasane run --help',
  arity: -1,
  flags: [] as readonly string[],
  run(): number { throw new Error('kasane run parses its own arguments'); },
  runArgv: runMain,
};

// The worker side of --timeout: this module is the worker's entry.
if (!isMainThread && (workerData as { kasaneRun?: unknown } | null)?.kasaneRun !== undefined) {
  const { argv, cell } = (workerData as { kasaneRun: { argv: string[]; cell: Int32Array } }).kasaneRun;
  const code = runMain(argv, true);
  cell[1] = code;
  Atomics.store(cell, 0, 1);
  Atomics.notify(cell, 0);
}
