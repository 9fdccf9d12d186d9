// HTTP on the I/O thread (node-net-worker.ts): node:http/https exchanges kept by handle, driven
// one op at a time by the guest's thread (node-http.ts for outgoing requests, node-http-server.ts
// for `kasane serve`). Bodies move in pieces both ways while the other side is under way: an
// outgoing body is written as the guest writes it, an incoming one is paused after each piece until
// the guest reads it. Each op replies exactly once, when its result is known.

import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { HttpOp, HttpTimeoutsMs } from './node-http-protocol.js';

type Reply = (errno: number, value?: number, length?: number) => void;
interface Failure { error: string; message?: string }

/** An incoming body (a client's response or a server's request), paused after each piece. */
interface Incoming {
  msg: http.IncomingMessage; chunks: Buffer[]; eof: boolean; error?: Failure; wake?: () => void;
  betweenBytesMs?: number;
}

interface Exchange {
  out: http.ClientRequest | http.ServerResponse;
  ended: boolean;
  incoming?: Incoming;
  /** A client's response head, or a server's request head (JSON for the guest). */
  head?: unknown;
  /** A client exchange that failed before its response. */
  error?: Failure;
  /** Called when the head or an error arrives. */
  headWait?: () => void;
  /** Settles a write that is under way (on its callback, or when the exchange fails). */
  writeDone?: (f?: Failure) => void;
}

interface Server { server: http.Server; queue: number[]; wait?: () => void }

const exchanges = new Map<number, Exchange>();

/** Told whenever a client exchange's response head or failure arrives (wakes a pending poll). */
let headListener: () => void = () => {};
export function onHttpHead(listener: () => void): void { headListener = listener; }

/** Whether a client exchange's response head or failure has arrived (a closed one counts as arrived). */
export function httpHeadArrived(handle: number): boolean {
  const x = exchanges.get(handle);
  return x === undefined || x.head !== undefined || x.error !== undefined;
}
const servers = new Map<number, Server>();
let nextHandle = 1;

/** The wasi:http error-code case for a Node error. */
function failure(e: unknown): Failure {
  const message = (e as Error).message;
  switch ((e as { code?: string }).code) {
    case 'ECONNREFUSED': return { error: 'connection-refused', message };
    case 'ECONNRESET': case 'EPIPE': case 'ERR_STREAM_DESTROYED': return { error: 'connection-terminated', message };
    case 'ETIMEDOUT': return { error: 'connection-timeout', message };
    case 'ENOTFOUND': case 'EAI_AGAIN': return { error: 'DNS-error', message };
    case 'EHOSTUNREACH': case 'ENETUNREACH': return { error: 'destination-unavailable', message };
    case 'ERR_INVALID_URL': return { error: 'HTTP-request-URI-invalid', message };
    case 'ERR_INVALID_HTTP_TOKEN': case 'ERR_INVALID_CHAR': return { error: 'HTTP-request-method-invalid', message };
    default: return { error: 'internal-error', message };
  }
}

function json(data: Uint8Array, value: unknown): number {
  const b = Buffer.from(JSON.stringify(value));
  if (b.length > data.length) throw new Error('HTTP head too large');
  data.set(b);
  return b.length;
}

function incoming(msg: http.IncomingMessage, betweenBytesMs?: number): Incoming {
  const r: Incoming = { msg, chunks: [], eof: false, betweenBytesMs };
  const fail = (f: Failure): void => { if (!r.eof && r.error === undefined) r.error = f; r.wake?.(); };
  msg.on('data', (b: Buffer) => { r.chunks.push(b); msg.pause(); r.wake?.(); });
  msg.on('end', () => { r.eof = true; r.wake?.(); });
  msg.on('error', (e) => fail(failure(e)));
  msg.on('close', () => fail({ error: 'connection-terminated', message: 'the connection closed before the end of the body' }));
  return r;
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}

function startRequest(msg: HttpOp & { op: 'http-request' }, data: Uint8Array, reply: Reply): void {
  let req: http.ClientRequest;
  try {
    const lib = msg.url.startsWith('https:') ? https : http;
    // Raw headers make node:http send exactly these, so Host comes from the URL when the guest gave none.
    const headers = msg.headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'host') ? msg.headers : ['Host', new URL(msg.url).host, ...msg.headers];
    req = lib.request(msg.url, { method: msg.method, headers });
  } catch (e) {
    reply(1, 0, json(data, failure(e)));
    return;
  }
  const x: Exchange = { out: req, ended: false };
  const h = nextHandle++;
  exchanges.set(h, x);
  const t: HttpTimeoutsMs = msg.timeouts;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fail = (f: Failure): void => {
    if (timer !== undefined) clearTimeout(timer);
    if (x.incoming !== undefined) {
      if (!x.incoming.eof && x.incoming.error === undefined) x.incoming.error = f;
      x.incoming.wake?.();
    } else if (x.error === undefined) {
      x.error = f;
      x.headWait?.();
      headListener();
    }
    x.writeDone?.(f);
  };
  const timeout = (ms: number | undefined, error: string): void => {
    if (timer !== undefined) clearTimeout(timer);
    if (ms !== undefined) timer = setTimeout(() => { fail({ error, message: `${error} after ${ms} ms` }); req.destroy(); }, ms);
  };
  req.on('error', (e) => fail(failure(e)));
  req.on('socket', (s: Socket) => {
    if (!s.connecting) { timeout(t.firstByte, 'connection-read-timeout'); return; }
    timeout(t.connect, 'connection-timeout');
    s.once('connect', () => timeout(t.firstByte, 'connection-read-timeout'));
  });
  req.on('response', (res) => {
    if (timer !== undefined) clearTimeout(timer);
    if (x.error !== undefined) { res.destroy(); return; }
    x.incoming = incoming(res, t.betweenBytes);
    x.head = { status: res.statusCode ?? 0, headers: res.rawHeaders };
    x.headWait?.();
    headListener();
  });
  if (msg.body !== undefined) {
    x.ended = true;
    req.end(Buffer.from(msg.body.buffer, msg.body.byteOffset, msg.body.byteLength));
  } else {
    // The head goes now: the peer may answer before the body is complete.
    req.flushHeaders();
  }
  reply(0, h, 0);
}

function readBody(handle: number, x: Exchange, max: number, data: Uint8Array, reply: Reply): void {
  const r = x.incoming!;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = (): void => { r.wake = undefined; if (timer !== undefined) clearTimeout(timer); };
  const attempt = (): void => {
    if (r.chunks.length > 0) {
      let n = 0;
      const limit = Math.min(max, data.length);
      while (r.chunks.length > 0 && n < limit) {
        const c = r.chunks[0];
        const k = Math.min(c.length, limit - n);
        data.set(c.subarray(0, k), n);
        n += k;
        if (k === c.length) r.chunks.shift(); else { r.chunks[0] = c.subarray(k); break; }
      }
      if (r.chunks.length === 0 && !r.eof) r.msg.resume();
      done();
      reply(0, 0, n);
    } else if (r.eof) {
      done();
      // A client's exchange is over once both bodies are done (a server's is closed by the server loop).
      if (x.ended && !(x.out instanceof http.ServerResponse)) exchanges.delete(handle);
      reply(0, 1, json(data, r.msg.rawTrailers));
    } else if (r.error !== undefined) {
      done();
      reply(1, 0, json(data, r.error));
    } else {
      r.wake = attempt;
      r.msg.resume();
      if (r.betweenBytesMs !== undefined && timer === undefined) {
        const ms = r.betweenBytesMs;
        timer = setTimeout(() => {
          timer = undefined;
          if (r.error === undefined) r.error = { error: 'connection-read-timeout', message: `no body bytes for ${ms} ms` };
          r.msg.destroy();
          attempt();
        }, ms);
      }
    }
  };
  attempt();
}

function write(x: Exchange, bytes: Buffer, data: Uint8Array, reply: Reply): void {
  // A client's request that failed reports it with its response (as a request body written into a
  // pipe would): what is still written is dropped. A server's response fails the write.
  const client = !(x.out instanceof http.ServerResponse);
  if (x.error !== undefined) { if (client) reply(0); else reply(1, 0, json(data, x.error)); return; }
  let settled = false;
  x.writeDone = (f) => {
    if (settled) return;
    settled = true;
    x.writeDone = undefined;
    if (f === undefined || client) reply(0); else reply(1, 0, json(data, f));
  };
  x.out.write(bytes, (e) => x.writeDone?.(e ? failure(e) : undefined));
}

function serve(msg: HttpOp & { op: 'http-serve' }, data: Uint8Array, reply: Reply): void {
  const h = nextHandle++;
  const s: Server = { server: http.createServer(), queue: [] };
  s.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.socket.setNoDelay(true);
    const e = nextHandle++;
    exchanges.set(e, { out: res, ended: false, incoming: incoming(req), head: { method: req.method, url: req.url, headers: req.rawHeaders } });
    s.queue.push(e);
    s.wait?.();
  });
  const failed = (e: Error): void => reply(1, 0, json(data, { error: (e as { code?: string }).code ?? 'internal-error', message: e.message }));
  s.server.once('error', failed);
  s.server.listen(msg.port, msg.host, () => {
    s.server.off('error', failed);
    // Later server errors (a client that misbehaves) concern one connection only.
    s.server.on('error', () => {});
    servers.set(h, s);
    const a = s.server.address() as { address: string; port: number };
    reply(0, h, json(data, { address: a.address, port: a.port }));
  });
}

export function httpOp(msg: HttpOp, data: Uint8Array, reply: Reply): void {
  if (msg.op === 'http-request') return startRequest(msg, data, reply);
  if (msg.op === 'http-serve') return serve(msg, data, reply);
  if (msg.op === 'http-next') {
    const s = servers.get(msg.handle);
    if (s === undefined) return reply(1, 0, json(data, { error: 'internal-error', message: 'no such server' }));
    const attempt = (): void => {
      const e = s.queue.shift();
      if (e === undefined) { s.wait = attempt; return; }
      s.wait = undefined;
      reply(0, e, json(data, exchanges.get(e)!.head));
    };
    return attempt();
  }
  const x = exchanges.get(msg.handle);
  if (x === undefined) return reply(1, 0, json(data, { error: 'internal-error', message: 'no such HTTP exchange' }));
  switch (msg.op) {
    case 'http-response': {
      const attempt = (): void => {
        if (x.error !== undefined) { x.headWait = undefined; reply(1, 0, json(data, x.error)); }
        else if (x.head !== undefined) { x.headWait = undefined; reply(0, 0, json(data, x.head)); }
        else if (msg.nonblock) reply(0, 0, 0);
        else x.headWait = attempt;
      };
      return attempt();
    }
    case 'http-read':
      if (x.incoming === undefined) return reply(1, 0, json(data, { error: 'internal-error', message: 'no response yet' }));
      return readBody(msg.handle, x, msg.max, data, reply);
    case 'http-write':
      if (x.ended) return reply(1, 0, json(data, { error: 'internal-error', message: 'the body is finished' }));
      return write(x, Buffer.from(data.subarray(0, msg.length)), data, reply);
    case 'http-end':
      if (!x.ended) {
        x.ended = true;
        if (msg.trailers.length > 0) x.out.addTrailers(pairs(msg.trailers));
        x.out.end();
      }
      return reply(0);
    case 'http-respond': {
      const res = x.out as http.ServerResponse;
      try {
        res.writeHead(msg.status, msg.headers);
        res.flushHeaders();
      } catch (e) {
        return reply(1, 0, json(data, failure(e)));
      }
      return reply(0);
    }
    case 'http-close': {
      exchanges.delete(msg.handle);
      const unread = x.incoming !== undefined && !x.incoming.eof;
      if (!x.ended) {
        // An unfinished body must not look complete to the peer.
        x.out.destroy();
        x.incoming?.msg.destroy();
      } else if (unread) {
        if (x.out instanceof http.ServerResponse) x.incoming!.msg.resume(); // the rest is discarded
        else x.incoming!.msg.destroy();
      }
      return reply(0);
    }
  }
}
