// wasi:http end to end: a JavaScript handler built with componentize-js (cached under .cache/,
// built here when missing) served by `kasane serve` on loopback on each engine, queried with
// Node's fetch: echoes of method, path, headers and body, a status, a fresh instance per request,
// and an outgoing request from the component to a node:http server in this process.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(root, 'dist/src/cli/main.js');
const builder = join(root, 'test/component/http/build-http.mjs');
let component = '';
let upstream: http.Server;
let upstreamPort = 0;
const seen: string[] = [];

before(async () => {
  const { buildHttpComponent, HTTP_COMPONENT } = await import(pathToFileURL(builder).href) as
    { buildHttpComponent: () => Promise<{ path: string; ms: number }>; HTTP_COMPONENT: string };
  const cached = existsSync(HTTP_COMPONENT);
  const { path, ms } = await buildHttpComponent();
  if (!cached) console.log(`built ${path} with componentize-js in ${(ms / 1000).toFixed(1)} s`);
  component = path;
  upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${req.headers['x-from']} ${req.headers.host} ${body}`);
      res.setHeader('x-upstream', 'yes');
      res.end(`hello from ${req.url}`);
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamPort = (upstream.address() as { port: number }).port;
});

after(() => { upstream?.close(); });

/** Starts `kasane serve` on a free loopback port; resolves with its base URL once it listens. */
function serve(engine: string): Promise<{ url: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--addr', '127.0.0.1:0', '--engine', engine, component], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /Serving HTTP on (http:\/\/\S+)\n/.exec(err);
      if (m) resolve({ url: m[1], child, stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`kasane serve exited with ${code}: ${err}`)));
  });
}

for (const engine of ['native', 'kasane']) {
  test(`kasane serve (${engine}): a componentize-js handler answers real requests`, { timeout: 120_000 }, async () => {
    const t0 = performance.now();
    const { url, child, stderr } = await serve(engine);
    const ready = performance.now() - t0;
    try {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const s = performance.now();
        const r = await fetch(`${url}echo/${i}?q=${i}`, { headers: { 'x-test': `t${i}` } });
        times.push(performance.now() - s);
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('x-kasane'), 'served');
        assert.equal(r.headers.get('x-served'), '1', 'each request runs on a fresh instance');
        assert.equal(await r.text(), `GET /echo/${i}?q=${i} t${i} []`);
      }
      const post = await fetch(`${url}submit`, { method: 'POST', body: 'a'.repeat(100_000) + 'end', headers: { 'x-test': 'p' } });
      assert.equal(await post.text(), `POST /submit p [${'a'.repeat(100_000)}end]`);
      const missing = await fetch(`${url}missing`);
      assert.equal(missing.status, 404);
      await missing.text();
      const s = performance.now();
      const proxied = await fetch(`${url}proxy?url=http://127.0.0.1:${upstreamPort}/up?x=1`);
      const proxyMs = performance.now() - s;
      assert.equal(await proxied.text(), 'upstream 200 yes hello from /up?x=1');
      assert.equal(seen.at(-1), `POST /up?x=1 component 127.0.0.1:${upstreamPort} ping`);
      // A refused connection reaches the handler as an error-code (fetch rejects: a 500); the server goes on.
      const refused = await fetch(`${url}proxy?url=http://127.0.0.1:1/`);
      assert.equal(refused.status, 500);
      await refused.text();
      assert.equal(await (await fetch(`${url}after`)).text(), 'GET /after null []');
      assert.match(stderr(), /NetworkError/);
      console.log(`${engine}: listening after ${ready.toFixed(0)} ms; GETs ${times.map((t) => t.toFixed(0)).join(', ')} ms; proxied request ${proxyMs.toFixed(0)} ms`);
    } catch (e) {
      throw new Error(`${(e as Error).message}\nserver stderr: ${stderr()}`);
    } finally {
      child.kill();
    }
  });
}
