// What wasi:sockets asks of a host (Node's is src/host/node-net.ts, the I/O on a worker thread),
// and which uses of the network a component is granted (wasmtime's -S inherit-network, tcp, udp,
// allow-ip-name-lookup).

import type { NetHost } from '../sockets.js';

/** A received datagram: its bytes and sender (address as text). */
export interface Datagram { data: Uint8Array; address: string; port: number }

/** A name lookup's addresses (as text), or the resolver's error code (ENOTFOUND, EAI_AGAIN, ...). */
export type LookupResult = { addresses: string[] } | { code: string };

/** A TCP connection's ends, as [address text, port] (null when unknown). */
export interface ConnectionAddresses { local: [string, number] | null; remote: [string, number] | null }

/** preview1's NetHost plus opening sockets; UDP and lookups are optional (without them: not-supported). */
export interface SocketHost extends NetHost {
  /** Listens on host:port (0: any); returns the handle and bound port; throws an Error. */
  listen(host: string, port: number): { handle: number; port: number };
  /** Connects (from a local address when given); returns the handle and local port; throws WasiError. */
  connect(host: string, port: number, local?: { host: string; port: number }): { handle: number; port: number };
  /** A connection's local and remote addresses (without it: the addresses the guest gave). */
  addresses?(handle: number): ConnectionAddresses;
  /** Opens a UDP socket bound to host:port (0: any); returns its handle and port; throws WasiError. */
  udpBind?(host: string, port: number, ipv6: boolean): { handle: number; port: number };
  /** Connects a UDP socket to a peer, or disconnects it (undefined); throws WasiError. */
  udpConnect?(handle: number, peer: { host: string; port: number } | undefined): void;
  /** Takes up to max received datagrams without waiting; throws WasiError for a pending socket error. */
  udpReceive?(handle: number, max: number): Datagram[];
  /** Sends one datagram to a peer, or to the connected one (undefined); throws WasiError. */
  udpSend?(handle: number, data: Uint8Array, to: { host: string; port: number } | undefined): void;
  /** Reads (value < 0) or sets a UDP socket option; returns its value afterwards. */
  udpOption?(handle: number, name: 'ttl' | 'receive-buffer' | 'send-buffer', value: number): number;
  /** Resolves a name with the system's resolver (blocking). */
  lookup?(name: string): LookupResult;
}

/** The network a component may use; wasmtime's CLI flags in brackets. */
export interface SocketPermissions {
  /** Bind, connect and send to any address [-S inherit-network]; without it each is access-denied. */
  inheritNetwork: boolean;
  /** TCP sockets [-S tcp, on by default]: without it creating one is access-denied. */
  tcp: boolean;
  /** UDP sockets [-S udp, on by default]: without it creating one is access-denied. */
  udp: boolean;
  /** ip-name-lookup [-S allow-ip-name-lookup]: without it resolve-addresses is permanent-resolver-failure. */
  ipNameLookup: boolean;
}

/** A library host handed a SocketHost grants everything unless told otherwise. */
export const ALL_SOCKET_PERMISSIONS: SocketPermissions = { inheritNetwork: true, tcp: true, udp: true, ipNameLookup: true };

/** `wasmtime run`'s defaults (and `kasane run`'s): sockets can be made but reach no address, no lookups. */
export const DEFAULT_CLI_PERMISSIONS: SocketPermissions = { inheritNetwork: false, tcp: true, udp: true, ipNameLookup: false };
