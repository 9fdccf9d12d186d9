// Outgoing HTTP on the I/O thread (node-net-worker.ts): node:http/https requests whose responses
// are kept by handle and read in pieces by the guest's thread (src/host/node-http.ts). Each op
// replies exactly once, when its result is known (headers arrived, body bytes or the end).

import * as http from 'node:http';
import * as https from 'node:https';
import type { Request } from './node-net-protocol.js';

interface Response { res: http.IncomingMessage; chunks: Buffer[]; eof: boolean; error?: string; wake?: () => void }
const responses = new Map<number, Response>();
let nextHandle = 1;

type Reply = (errno: number, value?: number, length?: number) => void;

/** The wasi:http error-code case for a Node request error. */
function errorCase(e: unknown): string {
  switch ((e as { code?: string }).code) {
    case 'ECONNREFUSED': return 'connection-refused';
    case 'ECONNRESET': return 'connection-terminated';
    case 'ETIMEDOUT': return 'connection-timeout';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'DNS-error';
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'destination-unavailable';
    case 'ERR_INVALID_URL': return 'HTTP-request-URI-invalid';
    case 'ERR_INVALID_HTTP_TOKEN': case 'ERR_INVALID_CHAR': return 'HTTP-request-method-invalid';
    default: return 'internal-error';
  }
}

function json(data: Uint8Array, value: unknown): number {
  const b = Buffer.from(JSON.stringify(value));
  if (b.length > data.length) throw new Error('HTTP response head too large');
  data.set(b);
  return b.length;
}

export function httpOp(msg: Request & { op: 'http-request' | 'http-read' | 'http-close' }, data: Uint8Array, reply: Reply): void {
  switch (msg.op) {
    case 'http-request': {
      let done = false;
      const fail = (e: unknown): void => {
        if (done) return;
        done = true;
        reply(0, 0, json(data, { error: errorCase(e), message: (e as Error).message }));
      };
      try {
        const lib = msg.url.startsWith('https:') ? https : http;
        // Raw headers make node:http send exactly these, so Host comes from the URL when the guest gave none.
        const headers = msg.headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'host') ? msg.headers : ['Host', new URL(msg.url).host, ...msg.headers];
        const req = lib.request(msg.url, { method: msg.method, headers }, (res) => {
          if (done) { res.destroy(); return; }
          done = true;
          const h = nextHandle++;
          const r: Response = { res, chunks: [], eof: false };
          responses.set(h, r);
          res.on('data', (b: Buffer) => { r.chunks.push(b); res.pause(); r.wake?.(); });
          res.on('end', () => { r.eof = true; r.wake?.(); });
          res.on('error', (e) => { r.error = e.message; r.eof = true; r.wake?.(); });
          reply(0, h, json(data, { status: res.statusCode ?? 0, headers: res.rawHeaders }));
        });
        req.on('error', fail);
        req.end(Buffer.from(msg.body.buffer, msg.body.byteOffset, msg.body.byteLength));
      } catch (e) {
        fail(e);
      }
      return;
    }
    case 'http-read': {
      const r = responses.get(msg.handle);
      if (r === undefined) return reply(1);
      const attempt = (): void => {
        if (r.chunks.length > 0) {
          let n = 0;
          while (r.chunks.length > 0 && n < msg.max) {
            const c = r.chunks[0];
            const k = Math.min(c.length, msg.max - n, data.length - n);
            data.set(c.subarray(0, k), n);
            n += k;
            if (k === c.length) r.chunks.shift(); else { r.chunks[0] = c.subarray(k); break; }
          }
          if (r.chunks.length === 0 && !r.eof) r.res.resume();
          r.wake = undefined;
          reply(0, 0, n);
        } else if (r.error !== undefined) { r.wake = undefined; reply(1); }
        else if (r.eof) { r.wake = undefined; responses.delete(msg.handle); reply(0, 0, 0); }
        else { r.wake = attempt; r.res.resume(); }
      };
      attempt();
      return;
    }
    case 'http-close': {
      responses.get(msg.handle)?.res.destroy();
      responses.delete(msg.handle);
      reply(0);
      return;
    }
  }
}
