// Kasane in a real browser: Debian's Chromium, headless, driven by playwright-core. The public
// entry is bundled with esbuild (esbuild-wasm), served from 127.0.0.1, and loaded into a page
// whose native WebAssembly was deleted first (as in iOS Lockdown Mode). There it runs a module
// through the JS API, WASI commands on the in-memory filesystem and the spec suite's 3.0 group;
// a second page runs the same module and commands on Chromium's own WebAssembly. The module and
// WASI results are compared with the same scenarios run here in Node; the spec scripts must
// pass as the Node exec test requires.
//
// Without /usr/bin/chromium (scripts/install-browser.sh installs it; CI runs that) the browser
// tests are skipped with a message; the bundling check below still runs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Kasane from '../../src/index.js';
import { knownExecFailures } from '../spec/exec.js';
import { suiteGroups, suiteName, suiteRoot } from '../spec/suite.js';
import { bundle, esbuild, repoRoot, stopEsbuild, type Bundle } from './bundle.js';
import { serve, type Route, type StaticServer } from './server.js';
import { DEMO_WAT, hotNaNScenario, moduleScenario, sharedMemoryScenario, specScenario, wasiScenario } from './scenarios.js';

const CHROMIUM = process.env.KASANE_CHROMIUM ?? '/usr/bin/chromium';
const fixtures = join(repoRoot, 'test', 'wasi', 'fixtures');

after(stopEsbuild);

/** One build for the check below and the pages (esbuild-wasm's start-up is most of its cost). */
let built: Promise<Bundle | undefined> | undefined;
function bundleOnce(): Promise<Bundle | undefined> {
  built ??= esbuild().then((es) => (es === undefined ? undefined : bundle(es)));
  return built;
}

test('the public entry bundles for a neutral platform: no Node built-in reaches runtime code', async (t) => {
  const b = await bundleOnce();
  if (b === undefined) { t.skip('esbuild-wasm is not installed'); return; }
  const code = b.files.get('kasane.js')!;
  const inputs = b.inputs.get('kasane.js')!;
  t.diagnostic(`bundled in ${b.ms.toFixed(0)} ms: kasane.js ${(code.length / 1024).toFixed(0)} KiB from ${inputs.length} modules`);
  // The build failing on a node: import is the main check (bundle.ts); the Node host is reached
  // only through package.json "imports", whose non-node condition is src/host/unavailable.ts.
  assert.deepEqual(inputs.filter((f) => f.includes('/host/')), ['dist/src/host/unavailable.js']);
  assert.deepEqual(inputs.filter((f) => !f.startsWith('dist/src/') && f !== 'dist/test/browser/entry.js'), []);
  // Node globals are not imports, so the bundler cannot see them: look for uses in the output
  // (esbuild drops comments). `globalThis.process?.` (a guarded probe) is allowed.
  const globals = [...code.matchAll(/(?<![\w$.])((Buffer|process)\s*[.[(]|(require|setImmediate)\s*\(|__dirname|__filename)/g)].map((m) => {
    const at = m.index;
    return code.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, ' ');
  });
  assert.deepEqual(globals, []);
});

test('the guarded host imports resolve to the Node host under Node and to a stub elsewhere', async () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  for (const [name, target] of Object.entries(pkg.imports as Record<string, { node: string; default: string }>)) {
    assert.ok(existsSync(join(repoRoot, target.node)), `${name} -> ${target.node}`);
    assert.equal(target.default, './dist/src/host/unavailable.js', name);
  }
  const stub = await import('../../src/host/unavailable.js');
  assert.throws(() => new stub.NodeFileSystem('/tmp'), /a host directory preopen needs Node/);
  assert.throws(() => stub.nodeStdio(), /standard streams needs Node/);
});

// ---------------------------------------------------------------------------------------------
// In Chromium.

type Page = import('playwright-core').Page;
type Browser = import('playwright-core').Browser;

// CI sets KASANE_REQUIRE_BROWSER=1 (.ci/run): there a missing browser is a failure, not a skip.
const required = process.env.KASANE_REQUIRE_BROWSER === '1';
const chromiumMissing = existsSync(CHROMIUM) || required ? false
  : `${CHROMIUM} not found: browser tests skipped (scripts/install-browser.sh installs Debian's chromium; CI runs it)`;

/** The WASI commands of test/wasi, with the arguments their Node tests use. */
const COMMANDS = {
  'wasi-fs.wasm': { argv: ['wasi-fs', 'a', 'b c'], env: { GREETING: 'hello' }, stdin: 'mem', preopen: '/work', seed: { 'in.txt': 'input\n' } },
  'wasi_std.wasm': {
    argv: ['wasi_std', '/sandbox', '7', 'x y'], env: { GREETING: 'hi' }, stdin: '', preopen: '/sandbox',
    seed: { 'target.txt': 'target\n' }, symlinks: [['target.txt', 'link']] as [string, string][],
  },
};

/**
 * The spec suite's wasm-3.0 group (the root, core-shadowed, custom), with f32 and f64 first: they
 * make the float helpers hot, and later files check exact NaN bits in optimized code (Chromium's
 * Maglev quieted signalling NaNs in DataView.setFloat64: float_memory, float_misc, conversions).
 */
function specFiles(root: string): string[] {
  const group = suiteGroups(root).find((g) => g.name === 'wasm-3.0')!;
  const names = group.files.map((f) => suiteName(root, f));
  const first = ['f32.wast', 'f64.wast'];
  return [...first, ...names.filter((n) => !first.includes(n))];
}

/** Runs a scenario in the page with the bundle as its first argument and fetched files as its third. */
async function inPage(page: Page, scenario: (...a: never[]) => unknown, args: object, urls: string[] = [], module = 'Kasane'): Promise<any> {
  return page.evaluate(`(async () => {
    const fetched = await Promise.all(${JSON.stringify(urls)}.map(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer())));
    return (${scenario.toString()})(globalThis.${module}, ${JSON.stringify(args)}, fetched);
  })()`);
}

/** Drops what legitimately differs between engines (error messages and Wasm stack frames). */
function valuesOnly(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => {
    const e = v as { kind?: string; backtrace?: boolean } | null;
    if (e !== null && typeof e === 'object' && e.kind !== undefined) return [k, { kind: e.kind, backtrace: e.backtrace }];
    return [k, v];
  }));
}

describe('in Chromium', { skip: chromiumMissing, timeout: 180_000 }, () => {
  let bundled: Bundle;
  let server: StaticServer;
  let browser: Browser;
  let kasanePage: Page;
  let nativePage: Page;
  const pageErrors: string[] = [];
  let launched = '';
  let open: (path: string) => Promise<Page>;
  /** The (b) results in the Kasane page, compared with the native page's in (d). */
  const wasiInBrowser = new Map<string, unknown>();

  before(async () => {
    const b = await bundleOnce();
    assert.ok(b, 'esbuild-wasm is needed to bundle for the browser');
    bundled = b;
    const routes = new Map<string, Route>([
      // Native WebAssembly is deleted before anything of Kasane loads (module scripts come later).
      ['/kasane.html', { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script>globalThis.hadWebAssembly = typeof WebAssembly; delete globalThis.WebAssembly;</script>' }],
      ['/native.html', { type: 'text/html', body: '<!doctype html><meta charset="utf-8">' }],
      // Cross-origin isolated: the page gets SharedArrayBuffer, so shared memories are real.
      ['/isolated.html', {
        type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script>delete globalThis.WebAssembly;</script>',
        headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
      }],
    ]);
    for (const [name, code] of bundled.files) routes.set(`/${name}`, { type: 'text/javascript', body: code });
    for (const name of Object.keys(COMMANDS)) routes.set(`/${name}`, { type: 'application/wasm', body: readFileSync(join(fixtures, name)) });
    const suite = suiteRoot();
    if (suite) for (const name of specFiles(suite)) routes.set(`/spec/${name}`, { type: 'text/plain', body: readFileSync(join(suite, name)) });
    server = await serve(routes);

    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found and KASANE_REQUIRE_BROWSER=1 (scripts/install-browser.sh installs it)`);
    const { chromium } = await import('playwright-core');
    const t0 = performance.now();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const launchMs = performance.now() - t0;
    open = async (path: string): Promise<Page> => {
      const page = await browser.newPage();
      page.on('pageerror', (e) => pageErrors.push(`${path}: ${e.message}`));
      await page.goto(server.origin + path);
      await page.evaluate(`import('/kasane.js').then((m) => { globalThis.Kasane = m; })`);
      return page;
    };
    kasanePage = await open('/kasane.html');
    nativePage = await open('/native.html');
    launched = `Chromium ${browser.version()} launched in ${launchMs.toFixed(0)} ms`;
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the page has no native WebAssembly; kasane/polyfill installed Kasane\'s', async (t) => {
    t.diagnostic(launched);
    const state = await kasanePage.evaluate(`({
      before: globalThis.hadWebAssembly,
      installed: globalThis.WebAssembly === globalThis.Kasane.WebAssembly,
      tag: String(WebAssembly),
      native: globalThis.Kasane.hasNativeWebAssembly(),
      nativeChoice: (() => { try { globalThis.Kasane.selectWebAssembly('native'); return 'chosen'; } catch (e) { return e.message; } })(),
    })`);
    assert.deepEqual(state, {
      before: 'object', installed: true, tag: '[object WebAssembly]', native: false,
      nativeChoice: 'the host has no native WebAssembly (use --engine kasane or auto)',
    });
    const other = await nativePage.evaluate(`[globalThis.Kasane.hasNativeWebAssembly(), globalThis.WebAssembly === globalThis.Kasane.WebAssembly]`);
    assert.deepEqual(other, [true, false]);
  });

  test('(a) a module through Kasane\'s WebAssembly namespace: exports, memory, imports, traps with a backtrace', async () => {
    const inBrowser = await inPage(kasanePage, moduleScenario, { engine: 'kasane', wat: DEMO_WAT });
    const inNode = await moduleScenario(Kasane, { engine: 'kasane', wat: DEMO_WAT }) as typeof inBrowser;
    assert.deepEqual(inBrowser, inNode);
    assert.equal(inBrowser.text, 'Kasane 重ね');
    assert.deepEqual(inBrowser.fac, ['2432902008176640000', '7034535277573963776', '3628800']);
    assert.deepEqual(inBrowser.grow, [1, 2, -1, 0, 3 * 65536]);
    assert.equal(inBrowser.nan, '7fa00001');
    assert.deepEqual(inBrowser.unreachable, {
      kind: 'RuntimeError', message: 'unreachable', backtrace: true,
      wasmStack: 'RuntimeError: unreachable\n  wasm backtrace:\n    wasm#0: $inner\n    wasm#1: $outer',
    });
    assert.equal(inBrowser.outOfBounds.kind, 'RuntimeError');
    assert.equal(inBrowser.missingImport.kind, 'LinkError');
  });

  test('(a) signalling NaNs keep their bits through f64.store and i64.reinterpret_f64 in optimized code', async () => {
    assert.equal(await inPage(kasanePage, hotNaNScenario, { iterations: 200_000 }), 0);
  });

  test('(a) streaming compilation from a fetch Response', async () => {
    const imports = await kasanePage.evaluate(`WebAssembly.compileStreaming(fetch('/wasi-fs.wasm'))
      .then((m) => WebAssembly.Module.imports(m).map((i) => i.module + '.' + i.name))`) as string[];
    const node = Kasane.WebAssembly.Module.imports(new Kasane.WebAssembly.Module(readFileSync(join(fixtures, 'wasi-fs.wasm'))));
    assert.deepEqual(imports, node.map((i) => `${i.module}.${i.name}`));
    assert.ok(imports.includes('wasi_snapshot_preview1.path_open'));
  });

  for (const [name, command] of Object.entries(COMMANDS)) {
    test(`(b) WASI preview1: ${name} on the in-memory filesystem, same stdout, stderr, exit code and files as in Node`, { skip: !existsSync(join(fixtures, name)) }, async (t) => {
      const inBrowser = await inPage(kasanePage, wasiScenario, { engine: 'kasane', ...command }, [`/${name}`]);
      const inNode = await wasiScenario(Kasane, { engine: 'kasane', ...command }, [readFileSync(join(fixtures, name))]) as typeof inBrowser;
      t.diagnostic(`${name}: ${inBrowser.ms.toFixed(0)} ms in Chromium, ${inNode.ms.toFixed(0)} ms in Node (Kasane's engine)`);
      for (const r of [inBrowser, inNode]) delete r.ms;
      wasiInBrowser.set(name, inBrowser);
      assert.deepEqual(inBrowser, inNode);
      if (name === 'wasi-fs.wasm') {
        assert.equal(inBrowser.code, 0);
        assert.match(inBrowser.stdout, /^argc 3 \[a\] \[b c\]\nGREETING=hello\n/);
        assert.match(inBrowser.stdout, /ok nanosleep 30 ms\n[\s\S]*stdin \[mem\]\nfailures 0\n$/);
        assert.equal(inBrowser.stderr, 'to stderr\n');
        assert.equal(inBrowser.tree.filter((f: string) => /^dir\/./.test(f)).length, 101, '100 files and renamed.txt');
      } else {
        assert.equal(inBrowser.code, 7);
        assert.match(inBrowser.stdout, /^argc 4\narg 1 \[\/sandbox\]\narg 2 \[7\]\narg 3 \[x y\]\nenv GREETING=hi\n/);
        assert.deepEqual(inBrowser.tree, ['kept/', 'kept/a.txt 2', 'kept/seek.bin 13', 'target.txt 7']);
      }
    });
  }

  test('(c) the spec suite\'s wasm-3.0 group, run by the spec runner in the page: only the known failures, as in Node', { skip: suiteRoot() === undefined && 'spec suite not found' }, async (t) => {
    const root = suiteRoot()!;
    const names = specFiles(root);
    await kasanePage.evaluate(`import('/spec.js').then((m) => { globalThis.KasaneSpec = m; })`);
    const inBrowser = await inPage(kasanePage, specScenario, { names }, names.map((n) => `/spec/${n}`), 'KasaneSpec');
    const files = inBrowser.files as { name: string; scriptError: string | null; passed: number; failed: number; skipped: number; failedLines: number[]; failures: string[] }[];
    const passed = files.reduce((n, f) => n + f.passed, 0);
    t.diagnostic(`${files.length} files, ${passed} commands passed in ${inBrowser.ms.toFixed(0)} ms in Chromium`);
    // The Node exec test runs the same files: here too only the known failures
    // (test/spec/known-exec-failures.txt) may fail.
    const known = knownExecFailures();
    const unexpected = files.flatMap((f) => f.failedLines.filter((l) => !known.has(`${f.name}:${l}`)).map((l) => `${f.name}:${l}`));
    assert.deepEqual(unexpected, [], files.flatMap((f) => f.failures).slice(0, 10).join('\n'));
    assert.deepEqual(files.filter((f) => f.scriptError !== null).map((f) => `${f.name}: ${f.scriptError}`), []);
    // A command that throws is a failure, so with none each file ran to its end.
    assert.equal(files.length, names.length);
    assert.ok(passed > 50_000, `${passed} commands passed`);
  });

  test('(d) the same module on Chromium\'s native WebAssembly: the same values, traps of the same kinds', async () => {
    const native = await inPage(nativePage, moduleScenario, { engine: 'native', wat: DEMO_WAT });
    const kasane = await inPage(kasanePage, moduleScenario, { engine: 'kasane', wat: DEMO_WAT });
    assert.deepEqual(valuesOnly(native), valuesOnly(kasane));
    assert.match(native.unreachable.message, /unreachable/);
  });

  test('(d) WASI commands on Chromium\'s native WebAssembly: the same stdout, stderr and exit code', async () => {
    assert.ok(wasiInBrowser.size > 0, 'the (b) tests ran');
    for (const [name, kasane] of wasiInBrowser) {
      const native = await inPage(nativePage, wasiScenario, { engine: 'native', ...COMMANDS[name as keyof typeof COMMANDS] }, [`/${name}`]);
      delete native.ms;
      assert.deepEqual(native, kasane, name);
    }
  });

  test('shared memories and atomics: ordinary memories on a plain page, SharedArrayBuffers on an isolated one', async () => {
    const isolated = await open('/isolated.html');
    const results = {
      plain: await inPage(kasanePage, sharedMemoryScenario, { engine: 'kasane' }),
      isolated: await inPage(isolated, sharedMemoryScenario, { engine: 'kasane' }),
      node: await sharedMemoryScenario(Kasane, { engine: 'kasane' }),
    };
    const values = { add: [0, 5, 12], cas: [0, 9, 9], grow: [1, -1, 2 * 65536], view: 12 };
    assert.deepEqual(results.plain, { sharedArrayBuffer: false, shared: false, oldLength: 0, ...values });
    // Kasane keeps a shared memory on one growable SharedArrayBuffer that grows in place (shared-memory.ts).
    assert.deepEqual(results.isolated, { sharedArrayBuffer: true, shared: true, oldLength: 2 * 65536, ...values });
    assert.deepEqual(results.node, results.isolated);
    // The WASI layer's sleep cannot block a page's main thread (Atomics.wait throws there): it spins.
    const wasi = await inPage(isolated, wasiScenario, { engine: 'kasane', ...COMMANDS['wasi-fs.wasm'] }, ['/wasi-fs.wasm']);
    assert.equal(wasi.code, 0);
    assert.match(wasi.stdout, /ok nanosleep 30 ms\n[\s\S]*failures 0\n$/);
  });

  test('no uncaught errors in the pages', () => {
    assert.deepEqual(pageErrors, []);
  });
});
