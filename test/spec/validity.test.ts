// The front end against the whole spec suite: every module the scripts define must be
// accepted, every assert_malformed module rejected by the parser/decoder, every
// assert_invalid module rejected by the validator.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile, failureKey, type FileResult, knownFailures } from './validity.js';
import { SKIP_MESSAGE, suiteGroups, suiteName, suiteRoot } from './suite.js';

const root = suiteRoot();

if (!root) {
  test('spec suite: validity', { skip: SKIP_MESSAGE }, () => {});
} else {
  const known = knownFailures();
  for (const group of suiteGroups(root)) {
    test(`spec suite ${group.name}: parse, decode and validate every module`, () => {
      assert.ok(group.files.length > 0, `no .wast files found for ${group.name}`);
      const results: FileResult[] = group.files.map((f) => checkFile(f, suiteName(root, f), group.features));
      const totals = { files: results.length, modules: 0, text: 0, binary: 0, quote: 0, valid: 0, malformed: 0, invalid: 0, custom: 0 };
      const unexpected: string[] = [];
      const fixed: string[] = [];
      for (const r of results) {
        if (r.scriptError) unexpected.push(`${r.file}: script does not parse: ${r.scriptError}`);
        for (const d of r.decisions) {
          totals.modules++;
          totals[d.form]++;
          if (d.ok) totals[d.expected]++;
          const key = failureKey(r, d);
          if (!d.ok && !known.has(key)) {
            unexpected.push(`${key}: expected ${d.expected}${d.expectedMessage ? ` ("${d.expectedMessage}")` : ''}, got ${d.outcome}${d.message ? `: ${d.message}` : ''}`);
          }
          if (d.ok && known.has(key)) fixed.push(key);
        }
      }
      const failed = totals.modules - totals.valid - totals.malformed - totals.invalid - totals.custom;
      const listed = failed - unexpected.filter((u) => !u.includes('script does not parse')).length;
      console.log(
        `${group.name}: ${totals.files} files, ${totals.modules} modules (${totals.text} text, ${totals.binary} binary, ${totals.quote} quote): ` +
          `${totals.valid} accepted as valid, ${totals.malformed} rejected as malformed, ${totals.invalid} rejected as invalid, ${totals.custom} with malformed custom annotations handled, ${failed} differ from the suite (${listed} of them listed in known-validity-failures.txt)`,
      );
      assert.deepEqual(unexpected.slice(0, 50), [], `${unexpected.length} decisions differ from the suite`);
      assert.deepEqual(fixed, [], 'known failures that now pass: remove them from test/spec/known-validity-failures.txt');
    });
  }
}
