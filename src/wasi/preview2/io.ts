// wasi:io (error, poll, streams) over preview1's host layer: output streams write to the same
// OutputStream sinks (stdio, files), input streams read InputStream sources. Functions follow
// jco's host conventions: a `result` error is thrown as its payload (e.g. `{ tag: 'closed' }`).

import { sleeper } from '../preview1.js';
import type { InputStream as Source, OutputStream as Sink } from '../stdio.js';

/** wasi:io/error.error */
export class IoError {
  /** cause: what the host threw (wasi:http's http-error-code reads its error-code there). */
  constructor(readonly message: string, readonly cause?: unknown) {}
  toDebugString(): string { return this.message; }
}

/** wasi:io/poll.pollable: ready now, or at a monotonic deadline (nanoseconds). */
export class Pollable {
  constructor(private readonly deadline?: bigint, private readonly now?: () => bigint) {}
  ready(): boolean {
    return this.deadline === undefined || this.now!() >= this.deadline;
  }
  block(): void {
    while (!this.ready()) sleeper(Math.max(0.001, Number(this.deadline! - this.now!()) / 1e6));
  }
  /** Nanoseconds until ready (0 when ready). */
  remaining(): bigint {
    return this.deadline === undefined ? 0n : (this.deadline - this.now!() > 0n ? this.deadline - this.now!() : 0n);
  }
}

/** wasi:io/poll.poll: blocks until at least one is ready; the indices of the ready ones. */
export function poll(pollables: Pollable[]): Uint32Array {
  if (pollables.length === 0) throw new Error('poll: empty list');
  for (;;) {
    const ready: number[] = [];
    pollables.forEach((p, i) => { if (p.ready()) ready.push(i); });
    if (ready.length > 0) return Uint32Array.from(ready);
    let wait = pollables[0].remaining();
    for (const p of pollables) if (p.remaining() < wait) wait = p.remaining();
    sleeper(Math.max(0.001, Number(wait) / 1e6));
  }
}

export type StreamError = { tag: 'last-operation-failed'; val: IoError } | { tag: 'closed' };

const CLOSED: StreamError = { tag: 'closed' };
function failed(e: unknown): StreamError {
  return { tag: 'last-operation-failed', val: new IoError(e instanceof Error ? e.message : String(e), e) };
}

/** The most bytes check-write allows at once (what a guest writes per call). */
const WRITE_BUDGET = 1n << 20n;

/** wasi:io/streams.input-stream over a byte source (reads block until data or end). */
export class InputStream {
  private closed = false;
  constructor(private readonly source: Pick<Source, 'read'>) {}
  read(len: bigint): Uint8Array {
    if (this.closed) throw CLOSED;
    if (len === 0n) return new Uint8Array(0);
    let data: Uint8Array;
    try {
      data = this.source.read(Number(len > 0x10000n ? 0x10000n : len));
    } catch (e) {
      throw failed(e);
    }
    if (data.length === 0) { this.closed = true; throw CLOSED; }
    return data.slice();
  }
  blockingRead(len: bigint): Uint8Array { return this.read(len); }
  skip(len: bigint): bigint { return BigInt(this.read(len).length); }
  blockingSkip(len: bigint): bigint { return this.skip(len); }
  subscribe(): Pollable { return new Pollable(); }
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
  blockingSplice(src: InputStream, len: bigint): bigint { return this.splice(src, len); }
}

/** A pollable that is ready once a condition holds (an HTTP response has arrived, ...). */
export class ConditionPollable extends Pollable {
  constructor(private readonly condition: () => boolean) { super(); }
  override ready(): boolean { return this.condition(); }
  override block(): void { while (!this.ready()) sleeper(0.001); }
  override remaining(): bigint { return this.ready() ? 0n : 1_000_000n; }
}
