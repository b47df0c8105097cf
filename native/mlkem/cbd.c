/*
 * Scalar reference for SamplePolyCBD (FIPS 203 Alg 8). The input is secret
 * PRF output: only masks, shifts and adds, no branch or index depends on it.
 */
#include "mlkem.h"

/* η = 2: each coefficient is popcount(2 bits) − popcount(2 bits). */
static void cbd2(qs_mlkem_poly *r, const uint8_t buf[128]) {
  for (unsigned i = 0; i < QS_MLKEM_N / 8; i++) {
    uint32_t t = qs_load32_le(buf + 4 * i);
    uint32_t d = (t & 0x55555555u) + ((t >> 1) & 0x55555555u);
    for (unsigned j = 0; j < 8; j++) {
      int16_t x = (int16_t)((d >> (4 * j)) & 3);
      int16_t y = (int16_t)((d >> (4 * j + 2)) & 3);
      r->c[8 * i + j] = (int16_t)(x - y);
    }
  }
}

/* η = 3: 24-bit groups, four coefficients each. */
static void cbd3(qs_mlkem_poly *r, const uint8_t buf[192]) {
  for (unsigned i = 0; i < QS_MLKEM_N / 4; i++) {
    uint32_t t = (uint32_t)buf[3 * i] | ((uint32_t)buf[3 * i + 1] << 8) | ((uint32_t)buf[3 * i + 2] << 16);
    uint32_t d = (t & 0x249249u) + ((t >> 1) & 0x249249u) + ((t >> 2) & 0x249249u);
    for (unsigned j = 0; j < 4; j++) {
      int16_t x = (int16_t)((d >> (6 * j)) & 7);
      int16_t y = (int16_t)((d >> (6 * j + 3)) & 7);
      r->c[4 * i + j] = (int16_t)(x - y);
    }
  }
}

void qs_mlkem_poly_cbd(qs_mlkem_poly *r, const uint8_t *buf, int eta) {
  if (eta == 2) cbd2(r, buf); /* η is a public parameter */
  else cbd3(r, buf);
}
