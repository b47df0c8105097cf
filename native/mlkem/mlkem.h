/*
 * ML-KEM (FIPS 203) internals shared by the scalar reference and the
 * SIMD128 kernels. One binary serves all three parameter sets: the set is a
 * run-time params pointer, and buffers are sized for the largest (k = 4).
 *
 * Arithmetic contract (every implementation of a function below must meet
 * it, so that any mix of scalar and SIMD files computes the same bytes):
 * coefficients are int16 residues mod q; "≡" is congruence mod q; R = 2^16.
 * Only functions that say "canonical" promise a unique representative, and
 * only canonical values are ever serialized.
 */
#ifndef QS_MLKEM_H
#define QS_MLKEM_H

#include <stddef.h>
#include <stdint.h>
#include "../common/qs_common.h"

#define QS_MLKEM_N 256
#define QS_MLKEM_Q 3329
#define QS_MLKEM_KMAX 4
#define QS_MLKEM_SYMBYTES 32
#define QS_MLKEM_POLYBYTES 384

typedef struct {
  _Alignas(16) int16_t c[QS_MLKEM_N];
} qs_mlkem_poly;

typedef struct {
  int k;
  int eta1; /* η2 is 2 for every set */
  int du;
  int dv;
  size_t pk_bytes;  /* 384k + 32 */
  size_t sk_bytes;  /* 768k + 96 */
  size_t ct_bytes;  /* 32(du·k + dv) */
} qs_mlkem_params;

/* NULL unless k is 2, 3 or 4. */
const qs_mlkem_params *qs_mlkem_params_for(int k);

/* ---- ntt.c (SIMD twin) ---- */
/* in: |c| <= q. out: ≡ NTT(a) (FIPS 203 Alg 9), |c| < q. */
void qs_mlkem_poly_ntt(qs_mlkem_poly *a);
/* in: |c| < q. out: ≡ NTT^-1(a)·R (Alg 10, then ×R), |c| <= q. */
void qs_mlkem_poly_invntt_tomont(qs_mlkem_poly *a);
/* in: a[i], b[i] with |c| < q. out: r ≡ R^-1 · Σ_i a[i] ∘ b[i] (Alg 11 per
 * pair, summed over i < k), |c| < q. */
void qs_mlkem_polyvec_basemul_acc(qs_mlkem_poly *r, const qs_mlkem_poly *a, const qs_mlkem_poly *b, int k);

/* ---- poly.c (SIMD twin) ---- */
void qs_mlkem_poly_add(qs_mlkem_poly *r, const qs_mlkem_poly *a, const qs_mlkem_poly *b);
void qs_mlkem_poly_sub(qs_mlkem_poly *r, const qs_mlkem_poly *a, const qs_mlkem_poly *b);
/* in: any int16. out: canonical, [0, q). */
void qs_mlkem_poly_reduce(qs_mlkem_poly *a);
/* in: |c| < q. out: ≡ a·R, |c| <= q. */
void qs_mlkem_poly_tomont(qs_mlkem_poly *a);
/* Compress_d (FIPS 203 §4.2.1) of canonical coefficients, d in 1..11, into
 * out[i] in [0, 2^d). Constant time: multiply-shift, never a division. */
void qs_mlkem_poly_compress(uint16_t out[QS_MLKEM_N], const qs_mlkem_poly *a, int d);
/* Decompress_d of in[i] < 2^d; out canonical. */
void qs_mlkem_poly_decompress(qs_mlkem_poly *r, const uint16_t in[QS_MLKEM_N], int d);

/* ---- encode.c ---- */
/* ByteEncode_d / ByteDecode_d (Alg 5/6) of d-bit values, d in 1..12. */
void qs_mlkem_pack(uint8_t *out, const uint16_t in[QS_MLKEM_N], int d);
void qs_mlkem_unpack(uint16_t out[QS_MLKEM_N], const uint8_t *in, int d);
/* ByteEncode_12 of canonical coefficients. */
void qs_mlkem_poly_tobytes(uint8_t out[QS_MLKEM_POLYBYTES], const qs_mlkem_poly *a);
/* ByteDecode_12 without reduction: out in [0, 4096). */
void qs_mlkem_poly_frombytes(qs_mlkem_poly *r, const uint8_t in[QS_MLKEM_POLYBYTES]);
/* 0 when every 12-bit value of the 384k bytes is < q (FIPS 203 §7.2 modulus
 * check), nonzero otherwise. Branch-free, although ek is public. */
uint32_t qs_mlkem_modulus_check_fails(const uint8_t *in, int k);

/* ---- rej.c (SIMD twin) ---- */
/* SampleNTT's inner step (Alg 7 lines 5-13): parses buf in 3-byte groups,
 * in order, appending each 12-bit value < q to r until `need` are taken;
 * returns how many were appended. buf holds public XOF output. */
unsigned qs_mlkem_rej_uniform(int16_t *r, unsigned need, const uint8_t *buf, unsigned buflen);

/* ---- cbd.c (SIMD twin) ---- */
/* SamplePolyCBD_eta (Alg 8) of 64·eta bytes, eta in {2, 3}; out |c| <= eta.
 * May read up to 16 bytes past 64·eta (callers' buffers have the slack). */
void qs_mlkem_poly_cbd(qs_mlkem_poly *r, const uint8_t *buf, int eta);

/* ---- sample.c ---- */
/* Â[i][j] = SampleNTT(ρ‖j‖i) (Alg 13 line 6); transposed gives Â^T. */
void qs_mlkem_gen_matrix(qs_mlkem_poly *a, const uint8_t rho[32], int k, int transposed);
/* r[i] = SamplePolyCBD_eta[i](PRF(seed, nonce[i])) for i < n, paired on the
 * 2-way SHAKE256. */
void qs_mlkem_sample_noise(qs_mlkem_poly *const *r, const int *eta, const uint8_t *nonce, int n, const uint8_t seed[32]);

/* ---- kem.c ---- */
void qs_mlkem_keygen_internal(const qs_mlkem_params *p, uint8_t *pk, uint8_t *sk, const uint8_t d[32], const uint8_t z[32]);
/* QS_ERR_INVALID_PUBLIC_KEY if the §7.2 modulus check fails (ct, ss untouched). */
int qs_mlkem_encaps_internal(const qs_mlkem_params *p, uint8_t *ct, uint8_t ss[32], const uint8_t *pk, const uint8_t m[32]);
/* QS_ERR_INVALID_SECRET_KEY if the §7.3 hash check fails (ss zeroed);
 * otherwise QS_OK, with the implicit-rejection key on a wrong ciphertext. */
int qs_mlkem_decaps_internal(const qs_mlkem_params *p, uint8_t ss[32], const uint8_t *ct, const uint8_t *sk);
int qs_mlkem_check_pk_internal(const qs_mlkem_params *p, const uint8_t *pk);
int qs_mlkem_check_sk_internal(const qs_mlkem_params *p, const uint8_t *sk);

#endif
