// The three error classes of the WebAssembly JS API (spec: JS API §5). Every layer throws these,
// so that the api/ namespace can re-export them as WebAssembly.CompileError and friends.

/** A module is malformed (cannot be decoded or parsed) or invalid (fails validation). */
export class CompileError extends Error {
  /** Byte offset in the binary (or character offset in text) where the problem was found, when known. */
  readonly offset?: number;
  constructor(message: string, offset?: number) {
    super(offset === undefined || offset < 0 ? message : `${message} (at byte offset ${offset})`);
    this.name = 'CompileError';
    if (offset !== undefined && offset >= 0) this.offset = offset;
  }
}

/** Instantiation failed: a missing or mistyped import, or a segment out of bounds. */
export class LinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkError';
  }
}

/** A trap during execution. */
export class RuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeError';
  }
}
