// wasi:http/types and wasi:http/outgoing-handler (0.2.x) with jco's host conventions: resource
// classes, `result` errors thrown as their payload, variants as `{ tag, val }`. Bodies are
// buffered: an outgoing request is sent when its body is finished (or at once without one), and
// an incoming body reads from the host's HttpResponse or from bytes a server already has.

import { ConditionPollable, InputStream, IoError, OutputStream, Pollable } from './io.js';
import { HttpRequestError, type HttpClient, type HttpResponse, type HttpTimeouts } from './http-client.js';

export type Method = { tag: string; val?: string };
export type Scheme = { tag: string; val?: string };
export type ErrorCode = { tag: string; val?: unknown };
type Entry = [string, Uint8Array];

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Hop-by-hop headers a guest may not set (as wasmtime's host).
const FORBIDDEN = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'http2-settings']);
const METHODS = ['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch'];

function checkName(name: string): void {
  if (!TOKEN.test(name)) throw { tag: 'invalid-syntax' };
  if (FORBIDDEN.has(name.toLowerCase())) throw { tag: 'forbidden' };
}
function checkValue(v: Uint8Array): void {
  if (v.some((b) => b === 0 || b === 10 || b === 13)) throw { tag: 'invalid-syntax' };
}

/** wasi:http/types.fields (headers and trailers); names compare case-insensitively. */
export class Fields {
  private list: Entry[] = [];
  private immutable = false;

  /** Fields made by the host (a request's or response's headers): immutable to the guest. */
  static of(list: readonly Entry[], immutable: boolean): Fields {
    const f = new Fields();
    f.list = list.map(([k, v]) => [k, v.slice()]);
    f.immutable = immutable;
    return f;
  }
  static fromList(entries: Entry[]): Fields {
    for (const [k, v] of entries) { checkName(k); checkValue(v); }
    return Fields.of(entries, false);
  }
  get(name: string): Uint8Array[] {
    const n = name.toLowerCase();
    return this.list.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v.slice());
  }
  has(name: string): boolean { return this.get(name).length > 0; }
  set(name: string, values: Uint8Array[]): void {
    this.mutable(name);
    values.forEach(checkValue);
    this.remove(name);
    for (const v of values) this.list.push([name, v.slice()]);
  }
  delete(name: string): void { this.mutable(name); this.remove(name); }
  append(name: string, value: Uint8Array): void {
    this.mutable(name);
    checkValue(value);
    this.list.push([name, value.slice()]);
  }
  entries(): Entry[] { return this.list.map(([k, v]) => [k, v.slice()]); }
  clone(): Fields { return Fields.of(this.list, false); }

  /** The entries as they are (the host's view). */
  snapshot(): readonly Entry[] { return this.list; }
  private mutable(name: string): void {
    if (this.immutable) throw { tag: 'immutable' };
    checkName(name);
  }
  private remove(name: string): void {
    const n = name.toLowerCase();
    this.list = this.list.filter(([k]) => k.toLowerCase() !== n);
  }
}

export function methodName(m: Method): string { return m.tag === 'other' ? m.val! : m.tag.toUpperCase(); }
export function methodOf(name: string): Method {
  const l = name.toLowerCase();
  return METHODS.includes(l) && name === name.toUpperCase() ? { tag: l } : { tag: 'other', val: name };
}

/** A byte source read in pieces (a host response, or a server's buffered request body). */
export interface BodySource { read(max: number): Uint8Array }

export function bytesSource(bytes: Uint8Array): BodySource {
  let at = 0;
  return { read(max) { const out = bytes.subarray(at, at + max); at += out.length; return out; } };
}

/** wasi:http/types.incoming-request: made by the server (kasane serve) for each request. */
export class IncomingRequest {
  private consumed = false;
  constructor(
    private readonly req: { method: string; pathWithQuery?: string; scheme?: Scheme; authority?: string; headers: readonly Entry[] },
    private readonly body: BodySource,
  ) {}
  method(): Method { return methodOf(this.req.method); }
  pathWithQuery(): string | undefined { return this.req.pathWithQuery; }
  scheme(): Scheme | undefined { return this.req.scheme; }
  authority(): string | undefined { return this.req.authority; }
  headers(): Fields { return Fields.of(this.req.headers, true); }
  consume(): IncomingBody {
    if (this.consumed) throw undefined;
    this.consumed = true;
    return new IncomingBody(this.body);
  }
}

/** wasi:http/types.incoming-body */
export class IncomingBody {
  private taken = false;
  constructor(private readonly source: BodySource, private readonly onFinish?: () => void) {}
  stream(): InputStream {
    if (this.taken) throw undefined;
    this.taken = true;
    return new InputStream(this.source);
  }
  static finish(body: IncomingBody): FutureTrailers {
    body.onFinish?.();
    return new FutureTrailers();
  }
}

/** wasi:http/types.future-trailers: bodies here have no trailers. */
export class FutureTrailers {
  private taken = false;
  subscribe(): Pollable { return new Pollable(); }
  get(): unknown {
    if (this.taken) return { tag: 'err', val: undefined };
    this.taken = true;
    return { tag: 'ok', val: { tag: 'ok', val: undefined } };
  }
}

/** wasi:http/types.outgoing-body: collects what the guest writes; finished once. */
export class OutgoingBody {
  readonly chunks: Uint8Array[] = [];
  finished = false;
  private written = false;
  constructor(private readonly onFinish?: () => void) {}
  write(): OutputStream {
    if (this.written) throw undefined;
    this.written = true;
    return new OutputStream({ write: (b: Uint8Array) => { if (!this.finished) this.chunks.push(b.slice()); } });
  }
  static finish(body: OutgoingBody, trailers: Fields | undefined): void {
    if (trailers !== undefined && trailers.snapshot().length > 0) throw { tag: 'internal-error', val: 'trailers are not supported' };
    body.finished = true;
    body.onFinish?.();
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }
}

/** wasi:http/types.outgoing-request */
export class OutgoingRequest {
  private m: Method = { tag: 'get' };
  private path?: string;
  private sch?: Scheme;
  private auth?: string;
  private readonly fields: readonly Entry[];
  body_?: OutgoingBody;
  /** Called when the body is finished (outgoing-handler sends then). */
  onBodyFinished?: () => void;

  constructor(headers: Fields) { this.fields = headers.snapshot().slice(); }
  body(): OutgoingBody {
    if (this.body_ !== undefined) throw undefined;
    this.body_ = new OutgoingBody(() => this.onBodyFinished?.());
    return this.body_;
  }
  method(): Method { return this.m; }
  setMethod(m: Method): void {
    if (m.tag === 'other' && !TOKEN.test(m.val ?? '')) throw undefined;
    this.m = m;
  }
  pathWithQuery(): string | undefined { return this.path; }
  setPathWithQuery(p: string | undefined): void { this.path = p; }
  scheme(): Scheme | undefined { return this.sch; }
  setScheme(s: Scheme | undefined): void {
    if (s?.tag === 'other' && !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(s.val ?? '')) throw undefined;
    this.sch = s;
  }
  authority(): string | undefined { return this.auth; }
  setAuthority(a: string | undefined): void {
    if (a !== undefined && /[\s/?#]/.test(a)) throw undefined;
    this.auth = a;
  }
  headers(): Fields { return Fields.of(this.fields, true); }
  headerList(): readonly Entry[] { return this.fields; }
}

/** wasi:http/types.request-options: timeouts are kept (and not enforced yet). */
export class RequestOptions {
  private t: Record<string, bigint | undefined> = {};
  connectTimeout(): bigint | undefined { return this.t.connect; }
  setConnectTimeout(d: bigint | undefined): void { this.t.connect = d; }
  firstByteTimeout(): bigint | undefined { return this.t.first; }
  setFirstByteTimeout(d: bigint | undefined): void { this.t.first = d; }
  betweenBytesTimeout(): bigint | undefined { return this.t.between; }
  setBetweenBytesTimeout(d: bigint | undefined): void { this.t.between = d; }
  /** The timeouts in whole milliseconds (rounded up, so that a tiny timeout is not none). */
  timeouts(): HttpTimeouts {
    const ms = (d: bigint | undefined): number | undefined => d === undefined ? undefined : Number((d + 999_999n) / 1_000_000n);
    return { connectMs: ms(this.t.connect), firstByteMs: ms(this.t.first), betweenBytesMs: ms(this.t.between) };
  }
}

/** wasi:http/types.outgoing-response */
export class OutgoingResponse {
  private status = 200;
  private readonly fields: readonly Entry[];
  body_?: OutgoingBody;
  constructor(headers: Fields) { this.fields = headers.snapshot().slice(); }
  statusCode(): number { return this.status; }
  setStatusCode(s: number): void {
    if (s < 100 || s > 999) throw undefined;
    this.status = s;
  }
  headers(): Fields { return Fields.of(this.fields, true); }
  body(): OutgoingBody {
    if (this.body_ !== undefined) throw undefined;
    this.body_ = new OutgoingBody();
    return this.body_;
  }
  headerList(): readonly Entry[] { return this.fields; }
}

/** wasi:http/types.response-outparam: where the guest's handler puts its response (or error). */
export class ResponseOutparam {
  result?: { tag: 'ok'; val: OutgoingResponse } | { tag: 'err'; val: ErrorCode };
  static set(param: ResponseOutparam, response: { tag: 'ok'; val: OutgoingResponse } | { tag: 'err'; val: ErrorCode }): void {
    if (param.result !== undefined) throw new Error('response-outparam.set: already set');
    param.result = response;
  }
}

/** wasi:http/types.incoming-response over the host's response. */
export class IncomingResponse {
  private consumed = false;
  constructor(private readonly res: HttpResponse) {}
  status(): number { return this.res.status; }
  headers(): Fields { return Fields.of(this.res.headers, true); }
  consume(): IncomingBody {
    if (this.consumed) throw undefined;
    this.consumed = true;
    return new IncomingBody({ read: (max) => this.res.read(max) });
  }
}

type Outcome = { tag: 'ok'; val: IncomingResponse } | { tag: 'err'; val: ErrorCode };

/** wasi:http/types.future-incoming-response: resolved when the host has the response head. */
export class FutureIncomingResponse {
  outcome?: Outcome;
  private taken = false;
  subscribe(): Pollable { return new ConditionPollable(() => this.outcome !== undefined); }
  get(): unknown {
    if (this.outcome === undefined) return undefined;
    if (this.taken) return { tag: 'err', val: undefined };
    this.taken = true;
    return { tag: 'ok', val: this.outcome };
  }
}

function requestUrl(r: OutgoingRequest): string {
  const s = r.scheme();
  const scheme = s === undefined || s.tag === 'HTTP' ? 'http' : s.tag === 'HTTPS' ? 'https' : s.val!;
  const authority = r.authority();
  if (authority === undefined) throw { tag: 'HTTP-request-URI-invalid' };
  return `${scheme}://${authority}${r.pathWithQuery() ?? '/'}`;
}

/** wasi:http/outgoing-handler.handle: sends through the host's client once the body is complete. */
export function outgoingHandler(client: HttpClient | undefined): { handle: (r: OutgoingRequest, o?: RequestOptions) => FutureIncomingResponse } {
  return {
    handle(request: OutgoingRequest, options?: RequestOptions): FutureIncomingResponse {
      if (client === undefined) throw { tag: 'HTTP-request-denied' };
      const url = requestUrl(request);
      const future = new FutureIncomingResponse();
      const send = (): void => {
        try {
          const res = client.request({
            method: methodName(request.method()), url, headers: request.headerList().slice(), body: request.body_?.bytes() ?? new Uint8Array(0), timeouts: options?.timeouts(),
          });
          future.outcome = { tag: 'ok', val: new IncomingResponse(res) };
        } catch (e) {
          future.outcome = { tag: 'err', val: e instanceof HttpRequestError ? e.code : { tag: 'internal-error', val: String(e) } };
        }
      };
      if (request.body_ === undefined || request.body_.finished) send();
      else request.onBodyFinished = send;
      return future;
    },
  };
}

/** wasi:http/types.http-error-code: stream errors here carry no HTTP error code. */
export function httpErrorCode(_err: IoError): ErrorCode | undefined { return undefined; }

/** The wasi:http imports of a host (types and outgoing-handler). */
export function httpImports(client: HttpClient | undefined): Record<string, Record<string, unknown>> {
  return {
    'wasi:http/types': {
      Fields, IncomingRequest, OutgoingRequest, RequestOptions, ResponseOutparam, IncomingResponse,
      IncomingBody, FutureTrailers, OutgoingResponse, OutgoingBody, FutureIncomingResponse, httpErrorCode,
    },
    'wasi:http/outgoing-handler': outgoingHandler(client),
  };
}
