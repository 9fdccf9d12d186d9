// Tail calls (return_call, return_call_indirect, return_call_ref) in constant JS stack, by a
// trampoline that only functions containing a tail call pay for.
//
// Such a function is compiled as a body whose tail calls store the callee and its arguments in
// TS/TA and return the TAIL marker instead of calling; its entry point (the call slot, FuncRef
// raw and call) is a driver that calls the body and then runs pending tail calls until a real
// result comes back. A tail call targets the callee's body (its FuncRef `tail`, the slot I.FT):
// for a function without tail calls that is simply the function itself, which returns a result.
// So mutual tail recursion runs in the driver's loop, one JS frame deep, and code without tail
// calls keeps plain JS calls: nothing else checks for TAIL.

type Fn = (...args: unknown[]) => unknown;

/** Returned by a body in place of a result: a tail call is pending in TS/TA. */
export const TAIL: object = Object.freeze({ pendingTailCall: true });

/** The pending tail call: callee (a body or plain function) and argument count. */
export const TS: { f: Fn; n: number } = { f: () => undefined, n: 0 };

/**
 * The pending call's arguments. A generic (not double) array: V8 quiets signalling NaNs stored
 * in arrays of doubles, and f32/f64 arguments must keep their bits.
 */
export const TA: unknown[] = new Array(16).fill(null);

/** Runs the pending tail call; returns its result, or TAIL again if the callee tail-called. */
export function tailRun(): unknown {
  const f = TS.f;
  const a = TA;
  switch (TS.n) {
    case 0: return f();
    case 1: return f(a[0]);
    case 2: return f(a[0], a[1]);
    case 3: return f(a[0], a[1], a[2]);
    case 4: return f(a[0], a[1], a[2], a[3]);
    case 5: return f(a[0], a[1], a[2], a[3], a[4]);
    case 6: return f(a[0], a[1], a[2], a[3], a[4], a[5]);
    default: return Reflect.apply(f, undefined, a.slice(0, TS.n));
  }
}

const drivers: ((body: Fn, tail: object, run: () => unknown) => Fn)[] = [];

function params(n: number): string {
  return Array.from({ length: n }, (_, i) => `a${i}`).join(', ');
}

/** The entry point of a function whose body may return TAIL (fixed arity: NaN bits survive). */
export function tailDriver(n: number, body: Fn): Fn {
  const f = (drivers[n] ??= new Function('body', 'TAIL', 'run',
    `return function (${params(n)}) { let r = body(${params(n)}); while (r === TAIL) r = run(); return r; };`,
  ) as (typeof drivers)[number]);
  return f(body, TAIL, tailRun);
}
