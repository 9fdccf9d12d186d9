// wasi:sockets/network: the `network` resource (carrying what the component is granted, as
// wasmtime's does), socket addresses, and the mapping of host failures to `error-code`s.

import { ERRNO, WasiError } from '../constants.js';
import { formatIp, parseIp } from './ip.js';
export { HostPollable } from './poll.js';
import type { SocketHost, SocketPermissions } from './socket-host.js';

export type SocketAddress = { tag: 'ipv4' | 'ipv6'; val: { port: number; address: number[]; flowInfo?: number; scopeId?: number } };
export type Family = 'ipv4' | 'ipv6';

/** wasi:sockets/network.network */
export class Network {
  constructor(readonly permissions: SocketPermissions) {}
  /** Throws access-denied unless the component may use addresses. */
  checkAddress(): void { if (!this.permissions.inheritNetwork) throw 'access-denied'; }
}

/** What the component layer calls when the guest drops an own handle (Symbol.dispose, or Node's old name). */
export const DISPOSE: symbol = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for('nodejs.dispose');

/** A host given as itself or made on first use (the CLI starts Node's network thread only when a socket is used). */
export type HostSource = SocketHost | (() => SocketHost) | undefined;

export function hostGetter(source: HostSource): () => SocketHost {
  let host = typeof source === 'function' ? undefined : source;
  return () => {
    if (host === undefined) {
      if (typeof source !== 'function') throw 'not-supported';
      host = source();
    }
    return host;
  };
}

export function errorCode(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof WasiError) {
    switch (e.errno) {
      case ERRNO.CONNREFUSED: return 'connection-refused';
      case ERRNO.CONNRESET: return 'connection-reset';
      case ERRNO.CONNABORTED: return 'connection-aborted';
      case ERRNO.ADDRINUSE: return 'address-in-use';
      case ERRNO.ADDRNOTAVAIL: return 'address-not-bindable';
      case ERRNO.HOSTUNREACH: return 'remote-unreachable';
      case ERRNO.TIMEDOUT: return 'timeout';
      case ERRNO.ACCES: return 'access-denied';
      case ERRNO.AGAIN: return 'would-block';
      case ERRNO.MSGSIZE: return 'datagram-too-large';
      case ERRNO.INVAL: case ERRNO.AFNOSUPPORT: return 'invalid-argument';
    }
  }
  const m = e instanceof Error ? e.message : '';
  if (m.includes('address in use')) return 'address-in-use';
  if (m.includes('address not available')) return 'address-not-bindable';
  if (m.includes('permission denied')) return 'access-denied';
  return 'unknown';
}

export function hostOf(a: SocketAddress): string {
  return formatIp({ tag: a.tag, val: a.val.address });
}

/** A socket address from a host's text address and port, in the given family's form. */
export function socketAddress(family: Family, address: string, port: number): SocketAddress {
  let ip = parseIp(address) ?? { tag: family, val: family === 'ipv4' ? [0, 0, 0, 0] : [0, 0, 0, 0, 0, 0, 0, 0] };
  if (family === 'ipv6' && ip.tag === 'ipv4') ip = { tag: 'ipv6', val: [0, 0, 0, 0, 0, 0xffff, (ip.val[0] << 8) | ip.val[1], (ip.val[2] << 8) | ip.val[3]] };
  return ip.tag === 'ipv4'
    ? { tag: 'ipv4', val: { port, address: ip.val } }
    : { tag: 'ipv6', val: { port, flowInfo: 0, address: ip.val, scopeId: 0 } };
}

export function unspecified(family: Family): SocketAddress {
  return socketAddress(family, family === 'ipv4' ? '0.0.0.0' : '::', 0);
}

/** wasi:sockets' rule for a remote address: the socket's family, not unspecified (0.0.0.0, ::), port not 0. */
export function validRemote(family: Family, a: SocketAddress): boolean {
  return a.tag === family && a.val.port !== 0 && a.val.address.some((x) => x !== 0);
}

export function sameAddress(a: SocketAddress, b: SocketAddress): boolean {
  return a.tag === b.tag && a.val.port === b.val.port && a.val.address.every((x, i) => x === b.val.address[i]);
}
