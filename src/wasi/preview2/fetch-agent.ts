// The fetch side of the browser's wasi:http client: serveFetch runs on a thread whose event loop is
// free (a page, or a worker other than the guest's), sends each request of FetchHttpClient
// (fetch-client.ts) with fetch, and stores results in the client's SharedArrayBuffer, waking it
// with Atomics.notify. Response bodies are pulled from fetch's stream one piece per guest read.

import { CELL, DATA_OFFSET, type Failure, type FetchMessage, type Head, type ListeningPort } from './fetch-protocol.js';
import { fetchFailure, responseHeaders } from './fetch-policy.js';

type FetchFn = (url: string, init: Record<string, unknown>) => Promise<{
  status: number;
  headers: Iterable<[string, string]>;
  body: { getReader(): Reader } | null;
}>;
type Reader = { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> };

export interface FetchAgentOptions {
  /** The fetch to use (default: globalThis.fetch). */
  fetch?: FetchFn;
  /** Merged into every request's init: credentials, mode, cache, redirect, referrerPolicy... */
  init?: Record<string, unknown>;
  /** Aborting it ends every request and body under way: the guest sees connection-terminated. */
  signal?: AbortSignal;
}

interface Body {
  reader: Reader | undefined;
  /** Unhooks the body from the agent's stop signal. */
  release: () => void;
  pending: Uint8Array | undefined;
  controller: AbortController;
  betweenBytesMs?: number;
  url: string;
}

const encoder = new TextEncoder();

function store(sab: SharedArrayBuffer, failed: boolean, bytes: Uint8Array): void {
  const cells = new Int32Array(sab, 0, CELL.COUNT);
  const data = new Uint8Array(sab, DATA_OFFSET);
  if (bytes.length > data.length) {
    failed = true;
    bytes = encoder.encode(JSON.stringify({ code: { tag: 'HTTP-response-header-section-size', val: bytes.length }, message: 'the response head does not fit the shared buffer' }));
  }
  data.set(bytes);
  cells[CELL.FAILED] = failed ? 1 : 0;
  cells[CELL.LENGTH] = bytes.length;
  Atomics.store(cells, CELL.STATE, 1);
  Atomics.notify(cells, CELL.STATE);
}
const json = (sab: SharedArrayBuffer, failed: boolean, value: Head | Failure): void => store(sab, failed, encoder.encode(JSON.stringify(value)));

/**
 * Serves a FetchHttpClient's requests arriving on `port` (one end of a MessageChannel whose other
 * end was given to the client, or the Worker running the guest). Returns a function that aborts
 * what is under way; requests after it fail with connection-terminated.
 */
export function serveFetch(port: ListeningPort, options: FetchAgentOptions = {}): () => void {
  const doFetch: FetchFn = options.fetch ?? ((url, init) => (globalThis as unknown as { fetch: FetchFn }).fetch(url, init));
  const bodies = new Map<number, Body>();
  let next = 1;
  const stopped = new AbortController();
  const onAbort = (): void => stopped.abort();
  options.signal?.addEventListener('abort', onAbort);

  const request = async (m: Extract<FetchMessage, { op: 'request' }>): Promise<void> => {
    const controller = new AbortController();
    let timedOut: string | undefined;
    const abortAll = (): void => controller.abort();
    stopped.signal.addEventListener('abort', abortAll);
    const timer = m.timeouts.headMs === undefined ? undefined
      : setTimeout(() => { timedOut = m.timeouts.headCode ?? 'connection-timeout'; controller.abort(); }, m.timeouts.headMs);
    try {
      const res = await doFetch(m.url, {
        ...options.init, method: m.method, headers: m.headers, body: m.body, signal: controller.signal,
      });
      const handle = next++;
      const release = (): void => stopped.signal.removeEventListener('abort', abortAll);
      bodies.set(handle, { reader: res.body?.getReader(), release, pending: undefined, controller, betweenBytesMs: m.timeouts.betweenBytesMs, url: m.url });
      json(m.sab, false, { handle, status: res.status, headers: responseHeaders(res.headers) });
    } catch (e) {
      stopped.signal.removeEventListener('abort', abortAll);
      json(m.sab, true, fetchFailure(e, m.url, { timedOut, aborted: stopped.signal.aborted }));
    } finally {
      clearTimeout(timer);
    }
  };

  const drop = (handle: number): void => {
    const body = bodies.get(handle);
    bodies.delete(handle);
    body?.release();
    body?.reader?.cancel().catch(() => {});
  };

  const read = async (m: Extract<FetchMessage, { op: 'read' }>): Promise<void> => {
    const body = bodies.get(m.handle);
    if (body === undefined) { json(m.sab, true, { code: { tag: 'internal-error', val: 'no such response body' }, message: 'no such response body' }); return; }
    const max = Math.min(m.max, new Uint8Array(m.sab, DATA_OFFSET).length);
    let timedOut = false;
    try {
      // Pull the next piece only when the guest asks: fetch's stream keeps the back-pressure.
      while ((body.pending === undefined || body.pending.length === 0) && body.reader !== undefined) {
        const timer = body.betweenBytesMs === undefined ? undefined
          : setTimeout(() => { timedOut = true; body.controller.abort(); }, body.betweenBytesMs);
        let r: { done: boolean; value?: Uint8Array };
        try { r = await body.reader.read(); } finally { clearTimeout(timer); }
        if (r.done) body.reader = undefined;
        else body.pending = r.value;
      }
    } catch (e) {
      drop(m.handle);
      const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      const aborted = stopped.signal.aborted || (e instanceof Error && e.name === 'AbortError');
      json(m.sab, true, timedOut ? { code: { tag: 'connection-read-timeout' }, message: `connection-read-timeout: no more of the body from ${body.url} in time` }
        : aborted ? { code: { tag: 'connection-terminated' }, message: `reading the body from ${body.url} was aborted (${what})` }
        : { code: { tag: 'HTTP-response-incomplete' }, message: `the response body from ${body.url} was cut off (${what})` });
      return;
    }
    const piece = body.pending?.subarray(0, max) ?? new Uint8Array(0);
    body.pending = body.pending?.subarray(piece.length);
    if (piece.length === 0) drop(m.handle);
    store(m.sab, false, piece);
  };

  const onMessage = (event: { data: unknown }): void => {
    const m = event.data as FetchMessage;
    if (m === null || typeof m !== 'object' || !['request', 'read', 'close'].includes(m.op)) return;
    if (m.op !== 'close' && !(m.sab instanceof SharedArrayBuffer)) return;
    if (m.op !== 'close') {
      const cells = new Int32Array(m.sab, 0, CELL.COUNT);
      Atomics.store(cells, CELL.RECEIVED, 1);
      Atomics.notify(cells, CELL.STATE);
    }
    // A stopped agent still answers, so that no guest waits for ever.
    if (stopped.signal.aborted && m.op !== 'close') { json(m.sab, true, { code: { tag: 'connection-terminated' }, message: 'the fetch agent has stopped' }); return; }
    switch (m.op) {
      case 'request': void request(m); break;
      case 'read': void read(m); break;
      case 'close': drop(m.handle); break;
    }
  };
  port.addEventListener('message', onMessage);
  port.start?.();

  return () => {
    options.signal?.removeEventListener('abort', onAbort);
    stopped.abort();
    for (const handle of [...bodies.keys()]) drop(handle);
  };
}
