// `kasane serve [--addr HOST:PORT] [--engine E] [--dir HOST[::GUEST]] [--env NAME=VALUE] FILE`:
// serves a wasi:http/proxy component over HTTP/1.1 with node:http, as `wasmtime serve` (default
// address 0.0.0.0:8080; port 0 picks one). node:http runs on the network thread and queues the
// requests; each runs on a fresh instance on this thread, one at a time, reading its request body
// as it arrives and sending its response as it is written. Outgoing requests go through node:http
// on the same network thread.

import { readFileSync } from 'node:fs';
import { ENGINE_CHOICES, type EngineChoice } from '../api/backend.js';
import { CompileError, LinkError } from '../errors.js';
import { HttpProxy } from '../wasi/preview2/http-server.js';
import { NodeHttpClient } from '../host/node-http.js';
import { NodeHttpServer } from '../host/node-http-server.js';
import { nodeStdio } from '../host/node-stdio.js';
import { NodeFileSystem } from '../host/node-fs.js';
import type { FileSystem } from '../vfs/types.js';
import { RunError, firstLine } from './run-error.js';

const USAGE = 'usage: kasane serve [--addr HOST:PORT] [--engine kasane|native|auto] [--dir HOST[::GUEST]] [--env NAME[=VALUE]] FILE';

interface ServeOptions { addr: string; engine: EngineChoice; dirs: [string, string][]; env: string[]; file: string }

function parse(argv: string[]): ServeOptions {
  const o: Partial<ServeOptions> & { dirs: [string, string][]; env: string[] } = { addr: '0.0.0.0:8080', engine: 'auto', dirs: [], env: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      if (i + 1 >= argv.length) throw new RunError(undefined, `${a} needs an argument`);
      return argv[++i];
    };
    switch (a) {
      case '--addr': o.addr = value(); break;
      case '--engine': {
        const e = value();
        if (!(ENGINE_CHOICES as readonly string[]).includes(e)) throw new RunError(undefined, `--engine must be one of ${ENGINE_CHOICES.join(', ')}`);
        o.engine = e as EngineChoice;
        break;
      }
      case '--dir': { const [h, g] = value().split('::'); o.dirs.push([h, g ?? h]); break; }
      case '--env': { const v = value(); o.env.push(v.includes('=') ? v : `${v}=${process.env[v] ?? ''}`); break; }
      case '-h': case '--help': throw new RunError(undefined, USAGE);
      default:
        if (a.startsWith('-') || o.file !== undefined) throw new RunError(undefined, USAGE);
        o.file = a;
    }
  }
  if (o.file === undefined) throw new RunError(undefined, USAGE);
  return o as ServeOptions;
}

function splitAddr(addr: string): [string, number] {
  const i = addr.lastIndexOf(':');
  const port = Number(addr.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new RunError(undefined, `--addr must be HOST:PORT (got ${addr})`);
  return [addr.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port];
}

function serve(argv: string[]): number {
  try {
    return start(parse(argv));
  } catch (e) {
    if (!(e instanceof RunError)) throw e;
    process.stderr.write(`kasane: ${e.subject !== undefined ? `${e.subject}: ` : ''}${e.message}\n`);
    return e.message === USAGE ? 2 : 1;
  }
}

function start(o: ServeOptions): never {
  const [host, port] = splitAddr(o.addr);
  let bytes: Uint8Array;
  try { bytes = readFileSync(o.file); } catch (e) { throw new RunError(o.file, firstLine(e)); }
  const preopens: Record<string, FileSystem> = {};
  for (const [h, g] of o.dirs) preopens[g] = new NodeFileSystem(h);
  const { stdout, stderr } = nodeStdio();
  let proxy: HttpProxy;
  try {
    proxy = new HttpProxy(bytes, { engine: o.engine, env: o.env, args: [o.file], preopens, stdout, stderr, http: new NodeHttpClient() });
  } catch (e) {
    if (e instanceof CompileError) throw new RunError(o.file, `invalid component: ${firstLine(e)}`);
    if (e instanceof LinkError) throw new RunError(o.file, firstLine(e));
    throw e;
  }
  let server: NodeHttpServer;
  try { server = NodeHttpServer.listen(host, port); } catch (e) { throw new RunError(undefined, firstLine(e)); }
  const shown = server.address.includes(':') ? `[${server.address}]` : server.address;
  process.stderr.write(`Serving HTTP on http://${shown}:${server.port}/\n`);
  for (;;) {
    const ex = server.next();
    try {
      proxy.serve(ex);
    } catch (e) {
      process.stderr.write(`kasane: ${o.file}: request ${ex.method} ${ex.pathWithQuery}: ${firstLine(e)}\n`);
    }
  }
}

export const serveEntry = {
  usage: 'serve [OPTS] FILE',
  summary: 'serve a wasi:http/proxy component over HTTP (--addr HOST:PORT, default 0.0.0.0:8080)',
  arity: -1,
  flags: [] as readonly string[],
  run(): number { throw new Error('kasane serve parses its own arguments'); },
  runArgv: serve,
};
