/*
 * The rejection step of SampleNTT (FIPS 203 Alg 7), scalar build. Each
 * 3-byte chunk C of the XOF stream yields two 12-bit candidates,
 * d1 = C[0] + 256·(C[1] mod 16) and d2 = floor(C[1] / 16) + 16·C[2]: read as
 * one little-endian 24-bit integer v, they are its low and high 12 bits. A
 * candidate below q becomes the next coefficient; d2 is looked at only while
 * coefficients are still needed, as in the standard. The XOF output is
 * public (it expands the public seed rho), so branching on it is fine.
 */
#include "mlkem.h"

unsigned qs_mlkem_rej_uniform(int16_t *r, unsigned need, const uint8_t *buf, unsigned buflen) {
  unsigned n = 0;
  for (const uint8_t *c = buf, *end = buf + buflen; n < need && end - c >= 3; c += 3) {
    uint32_t v = (uint32_t)c[0] | ((uint32_t)c[1] << 8) | ((uint32_t)c[2] << 16);
    const uint16_t candidate[2] = {(uint16_t)(v & 0xFFF), (uint16_t)(v >> 12)};
    for (unsigned h = 0; h < 2 && n < need; h++)
      if (candidate[h] < QS_MLKEM_Q) r[n++] = (int16_t)candidate[h];
  }
  return n;
}
