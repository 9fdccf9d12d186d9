// WebAssembly.Tag, WebAssembly.Exception and WebAssembly.JSTag (JS API §"Tags", §"Exceptions").
// A Wasm exception is an engine WasmException (engine/exception.ts); Exception is its subclass
// here, and the engine makes the exceptions Wasm code throws with Exception.prototype, so they
// reach JS as WebAssembly.Exception objects and a JS-made Exception thrown into Wasm is caught
// by tag. Tags are engine TagObjects; one Tag object per TagObject (the tag object cache).

import type { ValType } from '../ast/types.js';
import { valTypeToString } from '../ast/types.js';
import { JS_TAG, WasmException, setExceptionPrototype } from '../engine/exception.js';
import type { TagObject } from '../engine/types.js';
import { canonicalTypeId } from '../engine/typeids.js';
import { dictionary, enforceRange, toJSValue, toValueType, toWasmValue } from './convert.js';

const tagStates = new WeakMap<object, TagObject>();
const tagCache = new WeakMap<TagObject, Tag>();

/** The engine tag of a Tag object, else undefined. */
export function tagObjectOf(v: unknown): TagObject | undefined {
  return typeof v === 'object' && v !== null ? tagStates.get(v) : undefined;
}

/** The WebIDL conversion of an argument declared `Tag`. */
function tagArg(v: unknown, what: string): TagObject {
  const t = tagObjectOf(v);
  if (t === undefined) throw new TypeError(`${what} must be a WebAssembly.Tag`);
  return t;
}


/** The ValueType string of a type (JS type reflection), as a Tag's type() reports it. */
function valueTypeName(t: ValType): string {
  if (typeof t === 'string') return t;
  if (t.nullable && t.heap === 'func') return 'funcref';
  if (t.nullable && t.heap === 'extern') return 'externref';
  if (t.nullable && t.heap === 'any') return 'anyref';
  return valTypeToString(t);
}

/** WebIDL sequence<T> conversion: any iterable object. */
function sequence(v: unknown, what: string): unknown[] {
  if ((typeof v !== 'object' || v === null) && typeof v !== 'function') throw new TypeError(`${what} must be a sequence`);
  const iter = (v as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof iter !== 'function') throw new TypeError(`${what} must be a sequence`);
  return [...(v as Iterable<unknown>)];
}

/** Types that cannot cross the JS boundary (JS API: v128 and exnref). */
function crossesJS(t: ValType): boolean {
  return t !== 'v128' && !(typeof t === 'object' && (t.heap === 'exn' || t.heap === 'noexn'));
}

export interface TagType { parameters: string[] }

export class Tag {
  constructor(type: TagType) {
    const d = dictionary(type, 'WebAssembly.Tag type');
    const p = d.parameters;
    if (p === undefined) throw new TypeError('WebAssembly.Tag type requires "parameters"');
    const params = sequence(p, 'WebAssembly.Tag parameters').map((v) => toValueType(v, 'tag parameter'));
    const t: TagObject = { params, typeId: canonicalTypeId({ kind: 'func', params, results: [] }) };
    tagStates.set(this, t);
    tagCache.set(t, this);
  }

  /** The tag's type (JS type reflection proposal). */
  type(): TagType {
    const t = tagArg(this, 'receiver');
    return { parameters: t.params.map(valueTypeName) };
  }
}
Object.defineProperty(Tag.prototype, Symbol.toStringTag, { value: 'WebAssembly.Tag', configurable: true });

/** The one Tag object of an engine tag (an export, or the JS tag). */
export function wrapTag(t: TagObject): Tag {
  let w = tagCache.get(t);
  if (!w) {
    w = Object.create(Tag.prototype) as Tag;
    tagStates.set(w, t);
    tagCache.set(t, w);
  }
  return w;
}

/** The JavaScript exception tag: catches (and throws) JS exceptions as externref. */
export const JSTag = wrapTag(JS_TAG);

export interface ExceptionOptions { traceStack?: boolean }

/** Stacks of exceptions made with { traceStack: true } (most exceptions have none). */
const stacks = new WeakMap<object, string>();

function exceptionThis(self: unknown): WasmException {
  if (!(self instanceof WasmException)) throw new TypeError('receiver is not a WebAssembly.Exception');
  return self;
}

export class Exception extends WasmException {
  constructor(exceptionTag: Tag, payload: Iterable<unknown>, ...rest: [options?: ExceptionOptions]) {
    const tag = tagArg(exceptionTag, 'WebAssembly.Exception tag');
    const values = sequence(payload, 'WebAssembly.Exception payload');
    const options = dictionary(rest[0], 'WebAssembly.Exception options');
    const traceStack = Boolean(options.traceStack);
    if (tag === JS_TAG) throw new TypeError('cannot make a WebAssembly.Exception of WebAssembly.JSTag');
    if (values.length !== tag.params.length) {
      throw new TypeError(`the tag has ${tag.params.length} parameters, the payload ${values.length} values`);
    }
    const wasm = tag.params.map((t, i) => {
      if (!crossesJS(t)) throw new TypeError(`a ${valTypeToString(t)} value cannot be made from JavaScript`);
      return toWasmValue(values[i], t);
    });
    super(tag, wasm);
    if (traceStack) {
      const s = new Error().stack;
      if (s !== undefined) stacks.set(this, s.replace(/^Error\n/, ''));
    }
  }

  getArg(exceptionTag: Tag, index: number): unknown {
    const e = exceptionThis(this);
    const tag = tagArg(exceptionTag, 'WebAssembly.Exception.getArg tag');
    const i = enforceRange(index, 'index');
    if (e.tag !== tag) throw new TypeError('the exception does not have this tag');
    if (i >= e.payload.length) throw new RangeError(`index ${i} is out of range: the payload has ${e.payload.length} values`);
    const t = tag.params[i];
    if (!crossesJS(t)) throw new TypeError(`a ${valTypeToString(t)} value cannot be passed to JavaScript`);
    return toJSValue(e.payload[i], t);
  }

  is(exceptionTag: Tag): boolean {
    const e = exceptionThis(this);
    return e.tag === tagArg(exceptionTag, 'WebAssembly.Exception.is tag');
  }

  get stack(): string | undefined {
    return stacks.get(exceptionThis(this));
  }
}
Object.defineProperty(Exception.prototype, Symbol.toStringTag, { value: 'WebAssembly.Exception', configurable: true });

// Exceptions thrown by Wasm code are WebAssembly.Exception objects.
setExceptionPrototype(Exception.prototype);
