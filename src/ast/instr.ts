// One decoded instruction: the exchange format between the binary codec (binary/instr.ts:
// readInstr / writeInstr), the text parser (which builds these and encodes them) and the
// printer. Hot paths (validator, engine) read bytes directly instead of allocating these.

import type { OpInfo } from './opcodes.js';
import type { HeapType, RefType, ValType } from './types.js';

export type BlockType =
  | { readonly kind: 'empty' }
  | { readonly kind: 'value'; readonly type: ValType }
  | { readonly kind: 'type'; readonly index: number };

export interface MemArg {
  /** log2 of the alignment. */
  readonly align: number;
  /** Offset (u64 in memory64; exact below 2^53). */
  readonly offset: number;
  /** Memory index (multi-memory; encoded with flag bit 6 of the alignment field when non-zero). */
  readonly memory: number;
}

/** A `try_table` catch clause; kinds numbered as in the binary format (0..3). */
export interface Catch {
  readonly kind: 'catch' | 'catch_ref' | 'catch_all' | 'catch_all_ref';
  /** Tag index, for `catch` and `catch_ref`. */
  readonly tag?: number;
  readonly label: number;
}

/**
 * An instruction with its immediates. Which fields are set follows `op.imm`:
 * - blocktype: blockType            - label: index           - br_table: labels (default last)
 * - func/type/local/global/table/memory/data/elem/tag: index
 * - call_indirect: index = typeidx, index2 = tableidx
 * - memory_copy / table_copy: index = destination, index2 = source
 * - memory_init: index = dataidx, index2 = memidx     - table_init: index = elemidx, index2 = tableidx
 * - type_field: index = typeidx, index2 = fieldidx    - type_u32: index = typeidx, index2 = count
 * - type_data / type_elem: index = typeidx, index2 = data/elem idx   - type_type: index = dst, index2 = src
 * - select_t: types                 - memarg: memarg          - memarg_lane: memarg, lane
 * - i32: i32 (signed)               - i64: i64 (signed BigInt)
 * - f32: f32Bits (u32 pattern)      - f64: f64Bits (u64 pattern as BigInt)
 * - v128 / shuffle: bytes (16 bytes, little-endian lanes) - lane: lane
 * - heaptype: heapType (ref.null, ref.test, ref.cast; nullability of the latter two is in op)
 * - br_on_cast: index = label, refType1, refType2
 * - try_table: blockType, catches   - zero_byte: nothing
 */
export interface Instr {
  readonly op: OpInfo;
  blockType?: BlockType;
  index?: number;
  index2?: number;
  labels?: number[];
  types?: ValType[];
  memarg?: MemArg;
  lane?: number;
  i32?: number;
  i64?: bigint;
  f32Bits?: number;
  f64Bits?: bigint;
  bytes?: Uint8Array;
  heapType?: HeapType;
  refType1?: RefType;
  refType2?: RefType;
  catches?: Catch[];
}
