// The GC scripts of the spec suite's 3.0 group must execute without failures (the wasm-2.0 group
// is exec.test.ts's). instance.wast also uses try_table, which belongs to exception handling:
// failures that name it are not counted here.

import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { test } from 'node:test';
import { SKIP_MESSAGE, suiteGroups, suiteName, suiteRoot } from './suite.js';

const GC_FILES = /^(array.*|struct|i31|ref_cast|ref_test|ref_eq|ref_null|br_on_cast.*|extern|table_init|type-.*|instance)\.wast$/;

const root = suiteRoot();
if (!root) {
  test('spec suite: GC execution', { skip: SKIP_MESSAGE }, () => {});
} else {
  test('spec suite wasm-3.0: the GC scripts execute', async () => {
    const { runFile, failureKey } = await import('./exec.js');
    const group = suiteGroups(root).find((g) => g.name === 'wasm-3.0');
    assert.ok(group, 'no wasm-3.0 group in the suite');
    const files = group.files.filter((f) => GC_FILES.test(basename(f)));
    assert.ok(files.length >= 20, `expected the GC scripts, found ${files.length}`);
    const failures: string[] = [];
    let passed = 0;
    for (const f of files) {
      const r = runFile(f, suiteName(root, f), group.features);
      if (r.scriptError) failures.push(`${r.file}: script does not parse: ${r.scriptError}`);
      for (const o of r.outcomes) {
        if (o.status === 'pass') passed++;
        if (o.status === 'fail' && !/try_table/.test(o.message ?? '')) failures.push(`${failureKey(r, o)}: ${o.message ?? ''}`);
      }
    }
    console.log(`GC scripts: ${files.length} files, ${passed} passed, ${failures.length} failed`);
    assert.deepEqual(failures, []);
    assert.ok(passed > 700, `only ${passed} commands passed`);
  });
}
