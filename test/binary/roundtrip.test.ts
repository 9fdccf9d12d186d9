// Round trips decode -> encode -> decode over a large real module and over every binary module
// of the spec test suite, plus the suite's assert_malformed binaries that the decoder can judge.
import { bytesOf, exprOf, type ByteRange } from '../../src/ast/module.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../src/binary/decode.js';
import { encodeModule } from '../../src/binary/encode.js';
import { readExpr, writeInstr } from '../../src/binary/instr.js';
import { Writer } from '../../src/binary/writer.js';
import { CompileError } from '../../src/errors.js';
import type { Module } from '../../src/ast/module.js';

const ROOT = process.cwd();
const ESBUILD = join(ROOT, 'node_modules/esbuild-wasm/esbuild.wasm');
const SUITE = '/work/shared/testsuite';

/** Structural equality that ignores Expr.offset (an encoding detail); throws naming the path. */
function same(a: unknown, b: unknown, path = 'module'): void {
  if (a === b) return;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) assert.fail(`${path}: length ${a.length} vs ${b.length}`);
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) assert.fail(`${path}[${i}]: ${a[i]} vs ${b[i]}`);
    return;
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) assert.fail(`${path}: map size ${a.size} vs ${b.size}`);
    for (const [k, v] of a) same(v, b.get(k), `${path}.get(${k})`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) assert.fail(`${path}: length ${a.length} vs ${b.length}`);
    for (let i = 0; i < a.length; i++) same(a[i], b[i], `${path}[${i}]`);
    return;
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    // Byte ranges (expressions, data segments) compare by their bytes, not where they live.
    if ((a as { source?: unknown }).source instanceof Uint8Array && (b as { source?: unknown }).source instanceof Uint8Array) {
      const ra = a as unknown as ByteRange, rb = b as unknown as ByteRange;
      assert.deepEqual(Buffer.from(bytesOf(ra)), Buffer.from(bytesOf(rb)), `${path}: bytes`);
      // A decoded data segment's mode may be a getter (ast/data-segment.ts): not an own key.
      const keys = new Set(Object.keys(a));
      if ('mode' in a) keys.add('mode');
      for (const k of keys) {
        if (k === 'source' || k === 'start' || k === 'end' || k === 'offset') continue;
        same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      }
      return;
    }
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    assert.deepEqual(ka.sort(), kb.sort(), `${path}: keys`);
    for (const k of ka) {
      same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    }
    return;
  }
  assert.fail(`${path}: ${String(a)} vs ${String(b)}`);
}

function roundTrip(bytes: Uint8Array): Module {
  const m1 = decodeModule(bytes);
  const m2 = decodeModule(encodeModule(m1));
  same(m2, m1);
  return m1;
}

/** Re-encodes every instruction of an expression: readExpr/writeInstr must reproduce it exactly. */
function instrRoundTrip(body: Uint8Array, offset: number): void {
  const instrs = readExpr(exprOf(body, offset));
  const w = new Writer();
  for (const i of instrs) writeInstr(w, i);
  w.u8(0x0b);
  const again = readExpr(exprOf(w.finish().slice()));
  same(again, instrs, `expr@${offset}`);
}

// ---------------------------------------------------------------- wast extraction

interface Tok { kind: '(' | ')' | 'atom' | 'string'; text?: string; bytes?: Uint8Array }

const utf8 = new TextEncoder();

/** Tokenises .wast: parens, atoms and string literals (as bytes), skipping comments. */
function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === '(' && src[i + 1] === ';') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (src[i] === '(' && src[i + 1] === ';') { depth++; i += 2; }
        else if (src[i] === ';' && src[i + 1] === ')') { depth--; i += 2; }
        else i++;
      }
    } else if (c === ';' && src[i + 1] === ';') {
      while (i < n && src[i] !== '\n') i++;
    } else if (c === '(' || c === ')') {
      toks.push({ kind: c });
      i++;
    } else if (c === '"') {
      const out: number[] = [];
      i++;
      while (i < n && src[i] !== '"') {
        if (src[i] === '\\') {
          const e = src[i + 1];
          if (/[0-9a-fA-F]/.test(e) && /[0-9a-fA-F]/.test(src[i + 2])) {
            out.push(parseInt(src.slice(i + 1, i + 3), 16));
            i += 3;
          } else if (e === 'u') {
            const close = src.indexOf('}', i);
            out.push(...utf8.encode(String.fromCodePoint(parseInt(src.slice(i + 3, close).replace(/_/g, ''), 16))));
            i = close + 1;
          } else {
            out.push(({ n: 10, t: 9, r: 13, '\\': 92, "'": 39, '"': 34 } as Record<string, number>)[e] ?? e.charCodeAt(0));
            i += 2;
          }
        } else {
          const cp = src.codePointAt(i)!;
          const s = String.fromCodePoint(cp);
          out.push(...utf8.encode(s));
          i += s.length;
        }
      }
      i++;
      toks.push({ kind: 'string', bytes: new Uint8Array(out) });
    } else if (/\s/.test(c)) {
      i++;
    } else {
      const start = i;
      while (i < n && !/[\s()";]/.test(src[i])) i++;
      toks.push({ kind: 'atom', text: src.slice(start, i) });
    }
  }
  return toks;
}

interface BinaryModule { file: string; bytes: Uint8Array; context: string; expected?: string }

/** Every `(module [$id] [definition] binary "..."*)`, with the head of its enclosing form. */
function binaryModules(file: string): BinaryModule[] {
  const toks = tokenize(readFileSync(file, 'utf8'));
  const out: BinaryModule[] = [];
  const heads: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === '(') {
      const h = toks[i + 1];
      heads.push(h?.kind === 'atom' ? h.text! : '');
      if (h?.kind === 'atom' && h.text === 'module') {
        let j = i + 2;
        while (toks[j]?.kind === 'atom' && toks[j].text !== 'binary') j++;
        if (toks[j]?.kind !== 'atom' || toks[j].text !== 'binary') continue;
        j++;
        const parts: Uint8Array[] = [];
        while (toks[j]?.kind === 'string') parts.push(toks[j++].bytes!);
        const len = parts.reduce((s, p) => s + p.length, 0);
        const bytes = new Uint8Array(len);
        let at = 0;
        for (const p of parts) { bytes.set(p, at); at += p.length; }
        const context = heads.length >= 2 ? heads[heads.length - 2] : '';
        // The expected message follows the module form's ')' in assert_malformed / assert_invalid.
        const expected = toks[j]?.kind === ')' && toks[j + 1]?.kind === 'string'
          ? new TextDecoder().decode(toks[j + 1].bytes) : undefined;
        out.push({ file, bytes, context, expected });
      }
    } else if (t.kind === ')') {
      heads.pop();
    }
  }
  return out;
}

function wastFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...wastFiles(p));
    else if (name.endsWith('.wast')) out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------- tests

test('esbuild.wasm decodes fast and round-trips', { skip: !existsSync(ESBUILD) }, () => {
  const bytes = new Uint8Array(readFileSync(ESBUILD));
  decodeModule(bytes); // warm up
  const runs = 5;
  const t0 = performance.now();
  let m!: Module;
  for (let i = 0; i < runs; i++) m = decodeModule(bytes);
  const ms = (performance.now() - t0) / runs;
  const t1 = performance.now();
  const encoded = encodeModule(m);
  const encMs = performance.now() - t1;
  console.log(`esbuild.wasm: ${(bytes.length / 1e6).toFixed(1)} MB, ${m.funcs.length} funcs, ` +
    `decode ${ms.toFixed(1)} ms (mean of ${runs}), encode ${encMs.toFixed(1)} ms, ` +
    `names: ${m.names ? m.names.funcs.size + ' funcs' : 'none'}`);
  assert.ok(m.funcs.length > 1000);
  same(decodeModule(encoded), m);
  // Instruction-level codec over a sample of function bodies.
  for (let i = 0; i < m.funcs.length; i += 97) instrRoundTrip(bytesOf(m.funcs[i].code), m.funcs[i].code.offset);
});

test('spec test suite binary modules', () => {
  // wasm-2.0/ has older rules (reserved zero bytes); the non-3.0 proposals are out of scope.
  const skip = ['/wasm-2.0/', '/custom-descriptors/', '/wide-arithmetic/', '/custom-page-sizes/'];
  const files = wastFiles(SUITE).filter((f) => !skip.some((s) => f.includes(s)) && readFileSync(f, 'utf8').includes('binary'));
  let decoded = 0;
  let exprs = 0;
  let malformedRejected = 0;
  let malformedSameMessage = 0;
  const malformedAccepted: string[] = [];
  const mismatches: string[] = [];
  const failures: string[] = [];
  for (const file of files) {
    for (const bm of binaryModules(file)) {
      const where = `${bm.file.slice(SUITE.length + 1)} (${bm.context || 'module'})`;
      if (bm.context === 'assert_malformed') {
        try {
          decodeModule(bm.bytes);
          malformedAccepted.push(`${where}: ${bm.expected}` + (process.env.KASANE_VERBOSE === '2' ? ' ' + Buffer.from(bm.bytes.subarray(8)).toString('hex') : ''));
        } catch (e) {
          assert.ok(e instanceof CompileError, `${where}: ${String(e)}`);
          malformedRejected++;
          if (bm.expected && e.message.startsWith(bm.expected)) malformedSameMessage++;
          else mismatches.push(`${where}: expected "${bm.expected}", got "${e.message}"` + (process.env.KASANE_VERBOSE === "2" ? " " + Buffer.from(bm.bytes.subarray(8)).toString("hex") : ""));
        }
        continue;
      }
      let m: Module;
      try {
        m = roundTrip(bm.bytes);
      } catch (e) {
        failures.push(`${where}: ${(e as Error).message}`);
        continue;
      }
      decoded++;
      for (const f of m.funcs) {
        try {
          instrRoundTrip(bytesOf(f.code), f.code.offset);
          exprs++;
        } catch (e) {
          // Bodies of assert_invalid modules may be undecodable only if malformed; those never come here.
          failures.push(`${where}: body: ${(e as Error).message}`);
        }
      }
    }
  }
  console.log(`suite: ${decoded} binary modules round-tripped (${exprs} bodies re-encoded); ` +
    `assert_malformed: ${malformedRejected} rejected at decode (${malformedSameMessage} with the expected message), ` +
    `${malformedAccepted.length} accepted (malformed inside function bodies: the validator's job)`);
  if (process.env.KASANE_VERBOSE) {
    for (const s of mismatches) console.log('  mismatch', s);
    for (const s of malformedAccepted) console.log('  accepted', s);
  }
  assert.deepEqual(failures, []);
});
