// The incoming side of wasi:http: a `wasi:http/proxy` component handles requests a server hands
// in. As `wasmtime serve`, each request gets a fresh instance (componentize-js handlers serve one
// request per instance); the component is decoded, validated and compiled once. Bodies stream both
// ways (`serve`): the handler reads the request body as the server receives it, and the response
// head goes out when the handler sets it, its body as the handler writes it. `handle` is the same
// over bytes in memory.

import type { EngineChoice } from '../../api/backend.js';
import { LinkError } from '../../errors.js';
import { decodeComponent, validateComponent, componentBackend, coreValidator, type Component } from '../../component/index.js';
import { instantiateComponent as instantiateDecoded } from '../../component/instantiate.js';
import { withoutVersion } from '../../component/instantiate.js';
import type { WebAssemblyNamespace } from '../../api/namespace.js';
import { Preview2, type Preview2Options } from './host.js';
import { IncomingRequest, ResponseOutparam, bytesSource, type BodySource, type Scheme } from './http.js';

type Entry = [string, Uint8Array];

export interface ServedRequest {
  method: string;
  pathWithQuery: string;
  authority?: string;
  scheme: 'http' | 'https';
  /** Header names and values (values as bytes). */
  headers: [string, Uint8Array][];
  body: Uint8Array;
}

export interface ServedResponse {
  status: number;
  headers: [string, Uint8Array][];
  body: Uint8Array;
}

/** A request under way on a server, whose response is sent in pieces. */
export interface ServedExchange {
  method: string;
  pathWithQuery: string;
  authority?: string;
  scheme: 'http' | 'https';
  headers: Entry[];
  /** The request body as it arrives (its trailers once read to the end). */
  body: BodySource;
  /** Sends the response head. */
  respond(status: number, headers: Entry[]): void;
  write(bytes: Uint8Array): void;
  finish(trailers: readonly Entry[] | undefined): void;
  /** Ends the exchange; a response that was not finished is cut off (the connection dropped). */
  close(): void;
}

type Handler = { handle: (req: IncomingRequest, out: ResponseOutparam) => void };

export class HttpProxy {
  private readonly component: Component;
  private readonly wasm: WebAssemblyNamespace;

  constructor(bytes: Uint8Array, private readonly options: Preview2Options & { engine?: EngineChoice } = {}) {
    this.component = decodeComponent(bytes);
    const engine = options.engine ?? 'auto';
    this.wasm = componentBackend(this.component, engine);
    validateComponent(this.component, { validateCore: coreValidator(this.wasm, engine) });
    this.handler(); // a component that is not a proxy fails now, not on the first request
  }

  private handler(): Handler {
    const { exports } = instantiateDecoded(this.component, new Preview2(this.options).imports, { wasm: this.wasm });
    const name = Object.keys(exports).find((k) => withoutVersion(k) === 'wasi:http/incoming-handler');
    const h = name === undefined ? undefined : exports[name] as Partial<Handler>;
    if (typeof h?.handle !== 'function') throw new LinkError('the component does not export `wasi:http/incoming-handler` (not a wasi:http/proxy)');
    return h as Handler;
  }

  /** Runs one request on a fresh instance, buffered: the request body is given, the response collected. */
  handle(req: ServedRequest): ServedResponse {
    const out: ServedResponse = { status: 500, headers: [], body: new Uint8Array(0) };
    const chunks: Uint8Array[] = [];
    this.serve({
      ...req, body: bytesSource(req.body),
      respond: (status, headers) => { out.status = status; out.headers = headers; },
      write: (b) => chunks.push(b.slice()),
      finish: () => {},
      close: () => {},
    });
    out.body = concat(chunks);
    return out;
  }

  /**
   * Runs one request on a fresh instance, streaming. A handler that sets no response or an error
   * gives a 500; one that traps before its response head gives a 500, after it a cut-off response
   * (the trap is rethrown either way). A body the handler leaves unfinished without dropping it
   * is finished when the handler returns.
   */
  serve(ex: ServedExchange): void {
    const scheme: Scheme = { tag: ex.scheme === 'https' ? 'HTTPS' : 'HTTP' };
    const request = new IncomingRequest({ method: ex.method, pathWithQuery: ex.pathWithQuery, scheme, authority: ex.authority, headers: ex.headers }, ex.body);
    let started = false;
    let finished = false;
    const target = {
      write: (b: Uint8Array) => ex.write(b),
      finish: (t: readonly Entry[] | undefined) => { finished = true; ex.finish(t); },
      abort: () => { finished = true; ex.close(); },
    };
    const out = new ResponseOutparam((r) => {
      if (r.tag !== 'ok') return;
      ex.respond(r.val.statusCode(), [...r.val.headerList()]);
      started = true;
      r.val.attach(target);
    });
    try {
      this.handler().handle(request, out);
    } catch (e) {
      if (!started) sendError(ex, 'the handler trapped');
      ex.close();
      throw e;
    }
    const r = out.result;
    if (r === undefined) sendError(ex, 'the handler set no response');
    else if (r.tag === 'err') sendError(ex, `the handler failed: ${r.val.tag}${r.val.val !== undefined ? ` ${String(r.val.val)}` : ''}`);
    else if (!finished) target.finish(undefined);
    ex.close();
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

function sendError(ex: ServedExchange, message: string): void {
  ex.respond(500, [['content-type', new TextEncoder().encode('text/plain')]]);
  ex.write(new TextEncoder().encode(message + '\n'));
  ex.finish(undefined);
}
