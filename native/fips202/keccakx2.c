/*
 * Scalar reference for the 2-way SHAKE interface: lane i of the interleaved
 * state (words s[2*j+i]) is de-interleaved, permuted with the one-way
 * Keccak-f and written back. The layout matches the SIMD twin so that a
 * test can drive either through qs_keccakf1600x2.
 */
#include <string.h>
#include "../common/qs_common.h"
#include "fips202x2.h"

void qs_keccakf1600x2(uint64_t s[50]) {
  uint64_t lane[25];
  for (int i = 0; i < 2; i++) {
    for (int j = 0; j < 25; j++) lane[j] = s[2 * j + i];
    qs_keccakf1600(lane);
    for (int j = 0; j < 25; j++) s[2 * j + i] = lane[j];
  }
  qs_zeroize(lane, sizeof lane);
}

int qs_keccakx2_absorb_once(qs_keccakx2_state *st, uint32_t rate, const uint8_t *in0, size_t len0, uint8_t ds0,
                            const uint8_t *in1, size_t len1, uint8_t ds1) {
  if (len0 / rate != len1 / rate) return QS_ERR_INVALID_ARGUMENT; /* public lengths */
  memset(st->s, 0, sizeof st->s);
  while (len0 >= rate) {
    for (uint32_t j = 0; j < rate / 8; j++) {
      st->s[2 * j] ^= qs_load64_le(in0 + 8 * j);
      st->s[2 * j + 1] ^= qs_load64_le(in1 + 8 * j);
    }
    qs_keccakf1600x2(st->s);
    in0 += rate;
    in1 += rate;
    len0 -= rate;
    len1 -= rate;
  }
  const uint8_t *in[2] = {in0, in1};
  const size_t len[2] = {len0, len1};
  const uint8_t ds[2] = {ds0, ds1};
  for (int l = 0; l < 2; l++) {
    for (size_t i = 0; i < len[l]; i++) st->s[2 * (i >> 3) + l] ^= (uint64_t)in[l][i] << (8 * (i & 7));
    st->s[2 * (len[l] >> 3) + l] ^= (uint64_t)ds[l] << (8 * (len[l] & 7));
    st->s[2 * ((rate - 1) >> 3) + l] ^= 0x80ULL << (8 * ((rate - 1) & 7));
  }
  return QS_OK;
}

void qs_keccakx2_squeezeblocks(uint8_t *out0, uint8_t *out1, size_t nblocks, uint32_t rate, qs_keccakx2_state *st) {
  while (nblocks--) {
    qs_keccakf1600x2(st->s);
    for (uint32_t j = 0; j < rate / 8; j++) {
      qs_store64_le(out0 + 8 * j, st->s[2 * j]);
      qs_store64_le(out1 + 8 * j, st->s[2 * j + 1]);
    }
    out0 += rate;
    out1 += rate;
  }
}

void qs_shake128x2_absorb(qs_keccakx2_state *st, const uint8_t *in0, const uint8_t *in1, size_t inlen) {
  (void)qs_keccakx2_absorb_once(st, QS_SHAKE128_RATE, in0, inlen, 0x1F, in1, inlen, 0x1F);
}
void qs_shake128x2_squeezeblocks(uint8_t *out0, uint8_t *out1, size_t nblocks, qs_keccakx2_state *st) {
  qs_keccakx2_squeezeblocks(out0, out1, nblocks, QS_SHAKE128_RATE, st);
}
void qs_shake256x2_absorb(qs_keccakx2_state *st, const uint8_t *in0, const uint8_t *in1, size_t inlen) {
  (void)qs_keccakx2_absorb_once(st, QS_SHAKE256_RATE, in0, inlen, 0x1F, in1, inlen, 0x1F);
}
void qs_shake256x2_squeezeblocks(uint8_t *out0, uint8_t *out1, size_t nblocks, qs_keccakx2_state *st) {
  qs_keccakx2_squeezeblocks(out0, out1, nblocks, QS_SHAKE256_RATE, st);
}
