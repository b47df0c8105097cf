/*
 * wasm exports for ML-KEM. The TypeScript layer checks buffer lengths
 * before calling (it knows the sizes from k); these entry points check the
 * FIPS 203 §7.2/§7.3 conditions that depend on content.
 */
#include "mlkem.h"

QS_EXPORT("qs_mlkem_keypair")
int qs_mlkem_keypair(int k, const uint8_t seed[64], uint8_t *pk, uint8_t *sk) {
  const qs_mlkem_params *p = qs_mlkem_params_for(k);
  if (!p) return QS_ERR_INVALID_ARGUMENT;
  qs_mlkem_keygen_internal(p, pk, sk, seed, seed + 32);
  qs_scrub_stack(QS_SCRUB_MLKEM_KEYPAIR);
  return QS_OK;
}

QS_EXPORT("qs_mlkem_encaps")
int qs_mlkem_encaps(int k, const uint8_t *pk, const uint8_t m[32], uint8_t *ct, uint8_t ss[32]) {
  const qs_mlkem_params *p = qs_mlkem_params_for(k);
  if (!p) return QS_ERR_INVALID_ARGUMENT;
  int rc = qs_mlkem_encaps_internal(p, ct, ss, pk, m);
  qs_scrub_stack(QS_SCRUB_MLKEM_ENCAPS);
  return rc;
}

QS_EXPORT("qs_mlkem_decaps")
int qs_mlkem_decaps(int k, const uint8_t *sk, const uint8_t *ct, uint8_t ss[32]) {
  const qs_mlkem_params *p = qs_mlkem_params_for(k);
  if (!p) return QS_ERR_INVALID_ARGUMENT;
  int rc = qs_mlkem_decaps_internal(p, ss, ct, sk);
  qs_scrub_stack(QS_SCRUB_MLKEM);
  return rc;
}

QS_EXPORT("qs_mlkem_check_pk")
int qs_mlkem_check_pk(int k, const uint8_t *pk) {
  const qs_mlkem_params *p = qs_mlkem_params_for(k);
  if (!p) return QS_ERR_INVALID_ARGUMENT;
  return qs_mlkem_check_pk_internal(p, pk);
}

QS_EXPORT("qs_mlkem_check_sk")
int qs_mlkem_check_sk(int k, const uint8_t *sk) {
  const qs_mlkem_params *p = qs_mlkem_params_for(k);
  if (!p) return QS_ERR_INVALID_ARGUMENT;
  int rc = qs_mlkem_check_sk_internal(p, sk);
  qs_scrub_stack(QS_SCRUB_MLKEM);
  return rc;
}
