// wasi:io (error, poll, streams) over preview1's host layer: output streams write to the same
// OutputStream sinks (stdio, files), input streams read InputStream sources. Functions follow
// jco's host conventions: a `result` error is thrown as its payload (e.g. `{ tag: 'closed' }`).

import { ERRNO, WasiError } from '../constants.js';
import type { InputStream as Source, OutputStream as Sink } from '../stdio.js';
import { HostPollable, Pollable } from './poll.js';

export { ConditionPollable, HostPollable, Pollable, poll } from './poll.js';

/** wasi:io/error.error */
export class IoError {
  /** cause: what the host threw (wasi:http's http-error-code reads its error-code there). */
  constructor(readonly message: string, readonly cause?: unknown) {}
  toDebugString(): string { return this.message; }
}

export type StreamError = { tag: 'last-operation-failed'; val: IoError } | { tag: 'closed' };

const CLOSED: StreamError = { tag: 'closed' };
function failed(e: unknown): StreamError {
  return { tag: 'last-operation-failed', val: new IoError(e instanceof Error ? e.message : String(e), e) };
}

/** The most bytes check-write allows at once (what a guest writes per call). */
const WRITE_BUDGET = 1n << 20n;

/**
 * wasi:io/streams.input-stream over a byte source. A source whose readiness a host knows (stdin as
 * a pipe or terminal: `pollHandle`) gets wasmtime's stdin behaviour: `read` never waits (an empty
 * list when nothing has arrived), `blocking-read` does, and the pollable is ready only when data or
 * the end is there. Other sources (files, buffers) are always ready and `read` returns what they have.
 */
export class InputStream {
  private closed = false;
  constructor(private readonly source: Pick<Source, 'read' | 'pollHandle'>) {}
  read(len: bigint): Uint8Array { return this.readSome(len, true); }
  blockingRead(len: bigint): Uint8Array { return this.readSome(len, false); }
  skip(len: bigint): bigint { return BigInt(this.read(len).length); }
  blockingSkip(len: bigint): bigint { return BigInt(this.blockingRead(len).length); }
  subscribe(): Pollable {
    const h = this.source.pollHandle?.();
    return h !== undefined ? new HostPollable(h.host, h.handle) : new Pollable();
  }

  private readSome(len: bigint, nonblock: boolean): Uint8Array {
    if (this.closed) throw CLOSED;
    if (len === 0n) return new Uint8Array(0);
    const max = Number(len > 0x10000n ? 0x10000n : len);
    // Blocking reads go through the source (fs.readSync until the guest first polls or reads without blocking).
    const h = nonblock ? this.source.pollHandle?.() : undefined;
    let data: Uint8Array;
    try {
      data = h !== undefined ? h.host.recv(h.handle, max, false, true) : this.source.read(max);
    } catch (e) {
      if (h !== undefined && e instanceof WasiError && e.errno === ERRNO.AGAIN) return new Uint8Array(0);
      throw failed(e);
    }
    if (data.length === 0) { this.closed = true; throw CLOSED; }
    return data.slice();
  }
}

/** wasi:io/streams.output-stream over a byte sink (writes are synchronous, so flushing is immediate). */
export class OutputStream {
  constructor(private readonly sink: Pick<Sink, 'write'>) {}
  checkWrite(): bigint { return WRITE_BUDGET; }
  write(contents: Uint8Array): void {
    if (BigInt(contents.length) > WRITE_BUDGET) throw failed(new Error('write exceeds check-write budget'));
    try { this.sink.write(contents); } catch (e) { throw failed(e); }
  }
  blockingWriteAndFlush(contents: Uint8Array): void { this.write(contents); }
  flush(): void { /* writes are synchronous */ }
  blockingFlush(): void { /* writes are synchronous */ }
  subscribe(): Pollable { return new Pollable(); }
  writeZeroes(len: bigint): void { this.write(new Uint8Array(Number(len))); }
  blockingWriteZeroesAndFlush(len: bigint): void { this.writeZeroes(len); }
  splice(src: InputStream, len: bigint): bigint {
    const data = src.read(len);
    this.write(data);
    return BigInt(data.length);
  }
  blockingSplice(src: InputStream, len: bigint): bigint {
    const data = src.blockingRead(len);
    this.write(data);
    return BigInt(data.length);
  }
}
