// wasi:sockets/udp and udp-create-socket over a SocketHost (Node: node:dgram on the network
// thread). The rules follow the WIT and wasmtime: `stream` needs a bound socket and streams of an
// earlier call dropped (else a trap), receives never wait (poll the incoming stream's pollable),
// each `send` must be permitted by `check-send` (else a trap).

import { RuntimeError } from '../../errors.js';
import { Pollable } from './io.js';
import {
  DISPOSE, HostPollable, Network, errorCode, hostOf, sameAddress, socketAddress, validRemote,
  type Family, type SocketAddress,
} from './network.js';
import type { SocketHost } from './socket-host.js';

/** The largest UDP payload (IPv4: 65535 - 8 - 20). */
const MAX_DATAGRAM = 65507;
/** Datagrams check-send allows at once (wasmtime's figure). */
const PERMIT = 16;

type UdpHost = Required<Pick<SocketHost, 'udpBind' | 'udpConnect' | 'udpReceive' | 'udpSend' | 'udpOption' | 'close'>> & SocketHost;

function udpHost(host: SocketHost): UdpHost {
  if (host.udpBind === undefined || host.udpConnect === undefined || host.udpReceive === undefined || host.udpSend === undefined || host.udpOption === undefined) throw 'not-supported';
  return host as UdpHost;
}

export interface IncomingDatagram { data: Uint8Array; remoteAddress: SocketAddress }
export interface OutgoingDatagram { data: Uint8Array; remoteAddress?: SocketAddress }

/** wasi:sockets/udp.udp-socket */
export class UdpSocket {
  private handle?: number;
  private state: 'unbound' | 'bind-started' | 'bound' = 'unbound';
  private local?: SocketAddress;
  private remote?: SocketAddress;
  private network?: Network;
  private openStreams = 0;
  private hopLimit = 64;
  private receiveBuffer?: bigint;
  private sendBuffer?: bigint;

  constructor(private readonly host: SocketHost, private readonly family: Family) {}

  startBind(network: Network, local: SocketAddress): void {
    if (this.state === 'bind-started') throw 'concurrency-conflict';
    if (this.state === 'bound') throw 'invalid-state';
    if (local.tag !== this.family) throw 'invalid-argument';
    network.checkAddress();
    const host = udpHost(this.host);
    try {
      const b = host.udpBind(hostOf(local), local.val.port, this.family === 'ipv6');
      this.handle = b.handle;
      this.local = { tag: local.tag, val: { ...local.val, port: b.port } };
    } catch (e) {
      throw errorCode(e);
    }
    this.network = network;
    this.state = 'bind-started';
    // Options set before binding take effect now.
    if (this.hopLimit !== 64) host.udpOption(this.handle, 'ttl', this.hopLimit);
    if (this.receiveBuffer !== undefined) this.setReceiveBufferSize(this.receiveBuffer);
    if (this.sendBuffer !== undefined) this.setSendBufferSize(this.sendBuffer);
  }
  finishBind(): void {
    if (this.state !== 'bind-started') throw 'not-in-progress';
    this.state = 'bound';
  }

  stream(remote: SocketAddress | undefined): [IncomingDatagramStream, OutgoingDatagramStream] {
    if (this.openStreams > 0) throw new RuntimeError('UDP streams not dropped yet');
    if (this.state !== 'bound') throw 'invalid-state';
    const host = udpHost(this.host);
    if (this.remote !== undefined) {
      try { host.udpConnect(this.handle!, undefined); } catch (e) { throw errorCode(e); }
      this.remote = undefined;
    }
    if (remote !== undefined) {
      if (!validRemote(this.family, remote)) throw 'invalid-argument';
      this.network!.checkAddress();
      try { host.udpConnect(this.handle!, { host: hostOf(remote), port: remote.val.port }); } catch (e) { throw errorCode(e); }
      this.remote = remote;
    }
    this.openStreams = 2;
    const dropped = (): void => { this.openStreams--; };
    return [
      new IncomingDatagramStream(host, this.handle!, this.family, dropped),
      new OutgoingDatagramStream(host, this.handle!, this.family, this.remote, this.network!, dropped),
    ];
  }

  localAddress(): SocketAddress {
    if (this.state === 'bind-started') throw 'concurrency-conflict';
    if (this.local === undefined) throw 'invalid-state';
    return this.local;
  }
  remoteAddress(): SocketAddress { if (this.remote === undefined) throw 'invalid-state'; return this.remote; }
  addressFamily(): Family { return this.family; }

  unicastHopLimit(): number { return this.hopLimit; }
  setUnicastHopLimit(v: number): void {
    if (v === 0) throw 'invalid-argument';
    if (this.handle !== undefined) { try { udpHost(this.host).udpOption(this.handle, 'ttl', v); } catch (e) { throw errorCode(e); } }
    this.hopLimit = v;
  }
  receiveBufferSize(): bigint { return this.bufferSize('receive-buffer', this.receiveBuffer); }
  setReceiveBufferSize(v: bigint): void { this.receiveBuffer = this.setBufferSize('receive-buffer', v); }
  sendBufferSize(): bigint { return this.bufferSize('send-buffer', this.sendBuffer); }
  setSendBufferSize(v: bigint): void { this.sendBuffer = this.setBufferSize('send-buffer', v); }

  private bufferSize(name: 'receive-buffer' | 'send-buffer', kept: bigint | undefined): bigint {
    if (this.handle === undefined) return kept ?? 65536n;
    try { return BigInt(udpHost(this.host).udpOption(this.handle, name, -1)); } catch (e) { throw errorCode(e); }
  }
  private setBufferSize(name: 'receive-buffer' | 'send-buffer', v: bigint): bigint {
    if (v === 0n) throw 'invalid-argument';
    // As wasmtime: a value beyond what the system takes is clamped, not an error.
    const n = v > 0x7fffffffn ? 0x7fffffff : Number(v);
    if (this.handle !== undefined) { try { udpHost(this.host).udpOption(this.handle, name, n); } catch (e) { throw errorCode(e); } }
    return BigInt(n);
  }

  /** Always ready: binding completes in start-bind. */
  subscribe(): Pollable { return new Pollable(); }

  [DISPOSE](): void { this.close(); }
  close(): void {
    if (this.handle !== undefined) { try { this.host.close(this.handle); } catch { /* already gone */ } this.handle = undefined; }
  }
}

/** wasi:sockets/udp.incoming-datagram-stream */
export class IncomingDatagramStream {
  constructor(private readonly host: UdpHost, private readonly handle: number, private readonly family: Family, private readonly dropped: () => void) {}

  /** Up to maxResults datagrams that have arrived (none: an empty list, never a wait). */
  receive(maxResults: bigint): IncomingDatagram[] {
    if (maxResults === 0n) return [];
    try {
      return this.host.udpReceive(this.handle, maxResults > 1024n ? 1024 : Number(maxResults))
        .map((d) => ({ data: d.data, remoteAddress: socketAddress(this.family, d.address, d.port) }));
    } catch (e) {
      throw errorCode(e);
    }
  }
  subscribe(): Pollable { return new HostPollable(this.host, this.handle); }
  [DISPOSE](): void { this.dropped(); }
}

/** wasi:sockets/udp.outgoing-datagram-stream */
export class OutgoingDatagramStream {
  private permitted = 0;
  constructor(
    private readonly host: UdpHost, private readonly handle: number, private readonly family: Family,
    private readonly remote: SocketAddress | undefined, private readonly network: Network, private readonly dropped: () => void,
  ) {}

  checkSend(): bigint {
    if (this.permitted === 0) this.permitted = PERMIT;
    return BigInt(this.permitted);
  }

  send(datagrams: OutgoingDatagram[]): bigint {
    if (this.permitted === 0) throw new RuntimeError('unpermitted: must call check-send first');
    if (datagrams.length > this.permitted) throw new RuntimeError('unpermitted: argument exceeds permitted size');
    this.permitted = 0;
    let sent = 0n;
    for (const d of datagrams) {
      try {
        this.sendOne(d);
      } catch (e) {
        // The WIT: once a datagram has gone, send reports how many instead of an error.
        if (sent > 0n) return sent;
        throw errorCode(e);
      }
      sent++;
    }
    return sent;
  }

  private sendOne(d: OutgoingDatagram): void {
    if (d.data.length > MAX_DATAGRAM) throw 'datagram-too-large';
    let to: SocketAddress;
    if (this.remote === undefined) {
      if (d.remoteAddress === undefined) throw 'invalid-argument';
      this.network.checkAddress();
      to = d.remoteAddress;
    } else {
      if (d.remoteAddress !== undefined && !sameAddress(d.remoteAddress, this.remote)) throw 'invalid-argument';
      to = this.remote;
    }
    if (!validRemote(this.family, to)) throw 'invalid-argument';
    this.host.udpSend(this.handle, d.data, this.remote !== undefined ? undefined : { host: hostOf(to), port: to.val.port });
  }

  /** Always ready: sends complete when made. */
  subscribe(): Pollable { return new Pollable(); }
  [DISPOSE](): void { this.dropped(); }
}
