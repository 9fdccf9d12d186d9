// A WASI 0.2 host for components: the import object, keyed by versionless interface name
// (`wasi:cli/stdout`, ...), with jco's host conventions (camelCase functions, resource classes,
// `result` errors thrown as their payload). It shares preview1's options, standard streams,
// filesystems (with the same sandboxed path resolution) and clocks.

import { ExitStatus, clockNs, type Preview1Options } from '../preview1.js';
import { CLOCKID } from '../constants.js';
import { EMPTY_INPUT } from '../stdio.js';
import { IoError, InputStream, OutputStream, Pollable, poll } from './io.js';
import { Descriptor, DirectoryEntryStream, filesystemErrorCode } from './filesystem.js';
import { httpImports } from './http.js';
import type { HttpClient } from './http-client.js';
import { socketsImports, type SocketHost, type SocketPermissions } from './sockets.js';

/** preview1's options, and the host's HTTP client for wasi:http/outgoing-handler (none: requests fail with HTTP-request-denied). */
export interface Preview2Options extends Preview1Options {
  http?: HttpClient;
  /**
   * The host's sockets for wasi:sockets, or a function making them on first use (none: creating a
   * socket fails with not-supported).
   */
  net?: SocketHost | (() => SocketHost);
  /** What the component may do with them (default: everything, as when the host was handed in). */
  networkPermissions?: SocketPermissions;
}

class TerminalInput {}
class TerminalOutput {}

const MAX_RANDOM = 1n << 26n;

function randomBytes(len: bigint): Uint8Array {
  if (len > MAX_RANDOM) throw new RangeError('get-random-bytes: too many bytes requested');
  const out = new Uint8Array(Number(len));
  for (let i = 0; i < out.length; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

function randomU64(): bigint {
  const b = new BigUint64Array(1);
  globalThis.crypto.getRandomValues(b);
  return b[0];
}

export class Preview2 {
  readonly imports: Record<string, Record<string, unknown>>;

  constructor(options: Preview2Options = {}) {
    const args = [...(options.args ?? [])];
    const envOpt = options.env ?? [];
    const env: [string, string][] = Array.isArray(envOpt)
      ? envOpt.map((s) => { const i = s.indexOf('='); return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)]; })
      : Object.entries(envOpt);
    const stdin = new InputStream(options.stdin ?? EMPTY_INPUT);
    const stdout = new OutputStream(options.stdout ?? { write() {} });
    const stderr = new OutputStream(options.stderr ?? { write() {} });
    const monotonic = (): bigint => clockNs(CLOCKID.MONOTONIC);
    const wall = (): bigint => clockNs(CLOCKID.REALTIME);
    const preopens = Object.entries(options.preopens ?? {}).map(([name, fs]): [Descriptor, string] =>
      [new Descriptor(fs, '', undefined, { read: true, write: true, mutateDirectory: true }, wall), name]);
    const ns = (t: bigint): { seconds: bigint; nanoseconds: number } => ({ seconds: t / 1_000_000_000n, nanoseconds: Number(t % 1_000_000_000n) });

    this.imports = {
      'wasi:cli/environment': { getEnvironment: () => env, getArguments: () => args, initialCwd: () => undefined },
      'wasi:cli/exit': {
        exit: (status: { tag: string }) => { throw new ExitStatus(status.tag === 'ok' ? 0 : 1); },
        exitWithCode: (code: number) => { throw new ExitStatus(code); },
      },
      'wasi:cli/stdin': { getStdin: () => stdin },
      'wasi:cli/stdout': { getStdout: () => stdout },
      'wasi:cli/stderr': { getStderr: () => stderr },
      'wasi:cli/terminal-input': { TerminalInput },
      'wasi:cli/terminal-output': { TerminalOutput },
      'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
      'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
      'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
      'wasi:io/error': { Error: IoError },
      'wasi:io/poll': { Pollable, poll },
      'wasi:io/streams': { InputStream, OutputStream },
      'wasi:clocks/monotonic-clock': {
        now: monotonic,
        resolution: () => 1000n,
        subscribeInstant: (when: bigint) => new Pollable(when, monotonic),
        subscribeDuration: (d: bigint) => new Pollable(monotonic() + d, monotonic),
      },
      'wasi:clocks/wall-clock': { now: () => ns(wall()), resolution: () => ({ seconds: 0n, nanoseconds: 1000 }) },
      'wasi:random/random': { getRandomBytes: randomBytes, getRandomU64: randomU64 },
      'wasi:random/insecure': { getInsecureRandomBytes: randomBytes, getInsecureRandomU64: randomU64 },
      'wasi:random/insecure-seed': { insecureSeed: () => [randomU64(), randomU64()] },
      'wasi:filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode },
      'wasi:filesystem/preopens': { getDirectories: () => preopens },
      ...httpImports(options.http),
      ...socketsImports(options.net, options.networkPermissions),
    };
  }
}
