/*
 * Issue 18 item 14, "native/mldsa/api.c returns on a randomness failure
 * without wiping seed/rnd". A randomness source can fail after writing part
 * of its output (getrandom returning short, a host callback throwing midway);
 * those bytes are secret-quality randomness and must not stay on the stack.
 *
 * The failing source below writes a marker into the buffer it was given,
 * remembers where that buffer was, and reports failure. Right after the API
 * call returns (no other call in between, so nothing has reused that stack
 * area), the test reads the remembered 32 bytes through a volatile pointer:
 * the marker must be gone. Reading a returned frame is outside ISO C, but it
 * is exactly what an attacker with a memory disclosure does; the read stays
 * inside the process stack, and ASan unpoisons a frame when it returns.
 */
#include <stdio.h>
#include <string.h>
#include "qsign/oqs.h"

static int failures = 0;
#define CHECK(cond, what)                                           \
  do {                                                              \
    if (!(cond)) {                                                  \
      fprintf(stderr, "FAIL %s:%d %s\n", __FILE__, __LINE__, what); \
      failures++;                                                   \
    }                                                               \
  } while (0)

#define MARK 0x5Cu
static volatile uint8_t *last_out;
static size_t last_len;

static OQS_STATUS failing_randombytes(uint8_t *out, size_t len) {
  memset(out, MARK, len);
  last_out = out;
  last_len = len;
  return OQS_ERROR;
}

/* Counts marker bytes left where the source wrote; inline, no calls. */
static inline __attribute__((always_inline)) size_t marker_bytes_left(void) {
  size_t n = 0;
  for (size_t i = 0; i < last_len; i++) n += last_out[i] == MARK;
  return n;
}

int main(void) {
  static uint8_t pk[2592], sk[4896], sig[4627];
  const char *names[3] = {OQS_SIG_alg_ml_dsa_44, OQS_SIG_alg_ml_dsa_65, OQS_SIG_alg_ml_dsa_87};
  OQS_randombytes_custom_algorithm(failing_randombytes);
  for (int s = 0; s < 3; s++) {
    OQS_SIG *alg = OQS_SIG_new(names[s]);
    size_t siglen = 0;
    last_out = 0;
    OQS_STATUS rc = OQS_SIG_keypair(alg, pk, sk);
    size_t left = last_out ? marker_bytes_left() : 0;
    CHECK(rc == OQS_ERROR, "keypair reports the randomness failure");
    CHECK(last_out != 0 && last_len == 32, "keypair asked for a 32-byte seed");
    if (left) fprintf(stderr, "%s keypair: %zu of 32 seed bytes left on the stack\n", names[s], left);
    CHECK(left == 0, "keypair wipes the seed when randomness fails");

    last_out = 0;
    rc = OQS_SIG_sign(alg, sig, &siglen, (const uint8_t *)"m", 1, sk);
    left = last_out ? marker_bytes_left() : 0;
    CHECK(rc == OQS_ERROR, "sign reports the randomness failure");
    CHECK(last_out != 0 && last_len == 32, "sign asked for 32 bytes of rnd");
    if (left) fprintf(stderr, "%s sign: %zu of 32 rnd bytes left on the stack\n", names[s], left);
    CHECK(left == 0, "sign wipes rnd when randomness fails");
    OQS_SIG_free(alg);
  }
  printf("mldsa_randomness_wipe_test: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
