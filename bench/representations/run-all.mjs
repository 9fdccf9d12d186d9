// Runs every representation benchmark in its own node process (fresh JIT
// state, no cross-talk) and prints all tables; also saves them to
// bench/representations/last-run.md. ROUNDS=<n> sets the repetitions (default 9).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const dir = dirname(fileURLToPath(import.meta.url));
const scripts = ['i64.mjs', 'i64-pairs.mjs', 'memory.mjs', 'calls.mjs', 'locals.mjs', 'stack.mjs', 'traps.mjs', 'gc.mjs', 'detach.mjs'];
const only = process.argv.slice(2);
let out = `# representation benchmarks\n\nnode ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model}, loadavg at start ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, ROUNDS=${process.env.ROUNDS || 9}\n`;
console.log(out);
for (const s of scripts) {
  if (only.length && !only.includes(s)) continue;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(dir, s)], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 24 });
  const text = `${r.stdout}\n${r.status === 0 ? '' : `\n**${s} exited with status ${r.status} signal ${r.signal}**\n${r.stderr}`}\n(${s}: ${((Date.now() - t0) / 1000).toFixed(1)} s wall, loadavg after ${os.loadavg().map((x) => x.toFixed(2)).join(' ')})\n`;
  console.log(text);
  out += text;
}
writeFileSync(join(dir, 'last-run.md'), out);
