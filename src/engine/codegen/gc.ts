// Code generation for the GC instructions (0xfb prefix) and reference casts (spec §4.4.6
// "Aggregate reference instructions", §4.4.5 ref.test/ref.cast/br_on_cast). Object layout is
// engine/gc.ts's: structs `{ t, f0, f1, ... }`, arrays typed or JS arrays with `t`, i31 numbers.
// Field and element accesses are inline with explicit null and bounds checks (the spec's traps);
// bulk operations call R.gc.

import type { Instr } from '../../ast/instr.js';
import type { HeapType } from '../../ast/types.js';
import { RuntimeError } from '../../errors.js';
import { KIND_FUNC, type FieldInfo, type RTT } from '../rtt.js';
import type { FuncGen } from './function.js';

const NULL_STRUCT = 'throw R.trap("null structure reference");';
const NULL_ARRAY = 'throw R.trap("null array reference");';
const OOB_ARRAY = 'throw R.trap("out of bounds array access");';

// i64 values cross into fields and elements here only, so that a change of the i64 representation
// inside function bodies changes these two functions and nothing else. Storage holds BigInt.
/** JS expression of the stored form of value variable `v` of type character `c`. */
function toField(g: FuncGen, c: string, v: string): string {
  return g.val(c, v);
}
/** Statement setting variable `dst` (type `c`) from the stored form `expr`. */
function fromField(g: FuncGen, c: string, dst: string, expr: string): string {
  return g.setFrom(c, dst, expr);
}

/** Wraps an i32 to a packed field's width (structs store packed values unsigned). */
function pack(f: FieldInfo, v: string): string {
  return f.packed === 8 ? `${v} & 0xff` : f.packed === 16 ? `${v} & 0xffff` : v;
}

function rttName(g: FuncGen, idx: number): string {
  const name = `Y${idx}`;
  g.prelude.set(name, `I.types[${idx}]`);
  return name;
}

function rtt(g: FuncGen, idx: number): RTT {
  return g.info.rtts[idx];
}

/**
 * JS boolean expression: whether the value in variable `x` is in reference type
 * `(ref null? heap)` (heap relative to the module). The value is known to be in heap's hierarchy.
 */
export function castTest(g: FuncGen, x: string, heap: HeapType, nullable: boolean): string {
  let t: string; // the test for a non-null x
  if (typeof heap === 'number') {
    const r = rtt(g, heap);
    if (r.kind === KIND_FUNC) {
      t = `(${x}.typeId === ${r.id} || R.gc.isSubId(${x}.typeId, ${r.id}))`;
    } else {
      const T = rttName(g, heap);
      const sub = r.final ? `${x}.t === ${T}` : r.depth === 0 ? `${x}.t.supers[0] === ${T}` : `${x}.t.depth >= ${r.depth} && ${x}.t.supers[${r.depth}] === ${T}`;
      t = `(typeof ${x} === "object" && ${sub})`;
    }
  } else {
    switch (heap) {
      case 'any': case 'func': case 'extern': case 'exn': t = 'true'; break;
      case 'none': case 'nofunc': case 'noextern': case 'noexn': t = 'false'; break;
      case 'eq': t = `(typeof ${x} === "number" || ${x}.t.kind !== 3)`; break;
      case 'i31': t = `typeof ${x} === "number"`; break;
      case 'struct': t = `(typeof ${x} === "object" && ${x}.t.kind === 1)`; break;
      case 'array': t = `(typeof ${x} === "object" && ${x}.t.kind === 2)`; break;
    }
  }
  if (t === 'true') return nullable ? 'true' : `${x} !== null`;
  if (t === 'false') return nullable ? `${x} === null` : 'false';
  return nullable ? `(${x} === null || ${t})` : `(${x} !== null && ${t})`;
}

/** Translates one 0xfb-prefixed instruction. */
export function emitGc(g: FuncGen, ins: Instr): void {
  const name = ins.op.name;
  switch (name) {
    case 'struct.new': case 'struct.new_default': {
      const T = rttName(g, ins.index!);
      const fs = rtt(g, ins.index!).fields;
      const vals: string[] = new Array<string>(fs.length);
      if (name === 'struct.new') {
        for (let k = fs.length - 1; k >= 0; k--) {
          const c = g.stack[g.stack.length - 1];
          vals[k] = pack(fs[k], toField(g, c, g.pop()));
        }
      } else {
        for (let k = 0; k < fs.length; k++) vals[k] = fs[k].zero;
      }
      g.emit(`${g.push('r')} = { t: ${T}${vals.map((v, k) => `, f${k}: ${v}`).join('')} };`);
      return;
    }
    case 'struct.get': case 'struct.get_s': case 'struct.get_u': {
      const f = rtt(g, ins.index!).fields[ins.index2!];
      const o = g.pop();
      let e = `${o}.f${ins.index2!}`;
      if (name === 'struct.get_s') e = f.packed === 8 ? `(${e} << 24) >> 24` : `(${e} << 16) >> 16`;
      g.emit(`if (${o} === null) ${NULL_STRUCT} ${fromField(g, f.c, g.push(f.c), e)}`);
      return;
    }
    case 'struct.set': {
      const f = rtt(g, ins.index!).fields[ins.index2!];
      const c = g.stack[g.stack.length - 1];
      const v = g.pop();
      const o = g.pop();
      g.emit(`if (${o} === null) ${NULL_STRUCT} ${o}.f${ins.index2!} = ${pack(f, toField(g, c, v))};`);
      return;
    }
    case 'array.new': {
      const T = rttName(g, ins.index!);
      const n = g.pop();
      const c = g.stack[g.stack.length - 1];
      const v = toField(g, c, g.pop());
      g.emit(`${g.push('r')} = R.gc.arrayNew(${T}, ${v}, ${n} >>> 0);`);
      return;
    }
    case 'array.new_default': {
      const T = rttName(g, ins.index!);
      const n = g.pop();
      g.emit(`${g.push('r')} = R.gc.newArray(${T}, ${n} >>> 0);`);
      return;
    }
    case 'array.new_fixed': {
      const T = rttName(g, ins.index!);
      const n = ins.index2!;
      const vals: string[] = new Array<string>(n);
      for (let k = n - 1; k >= 0; k--) {
        const c = g.stack[g.stack.length - 1];
        vals[k] = toField(g, c, g.pop());
      }
      // Element by element: an array literal of doubles would quiet signalling NaNs.
      g.emit(`t = R.gc.newArray(${T}, ${n});${vals.map((v, k) => ` t[${k}] = ${v};`).join('')} ${g.push('r')} = t;`);
      return;
    }
    case 'array.new_data': case 'array.new_elem': {
      const T = rttName(g, ins.index!);
      const n = g.pop();
      const s = g.pop();
      const seg = name === 'array.new_data' ? `D[${ins.index2!}]` : `E[${ins.index2!}]`;
      const fn = name === 'array.new_data' ? 'arrayNewData' : 'arrayNewElem';
      g.emit(`${g.push('r')} = R.gc.${fn}(${T}, ${seg}, ${s} >>> 0, ${n} >>> 0);`);
      return;
    }
    case 'array.get': case 'array.get_s': case 'array.get_u': {
      const f = rtt(g, ins.index!).fields[0];
      const i = g.pop();
      const a = g.pop();
      let e = `${a}[${i}]`;
      if (name === 'array.get_u') e = f.packed === 8 ? `${e} & 0xff` : `${e} & 0xffff`;
      g.emit(`if (${a} === null) ${NULL_ARRAY} if ((${i} >>> 0) >= ${a}.length) ${OOB_ARRAY} ${fromField(g, f.c, g.push(f.c), e)}`);
      return;
    }
    case 'array.set': {
      const c = g.stack[g.stack.length - 1];
      const v = toField(g, c, g.pop());
      const i = g.pop();
      const a = g.pop();
      g.emit(`if (${a} === null) ${NULL_ARRAY} if ((${i} >>> 0) >= ${a}.length) ${OOB_ARRAY} ${a}[${i}] = ${v};`);
      return;
    }
    case 'array.len': {
      const a = g.pop();
      g.emit(`if (${a} === null) ${NULL_ARRAY} ${g.push('i')} = ${a}.length;`);
      return;
    }
    case 'array.fill': {
      const n = g.pop();
      const c = g.stack[g.stack.length - 1];
      const v = toField(g, c, g.pop());
      const d = g.pop();
      const a = g.pop();
      g.emit(`R.gc.arrayFill(${a}, ${d} >>> 0, ${v}, ${n} >>> 0);`);
      return;
    }
    case 'array.copy': {
      const n = g.pop();
      const s = g.pop();
      const src = g.pop();
      const d = g.pop();
      const dst = g.pop();
      g.emit(`R.gc.arrayCopy(${dst}, ${d} >>> 0, ${src}, ${s} >>> 0, ${n} >>> 0);`);
      return;
    }
    case 'array.init_data': case 'array.init_elem': {
      const n = g.pop();
      const s = g.pop();
      const d = g.pop();
      const a = g.pop();
      const seg = name === 'array.init_data' ? `D[${ins.index2!}]` : `E[${ins.index2!}]`;
      const fn = name === 'array.init_data' ? 'arrayInitData' : 'arrayInitElem';
      g.emit(`R.gc.${fn}(${a}, ${d} >>> 0, ${seg}, ${s} >>> 0, ${n} >>> 0);`);
      return;
    }
    case 'ref.test': {
      const x = g.pop();
      g.emit(`${g.push('i')} = ${castTest(g, x, ins.heapType!, ins.op.nullable === true)} ? 1 : 0;`);
      return;
    }
    case 'ref.cast': {
      const x = g.slot(g.stack.length - 1);
      g.emit(`if (!(${castTest(g, x, ins.heapType!, ins.op.nullable === true)})) throw R.trap("cast failure");`);
      return;
    }
    case 'br_on_cast': case 'br_on_cast_fail': {
      const x = g.slot(g.stack.length - 1);
      const rt = ins.refType2!;
      const test = castTest(g, x, rt.heap, rt.nullable);
      g.emit(`if (${name === 'br_on_cast' ? test : `!(${test})`}) { ${g.branch(ins.index!)} }`);
      g.segment();
      return;
    }
    case 'any.convert_extern': {
      const x = g.pop();
      g.emit(`${g.push('r')} = R.gc.internalize(${x});`);
      return;
    }
    case 'extern.convert_any': {
      const x = g.pop();
      g.emit(`${g.push('r')} = R.gc.externalize(${x});`);
      return;
    }
    case 'ref.i31': {
      const x = g.pop();
      g.emit(`${g.push('r')} = (${x} << 1) >> 1;`);
      return;
    }
    case 'i31.get_s': case 'i31.get_u': {
      const x = g.pop();
      const e = name === 'i31.get_s' ? x : `${x} & 0x7fffffff`;
      g.emit(`if (${x} === null) throw R.trap("null i31 reference"); ${g.push('i')} = ${e};`);
      return;
    }
  }
  throw new RuntimeError(`unsupported instruction ${name}`);
}
