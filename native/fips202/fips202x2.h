/*
 * Two independent SHAKE instances advanced in lock step. ML-KEM's matrix and
 * noise expansion (and ML-DSA's) issue many equal-length XOF calls whose
 * inputs differ only in a counter, so pairing them lets the SIMD128 build run
 * both permutations in one set of v128 instructions. The scalar twin
 * (keccakx2.c) is the reference; both honour the same contract: the output of
 * lane i equals SHAKE(in_i) exactly.
 *
 * Usage is absorb-once: one absorb call (which pads), then any number of
 * squeezeblocks calls. The state layout is private to whichever
 * implementation is linked; callers only allocate it.
 */
#ifndef QS_FIPS202X2_H
#define QS_FIPS202X2_H

#include <stddef.h>
#include <stdint.h>
#include "fips202.h"

typedef struct {
  _Alignas(16) uint64_t s[50];
} qs_keccakx2_state;

void qs_shake128x2_absorb(qs_keccakx2_state *st, const uint8_t *in0, const uint8_t *in1, size_t inlen);
void qs_shake128x2_squeezeblocks(uint8_t *out0, uint8_t *out1, size_t nblocks, qs_keccakx2_state *st);
void qs_shake256x2_absorb(qs_keccakx2_state *st, const uint8_t *in0, const uint8_t *in1, size_t inlen);
void qs_shake256x2_squeezeblocks(uint8_t *out0, uint8_t *out1, size_t nblocks, qs_keccakx2_state *st);

/* General absorb-once for two sponges at one rate (e.g. SHA3-256 of ek beside
 * SHAKE256(z‖c) in ML-KEM decapsulation): ds is 0x06 for SHA-3, 0x1F for
 * SHAKE. The inputs must span the same number of full blocks
 * (len0/rate == len1/rate); otherwise nothing is absorbed and
 * QS_ERR_INVALID_ARGUMENT is returned. */
int qs_keccakx2_absorb_once(qs_keccakx2_state *st, uint32_t rate, const uint8_t *in0, size_t len0, uint8_t ds0,
                            const uint8_t *in1, size_t len1, uint8_t ds1);
/* Permutes, then writes one rate-sized block per lane, nblocks times. */
void qs_keccakx2_squeezeblocks(uint8_t *out0, uint8_t *out1, size_t nblocks, uint32_t rate, qs_keccakx2_state *st);

/* Exposed for tests of the permutation itself (lane i of s is s[2*j+i] in
 * the interleaved layout; the scalar twin uses the same layout so the test
 * harness can compare both builds). */
void qs_keccakf1600x2(uint64_t s[50]);

#endif
