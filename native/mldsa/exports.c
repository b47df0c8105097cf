/*
 * wasm exports for ML-DSA (FIPS 204). level is 44, 65 or 87; return values
 * are QS_* codes (0 = success / valid signature). The TypeScript layer
 * sizes every buffer from the level, so lengths are not re-passed here
 * except where they vary (messages, prefixes, signatures under test).
 */
#include <string.h>
#include "../common/qs_common.h"
#include "mldsa.h"

#define GET_PARAMS(p, level)                          \
  const qs_mldsa_params *p = qs_mldsa_params_get(level); \
  if (!p) return QS_ERR_INVALID_ARGUMENT

/* KeyGen_internal(xi). */
QS_EXPORT("qs_mldsa_keypair") int qs_mldsa_keypair(int level, const uint8_t *xi, uint8_t *pk, uint8_t *sk) {
  GET_PARAMS(p, level);
  int rc = qs_mldsa_keygen_internal(p, pk, sk, xi);
  qs_scrub_stack(QS_SCRUB_MLDSA);
  return rc;
}

/* Recomputes pk = rho || t1 from an expanded secret key. */
QS_EXPORT("qs_mldsa_pk_from_sk") int qs_mldsa_pk_from_sk_export(int level, const uint8_t *sk, uint8_t *pk) {
  GET_PARAMS(p, level);
  int rc = qs_mldsa_pk_from_sk(p, pk, sk);
  qs_scrub_stack(QS_SCRUB_MLDSA);
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
