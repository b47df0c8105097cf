/*
 * Constant-time check for the scalar ML-KEM core under valgrind memcheck:
 * secret inputs are marked undefined, so memcheck reports any branch or
 * memory index that depends on them ("Conditional jump ... depends on
 * uninitialised value"). Run: valgrind --error-exitcode=1 ./mlkem_ct_test
 * Without valgrind it only runs the operations (the marks are no-ops).
 *
 * Marked secret: encaps m; decaps dk_PKE and z (the hash check reads only
 * ek and H(ek), whose outcome is public anyway), and the ciphertext's
 * validity, since whether c re-encrypts must not leak either.
 * Keygen is not covered: ρ comes from the secret d but is public, and
 * SampleNTT legitimately branches on it.
 */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>
#include "qsign/oqs.h"

int main(void) {
  const char *names[3] = {OQS_KEM_alg_ml_kem_512, OQS_KEM_alg_ml_kem_768, OQS_KEM_alg_ml_kem_1024};
  for (int s = 0; s < 3; s++) {
    OQS_KEM *kem = OQS_KEM_new(names[s]);
    if (!kem) return 2;
    uint8_t seed[64], m[32], pk[1568], sk[3168], ct[1568], ss[32], ss2[32];
    for (int i = 0; i < 64; i++) seed[i] = (uint8_t)(i * 29 + s);
    for (int i = 0; i < 32; i++) m[i] = (uint8_t)(i * 11 + 7 + s);
    if (OQS_KEM_keypair_derand(kem, pk, sk, seed) != OQS_SUCCESS) return 3;

    VALGRIND_MAKE_MEM_UNDEFINED(m, sizeof m);
    if (OQS_KEM_encaps_derand(kem, ct, ss, pk, m) != OQS_SUCCESS) return 4;
    VALGRIND_MAKE_MEM_DEFINED(ct, kem->length_ciphertext); /* ct is public output */

    const size_t pv = kem->length_secret_key - kem->length_public_key - 64; /* 384k */
    for (int round = 0; round < 2; round++) {
      if (round == 1) ct[5] ^= 1; /* second round takes the implicit-rejection path */
      VALGRIND_MAKE_MEM_UNDEFINED(sk, pv);                                   /* dk_PKE */
      VALGRIND_MAKE_MEM_UNDEFINED(sk + kem->length_secret_key - 32, 32);     /* z */
      if (OQS_KEM_decaps(kem, ss2, ct, sk) != OQS_SUCCESS) return 5;
      VALGRIND_MAKE_MEM_DEFINED(ss2, 32);
      VALGRIND_MAKE_MEM_DEFINED(ss, 32);
      if ((memcmp(ss, ss2, 32) == 0) != (round == 0)) {
        fprintf(stderr, "%s: decaps result wrong in round %d\n", names[s], round);
        return 6;
      }
    }
    OQS_KEM_free(kem);
  }
  printf("mlkem_ct_test: done (meaningful only under valgrind)\n");
  return 0;
}
