// A cursor over Wasm binary bytes (spec §5.2): LEB128 integers, floats, names, vectors.
// Every failure is a CompileError naming the byte offset, and no method allocates more than
// the bytes that remain can back.

import { CompileError } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class Reader {
  pos: number;
  /** One past the last readable byte (the end of the current section or function). */
  end: number;
  /** Added to positions in error messages, so offsets are relative to the whole module. */
  readonly base: number;

  constructor(readonly bytes: Uint8Array, start = 0, end = bytes.length, base = 0) {
    this.pos = start;
    this.end = end;
    this.base = base;
  }

  /** Absolute byte offset of the cursor (for error messages). */
  get offset(): number {
    return this.base + this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string, at = this.pos): never {
    throw new CompileError(message, this.base + at);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos++];
  }

  peekU8(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos];
  }

  /** Unsigned LEB128, at most 32 bits. */
  u32(): number {
    const b = this.bytes;
    let pos = this.pos;
    if (pos < this.end) {
      const first = b[pos];
      if (first < 0x80) {
        this.pos = pos + 1;
        return first;
      }
    }
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= this.end) this.fail('unexpected end', pos);
      const byte = b[pos++];
      if (shift === 28) {
        if (byte & 0x80) this.fail('integer representation too long', pos - 1);
        if (byte & 0x70) this.fail('integer too large', pos - 1);
        result = (result | (byte << 28)) >>> 0;
        break;
      }
      result |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
      shift += 7;
    }
    this.pos = pos;
    return result >>> 0;
  }

  /** Signed LEB128, at most 32 bits. */
  s32(): number {
    const b = this.bytes;
    let pos = this.pos;
    let result = 0;
    let shift = 0;
    let byte: number;
    for (;;) {
      if (pos >= this.end) this.fail('unexpected end', pos);
      byte = b[pos++];
      if (shift === 28) {
        if (byte & 0x80) this.fail('integer representation too long', pos - 1);
        // The unused high bits must all equal the sign bit (bit 3 of this byte).
        const high = byte & 0x78;
        if (high !== 0 && high !== 0x78) this.fail('integer too large', pos - 1);
        result |= byte << 28;
        break;
      }
      result |= (byte & 0x7f) << shift;
      shift += 7;
      if (!(byte & 0x80)) {
        if (shift < 32 && byte & 0x40) result |= -1 << shift;
        break;
      }
    }
    this.pos = pos;
    return result | 0;
  }

  /** Signed LEB128, at most 33 bits (block types): returns a number in [-2^32, 2^32). */
  s33(): number {
    let result = 0;
    let mul = 1;
    let byte: number;
    for (let i = 0; ; i++) {
      byte = this.u8();
      if (i === 4) {
        if (byte & 0x80) this.fail('integer representation too long', this.pos - 1);
        const high = byte & 0x70;
        if (high !== 0 && high !== 0x70) this.fail('integer too large', this.pos - 1);
        result += (byte & 0x1f) * mul;
        if (byte & 0x10) result -= 2 ** 33;
        break;
      }
      result += (byte & 0x7f) * mul;
      mul *= 128;
      if (!(byte & 0x80)) {
        if (byte & 0x40) result -= mul;
        break;
      }
    }
    return result;
  }

  /** Signed LEB128, at most 64 bits, as a BigInt. */
  s64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      if (i === 9) {
        if (byte & 0x80) this.fail('integer representation too long', this.pos - 1);
        const high = byte & 0x7f;
        if (high !== 0 && high !== 0x7f) this.fail('integer too large', this.pos - 1);
        result |= BigInt(byte & 1) << 63n;
        return BigInt.asIntN(64, result);
      }
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (!(byte & 0x80)) {
        if (byte & 0x40) result -= 1n << shift;
        return BigInt.asIntN(64, result);
      }
    }
  }

  /** Unsigned LEB128, at most 64 bits, as a number (exact below 2^53). */
  u64(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      if (i === 9) {
        if (byte & 0x80) this.fail('integer representation too long', this.pos - 1);
        if (byte & 0x7e) this.fail('integer too large', this.pos - 1);
        return result + (byte & 1) * mul;
      }
      result += (byte & 0x7f) * mul;
      mul *= 128;
      if (!(byte & 0x80)) return result;
    }
  }

  /** Unsigned LEB128, at most 64 bits, as a BigInt (exact). */
  u64Big(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      if (i === 9) {
        if (byte & 0x80) this.fail('integer representation too long', this.pos - 1);
        if (byte & 0x7e) this.fail('integer too large', this.pos - 1);
        return result | (BigInt(byte & 1) << 63n);
      }
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (!(byte & 0x80)) return result;
    }
  }

  /** The raw 4 bytes of an f32, as an unsigned bit pattern. */
  f32Bits(): number {
    if (this.end - this.pos < 4) this.fail('unexpected end');
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  /** The raw 8 bytes of an f64, as an unsigned 64-bit pattern. */
  f64Bits(): bigint {
    const lo = this.f32Bits();
    const hi = this.f32Bits();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** A view (not a copy) of the next n bytes. */
  bytesView(n: number): Uint8Array {
    if (n > this.end - this.pos) this.fail('unexpected end');
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const n = this.u32();
    if (n > this.end - this.pos) this.fail('unexpected end');
    const start = this.pos;
    const view = this.bytesView(n);
    // ASCII fast path: most names are plain identifiers.
    let ascii = true;
    for (let i = 0; i < n; i++) if (view[i] >= 0x80) { ascii = false; break; }
    if (ascii) return n < 64 ? String.fromCharCode.apply(null, view as unknown as number[]) : utf8.decode(view);
    try {
      return utf8.decode(view);
    } catch {
      this.fail('malformed UTF-8 encoding', start);
    }
  }

  /**
   * A vector length, checked against the bytes left: every element takes at least
   * `minElementSize` bytes, so a count the remaining bytes cannot back is rejected before
   * anything is allocated for it.
   */
  vecLength(minElementSize = 1): number {
    const at = this.pos;
    const n = this.u32();
    if (n * minElementSize > this.end - this.pos) this.fail('unexpected end of section or function', at);
    return n;
  }
}
