// The commands of a .wast script (spec interpreter's script syntax, extended by 3.0's
// `module definition` / `module instance`). Module bodies are kept unparsed, so that a
// runner can attribute a parse failure to the command that holds it.

import type { List } from './sexpr.js';

/** How a module is written in a script. */
export type ModuleSource =
  | { readonly kind: 'text'; readonly list: List }          // (module $id? field*)
  | { readonly kind: 'binary'; readonly bytes: Uint8Array } // (module $id? binary "..."*)
  | { readonly kind: 'quote'; readonly text: string };      // (module $id? quote "..."*)

export interface ScriptModule {
  /** `$id` of the module, when named. */
  readonly id?: string;
  readonly source: ModuleSource;
  /** 3.0: `(module definition ...)` defines without instantiating. */
  readonly definition: boolean;
  /** Character offset and 1-based line of the command, for reports. */
  readonly pos: number;
  readonly line: number;
}

/** A constant argument or expected result value. */
export type Value =
  | { readonly kind: 'i32'; readonly value: number }          // signed 32-bit
  | { readonly kind: 'i64'; readonly value: bigint }          // signed 64-bit
  | { readonly kind: 'f32'; readonly bits: number }           // u32 pattern
  | { readonly kind: 'f64'; readonly bits: bigint }           // u64 pattern
  | { readonly kind: 'v128'; readonly bytes: Uint8Array }     // 16 bytes
  | { readonly kind: 'ref.null'; readonly heap: string }      // heap type as written (func, extern, any, $t, ...)
  | { readonly kind: 'ref.extern'; readonly value: number }
  | { readonly kind: 'ref.host'; readonly value: number };

/** A float lane pattern in an expected result. */
export type FloatPattern =
  | { readonly kind: 'bits'; readonly bits: number | bigint }
  | { readonly kind: 'nan:canonical' }
  | { readonly kind: 'nan:arithmetic' };

/** An expected result. */
export type ResultPattern =
  | { readonly kind: 'value'; readonly value: Value }
  | { readonly kind: 'f32'; readonly pattern: FloatPattern }
  | { readonly kind: 'f64'; readonly pattern: FloatPattern }
  /** v128 written with lane shape; float lanes may be NaN patterns. */
  | { readonly kind: 'v128'; readonly shape: string; readonly lanes: readonly (FloatPattern | bigint)[] }
  /** A non-null reference of an abstract kind: ref.func, ref.extern (no payload), ref.any, ref.eq, ref.i31, ref.struct, ref.array, ref.exn, ref.host... */
  | { readonly kind: 'ref'; readonly heap: string; readonly value?: number }
  | { readonly kind: 'either'; readonly options: readonly ResultPattern[] };

export type Action =
  | { readonly kind: 'invoke'; readonly module?: string; readonly field: string; readonly args: readonly Value[] }
  | { readonly kind: 'get'; readonly module?: string; readonly field: string };

export type Command = { readonly line: number } & (
  | { readonly kind: 'module'; readonly module: ScriptModule }
  | { readonly kind: 'instance'; readonly id?: string; readonly definition?: string }
  | { readonly kind: 'register'; readonly as: string; readonly module?: string }
  | { readonly kind: 'action'; readonly action: Action }
  | { readonly kind: 'assert_return'; readonly action: Action; readonly results: readonly ResultPattern[] }
  | { readonly kind: 'assert_trap'; readonly action: Action; readonly message: string }
  | { readonly kind: 'assert_exhaustion'; readonly action: Action; readonly message: string }
  | { readonly kind: 'assert_exception'; readonly action: Action }
  | { readonly kind: 'assert_malformed'; readonly module: ScriptModule; readonly message: string }
  | { readonly kind: 'assert_invalid'; readonly module: ScriptModule; readonly message: string }
  | { readonly kind: 'assert_unlinkable'; readonly module: ScriptModule; readonly message: string }
  | { readonly kind: 'assert_uninstantiable'; readonly module: ScriptModule; readonly message: string }
  /** assert_trap on a module: instantiation traps (e.g. in the start function). */
  | { readonly kind: 'assert_module_trap'; readonly module: ScriptModule; readonly message: string }
  /** custom/ tests: malformed or invalid custom sections/annotations, which must not reject the module. */
  | { readonly kind: 'assert_malformed_custom' | 'assert_invalid_custom'; readonly module: ScriptModule; readonly message: string }
  /** threads proposal: `(thread $id (shared (module $m))* command*)` and `(wait $id)`. */
  | { readonly kind: 'thread'; readonly id: string; readonly shared: readonly string[]; readonly commands: readonly Command[] }
  | { readonly kind: 'wait'; readonly id: string }
);
