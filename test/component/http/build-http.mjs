// Builds test/component/http/handler.js into a wasi:http/proxy component with componentize-js
// (about a minute), cached as .cache/http-handler.component.wasm. The WIT packages are jco's
// (0.2.12) relabelled 0.2.10, the version the componentize-js engine imports; only
// those the HTTP interfaces use (0.2.12's wasi:sockets does not merge with the engine's).
// Usage: node test/component/http/build-http.mjs [--force]; prints the build time.
import { mkdirSync, readFileSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
export const HTTP_COMPONENT = join(root, '.cache/http-handler.component.wasm');

export async function buildHttpComponent(force = false) {
  if (!force && existsSync(HTTP_COMPONENT)) return { path: HTTP_COMPONENT, ms: 0 };
  const wit = join(root, '.cache/http-wit');
  mkdirSync(join(wit, 'deps'), { recursive: true });
  const builtin = join(root, 'node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12');
  for (const pkg of ['clocks', 'http', 'io']) {
    const text = readFileSync(join(builtin, `wasi-${pkg}/package.wit`), 'utf8').replaceAll('@0.2.12', '@0.2.10')
      // Its worlds name packages left out here; the test's world names the interfaces itself.
      .replace(/^world [\w-]+ \{[^}]*\}/gm, '');
    mkdirSync(join(wit, 'deps', pkg), { recursive: true });
    writeFileSync(join(wit, 'deps', pkg, 'package.wit'), text);
  }
  copyFileSync(join(here, 'world.wit'), join(wit, 'world.wit'));
  const { componentize } = await import('@bytecodealliance/componentize-js');
  const t0 = performance.now();
  const { component } = await componentize({ sourcePath: join(here, 'handler.js'), witPath: wit, worldName: 'handler' });
  const ms = performance.now() - t0;
  writeFileSync(HTTP_COMPONENT, component);
  return { path: HTTP_COMPONENT, ms };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { path, ms } = await buildHttpComponent(process.argv.includes('--force'));
  console.log(`${path}: built in ${(ms / 1000).toFixed(1)} s`);
}
