/* SIMD kernel (wasm_simd128.h intrinsics): a separable [1 2 1]/4 blur over a
 * W x H 8-bit image using u16x8 lanes, repeated PASSES times, then an f32x4
 * dot product over the blurred image. Usage: simd [passes] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasm_simd128.h>

#define W 1024
#define H 1024

static uint8_t img[H][W + 32];
static uint8_t tmp[H][W + 32];
static float fa[W], fb[W];

/* out[x] = (in[x-1] + 2*in[x] + in[x+1] + 2) >> 2 for 16 pixels at a time */
static inline v128_t blur3(v128_t a, v128_t b, v128_t c) {
  v128_t two = wasm_i16x8_splat(2);
  v128_t lo = wasm_i16x8_add(wasm_i16x8_add(wasm_u16x8_extend_low_u8x16(a), wasm_u16x8_extend_low_u8x16(c)),
                             wasm_i16x8_add(wasm_i16x8_shl(wasm_u16x8_extend_low_u8x16(b), 1), two));
  v128_t hi = wasm_i16x8_add(wasm_i16x8_add(wasm_u16x8_extend_high_u8x16(a), wasm_u16x8_extend_high_u8x16(c)),
                             wasm_i16x8_add(wasm_i16x8_shl(wasm_u16x8_extend_high_u8x16(b), 1), two));
  return wasm_u8x16_narrow_i16x8(wasm_u16x8_shr(lo, 2), wasm_u16x8_shr(hi, 2));
}

static void blur_h(void) {
  for (int y = 0; y < H; y++) {
    uint8_t *row = &img[y][16];
    row[-1] = row[0];
    row[W] = row[W - 1];
    for (int x = 0; x < W; x += 16) {
      v128_t a = wasm_v128_load(row + x - 1);
      v128_t b = wasm_v128_load(row + x);
      v128_t c = wasm_v128_load(row + x + 1);
      wasm_v128_store(&tmp[y][16 + x], blur3(a, b, c));
    }
  }
}

static void blur_v(void) {
  for (int y = 0; y < H; y++) {
    int ya = y > 0 ? y - 1 : 0, yc = y < H - 1 ? y + 1 : H - 1;
    for (int x = 0; x < W; x += 16) {
      v128_t a = wasm_v128_load(&tmp[ya][16 + x]);
      v128_t b = wasm_v128_load(&tmp[y][16 + x]);
      v128_t c = wasm_v128_load(&tmp[yc][16 + x]);
      v128_t r = blur3(a, b, c);
      /* keep the image from converging to flat: xor in a position pattern */
      r = wasm_v128_xor(r, wasm_i8x16_splat((int8_t)(y * 7 + x)));
      wasm_v128_store(&img[y][16 + x], r);
    }
  }
}

static float dot(const float *a, const float *b, int n) {
  v128_t s0 = wasm_f32x4_splat(0), s1 = wasm_f32x4_splat(0);
  for (int i = 0; i < n; i += 8) {
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a + i + 4), wasm_v128_load(b + i + 4)));
  }
  v128_t s = wasm_f32x4_add(s0, s1);
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) +
         wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
}

int main(int argc, char **argv) {
  int passes = argc > 1 ? atoi(argv[1]) : 100;
  uint32_t s = 12345;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      s = s * 1103515245u + 12345u;
      img[y][16 + x] = (uint8_t)(s >> 23);
    }
  for (int p = 0; p < passes; p++) {
    blur_h();
    blur_v();
  }
  uint32_t h = 2166136261u;
  uint64_t sum = 0;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      h = (h ^ img[y][16 + x]) * 16777619u;
      sum += img[y][16 + x];
    }
  double d = 0;
  for (int y = 0; y < H; y += 2) {
    for (int x = 0; x < W; x++) {
      fa[x] = img[y][16 + x] * (1.0f / 255.0f);
      fb[x] = img[y + 1][16 + x] * (1.0f / 255.0f) - 0.5f;
    }
    d += dot(fa, fb, W);
  }
  printf("simd blur %d passes: fnv %08x sum %llu dot %.6f\n", passes, h, (unsigned long long)sum, d);
  return 0;
}
