// The package's public API: the codec, the text format, validation, the error classes and
// the module representation. Everything here runs on any JavaScript engine (no Node built-ins).

import type { Module } from './ast/module.js';
import { decodeModule } from './binary/decode.js';
import { encodeModule } from './binary/encode.js';
import { parseWat } from './text/module.js';
import { printModule } from './text/print.js';
import { validateModule } from './validate/validate.js';
import { CompileError } from './errors.js';
import { type Features, WASM_3_0 } from './ast/features.js';

export { decodeModule, encodeModule, parseWat, printModule, validateModule };
export { CompileError, LinkError, RuntimeError } from './errors.js';
export { WebAssembly } from './api/namespace.js';
export { shareMemory, memoryFromHandle } from './api/shared.js';
export type { SharedMemoryHandle } from './api/shared.js';
export { selectWebAssembly, hasNativeWebAssembly, ENGINE_CHOICES } from './api/backend.js';
export type { EngineChoice } from './api/backend.js';
export * from './ast/module.js';
export * from './ast/types.js';
export type * from './ast/instr.js';
export { OPCODES, BY_NAME, lookupOpcode } from './ast/opcodes.js';
export type { OpInfo, Imm } from './ast/opcodes.js';
export { Reader } from './binary/reader.js';
export { WASM_2_0, WASM_3_0 } from './ast/features.js';
export type { Features } from './ast/features.js';
export { Writer } from './binary/writer.js';

/** Whether bytes are a binary module (they start with the magic `\0asm`) rather than text. */
export function isBinaryModule(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes text-format source bytes, rejecting invalid UTF-8 as a CompileError. */
export function decodeSource(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new CompileError('malformed UTF-8 encoding in text source');
  }
}

/**
 * Reads a module from a binary or text (`.wat`) file's bytes, told apart by the binary magic,
 * and validates it. Throws CompileError if it is malformed or invalid.
 */
export function loadModule(bytes: Uint8Array, options: { validate?: boolean; features?: Features } = {}): Module {
  const features = options.features ?? WASM_3_0;
  const m = isBinaryModule(bytes) ? decodeModule(bytes, features) : parseWat(decodeSource(bytes), features);
  if (options.validate !== false) validateModule(m, features);
  return m;
}

/** Text source to a validated binary module. */
export function wat2wasm(source: string): Uint8Array {
  const m = parseWat(source);
  validateModule(m);
  return encodeModule(m);
}

/** Binary module to text (decoded, not validated: wasm2wat is also for inspecting broken modules). */
export function wasm2wat(bytes: Uint8Array): string {
  return printModule(decodeModule(bytes));
}
export { runCommand, instantiateReactor, Preview1, ExitStatus, MemoryFileSystem, CollectedOutput, type WasiRunOptions } from './wasi/index.js';
export { decodeComponent, validateComponent, instantiateComponent, binaryLayer, ComponentError, type Component, type ComponentInstance } from './component/index.js';
export { runComponent, Preview2 } from './wasi/preview2/index.js';
/** WIT (parser, resolver, resolved types), TypeScript bindings and WAVE: `wit.resolveWit(...)`. */
export * as wit from './wit/index.js';
export { resolveWit, resolveWitText, selectWorld, WitError, generateTypeScript, parseWave, printWave, parseWaveArgs, parseWaveCall, WaveError } from './wit/index.js';
export type { Preview2Options } from './wasi/preview2/host.js';
export { HttpRequestError, type HttpClient, type HttpRequest, type HttpResponse, type HttpTimeouts } from './wasi/preview2/http-client.js';
export { HttpProxy, type ServedRequest, type ServedResponse } from './wasi/preview2/http-server.js';
export { FetchHttpClient, type FetchHttpClientOptions } from './wasi/preview2/fetch-client.js';
export { serveFetch, type FetchAgentOptions } from './wasi/preview2/fetch-agent.js';
