/*
 * SIMD128 twin of ../ntt.c: same contract (the output ranges below), the
 * same residues mod q, though not always the same representatives; nothing
 * outside this family sees an NTT-domain value, and every published output
 * is fully reduced, so signatures and keys are identical to the scalar build.
 *
 * Twiddle products use a rounded Shoup/Barrett multiplication with the
 * plain zeta z and its companion z' = round(z 2^32 / q) (ntt_tables.h):
 *   t = round(a z' / 2^32),  r = a z - t q  (both products mod 2^32).
 * With |z| < q/2 and |a| < 2^31, |a z / q - t| <= 3/4, so r is the exact
 * representative with |r| <= 3q/4. That costs two i64x2 extended multiplies,
 * one shuffle and two i32x4 multiplies, against four extended multiplies,
 * two shuffles and one multiply for a Montgomery product.
 *
 * Layers are merged so coefficients stay in wasm locals (all but the v[8]
 * block array, which clang keeps in the shadow stack; it is wiped before
 * returning): the forward NTT runs
 * layers 128..32 on eight vectors at stride 32, then layers 16..1 on each
 * 32-coefficient block (the last two with in-register shuffles); the
 * inverse runs the same passes backwards and folds the final scaling by
 * 2^32/256 into its last layer. Bounds: the forward NTT uses the cheaper
 * floor quotient (products in [-q/4, 5q/4)), so input |a| < q gives
 * |a| < q + 8 * 5q/4 = 11q. The inverse uses it too, except in the last
 * layer: after layer L a sum is either 2^L input coefficients (< 2^L q) or
 * 2^(L-j) products of layer j >= 1 (< 2^(L-1) 5q/4), so every value stays
 * below 2^L q, and the last layer's multiplicands (x + y and x - y) below
 * 256 q < 2^31; its rounded products give the output |a| <= 3q/4.
 * The products by c-hat (qs_mldsa_pointwise_prepare/_fixed) use the same
 * rounded multiplication; only the accumulated A-hat products stay Montgomery.
 * No branch or index depends on coefficient values.
 */
#include <wasm_simd128.h>
#include "../mldsa.h"
#include "../zetas.h"
#include "ntt_tables.h"

#define Q QS_MLDSA_Q
#define QINV ((uint32_t)QS_MLDSA_QINV)

/* hi32 of the four 64-bit products in (lo, hi) order */
static inline v128_t hi32(v128_t lo, v128_t hi) { return wasm_i32x4_shuffle(lo, hi, 1, 3, 5, 7); }

/* a * z mod q, representative |r| <= 3q/4, for |a| < 2^31 (see above) */
static inline v128_t mulz(v128_t a, v128_t z, v128_t zs) {
  const v128_t half = wasm_i64x2_splat((int64_t)1 << 31);
  v128_t lo = wasm_i64x2_add(wasm_i64x2_extmul_low_i32x4(a, zs), half);
  v128_t hi = wasm_i64x2_add(wasm_i64x2_extmul_high_i32x4(a, zs), half);
  return wasm_i32x4_sub(wasm_i32x4_mul(a, z), wasm_i32x4_mul(hi32(lo, hi), wasm_i32x4_splat(Q)));
}

/* Montgomery reduction of two i64x2 accumulators holding lanes 0-1 and 2-3. */
static inline v128_t mont_reduce64(v128_t lo, v128_t hi) {
  const v128_t q = wasm_i32x4_splat(Q);
  v128_t low = wasm_i32x4_shuffle(lo, hi, 0, 2, 4, 6);
  v128_t t = wasm_i32x4_mul(low, wasm_i32x4_splat((int32_t)QINV));
  v128_t tq = hi32(wasm_i64x2_extmul_low_i32x4(t, q), wasm_i64x2_extmul_high_i32x4(t, q));
  return wasm_i32x4_sub(hi32(lo, hi), tq);
}

/* a * z mod q with t = floor(a z' / 2^32) instead of the rounded quotient:
 * a z / q - t lies in [-1/4, 5/4), so r lies in [-q/4, 5q/4). It saves two
 * additions per product wherever the wider range is harmless. */
static inline v128_t mulz_floor(v128_t a, v128_t z, v128_t zs) {
  v128_t t = hi32(wasm_i64x2_extmul_low_i32x4(a, zs), wasm_i64x2_extmul_high_i32x4(a, zs));
  return wasm_i32x4_sub(wasm_i32x4_mul(a, z), wasm_i32x4_mul(t, wasm_i32x4_splat(Q)));
}

/* Cooley-Tukey butterfly: (x, y) <- (x + zy, x - zy) */
#define CT(x, y, z, zs)                         \
  do {                                          \
    v128_t t_ = mulz_floor((y), (z), (zs));     \
    (y) = wasm_i32x4_sub((x), t_);              \
    (x) = wasm_i32x4_add((x), t_);              \
  } while (0)
/* Gentleman-Sande butterfly: (x, y) <- (x + y, z (x - y)), floor quotient */
#define GS(x, y, z, zs)                                     \
  do {                                                      \
    v128_t d_ = wasm_i32x4_sub((x), (y));                   \
    (x) = wasm_i32x4_add((x), (y));                         \
    (y) = mulz_floor(d_, (z), (zs));                        \
  } while (0)
#define SPL(t, m) wasm_i32x4_splat(t[m])

void qs_mldsa_ntt(qs_poly *p) {
  int32_t *a = p->c;
  /* layers len = 128, 64, 32: v[i] = a[j + 32 i .. +3] */
  {
    const v128_t z1 = SPL(fz, 1), z1s = SPL(fzs, 1), z2 = SPL(fz, 2), z2s = SPL(fzs, 2), z3 = SPL(fz, 3), z3s = SPL(fzs, 3);
    const v128_t z4 = SPL(fz, 4), z4s = SPL(fzs, 4), z5 = SPL(fz, 5), z5s = SPL(fzs, 5);
    const v128_t z6 = SPL(fz, 6), z6s = SPL(fzs, 6), z7 = SPL(fz, 7), z7s = SPL(fzs, 7);
    for (unsigned j = 0; j < 32; j += 4) {
      v128_t v0 = wasm_v128_load(a + j), v1 = wasm_v128_load(a + j + 32), v2 = wasm_v128_load(a + j + 64),
             v3 = wasm_v128_load(a + j + 96), v4 = wasm_v128_load(a + j + 128), v5 = wasm_v128_load(a + j + 160),
             v6 = wasm_v128_load(a + j + 192), v7 = wasm_v128_load(a + j + 224);
      CT(v0, v4, z1, z1s); CT(v1, v5, z1, z1s); CT(v2, v6, z1, z1s); CT(v3, v7, z1, z1s);
      CT(v0, v2, z2, z2s); CT(v1, v3, z2, z2s); CT(v4, v6, z3, z3s); CT(v5, v7, z3, z3s);
      CT(v0, v1, z4, z4s); CT(v2, v3, z5, z5s); CT(v4, v5, z6, z6s); CT(v6, v7, z7, z7s);
      wasm_v128_store(a + j, v0); wasm_v128_store(a + j + 32, v1); wasm_v128_store(a + j + 64, v2);
      wasm_v128_store(a + j + 96, v3); wasm_v128_store(a + j + 128, v4); wasm_v128_store(a + j + 160, v5);
      wasm_v128_store(a + j + 192, v6); wasm_v128_store(a + j + 224, v7);
    }
  }
  /* layers len = 16, 8, 4, 2, 1 on each block of 32 coefficients. v[] is
   * indexed by the loop counter g, so clang keeps it in the shadow stack in
   * linear memory, not in wasm locals: it is wiped before returning. */
  v128_t v[8];
  for (unsigned b = 0; b < 8; b++) {
    int32_t *c = a + 32 * b;
    for (unsigned i = 0; i < 8; i++) v[i] = wasm_v128_load(c + 4 * i);
    {
      const v128_t z = SPL(fz, 8 + b), zs = SPL(fzs, 8 + b);
      CT(v[0], v[4], z, zs); CT(v[1], v[5], z, zs); CT(v[2], v[6], z, zs); CT(v[3], v[7], z, zs);
    }
    {
      const v128_t za = SPL(fz, 16 + 2 * b), zas = SPL(fzs, 16 + 2 * b);
      const v128_t zb = SPL(fz, 17 + 2 * b), zbs = SPL(fzs, 17 + 2 * b);
      CT(v[0], v[2], za, zas); CT(v[1], v[3], za, zas); CT(v[4], v[6], zb, zbs); CT(v[5], v[7], zb, zbs);
    }
    for (unsigned g = 0; g < 4; g++) {
      const unsigned m = 32 + 4 * b + g, i = 4 * b + g; /* i: global block of 8 */
      v128_t A = v[2 * g], B = v[2 * g + 1];
      CT(A, B, SPL(fz, m), SPL(fzs, m));
      /* len 2: x = [c0 c1 c4 c5], y = [c2 c3 c6 c7] */
      v128_t x = wasm_i32x4_shuffle(A, B, 0, 1, 4, 5), y = wasm_i32x4_shuffle(A, B, 2, 3, 6, 7);
      CT(x, y, wasm_v128_load(f2 + 4 * i), wasm_v128_load(f2s + 4 * i));
      /* len 1: P = [c0 c2 c4 c6], R = [c1 c3 c5 c7] */
      v128_t P = wasm_i32x4_shuffle(x, y, 0, 4, 2, 6), R = wasm_i32x4_shuffle(x, y, 1, 5, 3, 7);
      CT(P, R, wasm_v128_load(fz + 128 + 4 * i), wasm_v128_load(fzs + 128 + 4 * i));
      wasm_v128_store(c + 8 * g, wasm_i32x4_shuffle(P, R, 0, 4, 1, 5));
      wasm_v128_store(c + 8 * g + 4, wasm_i32x4_shuffle(P, R, 2, 6, 3, 7));
    }
  }
  qs_zeroize(v, sizeof v);
}

void qs_mldsa_invntt_tomont(qs_poly *p) {
  int32_t *a = p->c;
  /* layers len = 1, 2, 4, 8, 16 on each block of 32 coefficients; v[] lives
   * in the shadow stack (see qs_mldsa_ntt) and is wiped once they are done */
  v128_t v[8];
  for (unsigned b = 0; b < 8; b++) {
    int32_t *c = a + 32 * b;
    for (unsigned g = 0; g < 4; g++) {
      const unsigned i = 4 * b + g;
      v128_t A = wasm_v128_load(c + 8 * g), B = wasm_v128_load(c + 8 * g + 4);
      /* len 1: P = [c0 c2 c4 c6], R = [c1 c3 c5 c7] */
      v128_t P = wasm_i32x4_shuffle(A, B, 0, 2, 4, 6), R = wasm_i32x4_shuffle(A, B, 1, 3, 5, 7);
      GS(P, R, wasm_v128_load(i1 + 4 * i), wasm_v128_load(i1s + 4 * i));
      /* len 2: x = [c0 c1 c4 c5], y = [c2 c3 c6 c7] */
      v128_t x = wasm_i32x4_shuffle(P, R, 0, 4, 2, 6), y = wasm_i32x4_shuffle(P, R, 1, 5, 3, 7);
      GS(x, y, wasm_v128_load(i2 + 4 * i), wasm_v128_load(i2s + 4 * i));
      A = wasm_i32x4_shuffle(x, y, 0, 1, 4, 5);
      B = wasm_i32x4_shuffle(x, y, 2, 3, 6, 7);
      /* len 4: pair 4b + g uses the negated zeta 63 - (4b + g) */
      GS(A, B, SPL(iz, 63 - i), SPL(izs, 63 - i));
      v[2 * g] = A;
      v[2 * g + 1] = B;
    }
    {
      const v128_t za = SPL(iz, 31 - 2 * b), zas = SPL(izs, 31 - 2 * b);
      const v128_t zb = SPL(iz, 30 - 2 * b), zbs = SPL(izs, 30 - 2 * b);
      GS(v[0], v[2], za, zas); GS(v[1], v[3], za, zas); GS(v[4], v[6], zb, zbs); GS(v[5], v[7], zb, zbs);
    }
    {
      const v128_t z = SPL(iz, 15 - b), zs = SPL(izs, 15 - b);
      GS(v[0], v[4], z, zs); GS(v[1], v[5], z, zs); GS(v[2], v[6], z, zs); GS(v[3], v[7], z, zs);
    }
    for (unsigned i = 0; i < 8; i++) wasm_v128_store(c + 4 * i, v[i]);
  }
  qs_zeroize(v, sizeof v);
  /* layers len = 32, 64, 128 at stride 32; the last one also scales by 2^32/256 */
  {
    const v128_t z7 = SPL(iz, 7), z7s = SPL(izs, 7), z6 = SPL(iz, 6), z6s = SPL(izs, 6);
    const v128_t z5 = SPL(iz, 5), z5s = SPL(izs, 5), z4 = SPL(iz, 4), z4s = SPL(izs, 4);
    const v128_t z3 = SPL(iz, 3), z3s = SPL(izs, 3), z2 = SPL(iz, 2), z2s = SPL(izs, 2);
    const v128_t f = wasm_i32x4_splat(NTT_F), fs = wasm_i32x4_splat(NTT_FS);
    const v128_t fz1 = wasm_i32x4_splat(NTT_FZ), fz1s = wasm_i32x4_splat(NTT_FZS);
    for (unsigned j = 0; j < 32; j += 4) {
      v128_t v0 = wasm_v128_load(a + j), v1 = wasm_v128_load(a + j + 32), v2 = wasm_v128_load(a + j + 64),
             v3 = wasm_v128_load(a + j + 96), v4 = wasm_v128_load(a + j + 128), v5 = wasm_v128_load(a + j + 160),
             v6 = wasm_v128_load(a + j + 192), v7 = wasm_v128_load(a + j + 224);
      GS(v0, v1, z7, z7s); GS(v2, v3, z6, z6s); GS(v4, v5, z5, z5s); GS(v6, v7, z4, z4s);
      GS(v0, v2, z3, z3s); GS(v1, v3, z3, z3s); GS(v4, v6, z2, z2s); GS(v5, v7, z2, z2s);
#define LAST(x, y)                                   \
  do {                                               \
    v128_t d_ = wasm_i32x4_sub((x), (y));            \
    (x) = mulz(wasm_i32x4_add((x), (y)), f, fs);     \
    (y) = mulz(d_, fz1, fz1s);                       \
  } while (0)
      LAST(v0, v4); LAST(v1, v5); LAST(v2, v6); LAST(v3, v7);
#undef LAST
      wasm_v128_store(a + j, v0); wasm_v128_store(a + j + 32, v1); wasm_v128_store(a + j + 64, v2);
      wasm_v128_store(a + j + 96, v3); wasm_v128_store(a + j + 128, v4); wasm_v128_store(a + j + 160, v5);
      wasm_v128_store(a + j + 192, v6); wasm_v128_store(a + j + 224, v7);
    }
  }
}

/* The product c-hat * s with c-hat fixed for 17 (ML-DSA-65) products per
 * signing attempt: store z = c * 2^-32 mod q, centred (|z| <= (q-1)/2), and
 * its companion z' = round(z 2^32 / q), so that each product is one rounded
 * Shoup multiplication (mulz) with the same residue as the Montgomery
 * product. No division: z 2^32 - e = z' q with e = z 2^32 mod q = c mod q
 * centred, and q is odd, so z' = -e q^-1 mod 2^32. */
void qs_mldsa_pointwise_prepare(qs_poly *b, qs_poly *bs) {
  const v128_t q = wasm_i32x4_splat(Q), hq = wasm_i32x4_splat((Q - 1) / 2), nhq = wasm_i32x4_splat(-(Q - 1) / 2);
  const v128_t half = wasm_i32x4_splat(1 << 22);
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t x = wasm_v128_load(b->c + i);
    /* Montgomery reduction of x itself: (x - tq) / 2^32, exact */
    v128_t t = wasm_i32x4_mul(x, wasm_i32x4_splat((int32_t)QINV));
    v128_t z = wasm_i32x4_sub(wasm_i32x4_shr(x, 31),
                              hi32(wasm_i64x2_extmul_low_i32x4(t, q), wasm_i64x2_extmul_high_i32x4(t, q)));
    z = wasm_i32x4_add(z, wasm_v128_and(wasm_i32x4_shr(z, 31), q));
    z = wasm_i32x4_sub(z, wasm_v128_and(wasm_i32x4_gt(z, hq), q));
    v128_t e = wasm_i32x4_sub(x, wasm_i32x4_mul(wasm_i32x4_shr(wasm_i32x4_add(x, half), 23), q));
    e = wasm_i32x4_add(e, wasm_v128_and(wasm_i32x4_lt(e, nhq), q));
    e = wasm_i32x4_sub(e, wasm_v128_and(wasm_i32x4_gt(e, hq), q));
    wasm_v128_store(b->c + i, z);
    wasm_v128_store(bs->c + i, wasm_i32x4_mul(e, wasm_i32x4_splat(-(int32_t)QINV)));
  }
}

/* |a| < 11q < 2^31 and |z| < q/2, so mulz gives |r| <= 3q/4. */
void qs_mldsa_pointwise_fixed(qs_poly *r, const qs_poly *a, const qs_poly *b, const qs_poly *bs) {
  for (unsigned i = 0; i < 256; i += 4)
    wasm_v128_store(r->c + i, mulz(wasm_v128_load(a->c + i), wasm_v128_load(b->c + i), wasm_v128_load(bs->c + i)));
}

void qs_mldsa_pointwise_acc(qs_poly *r, const qs_poly *a, const qs_poly *b, int n) {
  /* Same single reduction of the 64-bit sum as the scalar code, so the
   * representative (not just the residue) matches. */
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t lo = wasm_i64x2_splat(0), hi = wasm_i64x2_splat(0);
    for (int k = 0; k < n; k++) {
      v128_t x = wasm_v128_load(a[k].c + i), y = wasm_v128_load(b[k].c + i);
      lo = wasm_i64x2_add(lo, wasm_i64x2_extmul_low_i32x4(x, y));
      hi = wasm_i64x2_add(hi, wasm_i64x2_extmul_high_i32x4(x, y));
    }
    wasm_v128_store(r->c + i, mont_reduce64(lo, hi));
  }
}

void qs_mldsa_poly_reduce(qs_poly *a) {
  const v128_t q = wasm_i32x4_splat(Q), half = wasm_i32x4_splat(1 << 22);
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t x = wasm_v128_load(a->c + i);
    v128_t t = wasm_i32x4_shr(wasm_i32x4_add(x, half), 23);
    wasm_v128_store(a->c + i, wasm_i32x4_sub(x, wasm_i32x4_mul(t, q)));
  }
}

void qs_mldsa_poly_caddq(qs_poly *a) {
  const v128_t q = wasm_i32x4_splat(Q);
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t x = wasm_v128_load(a->c + i);
    wasm_v128_store(a->c + i, wasm_i32x4_add(x, wasm_v128_and(wasm_i32x4_shr(x, 31), q)));
  }
}

void qs_mldsa_poly_add(qs_poly *r, const qs_poly *a, const qs_poly *b) {
  for (unsigned i = 0; i < 256; i += 4)
    wasm_v128_store(r->c + i, wasm_i32x4_add(wasm_v128_load(a->c + i), wasm_v128_load(b->c + i)));
}

void qs_mldsa_poly_sub(qs_poly *r, const qs_poly *a, const qs_poly *b) {
  for (unsigned i = 0; i < 256; i += 4)
    wasm_v128_store(r->c + i, wasm_i32x4_sub(wasm_v128_load(a->c + i), wasm_v128_load(b->c + i)));
}

void qs_mldsa_poly_shiftl(qs_poly *a) {
  for (unsigned i = 0; i < 256; i += 4)
    wasm_v128_store(a->c + i, wasm_i32x4_shl(wasm_v128_load(a->c + i), QS_MLDSA_D));
}
