// The backend choice: kasane, native, or auto (native when the host accepts the module).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { encodeModule } from '../../src/binary/encode.js';
import { parseWat } from '../../src/text/module.js';
import { hasNativeWebAssembly, selectWebAssembly } from '../../src/api/backend.js';
import { WebAssembly as kasane } from '../../src/api/namespace.js';
import { repoRoot } from '../spec/suite.js';

const host = (globalThis as { WebAssembly?: unknown }).WebAssembly;
const mvp = encodeModule(parseWat('(module (func (export "f") (result i32) (i32.const 7)))'));
// A GC struct type: Node 20's WebAssembly rejects it without flags.
const gc = encodeModule(parseWat('(module (type $p (struct (field i32))) (func (export "f") (result i32) (i32.const 7)))'));

test('kasane and native name their namespaces', () => {
  assert.equal(selectWebAssembly('kasane'), kasane);
  assert.ok(hasNativeWebAssembly());
  assert.equal(selectWebAssembly('native'), host);
});

test('auto uses native for what the host accepts and Kasane for the rest', () => {
  assert.equal(selectWebAssembly('auto', mvp), host);
  const hostAcceptsGc = (host as { validate(b: Uint8Array): boolean }).validate(gc);
  assert.equal(selectWebAssembly('auto', gc), hostAcceptsGc ? host : kasane);
  if (!hostAcceptsGc) {
    const { instance } = { instance: new kasane.Instance(new kasane.Module(gc), {}) };
    assert.equal((instance.exports as { f(): number }).f(), 7);
  }
});

test('without a host WebAssembly: auto falls back to Kasane, native is a clear error', () => {
  const script = `
    delete globalThis.WebAssembly;
    const { selectWebAssembly, WebAssembly } = await import('kasane');
    const auto = selectWebAssembly('auto') === WebAssembly;
    let native;
    try { selectWebAssembly('native'); native = 'no error'; } catch (e) { native = e.message; }
    console.log(JSON.stringify({ auto, native }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  const r = JSON.parse(out) as { auto: boolean; native: string };
  assert.equal(r.auto, true);
  assert.match(r.native, /no native WebAssembly/);
});
