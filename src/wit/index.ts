// WIT and WAVE: the parser and resolver, the resolved representation, TypeScript bindings and
// the WebAssembly Value Encoding. Runs on any JavaScript engine (directories are read by
// src/host/wit-dir.ts).

export { parseWit } from './parser.js';
export type * from './ast.js';
export { resolveWit, resolveWitText, selectWorld } from './resolve.js';
export type { WitSource, ResolveOptions, ResolvedWit } from './resolve.js';
export { SourceFile, WitError } from './source.js';
export type { Span } from './source.js';
export * from './types.js';
export { generateTypeScript, camelCase, upperCamelCase } from './bindgen-ts.js';
export type { GeneratedFiles } from './bindgen-ts.js';
export { parseWave, parseWaveArgs, parseWaveCall, printWave, printWaveResult, formatFloat, WaveError } from './wave.js';
export type { WaveType } from './wave.js';
