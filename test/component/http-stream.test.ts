// `kasane serve` streams both bodies: the handler of fixtures/http-echo.component.wasm (built from
// http/stream/stream.wat) answers before reading its request, then echoes each piece of the request
// body as it reads it and ends with the request's trailers. A node:http client on loopback sends a
// piece only after the previous one came back, which can only finish if the server hands the
// handler the request body as it arrives and sends the response body as it is written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(root, 'dist/src/cli/main.js');
const component = join(root, 'test/component/fixtures/http-echo.component.wasm');

function serve(engine: string): Promise<{ port: number; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--addr', '127.0.0.1:0', '--engine', engine, component], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /Serving HTTP on http:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
      if (m) resolve({ port: Number(m[1]), child, stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`kasane serve exited with ${code}: ${err}`)));
  });
}

/** Sends `pieces` one at a time, each once the echo of the previous one has arrived; resolves with what came back. */
function pingPong(port: number, pieces: string[], trailers: Record<string, string>): Promise<{ status: number; echoes: string[]; trailers: NodeJS.Dict<string> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/echo', headers: { 'content-type': 'text/plain', ...(Object.keys(trailers).length > 0 ? { trailer: Object.keys(trailers).join(', ') } : {}) } });
    req.on('error', reject);
    const echoes: string[] = [];
    let next = 0;
    let pending = '';
    const send = (): void => {
      if (next < pieces.length) req.write(pieces[next++]);
      else { req.addTrailers(trailers); req.end(); }
    };
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        // One piece back in full: the next one goes out.
        if (next > 0 && pending.length >= pieces[next - 1].length && echoes.length < next) {
          echoes.push(pending.slice(0, pieces[next - 1].length));
          pending = pending.slice(pieces[next - 1].length);
          send();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, echoes, trailers: res.trailers }));
      res.on('error', reject);
    });
    // The response head comes before any body: the handler answers first.
    req.flushHeaders();
    setImmediate(send);
  });
}

for (const engine of ['native', 'kasane']) {
  test(`kasane serve (${engine}): request and response bodies stream, trailers both ways`, { timeout: 60_000 }, async () => {
    const { port, child, stderr } = await serve(engine);
    try {
      const pieces = ['first piece ', 'x'.repeat(40_000), ' third', ' and the last'];
      const r = await pingPong(port, pieces, { 'x-checksum': 'abc123' });
      assert.equal(r.status, 200);
      assert.deepEqual(r.echoes, pieces);
      assert.equal(r.trailers['x-checksum'], 'abc123');
      // Without trailers the response has none, and the next request gets a fresh instance.
      const again = await pingPong(port, ['again'], {});
      assert.deepEqual(again.echoes, ['again']);
      assert.deepEqual(again.trailers, {});
      assert.equal(stderr().split('\n').filter((l) => l.startsWith('kasane:')).length, 0, stderr());
    } catch (e) {
      throw new Error(`${(e as Error).message}\nserver stderr: ${stderr()}`);
    } finally {
      child.kill();
    }
  });
}
