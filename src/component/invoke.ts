// Calling any exported function of a component instance from WAVE text (`name(args)`), and the
// result printed in WAVE: what `kasane run --invoke` does for components.

import { LinkError } from '../errors.js';
import { ComponentError } from './canonical/call.js';
import type { ComponentInstance, Extern, Func } from './instantiate.js';
import { parseWaveArgs, parseWaveCall, printWave } from '../wit/wave.js';

/**
 * The function an invocation names: a function export of the component, `instance#function` for a
 * function of an exported instance, or a function name found in exactly one exported instance.
 */
export function findFunction(externs: Map<string, Extern>, name: string): Func {
  const direct = externs.get(name);
  if (direct?.sort === 'func') return direct.func;
  const hash = name.lastIndexOf('#');
  if (hash > 0) {
    const inst = externs.get(name.slice(0, hash));
    const f = inst?.sort === 'instance' ? inst.instance.exports.get(name.slice(hash + 1)) : undefined;
    if (f?.sort === 'func') return f.func;
  }
  const found: Func[] = [];
  for (const x of externs.values()) {
    if (x.sort !== 'instance') continue;
    const f = x.instance.exports.get(name);
    if (f?.sort === 'func') found.push(f.func);
  }
  if (found.length === 1) return found[0];
  const names = [...externs].flatMap(([n, x]) => (x.sort === 'func' ? [n] : x.sort === 'instance' ? [...x.instance.exports].filter(([, e]) => e.sort === 'func').map(([m]) => `${n}#${m}`) : []));
  throw new LinkError(found.length > 1 ? `\`${name}\` is exported by several instances: name one as INSTANCE#${name}` : `no exported function \`${name}\` (exported functions: ${names.join(', ') || 'none'})`);
}

/** Calls `name(args)` (WAVE) on the instance; returns the results in WAVE, one per line. */
export function invokeWave(instance: ComponentInstance, text: string): string {
  const { name, args } = parseWaveCall(text);
  const f = findFunction(instance.externs, name);
  const values = parseWaveArgs(args, f.type.params.map((p) => p.type));
  const results = f.type.results;
  const returnsResult = results.length === 1 && results[0].kind === 'result' && f.type.resultNames === undefined;
  let r: unknown;
  try {
    r = f.call(...values);
    if (returnsResult) r = { tag: 'ok', val: r };
  } catch (e) {
    if (!(returnsResult && e instanceof ComponentError)) throw e;
    r = { tag: 'err', val: e.payload };
  }
  if (results.length === 0) return '';
  const list = results.length === 1 && f.type.resultNames === undefined ? [r] : (r as unknown[]);
  return results.map((t, i) => printWave(list[i], t) + '\n').join('');
}
