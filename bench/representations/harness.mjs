// Shared helpers for the representation micro-benchmarks.
// Every benchmark script builds several variants of one kernel (generated JS
// compiled with `new Function`, plus native WebAssembly built from .wat with
// the project's encoder), checks that all variants compute the same result,
// and then times them INTERLEAVED (round-robin, rotating the order every
// round) so that noise from other processes on the machine hits all variants
// alike. We report median / min / max wall time per run and the ratio of
// medians to a reference variant (normally native Wasm) from the same process.

import { parseWat } from '/work/main/dist/src/text/module.js';
import { encodeModule } from '/work/main/dist/src/binary/encode.js';

export const ROUNDS = Number(process.env.ROUNDS || 9);

export function wasm(watSource, imports = {}) {
  const bytes = encodeModule(parseWat(watSource));
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
}

// Compile "generated" JS the way the engine would: a module-level closure
// built by new Function(...paramNames, body).
export function compile(params, body, ...args) {
  // eslint-disable-next-line no-new-func
  return new Function(...params, body)(...args);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function same(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b;
  return String(a) === String(b);
}

/**
 * variants: [{ name, run: () => result, norm?: (result) => comparable }]
 * Returns rows with median/min/max (ms) and ratio to `ref` (variant name).
 */
export function measure(title, variants, { rounds = ROUNDS, warmup = 2, ref = null, note = '' } = {}) {
  // correctness: all variants must agree
  const results = variants.map((v) => {
    const r = v.run();
    return v.norm ? v.norm(r) : r;
  });
  for (let i = 1; i < results.length; i++) {
    if (!same(results[0], results[i])) {
      throw new Error(`${title}: result mismatch ${variants[0].name}=${results[0]} vs ${variants[i].name}=${results[i]}`);
    }
  }
  for (let w = 1; w < warmup; w++) for (const v of variants) v.run();
  const times = variants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (k + r) % variants.length;
      const t0 = performance.now();
      variants[i].run();
      times[i].push(performance.now() - t0);
    }
  }
  const rows = variants.map((v, i) => ({
    name: v.name,
    median: median(times[i]),
    min: Math.min(...times[i]),
    max: Math.max(...times[i]),
  }));
  const refRow = ref ? rows.find((r) => r.name === ref) : null;
  for (const r of rows) r.ratio = refRow ? r.median / refRow.median : null;
  printTable(title, rows, rounds, ref, results[0], note);
  return rows;
}

export function printTable(title, rows, rounds, ref, check, note) {
  const out = [];
  out.push(`\n### ${title}`);
  out.push(`rounds=${rounds}, check value=${String(check).slice(0, 40)}${note ? '; ' + note : ''}\n`);
  out.push(`| variant | median ms | min ms | max ms | ratio${ref ? ' vs ' + ref : ''} |`);
  out.push('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    out.push(`| ${r.name.replace(/\|/g, '\\|')} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)} | ${r.max.toFixed(1)} | ${r.ratio == null ? '' : r.ratio.toFixed(2)} |`);
  }
  console.log(out.join('\n'));
}

export function header(name) {
  console.log(`\n## ${name}  (node ${process.version}, pid ${process.pid})`);
}
