// The guest's thread's side of an HTTP exchange on the network thread (node-http-worker.ts),
// shared by the client (node-http.ts) and the server (node-http-server.ts): ops whose failures
// carry a wasi:http error-code, reading an incoming body with its trailers, writing an outgoing one.

import { HttpRequestError, type HeaderEntry, type HttpResponse } from '../wasi/preview2/http-client.js';
import type { NodeNetHost } from './node-net.js';
import { CTRL } from './node-net-protocol.js';
import type { HttpOp } from './node-http-protocol.js';

const utf8 = new TextDecoder();

/** The JSON result of the last op. */
export function result<T>(net: NodeNetHost): T {
  return JSON.parse(utf8.decode(net.data.subarray(0, net.ctrl[CTRL.LENGTH]))) as T;
}

/** Runs one op; a failure becomes an HttpRequestError with its error-code. */
export function httpCall(net: NodeNetHost, op: HttpOp): void {
  try {
    net.call(op);
  } catch (e) {
    if (net.ctrl[CTRL.LENGTH] === 0 || net.ctrl[CTRL.DEAD]) throw new HttpRequestError({ tag: 'internal-error', val: String(e) }, String(e));
    const f = result<{ error: string; message?: string }>(net);
    const code = f.error === 'internal-error' ? { tag: f.error, val: f.message } : f.error === 'DNS-error' ? { tag: f.error, val: {} } : { tag: f.error };
    throw new HttpRequestError(code, f.message ?? f.error);
  }
}

/** Raw header pairs (name, latin1 value) as wasi:http entries (lowercase names, byte values). */
export function entries(raw: string[]): HeaderEntry[] {
  const out: HeaderEntry[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i].toLowerCase(), Uint8Array.from(raw[i + 1], (c) => c.charCodeAt(0) & 0xff)]);
  return out;
}

const latin1 = new TextDecoder('latin1');
export function rawHeaders(list: readonly HeaderEntry[]): string[] {
  return list.flatMap(([k, v]) => [k, latin1.decode(v)]);
}

/** An incoming body read in pieces; its trailers are known once the end was read. */
export function bodyReader(net: NodeNetHost, handle: number): Pick<HttpResponse, 'read' | 'trailers'> {
  let trailers: HeaderEntry[] | undefined;
  let end = false;
  return {
    read(max: number): Uint8Array {
      if (end) return new Uint8Array(0);
      httpCall(net, { op: 'http-read', handle, max });
      if (net.ctrl[CTRL.VALUE] === 1) {
        end = true;
        const t = entries(result<string[]>(net));
        trailers = t.length > 0 ? t : undefined;
        return new Uint8Array(0);
      }
      return net.data.slice(0, net.ctrl[CTRL.LENGTH]);
    },
    trailers: () => trailers,
  };
}

/** Writes a piece of an outgoing body (in parts as large as the data area). */
export function writeBody(net: NodeNetHost, handle: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) {
    const k = Math.min(bytes.length - at, net.data.length);
    net.data.set(bytes.subarray(at, at + k));
    httpCall(net, { op: 'http-write', handle, length: k });
    at += k;
  }
}

export function endBody(net: NodeNetHost, handle: number, trailers: readonly HeaderEntry[] | undefined): void {
  httpCall(net, { op: 'http-end', handle, trailers: rawHeaders(trailers ?? []) });
}

export function closeExchange(net: NodeNetHost, handle: number): void {
  try { net.call({ op: 'http-close', handle }); } catch { /* already gone */ }
}
