/*
 * RejBoundedPoly (FIPS 204 Alg 31) for ExpandS, shared by the scalar and the
 * SIMD128 sample.c: its bounded rejection does not vectorise profitably, so
 * both builds compile this one definition.
 */
#ifndef QS_MLDSA_REJ_BOUNDED_H
#define QS_MLDSA_REJ_BOUNDED_H

#include <string.h>
#include "mldsa.h"
#include "../fips202/fips202.h"

/* RejBoundedPoly's inner step. The value mapping is branch-free; whether a
 * nibble is kept (z < 15 or z < 9) still steers the write position. That
 * reveals only which nibbles were discarded, and a discarded nibble is
 * independent of every kept one (they are distinct SHAKE output bits), so
 * nothing about s1/s2 leaks — the same standard-sanctioned leak as the
 * rejection itself. `tmp` has a spare slot so the write never branches. */
static unsigned rej_eta(int32_t tmp[257], unsigned ctr, const uint8_t *buf, size_t len, int eta) {
  for (size_t pos = 0; pos < len && ctr < 256; pos++) {
    uint32_t z[2] = {buf[pos] & 15u, (uint32_t)buf[pos] >> 4};
    for (int h = 0; h < 2; h++) {
      uint32_t v = z[h];
      int32_t coeff;
      uint32_t keep;
      if (eta == 2) { /* eta is a public parameter */
        keep = (v - 15u) >> 31;
        uint32_t mod5 = v - 5u * ((v * 205u) >> 10); /* exact for v < 16 */
        coeff = 2 - (int32_t)mod5;
      } else {
        keep = (v - 9u) >> 31;
        coeff = 4 - (int32_t)v;
      }
      /* Whether this nibble is kept is the rejection decision discussed
       * above (it concerns a discarded sample); the value stays secret. */
      QS_DECLASSIFY(&keep, sizeof keep);
      tmp[ctr] = coeff;
      ctr += keep & (uint32_t)((ctr - 256u) >> 31); /* stop counting at 256 */
    }
  }
  return ctr;
}

static void rej_bounded_poly(qs_poly *a, const uint8_t rhoprime[64], uint16_t nonce, int eta) {
  uint8_t seed[66];
  uint8_t buf[2 * QS_SHAKE256_RATE];
  int32_t tmp[257];
  qs_keccak_state st;
  memcpy(seed, rhoprime, 64);
  seed[64] = (uint8_t)nonce;
  seed[65] = (uint8_t)(nonce >> 8);
  qs_shake256_init(&st);
  qs_keccak_absorb(&st, seed, sizeof seed);
  qs_keccak_finalize(&st);
  qs_keccak_squeezeblocks(&st, buf, 2);
  unsigned ctr = rej_eta(tmp, 0, buf, sizeof buf, eta);
  while (ctr < 256) {
    qs_keccak_squeezeblocks(&st, buf, 1);
    ctr = rej_eta(tmp, ctr, buf, QS_SHAKE256_RATE, eta);
  }
  memcpy(a->c, tmp, sizeof a->c);
  qs_zeroize(tmp, sizeof tmp);
  qs_zeroize(buf, sizeof buf);
  qs_zeroize(seed, sizeof seed);
  qs_zeroize(&st, sizeof st);
}

#endif
