// Evaluation of constant expressions (spec §3.3.10, §4.5.3.4): global initialisers, segment
// offsets and element expressions, at instantiation. 2.0 allows constants, ref.null, ref.func
// and global.get; 3.0's extended constants (i32/i64 add, sub, mul) and GC allocations
// (struct.new, array.new..., ref.i31, any.convert_extern, extern.convert_any) are accepted as well.

import { Reader } from '../binary/reader.js';
import { readInstr } from '../binary/instr.js';
import type { Expr } from '../ast/module.js';
import { RuntimeError } from '../errors.js';
import { f32FromBits, f64FromBits } from './runtime.js';
import { V128_ZERO, v128_const } from './simd.js';
import type { FuncRef, GlobalObject } from './types.js';
import type { FieldInfo, RTT } from './rtt.js';
import { arrayNew, arrayOf, externalize, internalize, newArray } from './gc.js';

export function evalConst(e: Expr, globals: readonly GlobalObject[], funcs: readonly FuncRef[], types: readonly RTT[] = []): unknown {
  // Fast path for the usual segment offset `i32.const n end` (a module may have 10^5 of them).
  const src = e.source;
  if (src[e.start] === 0x41 && src[e.end - 1] === 0x0b && e.end - e.start <= 7) {
    let v = 0, shift = 0, p = e.start + 1, b = 0x80;
    while (p < e.end - 1) {
      b = src[p++];
      v |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) break;
    }
    if (b < 0x80 && p === e.end - 1) return shift < 32 && b & 0x40 ? v | (-1 << shift) : v | 0;
  }
  const r = new Reader(e.source, e.start, e.end);
  const st: unknown[] = [];
  for (;;) {
    const ins = readInstr(r);
    switch (ins.op.name) {
      case 'end': return st.pop();
      case 'i32.const': st.push(ins.i32!); break;
      case 'i64.const': st.push(ins.i64!); break;
      case 'f32.const': st.push(f32FromBits(ins.f32Bits!)); break;
      case 'f64.const': st.push(f64FromBits(ins.f64Bits!)); break;
      case 'v128.const': st.push(v128_const(ins.bytes!)); break;
      case 'ref.null': st.push(null); break;
      case 'ref.func': st.push(funcs[ins.index!]); break;
      case 'global.get': st.push(globals[ins.index!].value); break;
      case 'i32.add': { const b = st.pop() as number; st.push(((st.pop() as number) + b) | 0); break; }
      case 'i32.sub': { const b = st.pop() as number; st.push(((st.pop() as number) - b) | 0); break; }
      case 'i32.mul': { const b = st.pop() as number; st.push(Math.imul(st.pop() as number, b)); break; }
      case 'i64.add': { const b = st.pop() as bigint; st.push(BigInt.asIntN(64, (st.pop() as bigint) + b)); break; }
      case 'i64.sub': { const b = st.pop() as bigint; st.push(BigInt.asIntN(64, (st.pop() as bigint) - b)); break; }
      case 'i64.mul': { const b = st.pop() as bigint; st.push(BigInt.asIntN(64, (st.pop() as bigint) * b)); break; }
      case 'ref.i31': st.push(((st.pop() as number) << 1) >> 1); break;
      case 'any.convert_extern': st.push(internalize(st.pop())); break;
      case 'extern.convert_any': st.push(externalize(st.pop())); break;
      case 'struct.new': {
        const T = types[ins.index!];
        const n = T.fields.length;
        const vs = st.splice(st.length - n, n);
        st.push(T.make(...vs.map((v, k) => (T.fields[k].packed ? (v as number) & ((1 << T.fields[k].packed) - 1) : v))));
        break;
      }
      case 'struct.new_default': {
        const T = types[ins.index!];
        st.push(T.make(...T.fields.map(defaultOf)));
        break;
      }
      case 'array.new': { const n = st.pop() as number; st.push(arrayNew(types[ins.index!], st.pop(), n >>> 0)); break; }
      case 'array.new_default': st.push(newArray(types[ins.index!], (st.pop() as number) >>> 0)); break;
      case 'array.new_fixed': st.push(arrayOf(types[ins.index!], st.splice(st.length - ins.index2!, ins.index2!))); break;
      default: throw new RuntimeError(`unsupported constant instruction ${ins.op.name}`);
    }
  }
}

function defaultOf(f: FieldInfo): unknown {
  switch (f.c) {
    case 'i': case 'f': case 'd': return 0;
    case 'j': return 0n;
    case 'v': return V128_ZERO;
    default: return null;
  }
}
