// Builds the sockets test component: client.wat (a core module written against the canonical
// ABI) parsed, its world (wit/world.wit, over the WASI 0.2.12 WIT that jco ships) embedded, and
// wrapped into a component, with jco's wasm-tools (the API of `jco parse`, `embed`, `new`).
// usage: node build.mjs OUT.wasm
// The WIT goes in as one source (dependencies as nested `package x { }` blocks): this jco's
// embed cannot read a WIT directory.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, componentEmbed, componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';

const here = dirname(fileURLToPath(import.meta.url));
const builtin = join(here, '..', '..', '..', 'node_modules', '@bytecodealliance', 'jco', 'lib', 'wit', 'builtin', '0.2.12');
let witSource = readFileSync(join(here, 'wit', 'world.wit'), 'utf8');
for (const dir of readdirSync(builtin)) {
  if (dir === 'wasi-http') continue;
  const text = readFileSync(join(builtin, dir, 'package.wit'), 'utf8');
  const m = /^package ([^;]+);$/m.exec(text);
  witSource += `\npackage ${m[1]} {\n${text.replace(m[0], '')}\n}\n`;
}
const core = await parse(readFileSync(join(here, 'client.wat'), 'utf8'));
const embedded = await componentEmbed({ binary: core, witSource, world: 'client' });
const component = await componentNew(embedded, []);
writeFileSync(process.argv[2], component);
console.log(`  -> ${process.argv[2]} (${component.length} bytes)`);
