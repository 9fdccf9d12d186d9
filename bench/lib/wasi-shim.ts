// A minimal WASI preview1 host for the engine benchmark's workloads, written against the
// standard JS WebAssembly API only (it touches nothing but the guest's exported `memory`),
// so the same shim runs on the host's native WebAssembly, on polywasm and on Kasane.
//
// What it provides: args, an empty environment, fd_write to captured stdout/stderr
// buffers, proc_exit (as a thrown ProcExit), clock_time_get/res_get, random_get
// (deterministic, seeded), fd_fdstat_get for fds 0-2, fd_prestat_get -> EBADF (no
// preopens), and every other preview1 function as a stub returning an error (ENOSYS,
// or EBADF for fd calls), so a workload linking more imports still instantiates.

import type { WasmImports, WasmMemoryLike } from './wasm-api.js';

const ESUCCESS = 0;
const EBADF = 8;
const EINVAL = 28;
const ENOSYS = 52;
const ESPIPE = 70;

/** Thrown by proc_exit; the caller of `_start` catches it. */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
    this.name = 'ProcExit';
  }
}

/** Every preview1 function name, so unknown imports resolve to stubs. */
const ALL_PREVIEW1 = [
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get',
  'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags',
  'fd_fdstat_set_rights', 'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread',
  'fd_prestat_get', 'fd_prestat_dir_name', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek',
  'fd_sync', 'fd_tell', 'fd_write', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times',
  'path_link', 'path_open', 'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink',
  'path_unlink_file', 'poll_oneoff', 'proc_exit', 'proc_raise', 'sched_yield', 'random_get', 'sock_accept',
  'sock_recv', 'sock_send', 'sock_shutdown',
] as const;

export interface WasiShimOptions {
  /** argv, including argv[0]. */
  args: string[];
  /** Also forward guest stdout/stderr to these callbacks as they are written (optional). */
  onStdout?: (bytes: Uint8Array) => void;
  onStderr?: (bytes: Uint8Array) => void;
}

export class WasiShim {
  private memory: WasmMemoryLike | undefined;
  private readonly args: Uint8Array[];
  private readonly out: Uint8Array[] = [];
  private readonly err: Uint8Array[] = [];
  private rng = 0x2545f491;
  readonly imports: WasmImports;

  constructor(private readonly options: WasiShimOptions) {
    const enc = new TextEncoder();
    this.args = options.args.map((a) => enc.encode(a + '\0'));
    const fns: Record<string, (...a: never[]) => number> = {};
    for (const name of ALL_PREVIEW1) {
      fns[name] = name.startsWith('fd_') ? () => EBADF : () => ENOSYS;
    }
    Object.assign(fns, this.implemented());
    this.imports = { wasi_snapshot_preview1: fns };
  }

  /** Call with the instance's exported memory before running `_start`. */
  setMemory(memory: WasmMemoryLike): void {
    this.memory = memory;
  }

  stdout(): string {
    return concatText(this.out);
  }

  stderr(): string {
    return concatText(this.err);
  }

  private view(): DataView {
    if (!this.memory) throw new Error('WasiShim: memory not set');
    return new DataView(this.memory.buffer);
  }

  private bytes(): Uint8Array {
    if (!this.memory) throw new Error('WasiShim: memory not set');
    return new Uint8Array(this.memory.buffer);
  }

  private implemented(): Record<string, (...a: never[]) => number> {
    const stringList = (list: Uint8Array[]) => ({
      sizes: (countPtr: number, sizePtr: number): number => {
        const v = this.view();
        v.setUint32(countPtr, list.length, true);
        v.setUint32(sizePtr, list.reduce((n, s) => n + s.length, 0), true);
        return ESUCCESS;
      },
      get: (ptrsPtr: number, bufPtr: number): number => {
        const v = this.view();
        const mem = this.bytes();
        let p = bufPtr;
        list.forEach((s, i) => {
          v.setUint32(ptrsPtr + 4 * i, p, true);
          mem.set(s, p);
          p += s.length;
        });
        return ESUCCESS;
      },
    });
    const args = stringList(this.args);
    const env = stringList([]);
    return {
      args_sizes_get: args.sizes,
      args_get: args.get,
      environ_sizes_get: env.sizes,
      environ_get: env.get,
      fd_write: (fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number => {
        if (fd !== 1 && fd !== 2) return EBADF;
        const v = this.view();
        const mem = this.bytes();
        let n = 0;
        for (let i = 0; i < iovsLen; i++) {
          const ptr = v.getUint32(iovs + 8 * i, true);
          const len = v.getUint32(iovs + 8 * i + 4, true);
          const chunk = mem.slice(ptr, ptr + len);
          (fd === 1 ? this.out : this.err).push(chunk);
          const cb = fd === 1 ? this.options.onStdout : this.options.onStderr;
          if (cb) cb(chunk);
          n += len;
        }
        v.setUint32(nwrittenPtr, n, true);
        return ESUCCESS;
      },
      fd_read: (fd: number, _iovs: number, _iovsLen: number, nreadPtr: number): number => {
        if (fd !== 0) return EBADF;
        this.view().setUint32(nreadPtr, 0, true); // stdin is empty
        return ESUCCESS;
      },
      fd_fdstat_get: (fd: number, statPtr: number): number => {
        if (fd > 2) return EBADF;
        const v = this.view();
        v.setUint8(statPtr, 2); // filetype: character device
        v.setUint16(statPtr + 2, 0, true); // flags
        v.setBigUint64(statPtr + 8, 0n, true); // rights base
        v.setBigUint64(statPtr + 16, 0n, true); // rights inheriting
        return ESUCCESS;
      },
      fd_prestat_get: () => EBADF,
      fd_prestat_dir_name: () => EBADF,
      fd_close: () => EBADF,
      fd_seek: (fd: number) => (fd <= 2 ? ESPIPE : EBADF),
      proc_exit: (code: number): number => {
        throw new ProcExit(code);
      },
      sched_yield: () => ESUCCESS,
      clock_res_get: (id: number, resPtr: number): number => {
        if (id < 0 || id > 3) return EINVAL;
        this.view().setBigUint64(resPtr, 1000n, true);
        return ESUCCESS;
      },
      clock_time_get: (id: number, _precision: bigint, timePtr: number): number => {
        let ns: bigint;
        if (id === 0) ns = BigInt(Date.now()) * 1000000n;
        else if (id >= 1 && id <= 3) ns = process.hrtime.bigint();
        else return EINVAL;
        this.view().setBigUint64(timePtr, ns, true);
        return ESUCCESS;
      },
      random_get: (ptr: number, len: number): number => {
        // Deterministic (xorshift32) so every engine sees the same bytes.
        const mem = this.bytes();
        let x = this.rng;
        for (let i = 0; i < len; i++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          mem[ptr + i] = x & 0xff;
        }
        this.rng = x;
        return ESUCCESS;
      },
    } as Record<string, (...a: never[]) => number>;
  }
}

function concatText(chunks: Uint8Array[]): string {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const all = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    all.set(c, p);
    p += c.length;
  }
  return new TextDecoder().decode(all);
}
