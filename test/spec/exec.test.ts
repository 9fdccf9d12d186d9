// The engine against the spec suite's execution scripts (every group: wasm-2.0, the 3.0 root with
// GC, exceptions, tail calls, memory64, relaxed SIMD; legacy exceptions; threads), through the JS API: every
// module, action and assertion must behave as the script says, except the entries listed in
// test/spec/known-exec-failures.txt (the current engine's gap), which must still fail.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, SKIP_MESSAGE, suiteGroups, suiteName, suiteRoot } from './suite.js';

const root = suiteRoot();

if (!root) {
  test('spec suite: execution', { skip: SKIP_MESSAGE }, () => {});
} else {
  for (const group of suiteGroups(root)) {
    test(`spec suite ${group.name}: execute every script through the JS API`, async () => {
      const engine = ['compile.js', 'instantiate.js'].map((f) => join(repoRoot, 'dist', 'src', 'engine', f));
      assert.ok(engine.every(existsSync), `the engine is not built yet: missing ${engine.filter((f) => !existsSync(f)).join(', ')} (src/engine/compile.ts, instantiate.ts)`);
      const { runFile, failureKey, knownExecFailures, totalsOf } = await import('./exec.js');
      assert.ok(group.files.length > 0, `no .wast files found for ${group.name}`);
      const known = knownExecFailures();
      const results = group.files.map((f) => runFile(f, suiteName(root, f), group.features));
      const unexpected: string[] = [];
      const fixed: string[] = [];
      for (const r of results) {
        if (r.scriptError) unexpected.push(`${r.file}: script does not parse: ${r.scriptError}`);
        for (const o of r.outcomes) {
          const key = failureKey(r, o);
          if (o.status === 'fail' && !known.has(key)) unexpected.push(`${key}: ${o.command}: ${o.message ?? ''}`);
          if (o.status === 'pass' && known.has(key)) fixed.push(key);
        }
      }
      const t = totalsOf(results);
      console.log(`${group.name} execution: ${t.files} files, ${t.passed} passed, ${t.failed} failed (${t.failed - unexpected.length} known), ${t.skipped} skipped`);
      assert.deepEqual(unexpected.slice(0, 50), [], `${unexpected.length} unexpected execution failures`);
      assert.deepEqual(fixed, [], 'known failures that now pass: remove them from test/spec/known-exec-failures.txt');
    });
  }
}
