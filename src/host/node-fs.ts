// A host directory as a WASI filesystem (Node). Sandboxed: the WASI layer resolves guest paths
// component by component inside the preopen, following symlinks itself and refusing '..' above
// the root, absolute paths and symlinks that lead outside; this layer only ever receives such
// resolved relative paths, joins them under the root, and never follows a symlink in the last
// component (lstat, O_NOFOLLOW, lutimes), so nothing outside the root is read or created.

import * as fs from 'node:fs';
import { ERRNO, WasiError } from '../wasi/constants.js';
import type { DirEntry, FileHandle, FileSystem, OpenFlags, Stat } from '../vfs/types.js';
import { direntType, forgetListing, listDirectory } from './node-dir-listing.js';

const ERRNO_BY_CODE: Record<string, number> = {
  E2BIG: ERRNO['2BIG'], EACCES: ERRNO.ACCES, EAGAIN: ERRNO.AGAIN, EBADF: ERRNO.BADF, EBUSY: ERRNO.BUSY,
  EEXIST: ERRNO.EXIST, EFBIG: ERRNO.FBIG, EINTR: ERRNO.INTR, EINVAL: ERRNO.INVAL, EIO: ERRNO.IO,
  EISDIR: ERRNO.ISDIR, ELOOP: ERRNO.LOOP, EMFILE: ERRNO.MFILE, EMLINK: ERRNO.MLINK,
  ENAMETOOLONG: ERRNO.NAMETOOLONG, ENFILE: ERRNO.NFILE, ENOENT: ERRNO.NOENT, ENOMEM: ERRNO.NOMEM,
  ENOSPC: ERRNO.NOSPC, ENOSYS: ERRNO.NOSYS, ENOTDIR: ERRNO.NOTDIR, ENOTEMPTY: ERRNO.NOTEMPTY,
  ENOTSUP: ERRNO.NOTSUP, EOPNOTSUPP: ERRNO.NOTSUP, EPERM: ERRNO.PERM, EPIPE: ERRNO.PIPE, EROFS: ERRNO.ROFS,
  ESPIPE: ERRNO.SPIPE, EXDEV: ERRNO.XDEV, ETXTBSY: ERRNO.TXTBSY, EDQUOT: ERRNO.DQUOT, EOVERFLOW: ERRNO.OVERFLOW,
};

/** Runs a host call, translating Node's error codes into WASI errnos. */
export function host<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WasiError) throw e;
    const code = (e as { code?: string }).code;
    if (code !== undefined) throw new WasiError(ERRNO_BY_CODE[code] ?? ERRNO.IO, (e as Error).message);
    throw e;
  }
}

function toStat(s: fs.BigIntStats): Stat {
  return {
    dev: s.dev, ino: s.ino, filetype: direntType(s), nlink: s.nlink, size: s.size,
    atim: s.atimeNs, mtim: s.mtimeNs, ctim: s.ctimeNs,
  };
}

const nsToDate = (ns: bigint): number => Number(ns) / 1e9;

const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

export class NodeFileSystem implements FileSystem {
  /** How old (ms) a directory's ctime must be for its listing to be kept whole (node-dir-listing.ts). */
  static listingCacheAgeMs = 1000;
  /** Whether a listing on a filesystem with multigrain ctimes is kept whole at once (node-dir-listing.ts). */
  static useMultigrainCtime = true;
  readonly root: string;

  constructor(root: string) {
    const real = host(() => fs.realpathSync(root));
    if (!fs.statSync(real).isDirectory()) throw new WasiError(ERRNO.NOTDIR, `${root}: not a directory`);
    this.root = real;
  }

  private abs(path: string): string {
    // Defence in depth: the WASI layer never passes these, but refuse them here too.
    if (path.startsWith('/') || path.split('/').some((c) => c === '..' || c === '.' || c === '') && path !== '') {
      throw new WasiError(ERRNO.NOTCAPABLE);
    }
    return path === '' ? this.root : this.root + '/' + path;
  }

  /** Drops the kept listing of the directory holding path (node-dir-listing.ts), which changes. */
  private changesIn(path: string): void {
    const i = path.lastIndexOf('/');
    forgetListing(this.abs(i < 0 ? '' : path.slice(0, i)));
  }

  lstat(path: string): Stat { return host(() => toStat(fs.lstatSync(this.abs(path), { bigint: true }))); }

  open(path: string, flags: OpenFlags): FileHandle {
    const p = this.abs(path);
    if (flags.create) this.changesIn(path);
    return host(() => {
      const C = fs.constants;
      let f = (flags.read && flags.write ? C.O_RDWR : flags.write ? C.O_WRONLY : C.O_RDONLY) | O_NOFOLLOW;
      if (flags.create) f |= C.O_CREAT;
      if (flags.create && flags.exclusive) f |= C.O_EXCL;
      if (flags.truncate && flags.write) f |= C.O_TRUNC;
      const fd = fs.openSync(p, f, 0o666);
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) { fs.closeSync(fd); throw new WasiError(ERRNO.ISDIR); }
      return new NodeFileHandle(fd);
    });
  }

  mkdir(path: string): void { this.changesIn(path); host(() => fs.mkdirSync(this.abs(path), 0o777)); }
  rmdir(path: string): void {
    if (path === '') throw new WasiError(ERRNO.BUSY);
    this.changesIn(path);
    forgetListing(this.abs(path));
    host(() => fs.rmdirSync(this.abs(path)));
  }
  unlink(path: string): void {
    this.changesIn(path);
    host(() => {
      const p = this.abs(path);
      if (fs.lstatSync(p).isDirectory()) throw new WasiError(ERRNO.ISDIR);
      fs.unlinkSync(p);
    });
  }
  rename(from: string, to: string): void {
    this.changesIn(from); this.changesIn(to);
    forgetListing(this.abs(from));
    host(() => fs.renameSync(this.abs(from), this.abs(to)));
  }
  link(from: string, to: string): void { this.changesIn(to); host(() => fs.linkSync(this.abs(from), this.abs(to))); }
  symlink(target: string, path: string): void { this.changesIn(path); host(() => fs.symlinkSync(target, this.abs(path))); }
  readlink(path: string): string { return host(() => fs.readlinkSync(this.abs(path), 'utf8')); }

  /**
   * Names, types and inodes (inodes false: 0n, unknown, where an inode would cost an lstat); kept
   * per directory while it is unchanged (node-dir-listing.ts).
   */
  readdir(path: string, inodes = true): readonly DirEntry[] {
    const p = this.abs(path);
    return host(() => listDirectory(p, inodes, NodeFileSystem.listingCacheAgeMs, NodeFileSystem.useMultigrainCtime));
  }

  setTimes(path: string, atim: bigint | undefined, mtim: bigint | undefined): void {
    const p = this.abs(path);
    host(() => {
      const st = fs.lstatSync(p, { bigint: true });
      fs.lutimesSync(p, nsToDate(atim ?? st.atimeNs), nsToDate(mtim ?? st.mtimeNs));
    });
  }

  truncate(path: string, size: bigint): void {
    const p = this.abs(path);
    host(() => {
      const fd = fs.openSync(p, fs.constants.O_WRONLY | O_NOFOLLOW);
      try { fs.ftruncateSync(fd, Number(size)); } finally { fs.closeSync(fd); }
    });
  }
}

class NodeFileHandle implements FileHandle {
  constructor(private readonly fd: number) {}
  read(buf: Uint8Array, position: bigint): number {
    return host(() => fs.readSync(this.fd, buf, 0, buf.length, position));
  }
  write(buf: Uint8Array, position: bigint): number {
    return host(() => fs.writeSync(this.fd, buf, 0, buf.length, Number(position)));
  }
  stat(): Stat { return host(() => toStat(fs.fstatSync(this.fd, { bigint: true }))); }
  truncate(size: bigint): void { host(() => fs.ftruncateSync(this.fd, Number(size))); }
  setTimes(atim: bigint | undefined, mtim: bigint | undefined): void {
    host(() => {
      const st = fs.fstatSync(this.fd, { bigint: true });
      fs.futimesSync(this.fd, nsToDate(atim ?? st.atimeNs), nsToDate(mtim ?? st.mtimeNs));
    });
  }
  sync(): void { host(() => fs.fsyncSync(this.fd)); }
  close(): void { host(() => fs.closeSync(this.fd)); }
}
