// Builds the componentize-js test components (<name>.js + <name>.wit in this directory) into
// .cache/components/<name>.component.wasm, and jco's transpile output of each into
// .cache/components/jco-<name>/ (for the comparison with jco). The outputs are about 13 MB each
// (SpiderMonkey inside), so they are cached, never committed: a build is skipped when the cached
// one was made from the same sources (their hash is kept next to it).
// Usage: node test/component/js/build.mjs [name...]   (default: every .wit here)
import { componentize } from '@bytecodealliance/componentize-js';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const out = join(root, '.cache', 'components');
const jco = join(root, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js');
mkdirSync(out, { recursive: true });

const names = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(here).filter((f) => f.endsWith('.wit')).map((f) => f.slice(0, -4));
for (const name of names) {
  const sourcePath = join(here, `${name}.js`), witPath = join(here, `${name}.wit`);
  const hash = createHash('sha256').update(readFileSync(sourcePath)).update(readFileSync(witPath)).digest('hex');
  const wasm = join(out, `${name}.component.wasm`), stamp = `${wasm}.sha256`, jcoDir = join(out, `jco-${name}`);
  if (existsSync(wasm) && existsSync(join(jcoDir, `${name}.js`)) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) continue;
  let t0 = performance.now();
  // Only the features the component uses: no WASI imports besides what the WIT world names.
  const { component } = await componentize({ sourcePath, witPath, disableFeatures: ['random', 'stdio', 'clocks', 'http', 'fetch-event'] });
  writeFileSync(wasm, component);
  console.log(`componentize ${name}: ${component.length} bytes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  t0 = performance.now();
  rmSync(jcoDir, { recursive: true, force: true });
  // --instantiation async: an `instantiate(getCoreModule, imports)` taking the imports as an object, like Kasane's.
  execFileSync(process.execPath, [jco, 'transpile', wasm, '-o', jcoDir, '--instantiation', 'async', '--name', name, '--quiet'], { stdio: 'inherit' });
  console.log(`jco transpile ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  writeFileSync(stamp, hash);
}
