// A TCP connection's input-stream as wasi:io wants it: `read` never waits (an empty list when
// nothing has arrived yet), `blocking-read` does, and the pollable asks the host whether data (or
// the end) is there, so a guest can wait on several connections at once.

import { ERRNO, WasiError } from '../constants.js';
import type { NetHost } from '../sockets.js';
import { InputStream, IoError, Pollable, type StreamError } from './io.js';
import { HostPollable } from './network.js';

const CLOSED: StreamError = { tag: 'closed' };

export class TcpInputStream extends InputStream {
  private ended = false;

  constructor(private readonly host: NetHost, private readonly handle: number) {
    super({ read: () => new Uint8Array(0) });
  }

  override read(len: bigint): Uint8Array { return this.take(len, true); }
  override blockingRead(len: bigint): Uint8Array { return this.take(len, false); }
  override blockingSkip(len: bigint): bigint { return BigInt(this.take(len, false).length); }
  override subscribe(): Pollable { return new HostPollable(this.host, this.handle); }

  private take(len: bigint, nonblock: boolean): Uint8Array {
    if (this.ended) throw CLOSED;
    if (len === 0n) return new Uint8Array(0);
    let data: Uint8Array;
    try {
      data = this.host.recv(this.handle, Number(len > 0x10000n ? 0x10000n : len), false, nonblock);
    } catch (e) {
      if (e instanceof WasiError && e.errno === ERRNO.AGAIN) return new Uint8Array(0);
      throw { tag: 'last-operation-failed', val: new IoError(e instanceof Error ? e.message : String(e)) } satisfies StreamError;
    }
    if (data.length === 0) { this.ended = true; throw CLOSED; }
    return data;
  }
}
