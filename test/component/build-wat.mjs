// Builds a component from a core module written in WAT against the canonical ABI: the module is
// parsed, its world embedded and the result wrapped into a component, with jco's wasm-tools (the
// API of `jco parse`, `embed` and `new`). Used by build.sh for the sockets client and the
// streaming wasi:http handler.
// usage: node build-wat.mjs CORE.wat WORLD.wit WORLD OUT.wasm
// WORLD.wit is one package whose world imports WASI 0.2.12 interfaces; the WASI packages jco ships
// are appended to it as nested `package x { }` blocks (this jco's embed cannot read a WIT
// directory), without their own worlds, which name packages and worlds not needed here.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, componentEmbed, componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';

const [watFile, witFile, world, out] = process.argv.slice(2);
if (out === undefined) {
  console.error('usage: node build-wat.mjs CORE.wat WORLD.wit WORLD OUT.wasm');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const builtin = join(root, 'node_modules', '@bytecodealliance', 'jco', 'lib', 'wit', 'builtin', '0.2.12');
let witSource = readFileSync(witFile, 'utf8');
for (const dir of readdirSync(builtin).sort()) {
  // A world's annotations (@since, @unstable) go with it.
  const text = readFileSync(join(builtin, dir, 'package.wit'), 'utf8').replace(/^(?:@[^\n]*\n)*world [\w-]+ \{[^}]*\}/gm, '');
  const m = /^package ([^;]+);/m.exec(text);
  witSource += `\npackage ${m[1]} {\n${text.slice(m.index + m[0].length)}\n}\n`;
}
const core = await parse(readFileSync(watFile, 'utf8'));
const embedded = await componentEmbed({ binary: core, witSource, world });
const component = await componentNew(embedded, []);
writeFileSync(out, component);
console.log(`  -> ${out} (${component.length} bytes)`);
