// An in-memory filesystem: a tree of directories, files and symlinks. No Node built-ins, so it
// works wherever JavaScript runs. Seed it from a plain object: { 'dir/a.txt': 'text' or bytes,
// 'empty/': null (a directory) }.

import { ERRNO, FILETYPE, WasiError, type FileType } from '../wasi/constants.js';
import type { DirEntry, FileHandle, FileSystem, OpenFlags, Stat } from './types.js';

interface NodeBase { ino: bigint; nlink: bigint; atim: bigint; mtim: bigint; ctim: bigint }
interface FileNode extends NodeBase { type: 'file'; data: Uint8Array; size: number }
interface DirNode extends NodeBase { type: 'dir'; entries: Map<string, MemNode> }
interface LinkNode extends NodeBase { type: 'symlink'; target: string }
type MemNode = FileNode | DirNode | LinkNode;

export type MemoryFsSeed = Record<string, string | Uint8Array | null>;

const fail = (errno: number): never => { throw new WasiError(errno); };
const now = (): bigint => BigInt(Date.now()) * 1_000_000n;
const encoder = new TextEncoder();

function filetypeOf(n: MemNode): FileType {
  return n.type === 'file' ? FILETYPE.REGULAR_FILE : n.type === 'dir' ? FILETYPE.DIRECTORY : FILETYPE.SYMBOLIC_LINK;
}

export class MemoryFileSystem implements FileSystem {
  private nextIno = 1n;
  private readonly root: DirNode;
  readonly dev = 0x6b61n;

  constructor(seed: MemoryFsSeed = {}) {
    this.root = this.newDir();
    for (const [path, content] of Object.entries(seed)) this.seed(path, content);
  }

  private stamp(): NodeBase {
    const t = now();
    return { ino: this.nextIno++, nlink: 1n, atim: t, mtim: t, ctim: t };
  }
  private newDir(): DirNode { return { type: 'dir', entries: new Map(), ...this.stamp() }; }
  private newFile(): FileNode { return { type: 'file', data: new Uint8Array(0), size: 0, ...this.stamp() }; }

  private seed(path: string, content: string | Uint8Array | null): void {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    let dir = this.root;
    const last = content === null ? parts.length : parts.length - 1;
    for (let i = 0; i < last; i++) {
      let next = dir.entries.get(parts[i]);
      if (next === undefined) { next = this.newDir(); dir.entries.set(parts[i], next); }
      if (next.type !== 'dir') throw new Error(`seed: ${parts.slice(0, i + 1).join('/')} is not a directory`);
      dir = next;
    }
    if (content === null) return;
    const f = this.newFile();
    const bytes = typeof content === 'string' ? encoder.encode(content) : content.slice();
    f.data = bytes; f.size = bytes.length;
    dir.entries.set(parts[last], f);
  }

  /** Reads a file's whole content (for tests and embedders). */
  readFile(path: string): Uint8Array {
    const n = this.lookup(path);
    if (n.type !== 'file') fail(ERRNO.ISDIR);
    const f = n as FileNode;
    return f.data.slice(0, f.size);
  }

  private lookup(path: string): MemNode {
    let n: MemNode = this.root;
    if (path === '') return n;
    for (const part of path.split('/')) {
      if (n.type !== 'dir') fail(ERRNO.NOTDIR);
      const next = (n as DirNode).entries.get(part);
      if (next === undefined) fail(ERRNO.NOENT);
      n = next!;
    }
    return n;
  }

  /** The parent directory and the last name; the root has no parent (INVAL... callers get BUSY/EXIST). */
  private parent(path: string): [DirNode, string] {
    if (path === '') fail(ERRNO.BUSY);
    const i = path.lastIndexOf('/');
    const dir = this.lookup(i < 0 ? '' : path.slice(0, i));
    if (dir.type !== 'dir') fail(ERRNO.NOTDIR);
    return [dir as DirNode, path.slice(i + 1)];
  }

  private statOf(n: MemNode): Stat {
    return {
      dev: this.dev, ino: n.ino, filetype: filetypeOf(n), nlink: n.nlink,
      size: BigInt(n.type === 'file' ? n.size : n.type === 'symlink' ? encoder.encode(n.target).length : 4096),
      atim: n.atim, mtim: n.mtim, ctim: n.ctim,
    };
  }

  lstat(path: string): Stat { return this.statOf(this.lookup(path)); }

  open(path: string, flags: OpenFlags): FileHandle {
    let node: MemNode | undefined;
    if (path === '') node = this.root;
    else {
      const [dir, name] = this.parent(path);
      node = dir.entries.get(name);
      if (node === undefined) {
        if (!flags.create) fail(ERRNO.NOENT);
        node = this.newFile();
        dir.entries.set(name, node);
        dir.mtim = now();
      } else if (flags.create && flags.exclusive) fail(ERRNO.EXIST);
    }
    if (node.type === 'symlink') fail(ERRNO.LOOP);
    if (node.type === 'dir') fail(ERRNO.ISDIR);
    const f = node as FileNode;
    if (flags.truncate && flags.write) { f.size = 0; f.mtim = now(); }
    return new MemoryFileHandle(f, this);
  }

  /** @internal */
  statNode(n: MemNode): Stat { return this.statOf(n); }

  mkdir(path: string): void {
    if (path === '') fail(ERRNO.EXIST);
    const [dir, name] = this.parent(path);
    if (dir.entries.has(name)) fail(ERRNO.EXIST);
    dir.entries.set(name, this.newDir());
    dir.mtim = now();
  }

  rmdir(path: string): void {
    if (path === '') fail(ERRNO.BUSY);
    const [dir, name] = this.parent(path);
    const n = dir.entries.get(name);
    if (n === undefined) fail(ERRNO.NOENT);
    if (n!.type !== 'dir') fail(ERRNO.NOTDIR);
    if ((n as DirNode).entries.size > 0) fail(ERRNO.NOTEMPTY);
    dir.entries.delete(name);
    dir.mtim = now();
  }

  unlink(path: string): void {
    if (path === '') fail(ERRNO.ISDIR);
    const [dir, name] = this.parent(path);
    const n = dir.entries.get(name);
    if (n === undefined) fail(ERRNO.NOENT);
    if (n!.type === 'dir') fail(ERRNO.ISDIR);
    dir.entries.delete(name);
    n!.nlink--;
    dir.mtim = now();
  }

  rename(from: string, to: string): void {
    const [fdir, fname] = this.parent(from);
    const n = fdir.entries.get(fname);
    if (n === undefined) fail(ERRNO.NOENT);
    if (to === from) return;
    if (n!.type === 'dir' && (to + '/').startsWith(from + '/')) fail(ERRNO.INVAL);
    const [tdir, tname] = this.parent(to);
    const existing = tdir.entries.get(tname);
    if (existing !== undefined) {
      if (n!.type === 'dir') {
        if (existing.type !== 'dir') fail(ERRNO.NOTDIR);
        if ((existing as DirNode).entries.size > 0) fail(ERRNO.NOTEMPTY);
      } else if (existing.type === 'dir') fail(ERRNO.ISDIR);
      if (existing === n) return;
    }
    fdir.entries.delete(fname);
    tdir.entries.set(tname, n!);
    fdir.mtim = tdir.mtim = n!.ctim = now();
  }

  link(from: string, to: string): void {
    const n = this.lookup(from);
    if (n.type === 'dir') fail(ERRNO.PERM);
    const [tdir, tname] = this.parent(to);
    if (tdir.entries.has(tname)) fail(ERRNO.EXIST);
    tdir.entries.set(tname, n);
    n.nlink++;
    n.ctim = now();
  }

  symlink(target: string, path: string): void {
    const [dir, name] = this.parent(path);
    if (dir.entries.has(name)) fail(ERRNO.EXIST);
    dir.entries.set(name, { type: 'symlink', target, ...this.stamp() });
  }

  readlink(path: string): string {
    const n = this.lookup(path);
    if (n.type !== 'symlink') fail(ERRNO.INVAL);
    return (n as LinkNode).target;
  }

  readdir(path: string): DirEntry[] {
    const n = this.lookup(path);
    if (n.type !== 'dir') fail(ERRNO.NOTDIR);
    return [...(n as DirNode).entries].map(([name, e]) => ({ name, filetype: filetypeOf(e), ino: e.ino }));
  }

  setTimes(path: string, atim: bigint | undefined, mtim: bigint | undefined): void {
    const n = this.lookup(path);
    if (atim !== undefined) n.atim = atim;
    if (mtim !== undefined) n.mtim = mtim;
  }

  truncate(path: string, size: bigint): void {
    const n = this.lookup(path);
    if (n.type === 'dir') fail(ERRNO.ISDIR);
    if (n.type !== 'file') fail(ERRNO.INVAL);
    resize(n as FileNode, size);
  }
}

function resize(f: FileNode, size: bigint): void {
  if (size > 0x7fffffffn) fail(ERRNO.FBIG);
  const s = Number(size);
  if (s > f.data.length) grow(f, s);
  else if (s > f.size) f.data.fill(0, f.size, s);
  if (s < f.size) f.data.fill(0, s, f.size);
  f.size = s;
  f.mtim = now();
}

function grow(f: FileNode, need: number): void {
  if (need <= f.data.length) return;
  const next = new Uint8Array(Math.max(need, f.data.length * 2, 64));
  next.set(f.data.subarray(0, f.size));
  f.data = next;
}

class MemoryFileHandle implements FileHandle {
  constructor(private readonly f: FileNode, private readonly fs: MemoryFileSystem) {}
  read(buf: Uint8Array, position: bigint): number {
    const f = this.f;
    if (position >= BigInt(f.size)) return 0;
    const p = Number(position);
    const n = Math.min(buf.length, f.size - p);
    buf.set(f.data.subarray(p, p + n));
    f.atim = now();
    return n;
  }
  write(buf: Uint8Array, position: bigint): number {
    const f = this.f;
    if (position + BigInt(buf.length) > 0x7fffffffn) fail(ERRNO.FBIG);
    const p = Number(position);
    const end = p + buf.length;
    grow(f, end);
    if (p > f.size) f.data.fill(0, f.size, p);
    f.data.set(buf, p);
    if (end > f.size) f.size = end;
    f.mtim = now();
    return buf.length;
  }
  stat(): Stat { return this.fs.statNode(this.f); }
  truncate(size: bigint): void { resize(this.f, size); }
  setTimes(atim: bigint | undefined, mtim: bigint | undefined): void {
    if (atim !== undefined) this.f.atim = atim;
    if (mtim !== undefined) this.f.mtim = mtim;
  }
  sync(): void {}
  close(): void {}
}
