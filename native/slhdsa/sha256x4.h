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

#endif
