// Seeded robustness test of the component decoder and validator: mutated and truncated real
// components (the fixtures) either decode and validate or throw CompileError, never another
// exception. KASANE_FUZZ_SEED reproduces a run, KASANE_FUZZ_CASES changes its size.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeComponent, validateComponent, CompileError } from '../../src/index.js';
import { prng } from '../support/prng.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = join(root, 'test', 'component', 'fixtures');
const SEED = Number(process.env.KASANE_FUZZ_SEED ?? 0x636f6d70) >>> 0;
const CASES = Number(process.env.KASANE_FUZZ_CASES ?? 4000);


test(`mutated components: CompileError or valid, nothing else (seed ${SEED}, ${CASES} cases)`, () => {
  const rnd = prng(SEED);
  const int = (n: number): number => Math.floor(rnd() * n);
  // The small fixtures whole, and the first 4 KiB of the large ones (their component-level sections
  // come first; the nested core modules are fuzzed by the core robustness test).
  const seeds = readdirSync(dir).filter((f) => f.endsWith('.wasm')).map((f) => readFileSync(join(dir, f))).map((b) => (b.length > 8192 ? b.subarray(0, 4096) : b));
  let valid = 0, errors = 0;
  for (let i = 0; i < CASES; i++) {
    const base = seeds[int(seeds.length)];
    let bytes = Uint8Array.from(base);
    switch (int(4)) {
      case 0: bytes = bytes.subarray(0, 8 + int(bytes.length - 8)); break;
      case 1: for (let k = 1 + int(4); k > 0; k--) bytes[8 + int(bytes.length - 8)] = int(256); break;
      case 2: { const at = 8 + int(bytes.length - 8); bytes[at] = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x3f][int(7)]; break; }
      default: { const at = 8 + int(bytes.length - 8); const n = 1 + int(16); bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + n)]); }
    }
    try {
      validateComponent(decodeComponent(bytes));
      valid++;
    } catch (e) {
      if (!(e instanceof CompileError)) assert.fail(`case ${i}: ${e instanceof Error ? e.stack : String(e)}`);
      errors++;
    }
  }
  assert.ok(errors > CASES / 2, `most mutations are rejected (${errors} of ${CASES}; ${valid} still valid)`);
});
