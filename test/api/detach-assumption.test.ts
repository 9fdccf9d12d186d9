// V8's process-wide no-detached-buffer assumption (engine/detach.ts): a memory JS sees does not
// make Kasane give it up, so code that never grows memory keeps DataView accesses without a
// detached check; compiling a large function while such a memory exists does (before V8 spends
// long optimizing it), and so does a grow (JS API: the old buffer is detached). Each case runs
// in its own process, since the assumption cannot be restored, with V8 tracing invalidations.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { encodeModule } from '../../src/binary/encode.js';
import { parseWat } from '../../src/text/module.js';
import { LARGE_FUNCTION_JS } from '../../src/engine/detach.js';
import { repoRoot } from '../spec/suite.js';

const INVALIDATED = 'Invalidating protector cell ArrayBufferDetaching';

/** Runs `body` (with K, the namespace, and `bytes`, the module) in a fresh traced process. */
function traced(bytes: Uint8Array, body: string): string {
  const ns = pathToFileURL(join(repoRoot, 'dist', 'src', 'api', 'namespace.js')).href;
  const script = `
    const { WebAssembly: K } = await import(${JSON.stringify(ns)});
    const bytes = Uint8Array.from(atob(${JSON.stringify(Buffer.from(bytes).toString('base64'))}), (c) => c.charCodeAt(0));
    ${body}
    console.log('done');`;
  return execFileSync(process.execPath, ['--trace-protector-invalidation', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
}

// One store per line of JS, enough lines to pass LARGE_FUNCTION_JS.
const stores = Array.from({ length: Math.ceil(LARGE_FUNCTION_JS / 30) }, (_, k) =>
  `(i32.store offset=${k * 4} (local.get 0) (local.get 1))`).join('\n');
const small = `(func (export "small") (param i32 i32) (result i32)
  (i32.store (local.get 0) (local.get 1)) (i32.load (local.get 0)))`;
const large = `(func (export "large") (param i32 i32) ${stores})`;
const withMemory = encodeModule(parseWat(`(module (memory (export "mem") 4) ${small} ${large})`));
const withoutExport = encodeModule(parseWat(`(module (memory 4) ${small} ${large})`));

test('a memory JS sees keeps the assumption while nothing grows or is large', () => {
  const out = traced(withMemory, `
    const e = new K.Instance(new K.Module(bytes), {}).exports;
    if (e.mem.buffer.byteLength !== 4 * 65536) throw new Error('buffer');
    for (let i = 0; i < 1000; i++) if (e.small(i * 4, i) !== i) throw new Error('small');`);
  assert.match(out, /done/);
  assert.ok(!out.includes(INVALIDATED), out);
});

test('growing that memory detaches its old buffer (and so gives up the assumption)', () => {
  const out = traced(withMemory, `
    const e = new K.Instance(new K.Module(bytes), {}).exports;
    const b = e.mem.buffer;
    e.mem.grow(1);
    if (b.byteLength !== 0) throw new Error('old buffer not detached');`);
  assert.match(out, /done/);
  assert.ok(out.includes(INVALIDATED), out);
});

test('compiling a large function gives it up when JS sees a memory, not otherwise', () => {
  const seen = traced(withMemory, `
    const e = new K.Instance(new K.Module(bytes), {}).exports;
    e.large(0, 7);
    if (new DataView(e.mem.buffer).getInt32(400, true) !== 7) throw new Error('large');`);
  assert.match(seen, /done/);
  assert.ok(seen.includes(INVALIDATED), seen);
  const unseen = traced(withoutExport, `
    const e = new K.Instance(new K.Module(bytes), {}).exports;
    e.large(0, 7);
    if (e.small(400, 8) !== 8) throw new Error('small');`);
  assert.match(unseen, /done/);
  assert.ok(!unseen.includes(INVALIDATED), unseen);
});
