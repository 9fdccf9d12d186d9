// SIMD instructions (0xFD). A v128 value lives in four int32 variables (FuncGen.parts: words
// 0-3, little-endian). The common instructions are emitted inline on those words (no
// allocation); the rest call engine/simd.ts (`S` in generated code: one function per mnemonic
// with '.' replaced by '_', taking and returning V128 objects, boxed and unboxed around the
// call). Immediates (lane, shuffle bytes) are trailing arguments; memory forms take the
// memory's DataView and the effective address first.
//
// Inline code computes the result words into temporaries y0..y3 before assigning the result's
// variables, which may be those of the first operand (same stack slot).

import type { Instr } from '../../ast/instr.js';
import type { FuncGen } from './function.js';
import { ANY16, boundOf, deferredShift, deferShift, formOf, maxLane16, onesAbove, setEvenOdd, setFacts, takeConst } from './lanes.js';
import { inlineMore } from './vector-ops.js';

const CHAR: Record<string, string> = { i32: 'i', i64: 'j', f32: 'f', f64: 'd', v128: 'v', a: 'i' };

// SWAR add/sub on packed lanes (as in simd.ts).
const add8 = (x: string, y: string): string => `((${x} & 0x7f7f7f7f) + (${y} & 0x7f7f7f7f)) ^ ((${x} ^ ${y}) & 0x80808080)`;
const sub8 = (x: string, y: string): string => `((${x} | 0x80808080) - (${y} & 0x7f7f7f7f)) ^ ((${x} ^ ~${y}) & 0x80808080)`;
const add16 = (x: string, y: string): string => `((${x} & 0x7fff7fff) + (${y} & 0x7fff7fff)) ^ ((${x} ^ ${y}) & 0x80008000)`;
const sub16 = (x: string, y: string): string => `((${x} | 0x80008000) - (${y} & 0x7fff7fff)) ^ ((${x} ^ ~${y}) & 0x80008000)`;

// Narrowing i16 lanes to bytes with saturation; a word x holds lanes (x << 16) >> 16 and x >> 16.
const satS8 = (v: string): string => `(${v} < -128 ? 0x80 : ${v} > 127 ? 0x7f : ${v} & 0xff)`;
const satU8 = (v: string): string => `(${v} < 0 ? 0 : ${v} > 255 ? 255 : ${v})`;
const narrow8 = (sat: (v: string) => string, x: string, y: string): string =>
  `${sat(`((${x} << 16) >> 16)`)} | (${sat(`(${x} >> 16)`)} << 8) | (${sat(`((${y} << 16) >> 16)`)} << 16) | (${sat(`(${y} >> 16)`)} << 24)`;

type W = readonly [string, string, string, string];
const lanewise = (f: (x: string, y: string) => string) => (a: W, b: W): string[] => a.map((x, i) => `(${f(x, b[i])}) | 0`);

/** Inline binary v128 x v128 -> v128 operations, word by word. */
const BINARY: Record<string, (a: W, b: W) => string[]> = {
  'v128.and': lanewise((x, y) => `${x} & ${y}`),
  'v128.or': lanewise((x, y) => `${x} | ${y}`),
  'v128.xor': lanewise((x, y) => `${x} ^ ${y}`),
  'v128.andnot': lanewise((x, y) => `${x} & ~${y}`),
  'i8x16.add': lanewise(add8),
  'i8x16.sub': lanewise(sub8),
  'i16x8.add': lanewise(add16),
  'i16x8.sub': lanewise(sub16),
  'i32x4.add': lanewise((x, y) => `${x} + ${y}`),
  'i32x4.sub': lanewise((x, y) => `${x} - ${y}`),
  'i32x4.mul': lanewise((x, y) => `Math.imul(${x}, ${y})`),
  'f32x4.add': (a, b) => a.map((x, i) => `S.f32addw(${x}, ${b[i]})`),
  'f32x4.sub': (a, b) => a.map((x, i) => `S.f32subw(${x}, ${b[i]})`),
  'f32x4.mul': (a, b) => a.map((x, i) => `S.f32mulw(${x}, ${b[i]})`),
  'f32x4.div': (a, b) => a.map((x, i) => `S.f32divw(${x}, ${b[i]})`),
  'i8x16.narrow_i16x8_s': (a, b) => [narrow8(satS8, a[0], a[1]), narrow8(satS8, a[2], a[3]), narrow8(satS8, b[0], b[1]), narrow8(satS8, b[2], b[3])],
  'i8x16.narrow_i16x8_u': (a, b) => [narrow8(satU8, a[0], a[1]), narrow8(satU8, a[2], a[3]), narrow8(satU8, b[0], b[1]), narrow8(satU8, b[2], b[3])],
};

// Widening bytes to i16 lanes: bytes 0-1 of word x (lo) or bytes 2-3 (hi) make one word.
const EXT: Record<string, (x: string) => string> = {
  loU: (x) => `(${x} & 0xff) | ((${x} << 8) & 0xff0000)`,
  hiU: (x) => `((${x} >>> 16) & 0xff) | ((${x} >>> 8) & 0xff0000)`,
  loS: (x) => `(((${x} << 24) >> 24) & 0xffff) | (((${x} << 16) >> 24) << 16)`,
  hiS: (x) => `(((${x} << 8) >> 24) & 0xffff) | ((${x} >> 24) << 16)`,
};
const ext = (sign: 'S' | 'U', i: number, j: number) => (a: W): string[] =>
  [EXT[`lo${sign}`](a[i]), EXT[`hi${sign}`](a[i]), EXT[`lo${sign}`](a[j]), EXT[`hi${sign}`](a[j])];

/** Inline unary v128 -> v128 operations. */
const UNARY: Record<string, (a: W) => string[]> = {
  'v128.not': (a) => a.map((x) => `~${x}`),
  'i16x8.extend_low_i8x16_s': ext('S', 0, 1),
  'i16x8.extend_high_i8x16_s': ext('S', 2, 3),
  'i16x8.extend_low_i8x16_u': ext('U', 0, 1),
  'i16x8.extend_high_i8x16_u': ext('U', 2, 3),
  'i32x4.extend_low_i16x8_s': (a) => [`(${a[0]} << 16) >> 16`, `${a[0]} >> 16`, `(${a[1]} << 16) >> 16`, `${a[1]} >> 16`],
  'i32x4.extend_high_i16x8_s': (a) => [`(${a[2]} << 16) >> 16`, `${a[2]} >> 16`, `(${a[3]} << 16) >> 16`, `${a[3]} >> 16`],
  'i32x4.extend_low_i16x8_u': (a) => [`${a[0]} & 0xffff`, `${a[0]} >>> 16`, `${a[1]} & 0xffff`, `${a[1]} >>> 16`],
  'i32x4.extend_high_i16x8_u': (a) => [`${a[2]} & 0xffff`, `${a[2]} >>> 16`, `${a[3]} & 0xffff`, `${a[3]} >>> 16`],
};

/** Inline shifts: a statement preparing `q` (count) and `m` (mask), and the word expression. */
const SHIFT: Record<string, [(s: string) => string, (x: string) => string]> = {
  'i8x16.shl': [(s) => `q = ${s} & 7; m = (((0xff << q) & 0xff) * 0x01010101) | 0;`, (x) => `(${x} << q) & m`],
  'i8x16.shr_u': [(s) => `q = ${s} & 7; m = ((0xff >>> q) * 0x01010101) | 0;`, (x) => `(${x} >>> q) & m`],
  'i16x8.shl': [(s) => `q = ${s} & 15; m = (((0xffff << q) & 0xffff) * 0x10001) | 0;`, (x) => `(${x} << q) & m`],
  'i16x8.shr_u': [(s) => `q = ${s} & 15; m = ((0xffff >>> q) * 0x10001) | 0;`, (x) => `(${x} >>> q) & m`],
  'i16x8.shr_s': [(s) => `q = (${s} & 15) + 16;`, (x) => `(((${x} << 16) >> q) & 0xffff) | ((${x} >> q) << 16)`],
  'i32x4.shl': [(s) => `q = ${s};`, (x) => `${x} << q`],
  'i32x4.shr_s': [(s) => `q = ${s};`, (x) => `${x} >> q`],
  'i32x4.shr_u': [(s) => `q = ${s};`, (x) => `(${x} >>> q) | 0`],
};

/** What is known of a v128 result (lanes.ts). */
interface Facts {
  /** Bound of its unsigned 16-bit lanes. */
  readonly max?: number;
  /** Whether its 16-bit lanes are all equal. */
  readonly uniform?: boolean;
  /** Whether its words hold the lanes in even/odd order. */
  readonly evenodd?: boolean;
}

/** Emits `y0..y3 = exprs; <r parts> = y0..y3` for a pushed v128 result. */
function result(g: FuncGen, exprs: readonly string[], pre = '', facts: Facts = {}): void {
  const slot = g.push('v');
  const r = g.rawParts(slot);
  g.emit(`${pre}y0 = ${exprs[0]}; y1 = ${exprs[1]}; y2 = ${exprs[2]}; y3 = ${exprs[3]}; ` +
    `${r[0]} = y0; ${r[1]} = y1; ${r[2]} = y2; ${r[3]} = y3;`);
  setFacts(g, slot, facts.max ?? ANY16, facts.uniform);
  if (facts.evenodd) setEvenOdd(g, slot);
}

/**
 * Operand words of an operation on 8- or 16-bit lanes, which does not care in which order the
 * words hold them: as they are when the operands agree (even/odd, or all lanes equal), else in
 * lane order. `evenodd` says in which order the result comes out.
 */
function operands(g: FuncGen, a: string, b?: string): { a: W; b: W; evenodd: boolean } {
  const fa = formOf(g, a), fb = b === undefined ? 'uniform' : formOf(g, b);
  const evenodd = (fa === 'evenodd' || fb === 'evenodd') && fa !== 'lanes' && fb !== 'lanes';
  const get = (x: string): W => (evenodd ? g.rawParts(x) : g.parts(x));
  const wa = get(a);
  return { a: wa, b: b === undefined ? wa : get(b), evenodd };
}

/** Shifts by a constant count `s` (already masked to the lane width): word expression and lane bound. */
const SHIFT_CONST: Record<string, (s: number, max: number) => [(x: string) => string, number]> = {
  'i8x16.shl': (s) => { const m = (((0xff << s) & 0xff) * 0x01010101) | 0; return [(x) => `(${x} << ${s}) & ${m}`, ANY16]; },
  'i8x16.shr_u': (s) => { const m = ((0xff >>> s) * 0x01010101) | 0; return [(x) => `(${x} >>> ${s}) & ${m}`, ANY16]; },
  'i16x8.shl': (s, max) => {
    // Lanes that cannot overflow need no mask (nothing crosses into the next lane).
    if (max << s <= ANY16) return [(x) => `${x} << ${s}`, max << s];
    const m = (((0xffff << s) & 0xffff) * 0x10001) | 0;
    return [(x) => `(${x} << ${s}) & ${m}`, ANY16];
  },
  'i16x8.shr_u': (s, max) => { const m = ((0xffff >>> s) * 0x10001) | 0; return [(x) => `(${x} >>> ${s}) & ${m}`, max >>> s]; },
  'i16x8.shr_s': (s) => [(x) => `(((${x} << 16) >> ${s + 16}) & 0xffff) | ((${x} >> ${s + 16}) << 16)`, ANY16],
  'i32x4.shl': (s) => [(x) => `${x} << ${s}`, ANY16],
  'i32x4.shr_s': (s) => [(x) => `${x} >> ${s}`, ANY16],
  'i32x4.shr_u': (s) => [(x) => `(${x} >>> ${s}) | 0`, ANY16],
};
const SHIFT_WIDTH: Record<string, number> = { i8x16: 7, i16x8: 15, i32x4: 31 };

/** Operations on 8- or 16-bit lanes (or bits) that work on even/odd words as on ordered ones. */
const ORDER_FREE = new Set([
  'v128.and', 'v128.or', 'v128.xor', 'v128.andnot', 'v128.not', 'i8x16.add', 'i8x16.sub', 'i16x8.add', 'i16x8.sub',
  'i8x16.shl', 'i8x16.shr_u', 'i16x8.shl', 'i16x8.shr_u', 'i16x8.shr_s',
]);

/** Narrowing i16 lanes known to be in [0, 255]: packing bytes, no saturation. */
function pack8(w: W, evenodd: boolean): [string, string] {
  if (evenodd) return [`${w[0]} | (${w[1]} << 8)`, `${w[2]} | (${w[3]} << 8)`];
  const p = (x: string, y: string): string =>
    `(${x} & 0xff) | ((${x} >>> 8) & 0xff00) | ((${y} & 0xff) << 16) | ((${y} << 8) & 0xff000000)`;
  return [p(w[0], w[1]), p(w[2], w[3])];
}

/**
 * Narrowing even/odd words e, o whose shift right by s (1-8) is deferred (lanes.ts) and whose
 * shifted lanes are at most 255: the bits each lane takes from its neighbour land outside the
 * masks (s <= 8), the rest of the lane above its byte is zero.
 */
const shiftPack8 = (e: string, o: string, s: number): string =>
  `((${e} >>> ${s}) & 16711935) | ((${o} << ${8 - s}) & -16711936)`;

/** Instructions with cheaper code when lane facts or constant operands are known (lanes.ts). */
function known(g: FuncGen, name: string, args: string[]): boolean {
  const sc = SHIFT_CONST[name];
  if (sc) {
    const s = takeConst(g, args[1]);
    if (s === undefined) return false;
    const k = s & SHIFT_WIDTH[name.slice(0, 5)];
    const [f, max] = sc(k, boundOf(g, args[0]));
    if (name === 'i16x8.shr_u' && k >= 1 && k <= 8 && max <= 255 && formOf(g, args[0]) === 'evenodd') {
      // Left for narrowing to fuse (lanes.ts); the result takes the operand's slot and words.
      const slot = g.push('v');
      if (slot !== args[0]) throw new Error(`internal: shift result in ${slot}, operand in ${args[0]}`);
      deferShift(g, slot, k, g.rawParts(slot).map((x) => `${x} = ${f(x)};`).join(' '));
      setFacts(g, slot, max);
      return true;
    }
    const o = ORDER_FREE.has(name) ? operands(g, args[0]) : { a: g.parts(args[0]), evenodd: false };
    result(g, o.a.map(f), '', { max, evenodd: o.evenodd });
    return true;
  }
  switch (name) {
    case 'i16x8.add': {
      const ma = boundOf(g, args[0]), mb = boundOf(g, args[1]);
      if (ma + mb > ANY16) return false;
      const { a, b, evenodd } = operands(g, args[0], args[1]);
      result(g, a.map((x, i) => `(${x} + ${b[i]}) | 0`), '', { max: ma + mb, evenodd });
      return true;
    }
    case 'i8x16.narrow_i16x8_u': case 'i8x16.narrow_i16x8_s': {
      const lim = name.endsWith('u') ? 255 : 127;
      if (boundOf(g, args[0]) > lim || boundOf(g, args[1]) > lim) return false;
      const bytes = (x: string): [string, string] => {
        const d = deferredShift(g, x);
        if (d !== undefined) {
          const w = g.rawParts(x);
          return [shiftPack8(w[0], w[1], d), shiftPack8(w[2], w[3], d)];
        }
        const eo = formOf(g, x) === 'evenodd';
        return pack8(eo ? g.rawParts(x) : g.parts(x), eo);
      };
      const a = bytes(args[0]), b = bytes(args[1]);
      result(g, [...a, ...b]);
      return true;
    }
    case 'v128.and': case 'v128.or': case 'v128.xor': {
      const ma = boundOf(g, args[0]), mb = boundOf(g, args[1]);
      if (ma === ANY16 && mb === ANY16) return false;
      const max = name === 'v128.and' ? Math.min(ma, mb) : onesAbove(Math.max(ma, mb));
      const { a, b, evenodd } = operands(g, args[0], args[1]);
      result(g, BINARY[name](a, b), '', { max, evenodd });
      return true;
    }
    case 'i8x16.splat': case 'i16x8.splat': case 'i32x4.splat': {
      const x = takeConst(g, args[0]);
      if (x === undefined) return false;
      const w = name === 'i8x16.splat' ? ((x & 0xff) * 0x01010101) | 0 : name === 'i16x8.splat' ? ((x & 0xffff) * 0x10001) | 0 : x;
      result(g, [String(w), String(w), String(w), String(w)], '', { max: maxLane16([w]), uniform: (w & 0xffff) === w >>> 16 });
      return true;
    }
    case 'i16x8.extend_low_i8x16_u': case 'i16x8.extend_high_i8x16_u': {
      // Even/odd order (lanes.ts): even bytes, odd bytes.
      const a = g.parts(args[0]);
      const i = name.includes('low') ? 0 : 2;
      const E = 0x00ff00ff;
      result(g, [`${a[i]} & ${E}`, `(${a[i]} >>> 8) & ${E}`, `${a[i + 1]} & ${E}`, `(${a[i + 1]} >>> 8) & ${E}`], '', { max: 255, evenodd: true });
      return true;
    }
  }
  return false;
}

/** Translates the instruction inline if it is one of the common ones; returns whether it did. */
function inline(g: FuncGen, ins: Instr, name: string, args: string[]): boolean {
  if (known(g, name, args)) return true;
  const free = ORDER_FREE.has(name);
  const bin = BINARY[name];
  if (bin) {
    if (!free) { result(g, bin(g.parts(args[0]), g.parts(args[1]))); return true; }
    const { a, b, evenodd } = operands(g, args[0], args[1]);
    result(g, bin(a, b), '', { evenodd });
    return true;
  }
  const un = UNARY[name];
  if (un) {
    const o = free ? operands(g, args[0]) : { a: g.parts(args[0]), evenodd: false };
    result(g, un(o.a), '', { evenodd: o.evenodd });
    return true;
  }
  const sh = SHIFT[name];
  if (sh) {
    const o = free ? operands(g, args[0]) : { a: g.parts(args[0]), evenodd: false };
    result(g, o.a.map(sh[1]), sh[0](args[1]) + ' ', { evenodd: o.evenodd });
    return true;
  }
  switch (name) {
    case 'v128.load': {
      const ma = ins.memarg!;
      const v = g.view(ma.memory);
      const e = g.address(args[0], ma);
      // The last word first: out of bounds throws before anything else happens.
      const r = g.parts(g.push('v'));
      g.emit(`${r[3]} = ${v}.getInt32(${e} + 12, true); ${r[0]} = ${v}.getInt32(${e}, true); ` +
        `${r[1]} = ${v}.getInt32(${e} + 4, true); ${r[2]} = ${v}.getInt32(${e} + 8, true);`);
      return true;
    }
    case 'v128.store': {
      const ma = ins.memarg!;
      const v = g.view(ma.memory);
      const e = g.address(args[0], ma);
      const x = g.parts(args[1]);
      // The last word first: a store out of bounds traps before writing anything.
      g.emit(`${v}.setInt32(${e} + 12, ${x[3]}, true); ${v}.setInt32(${e}, ${x[0]}, true); ` +
        `${v}.setInt32(${e} + 4, ${x[1]}, true); ${v}.setInt32(${e} + 8, ${x[2]}, true);`);
      return true;
    }
    case 'v128.const': {
      const b = ins.bytes!;
      const w = [0, 1, 2, 3].map((i) => (b[4 * i] | (b[4 * i + 1] << 8) | (b[4 * i + 2] << 16) | (b[4 * i + 3] << 24)) | 0);
      result(g, w.map(String), '', { max: maxLane16(w), uniform: w.every((x) => x === w[0]) && (w[0] & 0xffff) === w[0] >>> 16 });
      return true;
    }
    case 'i8x16.splat': result(g, [`((${args[0]} & 0xff) * 0x01010101) | 0`, 'y0', 'y0', 'y0'], '', { uniform: true }); return true;
    case 'i16x8.splat': result(g, [`((${args[0]} & 0xffff) * 0x10001) | 0`, 'y0', 'y0', 'y0'], '', { uniform: true }); return true;
    case 'i32x4.splat': result(g, [args[0], args[0], args[0], args[0]]); return true;
    case 'f32x4.splat': result(g, [`R.f32Bits(${args[0]})`, 'y0', 'y0', 'y0']); return true;
    // An i64 variable is already its two words (codegen/i64.ts).
    case 'i64x2.splat': result(g, [args[0], `${args[0]}h`, args[0], `${args[0]}h`]); return true;
    case 'i64x2.extract_lane': {
      const w = g.parts(args[0]), l = ins.lane!;
      const r = g.push('j');
      g.emit(`${r} = ${w[2 * l]}; ${r}h = ${w[2 * l + 1]};`);
      return true;
    }
    case 'i64x2.replace_lane': {
      const words: string[] = [...g.parts(args[0])];
      words[2 * ins.lane!] = args[1];
      words[2 * ins.lane! + 1] = `${args[1]}h`;
      result(g, words);
      return true;
    }
    case 'v128.bitselect': {
      const a = g.parts(args[0]), b = g.parts(args[1]), c = g.parts(args[2]);
      result(g, a.map((x, i) => `(${x} & ${c[i]}) | (${b[i]} & ~${c[i]})`));
      return true;
    }
    case 'v128.any_true': {
      const a = g.parts(args[0]);
      g.emit(`${g.push('i')} = (${a.join(' | ')}) !== 0 ? 1 : 0;`);
      return true;
    }
    case 'i8x16.extract_lane_s': case 'i8x16.extract_lane_u': {
      const l = ins.lane!;
      const w = g.parts(args[0])[l >> 2], s = 8 * (l & 3);
      g.emit(`${g.push('i')} = ${name.endsWith('s') ? `(${w} << ${24 - s}) >> 24` : `(${w} >>> ${s}) & 0xff`};`);
      return true;
    }
    case 'i16x8.extract_lane_s': case 'i16x8.extract_lane_u': {
      const l = ins.lane!;
      const w = g.parts(args[0])[l >> 1], s = 16 * (l & 1);
      g.emit(`${g.push('i')} = ${name.endsWith('s') ? `(${w} << ${16 - s}) >> 16` : `(${w} >>> ${s}) & 0xffff`};`);
      return true;
    }
    case 'i32x4.extract_lane': g.emit(`${g.push('i')} = ${g.parts(args[0])[ins.lane!]};`); return true;
    case 'f32x4.extract_lane': g.emit(`${g.push('f')} = R.f32FromBits(${g.parts(args[0])[ins.lane!]});`); return true;
    case 'i8x16.replace_lane': case 'i16x8.replace_lane': case 'i32x4.replace_lane': case 'f32x4.replace_lane': {
      const l = ins.lane!;
      const a = g.parts(args[0]);
      const words = [...a];
      const x = args[1];
      if (name === 'i8x16.replace_lane') {
        const i = l >> 2, s = 8 * (l & 3);
        words[i] = `(${a[i]} & ${~(0xff << s)}) | ((${x} & 0xff) << ${s})`;
      } else if (name === 'i16x8.replace_lane') {
        const i = l >> 1, s = 16 * (l & 1);
        words[i] = `(${a[i]} & ${~(0xffff << s)}) | ((${x} & 0xffff) << ${s})`;
      } else {
        words[l] = name === 'f32x4.replace_lane' ? `R.f32Bits(${x})` : x;
      }
      result(g, words);
      return true;
    }
  }
  return inlineMore(g, ins, name, args);
}

export function emitVector(g: FuncGen, ins: Instr): void {
  g.usesVector = true;
  const op = ins.op;
  const [lhs, rhs] = (op.sig ?? '->').split('->');
  const params = lhs.trim() ? lhs.trim().split(/\s+/) : [];
  const results = rhs.trim() ? rhs.trim().split(/\s+/) : [];
  const args: string[] = [];
  for (let k = params.length - 1; k >= 0; k--) args[k] = g.pop();
  if (inline(g, ins, op.name, args)) return;
  for (let k = 0; k < params.length; k++) args[k] = g.val(CHAR[params[k]], args[k]);
  switch (op.imm) {
    case 'memarg': case 'memarg_lane': {
      const ma = ins.memarg!;
      args[0] = g.address(args[0], ma);
      args.unshift(g.view(ma.memory));
      if (op.imm === 'memarg_lane') args.push(String(ins.lane!));
      break;
    }
    case 'shuffle': args.push(g.hoist(`[${Array.from(ins.bytes!).join(', ')}]`)); break;
    // simd.ts takes replace_lane as (v, lane, x): the lane follows the vector.
    case 'lane': args.splice(1, 0, String(ins.lane!)); break;
  }
  const call = `S.${op.name.replace(/\./g, '_')}(${args.join(', ')})`;
  if (results.length === 0) g.emit(`${call};`);
  else {
    const c = CHAR[results[0]];
    g.emit(g.setFrom(c, g.push(c), call));
  }
}
