// Question 14: what V8's process-wide no-detached-buffer assumption (ArrayBufferDetaching
// protector) is worth to DataView accesses in optimized code. While no ArrayBuffer has ever
// been detached in the process, TurboFan emits a DataView access with only its bounds check;
// after the first detach (anywhere: `transfer()`, structuredClone with transfer) every access
// also loads its buffer and tests the detached bit. The assumption cannot be restored, so each
// variant runs in its own process ('intact': nothing detached; 'detached': an 8-byte buffer of
// its own detached first), the processes interleaved round-robin. Times are steady state: each
// child warms its kernel up before timing it.
//
// Usage: node bench/representations/detach.mjs   (ROUNDS=n, default 9)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.ROUNDS || 9);

// Kernels as generated JS in the engine's style: a DataView `mv` in a local, addresses
// `(a >>> 0) + offset`, the view re-read from the memory object after calls.
const KERNELS = {
  // nbody's advance(): 5 bodies of 7 f64 (x y z vx vy vz mass), 56 bytes each, at 1024.
  'nbody-like f64, 5 bodies x 2M steps': `
    const M = { view: new DataView(new ArrayBuffer(65536)) };
    let mv = M.view;
    for (let i = 0; i < 35; i++) mv.setFloat64(1024 + i * 8, 1 + i * 0.37, true);
    return function run(steps) {
      let mv = M.view;
      for (let s = 0; s < steps; s++) {
        for (let i = 0; i < 5; i++) {
          const bi = (1024 + i * 56) | 0;
          for (let j = i + 1; j < 5; j++) {
            const bj = (1024 + j * 56) | 0;
            const dx = mv.getFloat64((bi >>> 0), true) - mv.getFloat64((bj >>> 0), true);
            const dy = mv.getFloat64((bi >>> 0) + 8, true) - mv.getFloat64((bj >>> 0) + 8, true);
            const dz = mv.getFloat64((bi >>> 0) + 16, true) - mv.getFloat64((bj >>> 0) + 16, true);
            const d2 = dx * dx + dy * dy + dz * dz;
            const mag = 0.01 / (d2 * Math.sqrt(d2));
            const mj = mv.getFloat64((bj >>> 0) + 48, true) * mag, mi = mv.getFloat64((bi >>> 0) + 48, true) * mag;
            mv.setFloat64((bi >>> 0) + 24, mv.getFloat64((bi >>> 0) + 24, true) - dx * mj, true);
            mv.setFloat64((bi >>> 0) + 32, mv.getFloat64((bi >>> 0) + 32, true) - dy * mj, true);
            mv.setFloat64((bi >>> 0) + 40, mv.getFloat64((bi >>> 0) + 40, true) - dz * mj, true);
            mv.setFloat64((bj >>> 0) + 24, mv.getFloat64((bj >>> 0) + 24, true) + dx * mi, true);
            mv.setFloat64((bj >>> 0) + 32, mv.getFloat64((bj >>> 0) + 32, true) + dy * mi, true);
            mv.setFloat64((bj >>> 0) + 40, mv.getFloat64((bj >>> 0) + 40, true) + dz * mi, true);
          }
        }
        for (let i = 0; i < 5; i++) {
          const b = (1024 + i * 56) >>> 0;
          for (let k = 0; k < 3; k++) mv.setFloat64(b + k * 8, mv.getFloat64(b + k * 8, true) + 0.01 * mv.getFloat64(b + 24 + k * 8, true), true);
        }
      }
      return mv.getFloat64(1024, true);
    };`,
  // sha256's message schedule and rounds: i32 loads/stores of a 64-word block in memory.
  'sha256-like i32, 64 KB x 500': `
    const M = { view: new DataView(new ArrayBuffer(1 << 17)) };
    let mv = M.view;
    for (let i = 0; i < 65536; i++) mv.setUint8(i, (i * 2654435761) >>> 24);
    return function run(passes) {
      let mv = M.view, h = 0x6a09e667;
      for (let p = 0; p < passes; p++) {
        for (let blk = 0; blk < 65536; blk = (blk + 64) | 0) {
          for (let i = 0; i < 64; i = (i + 4) | 0) mv.setInt32((((i + 70000) | 0) >>> 0), mv.getInt32((((blk + i) | 0) >>> 0), true), true);
          for (let i = 64; i < 256; i = (i + 4) | 0) {
            const w15 = mv.getInt32((((i + 70000 - 60) | 0) >>> 0), true), w2 = mv.getInt32((((i + 70000 - 8) | 0) >>> 0), true);
            const s0 = ((w15 << 25) | (w15 >>> 7)) ^ ((w15 << 14) | (w15 >>> 18)) ^ (w15 >>> 3);
            const s1 = ((w2 << 15) | (w2 >>> 17)) ^ ((w2 << 13) | (w2 >>> 19)) ^ (w2 >>> 10);
            mv.setInt32((((i + 70000) | 0) >>> 0), (mv.getInt32((((i + 70000 - 64) | 0) >>> 0), true) + s0 + mv.getInt32((((i + 70000 - 28) | 0) >>> 0), true) + s1) | 0, true);
          }
          let a = h;
          for (let i = 0; i < 256; i = (i + 4) | 0) a = (((a << 26) | (a >>> 6)) + mv.getInt32((((i + 70000) | 0) >>> 0), true)) | 0;
          h = (h + a) | 0;
        }
      }
      return h;
    };`,
};
const ARGS = { 'nbody-like f64, 5 bodies x 2M steps': 2000000, 'sha256-like i32, 64 KB x 500': 500 };

function child(kernel, variant) {
  if (variant === 'detached') {
    const b = new ArrayBuffer(8);
    structuredClone(b, { transfer: [b] });
  }
  const run = new Function(KERNELS[kernel])();
  const n = ARGS[kernel];
  run(Math.max(1, n >> 3)); run(Math.max(1, n >> 3)); // warm up: optimized before timing
  const t0 = performance.now();
  const r = run(n);
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0, r: String(r) }) + '\n');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main() {
  const self = fileURLToPath(import.meta.url);
  console.log('\n## 14. DataView accesses with and without V8\'s no-detached-buffer assumption\n');
  console.log(`rounds=${ROUNDS}, one process per run, variants interleaved; steady-state ms per run\n`);
  console.log('| kernel | intact median (min–max) | detached median (min–max) | detached / intact |');
  console.log('|---|---:|---:|---:|');
  for (const kernel of Object.keys(KERNELS)) {
    const times = { intact: [], detached: [] };
    const results = new Set();
    for (let r = 0; r < ROUNDS; r++) {
      for (const variant of r % 2 ? ['detached', 'intact'] : ['intact', 'detached']) {
        const p = spawnSync(process.execPath, [self, kernel, variant], { encoding: 'utf8' });
        if (p.status !== 0) throw new Error(p.stderr);
        const o = JSON.parse(p.stdout);
        times[variant].push(o.ms);
        results.add(o.r);
      }
    }
    if (results.size !== 1) throw new Error(`${kernel}: results differ: ${[...results]}`);
    const cell = (xs) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
    console.log(`| ${kernel} | ${cell(times.intact)} | ${cell(times.detached)} | ${(median(times.detached) / median(times.intact)).toFixed(2)} |`);
  }
}

if (process.argv[2]) child(process.argv[2], process.argv[3]);
else main();
