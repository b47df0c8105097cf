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

/*
 * A small representative of a mod q, for |a| < 2^31 - 2^22. q = 2^23 - 2^13 + 1,
 * so 2^23 = 2^13 - 1 (mod q). Split a = 2^23·carry + low with low the centred
 * 23-bit digit in [-2^22, 2^22); replacing 2^23 by 2^13 - 1 gives
 * a = low + carry·(2^13 - 1) (mod q). |carry| <= 256, so the result lies
 * within 2^22 + 256·8191 = 6291200 of zero, and a value already inside
 * [-2^22, 2^22) comes back unchanged (carry = 0), which the norm checks of
 * signing rely on.
 */
static inline int32_t reduce32(int32_t a) {
  const int32_t half = 1 << 22;
  int32_t low = ((a + half) & ((1 << 23) - 1)) - half;
  int32_t carry = (a - low) >> 23; /* exact: a - low is a multiple of 2^23 */
  return low + carry * ((1 << 13) - 1);
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

/*
 * FIPS 204 Alg 42 NTT^-1: log2(256) = 8 layers of Gentleman-Sande butterflies,
 * (u, v) -> (u + v, -zeta·(u - v)), with the half-width doubling from 1 to
 * 128. The standard walks the zeta table downwards with one counter; here
 * the index is written out: in the layer of half-width h, block b of the
 * 128/h blocks uses zetas[256/h - 1 - b], the twiddle its forward-NTT
 * butterfly used. Each layer is inlined with its own constant h, which lets
 * clang specialise the short inner loops of the first layers (about 20%
 * faster in the scalar wasm than one generic layer loop).
 */
QS_INLINE void invntt_layer(int32_t *a, unsigned half) {
  const unsigned blocks = 128 / half;
  for (unsigned b = 0; b < blocks; b++) {
    const int64_t minus_zeta = -qs_mldsa_zetas[2 * blocks - 1 - b];
    int32_t *lo = a + 2 * half * b, *hi = lo + half;
    for (unsigned j = 0; j < half; j++) {
      int32_t u = lo[j], v = hi[j];
      lo[j] = u + v;
      hi[j] = mont_reduce(minus_zeta * (u - v));
    }
  }
}

/* The final scaling by 256^-1 is folded with the Montgomery factor:
 * f = 2^64 / 256 mod q, so one Montgomery product leaves a·2^32/256, i.e.
 * the output is also multiplied by 2^32. */
void qs_mldsa_invntt_tomont(qs_poly *p) {
  const int64_t f = 41978;
  int32_t *a = p->c;
  invntt_layer(a, 1);
  invntt_layer(a, 2);
  invntt_layer(a, 4);
  invntt_layer(a, 8);
  invntt_layer(a, 16);
  invntt_layer(a, 32);
  invntt_layer(a, 64);
  invntt_layer(a, 128);
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
