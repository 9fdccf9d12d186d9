// Seeded property tests of the front end's robustness: whatever bytes or text come in,
// decodeModule + validateModule and parseWat either succeed or throw CompileError: never
// another exception, never a hang, never an allocation sized by an unchecked count.
// Set KASANE_FUZZ_SEED to reproduce a run, KASANE_FUZZ_CASES to change its size.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../src/binary/decode.js';
import { encodeModule } from '../../src/binary/encode.js';
import { parseWat } from '../../src/text/module.js';
import { printModule } from '../../src/text/print.js';
import { validateModule } from '../../src/validate/validate.js';
import { CompileError } from '../../src/errors.js';
import { Writer } from '../../src/binary/writer.js';
import { suiteRoot } from '../spec/suite.js';
import { prng } from '../support/prng.js';

const SEED = Number(process.env.KASANE_FUZZ_SEED ?? 0x6b61736e) >>> 0;
const CASES = Number(process.env.KASANE_FUZZ_CASES ?? 60000);
/** A single case may take at most this long (a hang shows up as a blown budget, not a stuck run). */
const CASE_BUDGET_MS = 2000;


class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  byte(): number {
    return this.int(256);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

// --- Hand-made seed modules ---

function section(id: number, body: (w: Writer) => void): number[] {
  const inner = new Writer();
  body(inner);
  const w = new Writer().u8(id).sized(inner);
  return Array.from(w.finish());
}

function module(...sections: number[][]): Uint8Array {
  return Uint8Array.from([...HEADER, ...sections.flat()]);
}

function handMade(): Uint8Array[] {
  const typeSec = section(1, (w) => {
    w.u32(3);
    w.u8(0x60).u32(2).u8(0x7f).u8(0x7f).u32(1).u8(0x7f); // (i32 i32) -> i32
    w.u8(0x60).u32(0).u32(0); // () -> ()
    w.u8(0x5f).u32(2).u8(0x7f).u8(0x01).u8(0x7e).u8(0x00); // struct (mut i32) i64
  });
  const importSec = section(2, (w) => {
    w.u32(2);
    w.name('env').name('f').u8(0x00).u32(1);
    w.name('env').name('mem').u8(0x02).u8(0x01).u32(1).u32(2);
  });
  const funcSec = section(3, (w) => w.u32(2).u32(0).u32(1));
  const tableSec = section(4, (w) => w.u32(1).u8(0x70).u8(0x00).u32(4));
  const globalSec = section(6, (w) => {
    w.u32(1).u8(0x7f).u8(0x01).u8(0x41).s32(42).u8(0x0b);
  });
  const exportSec = section(7, (w) => w.u32(2).name('add').u8(0).u32(1).name('g').u8(3).u32(0));
  const elemSec = section(9, (w) => w.u32(1).u32(0).u8(0x41).s32(0).u8(0x0b).u32(2).u32(1).u32(2));
  const dataCount = section(12, (w) => w.u32(1));
  const codeSec = section(10, (w) => {
    w.u32(2);
    const f1 = new Writer().u32(1).u32(1).u8(0x7f) // one i32 local
      .u8(0x02).u8(0x7f) // block (result i32)
      .u8(0x20).u32(0).u8(0x20).u32(1).u8(0x6a) // local.get 0 local.get 1 i32.add
      .u8(0x22).u32(2).u8(0x20).u32(0).u8(0x0d).u32(0).u8(0x1a) // local.tee 2 local.get 0 br_if 0 drop
      .u8(0x41).s32(1).u8(0x28).u32(2).u32(0) // i32.const 1 i32.load
      .u8(0x0b).u8(0x0b);
    w.sized(f1);
    const f2 = new Writer().u32(0)
      .u8(0x10).u32(0).u8(0x03).u8(0x40).u8(0x0c).u32(0).u8(0x0b) // call 0; loop br 0 end
      .u8(0xfc).u32(9).u32(0) // data.drop 0
      .u8(0x0b);
    w.sized(f2);
  });
  const dataSec = section(11, (w) => w.u32(1).u32(1).u32(3).u8(1).u8(2).u8(3));
  return [
    module(),
    module(typeSec),
    module(typeSec, importSec, funcSec, tableSec, globalSec, exportSec, elemSec, dataCount, codeSec, dataSec),
    module(typeSec, importSec, funcSec, dataCount, codeSec, dataSec),
    module(section(0, (w) => w.name('custom').u8(1).u8(2))),
  ];
}

// --- Spec suite seeds: top-level `(module ...)` texts, found by bracket matching ---

/** Top-level text modules of a .wast script (skipping binary/quote forms and assertions). */
export function extractTextModules(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '"') {
      for (i++; i < src.length && src[i] !== '"'; i++) if (src[i] === '\\') i++;
    } else if (c === ';' && src[i + 1] === ';') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '(' && src[i + 1] === ';') {
      let d = 1;
      for (i += 2; i < src.length && d > 0; i++) {
        if (src[i] === '(' && src[i + 1] === ';') { d++; i++; }
        else if (src[i] === ';' && src[i + 1] === ')') { d--; i++; }
      }
      i--;
    } else if (c === '(') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0 && start >= 0) {
        const text = src.slice(start, i + 1);
        if (/^\(module[\s)]/.test(text) && !/^\(module(\s+\$\S+)?\s+(binary|quote|definition|instance)\b/.test(text)) {
          out.push(text);
        }
        start = -1;
      }
    }
  }
  return out;
}

function specTextModules(maxLen: number, maxCount: number): string[] {
  const root = suiteRoot();
  if (!root) return [];
  const out: string[] = [];
  const files = readdirSync(root).filter((f) => f.endsWith('.wast')).sort();
  for (const f of files) {
    for (const t of extractTextModules(readFileSync(join(root, f), 'utf8'))) {
      if (t.length <= maxLen) out.push(t);
    }
  }
  // A deterministic spread over the suite rather than the first files alphabetically.
  const step = Math.max(1, Math.floor(out.length / maxCount));
  return out.filter((_, i) => i % step === 0).slice(0, maxCount);
}

function specBinaries(texts: string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const t of texts) {
    try {
      out.push(encodeModule(parseWat(t)).slice());
    } catch {
      // A module our parser or encoder cannot handle yet is no use as a seed.
    }
  }
  return out;
}

// --- Mutations ---

function mutate(rng: Rng, input: Uint8Array): Uint8Array {
  const b = Array.from(input);
  const rounds = 1 + rng.int(4);
  for (let k = 0; k < rounds; k++) {
    const at = b.length ? rng.int(b.length) : 0;
    switch (rng.int(8)) {
      case 0: // bit flip
        if (b.length) b[at] ^= 1 << rng.int(8);
        break;
      case 1: // random byte
        if (b.length) b[at] = rng.byte();
        break;
      case 2: // insertion
        b.splice(at, 0, ...Array.from({ length: 1 + rng.int(4) }, () => rng.byte()));
        break;
      case 3: // deletion
        b.splice(at, 1 + rng.int(4));
        break;
      case 4: // truncation
        b.length = at;
        break;
      case 5: // LEB extension: a redundant 0x80 continuation makes the same number longer
        if (b.length) b.splice(at, 1, b[at] | 0x80, 0x00);
        break;
      case 6: // interesting values
        if (b.length) b[at] = rng.pick([0x00, 0x01, 0x7f, 0x80, 0xff, 0x0b, 0x40, 0x60, 0x70, 0xfb, 0xfc, 0xfd, 0xfe]);
        break;
      case 7: // big count: a maximal u32 LEB
        b.splice(at, 1, 0xff, 0xff, 0xff, 0xff, 0x0f);
        break;
    }
  }
  // Mostly keep the header intact, so that mutations reach the sections.
  if (rng.int(8) !== 0) for (let i = 0; i < 8; i++) b[i] = HEADER[i];
  return Uint8Array.from(b);
}

function randomModule(rng: Rng): Uint8Array {
  const n = rng.int(64);
  const b = [...HEADER];
  for (let i = 0; i < n; i++) b.push(rng.int(3) === 0 ? rng.int(14) : rng.byte());
  return Uint8Array.from(b);
}

interface Failure {
  readonly case: number;
  readonly input: string;
  readonly error: string;
}

function hexdump(b: Uint8Array): string {
  return Array.from(b.subarray(0, 96), (x) => x.toString(16).padStart(2, '0')).join('') + (b.length > 96 ? '...' : '');
}

/** Feeds one input to a front end: 'ok', 'rejected' (a CompileError), or a failure description. */
function check(run: () => void): string {
  try {
    run();
    return 'ok';
  } catch (e) {
    if (e instanceof CompileError) return 'rejected';
    return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}` : String(e);
  }
}

function decodeAndValidate(bytes: Uint8Array): void {
  validateModule(decodeModule(bytes));
}

test(`binary fuzz (seed ${SEED}, ${CASES} cases)`, { timeout: 120_000 }, () => {
  console.log(`# fuzz seed: ${SEED} (KASANE_FUZZ_SEED to reproduce)`);
  const rng = new Rng(SEED);
  const seeds = [...handMade(), ...specBinaries(specTextModules(4000, 300))];
  handMade().forEach((s, i) => {
    try {
      decodeAndValidate(s);
    } catch (e) {
      assert.fail(`hand-made seed module ${i} is rejected: ${String(e)}`);
    }
  });
  console.log(`# binary seeds: ${seeds.length}`);
  const failures: Failure[] = [];
  let slowest = 0;
  let accepted = 0;
  const t0 = performance.now();
  for (let c = 0; c < CASES; c++) {
    const input = c % 4 === 0 ? randomModule(rng) : mutate(rng, rng.pick(seeds));
    const start = performance.now();
    const err = check(() => decodeAndValidate(input));
    const dt = performance.now() - start;
    slowest = Math.max(slowest, dt);
    if (err === 'ok') {
      accepted++;
      // A valid module must also print to text that parses back.
      const perr = check(() => void parseWat(printModule(decodeModule(input))));
      if (perr !== 'ok' && failures.length < 20) failures.push({ case: c, input: hexdump(input), error: `print/parse: ${perr}` });
    }
    if (err !== 'ok' && err !== 'rejected' && failures.length < 20) failures.push({ case: c, input: hexdump(input), error: err });
    if (dt > CASE_BUDGET_MS) failures.push({ case: c, input: hexdump(input), error: `took ${dt.toFixed(0)} ms` });
  }
  console.log(`# ${CASES} cases in ${(performance.now() - t0).toFixed(0)} ms, slowest ${slowest.toFixed(1)} ms, ${accepted} accepted`);
  assert.deepEqual(failures, [], `non-CompileError exceptions or slow cases (seed ${SEED})`);
});

/** A section whose vector count is 2^32-1 (or close to it), in a file of a few bytes. */
const HUGE = [0xff, 0xff, 0xff, 0xff, 0x0f];

const hugeCases: [string, Uint8Array][] = [
  ['types', module([0x01, 0x06, ...HUGE, 0x60])],
  ['imports', module([0x02, 0x07, ...HUGE, 0x01, 0x61])],
  ['functions', module([0x03, 0x06, ...HUGE, 0x00])],
  ['tables', module([0x04, 0x06, ...HUGE, 0x70])],
  ['memories', module([0x05, 0x06, ...HUGE, 0x00])],
  ['globals', module([0x06, 0x06, ...HUGE, 0x7f])],
  ['exports', module([0x07, 0x06, ...HUGE, 0x00])],
  ['elems', module([0x09, 0x06, ...HUGE, 0x00])],
  ['code', module([0x0a, 0x06, ...HUGE, 0x00])],
  ['data', module([0x0b, 0x06, ...HUGE, 0x00])],
  ['data count', module([0x0c, 0x05, ...HUGE])],
  ['struct fields', module([0x01, 0x08, 0x01, 0x5f, ...HUGE, 0x7f])],
  ['func params', module([0x01, 0x08, 0x01, 0x60, ...HUGE, 0x7f])],
  ['rec group', module([0x01, 0x07, 0x01, 0x4e, ...HUGE])],
  ['data bytes', module([0x0b, 0x0a, 0x01, 0x01, ...HUGE, 0x00, 0x00, 0x00])],
  ['name length', module([0x00, 0x06, ...HUGE, 0x61])],
  [
    'locals',
    module(
      [0x01, 0x04, 0x01, 0x60, 0x00, 0x00],
      [0x03, 0x02, 0x01, 0x00],
      [0x0a, 0x0a, 0x01, 0x08, 0x01, ...HUGE, 0x7f, 0x0b],
    ),
  ],
  [
    'br_table',
    module(
      [0x01, 0x04, 0x01, 0x60, 0x00, 0x00],
      [0x03, 0x02, 0x01, 0x00],
      [0x0a, 0x0b, 0x01, 0x09, 0x00, 0x0e, ...HUGE, 0x00, 0x0b],
    ),
  ],
  [
    'typed select',
    module(
      [0x01, 0x04, 0x01, 0x60, 0x00, 0x00],
      [0x03, 0x02, 0x01, 0x00],
      [0x0a, 0x0b, 0x01, 0x09, 0x00, 0x1c, ...HUGE, 0x7f, 0x0b],
    ),
  ],
];

test('huge declared counts are rejected quickly, without a big allocation', () => {
  for (const [name, bytes] of hugeCases) {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const mem0 = process.memoryUsage();
    const before = mem0.heapUsed + mem0.arrayBuffers;
    const t0 = performance.now();
    let error: unknown;
    try {
      decodeAndValidate(bytes);
    } catch (e) {
      error = e;
    }
    const dt = performance.now() - t0;
    const mem1 = process.memoryUsage();
    const grown = mem1.heapUsed + mem1.arrayBuffers - before;
    assert.ok(error instanceof CompileError, `${name}: expected CompileError, got ${String(error)}`);
    assert.ok(dt < 200, `${name}: took ${dt.toFixed(1)} ms`);
    assert.ok(grown < 16 * 2 ** 20, `${name}: heap grew by ${(grown / 2 ** 20).toFixed(1)} MiB`);
    assert.ok(bytes.length <= 32);
  }
});

// --- Text fuzz ---

const WAT_SEEDS = [
  `(module
  (type $t (func (param i32 i32) (result i32)))
  (import "env" "f" (func $f (type $t)))
  (memory 1 2)
  (table 2 funcref)
  (global $g (mut i64) (i64.const -1))
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (local $x f64)
    local.get $a
    local.get $b
    i32.add
    (f64.const 0x1.8p+1) local.set $x
    (block $l (result i32) (br_if $l (i32.const 7) (i32.const 1)))
    drop)
  (elem (i32.const 0) $add $f)
  (data (i32.const 8) "hi\\00\\ff"))`,
  `(module
  (rec (type $s (sub (struct (field (mut i8)) (field $n f32)))) (type $a (array (mut (ref null $s)))))
  (func (param (ref null $a)) (result anyref)
    local.get 0
    ref.as_non_null
    (ref.cast (ref $a))
    (br_on_cast_fail 0 (ref $a) (ref $a))))`,
  `(module
  (memory i64 1)
  (tag $e (param i32))
  (func (result i32)
    (try_table (result i32) (catch $e 0) (i32.const 1))
    (v128.const f32x4 nan -inf 0x1p-149 1e38) i32x4.extract_lane 3 drop
    (i64.load offset=8 align=4 (i64.const 0)) drop))`,
];

function textSeeds(): string[] {
  return [...WAT_SEEDS, ...specTextModules(3000, 200)];
}

const TOKENS = ['(', ')', '"', '$', ';;', '(;', ';)', '0x', 'nan:0x', 'inf', '-', '+', '_', '.', 'e', 'p', '\\', '\\u{110000}',
  ' ', '\n', 'i32', 'func', 'module', 'local.get', 'end', 'block', '(@custom "x" "y")', '\u00e9', '\u{1F600}',
  '18446744073709551616', '0x1p+99999', '(type 999)', '$x', 'offset=', 'align=3'];

function mutateText(rng: Rng, s: string): string {
  const rounds = 1 + rng.int(3);
  for (let k = 0; k < rounds; k++) {
    const at = rng.int(s.length + 1);
    switch (rng.int(5)) {
      case 0: s = s.slice(0, at) + rng.pick(TOKENS) + s.slice(at); break;
      case 1: s = s.slice(0, at) + s.slice(at + 1 + rng.int(8)); break;
      case 2: s = s.slice(0, at); break;
      case 3: { const from = rng.int(s.length + 1); s = s.slice(0, at) + s.slice(from, from + rng.int(40)) + s.slice(at); break; }
      case 4: s = s.slice(0, at) + String.fromCharCode(rng.int(128)) + s.slice(at + 1); break;
    }
  }
  return s;
}

test(`text fuzz (seed ${SEED}, ${Math.floor(CASES / 2)} cases)`, { timeout: 120_000 }, () => {
  const rng = new Rng(SEED ^ 0x5eed);
  const seeds = textSeeds();
  const failures: Failure[] = [];
  let slowest = 0;
  const t0 = performance.now();
  const n = Math.floor(CASES / 2);
  for (let c = 0; c < n; c++) {
    const src = mutateText(rng, rng.pick(seeds));
    const start = performance.now();
    const err = check(() => validateModule(parseWat(src)));
    const dt = performance.now() - start;
    slowest = Math.max(slowest, dt);
    if (err !== 'ok' && err !== 'rejected' && failures.length < 20) failures.push({ case: c, input: src.slice(0, 400), error: err });
    if (dt > CASE_BUDGET_MS) failures.push({ case: c, input: src.slice(0, 400), error: `took ${dt.toFixed(0)} ms` });
  }
  console.log(`# ${n} text cases in ${(performance.now() - t0).toFixed(0)} ms (${seeds.length} seeds), slowest ${slowest.toFixed(1)} ms`);
  assert.deepEqual(failures, [], `non-CompileError exceptions or slow cases (seed ${SEED})`);
});

// Keeps the extraction honest: it must find modules when the suite is there.
test('spec module extraction', (t) => {
  const root = suiteRoot();
  if (!root || !existsSync(join(root, 'i32.wast'))) {
    t.skip('spec test suite not found');
    return;
  }
  const mods = extractTextModules(readFileSync(join(root, 'i32.wast'), 'utf8'));
  assert.ok(mods.length >= 1 && mods[0].startsWith('(module'));
});
