/*
 * FIPS 202: Keccak-f[1600], SHA3-224/256/384/512 and SHAKE128/256, one-shot
 * and incremental. The 2-way interface (fips202x2.h) runs two independent
 * SHAKE instances side by side; on SIMD128 builds both lanes share one v128.
 */
#ifndef QS_FIPS202_H
#define QS_FIPS202_H

#include <stddef.h>
#include <stdint.h>

#define QS_SHAKE128_RATE 168
#define QS_SHAKE256_RATE 136
#define QS_SHA3_224_RATE 144
#define QS_SHA3_256_RATE 136
#define QS_SHA3_384_RATE 104
#define QS_SHA3_512_RATE 72

typedef struct {
  uint64_t s[25];
  uint32_t pos;   /* bytes absorbed into / squeezed from the current block */
  uint32_t rate;  /* block size in bytes */
  uint8_t dsbyte; /* domain separation + first padding bit: 0x1F SHAKE, 0x06 SHA-3 */
  uint8_t squeezing;
} qs_keccak_state;

void qs_keccakf1600(uint64_t s[25]);

void qs_keccak_init(qs_keccak_state *st, uint32_t rate, uint8_t dsbyte);
/* The sponge is a state machine: absorb* -> finalize -> squeeze*. A call out
 * of that order (absorb or finalize after finalize; squeeze before it;
 * squeezeblocks off a block boundary) changes nothing and returns
 * QS_ERR_INVALID_STATE; an accepted call returns QS_OK. Callers inside the
 * core follow the order by construction; the wasm exports pass the code on. */
int qs_keccak_absorb(qs_keccak_state *st, const uint8_t *in, size_t inlen);
/* Pads and switches to squeezing. */
int qs_keccak_finalize(qs_keccak_state *st);
int qs_keccak_squeeze(qs_keccak_state *st, uint8_t *out, size_t outlen);
/* Squeezes whole blocks (rate bytes each); only valid right after finalize
 * or after earlier whole-block squeezes. Faster for rejection sampling. */
int qs_keccak_squeezeblocks(qs_keccak_state *st, uint8_t *out, size_t nblocks);

#define qs_shake128_init(st) qs_keccak_init((st), QS_SHAKE128_RATE, 0x1F)
#define qs_shake256_init(st) qs_keccak_init((st), QS_SHAKE256_RATE, 0x1F)

void qs_sha3_224(uint8_t out[28], const uint8_t *in, size_t inlen);
void qs_sha3_256(uint8_t out[32], const uint8_t *in, size_t inlen);
void qs_sha3_384(uint8_t out[48], const uint8_t *in, size_t inlen);
void qs_sha3_512(uint8_t out[64], const uint8_t *in, size_t inlen);
void qs_shake128(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen);
void qs_shake256(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen);

#endif
