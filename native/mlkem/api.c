/*
 * liboqs-shaped API (native/include/qsign/oqs.h) over the ML-KEM core.
 * liboqs binds each algorithm to fixed function pointers, so there is one
 * small wrapper per parameter set rather than a k argument.
 */
#include <stdlib.h>
#include <string.h>
#include "qsign/oqs.h"
#include "mlkem.h"

#define DEFINE_SET(K)                                                                                          \
  static OQS_STATUS keypair_derand_##K(uint8_t *pk, uint8_t *sk, const uint8_t *seed) {                       \
    qs_mlkem_keygen_internal(qs_mlkem_params_for(K), pk, sk, seed, seed + 32);                                \
    return OQS_SUCCESS;                                                                                        \
  }                                                                                                            \
  static OQS_STATUS keypair_##K(uint8_t *pk, uint8_t *sk) {                                                   \
    uint8_t seed[64];                                                                                          \
    OQS_STATUS rc = OQS_randombytes(seed, sizeof seed);                                                        \
    if (rc == OQS_SUCCESS) rc = keypair_derand_##K(pk, sk, seed);                                              \
    qs_zeroize(seed, sizeof seed);                                                                             \
    return rc;                                                                                                 \
  }                                                                                                            \
  static OQS_STATUS encaps_derand_##K(uint8_t *ct, uint8_t *ss, const uint8_t *pk, const uint8_t *seed) {     \
    return qs_mlkem_encaps_internal(qs_mlkem_params_for(K), ct, ss, pk, seed) == QS_OK ? OQS_SUCCESS : OQS_ERROR; \
  }                                                                                                            \
  static OQS_STATUS encaps_##K(uint8_t *ct, uint8_t *ss, const uint8_t *pk) {                                 \
    uint8_t m[32];                                                                                             \
    OQS_STATUS rc = OQS_randombytes(m, sizeof m);                                                              \
    if (rc == OQS_SUCCESS) rc = encaps_derand_##K(ct, ss, pk, m);                                              \
    qs_zeroize(m, sizeof m);                                                                                   \
    return rc;                                                                                                 \
  }                                                                                                            \
  static OQS_STATUS decaps_##K(uint8_t *ss, const uint8_t *ct, const uint8_t *sk) {                           \
    return qs_mlkem_decaps_internal(qs_mlkem_params_for(K), ss, ct, sk) == QS_OK ? OQS_SUCCESS : OQS_ERROR;    \
  }

DEFINE_SET(2)
DEFINE_SET(3)
DEFINE_SET(4)

OQS_KEM *OQS_KEM_new(const char *method_name) {
  if (!method_name) return NULL;
  int k;
  uint8_t level;
  if (strcmp(method_name, OQS_KEM_alg_ml_kem_512) == 0) { k = 2; level = 1; }
  else if (strcmp(method_name, OQS_KEM_alg_ml_kem_768) == 0) { k = 3; level = 3; }
  else if (strcmp(method_name, OQS_KEM_alg_ml_kem_1024) == 0) { k = 4; level = 5; }
  else return NULL;
  const qs_mlkem_params *p = qs_mlkem_params_for(k);
  OQS_KEM *kem = malloc(sizeof *kem);
  if (!kem) return NULL;
  kem->method_name = k == 2 ? OQS_KEM_alg_ml_kem_512 : k == 3 ? OQS_KEM_alg_ml_kem_768 : OQS_KEM_alg_ml_kem_1024;
  kem->alg_version = "FIPS 203";
  kem->claimed_nist_level = level;
  kem->ind_cca = true;
  kem->length_public_key = p->pk_bytes;
  kem->length_secret_key = p->sk_bytes;
  kem->length_ciphertext = p->ct_bytes;
  kem->length_shared_secret = 32;
  kem->length_keypair_seed = 64;
  kem->length_encaps_seed = 32;
  switch (k) {
    case 2: kem->keypair_derand = keypair_derand_2; kem->keypair = keypair_2; kem->encaps_derand = encaps_derand_2; kem->encaps = encaps_2; kem->decaps = decaps_2; break;
    case 3: kem->keypair_derand = keypair_derand_3; kem->keypair = keypair_3; kem->encaps_derand = encaps_derand_3; kem->encaps = encaps_3; kem->decaps = decaps_3; break;
    default: kem->keypair_derand = keypair_derand_4; kem->keypair = keypair_4; kem->encaps_derand = encaps_derand_4; kem->encaps = encaps_4; kem->decaps = decaps_4; break;
  }
  return kem;
}

OQS_STATUS OQS_KEM_keypair_derand(const OQS_KEM *kem, uint8_t *pk, uint8_t *sk, const uint8_t *seed) {
  if (!kem || !pk || !sk || !seed) return OQS_ERROR;
  return kem->keypair_derand(pk, sk, seed);
}
OQS_STATUS OQS_KEM_keypair(const OQS_KEM *kem, uint8_t *pk, uint8_t *sk) {
  if (!kem || !pk || !sk) return OQS_ERROR;
  return kem->keypair(pk, sk);
}
OQS_STATUS OQS_KEM_encaps_derand(const OQS_KEM *kem, uint8_t *ct, uint8_t *ss, const uint8_t *pk, const uint8_t *seed) {
  if (!kem || !ct || !ss || !pk || !seed) return OQS_ERROR;
  return kem->encaps_derand(ct, ss, pk, seed);
}
OQS_STATUS OQS_KEM_encaps(const OQS_KEM *kem, uint8_t *ct, uint8_t *ss, const uint8_t *pk) {
  if (!kem || !ct || !ss || !pk) return OQS_ERROR;
  return kem->encaps(ct, ss, pk);
}
OQS_STATUS OQS_KEM_decaps(const OQS_KEM *kem, uint8_t *ss, const uint8_t *ct, const uint8_t *sk) {
  if (!kem || !ss || !ct || !sk) return OQS_ERROR;
  return kem->decaps(ss, ct, sk);
}
void OQS_KEM_free(OQS_KEM *kem) { free(kem); }
