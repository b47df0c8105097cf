/*
 * SLH-DSA (FIPS 205) native checks:
 *  - every ACVP keyGen (120) and sigVer (108) test of test/vectors/data/acvp,
 *    which scripts/test-native.mjs flattens into one line per test and
 *    passes as QSIGN_SLHDSA_VECTORS:
 *      keygen <set name> <skSeed> <skPrf> <pkSeed> <sk> <pk>
 *      sigver <set name> <pk> <M′ hex or -> <signature> <1|0>
 *  - for every set: sign and verify round trips (the f sets also hedged,
 *    pre-hash and internal-interface cases), deterministic signing is repeatable,
 *    tampering is rejected, bad arguments get QS_ERR_* codes, and the
 *    OQS_SIG objects carry liboqs's names and sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qsign/oqs.h"
#include "qsign/slhdsa.h"
#include "../../native/slhdsa/slhdsa.h"

static int failures = 0, checks = 0;
#define CHECK(cond, ...)                                    \
  do {                                                      \
    checks++;                                               \
    if (!(cond)) {                                          \
      fprintf(stderr, "FAIL %s:%d ", __FILE__, __LINE__);   \
      fprintf(stderr, __VA_ARGS__);                         \
      fprintf(stderr, "\n");                                \
      failures++;                                           \
    }                                                       \
  } while (0)

static uint8_t *unhex(const char *hex, size_t *len) {
  size_t n = strcmp(hex, "-") == 0 ? 0 : strlen(hex) / 2;
  uint8_t *out = malloc(n ? n : 1);
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    out[i] = (uint8_t)v;
  }
  *len = n;
  return out;
}

static int run_vectors(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return -1;
  }
  size_t cap = 1 << 22;
  char *line = malloc(cap);
  int keygen = 0, sigver = 0;
  while (fgets(line, (int)cap, f)) {
    char *kind = strtok(line, " \n");
    char *name = strtok(0, " \n");
    if (!kind || !name) continue;
    const slh_params *p = slh_params_by_name(name);
    CHECK(p != 0, "unknown parameter set %s", name);
    if (!p) continue;
    if (strcmp(kind, "keygen") == 0) {
      size_t l1, l2, l3, lsk, lpk;
      uint8_t *sks = unhex(strtok(0, " \n"), &l1), *skp = unhex(strtok(0, " \n"), &l2);
      uint8_t *pks = unhex(strtok(0, " \n"), &l3), *esk = unhex(strtok(0, " \n"), &lsk);
      uint8_t *epk = unhex(strtok(0, " \n"), &lpk);
      uint8_t sk[128], pk[64];
      CHECK(slh_keygen_internal(p, sk, pk, sks, skp, pks) == QS_OK, "keygen rc");
      CHECK(lsk == p->sk_bytes && memcmp(sk, esk, lsk) == 0, "%s keygen sk", name);
      CHECK(lpk == p->pk_bytes && memcmp(pk, epk, lpk) == 0, "%s keygen pk", name);
      free(sks); free(skp); free(pks); free(esk); free(epk);
      keygen++;
    } else if (strcmp(kind, "sigver") == 0) {
      size_t lpk, lm, ls;
      uint8_t *pk = unhex(strtok(0, " \n"), &lpk), *m = unhex(strtok(0, " \n"), &lm);
      uint8_t *sig = unhex(strtok(0, " \n"), &ls);
      int want = atoi(strtok(0, " \n"));
      int rc = qs_slhdsa_verify_internal(p->id, m, lm, sig, ls, pk);
      CHECK((rc == QS_OK) == want, "%s sigVer expected %d, rc %d", name, want, rc);
      free(pk); free(m); free(sig);
      sigver++;
    }
  }
  free(line);
  fclose(f);
  printf("slhdsa ACVP: %d keyGen, %d sigVer\n", keygen, sigver);
  CHECK(keygen == 120 && sigver == 108, "expected 120 keyGen and 108 sigVer tests, got %d and %d", keygen, sigver);
  return 0;
}

static uint64_t rng = 0x0123456789ABCDEFULL;
static void fill(uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    p[i] = (uint8_t)rng;
  }
}
static OQS_STATUS test_random(uint8_t *out, size_t len) {
  fill(out, len);
  return OQS_SUCCESS;
}

/* The s sets sign in seconds under the sanitizers, so they get one
 * deterministic signature; the f sets get every case. */
static void round_trip(int set) {
  const slh_params *p = slh_params_get(set);
  const int small = p->hp > 4;
  uint8_t seed[96], pk[64], sk[128], addrnd[32], ctx[7] = "context", msg[100];
  uint8_t *s1 = malloc(p->sig_bytes), *s2 = malloc(p->sig_bytes);
  fill(seed, sizeof seed);
  fill(addrnd, sizeof addrnd);
  fill(msg, sizeof msg);
  CHECK(qs_slhdsa_keypair_derand(set, pk, sk, seed) == QS_OK, "%s keypair", p->name);
  CHECK(memcmp(sk + 2 * p->n, pk, 2 * p->n) == 0, "%s sk holds pk", p->name);
  /* Deterministic: twice the same bytes; verifies; context and message bind. */
  CHECK(qs_slhdsa_sign_derand(set, s1, msg, sizeof msg, ctx, 7, 0, sk) == QS_OK, "%s sign", p->name);
  if (!small) {
    CHECK(qs_slhdsa_sign_derand(set, s2, msg, sizeof msg, ctx, 7, 0, sk) == QS_OK, "%s sign", p->name);
    CHECK(memcmp(s1, s2, p->sig_bytes) == 0, "%s deterministic signing repeats", p->name);
  } else {
    memcpy(s2, s1, p->sig_bytes);
  }
  CHECK(qs_slhdsa_verify_ctx(set, msg, sizeof msg, s1, p->sig_bytes, ctx, 7, pk) == QS_OK, "%s verify", p->name);
  CHECK(qs_slhdsa_verify_ctx(set, msg, sizeof msg, s1, p->sig_bytes, ctx, 6, pk) == QS_ERR_INVALID_SIGNATURE,
        "%s other context rejected", p->name);
  CHECK(qs_slhdsa_verify_ctx(set, msg, sizeof msg - 1, s1, p->sig_bytes, ctx, 7, pk) == QS_ERR_INVALID_SIGNATURE,
        "%s other message rejected", p->name);
  CHECK(qs_slhdsa_verify_ctx(set, msg, sizeof msg, s1, p->sig_bytes - 1, ctx, 7, pk) == QS_ERR_INVALID_SIGNATURE,
        "%s short signature rejected", p->name);
  /* Tampering anywhere (R, FORS, each hypertree layer) is rejected. */
  size_t spots[4] = {0, p->n + 3, p->sig_bytes / 2, p->sig_bytes - 1};
  for (int i = 0; i < 4; i++) {
    s2[spots[i]] ^= 0x10;
    CHECK(qs_slhdsa_verify_ctx(set, msg, sizeof msg, s2, p->sig_bytes, ctx, 7, pk) == QS_ERR_INVALID_SIGNATURE,
          "%s tampered byte %zu rejected", p->name, spots[i]);
    s2[spots[i]] ^= 0x10;
  }
  if (small) {
    free(s1);
    free(s2);
    return;
  }
  /* Hedged: different bytes, still valid. */
  CHECK(qs_slhdsa_sign_derand(set, s2, msg, sizeof msg, ctx, 7, addrnd, sk) == QS_OK, "%s hedged sign", p->name);
  CHECK(memcmp(s1, s2, p->sig_bytes) != 0, "%s hedged differs", p->name);
  CHECK(qs_slhdsa_verify_ctx(set, msg, sizeof msg, s2, p->sig_bytes, ctx, 7, pk) == QS_OK, "%s hedged verify",
        p->name);
  /* Deterministic signing = slh_sign_internal on M′ = 0x00 ‖ 7 ‖ ctx ‖ msg. */
  uint8_t mp[2 + 7 + sizeof msg];
  mp[0] = 0; mp[1] = 7;
  memcpy(mp + 2, ctx, 7);
  memcpy(mp + 9, msg, sizeof msg);
  CHECK(qs_slhdsa_sign_internal(set, s2, mp, sizeof mp, 0, sk) == QS_OK, "%s sign_internal", p->name);
  CHECK(memcmp(s1, s2, p->sig_bytes) == 0, "%s pure = internal on M'", p->name);
  /* HashSLH-DSA: verifies under its own pre-hash only, never as pure. */
  for (int ph = 1; ph <= 12; ph += (p->n == 16 ? 11 : 5)) {
    CHECK(qs_hash_slhdsa_sign_derand(set, ph, s2, msg, sizeof msg, ctx, 7, addrnd, sk) == QS_OK, "%s hash sign %d",
          p->name, ph);
    CHECK(qs_hash_slhdsa_verify_ctx(set, ph, msg, sizeof msg, s2, p->sig_bytes, ctx, 7, pk) == QS_OK,
          "%s hash verify %d", p->name, ph);
    CHECK(qs_slhdsa_verify_ctx(set, msg, sizeof msg, s2, p->sig_bytes, ctx, 7, pk) == QS_ERR_INVALID_SIGNATURE,
          "%s hash signature is not a pure one (%d)", p->name, ph);
  }
  /* Argument contracts. */
  uint8_t long_ctx[256] = {0};
  CHECK(qs_slhdsa_sign_derand(set, s2, msg, sizeof msg, long_ctx, 256, 0, sk) == QS_ERR_INVALID_ARGUMENT,
        "%s 256-byte context refused", p->name);
  CHECK(qs_hash_slhdsa_sign_derand(set, 13, s2, msg, sizeof msg, 0, 0, 0, sk) == QS_ERR_INVALID_ARGUMENT,
        "%s unknown pre-hash refused", p->name);
  free(s1);
  free(s2);
}

static void oqs_objects(void) {
  static const char *names[12] = {
      OQS_SIG_alg_slh_dsa_pure_sha2_128s,  OQS_SIG_alg_slh_dsa_pure_sha2_128f,  OQS_SIG_alg_slh_dsa_pure_sha2_192s,
      OQS_SIG_alg_slh_dsa_pure_sha2_192f,  OQS_SIG_alg_slh_dsa_pure_sha2_256s,  OQS_SIG_alg_slh_dsa_pure_sha2_256f,
      OQS_SIG_alg_slh_dsa_pure_shake_128s, OQS_SIG_alg_slh_dsa_pure_shake_128f, OQS_SIG_alg_slh_dsa_pure_shake_192s,
      OQS_SIG_alg_slh_dsa_pure_shake_192f, OQS_SIG_alg_slh_dsa_pure_shake_256s, OQS_SIG_alg_slh_dsa_pure_shake_256f};
  static const size_t sig_bytes[12] = {7856, 17088, 16224, 35664, 29792, 49856,
                                       7856, 17088, 16224, 35664, 29792, 49856};
  OQS_randombytes_custom_algorithm(test_random);
  for (int i = 0; i < 12; i++) {
    OQS_SIG *s = OQS_SIG_new(names[i]);
    CHECK(s != 0, "OQS_SIG_new(%s)", names[i]);
    if (!s) continue;
    CHECK(s->length_signature == sig_bytes[i] && s->length_public_key == qs_slhdsa_public_key_bytes(i) &&
              s->length_secret_key == 2 * s->length_public_key,
          "%s sizes", names[i]);
    CHECK(strcmp(s->alg_version, "FIPS205") == 0, "alg_version");
    OQS_SIG_free(s);
  }
  /* One full liboqs-shaped round trip, pure and pre-hash, on a fast set. */
  const char *rt[2] = {"SLH_DSA_PURE_SHAKE_128F", "SLH_DSA_SHA2_256_PREHASH_SHA2_128F"};
  for (int i = 0; i < 2; i++) {
    OQS_SIG *s = OQS_SIG_new(rt[i]);
    CHECK(s != 0, "OQS_SIG_new(%s)", rt[i]);
    if (!s) continue;
    uint8_t pk[64], sk[128], msg[3] = {1, 2, 3};
    uint8_t *sig = malloc(s->length_signature);
    size_t slen = 0;
    CHECK(OQS_SIG_keypair(s, pk, sk) == OQS_SUCCESS, "%s keypair", rt[i]);
    CHECK(OQS_SIG_sign_with_ctx_str(s, sig, &slen, msg, 3, msg, 2, sk) == OQS_SUCCESS, "%s sign", rt[i]);
    CHECK(slen == s->length_signature, "%s siglen", rt[i]);
    CHECK(OQS_SIG_verify_with_ctx_str(s, msg, 3, sig, slen, msg, 2, pk) == OQS_SUCCESS, "%s verify", rt[i]);
    CHECK(OQS_SIG_verify(s, msg, 3, sig, slen, pk) == OQS_ERROR, "%s verify without the context fails", rt[i]);
    free(sig);
    OQS_SIG_free(s);
  }
  CHECK(OQS_SIG_new("SLH_DSA_PURE_SHA2_128X") == 0, "unknown name refused");
  OQS_SIG *mldsa = OQS_SIG_new("ML-DSA-65");
  CHECK(mldsa != 0, "ML-DSA still served");
  OQS_SIG_free(mldsa);
}

int main(void) {
  const char *path = getenv("QSIGN_SLHDSA_VECTORS");
  CHECK(path != 0, "QSIGN_SLHDSA_VECTORS is not set (run through scripts/test-native.mjs)");
  if (path) run_vectors(path);
  for (int set = 0; set < 12; set++) round_trip(set);
  oqs_objects();
  printf("slhdsa_acvp_test: %d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
