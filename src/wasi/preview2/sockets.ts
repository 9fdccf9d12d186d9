// wasi:sockets 0.2 over preview1's socket host layer (src/wasi/sockets.ts; Node's runs the I/O
// on a worker thread): TCP here, UDP in udp.ts, ip-name-lookup in ip-name-lookup.ts, the network
// resource and what it grants in network.ts. TCP connections complete in start-connect
// (finish-connect then returns the streams); reads of a connection never wait and blocking reads
// do (tcp-streams.ts), writes block, pollables ask the host for readiness. Socket options beyond
// what is kept and echoed back are not applied.

import { InputStream, OutputStream, Pollable } from './io.js';
import {
  DISPOSE, HostPollable, Network, errorCode, hostGetter, hostOf, socketAddress, validRemote,
  type Family, type HostSource, type SocketAddress,
} from './network.js';
import { ALL_SOCKET_PERMISSIONS, type SocketHost, type SocketPermissions } from './socket-host.js';
import { TcpInputStream } from './tcp-streams.js';
import { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream } from './udp.js';
import { ResolveAddressStream, resolveAddresses } from './ip-name-lookup.js';

export type { SocketHost, SocketPermissions } from './socket-host.js';
export { Network } from './network.js';

/** wasi:sockets/tcp.tcp-socket */
export class TcpSocket {
  private local?: SocketAddress;
  private remote?: SocketAddress;
  private handle?: number;
  private listening = false;
  private connectError?: string;
  private streamsTaken = false;
  private readonly options: Record<string, unknown> = { keepAliveEnabled: false, keepAliveIdleTime: 7_200_000_000_000n, keepAliveInterval: 75_000_000_000n, keepAliveCount: 9, hopLimit: 64, receiveBufferSize: 65536n, sendBufferSize: 65536n };

  constructor(private readonly host: SocketHost, private readonly family: Family) {}

  private net(): SocketHost { return this.host; }

  startBind(network: Network, local: SocketAddress): void {
    if (this.local !== undefined || this.handle !== undefined) throw 'invalid-state';
    if (local.tag !== this.family) throw 'invalid-argument';
    network.checkAddress();
    // The host binds when the socket listens (the port chosen for 0 is known from then on).
    this.local = local;
  }
  finishBind(): void { if (this.local === undefined) throw 'not-in-progress'; }

  startConnect(network: Network, remote: SocketAddress): void {
    if (this.handle !== undefined || this.listening) throw 'invalid-state';
    if (!validRemote(this.family, remote)) throw 'invalid-argument';
    network.checkAddress();
    this.remote = remote;
    try {
      const from = this.local === undefined ? undefined : { host: hostOf(this.local), port: this.local.val.port };
      const c = this.net().connect(hostOf(remote), remote.val.port, from);
      this.handle = c.handle;
      this.local = socketAddress(this.family, from?.host ?? (this.family === 'ipv4' ? '127.0.0.1' : '::1'), c.port);
      this.learnAddresses();
    } catch (e) {
      this.connectError = errorCode(e);
    }
  }
  finishConnect(): [InputStream, OutputStream] {
    if (this.connectError !== undefined) { const e = this.connectError; this.connectError = undefined; this.remote = undefined; throw e; }
    if (this.handle === undefined || this.streamsTaken) throw 'not-in-progress';
    this.streamsTaken = true;
    return this.streams(this.handle);
  }

  private streams(handle: number): [InputStream, OutputStream] {
    const net = this.net();
    return [
      new TcpInputStream(net, handle),
      new OutputStream({ write: (b: Uint8Array) => { net.send(handle, b, false); } }),
    ];
  }

  startListen(): void {
    // The WIT (0.2): listening needs a bound socket.
    if (this.listening || this.handle !== undefined || this.local === undefined) throw 'invalid-state';
    const local = this.local;
    try {
      const l = this.net().listen(hostOf(local), local.val.port);
      this.handle = l.handle;
      this.local = { tag: local.tag, val: { ...local.val, port: l.port } };
      this.listening = true;
    } catch (e) {
      throw errorCode(e);
    }
  }
  finishListen(): void { if (!this.listening) throw 'not-in-progress'; }

  accept(): [TcpSocket, InputStream, OutputStream] {
    if (!this.listening) throw 'invalid-state';
    let h: number;
    try { h = this.net().accept(this.handle!, true); } catch (e) { throw errorCode(e); }
    const s = new TcpSocket(this.host, this.family);
    s.handle = h;
    s.local = this.local;
    s.learnAddresses();
    s.streamsTaken = true;
    return [s, ...s.streams(h)];
  }

  /** A connection's real ends from the host, when it can tell. */
  private learnAddresses(): void {
    const a = this.host.addresses?.(this.handle!);
    if (a?.local) this.local = socketAddress(this.family, a.local[0], a.local[1]);
    if (a?.remote) this.remote = socketAddress(this.family, a.remote[0], a.remote[1]);
  }

  localAddress(): SocketAddress { if (this.local === undefined) throw 'invalid-state'; return this.local; }
  remoteAddress(): SocketAddress { if (this.remote === undefined || this.handle === undefined) throw 'invalid-state'; return this.remote; }
  isListening(): boolean { return this.listening; }
  addressFamily(): Family { return this.family; }
  setListenBacklogSize(size: bigint): void { if (size === 0n) throw 'invalid-argument'; }

  keepAliveEnabled(): boolean { return this.options.keepAliveEnabled as boolean; }
  setKeepAliveEnabled(v: boolean): void { this.options.keepAliveEnabled = v; }
  keepAliveIdleTime(): bigint { return this.options.keepAliveIdleTime as bigint; }
  setKeepAliveIdleTime(v: bigint): void { if (v <= 0n) throw 'invalid-argument'; this.options.keepAliveIdleTime = v; }
  keepAliveInterval(): bigint { return this.options.keepAliveInterval as bigint; }
  setKeepAliveInterval(v: bigint): void { if (v <= 0n) throw 'invalid-argument'; this.options.keepAliveInterval = v; }
  keepAliveCount(): number { return this.options.keepAliveCount as number; }
  setKeepAliveCount(v: number): void { if (v === 0) throw 'invalid-argument'; this.options.keepAliveCount = v; }
  hopLimit(): number { return this.options.hopLimit as number; }
  setHopLimit(v: number): void { if (v === 0) throw 'invalid-argument'; this.options.hopLimit = v; }
  receiveBufferSize(): bigint { return this.options.receiveBufferSize as bigint; }
  setReceiveBufferSize(v: bigint): void { if (v === 0n) throw 'invalid-argument'; this.options.receiveBufferSize = v; }
  sendBufferSize(): bigint { return this.options.sendBufferSize as bigint; }
  setSendBufferSize(v: bigint): void { if (v === 0n) throw 'invalid-argument'; this.options.sendBufferSize = v; }

  /** Ready when a connection can be accepted (listening), else at once (connects complete in start-connect). */
  subscribe(): Pollable {
    if (!this.listening) return new Pollable();
    return new HostPollable(this.host, this.handle!);
  }

  shutdown(how: string): void {
    if (this.handle === undefined || this.listening) throw 'invalid-state';
    this.net().shutdown(this.handle, how === 'receive' ? 1 : how === 'send' ? 2 : 3);
  }

  [DISPOSE](): void { this.close(); }
  close(): void {
    if (this.handle !== undefined) { try { this.host.close(this.handle); } catch { /* already gone */ } this.handle = undefined; }
  }
}

/** The wasi:sockets imports; without a host, creating a socket fails with not-supported. */
export function socketsImports(source: HostSource, permissions: SocketPermissions = ALL_SOCKET_PERMISSIONS): Record<string, Record<string, unknown>> {
  const network = new Network(permissions);
  const host = hostGetter(source);
  const create = (allowed: boolean, make: (h: SocketHost) => unknown): unknown => {
    if (source === undefined) throw 'not-supported';
    if (!allowed) throw 'access-denied';
    return make(host());
  };
  return {
    'wasi:sockets/network': { Network, networkErrorCode: () => undefined },
    'wasi:sockets/instance-network': { instanceNetwork: () => network },
    'wasi:sockets/tcp': { TcpSocket },
    'wasi:sockets/tcp-create-socket': {
      createTcpSocket: (family: Family) => create(permissions.tcp, (h) => new TcpSocket(h, family)),
    },
    'wasi:sockets/udp': { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    'wasi:sockets/udp-create-socket': {
      createUdpSocket: (family: Family) => create(permissions.udp, (h) => new UdpSocket(h, family)),
    },
    'wasi:sockets/ip-name-lookup': {
      ResolveAddressStream,
      resolveAddresses: (net: Network, name: string) => resolveAddresses(host, net, name),
    },
  };
}
