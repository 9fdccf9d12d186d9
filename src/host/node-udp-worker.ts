// UDP on the I/O thread (node-net-worker.ts): node:dgram sockets kept by handle. Received
// datagrams queue here until the guest's thread takes them (receives never wait: wasi:sockets
// waits through poll); sends, binds and connects reply when Node's callback says how they went.

import * as dgram from 'node:dgram';
import { ERRNO } from '../wasi/constants.js';
import type { Request, UdpOption } from './node-net-protocol.js';

interface Datagram { data: Buffer; address: string; port: number }
interface Udp { sock: dgram.Socket; queue: Datagram[]; size: number; error: number }
const sockets = new Map<number, Udp>();

/** Bytes of datagrams kept before new ones are dropped (as a full kernel buffer would). */
const QUEUE_LIMIT = 4 << 20;

type Reply = (errno: number, value?: number, length?: number) => void;
type UdpRequest = Request & { op: 'udp-bind' | 'udp-connect' | 'udp-recv' | 'udp-send' | 'udp-option' };

export function udpErrno(e: unknown): number {
  switch ((e as { code?: string }).code) {
    case 'EADDRINUSE': return ERRNO.ADDRINUSE;
    case 'EADDRNOTAVAIL': return ERRNO.ADDRNOTAVAIL;
    case 'EACCES': case 'EPERM': return ERRNO.ACCES;
    case 'EMSGSIZE': return ERRNO.MSGSIZE;
    case 'ECONNREFUSED': return ERRNO.CONNREFUSED;
    case 'EHOSTUNREACH': case 'ENETUNREACH': return ERRNO.HOSTUNREACH;
    case 'EINVAL': case 'ERR_SOCKET_BAD_PORT': return ERRNO.INVAL;
    case 'EAFNOSUPPORT': return ERRNO.AFNOSUPPORT;
    default: return ERRNO.IO;
  }
}

export function isUdp(handle: number): boolean { return sockets.has(handle); }

/** Poll state of a UDP handle: [queued datagrams, 0, error] when ready, undefined when not. */
export function udpReadiness(handle: number, write: boolean): [number, number, number] | undefined {
  const u = sockets.get(handle)!;
  if (write) return [0, 0, 0];
  return u.queue.length > 0 || u.error !== 0 ? [u.queue.length, 0, u.error] : undefined;
}

export function udpClose(handle: number): void {
  const u = sockets.get(handle);
  sockets.delete(handle);
  try { u?.sock.close(); } catch { /* already closed */ }
}

export function udpOp(msg: UdpRequest, data: Uint8Array, reply: Reply, newHandle: () => number, wake: () => void): void {
  if (msg.op === 'udp-bind') {
    const sock = dgram.createSocket({ type: msg.ipv6 ? 'udp6' : 'udp4', ipv6Only: msg.ipv6 });
    const u: Udp = { sock, queue: [], size: 0, error: 0 };
    const failed = (e: Error): void => { try { sock.close(); } catch { /* never bound */ } reply(udpErrno(e)); };
    sock.once('error', failed);
    sock.bind(msg.port, msg.host, () => {
      sock.off('error', failed);
      // Later asynchronous errors (an ICMP port unreachable on a connected socket) go to the next receive.
      sock.on('error', (e) => { u.error = udpErrno(e); wake(); });
      sock.on('message', (b: Buffer, rinfo: dgram.RemoteInfo) => {
        if (u.size + b.length > QUEUE_LIMIT) return;
        u.queue.push({ data: b, address: rinfo.address, port: rinfo.port });
        u.size += b.length;
        wake();
      });
      const h = newHandle();
      sockets.set(h, u);
      reply(0, h, sock.address().port);
    });
    return;
  }
  const u = sockets.get(msg.handle);
  if (u === undefined) return reply(ERRNO.BADF);
  switch (msg.op) {
    case 'udp-connect': {
      try { u.sock.disconnect(); } catch { /* was not connected */ }
      if (msg.host === null) return reply(0);
      try {
        u.sock.connect(msg.port, msg.host, (e?: Error) => reply(e ? udpErrno(e) : 0));
      } catch (e) {
        reply(udpErrno(e));
      }
      return;
    }
    case 'udp-recv': {
      if (u.error !== 0 && u.queue.length === 0) { const e = u.error; u.error = 0; return reply(e); }
      let o = 0, n = 0;
      while (n < msg.max && u.queue.length > 0) {
        const d = u.queue[0];
        const addr = Buffer.from(d.address, 'latin1');
        const need = 7 + addr.length + d.data.length;
        if (o + need > data.length) break;
        const v = new DataView(data.buffer, data.byteOffset + o, 7);
        v.setUint32(0, d.data.length, true);
        v.setUint16(4, d.port, true);
        v.setUint8(6, addr.length);
        data.set(addr, o + 7);
        data.set(d.data, o + 7 + addr.length);
        o += need;
        n++;
        u.queue.shift();
        u.size -= d.data.length;
      }
      return reply(0, n, o);
    }
    case 'udp-send': {
      const bytes = Buffer.from(data.subarray(0, msg.length));
      const done = (e: Error | null): void => reply(e ? udpErrno(e) : 0, msg.length);
      try {
        if (msg.host === null) u.sock.send(bytes, done);
        else u.sock.send(bytes, msg.port, msg.host, done);
      } catch (e) {
        reply(udpErrno(e));
      }
      return;
    }
    case 'udp-option': {
      const name: UdpOption = msg.name;
      try {
        if (name === 'ttl') {
          // Node cannot read the TTL back: the caller keeps the value it set.
          if (msg.value >= 0) u.sock.setTTL(msg.value);
          return reply(0, Math.max(msg.value, 0));
        }
        if (name === 'receive-buffer') {
          if (msg.value >= 0) u.sock.setRecvBufferSize(msg.value);
          return reply(0, u.sock.getRecvBufferSize());
        }
        if (msg.value >= 0) u.sock.setSendBufferSize(msg.value);
        return reply(0, u.sock.getSendBufferSize());
      } catch (e) {
        return reply(udpErrno(e));
      }
    }
  }
}
