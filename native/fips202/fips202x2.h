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

/* Exposed for tests of the permutation itself (lane i of s is s[2*j+i] in
 * the interleaved layout; the scalar twin uses the same layout so the test
 * harness can compare both builds). */
void qs_keccakf1600x2(uint64_t s[50]);

#endif
