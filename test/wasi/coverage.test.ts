// preview1 behaviour that the other tests exercised on one backend or one filesystem only, or not
// at all: fd_fdstat_set_flags, poll_oneoff on file descriptors, error paths of the fd_* and
// path_* functions, and the errors for invalid enum and flags arguments (as wasmtime 49's). Each
// runs on both engines and, where files are involved, on MemoryFileSystem and a host directory.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES, Guest } from './helpers.js';
import { ERRNO, MemoryFileSystem, CollectedOutput, BufferedInput } from '../../src/wasi/index.js';
import type { FileSystem } from '../../src/vfs/types.js';
import { NodeFileSystem } from '../../src/host/node-fs.js';
import { nodeOutput } from '../../src/host/node-stdio.js';

const O = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 };
const FD = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 };
const ALL = (1n << 30n) - 1n;

const tmp = mkdtempSync(join(tmpdir(), 'kasane-wasi-cov-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

const FILESYSTEMS: { name: string; make(): FileSystem }[] = [
  { name: 'memory', make: () => new MemoryFileSystem({ 'a.txt': 'alpha', 'sub/b.txt': 'beta' }) },
  {
    name: 'host',
    make: () => {
      const root = join(tmp, `case${n++}`);
      mkdirSync(join(root, 'sub'), { recursive: true });
      writeFileSync(join(root, 'a.txt'), 'alpha');
      writeFileSync(join(root, 'sub', 'b.txt'), 'beta');
      return new NodeFileSystem(root);
    },
  },
];

/** The text of a whole file, read through a fresh fd. */
function contents(g: Guest, path: string): string {
  const [e, fd] = g.open(3, path, 0, 2n /* fd_read */);
  assert.equal(e, 0);
  const [r, text] = g.readFd(fd, 1000);
  assert.equal(r, 0);
  g.call('fd_close', fd);
  return text;
}

for (const engine of ENGINES) {
  for (const fsCase of FILESYSTEMS) {
    test(`${engine}/${fsCase.name}: fd_fdstat_set_flags: APPEND on an open fd, unsupported flags, rights`, () => {
      const g = new Guest({ preopens: { '/': fsCase.make() } }, engine);
      const p = g.alloc(24);
      const [e, fd] = g.open(3, 'a.txt');
      assert.equal(e, 0);
      assert.deepEqual(g.write(fd, 'A'), [0, 1]);
      assert.equal(contents(g, 'a.txt'), 'Alpha');
      // From now on every write goes to the end, whatever the offset.
      assert.equal(g.call('fd_fdstat_set_flags', fd, FD.APPEND), 0);
      assert.equal(g.call('fd_fdstat_get', fd, p), 0);
      assert.equal(g.view.getUint16(p + 2, true), FD.APPEND);
      assert.deepEqual(g.write(fd, '!'), [0, 1]);
      assert.equal(g.call('fd_tell', fd, p), 0);
      assert.equal(g.u64(p), 6n);
      assert.equal(g.call('fd_seek', fd, 0n, 0, p), 0);
      assert.deepEqual(g.write(fd, '?'), [0, 1]);
      assert.equal(contents(g, 'a.txt'), 'Alpha!?');
      // Cleared again: writes at the offset.
      assert.equal(g.call('fd_fdstat_set_flags', fd, 0), 0);
      assert.equal(g.call('fd_seek', fd, 0n, 0, p), 0);
      assert.deepEqual(g.write(fd, 'a'), [0, 1]);
      assert.equal(contents(g, 'a.txt'), 'alpha!?');
      // Synchronised I/O is not offered; NONBLOCK is kept.
      for (const f of [FD.DSYNC, FD.RSYNC, FD.SYNC]) assert.equal(g.call('fd_fdstat_set_flags', fd, f), ERRNO.NOTSUP);
      assert.equal(g.call('fd_fdstat_set_flags', fd, FD.NONBLOCK), 0);
      assert.equal(g.call('fd_fdstat_get', fd, p), 0);
      assert.equal(g.view.getUint16(p + 2, true), FD.NONBLOCK);
      // Without the right: NOTCAPABLE; a closed fd: BADF.
      assert.equal(g.call('fd_fdstat_get', fd, p), 0);
      assert.equal(g.call('fd_fdstat_set_rights', fd, g.u64(p + 8) & ~(1n << 3n), 0n), 0);
      assert.equal(g.call('fd_fdstat_set_flags', fd, FD.APPEND), ERRNO.NOTCAPABLE);
      assert.equal(g.call('fd_close', fd), 0);
      assert.equal(g.call('fd_fdstat_set_flags', fd, 0), ERRNO.BADF);
      // A directory fd takes flags too.
      const [de, dfd] = g.open(3, 'sub', O.DIRECTORY);
      assert.equal(de, 0);
      assert.equal(g.call('fd_fdstat_set_flags', dfd, FD.NONBLOCK), 0);
    });

    test(`${engine}/${fsCase.name}: poll_oneoff on a file, a directory and a closed fd`, () => {
      const g = new Guest({ preopens: { '/': fsCase.make() } }, engine);
      const [e, fd] = g.open(3, 'a.txt');
      assert.equal(e, 0);
      assert.equal(g.call('fd_seek', fd, 2n, 0, g.alloc(8)), 0);
      const [de, dfd] = g.open(3, 'sub', O.DIRECTORY);
      assert.equal(de, 0);
      const [re, ro] = g.open(3, 'sub/b.txt', 0, 2n /* fd_read, no poll_fd_readwrite */);
      assert.equal(re, 0);
      // [userdata, type (1 read, 2 write), fd]
      const subs: [bigint, number, number][] = [[1n, 1, fd], [2n, 2, fd], [3n, 1, dfd], [4n, 1, 99], [5n, 1, ro]];
      const sp = g.alloc(48 * subs.length), ep = g.alloc(32 * subs.length), ne = g.alloc(4);
      subs.forEach(([u, t, f], i) => {
        g.view.setBigUint64(sp + 48 * i, u, true);
        g.view.setUint8(sp + 48 * i + 8, t);
        g.view.setUint32(sp + 48 * i + 16, f, true);
      });
      assert.equal(g.call('poll_oneoff', sp, ep, subs.length, ne), 0);
      assert.equal(g.u32(ne), subs.length);
      const events = new Map<bigint, { error: number; type: number; nbytes: bigint }>();
      for (let i = 0; i < subs.length; i++) {
        const o = ep + 32 * i;
        events.set(g.u64(o), { error: g.view.getUint16(o + 8, true), type: g.view.getUint8(o + 10), nbytes: g.u64(o + 16) });
      }
      // A regular file is always ready; reading reports the bytes left after the offset.
      assert.deepEqual(events.get(1n), { error: 0, type: 1, nbytes: 3n });
      assert.equal(events.get(2n)?.error, 0);
      // Errors are per event (wasmtime 49 fails the whole call with BADF instead): a directory
      // has no poll_fd_readwrite right, nor has the fd opened without it; a closed fd is BADF.
      assert.equal(events.get(3n)?.error, ERRNO.NOTCAPABLE);
      assert.equal(events.get(4n)?.error, ERRNO.BADF);
      assert.equal(events.get(5n)?.error, ERRNO.NOTCAPABLE);
    });

    test(`${engine}/${fsCase.name}: error paths of fd_* and path_* functions`, () => {
      const g = new Guest({ preopens: { '/': fsCase.make() }, stdout: new CollectedOutput() }, engine);
      const p = g.alloc(64);
      const iov = g.alloc(8);
      g.view.setUint32(iov, g.alloc(16), true); g.view.setUint32(iov + 4, 16, true);
      // Positional I/O and offsets need a file: SPIPE on a stream, ISDIR on a directory.
      assert.equal(g.call('fd_pread', 1, iov, 1, 0n, p), ERRNO.SPIPE);
      assert.equal(g.call('fd_pwrite', 1, iov, 1, 0n, p), ERRNO.SPIPE);
      assert.equal(g.call('fd_tell', 1, p), ERRNO.SPIPE);
      assert.equal(g.call('fd_seek', 1, 0n, 0, p), ERRNO.SPIPE);
      assert.equal(g.call('fd_pread', 3, iov, 1, 0n, p), ERRNO.ISDIR);
      assert.equal(g.call('fd_tell', 3, p), ERRNO.ISDIR);
      assert.equal(g.call('fd_filestat_set_size', 3, 0n), ERRNO.ISDIR);
      assert.equal(g.call('fd_allocate', 3, 0n, 1n), ERRNO.ISDIR);
      assert.equal(g.call('fd_read', 3, iov, 1, p), ERRNO.ISDIR);
      assert.equal(g.call('fd_write', 3, iov, 1, p), ERRNO.ISDIR);
      // A read-only fd: nothing that changes the file.
      const [e, ro] = g.open(3, 'a.txt', 0, 2n | 4n /* fd_read, fd_seek */);
      assert.equal(e, 0);
      assert.equal(g.call('fd_pwrite', ro, iov, 1, 0n, p), ERRNO.NOTCAPABLE);
      assert.equal(g.call('fd_filestat_set_size', ro, 0n), ERRNO.NOTCAPABLE);
      assert.equal(g.call('fd_allocate', ro, 0n, 100n), ERRNO.NOTCAPABLE);
      assert.equal(g.call('fd_filestat_set_times', ro, 0n, 0n, 2), ERRNO.NOTCAPABLE);
      assert.equal(g.call('fd_tell', ro, p), ERRNO.NOTCAPABLE);
      assert.equal(g.call('fd_pread', ro, iov, 1, -1n, p), ERRNO.INVAL);
      assert.equal(contents(g, 'a.txt'), 'alpha');
      // path_*: missing entries, a file where a directory is wanted, readlink of a non-link.
      const [mp, ml] = g.str('missing');
      assert.equal(g.call('path_filestat_get', 3, 0, mp, ml, p), ERRNO.NOENT);
      assert.equal(g.call('path_filestat_set_times', 3, 0, mp, ml, 0n, 0n, 2), ERRNO.NOENT);
      assert.equal(g.pathCall('path_unlink_file', 3, 'missing'), ERRNO.NOENT);
      assert.equal(g.pathCall('path_remove_directory', 3, 'missing'), ERRNO.NOENT);
      assert.equal(g.pathCall('path_create_directory', 3, 'a.txt/d'), ERRNO.NOTDIR);
      assert.equal(g.pathCall('path_remove_directory', 3, 'a.txt'), ERRNO.NOTDIR);
      assert.equal(g.pathCall('path_unlink_file', 3, 'sub'), ERRNO.ISDIR);
      assert.equal(g.pathCall('path_remove_directory', 3, 'sub'), ERRNO.NOTEMPTY);
      const [ap, al] = g.str('a.txt');
      assert.equal(g.call('path_readlink', 3, ap, al, g.alloc(16), 16, p), ERRNO.INVAL);
      assert.equal(g.call('path_readlink', 3, mp, ml, g.alloc(16), 16, p), ERRNO.NOENT);
      // A file is not a directory fd.
      const [fe, fd] = g.open(3, 'a.txt');
      assert.equal(fe, 0);
      assert.equal(g.pathCall('path_create_directory', fd, 'x'), ERRNO.NOTDIR);
      assert.equal(g.call('fd_readdir', fd, g.alloc(64), 64, 0n, p), ERRNO.NOTDIR);
    });
  }

  test(`${engine}: invalid enum and flags arguments stop the guest with an InvalidArgumentError, as wasmtime 49, before any other check`, () => {
    const g = new Guest({ preopens: { '/': new MemoryFileSystem({ 'a.txt': 'x' }) } }, engine);
    const p = g.alloc(64);
    const [ap, al] = g.str('a.txt');
    // [function, arguments with an invalid value (fd 99 does not exist), message]
    const traps: [string, (number | bigint)[], RegExp][] = [
      ['clock_res_get', [4, p], /Invalid enum value Clockid/],
      ['clock_time_get', [-1, 0n, p], /Invalid enum value Clockid/],
      ['fd_advise', [99, 0n, 0n, 6], /Invalid enum value Advice/],
      ['fd_seek', [99, 0n, 3, p], /Invalid enum value Whence/],
      ['proc_raise', [31], /Invalid enum value Signal/],
      ['fd_fdstat_set_flags', [99, 0x20], /Invalid flag value Fdflags/],
      ['fd_fdstat_set_rights', [99, 1n << 30n, 0n], /Invalid flag value Rights/],
      ['fd_filestat_set_times', [99, 0n, 0n, 0x10], /Invalid flag value Fstflags/],
      ['path_filestat_get', [99, 2, ap, al, p], /Invalid flag value Lookupflags/],
      ['path_open', [3, 0, ap, al, 0x10, 0n, 0n, 0, p], /Invalid flag value Oflags/],
      ['path_open', [3, 0, ap, al, 0, -1n, 0n, 0, p], /Invalid flag value Rights/],
      ['sock_recv', [99, p, 0, 4, p, p], /Invalid flag value Riflags/],
      ['sock_send', [99, p, 0, 0x10000, p], /Invalid flag value Siflags/],
      ['sock_shutdown', [99, 4], /Invalid flag value Sdflags/],
    ];
    for (const [name, args, message] of traps) {
      assert.throws(() => g.call(name, ...args), { name: 'InvalidArgumentError', message }, name);
    }
    // The largest valid values go on to the function (an errno for the missing fd).
    assert.equal(g.call('fd_seek', 99, 0n, 2, p), ERRNO.BADF);
    assert.equal(g.call('fd_advise', 99, 0n, 0n, 5), ERRNO.BADF);
    assert.equal(g.call('fd_fdstat_set_rights', 99, ALL, ALL), ERRNO.BADF);
    assert.equal(g.call('sock_send', 99, p, 0, 1, p), ERRNO.BADF);
    assert.equal(g.call('clock_res_get', 3, p), 0);
  });

  test(`${engine}: stdin and stdout in poll_oneoff and fd_fdstat_set_flags`, () => {
    const g = new Guest({ stdin: new BufferedInput('hi'), stdout: new CollectedOutput() }, engine);
    const sp = g.alloc(96), ep = g.alloc(64), ne = g.alloc(4);
    for (const [i, type, fd] of [[0, 1, 0], [1, 2, 1]]) {
      g.view.setBigUint64(sp + 48 * i, BigInt(i + 10), true);
      g.view.setUint8(sp + 48 * i + 8, type);
      g.view.setUint32(sp + 48 * i + 16, fd, true);
    }
    assert.equal(g.call('poll_oneoff', sp, ep, 2, ne), 0);
    assert.equal(g.u32(ne), 2);
    assert.equal(g.view.getUint16(ep + 8, true), 0);
    assert.equal(g.view.getUint16(ep + 32 + 8, true), 0);
    // Polling stdout for reading (it has no input): BADF.
    g.view.setUint8(sp + 48 + 8, 1);
    assert.equal(g.call('poll_oneoff', sp, ep, 2, ne), 0);
    assert.equal(g.view.getUint16(ep + 32 + 8, true), ERRNO.BADF);
    assert.equal(g.call('fd_fdstat_set_flags', 1, FD.APPEND), 0);
    const p = g.alloc(24);
    assert.equal(g.call('fd_fdstat_get', 1, p), 0);
    assert.equal(g.view.getUint16(p + 2, true), FD.APPEND);
    assert.deepEqual(g.write(1, 'ok'), [0, 2]);
  });
}

test('nodeOutput: write and writeFrom (a range of guest memory, no view) append in order', () => {
  const file = join(tmp, 'out.txt');
  const fd = openSync(file, 'w');
  try {
    const out = nodeOutput(fd);
    const mem = new TextEncoder().encode('..hello, world..');
    out.write(mem.subarray(0, 2));
    out.writeFrom!(mem, 2, 5);
    out.writeFrom!(mem, 7, 0);
    out.writeFrom!(mem, 9, 7);
  } finally {
    closeSync(fd);
  }
  assert.equal(readFileSync(file, 'utf8'), '..helloworld..');
});
