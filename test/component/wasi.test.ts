// WASI 0.2 command components (C programs turned into components by jco's preview1 adapter, see
// build.sh) on the preview2 host, on both engines: from the library with in-memory stdio and
// filesystem, and through `kasane run` / `kasane validate`. The filesystem program's output must be
// the one the same program gives as a preview1 module, but for the errno of a sandbox escape
// (wasi:filesystem has no ENOTCAPABLE: it is `not-permitted`, which the adapter turns into EPERM).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, runComponent, CollectedOutput, MemoryFileSystem } from '../../src/index.js';
import { ENGINES } from '../wasi/helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixtures = join(root, 'test', 'component', 'fixtures');
const hello = readFileSync(join(fixtures, 'hello.component.wasm'));
const wasiFs = readFileSync(join(fixtures, 'wasi-fs.component.wasm'));
const bin = join(root, 'dist', 'src', 'cli', 'main.js');

for (const engine of ENGINES) {
  test(`hello component: args, env, stdio, clocks, random, stdin, exit (${engine})`, async () => {
    const stdout = new CollectedOutput();
    const stderr = new CollectedOutput();
    const code = await runComponent(hello, { args: ['hello', '0', 'stdin'], env: { GREETING: 'hi' }, stdin: 'shout this\n', stdout, stderr, engine });
    assert.equal(code, 0);
    assert.equal(stdout.text(), [
      'hello from a component: argc 3 [0] [stdin]', 'GREETING=hi', 'slept at least 20 ms', 'random ok', 'wall clock ok', 'SHOUT THIS', '',
    ].join('\n'));
    assert.equal(stderr.text(), 'to stderr\n');
    // A non-zero exit code goes through wasi:cli/exit's result: status 1, as wasmtime.
    assert.equal(await runComponent(hello, { args: ['hello', '3'], stdout: new CollectedOutput(), stderr, engine }), 1);
  });

  test(`wasi-fs component on the in-memory filesystem: as the preview1 module (${engine})`, async () => {
    const run = async (component: boolean): Promise<[number, string]> => {
      const stdout = new CollectedOutput();
      const options = {
        args: ['wasi-fs', 'a', 'b c'], env: { GREETING: 'hello' }, preopens: { '/work': new MemoryFileSystem({ 'in.txt': 'input\n' }) },
        stdin: 'mem', stdout, stderr: new CollectedOutput(), engine,
      };
      const code = component ? await runComponent(wasiFs, options) : await runCommand(readFileSync(join(root, 'test', 'wasi', 'fixtures', 'wasi-fs.wasm')), options);
      return [code, stdout.text()];
    };
    const [code, out] = await run(true);
    const [code1, out1] = await run(false);
    assert.equal(code, 0, out);
    assert.equal(code1, 0);
    assert.equal(out, out1.replace('escape errno ENOTCAPABLE', 'escape errno Operation not permitted'));
    assert.match(out, /^ok readdir sees 100 files$/m);
  });
}

test('kasane run and validate accept components', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasane-comp-'));
  try {
    for (const engine of ENGINES) {
      const work = join(dir, engine);
      mkdirSync(work);
      writeFileSync(join(work, 'in.txt'), 'input\n');
      const r = spawnSync(process.execPath, [bin, 'run', '--engine', engine, '--dir', `${work}::/work`, '--env', 'GREETING=x', join(fixtures, 'wasi-fs.component.wasm'), 'q'], { encoding: 'utf8', input: '' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^argc 2 \[q\]\nGREETING=x\nok read in.txt\n/);
      assert.match(r.stdout, /failures 0\n$/);
      assert.ok(existsSync(join(work, 'dir')) && !existsSync(join(work, 'evil')), 'the program\'s directory is on the host, its escaping symlink is not');
    }
    const h = spawnSync(process.execPath, [bin, 'run', join(fixtures, 'hello.component.wasm'), '5'], { encoding: 'utf8', input: '' });
    assert.equal(h.status, 1);
    assert.equal(h.stderr, 'to stderr\n');
    const v = spawnSync(process.execPath, [bin, 'validate', join(fixtures, 'types.component.wasm')], { encoding: 'utf8' });
    assert.equal(v.stdout, 'valid\n');
    // A truncated component: one line naming the file, the reason and the offset; status 1.
    const broken = join(dir, 'broken.wasm');
    writeFileSync(broken, hello.subarray(0, 1000));
    const b = spawnSync(process.execPath, [bin, 'run', broken], { encoding: 'utf8' });
    assert.equal(b.status, 1);
    assert.match(b.stderr, /^kasane: .*broken\.wasm: invalid component: .*at byte offset \d+\)\n$/);
    const bv = spawnSync(process.execPath, [bin, 'validate', broken], { encoding: 'utf8' });
    assert.equal(bv.status, 1);
    // The hand-written component imports test:host/api, which the WASI host does not have.
    const u = spawnSync(process.execPath, [bin, 'run', join(fixtures, 'types.component.wasm')], { encoding: 'utf8' });
    assert.equal(u.status, 1);
    assert.match(u.stderr, /unknown import: "test:host\/api@1\.0\.0" has not been defined/);
    for (const engine of ENGINES) {
      const t = spawnSync(process.execPath, [bin, 'run', '--engine', engine, join(fixtures, 'trap.component.wasm')], { encoding: 'utf8' });
      assert.equal(t.status, 134);
      assert.match(t.stderr, /^kasane: .*trap\.component\.wasm: wasm trap: unreachable\nwasm backtrace:\n +0: .*deep/);
    }
    const listen = spawnSync(process.execPath, [bin, 'run', '--tcplisten', '127.0.0.1:0', join(fixtures, 'hello.component.wasm')], { encoding: 'utf8' });
    assert.equal(listen.status, 1);
    assert.equal(listen.stderr, 'kasane: --tcplisten is not supported for components yet\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
