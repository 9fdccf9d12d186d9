// Generated code for the atomic instructions (prefix 0xFE, threads): calls to engine/atomics.ts
// (`A` in the factory's prelude), which checks alignment and bounds and does the access with
// JS Atomics. Narrow i64 operations pass and return the low bits as numbers (the runtime
// zero-extends), converted here with the i64 representation's helpers; 64-bit ones pass and
// return BigInts (g.val, g.setFrom).

import type { Instr } from '../../ast/instr.js';
import { RuntimeError } from '../../errors.js';
import { i64Low32, i64SetFromNumber } from './address.js';
import type { FuncGen } from './function.js';

// i32.atomic.load, i64.atomic.load32_u, i32.atomic.store8, i32.atomic.rmw8.add_u, i64.atomic.rmw.cmpxchg
const NAME = /^(i32|i64)\.atomic\.(load|store|rmw)(\d*)(?:\.(add|sub|and|or|xor|xchg|cmpxchg))?(?:_u)?$/;

export function emitAtomic(g: FuncGen, ins: Instr): void {
  const name = ins.op.name;
  g.prelude.set('A', 'R.atomics');
  if (name === 'atomic.fence') {
    g.emit('A.fence();');
    return;
  }
  const ma = ins.memarg!;
  const mem = g.memory(ma.memory);
  const at = g.memAddr(ma.memory);
  /** Effective address of base `a`, after an exact alignment check for 64-bit memories (address.ts). */
  const ea = (a: string, size: number): string => {
    if (at === 'i64' && size > 1) {
      // The number may have been rounded (>= 2^53): check alignment on the exact low bits.
      g.emit(`if (((${i64Low32(a)} + ${ma.offset % size}) % ${size}) !== 0) throw R.trap("unaligned atomic");`);
    }
    return g.address(a, ma);
  };

  emitAccess(g, name, mem, ea);
  // Whatever this access synchronised with may have grown the memory in another agent.
  if (g.memShared(ma.memory)) g.refreshViews();
}

function emitAccess(g: FuncGen, name: string, mem: string, ea: (a: string, size: number) => string): void {
  switch (name) {
    case 'memory.atomic.notify': {
      const n = g.pop();
      const a = g.pop();
      g.emit(`${g.push('i')} = A.notify(${mem}, ${ea(a, 4)}, ${n});`);
      return;
    }
    case 'memory.atomic.wait32': case 'memory.atomic.wait64': {
      const t = g.pop();
      const e = g.pop();
      const a = g.pop();
      const size = name === 'memory.atomic.wait32' ? 4 : 8;
      const ex = size === 8 ? g.val('j', e) : e;
      g.emit(`${g.push('i')} = A.wait${size * 8}(${mem}, ${ea(a, size)}, ${ex}, ${g.val('j', t)});`);
      return;
    }
  }

  const m = NAME.exec(name);
  if (m === null) throw new RuntimeError(`unsupported instruction ${name}`);
  const [, type, kind, digits, rmw] = m;
  const wide = type === 'i64' ? 64 : 32;
  const bits = digits === '' ? wide : Number(digits);
  const size = bits / 8;
  // Function suffix: i64's 32-bit accesses read unsigned words.
  const fn = `${bits}${type === 'i64' && bits === 32 ? 'u' : ''}`;
  const narrow64 = type === 'i64' && bits < 64;
  // Narrow i64 operands go as their low 32 bits (Atomics wraps them further to the width).
  const c = type === 'i64' ? 'j' : 'i';
  const arg = (x: string): string => (narrow64 ? i64Low32(x) : g.val(c, x));
  /** Statement pushing the result `e` (a number, or a BigInt for a 64-bit access). */
  const result = (e: string): string => (narrow64 ? i64SetFromNumber(g.push(c), e) : g.setFrom(c, g.push(c), e));

  if (kind === 'load') {
    const a = g.pop();
    const e = ea(a, size);
    g.emit(result(`A.load${fn}(${mem}, ${e})`));
  } else if (kind === 'store') {
    const x = g.pop();
    const a = g.pop();
    const e = ea(a, size);
    g.emit(`A.store${bits === 32 ? '32' : fn}(${mem}, ${e}, ${arg(x)});`);
  } else if (rmw === 'cmpxchg') {
    const r = g.pop();
    const x = g.pop();
    const a = g.pop();
    const e = ea(a, size);
    g.emit(result(`A.cmpxchg${fn}(${mem}, ${e}, ${arg(x)}, ${arg(r)})`));
  } else {
    const x = g.pop();
    const a = g.pop();
    const e = ea(a, size);
    g.emit(result(`A.${rmw}${fn}(${mem}, ${e}, ${arg(x)})`));
  }
}
