// `kasane/polyfill`: installs the namespace where the host has none, in a fresh process.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const srcDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const polyfill = pathToFileURL(join(srcDir, 'polyfill.js')).href;
const index = pathToFileURL(join(srcDir, 'index.js')).href;

function run(code: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim();
}

test('polyfill installs globalThis.WebAssembly when the host has none', () => {
  const out = run(`
    delete globalThis.WebAssembly;
    await import(${JSON.stringify(polyfill)});
    const { WebAssembly: K, wat2wasm } = await import(${JSON.stringify(index)});
    const bytes = wat2wasm('(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))');
    const { instance } = await WebAssembly.instantiate(bytes);
    console.log(JSON.stringify([globalThis.WebAssembly === K, instance.exports.add(2, 3), String(WebAssembly)]));
  `);
  assert.deepEqual(JSON.parse(out), [true, 5, '[object WebAssembly]']);
});

test('polyfill leaves a host namespace alone unless forced', () => {
  const out = run(`
    const host = globalThis.WebAssembly;
    const { install, WebAssembly: K } = await import(${JSON.stringify(polyfill)});
    const kept = globalThis.WebAssembly === host;
    const replaced = install({ force: true });
    console.log(JSON.stringify([kept, replaced, globalThis.WebAssembly === K, install()]));
  `);
  assert.deepEqual(JSON.parse(out), [true, true, true, false]);
});

test('package.json exports "./polyfill" with types', async () => {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(join(srcDir, '..', '..', 'package.json'), 'utf8'));
  assert.deepEqual(pkg.exports['./polyfill'], { types: './dist/src/polyfill.d.ts', default: './dist/src/polyfill.js' });
});
