/*
 * SamplePolyCBD_η (FIPS 203 Alg 8), scalar build. With b = BytesToBits(B),
 * coefficient i is x - y, where x counts the ones among the η bits
 * b[2iη .. 2iη + η) and y among the next η. Bits are taken least
 * significant first within each byte, so coefficient i is simply the 2η-bit
 * field at bit offset 2ηi of B read as a little-endian integer. Fields
 * never straddle a group: four bytes hold eight η = 2 fields and three
 * bytes hold four η = 3 fields, so each group is read once and split.
 *
 * B is secret PRF output: only shifts, masks and adds touch it; no branch or
 * index depends on it.
 */
#include "mlkem.h"

/* A mask with one bit at the start of every η-bit half-field of a
 * `width`-bit group (positions 0, η, 2η, ...). Constant at each call site. */
QS_INLINE uint32_t half_field_starts(unsigned eta, unsigned width) {
  uint32_t m = 0;
  for (unsigned b = 0; b < width; b += eta) m |= 1u << b;
  return m;
}

/* Coefficients of one group of `fields` 2η-bit fields. Adding the group
 * shifted by 0 .. η-1 under the start mask leaves, in each η-bit lane, the
 * number of ones of that half-field (at most η, so it fits the lane): x in
 * the even lanes, y in the odd ones, all counted at once. */
QS_INLINE void cbd_group(int16_t *f, uint32_t group, unsigned fields, unsigned eta) {
  const uint32_t starts = half_field_starts(eta, 2 * eta * fields), lane = (1u << eta) - 1;
  uint32_t ones = 0;
  for (unsigned j = 0; j < eta; j++) ones += (group >> j) & starts;
  for (unsigned c = 0; c < fields; c++) {
    int32_t x = (int32_t)((ones >> (2 * eta * c)) & lane);
    int32_t y = (int32_t)((ones >> (2 * eta * c + eta)) & lane);
    f[c] = (int16_t)(x - y);
  }
}

void qs_mlkem_poly_cbd(qs_mlkem_poly *r, const uint8_t *buf, int eta) {
  if (eta == 2) { /* η is a public parameter; B has 64·η bytes */
    for (unsigned g = 0; g < QS_MLKEM_N / 8; g++) cbd_group(r->c + 8 * g, qs_load32_le(buf + 4 * g), 8, 2);
  } else {
    for (unsigned g = 0; g < QS_MLKEM_N / 4; g++) {
      const uint8_t *b = buf + 3 * g;
      uint32_t group = (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16);
      cbd_group(r->c + 4 * g, group, 4, 3);
    }
  }
}
