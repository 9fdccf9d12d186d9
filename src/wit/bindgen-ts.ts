// TypeScript declarations for a world, in the layout and conventions of jco's `types` command:
// `<world>.d.ts` re-exporting one `interfaces/<ns>-<pkg>-<name>.d.ts` per interface, camelCase
// functions and fields, UpperCamelCase types, BigInt for 64-bit integers, typed arrays for
// numeric lists, `T | undefined` for options (`Option<T>` when nested), `{ tag, val }` variants,
// string-literal enums, flags as objects of optional booleans, resources as classes, and results
// of functions as return values (the error case is thrown, as jco's `ComponentError`).

import {
  type Func, type Interface, type TypeDef, type WitType, type World, type WorldItem,
  deref, funcToString, interfaceId, packageNameToString,
} from './types.js';

/** Generated files by relative path (`kitchen.d.ts`, `interfaces/wasi-io-streams.d.ts`), world file first. */
export type GeneratedFiles = Record<string, string>;

export function generateTypeScript(world: World): GeneratedFiles {
  return new Bindgen(world).run();
}

// ------------------------------------------------------------------ names

const RESERVED = new Set([
  'abstract', 'arguments', 'await', 'boolean', 'break', 'byte', 'case', 'catch', 'char', 'class', 'const', 'continue',
  'debugger', 'default', 'delete', 'do', 'double', 'else', 'enum', 'eval', 'export', 'extends', 'false', 'final',
  'finally', 'float', 'for', 'function', 'goto', 'if', 'implements', 'import', 'in', 'instanceof', 'int', 'interface',
  'let', 'long', 'native', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'short', 'static',
  'super', 'switch', 'synchronized', 'this', 'throw', 'throws', 'transient', 'true', 'try', 'typeof', 'var', 'void',
  'volatile', 'while', 'with', 'yield',
]);

function words(s: string): string[] {
  return s.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
}

function capitalize(w: string): string {
  return w[0].toUpperCase() + w.slice(1).toLowerCase();
}

/** kebab-case → lowerCamelCase (jco: `get-arguments` → `getArguments`, `parse-XML` → `parseXml`). */
export function camelCase(name: string): string {
  const ws = words(name);
  return ws.map((w, i) => (i === 0 ? w.toLowerCase() : capitalize(w))).join('');
}

/** kebab-case → UpperCamelCase. */
export function upperCamelCase(name: string): string {
  return words(name).map(capitalize).join('');
}

/** A camelCase name usable as a parameter or function name (jco appends `_` to reserved words). */
function paramName(name: string): string {
  const n = camelCase(name);
  return RESERVED.has(n) ? `${n}_` : n;
}

/** A property name: quoted when not an identifier. */
function propName(name: string): string {
  return camelCase(name);
}

function docComment(docs: string | undefined, indent = ''): string {
  if (docs === undefined || docs === '') return '';
  const lines = docs.split('\n').map((l) => `${indent} * ${l}`);
  return `${indent}/**\n${lines.join('\n')}\n${indent} */\n`;
}

const TYPED_ARRAYS: Record<string, string> = {
  u8: 'Uint8Array', s8: 'Int8Array', u16: 'Uint16Array', s16: 'Int16Array', u32: 'Uint32Array', s32: 'Int32Array',
  u64: 'BigUint64Array', s64: 'BigInt64Array', f32: 'Float32Array', f64: 'Float64Array',
};

// ------------------------------------------------------------------ generation

/** Helper types a file needs (declared at its end). */
interface Needs { option: boolean; result: boolean }

class Bindgen {
  private readonly files = new Map<Interface, string>();
  private readonly usedNames = new Set<string>();

  constructor(private readonly world: World) {}

  run(): GeneratedFiles {
    const w = this.world;
    const out: GeneratedFiles = {};
    const worldFile = `${w.name}.d.ts`;
    out[worldFile] = '';
    const bodies: [string, string][] = [];
    const emitInterface = (key: string, item: WorldItem & { kind: 'interface' }) => {
      const file = this.fileOf(item.interface, key);
      const path = `interfaces/${file}.d.ts`;
      if (!(path in out) && !bodies.some(([p]) => p === path)) bodies.push([path, this.interfaceFile(item.interface, key)]);
      return file;
    };

    const lines: string[] = [`// world ${packageNameToString(w.package.name).replace(/@.*/, '')}/${w.name}${w.package.name.version ? '@' + w.package.name.version : ''}`];
    const needs: Needs = { option: false, result: false };
    const worldTypes: string[] = [];
    for (const [key, item] of [...w.imports].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (item.kind === 'interface') {
        const file = emitInterface(key, item);
        lines.push(`export type * as ${upperCamelCase(key)} from './interfaces/${file}.js'; // import ${key}`);
      } else if (item.kind === 'function') {
        // jco's `types` leaves imported world functions out; they are listed for reference.
        lines.push(`// import ${key}: ${funcToString(item.func)}`);
      } else {
        worldTypes.push(this.typeDef(item.type, needs, undefined, './interfaces/').replace(/\n$/, ''));
      }
    }
    for (const [key, item] of w.exports) {
      if (item.kind === 'interface') {
        const file = emitInterface(key, item);
        const name = item.interface.name !== undefined && key === interfaceId(item.interface) ? camelCase(item.interface.name) : camelCase(key);
        lines.push(`export * as ${name} from './interfaces/${file}.js'; // export ${key}`);
      } else if (item.kind === 'function') {
        lines.push(this.func(item.func, needs, undefined, 'export function ', '').replace(/\n$/, ''));
        // jco declares Result in a world file whose functions return one (thrown, so unused).
        if (item.func.result?.kind === 'result') needs.result = true;
      }
    }
    out[worldFile] = [...lines, ...worldTypes.filter((t) => t !== '')].join('\n') + '\n' + helpers(needs);
    for (const [path, text] of bodies.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[path] = text;
    return out;
  }

  /** The file name (without extension) of an interface: `ns-pkg-name`, or the plain name. */
  private fileOf(i: Interface, key: string): string {
    const known = this.files.get(i);
    if (known !== undefined) return known;
    let base = i.name !== undefined ? `${i.package.name.namespace}-${i.package.name.name}-${i.name}` : key;
    base = base.replace(/[^A-Za-z0-9-]/g, '-');
    if (this.usedNames.has(base) && i.package.name.version !== undefined) base += `-${i.package.name.version.replace(/[^A-Za-z0-9]/g, '-')}`;
    while (this.usedNames.has(base)) base += '_';
    this.usedNames.add(base);
    this.files.set(i, base);
    return base;
  }

  private interfaceFile(i: Interface, key: string): string {
    const needs: Needs = { option: false, result: false };
    const parts: string[] = [`/** @module Interface ${interfaceId(i) ?? key} **/\n`];
    for (const f of i.functions.values()) {
      if (f.kind.kind === 'freestanding') parts.push(this.func(f, needs, i, 'export function ', ''));
    }
    const resources: TypeDef[] = [];
    for (const def of i.types.values()) {
      if (def.kind.kind === 'resource') resources.push(def);
      else parts.push(this.typeDef(def, needs, i, './'));
    }
    // Classes come last, by name (as jco writes them).
    resources.sort((a, b) => (upperCamelCase(a.name) < upperCamelCase(b.name) ? -1 : 1));
    // Helper types go before the classes, as in jco (what the classes need is known first).
    const classes = resources.map((def) => this.resourceClass(def, needs, i)).join('');
    return parts.join('') + helpers(needs) + classes;
  }

  // ---------------------------------------------------------------- declarations

  /** `export type`/`export interface` for a typedef of scope `owner` (files of other interfaces are `prefix` + name). */
  private typeDef(def: TypeDef, needs: Needs, owner: Interface | undefined, prefix: string): string {
    const name = upperCamelCase(def.name);
    const docs = docComment(def.docs);
    const k = def.kind;
    switch (k.kind) {
      case 'record': {
        const fields = k.fields.map((f) => {
          const t = deref(f.type);
          const optional = t.kind === 'option' && deref(t.type).kind !== 'option';
          const type = optional ? this.type((t as { type: WitType }).type, needs, owner) : this.type(f.type, needs, owner);
          return `${docComment(f.docs, '  ')}  ${propName(f.name)}${optional ? '?' : ''}: ${type},\n`;
        });
        return `${docs}export interface ${name} {\n${fields.join('')}}\n`;
      }
      case 'flags': {
        const fields = k.names.map((n, i) => `${docComment(k.docs?.[i], '  ')}  ${propName(n)}?: boolean,\n`);
        return `${docs}export interface ${name} {\n${fields.join('')}}\n`;
      }
      case 'enum': {
        const cases = k.names.map((n, i) => `\n## \`"${n}"\`\n${k.docs?.[i] !== undefined ? `\n${k.docs[i]}\n` : ''}`).join('');
        const text = `${def.docs !== undefined ? def.docs + '\n' : ''}# Variants\n${cases}`.replace(/\n$/, '');
        return `${docComment(text)}export type ${name} = ${k.names.map((n) => `'${n}'`).join(' | ')};\n`;
      }
      case 'variant': {
        const caseNames = k.cases.map((c) => name + upperCamelCase(c.name));
        const decls = k.cases.map((c, i) =>
          `${docComment(c.docs)}export interface ${caseNames[i]} {\n  tag: '${c.name}',\n${c.type ? `  val: ${this.type(c.type, needs, owner)},\n` : ''}}\n`);
        return `${docs}export type ${name} = ${caseNames.join(' | ')};\n${decls.join('')}`;
      }
      case 'alias': {
        const t = k.type;
        if (t.kind === 'named' && t.def.owner !== def.owner && t.def.owner !== owner) {
          // A `use`: the type of the interface that defines it.
          const other = t.def.owner as Interface;
          return `${docs}export type ${name} = import('${prefix}${this.fileOf(other, interfaceId(other) ?? other.name ?? '')}.js').${upperCamelCase(t.def.name)};\n`;
        }
        return `${docs}export type ${name} = ${this.type(t, needs, owner)};\n`;
      }
      case 'resource':
        return '';
    }
  }

  private resourceClass(def: TypeDef, needs: Needs, owner: Interface): string {
    const name = upperCamelCase(def.name);
    const members: string[] = [];
    const ctor = def.functions.find((f) => f.kind.kind === 'constructor');
    if (ctor === undefined) {
      members.push('  /**\n   * This type does not have a public constructor.\n   */\n  private constructor();\n');
    }
    for (const f of def.functions) {
      if (f.kind.kind === 'constructor') {
        members.push(`${docComment(f.docs, '  ')}  constructor(${this.params(f.params, needs, owner)})\n`);
      } else {
        const params = f.kind.kind === 'method' ? f.params.slice(1) : f.params;
        const prefix = f.kind.kind === 'static' ? 'static ' : '';
        const name = camelCase(f.item);
        // Reserved words are quoted as member names (jco: `'delete'(name: FieldName): void;`).
        members.push(`${docComment(f.docs, '  ')}  ${prefix}${RESERVED.has(name) ? `'${name}'` : name}(${this.params(params, needs, owner)}): ${this.returnType(f, needs, owner)};\n`);
      }
    }
    return `\n${docComment(def.docs)}export class ${name} {\n${members.join('')}}\n`;
  }

  private params(params: readonly { name: string; type: WitType }[], needs: Needs, owner: Interface | undefined): string {
    return params.map((p) => `${paramName(p.name)}: ${this.type(p.type, needs, owner)}`).join(', ');
  }

  private func(f: Func, needs: Needs, owner: Interface | undefined, prefix: string, indent: string): string {
    return `${docComment(f.docs, indent)}${indent}${prefix}${paramName(f.item)}(${this.params(f.params, needs, owner)}): ${this.returnType(f, needs, owner)};\n`;
  }

  /** A result's error case is thrown, so a function returning `result<T, E>` returns T. */
  private returnType(f: Func, needs: Needs, owner: Interface | undefined): string {
    let ret = 'void';
    if (f.result !== undefined) {
      const r = f.result;
      if (r.kind === 'result') ret = r.ok ? this.type(r.ok, needs, owner) : 'void';
      else ret = this.type(r, needs, owner);
    }
    return f.async ? `Promise<${ret}>` : ret;
  }

  // ---------------------------------------------------------------- types

  private type(t: WitType, needs: Needs, owner: Interface | undefined): string {
    switch (t.kind) {
      case 'bool': return 'boolean';
      case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': case 'f32': case 'f64': return 'number';
      case 's64': case 'u64': return 'bigint';
      case 'char': case 'string': return 'string';
      case 'error-context': return 'unknown';
      case 'named': return upperCamelCase(t.def.name);
      case 'own': case 'borrow': return upperCamelCase(t.resource.name);
      case 'list': {
        const elem = deref(t.elem);
        if (t.length !== undefined) {
          const e = this.type(t.elem, needs, owner);
          return `[${new Array<string>(t.length).fill(e).join(',')}]`;
        }
        const typed = TYPED_ARRAYS[elem.kind];
        return typed ?? `Array<${this.type(t.elem, needs, owner)}>`;
      }
      case 'map': return `Map<${this.type(t.key, needs, owner)}, ${this.type(t.value, needs, owner)}>`;
      case 'tuple': return `[${t.types.map((x) => this.type(x, needs, owner)).join(', ')}]`;
      case 'option': {
        const inner = this.type(t.type, needs, owner);
        if (deref(t.type).kind === 'option') { needs.option = true; return `Option<${inner}>`; }
        return `${inner} | undefined`;
      }
      case 'result':
        needs.result = true;
        return `Result<${t.ok ? this.type(t.ok, needs, owner) : 'void'}, ${t.err ? this.type(t.err, needs, owner) : 'void'}>`;
      case 'future': return `PromiseLike<${t.type ? this.type(t.type, needs, owner) : 'void'}>`;
      case 'stream': return `AsyncIterable<${t.type ? this.type(t.type, needs, owner) : 'void'}>`;
      case 'record': case 'variant': case 'enum': case 'flags':
        // Anonymous structural types do not occur in resolved WIT (they are always named).
        throw new Error(`anonymous ${t.kind} in WIT type`);
    }
  }
}

function helpers(needs: Needs): string {
  let s = '';
  if (needs.option) s += "export type Option<T> = { tag: 'none' } | { tag: 'some', val: T };\n";
  if (needs.result) s += "export type Result<T, E> = { tag: 'ok', val: T } | { tag: 'err', val: E };\n";
  return s;
}
