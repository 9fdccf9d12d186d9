// The channel between FetchHttpClient (fetch-client.ts, on the thread that runs the guest and
// blocks) and serveFetch (fetch-agent.ts, on a thread free to await fetch: the page or another
// worker). Requests are messages on a MessagePort; each carries the client's SharedArrayBuffer,
// where the agent stores the result before Atomics.notify. Works the same in browsers and Node.

/** Int32 cells at the start of the shared buffer. */
export const CELL = {
  /** 0 while a request is under way, 1 when its result is in place. */
  STATE: 0,
  /** 0: success; 1: failure, a JSON `Failure` in the data area. */
  FAILED: 1,
  /** Bytes of the result in the data area. */
  LENGTH: 2,
  /** Set by the agent when a request reaches it (so that a client with no agent can say so). */
  RECEIVED: 3,
  COUNT: 4,
} as const;

/** Where the data area starts (bytes), and its size: the most one body read moves. */
export const DATA_OFFSET = 16;
export const DATA_SIZE = 256 * 1024;

/** Timeouts in milliseconds (request-options' durations, converted). */
export interface FetchTimeouts {
  /** For the response head: request-options' connect-timeout plus first-byte-timeout (fetch cannot tell them apart). */
  headMs?: number;
  /** The error-code when headMs runs out: connection-timeout, or connection-read-timeout once a first-byte-timeout is set. */
  headCode?: string;
  betweenBytesMs?: number;
}

export type FetchMessage =
  /** Result: JSON `Head` in the data area. */
  | { op: 'request'; sab: SharedArrayBuffer; method: string; url: string; headers: [string, string][]; body: Uint8Array | null; timeouts: FetchTimeouts }
  /** Result: up to max body bytes in the data area; none at the end. */
  | { op: 'read'; sab: SharedArrayBuffer; handle: number; max: number }
  /** No result: the client does not wait for it. */
  | { op: 'close'; handle: number };

export interface Head { handle: number; status: number; headers: [string, string][] }

/** A failed request or read: a wasi:http error-code and what happened, for people. */
export interface Failure { code: { tag: string; val?: unknown }; message: string }

/** Where a message's port can be: a MessagePort, a Worker, or a worker's global scope. */
export interface PortLike {
  postMessage(message: unknown): void;
}
type Listener = (event: { data: unknown }) => void;
/** The agent's end: a MessagePort (started here), a Worker, or a worker's global scope. */
export interface ListeningPort {
  addEventListener(type: 'message', listener: Listener): void;
  removeEventListener(type: 'message', listener: Listener): void;
  start?(): void;
}
