/*
 * SIMD128 twin of ../rounding.c (same contract, identical outputs). Lane
 * comparisons produce all-ones/zero masks without branches, so the
 * constant-time argument of the scalar code carries over unchanged.
 */
#include <wasm_simd128.h>
#include "../mldsa.h"

#define Q QS_MLDSA_Q

void qs_mldsa_poly_power2round(qs_poly *a1, qs_poly *a0, const qs_poly *a) {
  const v128_t r = wasm_i32x4_splat((1 << (QS_MLDSA_D - 1)) - 1);
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t x = wasm_v128_load(a->c + i);
    v128_t hi = wasm_i32x4_shr(wasm_i32x4_add(x, r), QS_MLDSA_D);
    wasm_v128_store(a1->c + i, hi);
    wasm_v128_store(a0->c + i, wasm_i32x4_sub(x, wasm_i32x4_shl(hi, QS_MLDSA_D)));
  }
}

/* See decompose1() in ../rounding.c for why these constants are exact. */
static inline v128_t decompose4(v128_t *lo, v128_t a, int32_t gamma2) {
  v128_t a1 = wasm_i32x4_shr(wasm_i32x4_add(a, wasm_i32x4_splat(127)), 7);
  if (gamma2 == (Q - 1) / 32) {
    a1 = wasm_i32x4_shr(wasm_i32x4_add(wasm_i32x4_mul(a1, wasm_i32x4_splat(1025)), wasm_i32x4_splat(1 << 21)), 22);
    a1 = wasm_v128_and(a1, wasm_i32x4_splat(15));
  } else {
    a1 = wasm_i32x4_shr(wasm_i32x4_add(wasm_i32x4_mul(a1, wasm_i32x4_splat(11275)), wasm_i32x4_splat(1 << 23)), 24);
    a1 = wasm_v128_xor(a1, wasm_v128_and(wasm_i32x4_shr(wasm_i32x4_sub(wasm_i32x4_splat(43), a1), 31), a1));
  }
  v128_t a0 = wasm_i32x4_sub(a, wasm_i32x4_mul(a1, wasm_i32x4_splat(2 * gamma2)));
  v128_t wrap = wasm_i32x4_shr(wasm_i32x4_sub(wasm_i32x4_splat((Q - 1) / 2), a0), 31);
  *lo = wasm_i32x4_sub(a0, wasm_v128_and(wrap, wasm_i32x4_splat(Q)));
  return a1;
}

void qs_mldsa_poly_decompose(qs_poly *a1, qs_poly *a0, const qs_poly *a, int32_t gamma2) {
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t lo;
    wasm_v128_store(a1->c + i, decompose4(&lo, wasm_v128_load(a->c + i), gamma2));
    wasm_v128_store(a0->c + i, lo);
  }
}

unsigned qs_mldsa_poly_make_hint(qs_poly *h, const qs_poly *a0, const qs_poly *a1, int32_t gamma2) {
  const v128_t g = wasm_i32x4_splat(gamma2), ng = wasm_i32x4_splat(-gamma2), one = wasm_i32x4_splat(1);
  const v128_t zero = wasm_i32x4_splat(0);
  v128_t count = zero;
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t lo = wasm_v128_load(a0->c + i), hi = wasm_v128_load(a1->c + i);
    v128_t m = wasm_v128_or(wasm_i32x4_gt(lo, g), wasm_i32x4_lt(lo, ng));
    m = wasm_v128_or(m, wasm_v128_and(wasm_i32x4_eq(lo, ng), wasm_i32x4_ne(hi, zero)));
    v128_t bit = wasm_v128_and(m, one);
    wasm_v128_store(h->c + i, bit);
    count = wasm_i32x4_add(count, bit);
  }
  count = wasm_i32x4_add(count, wasm_i32x4_shuffle(count, count, 2, 3, 0, 1));
  count = wasm_i32x4_add(count, wasm_i32x4_shuffle(count, count, 1, 0, 3, 2));
  return (unsigned)wasm_i32x4_extract_lane(count, 0);
}

void qs_mldsa_poly_use_hint(qs_poly *r, const qs_poly *a, const qs_poly *h, int32_t gamma2) {
  const v128_t zero = wasm_i32x4_splat(0);
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t lo;
    v128_t hi = decompose4(&lo, wasm_v128_load(a->c + i), gamma2);
    v128_t hint = wasm_v128_load(h->c + i); /* 0 or 1 */
    /* +1 where lo > 0, -1 otherwise, only where the hint is set */
    v128_t step = wasm_v128_or(wasm_v128_and(wasm_i32x4_gt(lo, zero), hint), wasm_i32x4_neg(wasm_v128_andnot(hint, wasm_i32x4_gt(lo, zero))));
    v128_t moved = wasm_i32x4_add(hi, step);
    if (gamma2 == (Q - 1) / 32) {
      moved = wasm_v128_and(moved, wasm_i32x4_splat(15));
    } else {
      moved = wasm_v128_andnot(moved, wasm_i32x4_eq(moved, wasm_i32x4_splat(44)));          /* 44 -> 0 */
      moved = wasm_v128_bitselect(wasm_i32x4_splat(43), moved, wasm_i32x4_lt(moved, zero));  /* -1 -> 43 */
    }
    wasm_v128_store(r->c + i, moved);
  }
}

uint32_t qs_mldsa_poly_exceeds(const qs_poly *a, int32_t bound) {
  const v128_t lim = wasm_i32x4_splat(bound - 1);
  v128_t bad = wasm_i32x4_splat(0);
  for (unsigned i = 0; i < 256; i += 4) bad = wasm_v128_or(bad, wasm_i32x4_gt(wasm_i32x4_abs(wasm_v128_load(a->c + i)), lim));
  bad = wasm_v128_or(bad, wasm_i32x4_shuffle(bad, bad, 2, 3, 0, 1));
  bad = wasm_v128_or(bad, wasm_i32x4_shuffle(bad, bad, 1, 0, 3, 2));
  return (uint32_t)wasm_i32x4_extract_lane(bad, 0);
}
