// Node's standard streams for WASI: written with fs.writeSync on the file descriptor, so output
// is in order with everything else the process writes and nothing is lost at exit, even for
// pipes that Node has made non-blocking (EAGAIN is waited out, not dropped).

import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { ERRNO, FILETYPE, WasiError } from '../wasi/constants.js';
import type { InputStream, OutputStream } from '../wasi/stdio.js';
import { nodeNetHost } from './node-net.js';

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void { Atomics.wait(pause, 0, 0, ms); }

/**
 * What the guest sees a standard stream as: a terminal is a character device (wasi-libc then
 * line-buffers stdout), a redirected file a regular file, a pipe or socket unknown (fully
 * buffered), as a native program would.
 */
export function streamFiletype(fd: number): number {
  try {
    const st = fs.fstatSync(fd);
    if (st.isCharacterDevice()) return FILETYPE.CHARACTER_DEVICE;
    if (st.isFile()) return FILETYPE.REGULAR_FILE;
    return FILETYPE.UNKNOWN;
  } catch {
    return FILETYPE.CHARACTER_DEVICE;
  }
}

export function nodeOutput(fd: number): OutputStream {
  const writeFrom = (data: Uint8Array, offset: number, length: number): void => {
    // One fs.writeSync per call in the common case (all written at once); the loop finishes
    // short writes and waits out EAGAIN.
    const end = offset + length;
    let off = offset;
    while (off < end) {
      try {
        off += fs.writeSync(fd, data, off, end - off);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'EAGAIN') { sleepMs(1); continue; }
        if (code === 'EPIPE') throw new WasiError(ERRNO.PIPE);
        throw new WasiError(ERRNO.IO, (e as Error).message);
      }
    }
  };
  return {
    filetype: streamFiletype(fd),
    write: (data: Uint8Array): void => writeFrom(data, 0, data.length),
    writeFrom,
  };
}

/**
 * An input fd. Read with fs.readSync until the guest polls it: then, for a pipe, socket or
 * terminal (whose readiness only an event loop can report without consuming input), reading moves
 * to the network worker (src/host/node-net.ts), which buffers the input and answers poll_oneoff,
 * blocking the guest with Atomics.wait. Files and /dev/null are always ready, as on POSIX.
 */
export function nodeInput(fd: number): InputStream {
  let pumped: { host: ReturnType<typeof nodeNetHost>; handle: number } | undefined;
  let pollable: boolean | undefined;
  const kind = (): 'tty' | 'pipe' | undefined => {
    try {
      if (tty.isatty(fd)) return 'tty';
      const st = fs.fstatSync(fd);
      return st.isFIFO() || st.isSocket() ? 'pipe' : undefined;
    } catch { return undefined; }
  };
  const readInto = (buf: Uint8Array): number => {
    for (;;) {
      try {
        return fs.readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'EAGAIN') { sleepMs(5); continue; }
        if (code === 'EOF') return 0;
        throw new WasiError(ERRNO.IO, (e as Error).message);
      }
    }
  };
  return {
    filetype: streamFiletype(fd),
    pollHandle() {
      if (pumped !== undefined) return pumped;
      if (fd !== 0) return undefined;
      const k = kind();
      if (pollable === false || k === undefined) { pollable = false; return undefined; }
      const host = nodeNetHost();
      pumped = { host, handle: host.openStdin(k === 'tty') };
      return pumped;
    },
    read(max: number): Uint8Array {
      if (pumped !== undefined) return pumped.host.recv(pumped.handle, max, false, false);
      const buf = new Uint8Array(max);
      return buf.subarray(0, readInto(buf));
    },
    readInto(buf: Uint8Array): number {
      if (pumped !== undefined) {
        const data = pumped.host.recv(pumped.handle, buf.length, false, false);
        buf.set(data);
        return data.length;
      }
      return readInto(buf);
    },
  };
}

/** Node's standard streams. */
export function nodeStdio(): { stdin: InputStream; stdout: OutputStream; stderr: OutputStream } {
  return { stdin: nodeInput(0), stdout: nodeOutput(1), stderr: nodeOutput(2) };
}
