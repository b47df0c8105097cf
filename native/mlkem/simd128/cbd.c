/*
 * SIMD128 twin of ../cbd.c; same output. All lane operations are masks,
 * shifts, adds and fixed shuffles: constant time on the secret input.
 */
#include <wasm_simd128.h>
#include "../mlkem.h"

/* η = 2: per byte of d = bitcounts, the low nibble is coefficient 2m and the
 * high nibble 2m+1, each (n & 3) − (n >> 2). */
static void cbd2(qs_mlkem_poly *r, const uint8_t *buf) {
  const v128_t m55 = wasm_i8x16_splat(0x55), m0f = wasm_i8x16_splat(0x0F), m3 = wasm_i8x16_splat(3);
  for (unsigned i = 0; i < 8; i++) {
    v128_t t = wasm_v128_load(buf + 16 * i);
    v128_t d = wasm_i8x16_add(wasm_v128_and(t, m55), wasm_v128_and(wasm_u8x16_shr(t, 1), m55));
    v128_t lo = wasm_v128_and(d, m0f), hi = wasm_u8x16_shr(d, 4);
    v128_t clo = wasm_i8x16_sub(wasm_v128_and(lo, m3), wasm_u8x16_shr(lo, 2));
    v128_t chi = wasm_i8x16_sub(wasm_v128_and(hi, m3), wasm_u8x16_shr(hi, 2));
    v128_t c0 = wasm_i8x16_shuffle(clo, chi, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    v128_t c1 = wasm_i8x16_shuffle(clo, chi, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    int16_t *o = &r->c[32 * i];
    wasm_v128_store(o, wasm_i16x8_extend_low_i8x16(c0));
    wasm_v128_store(o + 8, wasm_i16x8_extend_high_i8x16(c0));
    wasm_v128_store(o + 16, wasm_i16x8_extend_low_i8x16(c1));
    wasm_v128_store(o + 24, wasm_i16x8_extend_high_i8x16(c1));
  }
}

/* η = 3: each 24-bit group goes to one 32-bit lane; field j (6 bits at 6j)
 * is coefficient 4i+j = (f & 7) − (f >> 3); a 4×4 transpose restores order. */
static void cbd3(qs_mlkem_poly *r, const uint8_t *buf) {
  const v128_t spread = wasm_i8x16_make(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1);
  const v128_t m249 = wasm_i32x4_splat(0x249249), m3f = wasm_i32x4_splat(0x3F), m7 = wasm_i32x4_splat(7);
  for (unsigned i = 0; i < 16; i++) {
    v128_t t = wasm_i8x16_swizzle(wasm_v128_load(buf + 12 * i), spread);
    v128_t d = wasm_i32x4_add(wasm_i32x4_add(wasm_v128_and(t, m249), wasm_v128_and(wasm_u32x4_shr(t, 1), m249)),
                              wasm_v128_and(wasm_u32x4_shr(t, 2), m249));
    v128_t f[4];
    for (int j = 0; j < 4; j++) {
      v128_t x = wasm_v128_and(wasm_u32x4_shr(d, 6 * j), m3f);
      f[j] = wasm_i32x4_sub(wasm_v128_and(x, m7), wasm_u32x4_shr(x, 3));
    }
    v128_t t0 = wasm_i32x4_shuffle(f[0], f[1], 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(f[2], f[3], 0, 4, 1, 5);
    v128_t t2 = wasm_i32x4_shuffle(f[0], f[1], 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(f[2], f[3], 2, 6, 3, 7);
    v128_t o0 = wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5), o1 = wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7);
    v128_t o2 = wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5), o3 = wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7);
    wasm_v128_store(&r->c[16 * i], wasm_i16x8_narrow_i32x4(o0, o1));
    wasm_v128_store(&r->c[16 * i + 8], wasm_i16x8_narrow_i32x4(o2, o3));
  }
}

void qs_mlkem_poly_cbd(qs_mlkem_poly *r, const uint8_t *buf, int eta) {
  if (eta == 2) cbd2(r, buf); /* η is a public parameter */
  else cbd3(r, buf);
}
