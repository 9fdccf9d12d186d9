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
  /** A TCP connection: VALUE is its handle, LENGTH its local port. */
  | { op: 'connect'; host: string; port: number }
  | { op: 'stdin'; tty: boolean }
  | { op: 'accept'; handle: number; nonblock: boolean }
  | { op: 'recv'; handle: number; max: number; peek: boolean; nonblock: boolean }
  /** The bytes to send are in the data area. */
  | { op: 'send'; handle: number; length: number; nonblock: boolean }
  | { op: 'shutdown'; handle: number; how: number }
  | { op: 'close'; handle: number }
  /** Results: LENGTH entries of [index, nbytes, hangup, errno] (Int32) in the data area. timeoutMs < 0: none. */
  | { op: 'poll'; subs: [number, boolean][]; timeoutMs: number }
  /** HTTP exchanges (node-http-worker.ts). */
  | HttpOp;
