// Which version of the language a module is checked against. Kasane accepts WebAssembly 3.0 by
// default; the 2.0 set switches back exactly the rules of 2.0 that 3.0 changed in ways that make
// a module valid or well-formed in one and not the other (the wasm-2.0 spec suite tests them).

export interface Features {
  /** Multi-memory: more than one memory, and memory indices in memory instructions. Off: memory.size/grow/fill/copy/init take a zero byte and memargs carry no index. */
  readonly multiMemory: boolean;
  /** Memory64/table64: in text, limits and memarg offsets are u64 literals. Off: u32 literals (larger ones are malformed). */
  readonly memory64: boolean;
  /** Constant expressions may read any earlier immutable global (3.0). Off: only imported globals. */
  readonly constantGlobals: boolean;
}

export const WASM_3_0: Features = Object.freeze({ multiMemory: true, memory64: true, constantGlobals: true });
export const WASM_2_0: Features = Object.freeze({ multiMemory: false, memory64: false, constantGlobals: false });
