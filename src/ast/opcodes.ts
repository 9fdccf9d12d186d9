// Every instruction of WebAssembly 3.0 plus the legacy exception instructions and the
// threads proposal's atomics: text mnemonic, binary opcode, immediates, and (for the
// instructions whose typing is fixed) the stack signature. One table serves the binary
// reader, the text parser, the printer and the validator, so they cannot disagree.

/** Kinds of immediate operands, in binary order. */
export type Imm =
  | 'none'
  | 'blocktype'        // block, loop, if, try
  | 'label'            // br, br_if, br_on_null, br_on_non_null, rethrow, delegate
  | 'br_table'         // vec(labelidx) labelidx
  | 'func'             // call, return_call, ref.func
  | 'call_indirect'    // typeidx tableidx
  | 'type'             // call_ref, return_call_ref, struct.new(_default), array.new(_default), array.get*, array.set, array.fill
  | 'select_t'         // vec(valtype)
  | 'local'
  | 'global'
  | 'table'            // table.get/set/size/grow/fill
  | 'memory'           // memory.size/grow/fill
  | 'memarg'           // loads, stores, atomics
  | 'memarg_lane'      // v128.loadN_lane / storeN_lane: memarg laneidx
  | 'i32' | 'i64' | 'f32' | 'f64' | 'v128'
  | 'shuffle'          // 16 lane indices
  | 'lane'             // extract_lane / replace_lane
  | 'memory_copy'      // memidx memidx
  | 'memory_init'      // dataidx memidx
  | 'data'             // data.drop
  | 'table_copy'       // tableidx tableidx
  | 'table_init'       // elemidx tableidx
  | 'elem'             // elem.drop
  | 'heaptype'         // ref.null, ref.test, ref.cast
  | 'type_field'       // struct.get*/set: typeidx fieldidx
  | 'type_u32'         // array.new_fixed: typeidx u32
  | 'type_data'        // array.new_data, array.init_data: typeidx dataidx
  | 'type_elem'        // array.new_elem, array.init_elem: typeidx elemidx
  | 'type_type'        // array.copy: typeidx typeidx
  | 'br_on_cast'       // castflags labelidx heaptype heaptype
  | 'tag'              // throw, catch (legacy)
  | 'try_table'        // blocktype vec(catch)
  | 'zero_byte';       // atomic.fence: a reserved 0x00 byte

export interface OpInfo {
  /** Text mnemonic. `ref.test`/`ref.cast` have two encodings each (nullable target or not). */
  readonly name: string;
  /** 0 for single-byte opcodes, else the prefix byte 0xFB, 0xFC, 0xFD or 0xFE. */
  readonly prefix: number;
  /** The opcode byte, or the LEB128 u32 sub-opcode after a prefix. */
  readonly code: number;
  readonly imm: Imm;
  /**
   * Stack signature for instructions with fixed typing, e.g. "i32 i32 -> i32". The token `a`
   * stands for the address type of the memory named by the memarg (i32, or i64 for memory64).
   * Absent for instructions the validator types by hand (control, references, variables, GC...).
   */
  readonly sig?: string;
  /** log2 of the natural alignment, for memory accesses (the memarg's maximum alignment). */
  readonly align?: number;
  /** For ref.test / ref.cast: whether this encoding targets a nullable reference type. */
  readonly nullable?: boolean;
}

const ops: OpInfo[] = [];

function op(prefix: number, code: number, name: string, imm: Imm = 'none', sig?: string, align?: number): void {
  ops.push({ name, prefix, code, imm, sig, align });
}

// --- Control and parametric (0x00-0x1F) ---
op(0, 0x00, 'unreachable');
op(0, 0x01, 'nop', 'none', '->');
op(0, 0x02, 'block', 'blocktype');
op(0, 0x03, 'loop', 'blocktype');
op(0, 0x04, 'if', 'blocktype');
op(0, 0x05, 'else');
op(0, 0x06, 'try', 'blocktype');          // legacy exceptions
op(0, 0x07, 'catch', 'tag');              // legacy exceptions
op(0, 0x08, 'throw', 'tag');
op(0, 0x09, 'rethrow', 'label');          // legacy exceptions
op(0, 0x0a, 'throw_ref');
op(0, 0x0b, 'end');
op(0, 0x0c, 'br', 'label');
op(0, 0x0d, 'br_if', 'label');
op(0, 0x0e, 'br_table', 'br_table');
op(0, 0x0f, 'return');
op(0, 0x10, 'call', 'func');
op(0, 0x11, 'call_indirect', 'call_indirect');
op(0, 0x12, 'return_call', 'func');
op(0, 0x13, 'return_call_indirect', 'call_indirect');
op(0, 0x14, 'call_ref', 'type');
op(0, 0x15, 'return_call_ref', 'type');
op(0, 0x18, 'delegate', 'label');         // legacy exceptions
op(0, 0x19, 'catch_all');                 // legacy exceptions
op(0, 0x1a, 'drop');
op(0, 0x1b, 'select');
op(0, 0x1c, 'select', 'select_t');        // typed select: same mnemonic, told apart by `(result t)`
op(0, 0x1f, 'try_table', 'try_table');

// --- Variables and tables ---
op(0, 0x20, 'local.get', 'local');
op(0, 0x21, 'local.set', 'local');
op(0, 0x22, 'local.tee', 'local');
op(0, 0x23, 'global.get', 'global');
op(0, 0x24, 'global.set', 'global');
op(0, 0x25, 'table.get', 'table');
op(0, 0x26, 'table.set', 'table');

// --- Memory ---
const loads: [number, string, string, number][] = [
  [0x28, 'i32.load', 'i32', 2], [0x29, 'i64.load', 'i64', 3], [0x2a, 'f32.load', 'f32', 2], [0x2b, 'f64.load', 'f64', 3],
  [0x2c, 'i32.load8_s', 'i32', 0], [0x2d, 'i32.load8_u', 'i32', 0], [0x2e, 'i32.load16_s', 'i32', 1], [0x2f, 'i32.load16_u', 'i32', 1],
  [0x30, 'i64.load8_s', 'i64', 0], [0x31, 'i64.load8_u', 'i64', 0], [0x32, 'i64.load16_s', 'i64', 1], [0x33, 'i64.load16_u', 'i64', 1],
  [0x34, 'i64.load32_s', 'i64', 2], [0x35, 'i64.load32_u', 'i64', 2],
];
for (const [code, name, t, align] of loads) op(0, code, name, 'memarg', `a -> ${t}`, align);
const stores: [number, string, string, number][] = [
  [0x36, 'i32.store', 'i32', 2], [0x37, 'i64.store', 'i64', 3], [0x38, 'f32.store', 'f32', 2], [0x39, 'f64.store', 'f64', 3],
  [0x3a, 'i32.store8', 'i32', 0], [0x3b, 'i32.store16', 'i32', 1],
  [0x3c, 'i64.store8', 'i64', 0], [0x3d, 'i64.store16', 'i64', 1], [0x3e, 'i64.store32', 'i64', 2],
];
for (const [code, name, t, align] of stores) op(0, code, name, 'memarg', `a ${t} ->`, align);
op(0, 0x3f, 'memory.size', 'memory');
op(0, 0x40, 'memory.grow', 'memory');

// --- Numeric ---
op(0, 0x41, 'i32.const', 'i32', '-> i32');
op(0, 0x42, 'i64.const', 'i64', '-> i64');
op(0, 0x43, 'f32.const', 'f32', '-> f32');
op(0, 0x44, 'f64.const', 'f64', '-> f64');

/** Adds a run of consecutive opcodes sharing a signature. */
function run(prefix: number, first: number, type: string, names: string[], sig: string): void {
  names.forEach((n, i) => op(prefix, first + i, `${type}.${n}`, 'none', sig));
}

const icmp = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const fcmp = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];
const iunop = ['clz', 'ctz', 'popcnt'];
const ibinop = ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'];
const funop = ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'];
const fbinop = ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'];

op(0, 0x45, 'i32.eqz', 'none', 'i32 -> i32');
run(0, 0x46, 'i32', icmp, 'i32 i32 -> i32');
op(0, 0x50, 'i64.eqz', 'none', 'i64 -> i32');
run(0, 0x51, 'i64', icmp, 'i64 i64 -> i32');
run(0, 0x5b, 'f32', fcmp, 'f32 f32 -> i32');
run(0, 0x61, 'f64', fcmp, 'f64 f64 -> i32');
run(0, 0x67, 'i32', iunop, 'i32 -> i32');
run(0, 0x6a, 'i32', ibinop, 'i32 i32 -> i32');
run(0, 0x79, 'i64', iunop, 'i64 -> i64');
run(0, 0x7c, 'i64', ibinop, 'i64 i64 -> i64');
run(0, 0x8b, 'f32', funop, 'f32 -> f32');
run(0, 0x92, 'f32', fbinop, 'f32 f32 -> f32');
run(0, 0x99, 'f64', funop, 'f64 -> f64');
run(0, 0xa0, 'f64', fbinop, 'f64 f64 -> f64');

const conversions: [number, string, string][] = [
  [0xa7, 'i32.wrap_i64', 'i64 -> i32'],
  [0xa8, 'i32.trunc_f32_s', 'f32 -> i32'], [0xa9, 'i32.trunc_f32_u', 'f32 -> i32'],
  [0xaa, 'i32.trunc_f64_s', 'f64 -> i32'], [0xab, 'i32.trunc_f64_u', 'f64 -> i32'],
  [0xac, 'i64.extend_i32_s', 'i32 -> i64'], [0xad, 'i64.extend_i32_u', 'i32 -> i64'],
  [0xae, 'i64.trunc_f32_s', 'f32 -> i64'], [0xaf, 'i64.trunc_f32_u', 'f32 -> i64'],
  [0xb0, 'i64.trunc_f64_s', 'f64 -> i64'], [0xb1, 'i64.trunc_f64_u', 'f64 -> i64'],
  [0xb2, 'f32.convert_i32_s', 'i32 -> f32'], [0xb3, 'f32.convert_i32_u', 'i32 -> f32'],
  [0xb4, 'f32.convert_i64_s', 'i64 -> f32'], [0xb5, 'f32.convert_i64_u', 'i64 -> f32'],
  [0xb6, 'f32.demote_f64', 'f64 -> f32'],
  [0xb7, 'f64.convert_i32_s', 'i32 -> f64'], [0xb8, 'f64.convert_i32_u', 'i32 -> f64'],
  [0xb9, 'f64.convert_i64_s', 'i64 -> f64'], [0xba, 'f64.convert_i64_u', 'i64 -> f64'],
  [0xbb, 'f64.promote_f32', 'f32 -> f64'],
  [0xbc, 'i32.reinterpret_f32', 'f32 -> i32'], [0xbd, 'i64.reinterpret_f64', 'f64 -> i64'],
  [0xbe, 'f32.reinterpret_i32', 'i32 -> f32'], [0xbf, 'f64.reinterpret_i64', 'i64 -> f64'],
  [0xc0, 'i32.extend8_s', 'i32 -> i32'], [0xc1, 'i32.extend16_s', 'i32 -> i32'],
  [0xc2, 'i64.extend8_s', 'i64 -> i64'], [0xc3, 'i64.extend16_s', 'i64 -> i64'], [0xc4, 'i64.extend32_s', 'i64 -> i64'],
];
for (const [code, name, sig] of conversions) op(0, code, name, 'none', sig);

// --- References ---
op(0, 0xd0, 'ref.null', 'heaptype');
op(0, 0xd1, 'ref.is_null');
op(0, 0xd2, 'ref.func', 'func');
op(0, 0xd3, 'ref.eq');
op(0, 0xd4, 'ref.as_non_null');
op(0, 0xd5, 'br_on_null', 'label');
op(0, 0xd6, 'br_on_non_null', 'label');

// --- GC (0xFB) ---
const GC = 0xfb;
op(GC, 0, 'struct.new', 'type');
op(GC, 1, 'struct.new_default', 'type');
op(GC, 2, 'struct.get', 'type_field');
op(GC, 3, 'struct.get_s', 'type_field');
op(GC, 4, 'struct.get_u', 'type_field');
op(GC, 5, 'struct.set', 'type_field');
op(GC, 6, 'array.new', 'type');
op(GC, 7, 'array.new_default', 'type');
op(GC, 8, 'array.new_fixed', 'type_u32');
op(GC, 9, 'array.new_data', 'type_data');
op(GC, 10, 'array.new_elem', 'type_elem');
op(GC, 11, 'array.get', 'type');
op(GC, 12, 'array.get_s', 'type');
op(GC, 13, 'array.get_u', 'type');
op(GC, 14, 'array.set', 'type');
op(GC, 15, 'array.len');
op(GC, 16, 'array.fill', 'type');
op(GC, 17, 'array.copy', 'type_type');
op(GC, 18, 'array.init_data', 'type_data');
op(GC, 19, 'array.init_elem', 'type_elem');
ops.push({ name: 'ref.test', prefix: GC, code: 20, imm: 'heaptype', nullable: false });
ops.push({ name: 'ref.test', prefix: GC, code: 21, imm: 'heaptype', nullable: true });
ops.push({ name: 'ref.cast', prefix: GC, code: 22, imm: 'heaptype', nullable: false });
ops.push({ name: 'ref.cast', prefix: GC, code: 23, imm: 'heaptype', nullable: true });
op(GC, 24, 'br_on_cast', 'br_on_cast');
op(GC, 25, 'br_on_cast_fail', 'br_on_cast');
op(GC, 26, 'any.convert_extern');
op(GC, 27, 'extern.convert_any');
op(GC, 28, 'ref.i31', 'none', 'i32 -> (ref i31)');
op(GC, 29, 'i31.get_s');
op(GC, 30, 'i31.get_u');

// --- Misc (0xFC): saturating truncation, bulk memory, tables ---
const MISC = 0xfc;
const truncSat: [string, string][] = [
  ['i32.trunc_sat_f32_s', 'f32 -> i32'], ['i32.trunc_sat_f32_u', 'f32 -> i32'],
  ['i32.trunc_sat_f64_s', 'f64 -> i32'], ['i32.trunc_sat_f64_u', 'f64 -> i32'],
  ['i64.trunc_sat_f32_s', 'f32 -> i64'], ['i64.trunc_sat_f32_u', 'f32 -> i64'],
  ['i64.trunc_sat_f64_s', 'f64 -> i64'], ['i64.trunc_sat_f64_u', 'f64 -> i64'],
];
truncSat.forEach(([name, sig], i) => op(MISC, i, name, 'none', sig));
op(MISC, 8, 'memory.init', 'memory_init');
op(MISC, 9, 'data.drop', 'data');
op(MISC, 10, 'memory.copy', 'memory_copy');
op(MISC, 11, 'memory.fill', 'memory');
op(MISC, 12, 'table.init', 'table_init');
op(MISC, 13, 'elem.drop', 'elem');
op(MISC, 14, 'table.copy', 'table_copy');
op(MISC, 15, 'table.grow', 'table');
op(MISC, 16, 'table.size', 'table');
op(MISC, 17, 'table.fill', 'table');

// --- SIMD (0xFD), including relaxed SIMD ---
const SIMD = 0xfd;
const simdMem: [number, string, number, string][] = [
  [0, 'v128.load', 4, 'a -> v128'],
  [1, 'v128.load8x8_s', 3, 'a -> v128'], [2, 'v128.load8x8_u', 3, 'a -> v128'],
  [3, 'v128.load16x4_s', 3, 'a -> v128'], [4, 'v128.load16x4_u', 3, 'a -> v128'],
  [5, 'v128.load32x2_s', 3, 'a -> v128'], [6, 'v128.load32x2_u', 3, 'a -> v128'],
  [7, 'v128.load8_splat', 0, 'a -> v128'], [8, 'v128.load16_splat', 1, 'a -> v128'],
  [9, 'v128.load32_splat', 2, 'a -> v128'], [10, 'v128.load64_splat', 3, 'a -> v128'],
  [11, 'v128.store', 4, 'a v128 ->'],
  [92, 'v128.load32_zero', 2, 'a -> v128'], [93, 'v128.load64_zero', 3, 'a -> v128'],
];
for (const [code, name, align, sig] of simdMem) op(SIMD, code, name, 'memarg', sig, align);
const simdLaneMem: [number, string, number, string][] = [
  [84, 'v128.load8_lane', 0, 'a v128 -> v128'], [85, 'v128.load16_lane', 1, 'a v128 -> v128'],
  [86, 'v128.load32_lane', 2, 'a v128 -> v128'], [87, 'v128.load64_lane', 3, 'a v128 -> v128'],
  [88, 'v128.store8_lane', 0, 'a v128 ->'], [89, 'v128.store16_lane', 1, 'a v128 ->'],
  [90, 'v128.store32_lane', 2, 'a v128 ->'], [91, 'v128.store64_lane', 3, 'a v128 ->'],
];
for (const [code, name, align, sig] of simdLaneMem) op(SIMD, code, name, 'memarg_lane', sig, align);
op(SIMD, 12, 'v128.const', 'v128', '-> v128');
op(SIMD, 13, 'i8x16.shuffle', 'shuffle', 'v128 v128 -> v128');
op(SIMD, 14, 'i8x16.swizzle', 'none', 'v128 v128 -> v128');
op(SIMD, 15, 'i8x16.splat', 'none', 'i32 -> v128');
op(SIMD, 16, 'i16x8.splat', 'none', 'i32 -> v128');
op(SIMD, 17, 'i32x4.splat', 'none', 'i32 -> v128');
op(SIMD, 18, 'i64x2.splat', 'none', 'i64 -> v128');
op(SIMD, 19, 'f32x4.splat', 'none', 'f32 -> v128');
op(SIMD, 20, 'f64x2.splat', 'none', 'f64 -> v128');
const lanes: [number, string, string][] = [
  [21, 'i8x16.extract_lane_s', 'v128 -> i32'], [22, 'i8x16.extract_lane_u', 'v128 -> i32'], [23, 'i8x16.replace_lane', 'v128 i32 -> v128'],
  [24, 'i16x8.extract_lane_s', 'v128 -> i32'], [25, 'i16x8.extract_lane_u', 'v128 -> i32'], [26, 'i16x8.replace_lane', 'v128 i32 -> v128'],
  [27, 'i32x4.extract_lane', 'v128 -> i32'], [28, 'i32x4.replace_lane', 'v128 i32 -> v128'],
  [29, 'i64x2.extract_lane', 'v128 -> i64'], [30, 'i64x2.replace_lane', 'v128 i64 -> v128'],
  [31, 'f32x4.extract_lane', 'v128 -> f32'], [32, 'f32x4.replace_lane', 'v128 f32 -> v128'],
  [33, 'f64x2.extract_lane', 'v128 -> f64'], [34, 'f64x2.replace_lane', 'v128 f64 -> v128'],
];
for (const [code, name, sig] of lanes) op(SIMD, code, name, 'lane', sig);

const vbin = 'v128 v128 -> v128';
const vun = 'v128 -> v128';
const vtest = 'v128 -> i32';
const vshift = 'v128 i32 -> v128';
run(SIMD, 35, 'i8x16', icmp, vbin);
run(SIMD, 45, 'i16x8', icmp, vbin);
run(SIMD, 55, 'i32x4', icmp, vbin);
run(SIMD, 65, 'f32x4', fcmp, vbin);
run(SIMD, 71, 'f64x2', fcmp, vbin);
op(SIMD, 77, 'v128.not', 'none', vun);
run(SIMD, 78, 'v128', ['and', 'andnot', 'or', 'xor'], vbin);
op(SIMD, 82, 'v128.bitselect', 'none', 'v128 v128 v128 -> v128');
op(SIMD, 83, 'v128.any_true', 'none', vtest);
op(SIMD, 94, 'f32x4.demote_f64x2_zero', 'none', vun);
op(SIMD, 95, 'f64x2.promote_low_f32x4', 'none', vun);

/** SIMD opcodes 96-255: [code, name, signature]. */
const simd: [number, string, string][] = [
  [96, 'i8x16.abs', vun], [97, 'i8x16.neg', vun], [98, 'i8x16.popcnt', vun], [99, 'i8x16.all_true', vtest],
  [100, 'i8x16.bitmask', vtest], [101, 'i8x16.narrow_i16x8_s', vbin], [102, 'i8x16.narrow_i16x8_u', vbin],
  [103, 'f32x4.ceil', vun], [104, 'f32x4.floor', vun], [105, 'f32x4.trunc', vun], [106, 'f32x4.nearest', vun],
  [107, 'i8x16.shl', vshift], [108, 'i8x16.shr_s', vshift], [109, 'i8x16.shr_u', vshift],
  [110, 'i8x16.add', vbin], [111, 'i8x16.add_sat_s', vbin], [112, 'i8x16.add_sat_u', vbin],
  [113, 'i8x16.sub', vbin], [114, 'i8x16.sub_sat_s', vbin], [115, 'i8x16.sub_sat_u', vbin],
  [116, 'f64x2.ceil', vun], [117, 'f64x2.floor', vun],
  [118, 'i8x16.min_s', vbin], [119, 'i8x16.min_u', vbin], [120, 'i8x16.max_s', vbin], [121, 'i8x16.max_u', vbin],
  [122, 'f64x2.trunc', vun], [123, 'i8x16.avgr_u', vbin],
  [124, 'i16x8.extadd_pairwise_i8x16_s', vun], [125, 'i16x8.extadd_pairwise_i8x16_u', vun],
  [126, 'i32x4.extadd_pairwise_i16x8_s', vun], [127, 'i32x4.extadd_pairwise_i16x8_u', vun],
  [128, 'i16x8.abs', vun], [129, 'i16x8.neg', vun], [130, 'i16x8.q15mulr_sat_s', vbin], [131, 'i16x8.all_true', vtest],
  [132, 'i16x8.bitmask', vtest], [133, 'i16x8.narrow_i32x4_s', vbin], [134, 'i16x8.narrow_i32x4_u', vbin],
  [135, 'i16x8.extend_low_i8x16_s', vun], [136, 'i16x8.extend_high_i8x16_s', vun],
  [137, 'i16x8.extend_low_i8x16_u', vun], [138, 'i16x8.extend_high_i8x16_u', vun],
  [139, 'i16x8.shl', vshift], [140, 'i16x8.shr_s', vshift], [141, 'i16x8.shr_u', vshift],
  [142, 'i16x8.add', vbin], [143, 'i16x8.add_sat_s', vbin], [144, 'i16x8.add_sat_u', vbin],
  [145, 'i16x8.sub', vbin], [146, 'i16x8.sub_sat_s', vbin], [147, 'i16x8.sub_sat_u', vbin],
  [148, 'f64x2.nearest', vun],
  [149, 'i16x8.mul', vbin], [150, 'i16x8.min_s', vbin], [151, 'i16x8.min_u', vbin], [152, 'i16x8.max_s', vbin], [153, 'i16x8.max_u', vbin],
  [155, 'i16x8.avgr_u', vbin],
  [156, 'i16x8.extmul_low_i8x16_s', vbin], [157, 'i16x8.extmul_high_i8x16_s', vbin],
  [158, 'i16x8.extmul_low_i8x16_u', vbin], [159, 'i16x8.extmul_high_i8x16_u', vbin],
  [160, 'i32x4.abs', vun], [161, 'i32x4.neg', vun], [163, 'i32x4.all_true', vtest], [164, 'i32x4.bitmask', vtest],
  [167, 'i32x4.extend_low_i16x8_s', vun], [168, 'i32x4.extend_high_i16x8_s', vun],
  [169, 'i32x4.extend_low_i16x8_u', vun], [170, 'i32x4.extend_high_i16x8_u', vun],
  [171, 'i32x4.shl', vshift], [172, 'i32x4.shr_s', vshift], [173, 'i32x4.shr_u', vshift],
  [174, 'i32x4.add', vbin], [177, 'i32x4.sub', vbin], [181, 'i32x4.mul', vbin],
  [182, 'i32x4.min_s', vbin], [183, 'i32x4.min_u', vbin], [184, 'i32x4.max_s', vbin], [185, 'i32x4.max_u', vbin],
  [186, 'i32x4.dot_i16x8_s', vbin],
  [188, 'i32x4.extmul_low_i16x8_s', vbin], [189, 'i32x4.extmul_high_i16x8_s', vbin],
  [190, 'i32x4.extmul_low_i16x8_u', vbin], [191, 'i32x4.extmul_high_i16x8_u', vbin],
  [192, 'i64x2.abs', vun], [193, 'i64x2.neg', vun], [195, 'i64x2.all_true', vtest], [196, 'i64x2.bitmask', vtest],
  [199, 'i64x2.extend_low_i32x4_s', vun], [200, 'i64x2.extend_high_i32x4_s', vun],
  [201, 'i64x2.extend_low_i32x4_u', vun], [202, 'i64x2.extend_high_i32x4_u', vun],
  [203, 'i64x2.shl', vshift], [204, 'i64x2.shr_s', vshift], [205, 'i64x2.shr_u', vshift],
  [206, 'i64x2.add', vbin], [209, 'i64x2.sub', vbin], [213, 'i64x2.mul', vbin],
  [214, 'i64x2.eq', vbin], [215, 'i64x2.ne', vbin], [216, 'i64x2.lt_s', vbin], [217, 'i64x2.gt_s', vbin],
  [218, 'i64x2.le_s', vbin], [219, 'i64x2.ge_s', vbin],
  [220, 'i64x2.extmul_low_i32x4_s', vbin], [221, 'i64x2.extmul_high_i32x4_s', vbin],
  [222, 'i64x2.extmul_low_i32x4_u', vbin], [223, 'i64x2.extmul_high_i32x4_u', vbin],
  [224, 'f32x4.abs', vun], [225, 'f32x4.neg', vun], [227, 'f32x4.sqrt', vun],
  [228, 'f32x4.add', vbin], [229, 'f32x4.sub', vbin], [230, 'f32x4.mul', vbin], [231, 'f32x4.div', vbin],
  [232, 'f32x4.min', vbin], [233, 'f32x4.max', vbin], [234, 'f32x4.pmin', vbin], [235, 'f32x4.pmax', vbin],
  [236, 'f64x2.abs', vun], [237, 'f64x2.neg', vun], [239, 'f64x2.sqrt', vun],
  [240, 'f64x2.add', vbin], [241, 'f64x2.sub', vbin], [242, 'f64x2.mul', vbin], [243, 'f64x2.div', vbin],
  [244, 'f64x2.min', vbin], [245, 'f64x2.max', vbin], [246, 'f64x2.pmin', vbin], [247, 'f64x2.pmax', vbin],
  [248, 'i32x4.trunc_sat_f32x4_s', vun], [249, 'i32x4.trunc_sat_f32x4_u', vun],
  [250, 'f32x4.convert_i32x4_s', vun], [251, 'f32x4.convert_i32x4_u', vun],
  [252, 'i32x4.trunc_sat_f64x2_s_zero', vun], [253, 'i32x4.trunc_sat_f64x2_u_zero', vun],
  [254, 'f64x2.convert_low_i32x4_s', vun], [255, 'f64x2.convert_low_i32x4_u', vun],
  // relaxed SIMD
  [0x100, 'i8x16.relaxed_swizzle', vbin],
  [0x101, 'i32x4.relaxed_trunc_f32x4_s', vun], [0x102, 'i32x4.relaxed_trunc_f32x4_u', vun],
  [0x103, 'i32x4.relaxed_trunc_f64x2_s_zero', vun], [0x104, 'i32x4.relaxed_trunc_f64x2_u_zero', vun],
  [0x105, 'f32x4.relaxed_madd', 'v128 v128 v128 -> v128'], [0x106, 'f32x4.relaxed_nmadd', 'v128 v128 v128 -> v128'],
  [0x107, 'f64x2.relaxed_madd', 'v128 v128 v128 -> v128'], [0x108, 'f64x2.relaxed_nmadd', 'v128 v128 v128 -> v128'],
  [0x109, 'i8x16.relaxed_laneselect', 'v128 v128 v128 -> v128'], [0x10a, 'i16x8.relaxed_laneselect', 'v128 v128 v128 -> v128'],
  [0x10b, 'i32x4.relaxed_laneselect', 'v128 v128 v128 -> v128'], [0x10c, 'i64x2.relaxed_laneselect', 'v128 v128 v128 -> v128'],
  [0x10d, 'f32x4.relaxed_min', vbin], [0x10e, 'f32x4.relaxed_max', vbin],
  [0x10f, 'f64x2.relaxed_min', vbin], [0x110, 'f64x2.relaxed_max', vbin],
  [0x111, 'i16x8.relaxed_q15mulr_s', vbin], [0x112, 'i16x8.relaxed_dot_i8x16_i7x16_s', vbin],
  [0x113, 'i32x4.relaxed_dot_i8x16_i7x16_add_s', 'v128 v128 v128 -> v128'],
];
for (const [code, name, sig] of simd) op(SIMD, code, name, 'none', sig);

// --- Atomics (0xFE, threads proposal) ---
const ATOMIC = 0xfe;
op(ATOMIC, 0x00, 'memory.atomic.notify', 'memarg', 'a i32 -> i32', 2);
op(ATOMIC, 0x01, 'memory.atomic.wait32', 'memarg', 'a i32 i64 -> i32', 2);
op(ATOMIC, 0x02, 'memory.atomic.wait64', 'memarg', 'a i64 i64 -> i32', 3);
op(ATOMIC, 0x03, 'atomic.fence', 'zero_byte', '->');
const atomicWidths: [string, string, number][] = [
  // [name fragment, value type, alignment] in opcode order within each group
  ['i32.atomic.%', 'i32', 2], ['i64.atomic.%', 'i64', 3],
  ['i32.atomic.%8_u', 'i32', 0], ['i32.atomic.%16_u', 'i32', 1],
  ['i64.atomic.%8_u', 'i64', 0], ['i64.atomic.%16_u', 'i64', 1], ['i64.atomic.%32_u', 'i64', 2],
];
atomicWidths.forEach(([pat, t, align], i) => {
  op(ATOMIC, 0x10 + i, pat.replace('%', 'load'), 'memarg', `a -> ${t}`, align);
  // Narrow stores have no _u suffix: i32.atomic.store8.
  op(ATOMIC, 0x17 + i, pat.replace('%', 'store').replace(/_u$/, ''), 'memarg', `a ${t} ->`, align);
});
['add', 'sub', 'and', 'or', 'xor', 'xchg', 'cmpxchg'].forEach((rmw, g) => {
  atomicWidths.forEach(([pat, t, align], i) => {
    // rmw names put the width after "rmw": i32.atomic.rmw8.add_u
    const name = pat.replace(/atomic\.%(\d*)(_u)?$/, (_m, w: string, u: string | undefined) => `atomic.rmw${w}.${rmw}${u ?? ''}`);
    const sig = rmw === 'cmpxchg' ? `a ${t} ${t} -> ${t}` : `a ${t} -> ${t}`;
    op(ATOMIC, 0x1e + g * 7 + i, name, 'memarg', sig, align);
  });
});

/** All instructions. */
export const OPCODES: readonly OpInfo[] = ops;

/** Single-byte opcodes, indexed by opcode byte. */
export const SINGLE_BYTE: readonly (OpInfo | undefined)[] = (() => {
  const t: (OpInfo | undefined)[] = new Array(256).fill(undefined);
  for (const o of ops) if (o.prefix === 0) t[o.code] = o;
  return t;
})();

/** Prefixed opcodes: PREFIXED.get(prefix)[subOpcode]. */
export const PREFIXED: ReadonlyMap<number, readonly (OpInfo | undefined)[]> = (() => {
  const m = new Map<number, (OpInfo | undefined)[]>();
  for (const o of ops) {
    if (o.prefix === 0) continue;
    let t = m.get(o.prefix);
    if (!t) m.set(o.prefix, (t = []));
    t[o.code] = o;
  }
  return m;
})();

/**
 * Instructions by text mnemonic. Where one mnemonic has several encodings (`select`,
 * `ref.test`, `ref.cast`), this maps to the first; the text parser picks the other by its operands.
 */
export const BY_NAME: ReadonlyMap<string, OpInfo> = (() => {
  const m = new Map<string, OpInfo>();
  for (const o of ops) if (!m.has(o.name)) m.set(o.name, o);
  return m;
})();

export function lookupOpcode(prefix: number, code: number): OpInfo | undefined {
  return prefix === 0 ? SINGLE_BYTE[code] : PREFIXED.get(prefix)?.[code];
}
