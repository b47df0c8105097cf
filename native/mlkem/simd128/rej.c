/*
 * SIMD128 twin of ../rej.c; same output, value for value. Twelve bytes give
 * eight 12-bit candidates in one i16x8; i16x8.bitmask of (candidate < q)
 * selects a precomputed swizzle that packs the accepted lanes to the front,
 * and the store advances by popcount. The scalar loop finishes the tail
 * (fewer than 8 values still needed, or fewer than 16 bytes left to load).
 * Candidates are public XOF output, so table lookups indexed by them are fine.
 */
#include <wasm_simd128.h>
#include "../mlkem.h"

/* Compaction shuffles: row m lists, as byte indices into an i16x8, the lanes
 * whose bit is set in m, in order; 0xff (out of range) makes swizzle write
 * zero. Built once when the module initialises rather than shipped as 4 KiB
 * of data segment (~700 B gzip of the ML-KEM module, issue 23). Public. */
static uint8_t rej_compact[256][16];

__attribute__((constructor)) static void rej_compact_init(void) {
  for (unsigned m = 0; m < 256; m++) {
    unsigned n = 0;
    for (unsigned j = 0; j < 8; j++) {
      if ((m >> j) & 1) {
        rej_compact[m][n++] = (uint8_t)(2 * j);
        rej_compact[m][n++] = (uint8_t)(2 * j + 1);
      }
    }
    while (n < 16) rej_compact[m][n++] = 0xff;
  }
}

unsigned qs_mlkem_rej_uniform(int16_t *r, unsigned need, const uint8_t *buf, unsigned buflen) {
  const v128_t spread = wasm_i8x16_make(0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 10, 10, 11);
  const v128_t low12 = wasm_i16x8_splat(0x0FFF), q = wasm_i16x8_splat(QS_MLKEM_Q);
  unsigned n = 0, pos = 0;
  while (n + 8 <= need && pos + 16 <= buflen) {
    v128_t b = wasm_i8x16_swizzle(wasm_v128_load(buf + pos), spread);
    /* even lanes: low 12 bits of (b0 | b1<<8); odd lanes: (b1 | b2<<8) >> 4 */
    v128_t even = wasm_v128_and(b, low12);
    v128_t odd = wasm_u16x8_shr(b, 4);
    v128_t v = wasm_i16x8_shuffle(even, odd, 0, 9, 2, 11, 4, 13, 6, 15);
    uint32_t m = (uint32_t)wasm_i16x8_bitmask(wasm_u16x8_lt(v, q));
    wasm_v128_store(r + n, wasm_i8x16_swizzle(v, wasm_v128_load(rej_compact[m])));
    n += (unsigned)__builtin_popcount(m);
    pos += 12;
  }
  for (; n < need && pos + 3 <= buflen; pos += 3) {
    uint16_t d1 = (uint16_t)(buf[pos] | ((uint16_t)(buf[pos + 1] & 0x0F) << 8));
    uint16_t d2 = (uint16_t)((buf[pos + 1] >> 4) | ((uint16_t)buf[pos + 2] << 4));
    if (d1 < QS_MLKEM_Q) r[n++] = (int16_t)d1;
    if (d2 < QS_MLKEM_Q && n < need) r[n++] = (int16_t)d2;
  }
  return n;
}
