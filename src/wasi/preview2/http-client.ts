// What wasi:http's outgoing-handler needs from a host: one synchronous request whose response
// body is read in pieces. Node's (src/host/node-http.ts) runs node:http on the network thread; a
// browser's would use fetch from a worker. A host without one makes `handle` fail with an error-code.

/** wasi:http request-options, in milliseconds; undefined: no limit. */
export interface HttpTimeouts {
  /** Until the connection is established (error-code `connection-timeout`). */
  connectMs?: number;
  /** From the connection until the response head (`connection-read-timeout`). */
  firstByteMs?: number;
  /** Waiting for each piece of the response body (`connection-read-timeout`). */
  betweenBytesMs?: number;
}

/** A request as the host sends it: header values are bytes (wasi:http field values). */
export interface HttpRequest {
  method: string;
  url: string;
  headers: [string, Uint8Array][];
  body: Uint8Array;
  timeouts?: HttpTimeouts;
}

export interface HttpResponse {
  status: number;
  headers: [string, Uint8Array][];
  /** Up to max bytes of the body, blocking until some arrive; empty at the end. Throws an Error when the transfer fails. */
  read(max: number): Uint8Array;
  close(): void;
}

/** A failed request: `code` is the wasi:http error-code (e.g. `{ tag: 'connection-refused' }`). */
export class HttpRequestError extends Error {
  constructor(readonly code: { tag: string; val?: unknown }, message: string) { super(message); }
}

export interface HttpClient {
  /** Sends a request and blocks until the response's head arrives; throws HttpRequestError. */
  request(req: HttpRequest): HttpResponse;
}
