// A tiny static HTTP server on 127.0.0.1 (random port) for the browser tests: fixed routes only
// (pages, bundles, named fixture files, and the endpoints a test hands in), so nothing else on the
// machine is served.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  readonly type: string;
  readonly body: string | Uint8Array;
  readonly headers?: Record<string, string>;
}

export interface StaticServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** `dynamic` may answer a request first (returning true when it did). */
export async function serve(routes: ReadonlyMap<string, Route>, dynamic?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    if (dynamic?.(req, res)) return;
    const route = routes.get(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (route === undefined) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    res.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store', ...route.headers }).end(route.body);
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
