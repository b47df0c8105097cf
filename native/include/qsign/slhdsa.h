/*
 * Derandomized SLH-DSA entry points (FIPS 205), for tests, KATs and callers
 * that bring their own randomness. `set` numbers the twelve parameter sets
 * in the order of their NIST OIDs 2.16.840.1.101.3.4.3.20-31:
 *   0 SHA2-128s  1 SHA2-128f  2 SHA2-192s  3 SHA2-192f  4 SHA2-256s  5 SHA2-256f
 *   6 SHAKE-128s 7 SHAKE-128f 8 SHAKE-192s 9 SHAKE-192f 10 SHAKE-256s 11 SHAKE-256f
 * `ph` numbers the HashSLH-DSA pre-hash functions by their OID arc
 * 2.16.840.1.101.3.4.2.ph: 1 SHA-256, 2 SHA-384, 3 SHA-512, 4 SHA-224,
 * 5 SHA-512/224, 6 SHA-512/256, 7 SHA3-224, 8 SHA3-256, 9 SHA3-384,
 * 10 SHA3-512, 11 SHAKE128 (256-bit digest), 12 SHAKE256 (512-bit digest).
 * Return values are the QS_* codes (0 = success / valid signature).
 */
#ifndef QSIGN_SLHDSA_H
#define QSIGN_SLHDSA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* slh_keygen_internal(SK.seed, SK.prf, PK.seed): seed is the 3n bytes
 * SK.seed ‖ SK.prf ‖ PK.seed. pk is 2n bytes, sk 4n. */
int qs_slhdsa_keypair_derand(int set, uint8_t *public_key, uint8_t *secret_key, const uint8_t *seed);
/* slh_sign (Alg 22) with addrnd (n bytes), or deterministic when addrnd is NULL. ctx_len <= 255. */
int qs_slhdsa_sign_derand(int set, uint8_t *signature, const uint8_t *message, size_t message_len, const uint8_t *ctx,
                          size_t ctx_len, const uint8_t *addrnd, const uint8_t *secret_key);
/* slh_verify (Alg 24). */
int qs_slhdsa_verify_ctx(int set, const uint8_t *message, size_t message_len, const uint8_t *signature,
                         size_t signature_len, const uint8_t *ctx, size_t ctx_len, const uint8_t *public_key);
/* hash_slh_sign (Alg 23) / hash_slh_verify (Alg 25) with pre-hash `ph`. */
int qs_hash_slhdsa_sign_derand(int set, int ph, uint8_t *signature, const uint8_t *message, size_t message_len,
                               const uint8_t *ctx, size_t ctx_len, const uint8_t *addrnd, const uint8_t *secret_key);
int qs_hash_slhdsa_verify_ctx(int set, int ph, const uint8_t *message, size_t message_len, const uint8_t *signature,
                              size_t signature_len, const uint8_t *ctx, size_t ctx_len, const uint8_t *public_key);
/* slh_sign_internal / slh_verify_internal (Alg 19/20) on M′ as given. */
int qs_slhdsa_sign_internal(int set, uint8_t *signature, const uint8_t *mprime, size_t mprime_len,
                            const uint8_t *addrnd, const uint8_t *secret_key);
int qs_slhdsa_verify_internal(int set, const uint8_t *mprime, size_t mprime_len, const uint8_t *signature,
                              size_t signature_len, const uint8_t *public_key);
/* Sizes of a set (0 for an unknown set). */
size_t qs_slhdsa_public_key_bytes(int set);
size_t qs_slhdsa_secret_key_bytes(int set);
size_t qs_slhdsa_signature_bytes(int set);

#ifdef __cplusplus
}
#endif
#endif
