// More inline SIMD instructions (after vector.ts's common ones): lane-wise operations that call
// word-level helpers (engine/simd-words.ts, `SW` in generated code) once per word, shuffles
// with constant lanes, masks and tests, and the lane and zero-extending memory forms. None
// allocates; what is left (swizzle, float rounding and conversions, i64x2 arithmetic, relaxed
// SIMD) goes through simd.ts's V128 functions.

import type { Instr } from '../../ast/instr.js';
import * as SWords from '../simd-words.js';
import { addCarry, subBorrow } from './carry.js';
import type { FuncGen } from './function.js';

type W = readonly [string, string, string, string];

/** Emits a v128 result computed from word expressions (y0..y3 first: results may alias operands). */
function result(g: FuncGen, exprs: readonly string[], pre = ''): void {
  const r = g.parts(g.push('v'));
  g.emit(`${pre}y0 = ${exprs[0]}; y1 = ${exprs[1]}; y2 = ${exprs[2]}; y3 = ${exprs[3]}; ` +
    `${r[0]} = y0; ${r[1]} = y1; ${r[2]} = y2; ${r[3]} = y3;`);
}

function words(g: FuncGen): string {
  g.prelude.set('SW', 'R.simdWords');
  return 'SW';
}

const loS = (x: string): string => `((${x} << 16) >> 16)`;
const hiS = (x: string): string => `(${x} >> 16)`;
const loU = (x: string): string => `(${x} & 0xffff)`;
const hiU = (x: string): string => `(${x} >>> 16)`;
const u32 = (x: string): string => `(${x} >>> 0)`;

/** Binary operations on whole words (i32 lanes, or f32/f64 sign bits). */
const WORDWISE: Record<string, (x: string, y: string) => string> = {
  'i32x4.min_s': (x, y) => `(${x} < ${y} ? ${x} : ${y})`,
  'i32x4.min_u': (x, y) => `(${u32(x)} < ${u32(y)} ? ${x} : ${y})`,
  'i32x4.max_s': (x, y) => `(${x} > ${y} ? ${x} : ${y})`,
  'i32x4.max_u': (x, y) => `(${u32(x)} > ${u32(y)} ? ${x} : ${y})`,
  'i32x4.eq': (x, y) => `(${x} === ${y} ? -1 : 0)`,
  'i32x4.ne': (x, y) => `(${x} !== ${y} ? -1 : 0)`,
  'i32x4.lt_s': (x, y) => `(${x} < ${y} ? -1 : 0)`,
  'i32x4.lt_u': (x, y) => `(${u32(x)} < ${u32(y)} ? -1 : 0)`,
  'i32x4.gt_s': (x, y) => `(${x} > ${y} ? -1 : 0)`,
  'i32x4.gt_u': (x, y) => `(${u32(x)} > ${u32(y)} ? -1 : 0)`,
  'i32x4.le_s': (x, y) => `(${x} <= ${y} ? -1 : 0)`,
  'i32x4.le_u': (x, y) => `(${u32(x)} <= ${u32(y)} ? -1 : 0)`,
  'i32x4.ge_s': (x, y) => `(${x} >= ${y} ? -1 : 0)`,
  'i32x4.ge_u': (x, y) => `(${u32(x)} >= ${u32(y)} ? -1 : 0)`,
  'i32x4.dot_i16x8_s': (x, y) => `(Math.imul(${loS(x)}, ${loS(y)}) + Math.imul(${hiS(x)}, ${hiS(y)})) | 0`,
  'i16x8.mul': (x, y) => `(Math.imul(${loU(x)}, ${loU(y)}) & 0xffff) | (Math.imul(${hiU(x)}, ${hiU(y)}) << 16)`,
};

/** Unary operations on whole words. */
const WORDWISE1: Record<string, (x: string) => string> = {
  'i32x4.abs': (x) => `(${x} < 0 ? -${x} | 0 : ${x})`,
  'i32x4.neg': (x) => `-${x} | 0`,
  'i32x4.extadd_pairwise_i16x8_s': (x) => `(${loS(x)} + ${hiS(x)}) | 0`,
  'i32x4.extadd_pairwise_i16x8_u': (x) => `(${loU(x)} + ${hiU(x)}) | 0`,
  'f32x4.abs': (x) => `${x} & 0x7fffffff`,
  'f32x4.neg': (x) => `${x} ^ -2147483648`,
};

/**
 * Lane-wise operations through the word-level helper of simd-words.ts of the same name, once
 * per word (narrowing and extended multiplication combine words differently: see below).
 */
const HELPERS = new Set(Object.keys(SWords).filter((k) => !k.includes('narrow') && !k.includes('extmul')));

/** Extended multiplication into i32 lanes: 16-bit lanes of words i, j of each operand. */
function extmul32(lo: (x: string) => string, hi: (x: string) => string, i: number) {
  return (a: W, b: W): string[] => [
    `Math.imul(${lo(a[i])}, ${lo(b[i])})`, `Math.imul(${hi(a[i])}, ${hi(b[i])})`,
    `Math.imul(${lo(a[i + 1])}, ${lo(b[i + 1])})`, `Math.imul(${hi(a[i + 1])}, ${hi(b[i + 1])})`,
  ];
}
const CROSS: Record<string, (a: W, b: W) => string[]> = {
  'i32x4.extmul_low_i16x8_s': extmul32(loS, hiS, 0),
  'i32x4.extmul_high_i16x8_s': extmul32(loS, hiS, 2),
  'i32x4.extmul_low_i16x8_u': extmul32(loU, hiU, 0),
  'i32x4.extmul_high_i16x8_u': extmul32(loU, hiU, 2),
};

/**
 * Word j of a byte shuffle: each byte comes from a word of a or b, shifted into place; bytes
 * from the same word with the same shift share one masked term.
 */
function shuffleWord(a: W, b: W, lanes: Uint8Array, j: number): string {
  const terms = new Map<string, { src: string; shift: number; mask: number }>();
  for (let k = 0; k < 4; k++) {
    const l = lanes[4 * j + k];
    const src = (l < 16 ? a : b)[(l & 15) >> 2];
    const shift = 8 * ((l & 3) - k); // > 0: right
    const key = `${src}:${shift}`;
    const t = terms.get(key) ?? { src, shift, mask: 0 };
    t.mask |= 0xff << (8 * k);
    terms.set(key, t);
  }
  const parts = [...terms.values()].map(({ src, shift, mask }) => {
    const moved = shift > 0 ? `(${src} >>> ${shift})` : shift < 0 ? `(${src} << ${-shift})` : src;
    return mask === -1 ? moved : `(${moved} & ${mask | 0})`;
  });
  return parts.join(' | ');
}

/** Translates the instruction inline if it is one of these; returns whether it did. */
export function inlineMore(g: FuncGen, ins: Instr, name: string, args: string[]): boolean {
  const key = name.replace(/\./g, '_');
  const ww = WORDWISE[name];
  if (ww) {
    const a = g.parts(args[0]), b = g.parts(args[1]);
    result(g, a.map((x, i) => ww(x, b[i])));
    return true;
  }
  const w1 = WORDWISE1[name];
  if (w1) { result(g, g.parts(args[0]).map(w1)); return true; }
  if (HELPERS.has(key)) {
    const sw = words(g);
    const a = g.parts(args[0]);
    const b = args.length > 1 ? g.parts(args[1]) : undefined;
    result(g, a.map((x, i) => `${sw}.${key}(${x}, ${b ? b[i] : 0})`));
    return true;
  }
  const cross = CROSS[name];
  if (cross) { result(g, cross(g.parts(args[0]), g.parts(args[1]))); return true; }
  switch (name) {
    case 'i16x8.narrow_i32x4_s': case 'i16x8.narrow_i32x4_u': {
      const sw = words(g);
      const a = g.parts(args[0]), b = g.parts(args[1]);
      result(g, [[a[0], a[1]], [a[2], a[3]], [b[0], b[1]], [b[2], b[3]]].map(([x, y]) => `${sw}.${key}(${x}, ${y})`));
      return true;
    }
    case 'i16x8.extmul_low_i8x16_s': case 'i16x8.extmul_high_i8x16_s':
    case 'i16x8.extmul_low_i8x16_u': case 'i16x8.extmul_high_i8x16_u': {
      const sw = words(g);
      const f = `${sw}.i16x8_extmul_i8x16_${name.slice(-1)}`;
      const a = g.parts(args[0]), b = g.parts(args[1]);
      const w = name.includes('low') ? 0 : 2;
      result(g, [0, 1, 2, 3].map((j) => `${f}(${a[w + (j >> 1)]}, ${b[w + (j >> 1)]}, ${j & 1})`));
      return true;
    }
    case 'i8x16.swizzle': {
      const sw = words(g);
      const a = g.parts(args[0]), b = g.parts(args[1]);
      result(g, b.map((x) => `${sw}.swizzleWord(${a.join(', ')}, ${x})`));
      return true;
    }
    // i64x2 lanes as (lo, hi) word pairs; y0 is ready when y1 is computed.
    case 'i64x2.add': case 'i64x2.sub': {
      const a = g.parts(args[0]), b = g.parts(args[1]);
      const add = name === 'i64x2.add';
      const lo = (i: number): string => `(${a[i]} ${add ? '+' : '-'} ${b[i]}) | 0`;
      const carry = (i: number, y: string): string => (add ? addCarry : subBorrow)(a[i], b[i], y);
      const hi = (i: number, y: string): string => `(${a[i + 1]} ${add ? '+' : '-'} ${b[i + 1]} ${add ? '+' : '-'} ${carry(i, y)}) | 0`;
      result(g, [lo(0), hi(0, 'y0'), lo(2), hi(2, 'y2')]);
      return true;
    }
    case 'i64x2.eq': case 'i64x2.ne': {
      const a = g.parts(args[0]), b = g.parts(args[1]);
      const [t, f] = name === 'i64x2.eq' ? ['-1', '0'] : ['0', '-1'];
      const lane = (i: number): string => `(${a[i]} === ${b[i]} && ${a[i + 1]} === ${b[i + 1]} ? ${t} : ${f})`;
      result(g, [lane(0), 'y0', lane(2), 'y2']);
      return true;
    }
    case 'i64x2.shl': case 'i64x2.shr_u': case 'i64x2.shr_s': {
      const a = g.parts(args[0]);
      const pre = `q = ${args[1]} & 63; `;
      const lanes = (lo: string, hi: string): [string, string] => {
        if (name === 'i64x2.shl') {
          return [`q < 32 ? ${lo} << q : 0`, `q === 0 ? ${hi} : q < 32 ? (${hi} << q) | (${lo} >>> (32 - q)) : ${lo} << (q - 32)`];
        }
        const far = name === 'i64x2.shr_u' ? `(${hi} >>> (q - 32)) | 0` : `${hi} >> (q - 32)`;
        const top = name === 'i64x2.shr_u' ? `q < 32 ? (${hi} >>> q) | 0 : 0` : `q < 32 ? ${hi} >> q : ${hi} >> 31`;
        return [`q === 0 ? ${lo} : q < 32 ? (${lo} >>> q) | (${hi} << (32 - q)) : ${far}`, top];
      };
      result(g, [...lanes(a[0], a[1]), ...lanes(a[2], a[3])], pre);
      return true;
    }
    case 'i8x16.shuffle': {
      const a = g.parts(args[0]), b = g.parts(args[1]);
      result(g, [0, 1, 2, 3].map((j) => shuffleWord(a, b, ins.bytes!, j)));
      return true;
    }
    case 'i8x16.bitmask': {
      const a = g.parts(args[0]);
      const w = a.map((x, i) => `((((${x} >>> 7) & 1) | ((${x} >>> 14) & 2) | ((${x} >>> 21) & 4) | ((${x} >>> 28) & 8)) << ${4 * i})`);
      g.emit(`${g.push('i')} = ${w.join(' | ')};`);
      return true;
    }
    case 'i16x8.bitmask': {
      const a = g.parts(args[0]);
      g.emit(`${g.push('i')} = ${a.map((x, i) => `((((${x} >>> 15) & 1) | ((${x} >>> 30) & 2)) << ${2 * i})`).join(' | ')};`);
      return true;
    }
    case 'i32x4.bitmask': {
      const a = g.parts(args[0]);
      g.emit(`${g.push('i')} = ${a.map((x, i) => `((${x} >>> 31) << ${i})`).join(' | ')};`);
      return true;
    }
    case 'i8x16.all_true': case 'i16x8.all_true': case 'i32x4.all_true': {
      const a = g.parts(args[0]);
      // No zero byte: the classic (x - 0x01..) & ~x & 0x80.. test, exact for "some byte is 0".
      const t = name === 'i8x16.all_true' ? (x: string) => `((${x} - 0x01010101) & ~${x} & 0x80808080) === 0`
        : name === 'i16x8.all_true' ? (x: string) => `(${x} & 0xffff) !== 0 && (${x} >>> 16) !== 0`
        : (x: string) => `${x} !== 0`;
      g.emit(`${g.push('i')} = ${a.map(t).join(' && ')} ? 1 : 0;`);
      return true;
    }
  }
  return memory(g, ins, name, args);
}

/** Zero-extending, splatting, extending and lane loads and lane stores. */
function memory(g: FuncGen, ins: Instr, name: string, args: string[]): boolean {
  if (!name.startsWith('v128.load') && !name.startsWith('v128.store')) return false;
  const ma = ins.memarg;
  if (!ma) return false;
  const v = g.view(ma.memory);
  const e = g.address(args[0], ma);
  const i32 = (off: number): string => `${v}.getInt32(${off ? `${e} + ${off}` : e}, true)`;
  // Eight bytes: the high word is read first, so an access out of bounds fails before any other.
  const load8 = `q = ${i32(4)}; m = ${i32(0)}; `;
  switch (name) {
    case 'v128.load32_zero': result(g, [i32(0), '0', '0', '0']); return true;
    case 'v128.load64_zero': result(g, ['m', 'q', '0', '0'], load8); return true;
    case 'v128.load8_splat': result(g, [`(${v}.getUint8(${e}) * 0x01010101) | 0`, 'y0', 'y0', 'y0']); return true;
    case 'v128.load16_splat': result(g, [`(${v}.getUint16(${e}, true) * 0x10001) | 0`, 'y0', 'y0', 'y0']); return true;
    case 'v128.load32_splat': result(g, [i32(0), 'y0', 'y0', 'y0']); return true;
    case 'v128.load64_splat': result(g, ['m', 'q', 'm', 'q'], load8); return true;
    case 'v128.load8x8_u': case 'v128.load8x8_s': {
      const ext = name.endsWith('u')
        ? [(x: string) => `(${x} & 0xff) | ((${x} << 8) & 0xff0000)`, (x: string) => `((${x} >>> 16) & 0xff) | ((${x} >>> 8) & 0xff0000)`]
        : [(x: string) => `(((${x} << 24) >> 24) & 0xffff) | (((${x} << 16) >> 24) << 16)`, (x: string) => `(((${x} << 8) >> 24) & 0xffff) | ((${x} >> 24) << 16)`];
      result(g, [ext[0]('m'), ext[1]('m'), ext[0]('q'), ext[1]('q')], load8);
      return true;
    }
    case 'v128.load16x4_u': result(g, ['m & 0xffff', 'm >>> 16', 'q & 0xffff', 'q >>> 16'], load8); return true;
    case 'v128.load16x4_s': result(g, ['(m << 16) >> 16', 'm >> 16', '(q << 16) >> 16', 'q >> 16'], load8); return true;
    case 'v128.load32x2_u': result(g, ['m', '0', 'q', '0'], load8); return true;
    case 'v128.load32x2_s': result(g, ['m', 'm >> 31', 'q', 'q >> 31'], load8); return true;
  }
  const l = ins.lane;
  if (l === undefined) return false;
  const x = g.parts(args[1]);
  switch (name) {
    case 'v128.load8_lane': case 'v128.load16_lane': case 'v128.load32_lane': {
      const w = [...x];
      if (name === 'v128.load32_lane') w[l] = i32(0);
      else {
        const bits = name === 'v128.load8_lane' ? 8 : 16;
        const i = (l * bits) >> 5, s = (l * bits) & 31;
        const get = bits === 8 ? `${v}.getUint8(${e})` : `${v}.getUint16(${e}, true)`;
        w[i] = `(${x[i]} & ${~(((1 << bits) - 1) << s)}) | (${get} << ${s})`;
      }
      result(g, w);
      return true;
    }
    case 'v128.load64_lane': {
      const w = [...x];
      w[2 * l] = 'm'; w[2 * l + 1] = 'q';
      result(g, w, load8);
      return true;
    }
    case 'v128.store8_lane': g.emit(`${v}.setUint8(${e}, ${x[l >> 2]} >>> ${8 * (l & 3)});`); return true;
    case 'v128.store16_lane': g.emit(`${v}.setUint16(${e}, ${x[l >> 1]} >>> ${16 * (l & 1)}, true);`); return true;
    case 'v128.store32_lane': g.emit(`${v}.setInt32(${e}, ${x[l]}, true);`); return true;
    case 'v128.store64_lane':
      g.emit(`${v}.setInt32(${e} + 4, ${x[2 * l + 1]}, true); ${v}.setInt32(${e}, ${x[2 * l]}, true);`);
      return true;
  }
  return false;
}
