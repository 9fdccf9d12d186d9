// Self-hosting: Kasane's built JavaScript evaluated inside QuickJS (a JS engine compiled to
// Wasm), whose .wasm runs on Kasane's engine (global WebAssembly deleted, kasane/polyfill) and,
// for comparison, on Node's own WebAssembly. Inside, Kasane parses, validates, compiles and runs
// a .wat function and a WASI command with in-memory stdout. One child process per mode.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../../../test/nested/fixtures/self-host.mjs', import.meta.url));
const require = createRequire(`${root}package.json`);

function installed(pkg: string): boolean {
  try { require.resolve(pkg); return true; } catch { return false; }
}

function run(mode: 'kasane' | 'native'): { result: { add: number; helloExit: number; helloStdout: string }; ms: number } {
  const r = spawnSync(process.execPath, [fixture, mode], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  assert.ok(r.status === 0 && line.startsWith('{'), `${mode}: exit ${r.status ?? r.signal}\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(line);
}

const skip = installed('quickjs-emscripten-core') && installed('@jitl/quickjs-wasmfile-release-sync')
  ? false : 'QuickJS packages are not installed (npm ci: they are devDependencies)';

test('Kasane runs inside QuickJS, on Kasane and on native WebAssembly, with equal results', { skip, timeout: 500_000 }, (t) => {
  const native = run('native');
  const kasane = run('kasane');
  t.diagnostic(`QuickJS on native: ${native.ms} ms; QuickJS on Kasane: ${kasane.ms} ms`);
  assert.equal(kasane.result.add, 42);
  assert.equal(kasane.result.helloExit, 0);
  assert.equal(kasane.result.helloStdout, 'Hello from Kasane!\nfrom\nQuickJS\n');
  assert.deepEqual(kasane.result, native.result);
});
