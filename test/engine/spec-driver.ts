// A quick private driver of the engine over .wast scripts (not the official runner, which is
// built on the JS API): runs module/register/invoke/assert_return/assert_trap/assert_exhaustion
// and the instantiation assertions, and prints pass/fail counts per file.
// Usage: node dist/test/engine/spec-driver.js [-v] file.wast...

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { WASM_2_0, WASM_3_0 } from '../../src/ast/features.js';
import type { FuncType, ValType } from '../../src/ast/types.js';
import { LinkError, RuntimeError } from '../../src/errors.js';
import { parseScript } from '../../src/text/script.js';
import type { Action, Command, FloatPattern, ResultPattern, Value } from '../../src/text/script-ast.js';
import { validateModule } from '../../src/validate/validate.js';
import { compileModule } from '../../src/engine/compile.js';
import { instantiateModule } from '../../src/engine/instantiate.js';
import { createGlobal, createMemory, createTable } from '../../src/engine/objects.js';
import { f32Bits, f32FromBits, f64Bits, f64FromBits } from '../../src/engine/runtime.js';
import { v128FromBytes, v128ToBytes, type V128 } from '../../src/engine/simd.js';
import { canonicalTypeId } from '../../src/engine/typeids.js';
import type { ExportValue, FuncRef, InstanceObject, ResolvedImport } from '../../src/engine/types.js';
import { loadScriptModule } from '../spec/validity.js';

/** KASANE_FEATURES=3.0 runs scripts as WebAssembly 3.0 (default 2.0). */
const FEATURES = process.env.KASANE_FEATURES === '3.0' ? WASM_3_0 : WASM_2_0;

const externs = new Map<number, object>();
function externOf(n: number): object {
  let o = externs.get(n);
  if (!o) externs.set(n, (o = { extern: n }));
  return o;
}

function hostFunc(params: ValType[], results: ValType[] = []): FuncRef {
  const type: FuncType = { kind: 'func', params, results };
  return { type, typeId: canonicalTypeId(type), call: () => undefined };
}

function spectest(): InstanceObject {
  const exports = new Map<string, ExportValue>();
  const f = (name: string, p: ValType[]): void => void exports.set(name, { kind: 'func', func: hostFunc(p) });
  f('print', []);
  f('print_i32', ['i32']);
  f('print_i64', ['i64']);
  f('print_f32', ['f32']);
  f('print_f64', ['f64']);
  f('print_i32_f32', ['i32', 'f32']);
  f('print_f64_f64', ['f64', 'f64']);
  exports.set('global_i32', { kind: 'global', global: createGlobal({ type: 'i32', mutable: false }, 666) });
  exports.set('global_i64', { kind: 'global', global: createGlobal({ type: 'i64', mutable: false }, 666n) });
  exports.set('global_f32', { kind: 'global', global: createGlobal({ type: 'f32', mutable: false }, Math.fround(666.6)) });
  exports.set('global_f64', { kind: 'global', global: createGlobal({ type: 'f64', mutable: false }, 666.6) });
  exports.set('table', { kind: 'table', table: createTable({ limits: { min: 10, max: 20 }, addr: 'i32', elem: { nullable: true, heap: 'func' } }) });
  exports.set('memory', { kind: 'memory', memory: createMemory({ limits: { min: 1, max: 2 }, shared: false, addr: 'i32' }) });
  return { funcs: [], tables: [], memories: [], globals: [], tags: [], exports };
}

function toInternal(v: Value): unknown {
  switch (v.kind) {
    case 'i32': return v.value | 0;
    case 'i64': return BigInt.asIntN(64, v.value);
    case 'f32': return f32FromBits(v.bits | 0);
    case 'f64': return f64FromBits(BigInt.asIntN(64, v.bits));
    case 'v128': return v128FromBytes(v.bytes);
    case 'ref.null': return null;
    case 'ref.extern': case 'ref.host': return externOf(v.value);
  }
}

function floatMatches(p: FloatPattern, x: unknown, is32: boolean): boolean {
  if (typeof x !== 'number') return false;
  if (is32) {
    const b = f32Bits(x) >>> 0;
    if (p.kind === 'bits') return b === (Number(p.bits) >>> 0);
    if (p.kind === 'nan:canonical') return (b & 0x7fffffff) === 0x7fc00000;
    return (b & 0x7fc00000) === 0x7fc00000;
  }
  const b = BigInt.asUintN(64, f64Bits(x));
  if (p.kind === 'bits') return b === BigInt.asUintN(64, BigInt(p.bits));
  if (p.kind === 'nan:canonical') return (b & 0x7fffffffffffffffn) === 0x7ff8000000000000n;
  return (b & 0x7ff8000000000000n) === 0x7ff8000000000000n;
}

function laneBytes(shape: string, lanes: readonly (FloatPattern | bigint)[], got: Uint8Array): boolean {
  const dv = new DataView(got.buffer, got.byteOffset, 16);
  const n = lanes.length;
  const w = 16 / n;
  for (let i = 0; i < n; i++) {
    const l = lanes[i];
    if (typeof l === 'bigint') {
      const size = BigInt(w * 8);
      let actual: bigint;
      if (w === 1) actual = BigInt(dv.getUint8(i));
      else if (w === 2) actual = BigInt(dv.getUint16(i * 2, true));
      else if (w === 4) actual = BigInt(dv.getUint32(i * 4, true));
      else actual = dv.getBigUint64(i * 8, true);
      if (actual !== BigInt.asUintN(Number(size), l)) return false;
    } else if (shape === 'f32x4') {
      if (!floatMatches(l, f32FromBits(dv.getInt32(i * 4, true)), true)) return false;
    } else {
      if (!floatMatches(l, f64FromBits(dv.getBigInt64(i * 8, true)), false)) return false;
    }
  }
  return true;
}

function matches(p: ResultPattern, x: unknown): boolean {
  switch (p.kind) {
    case 'value': {
      const v = p.value;
      switch (v.kind) {
        case 'i32': return x === (v.value | 0);
        case 'i64': return x === BigInt.asIntN(64, v.value);
        case 'f32': return floatMatches({ kind: 'bits', bits: v.bits }, x, true);
        case 'f64': return floatMatches({ kind: 'bits', bits: v.bits }, x, false);
        case 'v128': {
          const b = v128ToBytes(x as V128);
          return b.every((y, i) => y === v.bytes[i]);
        }
        case 'ref.null': return x === null;
        case 'ref.extern': case 'ref.host': return x === externOf(v.value);
      }
      return false;
    }
    case 'f32': return floatMatches(p.pattern, x, true);
    case 'f64': return floatMatches(p.pattern, x, false);
    case 'v128': return laneBytes(p.shape, p.lanes, v128ToBytes(x as V128));
    case 'ref': return x !== null && x !== undefined;
    case 'either': return p.options.some((o) => matches(o, x));
  }
}

function show(x: unknown): string {
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'number') return `${x} (bits ${f32Bits(x) >>> 0}/${f64Bits(x)})`;
  if (Array.isArray(x)) return `[${x.map(show).join(', ')}]`;
  return String(x);
}

interface FileResult { pass: number; fail: number; failures: string[] }

function runFile(file: string, verbose: boolean): FileResult {
  const res: FileResult = { pass: 0, fail: 0, failures: [] };
  const registry = new Map<string, InstanceObject>([['spectest', spectest()]]);
  const named = new Map<string, InstanceObject>();
  let current: InstanceObject | undefined;
  const cmds: Command[] = parseScript(readFileSync(file, 'utf8'));

  const ok = (): void => void res.pass++;
  const bad = (line: number, why: string): void => {
    res.fail++;
    res.failures.push(`${basename(file)}:${line}: ${why}`);
  };

  const instantiate = (cmdModule: Parameters<typeof loadScriptModule>[0]): InstanceObject => {
    const m = loadScriptModule(cmdModule, FEATURES);
    validateModule(m, FEATURES);
    const cm = compileModule(m);
    const imports: ResolvedImport[] = m.imports.map((imp) => {
      const inst = registry.get(imp.module);
      const e = inst?.exports.get(imp.name);
      if (!e) throw new LinkError(`unknown import ${imp.module}.${imp.name}`);
      return e as ResolvedImport;
    });
    return instantiateModule(cm, imports);
  };

  const act = (a: Action): unknown => {
    const inst = a.module ? named.get(a.module) : current;
    if (!inst) throw new Error(`no module ${a.module ?? ''}`);
    const e = inst.exports.get(a.field);
    if (!e) throw new Error(`no export ${a.field}`);
    if (a.kind === 'get') {
      if (e.kind !== 'global') throw new Error('not a global');
      return [e.global.value];
    }
    if (e.kind !== 'func') throw new Error('not a function');
    // Arrays start generic ([undefined]) so that V8 keeps signalling NaNs boxed, not quieted.
    const args: unknown[] = [undefined];
    args.pop();
    for (const v of a.args) args.push(toInternal(v));
    const r = e.func.call.apply(undefined, args);
    const out: unknown[] = [undefined];
    out[0] = r;
    return e.func.type.results.length === 0 ? [] : e.func.type.results.length === 1 ? out : r;
  };

  for (const c of cmds) {
    try {
      switch (c.kind) {
        case 'module': {
          try {
            current = instantiate(c.module);
            if (c.module.id) named.set(c.module.id, current);
            ok();
          } catch (e) {
            current = undefined;
            bad(c.line, `module: ${(e as Error).stack}`);
          }
          break;
        }
        case 'register': {
          const inst = c.module ? named.get(c.module) : current;
          if (inst) registry.set(c.as, inst);
          break;
        }
        case 'action': act(c.action); ok(); break;
        case 'assert_return': {
          const got = act(c.action) as unknown[];
          if (got.length === c.results.length && c.results.every((p, i) => matches(p, got[i]))) ok();
          else bad(c.line, `assert_return ${c.action.field}: got ${show(got)}`);
          break;
        }
        case 'assert_trap': case 'assert_exhaustion': {
          try {
            act(c.action);
            bad(c.line, `${c.kind} ${c.action.field}: no trap (${c.message})`);
          } catch (e) {
            if (e instanceof RuntimeError && e.message.startsWith(c.message)) ok();
            else bad(c.line, `${c.kind} ${c.action.field}: expected "${c.message}", got ${(e as Error).stack}`);
          }
          break;
        }
        case 'assert_unlinkable': case 'assert_uninstantiable': case 'assert_module_trap': {
          try {
            instantiate(c.module);
            bad(c.line, `${c.kind}: instantiated (${c.message})`);
          } catch (e) {
            const want = c.kind === 'assert_unlinkable' ? LinkError : RuntimeError;
            if (e instanceof want) ok();
            else bad(c.line, `${c.kind}: expected ${want.name} "${c.message}", got ${(e as Error).stack}`);
          }
          break;
        }
        default: break;
      }
    } catch (e) {
      bad(c.line, `${c.kind}: ${(e as Error).stack}`);
    }
  }
  if (verbose) for (const f of res.failures) console.log('  ' + f.slice(0, 600));
  return res;
}

const args = process.argv.slice(2);
const verbose = args[0] === '-v';
let pass = 0;
let fail = 0;
for (const f of verbose ? args.slice(1) : args) {
  let r: FileResult;
  try {
    r = runFile(f, verbose);
  } catch (e) {
    console.log(`${basename(f)}: script error ${(e as Error).message}`);
    continue;
  }
  pass += r.pass;
  fail += r.fail;
  console.log(`${basename(f)}: ${r.pass}/${r.pass + r.fail}${r.fail ? ' FAIL' : ''}`);
}
console.log(`total: ${pass}/${pass + fail}`);
