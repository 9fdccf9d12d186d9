// Module validation (spec §3.4 "Modules"): builds the context C, checks every definition, then
// every function body. Throws CompileError naming the reason in the spec suite's words.

import { type Features, WASM_3_0 } from '../ast/features.js';
import { ConstOffsetData, dataSegmentCount } from '../ast/data-segment.js';
import { CompileError } from '../errors.js';
import type { Expr, Module } from '../ast/module.js';
import type { Limits, MemType, TableType } from '../ast/types.js';
import { CodeValidator } from './code.js';
import type { ModuleCtx } from './context.js';
import { CONCRETE, I32, I64, K_FUNC, TypeCtx, isNullable, ref } from './types.js';

export { TypeCtx } from './types.js';

function fail(message: string, where: string): never {
  throw new CompileError(`${message} in ${where}`);
}

/** Wraps errors of type interning (unknown type ...) with where they occurred. */
function at<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CompileError && !e.message.includes(' in ')) throw new CompileError(`${e.message} in ${where}`, e.offset);
    throw e;
  }
}

function checkLimits(l: Limits, bound: number, what: string, where: string): void {
  if (l.max !== undefined && l.min > l.max) fail('size minimum must not be greater than maximum', where);
  if (l.min > bound || (l.max !== undefined && l.max > bound)) fail(what, where);
}

function checkMemType(m: MemType, where: string): void {
  if (m.addr === 'i64') checkLimits(m.limits, 2 ** 48, 'memory size must be at most 2^48 pages', where);
  else checkLimits(m.limits, 65536, 'memory size must be at most 65536 pages (4GiB)', where);
  if (m.shared && m.limits.max === undefined) fail('shared memory must have maximum', where);
}

function checkTableType(tc: TypeCtx, t: TableType, where: string): number {
  // 64-bit limits cannot exceed 2^64-1 by construction.
  if (t.addr === 'i32') checkLimits(t.limits, 0xffffffff, 'table size must be at most 2^32-1', where);
  else checkLimits(t.limits, Number.MAX_VALUE, 'table size', where);
  return at(where, () => tc.valType(t.elem));
}

/** Validates a module (spec §3.4.x); throws CompileError when it is invalid. */
export function validateModule(m: Module, features: Features = WASM_3_0): void {
  // Read here, not after the data segments' loop: V8 may compile that loop alone (on-stack
  // replacement), and code it compiled without having run this access deoptimizes there.
  const funcs = m.funcs;
  const tc = at('type section', () => new TypeCtx(m.types, m.recGroups));

  // Index spaces: imports come first in each.
  const funcTypes: number[] = [];
  const tableElem: number[] = [], tableAddr: number[] = [];
  const memAddr: number[] = [];
  const globalType: number[] = [], globalMut: number[] = [];
  const tagTypes: number[] = [];

  const funcType = (x: number, where: string): number => {
    if (x < 0 || x >= tc.n) fail(`unknown type ${x}`, where);
    if (tc.kind[x] !== K_FUNC) fail(`unknown type ${x}: not a function type`, where);
    return x;
  };

  m.imports.forEach((imp, i) => {
    const where = `import ${i} (${imp.module}.${imp.name})`;
    const d = imp.desc;
    switch (d.kind) {
      case 'func': funcTypes.push(funcType(d.typeIdx, where)); break;
      case 'table': tableElem.push(checkTableType(tc, d.type, where)); tableAddr.push(d.type.addr === 'i64' ? I64 : I32); break;
      case 'memory': checkMemType(d.type, where); memAddr.push(d.type.addr === 'i64' ? I64 : I32); break;
      case 'global': globalType.push(at(where, () => tc.valType(d.type.type))); globalMut.push(d.type.mutable ? 1 : 0); break;
      case 'tag':
        funcType(d.type.typeIdx, where);
        if (tc.results[d.type.typeIdx].length) fail('non-empty tag result type', where);
        tagTypes.push(d.type.typeIdx);
        break;
    }
  });
  const nImportedGlobals = globalType.length;
  for (const f of m.funcs) funcTypes.push(funcType(f.typeIdx, `function ${funcTypes.length}`));
  const nImportedTables = tableElem.length;
  for (const t of m.tables) {
    tableElem.push(checkTableType(tc, t.type, `table ${tableElem.length}`));
    tableAddr.push(t.type.addr === 'i64' ? I64 : I32);
  }
  m.memories.forEach((mt) => {
    checkMemType(mt, `memory ${memAddr.length}`);
    memAddr.push(mt.addr === 'i64' ? I64 : I32);
  });
  m.tags.forEach((t) => {
    const where = `tag ${tagTypes.length}`;
    funcType(t.typeIdx, where);
    if (tc.results[t.typeIdx].length) fail('non-empty tag result type', where);
    tagTypes.push(t.typeIdx);
  });
  for (const g of m.globals) {
    globalType.push(at(`global ${globalType.length}`, () => tc.valType(g.type.type)));
    globalMut.push(g.type.mutable ? 1 : 0);
  }
  const elemType = m.elems.map((e, i) => at(`elem segment ${i}`, () => tc.valType(e.type)));

  const nfuncs = funcTypes.length;
  const ctx: ModuleCtx = {
    tc,
    funcTypes: Int32Array.from(funcTypes), nfuncs,
    tableElem: Int32Array.from(tableElem), tableAddr: Int32Array.from(tableAddr), ntables: tableElem.length,
    memAddr: Int32Array.from(memAddr), nmems: memAddr.length,
    globalType: Int32Array.from(globalType), globalMut: Uint8Array.from(globalMut), nglobals: globalType.length,
    tagTypes: Int32Array.from(tagTypes), ntags: tagTypes.length,
    elemType: Int32Array.from(elemType), nelems: elemType.length,
    ndatas: m.dataCount ?? dataSegmentCount(m), hasDataCount: m.dataCount !== undefined,
    refs: new Uint8Array(nfuncs),
  };
  const cv = new CodeValidator(ctx, features);
  const nglobals = globalType.length;
  if (!features.multiMemory && ctx.nmems > 1) fail('multiple memories', `memory ${ctx.nmems - 1}`);
  // Before 3.0, constant expressions could read imported globals only.
  const constVisible = (n: number): number => (features.constantGlobals ? n : Math.min(n, nImportedGlobals));
  const constExpr = (e: Expr, t: number, visible: number, where: string): void =>
    cv.validateConst(e, t, constVisible(visible), where, -1);

  // Tables: a table without an initialiser gets ref.null, so its element type must be nullable.
  // The table section precedes the global section, so initialisers see only imported globals.
  m.tables.forEach((t, i) => {
    const idx = nImportedTables + i;
    const et = tableElem[idx];
    if (t.init) constExpr(t.init, et, nImportedGlobals, `table ${idx} initializer`);
    else if (!isNullable(et)) fail('type mismatch: table of non-defaultable type needs an initializer', `table ${idx}`);
  });

  // Globals: initialisers see only the globals before them (imports included).
  m.globals.forEach((g, i) => {
    const idx = nImportedGlobals + i;
    constExpr(g.init, globalType[idx], idx, `global ${idx} initializer`);
  });

  // Exports: unique names, existing entities; exported functions are declared references.
  const names = new Set<string>();
  m.exports.forEach((ex) => {
    const where = `export "${ex.name}"`;
    if (names.has(ex.name)) fail('duplicate export name', where);
    names.add(ex.name);
    const i = ex.index;
    switch (ex.kind) {
      case 'func': if (i >= nfuncs) fail(`unknown function ${i}`, where); ctx.refs[i] = 1; break;
      case 'table': if (i >= ctx.ntables) fail(`unknown table ${i}`, where); break;
      case 'memory': if (i >= ctx.nmems) fail(`unknown memory ${i}`, where); break;
      case 'global': if (i >= nglobals) fail(`unknown global ${i}`, where); break;
      case 'tag': if (i >= ctx.ntags) fail(`unknown tag ${i}`, where); break;
    }
  });

  // Start function: [] -> [].
  if (m.start !== undefined) {
    const s = m.start;
    if (s >= nfuncs) fail(`unknown function ${s}`, 'start section');
    const t = funcTypes[s];
    if (tc.params[t].length || tc.results[t].length) fail('start function must have type [] -> []', 'start section');
  }

  // Element segments.
  m.elems.forEach((e, i) => {
    const where = `elem segment ${i}`;
    const et = elemType[i];
    if (e.init.kind === 'funcs') {
      for (const f of e.init.indices) {
        if (f >= nfuncs) fail(`unknown function ${f}`, where);
        ctx.refs[f] = 1;
        const ft = ref(CONCRETE + tc.canon[funcTypes[f]], false);
        if (!tc.isSub(ft, et)) fail(`type mismatch: function ${f} does not match ${tc.toString(et)}`, where);
      }
    } else {
      for (const x of e.init.exprs) constExpr(x, et, nglobals, where);
    }
    if (e.mode.kind === 'active') {
      const t = e.mode.table;
      if (t >= ctx.ntables) fail(`unknown table ${t}`, where);
      if (!tc.isSub(et, tableElem[t])) fail(`type mismatch: ${tc.toString(et)} does not match table ${t}'s ${tc.toString(tableElem[t])}`, where);
      constExpr(e.mode.offset, tableAddr[t], nglobals, `${where} offset`);
    }
  });

  // Data segments. The usual decoded one (`i32.const n` in memory 0, ast/data-segment.ts) is
  // valid when memory 0 is 32-bit; its mode is not made (Go's modules have 10^5 segments).
  const flatOk = ctx.nmems > 0 && memAddr[0] === I32;
  // A section of such segments kept as bytes (ast/data-segment.ts) needs nothing more.
  const datas = flatOk && m.dataSection !== undefined ? [] : m.datas;
  for (let i = 0; i < datas.length; i++) {
    const d = datas[i];
    if (flatOk && d instanceof ConstOffsetData) continue;
    const mode = d.mode;
    if (mode.kind !== 'active') continue;
    const mem = mode.memory;
    if (mem >= ctx.nmems) fail(`unknown memory ${mem}`, `data segment ${i}`);
    cv.validateConst(mode.offset, memAddr[mem], constVisible(nglobals), 'data segment', i);
  }

  // Function bodies, last: they need C.refs complete.
  validateBodies(cv, funcs, nfuncs - funcs.length);
}

/**
 * The body loop on its own: inside validateModule it would run in the code V8 compiled for
 * that function's earlier loops (on-stack replacement), which deoptimizes on reaching it.
 */
function validateBodies(cv: CodeValidator, funcs: Module['funcs'], nImportedFuncs: number): void {
  for (let i = 0; i < funcs.length; i++) {
    const f = funcs[i];
    cv.validateFunc(nImportedFuncs + i, f.typeIdx, f.locals, f.code);
  }
}
