/*
 * One-shot wasm export of the 2-way SHAKE, so tests (and later callers in
 * TypeScript) can check each build's x2 lanes against the one-way SHAKE on
 * arbitrary lengths, including multi-block absorbs ML-KEM never makes.
 */
#include "../common/qs_common.h"
#include "fips202x2.h"

/* kind: 1 = SHAKE128, 2 = SHAKE256 (as in exports.c); writes nblocks·rate
 * bytes to each of out0, out1. */
QS_EXPORT("qs_shake_x2")
int qs_shake_x2(int kind, const uint8_t *in0, const uint8_t *in1, size_t inlen, uint8_t *out0, uint8_t *out1, size_t nblocks) {
  qs_keccakx2_state st;
  if (kind == 1) {
    qs_shake128x2_absorb(&st, in0, in1, inlen);
    qs_shake128x2_squeezeblocks(out0, out1, nblocks, &st);
  } else if (kind == 2) {
    qs_shake256x2_absorb(&st, in0, in1, inlen);
    qs_shake256x2_squeezeblocks(out0, out1, nblocks, &st);
  } else {
    return QS_ERR_INVALID_ARGUMENT;
  }
  qs_zeroize(&st, sizeof st);
  qs_scrub_stack(QS_SCRUB_KECCAK);
  return QS_OK;
}
