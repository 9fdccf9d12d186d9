// What fetch allows and what its failures mean for wasi:http: the request headers a page may not
// set (the Fetch standard's forbidden request-headers, which browsers drop silently: we drop them
// first and say so), checks fetch would fail with a bare TypeError, response headers as fetch
// gives them, and the error-code for a rejected fetch, as far as fetch can tell.

import type { Failure, FetchTimeouts } from './fetch-protocol.js';
import type { HttpTimeouts } from './http-client.js';

const FORBIDDEN_HEADERS = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
  'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive',
  'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
]);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const METHOD_OVERRIDES = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);

/** True for a request header a browser will not send from a page (Fetch: "forbidden request-header"). */
export function isForbiddenHeader(name: string, value: string): boolean {
  const n = name.toLowerCase();
  if (FORBIDDEN_HEADERS.has(n) || n.startsWith('proxy-') || n.startsWith('sec-')) return true;
  return METHOD_OVERRIDES.has(n) && value.split(',').some((m) => FORBIDDEN_METHODS.has(m.trim().toUpperCase()));
}

/** Header bytes as the ByteString fetch takes (one char per byte), and back. */
export function byteString(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
export function stringBytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

/** Splits a request's headers into those fetch sends and the names it would drop. */
export function requestHeaders(headers: readonly [string, Uint8Array][]): { send: [string, string][]; dropped: string[] } {
  const send: [string, string][] = [];
  const dropped: string[] = [];
  for (const [name, value] of headers) {
    const v = byteString(value);
    if (isForbiddenHeader(name, v)) { if (!dropped.includes(name.toLowerCase())) dropped.push(name.toLowerCase()); } else send.push([name, v]);
  }
  return { send, dropped };
}

/** What fetch would refuse with a TypeError before sending: the matching error-code instead. */
export function checkRequest(method: string, url: string, bodyLength: number): Failure | undefined {
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) return { code: { tag: 'HTTP-request-method-invalid' }, message: `fetch cannot send a ${method} request` };
  let parsed: URL;
  try { parsed = new URL(url); } catch { return { code: { tag: 'HTTP-request-URI-invalid' }, message: `not a URL: ${url}` }; }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { code: { tag: 'HTTP-request-URI-invalid' }, message: `fetch here sends http and https only, not ${parsed.protocol}` };
  if (bodyLength > 0 && (method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD')) {
    return { code: { tag: 'internal-error', val: 'fetch cannot send a body with a GET or HEAD request' }, message: `fetch cannot send a body with a ${method} request` };
  }
  return undefined;
}

const DECODED_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'zstd']);

/**
 * A fetch Response's headers for the guest. fetch has already decoded a gzip, deflate, br or zstd
 * body, so Content-Encoding and Content-Length (of the encoded body) would mislead the guest:
 * both are left out then. Set-Cookie never reaches a page; a cross-origin response shows only
 * the CORS-safelisted headers and those it exposes.
 */
export function responseHeaders(headers: Iterable<[string, string]>): [string, string][] {
  const list = [...headers];
  const coding = list.find(([k]) => k === 'content-encoding')?.[1].trim().toLowerCase();
  if (coding === undefined || !coding.split(',').every((c) => DECODED_CODINGS.has(c.trim()))) return list;
  return list.filter(([k]) => k !== 'content-encoding' && k !== 'content-length');
}

function isAddressLiteral(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/**
 * The error-code for a rejected fetch. `timedOut` names the timeout that aborted it, `aborted` an
 * abort by the page (the agent's signal). A network failure is one TypeError whatever happened, so:
 * connection-refused for an address (no name to look up), DNS-error for a name; the message says
 * that a response refused by CORS looks the same.
 */
export function fetchFailure(e: unknown, url: string, how: { timedOut?: string; aborted?: boolean }): Failure {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (how.timedOut !== undefined) return { code: { tag: how.timedOut }, message: `${how.timedOut}: no response from ${url} in time` };
  if (how.aborted || (e instanceof Error && e.name === 'AbortError')) return { code: { tag: 'connection-terminated' }, message: `the request to ${url} was aborted (${what})` };
  const host = new URL(url).hostname;
  const why = `fetch failed (${what}); browsers do not say why: a refused connection, an unknown host and a cross-origin response without CORS headers look the same`;
  if (isAddressLiteral(host)) return { code: { tag: 'connection-refused' }, message: why };
  return { code: { tag: 'DNS-error', val: { rcode: undefined, infoCode: undefined } }, message: why };
}

/** request-options' timeouts as the agent's: fetch cannot tell connecting from waiting for the head, so those two add up. */
export function fetchTimeouts(t: HttpTimeouts | undefined): FetchTimeouts {
  const out: FetchTimeouts = {};
  if (t?.connectMs !== undefined || t?.firstByteMs !== undefined) {
    out.headMs = (t.connectMs ?? 0) + (t.firstByteMs ?? 0);
    out.headCode = t.firstByteMs !== undefined ? 'connection-read-timeout' : 'connection-timeout';
  }
  if (t?.betweenBytesMs !== undefined) out.betweenBytesMs = t.betweenBytesMs;
  return out;
}
