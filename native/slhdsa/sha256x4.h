/*
 * Four independent SHA-256 computations in lock step, the kernel behind the
 * SHA2 sets' parallel tweakable hashes. All four lanes start from the same
 * state (the compression state after `prefix_bytes` bytes, a multiple of 64)
 * and hash inputs of the same length; each writes its 32-byte digest.
 *
 * sha256x4.c is the scalar reference (four one-lane runs); simd128/sha256x4.c
 * keeps lane i of every working variable in lane i of a v128. Both must give
 * exactly qs_sha256 of each lane's full input (tested on both builds).
 */
#ifndef QS_SLH_SHA256X4_H
#define QS_SLH_SHA256X4_H

#include <stddef.h>
#include <stdint.h>

void qs_sha256x4(uint8_t *const out[4], const uint32_t state[8], uint64_t prefix_bytes, const uint8_t *const in[4],
                 size_t len);
/* The hot case of the tweakable hashes: exactly one 64-byte block per lane,
 * already padded by the caller, compressed from `state`; writes the 32-byte
 * big-endian result per lane. Its temporaries are not wiped here: the
 * callers' operations end with slh_scrub_stack(). */
void qs_sha256x4_1block(uint8_t *const out[4], const uint32_t state[8], const uint8_t *const block[4]);

/* A WOTS+ chain segment on four lanes (FIPS 205 Alg 5 with the §11.2 F):
 * lane i starts from the n-byte value in[i] (n = 16, 24 or 32) and applies
 * `steps` times F(PK.seed, ADRS, ·), ADRS being the 22-byte compressed
 * address adrsc[i] with its hash address (bytes 18..21, big-endian) counting
 * up from the value it holds, which must stay below 2^16 (w = 16 makes it at
 * most 15); the final value goes to out[i] (n bytes, may alias in[i]).
 * `state` is the SHA-256 state after the PK.seed block. The SIMD kernel
 * keeps the chain values in its registers between steps and builds each F
 * block from them directly: no byte swaps, transposes or padding in memory
 * per step. Temporaries are left to slh_scrub_stack() like the one above. */
void qs_sha256x4_chain(uint8_t *const out[4], const uint32_t state[8], const uint8_t *const adrsc[4],
                       const uint8_t *const in[4], size_t n, unsigned steps);

#endif
