// The request format between src/host/node-net.ts (the guest's thread) and
// src/host/node-net-worker.ts (the I/O thread): requests are posted messages, results come back
// in a SharedArrayBuffer (a few Int32 cells, then a data area) with Atomics.notify.

import type { HttpOp } from './node-http-protocol.js';

export const CTRL = {
  /** 0 while a request is under way, 1 when its result is in place. */
  STATE: 0,
  ERRNO: 1,
  VALUE: 2,
  LENGTH: 3,
  /** Set when the I/O thread failed. */
  DEAD: 4,
  SIZE: 16,
} as const;

/** Where the data area starts (bytes), and its size: the most one recv or send moves. */
export const DATA_OFFSET = 64;
export const DATA_SIZE = 256 * 1024;

export type Request =
  | { op: 'listen'; host: string; port: number }
  /** A TCP connection (from localHost:localPort when given): VALUE is its handle, LENGTH its local port. */
  | { op: 'connect'; host: string; port: number; localHost?: string; localPort?: number }
  /** A connection's addresses: JSON `{ local, remote }` ([address text, port] or null) in the data area (LENGTH bytes). */
  | { op: 'addresses'; handle: number }
  | { op: 'stdin'; tty: boolean }
  | { op: 'accept'; handle: number; nonblock: boolean }
  | { op: 'recv'; handle: number; max: number; peek: boolean; nonblock: boolean }
  /** The bytes to send are in the data area. */
  | { op: 'send'; handle: number; length: number; nonblock: boolean }
  | { op: 'shutdown'; handle: number; how: number }
  | { op: 'close'; handle: number }
  /** Results: LENGTH entries of [index, nbytes, hangup, errno] (Int32) in the data area. timeoutMs < 0: none. */
  /** subs: [handle, write, an HTTP exchange's response head]. */
  | { op: 'poll'; subs: [number, boolean, boolean][]; timeoutMs: number }
  /** HTTP exchanges (node-http-worker.ts). */
  | HttpOp
  /** A UDP socket bound to host:port (node-udp-worker.ts): VALUE its handle, LENGTH its port. */
  | { op: 'udp-bind'; host: string; port: number; ipv6: boolean }
  /** Connects a UDP socket to host:port, or disconnects it (host null). */
  | { op: 'udp-connect'; handle: number; host: string | null; port: number }
  /**
   * Up to max queued datagrams, never waiting: VALUE of them in the data area (LENGTH bytes), each
   * a u32 data length, u16 port, u8 address length (little-endian), the address text, the data.
   */
  | { op: 'udp-recv'; handle: number; max: number }
  /** Sends one datagram (its bytes in the data area) to host:port, or to the connected peer (host null). */
  | { op: 'udp-send'; handle: number; host: string | null; port: number; length: number }
  /** Reads (value < 0) or sets a UDP socket option; VALUE is its value afterwards. */
  | { op: 'udp-option'; handle: number; name: UdpOption; value: number }
  /** dns.lookup of a name (node-dns-worker.ts): JSON `{ addresses }` or `{ code }` in the data area (LENGTH bytes). */
  | { op: 'lookup'; name: string };

export type UdpOption = 'ttl' | 'receive-buffer' | 'send-buffer';
