// Kasane's built library (dist/src) as one classic script for JavaScript engines without
// ES module loading from files (QuickJS inside Wasm): every module is transpiled to CommonJS
// by TypeScript's transpileModule and wrapped in a function of a tiny module table; the script
// defines `globalThis.Kasane` as the exports of index.js. Node-only layers (src/host, src/cli)
// are left out: their dynamic imports then reject, and the WASI layer is used with in-memory
// filesystems and stdio only. (esbuild-wasm's `build` would do the same, but its Go service
// aborted on this machine with V8's "invalid size error"; a concatenation has no moving parts.)

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

function jsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...jsFiles(p));
    else if (e.name.endsWith('.js')) out.push(p);
  }
  return out.sort();
}

/** The bundle's source text, from the built library in `distSrc` (dist/src). */
export function bundleKasane(distSrc: string): string {
  const parts: string[] = [];
  for (const file of jsFiles(distSrc)) {
    const id = relative(distSrc, file).split('\\').join('/');
    if (id.startsWith('host/') || id.startsWith('cli/')) continue;
    const cjs = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: false },
      fileName: id,
    }).outputText;
    parts.push(`${JSON.stringify(id)}: function (require, module, exports) {\n${cjs}\n}`);
  }
  return `var Kasane = (function () {
var defs = {
${parts.join(',\n')}
};
var cache = {};
function resolve(from, spec) {
  var segs = from.split('/'); segs.pop();
  var rel = spec.split('/');
  for (var i = 0; i < rel.length; i++) {
    if (rel[i] === '..') segs.pop(); else if (rel[i] !== '.') segs.push(rel[i]);
  }
  return segs.join('/');
}
function load(id) {
  if (cache[id]) return cache[id].exports;
  var def = defs[id];
  if (!def) throw new Error('module not in the Kasane bundle: ' + id);
  var module = { exports: {} };
  cache[id] = module;
  def(function (spec) { return load(resolve(id, spec)); }, module, module.exports);
  return module.exports;
}
return load('index.js');
})();
globalThis.Kasane = Kasane;
`;
}

/**
 * bundleKasane, cached in `cacheFile` (transpiling takes seconds): reused while no file of
 * `distSrc` is newer or differently sized than when it was written.
 */
export function bundleKasaneCached(distSrc: string, cacheFile: string): string {
  const key = '// inputs: ' + jsFiles(distSrc).map((f) => { const s = statSync(f); return `${s.size}@${Math.round(s.mtimeMs)}`; }).join(',') + '\n';
  if (existsSync(cacheFile)) {
    const text = readFileSync(cacheFile, 'utf8');
    if (text.startsWith(key)) return text.slice(key.length);
  }
  const bundle = bundleKasane(distSrc);
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, key + bundle);
  return bundle;
}
