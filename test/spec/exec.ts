// The spec suite's execution runner, on Kasane's JS API (src/api): modules are compiled and
// instantiated with WebAssembly.Module/Instance, registered modules are import-object entries,
// and actions call the engine's FuncRef directly with internal values (as the reference
// harness does) so that v128 values and exact NaN payloads need not cross the JS boundary.
// assert_malformed/assert_invalid are the validity runner's (validity.ts) and are skipped here.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './suite.js';
import { type Features, WASM_3_0 } from '../../src/ast/features.js';
import { encodeModule } from '../../src/binary/encode.js';
import { LinkError, RuntimeError } from '../../src/errors.js';
import { parseModule, parseWat } from '../../src/text/module.js';
import { parseScript } from '../../src/text/script.js';
import type { Action, Command, FloatPattern, ResultPattern, ScriptModule, Value } from '../../src/text/script-ast.js';
import type { FuncRef } from '../../src/engine/types.js';
import { anyKind, externalize, internalize } from '../../src/engine/gc.js';
import { f32Bits, f32FromBits, f64Bits, f64FromBits } from '../../src/engine/runtime.js';
import { type V128, v128FromBytes, v128ToBytes } from '../../src/engine/simd.js';
import { internals, type Module as WasmModule, WebAssembly } from '../../src/api/namespace.js';

export type Status = 'pass' | 'fail' | 'skip';

export interface Outcome {
  readonly line: number;
  readonly command: string;
  readonly status: Status;
  readonly message?: string;
}

export interface ExecFileResult {
  readonly file: string;
  readonly scriptError?: string;
  readonly outcomes: Outcome[];
}

/** The `spectest` module of the reference interpreter, as a Wasm module (so imports are type-checked). */
const SPECTEST_WAT = `(module
  (func (export "print"))
  (func (export "print_i32") (param i32))
  (func (export "print_i64") (param i64))
  (func (export "print_f32") (param f32))
  (func (export "print_f64") (param f64))
  (func (export "print_i32_f32") (param i32 f32))
  (func (export "print_f64_f64") (param f64 f64))
  (global (export "global_i32") i32 (i32.const 666))
  (global (export "global_i64") i64 (i64.const 666))
  (global (export "global_f32") f32 (f32.const 666.6))
  (global (export "global_f64") f64 (f64.const 666.6))
  (table (export "table") 10 20 funcref)
  (table (export "table64") i64 10 20 funcref)
  (memory (export "memory") 1 2)
  (memory (export "shared_memory") 1 2 shared))`;

let spectestModule: WasmModule | undefined;

function spectest(): object {
  spectestModule ??= new WebAssembly.Module(encodeModule(parseWat(SPECTEST_WAT)));
  return new WebAssembly.Instance(spectestModule, {}).exports;
}

/**
 * Host references: one distinct object per number. `ref.extern N` is host value N as an
 * externref and `ref.host N` the same value inside the any hierarchy (internalized), as in
 * the reference interpreter.
 */
const externs = new Map<number, object>();
function hostRef(_kind: string, n: number): object {
  let o = externs.get(n);
  if (!o) externs.set(n, (o = { host: n }));
  return o;
}

class Failure extends Error {}

function moduleBytes(sm: ScriptModule, features: Features): Uint8Array {
  switch (sm.source.kind) {
    case 'binary': return sm.source.bytes;
    case 'text': return encodeModule(parseModule(sm.source.list, features));
    case 'quote': return encodeModule(parseWat(sm.source.text, features));
  }
}

function argValue(v: Value): unknown {
  switch (v.kind) {
    case 'i32': return v.value | 0;
    case 'i64': return BigInt.asIntN(64, v.value);
    case 'f32': return f32FromBits(v.bits | 0);
    case 'f64': return f64FromBits(BigInt.asIntN(64, v.bits));
    case 'v128': return v128FromBytes(v.bytes);
    case 'ref.null': return null;
    case 'ref.extern': return hostRef('extern', v.value);
    case 'ref.host': return internalize(hostRef('host', v.value));
  }
}

function floatMatches(p: FloatPattern, bits: number | bigint, width: 32 | 64): boolean {
  if (width === 32) {
    const b = Number(bits) | 0;
    switch (p.kind) {
      case 'nan:canonical': return (b & 0x7fffffff) === 0x7fc00000;
      case 'nan:arithmetic': return (b & 0x7fc00000) === 0x7fc00000;
      default: return (Number(p.bits) | 0) === b;
    }
  }
  const b = BigInt.asUintN(64, BigInt(bits));
  switch (p.kind) {
    case 'nan:canonical': return (b & 0x7fffffffffffffffn) === 0x7ff8000000000000n;
    case 'nan:arithmetic': return (b & 0x7ff8000000000000n) === 0x7ff8000000000000n;
    default: return BigInt.asUintN(64, BigInt(p.bits)) === b;
  }
}

function isFuncRef(r: unknown): r is FuncRef {
  return typeof r === 'object' && r !== null && typeof (r as FuncRef).call === 'function' && typeof (r as FuncRef).typeId === 'number';
}

function show(r: unknown): string {
  if (typeof r === 'bigint') return `${r}n`;
  if (typeof r === 'number') return Object.is(r, -0) ? '-0' : r !== r ? `NaN(f64 bits 0x${BigInt.asUintN(64, f64Bits(r)).toString(16)})` : String(r);
  if (r === null) return 'null';
  if (r === undefined) return 'undefined';
  if (isFuncRef(r)) return `funcref ${r.name ?? ''}`;
  if (typeof r === 'object' && r && 'a' in r && 'd' in r) return `v128 ${Array.from(v128ToBytes(r as V128)).map((x) => x.toString(16).padStart(2, '0')).join(' ')}`;
  try {
    return JSON.stringify(r) ?? String(r);
  } catch {
    return String(r);
  }
}

function matches(p: ResultPattern, r: unknown): boolean {
  switch (p.kind) {
    case 'value': {
      const v = p.value;
      switch (v.kind) {
        case 'i32': return typeof r === 'number' && (r | 0) === (v.value | 0);
        case 'i64': return typeof r === 'bigint' && BigInt.asIntN(64, r) === BigInt.asIntN(64, v.value);
        case 'f32': return typeof r === 'number' && floatMatches({ kind: 'bits', bits: v.bits }, f32Bits(r), 32);
        case 'f64': return typeof r === 'number' && floatMatches({ kind: 'bits', bits: v.bits }, f64Bits(r), 64);
        case 'v128': {
          if (typeof r !== 'object' || r === null) return false;
          const b = v128ToBytes(r as V128);
          return b.every((x, i) => x === v.bytes[i]);
        }
        case 'ref.null': return r === null;
        case 'ref.extern': return r === hostRef('extern', v.value);
        case 'ref.host': return r === hostRef('host', v.value) || externalize(r) === hostRef('host', v.value);
      }
      return false;
    }
    case 'f32': return typeof r === 'number' && floatMatches(p.pattern, f32Bits(r), 32);
    case 'f64': return typeof r === 'number' && floatMatches(p.pattern, f64Bits(r), 64);
    case 'v128': {
      if (typeof r !== 'object' || r === null) return false;
      const bytes = v128ToBytes(r as V128);
      const dv = new DataView(bytes.buffer, bytes.byteOffset, 16);
      const n = p.lanes.length;
      const width = 128 / n;
      for (let i = 0; i < n; i++) {
        const lane = p.lanes[i]!;
        if (typeof lane === 'bigint') {
          let got: bigint;
          switch (width) {
            case 8: got = BigInt(dv.getUint8(i)); break;
            case 16: got = BigInt(dv.getUint16(i * 2, true)); break;
            case 32: got = BigInt(dv.getUint32(i * 4, true)); break;
            default: got = dv.getBigUint64(i * 8, true); break;
          }
          if (got !== BigInt.asUintN(width, lane)) return false;
        } else if (width === 32) {
          if (!floatMatches(lane, dv.getUint32(i * 4, true), 32)) return false;
        } else if (!floatMatches(lane, dv.getBigUint64(i * 8, true), 64)) return false;
      }
      return true;
    }
    case 'ref': {
      if (r === null) return false;
      switch (p.heap) {
        case 'func': return isFuncRef(r);
        case 'extern': return p.value === undefined ? !isFuncRef(r) : r === hostRef('extern', p.value);
        case 'host': return p.value === undefined ? true : r === hostRef('host', p.value);
        // GC references (engine/gc.ts): i31 numbers, structs and arrays with a run-time type.
        case 'i31': case 'struct': case 'array': return !isFuncRef(r) && anyKind(r) === p.heap;
        case 'eq': return !isFuncRef(r) && anyKind(r) !== 'host';
        default: return true;
      }
    }
    case 'either': return p.options.some((o) => matches(o, r));
  }
}

function isRuntimeError(e: unknown): boolean {
  return e instanceof RuntimeError || e instanceof WebAssembly.RuntimeError;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/** Runs one script; each module command and assertion is one outcome. */
class Runner {
  private readonly registry: Record<string, object> = {};
  private readonly instances = new Map<string, Record<string, unknown>>();
  private readonly definitions = new Map<string, WasmModule>();
  private current: Record<string, unknown> | undefined;
  readonly outcomes: Outcome[] = [];
  /** The import object: registered modules, and an empty namespace for any other name (so missing imports are LinkErrors). */
  private readonly imports: object;

  constructor(private readonly features: Features) {
    this.registry.spectest = spectest();
    this.imports = new Proxy(this.registry, {
      get: (t, k) => (typeof k === 'string' ? (t[k] ?? {}) : undefined),
    });
  }

  private record(cmd: Command, status: Status, message?: string): void {
    this.outcomes.push({ line: cmd.line, command: cmd.kind, status, message });
  }

  private compile(sm: ScriptModule): WasmModule {
    return new WebAssembly.Module(moduleBytes(sm, this.features));
  }

  private instantiate(m: WasmModule): Record<string, unknown> {
    return new WebAssembly.Instance(m, this.imports).exports as Record<string, unknown>;
  }

  private target(name: string | undefined): Record<string, unknown> {
    const t = name === undefined ? this.current : this.instances.get(name);
    if (!t) throw new Failure(name === undefined ? 'no current module' : `unknown module ${name}`);
    return t;
  }

  /** Performs an action; returns the results as an array of internal values. */
  private act(a: Action): unknown[] {
    const exports = this.target(a.module);
    const v = exports[a.field];
    if (a.kind === 'get') {
      const g = internals.globalObjectOf(v);
      if (!g) throw new Failure(`export "${a.field}" is not a global`);
      return [g.value];
    }
    const f = internals.funcRefOf(v);
    if (!f) throw new Failure(`export "${a.field}" is not a function`);
    // V8 quiets signalling NaNs stored in arrays of doubles (and in spread or rest arguments),
    // so values travel in arrays of generic elements and calls have a fixed arity.
    const args = genericArray();
    for (const v of a.args) args.push(argValue(v));
    const r = callFixed(f.call, args);
    const n = f.type.results.length;
    const out = genericArray();
    if (n === 1) out.push(r);
    else if (n > 1) for (let i = 0; i < n; i++) out.push((r as unknown[])[i]);
    return out;
  }

  run(cmds: readonly Command[]): void {
    for (const cmd of cmds) {
      try {
        this.command(cmd);
      } catch (e) {
        this.record(cmd, 'fail', e instanceof Failure ? e.message : `unexpected ${errorText(e)}`);
      }
    }
  }

  private command(cmd: Command): void {
    switch (cmd.kind) {
      case 'module': {
        const m = this.compile(cmd.module);
        if (cmd.module.definition) {
          if (cmd.module.id) this.definitions.set(cmd.module.id, m);
        } else {
          this.current = undefined;
          const exports = this.instantiate(m);
          this.current = exports;
          if (cmd.module.id) this.instances.set(cmd.module.id, exports);
        }
        this.record(cmd, 'pass');
        return;
      }
      case 'instance': {
        const d = cmd.definition === undefined ? undefined : this.definitions.get(cmd.definition);
        if (!d) throw new Failure(`unknown module definition ${cmd.definition ?? ''}`);
        const exports = this.instantiate(d);
        this.current = exports;
        if (cmd.id) this.instances.set(cmd.id, exports);
        this.record(cmd, 'pass');
        return;
      }
      case 'register': {
        this.registry[cmd.as] = this.target(cmd.module);
        return;
      }
      case 'action':
        this.act(cmd.action);
        this.record(cmd, 'pass');
        return;
      case 'assert_return': {
        const got = this.act(cmd.action);
        const want = cmd.results;
        if (got.length !== want.length || !want.every((p, i) => matches(p, got[i]))) {
          throw new Failure(`${actionName(cmd.action)}: got [${got.map(show).join(', ')}], expected ${want.length} result(s) ${JSON.stringify(want, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Array.from(v) : v))}`);
        }
        this.record(cmd, 'pass');
        return;
      }
      case 'assert_trap':
      case 'assert_exhaustion': {
        let got: unknown[];
        try {
          got = this.act(cmd.action);
        } catch (e) {
          if (e instanceof Failure) throw e;
          const ok = isRuntimeError(e) || (cmd.kind === 'assert_exhaustion' && e instanceof RangeError);
          if (!ok) throw new Failure(`${actionName(cmd.action)}: expected trap "${cmd.message}", got ${errorText(e)}`);
          this.record(cmd, 'pass');
          return;
        }
        throw new Failure(`${actionName(cmd.action)}: expected trap "${cmd.message}", returned [${got.map(show).join(', ')}]`);
      }
      case 'assert_unlinkable':
      case 'assert_uninstantiable':
      case 'assert_module_trap': {
        const m = this.compile(cmd.module);
        try {
          this.instantiate(m);
        } catch (e) {
          const ok = cmd.kind === 'assert_unlinkable' ? e instanceof LinkError : isRuntimeError(e);
          if (!ok) throw new Failure(`expected ${cmd.kind === 'assert_unlinkable' ? 'LinkError' : 'RuntimeError'} ("${cmd.message}"), got ${errorText(e)}`);
          this.record(cmd, 'pass');
          return;
        }
        throw new Failure(`expected instantiation to fail ("${cmd.message}"), but it succeeded`);
      }
      case 'assert_exception': {
        let got: unknown[];
        try {
          got = this.act(cmd.action);
        } catch (e) {
          if (e instanceof Failure) throw e;
          if (!(e instanceof WebAssembly.Exception)) throw new Failure(`${actionName(cmd.action)}: expected a Wasm exception, got ${errorText(e)}`);
          this.record(cmd, 'pass');
          return;
        }
        throw new Failure(`${actionName(cmd.action)}: expected a Wasm exception, returned [${got.map(show).join(', ')}]`);
      }
      case 'thread':
      case 'wait':
      case 'assert_malformed':
      case 'assert_invalid':
      case 'assert_malformed_custom':
      case 'assert_invalid_custom':
        this.record(cmd, 'skip');
        return;
    }
  }
}

function actionName(a: Action): string {
  return a.kind === 'get' ? `get ${a.field}` : `${a.field}(${a.args.map((v) => show(argValue(v))).join(', ')})`;
}

/** Runs every command of one script file. */
export function runFile(file: string, name = file, features: Features = WASM_3_0): ExecFileResult {
  return runScript(readFileSync(file, 'utf8'), name, features);
}

/** Runs every command of a script's source (no file system: the browser tests run it in a page). */
export function runScript(source: string, name: string, features: Features = WASM_3_0): ExecFileResult {
  let cmds: Command[];
  try {
    cmds = parseScript(source);
  } catch (e) {
    return { file: name, scriptError: e instanceof Error ? e.message : String(e), outcomes: [] };
  }
  const runner = new Runner(features);
  runner.run(cmds);
  return { file: name, outcomes: runner.outcomes };
}

export function failureKey(r: ExecFileResult, o: Outcome): string {
  return `${r.file}:${o.line}`;
}

export const KNOWN_EXEC_FAILURES = join(repoRoot, 'test', 'spec', 'known-exec-failures.txt');

/** Outcomes known to fail with the current engine (see the file). */
export function knownExecFailures(): Set<string> {
  if (!existsSync(KNOWN_EXEC_FAILURES)) return new Set();
  return new Set(
    readFileSync(KNOWN_EXEC_FAILURES, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l.length > 0),
  );
}

export interface Totals { files: number; passed: number; failed: number; skipped: number }

export function totalsOf(results: readonly ExecFileResult[]): Totals {
  const t: Totals = { files: results.length, passed: 0, failed: 0, skipped: 0 };
  for (const r of results) {
    if (r.scriptError) t.failed++;
    for (const o of r.outcomes) {
      if (o.status === 'pass') t.passed++;
      else if (o.status === 'fail') t.failed++;
      else t.skipped++;
    }
  }
  return t;
}

/** An empty array whose elements kind is already generic, so doubles keep their NaN bits. */
function genericArray(): unknown[] {
  const a: unknown[] = [''];
  a.pop();
  return a;
}

function callFixed(f: (...args: unknown[]) => unknown, a: unknown[]): unknown {
  switch (a.length) {
    case 0: return f();
    case 1: return f(a[0]);
    case 2: return f(a[0], a[1]);
    case 3: return f(a[0], a[1], a[2]);
    case 4: return f(a[0], a[1], a[2], a[3]);
    case 5: return f(a[0], a[1], a[2], a[3], a[4]);
    case 6: return f(a[0], a[1], a[2], a[3], a[4], a[5]);
    default: return f(...a);
  }
}
