// Node's standard streams for WASI: written with fs.writeSync on the file descriptor, so output
// is in order with everything else the process writes and nothing is lost at exit, even for
// pipes that Node has made non-blocking (EAGAIN is waited out, not dropped).

import * as fs from 'node:fs';
import { ERRNO, FILETYPE, WasiError } from '../wasi/constants.js';
import type { InputStream, OutputStream } from '../wasi/stdio.js';

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
  return {
    filetype: streamFiletype(fd),
    write(data: Uint8Array): void {
      let off = 0;
      while (off < data.length) {
        try {
          off += fs.writeSync(fd, data, off, data.length - off);
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code === 'EAGAIN') { sleepMs(1); continue; }
          if (code === 'EPIPE') throw new WasiError(ERRNO.PIPE);
          throw new WasiError(ERRNO.IO, (e as Error).message);
        }
      }
    },
  };
}

export function nodeInput(fd: number): InputStream {
  return {
    filetype: streamFiletype(fd),
    read(max: number): Uint8Array {
      const buf = new Uint8Array(max);
      for (;;) {
        try {
          return buf.subarray(0, fs.readSync(fd, buf, 0, max, null));
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code === 'EAGAIN') { sleepMs(5); continue; }
          if (code === 'EOF') return buf.subarray(0, 0);
          throw new WasiError(ERRNO.IO, (e as Error).message);
        }
      }
    },
  };
}

/** Node's standard streams. */
export function nodeStdio(): { stdin: InputStream; stdout: OutputStream; stderr: OutputStream } {
  return { stdin: nodeInput(0), stdout: nodeOutput(1), stderr: nodeOutput(2) };
}
