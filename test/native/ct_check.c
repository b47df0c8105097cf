/*
 * Constant-time check of the C core under Valgrind memcheck (npm run test:ct).
 *
 * Every secret input (seeds, randomness, secret keys, ciphertexts fed to
 * decapsulation) is marked undefined with QS_SECRET. Memcheck then reports any
 * conditional branch or memory address computed from those bytes, which is
 * exactly a secret-dependent branch or table index. Values the standards make
 * public are declassified inside the core with QS_DECLASSIFY, each with a
 * comment saying why. Outputs are declassified here before they are compared,
 * because comparing results is the test's business, not the algorithm's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qsign/oqs.h"
#include "../../native/common/qs_common.h"
#include "../../native/x25519/x25519.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

/* Deterministic "randomness" so runs are repeatable; marked secret so that
 * everything derived from it (d, z, ξ, m, rnd) is tracked by memcheck. */
static OQS_STATUS tainted_randombytes(uint8_t *out, size_t len) {
  for (size_t i = 0; i < len; i++) {
    rng_state ^= rng_state << 13; rng_state ^= rng_state >> 7; rng_state ^= rng_state << 17;
    out[i] = (uint8_t)rng_state;
  }
  QS_SECRET(out, len);
  return OQS_SUCCESS;
}

static int failures = 0;
#define CHECK(cond, what) do { if (!(cond)) { fprintf(stderr, "FAIL %s\n", what); failures++; } } while (0)

static void kem_round(const char *name) {
  OQS_KEM *kem = OQS_KEM_new(name);
  if (!kem) { fprintf(stderr, "FAIL OQS_KEM_new(%s)\n", name); failures++; return; }
  uint8_t *pk = malloc(kem->length_public_key), *sk = malloc(kem->length_secret_key);
  uint8_t *ct = malloc(kem->length_ciphertext), ss1[32], ss2[32], ss3[32];
  CHECK(OQS_KEM_keypair(kem, pk, sk) == OQS_SUCCESS, "kem keypair");
  /* The encapsulation key is public by definition. */
  QS_DECLASSIFY(pk, kem->length_public_key);
  CHECK(OQS_KEM_encaps(kem, ct, ss1, pk) == OQS_SUCCESS, "kem encaps");
  QS_SECRET(sk, kem->length_secret_key);
  /* A ciphertext is public on the wire, but decapsulation must not branch on
   * whether it is valid (implicit rejection), so treat it as secret here. */
  QS_SECRET(ct, kem->length_ciphertext);
  CHECK(OQS_KEM_decaps(kem, ss2, ct, sk) == OQS_SUCCESS, "kem decaps");
  ct[0] ^= 1;
  CHECK(OQS_KEM_decaps(kem, ss3, ct, sk) == OQS_SUCCESS, "kem decaps (tampered)");
  QS_DECLASSIFY(ss1, 32); QS_DECLASSIFY(ss2, 32); QS_DECLASSIFY(ss3, 32);
  CHECK(memcmp(ss1, ss2, 32) == 0, "kem shared secrets agree");
  CHECK(memcmp(ss1, ss3, 32) != 0, "kem implicit rejection");
  free(pk); free(sk); free(ct);
  OQS_KEM_free(kem);
}

static void sig_round(const char *name) {
  OQS_SIG *sig = OQS_SIG_new(name);
  if (!sig) { fprintf(stderr, "FAIL OQS_SIG_new(%s)\n", name); failures++; return; }
  uint8_t *pk = malloc(sig->length_public_key), *sk = malloc(sig->length_secret_key);
  uint8_t *s = malloc(sig->length_signature);
  size_t slen = 0;
  const uint8_t msg[] = "constant-time check message";
  const uint8_t ctx[] = "ctx";
  CHECK(OQS_SIG_keypair(sig, pk, sk) == OQS_SUCCESS, "sig keypair");
  QS_DECLASSIFY(pk, sig->length_public_key);
  QS_SECRET(sk, sig->length_secret_key);
  CHECK(OQS_SIG_sign_with_ctx_str(sig, s, &slen, msg, sizeof msg, ctx, 3, sk) == OQS_SUCCESS, "sig sign");
  /* The signature is published; verification works on public data only. */
  QS_DECLASSIFY(s, sig->length_signature);
  QS_DECLASSIFY(&slen, sizeof slen);
  CHECK(OQS_SIG_verify_with_ctx_str(sig, msg, sizeof msg, s, slen, ctx, 3, pk) == OQS_SUCCESS, "sig verify");
  s[10] ^= 1;
  CHECK(OQS_SIG_verify_with_ctx_str(sig, msg, sizeof msg, s, slen, ctx, 3, pk) != OQS_SUCCESS, "sig verify rejects tampering");
  free(pk); free(sk); free(s);
  OQS_SIG_free(sig);
}

/* X25519: the scalar is secret; the peer's u-coordinate is public, so the
 * ladder must not branch on or index by the scalar. Outputs are declassified
 * only to compare them. */
static void x25519_round(void) {
  uint8_t a[32], b[32], pa[32], pb[32], s1[32], s2[32];
  tainted_randombytes(a, 32);
  tainted_randombytes(b, 32);
  qs_x25519_scalarmult_base(pa, a);
  qs_x25519_scalarmult_base(pb, b);
  /* Public keys are public by definition. */
  QS_DECLASSIFY(pa, 32); QS_DECLASSIFY(pb, 32);
  qs_x25519_scalarmult(s1, a, pb);
  qs_x25519_scalarmult(s2, b, pa);
  QS_DECLASSIFY(s1, 32); QS_DECLASSIFY(s2, 32);
  CHECK(memcmp(s1, s2, 32) == 0, "x25519 shared secrets agree");
}

int main(void) {
  OQS_randombytes_custom_algorithm(tainted_randombytes);
  const char *kems[] = { OQS_KEM_alg_ml_kem_512, OQS_KEM_alg_ml_kem_768, OQS_KEM_alg_ml_kem_1024 };
  /* SLH-DSA: one f set per hash family and tweak shape (SHA-256 only, SHA-256
   * with SHA-512 for H/T_l, SHAKE), plus a pre-hash variant; the s sets run
   * the same code with taller trees and take minutes under Valgrind. */
  const char *sigs[] = { OQS_SIG_alg_ml_dsa_44, OQS_SIG_alg_ml_dsa_65, OQS_SIG_alg_ml_dsa_87,
                         OQS_SIG_alg_slh_dsa_pure_sha2_128f, OQS_SIG_alg_slh_dsa_pure_sha2_192f,
                         OQS_SIG_alg_slh_dsa_pure_shake_128f, "SLH_DSA_SHA2_512_PREHASH_SHAKE_256F" };
  for (int i = 0; i < 3; i++) kem_round(kems[i]);
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sig_round(sigs[i]);
  x25519_round();
  printf("ct_check: %s\n", failures ? "FAILED" : "all rounds completed");
  return failures ? 1 : 0;
}
