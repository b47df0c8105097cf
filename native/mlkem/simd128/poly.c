/*
 * SIMD128 twin of ../poly.c; same contract. Reduction uses the
 * rounding-high product (see ntt.c). Compress_d keeps the scalar twin's
 * rule of no division: in 32-bit lanes, est = (t·315) >> 20 is floor(t/q)
 * or one more for every t < 2^23, and one branch-free correction makes it
 * exact.
 */
#include <wasm_simd128.h>
#include "../mlkem.h"

#define Q QS_MLKEM_Q

void qs_mlkem_poly_add(qs_mlkem_poly *r, const qs_mlkem_poly *a, const qs_mlkem_poly *b) {
  for (unsigned i = 0; i < QS_MLKEM_N; i += 8)
    wasm_v128_store(&r->c[i], wasm_i16x8_add(wasm_v128_load(&a->c[i]), wasm_v128_load(&b->c[i])));
}

void qs_mlkem_poly_sub(qs_mlkem_poly *r, const qs_mlkem_poly *a, const qs_mlkem_poly *b) {
  for (unsigned i = 0; i < QS_MLKEM_N; i += 8)
    wasm_v128_store(&r->c[i], wasm_i16x8_sub(wasm_v128_load(&a->c[i]), wasm_v128_load(&b->c[i])));
}

void qs_mlkem_poly_reduce(qs_mlkem_poly *a) {
  const v128_t q = wasm_i16x8_splat(Q), ten = wasm_i16x8_splat(10);
  for (unsigned i = 0; i < QS_MLKEM_N; i += 8) {
    v128_t x = wasm_v128_load(&a->c[i]);
    v128_t r = wasm_i16x8_sub(x, wasm_i16x8_mul(wasm_i16x8_q15mulr_sat(x, ten), q)); /* |r| <= 0.66q */
    r = wasm_i16x8_add(r, wasm_v128_and(wasm_i16x8_shr(r, 15), q));                 /* to [0, q) */
    wasm_v128_store(&a->c[i], r);
  }
}

void qs_mlkem_poly_tomont(qs_mlkem_poly *a) {
  /* × (R mod q) = −1044, with zq = round(−1044·2^15/q) = −10276 */
  const v128_t q = wasm_i16x8_splat(Q), z = wasm_i16x8_splat(-1044), zq = wasm_i16x8_splat(-10276);
  for (unsigned i = 0; i < QS_MLKEM_N; i += 8) {
    v128_t x = wasm_v128_load(&a->c[i]);
    v128_t k = wasm_i16x8_q15mulr_sat(x, zq);
    wasm_v128_store(&a->c[i], wasm_i16x8_sub(wasm_i16x8_mul(x, z), wasm_i16x8_mul(k, q)));
  }
}

static inline v128_t compress4(v128_t x32, int d, v128_t mask) {
  v128_t t = wasm_i32x4_add(wasm_i32x4_shl(x32, d), wasm_i32x4_splat(1664));
  v128_t est = wasm_u32x4_shr(wasm_i32x4_mul(t, wasm_i32x4_splat(315)), 20);
  v128_t rem = wasm_i32x4_sub(t, wasm_i32x4_mul(est, wasm_i32x4_splat(Q)));
  est = wasm_i32x4_add(est, wasm_i32x4_shr(rem, 31)); /* −1 when est overshot */
  return wasm_v128_and(est, mask);
}

void qs_mlkem_poly_compress(uint16_t out[QS_MLKEM_N], const qs_mlkem_poly *a, int d) {
  const v128_t mask = wasm_i32x4_splat((1 << d) - 1);
  for (unsigned i = 0; i < QS_MLKEM_N; i += 8) {
    v128_t x = wasm_v128_load(&a->c[i]);
    v128_t lo = compress4(wasm_u32x4_extend_low_u16x8(x), d, mask);
    v128_t hi = compress4(wasm_u32x4_extend_high_u16x8(x), d, mask);
    wasm_v128_store(&out[i], wasm_i16x8_shuffle(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14));
  }
}

void qs_mlkem_poly_decompress(qs_mlkem_poly *r, const uint16_t in[QS_MLKEM_N], int d) {
  const v128_t q = wasm_i16x8_splat(Q), half = wasm_i32x4_splat(1 << (d - 1));
  for (unsigned i = 0; i < QS_MLKEM_N; i += 8) {
    v128_t y = wasm_v128_load(&in[i]);
    v128_t lo = wasm_u32x4_shr(wasm_i32x4_add(wasm_u32x4_extmul_low_u16x8(y, q), half), d);
    v128_t hi = wasm_u32x4_shr(wasm_i32x4_add(wasm_u32x4_extmul_high_u16x8(y, q), half), d);
    wasm_v128_store(&r->c[i], wasm_i16x8_shuffle(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14));
  }
}
