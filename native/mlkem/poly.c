/*
 * Scalar reference for the coefficient-wise kernels (SIMD twin in
 * simd128/poly.c). Compression runs on secret values during decapsulation
 * (Compress_1 of w yields m'), so it uses a multiply-shift reciprocal of q
 * and never `/` or `%`: division time depends on the operand on many CPUs
 * and wasm engines (KyberSlash).
 */
#include "mlkem.h"

#define Q QS_MLKEM_Q

void qs_mlkem_poly_add(qs_mlkem_poly *r, const qs_mlkem_poly *a, const qs_mlkem_poly *b) {
  for (unsigned i = 0; i < QS_MLKEM_N; i++) r->c[i] = (int16_t)(a->c[i] + b->c[i]);
}

void qs_mlkem_poly_sub(qs_mlkem_poly *r, const qs_mlkem_poly *a, const qs_mlkem_poly *b) {
  for (unsigned i = 0; i < QS_MLKEM_N; i++) r->c[i] = (int16_t)(a->c[i] - b->c[i]);
}

void qs_mlkem_poly_reduce(qs_mlkem_poly *a) {
  for (unsigned i = 0; i < QS_MLKEM_N; i++) {
    int16_t x = a->c[i];
    int16_t t = (int16_t)(((int32_t)20159 * x + (1 << 25)) >> 26); /* ≈ x/q */
    int16_t r = (int16_t)(x - t * Q);                              /* |r| <= (q+1)/2 */
    r = (int16_t)(r + ((r >> 15) & Q));                            /* to [0, q) without a branch */
    a->c[i] = r;
  }
}

void qs_mlkem_poly_tomont(qs_mlkem_poly *a) {
  /* mont(x · (R^2 mod q)) = x·R; 1353 = 2^32 mod q */
  for (unsigned i = 0; i < QS_MLKEM_N; i++) {
    int32_t p = (int32_t)a->c[i] * 1353;
    int16_t t = (int16_t)((int16_t)p * -3327);
    a->c[i] = (int16_t)((p - (int32_t)t * Q) >> 16);
  }
}

void qs_mlkem_poly_compress(uint16_t out[QS_MLKEM_N], const qs_mlkem_poly *a, int d) {
  const uint32_t mask = (1u << d) - 1;
  for (unsigned i = 0; i < QS_MLKEM_N; i++) {
    /* round(2^d·x/q) = floor((2^d·x + 1664)/q). With t < 2^23 and
     * M = ceil(2^36/q) = 20642679, (t·M) >> 36 is exactly floor(t/q):
     * the error t·(M·q − 2^36)/(q·2^36) stays below 1/q. */
    uint32_t t = ((uint32_t)(uint16_t)a->c[i] << d) + 1664;
    uint32_t quo = (uint32_t)(((uint64_t)t * 20642679u) >> 36);
    out[i] = (uint16_t)(quo & mask);
  }
}

void qs_mlkem_poly_decompress(qs_mlkem_poly *r, const uint16_t in[QS_MLKEM_N], int d) {
  for (unsigned i = 0; i < QS_MLKEM_N; i++) {
    r->c[i] = (int16_t)(((uint32_t)in[i] * Q + (1u << (d - 1))) >> d);
  }
}
