// Helpers for the WASI tests: hand-written .wat programs (built with parseWat + encodeModule)
// and a "driver" module that re-exports preview1 functions so tests can call them directly
// against a real instance's memory, on either engine.

import { encodeModule, parseWat } from '../../src/index.js';
import { Preview1, instantiateWasiSync, type Preview1Options } from '../../src/wasi/index.js';
import { hasNativeWebAssembly, type EngineChoice } from '../../src/api/backend.js';

export const ENGINES: EngineChoice[] = hasNativeWebAssembly() ? ['kasane', 'native'] : ['kasane'];

export function wat(src: string): Uint8Array {
  return encodeModule(parseWat(src));
}

/** Parameter types of the preview1 functions (all return an i32 errno except proc_exit). */
export const SIGS: Record<string, string> = {
  args_get: 'ii', args_sizes_get: 'ii', environ_get: 'ii', environ_sizes_get: 'ii',
  clock_res_get: 'ii', clock_time_get: 'iIi',
  fd_advise: 'iIIi', fd_allocate: 'iII', fd_close: 'i', fd_datasync: 'i', fd_fdstat_get: 'ii',
  fd_fdstat_set_flags: 'ii', fd_fdstat_set_rights: 'iII', fd_filestat_get: 'ii', fd_filestat_set_size: 'iI',
  fd_filestat_set_times: 'iIIi', fd_pread: 'iiiIi', fd_prestat_get: 'ii', fd_prestat_dir_name: 'iii',
  fd_pwrite: 'iiiIi', fd_read: 'iiii', fd_readdir: 'iiiIi', fd_renumber: 'ii', fd_seek: 'iIii', fd_sync: 'i',
  fd_tell: 'ii', fd_write: 'iiii',
  path_create_directory: 'iii', path_filestat_get: 'iiiii', path_filestat_set_times: 'iiiiIIi',
  path_link: 'iiiiiii', path_open: 'iiiiiIIii', path_readlink: 'iiiiii', path_remove_directory: 'iii',
  path_rename: 'iiiiii', path_symlink: 'iiiii', path_unlink_file: 'iii',
  poll_oneoff: 'iiii', proc_raise: 'i', sched_yield: '', random_get: 'ii',
  sock_accept: 'iii', sock_recv: 'iiiiii', sock_send: 'iiiii', sock_shutdown: 'ii',
};

const valtype = (c: string): string => (c === 'I' ? 'i64' : 'i32');

/** A module importing every preview1 function and re-exporting it, plus its memory. */
export function driverModule(): Uint8Array {
  const lines = Object.entries(SIGS).map(([name, sig]) => {
    const params = sig === '' ? '' : `(param ${[...sig].map(valtype).join(' ')}) `;
    return `(import "wasi_snapshot_preview1" "${name}" (func $${name} ${params}(result i32)))\n(export "${name}" (func $${name}))`;
  });
  return wat(`(module\n${lines.join('\n')}\n(memory (export "memory") 2))`);
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A driver instance with a bump allocator over its memory. */
export class Guest {
  readonly wasi: Preview1;
  readonly exports: Record<string, unknown>;
  private top = 1024;
  constructor(options: Preview1Options, engine: EngineChoice) {
    this.wasi = new Preview1(options);
    this.exports = instantiateWasiSync(driverModule(), this.wasi, engine).exports;
    this.wasi.bind({ exports: this.exports });
  }
  get view(): DataView { return new DataView((this.exports.memory as { buffer: ArrayBuffer }).buffer); }
  get u8(): Uint8Array { return new Uint8Array((this.exports.memory as { buffer: ArrayBuffer }).buffer); }
  alloc(n: number): number {
    const p = this.top;
    this.top = (this.top + n + 7) & ~7;
    return p;
  }
  /** Writes a string; returns [ptr, len]. */
  str(s: string): [number, number] {
    const b = enc.encode(s);
    const p = this.alloc(b.length);
    this.u8.set(b, p);
    return [p, b.length];
  }
  read(ptr: number, len: number): string { return dec.decode(this.u8.slice(ptr, ptr + len)); }
  call(name: string, ...args: (number | bigint)[]): number {
    return (this.exports[name] as (...a: unknown[]) => number)(...args);
  }
  u32(p: number): number { return this.view.getUint32(p, true); }
  u64(p: number): bigint { return this.view.getBigUint64(p, true); }

  /** path_open relative to dirfd; returns [errno, fd]. */
  open(dirfd: number, path: string, oflags = 0, rights = (1n << 30n) - 1n, fdflags = 0, follow = 1): [number, number] {
    const [p, l] = this.str(path);
    const out = this.alloc(4);
    const e = this.call('path_open', dirfd, follow, p, l, oflags, rights, rights, fdflags, out);
    return [e, e === 0 ? this.u32(out) : -1];
  }
  /** fd_write of one buffer; returns [errno, nwritten]. */
  write(fd: number, data: string): [number, number] {
    const [p, l] = this.str(data);
    const iov = this.alloc(8);
    this.view.setUint32(iov, p, true); this.view.setUint32(iov + 4, l, true);
    const out = this.alloc(4);
    const e = this.call('fd_write', fd, iov, 1, out);
    return [e, this.u32(out)];
  }
  /** fd_read into a fresh buffer; returns [errno, text]. */
  readFd(fd: number, max: number): [number, string] {
    const buf = this.alloc(max);
    const iov = this.alloc(8);
    this.view.setUint32(iov, buf, true); this.view.setUint32(iov + 4, max, true);
    const out = this.alloc(4);
    const e = this.call('fd_read', fd, iov, 1, out);
    return [e, e === 0 ? this.read(buf, this.u32(out)) : ''];
  }
  /** A path_* call taking (fd, path, len). */
  pathCall(name: string, fd: number, path: string): number {
    const [p, l] = this.str(path);
    return this.call(name, fd, p, l);
  }
  /** fd_readdir from a cookie with a buffer of size n; returns the names. */
  readdir(fd: number, n = 4096, cookie = 0n): { errno: number; names: string[]; used: number } {
    const buf = this.alloc(n);
    const out = this.alloc(4);
    const errno = this.call('fd_readdir', fd, buf, n, cookie, out);
    const used = this.u32(out);
    const names: string[] = [];
    let o = 0;
    while (o + 24 <= used) {
      const len = this.u32(buf + o + 16);
      if (o + 24 + len > used) break;
      names.push(this.read(buf + o + 24, len));
      o += 24 + len;
    }
    return { errno, names, used };
  }
}

/** Sources of small WASI programs. */
export const PROGRAMS = {
  /** Prints its arguments, then its environment, one per line. */
  echo: `(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; Writes buf[0..len) with NULs turned into newlines.
  (func $put (param $buf i32) (param $len i32) (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (if (i32.eqz (i32.load8_u (i32.add (local.get $buf) (local.get $i))))
        (then (i32.store8 (i32.add (local.get $buf) (local.get $i)) (i32.const 10))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (i32.store (i32.const 0) (local.get $buf))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (drop (call $args_get (i32.const 1024) (i32.const 4096)))
    (call $put (i32.const 4096) (i32.load (i32.const 20)))
    (drop (call $environ_sizes_get (i32.const 16) (i32.const 20)))
    (drop (call $environ_get (i32.const 1024) (i32.const 8192)))
    (call $put (i32.const 8192) (i32.load (i32.const 20)))))`,
  /** Exits with status 42 after writing to stderr. */
  exit42: `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "bye\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 4))
    (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 42))
    unreachable))`,
  /**
   * Creates argv[1] in the first preopen (fd 3), writes "hello world", seeks to 6, reads 5 bytes
   * back and prints them; the exit status is the first failing call's errno (0: all went well).
   */
  files: `(module
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 200) "hello world")
  (func $check (param i32) (if (local.get 0) (then (call $proc_exit (local.get 0)))))
  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $n))
  (func (export "_start") (local $path i32) (local $fd i32)
    (call $check (call $args_get (i32.const 1024) (i32.const 2048)))
    (local.set $path (i32.load (i32.const 1028)))
    (call $check (call $path_open (i32.const 3) (i32.const 1) (local.get $path) (call $strlen (local.get $path))
      (i32.const 9) (i64.const 0x3fffffff) (i64.const 0x3fffffff) (i32.const 0) (i32.const 16)))
    (local.set $fd (i32.load (i32.const 16)))
    (i32.store (i32.const 0) (i32.const 200))
    (i32.store (i32.const 4) (i32.const 11))
    (call $check (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $check (call $fd_seek (local.get $fd) (i64.const 6) (i32.const 0) (i32.const 24)))
    (i32.store (i32.const 0) (i32.const 300))
    (i32.store (i32.const 4) (i32.const 5))
    (call $check (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 4) (i32.load (i32.const 8)))
    (call $check (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $check (call $fd_close (local.get $fd)))))`,
  /** Traps (integer divide by zero) two calls deep. */
  trap: `(module
  (memory (export "memory") 1)
  (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func $outer (drop (call $inner (i32.const 0))))
  (func (export "_start") (call $outer))
  (func (export "add") (param i32 i64) (result i64) (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1))))`,
  /** Prints "before", then calls fd_seek with a whence outside the enum (an error, as in wasmtime), then would print "after". */
  badWhence: `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "before\\n")
  (data (i32.const 110) "after\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $fd_seek (i32.const 1) (i64.const 0) (i32.const 3) (i32.const 16)))
    (i32.store (i32.const 0) (i32.const 110)) (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`,
  /** Sleeps 50 ms with poll_oneoff on a relative monotonic clock; exit status = its errno. */
  sleep: `(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i64.store (i32.const 0) (i64.const 77))
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 50000000))
    (call $proc_exit (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))))`,
};
