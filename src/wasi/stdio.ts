// Standard streams as the WASI layer sees them: byte sinks and sources, synchronous (a WASI call
// returns only when its bytes are written). Node's versions are in src/host/node-stdio.ts.

import type { NetHost } from './sockets.js';

export interface OutputStream {
  /** Writes all of data (throws WasiError, e.g. PIPE, on failure). */
  write(data: Uint8Array): void;
  /**
   * Optional: writes `length` bytes of `memory` from `offset`, as write(memory.subarray(...))
   * but without making the view (fd_write calls it with the guest's memory).
   */
  writeFrom?(memory: Uint8Array, offset: number, length: number): void;
  /** What fd_fdstat_get reports (default CHARACTER_DEVICE: a terminal, so libc line-buffers). */
  readonly filetype?: number;
}

export interface InputStream {
  /** Reads up to max bytes; an empty result is end of input. */
  read(max: number): Uint8Array;
  /** Optional: reads up to buf.length bytes into buf (as read, without a copy); returns the count. */
  readInto?(buf: Uint8Array): number;
  readonly filetype?: number;
  /**
   * For poll_oneoff: the handle in a NetHost that reports when input is available (the stream's
   * reads then go through that host too); absent or undefined: always ready (a file, a buffer).
   */
  pollHandle?(): { host: NetHost; handle: number } | undefined;
}

/** An output stream that keeps what is written (for tests and embedders). */
export class CollectedOutput implements OutputStream {
  private chunks: Uint8Array[] = [];
  write(data: Uint8Array): void { this.chunks.push(data.slice()); }
  writeFrom(memory: Uint8Array, offset: number, length: number): void { this.chunks.push(memory.slice(offset, offset + length)); }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }
  text(): string { return new TextDecoder().decode(this.bytes()); }
}

/** An input stream over fixed bytes or text. */
export class BufferedInput implements InputStream {
  private data: Uint8Array;
  private pos = 0;
  constructor(data: Uint8Array | string) {
    this.data = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  }
  read(max: number): Uint8Array {
    const r = this.data.subarray(this.pos, this.pos + max);
    this.pos += r.length;
    return r;
  }
}

/** An output stream that prints complete lines with a console function (for hosts without files). */
export class LineOutput implements OutputStream {
  private pending = '';
  private readonly decoder = new TextDecoder();
  constructor(private readonly print: (line: string) => void) {}
  write(data: Uint8Array): void {
    this.pending += this.decoder.decode(data, { stream: true });
    let i: number;
    while ((i = this.pending.indexOf('\n')) >= 0) {
      this.print(this.pending.slice(0, i));
      this.pending = this.pending.slice(i + 1);
    }
  }
  flush(): void {
    if (this.pending !== '') this.print(this.pending);
    this.pending = '';
  }
}

/** Input that is always at its end. */
export const EMPTY_INPUT: InputStream = { read: () => new Uint8Array(0) };
