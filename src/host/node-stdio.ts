// Node's standard streams for WASI: written with fs.writeSync on the file descriptor, so output
// is in order with everything else the process writes and nothing is lost at exit, even for
// pipes that Node has made non-blocking (EAGAIN is waited out, not dropped).

import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { createRequire } from 'node:module';
import { ERRNO, FILETYPE, WasiError } from '../wasi/constants.js';
import type { GuestMemory, InputStream, OutputStream } from '../wasi/stdio.js';
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
  // fd_write straight from guest memory through node:wasi's own (C++) fd_write, bound to this fd,
  // when the guest's memory is the host's WebAssembly.Memory (node:wasi takes no other): one
  // write(2) without Node's JS fs layer, which costs less per call than fs.writeSync (16-byte
  // writes: about 1.3x node:wasi's time instead of 1.45x). Anything it does not write in full
  // (EAGAIN, an error, a short write) goes through writeFrom.
  const writers = new WeakMap<GuestMemory, FdWrite | null>();
  let last: { memory: GuestMemory; write: FdWrite | null } | undefined;
  let view: { buffer: ArrayBuffer; dv: DataView; u8: Uint8Array } | undefined;
  const writeIovecs = (memory: GuestMemory, iovs: number, n: number, nwritten: number, total: number): boolean => {
    if (last?.memory !== memory) {
      let w = writers.get(memory);
      if (w === undefined) {
        w = nodeWasiWrite(fd, memory);
        writers.set(memory, w);
      }
      last = { memory, write: w };
    }
    const w = last.write;
    if (w === null || w(1, iovs, n, nwritten) !== 0) return false;
    const b = memory.buffer;
    if (view?.buffer !== b) view = { buffer: b, dv: new DataView(b), u8: new Uint8Array(b) };
    let skip = view.dv.getUint32(nwritten, true);
    if (skip < total) {
      for (let i = 0; i < n; i++) {
        const base = view.dv.getUint32(iovs + 8 * i, true);
        const len = view.dv.getUint32(iovs + 8 * i + 4, true);
        if (skip >= len) { skip -= len; continue; }
        writeFrom(view.u8, base + skip, len - skip);
        skip = 0;
      }
      view.dv.setUint32(nwritten, total, true);
    }
    return true;
  };
  return {
    filetype: streamFiletype(fd),
    write: (data: Uint8Array): void => writeFrom(data, 0, data.length),
    writeFrom,
    writeIovecs,
  };
}

type FdWrite = (fd: number, iovs: number, n: number, nwritten: number) => number;
type NodeWasi = new (options: object) => { initialize(instance: object): void; wasiImport: Record<string, FdWrite> };
let nodeWasiClass: NodeWasi | null | undefined;

/**
 * node:wasi's fd_write for a WASI instance whose fds 0-2 are all `fd`, over `memory`; null when
 * the memory is not the host's WebAssembly.Memory, or node:wasi is missing or refuses. Loaded
 * without its experimental-feature warning, which would otherwise appear on the program's
 * stderr (Node gives it when the module loads).
 */
function nodeWasiWrite(fd: number, memory: GuestMemory): FdWrite | null {
  if (nodeWasiClass === undefined) {
    const emit = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
      if (type === 'ExperimentalWarning' && String(warning).startsWith('WASI')) return;
      (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      nodeWasiClass = (createRequire(import.meta.url)('node:wasi') as { WASI: NodeWasi }).WASI;
    } catch {
      nodeWasiClass = null;
    } finally {
      process.emitWarning = emit;
    }
  }
  if (nodeWasiClass === null) return null;
  try {
    const wasi = new nodeWasiClass({ version: 'preview1', stdin: fd, stdout: fd, stderr: fd, returnOnExit: true });
    wasi.initialize({ exports: { memory } });
    return wasi.wasiImport.fd_write;
  } catch {
    // Not the host's WebAssembly.Memory (Kasane's engine), or no WASI for this fd.
    return null;
  }
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
