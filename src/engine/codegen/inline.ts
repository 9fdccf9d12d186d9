// Wasm-level inlining of small callees into big functions (function.ts emits their bodies in
// place of `call`), and how backtraces find the inlined frames again.
//
// V8 inlines small JS functions, but its inlining budget is cumulative per optimized function:
// in a big function (an interpreter's dispatch loop, 100 KB of Wasm) it inlines almost nothing,
// so every per-step helper (value-stack push, instruction decode) stays a real call, around which
// every live value is spilled (V8's JS calls have no callee-saved registers). Only callers of at
// least CALLER_MIN bytes inline, so ordinary code is translated as before: with 2 KB, Go's many
// functions of a few KB inlined so much that translating esbuild.wasm's first call took 55 ms of
// CPU instead of 37 (bench/coldstart.ts).
//
// Backtraces: a trap inside inlined code, or a call made from it, shows the caller's JS frame at
// a position inside the inlined statements. Those statements are bracketed by comments naming
// the inlined function (`/*@<f>*/ ... /*@*/`), which survive flatten's copies of statements; the
// backtrace (runtime.ts) reads the frame's line and column in the generated source and inserts
// the inlined function's frame. Inlining is one level deep: calls in inlined code are calls.

import { Reader } from '../../binary/reader.js';
import { readInstr } from '../../binary/instr.js';
import type { ModuleInfo } from './context.js';

/** Callers with a body of at least this many bytes inline their callees (huge dispatch loops). */
export const CALLER_MIN = 16384;
/** Callees of at most this many bytes are inlined (if they qualify). */
export const CALLEE_MAX = 64;
/** Leaf callees (no calls, no loops) of at most this many bytes are inlined too... */
export const LEAF_MAX = 2048;
/** ...within this many bytes of callee code per caller in all (the smallest callees first). */
export const BUDGET = 4096;

interface CalleeInfo {
  readonly bytes: number;
  /** Whether the body has only instructions the inliner handles (no exceptions, tail calls, ...). */
  readonly ok: boolean;
  /** No calls of any kind and no loops. */
  readonly leaf: boolean;
}

const calleeInfos = new WeakMap<ModuleInfo, Map<number, CalleeInfo>>();

function bodyOf(info: ModuleInfo, funcIdx: number) {
  return info.module.funcs[funcIdx - info.importedFuncs];
}

/** Scans a callee's body once per module. */
function calleeInfo(info: ModuleInfo, funcIdx: number): CalleeInfo {
  let m = calleeInfos.get(info);
  if (m === undefined) calleeInfos.set(info, (m = new Map()));
  let ci = m.get(funcIdx);
  if (ci !== undefined) return ci;
  const def = bodyOf(info, funcIdx);
  const bytes = def.code.end - def.code.start;
  let ok = bytes <= LEAF_MAX;
  let leaf = true;
  if (ok) {
    const r = new Reader(def.code.source, def.code.start, def.code.end);
    let depth = 1;
    while (depth > 0 && ok) {
      const ins = readInstr(r);
      const { prefix, code } = ins.op;
      if (prefix === 0) {
        if (code === 0x02 || code === 0x03 || code === 0x04) depth++;
        else if (code === 0x0b) depth--;
        if (code === 0x03 || code === 0x10 || code === 0x11 || code === 0x14) leaf = false;
        // Exceptions, tail calls and typed-reference branches depend on the function's frame.
        if ((code >= 0x06 && code <= 0x0a) || code === 0x12 || code === 0x13 || code === 0x15 ||
          code === 0x18 || code === 0x19 || code === 0x1f || code >= 0xd0) ok = false;
      } else if (prefix !== 0xfc) {
        ok = false; // vector, GC and atomic instructions: left to calls
      }
    }
  }
  ci = { bytes, ok, leaf };
  m.set(funcIdx, ci);
  return ci;
}

/**
 * The callees that function `funcIdx` inlines at its direct call sites (none unless it is big):
 * callees of at most CALLEE_MAX bytes, and leaves of at most LEAF_MAX bytes within BUDGET, the
 * smallest first. Never the function itself.
 */
export function inlinePlan(info: ModuleInfo, funcIdx: number): ReadonlySet<number> {
  const plan = new Set<number>();
  const def = bodyOf(info, funcIdx);
  if (def.code.end - def.code.start < CALLER_MIN) return plan;
  const sites = new Map<number, number>();
  const r = new Reader(def.code.source, def.code.start, def.code.end);
  let depth = 1;
  while (depth > 0) {
    const ins = readInstr(r);
    const { prefix, code } = ins.op;
    if (prefix !== 0) continue;
    if (code === 0x02 || code === 0x03 || code === 0x04 || code === 0x06 || code === 0x1f) depth++;
    else if (code === 0x0b || code === 0x18) depth--;
    else if (code === 0x10 && ins.index! >= info.importedFuncs && ins.index! !== funcIdx) {
      sites.set(ins.index!, (sites.get(ins.index!) ?? 0) + 1);
    }
  }
  const candidates: [number, number][] = [];
  for (const [f, n] of sites) {
    const ci = calleeInfo(info, f);
    if (!ci.ok) continue;
    if (ci.bytes <= CALLEE_MAX) plan.add(f);
    else if (ci.leaf) candidates.push([f, ci.bytes * n]);
  }
  candidates.sort((a, b) => a[1] - b[1]);
  let spent = 0;
  for (const [f, cost] of candidates) {
    if (spent + cost > BUDGET) break;
    spent += cost;
    plan.add(f);
  }
  return plan;
}

/** Comment opening statements of inlined function `f` (closed by CLOSE). */
export const open = (f: number): string => `/*@${f}*/`;
export const CLOSE = '/*@*/';

/**
 * Brackets the statements out[from..to) emitted for an inlined call of `f`, except empty ones and
 * plain branches (which neither trap nor call; flatten's threading recognises them as they are).
 */
export function mark(out: string[], from: number, to: number, f: number): void {
  const o = open(f);
  for (let k = from; k < to; k++) {
    const s = out[k];
    if (s === '' || PLAIN.test(s)) continue;
    out[k] = `${o}${s}${CLOSE}`;
  }
}

const PLAIN = /^(?:[\w.]+ = [\w.]+; )*(?:(?:break|continue) L\d+;|\}|\} else \{|L\d+: \{|L\d+: for \(;;\) \{)$/;

/**
 * The function inlined at column `col` (1-based) of `line` of generated source, if the position
 * is inside bracketed statements.
 */
export function inlinedAt(line: string, col: number): number | undefined {
  const before = line.slice(0, Math.max(0, col - 1));
  const at = before.lastIndexOf('/*@');
  if (at < 0) return undefined;
  const m = /^\/\*@(\d*)\*\//.exec(before.slice(at));
  return m && m[1] !== '' ? Number(m[1]) : undefined;
}
