// Runtimes compiled to Wasm, running on Kasane (both engines): wabt's wasm-interp running our
// hello programs (C, C++, Rust), binary-trees, and itself; Lua 5.4; the SQLite shell. The
// modules are built from Debian sources by nested/build.sh into .cache/nested/out/ (not in
// git); when they are absent every test here is skipped with a message saying so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, CollectedOutput, wat2wasm } from '../../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// nested/build.sh's cache (KASANE_NESTED_CACHE, as for the script, else .cache/nested)
const out = join(process.env.KASANE_NESTED_CACHE ?? join(root, '.cache', 'nested'), 'out');
const workloads = join(root, 'bench', 'workloads', 'wasm');
const engines = ['kasane', 'native'] as const;

function missing(...files: string[]): string | false {
  const absent = files.filter((f) => !existsSync(join(out, f)));
  return absent.length ? `${absent.join(', ')} not built: run \`sh nested/build.sh\` (installs Debian toolchains, ~4 min)` : false;
}

async function run(engine: 'kasane' | 'native', file: string, args: string[], preopens: Record<string, string> = {}, stdin = ''):
  Promise<{ code: number; stdout: string; stderr: string; trap?: string }> {
  const stdout = new CollectedOutput();
  const stderr = new CollectedOutput();
  try {
    const code = await runCommand(readFileSync(join(out, file)), { args: [file, ...args], preopens, stdin, stdout, stderr, engine, env: { HOME: '/' } });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  } catch (e) {
    // a trap of the outermost module: exit status 134 as the CLI reports it
    if ((e as Error).name !== 'RuntimeError') throw e;
    return { code: 134, stdout: stdout.text(), stderr: stderr.text(), trap: (e as Error).message };
  }
}

const HELLO: [string, string][] = [
  ['hello-c.wasm', 'hello from C one two\n'],
  ['hello-cc.wasm', 'hello from C++ one=3 two=3\n'],
  ['hello-rs.wasm', 'hello from Rust one two\n'],
];

for (const engine of engines) {
  test(`wasm-interp (wabt, compiled to Wasm) runs C, C++ and Rust hello programs through its WASI, on ${engine}`,
    { skip: missing('wasm-interp.wasm', ...HELLO.map(([f]) => f)), timeout: 120_000 }, async () => {
      for (const [file, expected] of HELLO) {
        const r = await run(engine, 'wasm-interp.wasm', ['--wasi', `/w/${file}`, '--', 'one', 'two'], { '/w': out });
        assert.equal(r.stderr, '', file);
        assert.equal(r.stdout, expected, file);
        assert.equal(r.code, 0, file);
      }
    });

  test(`wasm-interp runs binary-trees (C and Rust) with the same output as running it directly, on ${engine}`,
    { skip: missing('wasm-interp.wasm'), timeout: 180_000 }, async () => {
      for (const file of ['binarytrees.wasm', 'binarytrees-rs.wasm']) {
        const stdout = new CollectedOutput();
        assert.equal(await runCommand(readFileSync(join(workloads, file)), { args: [file, '6'], stdout, engine }), 0);
        const nested = await run(engine, 'wasm-interp.wasm', ['--wasi', `/b/${file}`, '--', '6'], { '/b': workloads });
        assert.match(stdout.text(), /long lived tree of depth 6\t check: 127\n$/);
        assert.equal(nested.stdout, stdout.text(), file);
        assert.equal(nested.code, 0);
      }
    });

  test(`the exit status and a trap inside wasm-interp reach the host, on ${engine}`,
    { skip: missing('wasm-interp.wasm'), timeout: 60_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kasane-nested-'));
      try {
        // proc_exit(7) from the interpreted program ends the whole stack with 7
        writeFileSync(join(dir, 'exit.wasm'), wat2wasm(`(module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (func (export "_start") (call $exit (i32.const 7))))`));
        writeFileSync(join(dir, 'trap.wasm'), wat2wasm('(module (memory (export "memory") 1) (func (export "_start") unreachable))'));
        const exit = await run(engine, 'wasm-interp.wasm', ['--wasi', '/d/exit.wasm'], { '/d': dir });
        assert.equal(exit.code, 7);
        const trap = await run(engine, 'wasm-interp.wasm', ['--wasi', '/d/trap.wasm'], { '/d': dir });
        assert.match(trap.stderr, /unreachable/);
        assert.notEqual(trap.code, 0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
}

test('wasm-interp runs itself running a hello program (two interpreters deep), on native and kasane',
  { skip: missing('wasm-interp.wasm', 'hello-c.wasm'), timeout: 300_000 }, async () => {
    for (const engine of engines) {
      const r = await run(engine, 'wasm-interp.wasm',
        ['--wasi', '--dir', '/w', '/w/wasm-interp.wasm', '--', '--wasi', '--dir', '/w', '-e', 'WHO=inner', '/w/hello-c.wasm', '--', 'deep'], { '/w': out });
      assert.equal(r.stdout, 'hello from C deep, env WHO=inner\n', engine);
      assert.equal(r.code, 0);
    }
  });

for (const engine of engines) {
  test(`Lua 5.4 (Debian source) runs a script from a preopened directory, on ${engine}`, { skip: missing('lua.wasm'), timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasane-lua-'));
    try {
      writeFileSync(join(dir, 'script.lua'), `
        local t = {}
        for i = 1, 10 do t[#t + 1] = i * i end
        local words = {}
        for w in ("runtime on runtime"):gmatch("%a+") do words[#words + 1] = w:upper() end
        local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
        local ok = pcall(function() return 1 end)
        print(table.concat(t, ","), table.concat(words, "-"), fib(20), string.format("%.3f", math.pi), ok, #arg, arg[1])
        local f = assert(io.open("/d/out.txt", "w")); f:write("written by Lua\\n"); f:close()`);
      const r = await run(engine, 'lua.wasm', ['/d/script.lua', 'x'], { '/d': dir });
      assert.equal(r.stdout, '1,4,9,16,25,36,49,64,81,100\tRUNTIME-ON-RUNTIME\t6765\t3.142\ttrue\t1\tx\n');
      assert.equal(r.code, 0);
      assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'written by Lua\n');
      // Without setjmp, an error raised in Lua cannot unwind: this build aborts (documented).
      const err = await run(engine, 'lua.wasm', ['-e', 'error("boom")']);
      assert.equal(err.code, 134);
      assert.match(err.trap ?? '', /unreachable/);
      assert.match(err.stderr, /cannot unwind/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`the SQLite 3.40 shell (Debian source) runs SQL from stdin and on a database file, on ${engine}`, { skip: missing('sqlite3.wasm'), timeout: 60_000 }, async () => {
    const sql = `create table t(a integer, b text);
      insert into t values (1, 'one'), (2, 'two'), (3, 'three');
      select count(*), sum(a), group_concat(b, '|') from t;
      with recursive c(x) as (select 1 union all select x + 1 from c where x < 100) select sum(x) from c;
      select sqlite_version();`;
    const r = await run(engine, 'sqlite3.wasm', ['-batch'], {}, sql);
    assert.equal(r.stdout, '3|6|one|two|three\n5050\n3.40.1\n');
    assert.equal(r.code, 0);
    const dir = mkdtempSync(join(tmpdir(), 'kasane-sqlite-'));
    try {
      for (let i = 0; i < 2; i++) {
        const f = await run(engine, 'sqlite3.wasm', ['/d/test.db', 'create table if not exists k(x); insert into k values (21); select sum(x) from k;'], { '/d': dir });
        assert.equal(f.stdout, `${21 * (i + 1)}\n`);
      }
      assert.equal(readFileSync(join(dir, 'test.db')).subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
