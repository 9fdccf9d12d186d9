// wasi:sockets/ip-name-lookup on the WASI 0.2 host: names checked and normalised as wasmtime does,
// IP literals, a real lookup of `localhost` through Node's resolver on the network thread (from
// /etc/hosts: no query leaves the machine), resolver failures mapped to the WIT's error codes
// (through a host that fails on purpose), and lookups denied without the permission.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { Preview2 } from '../../src/wasi/preview2/host.js';
import { nodeNetHost } from '../../src/host/node-net.js';
import { lookupErrorCode, parseHost } from '../../src/wasi/preview2/ip-name-lookup.js';
import { parseIp, canonicalIp, formatIp } from '../../src/wasi/preview2/ip.js';
import type { SocketHost, SocketPermissions } from '../../src/wasi/preview2/socket-host.js';

type Stream = { resolveNextAddress: () => unknown };
type Lookup = { resolveAddresses: (n: unknown, name: string) => Stream };
const thrown = (f: () => unknown): unknown => { try { f(); } catch (e) { return e; } return 'no error'; };

function lookupApi(net: SocketHost | undefined, permissions?: SocketPermissions): (name: string) => Stream {
  const imports = new Preview2({ net, networkPermissions: permissions }).imports;
  const network = (imports['wasi:sockets/instance-network'] as { instanceNetwork: () => unknown }).instanceNetwork();
  return (name) => (imports['wasi:sockets/ip-name-lookup'] as unknown as Lookup).resolveAddresses(network, name);
}

function all(s: Stream): unknown[] {
  const out: unknown[] = [];
  for (let a = s.resolveNextAddress(); a !== undefined; a = s.resolveNextAddress()) out.push(a);
  return out;
}

test('ip.ts: IPv4 and IPv6 text both ways, IPv4-mapped addresses made canonical', () => {
  assert.deepEqual(parseIp('192.168.0.1'), { tag: 'ipv4', val: [192, 168, 0, 1] });
  assert.deepEqual(parseIp('::1'), { tag: 'ipv6', val: [0, 0, 0, 0, 0, 0, 0, 1] });
  assert.deepEqual(parseIp('[2001:db8::8:1]'), { tag: 'ipv6', val: [0x2001, 0xdb8, 0, 0, 0, 0, 8, 1] });
  assert.deepEqual(parseIp('fe80::1%eth0'), { tag: 'ipv6', val: [0xfe80, 0, 0, 0, 0, 0, 0, 1] });
  assert.deepEqual(canonicalIp(parseIp('::ffff:127.0.0.1')!), { tag: 'ipv4', val: [127, 0, 0, 1] });
  for (const bad of ['1.2.3', '1.2.3.256', '1::2::3', '1:2:3:4:5:6:7:8:9', '::g', '']) assert.equal(parseIp(bad), undefined, bad);
  assert.equal(formatIp({ tag: 'ipv6', val: [0x2001, 0xdb8, 0, 0, 0, 0, 8, 1] }), '2001:db8:0:0:0:0:8:1');
});

test('names: WHATWG host parsing (punycode, numeric IPv4 forms), invalid ones rejected', () => {
  assert.equal(parseHost('Example.COM'), 'example.com');
  assert.equal(parseHost('bücher.example'), 'xn--bcher-kva.example');
  assert.deepEqual(parseHost('127.1'), { tag: 'ipv4', val: [127, 0, 0, 1] });
  assert.deepEqual(parseHost('0x7f.0.0.1'), { tag: 'ipv4', val: [127, 0, 0, 1] });
  assert.deepEqual(parseHost('::1'), { tag: 'ipv6', val: [0, 0, 0, 0, 0, 0, 0, 1] });
  for (const bad of ['', 'a b', 'a/b', 'user@host', 'host:80', '10.1.2.300', 'foo.123', '[::1', 'a%b']) {
    assert.equal(thrown(() => parseHost(bad)), 'invalid-argument', bad);
  }
});

test('localhost through Node\'s resolver; literals resolve to themselves', async () => {
  const resolve = lookupApi(nodeNetHost());
  const expected = (await lookup('localhost', { all: true, verbatim: true })).map((a) => canonicalIp(parseIp(a.address)!));
  assert.ok(expected.length > 0);
  assert.deepEqual(all(resolve('localhost')), expected);
  assert.deepEqual(all(resolve('10.1.2.3')), [{ tag: 'ipv4', val: [10, 1, 2, 3] }]);
  assert.deepEqual(all(resolve('[::1]')), [{ tag: 'ipv6', val: [0, 0, 0, 0, 0, 0, 0, 1] }]);
  assert.equal(thrown(() => resolve('10.1.2.300')), 'invalid-argument');
});

test('resolver failures: the WIT error codes, reported once by resolve-next-address', () => {
  assert.equal(lookupErrorCode('ENOTFOUND'), 'name-unresolvable');
  assert.equal(lookupErrorCode('EAI_AGAIN'), 'temporary-resolver-failure');
  assert.equal(lookupErrorCode('EAI_FAIL'), 'permanent-resolver-failure');
  const failing = { lookup: (name: string) => ({ code: name.startsWith('slow') ? 'EAI_AGAIN' : 'ENOTFOUND' }) } as unknown as SocketHost;
  const resolve = lookupApi(failing);
  const s = resolve('nowhere.test');
  assert.equal(thrown(() => s.resolveNextAddress()), 'name-unresolvable');
  assert.equal(s.resolveNextAddress(), undefined);
  assert.equal(thrown(() => resolve('slow.test').resolveNextAddress()), 'temporary-resolver-failure');
  // A host without a resolver (a browser) knows localhost only.
  const none = lookupApi(undefined);
  assert.deepEqual(all(none('localhost')).length, 2);
  assert.equal(thrown(() => none('example.test').resolveNextAddress()), 'name-unresolvable');
});

test('without allow-ip-name-lookup: permanent-resolver-failure, for any name (as wasmtime)', () => {
  const resolve = lookupApi(nodeNetHost(), { inheritNetwork: true, tcp: true, udp: true, ipNameLookup: false });
  assert.equal(thrown(() => resolve('localhost')), 'permanent-resolver-failure');
  assert.equal(thrown(() => resolve('127.0.0.1')), 'permanent-resolver-failure');
  assert.equal(thrown(() => resolve('a b')), 'permanent-resolver-failure');
});
