/*
 * Derandomized ML-DSA entry points (FIPS 204), for tests, KATs and callers
 * that bring their own randomness. level is 44, 65 or 87. Return values are
 * the QS_* codes of native/common/qs_common.h (0 = success / valid).
 */
#ifndef QSIGN_MLDSA_H
#define QSIGN_MLDSA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ML-DSA.KeyGen_internal(xi): the 32-byte seed is the private key in seed form. */
int qs_mldsa_keypair_derand(int level, uint8_t *public_key, uint8_t *secret_key, const uint8_t seed[32]);
/* ML-DSA.Sign (pure, with context) with caller-chosen rnd; all-zero rnd is
 * the deterministic variant. ctx_len must be <= 255. */
int qs_mldsa_sign_derand(int level, uint8_t *signature, const uint8_t *message, size_t message_len,
                         const uint8_t *ctx, size_t ctx_len, const uint8_t rnd[32], const uint8_t *secret_key);
/* ML-DSA.Verify (pure, with context). */
int qs_mldsa_verify_ctx(int level, const uint8_t *message, size_t message_len, const uint8_t *signature,
                        size_t signature_len, const uint8_t *ctx, size_t ctx_len, const uint8_t *public_key);

#ifdef __cplusplus
}
#endif
#endif
