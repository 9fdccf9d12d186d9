// Translates one validated function body into the source of a JS factory
// `(R, I) => function w$<module>$<func>(l0, l1, ...) {...}` (R: runtime.ts, I: instance state).
//
// Wasm locals become `let l<n>`, operand-stack slot k of type t becomes `let <t><k>` (t a type
// character, context.ts), so every JS variable holds one type. An i64 variable `x` is two int32
// variables, `x` (low word) and `xh` (high word): codegen/i64.ts; a v128 one is four (parts). The module is valid, so stack
// heights and types are known statically. Structured control maps to labelled JS statements:
// block -> `L: {}`, loop -> `L: for (;;) { ...; break L; }`, if -> `L: if (c) {} else {}`; a
// branch moves the carried values into the target's slots and breaks/continues. Code after an
// unconditional branch is skipped up to the end of its block (it cannot run).
// Chains of more than FLATTEN_DEPTH directly nested targeted blocks (Go's br_table dispatch) are
// flattened into a loop+switch state machine, since JS parsers recurse on nesting (flatten.ts).

import { Reader } from '../../binary/reader.js';
import { readInstr } from '../../binary/instr.js';
import type { Catch, Instr, BlockType, MemArg } from '../../ast/instr.js';
import type { FuncType, ValType } from '../../ast/types.js';
import { RuntimeError } from '../../errors.js';
import { type ModuleInfo, tyChar, zeroOf } from './context.js';
import { LOADS, NUMERIC, QUIET_RESULTS, QUIET_STORES, STORES } from './numeric.js';
import { I64_CONST_SHIFTS, I64_LOADS, I64_NUMERIC, I64_STORES } from './i64.js';
import { emitVector } from './vector.js';
import { emitGc } from './gc.js';
import { addrChar, addrOf, addrTypes, effectiveAddress, setAddrValue } from './address.js';
import { emitAtomic } from './atomic.js';
import * as EH from './exceptions.js';
import { emitReturnCall, emitReturnCallIndirect, emitReturnCallRef } from './calls.js';
import * as Fold from './fold.js';
import { type BrTableSite, flatten } from './flatten.js';
import { inlinePlan, mark as markInlined } from './inline.js';
import { outline, outlined as outlines } from './outline.js';

export interface Frame {
  readonly kind: 'block' | 'loop' | 'if' | 'func' | 'try' | 'try_table';
  readonly label: string;
  /** Stack height below the block's parameters. */
  readonly base: number;
  readonly params: string[];
  readonly results: string[];
  /** Whether the end is reached: by a branch to it or by falling through. */
  reached: boolean;
  /** Stack types below the block, restored at else/end. */
  readonly below: string[];
  /** Whether a branch names this label; untargeted blocks and loops are emitted flat. */
  targeted: boolean;
  /** Index in `out` of the statement that opens the block. */
  openAt: number;
  /** The if's condition variable. */
  cond?: string;
  /** try and try_table: the number of the JS handler (catch block) around the body. */
  handler?: number;
  /** Legacy try: whether a catch clause has begun (the handler's JS catch block is open). */
  catching?: boolean;
  /** Legacy try: whether the clauses end with catch_all. */
  catchAll?: boolean;
  /** try_table: its catch clauses. */
  catches?: readonly Catch[];
}

/** A JS nesting structure in `out`: a targeted block or loop, or an if (statement indices). */
export interface Nest {
  readonly kind: Frame['kind'];
  readonly label: string;
  readonly open: number;
  readonly close: number;
}

export { FLATTEN_DEPTH } from './flatten.js';

/** Placeholder statement for reloading the cached memory views (filled in at the end). */
const REFRESH = '\u0000refresh';

/** Shared state of one function's translation; vector.ts emits through it too. */
export class FuncGen {
  readonly out: string[] = [];
  /** Type characters of the operand stack. */
  stack: string[] = [];
  private maxSlot = new Map<string, number>();
  readonly prelude = new Map<string, string>();
  private constCount = 0;
  readonly frames: Frame[] = [];
  private labelCount = 0;
  /** Functions called directly (by `call`), for compiling them ahead of their first call. */
  readonly callees = new Set<number>();
  /** Whether the function makes tail calls (codegen/calls.ts): its code is a trampolined body. */
  tailCalls = false;
  /** Whether exception handlers use the payload and delegate variables (codegen/exceptions.ts). */
  usesHandlers = false;
  usesDelegate = false;
  /** Number of JS handlers (try statements) so far: names their variables e<n> and x<n>. */
  handlers = 0;
  /** Variables holding the exception a legacy catch clause caught (for rethrow). */
  readonly exnVars: string[] = [];
  /** JS nesting structures, recorded as they close. */
  readonly nests: Nest[] = [];
  /**
   * Operand stack height where a branch to each label lands (`break`, `continue`): stack slots
   * at or above it are dead there (outline.ts passes only live ones between pieces).
   */
  readonly landings = new Map<string, { readonly brk: number; readonly cont: number }>();
  /** The br_tables emitted, for flatten to make jumps to states of their targets. */
  private readonly brTables: BrTableSite[] = [];

  constructor(readonly info: ModuleInfo, readonly fuel = false, readonly mayInline = true) {}

  // ---- Fuel (engine/fuel.ts): only with `fuel`; otherwise none of this emits anything ----

  /** Index in `out` of the current segment's charge statement (-1: none yet). */
  private fuelAt = -1;
  /** Fuel cost of the current segment's instructions so far. */
  private fuelCount = 0;

  /** Ends the current straight-line segment (filling in its charge) and starts a new one here. */
  segment(): void {
    if (!this.fuel) return;
    this.closeSegment();
    this.fuelAt = this.out.length;
    this.out.push('');
    this.fuelCount = 0;
  }

  private closeSegment(): void {
    if (this.fuelAt < 0 || this.fuelCount === 0) return;
    const n = this.fuelCount;
    this.out[this.fuelAt] = `if ((FU.r -= ${n}) < 0) { FU.r += ${n}; throw R.outOfFuel(); }`;
  }

  /** Name of the variable of stack slot k. */
  private slotName(k: number): string {
    const c = this.stack[k];
    const m = this.maxSlot.get(c);
    if (m === undefined || m < k) this.maxSlot.set(c, k);
    return c + k;
  }

  /** Name of stack slot k's variable, holding its value (a pending expression is assigned first). */
  slot(k: number): string {
    const name = this.slotName(k);
    this.materialize(name);
    return name;
  }

  /** The top operand: its variable, or its pending expression (fold.ts) as an operand. */
  pop(): string {
    const e = this.popExpr();
    return Fold.operand(e);
  }

  /** The top operand as an expression to assign (its variable, or its pending expression). */
  private popExpr(): string {
    const name = this.slotName(this.stack.length - 1);
    this.stack.pop();
    const e = this.pend.get(name);
    if (e === undefined) return name;
    this.pend.delete(name);
    return e;
  }

  /** Pushes a slot of type `c`; returns its variable, which the caller assigns (or makes pending). */
  push(c: string): string {
    this.stack.push(c);
    const name = this.slotName(this.stack.length - 1);
    this.beforeWrite(name);
    this.quiet.delete(name);
    if (c === 'v') {
      this.laneFacts.delete(name);
      this.permuted.delete(name);
    }
    return name;
  }

  // ---- Expression folding (fold.ts) ----

  /** Pending expressions of i32/f32/f64 slots, by slot variable, in stack order. */
  private readonly pend = new Map<string, string>();

  /** Assigns slot variable `name` its pending expression, if it has one. */
  private materialize(name: string): void {
    const e = this.pend.get(name);
    if (e === undefined) return;
    this.pend.delete(name);
    this.beforeWrite(name);
    this.out.push(`${name} = ${e};`);
  }

  /** Before variable `v` is assigned: materializes the pending expressions that read it. */
  private beforeWrite(v: string): void {
    if (this.pend.size === 0) return;
    for (const [name, e] of this.pend) if (Fold.reads(e, v)) this.materialize(name);
  }

  /** Materializes every pending expression, bottom of the stack first. */
  private flushAll(): void {
    for (const name of [...this.pend.keys()]) this.materialize(name);
  }

  /**
   * Materializes the pending expressions that load from memory (fold.ts loads): before a store,
   * a call or a global.set (which they must not see, nor happen before an out-of-bounds trap
   * of theirs), and before an instruction that may trap otherwise (which must not come first).
   */
  private flushLoads(): void {
    for (const [name, e] of this.pend) if (Fold.loads(e)) this.materialize(name);
  }

  /** Makes slot variable `name` (just pushed) hold `e` lazily, or assigns it if `e` is too long. */
  private pending(name: string, e: string): void {
    if (e.length > Fold.MAX_FOLDED) this.emit(`${name} = ${e};`);
    else this.pend.set(name, e);
  }

  /** Before an operand at depth `d` (0: top) is used `n` times: a compound expression is assigned once. */
  private useOperand(d: number, n: number): void {
    if (n <= 1) return;
    const name = this.slotName(this.stack.length - 1 - d);
    const e = this.pend.get(name);
    if (e !== undefined && !Fold.atomic(e)) this.materialize(name);
  }

  /** Pops an i32 condition as a JS test (a pending 0/1 comparison is tested directly). */
  private popCondition(): string {
    const name = this.slotName(this.stack.length - 1);
    const e = this.pend.get(name);
    if (e === undefined) return this.condition(this.pop());
    this.pop();
    return Fold.condition(e);
  }

  /**
   * f32/f64 slots whose value is known not to be a signalling NaN (numeric.ts QUIET_RESULTS,
   * non-NaN constants), within straight-line code: their stores need no bit-exact NaN path.
   */
  readonly quiet = new Set<string>();

  /** What is known of the lanes of v128 slots within straight-line code (codegen/lanes.ts). */
  readonly laneFacts = new Map<string, { readonly max: number; readonly uniform: boolean }>();
  /**
   * v128 slots whose words hold their lanes in another order (lanes.ts), with the statement
   * that restores it: emitted before the slot is read by parts(), and at control flow.
   */
  readonly permuted = new Map<string, string>();

  /** Restores the lane order of permuted slots on the stack (others are dead), forgets lane facts. */
  private forgetLanes(): void {
    for (const [name, fix] of this.permuted) {
      const k = Number(name.slice(1));
      if (k < this.stack.length && this.stack[k] === 'v') this.emit(fix);
    }
    this.permuted.clear();
    this.laneFacts.clear();
  }

  emit(s: string): void {
    this.out.push(s);
  }

  // v128 values live in four int32 variables <name>a..<name>d (words 0-3, little-endian), so
  // inline SIMD code allocates nothing; they are boxed into a V128 (simd.ts) only where one
  // leaves the function's variables: calls, returns, globals and SIMD library calls.

  /** The four word variables of v128 variable `name`, in lane order (restored first if permuted). */
  parts(name: string): [string, string, string, string] {
    const fix = this.permuted.get(name);
    if (fix !== undefined) {
      this.permuted.delete(name);
      this.emit(fix);
    }
    return this.rawParts(name);
  }

  /** The four word variables of v128 variable `name` as they are (lanes.ts knows their order). */
  rawParts(name: string): [string, string, string, string] {
    return [`${name}a`, `${name}b`, `${name}c`, `${name}d`];
  }

  /**
   * An expression of the value of variable `name` of type character `c` as engine objects hold
   * it (types.ts): boxed if v128, a BigInt if i64.
   */
  val(c: string, name: string): string {
    if (c === 'j') return `Q.big(${name}, ${name}h)`;
    return c === 'v' ? `new VC(${this.parts(name).join(', ')})` : name;
  }

  /** Statement setting variable `dst` of type `c` to the value of `expr` (as `val` gives it). */
  setFrom(c: string, dst: string, expr: string): string {
    if (c === 'j') return `${dst} = Q.lo(${expr}); ${dst}h = H.h;`;
    if (c !== 'v') return `${dst} = ${expr};`;
    this.usesVector = true;
    const [a, b, cc, d] = this.parts(dst);
    return `u = ${expr}; ${a} = u.a; ${b} = u.b; ${cc} = u.c; ${d} = u.d;`;
  }

  /** Statement copying variable `src` to `dst`, both of type `c`. */
  copy(c: string, dst: string, src: string): string {
    if (c === 'j') return `${dst} = ${src}; ${dst}h = ${src}h;`;
    if (c !== 'v') return `${dst} = ${src};`;
    const d = this.parts(dst), x = this.parts(src);
    return `${d[0]} = ${x[0]}; ${d[1]} = ${x[1]}; ${d[2]} = ${x[2]}; ${d[3]} = ${x[3]};`;
  }

  /** Hoists a value computed once per instance into the factory's prelude; returns its name. */
  hoist(src: string): string {
    const name = `K${this.constCount++}`;
    this.prelude.set(name, src);
    return name;
  }

  memory(i: number): string {
    const name = `M${i}`;
    this.prelude.set(name, `I.memories[${i}]`);
    return name;
  }

  /** Memories whose DataView is cached in a local `mv<i>` (refreshed after calls and grows). */
  private views = new Set<number>();

  /** The local holding memory i's DataView. */
  view(i: number): string {
    this.memory(i);
    this.views.add(i);
    return `mv${i}`;
  }

  /**
   * Marks where cached views must be reloaded: a call or grow may replace them, and after an
   * atomic access or memory.size an agent may rely on another agent's grow of a shared memory.
   */
  refreshViews(): void {
    this.emit(REFRESH);
  }

  /**
   * If the last statement set `c` to a 0/1 comparison (`c = e ? 1 : 0;`), removes it and
   * returns `(e)`, to test directly; otherwise returns `c`.
   */
  private condition(c: string): string {
    const last = this.out[this.out.length - 1];
    if (last !== undefined && last.startsWith(`${c} = `) && last.endsWith(' ? 1 : 0;')) {
      const e = last.slice(c.length + 3, last.length - 9);
      if (!/[?;]/.test(e)) {
        this.out.pop();
        return `(${e})`;
      }
    }
    return c;
  }

  table(i: number): string {
    const name = `T${i}`;
    this.prelude.set(name, `I.tables[${i}]`);
    return name;
  }

  global(i: number): string {
    const name = `G${i}`;
    this.prelude.set(name, `I.globals[${i}]`);
    return name;
  }

  /** Effective address of memarg `ma` with base operand `base` (address.ts). */
  address(base: string, ma: MemArg): string {
    return effectiveAddress(base, ma.offset, this.memAddr(ma.memory));
  }

  /** Address type of memory i. */
  memAddr(i: number): 'i32' | 'i64' {
    return addrTypes(this.info.module).memories[i];
  }

  /** Whether memory i is shared (other agents may grow it). */
  memShared(i: number): boolean {
    return addrTypes(this.info.module).shared[i];
  }

  /** Address type of table i. */
  tableAddr(i: number): 'i32' | 'i64' {
    return addrTypes(this.info.module).tables[i];
  }

  blockSig(bt: BlockType): FuncType {
    if (bt.kind === 'empty') return { kind: 'func', params: [], results: [] };
    if (bt.kind === 'value') return { kind: 'func', params: [], results: [bt.type] };
    return this.info.types[bt.index]!;
  }

  // ---- Control ----

  /** Moves the top `n` values into the target frame's slots (spec: br unwinds the operand stack). */
  private moves(f: Frame, arity: string[]): string {
    const n = arity.length;
    const h = this.stack.length;
    let s = '';
    for (let k = 0; k < n; k++) {
      const src = h - n + k;
      const dst = f.base + k;
      if (src !== dst) s += `${this.copy(arity[k], `${arity[k]}${this.noteSlot(arity[k], dst)}`, this.slot(src))} `;
    }
    return s;
  }

  noteSlot(c: string, k: number): number {
    const m = this.maxSlot.get(c);
    if (m === undefined || m < k) this.maxSlot.set(c, k);
    return k;
  }

  private funcResults: string[] = [];

  private returnStmt(): string {
    const n = this.funcResults.length;
    const h = this.stack.length;
    if (n === 1 && this.stack[h - 1] === 'j') {
      const x = this.slot(h - 1);
      return `H.h = ${x}h; return ${x};`;
    }
    const vals: string[] = [];
    for (let k = h - n; k < h; k++) vals.push(...this.args(this.stack[k], this.slot(k)));
    return returnOf(vals);
  }

  /**
   * Statement that branches to relative depth `d` carrying the values of the JS expressions
   * `exprs` (boxed values, v128 as V128, i64 as BigInt), e.g. an exception's payload in a handler.
   */
  branchWith(d: number, exprs: readonly string[]): string {
    const f = this.frames[this.frames.length - 1 - d];
    if (f.kind === 'func') {
      // The internal convention (callWith): an i64 result as its words.
      const rs = this.funcResults;
      if (rs.length === 1 && rs[0] === 'j') return `return Q.lo(${exprs[0]});`;
      return returnOf(exprs.flatMap((e, k) => (rs[k] === 'j' ? [`Q.lo(${e})`, 'H.h'] : [e])));
    }
    f.targeted = true;
    const types = f.kind === 'loop' ? f.params : f.results;
    let s = '';
    types.forEach((c, k) => { s += `${this.setFrom(c, `${c}${this.noteSlot(c, f.base + k)}`, exprs[k])} `; });
    if (f.kind === 'loop') return `${s}continue ${f.label};`;
    f.reached = true;
    return `${s}break ${f.label};`;
  }

  /** Statement that branches to relative depth `d` (the stack holds the carried values on top). */
  branch(d: number): string {
    const f = this.frames[this.frames.length - 1 - d];
    if (f.kind === 'func') return this.returnStmt();
    f.targeted = true;
    if (f.kind === 'loop') return `${this.moves(f, f.params)}continue ${f.label};`;
    f.reached = true;
    return `${this.moves(f, f.results)}break ${f.label};`;
  }

  enter(kind: Frame['kind'], sig: FuncType): Frame {
    const params = sig.params.map(tyChar);
    const results = sig.results.map(tyChar);
    const base = this.stack.length - params.length;
    const f: Frame = {
      kind, label: `L${this.labelCount++}`, base, params, results, reached: false,
      below: this.stack.slice(0, base), targeted: false, openAt: this.out.length,
    };
    this.frames.push(f);
    this.landings.set(f.label, { brk: base + results.length, cont: base + params.length });
    return f;
  }

  /**
   * Translates the body; returns the factory source. `dead` tracks unreachable code, which
   * is skipped (counting nested blocks in `skip`) up to the else/end that closes it.
   */
  generate(funcIdx: number): string | undefined {
    const info = this.info;
    const m = info.module;
    const def = m.funcs[funcIdx - info.importedFuncs];
    const ft = info.types[info.funcTypeIdx[funcIdx]]!;
    const localTypes: string[] = ft.params.map(tyChar);
    for (const d of def.locals) for (let k = 0; k < d.count; k++) localTypes.push(tyChar(d.type as ValType));
    const np = ft.params.length;

    this.funcResults = ft.results.map(tyChar);
    this.enter('func', { kind: 'func', params: [], results: ft.results });
    if (this.fuel) this.prelude.set('FU', 'I.fuel');
    this.segment();
    if (!this.fuel && this.mayInline) this.inlined = inlinePlan(info, funcIdx);
    this.body(new Reader(def.code.source, def.code.start, def.code.end), localTypes, 0);
    if (this.fuel) this.closeSegment();

    const stateVars = flatten(this.out, this.nests, this.brTables);
    const lines: string[] = [];
    const locals: string[] = [];
    const declare = (c: string, name: string, from?: string): void => {
      if (c === 'j') locals.push(`${name} = 0`, `${name}h = 0`);
      else if (c !== 'v') locals.push(`${name} = ${zeroOf(c)}`);
      else if (from === undefined) for (const p of this.parts(name)) locals.push(`${p} = 0`);
      else for (const [p, w] of zip(this.parts(name), ['a', 'b', 'c', 'd'])) locals.push(`${p} = ${from}.${w}`);
    };
    for (let k = 0; k < np; k++) if (localTypes[k] === 'v') declare('v', `l${k}`, `l${k}`);
    for (let k = np; k < localTypes.length; k++) declare(localTypes[k], `l${k}`);
    for (const [c, max] of this.maxSlot) for (let k = 0; k <= max; k++) declare(c, `${c}${k}`);
    for (const [c, max] of this.inlineLocals) for (let k = 0; k <= max; k++) declare(c, `z${c}${k}`);
    if (this.usesVector) locals.push('u', 'q = 0', 'm = 0', 'y0 = 0', 'y1 = 0', 'y2 = 0', 'y3 = 0');
    if (this.usesI64) locals.push('x0 = 0', 'x1 = 0', 'x2 = 0', 'x3 = 0', 'x4 = 0', 'x5 = 0');
    for (const s of stateVars) locals.push(`${s} = 0`);
    if (this.usesHandlers) locals.push('p');
    if (this.usesDelegate) locals.push('dg = 0');
    for (const x of this.exnVars) locals.push(`${x} = null`);
    // A string built in a loop: join() of a mapped array (empty or of strings: two array maps)
    // deoptimized `generate` about 50 times in the first call of a 13 MB module.
    let refresh = '';
    for (const i of this.views) {
      locals.push(`mv${i} = M${i}.view`);
      refresh += `${refresh === '' ? '' : ' '}mv${i} = M${i}.view;`;
    }
    // flatten may have copied a placeholder into a longer statement (threaded jumps).
    for (let k = 0; k < this.out.length; k++) if (this.out[k].includes(REFRESH)) this.out[k] = this.out[k].split(REFRESH).join(refresh);
    const params = [];
    for (let k = 0; k < np; k++) params.push(`l${k}`, ...(localTypes[k] === 'j' ? [`l${k}h`] : []));
    // Huge functions: pieces move into functions of their own that V8 can optimize (outline.ts).
    let outlined = '';
    if (!this.tailCalls) {
      // Outlining does not know inlined code (an outlined function of componentize-js's SpiderMonkey with it read
      // memory out of bounds): such a function is generated again without (generateFunction).
      if (this.inlined.size > 0 && outlines(this.out)) return undefined;
      const vars = ['t', 'n', ...params];
      for (const l of locals) if (!l.startsWith('mv')) vars.push(l.split(' ')[0]);
      // A block's end statement (a case label once flattened) is where a branch to it lands.
      const closes = new Map<number, number>();
      for (const x of this.nests) if (x.kind === 'block') closes.set(x.close, this.landings.get(x.label)!.brk);
      // The i64 helpers' scratch variables (a legacy catch's exception variable may share a name).
      const scratch = new Set(this.usesI64 ? ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'] : []);
      for (const x of this.exnVars) scratch.delete(x);
      outlined = outline(this.out, vars, refresh, stateVars, `${info.id}$${funcIdx}`, { labels: this.landings, closes, scratch });
      if (outlined !== '') locals.push('oc = 0');
    }
    lines.push('"use strict";');
    lines.push('const fr = Math.fround, Q = R.i64, H = Q.HI, F = I.F, RF = I.funcs, D = I.datas, E = I.elems, S = R.simd, VC = S.V128;');
    for (const [k, v] of this.prelude) lines.push(`const ${k} = ${v};`);
    if (outlined !== '') lines.push(outlined);
    lines.push(`return (function w$${info.id}$${funcIdx}(${params.join(', ')}) {`);
    lines.push(`let t, n${locals.length ? ', ' + locals.join(', ') : ''};`);
    for (const s of this.out) lines.push(s); // not push(...out): arguments live on the stack
    lines.push('});');
    return lines.join('\n');
  }

  /**
   * Translates instructions from `r` until the frames drop back to `depth` (the end of the
   * function's or an inlined callee's body); returns whether what follows is dead.
   */
  private body(r: Reader, localTypes: string[], depth: number): boolean {
    let dead = false;
    let skip = 0;
    while (this.frames.length > depth) {
      const ins = readInstr(r);
      const name = ins.op.name;
      if (dead) {
        if (ins.op.prefix === 0) {
          const c = ins.op.code;
          // Openers: block, loop, if, try, try_table; closers: end, delegate.
          if (c === 0x02 || c === 0x03 || c === 0x04 || c === 0x06 || c === 0x1f) { skip++; continue; }
          if ((c === 0x0b || c === 0x18) && skip > 0) { skip--; continue; }
          // else, catch and catch_all of the innermost live block end its dead code.
          if (!(c === 0x0b || c === 0x18 || ((c === 0x05 || c === 0x07 || c === 0x19) && skip === 0))) continue;
        } else continue;
      }
      if (this.fuel && !dead) this.fuelCount += fuelCost(ins);
      dead = this.instr(ins, name, localTypes, dead);
    }
    return dead;
  }

  // ---- Inlining (inline.ts) ----

  /** Callees inlined at direct call sites of this function. */
  private inlined: ReadonlySet<number> = new Set();
  /** While translating an inlined body: the callee, and the index of its frame. */
  private inlining: { readonly func: number; readonly frame: number } | undefined;
  /** Variables of inlined callees' locals (shared by all inlined calls: they never overlap), by type. */
  private readonly inlineLocals = new Map<string, number>();

  /** JS variable of local `l` (an inlined callee's locals are z<type><index>). */
  private local(l: number, localTypes: readonly string[]): string {
    if (this.inlining === undefined) return `l${l}`;
    const c = localTypes[l];
    const m = this.inlineLocals.get(c);
    if (m === undefined || m < l) this.inlineLocals.set(c, l);
    return `z${c}${l}`;
  }

  /**
   * Emits the body of `funcIdx` in place of a call: its parameters are assigned from the
   * operands, its other locals zeroed, its body becomes a block (return branches to its end)
   * whose results land where the call's would. Returns whether what follows is dead.
   */
  private inlineCall(funcIdx: number): boolean {
    const info = this.info;
    const ft = info.types[info.funcTypeIdx[funcIdx]]!;
    const def = info.module.funcs[funcIdx - info.importedFuncs];
    const localTypes: string[] = ft.params.map(tyChar);
    for (const d of def.locals) for (let k = 0; k < d.count; k++) localTypes.push(tyChar(d.type as ValType));
    const from = this.out.length;
    this.inlining = { func: funcIdx, frame: this.frames.length };
    // Operands, last first; pending expressions read no z variable (nothing is inlined yet here).
    for (let k = ft.params.length - 1; k >= 0; k--) {
      const c = localTypes[k];
      const x = Fold.foldable(c) ? this.popExpr() : this.pop();
      this.emit(this.copy(c, this.local(k, localTypes), x));
    }
    for (let k = ft.params.length; k < localTypes.length; k++) {
      const c = localTypes[k], z = this.local(k, localTypes);
      this.emit(c === 'j' ? `${z} = 0; ${z}h = 0;` : c === 'v' ? this.parts(z).map((p) => `${p} = 0;`).join(' ') : `${z} = ${zeroOf(c)};`);
    }
    this.flushAll();
    const f = this.enter('block', { kind: 'func', params: [], results: ft.results });
    this.emit(`${f.label}: {`);
    const dead = this.body(new Reader(def.code.source, def.code.start, def.code.end), localTypes, f === this.frames[this.frames.length - 1] ? this.frames.length - 1 : this.frames.length);
    this.inlining = undefined;
    markInlined(this.out, from, this.out.length, funcIdx);
    return dead;
  }

  /** Translates one reachable instruction (or the else/end closing dead code); returns whether what follows is dead. */
  private instr(ins: Instr, name: string, localTypes: string[], dead: boolean): boolean {
    const op = ins.op;
    // if and br_if test their condition's expression; other pending expressions are assigned
    // before any instruction that does not handle them (control flow above all).
    const cond = op.prefix === 0 && (op.code === 0x04 || op.code === 0x0d) && !dead ? this.popCondition() : '';
    if (!foldAware(op.prefix, op.code)) this.flushAll();
    else if (op.prefix === 0 && (op.code === 0x10 || op.code === 0x11 || op.code === 0x24 || (op.code >= 0x36 && op.code <= 0x3e))) {
      this.flushLoads(); // calls, global.set and stores
    }
    // Control and select write slots without pushing: lane bounds hold only between them.
    if (op.prefix === 0 && op.code <= 0x1c) {
      this.forgetLanes();
      this.quiet.clear();
    }
    if (op.prefix === 0) {
      switch (op.code) {
        case 0x00: this.emit('throw R.trap("unreachable");'); return true;
        case 0x01: return false;
        case 0x02: case 0x03: {
          const kind = op.code === 0x02 ? 'block' : 'loop';
          const f = this.enter(kind, this.blockSig(ins.blockType!));
          this.emit(kind === 'block' ? `${f.label}: {` : `${f.label}: for (;;) {`);
          if (kind === 'loop') this.segment();
          return false;
        }
        case 0x04: {
          const c = cond;
          const f = this.enter('if', this.blockSig(ins.blockType!));
          f.cond = c;
          this.emit(`${f.label}: if (${c}) {`);
          (f as { elseSeen?: boolean }).elseSeen = false;
          this.segment();
          return false;
        }
        case 0x05: {
          const f = this.frames[this.frames.length - 1];
          if (!dead) f.reached = true;
          (f as { elseSeen?: boolean }).elseSeen = true;
          this.stack = f.below.concat(f.params);
          this.emit('} else {');
          this.segment();
          return false;
        }
        case 0x06: case 0x1f: {
          const f = this.enter(op.code === 0x06 ? 'try' : 'try_table', this.blockSig(ins.blockType!));
          if (op.code === 0x1f) f.catches = ins.catches!;
          EH.openTry(this, f);
          return false;
        }
        case 0x07: case 0x19: EH.catchClause(this, this.frames[this.frames.length - 1], ins, dead); return false;
        case 0x08: EH.emitThrow(this, ins.index!); return true;
        case 0x09: EH.emitRethrow(this, ins.index!); return true;
        case 0x0a: EH.emitThrowRef(this); return true;
        case 0x12: emitReturnCall(this, ins.index!); return true;
        case 0x13: emitReturnCallIndirect(this, ins.index!, ins.index2!); return true;
        case 0x15: emitReturnCallRef(this, ins.index!); return true;
        case 0x18: case 0x0b: {
          const f = this.frames.pop()!;
          if (!dead) f.reached = true;
          if (f.kind === 'try' || f.kind === 'try_table') {
            if (op.code === 0x18) EH.closeDelegate(this, f, ins.index!);
            else if (f.kind === 'try') EH.closeTry(this, f);
            else EH.closeTryTable(this, f, f.catches!);
            this.nests.push({ kind: f.kind, label: f.label, open: f.openAt, close: this.out.length - 1 });
            this.segment();
            this.stack = f.below.concat(f.results);
            return !f.reached;
          }
          if (f.kind === 'func') {
            if (!dead) this.emit(this.returnStmt());
            return true;
          }
          // JS parsers recurse on nesting: only blocks that are branched to get a JS block.
          if (!f.targeted) {
            if (f.kind === 'if') this.out[f.openAt] = `if (${f.cond}) {`;
            else this.out[f.openAt] = '';
          }
          if (f.kind === 'loop') {
            if (f.targeted) {
              this.emit(`break ${f.label}; }`);
              this.nests.push({ kind: f.kind, label: f.label, open: f.openAt, close: this.out.length - 1 });
            }
            // Only falling through reaches a loop's end.
            this.stack = f.below.concat(f.results);
            return dead;
          }
          if (f.kind === 'if' && !(f as { elseSeen?: boolean }).elseSeen) f.reached = true;
          if (f.kind === 'if' || f.targeted) {
            this.emit('}');
            this.nests.push({ kind: f.kind, label: f.label, open: f.openAt, close: this.out.length - 1 });
            this.segment(); // a join: reached by branches or from both arms
          }
          this.stack = f.below.concat(f.results);
          return !f.reached;
        }
        case 0x0c: this.emit(this.branch(ins.index!)); return true;
        case 0x0d: {
          const c = cond;
          this.emit(`if (${c}) { ${this.branch(ins.index!)} }`);
          this.segment();
          return false;
        }
        case 0x0e: {
          const c = this.pop();
          const labels = ins.labels!;
          const byTarget = new Map<number, number[]>();
          for (let k = 0; k < labels.length - 1; k++) {
            let l = byTarget.get(labels[k]);
            if (!l) byTarget.set(labels[k], (l = []));
            l.push(k);
          }
          const dflt = labels[labels.length - 1];
          const stmts = new Map<number, string>();
          for (const d of [...byTarget.keys(), dflt]) if (!stmts.has(d)) stmts.set(d, this.branch(d));
          let s = `switch (${c}) {`;
          for (const [d, cases] of byTarget) {
            if (d === dflt) continue;
            s += cases.map((k) => ` case ${k}:`).join('') + ` { ${stmts.get(d)} }`;
          }
          s += `${(byTarget.get(dflt) ?? []).map((k) => ` case ${k}:`).join('')} default: { ${stmts.get(dflt)} } }`;
          const frames = labels.map((d) => this.frames[this.frames.length - 1 - d]);
          this.brTables.push({
            at: this.out.length, sel: c, stmts: labels.map((d) => stmts.get(d)!),
            labels: frames.map((f) => (f.kind === 'func' ? null : f.label)),
            plain: frames.map((f, k) => f.kind === 'block' && stmts.get(labels[k]) === `break ${f.label};`),
          });
          this.emit(s);
          return true;
        }
        case 0x0f: {
          const inl = this.inlining;
          this.emit(inl === undefined ? this.returnStmt() : this.branch(this.frames.length - 1 - inl.frame));
          return true;
        }
        case 0x10:
          if (this.inlining === undefined && this.inlined.has(ins.index!)) return this.inlineCall(ins.index!);
          this.call(ins.index!);
          return false;
        case 0x11: {
          const ft = this.info.types[ins.index!]!;
          const tbl = this.table(ins.index2!);
          const idx = addrOf(this.pop(), this.tableAddr(ins.index2!));
          this.callWith(`R.indirect(${tbl}, ${idx}, ${this.info.typeIds[ins.index!]})`, ft);
          return false;
        }
        case 0x1a: {
          // A dropped load still traps out of bounds.
          const e = this.pend.get(this.slotName(this.stack.length - 1));
          if (e !== undefined && Fold.loads(e)) this.materialize(this.slotName(this.stack.length - 1));
          this.pop();
          return false;
        }
        case 0x1b: case 0x1c: {
          const c = this.condition(this.pop());
          const b = this.pop();
          const a = this.slot(this.stack.length - 1);
          this.emit(`if (!${c}) { ${this.copy(this.stack[this.stack.length - 1], a, b)} }`);
          return false;
        }
        case 0x20: {
          const l = ins.index!, c = localTypes[l], v = this.local(l, localTypes);
          if (Fold.foldable(c)) this.pend.set(this.push(c), v);
          else this.emit(this.copy(c, this.push(c), v));
          return false;
        }
        case 0x21: {
          const l = ins.index!, v = this.local(l, localTypes);
          const x = Fold.foldable(localTypes[l]) ? this.popExpr() : this.pop();
          this.beforeWrite(v);
          this.emit(this.copy(localTypes[l], v, x));
          return false;
        }
        case 0x22: {
          const l = ins.index!, c = localTypes[l], v = this.local(l, localTypes);
          if (!Fold.foldable(c)) {
            this.emit(this.copy(c, v, this.slot(this.stack.length - 1)));
            return false;
          }
          const quiet = this.quiet.has(this.slotName(this.stack.length - 1));
          const x = this.popExpr();
          this.beforeWrite(v);
          this.emit(`${v} = ${x};`);
          const r = this.push(c);
          this.pend.set(r, v);
          if (quiet) this.quiet.add(r);
          return false;
        }
        case 0x23: {
          const g = this.global(ins.index!);
          const c = tyChar(this.info.globals[ins.index!].type);
          const x = this.push(c);
          // The module's own i64 globals are I64Globals (objects.ts): their words, no BigInt.
          if (c === 'j' && this.ownGlobal(ins.index!)) this.emit(`${x} = ${g}.lo; ${x}h = ${g}.hi;`);
          else this.emit(this.setFrom(c, x, `${g}.value`));
          return false;
        }
        case 0x24: {
          const g = this.global(ins.index!);
          const c = this.stack[this.stack.length - 1];
          const x = this.pop();
          if (c === 'j' && this.ownGlobal(ins.index!)) this.emit(`${g}.lo = ${x}; ${g}.hi = ${x}h;`);
          else this.emit(`${g}.value = ${this.val(c, x)};`);
          return false;
        }
        case 0x25: {
          const t = this.table(ins.index!);
          const i = addrOf(this.pop(), this.tableAddr(ins.index!));
          this.emit(`${this.push('r')} = R.tableGet(${t}, ${i});`);
          return false;
        }
        case 0x26: {
          const t = this.table(ins.index!);
          const v = this.pop();
          const i = addrOf(this.pop(), this.tableAddr(ins.index!));
          this.emit(`R.tableSet(${t}, ${i}, ${v});`);
          return false;
        }
        case 0x3f: {
          const at = this.memAddr(ins.index!);
          this.emit(setAddrValue(this.push(addrChar(at)), `${this.memory(ins.index!)}.pages`, at));
          if (this.memShared(ins.index!)) this.refreshViews();
          return false;
        }
        case 0x40: {
          const mem = this.memory(ins.index!);
          const at = this.memAddr(ins.index!);
          const d = addrOf(this.pop(), at);
          this.emit(setAddrValue(this.push(addrChar(at)), `R.memGrow(${mem}, ${d})`, at));
          this.refreshViews();
          return false;
        }
        case 0x41: this.pend.set(this.push('i'), Fold.literal(String(ins.i32!))); return false;
        case 0x42: {
          const x = this.push('j'), v = ins.i64!;
          this.emit(`${x} = ${Number(BigInt.asIntN(32, v))}; ${x}h = ${Number(BigInt.asIntN(32, v >> 32n))};`);
          return false;
        }
        case 0x43: case 0x44: {
          const x = this.push(op.code === 0x43 ? 'f' : 'd');
          const lit = op.code === 0x43 ? this.f32Literal(ins.f32Bits!) : this.f64Literal(ins.f64Bits!);
          this.pend.set(x, Fold.literal(lit));
          if (lit !== 'NaN' && !lit.startsWith('K')) this.quiet.add(x); // NaN literals are hoisted (K<n>)
          return false;
        }
        case 0xd0: this.emit(`${this.push('r')} = null;`); return false;
        case 0xd1: { const a = this.pop(); this.emit(`${this.push('i')} = ${a} === null ? 1 : 0;`); return false; }
        case 0xd2: this.emit(`${this.push('r')} = RF[${ins.index!}];`); return false;
        // Typed function references (3.0), cheap to support alongside 2.0's reference types.
        case 0xd3: {
          const b = this.pop();
          const a = this.pop();
          this.emit(`${this.push('i')} = ${a} === ${b} ? 1 : 0;`);
          return false;
        }
        case 0xd4: {
          const a = this.slot(this.stack.length - 1);
          this.emit(`if (${a} === null) throw R.trap("null reference");`);
          return false;
        }
        case 0xd5: {
          const a = this.pop();
          this.emit(`if (${a} === null) { ${this.branch(ins.index!)} }`);
          this.push('r');
          this.segment();
          return false;
        }
        case 0xd6: {
          const a = this.slot(this.stack.length - 1);
          this.emit(`if (${a} !== null) { ${this.branch(ins.index!)} }`);
          this.pop();
          this.segment();
          return false;
        }
        case 0x14: {
          const f = this.pop();
          this.emit(`if (${f} === null) throw R.trap("null function reference");`);
          this.callWith(`R.rawOf(${f})`, this.info.types[ins.index!]!);
          return false;
        }
      }
      if (op.imm === 'memarg') {
        const ma = ins.memarg!;
        const mem = this.view(ma.memory);
        // Operands that a template uses more than once are assigned to their variables first.
        const A = Fold.PROBE_A, X = Fold.PROBE_B;
        const load64 = I64_LOADS.get(name);
        if (load64) {
          this.useOperand(0, Fold.usesOf(load64, () => load64('r', mem, this.address(A, ma)))[0]);
          const a = this.pop();
          let e = this.address(a, ma);
          // A 64-bit memory's address is in the result's slot: read it before it is overwritten.
          if (this.memAddr(ma.memory) === 'i64') { this.usesI64 = true; this.emit(`x0 = ${e};`); e = 'x0'; }
          this.emit(load64(this.push('j'), mem, e));
          return false;
        }
        const store64 = I64_STORES.get(name);
        if (store64) {
          this.useOperand(1, Fold.usesOf(store64, () => store64(mem, this.address(A, ma), 'x'))[0]);
          const x = this.pop();
          const a = this.pop();
          this.emit(store64(mem, this.address(a, ma), x));
          return false;
        }
        const load = LOADS.get(name);
        if (load) {
          this.useOperand(0, Fold.usesOf(load, () => load[1](mem, this.address(A, ma)))[0]);
          const a = this.pop();
          const r = this.push(load[0]);
          const e = load[1](mem, this.address(a, ma));
          // Only plain 32-bit memories: a 64-bit address reads i64 words, and other agents write shared ones.
          if (this.memAddr(ma.memory) === 'i32' && !this.memShared(ma.memory)) this.pending(r, e);
          else this.emit(`${r} = ${e};`);
          return false;
        }
        const quiet = this.quiet.has(this.slotName(this.stack.length - 1));
        const store = (quiet ? QUIET_STORES.get(name) : undefined) ?? STORES.get(name)!;
        const [ua, ux] = Fold.usesOf(store, () => store(mem, this.address(A, ma), X));
        this.useOperand(0, ux);
        this.useOperand(1, ua);
        const x = this.pop();
        const a = this.pop();
        this.emit(store(mem, this.address(a, ma), x));
        return false;
      }
      if (this.numeric(name)) return false;
    } else if (op.prefix === 0xfc) {
      if (this.numeric(name)) return false;
      switch (op.code) {
        case 8: { // memory.init dataidx memidx
          const [d, s, n] = this.pop3();
          const at = this.memAddr(ins.index2!);
          this.emit(`R.memInit(${this.memory(ins.index2!)}, D[${ins.index!}], ${addrOf(d, at)}, ${s} >>> 0, ${n} >>> 0);`);
          return false;
        }
        case 9: this.emit(`D[${ins.index!}] = R.EMPTY_BYTES;`); return false;
        case 10: {
          const [d, s, n] = this.pop3();
          const ad = this.memAddr(ins.index!), as = this.memAddr(ins.index2!);
          const an = ad === 'i64' && as === 'i64' ? 'i64' : 'i32';
          this.emit(`R.memCopy(${this.memory(ins.index!)}, ${this.memory(ins.index2!)}, ${addrOf(d, ad)}, ${addrOf(s, as)}, ${addrOf(n, an)});`);
          return false;
        }
        case 11: {
          const [d, v, n] = this.pop3();
          const at = this.memAddr(ins.index!);
          this.emit(`R.memFill(${this.memory(ins.index!)}, ${addrOf(d, at)}, ${v}, ${addrOf(n, at)});`);
          return false;
        }
        case 12: {
          const [d, s, n] = this.pop3();
          const at = this.tableAddr(ins.index2!);
          this.emit(`R.tableInit(${this.table(ins.index2!)}, E[${ins.index!}], ${addrOf(d, at)}, ${s} >>> 0, ${n} >>> 0);`);
          return false;
        }
        case 13: this.emit(`E[${ins.index!}] = R.EMPTY_ELEMS;`); return false;
        case 14: {
          const [d, s, n] = this.pop3();
          const ad = this.tableAddr(ins.index!), as = this.tableAddr(ins.index2!);
          const an = ad === 'i64' && as === 'i64' ? 'i64' : 'i32';
          this.emit(`R.tableCopy(${this.table(ins.index!)}, ${this.table(ins.index2!)}, ${addrOf(d, ad)}, ${addrOf(s, as)}, ${addrOf(n, an)});`);
          return false;
        }
        case 15: {
          const t = this.table(ins.index!);
          const at = this.tableAddr(ins.index!);
          const n = addrOf(this.pop(), at);
          const v = this.pop();
          this.emit(setAddrValue(this.push(addrChar(at)), `${t}.grow(${n}, ${v})`, at));
          return false;
        }
        case 16: {
          const at = this.tableAddr(ins.index!);
          this.emit(setAddrValue(this.push(addrChar(at)), `${this.table(ins.index!)}.elements.length`, at));
          return false;
        }
        case 17: {
          const [i, v, n] = this.pop3();
          const at = this.tableAddr(ins.index!);
          this.emit(`R.tableFill(${this.table(ins.index!)}, ${addrOf(i, at)}, ${v}, ${addrOf(n, at)});`);
          return false;
        }
      }
    } else if (op.prefix === 0xfd) {
      emitVector(this, ins);
      return false;
    } else if (op.prefix === 0xfb) {
      emitGc(this, ins);
      return false;
    } else if (op.prefix === 0xfe) {
      emitAtomic(this, ins);
      return false;
    }
    throw new RuntimeError(`unsupported instruction ${name}`);
  }

  /** Whether i64 instructions occur (their temporaries x0..x5 are declared). */
  private usesI64 = false;
  /** Whether v128 values or SIMD instructions occur (their temporaries are declared). */
  usesVector = false;

  /** Whether global i is defined by the module (not imported). */
  private ownGlobal(i: number): boolean {
    if (this.importedGlobals < 0) this.importedGlobals = this.info.module.imports.filter((im) => im.desc.kind === 'global').length;
    return i >= this.importedGlobals;
  }

  private importedGlobals = -1;

  private pop3(): [string, string, string] {
    const c = this.pop();
    const b = this.pop();
    const a = this.pop();
    return [a, b, c];
  }

  /** Emits a numeric instruction (numeric.ts, i64.ts); returns whether `name` is one. */
  private numeric(name: string): boolean {
    const t = I64_NUMERIC.get(name) ?? NUMERIC.get(name);
    if (t === undefined) return false;
    if (t === I64_NUMERIC.get(name)) this.usesI64 = true;
    const h = this.stack.length;
    const types = t.arity === 2 ? [this.stack[h - 2], this.stack[h - 1]] : [this.stack[h - 1]];
    const fold = t.pure !== undefined && Fold.foldable(t.result) && types.every(Fold.foldable);
    if (t.pure === undefined) this.flushLoads(); // it may trap (division, truncation): loads first
    const [ua, ub] = Fold.usesOf(t, () => t.emit('r', Fold.PROBE_A, Fold.PROBE_B));
    if (t.arity === 2) {
      this.useOperand(0, ub);
      this.useOperand(1, ua);
    } else {
      this.useOperand(0, ua);
    }
    // eqz of a pending 0/1 comparison negates the comparison.
    const eqzOf = name === 'i32.eqz' ? this.pend.get(this.slotName(h - 1)) : undefined;
    const b = t.arity === 2 ? this.pop() : '';
    const shift = I64_CONST_SHIFTS.get(name);
    const k = shift ? this.takeConst(b) : undefined;
    const a = this.pop();
    const r = this.push(t.result);
    if (eqzOf !== undefined) {
      this.pending(r, Fold.eqz(eqzOf));
    } else if (fold) {
      this.pending(r, t.pure!(a, b));
    } else if (shift && k !== undefined) {
      const n = Number(k & 63n);
      this.emit(n === 0 ? (r === a ? '' : this.copy('j', r, a)) : shift(r, a, n));
    } else {
      this.emit(t.emit(r, a, b));
    }
    if (QUIET_RESULTS.has(name)) this.quiet.add(r);
    return true;
  }

  /**
   * If the last statement set i64 variable `x` to a constant (i64.const just before), removes
   * it and returns the constant: shifts by a constant count are emitted specialised.
   */
  private takeConst(x: string): bigint | undefined {
    const m = /^(\w+) = (-?\d+); (\w+)h = (-?\d+);$/.exec(this.out[this.out.length - 1] ?? '');
    if (!m || m[1] !== x || m[3] !== x) return undefined;
    this.out.pop();
    return (BigInt(m[4]) << 32n) | BigInt(Number(m[2]) >>> 0);
  }

  /** The JS arguments (or array entries) passing variable `name` of type `c` to compiled code. */
  args(c: string, name: string): string[] {
    return c === 'j' ? [name, `${name}h`] : [this.val(c, name)];
  }

  private call(funcIdx: number): void {
    const ft = this.info.types[this.info.funcTypeIdx[funcIdx]]!;
    this.callees.add(funcIdx);
    this.callWith(`F[${funcIdx}]`, ft);
  }

  /**
   * Calls `callee` with the top parameters, in the internal convention (types.ts): an i64 is
   * passed as two arguments (low, high word); one result is returned as is (an i64's low word,
   * its high word in H.h), several as an array (an i64 as two entries).
   */
  private callWith(callee: string, ft: FuncType): void {
    const args: string[] = [];
    for (let k = 0; k < ft.params.length; k++) {
      const c = this.stack[this.stack.length - 1];
      args.unshift(...this.args(c, this.pop()));
    }
    const call = `${callee}(${args.join(', ')})`;
    const nr = ft.results.length;
    if (nr === 0) this.emit(`${call};`);
    else if (nr === 1) {
      const c = tyChar(ft.results[0]);
      const x = this.push(c);
      this.emit(c === 'j' ? `${x} = ${call}; ${x}h = H.h;` : this.setFrom(c, x, call));
    } else {
      let s = `t = ${call};`;
      let i = 0;
      for (let k = 0; k < nr; k++) {
        const c = tyChar(ft.results[k]);
        const x = this.push(c);
        if (c === 'j') {
          s += ` ${x} = t[${i}]; ${x}h = t[${i + 1}];`;
          i += 2;
        } else {
          s += ` ${this.setFrom(c, x, `t[${i++}]`)}`;
        }
      }
      this.emit(s);
    }
    this.refreshViews();
  }

  f32Literal(bits: number): string {
    if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) return this.hoist(`R.f32FromBits(${bits | 0})`);
    const dv = new DataView(new ArrayBuffer(4));
    dv.setUint32(0, bits);
    return numberLiteral(dv.getFloat32(0));
  }

  f64Literal(bits: bigint): string {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setBigUint64(0, BigInt.asUintN(64, bits));
    const x = dv.getFloat64(0);
    if (x !== x) return this.hoist(`R.f64FromBits(${BigInt.asIntN(64, bits)}n)`);
    return numberLiteral(x);
  }
}

/**
 * Whether an instruction handles pending expressions (fold.ts) itself: locals, constants,
 * numeric instructions, loads and stores, calls, global.get/set and drop read their operands
 * with pop and only write their result slot or a local. Before any other, all are assigned.
 */
function foldAware(prefix: number, code: number): boolean {
  if (prefix === 0) {
    return code === 0x10 || code === 0x11 || code === 0x1a || (code >= 0x20 && code <= 0x24) ||
      (code >= 0x28 && code <= 0x3e) || (code >= 0x41 && code <= 0xc4);
  }
  return prefix === 0xfc && code <= 7; // trunc_sat
}

/** A return statement of the values of `vals` (boxed). */
function returnOf(vals: readonly string[]): string {
  const n = vals.length;
  if (n === 0) return 'return;';
  if (n === 1) return `return ${vals[0]};`;
  // A literal with a null keeps the array generic: V8 quiets signalling NaNs in double arrays.
  return `t = [${vals.join(', ')}, null]; t.length = ${n}; return t;`;
}

/** Fuel cost of an instruction, as wasmtime counts: 0 for nop, drop, block, loop, unreachable, return, else, end; 1 otherwise. */
function fuelCost(ins: Instr): number {
  if (ins.op.prefix !== 0) return 1;
  switch (ins.op.code) {
    case 0x00: case 0x01: case 0x02: case 0x03: case 0x05: case 0x0b: case 0x0f: case 0x1a: return 0;
    default: return 1;
  }
}

function zip<A, B>(a: readonly A[], b: readonly B[]): [A, B][] {
  return a.map((x, i) => [x, b[i]]);
}

/** Exact JS source of a non-NaN number. */
export function numberLiteral(x: number): string {
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

/** The source of the factory of function `funcIdx` (a defined function) and its direct callees. */
export function generateFunction(info: ModuleInfo, funcIdx: number, fuel = false): { source: string; callees: number[]; tailCalls: boolean } {
  let g = new FuncGen(info, fuel);
  let source = g.generate(funcIdx);
  if (source === undefined) {
    g = new FuncGen(info, fuel, false);
    source = g.generate(funcIdx)!;
  }
  return { source, callees: [...g.callees], tailCalls: g.tailCalls };
}
