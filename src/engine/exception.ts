// Exceptions (spec 3.0 §4.4.5 throw, throw_ref, try_table; the legacy try/catch/delegate/rethrow)
// as JS exceptions. A Wasm exception is a JS object holding its tag and payload; api/ makes it
// an instance of WebAssembly.Exception (setExceptionPrototype), so that it crosses the JS
// boundary unchanged, as the JS API says, and one a host function throws is caught by tag.
//
// Anything else a host function throws is a JS exception: the JS API wraps it in an exception
// of the JavaScript tag (JS_TAG, payload [value]). Here it simply stays the thrown value:
// catch_all and catch $jstag see it, and throw_ref / rethrow throw the very same value again.
// So an exnref is the thrown value itself, except that a thrown `null` is boxed (null is the
// null exnref). Traps (RuntimeError) and host stack exhaustion are never caught (runtime.ts
// isCatchable).

import { externref } from '../ast/types.js';
import type { TagObject } from './types.js';
import { canonicalTypeId } from './typeids.js';

/** An exception instance (spec: exception address -> {tag, fields}); payload in internal values. */
export class WasmException {
  constructor(readonly tag: TagObject, readonly payload: readonly unknown[]) {}
}

/** The payload of every exception of a tag without parameters (payloads are never written). */
export const NO_PAYLOAD: readonly unknown[] = Object.freeze([]);

/** The JavaScript exception tag (JS API "get the JavaScript exception tag"): [externref] -> []. */
export const JS_TAG: TagObject = Object.freeze({
  params: Object.freeze([externref]),
  typeId: canonicalTypeId({ kind: 'func', params: [externref], results: [] }),
});

/**
 * Makes the exceptions thrown by Wasm code. Its prototype is WasmException's until api/ sets it
 * to WebAssembly.Exception.prototype (a subclass of WasmException); a plain constructor
 * function, so that every throw allocates one object of one shape.
 */
export const NewException = function (this: { tag: TagObject; payload: readonly unknown[] }, tag: TagObject, payload: readonly unknown[]) {
  this.tag = tag;
  this.payload = payload;
} as unknown as new (tag: TagObject, payload: readonly unknown[]) => WasmException;
NewException.prototype = WasmException.prototype;

/** Called by api/ once: exceptions made by Wasm code are instances of `proto`'s class. */
export function setExceptionPrototype(proto: WasmException): void {
  NewException.prototype = proto;
}

/** `throw` of a tag that may be imported (so may be JS_TAG, whose exceptions are the JS value itself). */
export function exception(tag: TagObject, payload: readonly unknown[]): unknown {
  return tag === JS_TAG ? payload[0] : new NewException(tag, payload);
}

/** The payload `e` carries for a handler of `tag`, or undefined when the handler does not match. */
export function match(e: unknown, tag: TagObject): readonly unknown[] | undefined {
  if (e instanceof WasmException) return e.tag === tag ? e.payload : undefined;
  return tag === JS_TAG ? [e] : undefined;
}

/** A thrown `null`, as an exnref (null itself is the null reference). */
class ThrownNull {}
const THROWN_NULL = new ThrownNull();

/** The exnref of a caught value (catch_ref, catch_all_ref). */
export function exnref(e: unknown): unknown {
  return e === null ? THROWN_NULL : e;
}

/** What throw_ref throws for a non-null exnref. */
export function thrown(x: unknown): unknown {
  return x === THROWN_NULL ? null : x;
}
