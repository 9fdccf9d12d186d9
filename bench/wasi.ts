// WASI system-call cost: the same reactor module (hand-written .wat, no toolchain) calls
// preview1 directly in three workloads, timed around the export call:
//   small-writes  200,000 fd_write calls of 16 bytes to stdout, which is /dev/null
//   big-file      write a 64 MiB file in 1 MiB fd_writes, seek back, read it in 1 MiB fd_reads
//   readdir       open a directory of 1,000 files and list it with fd_readdir (64 KiB buffer), 20 times
//   readdir-changed  the same for another such directory, just after a file was created and removed in it
//                    (and once more with Kasane reporting d_ino 0, its direntInodes: false option)
// on Kasane (each backend) with its host-directory filesystem, Node's node:wasi (native
// WebAssembly only: it needs a real WebAssembly.Memory) and, when `python3 -c 'import wasmtime'`
// works, native wasmtime. The runtimes take turns (one run of each per round, and per slice of a
// round for small-writes), so that a busy machine's slow moments fall on all of them alike; prints median milliseconds and, per runtime,
// the median over rounds of its time divided by node:wasi's in the same round (with the range).
// Run: npx tsc -p . && node dist/bench/wasi.js [--quick] [--rounds N] [--cpu]; results: bench/results/wasi.md.

import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { encodeModule, parseWat } from '../src/index.js';
import { Preview1 } from '../src/wasi/index.js';
import { NodeFileSystem } from '../src/host/node-fs.js';
import { nodeOutput } from '../src/host/node-stdio.js';
import { instantiateWasiSync } from '../src/wasi/index.js';

const quick = process.argv.includes('--quick');
// --cpu: time with the process's CPU time (user + system) instead of the wall clock; on a loaded
// machine the wall clock also counts the time this process waits for a core.
const cpu = process.argv.includes('--cpu');
const roundsArg = process.argv.indexOf('--rounds');
const RUNS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : quick ? 3 : 9;
const SMALL_WRITES = 200_000;
const BIG_MB = 64;
const DIR_FILES = 1000;
const DIR_REPEAT = 20;

const WAT = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 40)
  (data (i32.const 64) "big.bin")
  (data (i32.const 80) "many")
  (data (i32.const 88) "fresh")
  (data (i32.const 96) "0123456789abcdef")
  ;; iov at 0: (ptr, len); nwritten at 8; opened fd at 12; seek result at 16.
  (func (export "small_writes") (param $n i32) (result i32)
    (i32.store (i32.const 0) (i32.const 96)) (i32.store (i32.const 4) (i32.const 16))
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (if (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)) (then (return (i32.const -1))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (i32.const 0))
  (func (export "big_file") (param $mb i32) (result i32) (local $fd i32) (local $i i32) (local $sum i32)
    ;; path_open(3, 0, "big.bin", CREAT|TRUNC, all rights, all, 0, &fd)
    (if (call $open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 7) (i32.const 9)
          (i64.const 0x0fffffff) (i64.const 0x0fffffff) (i32.const 0) (i32.const 12)) (then (return (i32.const -1))))
    (local.set $fd (i32.load (i32.const 12)))
    (i32.store (i32.const 0) (i32.const 65536)) (i32.store (i32.const 4) (i32.const 1048576))
    (local.set $i (local.get $mb))
    (block $d (loop $l (br_if $d (i32.eqz (local.get $i)))
      (if (call $write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)) (then (return (i32.const -2))))
      (local.set $i (i32.sub (local.get $i) (i32.const 1))) (br $l)))
    (drop (call $seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 16)))
    (local.set $i (local.get $mb))
    (block $d (loop $l (br_if $d (i32.eqz (local.get $i)))
      (if (call $read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)) (then (return (i32.const -3))))
      (local.set $sum (i32.add (local.get $sum) (i32.load (i32.const 8))))
      (local.set $i (i32.sub (local.get $i) (i32.const 1))) (br $l)))
    (drop (call $close (local.get $fd)))
    (local.get $sum))
  ;; lists "many" ($fresh 0) or "fresh" ($fresh 1)
  (func (export "list_dir") (param $times i32) (param $fresh i32) (result i32) (local $fd i32) (local $cookie i64) (local $used i32) (local $p i32) (local $count i32)
    (block $d (loop $l (br_if $d (i32.eqz (local.get $times)))
      (if (call $open (i32.const 3) (i32.const 0) (select (i32.const 88) (i32.const 80) (local.get $fresh)) (i32.add (i32.const 4) (local.get $fresh)) (i32.const 2)
            (i64.const 0x6000) (i64.const 0x0fffffff) (i32.const 0) (i32.const 12)) (then (return (i32.const -1))))
      (local.set $fd (i32.load (i32.const 12)))
      (local.set $cookie (i64.const 0))
      (block $eof (loop $page
        (if (call $readdir (local.get $fd) (i32.const 65536) (i32.const 65536) (local.get $cookie) (i32.const 8)) (then (return (i32.const -2))))
        (local.set $used (i32.load (i32.const 8)))
        ;; walk whole dirents: 24-byte header + name
        (local.set $p (i32.const 65536))
        (block $end (loop $ent
          (br_if $end (i32.gt_u (i32.add (local.get $p) (i32.const 24)) (i32.add (i32.const 65536) (local.get $used))))
          (br_if $end (i32.gt_u (i32.add (i32.add (local.get $p) (i32.const 24)) (i32.load (i32.add (local.get $p) (i32.const 16))))
                                (i32.add (i32.const 65536) (local.get $used))))
          (local.set $cookie (i64.load (local.get $p)))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          (local.set $p (i32.add (i32.add (local.get $p) (i32.const 24)) (i32.load (i32.add (local.get $p) (i32.const 16)))))
          (br $ent)))
        (br_if $eof (i32.lt_u (local.get $used) (i32.const 65536)))
        (br $page)))
      (drop (call $close (local.get $fd)))
      (local.set $times (i32.sub (local.get $times) (i32.const 1))) (br $l)))
    (local.get $count)))`;

const bytes = encodeModule(parseWat(WAT));
const root = mkdtempSync(join(tmpdir(), 'kasane-wasi-bench-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'many'));
mkdirSync(join(root, 'fresh'));
for (let i = 0; i < DIR_FILES; i++) {
  writeFileSync(join(root, 'many', `file-${String(i).padStart(4, '0')}.txt`), '');
  writeFileSync(join(root, 'fresh', `file-${String(i).padStart(4, '0')}.txt`), '');
}
const devNull = openSync('/dev/null', 'w');
// NodeFileSystem keeps a listing only of a directory unchanged for a second (its ctime may not
// move within a tick of the filesystem's clock): wait that out, so that readdir measures an
// unchanged directory from its first round.
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1100);

type Exports = { small_writes(n: number): number; big_file(mb: number): number; list_dir(t: number, fresh: number): number };
// big-file starts from no file at all in every run (untimed): otherwise the first run creates it
// and the later ones truncate the previous run's 64 MiB first, which costs more (page cache) than
// the writes themselves, and "best of" compares a fresh-file run on one side with a truncating
// run on the other.
const removeBigFile = (): void => rmSync(join(root, 'big.bin'), { force: true });
// readdir lists an unchanged directory, which Kasane's host filesystem lists once and then
// keeps (NodeFileSystem.readdir); readdir-changed lists a directory changed just before, as a
// program's first look at it: readdir plus an lstat per entry for its inode (node:wasi reports
// inode 0 and lists without them).
const touchDir = (): void => {
  writeFileSync(join(root, 'fresh', 'touched'), '');
  rmSync(join(root, 'fresh', 'touched'));
};
// The last workload runs Kasane with direntInodes: false (d_ino 0, unknown, as node:wasi reports it).
const WORKLOADS: [string, (e: Exports) => number, (() => void)?][] = [
  ['small-writes', (e) => e.small_writes(SMALL_WRITES / SLICES)],
  ['big-file', (e) => e.big_file(BIG_MB), removeBigFile],
  ['readdir', (e) => e.list_dir(DIR_REPEAT, 0)],
  ['readdir-changed', (e) => e.list_dir(DIR_REPEAT, 1), touchDir],
  ['readdir-changed, d_ino 0', (e) => e.list_dir(DIR_REPEAT, 1), touchDir],
];
const NO_INODES = WORKLOADS.length - 1;

const clockMs = (): number => {
  if (!cpu) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function timed(run: () => number, before?: () => void): number {
  before?.();
  const t = clockMs();
  const r = run();
  const ms = clockMs() - t;
  if (r < 0) throw new Error(`workload failed: ${r} (${run.toString().slice(0, 60)})`);
  return ms;
}

/**
 * small-writes runs in slices of SMALL_WRITES / SLICES calls, the runtimes taking turns per
 * slice (a round's time is the sum of its slices): a busy machine's slow spells, which last
 * longer than a slice, then fall on all runtimes alike.
 */
const SLICES = 10;

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function kasane(engine: 'kasane' | 'native', direntInodes = true): Exports {
  const wasi = new Preview1({ preopens: { '/bench': new NodeFileSystem(root) }, stdout: nodeOutput(devNull), stderr: nodeOutput(2), direntInodes });
  const inst = instantiateWasiSync(bytes, wasi, engine);
  wasi.initialize(inst);
  return inst.exports as unknown as Exports;
}

function nodeWasi(): Exports {
  const wasi = new WASI({ version: 'preview1', preopens: { '/bench': root }, stdout: devNull, returnOnExit: true });
  // The host's own WebAssembly (not in this project's TypeScript lib).
  const WA = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: object } } }).WebAssembly;
  const inst = new WA.Instance(new WA.Module(bytes), wasi.getImportObject());
  wasi.initialize(inst);
  return inst.exports as unknown as Exports;
}

const PY = `
import os, sys, time, wasmtime
root, wat, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
clock = time.process_time if sys.argv[4] == 'cpu' else time.perf_counter
engine = wasmtime.Engine(); store = wasmtime.Store(engine)
linker = wasmtime.Linker(engine); linker.define_wasi()
cfg = wasmtime.WasiConfig(); cfg.preopen_dir(root, '/bench'); cfg.stdout_file = '/dev/null'
store.set_wasi(cfg)
inst = linker.instantiate(store, wasmtime.Module(engine, open(wat).read()))
ex = inst.exports(store)
for name, args, touch in (('small_writes', [${SMALL_WRITES}], False), ('big_file', [${BIG_MB}], False), ('list_dir', [${DIR_REPEAT}, 0], False), ('list_dir', [${DIR_REPEAT}, 1], True)):
    times = []
    for _ in range(runs):
        if name == 'big_file' and os.path.exists(os.path.join(root, 'big.bin')): os.remove(os.path.join(root, 'big.bin'))
        if touch:
            open(os.path.join(root, 'fresh', 'touched'), 'w').close(); os.remove(os.path.join(root, 'fresh', 'touched'))
        t = clock(); r = ex[name](store, *args); times.append(clock() - t)
        assert r >= 0, (name, r)
    times.sort()
    print(times[len(times) // 2] * 1000)
`;

function wasmtime(): number[] | undefined {
  if (spawnSync('python3', ['-c', 'import wasmtime'], { stdio: 'ignore' }).status !== 0) return undefined;
  const watFile = join(root, 'bench.wat');
  writeFileSync(watFile, WAT);
  const r = spawnSync('python3', ['-c', PY, root, watFile, String(RUNS), cpu ? 'cpu' : 'wall'], { encoding: 'utf8' });
  if (r.status !== 0) { console.error(r.stderr); return undefined; }
  return r.stdout.trim().split('\n').map(Number);
}

const RUNTIMES = [['node:wasi', nodeWasi], ['kasane/native', () => kasane('native')], ['kasane/kasane', () => kasane('kasane')]] as const;
const instances = RUNTIMES.map(([, make]) => make());
const noInodes = [instances[0], kasane('native', false), kasane('kasane', false)];
// The floor for small-writes on Node: fs.writeSync alone (what Kasane's Node stdout calls once per fd_write).
const chunk = new Uint8Array(16);
const floor = (): number => { for (let i = 0; i < SMALL_WRITES / SLICES; i++) writeSync(devNull, chunk, 0, 16); return 0; };
// times[workload][runtime][round]; the floor as one more runtime of small-writes.
const times = WORKLOADS.map(() => RUNTIMES.map((): number[] => []));
const floorTimes: number[] = [];
for (let round = 0; round < RUNS; round++) {
  WORKLOADS.forEach(([name, w, before], i) => {
    const slices = i === 0 ? SLICES : 1;
    const sums = RUNTIMES.map(() => 0);
    let floorSum = 0;
    for (let s = 0; s < slices; s++) {
      RUNTIMES.forEach(([label], k) => {
        const inst = i === NO_INODES ? noInodes[k] : instances[k];
        try { sums[k] += timed(() => w(inst), before); } catch (e) { throw new Error(`${label} ${name}: ${(e as Error).message}`); }
      });
      if (i === 0) floorSum += timed(floor);
    }
    sums.forEach((t, k) => times[i][k].push(t));
    if (i === 0) floorTimes.push(floorSum);
  });
}
const py = wasmtime();
closeSync(devNull);

/** Median and range over rounds of runtime k's time over node:wasi's (runtime 0) in the same round. */
const ratio = (i: number, k: number): string => {
  const r = times[i][k].map((t, round) => t / times[i][0][round]);
  return `${median(r).toFixed(2)}× (${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)})`;
};
const lines: string[] = [];
lines.push(`| workload | ${RUNTIMES.map(([l]) => l).join(' | ')} | wasmtime | kasane/native ÷ node:wasi | kasane/kasane ÷ node:wasi |`);
lines.push(`|---|${RUNTIMES.map(() => '---:').join('|')}|---:|---:|---:|`);
WORKLOADS.forEach(([name], i) => {
  const cells = RUNTIMES.map((_, k) => `${median(times[i][k]).toFixed(1)} ms`);
  lines.push(`| ${name} | ${cells.join(' | ')} | ${py?.[i] === undefined ? 'n/a' : `${py[i].toFixed(1)} ms`} | ${ratio(i, 1)} | ${ratio(i, 2)} |`);
});
console.log(`WASI system calls (${cpu ? 'process CPU time' : 'wall clock'}, medians of ${RUNS} rounds; ${SMALL_WRITES} x 16-byte fd_write to /dev/null; ${BIG_MB} MiB written and read in 1 MiB calls; ${DIR_FILES}-file directory listed ${DIR_REPEAT} times)\n`);
console.log(lines.join('\n'));
const floorRatio = median(floorTimes.map((t, round) => t / times[0][0][round]));
console.log(`\n${SMALL_WRITES} x fs.writeSync(/dev/null, 16 bytes) alone, no WebAssembly: ${median(floorTimes).toFixed(1)} ms (${floorRatio.toFixed(2)}× node:wasi's small-writes)`);
