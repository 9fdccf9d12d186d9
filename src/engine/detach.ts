// Detaching ArrayBuffers, and when to give up V8's assumption that none ever was.
//
// V8 keeps one process-wide assumption (its ArrayBufferDetaching protector) that no ArrayBuffer
// has been detached. While it holds, optimized code reads and writes through a DataView with
// only a bounds check; once any buffer is detached, every DataView access in optimized code also
// tests its buffer's detached bit, for the rest of the process (nbody: 22% more run CPU, sha256
// 9%, fannkuch 11%: bench/results/representations.md §14). The first detach also throws away
// all optimized code that relied on it and aborts compilations in flight: for an interpreter's
// dispatch function of several hundred KB of JS that was 2-6 s of TurboFan work.
//
// Grows of memories that JS has seen detach buffers (JS API), so the assumption cannot outlive
// them. It is given up early, by detaching a buffer of our own, only when both are true: such a
// memory exists, and a function large enough for its TurboFan compile to take long is about to
// be compiled. Other programs keep the fast accesses until their first grow, if any.

/** Generated JS (characters) from which a function's optimization is too costly to lose. */
export const LARGE_FUNCTION_JS = 128 * 1024;

/**
 * Detaches an ArrayBuffer (spec: DetachArrayBuffer), returning a new buffer with its contents.
 * Uses ArrayBuffer.prototype.transfer where the host has it, else structuredClone's transfer.
 */
export function detach(buf: ArrayBuffer): ArrayBuffer {
  const transfer = (ArrayBuffer.prototype as { transfer?: (this: ArrayBuffer) => ArrayBuffer }).transfer;
  if (typeof transfer === 'function') return transfer.call(buf);
  const sc = (globalThis as { structuredClone?: (v: unknown, o: { transfer: unknown[] }) => unknown }).structuredClone;
  if (typeof sc === 'function') return sc(buf, { transfer: [buf] }) as ArrayBuffer;
  // No way to detach on this host: the old buffer stays usable (a documented deviation).
  return buf;
}

let detachable = false;
let largeCode = false;
let givenUp = false;

function giveUpIfBoth(): void {
  if (givenUp || !detachable || !largeCode) return;
  givenUp = true;
  detach(new ArrayBuffer(8));
}

/** A memory exists whose grows will detach buffers (api/ calls this for memories JS sees). */
export function detachesExpected(): void {
  detachable = true;
  giveUpIfBoth();
}

/** A function of at least LARGE_FUNCTION_JS characters of JS is about to be compiled. */
export function largeFunctionAhead(): void {
  largeCode = true;
  giveUpIfBoth();
}

/** Whether the no-detach assumption was given up on purpose (for tests). */
export function detachAssumptionGivenUp(): boolean {
  return givenUp;
}
