/*
 * End-to-end check of the liboqs-shaped ML-KEM API on the native (scalar)
 * build: one NIST ACVP vector for keypair_derand / decaps / encaps_derand,
 * plus the two failure contracts (malformed sk -> OQS_ERROR, wrong ct ->
 * success with the implicit-rejection key) and a randomized round trip.
 *
 * Build (from the repo root): gcc -O2 -std=c11 -Inative/include, every .c
 * directly under native/common, native/fips202 and native/mlkem, and this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qsign/oqs.h"
#include "mlkem_acvp_vector.h"

static int failures = 0;
#define CHECK(cond, what)                                  \
  do {                                                     \
    if (!(cond)) {                                         \
      fprintf(stderr, "FAIL %s:%d %s\n", __FILE__, __LINE__, what); \
      failures++;                                          \
    }                                                      \
  } while (0)

static uint8_t *unhex(const char *hex, size_t *len) {
  size_t n = strlen(hex) / 2;
  uint8_t *out = malloc(n ? n : 1);
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    out[i] = (uint8_t)v;
  }
  *len = n;
  return out;
}

int main(void) {
  size_t dlen, zlen, eklen, dklen, clen, klen, eeklen, emlen, eclen, eklen2;
  uint8_t *d = unhex(KAT_D, &dlen), *z = unhex(KAT_Z, &zlen), *ek = unhex(KAT_EK, &eklen), *dk = unhex(KAT_DK, &dklen);
  uint8_t *c = unhex(KAT_C, &clen), *k = unhex(KAT_K, &klen);
  uint8_t *eek = unhex(ENC_EK, &eeklen), *em = unhex(ENC_M, &emlen), *ec = unhex(ENC_C, &eclen), *ek2 = unhex(ENC_K, &eklen2);

  CHECK(OQS_KEM_new("Kyber512") == NULL, "unknown name must give NULL");
  OQS_KEM *kem = OQS_KEM_new(OQS_KEM_alg_ml_kem_512);
  CHECK(kem != NULL, "OQS_KEM_new(ML-KEM-512)");
  if (!kem) return 1;
  CHECK(kem->length_public_key == 800 && kem->length_secret_key == 1632 && kem->length_ciphertext == 768 &&
            kem->length_shared_secret == 32 && kem->length_keypair_seed == 64 && kem->length_encaps_seed == 32,
        "ML-KEM-512 lengths");
  CHECK(eklen == kem->length_public_key && dklen == kem->length_secret_key && clen == kem->length_ciphertext, "vector lengths");

  uint8_t seed[64], pk[800], sk[1632], ct[768], ss[32];
  memcpy(seed, d, 32);
  memcpy(seed + 32, z, 32);
  CHECK(OQS_KEM_keypair_derand(kem, pk, sk, seed) == OQS_SUCCESS, "keypair_derand status");
  CHECK(memcmp(pk, ek, 800) == 0, "keypair_derand ek matches ACVP");
  CHECK(memcmp(sk, dk, 1632) == 0, "keypair_derand dk matches ACVP");

  CHECK(OQS_KEM_decaps(kem, ss, c, dk) == OQS_SUCCESS, "decaps status");
  CHECK(memcmp(ss, k, 32) == 0, "decaps k matches ACVP");

  CHECK(OQS_KEM_encaps_derand(kem, ct, ss, eek, em) == OQS_SUCCESS, "encaps_derand status");
  CHECK(memcmp(ct, ec, 768) == 0, "encaps_derand c matches ACVP");
  CHECK(memcmp(ss, ek2, 32) == 0, "encaps_derand k matches ACVP");

  /* wrong ciphertext: success, and the key is J(z‖c), not the real one */
  uint8_t bad_c[768], ss_bad[32];
  memcpy(bad_c, c, 768);
  bad_c[0] ^= 1;
  CHECK(OQS_KEM_decaps(kem, ss_bad, bad_c, dk) == OQS_SUCCESS, "implicit rejection returns success");
  CHECK(memcmp(ss_bad, k, 32) != 0, "implicit rejection key differs");

  /* malformed secret key (H(ek) byte flipped): hash check must fail */
  uint8_t bad_dk[1632];
  memcpy(bad_dk, dk, 1632);
  bad_dk[768 + 800] ^= 0x80;
  CHECK(OQS_KEM_decaps(kem, ss_bad, c, bad_dk) == OQS_ERROR, "decaps rejects dk failing the hash check");

  /* public key with a coefficient >= q: modulus check must fail */
  uint8_t bad_pk[800];
  memcpy(bad_pk, ek, 800);
  bad_pk[0] = 0xFF;
  bad_pk[1] |= 0x0F;
  CHECK(OQS_KEM_encaps_derand(kem, ct, ss, bad_pk, em) == OQS_ERROR, "encaps rejects ek failing the modulus check");
  OQS_KEM_free(kem);

  /* randomized round trip for every set */
  const char *names[3] = {OQS_KEM_alg_ml_kem_512, OQS_KEM_alg_ml_kem_768, OQS_KEM_alg_ml_kem_1024};
  for (int i = 0; i < 3; i++) {
    OQS_KEM *kk = OQS_KEM_new(names[i]);
    CHECK(kk != NULL, names[i]);
    if (!kk) continue;
    uint8_t *rpk = malloc(kk->length_public_key), *rsk = malloc(kk->length_secret_key), *rct = malloc(kk->length_ciphertext);
    uint8_t s1[32], s2[32];
    CHECK(OQS_KEM_keypair(kk, rpk, rsk) == OQS_SUCCESS, "keypair");
    CHECK(OQS_KEM_encaps(kk, rct, s1, rpk) == OQS_SUCCESS, "encaps");
    CHECK(OQS_KEM_decaps(kk, s2, rct, rsk) == OQS_SUCCESS, "decaps");
    CHECK(memcmp(s1, s2, 32) == 0, "round trip shared secret");
    free(rpk); free(rsk); free(rct);
    OQS_KEM_free(kk);
  }

  free(d); free(z); free(ek); free(dk); free(c); free(k); free(eek); free(em); free(ec); free(ek2);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("mlkem_oqs_test: all checks passed\n");
  return 0;
}
