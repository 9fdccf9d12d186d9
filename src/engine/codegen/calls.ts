// Tail call sites: return_call, return_call_indirect, return_call_ref (engine/tailcall.ts has the
// trampoline). A tail call stores its callee and arguments and returns the TAIL marker; the
// function's driver makes the call after this frame (and any try handler around the site) is
// gone, so handlers here do not see the callee's exceptions, as the spec says.
//
// A return_call of a function that makes no tail calls itself, outside any handler, is a plain
// `return F[g](...)`: the stack grows by one frame only while the callee runs (it cannot chain
// further tail calls), and a function whose tail calls are all such needs no driver at all.

import { Reader } from '../../binary/reader.js';
import { readInstr } from '../../binary/instr.js';
import type { FuncType } from '../../ast/types.js';
import type { ModuleInfo } from './context.js';
import type { FuncGen } from './function.js';
import { addrOf } from './address.js';

/** Per module, per function: 1 if its body contains a tail call, 0 if not (-1 unknown). */
const scanned = new WeakMap<ModuleInfo, Int8Array>();

/** Whether function funcIdx (imports make none) contains return_call, return_call_indirect or return_call_ref. */
export function makesTailCalls(info: ModuleInfo, funcIdx: number): boolean {
  if (funcIdx < info.importedFuncs) return false;
  let known = scanned.get(info);
  if (known === undefined) scanned.set(info, (known = new Int8Array(info.funcTypeIdx.length).fill(-1)));
  if (known[funcIdx] < 0) {
    const code = info.module.funcs[funcIdx - info.importedFuncs].code;
    const r = new Reader(code.source, code.start, code.end);
    let found = 0;
    while (r.pos < code.end) {
      const op = readInstr(r).op;
      if (op.prefix === 0 && (op.code === 0x12 || op.code === 0x13 || op.code === 0x15)) {
        found = 1;
        break;
      }
    }
    known[funcIdx] = found;
  }
  return known[funcIdx] === 1;
}

/** Whether code here runs inside a JS try of the function (a try_table, or a try's body). */
function inHandler(g: FuncGen): boolean {
  return g.frames.some((f) => f.kind === 'try_table' || (f.kind === 'try' && !f.catching));
}

/** Emits a tail call of `callee` (a JS expression evaluated first) with the top parameters. */
function tailCall(g: FuncGen, callee: string, ft: FuncType): void {
  g.tailCalls = true;
  g.prelude.set('TS', 'R.TS');
  g.prelude.set('TA', 'R.TA');
  g.prelude.set('TL', 'R.TAIL');
  // Arguments in the internal convention (types.ts): an i64 as two.
  const args: string[] = [];
  for (let k = 0; k < ft.params.length; k++) {
    const c = g.stack[g.stack.length - 1];
    args.unshift(...g.args(c, g.pop()));
  }
  let s = `TS.f = ${callee}; TS.n = ${args.length};`;
  args.forEach((a, k) => { s += ` TA[${k}] = ${a};`; });
  g.emit(`${s} return TL;`);
}

export function emitReturnCall(g: FuncGen, funcIdx: number): void {
  g.callees.add(funcIdx);
  if (!inHandler(g) && !makesTailCalls(g.info, funcIdx)) {
    const ft = g.info.types[g.info.funcTypeIdx[funcIdx]]!;
    const args: string[] = [];
    for (let k = 0; k < ft.params.length; k++) {
      const c = g.stack[g.stack.length - 1];
      args.unshift(...g.args(c, g.pop()));
    }
    // Results come back as the function's own would: undefined, one value (an i64's low word,
    // its high word in H.h) or an array.
    g.emit(`return F[${funcIdx}](${args.join(', ')});`);
    return;
  }
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
