/*
 * FIPS 204 §7.3 samplers: ExpandA (Alg 32 via RejNTTPoly, Alg 30),
 * ExpandS (Alg 33 via RejBoundedPoly, Alg 31), ExpandMask (Alg 34) and
 * SampleInBall (Alg 29).
 */
#include <string.h>
#include "mldsa.h"
#include "../fips202/fips202.h"

#define Q QS_MLDSA_Q

/* Candidates are 23-bit integers from 3 bytes; A-hat is public, so plain
 * branches are fine here. Returns how many coefficients were filled. */
static unsigned rej_uniform(int32_t *a, unsigned ctr, const uint8_t *buf, size_t len) {
  for (size_t pos = 0; ctr < 256 && pos + 3 <= len; pos += 3) {
    uint32_t t = (uint32_t)buf[pos] | ((uint32_t)buf[pos + 1] << 8) | ((uint32_t)(buf[pos + 2] & 0x7F) << 16);
    if (t < Q) a[ctr++] = (int32_t)t;
  }
  return ctr;
}

void qs_mldsa_expand_a(qs_poly *a, const uint8_t rho[32], int k, int l) {
  /* 5 blocks hold 280 candidates; fewer than 256 of them are accepted with
   * probability below 2^-200, but the loop still handles it. */
  uint8_t buf[5 * QS_SHAKE128_RATE];
  uint8_t seed[34];
  memcpy(seed, rho, 32);
  for (int r = 0; r < k; r++) {
    for (int s = 0; s < l; s++) {
      qs_keccak_state st;
      seed[32] = (uint8_t)s;
      seed[33] = (uint8_t)r;
      qs_shake128_init(&st);
      qs_keccak_absorb(&st, seed, sizeof seed);
      qs_keccak_finalize(&st);
      qs_keccak_squeezeblocks(&st, buf, 5);
      unsigned ctr = rej_uniform(a[r * l + s].c, 0, buf, sizeof buf);
      while (ctr < 256) {
        qs_keccak_squeezeblocks(&st, buf, 1);
        ctr = rej_uniform(a[r * l + s].c, ctr, buf, QS_SHAKE128_RATE);
      }
    }
  }
}

#include "rej_bounded.h"

void qs_mldsa_expand_s(qs_poly *s1, qs_poly *s2, const uint8_t rhoprime[64], int k, int l, int eta) {
  for (int r = 0; r < l; r++) rej_bounded_poly(&s1[r], rhoprime, (uint16_t)r, eta);
  for (int r = 0; r < k; r++) rej_bounded_poly(&s2[r], rhoprime, (uint16_t)(l + r), eta);
}

static void expand_mask_poly(qs_poly *y, const uint8_t rhopp[64], uint16_t nonce, int32_t gamma1) {
  uint8_t seed[66];
  uint8_t buf[5 * QS_SHAKE256_RATE]; /* 680 >= 640 bytes needed */
  qs_keccak_state st;
  memcpy(seed, rhopp, 64);
  seed[64] = (uint8_t)nonce;
  seed[65] = (uint8_t)(nonce >> 8);
  qs_shake256_init(&st);
  qs_keccak_absorb(&st, seed, sizeof seed);
  qs_keccak_finalize(&st);
  qs_keccak_squeezeblocks(&st, buf, 5);
  int32_t *c = y->c;
  if (gamma1 == (1 << 17)) {
    /* 18-bit fields: four coefficients per 9 bytes */
    for (unsigned i = 0; i < 64; i++) {
      const uint8_t *b = buf + 9 * i;
      uint64_t v = (uint64_t)b[0] | ((uint64_t)b[1] << 8) | ((uint64_t)b[2] << 16) | ((uint64_t)b[3] << 24) |
                   ((uint64_t)b[4] << 32) | ((uint64_t)b[5] << 40) | ((uint64_t)b[6] << 48) | ((uint64_t)b[7] << 56);
      uint32_t top = b[8];
      c[4 * i + 0] = gamma1 - (int32_t)(v & 0x3FFFF);
      c[4 * i + 1] = gamma1 - (int32_t)((v >> 18) & 0x3FFFF);
      c[4 * i + 2] = gamma1 - (int32_t)((v >> 36) & 0x3FFFF);
      c[4 * i + 3] = gamma1 - (int32_t)(((v >> 54) | ((uint64_t)top << 10)) & 0x3FFFF);
    }
  } else {
    /* 20-bit fields: two coefficients per 5 bytes */
    for (unsigned i = 0; i < 128; i++) {
      const uint8_t *b = buf + 5 * i;
      uint64_t v = (uint64_t)b[0] | ((uint64_t)b[1] << 8) | ((uint64_t)b[2] << 16) | ((uint64_t)b[3] << 24) |
                   ((uint64_t)b[4] << 32);
      c[2 * i + 0] = gamma1 - (int32_t)(v & 0xFFFFF);
      c[2 * i + 1] = gamma1 - (int32_t)((v >> 20) & 0xFFFFF);
    }
  }
  qs_zeroize(&st, sizeof st);
  qs_zeroize(buf, sizeof buf);
  qs_zeroize(seed, sizeof seed);
}

void qs_mldsa_expand_mask_x2(qs_poly *y0, qs_poly *y1, const uint8_t rhopp[64], uint16_t n0, uint16_t n1,
                             int32_t gamma1) {
  expand_mask_poly(y0, rhopp, n0, gamma1);
  expand_mask_poly(y1, rhopp, n1, gamma1);
}

#include "ball_stream.h"

/* All ones when t == j, else 0. d | -d is negative exactly when d != 0
 * (d < 2^31 here); its sign mask goes through qs_ct_sign_mask_i32 because
 * clang-14 recognises the idiom as d != 0 and, at -O1 and above, turned the
 * masked load below into a compare-and-branch on the secret j (x86-64) or a
 * select (wasm). */
QS_INLINE int32_t slot_mask(uint32_t t, uint32_t j) {
  uint32_t d = t ^ j;
  return ~qs_ct_sign_mask_i32((int32_t)(d | (0u - d)));
}

void qs_mldsa_sample_in_ball(qs_poly *c, const uint8_t *ctilde, size_t ctilde_len, int tau) {
  ball_stream s;
  uint64_t signs = ball_start(&s, ctilde, ctilde_len);
  memset(c->c, 0, sizeof c->c);
  for (unsigned i = 256 - (unsigned)tau; i < 256; i++) {
    uint32_t j = ball_next(&s, i);
    /* c[i] <- c[j]; c[j] <- +-1, as a scan over every slot <= i so that the
     * accessed addresses do not depend on j: c of a rejected signing attempt
     * is never published. */
    int32_t sign = 1 - 2 * (int32_t)(signs & 1);
    signs >>= 1;
    int32_t cj = 0;
    for (uint32_t t = 0; t <= i; t++) cj |= c->c[t] & slot_mask(t, j);
    c->c[i] = cj;
    for (uint32_t t = 0; t <= i; t++) {
      int32_t at_j = slot_mask(t, j);
      c->c[t] = (c->c[t] & ~at_j) | (sign & at_j);
    }
  }
  ball_end(&s);
}
