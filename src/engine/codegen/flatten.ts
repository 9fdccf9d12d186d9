// Flattening of deep chains of nested blocks into one loop+switch state machine (function.ts
// emits the direct translation first; this rewrites its statements in place).
//
// A block A whose chain of directly nested targeted blocks (untargeted blocks emit no JS) is
// deeper than FLATTEN_DEPTH becomes, with all the blocks so nested in it (its set S), one state
// machine at a single JS nesting level:
//
//   sA = 0; A: for (;;) { switch (sA) { case 0: ... case 1: ... case n: ... } break A; }
//
// The end of each inner block of S becomes `case k:` (k in order of the ends), reached by
// falling through as before, and a branch to it, `break L;`, becomes `{ sA = k; continue A; }`;
// branches to A itself still break A. An S block's end is never inside another JS structure of
// the region (S blocks nest only in S blocks), so every case label sits directly in the switch.
// Loops and ifs inside the region are left as they are (chains inside them are flattened on
// their own). Iterative: nesting may be thousands deep.
//
// Such chains are compiled dispatch switches (Go's br_table dispatch, the opcode switch of an
// interpreter: wabt's wasm-interp), so three rewrites keep each dispatch to one JS switch:
// - a br_table whose targets are states jumps straight to them: `sA = <entry's state>; continue A`
//   instead of a JS switch setting sA (fuseBrTable), each entry having a case label of its own;
// - if such a br_table is the region's first statement at its top level (nothing before it in
//   state 0 branches), the code before it moves ahead of the loop and the loop starts at its
//   state: no loop iteration for state 0 at all (hoistEntry);
// - a jump to a state whose code is a few straight-line statements ending in a branch gets those
//   statements in place of the jump (threadJumps): handlers' shared `return Ok` tails.

import type { Nest } from './function.js';

/**
 * Chains of directly nested branched-to blocks deeper than this are flattened (see above): JS
 * parsers recurse on nesting, and V8's overflows its default stack at a few thousand levels
 * (Go's compiler emits such chains for br_table dispatch). Shallower chains keep the direct
 * translation, which is faster.
 */
export const FLATTEN_DEPTH = 64;

/** A br_table as function.ts emitted it, for fuseBrTable. */
export interface BrTableSite {
  /** Index in `out` of its statement (a JS switch). */
  readonly at: number;
  /** The selector variable (an i32). */
  readonly sel: string;
  /** Per entry (the default last): the branch statement (moves, then break/continue/return). */
  readonly stmts: readonly string[];
  /** Per entry: the target's label, or null for the function's (a return). */
  readonly labels: readonly (string | null)[];
  /** Per entry: whether the target is a block reached by exactly `break <label>;`. */
  readonly plain: readonly boolean[];
}

/** Most extra case labels fused br_tables may add to one switch (jump tables stay small). */
const MAX_FUSED_LABELS = 1 << 16;
/** A threaded tail: at most this many statements and characters, through at most this many states. */
const THREAD_STATEMENTS = 6;
const THREAD_CHARS = 400;
const THREAD_HOPS = 3;

interface Region {
  readonly root: Nest;
  /** The state variable. */
  readonly st: string;
  /** Members of S in order of their ends; member k (0-based) is state k + 1. */
  readonly inner: Nest[];
  /** Extra case labels per state (fused br_table entries). */
  readonly labels: Map<number, number[]>;
  /** Cases after the last state: labels and a branch statement each (fused br_table entries). */
  readonly extras: { values: number[]; stmt: string }[];
  /** The next free case value. */
  next: number;
}

/**
 * Rewrites `out` in place; `nests` are its JS nesting structures. Returns the state variables
 * to declare.
 */
export function flatten(out: string[], nests: Nest[], brTables: readonly BrTableSite[]): string[] {
  if (nests.length <= FLATTEN_DEPTH) return [];
  nests.sort((a, b) => a.open - b.open);
  const n = nests.length;
  const parent = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    while (stack.length > 0 && nests[stack[stack.length - 1]].close < nests[i].open) stack.pop();
    if (stack.length > 0) parent[i] = stack[stack.length - 1];
    stack.push(i);
  }
  // chain[i]: length of the longest chain of directly nested blocks starting at block i.
  const chain = new Int32Array(n);
  let deepest = 0;
  for (let i = n - 1; i >= 0; i--) {
    if (nests[i].kind !== 'block') continue;
    chain[i] += 1;
    deepest = Math.max(deepest, chain[i]);
    const p = parent[i];
    if (p >= 0 && nests[p].kind === 'block' && chain[p] < chain[i]) chain[p] = chain[i];
  }
  if (deepest <= FLATTEN_DEPTH) return [];
  // region[i]: index of the root A of the flattened region block i belongs to, or -1.
  const region = new Int32Array(n).fill(-1);
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (nests[i].kind !== 'block') continue;
    const p = parent[i];
    if (p >= 0 && region[p] >= 0) {
      region[i] = region[p];
      members.get(region[p])!.push(i);
    } else if (chain[i] > FLATTEN_DEPTH) {
      region[i] = i;
      members.set(i, []);
    }
  }
  const regions: Region[] = [];
  /** State of each S block's label: its region and state number. */
  const states = new Map<string, { r: Region; k: number }>();
  for (const [a, inner] of members) {
    const root = nests[a];
    inner.sort((x, y) => nests[x].close - nests[y].close);
    const r: Region = {
      root, st: `s${root.label}`, inner: inner.map((i) => nests[i]), labels: new Map(), extras: [], next: inner.length + 1,
    };
    regions.push(r);
    r.inner.forEach((b, k) => states.set(b.label, { r, k: k + 1 }));
  }
  const byLabel = new Map(nests.map((x) => [x.label, x]));
  const entries = new Map<Region, { at: number; assign: string }>();
  for (const t of brTables) {
    const f = fuseBrTable(out, t, states, byLabel);
    if (f !== undefined && !entries.has(f.r)) entries.set(f.r, { at: t.at, assign: f.assign });
  }
  const jumps = new Map<string, string>();
  for (const r of regions) {
    const { root, st } = r;
    const e = entries.get(r);
    if (e !== undefined && hoistable(out, nests, r, e.at)) {
      // The statements before the br_table run once, ahead of the loop, which starts at the
      // state the br_table selects.
      out[root.open] = '';
      out[e.at] = `${e.assign} ${root.label}: for (;;) { switch (${st}) {`;
    } else {
      out[root.open] = `${st} = 0; ${root.label}: for (;;) { switch (${st}) { case 0:`;
    }
    let close = '';
    for (const e of r.extras) close += `${e.values.map((v) => `case ${v}:`).join(' ')} { ${e.stmt} } `;
    out[root.close] = close === '' ? `} break ${root.label}; }` : `break ${root.label}; ${close}} break ${root.label}; }`;
    r.inner.forEach((b, k) => {
      out[b.open] = '';
      const extra = r.labels.get(k + 1);
      out[b.close] = `case ${k + 1}:${extra ? extra.map((v) => ` case ${v}:`).join('') : ''}`;
      jumps.set(b.label, `{ ${st} = ${k + 1}; continue ${root.label}; }`);
    });
  }
  for (let k = 0; k < out.length; k++) {
    const s = out[k];
    if (s.includes('break L')) out[k] = s.replace(/break (L\d+);/g, (m, l: string) => jumps.get(l) ?? m);
  }
  for (const r of regions) threadJumps(out, nests, r);
  return regions.map((r) => r.st);
}

/**
 * Replaces br_table `t` by a jump to the state of each entry when its targets include states:
 * `sA = (sel >>> 0) < n ? sel + base : dflt; continue A;`, entry i having case label base + i.
 * Entries that are not plain branches to the region's states get extra cases holding their
 * branch statement (after the last state, so nothing falls into them); their targets must
 * enclose the region (or be the function's), since the statement moves to its top level.
 * Returns the region and the assignment of the state.
 */
function fuseBrTable(
  out: string[], t: BrTableSite, states: Map<string, { r: Region; k: number }>, byLabel: Map<string, Nest>,
): { r: Region; assign: string } | undefined {
  let r: Region | undefined;
  for (let i = 0; i < t.labels.length; i++) {
    const s = t.plain[i] ? states.get(t.labels[i]!) : undefined;
    if (s === undefined) continue;
    if (r !== undefined && s.r !== r) return undefined; // targets in two regions: left as it is
    r = s.r;
  }
  const n = t.stmts.length - 1;
  if (r === undefined || n === 0 || r.next + n + t.stmts.length > MAX_FUSED_LABELS) return undefined;
  const region = r;
  const { root } = region;
  const stateOf = (i: number): number | undefined => {
    const s = t.plain[i] ? states.get(t.labels[i]!) : undefined;
    return s !== undefined && s.r === region ? s.k : undefined;
  };
  for (let i = 0; i <= n; i++) {
    if (stateOf(i) !== undefined) continue;
    const l = t.labels[i];
    if (l === null || l === root.label || states.get(l)?.r === region) continue;
    const x = byLabel.get(l);
    if (x === undefined || !(x.open < root.open && x.close > root.close)) return undefined;
  }
  const extraOf = new Map<string, { values: number[]; stmt: string }>();
  const extra = (i: number, value: number): void => {
    let e = extraOf.get(t.stmts[i]);
    if (!e) {
      extraOf.set(t.stmts[i], (e = { values: [], stmt: t.stmts[i] }));
      region.extras.push(e);
    }
    e.values.push(value);
  };
  const base = region.next;
  region.next += n;
  for (let i = 0; i < n; i++) {
    const k = stateOf(i);
    if (k === undefined) { extra(i, base + i); continue; }
    let l = region.labels.get(k);
    if (!l) region.labels.set(k, (l = []));
    l.push(base + i);
  }
  let dflt = stateOf(n);
  if (dflt === undefined) extra(n, (dflt = region.next++));
  const assign = `${region.st} = (${t.sel} >>> 0) < ${n} ? ${t.sel} + ${base} : ${dflt};`;
  out[t.at] = `${assign} continue ${root.label};`;
  return { r: region, assign };
}

/**
 * Whether the statements of state 0 before the fused br_table at `at` may run before the loop:
 * the br_table is at the region's top level (inside no other structure of it) and no statement
 * before it refers to the region's loop (branches to states or to the region's block).
 */
function hoistable(out: string[], nests: readonly Nest[], r: Region, at: number): boolean {
  const first = r.inner.length > 0 ? r.inner[0].close : r.root.close;
  if (at > first) return false; // not in state 0
  for (const x of nests) {
    if (x.open > r.root.open && x.open < at && x.close > at && x.kind !== 'block') return false;
  }
  const names = new Set([r.root.label, ...r.inner.map((b) => b.label)]);
  for (let k = r.root.open + 1; k < at; k++) {
    for (const m of out[k].matchAll(/(?:break|continue) (L\d+)/g)) if (names.has(m[1])) return false;
  }
  return true;
}

const MOVES = String.raw`(?:[\w.]+ = [\w.]+; )*`;
const EXIT = new RegExp(String.raw`^${MOVES}(?:(?:break|continue) L\d+|(?:H\.h = \w+; )?return(?: [\w.]+)?);$`);
const SIMPLE = /^[^{}]+$/;

/**
 * Replaces jumps `{ sA = k; continue A; }` by the code of state k when that is a few
 * straight-line statements ending in a branch out of the state (or the end of the switch), so a
 * handler's shared tail costs no second dispatch. Jumps inside a JS try statement of the region
 * (exception handlers) keep the jump: code run there could be caught by the handler.
 */
function threadJumps(out: string[], nests: readonly Nest[], r: Region): void {
  const { root, st } = r;
  const label = root.label;
  const caseAt = new Map<number, number>(); // state -> index of its case statement
  r.inner.forEach((b, k) => caseAt.set(k + 1, b.close));
  const jump = new RegExp(String.raw`^(${MOVES})\{ ${st} = (\d+); continue ${label}; \}$`);
  const tails = new Map<number, string | null>();
  const tailOf = (k: number, hops: number): string | null => {
    if (hops > THREAD_HOPS) return null;
    let body = '';
    let count = 0;
    let result: string | null = null;
    for (let i = caseAt.get(k)! + 1; ; i++) {
      const s = out[i];
      if (i === root.close) { result = `${body}break ${label};`; break; }
      if (s === '') continue;
      if (s.startsWith('case ')) {
        const next = Number(/^case (\d+):/.exec(s)![1]);
        const tail = tailOf(next, hops + 1);
        result = tail === null ? null : body + tail;
        break;
      }
      const j = jump.exec(s);
      if (j) {
        const tail = tailOf(Number(j[2]), hops + 1);
        result = tail === null ? null : body + j[1] + tail;
        break;
      }
      if (EXIT.test(s)) { result = body + s; break; }
      if (!SIMPLE.test(s) || ++count > THREAD_STATEMENTS) break;
      body += `${s} `;
    }
    if (result !== null && result.length > THREAD_CHARS) result = null;
    if (hops === 0) tails.set(k, result);
    return result;
  };
  for (const k of caseAt.keys()) tailOf(k, 0);
  const tries = nests.filter((x) => (x.kind === 'try' || x.kind === 'try_table') && x.open > root.open && x.close < root.close);
  const inTry = (i: number): boolean => tries.some((x) => x.open <= i && i <= x.close);
  const pattern = new RegExp(String.raw`\{ ${st} = (\d+); continue ${label}; \}`, 'g');
  for (let i = root.open; i <= root.close; i++) {
    const s = out[i];
    if (!s.includes(`continue ${label};`) || inTry(i)) continue;
    out[i] = s.replace(pattern, (m, k: string) => {
      const tail = tails.get(Number(k));
      return tail === null || tail === undefined ? m : `{ ${tail} }`;
    });
  }
}
