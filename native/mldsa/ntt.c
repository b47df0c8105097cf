/*
 * Scalar reference for the ML-DSA polynomial arithmetic (FIPS 204 §7.5,
 * Alg 41/42). Montgomery form with R = 2^32: the twiddles carry the factor
 * R, so a Montgomery product with them is the plain product. No branch or
 * index depends on coefficient values.
 */
#include "mldsa.h"
#include "zetas.h"

#define Q QS_MLDSA_Q

/* a * 2^-32 mod q for |a| < 2^31 * q; result |r| < q. */
static inline int32_t mont_reduce(int64_t a) {
  int32_t t = (int32_t)((uint32_t)a * (uint32_t)QS_MLDSA_QINV);
  return (int32_t)((a - (int64_t)t * Q) >> 32);
}

static inline int32_t reduce32(int32_t a) {
  /* round(a / 2^23) approximates a / q closely enough that the remainder
   * stays within +-6283008 for every a below 2^31 - 2^22. */
  int32_t t = (a + (1 << 22)) >> 23;
  return a - t * Q;
}

void qs_mldsa_ntt(qs_poly *p) {
  int32_t *a = p->c;
  unsigned m = 0;
  for (unsigned len = 128; len > 0; len >>= 1) {
    for (unsigned start = 0; start < 256; start += 2 * len) {
      int64_t z = qs_mldsa_zetas[++m];
      for (unsigned j = start; j < start + len; j++) {
        int32_t t = mont_reduce(z * a[j + len]);
        a[j + len] = a[j] - t;
        a[j] = a[j] + t;
      }
    }
  }
}

void qs_mldsa_invntt_tomont(qs_poly *p) {
  /* 2^64 / 256 mod q: one Montgomery step leaves 2^32 / 256, so the output
   * is multiplied by 2^32 and divided by n at once. */
  const int64_t f = 41978;
  int32_t *a = p->c;
  unsigned m = 256;
  for (unsigned len = 1; len < 256; len <<= 1) {
    for (unsigned start = 0; start < 256; start += 2 * len) {
      int64_t z = -qs_mldsa_zetas[--m];
      for (unsigned j = start; j < start + len; j++) {
        int32_t t = a[j];
        a[j] = t + a[j + len];
        a[j + len] = mont_reduce(z * (t - a[j + len]));
      }
    }
  }
  for (unsigned j = 0; j < 256; j++) a[j] = mont_reduce(f * a[j]);
}

/* The reference multiplies by b directly (one Montgomery product each), so
 * there is nothing to prepare. */
void qs_mldsa_pointwise_prepare(qs_poly *b, qs_poly *bs) {
  (void)b;
  (void)bs;
}

void qs_mldsa_pointwise_fixed(qs_poly *r, const qs_poly *a, const qs_poly *b, const qs_poly *bs) {
  (void)bs;
  for (unsigned i = 0; i < 256; i++) r->c[i] = mont_reduce((int64_t)a->c[i] * b->c[i]);
}

void qs_mldsa_pointwise_acc(qs_poly *r, const qs_poly *a, const qs_poly *b, int n) {
  /* `a` is always A-hat (coefficients in [0, q)) and |b| < 11q, so the 64-bit
   * sum of at most 7 raw products (< 77 q^2) stays below 2^31 q and one Montgomery
   * reduction per coefficient suffices. */
  for (unsigned i = 0; i < 256; i++) {
    int64_t acc = 0;
    for (int k = 0; k < n; k++) acc += (int64_t)a[k].c[i] * b[k].c[i];
    r->c[i] = mont_reduce(acc);
  }
}

void qs_mldsa_poly_reduce(qs_poly *a) {
  for (unsigned i = 0; i < 256; i++) a->c[i] = reduce32(a->c[i]);
}

void qs_mldsa_poly_caddq(qs_poly *a) {
  for (unsigned i = 0; i < 256; i++) a->c[i] += (a->c[i] >> 31) & Q;
}

void qs_mldsa_poly_add(qs_poly *r, const qs_poly *a, const qs_poly *b) {
  for (unsigned i = 0; i < 256; i++) r->c[i] = a->c[i] + b->c[i];
}

void qs_mldsa_poly_sub(qs_poly *r, const qs_poly *a, const qs_poly *b) {
  for (unsigned i = 0; i < 256; i++) r->c[i] = a->c[i] - b->c[i];
}

void qs_mldsa_poly_shiftl(qs_poly *a) {
  for (unsigned i = 0; i < 256; i++) a->c[i] = (int32_t)((uint32_t)a->c[i] << QS_MLDSA_D);
}
