// An HTTP/1.1 server for `kasane serve`: node:http listens on the network thread
// (node-http-worker.ts) and queues requests; the guest's thread takes them one at a time with
// `next` (blocking with Atomics.wait), reads each request body as it arrives and writes the
// response as the handler produces it.

import type { ServedExchange } from '../wasi/preview2/http-server.js';
import { nodeNetHost, type NodeNetHost } from './node-net.js';
import { CTRL } from './node-net-protocol.js';
import { bodyReader, closeExchange, endBody, entries, httpCall, rawHeaders, result, writeBody } from './node-http-exchange.js';

export class NodeHttpServer {
  private constructor(private readonly net: NodeNetHost, private readonly handle: number, readonly address: string, readonly port: number) {}

  /** Listens on host:port (0: any free port); throws an Error naming the failure. */
  static listen(host: string, port: number, net: NodeNetHost = nodeNetHost()): NodeHttpServer {
    try {
      httpCall(net, { op: 'http-serve', host, port });
    } catch (e) {
      throw new Error(`${host}:${port}: ${(e as Error).message}`);
    }
    const a = result<{ address: string; port: number }>(net);
    return new NodeHttpServer(net, net.ctrl[CTRL.VALUE], a.address, a.port);
  }

  /** Blocks until the next request. */
  next(): ServedExchange {
    const net = this.net;
    httpCall(net, { op: 'http-next', handle: this.handle });
    const handle = net.ctrl[CTRL.VALUE];
    const head = result<{ method: string; url: string; headers: string[] }>(net);
    const headers = entries(head.headers);
    const host = headers.find(([k]) => k === 'host')?.[1];
    let closed = false;
    return {
      method: head.method,
      pathWithQuery: head.url,
      authority: host === undefined ? undefined : new TextDecoder('latin1').decode(host),
      scheme: 'http',
      headers,
      body: bodyReader(net, handle),
      respond: (status, list) => httpCall(net, { op: 'http-respond', handle, status, headers: rawHeaders(list) }),
      write: (bytes) => writeBody(net, handle, bytes),
      finish: (trailers) => endBody(net, handle, trailers),
      close: () => { if (!closed) { closed = true; closeExchange(net, handle); } },
    };
  }
}
