/*
 * The public C API of qsign-pqc. It mirrors liboqs (OQS_KEM_*, OQS_SIG_*,
 * liboqs algorithm names and the length_* fields) so that C written against
 * liboqs reads the same; the implementation is our own (native/mlkem,
 * native/mldsa). Randomness: the non-derandomized calls draw from
 * OQS_randombytes, which the host must provide (a getrandom-based default is
 * compiled in for native builds; the wasm build has no imports, so there the
 * TypeScript layer always uses the *_derand entry points).
 */
#ifndef QSIGN_OQS_H
#define QSIGN_OQS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  OQS_ERROR = -1,
  OQS_SUCCESS = 0,
} OQS_STATUS;

#define OQS_KEM_alg_ml_kem_512 "ML-KEM-512"
#define OQS_KEM_alg_ml_kem_768 "ML-KEM-768"
#define OQS_KEM_alg_ml_kem_1024 "ML-KEM-1024"
#define OQS_SIG_alg_ml_dsa_44 "ML-DSA-44"
#define OQS_SIG_alg_ml_dsa_65 "ML-DSA-65"
#define OQS_SIG_alg_ml_dsa_87 "ML-DSA-87"
/* SLH-DSA (FIPS 205), named as liboqs names them. HashSLH-DSA variants are
 * "SLH_DSA_<PH>_PREHASH_<SET>", e.g. "SLH_DSA_SHA2_256_PREHASH_SHA2_128S",
 * with PH one of SHA2_224, SHA2_256, SHA2_384, SHA2_512, SHA2_512_224,
 * SHA2_512_256, SHA3_224, SHA3_256, SHA3_384, SHA3_512, SHAKE_128, SHAKE_256. */
#define OQS_SIG_alg_slh_dsa_pure_sha2_128s "SLH_DSA_PURE_SHA2_128S"
#define OQS_SIG_alg_slh_dsa_pure_sha2_128f "SLH_DSA_PURE_SHA2_128F"
#define OQS_SIG_alg_slh_dsa_pure_sha2_192s "SLH_DSA_PURE_SHA2_192S"
#define OQS_SIG_alg_slh_dsa_pure_sha2_192f "SLH_DSA_PURE_SHA2_192F"
#define OQS_SIG_alg_slh_dsa_pure_sha2_256s "SLH_DSA_PURE_SHA2_256S"
#define OQS_SIG_alg_slh_dsa_pure_sha2_256f "SLH_DSA_PURE_SHA2_256F"
#define OQS_SIG_alg_slh_dsa_pure_shake_128s "SLH_DSA_PURE_SHAKE_128S"
#define OQS_SIG_alg_slh_dsa_pure_shake_128f "SLH_DSA_PURE_SHAKE_128F"
#define OQS_SIG_alg_slh_dsa_pure_shake_192s "SLH_DSA_PURE_SHAKE_192S"
#define OQS_SIG_alg_slh_dsa_pure_shake_192f "SLH_DSA_PURE_SHAKE_192F"
#define OQS_SIG_alg_slh_dsa_pure_shake_256s "SLH_DSA_PURE_SHAKE_256S"
#define OQS_SIG_alg_slh_dsa_pure_shake_256f "SLH_DSA_PURE_SHAKE_256F"

typedef struct OQS_KEM {
  const char *method_name;
  const char *alg_version;
  uint8_t claimed_nist_level;
  bool ind_cca;
  size_t length_public_key;
  size_t length_secret_key;
  size_t length_ciphertext;
  size_t length_shared_secret;
  size_t length_keypair_seed;
  size_t length_encaps_seed;
  OQS_STATUS (*keypair_derand)(uint8_t *public_key, uint8_t *secret_key, const uint8_t *seed);
  OQS_STATUS (*keypair)(uint8_t *public_key, uint8_t *secret_key);
  OQS_STATUS (*encaps_derand)(uint8_t *ciphertext, uint8_t *shared_secret, const uint8_t *public_key, const uint8_t *seed);
  OQS_STATUS (*encaps)(uint8_t *ciphertext, uint8_t *shared_secret, const uint8_t *public_key);
  OQS_STATUS (*decaps)(uint8_t *shared_secret, const uint8_t *ciphertext, const uint8_t *secret_key);
} OQS_KEM;

OQS_KEM *OQS_KEM_new(const char *method_name);
OQS_STATUS OQS_KEM_keypair_derand(const OQS_KEM *kem, uint8_t *public_key, uint8_t *secret_key, const uint8_t *seed);
OQS_STATUS OQS_KEM_keypair(const OQS_KEM *kem, uint8_t *public_key, uint8_t *secret_key);
OQS_STATUS OQS_KEM_encaps_derand(const OQS_KEM *kem, uint8_t *ciphertext, uint8_t *shared_secret, const uint8_t *public_key, const uint8_t *seed);
OQS_STATUS OQS_KEM_encaps(const OQS_KEM *kem, uint8_t *ciphertext, uint8_t *shared_secret, const uint8_t *public_key);
OQS_STATUS OQS_KEM_decaps(const OQS_KEM *kem, uint8_t *shared_secret, const uint8_t *ciphertext, const uint8_t *secret_key);
void OQS_KEM_free(OQS_KEM *kem);

typedef struct OQS_SIG {
  const char *method_name;
  const char *alg_version;
  uint8_t claimed_nist_level;
  bool euf_cma;
  bool suf_cma;
  bool sig_with_ctx_support;
  size_t length_public_key;
  size_t length_secret_key;
  size_t length_signature;
  OQS_STATUS (*keypair)(uint8_t *public_key, uint8_t *secret_key);
  OQS_STATUS (*sign)(uint8_t *signature, size_t *signature_len, const uint8_t *message, size_t message_len, const uint8_t *secret_key);
  OQS_STATUS (*sign_with_ctx_str)(uint8_t *signature, size_t *signature_len, const uint8_t *message, size_t message_len, const uint8_t *ctx_str, size_t ctx_str_len, const uint8_t *secret_key);
  OQS_STATUS (*verify)(const uint8_t *message, size_t message_len, const uint8_t *signature, size_t signature_len, const uint8_t *public_key);
  OQS_STATUS (*verify_with_ctx_str)(const uint8_t *message, size_t message_len, const uint8_t *signature, size_t signature_len, const uint8_t *ctx_str, size_t ctx_str_len, const uint8_t *public_key);
} OQS_SIG;

OQS_SIG *OQS_SIG_new(const char *method_name);
OQS_STATUS OQS_SIG_keypair(const OQS_SIG *sig, uint8_t *public_key, uint8_t *secret_key);
OQS_STATUS OQS_SIG_sign(const OQS_SIG *sig, uint8_t *signature, size_t *signature_len, const uint8_t *message, size_t message_len, const uint8_t *secret_key);
OQS_STATUS OQS_SIG_sign_with_ctx_str(const OQS_SIG *sig, uint8_t *signature, size_t *signature_len, const uint8_t *message, size_t message_len, const uint8_t *ctx_str, size_t ctx_str_len, const uint8_t *secret_key);
OQS_STATUS OQS_SIG_verify(const OQS_SIG *sig, const uint8_t *message, size_t message_len, const uint8_t *signature, size_t signature_len, const uint8_t *public_key);
OQS_STATUS OQS_SIG_verify_with_ctx_str(const OQS_SIG *sig, const uint8_t *message, size_t message_len, const uint8_t *signature, size_t signature_len, const uint8_t *ctx_str, size_t ctx_str_len, const uint8_t *public_key);
void OQS_SIG_free(OQS_SIG *sig);

/* Randomness source for the non-derandomized calls. Returns OQS_SUCCESS when
 * `len` bytes were written. */
typedef OQS_STATUS (*OQS_randombytes_fn)(uint8_t *out, size_t len);
void OQS_randombytes_custom_algorithm(OQS_randombytes_fn fn);
OQS_STATUS OQS_randombytes(uint8_t *out, size_t len);

#ifdef __cplusplus
}
#endif
#endif
