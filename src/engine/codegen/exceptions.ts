// Exception handling instructions (engine/exception.ts has the run-time side): throw, throw_ref,
// try_table with its catch clauses, and the legacy try / catch / catch_all / delegate / rethrow.
//
// A try_table or try is a labelled JS try statement; its catch block is the Wasm handler:
//
//   L3: try { body } catch (e3) {
//     if (!R.isCatchable(e3)) throw e3;                     traps pass through
//     if ((p = R.match(e3, TG0)) !== undefined) { <payload to the label's slots> break L1; }
//     throw e3;                                             no clause matched
//   }
//
// Legacy catch clauses become an if/else chain in the catch block, with the exception kept in
// x<n> for rethrow. `delegate l` hands the exception to the handler of the l-th enclosing label
// (skipping the handlers in between): its catch block stores that handler's number in `dg` and
// rethrows; every handler passes on an exception whose `dg` names another handler, and the named
// one clears `dg` and handles it as usual (-1: no handler in this function, the caller's).

import type { Catch, Instr } from '../../ast/instr.js';
import type { FuncGen, Frame } from './function.js';
import { tyChar } from './context.js';

/** The JS name of tag `i` (hoisted per instance). */
function tag(g: FuncGen, i: number): string {
  const name = `TG${i}`;
  g.prelude.set(name, `I.tags[${i}]`);
  return name;
}

/** The start of a handler: traps pass, so do exceptions delegated to another handler. */
function handlerPrologue(g: FuncGen, f: Frame, e: string): string {
  g.usesHandlers = true;
  let s = `if (!R.isCatchable(${e})) throw ${e};`;
  if (g.usesDelegate) s += ` if (dg !== 0) { if (dg !== ${f.handler}) throw ${e}; dg = 0; }`;
  return s;
}

/** `throw x`: the payload is the tag's parameters, on top of the stack. */
export function emitThrow(g: FuncGen, tagIdx: number): void {
  const n = g.info.tags[tagIdx].length;
  const vals: string[] = [];
  for (let k = 0; k < n; k++) {
    const c = g.stack[g.stack.length - 1];
    vals.unshift(g.val(c, g.pop()));
  }
  const t = tag(g, tagIdx);
  // An imported tag may be the JS tag, whose exceptions are the JS value itself.
  const make = (p: string): string => (tagIdx < g.info.importedTags ? `R.exception(${t}, ${p})` : `new XN(${t}, ${p})`);
  g.prelude.set('XN', 'R.NewException');
  // A literal with a null keeps the array generic: V8 quiets signalling NaNs in double arrays.
  if (n === 0) g.emit(`throw ${make('R.NO_PAYLOAD')};`);
  else g.emit(`t = [${vals.join(', ')}, null]; t.length = ${n}; throw ${make('t')};`);
}

export function emitThrowRef(g: FuncGen): void {
  const x = g.pop();
  g.emit(`if (${x} === null) throw R.trap("null exception reference"); throw R.thrown(${x});`);
}

/** Opens a try_table or a legacy try (the block's frame is pushed by the caller). */
export function openTry(g: FuncGen, f: Frame): void {
  f.handler = ++g.handlers;
  f.targeted = true; // always a JS statement, so branches to it always need the label
  g.emit(`${f.label}: try {`);
}

/** Closes a try_table (its frame already popped): the handler tries each clause in order. */
export function closeTryTable(g: FuncGen, f: Frame, catches: readonly Catch[]): void {
  const e = `e${f.handler}`;
  g.emit(`} catch (${e}) { ${handlerPrologue(g, f, e)}`);
  g.refreshViews(); // the body may have grown a memory
  let s = '';
  let all = false;
  for (const c of catches) {
    if (c.kind === 'catch' || c.kind === 'catch_ref') {
      const n = g.info.tags[c.tag!].length;
      const vals = Array.from({ length: n }, (_, k) => `p[${k}]`);
      if (c.kind === 'catch_ref') vals.push(`R.exnref(${e})`);
      s += ` if ((p = R.match(${e}, ${tag(g, c.tag!)})) !== undefined) { ${g.branchWith(c.label, vals)} }`;
    } else {
      s += ` { ${g.branchWith(c.label, c.kind === 'catch_all_ref' ? [`R.exnref(${e})`] : [])} }`;
      all = true;
      break;
    }
  }
  if (!all) s += ` throw ${e};`;
  g.emit(`${s} }`);
}

/** A legacy catch or catch_all clause of the try on top of the frame stack. */
export function catchClause(g: FuncGen, f: Frame, ins: Instr, dead: boolean): void {
  if (!dead) f.reached = true;
  const e = `e${f.handler}`;
  const x = `x${f.handler}`;
  const isAll = ins.op.code === 0x19;
  let head: string;
  if (!f.catching) {
    f.catching = true;
    g.exnVars.push(x);
    g.emit(`} catch (${e}) { ${handlerPrologue(g, f, e)} ${x} = ${e};`);
    g.refreshViews(); // the body may have grown a memory
    head = isAll ? '{' : `if ((p = R.match(${e}, ${tag(g, ins.index!)})) !== undefined) {`;
  } else {
    head = isAll ? '} else {' : `} else if ((p = R.match(${e}, ${tag(g, ins.index!)})) !== undefined) {`;
  }
  if (isAll) f.catchAll = true;
  g.emit(head);
  g.stack = f.below.slice();
  if (!isAll) {
    g.info.tags[ins.index!].forEach((t, k) => {
      const c = tyChar(t);
      g.emit(g.setFrom(c, g.push(c), `p[${k}]`));
    });
  }
  g.segment();
}

/** Closes a legacy try at `end` (its frame already popped). */
export function closeTry(g: FuncGen, f: Frame): void {
  const e = `e${f.handler}`;
  if (!f.catching) g.emit(`} catch (${e}) { ${handlerPrologue(g, f, e)} throw ${e}; }`);
  else g.emit(f.catchAll ? '} }' : `} else throw ${e}; }`);
}

/** `delegate l` closes a legacy try (its frame already popped): its exceptions go to label l's handler. */
export function closeDelegate(g: FuncGen, f: Frame, label: number): void {
  g.usesDelegate = true;
  let target = -1;
  for (let i = g.frames.length - 1 - label; i >= 0; i--) {
    const h = g.frames[i];
    if (h.kind === 'try_table' || (h.kind === 'try' && !h.catching)) {
      target = h.handler!;
      break;
    }
  }
  const e = `e${f.handler}`;
  // An exception delegated to another handler through this one keeps its destination.
  g.emit(`} catch (${e}) { if (R.isCatchable(${e}) && (dg === 0 || dg === ${f.handler})) dg = ${target}; throw ${e}; }`);
}

/** `rethrow l`: throws again the exception caught by the catch clause at label l. */
export function emitRethrow(g: FuncGen, label: number): void {
  const f = g.frames[g.frames.length - 1 - label];
  g.emit(`throw x${f.handler};`);
}
