// Running WASI 0.2 command components from the library.

import type { EngineChoice } from '../../api/backend.js';
import { LinkError } from '../../errors.js';
import { instantiateComponent, type ComponentOptions } from '../../component/index.js';
import { Fuel } from '../../engine/fuel.js';
import { ComponentError } from '../../component/canonical/call.js';
import { withoutVersion } from '../../component/instantiate.js';
import { ExitStatus } from '../preview1.js';
import { resolveWasiOptions, type WasiRunOptions } from '../index.js';
import { LineOutput, type OutputStream } from '../stdio.js';
import { Preview2, type Preview2Options } from './host.js';

export { Preview2 } from './host.js';

/**
 * Instantiates a command component with the WASI 0.2 host and calls its `wasi:cli/run` export
 * (any 0.2.x version); returns the exit code: 0 for ok, 1 for an error result, or wasi:cli/exit's.
 * `engine` may also be the component options (engine, fuel, maxMemory).
 */
export function runComponentCommand(bytes: Uint8Array, options: Preview2Options, engine: EngineChoice | ComponentOptions = 'auto'): number {
  const host = new Preview2(options);
  const { exports } = instantiateComponent(bytes, host.imports, typeof engine === 'string' ? { engine } : engine);
  const name = Object.keys(exports).find((k) => withoutVersion(k) === 'wasi:cli/run' && k.includes('@')) ?? 'wasi:cli/run';
  const run = (exports[name] as { run?: () => void } | undefined)?.run;
  if (typeof run !== 'function') throw new LinkError('the component does not export `wasi:cli/run` (not a command)');
  try {
    run();
    return 0;
  } catch (e) {
    if (e instanceof ExitStatus) return e.code;
    if (e instanceof ComponentError) return 1;
    throw e;
  }
}

/** runCommand for components: the same options (args, env, preopens, stdio, engine), and the host's `http` client and `net`. */
export async function runComponent(bytes: Uint8Array, options: WasiRunOptions & Pick<Preview2Options, 'http' | 'net'> = {}): Promise<number> {
  const resolved = await resolveWasiOptions(options);
  const fuel = options.fuel !== undefined ? new Fuel(options.fuel) : undefined;
  try {
    return runComponentCommand(bytes, { ...resolved, http: options.http, net: options.net }, { engine: options.engine, fuel });
  } finally {
    flush(resolved.stdout); flush(resolved.stderr);
  }
}

function flush(s: OutputStream | undefined): void {
  if (s instanceof LineOutput) s.flush();
}
