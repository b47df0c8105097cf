/*
 * Scalar reference for FIPS 204 §7.4 rounding (Alg 35-40) and the infinity
 * norm check. Everything except use_hint (verification only, public data)
 * runs on secret-derived values in signing, so it uses no division, modulo
 * or data-dependent branch on coefficients: quotients come from
 * multiply-shift constants that are exact over [0, q), checked exhaustively
 * in test/native.
 */
#include "mldsa.h"

#define Q QS_MLDSA_Q

/*
 * FIPS 204 Alg 35 Power2Round: r0 = r+ mod± 2^d, r1 = (r+ - r0) / 2^d, with
 * r+ = r in [0, q) here. Since r+ >= 0, its low d bits are r+ mod 2^d; the
 * centred residue mod± 2^d lies in (-2^(d-1), 2^(d-1)], so a low part above
 * 2^(d-1) moves down by 2^d (and r1 up by one). The move is a sign mask.
 */
void qs_mldsa_poly_power2round(qs_poly *a1, qs_poly *a0, const qs_poly *a) {
  const int32_t span = 1 << QS_MLDSA_D, half = span >> 1;
  for (unsigned i = 0; i < 256; i++) {
    int32_t r = a->c[i];
    int32_t low = r & (span - 1);
    int32_t over_half = qs_ct_sign_mask_i32(half - low); /* -1 when low > 2^(d-1) */
    int32_t r0 = low - (over_half & span);
    a0->c[i] = r0;
    a1->c[i] = (r - r0) >> QS_MLDSA_D; /* exact: r - r0 is a multiple of 2^d */
  }
}

/*
 * FIPS 204 Alg 36 Decompose, for r in [0, q):
 *   r0 = r mod± 2γ2;  if r - r0 = q - 1 then (r1, r0) = (0, r0 - 1)
 *                     else r1 = (r - r0) / 2γ2.
 * Both γ2 are 2^9 times an odd integer m (2γ2 = 512·1023 or 512·372), so
 * floor(r / 2γ2) = floor(floor(r / 2^9) / m): a shift, then a quotient of a
 * 14-bit number by m, taken as a multiply by ceil(2^24 / m) and a shift
 * (exact for every r in [0, q); test/native checks all of them). From the
 * quotient qt and remainder rem in [0, 2γ2): r0 = rem, or rem - 2γ2 with
 * r1 = qt + 1 when rem > γ2. r - r0 = q - 1 happens exactly when r1 reaches
 * (q - 1) / 2γ2, the largest value it can take. No division, no branch on r.
 */
typedef struct {
  int32_t gamma2, two_gamma2;
  uint32_t recip;   /* ceil(2^24 / (2γ2 / 2^9)) */
  int32_t r1_limit; /* (q - 1) / 2γ2: 16 or 44 */
} decompose_consts;

QS_INLINE decompose_consts decompose_setup(int32_t gamma2) {
  /* gamma2 is a public parameter; these divisions run once per polynomial. */
  decompose_consts k;
  uint32_t m = (uint32_t)(2 * gamma2) >> 9;
  k.gamma2 = gamma2;
  k.two_gamma2 = 2 * gamma2;
  k.recip = ((1u << 24) + m - 1) / m;
  k.r1_limit = (Q - 1) / (2 * gamma2);
  return k;
}

QS_INLINE int32_t decompose1(int32_t *lo, int32_t r, const decompose_consts *k) {
  int32_t qt = (int32_t)((((uint32_t)r >> 9) * k->recip) >> 24);
  int32_t rem = r - qt * k->two_gamma2;
  int32_t above = qs_ct_sign_mask_i32(k->gamma2 - rem); /* -1 when rem > γ2 */
  int32_t r0 = rem - (above & k->two_gamma2);
  int32_t r1 = qt - above;
  int32_t top = qs_ct_sign_mask_i32(k->r1_limit - 1 - r1); /* -1 when r1 = (q - 1) / 2γ2 */
  *lo = r0 + top;
  return r1 & ~top;
}

void qs_mldsa_poly_decompose(qs_poly *a1, qs_poly *a0, const qs_poly *a, int32_t gamma2) {
  const decompose_consts k = decompose_setup(gamma2);
  for (unsigned i = 0; i < 256; i++) a1->c[i] = decompose1(&a0->c[i], a->c[i], &k);
}

unsigned qs_mldsa_poly_make_hint(qs_poly *h, const qs_poly *a0, const qs_poly *a1, int32_t gamma2) {
  unsigned n = 0;
  for (unsigned i = 0; i < 256; i++) {
    int32_t lo = a0->c[i];
    uint32_t above = (uint32_t)(gamma2 - lo) >> 31;  /* lo > gamma2 */
    uint32_t below = (uint32_t)(lo + gamma2) >> 31;  /* lo < -gamma2 */
    uint32_t e = (uint32_t)(lo + gamma2);
    uint32_t at_edge = ((e | (0u - e)) >> 31) ^ 1u;  /* lo == -gamma2 */
    uint32_t hi = (uint32_t)a1->c[i];
    uint32_t hi_nz = (hi | (0u - hi)) >> 31;
    uint32_t bit = above | below | (at_edge & hi_nz);
    h->c[i] = (int32_t)bit;
    n += bit;
  }
  return n;
}

void qs_mldsa_poly_use_hint(qs_poly *r, const qs_poly *a, const qs_poly *h, int32_t gamma2) {
  const decompose_consts k = decompose_setup(gamma2);
  for (unsigned i = 0; i < 256; i++) {
    int32_t lo;
    int32_t hi = decompose1(&lo, a->c[i], &k);
    if (h->c[i]) {
      if (gamma2 == (Q - 1) / 32) {
        hi = lo > 0 ? ((hi + 1) & 15) : ((hi - 1) & 15);
      } else {
        if (lo > 0) hi = hi == 43 ? 0 : hi + 1;
        else hi = hi == 0 ? 43 : hi - 1;
      }
    }
    r->c[i] = hi;
  }
}

uint32_t qs_mldsa_poly_exceeds(const qs_poly *a, int32_t bound) {
  int32_t bad = 0;
  for (unsigned i = 0; i < 256; i++) {
    int32_t x = a->c[i];
    int32_t abs = x - ((x >> 31) & (2 * x));
    bad |= (bound - 1 - abs) >> 31;
  }
  return (uint32_t)bad;
}
