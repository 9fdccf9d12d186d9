#!/usr/bin/env node
// The `kasane` command. Thin by design: reading and writing files, argument parsing and error
// reporting live here; everything else is the library (src/index.ts).

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { encodeModule, loadModule, printModule, decodeModule, CompileError, binaryLayer, decodeComponent, validateComponent } from '../index.js';
import { runEntry } from './run.js';
import { bindgenEntry } from './bindgen.js';
import { serveEntry } from './serve.js';

/** A failure to report as `kasane: <subject>: <message>` with exit status 1. */
class UsageError extends Error {
  constructor(readonly subject: string | undefined, message: string) {
    super(message);
  }
}

interface Args {
  positional: string[];
  output?: string;
}

interface Command {
  readonly usage: string;
  readonly summary: string;
  /** Number of positional arguments the command takes. */
  readonly arity: number;
  readonly flags: readonly string[];
  run(args: Args): number;
  /** For commands that parse their own arguments (run). */
  runArgv?(argv: string[]): number;
}

function readInput(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(file, ioMessage(e));
  }
}

function writeOutput(file: string, data: Uint8Array | string): void {
  try {
    writeFileSync(file, data);
  } catch (e) {
    throw new UsageError(file, ioMessage(e));
  }
}

function ioMessage(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/** Runs a library step on a file, attributing a CompileError to that file. */
function onFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CompileError) throw new UsageError(file, e.message);
    throw e;
  }
}

const commands: Record<string, Command> = {
  validate: {
    usage: 'validate FILE',
    summary: 'check that a .wasm or .wat module (or a component) is well-formed and valid',
    arity: 1,
    flags: [],
    run({ positional: [file] }) {
      const bytes = readInput(file);
      onFile(file, () => (binaryLayer(bytes) === 'component' ? validateComponent(decodeComponent(bytes)) : loadModule(bytes)));
      process.stdout.write('valid\n');
      return 0;
    },
  },
  wat2wasm: {
    usage: 'wat2wasm FILE [-o OUT]',
    summary: 'translate a text module to binary (default OUT: FILE with .wasm), validating it',
    arity: 1,
    flags: ['-o'],
    run({ positional: [file], output }) {
      const bytes = readInput(file);
      const wasm = onFile(file, () => encodeModule(loadModule(bytes)));
      writeOutput(output ?? file.replace(/\.[^./\\]*$/, '') + '.wasm', wasm);
      return 0;
    },
  },
  wasm2wat: {
    usage: 'wasm2wat FILE [-o OUT]',
    summary: 'print a binary module in the text format (default: to standard output)',
    arity: 1,
    flags: ['-o'],
    run({ positional: [file], output }) {
      const bytes = readInput(file);
      const text = onFile(file, () => printModule(decodeModule(bytes)));
      if (output === undefined) process.stdout.write(text);
      else writeOutput(output, text);
      return 0;
    },
  },
  run: runEntry,
  bindgen: bindgenEntry,
  serve: serveEntry,
};

function version(): string {
  // package.json sits three levels above dist/src/cli/main.js.
  try {
    const here = dirname(fileURLToPath(import.meta.url));
    const pkg = JSON.parse(readFileSync(join(here, '..', '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function help(): string {
  const lines = ['Usage: kasane COMMAND [ARGS]', '', 'Commands:'];
  for (const c of Object.values(commands)) lines.push(`  ${c.usage.padEnd(26)}${c.summary}`);
  lines.push('', 'Options:', '  -h, --help                show this help', '  -V, --version             show the version');
  return lines.join('\n') + '\n';
}

function parseArgs(cmd: Command, argv: string[]): Args {
  const args: Args = { positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-o' && cmd.flags.includes('-o')) {
      if (i + 1 >= argv.length) throw new UsageError(undefined, 'option -o needs an argument');
      args.output = argv[++i];
    } else if (a.startsWith('-') && a !== '-' && a !== '--') {
      throw new UsageError(undefined, `unknown option '${a}'`);
    } else {
      args.positional.push(a);
    }
  }
  if (args.positional.length !== cmd.arity) {
    throw new UsageError(undefined, `usage: kasane ${cmd.usage}`);
  }
  return args;
}

export function main(argv: string[]): number {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      process.stdout.write(help());
      return name === undefined ? 2 : 0;
    }
    if (name === '-V' || name === '--version') {
      process.stdout.write(`kasane ${version()}\n`);
      return 0;
    }
    const cmd = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
    if (!cmd) throw new UsageError(undefined, `unknown command '${name}' (see kasane --help)`);
    return cmd.runArgv ? cmd.runArgv(rest) : cmd.run(parseArgs(cmd, rest));
  } catch (e) {
    const msg = e instanceof UsageError
      ? (e.subject !== undefined ? `${e.subject}: ` : '') + e.message
      : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    process.stderr.write(`kasane: ${msg.split('\n')[0]}\n`);
    return e instanceof UsageError ? 1 : 70;
  }
}

// A closed pipe (`kasane wasm2wat x.wasm | head`) ends the output; it is not an error worth a trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`kasane: ${e.message}\n`);
  process.exit(1);
});

process.exitCode = main(process.argv.slice(2));
