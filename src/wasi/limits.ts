// Resource limits applied to a module before it is compiled, so they hold on any backend:
// `limitMemory` caps the maximum of every memory the module defines (its memory section), so a
// memory.grow beyond the cap returns -1 as the spec requires for a memory at its maximum, on
// Kasane's engine and on the host's alike. No engine support needed: only the binary's memory
// section is rewritten (the code is untouched).

const PAGE = 65536;

export class MemoryLimitError extends Error {
  constructor(message: string) { super(message); this.name = 'MemoryLimitError'; }
}

function readLeb(b: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let mul = 1;
  for (;;) {
    if (pos >= b.length) throw new MemoryLimitError('truncated module');
    const byte = b[pos++];
    result += (byte & 0x7f) * mul;
    mul *= 128;
    if ((byte & 0x80) === 0) return [result, pos];
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/**
 * Returns the module with each defined memory's maximum lowered to maxBytes (rounded down to
 * whole 64 KiB pages); the bytes themselves when nothing changes. Throws MemoryLimitError when a
 * memory's initial size is already above the limit (wasmtime refuses such a module too).
 * Imported memories are left alone (a WASI command has none).
 */
export function limitMemory(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const limitPages = Math.floor(maxBytes / PAGE);
  if (bytes.length < 8) return bytes;
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, body] = readLeb(bytes, pos + 1);
    const end = body + size;
    if (id !== 5) { pos = end; continue; }
    let p = body;
    const [count, p1] = readLeb(bytes, p);
    p = p1;
    const out: number[] = [...leb(count)];
    let changed = false;
    for (let i = 0; i < count; i++) {
      let flags = bytes[p++];
      if (flags & 0x08) throw new MemoryLimitError('memories with a custom page size cannot be limited');
      let min: number, max: number | undefined;
      [min, p] = readLeb(bytes, p);
      if (flags & 1) [max, p] = readLeb(bytes, p);
      if (min > limitPages) {
        throw new MemoryLimitError(`memory minimum size of ${min * PAGE} bytes exceeds the limit of ${maxBytes} bytes`);
      }
      if (max === undefined || max > limitPages) { max = limitPages; flags |= 1; changed = true; }
      out.push(flags, ...leb(min), ...leb(max));
    }
    if (!changed) return bytes;
    const section = [5, ...leb(out.length + (end - p)), ...out];
    const result = new Uint8Array(pos + section.length + (end - p) + (bytes.length - end));
    result.set(bytes.subarray(0, pos), 0);
    result.set(section, pos);
    result.set(bytes.subarray(p, end), pos + section.length);
    result.set(bytes.subarray(end), pos + section.length + (end - p));
    return result;
  }
  return bytes;
}
