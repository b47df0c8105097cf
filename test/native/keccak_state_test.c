/*
 * Issue 18 item 14, "Keccak squeezing state is written but never checked":
 * the sponge is a state machine (absorb* -> finalize -> squeeze*), and a call
 * out of order must be refused by the C core itself, not only by the
 * TypeScript wrapper, leaving the state untouched:
 *  - absorb after finalize/squeeze would XOR input into the output stream;
 *  - a second finalize would pad twice;
 *  - squeeze or squeezeblocks before finalize would leak the unpadded state.
 * Each refusal returns QS_ERR_INVALID_STATE, and the stream that follows is
 * exactly the stream of an instance that never saw the bad call.
 */
#include <stdio.h>
#include <string.h>
#include "../../native/common/qs_common.h"
#include "../../native/fips202/fips202.h"

static int failures = 0;
#define CHECK(cond, what)                                           \
  do {                                                              \
    if (!(cond)) {                                                  \
      fprintf(stderr, "FAIL %s:%d %s\n", __FILE__, __LINE__, what); \
      failures++;                                                   \
    }                                                               \
  } while (0)

static const uint8_t msg[] = "keccak state machine";

/* SHAKE256(msg) of length n, through a well-behaved instance. */
static void reference(uint8_t *out, size_t n) { qs_shake256(out, n, msg, sizeof msg); }

static void absorb_after_squeeze_is_refused(void) {
  uint8_t want[400], got[400];
  reference(want, sizeof want);
  qs_keccak_state st;
  qs_shake256_init(&st);
  CHECK(qs_keccak_absorb(&st, msg, sizeof msg) == QS_OK, "absorb while absorbing");
  CHECK(qs_keccak_finalize(&st) == QS_OK, "finalize");
  CHECK(qs_keccak_squeeze(&st, got, 10) == QS_OK, "squeeze");
  CHECK(qs_keccak_absorb(&st, msg, sizeof msg) == QS_ERR_INVALID_STATE, "absorb after squeeze returns QS_ERR_INVALID_STATE");
  CHECK(qs_keccak_finalize(&st) == QS_ERR_INVALID_STATE, "second finalize returns QS_ERR_INVALID_STATE");
  CHECK(qs_keccak_squeeze(&st, got + 10, sizeof got - 10) == QS_OK, "squeeze continues");
  CHECK(memcmp(got, want, sizeof want) == 0, "the refused calls left the output stream unchanged");
}

static void absorb_right_after_finalize_is_refused(void) {
  uint8_t want[200], got[200];
  reference(want, sizeof want);
  qs_keccak_state st;
  qs_shake256_init(&st);
  qs_keccak_absorb(&st, msg, sizeof msg);
  qs_keccak_finalize(&st);
  CHECK(qs_keccak_absorb(&st, (const uint8_t *)"x", 1) == QS_ERR_INVALID_STATE, "absorb after finalize is refused");
  CHECK(qs_keccak_squeeze(&st, got, sizeof got) == QS_OK, "squeeze after the refusal");
  CHECK(memcmp(got, want, sizeof want) == 0, "output equals SHAKE256(msg)");
}

static void squeeze_before_finalize_is_refused(void) {
  uint8_t want[2 * QS_SHAKE256_RATE], got[2 * QS_SHAKE256_RATE];
  memset(got, 0xA5, sizeof got);
  reference(want, sizeof want);
  qs_keccak_state st;
  qs_shake256_init(&st);
  qs_keccak_absorb(&st, msg, sizeof msg);
  CHECK(qs_keccak_squeeze(&st, got, 16) == QS_ERR_INVALID_STATE, "squeeze before finalize is refused");
  CHECK(qs_keccak_squeezeblocks(&st, got, 1) == QS_ERR_INVALID_STATE, "squeezeblocks before finalize is refused");
  uint8_t untouched[sizeof got];
  memset(untouched, 0xA5, sizeof untouched);
  CHECK(memcmp(got, untouched, sizeof got) == 0, "a refused squeeze writes nothing");
  CHECK(qs_keccak_finalize(&st) == QS_OK, "finalize after the refusal");
  CHECK(qs_keccak_squeezeblocks(&st, got, 2) == QS_OK, "squeezeblocks");
  CHECK(memcmp(got, want, sizeof want) == 0, "output equals SHAKE256(msg)");
}

int main(void) {
  absorb_after_squeeze_is_refused();
  absorb_right_after_finalize_is_refused();
  squeeze_before_finalize_is_refused();
  printf("keccak_state_test: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
