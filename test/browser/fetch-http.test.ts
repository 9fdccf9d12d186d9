// The fetch-based wasi:http client (src/wasi/preview2/fetch-client.ts, fetch-agent.ts) under Node,
// where fetch, MessageChannel and Atomics.wait on the main thread are all there: the guest side
// blocks here while a worker (fetch-agent-worker.ts) runs serveFetch and the test endpoints. The
// same scenario runs in Chromium (browser.test.ts), with the guest in a Web Worker.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import * as Kasane from '../../src/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fetchClientScenario, httpComponentScenario } from './scenarios.js';
import { repoRoot } from './bundle.js';
import { fetchPolicyChecks } from './fetch-expect.js';

let worker: Worker;
let origin = '';
let closedPort = 0;
let port: InstanceType<typeof MessageChannel>["port1"];

function next<T>(): Promise<T> {
  return new Promise((ok) => worker.once('message', ok));
}

before(async () => {
  const channel = new MessageChannel();
  port = channel.port1;
  worker = new Worker(new URL('./fetch-agent-worker.js', import.meta.url), { workerData: { port: channel.port2 }, transferList: [channel.port2 as never] });
  ({ origin, closedPort } = await next<{ origin: string; closedPort: number }>());
});

after(async () => {
  worker.postMessage({ op: 'stop' });
  port.close();
  await worker.terminate();
});

test('fetch client: methods, headers, bodies in pieces, error-codes and timeouts, as wasi:http needs them', async () => {
  const r = await fetchClientScenario(Kasane, { origin, closedPort }, [], port) as Record<string, any>;
  fetchPolicyChecks(r, 'node');
  worker.postMessage({ op: 'seen' });
  const { seen } = await next<{ seen: string[] }>();
  const host = new URL(origin).host;
  // Forbidden headers never left: the server saw fetch's own Host and no cookie.
  assert.ok(seen.includes(`GET /echo?q=1 x-test=a cookie=undefined host=${host} `), seen.join('\n'));
  assert.ok(seen.includes(`POST /echo x-test=p cookie=undefined host=${host} ping`));
});

test('a componentize-js wasi:http/proxy component makes its outgoing request through the fetch client', { timeout: 180_000 }, async () => {
  const { buildHttpComponent } = await import(pathToFileURL(join(repoRoot, 'test/component/http/build-http.mjs')).href) as
    { buildHttpComponent: () => Promise<{ path: string }> };
  const bytes = readFileSync((await buildHttpComponent()).path);
  const r = await httpComponentScenario(Kasane, { origin, closedPort, engine: 'native' }, [bytes], port) as Record<string, any>;
  assert.deepEqual(r.proxied, { status: 200, body: 'upstream 200 yes POST /echo?from=component x-test=undefined [ping]' });
  assert.equal(r.refused, 500);
  assert.deepEqual(r.echo, { status: 200, body: 'GET /plain?x=1 null []' });
  worker.postMessage({ op: 'seen' });
  const { seen } = await next<{ seen: string[] }>();
  assert.equal(seen.at(-1), `POST /echo?from=component x-test=undefined cookie=undefined host=${new URL(origin).host} ping`);
});

test('fetch client: a port nobody serves gives internal-error naming the missing agent, after agentTimeoutMs', () => {
  const lonely = new MessageChannel();
  const client = new Kasane.FetchHttpClient(lonely.port1, { agentTimeoutMs: 300 });
  const t0 = performance.now();
  assert.throws(() => client.request({ method: 'GET', url: `${origin}/echo`, headers: [], body: new Uint8Array(0) }), (e: unknown) => {
    assert.ok(e instanceof Kasane.HttpRequestError);
    assert.deepEqual(e.code, { tag: 'internal-error', val: 'no fetch agent' });
    assert.match(e.message, /^no fetch agent received the request in 300 ms: call serveFetch/);
    return true;
  });
  assert.ok(performance.now() - t0 >= 295);
  lonely.port1.close();
});

// Last: it stops the agent.
test('fetch client: aborting the agent\'s signal ends a waiting request with connection-terminated, and later ones', () => {
  worker.postMessage({ op: 'abort-later', ms: 200 });
  const client = new Kasane.FetchHttpClient(port);
  const codes: string[] = [];
  for (let i = 0; i < 2; i++) {
    try { client.request({ method: 'GET', url: `${origin}/hang`, headers: [], body: new Uint8Array(0) }); codes.push('answered'); } catch (e) {
      assert.ok(e instanceof Kasane.HttpRequestError);
      codes.push(`${e.code.tag}: ${e.message}`);
    }
  }
  assert.match(codes[0], /^connection-terminated: the request to .*\/hang was aborted/);
  assert.equal(codes[1], 'connection-terminated: the fetch agent has stopped');
});
