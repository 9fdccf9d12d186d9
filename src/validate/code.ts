// Validation of instruction sequences (spec §3.3 and the algorithm of the spec's appendix
// "Validation Algorithm"), streaming over the binary encoding of function bodies and constant
// expressions. The operand stack holds interned value types (see types.ts) in an Int32Array and
// control frames live in parallel arrays, so validating an instruction allocates nothing.
// Also covers the legacy exception instructions and the threads proposal's atomics.

import { type Features, WASM_3_0 } from '../ast/features.js';
import { CompileError } from '../errors.js';
import { OPCODES, lookupOpcode, type OpInfo } from '../ast/opcodes.js';
import type { Expr, LocalDecl } from '../ast/module.js';
import type { ModuleCtx } from './context.js';
import {
  ABS_HEAP_BYTE, BOT, CONCRETE, F32, F64, H_ANY, H_ARRAY, H_BOT, H_EQ, H_EXN, H_EXTERN, H_I31, I16, I32, I64, I8,
  K_ARRAY, K_FUNC, K_STRUCT, TypeCtx, V128, defaultable, heapOf, ref, unpacked,
} from './types.js';

// Frame kinds (spec: block, loop, if, else; legacy try/catch/catch_all; try_table).
const F_BLOCK = 0, F_LOOP = 1, F_IF = 2, F_ELSE = 3, F_TRY = 4, F_CATCH = 5, F_CATCH_ALL = 6, F_TRY_TABLE = 7;

// Opcode classes: how the dispatcher handles an opcode without a dedicated case.
const C_ILLEGAL = 0, C_FIXED = 1, C_MEM = 2, C_SPECIAL = 3, C_LANE = 4, C_MEM_LANE = 5, C_ATOMIC = 6;

/** Signature table entry stride: [nin, in0, in1, in2, out]. */
const S = 5;
const ADDR = -2, NONE = -1;

interface OpTables {
  cls: Uint8Array;
  sig: Int32Array;
  align: Uint8Array;
  lanes: Uint8Array;
}

function sigToken(tok: string): number {
  switch (tok) {
    case 'i32': return I32;
    case 'i64': return I64;
    case 'f32': return F32;
    case 'f64': return F64;
    case 'v128': return V128;
    case 'a': return ADDR;
    case 'ri31': return ref(H_I31, false);
  }
  throw new Error(`opcode table: unknown signature token ${tok}`);
}

function buildTables(prefix: number): OpTables {
  let size = 0;
  for (const o of OPCODES) if (o.prefix === prefix) size = Math.max(size, o.code + 1);
  if (prefix === 0) size = 256;
  const t: OpTables = {
    cls: new Uint8Array(size), sig: new Int32Array(size * S), align: new Uint8Array(size), lanes: new Uint8Array(size),
  };
  for (const o of OPCODES) {
    if (o.prefix !== prefix) continue;
    const c = o.code;
    if (o.sig !== undefined && (o.imm === 'none' || o.imm === 'memarg' || o.imm === 'lane' || o.imm === 'memarg_lane')) {
      const [ins, outs] = o.sig.replace('(ref i31)', 'ri31').split('->').map((s) => s.trim().split(/\s+/).filter(Boolean));
      t.sig[c * S] = ins.length;
      ins.forEach((tok, i) => (t.sig[c * S + 1 + i] = sigToken(tok)));
      t.sig[c * S + 4] = outs.length ? sigToken(outs[0]) : NONE;
      t.align[c] = o.align ?? 0;
      if (o.imm === 'none') t.cls[c] = C_FIXED;
      else if (o.imm === 'memarg') t.cls[c] = prefix === 0xfe ? C_ATOMIC : C_MEM;
      else if (o.imm === 'lane') {
        t.cls[c] = C_LANE;
        const shape = o.name.slice(0, o.name.indexOf('.'));
        t.lanes[c] = Number(shape.slice(shape.indexOf('x') + 1));
      } else {
        t.cls[c] = C_MEM_LANE;
        t.lanes[c] = 16 >> (o.align ?? 0);
      }
    } else {
      t.cls[c] = C_SPECIAL;
    }
  }
  return t;
}

const T0 = buildTables(0);
const TFB = buildTables(0xfb);
const TFC = buildTables(0xfc);
const TFD = buildTables(0xfd);
const TFE = buildTables(0xfe);

/** Single-byte opcodes allowed in constant expressions (3.0 extended constants). */
const CONST_OK: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const b of [0x0b, 0x23, 0x41, 0x42, 0x43, 0x44, 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e, 0xd0, 0xd2, 0xfb, 0xfd]) t[b] = 1;
  return t;
})();

/** Dense case numbers for the hot loop's switch (0: take the slow path). */
const HOT: Uint8Array = (() => {
  const t = new Uint8Array(256);
  const fixed: [number, number][] = [[0x20, 1], [0x21, 2], [0x22, 3], [0x23, 4], [0x24, 5], [0x41, 6], [0x42, 6], [0x01, 7],
    [0x00, 8], [0x0f, 9], [0x04, 10], [0x0c, 11], [0x10, 12], [0x1a, 13], [0x02, 14], [0x03, 14], [0x0b, 15], [0x0d, 16]];
  for (const [op, k] of fixed) t[op] = k;
  for (let op = 0; op < 256; op++) {
    if (T0.cls[op] === C_FIXED) {
      const nin = T0.sig[op * S];
      if (nin === 2) t[op] = 17;
      else if (nin === 1 && T0.sig[op * S + 4] !== NONE) t[op] = 18;
    } else if (T0.cls[op] === C_MEM) {
      t[op] = T0.sig[op * S] === 1 ? 19 : 20;
    }
  }
  return t;
})();

const EMPTY = new Int32Array(0);
const EMPTY_BYTES = new Uint8Array(0);

export class CodeValidator {
  private readonly tc: TypeCtx;
  private bytes: Uint8Array = EMPTY_BYTES;
  private pos = 0;
  private end = 0;
  private base = -1;
  private instrStart = 0;
  // Where the expression is, built into a string only on failure.
  private whereName = '';
  private whereIdx = -1;
  private whereSuffix = '';

  private vals = new Int32Array(1024);
  private sp = 0;
  private height = 0;

  private cKind = new Uint8Array(64);
  private cHeight = new Int32Array(64);
  private cUnreach = new Uint8Array(64);
  private cInit = new Int32Array(64);
  private cParams: Int32Array[] = new Array(64).fill(EMPTY);
  private cResults: Int32Array[] = new Array(64).fill(EMPTY);
  /** A frame's label types: its params for a loop, else its results (read without a branch). */
  private cLabel: Int32Array[] = new Array(64).fill(EMPTY);
  private csp = 0;

  private localTypes = new Int32Array(64);
  private localInit = new Uint8Array(64);
  private nlocals = 0;
  private undo = new Int32Array(64);
  private usp = 0;

  private constMode = false;
  private constGlobals = 0;

  private btParams: Int32Array = EMPTY;
  private btResults: Int32Array = EMPTY;
  private readonly singles = new Map<number, Int32Array>();
  private readonly exnRef: Int32Array;
  private readonly exnRefNN: number;

  constructor(private readonly c: ModuleCtx, private readonly features: Features = WASM_3_0) {
    this.tc = c.tc;
    this.exnRefNN = ref(H_EXN, false);
    this.exnRef = Int32Array.of(this.exnRefNN);
    // The stacks grow by replacing these arrays. Replacing each once here makes V8 treat the
    // fields as mutable from the start: optimized code compiled while a field still held its
    // first array embeds that array as a constant, and the first growth (Go's functions nest
    // blocks hundreds deep) then discards it, or aborts the hot loop's compile in flight.
    this.vals = new Int32Array(this.vals.length);
    this.cKind = new Uint8Array(this.cKind.length);
    this.cHeight = new Int32Array(this.cHeight.length);
    this.cUnreach = new Uint8Array(this.cUnreach.length);
    this.cInit = new Int32Array(this.cInit.length);
    this.localTypes = new Int32Array(this.localTypes.length);
    this.localInit = new Uint8Array(this.localInit.length);
    this.undo = new Int32Array(this.undo.length);
  }

  // --- Entry points -------------------------------------------------------------------------

  /** Validates a function body: `funcIdx` and `typeIdx` are already checked. */
  validateFunc(funcIdx: number, typeIdx: number, locals: readonly LocalDecl[], code: Expr): void {
    this.whereName = 'function';
    this.whereIdx = funcIdx;
    this.whereSuffix = '';
    this.constMode = false;
    this.bytes = code.source;
    this.end = code.end;
    this.base = code.offset < 0 ? -1 : code.offset - code.start;
    this.instrStart = code.start;
    const tc = this.tc;
    const params = tc.params[typeIdx];
    // Indexed loops, and the try in a function of its own: this runs once per function, and V8
    // compiles it early; iterators and a try block make that compile several times larger.
    let n = params.length;
    for (let i = 0; i < locals.length; i++) n += locals[i].count;
    if (n > 50000 * 1000) this.fail('too many locals');
    if (n > this.localTypes.length) {
      this.localTypes = new Int32Array(n);
      this.localInit = new Uint8Array(n);
    }
    const lt = this.localTypes, li = this.localInit;
    let k = 0;
    for (; k < params.length; k++) { lt[k] = params[k]; li[k] = 1; }
    for (let i = 0; i < locals.length; i++) {
      const d = locals[i];
      const t = this.localType(d);
      const init = defaultable(t) ? 1 : 0;
      lt.fill(t, k, k + d.count);
      li.fill(init, k, k + d.count);
      k += d.count;
    }
    this.nlocals = n;
    this.run(code, EMPTY, tc.results[typeIdx]);
  }

  private localType(d: LocalDecl): number {
    try {
      return this.tc.valType(d.type);
    } catch (e) {
      this.fail(e instanceof CompileError ? e.message : String(e));
    }
  }

  /**
   * Validates a constant expression (spec §3.3.10) of type `t`; `nglobals` globals are visible.
   * ref.func operands are recorded in C.refs.
   */
  validateConst(code: Expr, t: number, nglobals: number, where: string, whereIdx: number): void {
    // Fast path for the commonest offset expression: `i32.const n end` (or i64) with n of at
    // most 4 bytes (always in range).
    const body = code.source, s = code.start, n = code.end - s;
    if (n >= 3 && n <= 6 && body[s + n - 1] === 0x0b && ((body[s] === 0x41 && t === I32) || (body[s] === 0x42 && t === I64))) {
      let q = s + 1;
      while (q < s + n - 1 && body[q] >= 0x80) q++;
      if (q === s + n - 2) return;
    }
    this.whereName = where;
    this.whereIdx = whereIdx;
    this.whereSuffix = whereIdx < 0 ? '' : ' offset';
    this.constMode = true;
    this.constGlobals = nglobals;
    this.nlocals = 0;
    this.run(code, EMPTY, this.single(t));
  }

  private run(code: Expr, params: Int32Array, results: Int32Array): void {
    this.bytes = code.source;
    this.pos = code.start;
    this.end = code.end;
    // Positions are indices into `source`; `base` turns them into module offsets (-1: from text).
    this.base = code.offset < 0 ? -1 : code.offset - code.start;
    this.sp = 0;
    this.csp = 0;
    this.usp = 0;
    this.instrStart = code.start;
    this.pushCtrl(F_BLOCK, params, results);
    // Constant expressions are short: they skip the hot loop and its fast paths.
    if (this.constMode) while (!this.step());
    else this.loop();
    if (this.pos !== this.end) {
      this.instrStart = this.pos;
      this.fail(this.constMode ? 'constant expression required' : 'section size mismatch');
    }
  }

  // --- Errors -------------------------------------------------------------------------------

  private fail(message: string): never {
    let where = ` in ${this.whereName}${this.whereIdx >= 0 ? ` ${this.whereIdx}` : ''}${this.whereSuffix}`;
    if (this.base < 0 && this.end > this.instrStart) where += ` at ${this.instrName()}`;
    throw new CompileError(message + where, this.base < 0 ? undefined : this.base + this.instrStart);
  }

  private instrName(): string {
    const b = this.bytes;
    const p = this.instrStart;
    if (p >= this.end) return 'end of expression';
    let o: OpInfo | undefined;
    if (b[p] >= 0xfb && b[p] <= 0xfe) {
      let code = 0, shift = 0, q = p + 1;
      while (q < this.end) {
        const x = b[q++];
        code |= (x & 0x7f) << shift;
        shift += 7;
        if (!(x & 0x80) || shift > 28) break;
      }
      o = lookupOpcode(b[p], code);
    } else o = lookupOpcode(0, b[p]);
    return o ? o.name : `opcode 0x${b[p].toString(16)}`;
  }

  private mismatch(expected: number, actual: number): never {
    const tc = this.tc;
    this.fail(`type mismatch: expected ${expected === NONE ? 'a value' : tc.toString(expected)}, got ${actual === NONE ? 'empty stack' : tc.toString(actual)}`);
  }

  // --- Immediates ---------------------------------------------------------------------------

  private u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos++];
  }

  private u32(): number {
    const b = this.bytes;
    let pos = this.pos;
    if (pos < this.end && b[pos] < 0x80) {
      this.pos = pos + 1;
      return b[pos];
    }
    let result = 0, shift = 0;
    for (;;) {
      if (pos >= this.end) this.fail('unexpected end');
      const byte = b[pos++];
      if (shift === 28) {
        if (byte & 0x80) this.fail('integer representation too long');
        if (byte & 0x70) this.fail('integer too large');
        result = (result | (byte << 28)) >>> 0;
        break;
      }
      result |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
      shift += 7;
    }
    this.pos = pos;
    return result >>> 0;
  }

  /** Skips a signed LEB128 of at most `bits` bits (32 or 64), checking its form. */
  private skipSigned(bits: number): void {
    const b = this.bytes;
    const maxBytes = Math.ceil(bits / 7);
    let pos = this.pos;
    for (let i = 0; ; i++) {
      if (pos >= this.end) this.fail('unexpected end');
      const byte = b[pos++];
      if (i === maxBytes - 1) {
        if (byte & 0x80) this.fail('integer representation too long');
        // Bits beyond the value's width must repeat its sign bit.
        const used = bits - 7 * i; // value bits in this byte (4 for s32, 1 for s64)
        const mask = 0x7f & ~((1 << (used - 1)) - 1);
        const high = byte & mask;
        if (high !== 0 && high !== mask) this.fail('integer too large');
        break;
      }
      if (!(byte & 0x80)) break;
    }
    this.pos = pos;
  }

  /** Unsigned LEB128 up to 64 bits as a number (memarg offsets). */
  private u64(): number {
    let result = 0, mul = 1;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      if (i === 9) {
        if (byte & 0x80) this.fail('integer representation too long');
        if (byte & 0x7e) this.fail('integer too large');
        return result + (byte & 1) * mul;
      }
      result += (byte & 0x7f) * mul;
      mul *= 128;
      if (!(byte & 0x80)) return result;
    }
  }

  /** Signed 33-bit LEB128 (block types, heap types). */
  private s33(): number {
    let result = 0, mul = 1;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      if (i === 4) {
        if (byte & 0x80) this.fail('integer representation too long');
        const high = byte & 0x70;
        if (high !== 0 && high !== 0x70) this.fail('integer too large');
        result += (byte & 0x1f) * mul;
        if (byte & 0x10) result -= 2 ** 33;
        return result;
      }
      result += (byte & 0x7f) * mul;
      mul *= 128;
      if (!(byte & 0x80)) {
        if (byte & 0x40) result -= mul;
        return result;
      }
    }
  }

  private heapType(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    const b = this.bytes[this.pos];
    if ((b & 0xc0) === 0x40) {
      this.pos++;
      const h = ABS_HEAP_BYTE[b];
      if (h < 0) this.fail('malformed heap type');
      return h;
    }
    const idx = this.s33();
    if (idx < 0) this.fail('malformed heap type');
    if (idx >= this.tc.n) this.fail(`unknown type ${idx}`);
    return CONCRETE + this.tc.canon[idx];
  }

  private valType(): number {
    const b = this.u8();
    switch (b) {
      case 0x7f: return I32;
      case 0x7e: return I64;
      case 0x7d: return F32;
      case 0x7c: return F64;
      case 0x7b: return V128;
      case 0x63: return ref(this.heapType(), true);
      case 0x64: return ref(this.heapType(), false);
    }
    const h = ABS_HEAP_BYTE[b];
    if (h < 0) this.fail('malformed value type');
    return ref(h, true);
  }

  private single(t: number): Int32Array {
    let a = this.singles.get(t);
    if (!a) this.singles.set(t, (a = Int32Array.of(t)));
    return a;
  }

  private blockType(): void {
    if (this.pos >= this.end) this.fail('unexpected end');
    const b = this.bytes[this.pos];
    if (b === 0x40) {
      this.pos++;
      this.btParams = EMPTY;
      this.btResults = EMPTY;
    } else if ((b & 0xc0) === 0x40) {
      this.btParams = EMPTY;
      this.btResults = this.single(this.valType());
    } else {
      const idx = this.s33();
      if (idx < 0) this.fail('malformed block type');
      if (idx >= this.tc.n) this.fail(`unknown type ${idx}`);
      if (this.tc.kind[idx] !== K_FUNC) this.fail(`type mismatch: block type ${idx} is not a function type`);
      this.btParams = this.tc.params[idx];
      this.btResults = this.tc.results[idx];
    }
  }

  // --- Operand and control stacks -----------------------------------------------------------

  private push(t: number): void {
    if (this.sp === this.vals.length) {
      const v = new Int32Array(this.vals.length * 2);
      v.set(this.vals);
      this.vals = v;
    }
    this.vals[this.sp++] = t;
  }

  private pushAll(ts: Int32Array): void {
    for (let i = 0; i < ts.length; i++) this.push(ts[i]);
  }

  /** Pops any operand; BOT when the frame is unreachable and its stack part is empty. */
  private pop(): number {
    if (this.sp === this.height) {
      if (this.cUnreach[this.csp - 1]) return BOT;
      this.mismatch(NONE, NONE);
    }
    return this.vals[--this.sp];
  }

  /** Pops an operand that must match `t`; returns the actual type. */
  private popT(t: number): number {
    const sp = this.sp;
    if (sp > this.height) {
      const a = this.vals[sp - 1];
      this.sp = sp - 1;
      if (a === t || a === BOT || this.tc.isSub(a, t)) return a;
      this.mismatch(t, a);
    }
    if (this.cUnreach[this.csp - 1]) return BOT;
    this.mismatch(t, NONE);
  }

  private popAll(ts: Int32Array): void {
    for (let i = ts.length - 1; i >= 0; i--) this.popT(ts[i]);
  }

  /** Pops a reference operand (any reference type); BOT in unreachable code. */
  private popRef(): number {
    const t = this.pop();
    if (t !== BOT && t < 8) this.fail(`type mismatch: expected a reference, got ${this.tc.toString(t)}`);
    return t;
  }

  /** Checks, without popping, that the top of the stack matches `ts` (branch operands). */
  private checkTop(ts: Int32Array): void {
    const n = ts.length;
    for (let i = 0; i < n; i++) {
      const at = this.sp - n + i;
      if (at < this.height) {
        if (!this.cUnreach[this.csp - 1]) this.mismatch(ts[i], NONE);
        continue;
      }
      const a = this.vals[at];
      if (a !== ts[i] && !this.tc.isSub(a, ts[i])) this.mismatch(ts[i], a);
    }
  }

  private pushCtrl(kind: number, params: Int32Array, results: Int32Array): void {
    const i = this.csp;
    if (i === this.cKind.length) this.growCtrl();
    this.cKind[i] = kind;
    this.cParams[i] = params;
    this.cResults[i] = results;
    this.cLabel[i] = kind === F_LOOP ? params : results;
    this.cHeight[i] = this.sp;
    this.cUnreach[i] = 0;
    this.cInit[i] = this.usp;
    this.csp = i + 1;
    this.height = this.sp;
    for (let j = 0; j < params.length; j++) this.push(params[j]);
  }

  /**
   * pushCtrl for a block type [] -> [] when the control stack has room: the hot loop's, without
   * the growth, which would deoptimize the loop if it first happened after TurboFan compiled it.
   */
  private pushEmptyFrame(kind: number): void {
    const i = this.csp;
    this.cKind[i] = kind;
    this.cParams[i] = EMPTY;
    this.cResults[i] = EMPTY;
    this.cLabel[i] = EMPTY;
    this.cHeight[i] = this.sp;
    this.cUnreach[i] = 0;
    this.cInit[i] = this.usp;
    this.csp = i + 1;
    this.height = this.sp;
  }

  private growCtrl(): void {
    const n = this.cKind.length * 2;
    const k = new Uint8Array(n); k.set(this.cKind); this.cKind = k;
    const h = new Int32Array(n); h.set(this.cHeight); this.cHeight = h;
    const u = new Uint8Array(n); u.set(this.cUnreach); this.cUnreach = u;
    const ini = new Int32Array(n); ini.set(this.cInit); this.cInit = ini;
    for (let j = this.cParams.length; j < n; j++) { this.cParams.push(EMPTY); this.cResults.push(EMPTY); this.cLabel.push(EMPTY); }
  }

  /** Checks the frame's results are exactly on the stack and resets locals set inside it. */
  private endFrame(): void {
    const top = this.csp - 1;
    const rs = this.cResults[top];
    for (let i = rs.length - 1; i >= 0; i--) this.popT(rs[i]);
    if (this.sp !== this.height) this.fail(`type mismatch: ${this.sp - this.height} extra value(s) at end of block`);
    this.resetLocals(this.cInit[top]);
  }

  private resetLocals(to: number): void {
    while (this.usp > to) this.localInit[this.undo[--this.usp]] = 0;
  }

  private popCtrl(): void {
    this.csp--;
    this.height = this.csp > 0 ? this.cHeight[this.csp - 1] : 0;
  }

  private setUnreachable(): void {
    this.sp = this.height;
    this.cUnreach[this.csp - 1] = 1;
  }

  private labelTypes(l: number): Int32Array {
    if (l >= this.csp) this.fail(`unknown label ${l}`);
    const i = this.csp - 1 - l;
    return this.cLabel[i];
  }

  // --- Index space lookups ------------------------------------------------------------------

  private funcIdx(): number {
    const f = this.u32();
    if (f >= this.c.nfuncs) this.fail(`unknown function ${f}`);
    return f;
  }

  private funcTypeIdx(): number {
    const x = this.u32();
    if (x >= this.tc.n) this.fail(`unknown type ${x}`);
    if (this.tc.kind[x] !== K_FUNC) this.fail(`type mismatch: type ${x} is not a function type`);
    return x;
  }

  private typeOfKind(kind: number): number {
    const x = this.u32();
    if (x >= this.tc.n) this.fail(`unknown type ${x}`);
    if (this.tc.kind[x] !== kind) this.fail(`type mismatch: type ${x} is not ${kind === K_STRUCT ? 'a struct' : 'an array'} type`);
    return x;
  }

  private tableIdx(): number {
    const t = this.u32();
    if (t >= this.c.ntables) this.fail(`unknown table ${t}`);
    return t;
  }

  private memIdx(): number {
    // Before multi-memory, the memory index of these instructions was a reserved zero byte.
    if (!this.features.multiMemory && this.u8() !== 0) this.fail('zero byte expected');
    const m = this.features.multiMemory ? this.u32() : 0;
    if (m >= this.c.nmems) this.fail(`unknown memory ${m}`);
    return m;
  }

  private dataIdx(): number {
    const d = this.u32();
    if (!this.c.hasDataCount && this.base >= 0) this.fail('data count section required');
    if (d >= this.c.ndatas) this.fail(`unknown data segment ${d}`);
    return d;
  }

  private elemIdx(): number {
    const e = this.u32();
    if (e >= this.c.nelems) this.fail(`unknown elem segment ${e}`);
    return e;
  }

  private tagIdx(): number {
    const t = this.u32();
    if (t >= this.c.ntags) this.fail(`unknown tag ${t}`);
    return t;
  }

  private concreteRef(x: number, nullable: boolean): number {
    return ref(CONCRETE + this.tc.canon[x], nullable);
  }

  /** Reads a memarg; checks memory index, alignment and offset range; returns the address type. */
  private memarg(natural: number, exact: boolean): number {
    // Fast path: one-byte flags (memory 0) and a one-byte offset.
    const p = this.pos;
    if (p + 1 < this.end) {
      const f = this.bytes[p];
      if (f < 64 && this.bytes[p + 1] < 0x80 && this.c.nmems > 0 && (exact ? f === natural : f <= natural)) {
        this.pos = p + 2;
        return this.c.memAddr[0];
      }
    }
    let flags = this.u32();
    let mem = 0;
    if (flags >= 64) {
      if (flags >= 128) this.fail('malformed memop flags');
      flags -= 64;
      mem = this.u32();
    }
    const b = this.bytes;
    let offset: number;
    if (this.pos < this.end && b[this.pos] < 0x80) offset = b[this.pos++];
    else offset = this.u64();
    if (mem >= this.c.nmems) this.fail(`unknown memory ${mem}`);
    const addr = this.c.memAddr[mem];
    if (addr === I32 && offset > 0xffffffff) this.fail('offset out of range');
    if (exact ? flags !== natural : flags > natural) {
      this.fail(exact ? 'alignment must be exactly natural' : 'alignment must not be larger than natural');
    }
    return addr;
  }

  private applySig(sig: Int32Array, base: number, addr: number): void {
    const nin = sig[base];
    for (let i = nin; i >= 1; i--) {
      const t = sig[base + i];
      this.popT(t === ADDR ? addr : t);
    }
    const out = sig[base + 4];
    if (out !== NONE) this.push(out === ADDR ? addr : out);
  }

  private local(): number {
    const x = this.u32();
    if (x >= this.nlocals) this.fail(`unknown local ${x}`);
    return x;
  }

  private global(): number {
    const x = this.u32();
    if (x >= (this.constMode ? this.constGlobals : this.c.nglobals)) this.fail(`unknown global ${x}`);
    return x;
  }

  // --- The instruction loop -----------------------------------------------------------------

  /**
   * The hot loop: the most frequent instructions are validated here with the reader position and
   * operand stack pointer in locals; everything else (and every failure) goes through step(),
   * which works on the fields, so state is written back before and reloaded after.
   */
  private loop(): void {
    const bytes = this.bytes, end = this.end;
    // Module-level and imported constants hoisted into locals: cheaper to reach in the hot loop.
    const hot = HOT, tI32 = I32, tI64 = I64, fIf = F_IF, fBlock = F_BLOCK, fLoop = F_LOOP, fElse = F_ELSE, fTryTable = F_TRY_TABLE, S5 = S;
    const sig0 = T0.sig, cls0 = T0.cls, align0 = T0.align;
    const lt = this.localTypes, li = this.localInit;
    const c = this.c;
    const globalType = c.globalType, globalMut = c.globalMut;
    let pos = this.pos, sp = this.sp, height = this.height;
    let vals = this.vals;
    const nlocals = this.nlocals, nglobals = c.nglobals;
    for (;;) {
      if (pos < end - 2) {
        const op = bytes[pos];
        // Conditions many cases need, computed once: cheaper, and a comparison of a case's own
        // that had not run when TurboFan compiled this function would deoptimize it.
        const canPop = sp > height, canPush = sp < vals.length;
        const kind = hot[op];
        switch (kind) {
          case 1: { // local.get
            const x = bytes[pos + 1];
            if (x < 0x80 && x < nlocals && li[x] === 1 && canPush) {
              vals[sp++] = lt[x];
              pos += 2;
              continue;
            }
            break;
          }
          case 2: { // local.set
            const x = bytes[pos + 1];
            if (x < 0x80 && x < nlocals && li[x] === 1 && canPop && vals[sp - 1] === lt[x]) {
              sp--;
              pos += 2;
              continue;
            }
            break;
          }
          case 3: { // local.tee
            const x = bytes[pos + 1];
            if (x < 0x80 && x < nlocals && li[x] === 1 && canPop && vals[sp - 1] === lt[x]) {
              pos += 2;
              continue;
            }
            break;
          }
          case 4: { // global.get
            const x = bytes[pos + 1];
            if (x < 0x80 && x < nglobals && canPush) {
              vals[sp++] = globalType[x];
              pos += 2;
              continue;
            }
            break;
          }
          case 5: { // global.set
            const x = bytes[pos + 1];
            if (x < 0x80 && x < nglobals && globalMut[x] === 1 && canPop && vals[sp - 1] === globalType[x]) {
              sp--;
              pos += 2;
              continue;
            }
            break;
          }
          case 6: { // i32.const, i64.const
            // The immediate's last byte: at most 5 (10) bytes, whose unused bits repeat the sign.
            const last = op === 0x41 ? pos + 5 : pos + 10;
            let q = pos + 1;
            while (q < end && q < last && bytes[q] >= 0x80) q++;
            // An immediate of full length (its unused bits to check) takes the slow path: code
            // that had not run when TurboFan compiled this function would deoptimize it.
            if (q < end && q !== last && canPush) {
              vals[sp++] = op === 0x41 ? tI32 : tI64;
              pos = q + 1;
              continue;
            }
            break;
          }
          case 7: // nop
            pos++;
            continue;
          case 8: // unreachable
            sp = height;
            this.cUnreach[this.csp - 1] = 1;
            pos++;
            continue;
          case 9: { // return with exactly the function's results on the stack
            const rs = this.cResults[0];
            const n = rs.length;
            if (sp - n < height) break;
            let ok = true;
            for (let i = 0; i < n; i++) if (vals[sp - n + i] !== rs[i]) { ok = false; break; }
            if (!ok) break;
            sp = height;
            this.cUnreach[this.csp - 1] = 1;
            pos++;
            continue;
          }
          case 10: // if with empty block type
            if (bytes[pos + 1] === 0x40 && canPop && vals[sp - 1] === tI32 && this.csp < this.cKind.length) {
              this.instrStart = pos;
              this.sp = sp - 1;
              this.pushEmptyFrame(fIf);
              sp = height = this.sp;
              pos += 2;
              continue;
            }
            break;
          case 11: { // br to a label without values
            const l = bytes[pos + 1];
            if (l < 0x80 && l < this.csp) {
              const i = this.csp - 1 - l;
              if (this.cLabel[i].length === 0) {
                sp = height;
                this.cUnreach[this.csp - 1] = 1;
                pos += 2;
                continue;
              }
            }
            break;
          }
          case 12: { // call, with operands of exactly the parameter types
            let f = 0, q = pos + 1, shift = 0;
            while (q < end && q < pos + 4) {
              const b = bytes[q++];
              f |= (b & 0x7f) << shift;
              shift += 7;
              if (b < 0x80) { shift = -1; break; }
            }
            if (shift !== -1 || f >= c.nfuncs) break;
            const t = c.funcTypes[f];
            const ps = this.tc.params[t], rs = this.tc.results[t];
            const np = ps.length;
            if (sp - np < height || sp - np + rs.length > vals.length) break;
            let ok = true;
            for (let i = 0; i < np; i++) if (vals[sp - np + i] !== ps[i]) { ok = false; break; }
            if (!ok) break;
            sp -= np;
            for (let i = 0; i < rs.length; i++) vals[sp++] = rs[i];
            pos = q;
            continue;
          }
          case 14: // block, loop with empty block type
            if (bytes[pos + 1] === 0x40 && this.csp < this.cKind.length) {
              this.instrStart = pos;
              this.sp = sp;
              this.pushEmptyFrame(op === 0x02 ? fBlock : fLoop);
              height = sp;
              pos += 2;
              continue;
            }
            break;
          case 15: { // end of a block-like frame with no or one result, nothing else on the stack
            const top = this.csp - 1;
            if (top > 0 && this.cInit[top] === this.usp) {
              const k = this.cKind[top];
              if (k === fBlock || k === fLoop || k === fElse || k === fTryTable || (k === fIf && this.cParams[top].length === 0)) {
                const rs = this.cResults[top];
                if (k === fIf && rs.length !== 0) break;
                if ((rs.length === 0 && sp === height) || (rs.length === 1 && sp === height + 1 && vals[sp - 1] === rs[0])) {
                  this.csp = top;
                  height = this.height = this.cHeight[top - 1];
                  pos++;
                  continue;
                }
                if (sp === height && this.cUnreach[top] === 1 && sp + rs.length <= vals.length) {
                  this.csp = top;
                  height = this.height = this.cHeight[top - 1];
                  for (let i = 0; i < rs.length; i++) vals[sp++] = rs[i];
                  pos++;
                  continue;
                }
              }
            }
            break;
          }
          case 16: { // br_if to a label without values
            const l = bytes[pos + 1];
            if (l < 0x80 && l < this.csp && canPop && vals[sp - 1] === tI32) {
              const i = this.csp - 1 - l;
              if (this.cLabel[i].length === 0) {
                sp--;
                pos += 2;
                continue;
              }
            }
            break;
          }
          case 13: case 17: { // drop; fixed [t1 t2] -> [t]
            // One tail for both: drop is rare in some code (Go's), and arithmetic of its own
            // that had not run when TurboFan compiled this function would deoptimize it.
            if (kind === 17) {
              const base = op * S5;
              if (!(sp - 2 >= height && vals[sp - 1] === sig0[base + 2] && vals[sp - 2] === sig0[base + 1])) break;
              vals[sp - 2] = sig0[base + 4];
            } else if (!canPop) break;
            sp--;
            pos++;
            continue;
          }
          case 18: { // fixed [t1] -> [t]
            const base = op * S5;
            if (sp - 1 >= height && vals[sp - 1] === sig0[base + 1]) {
              vals[sp - 1] = sig0[base + 4];
              pos++;
              continue;
            }
            break;
          }
          case 19: case 20: { // load, store
            // One-byte flags (memory 0) and an offset of at most 4 bytes (below 2^28, in range), 32-bit memory 0.
            const f = bytes[pos + 1];
            let q = pos + 2;
            while (q < end && q < pos + 6 && bytes[q] >= 0x80) q++;
            if (f <= align0[op] && q < pos + 6 && q < end && c.nmems > 0 && c.memAddr[0] === tI32) {
              const base = op * S5;
              if (kind === 19) {
                if (canPop && vals[sp - 1] === tI32) {
                  vals[sp - 1] = sig0[base + 4];
                  pos = q + 1;
                  continue;
                }
              } else if (sp - 2 >= height && vals[sp - 2] === tI32 && vals[sp - 1] === sig0[base + 2]) {
                sp -= 2;
                pos = q + 1;
                continue;
              }
            }
            break;
          }
        }
      }
      // Slow path.
      this.pos = pos;
      this.sp = sp;
      if (this.step()) return;
      pos = this.pos;
      sp = this.sp;
      height = this.height;
      vals = this.vals;
    }
  }

  /** Validates one instruction at this.pos; true when it ended the expression. */
  private step(): boolean {
    const c = this.c;
    const tc = this.tc;
    const sig0 = T0.sig, cls0 = T0.cls;
    {
      if (this.pos >= this.end) {
        this.instrStart = this.pos;
        this.fail(this.constMode ? 'unexpected end' : 'END opcode expected');
      }
      const start = (this.instrStart = this.pos);
      const op = this.bytes[this.pos++];
      if (this.constMode && !CONST_OK[op]) {
        if (cls0[op] === C_ILLEGAL) this.fail(`illegal opcode ${op.toString(16)}`);
        this.fail('constant expression required');
      }
      switch (op) {
        case 0x00: // unreachable
          this.setUnreachable();
          break;
        case 0x01: // nop
          break;
        case 0x02: // block
        case 0x03: // loop
          this.blockType();
          this.popAll(this.btParams);
          this.pushCtrl(op === 0x02 ? F_BLOCK : F_LOOP, this.btParams, this.btResults);
          break;
        case 0x04: // if
          this.blockType();
          this.popT(I32);
          this.popAll(this.btParams);
          this.pushCtrl(F_IF, this.btParams, this.btResults);
          break;
        case 0x05: { // else
          const top = this.csp - 1;
          if (this.cKind[top] !== F_IF) this.fail('else without matching if');
          this.endFrame();
          this.cKind[top] = F_ELSE;
          this.cUnreach[top] = 0;
          this.pushAll(this.cParams[top]);
          break;
        }
        case 0x06: // try (legacy)
          this.blockType();
          this.popAll(this.btParams);
          this.pushCtrl(F_TRY, this.btParams, this.btResults);
          break;
        case 0x07: // catch (legacy)
        case 0x19: { // catch_all (legacy)
          const top = this.csp - 1;
          const k = this.cKind[top];
          if (k !== F_TRY && k !== F_CATCH) this.fail(`${op === 0x07 ? 'catch' : 'catch_all'} without matching try`);
          let tag = -1;
          if (op === 0x07) tag = this.tagIdx();
          this.endFrame();
          this.cKind[top] = op === 0x07 ? F_CATCH : F_CATCH_ALL;
          this.cUnreach[top] = 0;
          if (tag >= 0) this.pushAll(tc.params[c.tagTypes[tag]]);
          break;
        }
        case 0x08: { // throw
          const tag = this.tagIdx();
          this.popAll(tc.params[c.tagTypes[tag]]);
          this.setUnreachable();
          break;
        }
        case 0x09: { // rethrow (legacy): the label must be a catch clause
          const l = this.u32();
          if (l >= this.csp) this.fail(`unknown label ${l}`);
          const k = this.cKind[this.csp - 1 - l];
          if (k !== F_CATCH && k !== F_CATCH_ALL) this.fail('invalid rethrow label');
          this.setUnreachable();
          break;
        }
        case 0x0a: // throw_ref
          this.popT(ref(H_EXN, true));
          this.setUnreachable();
          break;
        case 0x0b: { // end
          const top = this.csp - 1;
          if (this.cKind[top] === F_IF) {
            // An `if` without `else` has an empty else branch: its params must match its results.
            const ps = this.cParams[top], rs = this.cResults[top];
            this.endFrame();
            if (ps.length !== rs.length) this.fail('type mismatch: if without else must have matching param and result types');
            for (let i = 0; i < ps.length; i++) {
              if (!tc.isSub(ps[i], rs[i])) this.fail('type mismatch: if without else must have matching param and result types');
            }
          } else {
            this.endFrame();
          }
          const rs = this.cResults[top];
          this.popCtrl();
          if (this.csp === 0) return true;
          this.pushAll(rs);
          break;
        }
        case 0x0c: // br
          this.popAll(this.labelTypes(this.u32()));
          this.setUnreachable();
          break;
        case 0x0d: { // br_if
          const ts = this.labelTypes(this.u32());
          this.popT(I32);
          this.popAll(ts);
          this.pushAll(ts);
          break;
        }
        case 0x0e: { // br_table
          const n = this.u32();
          if (n > this.end - this.pos) this.fail('unexpected end');
          this.popT(I32);
          let arity = -1;
          for (let i = 0; i <= n; i++) {
            const ts = this.labelTypes(this.u32());
            if (arity < 0) arity = ts.length;
            else if (ts.length !== arity) this.fail('type mismatch: br_table targets have different arities');
            this.checkTop(ts);
          }
          this.setUnreachable();
          break;
        }
        case 0x0f: // return
          this.popAll(this.cResults[0]);
          this.setUnreachable();
          break;
        case 0x10: { // call
          const t = c.funcTypes[this.funcIdx()];
          this.popAll(tc.params[t]);
          this.pushAll(tc.results[t]);
          break;
        }
        case 0x11: { // call_indirect
          const t = this.funcTypeIdx();
          const tab = this.tableIdx();
          if (!tc.isSub(c.tableElem[tab], ref(0 /* func */, true))) this.fail('type mismatch: call_indirect on a table that is not of function references');
          this.popT(c.tableAddr[tab]);
          this.popAll(tc.params[t]);
          this.pushAll(tc.results[t]);
          break;
        }
        case 0x12: { // return_call
          const t = c.funcTypes[this.funcIdx()];
          this.returnCall(t);
          break;
        }
        case 0x13: { // return_call_indirect
          const t = this.funcTypeIdx();
          const tab = this.tableIdx();
          if (!tc.isSub(c.tableElem[tab], ref(0, true))) this.fail('type mismatch: call_indirect on a table that is not of function references');
          this.popT(c.tableAddr[tab]);
          this.returnCall(t);
          break;
        }
        case 0x14: { // call_ref
          const t = this.funcTypeIdx();
          this.popT(this.concreteRef(t, true));
          this.popAll(tc.params[t]);
          this.pushAll(tc.results[t]);
          break;
        }
        case 0x15: { // return_call_ref
          const t = this.funcTypeIdx();
          this.popT(this.concreteRef(t, true));
          this.returnCall(t);
          break;
        }
        case 0x18: { // delegate (legacy): ends a try; the label counts from outside it
          const top = this.csp - 1;
          if (this.cKind[top] !== F_TRY) this.fail('delegate without matching try');
          const l = this.u32();
          this.endFrame();
          const rs = this.cResults[top];
          this.popCtrl();
          if (l >= this.csp) this.fail(`unknown label ${l}`);
          this.pushAll(rs);
          break;
        }
        case 0x1a: // drop
          this.pop();
          break;
        case 0x1b: { // select (untyped: numeric and vector operands only)
          this.popT(I32);
          const t1 = this.pop();
          const t2 = this.pop();
          if (t1 >= 8 || t2 >= 8) this.fail('type mismatch: select without type on reference operands');
          if (t1 !== t2 && t1 !== BOT && t2 !== BOT) this.mismatch(t1, t2);
          this.push(t1 === BOT ? t2 : t1);
          break;
        }
        case 0x1c: { // select t
          const n = this.u32();
          if (n !== 1) this.fail('invalid result arity');
          const t = this.valType();
          this.popT(I32);
          this.popT(t);
          this.popT(t);
          this.push(t);
          break;
        }
        case 0x1f: { // try_table
          this.blockType();
          const ps = this.btParams, rs = this.btResults;
          const n = this.u32();
          for (let i = 0; i < n; i++) this.catchClause();
          this.popAll(ps);
          this.pushCtrl(F_TRY_TABLE, ps, rs);
          break;
        }
        case 0x20: { // local.get
          const b = this.bytes[this.pos];
          let x: number;
          if (b < 0x80 && b < this.nlocals && this.pos < this.end) { x = b; this.pos++; } else x = this.local();
          if (!this.localInit[x]) this.fail(`uninitialized local ${x}`);
          this.push(this.localTypes[x]);
          break;
        }
        case 0x21: // local.set
        case 0x22: { // local.tee
          const b = this.bytes[this.pos];
          let x: number;
          if (b < 0x80 && b < this.nlocals && this.pos < this.end) { x = b; this.pos++; } else x = this.local();
          const t = this.localTypes[x];
          this.popT(t);
          if (!this.localInit[x]) this.initLocal(x);
          if (op === 0x22) this.push(t);
          break;
        }
        case 0x23: { // global.get
          const x = this.global();
          if (this.constMode && c.globalMut[x]) this.fail('constant expression required');
          this.push(c.globalType[x]);
          break;
        }
        case 0x24: { // global.set
          const x = this.global();
          if (!c.globalMut[x]) this.fail(`global is immutable: global ${x}`);
          this.popT(c.globalType[x]);
          break;
        }
        case 0x25: { // table.get
          const t = this.tableIdx();
          this.popT(c.tableAddr[t]);
          this.push(c.tableElem[t]);
          break;
        }
        case 0x26: { // table.set
          const t = this.tableIdx();
          this.popT(c.tableElem[t]);
          this.popT(c.tableAddr[t]);
          break;
        }
        case 0x3f: { // memory.size
          const m = this.memIdx();
          this.push(c.memAddr[m]);
          break;
        }
        case 0x40: { // memory.grow
          const a = c.memAddr[this.memIdx()];
          this.popT(a);
          this.push(a);
          break;
        }
        case 0x41: // i32.const
          if (this.pos < this.end && this.bytes[this.pos] < 0x80) this.pos++;
          else this.skipSigned(32);
          this.push(I32);
          break;
        case 0x42: // i64.const
          if (this.pos < this.end && this.bytes[this.pos] < 0x80) this.pos++;
          else this.skipSigned(64);
          this.push(I64);
          break;
        case 0x43: // f32.const
          if (this.end - this.pos < 4) this.fail('unexpected end');
          this.pos += 4;
          this.push(F32);
          break;
        case 0x44: // f64.const
          if (this.end - this.pos < 8) this.fail('unexpected end');
          this.pos += 8;
          this.push(F64);
          break;
        case 0xd0: // ref.null
          this.push(ref(this.heapType(), true));
          break;
        case 0xd1: // ref.is_null
          this.popRef();
          this.push(I32);
          break;
        case 0xd2: { // ref.func
          const f = this.funcIdx();
          if (this.constMode) c.refs[f] = 1;
          else if (!c.refs[f]) this.fail(`undeclared function reference ${f}`);
          this.push(this.concreteRef(c.funcTypes[f], false));
          break;
        }
        case 0xd3: // ref.eq
          this.popT(ref(H_EQ, true));
          this.popT(ref(H_EQ, true));
          this.push(I32);
          break;
        case 0xd4: { // ref.as_non_null
          const t = this.popRef();
          this.push(t === BOT ? ref(H_BOT, false) : t & ~1);
          break;
        }
        case 0xd5: { // br_on_null
          const ts = this.labelTypes(this.u32());
          const t = this.popRef();
          this.popAll(ts);
          this.pushAll(ts);
          this.push(t === BOT ? ref(H_BOT, false) : t & ~1);
          break;
        }
        case 0xd6: { // br_on_non_null: the label's last type takes the non-null reference
          const ts = this.labelTypes(this.u32());
          if (ts.length === 0) this.fail('type mismatch: br_on_non_null target has no values');
          const last = ts[ts.length - 1];
          const t = this.popRef();
          const nn = t === BOT ? ref(H_BOT, false) : t & ~1;
          if (!tc.isSub(nn, last)) this.mismatch(last, nn);
          const rest = ts.subarray(0, ts.length - 1);
          this.popAll(rest);
          this.pushAll(rest);
          break;
        }
        case 0xfb:
          this.gcOp();
          break;
        case 0xfc:
          this.miscOp();
          break;
        case 0xfd:
          this.simdOp();
          break;
        case 0xfe:
          this.atomicOp();
          break;
        default: {
          const k = cls0[op];
          if (k === C_FIXED) {
            // Inline fast path for the common one- and two-operand numeric instructions.
            const base = op * S;
            const nin = sig0[base];
            if (nin === 2) {
              const sp = this.sp;
              const t = sig0[base + 1];
              if (sp - 2 >= this.height && this.vals[sp - 1] === sig0[base + 2] && this.vals[sp - 2] === t) {
                this.vals[sp - 2] = sig0[base + 4];
                this.sp = sp - 1;
                break;
              }
            } else if (nin === 1) {
              const sp = this.sp;
              if (sp - 1 >= this.height && this.vals[sp - 1] === sig0[base + 1]) {
                this.vals[sp - 1] = sig0[base + 4];
                break;
              }
            }
            this.applySig(sig0, base, I32);
          } else if (k === C_MEM) {
            const addr = this.memarg(T0.align[op], false);
            this.applySig(sig0, op * S, addr);
          } else {
            this.instrStart = start;
            this.fail(`illegal opcode ${op.toString(16)}`);
          }
        }
      }
    }
    return false;
  }

  private initLocal(x: number): void {
    this.localInit[x] = 1;
    if (this.usp === this.undo.length) {
      const u = new Int32Array(this.undo.length * 2);
      u.set(this.undo);
      this.undo = u;
    }
    this.undo[this.usp++] = x;
  }

  /** return_call*: the callee's results must match the caller's. */
  private returnCall(t: number): void {
    const tc = this.tc;
    const rs = tc.results[t], own = this.cResults[0];
    if (rs.length !== own.length) this.fail('type mismatch: tail call results differ from the function\'s');
    for (let i = 0; i < rs.length; i++) if (!tc.isSub(rs[i], own[i])) this.mismatch(own[i], rs[i]);
    this.popAll(tc.params[t]);
    this.setUnreachable();
  }

  /** One try_table catch clause: its values must match the target label (counted outside the try_table). */
  private catchClause(): void {
    const kind = this.u8();
    if (kind > 3) this.fail('malformed catch clause');
    let vals: Int32Array = EMPTY;
    if (kind < 2) vals = this.tc.params[this.c.tagTypes[this.tagIdx()]];
    const ts = this.labelTypes(this.u32());
    const withRef = (kind & 1) === 1;
    const n = vals.length + (withRef ? 1 : 0);
    if (ts.length !== n) this.fail('type mismatch: catch clause does not match its label');
    for (let i = 0; i < vals.length; i++) if (!this.tc.isSub(vals[i], ts[i])) this.mismatch(ts[i], vals[i]);
    if (withRef && !this.tc.isSub(this.exnRefNN, ts[n - 1])) this.mismatch(ts[n - 1], this.exnRefNN);
  }

  // --- 0xFB: GC -----------------------------------------------------------------------------

  private gcOp(): void {
    const c = this.c;
    const tc = this.tc;
    const sub = this.u32();
    if (this.constMode && !(sub <= 1 || (sub >= 6 && sub <= 8) || (sub >= 26 && sub <= 28))) {
      if (sub >= TFB.cls.length || TFB.cls[sub] === C_ILLEGAL) this.fail(`illegal opcode fb ${sub}`);
      this.fail('constant expression required');
    }
    switch (sub) {
      case 0: { // struct.new
        const x = this.typeOfKind(K_STRUCT);
        const fs = tc.fields[x];
        for (let i = fs.length - 1; i >= 0; i--) this.popT(unpacked(fs[i]));
        this.push(this.concreteRef(x, false));
        break;
      }
      case 1: { // struct.new_default
        const x = this.typeOfKind(K_STRUCT);
        const fs = tc.fields[x];
        for (let i = 0; i < fs.length; i++) if (!defaultable(fs[i])) this.fail(`type mismatch: field ${i} of type ${x} is not defaultable`);
        this.push(this.concreteRef(x, false));
        break;
      }
      case 2: case 3: case 4: case 5: { // struct.get, struct.get_s, struct.get_u, struct.set
        const x = this.typeOfKind(K_STRUCT);
        const i = this.u32();
        const fs = tc.fields[x];
        if (i >= fs.length) this.fail(`unknown field ${i}`);
        const ft = fs[i];
        const packed = ft === I8 || ft === I16;
        if (sub === 5) {
          if (!tc.mut[x][i]) this.fail(`immutable field ${i}`);
          this.popT(unpacked(ft));
          this.popT(this.concreteRef(x, true));
          break;
        }
        if (packed !== (sub !== 2)) this.fail(`type mismatch: field ${i} is ${packed ? '' : 'not '}packed`);
        this.popT(this.concreteRef(x, true));
        this.push(unpacked(ft));
        break;
      }
      case 6: { // array.new
        const x = this.typeOfKind(K_ARRAY);
        this.popT(I32);
        this.popT(unpacked(tc.fields[x][0]));
        this.push(this.concreteRef(x, false));
        break;
      }
      case 7: { // array.new_default
        const x = this.typeOfKind(K_ARRAY);
        if (!defaultable(tc.fields[x][0])) this.fail(`type mismatch: array type ${x} is not defaultable`);
        this.popT(I32);
        this.push(this.concreteRef(x, false));
        break;
      }
      case 8: { // array.new_fixed
        const x = this.typeOfKind(K_ARRAY);
        const n = this.u32();
        const t = unpacked(tc.fields[x][0]);
        for (let i = 0; i < n; i++) this.popT(t);
        this.push(this.concreteRef(x, false));
        break;
      }
      case 9: case 18: { // array.new_data, array.init_data
        const x = this.typeOfKind(K_ARRAY);
        const ft = tc.fields[x][0];
        if (sub === 18 && !tc.mut[x][0]) this.fail(`immutable array ${x}`);
        if (ft >= 8) this.fail('array type is not numeric or vector');
        this.dataIdx();
        this.popT(I32);
        this.popT(I32);
        if (sub === 9) this.push(this.concreteRef(x, false));
        else { this.popT(I32); this.popT(this.concreteRef(x, true)); }
        break;
      }
      case 10: case 19: { // array.new_elem, array.init_elem
        const x = this.typeOfKind(K_ARRAY);
        const ft = tc.fields[x][0];
        if (sub === 19 && !tc.mut[x][0]) this.fail(`immutable array ${x}`);
        const e = this.elemIdx();
        if (!tc.isSub(c.elemType[e], ft)) this.fail(`type mismatch: elem segment ${e} does not match array type ${x}`);
        this.popT(I32);
        this.popT(I32);
        if (sub === 10) this.push(this.concreteRef(x, false));
        else { this.popT(I32); this.popT(this.concreteRef(x, true)); }
        break;
      }
      case 11: case 12: case 13: { // array.get, array.get_s, array.get_u
        const x = this.typeOfKind(K_ARRAY);
        const ft = tc.fields[x][0];
        const packed = ft === I8 || ft === I16;
        if (packed !== (sub !== 11)) this.fail(`type mismatch: array element is ${packed ? '' : 'not '}packed`);
        this.popT(I32);
        this.popT(this.concreteRef(x, true));
        this.push(unpacked(ft));
        break;
      }
      case 14: { // array.set
        const x = this.typeOfKind(K_ARRAY);
        if (!tc.mut[x][0]) this.fail(`immutable array ${x}`);
        this.popT(unpacked(tc.fields[x][0]));
        this.popT(I32);
        this.popT(this.concreteRef(x, true));
        break;
      }
      case 15: // array.len
        this.popT(ref(H_ARRAY, true));
        this.push(I32);
        break;
      case 16: { // array.fill
        const x = this.typeOfKind(K_ARRAY);
        if (!tc.mut[x][0]) this.fail(`immutable array ${x}`);
        this.popT(I32);
        this.popT(unpacked(tc.fields[x][0]));
        this.popT(I32);
        this.popT(this.concreteRef(x, true));
        break;
      }
      case 17: { // array.copy
        const x = this.typeOfKind(K_ARRAY);
        const y = this.typeOfKind(K_ARRAY);
        if (!tc.mut[x][0]) this.fail(`immutable array ${x}`);
        const fx = tc.fields[x][0], fy = tc.fields[y][0];
        if (!(fx === fy || (fx >= 8 && fy >= 8 && tc.isSub(fy, fx)))) this.fail('array types do not match');
        this.popT(I32);
        this.popT(I32);
        this.popT(this.concreteRef(y, true));
        this.popT(I32);
        this.popT(this.concreteRef(x, true));
        break;
      }
      case 20: case 21: case 22: case 23: { // ref.test, ref.cast: the operand must be in the target's hierarchy
        const h = this.heapType();
        const nullable = (sub & 1) === 1;
        const t = this.popRef();
        if (t !== BOT) {
          const top = tc.topOf(heapOf(t));
          if (top !== tc.topOf(h) && top !== H_BOT) this.fail(`type mismatch: ${tc.toString(t)} is not in the hierarchy of ${tc.toString(ref(h, nullable))}`);
        }
        this.push(sub < 22 ? I32 : ref(h, nullable));
        break;
      }
      case 24: case 25: { // br_on_cast, br_on_cast_fail
        const flags = this.u8();
        if (flags > 3) this.fail('malformed br_on_cast flags');
        const l = this.u32();
        const h1 = this.heapType(), h2 = this.heapType();
        const rt1 = ref(h1, (flags & 1) === 1), rt2 = ref(h2, (flags & 2) === 2);
        if (!tc.isSub(rt2, rt1)) this.fail(`type mismatch: ${tc.toString(rt2)} does not match ${tc.toString(rt1)}`);
        const ts = this.labelTypes(l);
        if (ts.length === 0) this.fail('type mismatch: br_on_cast target has no values');
        const last = ts[ts.length - 1];
        // rt1 minus rt2: nullable only if rt1 is and rt2 is not.
        const diff = ref(h1, (flags & 1) === 1 && (flags & 2) === 0);
        const branch = sub === 24 ? rt2 : diff;
        if (!tc.isSub(branch, last)) this.mismatch(last, branch);
        this.popT(rt1);
        const rest = ts.subarray(0, ts.length - 1);
        this.popAll(rest);
        this.pushAll(rest);
        this.push(sub === 24 ? diff : rt2);
        break;
      }
      case 26: { // any.convert_extern
        const t = this.popT(ref(H_EXTERN, true));
        this.push(ref(H_ANY, t === BOT ? false : (t & 1) === 1));
        break;
      }
      case 27: { // extern.convert_any
        const t = this.popT(ref(H_ANY, true));
        this.push(ref(H_EXTERN, t === BOT ? false : (t & 1) === 1));
        break;
      }
      case 28: // ref.i31
        this.popT(I32);
        this.push(ref(H_I31, false));
        break;
      case 29: case 30: // i31.get_s, i31.get_u
        this.popT(ref(H_I31, true));
        this.push(I32);
        break;
      default:
        this.fail(`illegal opcode fb ${sub}`);
    }
  }

  // --- 0xFC: saturating truncation, bulk memory and tables ----------------------------------

  private miscOp(): void {
    const c = this.c;
    const tc = this.tc;
    const sub = this.u32();
    if (sub < 8) {
      this.applySig(TFC.sig, sub * S, I32);
      return;
    }
    switch (sub) {
      case 8: { // memory.init
        this.dataIdx();
        const a = c.memAddr[this.memIdx()];
        this.popT(I32);
        this.popT(I32);
        this.popT(a);
        break;
      }
      case 9: // data.drop
        this.dataIdx();
        break;
      case 10: { // memory.copy: the length is i64 only if both memories are 64-bit
        const d = c.memAddr[this.memIdx()];
        const s = c.memAddr[this.memIdx()];
        this.popT(d === I64 && s === I64 ? I64 : I32);
        this.popT(s);
        this.popT(d);
        break;
      }
      case 11: { // memory.fill
        const a = c.memAddr[this.memIdx()];
        this.popT(a);
        this.popT(I32);
        this.popT(a);
        break;
      }
      case 12: { // table.init
        const e = this.elemIdx();
        const t = this.tableIdx();
        if (!tc.isSub(c.elemType[e], c.tableElem[t])) this.fail(`type mismatch: elem segment ${e} does not match table ${t}`);
        this.popT(I32);
        this.popT(I32);
        this.popT(c.tableAddr[t]);
        break;
      }
      case 13: // elem.drop
        this.elemIdx();
        break;
      case 14: { // table.copy
        const d = this.tableIdx();
        const s = this.tableIdx();
        if (!tc.isSub(c.tableElem[s], c.tableElem[d])) this.fail(`type mismatch: table ${s} does not match table ${d}`);
        const ad = c.tableAddr[d], as = c.tableAddr[s];
        this.popT(ad === I64 && as === I64 ? I64 : I32);
        this.popT(as);
        this.popT(ad);
        break;
      }
      case 15: { // table.grow
        const t = this.tableIdx();
        this.popT(c.tableAddr[t]);
        this.popT(c.tableElem[t]);
        this.push(c.tableAddr[t]);
        break;
      }
      case 16: { // table.size
        const t = this.tableIdx();
        this.push(c.tableAddr[t]);
        break;
      }
      case 17: { // table.fill
        const t = this.tableIdx();
        this.popT(c.tableAddr[t]);
        this.popT(c.tableElem[t]);
        this.popT(c.tableAddr[t]);
        break;
      }
      default:
        this.fail(`illegal opcode fc ${sub}`);
    }
  }

  // --- 0xFD: SIMD ---------------------------------------------------------------------------

  private simdOp(): void {
    const sub = this.u32();
    if (this.constMode && sub !== 12) {
      if (sub >= TFD.cls.length || TFD.cls[sub] === C_ILLEGAL) this.fail(`illegal opcode fd ${sub}`);
      this.fail('constant expression required');
    }
    const k = sub < TFD.cls.length ? TFD.cls[sub] : C_ILLEGAL;
    const base = sub * S;
    switch (k) {
      case C_FIXED:
        this.applySig(TFD.sig, base, I32);
        return;
      case C_MEM:
        this.applySig(TFD.sig, base, this.memarg(TFD.align[sub], false));
        return;
      case C_LANE: {
        const lane = this.u8();
        if (lane >= TFD.lanes[sub]) this.fail(`invalid lane index ${lane}`);
        this.applySig(TFD.sig, base, I32);
        return;
      }
      case C_MEM_LANE: {
        const addr = this.memarg(TFD.align[sub], false);
        const lane = this.u8();
        if (lane >= TFD.lanes[sub]) this.fail(`invalid lane index ${lane}`);
        this.applySig(TFD.sig, base, addr);
        return;
      }
      case C_SPECIAL:
        if (sub === 12) { // v128.const
          if (this.end - this.pos < 16) this.fail('unexpected end');
          this.pos += 16;
          this.push(V128);
          return;
        }
        if (sub === 13) { // i8x16.shuffle
          if (this.end - this.pos < 16) this.fail('unexpected end');
          for (let i = 0; i < 16; i++) if (this.bytes[this.pos + i] >= 32) this.fail(`invalid lane index ${this.bytes[this.pos + i]}`);
          this.pos += 16;
          this.popT(V128);
          this.popT(V128);
          this.push(V128);
          return;
        }
    }
    this.fail(`illegal opcode fd ${sub}`);
  }

  // --- 0xFE: atomics (threads) --------------------------------------------------------------

  private atomicOp(): void {
    const sub = this.u32();
    const k = sub < TFE.cls.length ? TFE.cls[sub] : C_ILLEGAL;
    if (k === C_ATOMIC) {
      this.applySig(TFE.sig, sub * S, this.memarg(TFE.align[sub], true));
      return;
    }
    if (sub === 3) { // atomic.fence: a reserved zero byte
      if (this.u8() !== 0) this.fail('malformed atomic.fence: zero byte expected');
      return;
    }
    this.fail(`illegal opcode fe ${sub}`);
  }
}
