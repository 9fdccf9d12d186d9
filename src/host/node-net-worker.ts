// The I/O thread behind src/host/node-net.ts. Owns every socket (and, once polled, stdin) and
// does the asynchronous Node I/O; the guest's thread posts one request at a time and blocks in
// Atomics.wait on the shared buffer until this thread writes the result there and notifies.
// Requests that cannot complete yet (a blocking accept, recv, a send waiting for 'drain', a poll)
// are kept as `pending` and retried on every socket event: no thread ever spins.

import { parentPort, workerData } from 'node:worker_threads';
import * as net from 'node:net';
import * as tty from 'node:tty';
import { ERRNO } from '../wasi/constants.js';
import { CTRL, DATA_OFFSET, type Request } from './node-net-protocol.js';
import { httpHeadArrived, httpOp, onHttpHead } from './node-http-worker.js';
import type { HttpOp } from './node-http-protocol.js';
import { isUdp, udpClose, udpOp, udpReadiness } from './node-udp-worker.js';
import { lookupOp } from './node-dns-worker.js';

const sab = (workerData as { sab: SharedArrayBuffer }).sab;
const ctrl = new Int32Array(sab, 0, CTRL.SIZE);
const data = new Uint8Array(sab, DATA_OFFSET);

/** Received bytes kept per connection before it is paused (backpressure to the peer). */
const HIGH_WATER = 1 << 20;

interface Conn {
  kind: 'conn'; sock: net.Socket | tty.ReadStream; chunks: Buffer[]; size: number;
  eof: boolean; error: number; rdShut: boolean; paused: boolean;
}
interface Listener { kind: 'listener'; server: net.Server; queue: number[] }
const handles = new Map<number, Conn | Listener>();
let nextHandle = 1;
let pending: (() => boolean) | null = null;
let pendingTimer: ReturnType<typeof setTimeout> | undefined;

function reply(errno: number, value = 0, length = 0): void {
  ctrl[CTRL.ERRNO] = errno;
  ctrl[CTRL.VALUE] = value;
  ctrl[CTRL.LENGTH] = length;
  Atomics.store(ctrl, CTRL.STATE, 1);
  Atomics.notify(ctrl, CTRL.STATE);
}

function wake(): void {
  if (pending !== null && pending()) {
    pending = null;
    if (pendingTimer !== undefined) { clearTimeout(pendingTimer); pendingTimer = undefined; }
  }
}

function errnoOf(e: unknown): number {
  switch ((e as { code?: string }).code) {
    case 'ECONNRESET': return ERRNO.CONNRESET;
    case 'ECONNREFUSED': return ERRNO.CONNREFUSED;
    case 'EHOSTUNREACH': case 'ENETUNREACH': return ERRNO.HOSTUNREACH;
    case 'EPIPE': return ERRNO.PIPE;
    case 'ECONNABORTED': return ERRNO.CONNABORTED;
    case 'ETIMEDOUT': return ERRNO.TIMEDOUT;
    case 'EADDRINUSE': return ERRNO.ADDRINUSE;
    case 'EADDRNOTAVAIL': return ERRNO.ADDRNOTAVAIL;
    case 'EACCES': return ERRNO.ACCES;
    default: return ERRNO.IO;
  }
}

function addConn(sock: net.Socket | tty.ReadStream): number {
  const h = nextHandle++;
  const c: Conn = { kind: 'conn', sock, chunks: [], size: 0, eof: false, error: 0, rdShut: false, paused: false };
  handles.set(h, c);
  sock.on('data', (b: Buffer) => {
    if (c.rdShut) return;
    c.chunks.push(b);
    c.size += b.length;
    if (c.size > HIGH_WATER && !c.paused) { sock.pause(); c.paused = true; }
    wake();
  });
  sock.on('end', () => { c.eof = true; wake(); });
  sock.on('error', (e) => { c.error = errnoOf(e); c.eof = true; wake(); });
  sock.on('drain', wake);
  sock.on('close', () => { c.eof = true; wake(); });
  return h;
}

/** Takes (or, peeking, copies) up to max buffered bytes of c. */
function take(c: Conn, max: number, peek: boolean): Buffer {
  const out = Buffer.allocUnsafe(Math.min(max, c.size));
  let o = 0;
  for (let i = 0; o < out.length; i++) {
    const ch = c.chunks[i];
    const k = Math.min(ch.length, out.length - o);
    ch.copy(out, o, 0, k);
    o += k;
    if (!peek) {
      if (k === ch.length) { c.chunks.shift(); i--; } else c.chunks[0] = ch.subarray(k);
      c.size -= k;
    }
  }
  if (c.paused && c.size < HIGH_WATER / 2) { c.paused = false; c.sock.resume(); }
  return out;
}

function conn(h: number): Conn | undefined {
  const c = handles.get(h);
  return c?.kind === 'conn' ? c : undefined;
}

function handle(msg: Request): void {
  if (msg.op.startsWith('http-')) return httpOp(msg as HttpOp, data, reply);
  switch (msg.op) {
    case 'udp-bind': case 'udp-connect': case 'udp-recv': case 'udp-send': case 'udp-option':
      return udpOp(msg, data, reply, () => nextHandle++, wake);
    case 'lookup': return lookupOp(msg.name, data, reply);
    case 'listen': {
      const server = net.createServer({ allowHalfOpen: true });
      const l: Listener = { kind: 'listener', server, queue: [] };
      server.on('connection', (sock: net.Socket) => {
        sock.setNoDelay(true);
        l.queue.push(addConn(sock));
        wake();
      });
      server.once('error', (e) => reply(errnoOf(e)));
      server.listen(msg.port, msg.host, () => {
        const h = nextHandle++;
        handles.set(h, l);
        const a = server.address() as net.AddressInfo;
        reply(0, h, a.port);
      });
      return;
    }
    case 'connect': {
      const sock = net.connect({ host: msg.host, port: msg.port, allowHalfOpen: true, localAddress: msg.localHost, localPort: msg.localPort });
      sock.setNoDelay(true);
      const failed = (e: Error): void => reply(errnoOf(e));
      sock.once('error', failed);
      sock.once('connect', () => {
        sock.off('error', failed);
        reply(0, addConn(sock), sock.localPort ?? 0);
      });
      return;
    }
    case 'addresses': {
      const c = conn(msg.handle);
      if (c === undefined || !(c.sock instanceof net.Socket)) return reply(ERRNO.BADF);
      const s = c.sock;
      const body = Buffer.from(JSON.stringify({
        local: s.localAddress !== undefined ? [s.localAddress, s.localPort] : null,
        remote: s.remoteAddress !== undefined ? [s.remoteAddress, s.remotePort] : null,
      }));
      data.set(body);
      return reply(0, 0, body.length);
    }
    case 'stdin': {
      const sock = msg.tty ? new tty.ReadStream(0) : new net.Socket({ fd: 0, readable: true, writable: false });
      reply(0, addConn(sock));
      return;
    }
    case 'accept': {
      const l = handles.get(msg.handle);
      if (l?.kind !== 'listener') return reply(ERRNO.BADF);
      const attempt = (): boolean => {
        if (l.queue.length === 0) return false;
        reply(0, l.queue.shift()!);
        return true;
      };
      if (!attempt()) { if (msg.nonblock) reply(ERRNO.AGAIN); else pending = attempt; }
      return;
    }
    case 'recv': {
      const c = conn(msg.handle);
      if (c === undefined) return reply(ERRNO.BADF);
      const max = Math.min(msg.max, data.length);
      const attempt = (): boolean => {
        if (c.size > 0) {
          const b = take(c, max, msg.peek);
          data.set(b);
          reply(0, 0, b.length);
        } else if (c.error !== 0) reply(c.error);
        else if (c.eof || c.rdShut) reply(0, 0, 0);
        else return false;
        return true;
      };
      if (!attempt()) { if (msg.nonblock) reply(ERRNO.AGAIN); else pending = attempt; }
      return;
    }
    case 'send': {
      const c = conn(msg.handle);
      if (c === undefined || !(c.sock instanceof net.Socket)) return reply(ERRNO.BADF);
      const sock = c.sock;
      if (c.error !== 0) return reply(c.error);
      if (sock.destroyed || sock.writableEnded) return reply(ERRNO.PIPE);
      if (msg.nonblock && sock.writableNeedDrain) return reply(ERRNO.AGAIN);
      const ok = sock.write(Buffer.from(data.subarray(0, msg.length)));
      if (ok || msg.nonblock) return reply(0, msg.length);
      pending = () => {
        if (sock.writableNeedDrain && c.error === 0 && !sock.destroyed) return false;
        reply(0, msg.length);
        return true;
      };
      return;
    }
    case 'shutdown': {
      const c = conn(msg.handle);
      if (c === undefined) return reply(ERRNO.BADF);
      if (msg.how & 1) {
        c.rdShut = true; c.chunks = []; c.size = 0;
        if (c.paused) { c.paused = false; c.sock.resume(); }
      }
      if (msg.how & 2 && c.sock instanceof net.Socket && !c.sock.writableEnded) c.sock.end();
      return reply(0);
    }
    case 'close': {
      if (isUdp(msg.handle)) { udpClose(msg.handle); return reply(0); }
      const x = handles.get(msg.handle);
      handles.delete(msg.handle);
      if (x === undefined) return reply(ERRNO.BADF);
      if (x.kind === 'listener') {
        x.server.close();
        for (const h of x.queue) { const c = conn(h); handles.delete(h); c?.sock.destroy(); }
        return reply(0);
      }
      const sock = x.sock;
      if (!(sock instanceof net.Socket) || sock.destroyed) { sock.destroy(); return reply(0); }
      // Everything sent reaches the peer before the guest goes on (and before the process may exit).
      let replied = false;
      const done = (): void => { if (replied) return; replied = true; clearTimeout(t); sock.destroy(); reply(0); };
      const t = setTimeout(done, 2000);
      if (sock.writableFinished) return done();
      sock.once('finish', done);
      sock.once('close', done);
      if (!sock.writableEnded) sock.end();
      return;
    }
    case 'poll': {
      const view = new Int32Array(sab, DATA_OFFSET, (data.length >> 2) & ~3);
      const check = (): boolean => {
        let n = 0;
        msg.subs.forEach(([h, write, httpHead], index) => {
          const x = handles.get(h);
          let r: [number, number, number] | undefined;
          if (httpHead) { if (httpHeadArrived(h)) r = [0, 0, 0]; }
          else if (x === undefined) r = isUdp(h) ? udpReadiness(h, write) : [0, 0, ERRNO.BADF];
          else if (x.kind === 'listener') { if (!write && x.queue.length > 0) r = [x.queue.length, 0, 0]; }
          else if (!write) { if (x.size > 0 || x.eof || x.error !== 0 || x.rdShut) r = [x.size, x.eof ? 1 : 0, x.error]; }
          else if (!(x.sock instanceof net.Socket)) r = [0, 0, ERRNO.BADF];
          else if (!x.sock.writableNeedDrain || x.error !== 0 || x.sock.destroyed) r = [0, 0, x.error];
          if (r !== undefined && 4 * n + 3 < view.length) {
            view.set([index, r[0], r[1], r[2]], 4 * n);
            n++;
          }
        });
        if (n === 0) return false;
        reply(0, 0, n);
        return true;
      };
      if (check()) return;
      if (msg.timeoutMs === 0) return reply(0, 0, 0);
      pending = check;
      if (msg.timeoutMs >= 0) {
        pendingTimer = setTimeout(() => {
          pendingTimer = undefined;
          if (pending === check) { pending = null; reply(0, 0, 0); }
        }, msg.timeoutMs);
      }
      return;
    }
  }
}

process.on('uncaughtException', (e) => {
  ctrl[CTRL.DEAD] = 1;
  pending = null;
  reply(errnoOf(e));
});

onHttpHead(wake);
parentPort!.on('message', (msg: Request) => handle(msg));
