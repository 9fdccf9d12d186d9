// The argument checks wasmtime makes before a preview1 function runs (wiggle's conversions of
// its arguments to their witx types): an enum argument outside its enum ("Invalid enum value
// Whence") or a flags argument with a bit its type does not define ("Invalid flag value Oflags")
// stops the program with an error, whatever the other arguments are. Not a Wasm trap: wasmtime
// 49 reports it as a host error (the CLI exits with 1, not a trap's 134), measured with the
// Python package. Kasane does the same (InvalidArgumentError; `kasane run` exits with 1), so a
// program that passes one fails as under wasmtime instead of going on with an errno. Enums and
// flags read from guest memory (poll_oneoff's subscriptions) are not arguments: wasmtime
// answers INVAL for those, and so does Kasane.

import { RIGHTS_ALL } from './constants.js';

/** A preview1 function was called with an invalid enum or flags argument; unwinds the guest. */
export class InvalidArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArgumentError';
  }
}

/** [argument index, witx type name, largest enum value or mask of defined flag bits]. */
type EnumCheck = readonly [index: number, type: string, max: number];
type FlagCheck = readonly [index: number, type: string, mask: number | bigint];

interface Checks { enums?: readonly EnumCheck[]; flags?: readonly FlagCheck[] }

const CLOCKID: EnumCheck = [0, 'Clockid', 3];
const RIGHTS = (i: number): FlagCheck => [i, 'Rights', RIGHTS_ALL];
const LOOKUPFLAGS = (i: number): FlagCheck => [i, 'Lookupflags', 0x1];
const FSTFLAGS = (i: number): FlagCheck => [i, 'Fstflags', 0xf];
const FDFLAGS = (i: number): FlagCheck => [i, 'Fdflags', 0x1f];

/** Per function, its enum and flags arguments (witx: wasi_snapshot_preview1.witx). */
export const ARG_CHECKS: Record<string, Checks> = {
  clock_res_get: { enums: [CLOCKID] },
  clock_time_get: { enums: [CLOCKID] },
  fd_advise: { enums: [[3, 'Advice', 5]] },
  fd_fdstat_set_flags: { flags: [FDFLAGS(1)] },
  fd_fdstat_set_rights: { flags: [RIGHTS(1), RIGHTS(2)] },
  fd_filestat_set_times: { flags: [FSTFLAGS(3)] },
  fd_seek: { enums: [[2, 'Whence', 2]] },
  path_filestat_get: { flags: [LOOKUPFLAGS(1)] },
  path_filestat_set_times: { flags: [LOOKUPFLAGS(1), FSTFLAGS(6)] },
  path_link: { flags: [LOOKUPFLAGS(1)] },
  path_open: { flags: [LOOKUPFLAGS(1), [4, 'Oflags', 0xf], RIGHTS(5), RIGHTS(6), FDFLAGS(7)] },
  proc_raise: { enums: [[0, 'Signal', 30]] },
  sock_accept: { flags: [FDFLAGS(1)] },
  sock_recv: { flags: [[3, 'Riflags', 0x3]] },
  // siflags defines no flag, but wasmtime takes any u16.
  sock_send: { flags: [[3, 'Siflags', 0xffff]] },
  sock_shutdown: { flags: [[1, 'Sdflags', 0x3]] },
};

/**
 * A function that throws for the first invalid argument of `name`'s call (arguments as
 * the import receives them: i32 as numbers, i64 as BigInts), or undefined when it has none to check.
 */
export function argChecker(name: string): ((args: readonly unknown[]) => void) | undefined {
  const c = ARG_CHECKS[name];
  if (c === undefined) return undefined;
  return (args) => {
    for (const [i, type, max] of c.enums ?? []) {
      if ((args[i] as number) >>> 0 > max) throw invalid(name, `Invalid enum value ${type}`);
    }
    for (const [i, type, mask] of c.flags ?? []) {
      const v = args[i];
      const bad = typeof mask === 'bigint'
        ? (BigInt.asUintN(64, v as bigint) & ~mask) !== 0n
        : ((v as number) >>> 0 & ~mask) !== 0;
      if (bad) throw invalid(name, `Invalid flag value ${type}`);
    }
  };
}

function invalid(name: string, what: string): InvalidArgumentError {
  return new InvalidArgumentError(`wasi_snapshot_preview1::${name}: ${what}`);
}
