// HttpProxy from the library, buffered (`handle`): the streaming echo handler of
// fixtures/http-echo.component.wasm on each engine gets a request body in memory and its whole
// response comes back; a component that is not a wasi:http/proxy is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpProxy } from '../../src/wasi/preview2/http-server.js';
import { LinkError } from '../../src/errors.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../../test/component/fixtures');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

for (const engine of ['native', 'kasane'] as const) {
  test(`HttpProxy.handle (${engine}): a request body in, the whole response out`, () => {
    const proxy = new HttpProxy(readFileSync(join(fixtures, 'http-echo.component.wasm')), { engine });
    const big = 'x'.repeat(100_000);
    for (const body of ['hello', big, '']) {
      const r = proxy.handle({ method: 'POST', pathWithQuery: '/e', scheme: 'http', headers: [['content-type', enc('text/plain')]], body: enc(body) });
      assert.equal(r.status, 200);
      assert.equal(new TextDecoder().decode(r.body), body);
    }
  });
}

test('HttpProxy: a component without wasi:http/incoming-handler is refused', () => {
  assert.throws(() => new HttpProxy(readFileSync(join(fixtures, 'hello.component.wasm'))), LinkError);
});
