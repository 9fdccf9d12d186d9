// QuickJS (npm: @jitl/quickjs-wasmfile-release-sync, emscripten output) on whatever
// globalThis.WebAssembly is at call time: Node's own, or Kasane's after `kasane/polyfill`.
// Its emscripten glue reaches the host only through that global.

import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSSyncVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-wasmfile-release-sync';

export function loadQuickJS(): Promise<QuickJSWASMModule> {
  // the package's CommonJS typings wrap the default export once more than its ESM build does
  return newQuickJSWASMModuleFromVariant(variant as unknown as QuickJSSyncVariant);
}

/**
 * What QuickJS lacks and Kasane's library uses: TextEncoder/TextDecoder (UTF-8 only, `fatal`
 * honoured), performance.now/timeOrigin and Atomics. Plain JavaScript, evaluated inside QuickJS.
 */
export const QUICKJS_PRELUDE = String.raw`
(function () {
  function TextEncoder() {}
  TextEncoder.prototype.encode = function (s) {
    s = String(s === undefined ? '' : s);
    var out = [], i = 0;
    while (i < s.length) {
      var c = s.codePointAt(i); i += c > 0xffff ? 2 : 1;
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return new Uint8Array(out);
  };
  function TextDecoder(label, options) { this.fatal = !!(options && options.fatal); }
  TextDecoder.prototype.decode = function (b) {
    if (b === undefined) return '';
    var u = b instanceof Uint8Array ? b : ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
    var s = '', i = 0, fatal = this.fatal;
    function bad() { if (fatal) throw new TypeError('The encoded data was not valid utf-8'); return 0xfffd; }
    while (i < u.length) {
      var c = u[i++], n = 0, min = 0;
      if (c >= 0x80) {
        if (c >= 0xf0 && c < 0xf5) { n = 3; c &= 7; min = 0x10000; }
        else if (c >= 0xe0 && c < 0xf0) { n = 2; c &= 15; min = 0x800; }
        else if (c >= 0xc2 && c < 0xe0) { n = 1; c &= 31; min = 0x80; }
        else { c = bad(); n = -1; }
        for (var k = 0; k < n; k++) {
          if (i >= u.length || (u[i] & 0xc0) !== 0x80) { c = bad(); n = -1; break; }
          c = (c << 6) | (u[i++] & 63);
        }
        if (n > 0 && (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))) c = bad();
      }
      s += String.fromCodePoint(c);
    }
    return s;
  };
  globalThis.TextEncoder = TextEncoder;
  globalThis.TextDecoder = TextDecoder;
  // QuickJS is built here without Atomics; one thread, so plain reads and writes are atomic.
  // (Kasane's threads support refers to Atomics when its modules load.)
  if (typeof Atomics === 'undefined') {
    var rmw = function (f) { return function (a, i, v) { var old = a[i]; a[i] = f(old, v); return old; }; };
    globalThis.Atomics = {
      load: function (a, i) { return a[i]; },
      store: function (a, i, v) { a[i] = v; return a[i]; },
      add: rmw(function (x, v) { return x + v; }), sub: rmw(function (x, v) { return x - v; }),
      and: rmw(function (x, v) { return x & v; }), or: rmw(function (x, v) { return x | v; }),
      xor: rmw(function (x, v) { return x ^ v; }), exchange: rmw(function (x, v) { return v; }),
      compareExchange: function (a, i, e, v) { var old = a[i]; if (old === e) a[i] = v; return old; },
      wait: function (a, i, v) { return a[i] !== v ? 'not-equal' : 'timed-out'; },
      notify: function () { return 0; },
      isLockFree: function (n) { return n === 1 || n === 2 || n === 4; },
    };
  }
  var origin = Date.now();
  globalThis.performance = { timeOrigin: origin, now: function () { return Date.now() - origin; } };
})();
`;

/**
 * Evaluates `code` (a script) in the context, runs pending jobs until `globalThis.__result`
 * (set by the script, possibly after awaiting) is defined, and returns it. Errors thrown by the
 * script come back as Error with QuickJS's message and stack.
 */
export function evalForResult(vm: QuickJSContext, code: string, filename = 'eval.js'): unknown {
  const r = vm.evalCode(code, filename);
  if (r.error) {
    const e = vm.dump(r.error) as { message?: string; stack?: string };
    r.error.dispose();
    throw new Error(`QuickJS: ${e?.message ?? String(e)}\n${e?.stack ?? ''}`);
  }
  r.value.dispose();
  for (;;) {
    const jobs = vm.runtime.executePendingJobs();
    if (jobs.error) {
      const e = vm.dump(jobs.error) as { message?: string };
      jobs.error.dispose();
      throw new Error(`QuickJS job: ${e?.message ?? String(e)}`);
    }
    if (jobs.value === 0) break;
  }
  const h = vm.getProp(vm.global, '__result');
  const value = vm.dump(h);
  h.dispose();
  return value;
}
