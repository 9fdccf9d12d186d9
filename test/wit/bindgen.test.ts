// TypeScript bindings: the generated files for wasi:cli/command and the kitchen-sink world,
// type-checked with tsc against code that uses them, and compared with jco's `types` output.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateTypeScript, camelCase, upperCamelCase } from '../../src/wit/bindgen-ts.js';
import { resolveWit, resolveWitText, selectWorld } from '../../src/wit/resolve.js';
import { readWitPath } from '../../src/host/wit-dir.js';
import { BUILTIN, KITCHEN, builtinGroups, repoRoot } from './helpers.js';

const TSC = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

const work = mkdtempSync(join(tmpdir(), 'kasane-bindgen-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** wasi:cli@0.2.12 as a directory with its dependencies in deps/. */
function cliDir(): string {
  const dir = join(work, 'wasi-cli');
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(BUILTIN, '0.2.12', 'wasi-cli'), dir, { recursive: true });
  for (const p of ['io', 'clocks', 'filesystem', 'sockets', 'random']) cpSync(join(BUILTIN, '0.2.12', `wasi-${p}`), join(dir, 'deps', p), { recursive: true });
  return dir;
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** Runs tsc (strict, no emit) on a directory; returns its diagnostics. */
function typecheck(dir: string): { status: number | null; output: string } {
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: [], skipLibCheck: false },
    include: ['**/*.ts'],
  }));
  const r = spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

test('names: camelCase and UpperCamelCase as jco writes them', () => {
  assert.equal(camelCase('get-arguments'), 'getArguments');
  assert.equal(camelCase('parse-XML-document'), 'parseXmlDocument');
  assert.equal(upperCamelCase('ipv4-address'), 'Ipv4Address');
  assert.equal(upperCamelCase('wasi:cli/environment@0.2.12'), 'WasiCliEnvironment0212');
});

test('wasi:cli/command: the world file and one file per interface', () => {
  const files = generateTypeScript(selectWorld(resolveWit(readWitPath(cliDir())), 'command'));
  const names = Object.keys(files);
  assert.equal(names[0], 'command.d.ts');
  assert.equal(names.length, 1 + 28);
  const world = files['command.d.ts'];
  assert.match(world, /^\/\/ world wasi:cli\/command@0\.2\.12\n/);
  assert.match(world, /export type \* as WasiIoStreams0212 from '\.\/interfaces\/wasi-io-streams\.js'; \/\/ import wasi:io\/streams@0\.2\.12\n/);
  assert.match(world, /export \* as run from '\.\/interfaces\/wasi-cli-run\.js'; \/\/ export wasi:cli\/run@0\.2\.12\n$/);
  const streams = files['interfaces/wasi-io-streams.d.ts'];
  assert.match(streams, /export type Error = import\('\.\/wasi-io-error\.js'\)\.Error;/);
  assert.match(streams, /export interface StreamErrorLastOperationFailed \{\n {2}tag: 'last-operation-failed',\n {2}val: Error,\n\}/);
  assert.match(streams, /export class OutputStream \{\n[^}]*private constructor\(\);\n {2}checkWrite\(\): bigint;\n {2}write\(contents: Uint8Array\): void;/);
  assert.match(files['interfaces/wasi-io-poll.d.ts'], /export function poll\(in_: Array<Pollable>\): Uint32Array;/);
  assert.match(files['interfaces/wasi-cli-exit.d.ts'], /export function exit\(status: Result<void, void>\): void;[^]*export type Result<T, E> = \{ tag: 'ok', val: T \} \| \{ tag: 'err', val: E \};\n$/);
  assert.match(files['interfaces/wasi-filesystem-types.d.ts'], /export function filesystemErrorCode\(err: Error\): ErrorCode \| undefined;/);
});

test('the generated declarations type-check, and code using them is checked against them', () => {
  const dir = join(work, 'check-cli');
  writeFiles(dir, generateTypeScript(selectWorld(resolveWit(readWitPath(cliDir())), 'command')));
  writeFileSync(join(dir, 'use.ts'), `
import type * as Env from './interfaces/wasi-cli-environment.js';
import type { Descriptor, DescriptorStat } from './interfaces/wasi-filesystem-types.js';
import type * as Command from './command.js';
declare const env: typeof Env;
declare const run: typeof Command.run;
declare const d: Descriptor;
const args: string[] = env.getArguments();
const vars: Array<[string, string]> = env.getEnvironment();
const stat: DescriptorStat = d.stat();
const size: bigint = stat.size;
run.run();
// @ts-expect-error: sizes are BigInt
const n: number = stat.size;
// @ts-expect-error: no public constructor
new (null as unknown as typeof Descriptor)();
export { args, vars, size, n };
`);
  const r = typecheck(dir);
  assert.equal(r.status, 0, r.output);
});

test('the kitchen-sink world: every WIT type, type-checked', () => {
  const files = generateTypeScript(selectWorld(resolveWit(readWitPath(KITCHEN)), 'kitchen'));
  const types = files['interfaces/kasane-kitchen-types.d.ts'];
  assert.match(types, /export type Color = 'red' \| 'green' \| 'blue-ish';/);
  assert.match(types, /export interface Permissions \{\n {2}read\?: boolean,\n {2}write\?: boolean,\n {2}exec\?: boolean,\n\}/);
  assert.match(types, /export type Ids = BigUint64Array;/);
  assert.match(types, /export class Counter \{\n[^]*constructor\(start: number\)\n[^]*add\(n: number\): number;\n {2}get\(\): number;\n {2}static merge\(a: Counter, b: Counter\): Counter;\n\}/);
  const all = files['interfaces/kasane-kitchen-all.d.ts'];
  assert.match(all, /export type Err = import\('\.\/kasane-kitchen-types\.js'\)\.ErrorCode;/);
  assert.match(all, /maybe\?: number,\n {2}maybeMaybe: Option<number \| undefined>,/);
  assert.match(all, /export function lookup\(key: string\): Point;/);
  assert.match(all, /export function fixed\(addr: \[number,number,number,number\]\): \[number,number,number,number\];/);
  const world = files['kitchen.d.ts'];
  assert.match(world, /export function run\(args: Array<string>\): void;\nexport function version\(\): \[number, number, number\];\nexport type Result<T, E> = /);
  assert.match(world, /\/\/ import log: func\(msg: string\)/);

  const asyncFiles = generateTypeScript(selectWorld(resolveWit(readWitPath(KITCHEN)), 'kitchen-async'));
  const streams = asyncFiles['interfaces/kasane-kitchen-streams.d.ts'];
  assert.match(streams, /export function produce\(n: number\): Promise<AsyncIterable<number>>;/);
  assert.match(streams, /export function later\(\): PromiseLike<Result<string, string>>;/);
  assert.match(streams, /export function ticks\(\): AsyncIterable<void>;/);

  const dir = join(work, 'check-kitchen');
  writeFiles(dir, files);
  writeFiles(dir, Object.fromEntries(Object.entries(asyncFiles).map(([k, v]) => [`async/${k}`, v])));
  writeFileSync(join(dir, 'use.ts'), `
import type * as World from './kitchen.js';
import type { Everything, Point } from './interfaces/kasane-kitchen-all.js';
import type { Counter, Shape, Blob } from './interfaces/kasane-kitchen-types.js';
declare const all: typeof World.all;
declare const run: typeof World.run;
declare const CounterClass: typeof Counter;
declare const BlobClass: typeof Blob;
const p: Point = { x: 1, y: 2 };
const shapes: Shape[] = [{ tag: 'empty' }, { tag: 'circle', val: 1.5 }, { tag: 'polygon', val: [p] }, { tag: 'labelled', val: ['a', 'b'] }];
const e: Everything = {
  b: true, aS8: -1, aU8: 1, aS16: -1, aU16: 1, aS32: -1, aU32: 1, aS64: -1n, aU64: 1n, aF32: 0.5, aF64: NaN,
  c: 'x', s: 'str', bytes: new Uint8Array(2), words: new Uint32Array(1), longs: new BigInt64Array(1), floats: new Float64Array(1),
  names: ['a'], pair: [1, 'b'], maybeMaybe: { tag: 'some', val: undefined },
  res: { tag: 'err', val: 'no' }, okOnly: { tag: 'ok', val: 1 }, errOnly: { tag: 'err', val: 'denied' }, neither: { tag: 'ok', val: undefined },
  p, col: 'blue-ish', perms: { read: true }, sh: shapes[3], i: 1n, is: new BigUint64Array(0),
};
const back: Everything = all.echo(e);
const found: Point = all.lookup('k');
const maybe: Point | undefined = all.first([p]);
const c: Counter = new CounterClass(1);
const total: number = c.add(2);
const merged: Counter = CounterClass.merge(c, c);
const blob: Blob = new BlobClass(new Uint8Array(1));
const code: void = run(['a']);
// @ts-expect-error: 64-bit integers are BigInt
const wrongInt: Everything['aU64'] = 1;
// @ts-expect-error: not a case of the enum
const wrongEnum: Everything['col'] = 'purple';
// @ts-expect-error: variant payload of the wrong type
const wrongCase: Shape = { tag: 'circle', val: 'round' };
// @ts-expect-error: constructor takes its parameters
const wrongCtor = new CounterClass();
export { back, found, maybe, total, merged, blob, code, wrongInt, wrongEnum, wrongCase, wrongCtor };
`);
  const r = typecheck(dir);
  assert.equal(r.status, 0, r.output);
});

test('bindings for every world jco ships (WASI 0.2.10, 0.2.12, 0.3.0, wasi-tls; all features) type-check', () => {
  const { resolve: r } = resolveWit(builtinGroups(), { features: 'all' });
  const dir = join(work, 'all-worlds');
  let worlds = 0;
  for (const p of r.packages) {
    for (const w of p.worlds.values()) {
      writeFiles(join(dir, `${p.name.namespace}-${p.name.name}-${p.name.version}-${w.name}`), generateTypeScript(w));
      worlds++;
    }
  }
  assert.ok(worlds >= 18, `${worlds} worlds`);
  const result = typecheck(dir);
  assert.equal(result.status, 0, result.output);
});

test('kasane bindgen writes the files; errors are one line with file:line:column', () => {
  const bin = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
  const out = join(work, 'cli-out');
  const ok = spawnSync(process.execPath, [bin, 'bindgen', '--world', 'kitchen', '-o', out, KITCHEN], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(readdirSync(join(out, 'interfaces')).sort(), ['host.d.ts', 'kasane-kitchen-all.d.ts', 'kasane-kitchen-types.d.ts']);
  assert.match(readFileSync(join(out, 'kitchen.d.ts'), 'utf8'), /^\/\/ world kasane:kitchen\/kitchen@1\.2\.0/);
  const bad = join(work, 'bad.wit');
  writeFileSync(bad, 'package a:b;\nworld w {\n  import f: func(x: nope);\n}\n');
  const r = spawnSync(process.execPath, [bin, 'bindgen', bad], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `kasane: ${bad}:3:21: type \`nope\` is not defined\n`);
  const two = spawnSync(process.execPath, [bin, 'bindgen', KITCHEN], { encoding: 'utf8' });
  assert.equal(two.status, 1);
  assert.match(two.stderr, /several worlds \(kitchen, kitchen-async\): name one/);
});

test('a world-level type and a resource in an inline interface', () => {
  const files = generateTypeScript(selectWorld(resolveWitText(`package a:b;
    interface t { record p { x: u8 } }
    world w {
      use t.{p};
      type q = list<p>;
      export f: func(x: q) -> option<p>;
      export inline: interface { resource r { constructor(); go: func(); delete: func(); } %delete: func(%in: u8); }
    }`)));
  assert.match(files['interfaces/inline.d.ts'], /export function delete_\(in_: number\): void;/);
  assert.match(files['w.d.ts'], /export type P = import\('\.\/interfaces\/a-b-t\.js'\)\.P;\nexport type Q = Array<P>;/);
  assert.match(files['w.d.ts'], /export function f\(x: Q\): P \| undefined;/);
  assert.match(files['interfaces/inline.d.ts'], /export class R \{\n {2}constructor\(\)\n {2}go\(\): void;\n {2}'delete'\(\): void;\n\}/);
});

/** A WASI package as a directory with the packages of the same release in deps/. */
function wasiDir(release: string, root: string, deps: string[]): string {
  const dir = join(work, `${root}-${release}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(BUILTIN, release, `wasi-${root}`), dir, { recursive: true });
  for (const p of deps) cpSync(join(BUILTIN, release, `wasi-${p}`), join(dir, 'deps', p), { recursive: true });
  return dir;
}

/**
 * Differential: jco's own `types` command on the same WIT, when it can run here (it reads files
 * through its WASI shim, whose preopens are set through an internal module).
 */
test('wasi:cli/command, wasi:http/proxy (0.2.12) and wasi:http/service (0.3.0, async): identical to jco types', async (t) => {
  const shim = join(repoRoot, 'node_modules', '@bytecodealliance', 'jco-transpile', 'node_modules', '@bytecodealliance', 'preview2-shim', 'dist', 'nodejs', 'filesystem.js');
  const cmd = join(repoRoot, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'cmd', 'types.js');
  let jcoTypes: (wit: string, opts: object) => Promise<void>;
  try {
    const fs = await import(shim) as { _addPreopen(g: string, h: string): void };
    fs._addPreopen('/', '/');
    jcoTypes = (await import(cmd) as { types: typeof jcoTypes }).types;
  } catch (e) {
    t.skip(`jco types not loadable: ${(e as Error).message}`);
    return;
  }
  const cases: [string, string][] = [
    [cliDir(), 'command'],
    [wasiDir('0.2.12', 'http', ['io', 'clocks', 'filesystem', 'sockets', 'random', 'cli']), 'proxy'],
    [wasiDir('0.3.0', 'http', ['clocks', 'filesystem', 'sockets', 'random', 'cli']), 'service'],
  ];
  for (const [src, world] of cases) {
    const out = join(work, `jco-${world}`) + '/';
    const log = console.log;
    console.log = () => {};
    try { await jcoTypes(src, { worldName: world, outDir: out, quiet: true }); } finally { console.log = log; }
    const ours = generateTypeScript(selectWorld(resolveWit(readWitPath(src)), world));
    for (const [name, text] of Object.entries(ours)) assert.equal(text, readFileSync(join(out, name), 'utf8'), `${world}: ${name}`);
    assert.equal(readdirSync(join(out, 'interfaces')).length, Object.keys(ours).length - 1, world);
  }
});
