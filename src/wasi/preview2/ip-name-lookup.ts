// wasi:sockets/ip-name-lookup: names are checked and normalised as wasmtime does (the WHATWG
// host parser: IDNA to punycode, IPv4 in its numeric forms; a bare IPv6 literal is accepted too),
// IP literals resolve to themselves, other names go to the host's resolver (Node: dns.lookup on
// the network thread). The lookup runs in resolve-addresses (the guest blocks meanwhile), so the
// stream's pollable is always ready; a resolver failure is the first resolve-next-address's error,
// as the WIT places it.

import { Pollable } from './io.js';
import { canonicalIp, parseIp, parseIpv4, parseIpv6, type IpAddress } from './ip.js';
import type { Network } from './network.js';
import type { LookupResult, SocketHost } from './socket-host.js';

/** wasi:sockets/ip-name-lookup.resolve-address-stream */
export class ResolveAddressStream {
  constructor(private readonly addresses: IpAddress[], private error?: string) {}
  resolveNextAddress(): IpAddress | undefined {
    if (this.error !== undefined) { const e = this.error; this.error = undefined; throw e; }
    return this.addresses.shift();
  }
  subscribe(): Pollable { return new Pollable(); }
}

// WHATWG's forbidden domain code points (C0 controls, space, # % / : < > ? @ [ \ ] ^ | DEL).
const FORBIDDEN = /[\u0000-\u0020#%/:<>?@[\\\]^|\u007f]/;

/** The name as an IP address or a normalised domain; throws invalid-argument. */
export function parseHost(name: string): IpAddress | string {
  const v6 = parseIpv6(name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name);
  if (v6 !== undefined && !name.includes('%')) return { tag: 'ipv6', val: v6 };
  if (name === '' || FORBIDDEN.test(name)) throw 'invalid-argument';
  let host = name.toLowerCase();
  if (typeof URL === 'function') {
    try { host = new URL(`http://${name}/`).hostname; } catch { throw 'invalid-argument'; }
  }
  const v4 = parseIpv4(host);
  if (v4 !== undefined) return { tag: 'ipv4', val: v4 };
  // A name whose last label is numeric is an IPv4 address or nothing (WHATWG's "ends in a number").
  if (/(^|\.)(\d+|0x[0-9a-f]*)\.?$/i.test(host)) throw 'invalid-argument';
  return host;
}

/** The error-code for a resolver failure (Node's codes: getaddrinfo's EAI_* names, ENOTFOUND). */
export function lookupErrorCode(code: string): string {
  switch (code) {
    case 'ENOTFOUND': case 'ENODATA': case 'EAI_NONAME': case 'EAI_NODATA': case 'EAI_ADDRFAMILY': return 'name-unresolvable';
    case 'EAI_AGAIN': case 'ETIMEOUT': case 'ECONNREFUSED': return 'temporary-resolver-failure';
    default: return 'permanent-resolver-failure';
  }
}

const LOOPBACK: IpAddress[] = [{ tag: 'ipv4', val: [127, 0, 0, 1] }, { tag: 'ipv6', val: [0, 0, 0, 0, 0, 0, 0, 1] }];

export function resolveAddresses(host: () => SocketHost, network: Network, name: string): ResolveAddressStream {
  // wasmtime 49 refuses before looking at the name: an invalid one is refused the same way.
  if (!network.permissions.ipNameLookup) throw 'permanent-resolver-failure';
  const parsed = parseHost(name);
  if (typeof parsed !== 'string') return new ResolveAddressStream([parsed]);
  let result: LookupResult | undefined;
  try {
    const h = host();
    if (h.lookup !== undefined) result = h.lookup(parsed);
  } catch (e) {
    if (e !== 'not-supported') throw e;
  }
  // A host without a resolver (a browser) knows only localhost.
  if (result === undefined) return parsed === 'localhost' ? new ResolveAddressStream([...LOOPBACK]) : new ResolveAddressStream([], 'name-unresolvable');
  if ('code' in result) return new ResolveAddressStream([], lookupErrorCode(result.code));
  const addresses = result.addresses.map((a) => parseIp(a)).filter((a): a is IpAddress => a !== undefined).map(canonicalIp);
  return new ResolveAddressStream(addresses);
}
