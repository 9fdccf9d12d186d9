// Running WASI preview1 programs from the library: a command (`_start`, returns its exit code)
// or a reactor (`_initialize`, then call its exports), on Kasane's engine or the host's.
// No static Node built-ins: host directories (preopens given as strings) and Node's standard
// streams are loaded with a dynamic import, only when asked for and only under Node.

import { selectWebAssembly, type EngineChoice } from '../api/backend.js';
import { internals, type WebAssemblyNamespace } from '../api/namespace.js';
import { Fuel } from '../engine/fuel.js';
import { LinkError } from '../errors.js';
import { MemoryFileSystem, type MemoryFsSeed } from '../vfs/memory.js';
import type { FileSystem } from '../vfs/types.js';
import { Preview1, ExitStatus, type Preview1Options } from './preview1.js';
import { BufferedInput, LineOutput, type InputStream, type OutputStream } from './stdio.js';

export { Preview1, ExitStatus, type Preview1Options } from './preview1.js';
export { ERRNO, RIGHTS, FILETYPE, WasiError } from './constants.js';
export { limitMemory, MemoryLimitError } from './limits.js';
export { InvalidArgumentError } from './abi-checks.js';
export type { NetHost, PollRequest, PollReady, PreopenedSocket } from './sockets.js';
export { CollectedOutput, BufferedInput, LineOutput, type InputStream, type OutputStream } from './stdio.js';
export { MemoryFileSystem, type MemoryFsSeed } from '../vfs/memory.js';
export type { FileSystem, FileHandle, Stat, DirEntry, OpenFlags } from '../vfs/types.js';

export interface WasiRunOptions {
  /** The full argv, program name first (default: ['main.wasm']). */
  args?: readonly string[];
  /** Environment: NAME=VALUE strings or an object (default: empty, nothing is inherited). */
  env?: readonly string[] | Record<string, string>;
  /**
   * Guest directory name to a filesystem: a FileSystem (e.g. MemoryFileSystem), a plain object
   * seeding a new in-memory filesystem ({ 'dir/a.txt': 'text' }), or a host directory path
   * (Node only).
   */
  preopens?: Record<string, string | FileSystem | MemoryFsSeed>;
  /** Default under Node: the process's own streams; elsewhere: empty input, console output. */
  stdin?: InputStream | Uint8Array | string;
  stdout?: OutputStream;
  stderr?: OutputStream;
  /** Which WebAssembly implementation runs the module (default 'auto'). */
  engine?: EngineChoice;
  /**
   * Fuel (wasmtime's): a deterministic instruction budget; the program traps with 'all fuel
   * consumed by WebAssembly' when it is spent. Runs on Kasane's engine ('auto' picks it; an
   * error with 'native').
   */
  fuel?: number;
  /** Preview1Options.direntInodes: false reports d_ino 0 (unknown) for entries of host directories, as node:wasi. */
  direntInodes?: boolean;
}

function isFileSystem(v: unknown): v is FileSystem {
  return typeof v === 'object' && v !== null && typeof (v as FileSystem).lstat === 'function' && typeof (v as FileSystem).open === 'function';
}

const isNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/** Turns run options into Preview1 options, loading Node's host modules when needed. */
export async function resolveWasiOptions(options: WasiRunOptions): Promise<Preview1Options> {
  const preopens: Record<string, FileSystem> = {};
  for (const [guest, v] of Object.entries(options.preopens ?? {})) {
    if (typeof v === 'string') {
      if (!isNode()) throw new TypeError(`preopen ${guest}: host directories need Node; use a MemoryFileSystem`);
      const { NodeFileSystem } = await import('#host/node-fs');
      preopens[guest] = new NodeFileSystem(v);
    } else if (isFileSystem(v)) preopens[guest] = v;
    else preopens[guest] = new MemoryFileSystem(v);
  }
  let { stdout, stderr } = options;
  let stdin: InputStream | undefined =
    typeof options.stdin === 'string' || options.stdin instanceof Uint8Array ? new BufferedInput(options.stdin) : options.stdin;
  if (stdin === undefined || stdout === undefined || stderr === undefined) {
    if (isNode()) {
      const { nodeStdio } = await import('#host/node-stdio');
      const s = nodeStdio();
      stdin ??= s.stdin; stdout ??= s.stdout; stderr ??= s.stderr;
    } else {
      stdout ??= new LineOutput((l) => console.log(l));
      stderr ??= new LineOutput((l) => console.error(l));
    }
  }
  return { args: options.args ?? ['main.wasm'], env: options.env, preopens, stdin, stdout, stderr, direntInodes: options.direntInodes };
}

/** Checks that every import of the module is a preview1 function (LinkError naming the first that is not). */
export function checkWasiImports(ns: WebAssemblyNamespace, module: unknown, wasi: Preview1): void {
  for (const imp of ns.Module.imports(module as InstanceType<WebAssemblyNamespace['Module']>)) {
    const ok = imp.module === 'wasi_snapshot_preview1' && imp.kind === 'function' && Object.hasOwn(wasi.wasiImport, imp.name);
    if (!ok) throw new LinkError(`unknown import: \`${imp.module}::${imp.name}\` has not been defined`);
  }
}

/** Compiles and instantiates synchronously with WASI's imports (not run yet); with `fuel`, metered on Kasane's engine. */
export function instantiateWasiSync(bytes: Uint8Array, wasi: Preview1, engine: EngineChoice = 'auto', fuel?: number): { exports: Record<string, unknown> } {
  if (fuel !== undefined && engine === 'native') throw new Error('fuel needs Kasane\'s engine (engine \'kasane\' or \'auto\'), not \'native\'');
  const ns = fuel !== undefined ? selectWebAssembly('kasane') : selectWebAssembly(engine, bytes);
  const module = fuel !== undefined ? internals.moduleWithFuel(bytes, new Fuel(fuel)) : new ns.Module(bytes);
  checkWasiImports(ns, module, wasi);
  return new ns.Instance(module, wasi.importObject as never) as unknown as { exports: Record<string, unknown> };
}

/** Runs a WASI command and resolves to its exit code (proc_exit's, or 0 when _start returns). */
export async function runCommand(bytes: Uint8Array, options: WasiRunOptions = {}): Promise<number> {
  const resolved = await resolveWasiOptions(options);
  const wasi = new Preview1(resolved);
  const instance = instantiateWasiSync(bytes, wasi, options.engine, options.fuel);
  try {
    return wasi.start(instance);
  } finally {
    flush(resolved.stdout); flush(resolved.stderr);
  }
}

/** Instantiates a WASI reactor (calls `_initialize` if exported); call its exports afterwards. */
export async function instantiateReactor(bytes: Uint8Array, options: WasiRunOptions = {}): Promise<{ exports: Record<string, unknown>; wasi: Preview1 }> {
  const wasi = new Preview1(await resolveWasiOptions(options));
  const instance = instantiateWasiSync(bytes, wasi, options.engine, options.fuel);
  wasi.initialize(instance);
  return { exports: instance.exports, wasi };
}

function flush(s: OutputStream | undefined): void {
  if (s instanceof LineOutput) s.flush();
}
