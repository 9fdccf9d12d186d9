// `kasane run` for a component (detected by the preamble's layer field): instantiates it with the
// WASI 0.2 host on the same preopens and standard streams as preview1 and calls `wasi:cli/run`.
// Exit status as wasmtime: 0 when run returns ok, 1 when it returns an error, the code given to
// wasi:cli/exit, 134 for a trap (reported by the caller).

import { CompileError, LinkError } from '../errors.js';
import type { FileSystem } from '../vfs/types.js';
import type { InputStream, OutputStream } from '../wasi/stdio.js';
import { ExitStatus } from '../wasi/preview1.js';
import { runComponentCommand } from '../wasi/preview2/index.js';
import { RunError, firstLine } from './run-error.js';
import type { RunOptions } from './run.js';

export function runComponent(
  opts: RunOptions,
  bytes: Uint8Array,
  preopens: Record<string, FileSystem>,
  stdio: { stdin: InputStream; stdout: OutputStream; stderr: OutputStream },
): number {
  const unsupported = (what: string): never => { throw new RunError(undefined, `${what} is not supported for components yet`); };
  if (opts.invoke !== undefined) unsupported('--invoke');
  if (opts.fuel !== undefined) unsupported('--fuel');
  if (opts.maxMemory !== undefined) unsupported('--max-memory');
  if (opts.tcplisten.length > 0) unsupported('--tcplisten');
  try {
    return runComponentCommand(bytes, { args: [opts.file, ...opts.args], env: opts.env, preopens, ...stdio }, opts.engine);
  } catch (e) {
    if (e instanceof ExitStatus) return e.code;
    if (e instanceof CompileError) throw new RunError(opts.file, `invalid component: ${firstLine(e)}`);
    if (e instanceof LinkError) throw new RunError(opts.file, firstLine(e));
    throw e;
  }
}
