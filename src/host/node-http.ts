// wasi:http's HttpClient under Node: requests run on the network thread (node-http-worker.ts) and
// the guest's thread blocks with Atomics.wait for each step, as for sockets (node-net.ts). A
// started request's body goes out as the guest writes it; its response can be read meanwhile.

import type { HttpClient, HttpExchange, HttpRequest, HttpResponse, HttpTimeouts } from '../wasi/preview2/http-client.js';
import { nodeNetHost, type NodeNetHost } from './node-net.js';
import { CTRL } from './node-net-protocol.js';
import { bodyReader, closeExchange, endBody, entries, httpCall, rawHeaders, result, writeBody } from './node-http-exchange.js';

export class NodeHttpClient implements HttpClient {
  constructor(private readonly net: NodeNetHost = nodeNetHost()) {}

  request(req: HttpRequest): HttpResponse {
    const ex = this.start({ ...req, body: req.trailers === undefined ? req.body : undefined });
    if (req.trailers !== undefined) { ex.write(req.body); ex.finish(req.trailers); }
    return ex.response(true)!;
  }

  start(req: Omit<HttpRequest, 'body' | 'trailers'> & { body?: Uint8Array }): HttpExchange {
    const net = this.net;
    const t: HttpTimeouts = req.timeouts ?? {};
    httpCall(net, {
      op: 'http-request', method: req.method, url: req.url, headers: rawHeaders(req.headers), body: req.body,
      timeouts: { connect: t.connectMs, firstByte: t.firstByteMs, betweenBytes: t.betweenBytesMs },
    });
    const handle = net.ctrl[CTRL.VALUE];
    let response: HttpResponse | undefined;
    let closed = false;
    const close = (): void => { if (!closed) { closed = true; closeExchange(net, handle); } };
    return {
      write: (bytes) => writeBody(net, handle, bytes),
      finish: (trailers) => endBody(net, handle, trailers),
      abort: close,
      headHostWait: () => ({ host: net, req: { handle, write: false, httpHead: true } }),
      response(block: boolean): HttpResponse | undefined {
        if (response !== undefined) return response;
        httpCall(net, { op: 'http-response', handle, nonblock: !block });
        if (net.ctrl[CTRL.LENGTH] === 0) return undefined;
        const head = result<{ status: number; headers: string[] }>(net);
        response = { status: head.status, headers: entries(head.headers), ...bodyReader(net, handle), close };
        return response;
      },
    };
  }
}
