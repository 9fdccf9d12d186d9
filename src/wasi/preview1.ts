// The `wasi_snapshot_preview1` import object. Written against the standard JS API: guest memory
// is the instance's exported `memory`, read and written through a DataView kept in step with its
// buffer (checked on each call), so the same object works with Kasane's engine and with the
// host's native WebAssembly.
// No Node built-ins here: files come from src/vfs (or src/host), streams from src/wasi/stdio.

import {
  CLOCKID, ERRNO, EVENTRWFLAGS, EVENTTYPE, FDFLAGS, FILETYPE, FSTFLAGS, LOOKUPFLAGS, OFLAGS, PREOPENTYPE, RIGHTS,
  RIFLAGS, RIGHTS_ALL, RIGHTS_DIR, RIGHTS_FILE, RIGHTS_SOCKET, RIGHTS_STDIN, RIGHTS_STDOUT, SIZE, SUBCLOCKFLAGS, WHENCE, WasiError,
  type FileType,
} from './constants.js';
import { argChecker } from './abi-checks.js';
import { FdTable, resolvePath, type DirFd, type DirListing, type Entry, type FileFd, type SocketFd } from './fd-table.js';
import type { NetHost, PollRequest, PreopenedSocket } from './sockets.js';
import { EMPTY_INPUT, type InputStream, type OutputStream } from './stdio.js';
import type { DirEntry, FileSystem, Stat } from '../vfs/types.js';

/** Thrown by proc_exit: unwinds the guest and carries its exit code to the runner. */
export class ExitStatus extends Error {
  constructor(readonly code: number) {
    super(`exit status ${code}`);
    this.name = 'ExitStatus';
  }
}

export interface Preview1Options {
  args?: readonly string[];
  /** Environment as NAME=VALUE strings or an object. */
  env?: readonly string[] | Record<string, string>;
  /** Guest directory name to filesystem. */
  preopens?: Record<string, FileSystem>;
  stdin?: InputStream;
  stdout?: OutputStream;
  stderr?: OutputStream;
  /** Listening sockets handed to the guest (as wasmtime's --tcplisten), after the preopened directories. */
  sockets?: readonly PreopenedSocket[];
  /**
   * Whether fd_readdir reports each entry's inode (d_ino, as lstat's st_ino; default true). false:
   * d_ino is 0 (unknown) wherever it would cost a system call per entry (host directories), as
   * node:wasi always reports it; a directory changed in the last second then lists about as fast
   * as node:wasi lists it. wasi-libc (since 2022-12) stats an entry whose d_ino is 0 in readdir()
   * itself; older libcs pass the 0 on, and Go 1.21's os.ReadDir skips such entries.
   */
  direntInodes?: boolean;
}

interface MemoryLike { readonly buffer: ArrayBuffer }

/**
 * Whether growing a WebAssembly.Memory detaches its old buffer here (the JS API requires it;
 * Kasane's own memories do it with transfer or structuredClone, when the host has one).
 */
const GROW_DETACHES =
  typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function' ||
  typeof (globalThis as { structuredClone?: unknown }).structuredClone === 'function';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const fail = (errno: number): never => { throw new WasiError(errno); };
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** Blocks the thread for ms milliseconds (Atomics.wait; a spin where the thread may not block). */
export const sleeper = (() => {
  try {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(cell, 0, 0, 0);
    return (ms: number) => { if (ms > 0) Atomics.wait(cell, 0, 0, ms); };
  } catch {
    // No blocking wait on this thread (a browser's main thread): spin.
    return (ms: number) => { const end = performance.now() + ms; while (performance.now() < end) { /* wait */ } };
  }
})();

const timeOriginNs = BigInt(Math.round(performance.timeOrigin * 1e6));
function monotonicNs(): bigint { return BigInt(Math.round(performance.now() * 1e6)); }
/** A preview1 clock in nanoseconds (REALTIME since the epoch, the others monotonic). */
export function clockNs(id: number): bigint {
  switch (id) {
    case CLOCKID.REALTIME: return timeOriginNs + monotonicNs();
    case CLOCKID.MONOTONIC:
    case CLOCKID.PROCESS_CPUTIME_ID:
    case CLOCKID.THREAD_CPUTIME_ID: return monotonicNs();
    default: return fail(ERRNO.INVAL);
  }
}

/** WASI preview1 state for one instance: its fds, args, environment and the import functions. */
export class Preview1 {
  readonly fds = new FdTable();
  readonly args: readonly string[];
  readonly env: readonly string[];
  private memory?: MemoryLike;
  /** memory is a WebAssembly.Memory (native or Kasane's), whose grow detaches the old buffer. */
  private memoryDetaches = false;
  private buf?: ArrayBuffer;
  /** buf is current for as long as it is not detached (a non-shared buffer of such a memory). */
  private bufTracked = false;
  /** Counts the changes this instance makes to directories (cached fd_readdir listings check it). */
  private dirGeneration = 0;
  /** Preview1Options.direntInodes. */
  private readonly direntInodes: boolean;
  /** Dirent records of listings a filesystem returned, for when it returns the same array again. */
  private readonly encodedDirs = new WeakMap<readonly DirEntry[], { body: Uint8Array; offsets: Uint32Array }>();
  private dv!: DataView;
  private u8!: Uint8Array;
  /** The functions of the `wasi_snapshot_preview1` module. */
  readonly wasiImport: Record<string, (...args: never[]) => number | void>;

  constructor(options: Preview1Options = {}) {
    this.args = [...(options.args ?? [])];
    this.direntInodes = options.direntInodes ?? true;
    const env = options.env ?? [];
    this.env = Array.isArray(env) ? [...env] : Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const stream = (input: InputStream | undefined, output: OutputStream | undefined, rights: bigint): Entry =>
      ({ kind: 'stream', input, output, rightsBase: rights, rightsInheriting: 0n, fdflags: 0 });
    this.fds.set(0, stream(options.stdin ?? EMPTY_INPUT, undefined, RIGHTS_STDIN));
    this.fds.set(1, stream(undefined, options.stdout ?? { write() {} }, RIGHTS_STDOUT));
    this.fds.set(2, stream(undefined, options.stderr ?? { write() {} }, RIGHTS_STDOUT));
    for (const [name, fs] of Object.entries(options.preopens ?? {})) {
      this.fds.add({ kind: 'dir', fs, path: '', preopen: name, rightsBase: RIGHTS_DIR, rightsInheriting: RIGHTS_ALL, fdflags: 0 });
    }
    for (const sock of options.sockets ?? []) {
      this.fds.add({ kind: 'socket', host: sock.host, handle: sock.handle, listener: true, rightsBase: RIGHTS_SOCKET, rightsInheriting: RIGHTS_SOCKET, fdflags: 0 });
    }
    this.wasiImport = this.makeImports();
  }

  /** The import object to instantiate with. */
  get importObject(): { wasi_snapshot_preview1: Record<string, (...args: never[]) => number | void> } {
    return { wasi_snapshot_preview1: this.wasiImport };
  }

  /** Attaches the instance whose exported `memory` the functions use. */
  bind(instance: { exports: Record<string, unknown> }): void {
    const mem = instance.exports.memory as MemoryLike | undefined;
    if (typeof mem !== 'object' || mem === null || !(mem.buffer instanceof ArrayBuffer || isShared(mem.buffer))) {
      throw new TypeError('the module does not export a memory named "memory"');
    }
    this.memory = mem;
    this.memoryDetaches = GROW_DETACHES && Object.prototype.toString.call(mem) === '[object WebAssembly.Memory]';
    this.buf = undefined;
    this.bufTracked = false;
  }

  /** Runs a command: binds, calls `_start`, returns the exit code (0 when it returns). */
  start(instance: { exports: Record<string, unknown> }): number {
    this.bind(instance);
    const start = instance.exports._start;
    if (typeof start !== 'function') throw new TypeError('the module does not export a function "_start"');
    try {
      (start as () => void)();
      return 0;
    } catch (e) {
      if (e instanceof ExitStatus) return e.code;
      throw e;
    } finally {
      this.fds.closeAll();
    }
  }

  /** Initializes a reactor: binds and calls `_initialize` when it is exported. */
  initialize(instance: { exports: Record<string, unknown> }): void {
    this.bind(instance);
    const init = instance.exports._initialize;
    if (typeof init === 'function') (init as () => void)();
  }

  // --- guest memory --------------------------------------------------------------------------

  private refresh(): void {
    // Fast path: memory.grow detaches the buffer it replaces (byteLength 0), so a tracked buffer
    // that still has bytes is the current one, without asking the memory.
    if (this.bufTracked && this.buf!.byteLength !== 0) return;
    if (this.memory === undefined) throw new Error('WASI function called before the instance was bound (call start, initialize or bind)');
    const b = this.memory.buffer;
    if (b !== this.buf) {
      this.buf = b;
      this.dv = new DataView(b);
      this.u8 = new Uint8Array(b);
      this.bufTracked = this.memoryDetaches && !isShared(b);
    }
  }
  private bytes(ptr: number, len: number): Uint8Array {
    ptr >>>= 0; len >>>= 0;
    if (ptr + len > this.u8.length) fail(ERRNO.FAULT);
    return this.u8.subarray(ptr, ptr + len);
  }
  private str(ptr: number, len: number): string {
    try { return decoder.decode(this.bytes(ptr, len)); } catch (e) {
      if (e instanceof WasiError) throw e;
      return fail(ERRNO.ILSEQ);
    }
  }
  private setU8(ptr: number, v: number): void { this.dv.setUint8(ptr >>> 0, v); }
  private setU16(ptr: number, v: number): void { this.dv.setUint16(ptr >>> 0, v, true); }
  private setU32(ptr: number, v: number): void { this.dv.setUint32(ptr >>> 0, v, true); }
  private setU64(ptr: number, v: bigint): void { this.dv.setBigUint64(ptr >>> 0, u64(v), true); }
  private getU32(ptr: number): number { return this.dv.getUint32(ptr >>> 0, true); }
  private iovs(ptr: number, count: number): Uint8Array[] {
    count >>>= 0;
    this.bytes(ptr, count * SIZE.IOVEC);
    const out: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const p = (ptr >>> 0) + i * SIZE.IOVEC;
      out.push(this.bytes(this.getU32(p), this.getU32(p + 4)));
    }
    return out;
  }
  private writeFilestat(ptr: number, s: Stat): void {
    this.bytes(ptr, SIZE.FILESTAT).fill(0);
    this.setU64(ptr, s.dev);
    this.setU64(ptr + 8, s.ino);
    this.setU8(ptr + 16, s.filetype);
    this.setU64(ptr + 24, s.nlink);
    this.setU64(ptr + 32, s.size);
    this.setU64(ptr + 40, s.atim);
    this.setU64(ptr + 48, s.mtim);
    this.setU64(ptr + 56, s.ctim);
  }
  private writeStrings(list: readonly string[], ptrs: number, buf: number): void {
    let p = buf >>> 0;
    list.forEach((s, i) => {
      const b = encoder.encode(s + '\0');
      this.bytes(p, b.length).set(b);
      this.setU32((ptrs >>> 0) + 4 * i, p);
      p += b.length;
    });
  }
  private sizes(list: readonly string[], countPtr: number, sizePtr: number): void {
    this.setU32(countPtr, list.length);
    this.setU32(sizePtr, list.reduce((n, s) => n + encoder.encode(s).length + 1, 0));
  }

  // --- helpers -------------------------------------------------------------------------------

  private filetypeOf(e: Entry): FileType {
    if (e.kind === 'stream') return (e.input?.filetype ?? e.output?.filetype ?? FILETYPE.CHARACTER_DEVICE) as FileType;
    if (e.kind === 'socket') return FILETYPE.SOCKET_STREAM;
    return e.kind === 'file' ? FILETYPE.REGULAR_FILE : FILETYPE.DIRECTORY;
  }
  private statOf(e: Entry): Stat {
    if (e.kind === 'file') return e.handle.stat();
    if (e.kind === 'dir') return e.fs.lstat(e.path);
    return { dev: 0n, ino: 0n, filetype: this.filetypeOf(e), nlink: 1n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n };
  }
  /** A regular file fd with rights; a directory gives ISDIR, a stream `streamErrno`. */
  private fileFd(fd: number, rights: bigint, streamErrno: number = ERRNO.BADF): FileFd {
    const e = this.fds.get(fd);
    if (e.kind === 'stream' || e.kind === 'socket') fail(streamErrno);
    if (e.kind === 'dir') fail(ERRNO.ISDIR);
    if ((e.rightsBase & rights) !== rights) fail(ERRNO.NOTCAPABLE);
    return e as FileFd;
  }
  private times(atim: bigint, mtim: bigint, flags: number): [bigint | undefined, bigint | undefined] {
    if ((flags & FSTFLAGS.ATIM && flags & FSTFLAGS.ATIM_NOW) || (flags & FSTFLAGS.MTIM && flags & FSTFLAGS.MTIM_NOW)) fail(ERRNO.INVAL);
    const now = clockNs(CLOCKID.REALTIME);
    return [
      flags & FSTFLAGS.ATIM_NOW ? now : flags & FSTFLAGS.ATIM ? u64(atim) : undefined,
      flags & FSTFLAGS.MTIM_NOW ? now : flags & FSTFLAGS.MTIM ? u64(mtim) : undefined,
    ];
  }
  private readFile(e: FileFd, iovs: Uint8Array[], pos: bigint): number {
    let total = 0;
    for (const iov of iovs) {
      if (iov.length === 0) continue;
      const n = e.handle.read(iov, pos);
      total += n;
      pos += BigInt(n);
      if (n < iov.length) break;
    }
    return total;
  }
  private writeFile(e: FileFd, iovs: Uint8Array[], pos: bigint): number {
    let total = 0;
    for (const iov of iovs) {
      if (iov.length === 0) continue;
      const n = e.handle.write(iov, pos);
      total += n;
      pos += BigInt(n);
      if (n < iov.length) break;
    }
    return total;
  }
  /** A socket fd with rights (NOTSOCK for any other descriptor). */
  private socket(fd: number, rights: bigint): SocketFd {
    const e = this.fds.get(fd);
    if (e.kind !== 'socket') fail(ERRNO.NOTSOCK);
    if ((e.rightsBase & rights) !== rights) fail(ERRNO.NOTCAPABLE);
    return e as SocketFd;
  }
  private sockRecv(e: SocketFd, iovs: Uint8Array[], riflags: number): number {
    if (e.listener) fail(ERRNO.NOTCONN);
    const want = iovs.reduce((s, v) => s + v.length, 0);
    if (want === 0) return 0;
    const nonblock = (e.fdflags & FDFLAGS.NONBLOCK) !== 0;
    const peek = (riflags & RIFLAGS.RECV_PEEK) !== 0;
    let data = e.host.recv(e.handle, want, peek, nonblock);
    if (riflags & RIFLAGS.RECV_WAITALL && !peek && !nonblock && data.length > 0 && data.length < want) {
      const parts = [data];
      let got = data.length;
      while (got < want) {
        const more = e.host.recv(e.handle, want - got, false, false);
        if (more.length === 0) break;
        parts.push(more);
        got += more.length;
      }
      data = gather(parts);
    }
    return scatter(data, iovs);
  }
  private sockSend(e: SocketFd, iovs: Uint8Array[]): number {
    if (e.listener) fail(ERRNO.NOTCONN);
    const data = gather(iovs);
    if (data.length === 0) return 0;
    return e.host.send(e.handle, data, (e.fdflags & FDFLAGS.NONBLOCK) !== 0);
  }

  /** Lists a directory ('.', '..', then its entries) as dirent records, for fd_readdir. */
  private listDir(e: DirFd): DirListing {
    const self = e.fs.lstat(e.path);
    let parentIno = self.ino;
    if (e.path !== '') {
      const i = e.path.lastIndexOf('/');
      try { parentIno = e.fs.lstat(i < 0 ? '' : e.path.slice(0, i)).ino; } catch { /* keep */ }
    }
    const entries = e.fs.readdir(e.path, this.direntInodes);
    let enc = this.encodedDirs.get(entries);
    if (enc === undefined) {
      enc = encodeDirents(entries);
      this.encodedDirs.set(entries, enc);
    }
    const data = new Uint8Array(enc.offsets[enc.offsets.length - 1]);
    const dv = new DataView(data.buffer);
    const dot = (o: number, cookie: number, ino: bigint, name: string): void => {
      dv.setBigUint64(o, BigInt(cookie), true);
      dv.setBigUint64(o + 8, u64(ino), true);
      dv.setUint32(o + 16, name.length, true);
      dv.setUint8(o + 20, FILETYPE.DIRECTORY);
      for (let k = 0; k < name.length; k++) data[o + SIZE.DIRENT + k] = name.charCodeAt(k);
    };
    dot(0, 1, self.ino, '.');
    dot(DOT_RECORD, 2, parentIno, '..');
    data.set(enc.body, DOTS_SIZE);
    return { generation: this.dirGeneration, data, offsets: enc.offsets };
  }

  private pathArg(fd: number, rights: bigint, ptr: number, len: number, follow: boolean): [DirFd, string] {
    const dir = this.fds.dir(fd, rights);
    return [dir, resolvePath(dir, this.str(ptr, len), follow)];
  }

  // --- the functions -------------------------------------------------------------------------

  private makeImports(): Record<string, (...args: never[]) => number | void> {
    const fds = this.fds;
    const R = RIGHTS;
    const fns: Record<string, (...a: any[]) => number | void> = {
      args_get: (argv: number, buf: number) => { this.writeStrings(this.args, argv, buf); },
      args_sizes_get: (count: number, size: number) => { this.sizes(this.args, count, size); },
      environ_get: (env: number, buf: number) => { this.writeStrings(this.env, env, buf); },
      environ_sizes_get: (count: number, size: number) => { this.sizes(this.env, count, size); },

      clock_res_get: (id: number, ptr: number) => {
        clockNs(id);
        this.setU64(ptr, 1000n);
      },
      clock_time_get: (id: number, _precision: bigint, ptr: number) => { this.setU64(ptr, clockNs(id)); },

      fd_advise: (fd: number) => {
        this.fileFd(fd, R.FD_ADVISE);
      },
      fd_allocate: (fd: number, offset: bigint, len: bigint) => {
        const e = this.fileFd(fd, R.FD_ALLOCATE);
        const end = u64(offset) + u64(len);
        if (end > 0x7fffffffffffffffn) fail(ERRNO.FBIG);
        if (end > e.handle.stat().size) e.handle.truncate(end);
      },
      fd_close: (fd: number) => { fds.close(fd); },
      fd_datasync: (fd: number) => { this.fileFd(fd, R.FD_DATASYNC, ERRNO.INVAL).handle.sync(); },
      fd_fdstat_get: (fd: number, ptr: number) => {
        const e = fds.get(fd);
        this.bytes(ptr, SIZE.FDSTAT).fill(0);
        this.setU8(ptr, this.filetypeOf(e));
        this.setU16(ptr + 2, e.fdflags);
        this.setU64(ptr + 8, e.rightsBase);
        this.setU64(ptr + 16, e.rightsInheriting);
      },
      fd_fdstat_set_flags: (fd: number, flags: number) => {
        const e = fds.get(fd, R.FD_FDSTAT_SET_FLAGS);
        if (flags & (FDFLAGS.DSYNC | FDFLAGS.RSYNC | FDFLAGS.SYNC)) fail(ERRNO.NOTSUP);
        e.fdflags = flags;
      },
      fd_fdstat_set_rights: (fd: number, base: bigint, inheriting: bigint) => {
        const e = fds.get(fd);
        base = u64(base); inheriting = u64(inheriting);
        if ((base & ~e.rightsBase) !== 0n || (inheriting & ~e.rightsInheriting) !== 0n) fail(ERRNO.NOTCAPABLE);
        fds.setRights(fd, base, inheriting);
      },
      fd_filestat_get: (fd: number, ptr: number) => {
        this.writeFilestat(ptr, this.statOf(fds.get(fd, R.FD_FILESTAT_GET)));
      },
      fd_filestat_set_size: (fd: number, size: bigint) => {
        const e = this.fileFd(fd, R.FD_FILESTAT_SET_SIZE, ERRNO.INVAL);
        if (size < 0n) fail(ERRNO.INVAL);
        e.handle.truncate(size);
      },
      fd_filestat_set_times: (fd: number, atim: bigint, mtim: bigint, flags: number) => {
        const e = fds.get(fd, R.FD_FILESTAT_SET_TIMES);
        const [a, m] = this.times(atim, mtim, flags);
        if (e.kind === 'file') e.handle.setTimes(a, m);
        else if (e.kind === 'dir') e.fs.setTimes(e.path, a, m);
        else fail(ERRNO.BADF);
      },
      fd_pread: (fd: number, iovs: number, n: number, offset: bigint, nread: number) => {
        const e = this.fileFd(fd, R.FD_READ | R.FD_SEEK, ERRNO.SPIPE);
        if (offset < 0n) fail(ERRNO.INVAL);
        this.setU32(nread, this.readFile(e, this.iovs(iovs, n), offset));
      },
      fd_prestat_get: (fd: number, ptr: number) => {
        const e = fds.get(fd);
        if (e.kind !== 'dir' || e.preopen === undefined) fail(ERRNO.BADF);
        this.setU8(ptr, PREOPENTYPE.DIR);
        this.setU32(ptr + 4, encoder.encode((e as DirFd).preopen).length);
      },
      fd_prestat_dir_name: (fd: number, path: number, len: number) => {
        const e = fds.get(fd);
        if (e.kind !== 'dir' || e.preopen === undefined) fail(ERRNO.BADF);
        const name = encoder.encode((e as DirFd).preopen);
        if ((len >>> 0) < name.length) fail(ERRNO.NAMETOOLONG);
        this.bytes(path, name.length).set(name);
      },
      fd_pwrite: (fd: number, iovs: number, n: number, offset: bigint, nwritten: number) => {
        const e = this.fileFd(fd, R.FD_WRITE | R.FD_SEEK, ERRNO.SPIPE);
        if (offset < 0n) fail(ERRNO.INVAL);
        this.setU32(nwritten, this.writeFile(e, this.iovs(iovs, n), offset));
      },
      fd_read: (fd: number, iovsPtr: number, n: number, nread: number) => {
        const e = fds.get(fd);
        if (e.kind === 'dir') fail(ERRNO.ISDIR);
        fds.get(fd, R.FD_READ);
        const iovs = this.iovs(iovsPtr, n);
        if (e.kind === 'socket') {
          this.setU32(nread, this.sockRecv(e, iovs, 0));
          return;
        }
        if (e.kind === 'stream') {
          if (e.input === undefined) return fail(ERRNO.BADF);
          if (iovs.length === 1 && e.input.readInto !== undefined) {
            // Straight into guest memory.
            this.setU32(nread, iovs[0].length === 0 ? 0 : e.input.readInto(iovs[0]));
            return;
          }
          const want = iovs.reduce((s, v) => s + v.length, 0);
          const data = want === 0 ? new Uint8Array(0) : e.input.read(want);
          this.setU32(nread, scatter(data, iovs));
          return;
        }
        if (e.kind === 'dir') fail(ERRNO.ISDIR);
        const f = e as FileFd;
        const k = this.readFile(f, iovs, f.pos);
        f.pos += BigInt(k);
        this.setU32(nread, k);
      },
      fd_readdir: (fd: number, buf: number, bufLen: number, cookie: bigint, bufused: number) => {
        const e = fds.dir(fd, R.FD_READDIR);
        // The listing is taken at cookie 0 and kept for the later cookies of this fd, until this
        // instance changes a directory (then the next call, whatever its cookie, lists anew).
        let list = e.listing;
        if (list === undefined || cookie === 0n || list.generation !== this.dirGeneration) {
          list = this.listDir(e);
          e.listing = list;
        }
        const out = this.bytes(buf, bufLen);
        const count = list.offsets.length - 1;
        const c = u64(cookie);
        const start = list.offsets[c > BigInt(count) ? count : Number(c)];
        // Whole records while they fit, then the start of the next one (the guest sees a full buffer).
        const used = Math.min(out.length, list.data.length - start);
        out.set(list.data.subarray(start, start + used));
        this.setU32(bufused, used);
      },
      fd_renumber: (from: number, to: number) => { fds.renumber(from, to); },
      fd_seek: (fd: number, offset: bigint, whence: number, ptr: number) => {
        const rights = offset === 0n && whence === WHENCE.CUR ? R.FD_TELL : R.FD_SEEK;
        const e = this.fileFd(fd, rights, ERRNO.SPIPE);
        let base: bigint;
        switch (whence) {
          case WHENCE.SET: base = 0n; break;
          case WHENCE.CUR: base = e.pos; break;
          case WHENCE.END: base = e.handle.stat().size; break;
          default: return fail(ERRNO.INVAL);
        }
        const pos = base + offset;
        if (pos < 0n) fail(ERRNO.INVAL);
        if (pos > 0x7fffffffffffffffn) fail(ERRNO.OVERFLOW);
        e.pos = pos;
        this.setU64(ptr, pos);
      },
      fd_sync: (fd: number) => {
        const e = fds.get(fd, R.FD_SYNC);
        if (e.kind === 'file') e.handle.sync();
        else if (e.kind === 'stream' || e.kind === 'socket') fail(ERRNO.INVAL);
      },
      fd_tell: (fd: number, ptr: number) => { this.setU64(ptr, this.fileFd(fd, R.FD_TELL, ERRNO.SPIPE).pos); },
      // fd_write has a wrapper of its own (below): it is the hot path of every program's output.

      path_create_directory: (fd: number, p: number, len: number) => {
        const [dir, path] = this.pathArg(fd, R.PATH_CREATE_DIRECTORY, p, len, false);
        if (path === dir.path) fail(ERRNO.EXIST);
        this.dirGeneration++;
        dir.fs.mkdir(path);
      },
      path_filestat_get: (fd: number, flags: number, p: number, len: number, ptr: number) => {
        const [dir, path] = this.pathArg(fd, R.PATH_FILESTAT_GET, p, len, (flags & LOOKUPFLAGS.SYMLINK_FOLLOW) !== 0);
        this.writeFilestat(ptr, dir.fs.lstat(path));
      },
      path_filestat_set_times: (fd: number, flags: number, p: number, len: number, atim: bigint, mtim: bigint, fst: number) => {
        const [dir, path] = this.pathArg(fd, R.PATH_FILESTAT_SET_TIMES, p, len, (flags & LOOKUPFLAGS.SYMLINK_FOLLOW) !== 0);
        const [a, m] = this.times(atim, mtim, fst);
        dir.fs.setTimes(path, a, m);
      },
      path_link: (oldFd: number, oldFlags: number, oldP: number, oldLen: number, newFd: number, newP: number, newLen: number) => {
        const [odir, from] = this.pathArg(oldFd, R.PATH_LINK_SOURCE, oldP, oldLen, (oldFlags & LOOKUPFLAGS.SYMLINK_FOLLOW) !== 0);
        const [ndir, to] = this.pathArg(newFd, R.PATH_LINK_TARGET, newP, newLen, false);
        if (odir.fs !== ndir.fs) fail(ERRNO.XDEV);
        this.dirGeneration++;
        ndir.fs.link(from, to);
      },
      path_open: (fd: number, dirflags: number, p: number, len: number, oflags: number, base: bigint, inheriting: bigint, fdflags: number, fdPtr: number) => {
        let needed = R.PATH_OPEN;
        if (oflags & OFLAGS.CREAT) needed |= R.PATH_CREATE_FILE;
        if (oflags & OFLAGS.TRUNC) needed |= R.PATH_FILESTAT_SET_SIZE;
        const [dir, path] = this.pathArg(fd, needed, p, len, (dirflags & LOOKUPFLAGS.SYMLINK_FOLLOW) !== 0);
        base = u64(base) & dir.rightsInheriting;
        inheriting = u64(inheriting) & dir.rightsInheriting;
        let st: Stat | undefined;
        try { st = dir.fs.lstat(path); } catch (e) {
          if (!(e instanceof WasiError && e.errno === ERRNO.NOENT)) throw e;
        }
        if (st !== undefined && oflags & OFLAGS.CREAT && oflags & OFLAGS.EXCL) fail(ERRNO.EXIST);
        if (st?.filetype === FILETYPE.SYMBOLIC_LINK) fail(ERRNO.LOOP);
        const wantsWrite = (base & (R.FD_WRITE | R.FD_ALLOCATE | R.FD_FILESTAT_SET_SIZE)) !== 0n || (oflags & OFLAGS.TRUNC) !== 0;
        if (st?.filetype === FILETYPE.DIRECTORY) {
          if (oflags & OFLAGS.TRUNC || ((base & R.FD_WRITE) !== 0n && !(oflags & OFLAGS.DIRECTORY))) fail(ERRNO.ISDIR);
          this.setU32(fdPtr, fds.add({ kind: 'dir', fs: dir.fs, path, rightsBase: base & RIGHTS_DIR, rightsInheriting: inheriting, fdflags: fdflags & FDFLAGS.NONBLOCK }));
          return;
        }
        if (oflags & OFLAGS.DIRECTORY) fail(st === undefined ? ERRNO.NOENT : ERRNO.NOTDIR);
        if (st === undefined && !(oflags & OFLAGS.CREAT)) fail(ERRNO.NOENT);
        if (fdflags & (FDFLAGS.DSYNC | FDFLAGS.RSYNC | FDFLAGS.SYNC)) fail(ERRNO.NOTSUP);
        if (st === undefined) this.dirGeneration++;
        const handle = dir.fs.open(path, {
          read: (base & (R.FD_READ | R.FD_READDIR)) !== 0n || !wantsWrite,
          write: wantsWrite,
          create: (oflags & OFLAGS.CREAT) !== 0,
          exclusive: (oflags & OFLAGS.EXCL) !== 0,
          truncate: (oflags & OFLAGS.TRUNC) !== 0,
        });
        this.setU32(fdPtr, fds.add({ kind: 'file', fs: dir.fs, path, handle, pos: 0n, rightsBase: base & RIGHTS_FILE, rightsInheriting: inheriting & RIGHTS_FILE, fdflags }));
      },
      path_readlink: (fd: number, p: number, len: number, buf: number, bufLen: number, used: number) => {
        const [dir, path] = this.pathArg(fd, R.PATH_READLINK, p, len, false);
        const target = encoder.encode(dir.fs.readlink(path));
        const k = Math.min(target.length, bufLen >>> 0);
        this.bytes(buf, k).set(target.subarray(0, k));
        this.setU32(used, k);
      },
      path_remove_directory: (fd: number, p: number, len: number) => {
        const [dir, path] = this.pathArg(fd, R.PATH_REMOVE_DIRECTORY, p, len, false);
        if (path === dir.path) fail(ERRNO.INVAL);
        this.dirGeneration++;
        dir.fs.rmdir(path);
      },
      path_rename: (fd: number, oldP: number, oldLen: number, newFd: number, newP: number, newLen: number) => {
        const [odir, from] = this.pathArg(fd, R.PATH_RENAME_SOURCE, oldP, oldLen, false);
        const [ndir, to] = this.pathArg(newFd, R.PATH_RENAME_TARGET, newP, newLen, false);
        if (odir.fs !== ndir.fs) fail(ERRNO.XDEV);
        if (from === odir.path || to === ndir.path) fail(ERRNO.BUSY);
        this.dirGeneration++;
        odir.fs.rename(from, to);
      },
      path_symlink: (oldP: number, oldLen: number, fd: number, newP: number, newLen: number) => {
        const target = this.str(oldP, oldLen);
        const [dir, path] = this.pathArg(fd, R.PATH_SYMLINK, newP, newLen, false);
        if (target === '') fail(ERRNO.NOENT);
        if (target.includes('\0')) fail(ERRNO.ILSEQ);
        // A link is made only when it stays, read lexically from where it is, inside the
        // filesystem's root (following it is also checked at every use).
        if (target.startsWith('/')) fail(ERRNO.NOTCAPABLE);
        let depth = path.split('/').length - 1;
        for (const c of target.split('/')) {
          if (c === '..') { if (--depth < 0) fail(ERRNO.NOTCAPABLE); } else if (c !== '' && c !== '.') depth++;
        }
        this.dirGeneration++;
        dir.fs.symlink(target, path);
      },
      path_unlink_file: (fd: number, p: number, len: number) => {
        const [dir, path] = this.pathArg(fd, R.PATH_UNLINK_FILE, p, len, false);
        if (path === dir.path) fail(ERRNO.ISDIR);
        this.dirGeneration++;
        dir.fs.unlink(path);
      },

      poll_oneoff: (inPtr: number, outPtr: number, nsubs: number, neventsPtr: number) => this.pollOneoff(inPtr, outPtr, nsubs, neventsPtr),
      proc_exit: (code: number) => { throw new ExitStatus(code >>> 0); },
      // As wasmtime 49: no signals are raised, NOTSUP for every signal of the enum (0 to 30,
      // SIGNONE to SIGSYS, whatever its default action); a value outside it is an error (abi-checks.ts).
      proc_raise: () => ERRNO.NOTSUP,
      sched_yield: () => {},
      random_get: (buf: number, len: number) => {
        const out = this.bytes(buf, len);
        for (let o = 0; o < out.length; o += 65536) crypto.getRandomValues(out.subarray(o, Math.min(out.length, o + 65536)));
      },

      sock_accept: (fd: number, flags: number, fdPtr: number) => {
        const e = this.socket(fd, R.SOCK_ACCEPT);
        if (!e.listener) fail(ERRNO.INVAL);
        if (flags & ~FDFLAGS.NONBLOCK) fail(ERRNO.INVAL);
        this.bytes(fdPtr, 4);
        const handle = e.host.accept(e.handle, ((flags | e.fdflags) & FDFLAGS.NONBLOCK) !== 0);
        const conn: SocketFd = { kind: 'socket', host: e.host, handle, listener: false, rightsBase: RIGHTS_SOCKET & ~R.SOCK_ACCEPT, rightsInheriting: 0n, fdflags: flags & FDFLAGS.NONBLOCK };
        let newFd: number;
        try { newFd = fds.add(conn); } catch (err) { e.host.close(handle); throw err; }
        this.setU32(fdPtr, newFd);
      },
      sock_recv: (fd: number, iovsPtr: number, n: number, riflags: number, lenPtr: number, flagsPtr: number) => {
        const e = this.socket(fd, R.FD_READ);
        this.bytes(lenPtr, 4); this.bytes(flagsPtr, 2);
        const k = this.sockRecv(e, this.iovs(iovsPtr, n), riflags);
        this.setU32(lenPtr, k);
        this.setU16(flagsPtr, 0);
      },
      sock_send: (fd: number, iovsPtr: number, n: number, _siflags: number, lenPtr: number) => {
        const e = this.socket(fd, R.FD_WRITE);
        this.bytes(lenPtr, 4);
        this.setU32(lenPtr, this.sockSend(e, this.iovs(iovsPtr, n)));
      },
      sock_shutdown: (fd: number, how: number) => {
        const e = this.socket(fd, R.SOCK_SHUTDOWN);
        if (how < 1 || how > 3) fail(ERRNO.INVAL);
        if (e.listener) fail(ERRNO.NOTCONN);
        e.host.shutdown(e.handle, how);
      },
    };
    const wrapped: Record<string, (...args: never[]) => number | void> = {};
    for (const [name, f] of Object.entries(fns)) {
      const check = argChecker(name);
      // Fixed arity (no rest arguments): the longest preview1 signature has 9 parameters.
      const fn = (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, g: unknown, h: unknown, i: unknown, j: unknown): number => {
        // Invalid enum and flags arguments stop the guest, before anything else (abi-checks.ts).
        if (check !== undefined) check([a, b, c, d, e, g, h, i, j]);
        try {
          this.refresh();
          return (f(a, b, c, d, e, g, h, i, j) as number | undefined) ?? ERRNO.SUCCESS;
        } catch (e) {
          return errnoOf(e);
        }
      };
      Object.defineProperty(fn, 'name', { value: name });
      wrapped[name] = fn;
    }
    // A wrapper of its own, with fd_write's arity: the shared one above calls 46 different
    // functions from one call site, which the JIT cannot inline. The common case (a libc
    // flushing its buffer to a stream: one iovec) is written here, small enough for the JIT to
    // inline into the call site; fdWrite, which is not, does all the rest.
    const fd_write = (fd: number, iovsPtr: number, n: number, nwritten: number): number => {
      try {
        this.refresh();
        const out = n === 1 ? fds.writer(fd) : undefined;
        if (out !== undefined) {
          const dv = this.dv, size = this.u8.length, p = iovsPtr >>> 0;
          if (p <= size - SIZE.IOVEC) {
            const ptr = dv.getUint32(p, true), len = dv.getUint32(p + 4, true);
            if (ptr + len <= size) {
              if (len > 0) out.writeFrom(this.u8, ptr, len);
              dv.setUint32(nwritten >>> 0, len, true);
              return ERRNO.SUCCESS;
            }
          }
        }
        return this.fdWrite(fd, iovsPtr, n, nwritten);
      } catch (e) {
        return errnoOf(e);
      }
    };
    wrapped.fd_write = fd_write;
    return wrapped;
  }

  private fdWrite(fd: number, iovsPtr: number, n: number, nwritten: number): number {
    const e = this.fds.get(fd);
    if (e.kind === 'dir') fail(ERRNO.ISDIR);
    if ((e.rightsBase & RIGHTS.FD_WRITE) === 0n) fail(ERRNO.NOTCAPABLE);
    if (n === 1 && e.kind !== 'socket') {
      // The common case (a libc flushing its buffer): one iovec, read in place and written
      // straight from guest memory; to a stream with writeFrom, without even a view.
      const u8 = this.u8;
      const p = iovsPtr >>> 0;
      if (p + SIZE.IOVEC > u8.length) fail(ERRNO.FAULT);
      const ptr = this.dv.getUint32(p, true);
      const len = this.dv.getUint32(p + 4, true);
      if (ptr + len > u8.length) fail(ERRNO.FAULT);
      if (e.kind === 'stream') {
        const out = e.output;
        if (out === undefined) return fail(ERRNO.BADF);
        if (len > 0) {
          if (out.writeFrom !== undefined) out.writeFrom(u8, ptr, len);
          else out.write(u8.subarray(ptr, ptr + len));
        }
        this.dv.setUint32(nwritten >>> 0, len, true);
        return ERRNO.SUCCESS;
      }
      const f = e as FileFd;
      const pos = f.fdflags & FDFLAGS.APPEND ? f.handle.stat().size : f.pos;
      const k = len === 0 ? 0 : f.handle.write(u8.subarray(ptr, ptr + len), pos);
      f.pos = pos + BigInt(k);
      this.dv.setUint32(nwritten >>> 0, k, true);
      return ERRNO.SUCCESS;
    }
    const iovs = this.iovs(iovsPtr, n);
    if (e.kind === 'socket') {
      this.setU32(nwritten, this.sockSend(e, iovs));
      return ERRNO.SUCCESS;
    }
    if (e.kind === 'stream') {
      if (e.output === undefined) return fail(ERRNO.BADF);
      const data = gather(iovs);
      if (data.length > 0) e.output.write(data);
      this.setU32(nwritten, data.length);
      return ERRNO.SUCCESS;
    }
    const f = e as FileFd;
    const pos = f.fdflags & FDFLAGS.APPEND ? f.handle.stat().size : f.pos;
    const k = this.writeFile(f, iovs, pos);
    f.pos = pos + BigInt(k);
    this.setU32(nwritten, k);
    return ERRNO.SUCCESS;
  }

  private pollOneoff(inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
    nsubs >>>= 0;
    if (nsubs === 0) return ERRNO.INVAL;
    this.bytes(inPtr, nsubs * SIZE.SUBSCRIPTION);
    this.bytes(outPtr, nsubs * SIZE.EVENT);
    interface Ev { userdata: bigint; error: number; type: number; nbytes: bigint; flags: number }
    const ready: Ev[] = [];
    const clocks: { userdata: bigint; id: number; deadline: bigint }[] = [];
    // Subscriptions whose readiness a NetHost knows (sockets, a host's stdin): waited on there.
    const waits: { userdata: bigint; type: number; host: NetHost; req: PollRequest }[] = [];
    for (let i = 0; i < nsubs; i++) {
      const s = (inPtr >>> 0) + i * SIZE.SUBSCRIPTION;
      const userdata = this.dv.getBigUint64(s, true);
      const tag = this.dv.getUint8(s + 8);
      if (tag === EVENTTYPE.CLOCK) {
        const id = this.dv.getUint32(s + 16, true);
        const timeout = this.dv.getBigUint64(s + 24, true);
        const flags = this.dv.getUint16(s + 40, true);
        // An id outside the clockid enum: INVAL for the whole call, as wasmtime.
        if (id > CLOCKID.THREAD_CPUTIME_ID) return ERRNO.INVAL;
        const now = clockNs(id);
        const deadline = flags & SUBCLOCKFLAGS.SUBSCRIPTION_CLOCK_ABSTIME ? timeout : now + timeout;
        clocks.push({ userdata, id, deadline });
      } else if (tag === EVENTTYPE.FD_READ || tag === EVENTTYPE.FD_WRITE) {
        const fd = this.dv.getUint32(s + 16, true);
        let error: number = ERRNO.SUCCESS;
        let nbytes = 0n;
        try {
          const e = this.fds.get(fd, RIGHTS.POLL_FD_READWRITE);
          if (e.kind === 'socket') {
            waits.push({ userdata, type: tag, host: e.host, req: { handle: e.handle, write: tag === EVENTTYPE.FD_WRITE } });
            continue;
          }
          if (e.kind === 'file' && tag === EVENTTYPE.FD_READ) {
            const size = e.handle.stat().size;
            nbytes = size > e.pos ? size - e.pos : 0n;
          } else if (e.kind === 'stream' && (tag === EVENTTYPE.FD_READ ? e.input : e.output) === undefined) {
            error = ERRNO.BADF;
          } else if (e.kind === 'stream' && tag === EVENTTYPE.FD_READ) {
            const h = e.input!.pollHandle?.();
            if (h !== undefined) {
              waits.push({ userdata, type: tag, host: h.host, req: { handle: h.handle, write: false } });
              continue;
            }
          } else if (e.kind === 'dir') error = ERRNO.BADF;
        } catch (err) {
          if (!(err instanceof WasiError)) throw err;
          error = err.errno;
        }
        ready.push({ userdata, error, type: tag, nbytes, flags: 0 });
      } else {
        return ERRNO.INVAL;
      }
    }
    const clockEvents = (): void => {
      for (const c of clocks) {
        if (clockNs(c.id) >= c.deadline) ready.push({ userdata: c.userdata, error: 0, type: EVENTTYPE.CLOCK, nbytes: 0n, flags: 0 });
      }
    };
    if (waits.length > 0) {
      // One blocking wait in the (first) host, bounded by the earliest clock; other hosts are only looked at.
      let timeoutMs: number | undefined;
      if (ready.length > 0) timeoutMs = 0;
      else {
        for (const c of clocks) {
          const left = c.deadline - clockNs(c.id);
          const ms = left <= 0n ? 0 : Number((left + 999_999n) / 1_000_000n);
          if (timeoutMs === undefined || ms < timeoutMs) timeoutMs = ms;
        }
      }
      const hosts = [...new Set(waits.map((w) => w.host))];
      hosts.forEach((host, k) => {
        const mine = waits.filter((w) => w.host === host);
        for (const r of host.poll(mine.map((w) => w.req), k === 0 ? timeoutMs : 0)) {
          const w = mine[r.index];
          ready.push({ userdata: w.userdata, error: r.error, type: w.type, nbytes: BigInt(r.nbytes), flags: r.hangup ? EVENTRWFLAGS.FD_READWRITE_HANGUP : 0 });
        }
      });
      if (ready.length === 0 && clocks.length > 0) this.sleepUntilClock(clocks);
      clockEvents();
    } else if (ready.length === 0 && clocks.length > 0) {
      this.sleepUntilClock(clocks);
      clockEvents();
    } else {
      clockEvents();
    }
    ready.forEach((ev, i) => {
      const o = (outPtr >>> 0) + i * SIZE.EVENT;
      this.bytes(o, SIZE.EVENT).fill(0);
      this.setU64(o, ev.userdata);
      this.setU16(o + 8, ev.error);
      this.setU8(o + 10, ev.type);
      this.setU64(o + 16, ev.nbytes);
      this.setU16(o + 24, ev.flags);
    });
    this.setU32(neventsPtr, ready.length);
    return ERRNO.SUCCESS;
  }

  /** Sleeps until the earliest clock subscription's deadline (at least; rounded up to whole microseconds). */
  private sleepUntilClock(clocks: readonly { id: number; deadline: bigint }[]): void {
    let earliest = clocks[0];
    let wait = earliest.deadline - clockNs(earliest.id);
    for (const c of clocks) {
      const left = c.deadline - clockNs(c.id);
      if (left < wait) { wait = left; earliest = c; }
    }
    if (wait > 0n) sleeper(Number((wait + 999n) / 1000n) / 1000);
    while (clockNs(earliest.id) < earliest.deadline) sleeper(Number((earliest.deadline - clockNs(earliest.id) + 999n) / 1000n) / 1000);
  }
}

/** The errno a host error becomes: its own for a WasiError, FAULT for an out-of-bounds access. */
function errnoOf(e: unknown): number {
  if (e instanceof WasiError) return e.errno;
  if (e instanceof RangeError && !/call stack/.test(e.message)) return ERRNO.FAULT;
  throw e;
}

function isShared(b: unknown): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && b instanceof SharedArrayBuffer;
}

/** Sizes of the '.' record and of the '.' and '..' records, which start every listing. */
const DOT_RECORD = SIZE.DIRENT + 1;
const DOTS_SIZE = 2 * SIZE.DIRENT + 3;

/**
 * A directory's entries as the dirent records that follow '.' and '..' (entry i has cookie
 * i + 3), with the offsets of all records of the listing, '.' and '..' included, and its end.
 */
function encodeDirents(entries: readonly DirEntry[]): { body: Uint8Array; offsets: Uint32Array } {
  const names = entries.map((ent) => encoder.encode(ent.name));
  const offsets = new Uint32Array(entries.length + 3);
  offsets[1] = DOT_RECORD;
  let size = DOTS_SIZE;
  for (let i = 0; i < entries.length; i++) { offsets[i + 2] = size; size += SIZE.DIRENT + names[i].length; }
  offsets[entries.length + 2] = size;
  const body = new Uint8Array(size - DOTS_SIZE);
  const dv = new DataView(body.buffer);
  for (let i = 0; i < entries.length; i++) {
    const o = offsets[i + 2] - DOTS_SIZE;
    dv.setBigUint64(o, BigInt(i + 3), true);
    dv.setBigUint64(o + 8, u64(entries[i].ino), true);
    dv.setUint32(o + 16, names[i].length, true);
    dv.setUint8(o + 20, entries[i].filetype);
    body.set(names[i], o + SIZE.DIRENT);
  }
  return { body, offsets };
}

/** Copies data into iovs in order; returns the bytes copied. */
function scatter(data: Uint8Array, iovs: readonly Uint8Array[]): number {
  let off = 0;
  for (const iov of iovs) {
    if (off >= data.length) break;
    const k = Math.min(iov.length, data.length - off);
    iov.set(data.subarray(off, off + k));
    off += k;
  }
  return off;
}

/** The iovs' bytes as one array (the iov itself when there is one). */
function gather(iovs: readonly Uint8Array[]): Uint8Array {
  if (iovs.length === 1) return iovs[0];
  const data = new Uint8Array(iovs.reduce((s, v) => s + v.length, 0));
  let o = 0;
  for (const v of iovs) { data.set(v, o); o += v.length; }
  return data;
}
