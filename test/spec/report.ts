// `npm run test:spec`: runs the spec suite's scripts and prints a per-file table with totals,
// also written to dist/spec-report.md. Exits non-zero when any decision differs from the suite.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFile, failureKey, knownFailures } from './validity.js';
import { repoRoot, SKIP_MESSAGE, suiteGroups, suiteName, suiteRoot } from './suite.js';

const root = suiteRoot();
if (!root) {
  console.log(SKIP_MESSAGE);
  process.exit(0);
}

const filter = process.argv[2];
const lines: string[] = ['# Spec suite report', '', '| group | file | modules | as expected | differ |', '|---|---|---:|---:|---:|'];
let total = 0;
let unexpected = 0;
const known = knownFailures();
let totalOk = 0;
const details: string[] = [];
for (const group of suiteGroups(root)) {
  let gTotal = 0;
  let gOk = 0;
  for (const f of group.files) {
    const name = suiteName(root, f);
    if (filter && !name.includes(filter)) continue;
    const r = checkFile(f, name, group.features);
    const ok = r.decisions.filter((d) => d.ok).length;
    const n = r.decisions.length + (r.scriptError ? 1 : 0);
    gTotal += n;
    gOk += ok;
    lines.push(`| ${group.name} | ${name} | ${n} | ${ok} | ${n - ok} |`);
    if (r.scriptError) unexpected++;
    if (r.scriptError) details.push(`${name}: script does not parse: ${r.scriptError}`);
    for (const d of r.decisions) {
      const isKnown = known.has(failureKey(r, d));
      if (!d.ok && !isKnown) unexpected++;
      if (!d.ok) details.push(`${isKnown ? '(known, see test/spec/known-validity-failures.txt) ' : ''}${name}:${d.line}: expected ${d.expected}${d.expectedMessage ? ` ("${d.expectedMessage}")` : ''}, got ${d.outcome}${d.message ? `: ${d.message}` : ''}`);
    }
  }
  lines.push(`| **${group.name}** | **total** | **${gTotal}** | **${gOk}** | **${gTotal - gOk}** |`);
  total += gTotal;
  totalOk += gOk;
}
lines.push('', `All groups: ${total} modules, ${totalOk} as expected, ${total - totalOk} differ.`);
if (details.length) lines.push('', '## Differences', '', ...details.map((d) => `- ${d}`));
const text = lines.join('\n') + '\n';
console.log(text);
mkdirSync(join(repoRoot, 'dist'), { recursive: true });
writeFileSync(join(repoRoot, 'dist', 'spec-report.md'), text);
process.exit(unexpected === 0 ? 0 : 1);
