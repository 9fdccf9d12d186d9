// Self-hosting: Kasane's built JavaScript (bench/lib/kasane-bundle.ts) evaluated inside QuickJS,
// whose .wasm runs on the current globalThis.WebAssembly (Kasane's engine through the polyfill,
// or the host's). Inside, Kasane runs Wasm programs with in-memory stdio and files:
//   level 1: a .wat `add` function (text parser, validator, engine all inside QuickJS);
//   level 2: examples/hello.wat as a WASI command (Kasane's WASI inside QuickJS);
//   level 3 (optional): wabt's wasm-interp (nested/build.sh) running a WASI hello: an interpreter
//            compiled to Wasm, on Kasane, in QuickJS, on Kasane.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleKasaneCached } from './kasane-bundle.js';
import { QUICKJS_PRELUDE, evalForResult, loadQuickJS } from './quickjs.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export interface SelfHostOptions {
  /** wasm-interp.wasm and a WASI program for it to run (level 3); omitted: levels 1 and 2 only. */
  readonly interp?: { interpreter: Uint8Array; program: Uint8Array; args: string[] };
}

export interface SelfHostResult {
  add: number;
  helloExit: number;
  helloStdout: string;
  interpExit?: number;
  interpStdout?: string;
  /** Milliseconds inside QuickJS for each step, and for loading the bundle. */
  ms: Record<string, number>;
}

const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

// Runs inside QuickJS: Kasane is globalThis.Kasane; inputs arrive as base64 strings.
const SCRIPT = String.raw`
function fromBase64(s) {
  var abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', map = {};
  for (var i = 0; i < 64; i++) map[abc[i]] = i;
  var clean = s.replace(/=+$/, ''), out = new Uint8Array(Math.floor(clean.length * 3 / 4)), o = 0, acc = 0, bits = 0;
  for (var j = 0; j < clean.length; j++) {
    acc = (acc << 6) | map[clean[j]]; bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 255; }
  }
  return out;
}
(async function () {
  var K = globalThis.Kasane, ms = {}, t = Date.now(), r = { ms: ms };
  var add = K.wat2wasm('(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))');
  var inst = (await K.WebAssembly.instantiate(add)).instance;
  r.add = inst.exports.add(2, 40);
  ms.add = Date.now() - t; t = Date.now();
  var out = new K.CollectedOutput();
  r.helloExit = await K.runCommand(K.wat2wasm(INPUT.helloWat), { args: ['hello', 'from', 'QuickJS'], stdout: out, engine: 'kasane' });
  r.helloStdout = out.text();
  ms.hello = Date.now() - t; t = Date.now();
  if (INPUT.interp) {
    var out2 = new K.CollectedOutput();
    r.interpExit = await K.runCommand(fromBase64(INPUT.interp), {
      args: ['wasm-interp', '--wasi', '/w/program.wasm', '--'].concat(INPUT.args),
      preopens: { '/w': { 'program.wasm': fromBase64(INPUT.program) } },
      stdout: out2, engine: 'kasane' });
    r.interpStdout = out2.text();
    ms.interp = Date.now() - t;
  }
  globalThis.__result = r;
})().catch(function (e) { globalThis.__result = { error: String(e && e.stack || e) }; });
`;

/** Runs the self-hosting steps; throws when anything inside failed. */
export async function selfHost(options: SelfHostOptions = {}): Promise<SelfHostResult> {
  const QuickJS = await loadQuickJS();
  const vm = QuickJS.newContext();
  // Kasane's compiled functions recurse in QuickJS's C stack; the default limit is too small
  // for the engine's own code paths (parser, validator).
  vm.runtime.setMaxStackSize(0);
  try {
    evalForResult(vm, QUICKJS_PRELUDE, 'prelude.js');
    const bundle = bundleKasaneCached(`${root}dist/src`, `${root}.cache/nested/kasane-bundle.js`);
    const t0 = Date.now();
    evalForResult(vm, bundle, 'kasane.js');
    const bundleMs = Date.now() - t0;
    const input = {
      helloWat: readFileSync(`${root}examples/hello.wat`, 'utf8'),
      interp: options.interp ? base64(options.interp.interpreter) : undefined,
      program: options.interp ? base64(options.interp.program) : undefined,
      args: options.interp?.args ?? [],
    };
    const result = evalForResult(vm, `var INPUT = ${JSON.stringify(input)};\n${SCRIPT}`, 'self-host.js') as SelfHostResult & { error?: string };
    if (result === undefined) throw new Error('the self-hosting script did not finish (a promise never settled)');
    if (result.error) throw new Error(`inside QuickJS: ${result.error}`);
    result.ms.bundle = bundleMs;
    return result;
  } finally {
    // Not vm.dispose(): QuickJS's release build aborts in JS_FreeRuntime when objects are still
    // listed (Kasane's caches and closures stay reachable from the global object). The context
    // lives until the process ends; callers run this once per process.
  }
}
