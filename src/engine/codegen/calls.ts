// Tail call sites: return_call, return_call_indirect, return_call_ref (engine/tailcall.ts has the
// trampoline). A tail call stores its callee and arguments and returns the TAIL marker; the
// function's driver makes the call after this frame (and any try handler around the site) is
// gone, so handlers here do not see the callee's exceptions, as the spec says.

import type { FuncType } from '../../ast/types.js';
import type { FuncGen } from './function.js';
import { addrOf } from './address.js';

/** Emits a tail call of `callee` (a JS expression evaluated first) with the top parameters. */
function tailCall(g: FuncGen, callee: string, ft: FuncType): void {
  g.tailCalls = true;
  g.prelude.set('TS', 'R.TS');
  g.prelude.set('TA', 'R.TA');
  g.prelude.set('TL', 'R.TAIL');
  const n = ft.params.length;
  const args: string[] = [];
  for (let k = 0; k < n; k++) {
    const c = g.stack[g.stack.length - 1];
    args.unshift(g.val(c, g.pop()));
  }
  let s = `TS.f = ${callee}; TS.n = ${n};`;
  args.forEach((a, k) => { s += ` TA[${k}] = ${a};`; });
  g.emit(`${s} return TL;`);
}

export function emitReturnCall(g: FuncGen, funcIdx: number): void {
  g.callees.add(funcIdx);
  g.prelude.set('FT', 'I.FT');
  tailCall(g, `FT[${funcIdx}]`, g.info.types[g.info.funcTypeIdx[funcIdx]]!);
}

export function emitReturnCallIndirect(g: FuncGen, typeIdx: number, table: number): void {
  const t = g.table(table);
  const i = addrOf(g.pop(), g.tableAddr(table));
  tailCall(g, `R.indirectTail(${t}, ${i}, ${g.info.typeIds[typeIdx]})`, g.info.types[typeIdx]!);
}

export function emitReturnCallRef(g: FuncGen, typeIdx: number): void {
  const f = g.pop();
  g.emit(`if (${f} === null) throw R.trap("null function reference");`);
  tailCall(g, `R.tailOf(${f})`, g.info.types[typeIdx]!);
}
