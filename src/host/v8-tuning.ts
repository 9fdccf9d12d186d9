// V8 settings for running Wasm translated to JavaScript, set from the CLI (Node only).
//
// V8 never optimizes a function whose bytecode exceeds --max-optimized-bytecode-size (60 KB by
// default): it stays in the bytecode interpreter and the baseline compiler. Wasm interpreters have
// exactly such a function, their dispatch switch: wabt's Thread::StepInternal is 110 KB of Wasm
// and about 950 KB of generated JS. Raising the limit lets TurboFan compile it (concurrently, on
// a background thread): wasm-interp running binary-trees N=11 on Kasane's engine took 37 s of
// CPU without and 7-10 s with it (bench/results/nested.md). Other code is unaffected: the limit
// only matters for functions above 60 KB of bytecode.
//
// Where V8 may optimize huge functions, the engine no longer outlines them (codegen/outline.ts,
// which is for hosts that cannot raise the limit): wasm-interp nested binary-trees N=12 took
// 17 s of CPU outlined against 9.4 s whole (busy machine), its dispatch state being in many
// locals that every outlined piece passes in and out.

import v8 from 'node:v8';
import { outlineLimits } from '../engine/codegen/outline.js';

let applied = false;

export function allowOptimizingLargeFunctions(): void {
  if (applied) return;
  applied = true;
  v8.setFlagsFromString('--max-optimized-bytecode-size=4000000');
  outlineLimits.above = Infinity;
}
