// wasi:http's HttpClient over fetch, for browsers (and any engine with workers, fetch and
// SharedArrayBuffer). The guest calls outgoing-handler synchronously but fetch is asynchronous, so
// the guest runs in a worker that blocks in Atomics.wait while another thread (the page, or
// another worker) runs serveFetch (fetch-agent.ts) and stores each result in this client's
// SharedArrayBuffer. Atomics.wait needs a worker, and SharedArrayBuffer a cross-origin isolated
// page (COOP same-origin + COEP require-corp); without them the constructor says so.

import { HttpRequestError, type HttpClient, type HttpRequest, type HttpResponse } from './http-client.js';
import { CELL, DATA_OFFSET, DATA_SIZE, type Failure, type FetchMessage, type Head, type PortLike } from './fetch-protocol.js';
import { checkRequest, fetchTimeouts, requestHeaders, stringBytes } from './fetch-policy.js';

export interface FetchHttpClientOptions {
  /**
   * Told once per header name when a request header is dropped because browsers do not let a
   * page set it (Host, Content-Length, Cookie, Origin, Sec-*, ...; fetch would drop it silently).
   * Default: console.warn.
   */
  onNote?: (message: string) => void;
  /**
   * How long a request may wait for serveFetch to receive it before it fails with internal-error
   * (no agent on the port, or one on this very thread); default 10 s. Once received, a request
   * waits for as long as fetch takes (request-options bound that).
   */
  agentTimeoutMs?: number;
}

const decoder = new TextDecoder();

/** Why this thread cannot use the client, or undefined when it can. */
function cannotBlock(): string | undefined {
  if (typeof SharedArrayBuffer !== 'function') {
    return 'FetchHttpClient needs SharedArrayBuffer: serve the page cross-origin isolated (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp)';
  }
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
  } catch {
    return 'FetchHttpClient blocks with Atomics.wait, which this thread (a page\'s main thread) may not do: run the component in a Web Worker and serveFetch on the page';
  }
  return undefined;
}

export class FetchHttpClient implements HttpClient {
  private readonly sab: SharedArrayBuffer;
  private readonly cells: Int32Array;
  private readonly data: Uint8Array;
  private readonly noted = new Set<string>();
  private readonly note: (message: string) => void;
  private readonly agentTimeoutMs: number;

  /** `port` reaches serveFetch: a MessagePort of a channel whose other end the agent serves, or (in a worker) the worker's global scope. */
  constructor(private readonly port: PortLike, options: FetchHttpClientOptions = {}) {
    const why = cannotBlock();
    if (why !== undefined) throw new Error(why);
    this.sab = new SharedArrayBuffer(DATA_OFFSET + DATA_SIZE);
    this.cells = new Int32Array(this.sab, 0, CELL.COUNT);
    this.data = new Uint8Array(this.sab, DATA_OFFSET);
    this.note = options.onNote ?? ((m) => console.warn(m));
    this.agentTimeoutMs = options.agentTimeoutMs ?? 10_000;
  }

  /** Posts a message and blocks until the agent has stored its result; returns the failure flag. */
  private call(message: FetchMessage): boolean {
    Atomics.store(this.cells, CELL.STATE, 0);
    Atomics.store(this.cells, CELL.RECEIVED, 0);
    this.port.postMessage(message);
    const deadline = performance.now() + this.agentTimeoutMs;
    while (Atomics.load(this.cells, CELL.STATE) === 0) {
      if (Atomics.load(this.cells, CELL.RECEIVED) !== 0) { Atomics.wait(this.cells, CELL.STATE, 0); continue; }
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new HttpRequestError({ tag: 'internal-error', val: 'no fetch agent' }, `no fetch agent received the request in ${this.agentTimeoutMs} ms: call serveFetch on the other end of the port, on another thread than the guest's`);
      }
      Atomics.wait(this.cells, CELL.STATE, 0, left);
    }
    return this.cells[CELL.FAILED] !== 0;
  }

  private result<T>(): T {
    return JSON.parse(decoder.decode(this.data.slice(0, this.cells[CELL.LENGTH]))) as T;
  }

  request(req: HttpRequest): HttpResponse {
    const bad = checkRequest(req.method, req.url, req.body.length);
    if (bad !== undefined) throw new HttpRequestError(bad.code, bad.message);
    const { send, dropped } = requestHeaders(req.headers);
    const fresh = dropped.filter((n) => !this.noted.has(n));
    if (fresh.length > 0) {
      fresh.forEach((n) => this.noted.add(n));
      this.note(`wasi:http in the browser: ${fresh.join(', ')} not sent (browsers do not let a page set ${fresh.length === 1 ? 'this header' : 'these headers'}; fetch sets its own)`);
    }
    const failed = this.call({
      op: 'request', sab: this.sab, method: req.method, url: req.url, headers: send,
      body: req.body.length > 0 ? req.body.slice() : null, timeouts: fetchTimeouts(req.timeouts),
    });
    if (failed) {
      const f = this.result<Failure>();
      throw new HttpRequestError(f.code, f.message);
    }
    const head = this.result<Head>();
    let done = false;
    return {
      status: head.status,
      headers: head.headers.map(([k, v]) => [k, stringBytes(v)]),
      read: (max: number): Uint8Array => {
        if (done) return new Uint8Array(0);
        if (this.call({ op: 'read', sab: this.sab, handle: head.handle, max })) {
          done = true;
          const f = this.result<Failure>();
          throw new HttpRequestError(f.code, f.message);
        }
        const n = this.cells[CELL.LENGTH];
        if (n === 0) done = true;
        return this.data.slice(0, n);
      },
      close: (): void => {
        if (done) return;
        done = true;
        this.port.postMessage({ op: 'close', handle: head.handle } satisfies FetchMessage);
      },
    };
  }
}
