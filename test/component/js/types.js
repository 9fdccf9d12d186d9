// The component's implementation of `api` (types.wit): each echo function passes its argument
// through the host's import and returns what the host returned.
import * as host from 'test:types/host';

const echo = {};
for (const name of ['Bool', 'U8', 'S8', 'U16', 'S16', 'U32', 'S32', 'U64', 'S64', 'F32', 'F64', 'Char', 'String',
  'Bytes', 'Words', 'Strings', 'Point', 'Tuple', 'Shape', 'Color', 'Option', 'Result', 'Perms']) {
  echo['echo' + name] = (x) => host['h' + name](x);
}

class Counter {
  constructor(start) { this.n = start; }
  add(n) { this.n += n; }
  get() { return this.n; }
  static make(v) { return new Counter(v * 2); }
  merge(other) { this.n += other.n; }
}

export const api = {
  ...echo,
  // result<u32, string> is a plain return or a thrown error in componentize-js.
  echoResult(x) { return host.hResult(x); },
  reverseString(x) { return [...x].reverse().join(''); },
  sumWords(x) { let s = 0n; for (const v of x) s += BigInt(v); return s; },
  idWords(x) { return x; },
  Counter,
  consume(c) { return c.get() + 1000; },
};
