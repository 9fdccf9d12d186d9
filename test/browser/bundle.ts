// Bundles Kasane for the browser with esbuild's JS API (esbuild-wasm, a devDependency that runs
// in Node): the public entry as an application would, and the spec runner for the spec slice.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const distDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const repoRoot = resolve(distDir, '..');

type Esbuild = typeof import('esbuild-wasm');

let service: Promise<Esbuild> | undefined;

/** esbuild's API, or undefined when esbuild-wasm is not installed. */
export async function esbuild(): Promise<Esbuild | undefined> {
  service ??= import('esbuild-wasm').then((m) => ((m as { default?: Esbuild }).default ?? m) as Esbuild);
  try { return await service; } catch { return undefined; }
}

export async function stopEsbuild(): Promise<void> {
  if (service) (await esbuild())?.stop?.();
}

export interface Bundle {
  /** Output file name (kasane.js, spec.js) to its ES module source. */
  readonly files: Map<string, string>;
  /** Output file name to the modules bundled into it (paths relative to the repository). */
  readonly inputs: Map<string, string[]>;
  readonly ms: number;
}

/** Stubs for the Node built-ins the spec runner's file helpers import (never called in a page). */
const NODE_STUBS: Record<string, string> = {
  'node:fs': `const no = (name) => () => { throw new Error(name + ': no file system in the browser'); };
    export const readFileSync = no('readFileSync'), existsSync = () => false, readdirSync = no('readdirSync'), statSync = no('statSync');`,
  'node:path': `const norm = (p) => p.replace(/\\/+/g, '/');
    export const join = (...p) => norm(p.join('/')), resolve = join, relative = (a, b) => b;
    export const dirname = (p) => p.slice(0, Math.max(0, p.lastIndexOf('/'))) || '/';`,
  'node:url': `export const fileURLToPath = (u) => String(u).replace(/^file:\\/\\//, '');`,
};

/**
 * kasane.js (the public entry, entry.ts) and spec.js (the spec runner), as ES modules, in one
 * build. The platform is 'neutral', stricter than 'browser': no Node built-in resolves, so a
 * node: (or bare 'fs') import reachable from the public entry fails the build. The spec runner's
 * own node: imports get stubs; from anywhere else they are errors.
 */
export async function bundle(es: Esbuild): Promise<Bundle> {
  const t0 = performance.now();
  const r = await es.build({
    entryPoints: { kasane: join(distDir, 'test', 'browser', 'entry.js'), spec: join(distDir, 'test', 'spec', 'exec.js') },
    bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', write: false, metafile: true,
    outdir: join(repoRoot, 'bundle'), absWorkingDir: repoRoot, logLevel: 'silent',
    plugins: [{
      name: 'node-stubs',
      setup(b) {
        b.onResolve({ filter: /^node:/ }, (a) => {
          if (!a.importer.startsWith(join(distDir, 'test', 'spec'))) return { errors: [{ text: `${a.path} imported by ${a.importer}` }] };
          if (!(a.path in NODE_STUBS)) return { errors: [{ text: `no stub for ${a.path}` }] };
          return { path: a.path, namespace: 'node-stub' };
        });
        b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (a) => ({ contents: NODE_STUBS[a.path], loader: 'js' }));
      },
    }],
  });
  const name = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
  const files = new Map(r.outputFiles.map((f) => [name(f.path), f.text]));
  const inputs = new Map(Object.entries(r.metafile.outputs).map(([out, o]) => [name(out), Object.keys(o.inputs)]));
  return { files, inputs, ms: performance.now() - t0 };
}
