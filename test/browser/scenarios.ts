// Scenarios that run both in Node (given the kasane module) and in a browser page (given the
// bundle), so that their results can be compared exactly. A scenario is sent to the page as its
// source text (Function.prototype.toString), so it may use only its parameters and standard
// globals: never an import or another binding of this file. Results are plain JSON.

import type * as KasaneModule from '../../src/index.js';
import type { ExecFileResult } from '../spec/exec.js';

export type Kasane = typeof KasaneModule;
export type EngineName = 'kasane' | 'native';

/** A small module: exports of each kind, i64, memory with UTF-8 data, an import, traps with names. */
export const DEMO_WAT = `(module $demo
  (import "env" "log" (func $log (param i32 i64)))
  (memory (export "memory") 1 4)
  (data (i32.const 16) "Kasane \\e9\\87\\8d\\e3\\81\\ad")
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (table (export "table") 2 funcref)
  (elem (i32.const 0) $fac)
  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.le_u (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
  (func (export "report") (param $n i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (call $log (local.get $n) (call $fac (i64.extend_i32_u (local.get $n)))))
  (func (export "sum") (param $p i32) (param $len i32) (result i32) (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $len)))
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $len (i32.sub (local.get $len) (i32.const 1)))
      (br $next)))
    (local.get $s))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "nan") (result i32) (i32.reinterpret_f32 (f32.reinterpret_i32 (i32.const 0x7fa00001))))
  (func $inner (unreachable))
  (func $outer (export "boom") (call $inner)))`;

/** (a) The demo module through a WebAssembly namespace: exports, memory, imports, traps. */
export async function moduleScenario(K: Kasane, args: { engine: EngineName; wat: string }): Promise<object> {
  const ns = K.selectWebAssembly(args.engine);
  const bytes = K.wat2wasm(args.wat);
  const fail = (f: () => unknown): object | null => {
    try { f(); return null; } catch (e) {
      const stack = String((e as Error).stack).split('\n');
      const firstJsFrame = stack.findIndex((l) => /^\s+at /.test(l));
      return {
        kind: e instanceof ns.RuntimeError ? 'RuntimeError' : e instanceof ns.LinkError ? 'LinkError'
          : e instanceof ns.CompileError ? 'CompileError' : e instanceof TypeError ? 'TypeError' : String(e),
        message: (e as Error).message,
        // Kasane's stack starts with the message and the Wasm frames, before any JS frame.
        wasmStack: (firstJsFrame < 0 ? stack : stack.slice(0, firstJsFrame)).join('\n'),
        backtrace: /inner[\s\S]*outer/.test(stack.join('\n')),
      };
    }
  };
  const failAsync = async (p: () => Promise<unknown>): Promise<object | null> => {
    try { await p(); return null; } catch (e) { return fail(() => { throw e; }); }
  };
  const logged: string[] = [];
  const module = await ns.compile(bytes);
  const { exports: x } = await ns.instantiate(module, { env: { log: (n: number, f: bigint) => logged.push(`${n}! = ${f}`) } }) as unknown as {
    exports: Record<string, any>;
  };
  const memory = x.memory as { buffer: ArrayBuffer; grow(n: number): number };
  const before = memory.buffer;
  x.report(5); x.report(20);
  const result = {
    validate: [ns.validate(bytes), ns.validate(bytes.subarray(0, 20))],
    exports: ns.Module.exports(module).map((e: { name: string; kind: string }) => `${e.name}:${e.kind}`),
    imports: ns.Module.imports(module).map((i: { module: string; name: string; kind: string }) => `${i.module}.${i.name}:${i.kind}`),
    fac: [x.fac(20n), x.fac(25n), x.table.get(0)(10n)].map(String),
    logged,
    calls: x.calls.value,
    text: new TextDecoder().decode(new Uint8Array(memory.buffer, 16, 13)),
    sum: x.sum(16, 13),
    div: x.div(-7, 2),
    nan: (x.nan() >>> 0).toString(16),
    grow: [x.grow(1), memory.grow(1), x.grow(2), before.byteLength, memory.buffer.byteLength],
    divByZero: fail(() => x.div(1, 0)),
    overflow: fail(() => x.div(-2147483648, -1)),
    outOfBounds: fail(() => x.load(3 * 65536 - 2)),
    unreachable: fail(() => x.boom()),
    badModule: await failAsync(() => ns.compile(bytes.subarray(0, 20))),
    missingImport: await failAsync(() => ns.instantiate(module, { env: {} })),
  };
  return result;
}

/** (b) A WASI preview1 command (or, with `component`, a WASI 0.2 command component) on the in-memory filesystem; everything it did, as text. */
export async function wasiScenario(K: Kasane, args: { engine: EngineName; argv: string[]; env: Record<string, string>; stdin: string; preopen: string; seed: Record<string, string>; symlinks?: [string, string][]; component?: boolean }, fetched: Uint8Array[]): Promise<object> {
  const fs = new K.MemoryFileSystem(args.seed);
  for (const [target, link] of args.symlinks ?? []) fs.symlink(target, link);
  const stdout = new K.CollectedOutput(), stderr = new K.CollectedOutput();
  const t0 = performance.now();
  const code = await (args.component ? K.runComponent : K.runCommand)(fetched[0], {
    args: args.argv, env: args.env, preopens: { [args.preopen]: fs }, stdin: args.stdin, stdout, stderr, engine: args.engine,
  });
  const ms = performance.now() - t0;
  // The tree the program left behind: files with their size, links with their target.
  const tree: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdir(dir).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = dir === '' ? e.name : `${dir}/${e.name}`;
      // WASI filetypes: 3 directory, 4 regular file, 7 symbolic link.
      if (e.filetype === 3) { tree.push(`${path}/`); walk(path); }
      else tree.push(e.filetype === 7 ? `${path} -> ${fs.readlink(path)}` : `${path} ${fs.readFile(path).length}`);
    }
  };
  walk('');
  return { code, stdout: stdout.text(), stderr: stderr.text(), tree, ms };
}

/** (c) Spec scripts through the spec runner (the page passes the spec bundle as `spec`). */
export function specScenario(spec: { runScript(source: string, name: string): ExecFileResult }, args: { names: string[] }, fetched: Uint8Array[]): object {
  const t0 = performance.now();
  const files = args.names.map((name, i) => {
    const r = spec.runScript(new TextDecoder().decode(fetched[i]), name);
    const count = (s: string): number => r.outcomes.filter((o) => o.status === s).length;
    return {
      name, scriptError: r.scriptError ?? null, passed: count('pass'), failed: count('fail'), skipped: count('skip'),
      failedLines: r.outcomes.filter((o) => o.status === 'fail').map((o) => o.line),
      failures: r.outcomes.filter((o) => o.status === 'fail').slice(0, 5).map((o) => `${o.line}: ${o.command}: ${o.message}`),
    };
  });
  return { files, ms: performance.now() - t0 };
}

/**
 * Signalling NaNs through f64.store and i64.reinterpret_f64 in code hot enough for the JS
 * engine's optimizing tiers (Chromium's Maglev quiets them in DataView.setFloat64): how many
 * iterations lost their bits.
 */
export async function hotNaNScenario(K: Kasane, args: { iterations: number }): Promise<number> {
  const { instance } = await K.WebAssembly.instantiate(K.wat2wasm(`(module (memory 1)
    (func $store (param $a i32) (param $x f64) (f64.store (local.get $a) (local.get $x)))
    (func $bits (param $x f64) (result i64) (i64.reinterpret_f64 (local.get $x)))
    (func (export "run") (param $n i32) (result i32) (local $i i32) (local $bad i32)
      (loop $l
        (call $store (i32.const 0) (f64.convert_i32_s (local.get $i)))
        (call $store (i32.const 8) (f64.reinterpret_i64 (i64.const 0x7ff4000000000001)))
        (drop (call $bits (f64.convert_i32_s (local.get $i))))
        (if (i32.or
              (i64.ne (i64.load (i32.const 8)) (i64.const 0x7ff4000000000001))
              (i64.ne (call $bits (f64.load (i32.const 8))) (i64.const 0x7ff4000000000001)))
          (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (local.get $bad)))`));
  return (instance.exports as { run(n: number): number }).run(args.iterations);
}

/** Shared memory and atomics: what the page's WebAssembly makes of `(memory 1 2 shared)`. */
export async function sharedMemoryScenario(K: Kasane, args: { engine: EngineName }): Promise<object> {
  const ns = K.selectWebAssembly(args.engine);
  const { instance } = await ns.instantiate(K.wat2wasm(`(module (memory (export "m") 1 2 shared)
    (func (export "add") (param i32) (result i32) (i32.atomic.rmw.add (i32.const 0) (local.get 0)))
    (func (export "cas") (param i32 i32) (result i32) (i32.atomic.rmw.cmpxchg (i32.const 4) (local.get 0) (local.get 1)))
    (func (export "grow") (result i32) (memory.grow (i32.const 1))))`)) as unknown as { instance: { exports: Record<string, any> } };
  const x = instance.exports;
  const before = x.m.buffer;
  return {
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    shared: typeof SharedArrayBuffer === 'function' && before instanceof SharedArrayBuffer,
    add: [x.add(5), x.add(7), x.add(0)],
    cas: [x.cas(0, 9), x.cas(0, 1), x.cas(9, 2)],
    grow: [x.grow(), x.grow(), x.m.buffer.byteLength],
    // grow detaches an ordinary memory's old buffer, never a shared one's.
    oldLength: before.byteLength,
    view: new Int32Array(x.m.buffer)[0],
  };
}

/**
 * wasi:http's fetch client on a thread that may block (a worker in the browser, Node's main
 * thread), its requests served by serveFetch on `port`'s other end: what each request gave.
 * `origin` serves http-routes.ts; `closedPort` had a server that is gone.
 */
export async function fetchClientScenario(K: Kasane, args: { origin: string; closedPort: number }, _fetched: Uint8Array[], port: { postMessage(m: unknown): void }): Promise<object> {
  const notes: string[] = [];
  const client = new K.FetchHttpClient(port, { onNote: (m) => notes.push(m) });
  const text = (b: Uint8Array): string => new TextDecoder().decode(b);
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
  const attempt = (f: () => unknown): unknown => {
    try { return f(); } catch (e) {
      if (e instanceof K.HttpRequestError) return { code: e.code.tag, val: e.code.val ?? null };
      return { thrown: String(e) };
    }
  };
  type Req = { method?: string; url: string; headers?: [string, string][]; body?: string; timeouts?: Record<string, number> };
  const send = (r: Req): ReturnType<typeof client.request> => client.request({
    method: r.method ?? 'GET', url: args.origin + r.url, headers: (r.headers ?? []).map(([k, v]) => [k, bytes(v)]),
    body: bytes(r.body ?? ''), timeouts: r.timeouts,
  });
  /** Status, headers of interest and the body, with the sizes of the pieces it came in. */
  const whole = (r: Req): unknown => attempt(() => {
    const res = send(r);
    const pieces: string[] = [];
    const times: number[] = [];
    const t0 = performance.now();
    for (;;) {
      const b = res.read(65536);
      if (b.length === 0) break;
      pieces.push(text(b));
      times.push(performance.now() - t0);
    }
    const h = (n: string): string[] => res.headers.filter(([k]) => k === n).map(([, v]) => text(v));
    return { status: res.status, upstream: h('x-upstream'), multi: h('x-multi'), encoding: h('content-encoding'), body: pieces.join(''), pieces: pieces.length, firstPieceEarly: times.length > 1 && times[0] < times[times.length - 1] - 100 };
  });
  const timed = (f: () => unknown): { result: unknown; ms: number } => {
    const t0 = performance.now();
    const result = attempt(f);
    return { result, ms: Math.round(performance.now() - t0) };
  };
  const get = whole({ url: '/echo?q=1', headers: [['x-test', 'a'], ['Host', 'evil.example'], ['cookie', 'c=1'], ['sec-fetch-x', '1']] });
  const post = whole({ method: 'POST', url: '/echo', headers: [['x-test', 'p'], ['content-length', '4']], body: 'ping' });
  const status = whole({ method: 'PUT', url: '/echo?status=418', body: 'tea' });
  const drip = whole({ url: '/drip?n=4&gap=150' });
  const gzip = whole({ url: '/gzip' });
  const refused = attempt(() => client.request({ method: 'GET', url: `http://127.0.0.1:${args.closedPort}/`, headers: [], body: new Uint8Array(0) }));
  const dns = attempt(() => client.request({ method: 'GET', url: 'http://no-such-host.invalid/', headers: [], body: new Uint8Array(0) }));
  const connectMethod = attempt(() => send({ method: 'CONNECT', url: '/echo' }));
  const getWithBody = attempt(() => send({ url: '/echo', body: 'x' }));
  const badScheme = attempt(() => client.request({ method: 'GET', url: 'ftp://127.0.0.1/', headers: [], body: new Uint8Array(0) }));
  const firstByte = timed(() => send({ url: '/hang', timeouts: { firstByteMs: 300 } }));
  const connect = timed(() => send({ url: '/hang', timeouts: { connectMs: 300 } }));
  const between = (() => {
    const res = send({ url: '/stall', timeouts: { betweenBytesMs: 300 } });
    const first = text(res.read(100));
    const t0 = performance.now();
    const second = attempt(() => res.read(100));
    return { first, second, ms: Math.round(performance.now() - t0), after: attempt(() => res.read(100).length) };
  })();
  const cut = (() => {
    const res = send({ url: '/cut' });
    const first = text(res.read(100));
    return { first, second: attempt(() => res.read(100)) };
  })();
  // Closing a body half read lets the agent drop it; the next request works.
  const closed = (() => {
    const res = send({ url: '/drip?n=3&gap=50' });
    const first = text(res.read(100));
    res.close();
    return { first, after: res.read(100).length };
  })();
  const again = whole({ url: '/echo?again' });
  return { get, post, status, drip, gzip, refused, dns, connectMethod, getWithBody, badScheme, firstByte, connect, between, cut, closed, again, notes };
}

/**
 * A wasi:http/proxy component (test/component/http/handler.js, componentize-js) whose handler
 * makes an outgoing request through the fetch client: GET /proxy?url=U on fresh instances.
 */
export async function httpComponentScenario(K: Kasane, args: { origin: string; closedPort: number; engine: EngineName }, fetched: Uint8Array[], port: { postMessage(m: unknown): void }): Promise<object> {
  const notes: string[] = [];
  const t0 = performance.now();
  const proxy = new K.HttpProxy(fetched[0], { http: new K.FetchHttpClient(port, { onNote: (m) => notes.push(m) }), engine: args.engine });
  const ready = performance.now() - t0;
  const call = (path: string): { status: number; body: string } => {
    const r = proxy.handle({ method: 'GET', pathWithQuery: path, scheme: 'http', authority: 'component', headers: [], body: new Uint8Array(0) });
    return { status: r.status, body: new TextDecoder().decode(r.body) };
  };
  const t1 = performance.now();
  const proxied = call(`/proxy?url=${encodeURIComponent(args.origin + '/echo?from=component')}`);
  const first = performance.now() - t1;
  const refused = call(`/proxy?url=${encodeURIComponent(`http://127.0.0.1:${args.closedPort}/`)}`);
  const echo = call('/plain?x=1');
  return { proxied, refused: refused.status, echo, notes, ms: { ready: Math.round(ready), first: Math.round(first) } };
}

/** wasi:sockets where there are none: what create-tcp-socket gives the component test/browser/wat/sockets.wat (its error-code's index + 1, 0 for a socket). */
export function socketsScenario(K: Kasane, args: { engine: EngineName }, fetched: Uint8Array[]): number {
  const { exports } = K.instantiateComponent(fetched[0], new K.Preview2({}).imports, { engine: args.engine });
  return (exports as { tryTcp(): number }).tryTcp();
}

/** What a FetchHttpClient made on this thread says (the page's main thread cannot block; without cross-origin isolation there is no SharedArrayBuffer). */
export function fetchClientErrorScenario(K: Kasane): string {
  try { new K.FetchHttpClient({ postMessage() {} }); return 'made'; } catch (e) { return (e as Error).message; }
}

/** Cross-origin requests through the fetch client (browsers only): CORS decides what a guest gets. */
export async function corsScenario(K: Kasane, args: { crossOrigin: string }, _fetched: Uint8Array[], port: { postMessage(m: unknown): void }): Promise<object> {
  const client = new K.FetchHttpClient(port, { onNote: () => {} });
  const get = (path: string, headers: [string, string][] = []): object => {
    try {
      const r = client.request({ method: 'GET', url: args.crossOrigin + path, headers: headers.map(([k, v]) => [k, new TextEncoder().encode(v)]), body: new Uint8Array(0) });
      let body = '';
      for (let b = r.read(65536); b.length > 0; b = r.read(65536)) body += new TextDecoder().decode(b);
      return { status: r.status, headers: r.headers.map(([k]) => k).sort(), body };
    } catch (e) {
      return e instanceof K.HttpRequestError ? { code: e.code.tag, mentionsCors: /CORS/.test(e.message) } : { thrown: String(e) };
    }
  };
  return { simple: get('/echo?cors'), preflighted: get('/echo?preflight', [['x-test', '1']]), noCors: get('/kasane.js') };
}
