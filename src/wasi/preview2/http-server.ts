// The incoming side of wasi:http: a `wasi:http/proxy` component handles requests a server hands
// in. As `wasmtime serve`, each request gets a fresh instance (componentize-js handlers serve one
// request per instance); the component is decoded, validated and compiled once. Bodies are
// buffered both ways: the guest's handler runs to completion, then the response is sent.

import type { EngineChoice } from '../../api/backend.js';
import { LinkError } from '../../errors.js';
import { decodeComponent, validateComponent, componentBackend, type Component } from '../../component/index.js';
import { instantiateComponent as instantiateDecoded } from '../../component/instantiate.js';
import { withoutVersion } from '../../component/instantiate.js';
import type { WebAssemblyNamespace } from '../../api/namespace.js';
import { Preview2, type Preview2Options } from './host.js';
import { IncomingRequest, ResponseOutparam, bytesSource, type Scheme } from './http.js';

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

type Handler = { handle: (req: IncomingRequest, out: ResponseOutparam) => void };

export class HttpProxy {
  private readonly component: Component;
  private readonly wasm: WebAssemblyNamespace;

  constructor(bytes: Uint8Array, private readonly options: Preview2Options & { engine?: EngineChoice } = {}) {
    this.component = decodeComponent(bytes);
    validateComponent(this.component);
    this.wasm = componentBackend(this.component, options.engine ?? 'auto');
    this.handler(); // a component that is not a proxy fails now, not on the first request
  }

  private handler(): Handler {
    const { exports } = instantiateDecoded(this.component, new Preview2(this.options).imports, { wasm: this.wasm });
    const name = Object.keys(exports).find((k) => withoutVersion(k) === 'wasi:http/incoming-handler');
    const h = name === undefined ? undefined : exports[name] as Partial<Handler>;
    if (typeof h?.handle !== 'function') throw new LinkError('the component does not export `wasi:http/incoming-handler` (not a wasi:http/proxy)');
    return h as Handler;
  }

  /** Runs one request on a fresh instance; a handler that traps or sets no response gives a 500. */
  handle(req: ServedRequest): ServedResponse {
    const scheme: Scheme = { tag: req.scheme === 'https' ? 'HTTPS' : 'HTTP' };
    const request = new IncomingRequest({ method: req.method, pathWithQuery: req.pathWithQuery, scheme, authority: req.authority, headers: req.headers }, bytesSource(req.body));
    const out = new ResponseOutparam();
    this.handler().handle(request, out);
    const r = out.result;
    if (r === undefined) return error('the handler set no response');
    if (r.tag === 'err') return error(`the handler failed: ${r.val.tag}${r.val.val !== undefined ? ` ${String(r.val.val)}` : ''}`);
    return { status: r.val.statusCode(), headers: [...r.val.headerList()], body: r.val.body_?.bytes() ?? new Uint8Array(0) };
  }
}

function error(message: string): ServedResponse {
  return { status: 500, headers: [['content-type', new TextEncoder().encode('text/plain')]], body: new TextEncoder().encode(message + '\n') };
}
