// wasi:http/types and wasi:http/outgoing-handler (0.2.x) with jco's host conventions: resource
// classes, `result` errors thrown as their payload, variants as `{ tag, val }`. Bodies stream:
// an outgoing body is buffered only until its message is under way (a request handed to a client
// that can start requests, a response set in its outparam), then each write goes out as it comes;
// an incoming body reads from the host's HttpResponse or a server's request as it arrives.

import { ConditionPollable, InputStream, IoError, OutputStream, Pollable } from './io.js';
import { HttpRequestError, type HttpClient, type HttpExchange, type HttpResponse, type HttpTimeouts } from './http-client.js';
import type { NetHost, PollRequest } from '../sockets.js';

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

/** A byte source read in pieces (a host response, or a server's request body); trailers once read has returned the end. */
export interface BodySource { read(max: number): Uint8Array; trailers?(): readonly Entry[] | undefined }

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
    return new FutureTrailers(body.source);
  }
}

/** wasi:http/types.future-trailers: `get` reads what is left of the body, then gives its trailers. */
export class FutureTrailers {
  private taken = false;
  constructor(private readonly source?: BodySource) {}
  subscribe(): Pollable { return new Pollable(); }
  get(): unknown {
    if (this.taken) return { tag: 'err', val: undefined };
    this.taken = true;
    const s = this.source;
    if (s === undefined) return { tag: 'ok', val: { tag: 'ok', val: undefined } };
    try {
      while (s.read(0x10000).length > 0) { /* the rest of the body is not wanted */ }
    } catch (e) {
      return { tag: 'ok', val: { tag: 'err', val: errorCodeOf(e) } };
    }
    const t = s.trailers?.();
    return { tag: 'ok', val: { tag: 'ok', val: t === undefined || t.length === 0 ? undefined : Fields.of(t, true) } };
  }
}

/** Where an outgoing body goes once its message is under way (a client request, a server response). */
export interface BodyTarget {
  write(bytes: Uint8Array): void;
  finish(trailers: readonly Entry[] | undefined): void;
  /** The body was dropped unfinished: the message must not look complete. */
  abort(): void;
}

/** wasi:http/types.outgoing-body: kept until attached to its message's target, then written through; finished once. */
export class OutgoingBody {
  readonly chunks: Uint8Array[] = [];
  finished = false;
  dropped = false;
  trailers?: readonly Entry[];
  private target?: BodyTarget;
  private written = false;
  constructor(private readonly onFinish?: () => void) {}
  write(): OutputStream {
    if (this.written) throw undefined;
    this.written = true;
    return new OutputStream({
      write: (b: Uint8Array) => {
        if (this.finished) throw new Error('the body is finished');
        if (this.target !== undefined) this.target.write(b); else this.chunks.push(b.slice());
      },
    });
  }
  static finish(body: OutgoingBody, trailers: Fields | undefined): void {
    body.finished = true;
    const t = trailers?.snapshot();
    body.trailers = t !== undefined && t.length > 0 ? t.slice() : undefined;
    body.target?.finish(body.trailers);
    body.onFinish?.();
  }
  /** Sends what was written so far to the target, and from now on every write as it comes. */
  attach(target: BodyTarget): void {
    this.target = target;
    for (const c of this.chunks.splice(0)) target.write(c);
    if (this.finished) target.finish(this.trailers);
    else if (this.dropped) target.abort();
  }
  /** Dropped by the guest: unless finished, the body is incomplete (the spec's "an error has occurred"). */
  [Symbol.dispose](): void {
    if (this.finished || this.dropped) return;
    this.dropped = true;
    this.target?.abort();
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

/** wasi:http/types.request-options: durations in nanoseconds, enforced by the host's client. */
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
    if (this.target !== undefined) this.body_.attach(this.target);
    return this.body_;
  }
  headerList(): readonly Entry[] { return this.fields; }

  private target?: BodyTarget;
  /** The response is under way: its body (now or once the guest asks for it) goes to target. */
  attach(target: BodyTarget): void {
    this.target = target;
    this.body_?.attach(target);
  }
}

type ResponseResult = { tag: 'ok'; val: OutgoingResponse } | { tag: 'err'; val: ErrorCode };

/** wasi:http/types.response-outparam: where the guest's handler puts its response (or error). */
export class ResponseOutparam {
  result?: ResponseResult;
  /** The server's hook: the head goes out when the guest sets the response. */
  constructor(private readonly onSet?: (r: ResponseResult) => void) {}
  static set(param: ResponseOutparam, response: ResponseResult): void {
    if (param.result !== undefined) throw new Error('response-outparam.set: already set');
    param.result = response;
    param.onSet?.(response);
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
    return new IncomingBody({ read: (max) => this.res.read(max), trailers: () => this.res.trailers?.() });
  }
}

type Outcome = { tag: 'ok'; val: IncomingResponse } | { tag: 'err'; val: ErrorCode };

function errorCodeOf(e: unknown): ErrorCode {
  return e instanceof HttpRequestError ? e.code : { tag: 'internal-error', val: e instanceof Error ? e.message : String(e) };
}

/** Ready once a started exchange's response head (or its failure) has arrived; block and poll wait in the host when it can tell. */
class ResponsePollable extends ConditionPollable {
  constructor(private readonly future: FutureIncomingResponse) { super(() => future.poll(false)); }
  override block(): void { this.future.poll(true); }
  override hostWait(): { host: NetHost; req: PollRequest } | undefined {
    return this.future.outcome === undefined ? this.future.exchange?.headHostWait?.() : undefined;
  }
}

/** wasi:http/types.future-incoming-response: resolved when the host has the response head. */
export class FutureIncomingResponse {
  outcome?: Outcome;
  /** A request under way whose head is asked for when polled. */
  exchange?: HttpExchange;
  private taken = false;
  subscribe(): Pollable { return new ResponsePollable(this); }
  /** Whether the outcome is known, asking the exchange (waiting for it when block). */
  poll(block: boolean): boolean {
    if (this.outcome === undefined && this.exchange !== undefined) {
      try {
        const res = this.exchange.response(block);
        if (res !== undefined) this.outcome = { tag: 'ok', val: new IncomingResponse(res) };
      } catch (e) {
        this.outcome = { tag: 'err', val: errorCodeOf(e) };
      }
    }
    return this.outcome !== undefined;
  }
  get(): unknown {
    if (!this.poll(false)) return undefined;
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

/**
 * wasi:http/outgoing-handler.handle. With a client that can start requests, the request goes out
 * at once and its body as the guest writes it; otherwise it is sent once its body is finished.
 */
export function outgoingHandler(client: HttpClient | undefined): { handle: (r: OutgoingRequest, o?: RequestOptions) => FutureIncomingResponse } {
  return {
    handle(request: OutgoingRequest, options?: RequestOptions): FutureIncomingResponse {
      if (client === undefined) throw { tag: 'HTTP-request-denied' };
      const head = { method: methodName(request.method()), url: requestUrl(request), headers: request.headerList().slice(), timeouts: options?.timeouts() };
      const future = new FutureIncomingResponse();
      const body = request.body_;
      if (client.start !== undefined) {
        try {
          const ex = client.start({ ...head, body: body === undefined ? new Uint8Array(0) : undefined });
          future.exchange = ex;
          body?.attach({ write: (b) => ex.write(b), finish: (t) => ex.finish(t?.slice()), abort: () => ex.abort() });
        } catch (e) {
          future.outcome = { tag: 'err', val: errorCodeOf(e) };
        }
        return future;
      }
      const send = (): void => {
        try {
          const res = client.request({ ...head, body: body?.bytes() ?? new Uint8Array(0), trailers: body?.trailers?.slice() });
          future.outcome = { tag: 'ok', val: new IncomingResponse(res) };
        } catch (e) {
          future.outcome = { tag: 'err', val: errorCodeOf(e) };
        }
      };
      if (body === undefined || body.finished) send();
      else request.onBodyFinished = send;
      return future;
    },
  };
}

/** wasi:http/types.http-error-code: the error-code of a body stream's failure, when the host knew one. */
export function httpErrorCode(err: IoError): ErrorCode | undefined {
  return err.cause instanceof HttpRequestError ? err.cause.code : undefined;
}

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
