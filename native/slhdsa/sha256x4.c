/* Scalar reference of the 4-lane SHA-256 (see sha256x4.h). */
#include <string.h>
#include "../common/qs_common.h"
#include "sha2.h"
#include "sha256x4.h"

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
