// File descriptors: what each WASI fd refers to (a regular file, a directory, a standard
// stream), its rights and flags, and sandboxed resolution of guest paths relative to a
// directory fd.

import { ERRNO, FILETYPE, RIGHTS, WasiError } from './constants.js';
import type { FileHandle, FileSystem } from '../vfs/types.js';
import type { InputStream, OutputStream } from './stdio.js';
import type { NetHost } from './sockets.js';

interface Common {
  rightsBase: bigint;
  rightsInheriting: bigint;
  fdflags: number;
}
export interface FileFd extends Common { kind: 'file'; fs: FileSystem; path: string; handle: FileHandle; pos: bigint }
/** A directory, held by its path in its filesystem; `preopen` is the guest name of a preopen. */
export interface DirFd extends Common { kind: 'dir'; fs: FileSystem; path: string; preopen?: string; listing?: DirListing }
/**
 * fd_readdir's listing of a directory fd, encoded as consecutive dirent records: built at cookie
 * 0 and reused for the later cookies of the same fd while `generation` (the WASI instance's count
 * of directory changes it made) is unchanged.
 */
export interface DirListing {
  generation: number;
  /** The records of all entries ('.', '..', then the directory's), back to back. */
  data: Uint8Array;
  /** offsets[i]: where entry i's record starts (entry i has cookie i); offsets[count] = data.length. */
  offsets: Uint32Array;
}
export interface StreamFd extends Common { kind: 'stream'; input?: InputStream; output?: OutputStream }
/** A socket: a listening socket (accepts) or a connection, a handle in its NetHost. */
export interface SocketFd extends Common { kind: 'socket'; host: NetHost; handle: number; listener: boolean }
export type Entry = FileFd | DirFd | StreamFd | SocketFd;

const fail = (errno: number): never => { throw new WasiError(errno); };

/** Most symlinks followed in one resolution (as Linux's MAXSYMLINKS). */
const MAX_SYMLINKS = 40;

/** An output stream that writes straight from guest memory. */
export type MemoryWriter = OutputStream & Pick<Required<OutputStream>, 'writeFrom'>;

export class FdTable {
  private readonly entries = new Map<number, Entry>();
  /**
   * Per fd, the output of a stream fd that has FD_WRITE and a writeFrom, else undefined:
   * fd_write's fast path, with no Map lookup and no BigInt rights test per call. Kept in step
   * by every change of the table (set, add, close, renumber, setRights).
   */
  private readonly writers: (MemoryWriter | undefined)[] = [];

  /** The entry for fd, checking that it has all of `rights` (BADF if closed, NOTCAPABLE if not). */
  get(fd: number, rights = 0n): Entry {
    const e = this.entries.get(fd);
    if (e === undefined) return fail(ERRNO.BADF);
    if ((e.rightsBase & rights) !== rights) fail(ERRNO.NOTCAPABLE);
    return e;
  }

  file(fd: number, rights = 0n): FileFd {
    const e = this.get(fd);
    if (e.kind === 'dir') fail(ERRNO.ISDIR);
    if ((e.rightsBase & rights) !== rights) fail(ERRNO.NOTCAPABLE);
    return e as FileFd;
  }

  dir(fd: number, rights = 0n): DirFd {
    const e = this.get(fd);
    if (e.kind !== 'dir') fail(ERRNO.NOTDIR);
    if ((e.rightsBase & rights) !== rights) fail(ERRNO.NOTCAPABLE);
    return e as DirFd;
  }

  has(fd: number): boolean { return this.entries.has(fd); }

  /** The output fd_write may write to directly (see `writers`), undefined when fd needs the full checks. */
  writer(fd: number): MemoryWriter | undefined { return this.writers[fd]; }

  set(fd: number, e: Entry): void {
    this.entries.set(fd, e);
    this.track(fd);
  }

  /** Changes fd's rights (the caller checks that they only shrink). */
  setRights(fd: number, base: bigint, inheriting: bigint): void {
    const e = this.get(fd);
    e.rightsBase = base;
    e.rightsInheriting = inheriting;
    this.track(fd);
  }

  private track(fd: number): void {
    const e = this.entries.get(fd);
    const direct = e !== undefined && e.kind === 'stream' && e.output?.writeFrom !== undefined && (e.rightsBase & RIGHTS.FD_WRITE) !== 0n;
    if (direct) this.writers[fd] = e.output as MemoryWriter;
    else if (fd < this.writers.length) this.writers[fd] = undefined;
  }

  /** Adds an entry at the lowest free descriptor. */
  add(e: Entry): number {
    let fd = 0;
    while (this.entries.has(fd)) fd++;
    if (fd > 0x7fffffff) fail(ERRNO.MFILE);
    this.set(fd, e);
    return fd;
  }

  close(fd: number): void {
    const e = this.get(fd);
    this.entries.delete(fd);
    this.track(fd);
    if (e.kind === 'file') e.handle.close();
    else if (e.kind === 'socket') e.host.close(e.handle);
  }

  renumber(from: number, to: number): void {
    const e = this.get(from);
    this.get(to);
    if (from === to) return;
    this.close(to);
    this.entries.delete(from);
    this.track(from);
    this.set(to, e);
  }

  closeAll(): void {
    for (const fd of [...this.entries.keys()]) {
      try { this.close(fd); } catch { /* already gone */ }
    }
  }
}

/**
 * Resolves a guest path relative to a directory fd to a path in the fd's filesystem, inside
 * the directory: component by component, following symlinks here (relative ones only, and
 * only in intermediate components unless `followLast`), refusing absolute paths and any '..'
 * that would leave the directory (NOTCAPABLE). The result has no symlinks in its intermediate
 * components; its last component may be a symlink only when followLast is false.
 */
export function resolvePath(dir: DirFd, path: string, followLast: boolean): string {
  if (path === '') fail(ERRNO.NOENT);
  if (path.includes('\0')) fail(ERRNO.ILSEQ);
  if (path.startsWith('/')) fail(ERRNO.NOTCAPABLE);
  const fs = dir.fs;
  const base = dir.path;
  const prefix = base === '' ? '' : base + '/';
  const stack: string[] = [];
  let queue = path.split('/');
  // A trailing slash asks for a directory, through a final symlink.
  let mustBeDir = false;
  while (queue.length > 0 && queue[queue.length - 1] === '') { queue.pop(); mustBeDir = true; }
  if (mustBeDir) followLast = true;
  let links = 0;
  while (queue.length > 0) {
    const c = queue.shift()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (stack.length === 0) fail(ERRNO.NOTCAPABLE);
      stack.pop();
      continue;
    }
    const isLast = queue.every((q) => q === '' || q === '.');
    const full = prefix + [...stack, c].join('/');
    if (isLast && !followLast) { stack.push(c); break; }
    let st;
    try {
      st = fs.lstat(full);
    } catch (e) {
      if (isLast && e instanceof WasiError && e.errno === ERRNO.NOENT) { stack.push(c); break; }
      throw e;
    }
    if (st.filetype === FILETYPE.SYMBOLIC_LINK) {
      if (++links > MAX_SYMLINKS) fail(ERRNO.LOOP);
      const target = fs.readlink(full);
      if (target === '' ) fail(ERRNO.NOENT);
      if (target.startsWith('/')) fail(ERRNO.NOTCAPABLE);
      const rest = target.split('/');
      if (isLast && target.endsWith('/')) mustBeDir = true;
      queue = [...rest, ...queue];
      continue;
    }
    if (!isLast && st.filetype !== FILETYPE.DIRECTORY) fail(ERRNO.NOTDIR);
    stack.push(c);
  }
  const rel = prefix + stack.join('/');
  const result = stack.length === 0 ? base : rel;
  if (mustBeDir) {
    let st;
    try { st = fs.lstat(result); } catch { st = undefined; }
    if (st !== undefined && st.filetype !== FILETYPE.DIRECTORY) fail(ERRNO.NOTDIR);
  }
  return result;
}
