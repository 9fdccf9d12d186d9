// Name lookups on the I/O thread (node-net-worker.ts): dns.lookup (the system resolver, so
// /etc/hosts counts as it does for every other program), replying with JSON in the data area:
// `{ "addresses": [text, ...] }`, or `{ "code": "ENOTFOUND" }` for the WASI layer to map.

import * as dns from 'node:dns';

type Reply = (errno: number, value?: number, length?: number) => void;

export function lookupOp(name: string, data: Uint8Array, reply: Reply): void {
  dns.lookup(name, { all: true, verbatim: true }, (e, addresses) => {
    const body = Buffer.from(JSON.stringify(e ? { code: e.code ?? 'EAI_FAIL' } : { addresses: addresses.map((a) => a.address) }));
    const n = Math.min(body.length, data.length);
    data.set(body.subarray(0, n));
    reply(0, 0, n);
  });
}
