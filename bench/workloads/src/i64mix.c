/* i64-heavy kernel: splitmix64 + xorshift64* generators mixed with 64-bit
 * mul, unsigned/signed div and rem, rotates, clz/ctz/popcnt, and 64<->32 bit
 * conversions. Usage: i64mix [millions of iterations] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static inline uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static inline uint64_t xorshift64star(uint64_t *s) {
  uint64_t x = *s;
  x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
  *s = x;
  return x * 0x2545f4914f6cdd1dull;
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

__attribute__((noinline)) static uint64_t kernel(uint64_t n, uint64_t seed) {
  uint64_t s1 = seed, s2 = seed ^ 0x123456789abcdefull, acc = 0, acc2 = 1;
  uint32_t lo = 0;
  for (uint64_t i = 0; i < n; i++) {
    uint64_t x = splitmix64(&s1);
    uint64_t y = xorshift64star(&s2);
    acc ^= x * y;
    acc += x / ((y >> 33) | 1);
    acc ^= (y % ((x & 0xfffff) | 1)) << 7;
    int64_t sx = (int64_t)(x ^ acc);
    int64_t sd = (int64_t)(y >> 40) + 3; /* positive: no INT64_MIN / -1 */
    acc += (uint64_t)(sx / sd) ^ (uint64_t)(sx % sd);
    acc = rotl(acc, (int)(i & 63) | 1);
    acc += (uint64_t)__builtin_clzll(x | 1) + (uint64_t)__builtin_ctzll(y | 0x8000000000000000ull) +
           (uint64_t)__builtin_popcountll(acc);
    lo ^= (uint32_t)acc + (uint32_t)(acc >> 32);
    acc2 = acc2 * 6364136223846793005ull + (uint64_t)lo;
    if ((int64_t)acc2 < 0) acc2 ^= acc >> 3;
  }
  return acc ^ acc2;
}

int main(int argc, char **argv) {
  int millions = argc > 1 ? atoi(argv[1]) : 10;
  uint64_t n = (uint64_t)millions * 1000000ull;
  uint64_t r = kernel(n, 0xdeadbeefcafef00dull);
  printf("i64mix %d M: %016llx\n", millions, (unsigned long long)r);
  return 0;
}
