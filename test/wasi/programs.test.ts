// A real wasi-libc program (test/wasi/c/wasi-fs.c, built into test/wasi/fixtures by
// test/wasi/c/build.sh) through `kasane run` on each engine, through the library on the
// in-memory filesystem, and against Node's own node:wasi for the same stdout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES } from './helpers.js';
import { CollectedOutput, MemoryFileSystem, runCommand } from '../../src/wasi/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const fixture = join(repoRoot, 'test', 'wasi', 'fixtures', 'wasi-fs.wasm');
const tmp = mkdtempSync(join(tmpdir(), 'kasane-prog-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function sandbox(name: string, withOutLink: boolean): { parent: string; root: string } {
  const parent = join(tmp, name);
  const root = join(parent, 'root');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'in.txt'), 'input\n');
  if (withOutLink) symlinkSync(parent, join(root, 'outlink'));
  return { parent, root };
}

const skip = !existsSync(fixture);

for (const engine of ENGINES) {
  test(`wasi-fs.c via kasane run --engine ${engine}`, { skip }, () => {
    const { parent, root } = sandbox(`cli-${engine}`, true);
    const r = spawnSync(process.execPath, [bin, 'run', '--engine', engine, '--env', 'GREETING=hello', '--dir', `${root}::/work`, fixture, 'a', 'b c'],
      { encoding: 'utf8', input: 'hi' });
    assert.equal(r.stderr, 'to stderr\n');
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /^argc 3 \[a\] \[b c\]\nGREETING=hello\n/);
    assert.match(r.stdout, /escape errno ENOTCAPABLE\n/);
    assert.match(r.stdout, /stdin \[hi\]\nfailures 0\n$/);
    assert.deepEqual(readdirSync(parent).sort(), ['root']);
    assert.ok(!existsSync(join(parent, 'x')));
  });

  test(`wasi-fs.c via runCommand on the in-memory filesystem (${engine})`, { skip }, async () => {
    const stdout = new CollectedOutput(), stderr = new CollectedOutput();
    const work = new MemoryFileSystem({ 'in.txt': 'input\n' });
    const code = await runCommand(readFileSync(fixture), {
      args: ['wasi-fs', 'a', 'b c'], env: { GREETING: 'hello' }, preopens: { '/work': work }, stdin: 'mem', stdout, stderr, engine,
    });
    assert.equal(code, 0, stdout.text());
    assert.match(stdout.text(), /stdin \[mem\]\nfailures 0\n$/);
    assert.equal(stderr.text(), 'to stderr\n');
    assert.equal(work.readdir('dir').length, 101, '100 files and renamed.txt');
  });
}

test('wasi-fs.c: same stdout as node:wasi', { skip }, async () => {
  const { WASI } = await import('node:wasi');
  const run = async (mine: boolean): Promise<string> => {
    const { root } = sandbox(mine ? 'diff-kasane' : 'diff-node', false);
    const args = ['wasi-fs.wasm', 'a', 'b c'];
    if (mine) {
      const stdout = new CollectedOutput();
      await runCommand(readFileSync(fixture), { args, env: { GREETING: 'hello' }, preopens: { '/work': root }, stdin: '', stdout, stderr: new CollectedOutput() });
      return stdout.text();
    }
    const outFile = join(tmp, 'node-stdout.txt');
    const [inFd, outFd, errFd] = [openSync('/dev/null', 'r'), openSync(outFile, 'w'), openSync('/dev/null', 'w')];
    const wasi = new WASI({ version: 'preview1', args, env: { GREETING: 'hello' }, preopens: { '/work': root }, returnOnExit: true, stdin: inFd, stdout: outFd, stderr: errFd });
    const WA = (globalThis as unknown as { WebAssembly: { instantiate(m: unknown, i: unknown): Promise<object>; compile(b: Uint8Array): Promise<unknown> } }).WebAssembly;
    const inst = await WA.instantiate(await WA.compile(readFileSync(fixture)), wasi.getImportObject());
    wasi.start(inst as never);
    for (const fd of [inFd, outFd, errFd]) closeSync(fd);
    return readFileSync(outFile, 'utf8');
  };
  assert.equal(await run(true), await run(false));
});
