// Builds stream.wat into test/component/fixtures/http-echo.component.wasm: Kasane's wat2wasm
// (run `npx tsc` first), then jco's `embed` (world.wit, with the WASI 0.2.12 packages jco ships
// appended as nested packages: jco's embed cannot read a WIT directory here) and `new`.
// Usage: node test/component/http/stream/build.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentEmbed, componentNew } from '@bytecodealliance/jco';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../../..');
const out = join(root, 'test/component/fixtures/http-echo.component.wasm');
const { wat2wasm } = await import(join(root, 'dist/src/index.js'));
const core = wat2wasm(readFileSync(join(here, 'stream.wat'), 'utf8'));
const builtin = join(root, 'node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12');
let wit = readFileSync(join(here, 'world.wit'), 'utf8');
for (const pkg of ['io', 'clocks', 'http']) {
  // Their worlds name packages left out here.
  const text = readFileSync(join(builtin, `wasi-${pkg}/package.wit`), 'utf8').replace(/^world [\w-]+ \{[^}]*\}/gm, '');
  const m = /^package ([^;]+);/m.exec(text);
  wit += `\npackage ${m[1]} {\n${text.slice(m.index + m[0].length)}\n}\n`;
}
const embedded = await componentEmbed({ binary: core, witSource: wit, world: 'echo' });
writeFileSync(out, await componentNew(embedded));
console.log(`${out}: ${readFileSync(out).length} bytes`);
