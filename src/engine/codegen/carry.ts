// The carry out of a 32-bit addition and the borrow out of a subtraction as bit operations on
// the words (Hacker's Delight 2-13), for i64 pairs (i64.ts) and i64x2 lanes (vector-ops.ts).
// The obvious `(s >>> 0) < (a >>> 0) ? 1 : 0` is a compare and a branch in V8's code, and
// carries of random operands mispredict half the time: branchless, i64mix ran 21% faster
// (bench/results/representations.md §13).

/** 0 or 1: the carry of `a + b` (int32 words), whose low 32 bits are `s`. */
export const addCarry = (a: string, b: string, s: string): string => `(((${a} & ${b}) | ((${a} | ${b}) & ~${s})) >>> 31)`;

/** 0 or 1: the borrow of `a - b` (int32 words), whose low 32 bits are `d`. */
export const subBorrow = (a: string, b: string, d: string): string => `(((~${a} & ${b}) | (~(${a} ^ ${b}) & ${d})) >>> 31)`;
