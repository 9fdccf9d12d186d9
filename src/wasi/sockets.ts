// Sockets and blocking readiness, as the WASI layer sees them: a small synchronous interface
// over "handles" (listening sockets, connections, and optionally a host's stdin) that a host
// implements. The WASI functions are synchronous while most JavaScript hosts do network I/O
// asynchronously; Node's implementation (src/host/node-net.ts) runs the I/O on a worker thread
// and blocks the guest's thread with Atomics.wait until the worker has a result. A host without
// sockets (a browser, the in-memory filesystem) simply hands in none: the sock_* functions then
// answer ENOTSOCK/EBADF as for any other descriptor.

/** One readiness subscription: a handle, for reading (data, a connection to accept, end of stream) or writing. */
/** A handle to wait on: readable (or writable) for sockets; with `httpHead`, the handle is an HTTP exchange whose response head (or failure) is awaited. */
export interface PollRequest { handle: number; write: boolean; httpHead?: boolean }

/** A subscription that is ready: its index in the request, the bytes available to read, whether the peer hung up. */
export interface PollReady { index: number; nbytes: number; hangup: boolean; error: number }

export interface NetHost {
  /**
   * Accepts a connection on a listening handle and returns the connection's handle; blocks until
   * one arrives, or throws WasiError(AGAIN) at once when `nonblock` and none is pending.
   */
  accept(listener: number, nonblock: boolean): number;
  /** Reads up to max bytes (blocking unless nonblock: AGAIN); an empty result is end of stream. */
  recv(handle: number, max: number, peek: boolean, nonblock: boolean): Uint8Array;
  /** Sends data; returns the bytes accepted (all of them when blocking). */
  send(handle: number, data: Uint8Array, nonblock: boolean): number;
  /** Shuts down reading (1), writing (2) or both (3) of a connection. */
  shutdown(handle: number, how: number): void;
  close(handle: number): void;
  /**
   * Waits until at least one subscription is ready or timeoutMs passes (undefined: no timeout,
   * 0: just look) and returns the ready ones.
   */
  poll(subs: readonly PollRequest[], timeoutMs: number | undefined): PollReady[];
}

/** A listening socket to pre-open for the guest (it gets the descriptors after the preopened directories). */
export interface PreopenedSocket { host: NetHost; handle: number }
