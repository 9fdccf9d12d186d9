// Differential test against native wasmtime (the Python `wasmtime` package, run by
// test/wasmtime_run.py): the same programs, arguments, environment and a fresh preopened
// directory on wasmtime and through `kasane run` on each engine; stdout, stderr and the exit status
// must match. Skipped, saying why, when `python3 -c 'import wasmtime'` fails (pip install wasmtime).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES, PROGRAMS } from './helpers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const script = join(repoRoot, 'test', 'wasmtime_run.py');
const fixtures = join(repoRoot, 'test', 'wasi', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'kasane-diff-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const probe = spawnSync('python3', ['-c', 'import wasmtime'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : 'the Python wasmtime package is not installed (pip install wasmtime): no native reference to compare with';

/**
 * Where Kasane knowingly differs from wasmtime 49, as [wasmtime's line, Kasane's line]; anything
 * else that differs fails the test.
 * - A path leaving a preopen: wasmtime (cap-std) answers EPERM, Kasane ENOTCAPABLE (the WASI errno);
 *   Rust's std maps these to io::ErrorKind PermissionDenied and Uncategorized.
 * - symlink() with a target leading outside the preopen: wasmtime creates the link (following it
 *   fails later), Kasane refuses to create it (ENOTCAPABLE).
 */
const KNOWN: [string, string][] = [
  ['escape errno Operation not permitted', 'escape errno ENOTCAPABLE'],
  ['escape ../x PermissionDenied', 'escape ../x Uncategorized'],
  ['escape d/../../x PermissionDenied', 'escape d/../../x Uncategorized'],
  ['FAIL symlink out refused (errno 76: Capabilities insufficient)', 'ok symlink out refused'],
];

interface Case { name: string; module: string; args: string[]; env?: string[]; work?: Record<string, string> }
const cases: Case[] = [
  { name: 'wasi-fs.c', module: join(fixtures, 'wasi-fs.wasm'), args: ['a', 'b c'], env: ['GREETING=hello'], work: { 'in.txt': 'input\n' } },
  { name: 'wasi_std.rs', module: join(fixtures, 'wasi_std.wasm'), args: ['/work', '7', 'x y'], env: ['GREETING=hi'], work: {} },
  { name: 'echo.c without a socket', module: join(fixtures, 'echo.wasm'), args: [] },
  { name: 'echo.wat', module: 'echo.wat', args: ['x', 'y z'], env: ['A=1', 'B=two'] },
  { name: 'exit42.wat', module: 'exit42.wat', args: [] },
  { name: 'badWhence.wat (an invalid enum argument stops the program)', module: 'badWhence.wat', args: [] },
];

function prepare(c: Case, tag: string): { work?: string; module: string } {
  const module = c.module.includes('/') ? c.module : join(dir, c.module);
  if (!c.module.includes('/')) writeFileSync(module, PROGRAMS[c.module.replace(/\.wat$/, '') as keyof typeof PROGRAMS]);
  if (c.work === undefined) return { module };
  const work = join(dir, `${c.name}-${tag}`.replace(/[^\w.-]/g, '_'));
  mkdirSync(work, { recursive: true });
  for (const [f, text] of Object.entries(c.work)) writeFileSync(join(work, f), text);
  return { work, module };
}

function wasmtime(c: Case): { status: number | null; stdout: string; stderr: string } {
  const { work, module } = prepare(c, 'wasmtime');
  const out = join(dir, 'wt.out'), err = join(dir, 'wt.err');
  const args = ['--stdout', out, '--stderr', err];
  if (work) args.push('--dir', `${work}::/work`);
  for (const e of c.env ?? []) args.push('--env', e);
  const r = spawnSync('python3', [script, ...args, module, ...c.args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0 && r.stderr.includes('Traceback')) throw new Error(r.stderr);
  return { status: r.status, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
}

function normalize(s: string, status: number | null): { text: string; status: number | null } {
  let text = s;
  let fixed = 0;
  for (const [theirs, ours] of KNOWN) if (text.includes(theirs + '\n')) { text = text.replace(theirs + '\n', ours + '\n'); if (theirs.startsWith('FAIL')) fixed++; }
  // wasi-fs.c exits with 10 + its number of failures when any check fails.
  const m = /^failures (\d+)$/m.exec(text);
  if (fixed > 0 && m !== null) {
    const left = Number(m[1]) - fixed;
    text = text.replace(/^failures \d+$/m, `failures ${left}`);
    status = left === 0 ? 0 : 10 + left;
  }
  return { text, status };
}

for (const c of cases) {
  test(`differential vs wasmtime: ${c.name}`, { skip, timeout: 120_000 }, () => {
    const ref = wasmtime(c);
    const want = normalize(ref.stdout, ref.status);
    for (const engine of ENGINES) {
      const { work, module } = prepare(c, engine);
      const args = ['run', '--engine', engine];
      if (work) args.push('--dir', `${work}::/work`);
      for (const e of c.env ?? []) args.push('--env', e);
      const r = spawnSync(process.execPath, [bin, ...args, module, ...c.args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      // argv[0] is the module path as given to each runner: the same here.
      assert.equal(r.stdout, want.text, `${engine}: stdout`);
      // The guest's stderr only: the runners' own diagnostics ("kasane: ...") are not compared.
      assert.equal(r.stderr.replace(/^kasane: .*\n/gm, ''), ref.stderr, `${engine}: stderr`);
      assert.equal(r.status, want.status, `${engine}: exit status`);
    }
  });
}
