// Directory listings of host directories with each entry's inode (d_ino), for NodeFileSystem.
//
// Node lists names and types but no inodes (libuv has no d_ino), so an inode costs an lstat per
// entry, five times the listing itself. Listings are kept per directory, for every
// NodeFileSystem of the process, and validated by the directory's (dev, ino, ctime): creating,
// removing or renaming an entry changes the ctime (utimes cannot set it back), and a name keeps
// its inode, whose type never changes, while the directory's ctime does not move.
//   - settled: a listing taken when the ctime was already older than a tick of the filesystem's
//     clock (NodeFileSystem.listingCacheAgeMs, 1 s) is reused whole, without even reading the
//     directory, until the ctime changes; on a filesystem with Linux's multigrain timestamps
//     (6.13+: ext4, xfs, btrfs, tmpfs), where a change made after the ctime was read always gets
//     a new ctime, every listing is settled at once (the directory's lstat precedes its reading);
//   - unsettled (changed in the last second, a change in the same tick could leave the ctime as
//     it was): names and types are read every time; an entry whose name and type the last listing
//     of the same (dev, ino, ctime) had keeps that listing's inode, other entries are lstat'd.
//     Once the directory has settled, the next listing lstats every entry again.
// So every entry's inode is its lstat's, except for an entry replaced (same name and type) by
// another process within one tick of the filesystem's clock after the directory's previous change:
// it may show its old inode until the directory settles, at most a second later. Changes made
// through a NodeFileSystem drop the listings they affect (forgetListing).

import * as fs from 'node:fs';
import * as os from 'node:os';
import { FILETYPE, type FileType } from '../wasi/constants.js';
import type { DirEntry } from '../vfs/types.js';

interface Listing {
  dev: bigint;
  ino: bigint;
  ctim: bigint;
  /** Taken when the ctime was already settled. */
  settled: boolean;
  /** Whether every entry has its real inode (false: a listing asked for without inodes, or one that raced). */
  inodes: boolean;
  entries: readonly DirEntry[];
}

/** Listings by absolute host path, least recently stored first. */
const listings = new Map<string, Listing>();
/** Kept entries over all listings, and at most this many (older listings are dropped first). */
let keptEntries = 0;
const MAX_KEPT_ENTRIES = 200_000;

function store(path: string, l: Listing): void {
  forgetListing(path);
  listings.set(path, l);
  keptEntries += l.entries.length;
  for (const [p, old] of listings) {
    if (keptEntries <= MAX_KEPT_ENTRIES || p === path) break;
    listings.delete(p);
    keptEntries -= old.entries.length;
  }
}

/** Drops the listing of the directory at absolute host path `path` (after a change made in it). */
export function forgetListing(path: string): void {
  const old = listings.get(path);
  if (old === undefined) return;
  listings.delete(path);
  keptEntries -= old.entries.length;
}

/** statfs f_type of the filesystems that have multigrain timestamps since Linux 6.13. */
const MULTIGRAIN_TYPES = new Set([0xef53 /* ext4 */, 0x58465342 /* xfs */, 0x9123683e /* btrfs */, 0x01021994 /* tmpfs */]);
const multigrainKernel = ((): boolean => {
  if (process.platform !== 'linux') return false;
  const [major, minor] = os.release().split('.').map((x) => parseInt(x, 10));
  return major > 6 || (major === 6 && minor >= 13);
})();
/** Per device: whether its ctimes are multigrain (see above). */
const multigrain = new Map<bigint, boolean>();

/** Whether the filesystem of the directory at `path` (on device `dev`) has multigrain ctimes. */
export function hasMultigrainCtime(path: string, dev: bigint = fs.lstatSync(path, { bigint: true }).dev): boolean {
  let m = multigrain.get(dev);
  if (m === undefined) {
    try { m = multigrainKernel && MULTIGRAIN_TYPES.has(fs.statfsSync(path).type); } catch { m = false; }
    multigrain.set(dev, m);
  }
  return m;
}

export function direntType(d: fs.Dirent | fs.Stats | fs.BigIntStats): FileType {
  if (d.isFile()) return FILETYPE.REGULAR_FILE;
  if (d.isDirectory()) return FILETYPE.DIRECTORY;
  if (d.isSymbolicLink()) return FILETYPE.SYMBOLIC_LINK;
  if (d.isCharacterDevice()) return FILETYPE.CHARACTER_DEVICE;
  if (d.isBlockDevice()) return FILETYPE.BLOCK_DEVICE;
  if (d.isSocket()) return FILETYPE.SOCKET_STREAM;
  return FILETYPE.UNKNOWN;
}

/**
 * The inode number of path (not following a last symlink). A Number lstat costs about half a
 * BigInt one (no BigInt per field); an inode that does not fit a double exactly, as no
 * smaller-than-2^53 number rounds to one that does not, is read again as a BigInt.
 */
function inodeOf(path: string): bigint {
  const ino = fs.lstatSync(path).ino;
  return Number.isSafeInteger(ino) ? BigInt(ino) : fs.lstatSync(path, { bigint: true }).ino;
}

/**
 * Names and types in the directory's own order (as getdents gives them, as native runtimes list).
 * opendir reads them without libuv's scandir, which sorts and costs about a quarter more.
 */
function readNames(path: string): { names: string[]; types: FileType[] } {
  const names: string[] = [], types: FileType[] = [];
  const dir = fs.opendirSync(path);
  try {
    for (let d = dir.readSync(); d !== null; d = dir.readSync()) {
      names.push(d.name);
      types.push(direntType(d));
    }
  } finally {
    dir.closeSync();
  }
  return { names, types };
}

/**
 * The entries of the directory at absolute host path `path`. With `inodes` false, an entry whose
 * inode would cost an lstat has ino 0n (unknown). Returns the same frozen array again while
 * nothing changed (fd_readdir then reuses its encoding). `settleMs`: how old a ctime must be to be
 * settled; `multigrainOk` false ignores multigrain ctimes (tests of the other path).
 */
export function listDirectory(path: string, inodes: boolean, settleMs: number, multigrainOk = true): readonly DirEntry[] {
  const dir = fs.lstatSync(path, { bigint: true });
  const prev = listings.get(path);
  const same = prev !== undefined && prev.dev === dir.dev && prev.ino === dir.ino && prev.ctim === dir.ctimeNs;
  if (same && prev.settled && (prev.inodes || !inodes)) return prev.entries;
  const settled = (multigrainOk && hasMultigrainCtime(path, dir.dev)) || dir.ctimeNs < BigInt(Date.now() - settleMs) * 1_000_000n;
  const { names, types } = readNames(path);
  // Inodes to keep: the last listing's, while the directory is unsettled and has not changed.
  const known = same && !settled ? prev.entries : undefined;
  let byName: Map<string, DirEntry> | undefined;
  let complete = inodes;
  let unchanged = known !== undefined && known.length === names.length && (prev!.inodes || !inodes);
  const entries: DirEntry[] = new Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i], filetype = types[i];
    let k: DirEntry | undefined;
    if (known !== undefined) {
      k = known[i];
      if (k === undefined || k.name !== name) {
        byName ??= new Map(known.map((e) => [e.name, e]));
        k = byName.get(name);
      }
      if (k !== undefined && k.filetype !== filetype) k = undefined;
    }
    let ino = 0n;
    if (k !== undefined && (k.ino !== 0n || !inodes)) ino = k.ino;
    else if (inodes) {
      try { ino = inodeOf(path + '/' + name); } catch { complete = false; /* raced away */ }
    }
    if (unchanged && (k !== known![i] || ino !== k!.ino)) unchanged = false;
    entries[i] = { name, filetype, ino };
  }
  if (unchanged) return known!;
  const frozen = Object.freeze(entries);
  store(path, { dev: dir.dev, ino: dir.ino, ctim: dir.ctimeNs, settled, inodes: complete, entries: frozen });
  return frozen;
}
