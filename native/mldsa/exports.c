/*
 * wasm exports for ML-DSA (FIPS 204). level is 44, 65 or 87; return values
 * are QS_* codes (0 = success / valid signature). The TypeScript layer
 * sizes every buffer from the level, so lengths are not re-passed here
 * except where they vary (messages, prefixes, signatures under test).
 */
#include <string.h>
#include "../common/qs_common.h"
#include "mldsa.h"
#include "../fips202/fips202.h"

#define GET_PARAMS(p, level)                          \
  const qs_mldsa_params *p = qs_mldsa_params_get(level); \
  if (!p) return QS_ERR_INVALID_ARGUMENT

/* KeyGen_internal(xi). */
QS_EXPORT("qs_mldsa_keypair") int qs_mldsa_keypair(int level, const uint8_t *xi, uint8_t *pk, uint8_t *sk) {
  GET_PARAMS(p, level);
  int rc = qs_mldsa_keygen_internal(p, pk, sk, xi);
  qs_scrub_stack(QS_SCRUB_MLDSA_KEYPAIR);
  return rc;
}

/* Recomputes pk = rho || t1 from an expanded secret key. */
QS_EXPORT("qs_mldsa_pk_from_sk") int qs_mldsa_pk_from_sk_export(int level, const uint8_t *sk, uint8_t *pk) {
  GET_PARAMS(p, level);
  int rc = qs_mldsa_pk_from_sk(p, pk, sk);
  qs_scrub_stack(QS_SCRUB_MLDSA_KEYPAIR);
  return rc;
}

/* Sign_internal with an external mu (64 bytes). */
QS_EXPORT("qs_mldsa_sign_mu") int qs_mldsa_sign_mu(int level, const uint8_t *sk, const uint8_t *mu, const uint8_t *rnd,
                                                    uint8_t *sig) {
  GET_PARAMS(p, level);
  int rc = qs_mldsa_sign_mu_internal(p, sig, sk, mu, rnd);
  qs_scrub_stack(QS_SCRUB_MLDSA);
  return rc;
}

/* Verify_internal with an external mu. */
QS_EXPORT("qs_mldsa_verify_mu") int qs_mldsa_verify_mu(int level, const uint8_t *pk, const uint8_t *mu, const uint8_t *sig,
                                                        size_t siglen) {
  GET_PARAMS(p, level);
  return qs_mldsa_verify_mu_internal(p, pk, mu, sig, siglen);
}

/* Signs M' = pre || msg in one call (mu from the tr stored in sk): pre is
 * 0x00||len||ctx for pure ML-DSA, 0x01||len||ctx||OID with msg = PH(M) for
 * HashML-DSA, or empty when msg already is M' (Sign_internal vectors). */
QS_EXPORT("qs_mldsa_sign_msg") int qs_mldsa_sign_msg(int level, const uint8_t *sk, const uint8_t *pre, size_t prelen,
                                                      const uint8_t *msg, size_t msglen, const uint8_t *rnd, uint8_t *sig) {
  GET_PARAMS(p, level);
  uint8_t mu[64];
  qs_mldsa_mu_from_tr(mu, sk + 64, pre, prelen, msg, msglen);
  int rc = qs_mldsa_sign_mu_internal(p, sig, sk, mu, rnd);
  qs_zeroize(mu, sizeof mu);
  qs_scrub_stack(QS_SCRUB_MLDSA);
  return rc;
}

/* Verifies a signature over M' = pre || msg. */
QS_EXPORT("qs_mldsa_verify_msg") int qs_mldsa_verify_msg(int level, const uint8_t *pk, const uint8_t *pre, size_t prelen,
                                                          const uint8_t *msg, size_t msglen, const uint8_t *sig,
                                                          size_t siglen) {
  GET_PARAMS(p, level);
  uint8_t mu[64];
  qs_mldsa_mu_from_pk(mu, pk, p->pk_bytes, pre, prelen, msg, msglen);
  return qs_mldsa_verify_mu_internal(p, pk, mu, sig, siglen);
}

/* mu = SHAKE256(SHAKE256(pk, 64) || pre || msg, 64) (external-mu signing). */
QS_EXPORT("qs_mldsa_mu") int qs_mldsa_mu(int level, const uint8_t *pk, const uint8_t *pre, size_t prelen, const uint8_t *msg,
                                          size_t msglen, uint8_t *mu) {
  GET_PARAMS(p, level);
  qs_mldsa_mu_from_pk(mu, pk, p->pk_bytes, pre, prelen, msg, msglen);
  return QS_OK;
}

/* Consistency check of an expanded secret key that arrives without its seed
 * (RFC 9881 §8.2 asks importers to reject inconsistent keys): recomputes
 * t = NTT^-1(A-hat o NTT(s1)) + s2 (FIPS 204 Alg 6 lines 5-6), writes
 * pk = rho || t1, and compares what the key stores with what it implies.
 * Returns QS_ERR_INVALID_SECRET_KEY when s1 or s2 has a coefficient out of
 * range, else a bit set: 0 consistent, 1 t0 differs, 2 tr is not H(pk).
 * Which part differs is not secret (the key is rejected either way); the
 * coefficients are, so the comparisons run in constant time and the whole
 * workspace is wiped. */
QS_EXPORT("qs_mldsa_check_sk") int qs_mldsa_check_sk(int level, const uint8_t *sk, uint8_t *pk) {
  GET_PARAMS(p, level);
  struct {
    qs_poly a[QS_MLDSA_K_MAX * QS_MLDSA_L_MAX];
    qs_poly s1[QS_MLDSA_L_MAX], s2[QS_MLDSA_K_MAX], t0[QS_MLDSA_K_MAX];
    qs_poly t[QS_MLDSA_K_MAX], t1[QS_MLDSA_K_MAX], t0c[QS_MLDSA_K_MAX];
    uint8_t rho[32], key[32], tr[64], trc[64];
  } ws;
  int rc = qs_mldsa_unpack_sk(p, ws.rho, ws.key, ws.tr, ws.s1, ws.s2, ws.t0, sk);
  if (rc == QS_OK) {
    QS_DECLASSIFY(ws.rho, 32); /* rho is published in pk */
    qs_mldsa_expand_a(ws.a, ws.rho, p->k, p->l);
    for (int i = 0; i < p->l; i++) qs_mldsa_ntt(&ws.s1[i]);
    for (int i = 0; i < p->k; i++) {
      qs_mldsa_pointwise_acc(&ws.t[i], &ws.a[i * p->l], ws.s1, p->l);
      qs_mldsa_invntt_tomont(&ws.t[i]);
      qs_mldsa_poly_add(&ws.t[i], &ws.t[i], &ws.s2[i]);
      qs_mldsa_poly_reduce(&ws.t[i]);
      qs_mldsa_poly_caddq(&ws.t[i]);
      qs_mldsa_poly_power2round(&ws.t1[i], &ws.t0c[i], &ws.t[i]);
    }
    qs_mldsa_pack_pk(p, pk, ws.rho, ws.t1);
    qs_shake256(ws.trc, 64, pk, p->pk_bytes);
    uint8_t t0_differs = qs_ct_memcmp_mask((const uint8_t *)ws.t0, (const uint8_t *)ws.t0c, sizeof(qs_poly) * (size_t)p->k);
    uint8_t tr_differs = qs_ct_memcmp_mask(ws.tr, ws.trc, 64);
    QS_DECLASSIFY(&t0_differs, 1);
    QS_DECLASSIFY(&tr_differs, 1);
    rc = (t0_differs & 1) | ((tr_differs & 1) << 1);
  }
  qs_zeroize(&ws, sizeof ws);
  qs_scrub_stack(QS_SCRUB_MLDSA);
  return rc;
}
