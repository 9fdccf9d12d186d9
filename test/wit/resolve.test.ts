// The WIT parser and resolver: every .wit file jco ships, a deps/ directory, the kitchen-sink
// fixture, and errors with their file:line:column.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWit } from '../../src/wit/parser.js';
import { resolveWit, resolveWitText, selectWorld } from '../../src/wit/resolve.js';
import { BUILTIN, KITCHEN, builtinGroups } from './helpers.js';
import { WitError } from '../../src/wit/source.js';
import { readWitPath } from '../../src/host/wit-dir.js';
import { deref, funcToString, interfaceId, resourceOf, typeToString, type Interface, type World } from '../../src/wit/types.js';

function iface(w: World, id: string): Interface {
  const item = w.imports.get(id) ?? w.exports.get(id);
  assert.ok(item && item.kind === 'interface', `${id} in world ${w.name}`);
  return item.interface;
}

test('every .wit file shipped with jco parses', () => {
  const files = execFileSync('find', [BUILTIN, '-name', '*.wit'], { encoding: 'utf8' }).trim().split('\n');
  assert.ok(files.length >= 40, `found ${files.length} files`);
  const loaded = new Set(builtinGroups().flat().map((f) => f.name));
  for (const f of files) {
    assert.ok(loaded.has(f), `${f} is part of the resolved set`);
  }
  for (const g of builtinGroups()) for (const f of g) parseWit(f.text, f.name);
});

test('all of jco\'s WASI 0.2.10, 0.2.12, 0.3.0, wasi-tls and jco:node packages resolve, with and without unstable features', () => {
  const groups = builtinGroups();
  const counts: number[] = [];
  for (const features of [undefined, 'all'] as const) {
    const { resolve: r } = resolveWit(groups, { features });
    const names = r.packages.map((p) => `${p.name.namespace}:${p.name.name}@${p.name.version}`);
    for (const want of ['wasi:io@0.2.12', 'wasi:io@0.2.10', 'wasi:cli@0.3.0', 'wasi:http@0.3.0', 'wasi:tls@0.2.0-draft', 'jco:node@0.1.0']) {
      assert.ok(names.includes(want), want);
    }
    // Dependencies come before the packages that use them.
    assert.ok(names.indexOf('wasi:io@0.2.12') < names.indexOf('wasi:cli@0.2.12'));
    let functions = 0;
    for (const p of r.packages) for (const i of p.interfaces.values()) functions += i.functions.size;
    counts.push(functions);
  }
  assert.ok(counts[1] > counts[0], 'unstable functions are only there when their features are enabled');
});

test('wasi:cli/command@0.2.12 from a directory with deps/: imports in dependency order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasane-wit-'));
  try {
    cpSync(join(BUILTIN, '0.2.12', 'wasi-cli'), dir, { recursive: true });
    mkdirSync(join(dir, 'deps'));
    for (const p of ['io', 'clocks', 'filesystem', 'sockets', 'random']) {
      cpSync(join(BUILTIN, '0.2.12', `wasi-${p}`), join(dir, 'deps', p), { recursive: true });
    }
    const wit = resolveWit(readWitPath(dir));
    assert.equal(wit.root.name.name, 'cli');
    const w = selectWorld(wit, 'command');
    const imports = [...w.imports.keys()];
    assert.equal(imports.length, 27);
    assert.deepEqual(imports.slice(0, 6), [
      'wasi:cli/environment@0.2.12', 'wasi:cli/exit@0.2.12', 'wasi:io/error@0.2.12',
      'wasi:io/poll@0.2.12', 'wasi:io/streams@0.2.12', 'wasi:cli/stdin@0.2.12',
    ]);
    // Every interface comes after the interfaces whose types it uses.
    for (const [n, item] of w.imports) {
      if (item.kind !== 'interface') continue;
      for (const def of item.interface.types.values()) {
        if (def.kind.kind === 'alias' && def.kind.type.kind === 'named' && 'imports' in def.kind.type.def.owner === false) {
          const dep = interfaceId(def.kind.type.def.owner as Interface)!;
          assert.ok(imports.indexOf(dep) < imports.indexOf(n), `${dep} before ${n}`);
        }
      }
    }
    assert.deepEqual([...w.exports.keys()], ['wasi:cli/run@0.2.12']);
    const streams = iface(w, 'wasi:io/streams@0.2.12');
    const write = streams.functions.get('[method]output-stream.write')!;
    assert.equal(funcToString(write), 'func(self: borrow<output-stream>, contents: list<u8>) -> result<_, stream-error>');
    // A missing dependency is named with where it was needed.
    rmSync(join(dir, 'deps', 'io'), { recursive: true });
    assert.throws(() => resolveWit(readWitPath(dir)), /package wasi:io@0\.2\.12 not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the kitchen-sink fixture: resources, use/as, include/with, inline interfaces, transitive imports', () => {
  const wit = resolveWit(readWitPath(KITCHEN));
  assert.throws(() => selectWorld(wit), /several worlds \(kitchen, kitchen-async\)/);
  const w = selectWorld(wit, 'kitchen');
  assert.equal(selectWorld(wit, 'kasane:kitchen/kitchen@1.2.0'), w);
  assert.deepEqual([...w.imports.keys()], ['kasane:kitchen/types@1.2.0', 'kasane:kitchen/all@1.2.0', 'log', 'host']);
  assert.deepEqual([...w.exports.keys()], ['kasane:kitchen/all@1.2.0', 'run', 'version']);

  const types = iface(w, 'kasane:kitchen/types@1.2.0');
  assert.equal(types.docs, 'Shared types.');
  const counter = types.types.get('counter')!;
  assert.deepEqual(counter.functions.map((f) => f.name), ['[constructor]counter', '[method]counter.add', '[method]counter.get', '[static]counter.merge']);
  assert.equal(funcToString(counter.functions[1]), 'func(self: borrow<counter>, n: s32) -> s32');
  assert.equal(counter.functions[0].docs, 'Makes a counter.');
  assert.equal(typeToString(counter.functions[0].result!), 'counter');
  assert.equal(typeToString(types.functions.get('[constructor]blob')!.result!), 'result<blob, string>');
  const point = types.types.get('point')!;
  assert.equal(point.docs, 'A point in the plane.');
  assert.deepEqual(point.kind, { kind: 'record', fields: [{ name: 'x', type: { kind: 'f64' }, docs: 'Horizontal.' }, { name: 'y', type: { kind: 'f64' } }] });

  const all = iface(w, 'kasane:kitchen/all@1.2.0');
  const err = all.types.get('err')!;
  assert.equal(err.kind.kind, 'alias');
  assert.equal(deref({ kind: 'named', def: err }).kind, 'enum');
  const make = all.functions.get('make')!;
  assert.equal(make.result!.kind, 'own');
  assert.equal(resourceOf((make.result as { resource: typeof counter }).resource), counter);
  assert.equal(typeToString(all.functions.get('fixed')!.result!), 'list<u8, 4>');
  // Types in dependency order: `everything` after all it mentions.
  const names = [...all.types.keys()];
  assert.equal(names[names.length - 1], 'everything');

  const host = w.imports.get('host')!;
  assert.ok(host.kind === 'interface' && host.interface.name === undefined);

  const wa = selectWorld(wit, 'kitchen-async');
  assert.ok(wa.imports.has('console-log') && !wa.imports.has('log'), 'include ... with { log as console-log }');
  assert.deepEqual([...wa.exports.keys()], ['kasane:kitchen/streams@1.2.0', 'kasane:kitchen/all@1.2.0', 'run', 'version']);
  const produce = iface(wa, 'kasane:kitchen/streams@1.2.0').functions.get('produce')!;
  assert.equal(funcToString(produce), 'async func(n: u32) -> stream<u8>');
});

test('nested package blocks, top-level use with as, plain-named interface imports', () => {
  const wit = resolveWitText(`
    package local:app;
    use local:dep/api@1.0.0 as dep-api;
    world w {
      import dep-api;
      import primary: dep-api;
      import secondary: local:dep/api@1.0.0;
      export local:dep/api@1.0.0;
    }
    package local:dep@1.0.0 {
      interface api { resource r; f: func() -> r; }
    }`);
  const w = selectWorld(wit);
  assert.deepEqual([...w.imports.keys()], ['local:dep/api@1.0.0', 'primary', 'secondary']);
  assert.equal(iface(w, 'primary'), iface(w, 'local:dep/api@1.0.0'));
  assert.deepEqual([...w.exports.keys()], ['local:dep/api@1.0.0']);
  assert.equal(wit.root.name.name, 'app');
});

test('a dependency of an export that is not exported is imported', () => {
  const w = selectWorld(resolveWitText(`package a:b;
    interface base { resource r; }
    interface mid { use base.{r}; }
    interface top { use mid.{r as r2}; f: func() -> r2; }
    world w { export top; }
    world v { export base; export top; }`), 'w');
  assert.deepEqual([...w.imports.keys()], ['a:b/base', 'a:b/mid']);
  const v = selectWorld(resolveWitText(`package a:b;
    interface base { resource r; }
    interface top { use base.{r}; }
    world v { export base; export top; }`), 'v');
  assert.deepEqual([...v.imports.keys()], []);
});

test('feature gates: @unstable items are left out unless their feature is enabled', () => {
  const src = `package a:b@1.0.0;
    @since(version = 1.0.0)
    interface i {
      @since(version = 1.0.0) f: func();
      @unstable(feature = fancy) g: func();
      @since(version = 0.9.0) @deprecated(version = 1.0.0) h: func();
      @unstable(feature = fancy) type t = u32;
    }`;
  const fns = (features?: string[]) => [...resolveWitText(src, 'g.wit', { features }).root.interfaces.get('i')!.functions.keys()];
  assert.deepEqual(fns(), ['f', 'h']);
  assert.deepEqual(fns(['fancy']), ['f', 'g', 'h']);
  const i = resolveWitText(src, 'g.wit', { features: ['fancy'] }).root.interfaces.get('i')!;
  assert.deepEqual(i.functions.get('h')!.stability, { since: '0.9.0', deprecated: '1.0.0' });
  assert.deepEqual(i.stability, { since: '1.0.0' });
  // A reference to a disabled item is an error.
  assert.throws(() => resolveWitText(`package a:b@1.0.0; interface i { @unstable(feature = x) type t = u32; f: func(a: t); }`), /g?:1:.*type `t` is not defined/);
});

test('feature gates: a gated-off world adds nothing to the worlds that include it; @unstable needs no package version', () => {
  const src = `package a:app;
    world w { include x:stable/base; @unstable(feature = beta) include x:beta/extra; }
    package x:stable@1.0.0 {
      world base { import api; include x:beta/extra; }
      interface api { f: func(); }
    }
    package x:beta {
      @unstable(feature = beta) world extra { @unstable(feature = beta) import api; }
      @unstable(feature = beta) interface api { g: func(); }
    }`;
  assert.deepEqual([...selectWorld(resolveWitText(src), 'w').imports.keys()], ['x:stable/api@1.0.0']);
  assert.deepEqual([...selectWorld(resolveWitText(src, 'g.wit', { features: ['beta'] }), 'w').imports.keys()], ['x:stable/api@1.0.0', 'x:beta/api']);
});

/** [source, message pattern, line, column] */
const ERRORS: [string, RegExp, number, number][] = [
  ['package a:b;\ninterface i {\n  f: func(x: nope);\n}', /type `nope` is not defined/, 3, 14],
  ['package a:b;\ninterface i {\n  type foo = foo;\n}', /type `foo` refers to itself/, 3, 8],
  ['package a:b;\ninterface i {\n  record a { b: b }\n  record b { a: a }\n}', /type `a` refers to itself \(through `b`\)/, 4, 10],
  ['package a:b;\ninterface i { type t = u32; type t = u64; }', /`t` is defined more than once \(also at e\.wit:2:20\)/, 2, 34],
  ['package a:b;\ninterface i { use j.{t}; type u = t; }\ninterface j { use i.{u}; type t = u32; }', /interface `i` depends on itself through `use`/, 3, 19],
  ['package a:b;\nworld w { include v; }\nworld v { include w; }', /world `w` includes itself/, 3, 11],
  ['package a:b;\ninterface i {\n  f: func() -> (a: u32);\n}', /named results/, 3, 16],
  ['package a:b;\ninterface i {\n  f: func(x: u32) -> ;\n}', /expected a type, found `;`/, 3, 22],
  ['package a:b;\ninterface i { record r { } }', /record `r` has no fields/, 2, 22],
  ['package a:b;\ninterface i { f: func(list: u32); }', /`list` is a keyword: write `%list`/, 2, 23],
  ['package a:b;\ninterface i { f: func(fooBar: u32); }', /mixes upper and lower case/, 2, 23],
  ['package a:b;\ninterface i { use wasi:io/streams@0.2.0.{x}; }', /package wasi:io@0\.2\.0 not found/, 2, 19],
  ['package a:b;\ninterface i { use j.{x}; }\ninterface j { }', /type `x` not defined in interface a:b\/j/, 2, 22],
  ['package a:b;\ninterface i { type t = u32; f: func(x: borrow<t>); }', /`t` is not a resource type/, 2, 47],
  ['package a:b;\ninterface i { resource r { constructor() -> u32; } }', /a constructor returns `r` or `result<r, E>`/, 2, 45],
  ['package a:b;\nworld w { import f: func(); import f: func(); }', /import `f` is defined more than once/, 2, 36],
  ['package a:b;\nworld x { import f: func(); }\nworld y { import f: func(); }\nworld w { include x; include y; }', /import `f` is defined more than once/, 4, 22],
  ['package a:b;\ninterface i {}\nworld x { import i; }\nworld w { include x with { i as j }; }', /`i` is an interface name/, 4, 28],
  ['package a:b;\ninterface i { f: func(); }\ninterface i { }', /`i` is defined more than once in package a:b/, 3, 11],
  ['interface i { }', /no `package` declaration/, 1, 11],
  ['package a:b;\ninterface i { /* unterminated', /unterminated block comment/, 2, 15],
  ['package a:b@1.x;', /invalid semver version `1\.x`/, 1, 13],
  ['package a:b;\n@since(version = 1.0.0)\ninterface i { }', /uses version gates \(@since, @deprecated\) but has no version/, 2, 1],
  ['package a:b;\ninterface i { f: func(x: result<_>); }', /`result<_>` is not a type/, 2, 26],
  ['package a:b;\nworld w { import a:b; }', /expected `\/`, found `;`/, 2, 21],
  ['package a:b;\ninterface i { f: func(x: u32, x: u32); }', /parameter `x` is defined more than once/, 2, 31],
  ['package a:b;\ninterface i {\n  f: func()\n  g: func();\n}', /expected `;` here, found identifier `g` on a later line/, 3, 12],
  ['package a:b;\ninterface i {\n  record r { a: u8 ', /expected `\}` here, found end of file/, 3, 19],
  ['package a:b;\ninterface p { resource d; }\nworld w { import p; export p; use p.{d}; }', /`use` of a:b\/p is ambiguous/, 3, 31],
  ['package a:b;\ninterface i { record r { x: u8 } type m = map<r, u8>; }', /a map key must be an integer, char, bool or string type/, 2, 47],
  ['package a:b;\ninterface i { @external-id("x") use j.{t}; }', /`@external-id` is not allowed on this item/, 2, 33],
];

test('errors name file:line:column and what is wrong', () => {
  for (const [src, pattern, line, column] of ERRORS) {
    let err: unknown;
    try { resolveWitText(src, 'e.wit'); } catch (e) { err = e; }
    assert.ok(err instanceof WitError, `${src}: expected a WitError, got ${String(err)}`);
    assert.match(err.message, pattern, src);
    assert.match(err.message, new RegExp(`^e\\.wit:${line}:${column}: `), `${src}: ${err.message}`);
    assert.equal(err.line, line);
    assert.equal(err.column, column);
    assert.ok(err.excerpt!.endsWith('^'));
  }
});

test('`import a: b` names an interface b; `import a:b/c` is an interface of package a:b', () => {
  const w = selectWorld(resolveWitText('package a:b;\ninterface b { }\ninterface c { }\nworld w { import x: b; import a:b/c; }'));
  assert.deepEqual([...w.imports.keys()], ['x', 'a:b/c']);
});

test('@external-id on functions, types and imports is kept', () => {
  const wit = resolveWitText(`package a:b;
    interface i { @external-id("foo/0") f: func(); @external-id("DB.Bar") resource bar { @external-id("baz/1") baz: func(); } }
    world w { @external-id("https://esm.unpkg.com/slugify@1.6.6") import slugify: func(text: string) -> string; @external-id("//One") import one: i; }`);
  const i = wit.root.interfaces.get('i')!;
  assert.equal(i.functions.get('f')!.externalId, 'foo/0');
  assert.equal(i.functions.get('[method]bar.baz')!.externalId, 'baz/1');
  const w = selectWorld(wit);
  const slug = w.imports.get('slugify')!;
  assert.ok(slug.kind === 'function' && slug.func.externalId === 'https://esm.unpkg.com/slugify@1.6.6');
  const one = w.imports.get('one')!;
  assert.ok(one.kind === 'interface' && one.externalId === '//One' && one.interface === i);
});

test('doc comments and explicit identifiers', () => {
  const wit = resolveWitText(`/// The package.
    package a:b;
    /** Block
     * docs */
    interface i {
      /// Line one.
      /// Line two.
      %variant: func(%enum: u32);
    }`);
  assert.equal(wit.root.docs, 'The package.');
  const i = wit.root.interfaces.get('i')!;
  assert.equal(i.docs, 'Block\ndocs');
  const f = i.functions.get('variant')!;
  assert.equal(f.docs, 'Line one.\nLine two.');
  assert.equal(f.params[0].name, 'enum');
});
