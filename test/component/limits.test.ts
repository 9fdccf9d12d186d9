// kasane run's resource limits on components, through the CLI on real fixtures, as for core
// modules (test/wasi/net.test.ts): --max-memory / -W max-memory-size= on every core memory,
// --timeout / -W timeout= and, on Kasane's engine only, --fuel / -W fuel= with one budget for all
// of a component's core modules (the C command has two: the program and jco's preview1 adapter).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runComponent, CollectedOutput, instantiateComponent } from '../../src/index.js';
import { runComponentCommand } from '../../src/wasi/preview2/index.js';
import { Fuel } from '../../src/engine/fuel.js';
import { ENGINES } from '../wasi/helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixtures = join(root, 'test', 'component', 'fixtures');
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
// invoke.wat: one memory of 1 page without a maximum; grow(n) returns memory.grow's result, spin(n) counts n down (0: forever).
const invoke = join(fixtures, 'invoke.component.wasm');
const hello = join(fixtures, 'hello.component.wasm');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'run', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const engine of ENGINES) {
  test(`run --engine ${engine} --max-memory on a component: memory.grow fails beyond the limit`, () => {
    const grow = (pages: number, ...limit: string[]) => run('--engine', engine, ...limit, '--invoke', `grow(${pages})`, invoke);
    assert.deepEqual(grow(2), { status: 0, stdout: '1\n', stderr: '' });
    assert.equal(grow(1, '--max-memory', '131072').stdout, '1\n');
    assert.equal(grow(2, '--max-memory', '131072').stdout, '-1\n');
    assert.equal(grow(2, '-W', 'max-memory-size=128k').stdout, '-1\n');
    assert.equal(grow(1, '--max-memory', '150000').stdout, '1\n'); // rounded down to 2 pages
    assert.equal(grow(2, '--max-memory', '150000').stdout, '-1\n');
    const tooSmall = grow(1, '--max-memory', '1000');
    assert.equal(tooSmall.status, 1);
    assert.equal(tooSmall.stderr, `kasane: ${invoke}: memory minimum size of 65536 bytes exceeds the limit of 1000 bytes\n`);
    // A command component: its program's and its adapter's memories both start above 64 KiB.
    const cmd = run('--engine', engine, '--max-memory', '65536', hello);
    assert.equal(cmd.status, 1);
    assert.match(cmd.stderr, /^kasane: .*hello\.component\.wasm: memory minimum size of \d+ bytes exceeds the limit of 65536 bytes\n$/);
    const roomy = run('--engine', engine, '--max-memory', '64m', hello, 'x');
    assert.equal(roomy.status, 0);
    assert.match(roomy.stdout, /^hello from a component: argc 2 \[x\]\n/);
  });

  test(`run --engine ${engine} --timeout on a component: an endless loop is interrupted as a trap; a short run is not`, () => {
    const t0 = performance.now();
    const r = run('--engine', engine, '--timeout', '0.5', '--invoke', 'spin(0)', invoke);
    assert.equal(r.status, 134);
    assert.equal(r.stderr, `kasane: ${invoke}: wasm trap: interrupt\nwasm backtrace:\n    <unavailable: the program was stopped after 0.5 s (--timeout)>\n`);
    assert.ok(performance.now() - t0 < 15_000);
    assert.deepEqual(run('--engine', engine, '-W', 'timeout=10s', '--invoke', 'spin(1000)', invoke), { status: 0, stdout: '0\n', stderr: '' });
    // The adapter's exit is wasi:cli/exit.exit(result): a non-zero exit code becomes 1.
    const cmd = run('--engine', engine, '--timeout', '20', hello, '3');
    assert.equal(cmd.status, 1);
    assert.match(cmd.stdout, /^hello from a component: argc 2 \[3\]\nGREETING=\(unset\)\nslept at least 20 ms\n/);
    assert.equal(cmd.stderr, 'to stderr\n');
  });
}

test('run --fuel on a component: Kasane\'s engine, trapping as for a core module when spent', () => {
  // spin(n): 2 + 8 per iteration but the first (see invoke.wat); far below 10^5 for n = 100.
  assert.deepEqual(run('--fuel', '100000', '--invoke', 'spin(100)', invoke), { status: 0, stdout: '0\n', stderr: '' });
  assert.deepEqual(run('-W', 'fuel=100000', '--engine', 'kasane', '--invoke', 'spin(100)', invoke), { status: 0, stdout: '0\n', stderr: '' });
  const spent = run('--fuel', '1000', '--invoke', 'spin(0)', invoke);
  assert.equal(spent.status, 134);
  assert.match(spent.stderr, /^kasane: .*invoke\.component\.wasm: wasm trap: all fuel consumed by WebAssembly\nwasm backtrace:\n/);
  const native = run('--engine', 'native', '--fuel', '1000', '--invoke', 'spin(1)', invoke);
  assert.equal(native.status, 1);
  assert.equal(native.stderr, 'kasane: --fuel needs Kasane\'s engine (--engine kasane or auto), not native\n');
});

test('fuel on a command component: one budget for all its core modules, exact to the unit', async () => {
  const bytes = readFileSync(hello);
  const go = (fuel: Fuel) => runComponentCommand(bytes, { args: ['hello'], stdout: new CollectedOutput(), stderr: new CollectedOutput() }, { fuel });
  const fuel = new Fuel(1e12);
  assert.equal(go(fuel), 0);
  const needed = fuel.consumed;
  // The program's main and the adapter's wasi:cli/run export both run on it.
  assert.ok(needed > 1000, `consumed ${needed}`);
  assert.equal(go(new Fuel(needed)), 0);
  assert.throws(() => go(new Fuel(needed - 1)), /all fuel consumed by WebAssembly/);
  // The library's runComponent takes the same option (a number), like runCommand.
  await assert.rejects(runComponent(bytes, { args: ['hello'], fuel: needed - 1, stdout: new CollectedOutput(), stderr: new CollectedOutput() }), /all fuel consumed/);
  assert.equal(await runComponent(bytes, { args: ['hello'], fuel: needed, stdout: new CollectedOutput(), stderr: new CollectedOutput() }), 0);
  assert.throws(() => instantiateComponent(bytes, {}, { engine: 'native', fuel: 1 }), /fuel needs Kasane's engine/);
  // An amount makes its own budget: the invoke component's spin(100) needs far less than 10^4, spin(0) more.
  const lib = readFileSync(invoke);
  assert.equal((instantiateComponent(lib, {}, { fuel: 10_000 }).exports.spin as (n: number) => number)(100), 0);
  assert.throws(() => (instantiateComponent(lib, {}, { fuel: 10_000 }).exports.spin as (n: number) => number)(0), /all fuel consumed/);
});
