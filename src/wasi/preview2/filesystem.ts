// wasi:filesystem (types, preopens) over the same FileSystem interface and sandboxed path
// resolution as preview1 (src/vfs, src/wasi/fd-table.ts). Errors are thrown as error-code enum
// strings (jco's convention for `result<_, error-code>`).

import { ERRNO, FILETYPE, WasiError } from '../constants.js';
import { resolvePath, type DirFd } from '../fd-table.js';
import type { FileHandle, FileSystem, Stat } from '../../vfs/types.js';
import { InputStream, OutputStream, type IoError } from './io.js';
import { DISPOSE } from '../../component/canonical/resources.js';

const ERROR_CODE: Record<number, string> = {
  [ERRNO.ACCES]: 'access', [ERRNO.AGAIN]: 'would-block', [ERRNO.ALREADY]: 'already', [ERRNO.BADF]: 'bad-descriptor',
  [ERRNO.BUSY]: 'busy', [ERRNO.DEADLK]: 'deadlock', [ERRNO.DQUOT]: 'quota', [ERRNO.EXIST]: 'exist',
  [ERRNO.FBIG]: 'file-too-large', [ERRNO.ILSEQ]: 'illegal-byte-sequence', [ERRNO.INPROGRESS]: 'in-progress',
  [ERRNO.INTR]: 'interrupted', [ERRNO.INVAL]: 'invalid', [ERRNO.IO]: 'io', [ERRNO.ISDIR]: 'is-directory',
  [ERRNO.LOOP]: 'loop', [ERRNO.MLINK]: 'too-many-links', [ERRNO.MSGSIZE]: 'message-size',
  [ERRNO.NAMETOOLONG]: 'name-too-long', [ERRNO.NODEV]: 'no-device', [ERRNO.NOENT]: 'no-entry', [ERRNO.NOLCK]: 'no-lock',
  [ERRNO.NOMEM]: 'insufficient-memory', [ERRNO.NOSPC]: 'insufficient-space', [ERRNO.NOTDIR]: 'not-directory',
  [ERRNO.NOTEMPTY]: 'not-empty', [ERRNO.NOTRECOVERABLE]: 'not-recoverable', [ERRNO.NOTSUP]: 'unsupported',
  [ERRNO.NOSYS]: 'unsupported', [ERRNO.NOTTY]: 'no-tty', [ERRNO.NXIO]: 'no-such-device', [ERRNO.OVERFLOW]: 'overflow',
  [ERRNO.PERM]: 'not-permitted', [ERRNO.NOTCAPABLE]: 'not-permitted', [ERRNO.PIPE]: 'pipe', [ERRNO.ROFS]: 'read-only',
  [ERRNO.SPIPE]: 'invalid-seek', [ERRNO.TXTBSY]: 'text-file-busy', [ERRNO.XDEV]: 'cross-device',
};

const TYPE_NAME: Record<number, string> = {
  [FILETYPE.UNKNOWN]: 'unknown', [FILETYPE.BLOCK_DEVICE]: 'block-device', [FILETYPE.CHARACTER_DEVICE]: 'character-device',
  [FILETYPE.DIRECTORY]: 'directory', [FILETYPE.REGULAR_FILE]: 'regular-file', [FILETYPE.SOCKET_DGRAM]: 'socket',
  [FILETYPE.SOCKET_STREAM]: 'socket', [FILETYPE.SYMBOLIC_LINK]: 'symbolic-link',
};

/** Runs f, turning a WasiError into the thrown error-code string. */
function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WasiError) throw ERROR_CODE[e.errno] ?? 'io';
    throw e;
  }
}

const datetime = (ns: bigint): { seconds: bigint; nanoseconds: number } => ({ seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) });

function statOf(st: Stat): Record<string, unknown> {
  return {
    type: TYPE_NAME[st.filetype] ?? 'unknown', linkCount: st.nlink, size: st.size,
    dataAccessTimestamp: datetime(st.atim), dataModificationTimestamp: datetime(st.mtim), statusChangeTimestamp: datetime(st.ctim),
  };
}

interface DescriptorFlags { read?: boolean; write?: boolean; mutateDirectory?: boolean }
type NewTimestamp = { tag: 'no-change' } | { tag: 'now' } | { tag: 'timestamp'; val: { seconds: bigint; nanoseconds: number } };

function timestamp(t: NewTimestamp, now: () => bigint): bigint | undefined {
  switch (t.tag) {
    case 'no-change': return undefined;
    case 'now': return now();
    default: return t.val.seconds * 1_000_000_000n + BigInt(t.val.nanoseconds);
  }
}

/** wasi:filesystem/types.descriptor: a directory (by path) or an open regular file. */
export class Descriptor {
  constructor(
    readonly fs: FileSystem,
    readonly path: string,
    readonly handle: FileHandle | undefined,
    private readonly flags: DescriptorFlags,
    private readonly wallNs: () => bigint,
  ) {}

  private dir(): DirFd {
    if (this.handle !== undefined) throw 'not-directory';
    return { kind: 'dir', fs: this.fs, path: this.path, rightsBase: -1n, rightsInheriting: -1n, fdflags: 0 };
  }

  private file(): FileHandle {
    if (this.handle === undefined) throw 'is-directory';
    return this.handle;
  }

  private at(path: string, follow: boolean): string {
    return guard(() => resolvePath(this.dir(), path, follow));
  }

  readViaStream(offset: bigint): InputStream {
    const h = this.file();
    let pos = offset;
    return new InputStream({ read: (max) => { const buf = new Uint8Array(max); const n = guard(() => h.read(buf, pos)); pos += BigInt(n); return buf.subarray(0, n); } });
  }

  writeViaStream(offset: bigint): OutputStream {
    const h = this.file();
    if (!this.flags.write) throw 'bad-descriptor';
    let pos = offset;
    return new OutputStream({ write: (data) => { pos += BigInt(guard(() => h.write(data, pos))); } });
  }

  appendViaStream(): OutputStream {
    const h = this.file();
    if (!this.flags.write) throw 'bad-descriptor';
    return new OutputStream({ write: (data) => { guard(() => h.write(data, h.stat().size)); } });
  }

  advise(): void { /* advice is optional */ }
  syncData(): void { if (this.handle) guard(() => this.handle!.sync()); }
  sync(): void { this.syncData(); }

  getFlags(): Record<string, boolean> {
    return { read: !!this.flags.read, write: !!this.flags.write, fileIntegritySync: false, dataIntegritySync: false, requestedWriteSync: false, mutateDirectory: !!this.flags.mutateDirectory };
  }

  getType(): string {
    return this.handle === undefined ? 'directory' : TYPE_NAME[guard(() => this.handle!.stat()).filetype] ?? 'unknown';
  }

  setSize(size: bigint): void {
    if (!this.flags.write) throw 'bad-descriptor';
    guard(() => this.file().truncate(size));
  }

  setTimes(atim: NewTimestamp, mtim: NewTimestamp): void {
    const a = timestamp(atim, this.wallNs);
    const m = timestamp(mtim, this.wallNs);
    guard(() => (this.handle ? this.handle.setTimes(a, m) : this.fs.setTimes(this.path, a, m)));
  }

  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    if (!this.flags.read) throw 'bad-descriptor';
    const h = this.file();
    const buf = new Uint8Array(Number(length > 0x100000n ? 0x100000n : length));
    const n = guard(() => h.read(buf, offset));
    return [buf.subarray(0, n), n < buf.length || offset + BigInt(n) >= guard(() => h.stat()).size];
  }

  write(buffer: Uint8Array, offset: bigint): bigint {
    if (!this.flags.write) throw 'bad-descriptor';
    return BigInt(guard(() => this.file().write(buffer, offset)));
  }

  readDirectory(): DirectoryEntryStream {
    const d = this.dir();
    // wasi:filesystem entries carry no inode: none are looked up.
    return new DirectoryEntryStream(guard(() => d.fs.readdir(d.path, false)).map((e) => ({ type: TYPE_NAME[e.filetype] ?? 'unknown', name: e.name })));
  }

  createDirectoryAt(path: string): void { const p = this.at(path, false); guard(() => this.fs.mkdir(p)); }

  stat(): Record<string, unknown> {
    return statOf(guard(() => (this.handle ? this.handle.stat() : this.fs.lstat(this.path))));
  }

  statAt(pathFlags: { symlinkFollow?: boolean }, path: string): Record<string, unknown> {
    const p = this.at(path, !!pathFlags.symlinkFollow);
    return statOf(guard(() => this.fs.lstat(p)));
  }

  setTimesAt(pathFlags: { symlinkFollow?: boolean }, path: string, atim: NewTimestamp, mtim: NewTimestamp): void {
    const p = this.at(path, !!pathFlags.symlinkFollow);
    guard(() => this.fs.setTimes(p, timestamp(atim, this.wallNs), timestamp(mtim, this.wallNs)));
  }

  linkAt(oldFlags: { symlinkFollow?: boolean }, oldPath: string, newDir: Descriptor, newPath: string): void {
    const from = this.at(oldPath, !!oldFlags.symlinkFollow);
    const to = newDir.at(newPath, false);
    if (newDir.fs !== this.fs) throw 'cross-device';
    guard(() => this.fs.link(from, to));
  }

  openAt(pathFlags: { symlinkFollow?: boolean }, path: string, openFlags: { create?: boolean; directory?: boolean; exclusive?: boolean; truncate?: boolean }, flags: DescriptorFlags): Descriptor {
    const p = this.at(path, !!pathFlags.symlinkFollow);
    return guard(() => {
      let st: Stat | undefined;
      try { st = this.fs.lstat(p); } catch (e) { if (!(e instanceof WasiError && e.errno === ERRNO.NOENT)) throw e; }
      if (st !== undefined && openFlags.create && openFlags.exclusive) throw new WasiError(ERRNO.EXIST);
      if (st?.filetype === FILETYPE.DIRECTORY) {
        if (flags.write || openFlags.truncate) throw new WasiError(ERRNO.ISDIR);
        return new Descriptor(this.fs, p, undefined, flags, this.wallNs);
      }
      if (openFlags.directory) throw new WasiError(st === undefined ? ERRNO.NOENT : ERRNO.NOTDIR);
      const handle = this.fs.open(p, { read: !!flags.read || !flags.write, write: !!flags.write || !!openFlags.truncate, create: !!openFlags.create, exclusive: !!openFlags.exclusive, truncate: !!openFlags.truncate });
      return new Descriptor(this.fs, p, handle, flags, this.wallNs);
    });
  }

  readlinkAt(path: string): string { const p = this.at(path, false); return guard(() => this.fs.readlink(p)); }
  removeDirectoryAt(path: string): void { const p = this.at(path, false); guard(() => this.fs.rmdir(p)); }

  renameAt(oldPath: string, newDir: Descriptor, newPath: string): void {
    const from = this.at(oldPath, false);
    const to = newDir.at(newPath, false);
    if (newDir.fs !== this.fs) throw 'cross-device';
    guard(() => this.fs.rename(from, to));
  }

  symlinkAt(oldPath: string, newPath: string): void {
    const p = this.at(newPath, false);
    if (oldPath === '') throw 'no-entry';
    if (oldPath.includes('\0')) throw 'illegal-byte-sequence';
    // As preview1: a link is made only when it stays, read lexically from where it is, inside
    // the filesystem's root (following it is also checked at every use).
    if (oldPath.startsWith('/')) throw 'not-permitted';
    let depth = p.split('/').length - 1;
    for (const c of oldPath.split('/')) {
      if (c === '..') { if (--depth < 0) throw 'not-permitted'; } else if (c !== '' && c !== '.') depth++;
    }
    guard(() => this.fs.symlink(oldPath, p));
  }

  unlinkFileAt(path: string): void { const p = this.at(path, false); guard(() => this.fs.unlink(p)); }

  isSameObject(other: Descriptor): boolean {
    const a = this.stat(); const b = other.stat();
    return this.fs === other.fs && (this.path === other.path || (a.type === b.type && this.metadataHash().lower === other.metadataHash().lower));
  }

  metadataHash(): { lower: bigint; upper: bigint } {
    const st = guard(() => (this.handle ? this.handle.stat() : this.fs.lstat(this.path)));
    return { lower: st.ino, upper: st.dev };
  }

  metadataHashAt(pathFlags: { symlinkFollow?: boolean }, path: string): { lower: bigint; upper: bigint } {
    const p = this.at(path, !!pathFlags.symlinkFollow);
    const st = guard(() => this.fs.lstat(p));
    return { lower: st.ino, upper: st.dev };
  }

}
// Close files when the guest drops its descriptor.
Object.defineProperty(Descriptor.prototype, DISPOSE, { value(this: Descriptor) { this.handle?.close(); } });

/** wasi:filesystem/types.directory-entry-stream */
export class DirectoryEntryStream {
  private i = 0;
  constructor(private readonly entries: { type: string; name: string }[]) {}
  readDirectoryEntry(): { type: string; name: string } | undefined {
    return this.entries[this.i++];
  }
}

/** wasi:filesystem/types.filesystem-error-code: Kasane's stream errors carry no filesystem code. */
export function filesystemErrorCode(_err: IoError): string | undefined {
  return undefined;
}
