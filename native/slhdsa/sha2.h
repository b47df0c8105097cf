/*
 * SHA-2 (FIPS 180-4) for SLH-DSA: SHA-224/256 and SHA-384/512/512-224/512-256,
 * incremental, plus HMAC (FIPS 198-1) and MGF1 (RFC 8017 B.2.1), which
 * FIPS 205 §11.2 builds PRF_msg and H_msg from. The compression functions are
 * exposed because the tweakable hashes start from a precomputed state (the
 * first block is always PK.seed padded to a full block).
 */
#ifndef QS_SLH_SHA2_H
#define QS_SLH_SHA2_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint32_t h[8];
  uint64_t len; /* bytes hashed so far */
  uint8_t buf[64];
  uint32_t fill;
} qs_sha256_ctx;

typedef struct {
  uint64_t h[8];
  uint64_t len;
  uint8_t buf[128];
  uint32_t fill;
} qs_sha512_ctx;

/* Which member of the family; sets the IV and the output length. */
enum { QS_SHA2_224 = 1, QS_SHA2_256, QS_SHA2_384, QS_SHA2_512, QS_SHA2_512_224, QS_SHA2_512_256 };

void qs_sha256_compress(uint32_t h[8], const uint8_t *blocks, size_t nblocks);
void qs_sha512_compress(uint64_t h[8], const uint8_t *blocks, size_t nblocks);

void qs_sha256_init(qs_sha256_ctx *c);
void qs_sha224_init(qs_sha256_ctx *c);
void qs_sha256_update(qs_sha256_ctx *c, const uint8_t *in, size_t len);
/* Writes outlen (<= 32) bytes of the big-endian state after padding; wipes c. */
void qs_sha256_final(qs_sha256_ctx *c, uint8_t *out, size_t outlen);

/* kind is one of QS_SHA2_384/512/512_224/512_256. */
void qs_sha512_init_kind(qs_sha512_ctx *c, int kind);
void qs_sha512_update(qs_sha512_ctx *c, const uint8_t *in, size_t len);
void qs_sha512_final(qs_sha512_ctx *c, uint8_t *out, size_t outlen);

/* One-shot digest of any family member; returns the digest length, 0 for an unknown kind. */
size_t qs_sha2(int kind, uint8_t *out, const uint8_t *in, size_t len);

#endif
