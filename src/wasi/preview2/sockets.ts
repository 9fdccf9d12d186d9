// wasi:sockets 0.2 (TCP and ip-name-lookup for IP literals and localhost) over preview1's socket
// host layer (src/wasi/sockets.ts; Node's runs the I/O on a worker thread). Connections complete
// in start-connect (finish-connect then returns the streams), streams read and write blocking,
// pollables ask the host for readiness. Not yet: UDP, IPv6 literals other than ::1, socket options
// beyond what is kept and echoed back.

import { ERRNO, WasiError } from '../constants.js';
import type { NetHost } from '../sockets.js';
import { ConditionPollable, InputStream, OutputStream, Pollable } from './io.js';

/** What wasi:sockets needs from a host beyond preview1's NetHost: opening sockets. */
export interface SocketHost extends NetHost {
  /** Listens on host:port (0: any); returns the handle and bound port; throws an Error. */
  listen(host: string, port: number): { handle: number; port: number };
  /** Connects; returns the handle and local port; throws WasiError. */
  connect(host: string, port: number): { handle: number; port: number };
}

type IpAddress = { tag: 'ipv4'; val: number[] } | { tag: 'ipv6'; val: number[] };
type SocketAddress = { tag: 'ipv4' | 'ipv6'; val: { port: number; address: number[]; flowInfo?: number; scopeId?: number } };

export class Network {}

/** What the component layer calls when the guest drops an own handle (Symbol.dispose, or Node's old name). */
const DISPOSE: symbol = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for('nodejs.dispose');

function errorCode(e: unknown): string {
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
    }
  }
  const m = e instanceof Error ? e.message : '';
  if (m.includes('address in use')) return 'address-in-use';
  if (m.includes('address not available')) return 'address-not-bindable';
  return 'unknown';
}

function hostOf(a: SocketAddress): string {
  return a.tag === 'ipv4' ? a.val.address.join('.') : a.val.address.map((x) => x.toString(16)).join(':');
}

/** wasi:sockets/tcp.tcp-socket */
export class TcpSocket {
  private local?: SocketAddress;
  private remote?: SocketAddress;
  private handle?: number;
  private listening = false;
  private connectError?: string;
  private streamsTaken = false;
  private readonly options: Record<string, unknown> = { keepAliveEnabled: false, keepAliveIdleTime: 7_200_000_000_000n, keepAliveInterval: 75_000_000_000n, keepAliveCount: 9, hopLimit: 64, receiveBufferSize: 65536n, sendBufferSize: 65536n };

  constructor(private readonly host: SocketHost | undefined, private readonly family: 'ipv4' | 'ipv6') {}

  private net(): SocketHost {
    if (this.host === undefined) throw 'not-supported';
    return this.host;
  }

  startBind(_network: Network, local: SocketAddress): void {
    if (this.local !== undefined || this.handle !== undefined) throw 'invalid-state';
    if (local.tag !== this.family) throw 'invalid-argument';
    this.local = local;
  }
  finishBind(): void { if (this.local === undefined) throw 'not-in-progress'; }

  startConnect(_network: Network, remote: SocketAddress): void {
    if (this.handle !== undefined || this.listening) throw 'invalid-state';
    if (remote.tag !== this.family || remote.val.port === 0) throw 'invalid-argument';
    this.remote = remote;
    try {
      const c = this.net().connect(hostOf(remote), remote.val.port);
      this.handle = c.handle;
      this.local = { tag: this.family, val: { ...(this.family === 'ipv4' ? { address: [127, 0, 0, 1] } : { address: [0, 0, 0, 0, 0, 0, 0, 1], flowInfo: 0, scopeId: 0 }), port: c.port } };
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
      new InputStream({ read: (max: number) => net.recv(handle, max, false, false) }),
      new OutputStream({ write: (b: Uint8Array) => { net.send(handle, b, false); } }),
    ];
  }

  startListen(): void {
    if (this.listening || this.handle !== undefined) throw 'invalid-state';
    const local = this.local ?? { tag: this.family, val: { port: 0, address: this.family === 'ipv4' ? [0, 0, 0, 0] : [0, 0, 0, 0, 0, 0, 0, 0] } } as SocketAddress;
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
    s.streamsTaken = true;
    return [s, ...s.streams(h)];
  }

  localAddress(): SocketAddress { if (this.local === undefined) throw 'invalid-state'; return this.local; }
  remoteAddress(): SocketAddress { if (this.remote === undefined || this.handle === undefined) throw 'invalid-state'; return this.remote; }
  isListening(): boolean { return this.listening; }
  addressFamily(): string { return this.family; }
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
    if (!this.listening || this.host === undefined) return new Pollable();
    const host = this.host, handle = this.handle!;
    return new ConditionPollable(() => host.poll([{ handle, write: false }], 0).length > 0);
  }

  shutdown(how: string): void {
    if (this.handle === undefined || this.listening) throw 'invalid-state';
    this.net().shutdown(this.handle, how === 'receive' ? 1 : how === 'send' ? 2 : 3);
  }

  [DISPOSE](): void { this.close(); }
  close(): void {
    if (this.handle !== undefined) { try { this.host?.close(this.handle); } catch { /* already gone */ } this.handle = undefined; }
  }
}

/** wasi:sockets/ip-name-lookup.resolve-address-stream: IP literals and `localhost` only. */
export class ResolveAddressStream {
  constructor(private readonly addresses: IpAddress[]) {}
  resolveNextAddress(): IpAddress | undefined { return this.addresses.shift(); }
  subscribe(): Pollable { return new Pollable(); }
}

function resolve(name: string): IpAddress[] {
  if (name === 'localhost') return [{ tag: 'ipv4', val: [127, 0, 0, 1] }, { tag: 'ipv6', val: [0, 0, 0, 0, 0, 0, 0, 1] }];
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  if (v4 !== null && v4.slice(1).every((x) => Number(x) <= 255)) return [{ tag: 'ipv4', val: v4.slice(1).map(Number) }];
  if (name === '::1' || name === '[::1]') return [{ tag: 'ipv6', val: [0, 0, 0, 0, 0, 0, 0, 1] }];
  throw 'name-unresolvable';
}

/** The wasi:sockets imports (TCP, ip-name-lookup); without a host, creating a socket fails with not-supported. */
export function socketsImports(host: SocketHost | undefined): Record<string, Record<string, unknown>> {
  const network = new Network();
  return {
    'wasi:sockets/network': { Network, networkErrorCode: () => undefined },
    'wasi:sockets/instance-network': { instanceNetwork: () => network },
    'wasi:sockets/tcp': { TcpSocket },
    'wasi:sockets/tcp-create-socket': {
      createTcpSocket: (family: 'ipv4' | 'ipv6') => {
        if (host === undefined) throw 'not-supported';
        return new TcpSocket(host, family);
      },
    },
    'wasi:sockets/ip-name-lookup': {
      ResolveAddressStream,
      resolveAddresses: (_network: Network, name: string) => new ResolveAddressStream(resolve(name)),
    },
  };
}
