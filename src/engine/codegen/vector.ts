// SIMD instructions (0xFD) as calls into engine/simd.ts (`S` in generated code): one function
// per mnemonic with '.' replaced by '_'; immediates (lane, shuffle bytes) are trailing
// arguments; memory forms take the memory's DataView and the effective address first.

import type { Instr } from '../../ast/instr.js';
import type { FuncGen } from './function.js';

const CHAR: Record<string, string> = { i32: 'i', i64: 'j', f32: 'f', f64: 'd', v128: 'v', a: 'i' };

export function emitVector(g: FuncGen, ins: Instr): void {
  const op = ins.op;
  const fn = `S.${op.name.replace(/\./g, '_')}`;
  const [lhs, rhs] = (op.sig ?? '->').split('->');
  const params = lhs.trim() ? lhs.trim().split(/\s+/) : [];
  const results = rhs.trim() ? rhs.trim().split(/\s+/) : [];
  const args: string[] = [];
  for (let k = params.length - 1; k >= 0; k--) args[k] = g.pop();
  switch (op.imm) {
    case 'memarg': case 'memarg_lane': {
      const ma = ins.memarg!;
      args[0] = g.address(args[0], ma.offset);
      args.unshift(`${g.memory(ma.memory)}.view`);
      if (op.imm === 'memarg_lane') args.push(String(ins.lane!));
      break;
    }
    case 'v128': {
      args.push(g.hoist(`S.v128_const(Uint8Array.of(${Array.from(ins.bytes!).join(', ')}))`));
      const r = g.push('v');
      g.emit(`${r} = ${args[0]};`);
      return;
    }
    case 'shuffle': args.push(g.hoist(`[${Array.from(ins.bytes!).join(', ')}]`)); break;
    // simd.ts takes replace_lane as (v, lane, x): the lane follows the vector.
    case 'lane': args.splice(1, 0, String(ins.lane!)); break;
  }
  const call = `${fn}(${args.join(', ')})`;
  if (results.length === 0) g.emit(`${call};`);
  else g.emit(`${g.push(CHAR[results[0]])} = ${call};`);
}
