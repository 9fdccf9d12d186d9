// The fetch side of fetch-http.test.ts on a worker thread: serveFetch on the port it is given and
// the endpoints of http-routes.ts on loopback. The test's main thread is the guest's: it blocks
// in Atomics.wait while this thread runs fetch and the server.

import { parentPort, workerData } from 'node:worker_threads';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveFetch } from '../../src/index.js';
import { httpTestRoute, releaseHeld, seen } from './http-routes.js';

const controller = new AbortController();
serveFetch(workerData.port, { signal: controller.signal });

const listen = (s: Server): Promise<number> => new Promise((ok) => s.listen(0, '127.0.0.1', () => ok((s.address() as AddressInfo).port)));
const server = createServer((req, res) => { if (!httpTestRoute(req, res)) res.writeHead(404).end('not found'); });
const port = await listen(server);
const gone = createServer();
const closedPort = await listen(gone);
await new Promise((ok) => gone.close(ok));

parentPort!.on('message', (m: { op: string; ms?: number }) => {
  if (m.op === 'seen') parentPort!.postMessage({ seen });
  // Aborts the agent's signal a little later, while the guest waits for a response.
  if (m.op === 'abort-later') setTimeout(() => controller.abort(), m.ms);
  if (m.op === 'stop') { releaseHeld(); server.closeAllConnections(); server.close(); parentPort!.close(); }
});
parentPort!.postMessage({ origin: `http://127.0.0.1:${port}`, closedPort });
