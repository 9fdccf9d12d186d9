// A growable byte buffer with the binary format's encodings (spec §5.2): the inverse of Reader.

const utf8 = new TextEncoder();

export class Writer {
  private buf = new Uint8Array(256);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(b: number): this {
    this.reserve(1);
    this.buf[this.length++] = b & 0xff;
    return this;
  }

  u32(value: number): this {
    let v = value >>> 0;
    do {
      let byte = v & 0x7f;
      v >>>= 7;
      if (v !== 0) byte |= 0x80;
      this.u8(byte);
    } while (v !== 0);
    return this;
  }

  /** Unsigned LEB128 of a non-negative number up to 2^53 or a BigInt up to 2^64-1. */
  u64(value: number | bigint): this {
    // A number at 2^64 is a u64 near 2^64-1 that was rounded to a double (numbers are exact
    // only below 2^53): write the largest u64 rather than a malformed 65-bit LEB128.
    let v = typeof value === 'number' && value >= 2 ** 64 ? 2n ** 64n - 1n : BigInt(value);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.u8(byte);
    } while (v !== 0n);
    return this;
  }

  s32(value: number): this {
    let v = value | 0;
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
        this.u8(byte);
        return this;
      }
      this.u8(byte | 0x80);
    }
  }

  /** Signed LEB128 of any integer that fits in 64 bits (also used for s33 block types). */
  s64(value: number | bigint): this {
    let v = BigInt.asIntN(64, BigInt(value));
    if (typeof value === 'number' && (value >= 2 ** 63 || value < -(2 ** 63))) v = BigInt(value);
    for (;;) {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) {
        this.u8(byte);
        return this;
      }
      this.u8(byte | 0x80);
    }
  }

  /** Little-endian 32-bit pattern (f32 bits). */
  u32le(bits: number): this {
    this.reserve(4);
    const b = this.buf;
    const p = this.length;
    b[p] = bits & 0xff;
    b[p + 1] = (bits >>> 8) & 0xff;
    b[p + 2] = (bits >>> 16) & 0xff;
    b[p + 3] = (bits >>> 24) & 0xff;
    this.length = p + 4;
    return this;
  }

  /** Little-endian 64-bit pattern (f64 bits). */
  u64le(bits: bigint): this {
    this.u32le(Number(bits & 0xffffffffn));
    this.u32le(Number((bits >> 32n) & 0xffffffffn));
    return this;
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Length-prefixed UTF-8 name. */
  name(s: string): this {
    const data = utf8.encode(s);
    this.u32(data.length);
    return this.bytes(data);
  }

  /** Length-prefixed copy of another writer's bytes (sections, function bodies). */
  sized(inner: Writer): this {
    this.u32(inner.length);
    return this.bytes(inner.finish());
  }

  /** The bytes written so far (a view). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
