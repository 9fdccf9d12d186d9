// WIT text → syntax tree (WIT.md "Top-level items" onwards). A recursive-descent parser over the
// on-demand lexer; every error names file:line:column of the token where it was found.

import type {
  ExternAst, FileAst, FuncAst, FuncTypeAst, GateAst, Ident, ImportExportAst, IncludeAst, InterfaceAst,
  InterfaceItemAst, NamedTypeAst, PackageItemsAst, PackageNameAst, PrimName, ResourceFuncAst, ToplevelUseAst,
  TypeAst, TypeDefAst, UseAst, UsePathAst, WorldAst, WorldItemAst,
} from './ast.js';
import { Lexer, type Token } from './lexer.js';
import { SourceFile, type Span, WitError } from './source.js';

const PRIMS: ReadonlySet<string> = new Set<PrimName>([
  'bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string', 'error-context',
]);

/** Parses one WIT file. `name` is used in error messages (usually its path). */
export function parseWit(text: string, name = '<wit>'): FileAst {
  return new Parser(new SourceFile(name, text)).file();
}

interface Annotations {
  gate: GateAst;
  externalId?: string;
  docs?: string;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'end of file';
    case 'id': return `identifier \`${t.value}\``;
    case 'keyword': return `keyword \`${t.value}\``;
    case 'integer': return `integer \`${t.value}\``;
    case 'string': return 'a string literal';
    default: return `\`${t.value}\``;
  }
}

function joinDocs(docs: string[] | undefined): string | undefined {
  return docs === undefined ? undefined : docs.join('\n');
}

class Parser {
  private readonly lex: Lexer;
  constructor(readonly source: SourceFile) {
    this.lex = new Lexer(source);
  }

  // ---------------------------------------------------------------- token helpers

  /** End of the last token taken: where a missing `;`, `,` or closing bracket belongs. */
  private lastEnd = 0;

  private peek(): Token { return this.lex.peek(); }
  private next(): Token {
    const t = this.lex.next();
    this.lastEnd = t.end;
    return t;
  }

  private fail(t: Token, expected: string): never {
    throw new WitError(`expected ${expected}, found ${describe(t)}`, t);
  }

  /**
   * A missing delimiter: when the token found is on a later line than the previous one, the
   * error points just after the previous token (where the delimiter was forgotten).
   */
  private failAfter(t: Token, expected: string): never {
    const prev = this.source.position(this.lastEnd).line;
    if (t.kind === 'eof' || this.source.position(t.start).line > prev) {
      throw new WitError(`expected ${expected} here, found ${describe(t)} on a later line`, { file: this.source, start: this.lastEnd, end: this.lastEnd });
    }
    return this.fail(t, expected);
  }

  private isOp(value: string, t = this.peek()): boolean {
    return t.kind === 'op' && t.value === value;
  }

  private isKeyword(value: string, t = this.peek()): boolean {
    return t.kind === 'keyword' && t.value === value;
  }

  private eatOp(value: string): boolean {
    if (!this.isOp(value)) return false;
    this.next();
    return true;
  }

  private expectOp(value: string): Token {
    const t = this.peek();
    if (t.kind !== 'op' || t.value !== value) this.failAfter(t, `\`${value}\``);
    return this.next();
  }

  private expectKeyword(value: string): Token {
    const t = this.next();
    if (!this.isKeyword(value, t)) this.fail(t, `\`${value}\``);
    return t;
  }

  private ident(what = 'an identifier'): Ident {
    const t = this.next();
    if (t.kind !== 'id') this.fail(t, t.kind === 'keyword' ? `${what} (\`${t.value}\` is a keyword: write \`%${t.value}\`)` : what);
    return { name: t.value, span: t };
  }

  private span(start: Span, end: Span): Span {
    return { file: this.source, start: start.start, end: end.end };
  }

  /** A comma-separated list up to `close` (trailing comma allowed). */
  private list<T>(close: string, item: () => T): T[] {
    const out: T[] = [];
    while (!this.isOp(close)) {
      out.push(item());
      if (!this.eatOp(',')) break;
    }
    this.expectOp(close);
    return out;
  }

  // ---------------------------------------------------------------- files and packages

  file(): FileAst {
    let root: PackageItemsAst | undefined;
    const nested: PackageItemsAst[] = [];
    const items: (InterfaceAst | WorldAst)[] = [];
    const uses: ToplevelUseAst[] = [];
    let declared: PackageNameAst | undefined;
    let packageDocs: string | undefined;
    let first = true;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (this.isKeyword('package')) {
        this.next();
        const name = this.packageName();
        if (this.isOp('{')) {
          this.next();
          nested.push(this.packageBody(name, joinDocs(t.docs)));
        } else {
          if (!first) throw new WitError('the `package` declaration must come first in the file', t);
          this.expectOp(';');
          declared = name;
          packageDocs = joinDocs(t.docs);
        }
      } else if (this.isKeyword('use')) {
        uses.push(this.toplevelUse());
      } else {
        items.push(this.packageItem());
      }
      first = false;
    }
    root = { package: declared, docs: packageDocs, items, uses };
    return { root, nested };
  }

  private packageBody(name: PackageNameAst, docs: string | undefined): PackageItemsAst {
    const items: (InterfaceAst | WorldAst)[] = [];
    const uses: ToplevelUseAst[] = [];
    while (!this.isOp('}')) {
      if (this.peek().kind === 'eof') this.fail(this.peek(), '`}`');
      if (this.isKeyword('package')) throw new WitError('package blocks cannot be nested', this.peek());
      if (this.isKeyword('use')) uses.push(this.toplevelUse());
      else items.push(this.packageItem());
    }
    this.next();
    return { package: name, docs, items, uses };
  }

  private packageName(): PackageNameAst {
    const ns = this.ident('a package namespace');
    this.expectOp(':');
    const name = this.ident('a package name');
    let namespace = ns.name;
    let pkg = name;
    // Nested namespaces (`a:b:c`): everything but the last segment is the namespace.
    while (this.isOp(':')) {
      this.next();
      namespace += ':' + pkg.name;
      pkg = this.ident('a package name');
    }
    const { version, end } = this.optionalVersion(pkg.span);
    return { namespace, name: pkg.name, version, span: this.span(ns.span, end) };
  }

  /** `@version` after a package name, if there; `end` is where the name (and version) ends. */
  private optionalVersion(nameEnd: Span): { version: string | undefined; end: Span } {
    if (!this.isOp('@')) return { version: undefined, end: nameEnd };
    const at = this.next();
    const v = this.lex.version(at.end);
    return { version: v.text, end: v.span };
  }

  private toplevelUse(): ToplevelUseAst {
    const start = this.expectKeyword('use');
    const path = this.usePath();
    let as: Ident | undefined;
    if (this.isKeyword('as')) { this.next(); as = this.ident(); }
    const end = this.expectOp(';');
    return { kind: 'toplevel-use', path, as, span: this.span(start, end) };
  }

  /** `id` or `ns:pkg/id@version`. */
  private usePath(): UsePathAst {
    const first = this.ident('an interface name');
    if (!this.isOp(':')) return { kind: 'local', name: first };
    this.next();
    let namespace = first.name;
    let pkg = this.ident('a package name');
    while (this.isOp(':')) { this.next(); namespace += ':' + pkg.name; pkg = this.ident('a package name'); }
    this.expectOp('/');
    const name = this.ident('an interface name');
    if (this.isOp('/')) throw new WitError('nested packages (`a:b/c/d`) are not supported', this.peek());
    const { version, end } = this.optionalVersion(name.span);
    return { kind: 'package', package: { namespace, name: pkg.name, version, span: this.span(first.span, end) }, name };
  }

  // ---------------------------------------------------------------- annotations

  /** Doc comments, feature gates and `@external-id` before an item. */
  private annotations(): Annotations {
    const docs = joinDocs(this.peek().docs);
    const gate: GateAst = {};
    let externalId: string | undefined;
    while (this.isOp('@')) {
      const at = this.next();
      const name = this.ident('`since`, `unstable`, `deprecated` or `external-id`');
      this.expectOp('(');
      if (name.name === 'external-id') {
        const s = this.next();
        if (s.kind !== 'string') this.fail(s, 'a string literal');
        externalId = s.value;
        this.expectOp(')');
        continue;
      }
      const field = (key: string): { value: string; span: Span } => {
        const k = this.ident(`\`${key}\``);
        if (k.name !== key) throw new WitError(`expected \`${key}\`, found \`${k.name}\``, k.span);
        const eq = this.expectOp('=');
        if (key === 'version') { const v = this.lex.version(eq.end); return { value: v.text, span: v.span }; }
        const id = this.ident('a feature name');
        return { value: id.name, span: id.span };
      };
      const dup = (what: keyof GateAst) => {
        if (gate[what] !== undefined) throw new WitError(`duplicate \`@${name.name}\` annotation`, name.span);
      };
      switch (name.name) {
        case 'since':
          dup('since');
          gate.since = field('version').value;
          if (this.eatOp(',') && !this.isOp(')')) gate.sinceFeature = field('feature').value;
          break;
        case 'unstable':
          dup('unstable');
          gate.unstable = field('feature').value;
          break;
        case 'deprecated':
          dup('deprecated');
          gate.deprecated = field('version').value;
          break;
        default:
          throw new WitError(`unknown annotation \`@${name.name}\``, name.span);
      }
      this.eatOp(',');
      const close = this.expectOp(')');
      gate.span = gate.span ? this.span(gate.span, close) : this.span(at, close);
    }
    if (gate.since !== undefined && gate.unstable !== undefined) {
      throw new WitError('an item cannot be both `@since` and `@unstable`', gate.span!);
    }
    return { gate, externalId, docs };
  }

  private noExternalId(a: Annotations, t: Token): void {
    if (a.externalId !== undefined) throw new WitError('`@external-id` is not allowed on this item', t);
  }

  // ---------------------------------------------------------------- interfaces and worlds

  private packageItem(): InterfaceAst | WorldAst {
    const a = this.annotations();
    const t = this.peek();
    this.noExternalId(a, t);
    if (this.isKeyword('interface')) {
      this.next();
      const name = this.ident('an interface name');
      this.expectOp('{');
      return { kind: 'interface', name, items: this.interfaceItems(), docs: a.docs, gate: a.gate };
    }
    if (this.isKeyword('world')) {
      this.next();
      const name = this.ident('a world name');
      this.expectOp('{');
      const items: WorldItemAst[] = [];
      while (!this.eatOp('}')) items.push(this.worldItem());
      return { kind: 'world', name, items, docs: a.docs, gate: a.gate };
    }
    return this.fail(t, '`interface`, `world`, `use` or `package`');
  }

  /** Items up to and including the closing `}`. */
  private interfaceItems(): InterfaceItemAst[] {
    const items: InterfaceItemAst[] = [];
    while (!this.eatOp('}')) {
      const a = this.annotations();
      const t = this.peek();
      if (this.isKeyword('use')) { this.noExternalId(a, t); items.push(this.useItem(a)); continue; }
      const td = this.typeDef(a);
      if (td) { items.push(td); continue; }
      if (t.kind === 'id') { items.push(this.funcItem(a)); continue; }
      this.fail(t, 'a type definition, a function, `use` or `}`');
    }
    return items;
  }

  private funcItem(a: Annotations): FuncAst {
    const name = this.ident('a function name');
    this.expectOp(':');
    const type = this.funcType();
    this.expectOp(';');
    return { kind: 'func', name, type, docs: a.docs, gate: a.gate, externalId: a.externalId };
  }

  private funcType(): FuncTypeAst {
    const start = this.peek();
    let async = false;
    if (this.isKeyword('async')) { this.next(); async = true; }
    this.expectKeyword('func');
    const params = this.paramList();
    let result: TypeAst | undefined;
    if (this.eatOp('->')) {
      if (this.isOp('(')) throw new WitError('named results (`-> (a: t, ...)`) are no longer part of WIT: return a tuple or a record', this.peek());
      result = this.type();
    }
    return { async, params, result, span: this.span(start, result?.span ?? start) };
  }

  private paramList(): NamedTypeAst[] {
    this.expectOp('(');
    return this.list(')', () => {
      const name = this.ident('a parameter name');
      this.expectOp(':');
      return { name, type: this.type() };
    });
  }

  private useItem(a: Annotations): UseAst {
    const start = this.expectKeyword('use');
    const path = this.usePath();
    this.expectOp('.');
    this.expectOp('{');
    const names = this.list('}', () => {
      const name = this.ident('a type name');
      let as: Ident | undefined;
      if (this.isKeyword('as')) { this.next(); as = this.ident(); }
      return { name, as };
    });
    if (names.length === 0) throw new WitError('a `use` must name at least one type', start);
    const end = this.expectOp(';');
    return { kind: 'use', path, names, docs: a.docs, gate: a.gate, span: this.span(start, end) };
  }

  private worldItem(): WorldItemAst {
    const a = this.annotations();
    const t = this.peek();
    if (this.isKeyword('import') || this.isKeyword('export')) return this.importExport(a);
    this.noExternalId(a, t);
    if (this.isKeyword('use')) return this.useItem(a);
    if (this.isKeyword('include')) return this.include(a);
    const td = this.typeDef(a);
    if (td) return td;
    return this.fail(t, '`import`, `export`, `include`, `use`, a type definition or `}`');
  }

  private importExport(a: Annotations): ImportExportAst {
    const kw = this.next();
    const kind = kw.value as 'import' | 'export';
    const first = this.ident(`the name of the ${kind}`);
    const colon = this.peek();
    let name: Ident | undefined;
    let extern: ExternAst;
    if (this.isOp(':', colon)) {
      // `a:b/c` (written without spaces) is an interface of package `a:b`; `a: b` gives the
      // plain name `a` to interface `b` (WIT.md: `a:b` is lexed as one token).
      this.next();
      const after = this.peek();
      const packagePath = colon.start === first.span.end && after.start === colon.end && after.kind === 'id';
      if (packagePath) {
        this.lex.reset(first.span.start);
        extern = { kind: 'path', path: this.usePath() };
        this.expectOp(';');
      } else {
        name = first;
        if (this.isKeyword('func') || this.isKeyword('async')) {
          extern = { kind: 'func', type: this.funcType() };
          this.expectOp(';');
        } else if (this.isKeyword('interface')) {
          const it = this.next();
          this.expectOp('{');
          extern = { kind: 'interface', items: this.interfaceItems(), span: it };
        } else {
          extern = { kind: 'path', path: this.usePath() };
          this.expectOp(';');
        }
      }
    } else {
      extern = { kind: 'path', path: { kind: 'local', name: first } };
      this.expectOp(';');
    }
    if (name === undefined && a.externalId !== undefined) this.noExternalId(a, kw);
    return { kind, name, extern, docs: a.docs, gate: a.gate, externalId: a.externalId, span: this.span(kw, first.span) };
  }

  private include(a: Annotations): IncludeAst {
    const start = this.expectKeyword('include');
    const path = this.usePath();
    const withs: { from: Ident; to: Ident }[] = [];
    if (this.isKeyword('with')) {
      this.next();
      this.expectOp('{');
      withs.push(...this.list('}', () => {
        const from = this.ident();
        this.expectKeyword('as');
        return { from, to: this.ident() };
      }));
    }
    // `include w with { a as b }` needs no `;` (WIT.md grammar); one is accepted.
    const end = withs.length > 0 && !this.isOp(';') ? path.name.span : this.expectOp(';');
    return { kind: 'include', path, with: withs, docs: a.docs, gate: a.gate, span: this.span(start, end) };
  }

  // ---------------------------------------------------------------- type definitions

  /** A typedef item if the next token starts one. */
  private typeDef(a: Annotations): TypeDefAst | undefined {
    const t = this.peek();
    if (t.kind !== 'keyword') return undefined;
    const base = { docs: a.docs, gate: a.gate, externalId: a.externalId };
    switch (t.value) {
      case 'record': {
        this.next();
        const name = this.ident('a record name');
        this.expectOp('{');
        const fields = this.list('}', () => {
          const docs = joinDocs(this.peek().docs);
          const field = this.ident('a field name');
          this.expectOp(':');
          return { name: field, type: this.type(), docs };
        });
        if (fields.length === 0) throw new WitError(`record \`${name.name}\` has no fields`, name.span);
        return { kind: 'record', name, fields, ...base };
      }
      case 'variant': {
        this.next();
        const name = this.ident('a variant name');
        this.expectOp('{');
        const cases = this.list('}', () => {
          const docs = joinDocs(this.peek().docs);
          const c = this.ident('a case name');
          let type: TypeAst | undefined;
          if (this.eatOp('(')) { type = this.type(); this.expectOp(')'); }
          return { name: c, type, docs };
        });
        if (cases.length === 0) throw new WitError(`variant \`${name.name}\` has no cases`, name.span);
        return { kind: 'variant', name, cases, ...base };
      }
      case 'enum': case 'flags': {
        this.next();
        const kind = t.value;
        const name = this.ident(`a${kind === 'enum' ? 'n enum' : ' flags'} name`);
        this.expectOp('{');
        const names = this.list('}', () => {
          const docs = joinDocs(this.peek().docs);
          return { name: this.ident(kind === 'enum' ? 'a case name' : 'a flag name'), docs };
        });
        if (kind === 'enum' && names.length === 0) throw new WitError(`enum \`${name.name}\` has no cases`, name.span);
        return { kind, name, names, ...base };
      }
      case 'resource': {
        this.next();
        const name = this.ident('a resource name');
        const funcs: ResourceFuncAst[] = [];
        if (this.isOp('{')) {
          this.next();
          while (!this.eatOp('}')) funcs.push(this.resourceFunc());
        } else {
          this.expectOp(';');
        }
        return { kind: 'resource', name, funcs, ...base };
      }
      case 'type': {
        this.next();
        const name = this.ident('a type name');
        this.expectOp('=');
        const type = this.type();
        this.expectOp(';');
        return { kind: 'alias', name, type, ...base };
      }
      default:
        return undefined;
    }
  }

  private resourceFunc(): ResourceFuncAst {
    const a = this.annotations();
    const t = this.peek();
    const base = { docs: a.docs, gate: a.gate, externalId: a.externalId };
    if (this.isKeyword('constructor')) {
      this.next();
      const params = this.paramList();
      let result: TypeAst | undefined;
      if (this.eatOp('->')) result = this.type();
      const end = this.expectOp(';');
      return { kind: 'constructor', name: { name: 'constructor', span: t }, type: { async: false, params, result, span: this.span(t, end) }, ...base };
    }
    if (t.kind !== 'id') this.fail(t, 'a method name, `constructor` or `}`');
    const name = this.ident();
    this.expectOp(':');
    let kind: 'method' | 'static' = 'method';
    if (this.isKeyword('static')) { this.next(); kind = 'static'; }
    const type = this.funcType();
    this.expectOp(';');
    return { kind, name, type, ...base };
  }

  // ---------------------------------------------------------------- types

  private type(): TypeAst {
    const t = this.next();
    if (t.kind === 'id') return { kind: 'named', name: { name: t.value, span: t }, span: t };
    if (t.kind === 'op' && t.value === '_') throw new WitError('`_` is only allowed as the ok type of `result<_, E>`', t);
    if (t.kind !== 'keyword') this.fail(t, 'a type');
    if (PRIMS.has(t.value)) return { kind: 'prim', name: t.value as PrimName, span: t };
    const close = (start: Token): Span => this.span(start, this.expectOp('>'));
    switch (t.value) {
      case 'list': {
        this.expectOp('<');
        const elem = this.type();
        let length: number | undefined;
        if (this.eatOp(',')) {
          const n = this.next();
          if (n.kind !== 'integer' || !/^[1-9][0-9]*$/.test(n.value) || Number(n.value) > 0xffffffff) this.fail(n, 'a list length (an integer from 1 to 2^32-1)');
          length = Number(n.value);
        }
        return { kind: 'list', elem, length, span: close(t) };
      }
      case 'map': {
        this.expectOp('<');
        const key = this.type();
        this.expectOp(',');
        const value = this.type();
        return { kind: 'map', key, value, span: close(t) };
      }
      case 'tuple': {
        this.expectOp('<');
        const types: TypeAst[] = [];
        while (!this.isOp('>')) {
          types.push(this.type());
          if (!this.eatOp(',')) break;
        }
        if (types.length === 0) throw new WitError('a tuple needs at least one type', t);
        return { kind: 'tuple', types, span: close(t) };
      }
      case 'option': {
        this.expectOp('<');
        const type = this.type();
        return { kind: 'option', type, span: close(t) };
      }
      case 'result': {
        if (!this.eatOp('<')) return { kind: 'result', span: t };
        let ok: TypeAst | undefined;
        if (this.isOp('_')) this.next(); else ok = this.type();
        let err: TypeAst | undefined;
        if (this.eatOp(',')) {
          if (this.isOp('_')) throw new WitError('write `result<T>` for a result without an error type', this.peek());
          err = this.type();
        } else if (ok === undefined) {
          throw new WitError('`result<_>` is not a type: write `result`', t);
        }
        return { kind: 'result', ok, err, span: close(t) };
      }
      case 'future': case 'stream': {
        const kind = t.value;
        if (!this.eatOp('<')) return { kind, span: t };
        const type = this.type();
        return { kind, type, span: close(t) };
      }
      case 'own': case 'borrow': {
        const kind = t.value;
        this.expectOp('<');
        const name = this.ident('a resource name');
        return { kind, name, span: close(t) };
      }
      default:
        return this.fail(t, 'a type');
    }
  }
}
