// The HTTP endpoints the fetch client's tests talk to, served by node:http both for the Node test
// (in the agent's worker thread) and for Chromium (test/browser/server.ts): an echo, a body sent
// in timed pieces, one that stalls after its first piece, one cut off, one that never answers,
// and a gzip body.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/** Requests the endpoints saw, newest last ("METHOD path x-test=... host=... body"). */
export const seen: string[] = [];
/** Responses held open (/hang, /stall): ended when the server closes. */
const held = new Set<ServerResponse>();

export function releaseHeld(): void {
  for (const r of held) r.destroy();
  held.clear();
}

/** Handles /echo, /drip, /stall, /cut, /hang and /gzip; false for any other path. */
export function httpTestRoute(req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (!['/echo', '/drip', '/stall', '/hang', '/gzip', '/cut'].includes(path)) return false;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    seen.push(`${req.method} ${req.url} x-test=${req.headers['x-test']} cookie=${req.headers.cookie} host=${req.headers.host} ${body}`);
    // Same-origin pages see every header; these make the echo readable cross-origin too.
    const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-upstream, x-multi', 'cross-origin-resource-policy': 'cross-origin' };
    switch (path) {
      case '/echo':
        res.writeHead(Number(url.searchParams.get('status') ?? 200), { ...cors, 'content-type': 'text/plain', 'x-upstream': 'yes', 'x-multi': ['a', 'b'] });
        res.end(`${req.method} ${url.pathname}${url.search} x-test=${req.headers['x-test']} [${body}]`);
        return;
      case '/drip': {
        // n pieces, gap ms apart, each flushed on its own.
        const n = Number(url.searchParams.get('n') ?? 3), gap = Number(url.searchParams.get('gap') ?? 100);
        res.writeHead(200, { ...cors, 'content-type': 'text/plain' });
        let i = 0;
        const next = (): void => {
          res.write(`piece ${i}\n`);
          if (++i < n) setTimeout(next, gap); else res.end();
        };
        next();
        return;
      }
      case '/stall':
        res.writeHead(200, { ...cors, 'content-type': 'text/plain' });
        res.write('first\n');
        held.add(res);
        return;
      case '/cut':
        // Promises 100 bytes, sends 8, then drops the connection.
        res.writeHead(200, { ...cors, 'content-type': 'text/plain', 'content-length': '100' });
        res.write('partial\n');
        setTimeout(() => res.destroy(), 50);
        return;
      case '/hang':
        held.add(res);
        return;
      case '/gzip':
        res.writeHead(200, { ...cors, 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end(gzipSync(Buffer.from('unzipped by fetch '.repeat(20))));
        return;
    }
  });
  return true;
}
