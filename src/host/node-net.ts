// Sockets (and blocking stdin readiness) for WASI under Node: a NetHost whose calls are
// synchronous for the guest. Node's sockets are asynchronous and a Wasm guest calls WASI
// synchronously, so the network I/O runs on a worker thread (node-net-worker.ts). Each call here
// posts one request to it and blocks this thread with Atomics.wait on a SharedArrayBuffer until the
// worker has stored the result (and any received bytes) there and notified: the guest blocks, the
// host does not spin. One worker per process, started on first use.

import { Worker } from 'node:worker_threads';
import { ERRNO, WasiError } from '../wasi/constants.js';
import type { NetHost, PollReady, PollRequest } from '../wasi/sockets.js';
import { CTRL, DATA_OFFSET, DATA_SIZE, type Request, type UdpOption } from './node-net-protocol.js';
import type { ConnectionAddresses, Datagram, LookupResult } from '../wasi/preview2/socket-host.js';

export class NodeNetHost implements NetHost {
  private readonly sab = new SharedArrayBuffer(DATA_OFFSET + DATA_SIZE);
  /** The result cells and data area of the last call (node-http.ts reads its results there). */
  readonly ctrl = new Int32Array(this.sab, 0, CTRL.SIZE);
  readonly data = new Uint8Array(this.sab, DATA_OFFSET);
  private readonly worker: Worker;

  constructor() {
    this.worker = new Worker(new URL('./node-net-worker.js', import.meta.url), { workerData: { sab: this.sab } });
    // The worker never keeps the process alive: the guest's thread decides when the run ends.
    this.worker.unref();
  }

  /** Sends one request and blocks until its result; throws WasiError for an errno. */
  call(req: Request): void {
    if (this.ctrl[CTRL.DEAD]) throw new WasiError(ERRNO.IO, 'the network thread has stopped');
    Atomics.store(this.ctrl, CTRL.STATE, 0);
    this.worker.postMessage(req);
    // No timeout: the worker answers every request, a blocking one when it can complete.
    while (Atomics.wait(this.ctrl, CTRL.STATE, 0, 60_000) === 'timed-out') {
      if (this.ctrl[CTRL.DEAD]) break;
    }
    const errno = this.ctrl[CTRL.ERRNO];
    if (errno !== 0) throw new WasiError(errno);
  }

  /** Opens a listening TCP socket; returns its handle and the bound port (throws an Error naming the failure). */
  listen(host: string, port: number): { handle: number; port: number } {
    try {
      this.call({ op: 'listen', host, port });
    } catch (e) {
      const errno = (e as WasiError).errno;
      const why = errno === ERRNO.ADDRINUSE ? 'address in use' : errno === ERRNO.ADDRNOTAVAIL ? 'address not available'
        : errno === ERRNO.ACCES ? 'permission denied' : 'cannot listen';
      throw new Error(`${host}:${port}: ${why}`);
    }
    return { handle: this.ctrl[CTRL.VALUE], port: this.ctrl[CTRL.LENGTH] };
  }

  /** Opens a TCP connection, from a local address when given; returns its handle and local port (throws WasiError: CONNREFUSED, ...). */
  connect(host: string, port: number, local?: { host: string; port: number }): { handle: number; port: number } {
    this.call({ op: 'connect', host, port, localHost: local?.host, localPort: local?.port });
    return { handle: this.ctrl[CTRL.VALUE], port: this.ctrl[CTRL.LENGTH] };
  }

  /** A connection's local and remote addresses (text and port). */
  addresses(handle: number): ConnectionAddresses {
    this.call({ op: 'addresses', handle });
    return JSON.parse(new TextDecoder().decode(this.data.slice(0, this.ctrl[CTRL.LENGTH]))) as ConnectionAddresses;
  }

  /** Opens a UDP socket bound to host:port (0: any); returns its handle and port (throws WasiError). */
  udpBind(host: string, port: number, ipv6: boolean): { handle: number; port: number } {
    this.call({ op: 'udp-bind', host, port, ipv6 });
    return { handle: this.ctrl[CTRL.VALUE], port: this.ctrl[CTRL.LENGTH] };
  }

  /** Connects a UDP socket to a peer, or disconnects it (undefined). */
  udpConnect(handle: number, peer: { host: string; port: number } | undefined): void {
    this.call({ op: 'udp-connect', handle, host: peer?.host ?? null, port: peer?.port ?? 0 });
  }

  /** Takes up to max received datagrams without waiting. */
  udpReceive(handle: number, max: number): Datagram[] {
    this.call({ op: 'udp-recv', handle, max });
    const n = this.ctrl[CTRL.VALUE];
    const out: Datagram[] = [];
    const v = new DataView(this.sab, DATA_OFFSET);
    let o = 0;
    for (let i = 0; i < n; i++) {
      const len = v.getUint32(o, true), port = v.getUint16(o + 4, true), alen = v.getUint8(o + 6);
      const address = String.fromCharCode(...this.data.subarray(o + 7, o + 7 + alen));
      out.push({ data: this.data.slice(o + 7 + alen, o + 7 + alen + len), address, port });
      o += 7 + alen + len;
    }
    return out;
  }

  /** Sends one datagram to a peer, or to the connected one (undefined). */
  udpSend(handle: number, bytes: Uint8Array, to: { host: string; port: number } | undefined): void {
    if (bytes.length > this.data.length) throw new WasiError(ERRNO.MSGSIZE);
    this.data.set(bytes);
    this.call({ op: 'udp-send', handle, host: to?.host ?? null, port: to?.port ?? 0, length: bytes.length });
  }

  /** Reads (value < 0) or sets a UDP socket option; returns its value afterwards. */
  udpOption(handle: number, name: UdpOption, value: number): number {
    this.call({ op: 'udp-option', handle, name, value });
    return this.ctrl[CTRL.VALUE];
  }

  /** Looks a name up with the system resolver (blocking this thread, not the network thread). */
  lookup(name: string): LookupResult {
    this.call({ op: 'lookup', name });
    return JSON.parse(new TextDecoder().decode(this.data.slice(0, this.ctrl[CTRL.LENGTH]))) as LookupResult;
  }

  /** Moves reading the process's stdin (a pipe, socket or terminal) to the worker; returns its handle. */
  openStdin(isTty: boolean): number {
    this.call({ op: 'stdin', tty: isTty });
    return this.ctrl[CTRL.VALUE];
  }

  accept(listener: number, nonblock: boolean): number {
    this.call({ op: 'accept', handle: listener, nonblock });
    return this.ctrl[CTRL.VALUE];
  }

  recv(handle: number, max: number, peek: boolean, nonblock: boolean): Uint8Array {
    this.call({ op: 'recv', handle, max, peek, nonblock });
    return this.data.slice(0, this.ctrl[CTRL.LENGTH]);
  }

  send(handle: number, bytes: Uint8Array, nonblock: boolean): number {
    let sent = 0;
    while (sent < bytes.length) {
      const k = Math.min(bytes.length - sent, this.data.length);
      this.data.set(bytes.subarray(sent, sent + k));
      try {
        this.call({ op: 'send', handle, length: k, nonblock });
      } catch (e) {
        if (sent > 0) return sent;
        throw e;
      }
      sent += this.ctrl[CTRL.VALUE];
      if (nonblock) break;
    }
    return sent;
  }

  shutdown(handle: number, how: number): void { this.call({ op: 'shutdown', handle, how }); }

  close(handle: number): void { this.call({ op: 'close', handle }); }

  poll(subs: readonly PollRequest[], timeoutMs: number | undefined): PollReady[] {
    this.call({ op: 'poll', subs: subs.map((s) => [s.handle, s.write, s.httpHead === true]), timeoutMs: timeoutMs ?? -1 });
    const n = this.ctrl[CTRL.LENGTH];
    const v = new Int32Array(this.sab, DATA_OFFSET, 4 * n);
    const out: PollReady[] = [];
    for (let i = 0; i < n; i++) out.push({ index: v[4 * i], nbytes: v[4 * i + 1], hangup: v[4 * i + 2] !== 0, error: v[4 * i + 3] });
    return out;
  }
}

let shared: NodeNetHost | undefined;

/** The process's network host (its worker is started on first use). */
export function nodeNetHost(): NodeNetHost {
  return (shared ??= new NodeNetHost());
}
