// A Rust std program (test/wasi/rust/wasi_std.rs, built into test/wasi/fixtures/wasi_std.wasm by
// test/wasi/rust/build.sh with Debian's Rust 1.63) through `kasane run` on each engine and through
// the library on the in-memory filesystem; stdout, stderr and the exit status must match exactly.
// (test/wasi/differential.test.ts runs it on native wasmtime too.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES } from './helpers.js';
import { CollectedOutput, MemoryFileSystem, runCommand } from '../../src/wasi/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const fixture = join(repoRoot, 'test', 'wasi', 'fixtures', 'wasi_std.wasm');
const tmp = mkdtempSync(join(tmpdir(), 'kasane-rust-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const skip = !existsSync(fixture);

/** The sandbox holds target.txt and link -> target.txt (Rust 1.63 cannot create a symlink itself). */
const LINK_LINES = `skip symlink_path (unstable in Rust 1.63)
ok symlink_metadata link is_symlink
ok read_link link target.txt
ok read through link
ok metadata follows link
ok remove_file link
ok link target kept
`;

/** Everything the program prints for `wasi_std /sandbox CODE 'x y'` with GREETING=hi. */
function expected(code: string, linkLines = LINK_LINES): string {
  return `argc 4
arg 1 [/sandbox]
arg 2 [${code}]
arg 3 [x y]
env GREETING=hi
var GREETING Some("hi")
var MISSING None
ok create_dir d
ok create_dir d again is AlreadyExists
ok create_dir_all d/sub/deeper
ok write d/a.txt
ok read_to_string d/a.txt "hello\\n"
ok open append
ok append write
ok after append "hello\\nworld\\n"
ok metadata len 12
ok metadata is_file
ok metadata d is_dir
ok metadata nope is NotFound
ok read nope is NotFound
ok create_new existing is AlreadyExists
ok open seek.bin read+write+create
ok write 10 bytes
ok seek start 3 -> 3
ok read_exact 4
ok read at 3 "3456"
ok seek current -2 -> 5
ok write XY at 5
ok seek end -1 -> 9
ok seek end +2 -> 12
ok write past end
ok seek before start is InvalidInput
ok stream_position 13
ok seek.bin "01234XY789\\0\\0!"
ok overwrite d/a.txt
ok overwrite truncates
ok set_len 2
ok after set_len
ok read_dir d [a.txt b.txt c.txt e.txt seek.bin sub/]
ok rename c.txt -> sub/moved.txt
ok old name gone
ok moved content
ok rename over existing file
ok replaced content
ok remove_file e.txt
ok remove_file again is NotFound
ok remove_dir non-empty fails
ok remove_file on a directory fails
ok remove_dir d/sub/deeper
ok removed dir gone
${linkLines}ok read_link missing is NotFound
escape ../x Uncategorized
escape d/../../x Uncategorized
escape /etc/passwd Uncategorized
ok d/../d/a.txt stays inside
ok remove moved.txt
ok remove_dir d/sub
ok rename directory d -> kept
ok SystemTime after 2020
ok Instant monotonic (x%2=0)
ok Instant elapsed sane
failures 0
`;
}
// ENOTCAPABLE (leaving the preopen) has no io::ErrorKind of its own: Rust reports Uncategorized.
// "/etc/passwd" fails inside the guest (no preopen matches), on every host.
const STDERR = 'stderr line 1\nstderr line 2\n';

for (const engine of ENGINES) {
  test(`wasi_std.rs via kasane run --engine ${engine}`, { skip }, () => {
    const parent = join(tmp, `cli-${engine}`);
    const root = join(parent, 'root');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'target.txt'), 'target\n');
    symlinkSync('target.txt', join(root, 'link'));
    const r = spawnSync(process.execPath, [bin, 'run', '--engine', engine, '--env', 'GREETING=hi', '--dir', `${root}::/sandbox`, fixture, '/sandbox', '7', 'x y'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(r.stdout, expected('7'));
    assert.equal(r.stderr, STDERR);
    assert.equal(r.status, 7);
    assert.deepEqual(readdirSync(parent), ['root']);
    assert.deepEqual(readdirSync(root).sort(), ['kept', 'target.txt']);
    assert.deepEqual(readdirSync(join(root, 'kept')).sort(), ['a.txt', 'seek.bin']);
    assert.equal(readFileSync(join(root, 'kept', 'a.txt'), 'utf8'), 'sh');
    assert.equal(readFileSync(join(root, 'kept', 'seek.bin'), 'latin1'), '01234XY789\0\0!');
  });

  test(`wasi_std.rs via runCommand on the in-memory filesystem (${engine})`, { skip }, async () => {
    const stdout = new CollectedOutput(), stderr = new CollectedOutput();
    const fs = new MemoryFileSystem({ 'target.txt': 'target\n' });
    fs.symlink('target.txt', 'link');
    const code = await runCommand(readFileSync(fixture), {
      args: ['wasi_std', '/sandbox', '0', 'x y'], env: { GREETING: 'hi' }, preopens: { '/sandbox': fs }, stdin: '', stdout, stderr, engine,
    });
    assert.equal(stdout.text(), expected('0'));
    assert.equal(stderr.text(), STDERR);
    assert.equal(code, 0);
    assert.deepEqual(fs.readdir('').map((e) => e.name).sort(), ['kept', 'target.txt']);
    assert.deepEqual(fs.readdir('kept').map((e) => e.name).sort(), ['a.txt', 'seek.bin']);
  });

  test(`wasi_std.rs: exit codes and a sandbox without the link (${engine})`, { skip }, async () => {
    for (const exit of ['1', '255']) {
      const stdout = new CollectedOutput(), stderr = new CollectedOutput();
      const code = await runCommand(readFileSync(fixture), {
        args: ['wasi_std', '/sandbox', exit, 'x y'], env: ['GREETING=hi'], preopens: { '/sandbox': {} }, stdin: '', stdout, stderr, engine,
      });
      assert.equal(stdout.text(), expected(exit, 'skip symlink_path (unstable in Rust 1.63)\nno link (NotFound)\n'));
      assert.equal(stderr.text(), STDERR);
      assert.equal(code, Number(exit));
    }
    const stdout = new CollectedOutput(), stderr = new CollectedOutput();
    const code = await runCommand(readFileSync(fixture), { args: ['wasi_std'], stdin: '', stdout, stderr, engine });
    assert.equal(stdout.text(), 'argc 1\nvar GREETING None\nvar MISSING None\n');
    assert.equal(stderr.text(), 'stderr line 1\nusage: wasi_std ROOT EXIT_CODE [ARGS...]\n');
    assert.equal(code, 2);
  });
}
