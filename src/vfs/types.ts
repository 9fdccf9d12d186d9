// The filesystem interface under WASI's file descriptors. Implemented by an in-memory tree
// (vfs/memory.ts, runs anywhere) and by a host directory (host/node-fs.ts, Node).
//
// Paths are relative to the filesystem's root, components joined by '/', '' for the root
// itself; they never contain '.', '..' or empty components. The WASI layer resolves guest
// paths component by component (following symlinks itself, inside the sandbox), so an
// implementation may assume that every component but the last is an existing directory
// that is not a symlink, and must never follow a symlink in the last component.
// Errors are thrown as WasiError (src/wasi/constants.ts) carrying a preview1 errno.

import type { FileType } from '../wasi/constants.js';

export interface Stat {
  dev: bigint;
  ino: bigint;
  filetype: FileType;
  nlink: bigint;
  size: bigint;
  /** Timestamps in nanoseconds since the epoch. */
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

export interface DirEntry {
  name: string;
  filetype: FileType;
  ino: bigint;
}

export interface OpenFlags {
  read: boolean;
  write: boolean;
  create: boolean;
  exclusive: boolean;
  truncate: boolean;
}

/** An open regular file. Reads and writes are positional; the fd layer keeps the offset. */
export interface FileHandle {
  /** Reads into buf at position; returns the bytes read (0 at end of file). */
  read(buf: Uint8Array, position: bigint): number;
  /** Writes buf at position, extending the file; returns the bytes written. */
  write(buf: Uint8Array, position: bigint): number;
  stat(): Stat;
  truncate(size: bigint): void;
  /** Sets times (undefined: leave unchanged). */
  setTimes(atim: bigint | undefined, mtim: bigint | undefined): void;
  sync(): void;
  close(): void;
}

export interface FileSystem {
  /** Stats without following a symlink in the last component; throws NOENT when absent. */
  lstat(path: string): Stat;
  /** Opens a regular file (not a symlink: that gives LOOP; a directory gives ISDIR). */
  open(path: string, flags: OpenFlags): FileHandle;
  mkdir(path: string): void;
  rmdir(path: string): void;
  unlink(path: string): void;
  rename(from: string, to: string): void;
  /** Creates a hard link `to` for the file at `from`. */
  link(from: string, to: string): void;
  symlink(target: string, path: string): void;
  readlink(path: string): string;
  /**
   * The entries of a directory, without '.' and '..'. Read-only: an implementation may return
   * the same array again while the directory is unchanged (fd_readdir then reuses its encoding).
   * With `inodes` false (the caller has no use for them), an entry's `ino` may be 0n (unknown)
   * where finding it would cost more than the listing (a host directory: an lstat per entry).
   */
  readdir(path: string, inodes?: boolean): readonly DirEntry[];
  /** Sets times of the entry (not following a symlink). */
  setTimes(path: string, atim: bigint | undefined, mtim: bigint | undefined): void;
  /** Truncates or extends a regular file. */
  truncate(path: string, size: bigint): void;
}
