// `kasane serve [--addr HOST:PORT] [--engine E] [--dir HOST[::GUEST]] [--env NAME=VALUE] FILE`:
// serves a wasi:http/proxy component over HTTP/1.1 with node:http, as `wasmtime serve` (default
// address 0.0.0.0:8080; port 0 picks one). Each request runs to completion on a fresh instance on
// this thread, so requests are handled one at a time. Outgoing requests go through node:http on
// the network thread.

import * as http from 'node:http';
import { readFileSync } from 'node:fs';
import { ENGINE_CHOICES, type EngineChoice } from '../api/backend.js';
import { CompileError, LinkError } from '../errors.js';
import { HttpProxy, type ServedRequest } from '../wasi/preview2/http-server.js';
import { NodeHttpClient } from '../host/node-http.js';
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

function start(o: ServeOptions): number {
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
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: [string, Uint8Array][] = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i].toLowerCase(), Buffer.from(req.rawHeaders[i + 1], 'latin1')]);
      const served: ServedRequest = { method: req.method ?? 'GET', pathWithQuery: req.url ?? '/', authority: req.headers.host, scheme: 'http', headers, body: Buffer.concat(chunks) };
      let out;
      try {
        out = proxy.handle(served);
      } catch (e) {
        process.stderr.write(`kasane: ${o.file}: request ${served.method} ${served.pathWithQuery}: ${firstLine(e)}\n`);
        out = { status: 500, headers: [] as [string, Uint8Array][], body: Buffer.from('internal error\n') };
      }
      const raw: string[] = [];
      for (const [k, v] of out.headers) raw.push(k, Buffer.from(v).toString('latin1'));
      res.writeHead(out.status, raw);
      res.end(out.body);
    });
  });
  server.on('error', (e) => { process.stderr.write(`kasane: ${o.addr}: ${firstLine(e)}\n`); process.exit(1); });
  server.listen(port, host, () => {
    const a = server.address() as { address: string; port: number };
    const shown = a.address.includes(':') ? `[${a.address}]` : a.address;
    process.stderr.write(`Serving HTTP on http://${shown}:${a.port}/\n`);
  });
  return 0;
}

export const serveEntry = {
  usage: 'serve [OPTS] FILE',
  summary: 'serve a wasi:http/proxy component over HTTP (--addr HOST:PORT, default 0.0.0.0:8080)',
  arity: -1,
  flags: [] as readonly string[],
  run(): number { throw new Error('kasane serve parses its own arguments'); },
  runArgv: serve,
};
