// What wasi:http's outgoing-handler needs from a host: a synchronous request whose response body
// is read in pieces, and optionally (`start`) a request whose body is sent as the guest writes it
// while its response may already arrive. Node's (src/host/node-http.ts) runs node:http on the
// network thread. A host without a client makes `handle` fail with an error-code.

import type { NetHost, PollRequest } from '../sockets.js';

export type HeaderEntry = [string, Uint8Array];

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
  headers: HeaderEntry[];
  body: Uint8Array;
  trailers?: HeaderEntry[];
  timeouts?: HttpTimeouts;
}

export interface HttpResponse {
  status: number;
  headers: HeaderEntry[];
  /** Up to max bytes of the body, blocking until some arrive; empty at the end. Throws an Error (an HttpRequestError with the error-code when known) when the transfer fails. */
  read(max: number): Uint8Array;
  /** The trailers, once read has returned the end (undefined before, or when there were none). */
  trailers?(): HeaderEntry[] | undefined;
  close(): void;
}

/** A request under way whose body is written in pieces (HttpClient.start). */
export interface HttpExchange {
  /** Sends a piece of the body; throws HttpRequestError when the connection failed. */
  write(bytes: Uint8Array): void;
  /** Ends the body, with trailers. */
  finish(trailers?: HeaderEntry[]): void;
  /** The response once its head has arrived (blocking when `block`, else undefined until then); throws HttpRequestError. */
  response(block: boolean): HttpResponse | undefined;
  /** Gives up the request (its body will not be finished). */
  abort(): void;
  /** Where `poll` can wait in the host for the response head (or failure); absent: polled as a condition. */
  headHostWait?(): { host: NetHost; req: PollRequest };
}

/** A failed request: `code` is the wasi:http error-code (e.g. `{ tag: 'connection-refused' }`). */
export class HttpRequestError extends Error {
  constructor(readonly code: { tag: string; val?: unknown }, message: string) { super(message); }
}

export interface HttpClient {
  /** Sends a request and blocks until the response's head arrives; throws HttpRequestError. */
  request(req: HttpRequest): HttpResponse;
  /** Starts a request; without `body` its body follows through the exchange. Throws HttpRequestError. */
  start?(req: Omit<HttpRequest, 'body' | 'trailers'> & { body?: Uint8Array }): HttpExchange;
}
