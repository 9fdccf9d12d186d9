// `kasane bindgen [--world W] [--features F,..|--all-features] [-o DIR] WIT`: TypeScript
// declarations for a world (jco's `types` layout). WIT is a .wit file or a directory with its
// dependencies in deps/. Thin: reading, writing and errors here; the rest is src/wit.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateTypeScript } from '../wit/bindgen-ts.js';
import { resolveWit, selectWorld, type ResolveOptions } from '../wit/resolve.js';
import { WitError } from '../wit/source.js';
import { readWitPath } from '../host/wit-dir.js';

const USAGE = 'usage: kasane bindgen [--world WORLD] [--features F,...|--all-features] [-o DIR] WIT';

const HELP = `Usage: kasane bindgen [OPTIONS] WIT

Writes TypeScript declarations (.d.ts) for a world of WIT, as jco's \`types\` command does: the
world's file and one file per interface under interfaces/. WIT is a .wit file or a directory
whose deps/ folder holds the packages it uses.

Options:
  --world WORLD       the world: a name in the root package or ns:pkg/world[@version]
                      (default: the root package's only world)
  --features F,...    keep items gated by @unstable(feature = F)
  --all-features      keep every @unstable item
  -o DIR              write the files into DIR (default: print them to standard output)
`;

function fail(message: string): number {
  process.stderr.write(`kasane: ${message.split('\n')[0]}\n`);
  return 1;
}

export function bindgenMain(argv: string[]): number {
  let world: string | undefined;
  let out: string | undefined;
  let features: ResolveOptions['features'];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageFailure(`option ${a} needs an argument`);
      return argv[++i];
    };
    try {
      if (a === '-h' || a === '--help') { process.stdout.write(HELP); return 0; }
      if (a === '--world') world = value();
      else if (a === '-o' || a === '--out-dir') out = value();
      else if (a === '--features') features = value().split(',').filter((f) => f !== '');
      else if (a === '--all-features') features = 'all';
      else if (a.startsWith('-') && a !== '-') return fail(`unknown option '${a}'`);
      else positional.push(a);
    } catch (e) {
      if (e instanceof UsageFailure) return fail(e.message);
      throw e;
    }
  }
  if (positional.length !== 1) return fail(USAGE);
  const path = positional[0];
  let files: Record<string, string>;
  try {
    const wit = resolveWit(readWitPath(path), { features });
    files = generateTypeScript(selectWorld(wit, world));
  } catch (e) {
    if (e instanceof WitError) return fail(e.message);
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return fail(`${path}: no such file or directory`);
    throw e;
  }
  if (out === undefined) {
    for (const [name, text] of Object.entries(files)) process.stdout.write(`// ---- ${name}\n${text}`);
    return 0;
  }
  try {
    for (const [name, text] of Object.entries(files)) {
      const p = join(out, name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
    }
  } catch (e) {
    return fail(`${out}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return 0;
}

class UsageFailure extends Error {}

export const bindgenEntry = {
  usage: 'bindgen [OPTS] WIT',
  summary: 'TypeScript declarations for a WIT world (as jco types); see kasane bindgen --help',
  arity: -1,
  flags: [] as readonly string[],
  run(): number { throw new Error('kasane bindgen parses its own arguments'); },
  runArgv: bindgenMain,
};
