/*
 * Scalar reference for FIPS 204 §7.4 rounding (Alg 35-40) and the infinity
 * norm check. Everything except use_hint (verification only, public data)
 * runs on secret-derived values in signing, so it uses no division, modulo
 * or data-dependent branch: quotients come from multiply-shift constants
 * that are exact over [0, q), checked exhaustively in test/native.
 */
#include "mldsa.h"

#define Q QS_MLDSA_Q

void qs_mldsa_poly_power2round(qs_poly *a1, qs_poly *a0, const qs_poly *a) {
  for (unsigned i = 0; i < 256; i++) {
    int32_t x = a->c[i];
    /* Rounds half down so the low part lands in (-2^12, 2^12] as Alg 35 wants. */
    int32_t hi = (x + (1 << (QS_MLDSA_D - 1)) - 1) >> QS_MLDSA_D;
    a1->c[i] = hi;
    a0->c[i] = x - (hi << QS_MLDSA_D);
  }
}

static inline int32_t decompose1(int32_t *lo, int32_t a, int32_t gamma2) {
  /* ceil(a / 128) first keeps the products below 2^31 for the multiply-shift
   * quotient that follows; both constants give round(a / 2gamma2) exactly. */
  int32_t a1 = (a + 127) >> 7;
  if (gamma2 == (Q - 1) / 32) { /* public parameter, not data */
    a1 = (a1 * 1025 + (1 << 21)) >> 22;
    a1 &= 15; /* the top bucket (a1 = 16) wraps to 0, as Alg 36 requires */
  } else {
    a1 = (a1 * 11275 + (1 << 23)) >> 24;
    a1 ^= ((43 - a1) >> 31) & a1; /* a1 = 44 wraps to 0 without a branch */
  }
  int32_t a0 = a - a1 * 2 * gamma2;
  a0 -= (((Q - 1) / 2 - a0) >> 31) & Q; /* centre the wrapped bucket: a0 - q */
  *lo = a0;
  return a1;
}

void qs_mldsa_poly_decompose(qs_poly *a1, qs_poly *a0, const qs_poly *a, int32_t gamma2) {
  for (unsigned i = 0; i < 256; i++) a1->c[i] = decompose1(&a0->c[i], a->c[i], gamma2);
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
  for (unsigned i = 0; i < 256; i++) {
    int32_t lo;
    int32_t hi = decompose1(&lo, a->c[i], gamma2);
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
