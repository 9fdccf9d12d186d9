// Real Wasm from npm packages, run by their own unmodified glue code on Kasane's WebAssembly
// namespace in a Node process whose native WebAssembly has been deleted, compared with the same
// operation on Node's native WebAssembly.
//
// Each fixture (test/packages/fixtures/*.mjs, see harness.mjs) runs in a child `node` process,
// once as `kasane` (deletes globalThis.WebAssembly, then `import('kasane/polyfill')`) and once as
// `native`; each prints one JSON line { mode, result, ms, firstMs? }. The results must be equal.

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../test/packages/fixtures/', import.meta.url));
const require = createRequire(`${root}package.json`);

interface Report { mode: string; result: unknown; ms: number; firstMs?: number }

/** Whether the package resolves from the repository root (some packages do not export package.json). */
function installed(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}

function runFixture(fixture: string, mode: 'kasane' | 'native', timeoutMs: number): Promise<Report> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [`${fixtures}${fixture}`, mode], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${fixture} ${mode}: timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wall = Math.round(performance.now() - t0);
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`${fixture} ${mode}: exit ${code ?? signal} after ${wall} ms\nstderr:\n${stderr}\nstdout:\n${stdout.slice(0, 2000)}`));
        return;
      }
      const report = JSON.parse(line) as Report;
      assert.equal(report.mode, mode);
      resolve(report);
    });
  });
}

async function compare(t: TestContext, fixture: string, timeoutMs: number): Promise<void> {
  const native = await runFixture(fixture, 'native', timeoutMs);
  const kasane = await runFixture(fixture, 'kasane', timeoutMs);
  const first = (r: Report): string => (r.firstMs !== undefined ? `, first result ${r.firstMs} ms` : '');
  t.diagnostic(`native ${native.ms} ms${first(native)}; kasane ${kasane.ms} ms${first(kasane)} (x${(kasane.ms / Math.max(1, native.ms)).toFixed(1)})`);
  assert.deepEqual(kasane.result, native.result);
}

const packages: { name: string; pkg: string; fixture: string; timeoutMs: number }[] = [
  { name: 'hash-wasm: md5, sha1, sha256, sha512, xxhash64, blake3, argon2id', pkg: 'hash-wasm', fixture: 'hash-wasm.mjs', timeoutMs: 30_000 },
  { name: 'sql.js: table, inserts, aggregate queries, export', pkg: 'sql.js', fixture: 'sql.js.mjs', timeoutMs: 30_000 },
  { name: 'brotli-wasm: compress/decompress, one-shot and streaming', pkg: 'brotli-wasm', fixture: 'brotli-wasm.mjs', timeoutMs: 45_000 },
  { name: '@swc/wasm: transform, minify, parse TypeScript (wasm-bindgen, 18 MB module)', pkg: '@swc/wasm', fixture: 'swc-wasm.mjs', timeoutMs: 45_000 },
  { name: '@jsquash/webp: SIMD encoder (lossy, lossless) and decoder', pkg: '@jsquash/webp', fixture: 'jsquash-webp.mjs', timeoutMs: 30_000 },
  { name: 'esbuild-wasm: transform TS/TSX through the Node API (Go wasm_exec, 13 MB module)', pkg: 'esbuild-wasm', fixture: 'esbuild-wasm.mjs', timeoutMs: 60_000 },
  { name: 'QuickJS (@jitl/quickjs-wasmfile-release-sync): evaluates JavaScript (emscripten)', pkg: '@jitl/quickjs-wasmfile-release-sync', fixture: 'quickjs.mjs', timeoutMs: 90_000 },
];

for (const p of packages) {
  const skip = installed(p.pkg) ? false : `${p.pkg} is not installed (run npm ci: it is a devDependency)`;
  test(p.name, { skip, timeout: 2 * p.timeoutMs + 5_000 }, async (t) => {
    await compare(t, p.fixture, p.timeoutMs);
  });
}
