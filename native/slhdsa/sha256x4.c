/* Scalar reference of the 4-lane SHA-256 (see sha256x4.h). */
#include <string.h>
#include "../common/qs_common.h"
#include "sha2.h"
#include "sha256x4.h"

static void slh_store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

void qs_sha256x4(uint8_t *const out[4], const uint32_t state[8], uint64_t prefix_bytes, const uint8_t *const in[4],
                 size_t len) {
  for (int lane = 0; lane < 4; lane++) {
    qs_sha256_ctx c;
    memcpy(c.h, state, sizeof c.h);
    c.len = prefix_bytes;
    c.fill = 0;
    qs_sha256_update(&c, in[lane], len);
    qs_sha256_final(&c, out[lane], 32);
  }
}

void qs_sha256x4_1block(uint8_t *const out[4], const uint32_t state[8], const uint8_t *const block[4]) {
  for (int lane = 0; lane < 4; lane++) {
    uint32_t h[8];
    memcpy(h, state, sizeof h);
    qs_sha256_compress(h, block[lane], 1);
    for (int k = 0; k < 32; k++) out[lane][k] = (uint8_t)(h[k / 4] >> (24 - 8 * (k % 4)));
  }
}

void qs_sha256x4_chain(uint8_t *const out[4], const uint32_t state[8], const uint8_t *const adrsc[4],
                       const uint8_t *const in[4], size_t n, unsigned steps) {
  const uint32_t bits = (uint32_t)(64 + 22 + n) * 8;
  for (int lane = 0; lane < 4; lane++) {
    uint8_t blk[64];
    uint32_t hash = ((uint32_t)adrsc[lane][20] << 8) | adrsc[lane][21];
    memcpy(blk, adrsc[lane], 22);
    memcpy(blk + 22, in[lane], n);
    memset(blk + 22 + n, 0, 64 - 22 - n);
    blk[22 + n] = 0x80;
    for (int k = 0; k < 4; k++) blk[63 - k] = (uint8_t)(bits >> (8 * k));
    for (unsigned j = 0; j < steps; j++, hash++) {
      uint32_t h[8];
      blk[20] = (uint8_t)(hash >> 8);
      blk[21] = (uint8_t)hash;
      memcpy(h, state, sizeof h);
      qs_sha256_compress(h, blk, 1);
      for (size_t k = 0; k < n / 4; k++) slh_store_be32(blk + 22 + 4 * k, h[k]);
    }
    memcpy(out[lane], blk + 22, n);
  }
}
