// Runs the module commands of a .wast script through the front end (text parser or binary
// decoder, then the validator) and compares each decision with what the script expects.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './suite.js';
import { type Features, WASM_3_0 } from '../../src/ast/features.js';
import { decodeModule } from '../../src/binary/decode.js';
import { CompileError } from '../../src/errors.js';
import type { Module } from '../../src/ast/module.js';
import { parseModule, parseWat } from '../../src/text/module.js';
import { parseScript } from '../../src/text/script.js';
import type { Command, ScriptModule } from '../../src/text/script-ast.js';
import { validateModule } from '../../src/validate/validate.js';

/** What the script says about a module. */
export type Expectation = 'valid' | 'malformed' | 'invalid' | 'custom';

/** Where a module was rejected, if it was. */
export type Outcome = 'valid' | 'malformed' | 'invalid' | 'crash';

export interface Decision {
  readonly line: number;
  readonly form: 'text' | 'binary' | 'quote';
  readonly expected: Expectation;
  readonly outcome: Outcome;
  /** The script's expected message (for rejections) and ours. */
  readonly expectedMessage?: string;
  readonly message?: string;
  readonly ok: boolean;
}

export interface FileResult {
  readonly file: string;
  /** Set when the script itself could not be parsed. */
  readonly scriptError?: string;
  readonly decisions: Decision[];
}

/** Parses or decodes a script module: a CompileError here means "malformed". */
export function loadScriptModule(sm: ScriptModule, features: Features = WASM_3_0): Module {
  switch (sm.source.kind) {
    case 'text': return parseModule(sm.source.list, features);
    case 'binary': return decodeModule(sm.source.bytes, features);
    case 'quote': return parseWat(sm.source.text, features);
  }
}

function expectationOf(cmd: Command): [ScriptModule, Expectation, string?] | undefined {
  switch (cmd.kind) {
    case 'module': return [cmd.module, 'valid'];
    case 'assert_malformed': return [cmd.module, 'malformed', cmd.message];
    case 'assert_invalid': return [cmd.module, 'invalid', cmd.message];
    case 'assert_unlinkable':
    case 'assert_uninstantiable':
    case 'assert_module_trap':
      return [cmd.module, 'valid'];
    // Malformed custom annotations or sections: a processor that does not interpret them (as
    // Kasane does not, beyond @custom) may accept or reject the rest; it must only not crash.
    case 'assert_malformed_custom':
    case 'assert_invalid_custom':
      return [cmd.module, 'custom', cmd.message];
    default: return undefined;
  }
}

function decide(sm: ScriptModule, features: Features, expected: Expectation, expectedMessage?: string, line = sm.line): Decision {
  const form = sm.source.kind;
  let outcome: Outcome;
  let message: string | undefined;
  let m: Module | undefined;
  try {
    m = loadScriptModule(sm, features);
  } catch (e) {
    outcome = e instanceof CompileError ? 'malformed' : 'crash';
    message = e instanceof Error ? e.message : String(e);
  }
  if (m) {
    try {
      validateModule(m, features);
      outcome = 'valid';
    } catch (e) {
      outcome = e instanceof CompileError ? 'invalid' : 'crash';
      message = e instanceof Error ? e.message : String(e);
    }
  }
  // A binary module's code is decoded lazily, during validation, so a malformed function body
  // is found by the validator: for binary modules either rejection satisfies assert_malformed.
  // Text modules must be rejected by the parser itself.
  const ok =
    outcome! === expected ||
    (expected === 'custom' && outcome! !== 'crash') ||
    (expected === 'malformed' && form === 'binary' && outcome! === 'invalid');
  return { line, form, expected, outcome: outcome!, expectedMessage, message, ok };
}

function collect(cmds: readonly Command[], features: Features, out: Decision[]): void {
  for (const cmd of cmds) {
    if (cmd.kind === 'thread') {
      collect(cmd.commands, features, out);
      continue;
    }
    const e = expectationOf(cmd);
    if (e) out.push(decide(e[0], features, e[1], e[2], cmd.line));
  }
}

/** Checks every module of one script against the language version given by `features`. */
export function checkFile(file: string, name = file, features: Features = WASM_3_0): FileResult {
  let cmds: Command[];
  try {
    cmds = parseScript(readFileSync(file, 'utf8'));
  } catch (e) {
    return { file: name, scriptError: e instanceof Error ? e.message : String(e), decisions: [] };
  }
  const decisions: Decision[] = [];
  collect(cmds, features, decisions);
  return { file: name, decisions };
}

/** A stable key for a failing decision, used by the known-failures list. */
export function failureKey(r: FileResult, d: Decision): string {
  return `${r.file}:${d.line}`;
}

/** Decisions known to differ from the suite, each listed with its reason (see the file). */
export function knownFailures(): Set<string> {
  const path = join(repoRoot, 'test', 'spec', 'known-validity-failures.txt');
  if (!existsSync(path)) return new Set();
  return new Set(
    readFileSync(path, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l.length > 0),
  );
}
