/*
 * Scalar reference for SampleNTT's rejection step. The input is public XOF
 * output, so branching on it leaks nothing secret.
 */
#include "mlkem.h"

unsigned qs_mlkem_rej_uniform(int16_t *r, unsigned need, const uint8_t *buf, unsigned buflen) {
  unsigned n = 0;
  for (unsigned pos = 0; n < need && pos + 3 <= buflen; pos += 3) {
    uint16_t d1 = (uint16_t)(buf[pos] | ((uint16_t)(buf[pos + 1] & 0x0F) << 8));
    uint16_t d2 = (uint16_t)((buf[pos + 1] >> 4) | ((uint16_t)buf[pos + 2] << 4));
    if (d1 < QS_MLKEM_Q) r[n++] = (int16_t)d1;
    if (d2 < QS_MLKEM_Q && n < need) r[n++] = (int16_t)d2;
  }
  return n;
}
