// `kasane run` for a component (detected by the preamble's layer field): instantiates it with the
// WASI 0.2 host on the same preopens and standard streams as preview1 and calls `wasi:cli/run`,
// or with --invoke 'name(args)' any exported function, arguments and results in WAVE.
// Exit status as wasmtime: 0 when run returns ok, 1 when it returns an error, the code given to
// wasi:cli/exit, 134 for a trap (reported by the caller).

import { CompileError, LinkError } from '../errors.js';
import type { FileSystem } from '../vfs/types.js';
import type { InputStream, OutputStream } from '../wasi/stdio.js';
import { ExitStatus } from '../wasi/preview1.js';
import { runComponentCommand, Preview2 } from '../wasi/preview2/index.js';
import { instantiateComponent } from '../component/index.js';
import { invokeWave } from '../component/invoke.js';
import { WaveError } from '../wit/wave.js';
import { nodeNetHost } from '../host/node-net.js';
import { MemoryLimitError } from '../wasi/limits.js';
import { Fuel } from '../engine/fuel.js';
import { RunError, firstLine } from './run-error.js';
import type { RunOptions } from './run.js';

export function runComponent(
  opts: RunOptions,
  bytes: Uint8Array,
  preopens: Record<string, FileSystem>,
  stdio: { stdin: InputStream; stdout: OutputStream; stderr: OutputStream },
): number {
  if (opts.tcplisten.length > 0) throw new RunError(undefined, '--tcplisten is not supported for components yet');
  // Node's network thread starts only when the component makes a socket or looks a name up.
  const options = { args: [opts.file, ...opts.args], env: opts.env, preopens, ...stdio, net: nodeNetHost, networkPermissions: opts.network };
  // One fuel budget and one memory cap for all the component's core modules (--engine native
  // with --fuel was refused when the options were parsed).
  const limits = { engine: opts.engine, fuel: opts.fuel !== undefined ? new Fuel(opts.fuel) : undefined, maxMemory: opts.maxMemory };
  try {
    if (opts.invoke === undefined) return runComponentCommand(bytes, options, limits);
    const instance = instantiateComponent(bytes, new Preview2(options).imports, limits);
    const out = invokeWave(instance, opts.invoke);
    stdio.stdout.write(new TextEncoder().encode(out));
    return 0;
  } catch (e) {
    if (e instanceof ExitStatus) return e.code;
    if (e instanceof MemoryLimitError) throw new RunError(opts.file, e.message);
    if (e instanceof CompileError) throw new RunError(opts.file, `invalid component: ${firstLine(e)}`);
    if (e instanceof LinkError) throw new RunError(opts.file, firstLine(e));
    if (e instanceof WaveError) throw new RunError(undefined, `--invoke: ${firstLine(e)}`);
    throw e;
  }
}
