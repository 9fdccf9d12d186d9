// wasi:http's HttpClient under Node: the request runs on the network thread (node-http-worker.ts)
// and the guest's thread blocks with Atomics.wait for the response head and each body piece, as
// for sockets (node-net.ts).

import { HttpRequestError, type HttpClient, type HttpRequest, type HttpResponse } from '../wasi/preview2/http-client.js';
import { nodeNetHost, type NodeNetHost } from './node-net.js';
import { CTRL } from './node-net-protocol.js';

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder();

export class NodeHttpClient implements HttpClient {
  constructor(private readonly net: NodeNetHost = nodeNetHost()) {}

  request(req: HttpRequest): HttpResponse {
    const net = this.net;
    const headers = req.headers.flatMap(([k, v]) => [k, latin1.decode(v)]);
    net.call({ op: 'http-request', method: req.method, url: req.url, headers, body: req.body });
    const head = JSON.parse(utf8.decode(net.data.subarray(0, net.ctrl[CTRL.LENGTH]))) as
      { error?: string; message?: string; status: number; headers: string[] };
    if (head.error !== undefined) {
      const code = head.error === 'internal-error' ? { tag: head.error, val: head.message } : head.error === 'DNS-error' ? { tag: head.error, val: {} } : { tag: head.error };
      throw new HttpRequestError(code, head.message ?? head.error);
    }
    const handle = net.ctrl[CTRL.VALUE];
    const pairs: [string, Uint8Array][] = [];
    for (let i = 0; i + 1 < head.headers.length; i += 2) pairs.push([head.headers[i].toLowerCase(), Uint8Array.from(head.headers[i + 1], (c) => c.charCodeAt(0) & 0xff)]);
    let closed = false;
    return {
      status: head.status,
      headers: pairs,
      read(max: number): Uint8Array {
        if (closed) return new Uint8Array(0);
        try {
          net.call({ op: 'http-read', handle, max });
        } catch {
          throw new Error('the response body was cut off');
        }
        return net.data.slice(0, net.ctrl[CTRL.LENGTH]);
      },
      close(): void {
        if (closed) return;
        closed = true;
        net.call({ op: 'http-close', handle });
      },
    };
  }
}
