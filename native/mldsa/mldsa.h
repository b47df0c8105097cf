/*
 * ML-DSA (FIPS 204) internals shared by the scalar reference and the
 * simd128/ kernels. One binary serves all three parameter sets: the level is
 * a run-time argument, and every array is sized for the largest set
 * (ML-DSA-87, k = 8, l = 7) so no allocation is needed.
 *
 * Files with a simd128/ twin (ntt.c, rounding.c) implement exactly the
 * functions declared under "kernels" below; the twin must be byte-for-byte
 * equivalent in every output that leaves the kernel.
 */
#ifndef QS_MLDSA_H
#define QS_MLDSA_H

#include <stddef.h>
#include <stdint.h>
#include "../common/qs_common.h"

#define QS_MLDSA_N 256
#define QS_MLDSA_Q 8380417
#define QS_MLDSA_D 13
#define QS_MLDSA_QINV 58728449 /* q^-1 mod 2^32 */
#define QS_MLDSA_K_MAX 8
#define QS_MLDSA_L_MAX 7
#define QS_MLDSA_SEEDBYTES 32
#define QS_MLDSA_CRHBYTES 64
#define QS_MLDSA_TRBYTES 64
#define QS_MLDSA_RNDBYTES 32
#define QS_MLDSA_MUBYTES 64
#define QS_MLDSA_CTILDE_MAX 64
#define QS_MLDSA_POLYT1_BYTES 320
#define QS_MLDSA_POLYT0_BYTES 416
#define QS_MLDSA_PK_MAX 2592
#define QS_MLDSA_SK_MAX 4896
#define QS_MLDSA_SIG_MAX 4627

typedef struct {
  int level; /* 44, 65, 87 */
  int k, l, eta, tau, lambda, omega;
  int32_t gamma1, gamma2, beta;
  size_t ctilde_bytes;   /* lambda / 4 */
  size_t polyeta_bytes;  /* 96 (eta 2) or 128 (eta 4) */
  size_t polyz_bytes;    /* 576 (gamma1 2^17) or 640 (2^19) */
  size_t polyw1_bytes;   /* 192 (gamma2 (q-1)/88) or 128 ((q-1)/32) */
  size_t pk_bytes, sk_bytes, sig_bytes;
} qs_mldsa_params;

/* NULL for anything but 44, 65 or 87. */
const qs_mldsa_params *qs_mldsa_params_get(int level);

typedef struct {
  int32_t c[QS_MLDSA_N];
} __attribute__((aligned(16))) qs_poly;

/* ---- kernels (ntt.c / simd128/ntt.c) ---- */
/* Forward NTT, in place. Input |a| < q; output |a| < 11q, plain (non-Montgomery) domain. */
void qs_mldsa_ntt(qs_poly *a);
/* Inverse NTT times 2^32 (undoes the 2^-32 of one Montgomery product).
 * Input |a| < q; output |a| < q. */
void qs_mldsa_invntt_tomont(qs_poly *a);
/* r = sum_i a[i] * b[i] * 2^-32 over n <= 7 polys (NTT domain); a in [0, q)
 * (A-hat), |b| < 11q; output |r| < q. */
void qs_mldsa_pointwise_acc(qs_poly *r, const qs_poly *a, const qs_poly *b, int n);
/* For a multiplicand used in many products (c-hat in sign and verify):
 * rewrites b (|b| < 11q) into whatever form qs_mldsa_pointwise_fixed needs and
 * fills bs (the SIMD build: b * 2^-32 centred and its Shoup companion; the
 * scalar reference leaves b as it is and ignores bs). */
void qs_mldsa_pointwise_prepare(qs_poly *b, qs_poly *bs);
/* r = a * b * 2^-32 (NTT domain) with b, bs from qs_mldsa_pointwise_prepare;
 * |a| < 11q (so |ab| < 2^31 q in the scalar Montgomery product); output |r| < q. */
void qs_mldsa_pointwise_fixed(qs_poly *r, const qs_poly *a, const qs_poly *b, const qs_poly *bs);
/* a = representative of a mod q in [-6283008, 6283008]; input a <= 2^31 - 2^22 - 1. */
void qs_mldsa_poly_reduce(qs_poly *a);
/* a += q where a < 0. */
void qs_mldsa_poly_caddq(qs_poly *a);
void qs_mldsa_poly_add(qs_poly *r, const qs_poly *a, const qs_poly *b);
void qs_mldsa_poly_sub(qs_poly *r, const qs_poly *a, const qs_poly *b);
/* a <<= d (t1 * 2^d); no reduction needed since t1 < 2^10. */
void qs_mldsa_poly_shiftl(qs_poly *a);

/* ---- kernels (rounding.c / simd128/rounding.c) ---- */
/* FIPS 204 Alg 35 on a in [0, q): a1 = high part, a0 = a - a1*2^d in (-2^12, 2^12]. */
void qs_mldsa_poly_power2round(qs_poly *a1, qs_poly *a0, const qs_poly *a);
/* FIPS 204 Alg 36 on a in [0, q): a1 = HighBits, a0 = LowBits (centred). */
void qs_mldsa_poly_decompose(qs_poly *a1, qs_poly *a0, const qs_poly *a, int32_t gamma2);
/* Hint bits h = [a0 > g2 or a0 < -g2 or (a0 == -g2 and a1 != 0)], with
 * a0 = LowBits(w) - cs2 + ct0 and a1 = HighBits(w); this equals FIPS 204
 * MakeHint(-ct0, w - cs2 + ct0) once |LowBits(w) - cs2| < g2 - beta has been
 * checked. Returns the number of set bits. */
unsigned qs_mldsa_poly_make_hint(qs_poly *h, const qs_poly *a0, const qs_poly *a1, int32_t gamma2);
/* FIPS 204 Alg 40 on a in [0, q) with hint h in {0, 1}; public data only. */
void qs_mldsa_poly_use_hint(qs_poly *r, const qs_poly *a, const qs_poly *h, int32_t gamma2);
/* All-ones mask when some |a_i| >= bound (a_i a centred representative),
 * else 0. Scans every coefficient: no early exit, no branch on data. */
uint32_t qs_mldsa_poly_exceeds(const qs_poly *a, int32_t bound);

/* ---- sampling (sample.c) ---- */
/* FIPS 204 Alg 32: A-hat[i][j] = RejNTTPoly(rho || j || i), row-major k x l. */
void qs_mldsa_expand_a(qs_poly *a, const uint8_t rho[32], int k, int l);
/* FIPS 204 Alg 33: s1 (l polys, nonce 0..l-1) and s2 (k polys, nonce l..). */
void qs_mldsa_expand_s(qs_poly *s1, qs_poly *s2, const uint8_t rhoprime[64], int k, int l, int eta);
/* FIPS 204 Alg 34 for two polynomials: y0 from rho'' and nonce n0, y1 from
 * nonce n1 (ExpandMask's y[r] uses nonce kappa + r). Taking them in pairs
 * lets the SIMD build run both SHAKE256 streams in one 2-way Keccak. */
void qs_mldsa_expand_mask_x2(qs_poly *y0, qs_poly *y1, const uint8_t rhopp[64], uint16_t n0, uint16_t n1,
                             int32_t gamma1);
/* FIPS 204 Alg 29 on the full c-tilde. */
void qs_mldsa_sample_in_ball(qs_poly *c, const uint8_t *ctilde, size_t ctilde_len, int tau);

/* ---- encodings (packing.c), FIPS 204 §7.1-7.2 ---- */
void qs_mldsa_pack_pk(const qs_mldsa_params *p, uint8_t *pk, const uint8_t rho[32], const qs_poly *t1);
void qs_mldsa_unpack_pk(const qs_mldsa_params *p, uint8_t rho[32], qs_poly *t1, const uint8_t *pk);
void qs_mldsa_pack_sk(const qs_mldsa_params *p, uint8_t *sk, const uint8_t rho[32], const uint8_t key[32],
                      const uint8_t tr[64], const qs_poly *s1, const qs_poly *s2, const qs_poly *t0);
/* Returns QS_ERR_INVALID_SECRET_KEY when an s1/s2 coefficient lies outside
 * [-eta, eta] (only possible in a corrupted key). The check runs over all
 * coefficients with no early exit, so it reveals only validity. */
int qs_mldsa_unpack_sk(const qs_mldsa_params *p, uint8_t rho[32], uint8_t key[32], uint8_t tr[64],
                       qs_poly *s1, qs_poly *s2, qs_poly *t0, const uint8_t *sk);
void qs_mldsa_pack_sig(const qs_mldsa_params *p, uint8_t *sig, const uint8_t *ctilde, const qs_poly *z, const qs_poly *h);
/* Returns 0, or -1 for a malformed hint encoding (FIPS 204 Alg 21). */
int qs_mldsa_unpack_sig(const qs_mldsa_params *p, uint8_t *ctilde, qs_poly *z, qs_poly *h, const uint8_t *sig);
void qs_mldsa_pack_w1(const qs_mldsa_params *p, uint8_t *out, const qs_poly *w1);

/* ---- algorithms (sign.c) ---- */
int qs_mldsa_keygen_internal(const qs_mldsa_params *p, uint8_t *pk, uint8_t *sk, const uint8_t xi[32]);
int qs_mldsa_pk_from_sk(const qs_mldsa_params *p, uint8_t *pk, const uint8_t *sk);
int qs_mldsa_sign_mu_internal(const qs_mldsa_params *p, uint8_t *sig, const uint8_t *sk,
                              const uint8_t mu[64], const uint8_t rnd[32]);
/* QS_OK when valid, QS_ERR_INVALID_SIGNATURE otherwise. */
int qs_mldsa_verify_mu_internal(const qs_mldsa_params *p, const uint8_t *pk, const uint8_t mu[64],
                                const uint8_t *sig, size_t siglen);
/* mu = SHAKE256(tr || pre || msg, 64) with tr = SHAKE256(pk, 64). `pre` is the
 * M' prefix (0x00||len||ctx for pure, 0x01||len||ctx||OID for HashML-DSA,
 * empty for Sign_internal test vectors). */
void qs_mldsa_mu_from_pk(uint8_t mu[64], const uint8_t *pk, size_t pklen, const uint8_t *pre, size_t prelen,
                         const uint8_t *msg, size_t msglen);
void qs_mldsa_mu_from_tr(uint8_t mu[64], const uint8_t tr[64], const uint8_t *pre, size_t prelen,
                         const uint8_t *msg, size_t msglen);

#endif
