// The HTTP ops between src/host/node-http.ts / node-http-server.ts (the guest's thread) and
// node-http-worker.ts (the I/O thread), part of node-net-protocol.ts's request union. Results that
// are structured (response heads, trailers, errors) come back as JSON in the data area (LENGTH bytes).
// An exchange is one request and its response, kept by handle on the I/O thread: a client's
// outgoing request and the response it gets, or a server's incoming request and its response.

/** Timeouts in milliseconds (wasi:http request-options). */
export interface HttpTimeoutsMs { connect?: number; firstByte?: number; betweenBytes?: number }

export type HttpOp =
  /** Starts a client request: VALUE is the exchange's handle at once (or errno 1 with `{ error }`). With `body`, the request is also ended. */
  | { op: 'http-request'; method: string; url: string; headers: string[]; timeouts: HttpTimeoutsMs; body?: Uint8Array }
  /** The response head of a client exchange (`{ status, headers }` or `{ error }`); with nonblock, LENGTH 0 when it has not arrived. */
  | { op: 'http-response'; handle: number; nonblock: boolean }
  /** Up to max bytes of the incoming body (LENGTH); at its end VALUE is 1 and the data area holds the trailers as JSON. Errno 1: `{ error }`. */
  | { op: 'http-read'; handle: number; max: number }
  /** Writes `length` bytes from the data area to the outgoing body; replies once they are handed to the socket. */
  | { op: 'http-write'; handle: number; length: number }
  /** Ends the outgoing body, with trailers (raw name, value pairs). */
  | { op: 'http-end'; handle: number; trailers: string[] }
  /** Sends a server response's head. */
  | { op: 'http-respond'; handle: number; status: number; headers: string[] }
  /** Forgets an exchange, destroying its connection when it is unfinished. */
  | { op: 'http-close'; handle: number }
  /** Starts an HTTP server: VALUE is its handle, the data area `{ address, port }` (errno as for listen). */
  | { op: 'http-serve'; host: string; port: number }
  /** Blocks until the server has a request: VALUE is its exchange, the data area `{ method, url, headers }`. */
  | { op: 'http-next'; handle: number };
