/*
 * SIMD128 twin of ../ntt.c: same contract (see mlkem.h), eight coefficients
 * per v128. Multiplication by a known twiddle z uses the rounding-high
 * product instead of Montgomery: with zq = round(z·2^15/q),
 * k = q15mulr(a, zq) is within 1 of a·z/q for |a| <= 2^15, so
 * a·z − k·q (computed in wrapping 16-bit lanes) is exactly a residue of
 * a·z with |r| <= q. Variable×variable products (basemul) accumulate in
 * 32-bit lanes with i32x4.dot and take one Montgomery reduction.
 * Layers with len >= 8 pair whole vectors; len 4 and 2 pair lanes inside
 * two vectors after a shuffle. All indices and shuffles are public.
 */
#include <wasm_simd128.h>
#include "../mlkem.h"
#include "ntt_tables.h"

#define Q QS_MLKEM_Q

static inline v128_t mulc(v128_t a, v128_t z, v128_t zq) {
  v128_t k = wasm_i16x8_q15mulr_sat(a, zq);
  return wasm_i16x8_sub(wasm_i16x8_mul(a, z), wasm_i16x8_mul(k, wasm_i16x8_splat(Q)));
}

/* centred Barrett: k = round(a·10/2^15) ≈ a/q; |a − k·q| <= 0.66q for any int16 a */
static inline v128_t barrett(v128_t a) {
  v128_t k = wasm_i16x8_q15mulr_sat(a, wasm_i16x8_splat(10));
  return wasm_i16x8_sub(a, wasm_i16x8_mul(k, wasm_i16x8_splat(Q)));
}

#define LD(p) wasm_v128_load(p)
/* The inverse's len-2/len-4 twiddles are the forward ones of the mirrored
 * vector pair, in reverse lane-pair / half order: one shuffle per load
 * instead of two more tables of 512 B each. */
#define REV2(p) wasm_i16x8_shuffle(LD(p), LD(p), 6, 7, 4, 5, 2, 3, 0, 1)
#define REV4(p) wasm_i16x8_shuffle(LD(p), LD(p), 4, 5, 6, 7, 0, 1, 2, 3)

void qs_mlkem_poly_ntt(qs_mlkem_poly *p) {
  v128_t v[32];
  for (int i = 0; i < 32; i++) v[i] = LD(&p->c[8 * i]);

  /* len 128 .. 8: butterflies between vectors d = len/8 apart. Only the
   * five layers are unrolled (d constant in each); the group and butterfly
   * loops stay loops: full unrolling made this and the inverse 14.5 KB of
   * code for no measurable speed (issue 23: keygen/decaps A/B 1.00, the
   * ML-KEM module 1.4 KB gzip smaller); looping the layers too costs keygen 2–4 %.
   * v[] still lives in linear memory: the len 4/2 loop below
   * indexes it with its counter, so the pinned clang gives v[] a 512-byte
   * shadow-stack frame instead of wasm locals (issue 18 read 512·(tᵀy) mod q
   * back from it). It is wiped before returning, like every secret buffer. */
  unsigned zi = 1;
#pragma clang loop unroll(full)
  for (unsigned d = 16; d >= 1; d >>= 1) {
    for (unsigned start = 0; start < 32; start += 2 * d) {
      v128_t z = wasm_i16x8_splat(zetas[zi]), zq = wasm_i16x8_splat(zetas_q[zi]);
      zi++;
      for (unsigned j = start; j < start + d; j++) {
        v128_t t = mulc(v[j + d], z, zq);
        v[j + d] = wasm_i16x8_sub(v[j], t);
        v[j] = wasm_i16x8_add(v[j], t);
      }
    }
  }

  /* len 4 and 2 inside the vector pair (A, B) = (v[2j], v[2j+1]) */
  for (unsigned j = 0; j < 16; j++) {
    v128_t a = v[2 * j], b = v[2 * j + 1];
    v128_t x = wasm_i16x8_shuffle(a, b, 0, 1, 2, 3, 8, 9, 10, 11);
    v128_t y = wasm_i16x8_shuffle(a, b, 4, 5, 6, 7, 12, 13, 14, 15);
    v128_t t = mulc(y, LD(zv_l4[j]), LD(zq_l4[j]));
    y = wasm_i16x8_sub(x, t);
    x = wasm_i16x8_add(x, t);
    /* x = A0-3 B0-3, y = A4-7 B4-7 -> pairs (0,1)/(2,3) of each 4-block */
    v128_t pp = wasm_i16x8_shuffle(x, y, 0, 1, 8, 9, 4, 5, 12, 13);
    v128_t qq = wasm_i16x8_shuffle(x, y, 2, 3, 10, 11, 6, 7, 14, 15);
    t = mulc(qq, LD(zv_l2[j]), LD(zq_l2[j]));
    qq = wasm_i16x8_sub(pp, t);
    pp = wasm_i16x8_add(pp, t);
    /* pp = A0 A1 A4 A5 B0 B1 B4 B5, qq = A2 A3 A6 A7 B2 B3 B6 B7 */
    a = wasm_i16x8_shuffle(pp, qq, 0, 1, 8, 9, 2, 3, 10, 11);
    b = wasm_i16x8_shuffle(pp, qq, 4, 5, 12, 13, 6, 7, 14, 15);
    wasm_v128_store(&p->c[16 * j], barrett(a));
    wasm_v128_store(&p->c[16 * j + 8], barrett(b));
  }
  qs_zeroize(v, sizeof v);
}

void qs_mlkem_poly_invntt_tomont(qs_mlkem_poly *p) {
  v128_t v[32];
  for (unsigned j = 0; j < 16; j++) {
    v128_t a = LD(&p->c[16 * j]), b = LD(&p->c[16 * j + 8]);
    /* len 2 */
    v128_t pp = wasm_i16x8_shuffle(a, b, 0, 1, 4, 5, 8, 9, 12, 13);
    v128_t qq = wasm_i16x8_shuffle(a, b, 2, 3, 6, 7, 10, 11, 14, 15);
    v128_t t = pp;
    pp = barrett(wasm_i16x8_add(t, qq));
    qq = mulc(wasm_i16x8_sub(qq, t), REV2(zv_l2[15 - j]), REV2(zq_l2[15 - j]));
    /* back to A0-3 B0-3 (x) and A4-7 B4-7 (y) for len 4 */
    v128_t x = wasm_i16x8_shuffle(pp, qq, 0, 1, 8, 9, 4, 5, 12, 13);
    v128_t y = wasm_i16x8_shuffle(pp, qq, 2, 3, 10, 11, 6, 7, 14, 15);
    t = x;
    x = barrett(wasm_i16x8_add(t, y));
    y = mulc(wasm_i16x8_sub(y, t), REV4(zv_l4[15 - j]), REV4(zq_l4[15 - j]));
    v[2 * j] = wasm_i16x8_shuffle(x, y, 0, 1, 2, 3, 8, 9, 10, 11);
    v[2 * j + 1] = wasm_i16x8_shuffle(x, y, 4, 5, 6, 7, 12, 13, 14, 15);
  }

  /* len 8 .. 128: Alg 10 walks the zetas downwards from index 31 (layers
   * unrolled, groups and butterflies looped, as in qs_mlkem_poly_ntt) */
  unsigned zi = 31;
#pragma clang loop unroll(full)
  for (unsigned d = 1; d <= 16; d <<= 1) {
    for (unsigned start = 0; start < 32; start += 2 * d) {
      v128_t z = wasm_i16x8_splat(zetas[zi]), zq = wasm_i16x8_splat(zetas_q[zi]);
      zi--;
      for (unsigned j = start; j < start + d; j++) {
        v128_t t = v[j];
        v[j] = barrett(wasm_i16x8_add(t, v[j + d]));
        v[j + d] = mulc(wasm_i16x8_sub(v[j + d], t), z, zq);
      }
    }
  }

  /* ×128^-1 (Alg 10 line 14) and ×R in one constant: R/128 = 512 */
  const v128_t f = wasm_i16x8_splat(512), fq = wasm_i16x8_splat(5040);
  for (int i = 0; i < 32; i++) wasm_v128_store(&p->c[8 * i], mulc(v[i], f, fq));
  qs_zeroize(v, sizeof v); /* in linear memory, see qs_mlkem_poly_ntt */
}

/* r ≡ x·2^-16 for |x| < q·2^15, |r| < q: t = x·q^-1 mod 2^16 (sign-extended) */
static inline v128_t mont_reduce32(v128_t x) {
  v128_t t = wasm_i32x4_mul(x, wasm_i32x4_splat(-3327));
  t = wasm_i32x4_shr(wasm_i32x4_shl(t, 16), 16);
  return wasm_i32x4_shr(wasm_i32x4_sub(x, wasm_i32x4_mul(t, wasm_i32x4_splat(Q))), 16);
}

void qs_mlkem_polyvec_basemul_acc(qs_mlkem_poly *r, const qs_mlkem_poly *a, const qs_mlkem_poly *b, int k) {
  for (unsigned i = 0; i < 32; i++) {
    const v128_t gv = LD(gamma_v[i]), gq = LD(gamma_q[i]);
    v128_t c0 = wasm_i32x4_splat(0), c1 = wasm_i32x4_splat(0);
    for (int v = 0; v < k; v++) {
      v128_t av = LD(&a[v].c[8 * i]), bv = LD(&b[v].c[8 * i]);
      /* odd lanes × γ of their pair; even lanes kept as they are */
      v128_t bg = wasm_i16x8_shuffle(bv, mulc(bv, gv, gq), 0, 9, 2, 11, 4, 13, 6, 15);
      v128_t bs = wasm_i16x8_shuffle(bv, bv, 1, 0, 3, 2, 5, 4, 7, 6);
      c0 = wasm_i32x4_add(c0, wasm_i32x4_dot_i16x8(av, bg)); /* a0·b0 + a1·b1·γ */
      c1 = wasm_i32x4_add(c1, wasm_i32x4_dot_i16x8(av, bs)); /* a0·b1 + a1·b0 */
    }
    c0 = mont_reduce32(c0);
    c1 = mont_reduce32(c1);
    wasm_v128_store(&r->c[8 * i], wasm_i16x8_shuffle(c0, c1, 0, 8, 2, 10, 4, 12, 6, 14));
  }
}
