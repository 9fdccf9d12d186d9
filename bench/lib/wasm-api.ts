// The slice of the standard JS WebAssembly API the engine benchmark uses. The project's
// ES2022 lib has no WebAssembly typings, and the three engines (native V8, polywasm,
// Kasane) are all reached through this same shape.

export interface WasmMemoryLike {
  readonly buffer: ArrayBuffer;
}

export type WasmImports = Record<string, Record<string, unknown>>;

export interface WasmInstanceLike {
  readonly exports: Record<string, unknown>;
}

export interface WasmApi {
  compile?(bytes: Uint8Array): Promise<unknown>;
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports?: WasmImports) => WasmInstanceLike;
  instantiate?(module: unknown, imports?: WasmImports): Promise<unknown>;
}
