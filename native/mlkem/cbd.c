/*
 * SamplePolyCBD_η (FIPS 203 Alg 8), scalar build. With b = BytesToBits(B),
 * coefficient i is x - y, where x counts the ones among the η bits
 * b[2iη .. 2iη + η) and y among the next η. Bits are taken least
 * significant first within each byte, so coefficient i is simply the 2η-bit
 * field at bit offset 2ηi of B read as a little-endian integer. Fields
 * never straddle a group: one byte holds two η = 2 fields and three bytes
 * hold four η = 3 fields, so each group is read once and split.
 *
 * B is secret PRF output: only shifts, masks and adds touch it; no branch or
 * index depends on it.
 */
#include "mlkem.h"

/* The number of ones in the low `eta` bits of v (eta <= 3, a constant at
 * each call site, so the loop unrolls). */
QS_INLINE int32_t ones_in(uint32_t v, unsigned eta) {
  int32_t n = 0;
  for (unsigned j = 0; j < eta; j++) n += (int32_t)((v >> j) & 1u);
  return n;
}

/* Coefficients of one group: `fields` 2η-bit fields packed in `group`. */
QS_INLINE void cbd_group(int16_t *f, uint32_t group, unsigned fields, unsigned eta) {
  const uint32_t field_mask = (1u << (2 * eta)) - 1;
  for (unsigned c = 0; c < fields; c++) {
    uint32_t field = (group >> (2 * eta * c)) & field_mask;
    f[c] = (int16_t)(ones_in(field, eta) - ones_in(field >> eta, eta));
  }
}

void qs_mlkem_poly_cbd(qs_mlkem_poly *r, const uint8_t *buf, int eta) {
  if (eta == 2) { /* η is a public parameter; 64·η bytes of B */
    for (unsigned g = 0; g < QS_MLKEM_N / 2; g++) cbd_group(r->c + 2 * g, buf[g], 2, 2);
  } else {
    for (unsigned g = 0; g < QS_MLKEM_N / 4; g++) {
      const uint8_t *b = buf + 3 * g;
      uint32_t group = (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16);
      cbd_group(r->c + 4 * g, group, 4, 3);
    }
  }
}
