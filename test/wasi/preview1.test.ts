// preview1 functions called against a real instance's memory (a driver module re-exporting
// them), on each engine, over the in-memory filesystem and a temporary host directory.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, symlinkSync, mkdirSync, readdirSync, lstatSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES, Guest, PROGRAMS, SIGS, wat } from './helpers.js';
import { ERRNO, Preview1, MemoryFileSystem, CollectedOutput, BufferedInput, runCommand, instantiateReactor } from '../../src/wasi/index.js';
import type { FileSystem } from '../../src/vfs/types.js';
import { NodeFileSystem } from '../../src/host/node-fs.js';
import { hasMultigrainCtime } from '../../src/host/node-dir-listing.js';

const O = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 };

const tmp = mkdtempSync(join(tmpdir(), 'kasane-wasi-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** A fresh sandbox root inside a fresh parent, with a secret file next to it (outside). */
function hostSandbox(): { root: string; outside: string; fs: FileSystem } {
  const parent = join(tmp, `case${n++}`);
  const root = join(parent, 'root');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(parent, 'secret.txt'), 'secret');
  writeFileSync(join(root, 'a.txt'), 'alpha');
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'b.txt'), 'beta');
  return { root, outside: parent, fs: new NodeFileSystem(root) };
}

const FILESYSTEMS: { name: string; make(): { fs: FileSystem; outside?: string } }[] = [
  { name: 'memory', make: () => ({ fs: new MemoryFileSystem({ 'a.txt': 'alpha', 'sub/b.txt': 'beta' }) }) },
  { name: 'host', make: () => hostSandbox() },
];

test('the import object has all 46 preview1 functions', () => {
  const names = Object.keys(new Preview1().wasiImport).sort();
  assert.equal(names.length, 46);
  assert.deepEqual(names, Object.keys(SIGS).concat('proc_exit').sort());
});

for (const engine of ENGINES) {
  test(`${engine}: args, environ, stdout, stdin`, () => {
    const stdout = new CollectedOutput();
    const g = new Guest({ args: ['prog', 'x y', 'é'], env: { A: '1' }, stdout, stdin: new BufferedInput('input!') }, engine);
    const p = g.alloc(8);
    assert.equal(g.call('args_sizes_get', p, p + 4), 0);
    assert.equal(g.u32(p), 3);
    assert.equal(g.u32(p + 4), 'prog\0x y\0é\0'.length + 1);
    assert.equal(g.write(1, 'hi\n')[0], 0);
    assert.equal(stdout.text(), 'hi\n');
    assert.deepEqual(g.readFd(0, 100), [0, 'input!']);
    assert.deepEqual(g.readFd(0, 100), [0, '']);
    assert.equal(g.write(0, 'x')[0], ERRNO.NOTCAPABLE);
    assert.equal(g.write(99, 'x')[0], ERRNO.BADF);
    assert.equal(g.call('fd_seek', 1, 0n, 0, p), ERRNO.SPIPE);
    assert.equal(g.call('args_get', 0x7ffffff0, 0x7ffffff0), ERRNO.FAULT);
  });

  // fd_write's fast path (FdTable.writer) must follow every change of the table.
  test(`${engine}: fd_write to a stream follows rights, renumber and close`, () => {
    const stdout = new CollectedOutput(), stderr = new CollectedOutput();
    const g = new Guest({ stdout, stderr }, engine);
    assert.deepEqual(g.write(1, 'a'), [0, 1]);
    // An iovec or a buffer outside memory: FAULT, nothing written.
    const nw = g.alloc(4);
    assert.equal(g.call('fd_write', 1, g.u8.length - 4, 1, nw), ERRNO.FAULT);
    const iov = g.alloc(8);
    g.view.setUint32(iov, g.u8.length - 2, true); g.view.setUint32(iov + 4, 3, true);
    assert.equal(g.call('fd_write', 1, iov, 1, nw), ERRNO.FAULT);
    // fd_renumber 2 -> 1: fd 1 is now stderr, fd 2 is gone.
    assert.equal(g.call('fd_renumber', 2, 1), 0);
    assert.deepEqual(g.write(1, 'b'), [0, 1]);
    assert.equal(g.write(2, 'c')[0], ERRNO.BADF);
    // Rights without FD_WRITE (bit 6).
    assert.equal(g.call('fd_fdstat_set_rights', 1, 0n, 0n), 0);
    assert.equal(g.write(1, 'd')[0], ERRNO.NOTCAPABLE);
    assert.equal(g.call('fd_close', 1), 0);
    assert.equal(g.write(1, 'e')[0], ERRNO.BADF);
    assert.equal(stdout.text(), 'a');
    assert.equal(stderr.text(), 'b');
  });

  test(`${engine}: clocks, random, poll_oneoff clock, sockets, misc`, () => {
    const g = new Guest({}, engine);
    const p = g.alloc(64);
    assert.equal(g.call('clock_time_get', 0, 0n, p), 0);
    const real = g.u64(p);
    assert.ok(Math.abs(Number(real / 1_000_000n) - Date.now()) < 5000);
    assert.equal(g.call('clock_time_get', 1, 0n, p), 0);
    const m1 = g.u64(p);
    assert.equal(g.call('clock_res_get', 1, p), 0);
    assert.ok(g.u64(p) > 0n);
    assert.throws(() => g.call('clock_time_get', 9, 0n, p), { name: 'InvalidArgumentError', message: /Invalid enum value Clockid/ });
    assert.equal(g.call('random_get', p, 64), 0);
    assert.ok(g.u8.slice(p, p + 64).some((b) => b !== 0));
    // poll_oneoff: a relative 30 ms clock.
    const sub = g.alloc(48), ev = g.alloc(32), ne = g.alloc(4);
    g.view.setBigUint64(sub, 1234n, true);
    g.view.setUint8(sub + 8, 0);
    g.view.setUint32(sub + 16, 1, true);
    g.view.setBigUint64(sub + 24, 30_000_000n, true);
    const t0 = performance.now();
    assert.equal(g.call('poll_oneoff', sub, ev, 1, ne), 0);
    assert.ok(performance.now() - t0 >= 25);
    assert.equal(g.u32(ne), 1);
    assert.equal(g.u64(ev), 1234n);
    assert.equal(g.view.getUint16(ev + 8, true), 0);
    assert.equal(g.call('poll_oneoff', sub, ev, 0, ne), ERRNO.INVAL);
    // Two clocks: only the earlier fires.
    const subs = g.alloc(96), evs = g.alloc(64);
    for (const [k, ms] of [[0, 10], [1, 2000]]) {
      g.view.setBigUint64(subs + 48 * k, BigInt(k + 1), true);
      g.view.setUint32(subs + 48 * k + 16, 1, true);
      g.view.setBigUint64(subs + 48 * k + 24, BigInt(ms) * 1_000_000n, true);
    }
    const t1 = performance.now();
    assert.equal(g.call('poll_oneoff', subs, evs, 2, ne), 0);
    assert.ok(performance.now() - t1 < 1000);
    assert.equal(g.u32(ne), 1);
    assert.equal(g.u64(evs), 1n);
    // An fd subscription (stdin, ready) beside a long clock returns at once; a closed fd reports BADF.
    g.view.setUint8(subs + 8, 1);
    g.view.setUint32(subs + 16, 0, true);
    g.view.setUint8(subs + 48 + 8, 2);
    g.view.setUint32(subs + 48 + 16, 77, true);
    assert.equal(g.call('poll_oneoff', subs, evs, 2, ne), 0);
    assert.equal(g.u32(ne), 2);
    assert.equal(g.view.getUint8(evs + 10), 1);
    assert.equal(g.view.getUint16(evs + 8, true), 0);
    assert.equal(g.view.getUint8(evs + 32 + 10), 2);
    assert.equal(g.view.getUint16(evs + 32 + 8, true), ERRNO.BADF);
    assert.equal(g.call('clock_time_get', 1, 0n, p), 0);
    assert.ok(g.u64(p) > m1);
    assert.equal(g.call('sched_yield'), 0);
    assert.equal(g.call('sock_accept', 1, 0, p), ERRNO.NOTSOCK);
    assert.equal(g.call('sock_shutdown', 42, 0), ERRNO.BADF);
    // As wasmtime 49: NOTSUP for the signals of the enum (0..30); a value outside it is an error.
    assert.equal(g.call('proc_raise', 6), ERRNO.NOTSUP);
    assert.equal(g.call('proc_raise', 0), ERRNO.NOTSUP);
    assert.equal(g.call('proc_raise', 30), ERRNO.NOTSUP);
    assert.throws(() => g.call('proc_raise', 31), { name: 'InvalidArgumentError', message: /proc_raise: Invalid enum value Signal/ });
    assert.throws(() => g.call('proc_raise', -1), { name: 'InvalidArgumentError', message: /Invalid enum value Signal/ });
    // A clock subscription with an id outside the enum: INVAL for the call, no events (wasmtime's answer).
    g.view.setUint32(sub + 16, 9, true);
    g.view.setUint32(ne, 77, true);
    assert.equal(g.call('poll_oneoff', sub, ev, 1, ne), ERRNO.INVAL);
    assert.equal(g.u32(ne), 77);
    // fdstat of stdout: a character device.
    assert.equal(g.call('fd_fdstat_get', 1, p), 0);
    assert.equal(g.view.getUint8(p), 2);
  });

  for (const fsCase of FILESYSTEMS) {
    test(`${engine}/${fsCase.name}: files: create, write, seek, read, stat, readdir, rename, unlink`, () => {
      const { fs } = fsCase.make();
      const g = new Guest({ preopens: { '/sandbox': fs } }, engine);
      const p = g.alloc(64);
      // Preopen discovery.
      assert.equal(g.call('fd_prestat_get', 3, p), 0);
      assert.equal(g.u32(p + 4), 8);
      const name = g.alloc(16);
      assert.equal(g.call('fd_prestat_dir_name', 3, name, 16), 0);
      assert.equal(g.read(name, 8), '/sandbox');
      assert.equal(g.call('fd_prestat_dir_name', 3, name, 2), ERRNO.NAMETOOLONG);
      assert.equal(g.call('fd_prestat_get', 4, p), ERRNO.BADF);
      // Read an existing file.
      let [e, fd] = g.open(3, 'a.txt');
      assert.equal(e, 0);
      assert.deepEqual(g.readFd(fd, 100), [0, 'alpha']);
      assert.equal(g.call('fd_close', fd), 0);
      assert.equal(g.call('fd_close', fd), ERRNO.BADF);
      // Create, write, seek, read, tell.
      [e, fd] = g.open(3, 'sub/new.txt', O.CREAT | O.EXCL);
      assert.equal(e, 0);
      assert.deepEqual(g.write(fd, 'hello world'), [0, 11]);
      assert.equal(g.call('fd_seek', fd, 6n, 0, p), 0);
      assert.equal(g.u64(p), 6n);
      assert.deepEqual(g.readFd(fd, 100), [0, 'world']);
      assert.equal(g.call('fd_seek', fd, -3n, 2, p), 0);
      assert.equal(g.u64(p), 8n);
      assert.equal(g.call('fd_tell', fd, p), 0);
      assert.equal(g.u64(p), 8n);
      assert.equal(g.call('fd_seek', fd, -100n, 1, p), ERRNO.INVAL);
      assert.throws(() => g.call('fd_seek', fd, 0n, 7, p), { name: 'InvalidArgumentError', message: /Invalid enum value Whence/ });
      // pwrite/pread leave the offset alone.
      const [bp, bl] = g.str('HELLO');
      const iov = g.alloc(8);
      g.view.setUint32(iov, bp, true); g.view.setUint32(iov + 4, bl, true);
      assert.equal(g.call('fd_pwrite', fd, iov, 1, 0n, p), 0);
      assert.equal(g.u32(p), 5);
      assert.equal(g.call('fd_pread', fd, iov, 1, 6n, p), 0);
      assert.equal(g.read(bp, g.u32(p)), 'world');
      assert.equal(g.call('fd_tell', fd, p), 0);
      assert.equal(g.u64(p), 8n);
      // Stat and size.
      assert.equal(g.call('fd_filestat_get', fd, p), 0);
      assert.equal(g.view.getUint8(p + 16), 4);
      assert.equal(g.u64(p + 32), 11n);
      assert.equal(g.call('fd_filestat_set_size', fd, 4n), 0);
      assert.equal(g.call('fd_filestat_get', fd, p), 0);
      assert.equal(g.u64(p + 32), 4n);
      assert.equal(g.call('fd_allocate', fd, 0n, 10n), 0);
      assert.equal(g.call('fd_filestat_get', fd, p), 0);
      assert.equal(g.u64(p + 32), 10n);
      assert.equal(g.call('fd_filestat_set_times', fd, 1_000_000_000n, 2_000_000_000n, 1 | 4), 0);
      assert.equal(g.call('fd_filestat_get', fd, p), 0);
      assert.equal(g.u64(p + 48), 2_000_000_000n);
      assert.equal(g.call('fd_filestat_set_times', fd, 0n, 0n, 1 | 2), ERRNO.INVAL);
      assert.equal(g.call('fd_sync', fd), 0);
      assert.equal(g.call('fd_datasync', fd), 0);
      assert.equal(g.call('fd_advise', fd, 0n, 0n, 1), 0);
      assert.throws(() => g.call('fd_advise', fd, 0n, 0n, 9), { name: 'InvalidArgumentError', message: /Invalid enum value Advice/ });
      assert.equal(g.call('fd_close', fd), 0);
      // Append mode.
      [e, fd] = g.open(3, 'a.txt', 0, (1n << 30n) - 1n, 1);
      assert.equal(e, 0);
      g.write(fd, '+');
      g.call('fd_close', fd);
      [e, fd] = g.open(3, 'a.txt');
      assert.deepEqual(g.readFd(fd, 100), [0, 'alpha+']);
      // Rights: a read-only fd cannot write.
      [e, fd] = g.open(3, 'a.txt', 0, 2n /* fd_read */);
      assert.equal(e, 0);
      assert.equal(g.write(fd, 'x')[0], ERRNO.NOTCAPABLE);
      assert.equal(g.call('fd_fdstat_set_rights', fd, 2n | 64n, 0n), ERRNO.NOTCAPABLE);
      assert.equal(g.call('fd_fdstat_set_rights', fd, 0n, 0n), 0);
      assert.equal(g.readFd(fd, 10)[0], ERRNO.NOTCAPABLE);
      // Errors from path_open.
      assert.equal(g.open(3, 'missing.txt')[0], ERRNO.NOENT);
      assert.equal(g.open(3, 'a.txt', O.CREAT | O.EXCL)[0], ERRNO.EXIST);
      assert.equal(g.open(3, 'a.txt', O.DIRECTORY)[0], ERRNO.NOTDIR);
      assert.equal(g.open(3, 'a.txt/x')[0], ERRNO.NOTDIR);
      assert.equal(g.open(3, 'sub', O.TRUNC)[0], ERRNO.ISDIR);
      assert.equal(g.open(3, 'sub')[0], ERRNO.ISDIR, 'writing rights on a directory');
      // Directories: mkdir, readdir with cookies, stat.
      assert.equal(g.pathCall('path_create_directory', 3, 'd'), 0);
      assert.equal(g.pathCall('path_create_directory', 3, 'd'), ERRNO.EXIST);
      let dfd: number;
      [e, dfd] = g.open(3, 'sub', O.DIRECTORY);
      assert.equal(e, 0);
      const all = g.readdir(dfd);
      assert.equal(all.errno, 0);
      assert.deepEqual([...all.names].sort(), ['.', '..', 'b.txt', 'new.txt']);
      const rest = g.readdir(dfd, 4096, 2n);
      assert.deepEqual([...rest.names].sort(), ['b.txt', 'new.txt']);
      const small = g.readdir(dfd, 30);
      assert.equal(small.used, 30, 'a full buffer means more entries');
      assert.equal(g.readFd(dfd, 10)[0], ERRNO.ISDIR);
      // Opening relative to a non-preopen directory fd, and '..' out of it.
      assert.equal(g.open(dfd, 'b.txt')[0], 0);
      assert.equal(g.open(dfd, '../a.txt')[0], ERRNO.NOTCAPABLE);
      const [sp, sl] = g.str('b.txt');
      assert.equal(g.call('path_filestat_get', dfd, 0, sp, sl, p), 0);
      assert.equal(g.u64(p + 32), 4n);
      assert.equal(g.call('path_filestat_set_times', dfd, 0, sp, sl, 0n, 5_000_000_000n, 4), 0);
      assert.equal(g.call('path_filestat_get', dfd, 0, sp, sl, p), 0);
      assert.equal(g.u64(p + 48), 5_000_000_000n);
      // Rename, link, unlink, rmdir.
      const [o1, l1] = g.str('sub/new.txt');
      const [n1, m1] = g.str('d/moved.txt');
      assert.equal(g.call('path_rename', 3, o1, l1, 3, n1, m1), 0);
      assert.equal(g.open(3, 'sub/new.txt')[0], ERRNO.NOENT);
      assert.equal(g.open(3, 'd/moved.txt')[0], 0);
      const [n2, m2] = g.str('d/hard.txt');
      assert.equal(g.call('path_link', 3, 0, n1, m1, 3, n2, m2), 0);
      assert.equal(g.call('path_filestat_get', 3, 0, n2, m2, p), 0);
      assert.equal(g.u64(p + 24), 2n);
      assert.equal(g.pathCall('path_remove_directory', 3, 'd'), ERRNO.NOTEMPTY);
      assert.equal(g.pathCall('path_unlink_file', 3, 'd'), ERRNO.ISDIR);
      assert.equal(g.pathCall('path_unlink_file', 3, 'd/moved.txt'), 0);
      assert.equal(g.pathCall('path_unlink_file', 3, 'd/hard.txt'), 0);
      assert.equal(g.pathCall('path_unlink_file', 3, 'd/hard.txt'), ERRNO.NOENT);
      assert.equal(g.pathCall('path_remove_directory', 3, 'd'), 0);
      assert.equal(g.pathCall('path_remove_directory', 3, '.'), ERRNO.INVAL);
      // Symlinks inside the sandbox work.
      const [t, tl] = g.str('sub/b.txt');
      const [ln, lnl] = g.str('link');
      assert.equal(g.call('path_symlink', t, tl, 3, ln, lnl), 0);
      [e, fd] = g.open(3, 'link');
      assert.equal(e, 0);
      assert.deepEqual(g.readFd(fd, 100), [0, 'beta']);
      assert.equal(g.open(3, 'link', 0, (1n << 30n) - 1n, 0, 0)[0], ERRNO.LOOP);
      const rb = g.alloc(64);
      assert.equal(g.call('path_readlink', 3, ln, lnl, rb, 64, p), 0);
      assert.equal(g.read(rb, g.u32(p)), 'sub/b.txt');
      assert.equal(g.call('path_filestat_get', 3, 0, ln, lnl, p), 0);
      assert.equal(g.view.getUint8(p + 16), 7);
      assert.equal(g.call('path_filestat_get', 3, 1, ln, lnl, p), 0);
      assert.equal(g.view.getUint8(p + 16), 4);
      // Symlink loops and trailing slashes.
      for (const [from, to] of [['l2', 'l1'], ['l1', 'l2']]) {
        const [a, al] = g.str(from), [b, bl] = g.str(to);
        assert.equal(g.call('path_symlink', a, al, 3, b, bl), 0);
      }
      assert.equal(g.open(3, 'l1')[0], ERRNO.LOOP);
      assert.equal(g.open(3, 'a.txt/')[0], ERRNO.NOTDIR);
      assert.equal(g.open(3, 'sub/', O.DIRECTORY, 2n)[0], 0);
      // fd_renumber.
      [e, fd] = g.open(3, 'a.txt');
      const [, fd2] = g.open(3, 'sub/b.txt');
      assert.equal(g.call('fd_renumber', fd, fd2), 0);
      assert.deepEqual(g.readFd(fd2, 100), [0, 'alpha+']);
      assert.equal(g.readFd(fd, 100)[0], ERRNO.BADF);
      assert.equal(g.call('fd_renumber', fd, fd2), ERRNO.BADF);
    });

    test(`${engine}/${fsCase.name}: sandbox escapes fail and leave the outside untouched`, () => {
      const { fs, outside } = fsCase.make();
      const g = new Guest({ preopens: { '.': fs } }, engine);
      const before = outside ? readdirSync(outside).sort() : [];
      assert.equal(g.open(3, '../secret.txt')[0], ERRNO.NOTCAPABLE);
      assert.equal(g.open(3, '../escape.txt', O.CREAT)[0], ERRNO.NOTCAPABLE);
      assert.equal(g.open(3, 'sub/../../escape.txt', O.CREAT)[0], ERRNO.NOTCAPABLE);
      assert.equal(g.open(3, '/etc/passwd')[0], ERRNO.NOTCAPABLE);
      assert.equal(g.open(3, '/escape.txt', O.CREAT)[0], ERRNO.NOTCAPABLE);
      assert.equal(g.pathCall('path_create_directory', 3, '../escaped-dir'), ERRNO.NOTCAPABLE);
      assert.equal(g.pathCall('path_unlink_file', 3, '../secret.txt'), ERRNO.NOTCAPABLE);
      // Symlinks the guest creates that point outside are refused...
      const [t, tl] = g.str('../secret.txt');
      const [ln, lnl] = g.str('out');
      assert.equal(g.call('path_symlink', t, tl, 3, ln, lnl), ERRNO.NOTCAPABLE);
      const [t2, tl2] = g.str('/etc');
      assert.equal(g.call('path_symlink', t2, tl2, 3, ln, lnl), ERRNO.NOTCAPABLE);
      const [t3, tl3] = g.str('sub/../..');
      assert.equal(g.call('path_symlink', t3, tl3, 3, ln, lnl), ERRNO.NOTCAPABLE);
      // ... and a link leading outside, made another way, is never followed out.
      if (outside) {
        symlinkSync('../secret.txt', join(outside, 'root', 'rel-out'));
        symlinkSync(outside, join(outside, 'root', 'abs-out'));
        symlinkSync('..', join(outside, 'root', 'sub', 'up'));
      } else {
        fs.symlink('../secret.txt', 'rel-out');
        fs.symlink('/', 'abs-out');
        fs.symlink('..', 'sub/up');
      }
      assert.equal(g.open(3, 'rel-out')[0], ERRNO.NOTCAPABLE);
      assert.equal(g.open(3, 'rel-out', O.CREAT | O.TRUNC)[0], ERRNO.NOTCAPABLE);
      assert.equal(g.open(3, 'abs-out/secret.txt')[0], ERRNO.NOTCAPABLE);
      assert.equal(g.open(3, 'abs-out/new.txt', O.CREAT)[0], ERRNO.NOTCAPABLE);
      assert.equal(g.open(3, 'sub/up/a.txt')[0], 0, 'a link staying inside works');
      assert.equal(g.open(3, 'sub/up/../secret.txt')[0], ERRNO.NOTCAPABLE);
      const [sp, sl] = g.str('abs-out/secret.txt');
      const p = g.alloc(64);
      assert.equal(g.call('path_filestat_get', 3, 1, sp, sl, p), ERRNO.NOTCAPABLE);
      // Not following the last link: O_NOFOLLOW semantics.
      assert.equal(g.open(3, 'rel-out', 0, (1n << 30n) - 1n, 0, 0)[0], ERRNO.LOOP);
      // Renaming or linking out.
      const [a, al] = g.str('a.txt');
      const [b, bl] = g.str('../stolen.txt');
      assert.equal(g.call('path_rename', 3, a, al, 3, b, bl), ERRNO.NOTCAPABLE);
      assert.equal(g.call('path_link', 3, 0, a, al, 3, b, bl), ERRNO.NOTCAPABLE);
      if (outside) {
        assert.deepEqual(readdirSync(outside).sort(), before);
        assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'secret');
        assert.ok(!existsSync(join(outside, 'escape.txt')));
      }
    });
  }

  test(`${engine}: runCommand: echo args and env, proc_exit, files, poll_oneoff`, async () => {
    let stdout = new CollectedOutput();
    let code = await runCommand(wat(PROGRAMS.echo), { args: ['echo', 'one', 'two words'], env: { K: 'v' }, stdout, engine });
    assert.equal(code, 0);
    assert.equal(stdout.text(), 'echo\none\ntwo words\nK=v\n');
    const stderr = new CollectedOutput();
    code = await runCommand(wat(PROGRAMS.exit42), { stderr, engine });
    assert.equal(code, 42);
    assert.equal(stderr.text(), 'bye\n');
    const mem = new MemoryFileSystem({ 'keep.txt': 'k' });
    stdout = new CollectedOutput();
    code = await runCommand(wat(PROGRAMS.files), { args: ['files', 'dir/out.txt'], preopens: { '/': mem }, stdout, engine });
    assert.equal(code, ERRNO.NOENT, 'the directory does not exist');
    code = await runCommand(wat(PROGRAMS.files), { args: ['files', 'out.txt'], preopens: { '/': mem }, stdout, engine });
    assert.equal(code, 0);
    assert.equal(stdout.text(), 'world');
    assert.equal(new TextDecoder().decode(mem.readFile('out.txt')), 'hello world');
    // A plain object seeds an in-memory filesystem; a host path works too.
    code = await runCommand(wat(PROGRAMS.files), { args: ['files', '../x'], preopens: { '/': { 'a': 'b' } }, stdout, engine });
    assert.equal(code, ERRNO.NOTCAPABLE);
    const host = hostSandbox();
    code = await runCommand(wat(PROGRAMS.files), { args: ['files', 'sub/h.txt'], preopens: { '/': host.root }, stdout: new CollectedOutput(), engine });
    assert.equal(code, 0);
    assert.equal(readFileSync(join(host.root, 'sub', 'h.txt'), 'utf8'), 'hello world');
    const t0 = performance.now();
    assert.equal(await runCommand(wat(PROGRAMS.sleep), { engine }), 0);
    assert.ok(performance.now() - t0 >= 45);
  });

  test(`${engine}: instantiateReactor`, async () => {
    const r = await instantiateReactor(wat(PROGRAMS.trap), { engine });
    assert.equal((r.exports.add as (a: number, b: bigint) => bigint)(2, 40n), 42n);
  });
}

for (const engine of ENGINES) {
  for (const fsCase of FILESYSTEMS) {
    test(`${engine}/${fsCase.name}: fd_readdir keeps its listing per fd, lists anew at cookie 0 and after changes`, () => {
      const { fs } = fsCase.make();
      const g = new Guest({ preopens: { '/': fs } }, engine);
      assert.equal(g.pathCall('path_create_directory', 3, 'd'), 0);
      for (let i = 0; i < 50; i++) assert.equal(g.open(3, `d/f${String(i).padStart(2, '0')}`, O.CREAT)[0], 0);
      const [e, dfd] = g.open(3, 'd', O.DIRECTORY);
      assert.equal(e, 0);
      // Page through with a small buffer: every entry exactly once, in cookie order.
      const paged: string[] = [];
      let cookie = 0n;
      for (;;) {
        const buf = g.alloc(100);
        const out = g.alloc(4);
        assert.equal(g.call('fd_readdir', dfd, buf, 100, cookie, out), 0);
        const used = g.u32(out);
        let o = 0;
        while (o + 24 <= used && o + 24 + g.u32(buf + o + 16) <= used) {
          const len = g.u32(buf + o + 16);
          cookie = g.u64(buf + o);
          paged.push(g.read(buf + o + 24, len));
          o += 24 + len;
        }
        if (used < 100) break;
      }
      const whole = g.readdir(dfd, 8192);
      assert.deepEqual(paged, whole.names);
      assert.equal(whole.names.length, 52);
      // A change made through this instance shows at once, even at a later cookie.
      assert.equal(g.pathCall('path_unlink_file', 3, 'd/f00'), 0);
      assert.ok(!g.readdir(dfd, 8192, 2n).names.includes('f00'));
      assert.equal(g.open(3, 'd/new', O.CREAT)[0], 0);
      assert.ok(g.readdir(dfd, 8192, 2n).names.includes('new'));
      assert.equal(g.pathCall('path_create_directory', 3, 'd/sub'), 0);
      assert.ok(g.readdir(dfd, 8192, 2n).names.includes('sub'));
      // Past the end: nothing; an out-of-bounds buffer: FAULT.
      assert.equal(g.readdir(dfd, 8192, 1000n).used, 0);
      assert.equal(g.call('fd_readdir', dfd, 0xfffffff0, 100, 0n, g.alloc(4)), ERRNO.FAULT);
      // Inodes: those of lstat, for '.' and each entry, on a second listing too.
      const p = g.alloc(64);
      for (let round = 0; round < 2; round++) {
        const buf = g.alloc(8192);
        const out = g.alloc(4);
        assert.equal(g.call('fd_readdir', dfd, buf, 8192, 0n, out), 0);
        let o = 0;
        const inos = new Map<string, bigint>();
        while (o < g.u32(out)) {
          const len = g.u32(buf + o + 16);
          inos.set(g.read(buf + o + 24, len), g.u64(buf + o + 8));
          o += 24 + len;
        }
        for (const name of ['f01', 'new', 'sub']) {
          const [sp, sl] = g.str(`d/${name}`);
          assert.equal(g.call('path_filestat_get', 3, 0, sp, sl, p), 0);
          assert.equal(inos.get(name), g.u64(p + 8), name);
        }
        const [dp, dl] = g.str('d');
        assert.equal(g.call('path_filestat_get', 3, 0, dp, dl, p), 0);
        assert.equal(inos.get('.'), g.u64(p + 8));
      }
    });
  }

  test(`${engine}: fd_write to a stream: one iovec and several, FAULT and BADF, after memory.grow`, () => {
    const out = new CollectedOutput();
    const g = new Guest({ stdout: out }, engine);
    assert.deepEqual(g.write(1, 'hello '), [0, 6]);
    const [a, al] = g.str('wor');
    const [b, bl] = g.str('ld');
    const iovs = g.alloc(16);
    g.view.setUint32(iovs, a, true); g.view.setUint32(iovs + 4, al, true);
    g.view.setUint32(iovs + 8, b, true); g.view.setUint32(iovs + 12, bl, true);
    const nw = g.alloc(4);
    assert.equal(g.call('fd_write', 1, iovs, 2, nw), 0);
    assert.equal(g.u32(nw), 5);
    assert.equal(g.call('fd_write', 1, 0xfffffffc, 1, nw), ERRNO.FAULT);
    g.view.setUint32(iovs, 0x1ffff, true); g.view.setUint32(iovs + 4, 2, true);
    assert.equal(g.call('fd_write', 1, iovs, 1, nw), ERRNO.FAULT);
    assert.equal(g.call('fd_write', 0, iovs, 1, nw), ERRNO.NOTCAPABLE);
    assert.equal(out.text(), 'hello world');
    // After the memory grows, the new pages are reachable (the old buffer is not used).
    const mem = g.exports.memory as { grow(n: number): number; buffer: ArrayBuffer };
    assert.equal(mem.grow(1), 2);
    const hi = 2 * 65536 + 100;
    new Uint8Array(mem.buffer).set(new TextEncoder().encode('!'), hi);
    g.view.setUint32(iovs, hi, true); g.view.setUint32(iovs + 4, 1, true);
    assert.equal(g.call('fd_write', 1, iovs, 1, nw), 0);
    assert.equal(g.u32(nw), 1);
    assert.equal(out.text(), 'hello world!');
  });
}

test('NodeFileSystem.readdir: listing cached while the directory is unchanged, fresh after an outside change', () => {
  const { root, fs } = hostSandbox();
  const saved = NodeFileSystem.listingCacheAgeMs;
  NodeFileSystem.listingCacheAgeMs = -60_000; // cache even a directory changed just now
  try {
    const ino = (name: string): bigint | undefined => fs.readdir('').find((d) => d.name === name)?.ino;
    assert.equal(ino('a.txt'), lstatSync(join(root, 'a.txt'), { bigint: true }).ino);
    assert.equal(fs.readdir(''), fs.readdir(''), 'from the cache');
    assert.equal(ino('a.txt'), lstatSync(join(root, 'a.txt'), { bigint: true }).ino, 'from the cache');
    // Replaced behind the WASI layer's back: the directory's ctime changes, so the new inode shows.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); // past the filesystem clock's tick
    writeFileSync(join(root, 'other'), 'x');
    renameSync(join(root, 'other'), join(root, 'a.txt'));
    assert.equal(ino('a.txt'), lstatSync(join(root, 'a.txt'), { bigint: true }).ino);
    assert.equal(ino('other'), undefined);
    assert.equal(fs.readdir('sub')[0].ino, lstatSync(join(root, 'sub', 'b.txt'), { bigint: true }).ino);
  } finally {
    NodeFileSystem.listingCacheAgeMs = saved;
  }
});

test('NodeFileSystem.readdir of a directory changed in the last second: names read every time, the same listing while unchanged', (t) => {
  const { root, fs } = hostSandbox();
  // The tick-based path, also on a filesystem with multigrain ctimes.
  NodeFileSystem.useMultigrainCtime = false;
  t.after(() => { NodeFileSystem.useMultigrainCtime = true; });
  writeFileSync(join(root, 'c.txt'), 'x'); // changed just now: not settled for a second
  const ino = (name: string): bigint => lstatSync(join(root, name), { bigint: true }).ino;
  const first = fs.readdir('');
  assert.deepEqual(first.map((d) => d.name).sort(), ['a.txt', 'c.txt', 'sub']);
  for (const d of first) assert.equal(d.ino, ino(d.name), d.name);
  assert.equal(fs.readdir(''), first, 'unchanged: the same listing (fd_readdir reuses its records)');
  // Changed behind the WASI layer's back: new names show at once, with their inodes.
  writeFileSync(join(root, 'd.txt'), 'y');
  const second = fs.readdir('');
  assert.deepEqual(second.map((d) => d.name).sort(), ['a.txt', 'c.txt', 'd.txt', 'sub']);
  for (const d of second) assert.equal(d.ino, ino(d.name), d.name);
  // A change made through a NodeFileSystem drops the listing, even one that leaves the
  // directory's ctime as it was (renaming a file onto itself changes nothing).
  const kept = fs.readdir('');
  fs.rename('a.txt', 'a.txt');
  assert.notEqual(fs.readdir(''), kept);
});

test('NodeFileSystem.readdir with multigrain ctimes: kept whole at once, a change right after a listing shows', { skip: !hasMultigrainCtime(tmp) && 'no multigrain ctimes here (Linux 6.13+ on ext4, xfs, btrfs, tmpfs)' }, () => {
  const { root, fs } = hostSandbox();
  const ino = (name: string): bigint => lstatSync(join(root, name), { bigint: true }).ino;
  for (let round = 0; round < 20; round++) {
    const first = fs.readdir('');
    assert.equal(fs.readdir(''), first, 'unchanged: the same listing');
    // At once, within the same tick of the clock: replaced (same name and type), then a new name.
    writeFileSync(join(root, 'other'), 'x');
    renameSync(join(root, 'other'), join(root, 'a.txt'));
    const after = fs.readdir('');
    assert.notEqual(after, first);
    assert.equal(after.find((d) => d.name === 'a.txt')?.ino, ino('a.txt'));
    writeFileSync(join(root, `n${round}`), 'y');
    assert.ok(fs.readdir('').some((d) => d.name === `n${round}`));
  }
});

test('NodeFileSystem.readdir without inodes: 0n where an lstat would be needed', () => {
  const { root, fs } = hostSandbox();
  mkdirSync(join(root, 'fresh'));
  for (const f of ['x', 'y']) writeFileSync(join(root, 'fresh', f), f);
  const zero = fs.readdir('fresh', false);
  assert.deepEqual(zero.map((d) => [d.name, d.ino]).sort(), [['x', 0n], ['y', 0n]]);
  const exact = fs.readdir('fresh');
  for (const d of exact) assert.equal(d.ino, lstatSync(join(root, 'fresh', d.name), { bigint: true }).ino);
});

for (const engine of ENGINES) {
  test(`${engine}: direntInodes false: fd_readdir reports d_ino 0 for a host directory's entries, '.' as it is`, () => {
    const { root, fs } = hostSandbox();
    mkdirSync(join(root, 'z'));
    writeFileSync(join(root, 'z', 'f'), 'f');
    const g = new Guest({ preopens: { '/': fs }, direntInodes: false }, engine);
    const [e, dfd] = g.open(3, 'z', O.DIRECTORY);
    assert.equal(e, 0);
    const buf = g.alloc(4096), out = g.alloc(4);
    assert.equal(g.call('fd_readdir', dfd, buf, 4096, 0n, out), 0);
    const inos = new Map<string, bigint>();
    for (let o = 0; o < g.u32(out); o += 24 + g.u32(buf + o + 16)) inos.set(g.read(buf + o + 24, g.u32(buf + o + 16)), g.u64(buf + o + 8));
    assert.deepEqual([...inos.keys()].sort(), ['.', '..', 'f']);
    assert.equal(inos.get('f'), 0n);
    assert.equal(inos.get('.'), lstatSync(join(root, 'z'), { bigint: true }).ino);
  });
}

for (const engine of ENGINES) {
  test(`${engine}: fd_write and fd_read see pages the guest grew between calls`, async () => {
    const out = new CollectedOutput();
    const src = `(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_read" (func $r (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "run") (param $pages i32) (result i32) (local $p i32) (local $e i32)
        (local.set $p (i32.add (i32.mul (memory.grow (local.get $pages)) (i32.const 65536)) (i32.const 8)))
        ;; read 3 bytes of stdin into the new page, then write them (and a newline) from there
        (i32.store (i32.const 0) (local.get $p)) (i32.store (i32.const 4) (i32.const 3))
        (local.set $e (call $r (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 16)))
        (if (local.get $e) (then (return (local.get $e))))
        (i32.store8 (i32.add (local.get $p) (i32.const 3)) (i32.const 10))
        (i32.store (i32.const 4) (i32.const 4))
        (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16))))`;
    const { exports } = await instantiateReactor(wat(src), { stdin: 'abcdefghi', stdout: out, engine });
    const run = exports.run as (n: number) => number;
    assert.equal(run(1), 0);
    assert.equal(run(3), 0);
    assert.equal(run(1), 0);
    assert.equal(out.text(), 'abc\ndef\nghi\n');
  });
}
