// The engine benchmark's workloads: WASI preview1 commands built by bench/workloads/build.sh
// into bench/workloads/wasm/. Sizes are chosen so the host's native WebAssembly (Node 20,
// V8) runs each in roughly 0.3-1 s.

export interface Workload {
  name: string;
  /** File in bench/workloads/wasm/. */
  file: string;
  /** argv after argv[0]. */
  args: string[];
  /** Source in bench/workloads/src/. */
  source: string;
  what: string;
  /** Needs the fixed-width SIMD proposal. */
  simd?: boolean;
  /** argv that makes the work about nothing (bench/fixed-cost.ts: start-up, translation, output). */
  zeroArgs: string[];
}

export const WORKLOADS: Workload[] = [
  { name: 'binarytrees-c', file: 'binarytrees.wasm', args: ['17'], source: 'binarytrees.c', zeroArgs: ['0'], what: 'allocation + recursion (malloc/free), depth 17' },
  { name: 'binarytrees-rs', file: 'binarytrees-rs.wasm', args: ['17'], source: 'binarytrees.rs', zeroArgs: ['0'], what: 'allocation + recursion (Rust Box, dlmalloc), depth 17' },
  { name: 'nbody', file: 'nbody.wasm', args: ['5000000'], source: 'nbody.c', zeroArgs: ['0'], what: 'f64 arithmetic + sqrt, 5M steps' },
  { name: 'fannkuch', file: 'fannkuch.wasm', args: ['10'], source: 'fannkuch.c', zeroArgs: ['3'], what: 'i32 arrays + branches, n=10' },
  { name: 'sha256', file: 'sha256.wasm', args: ['4', '20'], source: 'sha256.c', zeroArgs: ['0', '0'], what: 'byte loads, i32 rotates, 4 MB x 20 rounds' },
  { name: 'i64mix', file: 'i64mix.wasm', args: ['40'], source: 'i64mix.c', zeroArgs: ['0'], what: 'i64 mul/div/rem/rotl/clz/ctz/popcnt, 40M iterations' },
  { name: 'simd', file: 'simd.wasm', args: ['1000'], source: 'simd.c', zeroArgs: ['0'], what: 'v128: u8->u16 widen, i16x8 add/shift, narrow, f32x4 dot; 1024x1024, 1000 passes', simd: true },
];

export function findWorkload(name: string): Workload {
  const w = WORKLOADS.find((x) => x.name === name);
  if (!w) throw new Error(`unknown workload ${name} (known: ${WORKLOADS.map((x) => x.name).join(', ')})`);
  return w;
}
