/*
 * Native (scalar) checks of the ML-DSA core:
 *  - the liboqs-shaped API (OQS_SIG_*) and the derandomized entry points on
 *    one Wycheproof vector, randomized round trips, and failure contracts;
 *  - Decompose / Power2Round kernels against the FIPS 204 definitions
 *    (written with division here) over every r in [0, q), since signing
 *    uses multiply-shift replacements whose exactness must hold everywhere;
 *  - invNTT(NTT(a)) = a * 2^32 mod q.
 *
 * Build (from the repo root): gcc -O2 -std=c11 -Inative/include, every .c
 * directly under native/common, native/fips202 and native/mldsa, and this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qsign/oqs.h"
#include "qsign/mldsa.h"
#include "../../native/mldsa/mldsa.h"
#include "mldsa_vector.h"

static int failures = 0;
#define CHECK(cond, what)                                               \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf(stderr, "FAIL %s:%d %s\n", __FILE__, __LINE__, what);     \
      failures++;                                                       \
    }                                                                   \
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

#define Q 8380417

/* FIPS 204 Alg 36 as written: r0 = r mod+- 2g2, special case r - r0 = q - 1. */
static void decompose_ref(int32_t r, int32_t g2, int32_t *r1, int32_t *r0) {
  int32_t m = r % (2 * g2);
  if (m > g2) m -= 2 * g2;
  if (r - m == Q - 1) {
    *r1 = 0;
    *r0 = m - 1;
  } else {
    *r1 = (r - m) / (2 * g2);
    *r0 = m;
  }
}

static void check_rounding(void) {
  static qs_poly a, a1, a0;
  const int32_t g2s[2] = {(Q - 1) / 88, (Q - 1) / 32};
  long bad_dec = 0, bad_p2r = 0;
  for (int32_t base = 0; base < Q; base += 256) {
    for (int i = 0; i < 256; i++) a.c[i] = base + i < Q ? base + i : Q - 1;
    for (int g = 0; g < 2; g++) {
      qs_mldsa_poly_decompose(&a1, &a0, &a, g2s[g]);
      for (int i = 0; i < 256; i++) {
        int32_t r1, r0;
        decompose_ref(a.c[i], g2s[g], &r1, &r0);
        if (r1 != a1.c[i] || r0 != a0.c[i]) bad_dec++;
      }
    }
    qs_mldsa_poly_power2round(&a1, &a0, &a);
    for (int i = 0; i < 256; i++) {
      int32_t m = a.c[i] % 8192;
      if (m > 4096) m -= 8192;
      if (a0.c[i] != m || a1.c[i] != (a.c[i] - m) / 8192) bad_p2r++;
    }
  }
  CHECK(bad_dec == 0, "Decompose differs from FIPS 204 Alg 36");
  CHECK(bad_p2r == 0, "Power2Round differs from FIPS 204 Alg 35");
}

static void check_ntt(void) {
  qs_poly a, b;
  uint32_t x = 12345;
  for (int i = 0; i < 256; i++) {
    x = x * 1103515245u + 12345u;
    a.c[i] = (int32_t)(x % Q) - Q / 2;
  }
  b = a;
  qs_mldsa_ntt(&b);
  qs_mldsa_invntt_tomont(&b);
  int bad = 0;
  for (int i = 0; i < 256; i++) {
    int64_t want = ((int64_t)a.c[i] % Q + Q) % Q * ((1LL << 32) % Q) % Q;
    int64_t got = ((int64_t)b.c[i] % Q + Q) % Q;
    if (want != got) bad++;
  }
  CHECK(bad == 0, "invNTT(NTT(a)) != a * 2^32 mod q");
}

int main(void) {
  size_t seedlen, pklen, msglen, siglen;
  uint8_t *seed = unhex(KAT_SEED, &seedlen), *pk_want = unhex(KAT_PK, &pklen);
  uint8_t *msg = unhex(KAT_MSG, &msglen), *sig_want = unhex(KAT_SIG, &siglen);

  /* algorithm table */
  const char *names[3] = {"ML-DSA-44", "ML-DSA-65", "ML-DSA-87"};
  const size_t lens[3][3] = {{1312, 2560, 2420}, {1952, 4032, 3309}, {2592, 4896, 4627}};
  CHECK(OQS_SIG_new("Dilithium3") == NULL, "unknown name accepted");
  CHECK(OQS_SIG_new(NULL) == NULL, "NULL name accepted");

  /* the vector, through the derandomized entry points */
  uint8_t pk[2592], sk[4896], sig[4627], sig2[4627], rnd[32] = {0};
  CHECK(qs_mldsa_keypair_derand(44, pk, sk, seed) == 0, "keypair_derand failed");
  CHECK(pklen == 1312 && memcmp(pk, pk_want, pklen) == 0, "public key differs from the vector");
  CHECK(qs_mldsa_sign_derand(44, sig, msg, msglen, NULL, 0, rnd, sk) == 0, "sign_derand failed");
  CHECK(siglen == 2420 && memcmp(sig, sig_want, siglen) == 0, "deterministic signature differs from the vector");
  CHECK(qs_mldsa_keypair_derand(45, pk, sk, seed) != 0, "level 45 accepted");

  OQS_SIG *s44 = OQS_SIG_new("ML-DSA-44");
  CHECK(s44 != NULL, "OQS_SIG_new(ML-DSA-44)");
  if (s44) {
    CHECK(OQS_SIG_verify(s44, msg, msglen, sig_want, siglen, pk_want) == OQS_SUCCESS, "vector signature rejected");
    sig2[0] = 0;
    memcpy(sig2, sig_want, siglen);
    sig2[100] ^= 1;
    CHECK(OQS_SIG_verify(s44, msg, msglen, sig2, siglen, pk_want) == OQS_ERROR, "modified signature accepted");
    CHECK(OQS_SIG_verify(s44, msg, msglen, sig_want, siglen - 1, pk_want) == OQS_ERROR, "short signature accepted");
    const uint8_t ctx[1] = {7};
    CHECK(OQS_SIG_verify_with_ctx_str(s44, msg, msglen, sig_want, siglen, ctx, 1, pk_want) == OQS_ERROR, "wrong context accepted");
    OQS_SIG_free(s44);
  }

  /* randomized round trips on every level, with and without context */
  for (int i = 0; i < 3; i++) {
    OQS_SIG *s = OQS_SIG_new(names[i]);
    CHECK(s != NULL, names[i]);
    if (!s) continue;
    CHECK(strcmp(s->method_name, names[i]) == 0, "method_name");
    CHECK(s->length_public_key == lens[i][0] && s->length_secret_key == lens[i][1] && s->length_signature == lens[i][2], "lengths");
    CHECK(s->sig_with_ctx_support, "ctx support flag");
    size_t outlen = 0;
    const uint8_t ctx[3] = {1, 2, 3};
    uint8_t big_ctx[256] = {0};
    CHECK(OQS_SIG_keypair(s, pk, sk) == OQS_SUCCESS, "keypair");
    CHECK(OQS_SIG_sign(s, sig, &outlen, msg, msglen, sk) == OQS_SUCCESS && outlen == lens[i][2], "sign");
    CHECK(OQS_SIG_verify(s, msg, msglen, sig, outlen, pk) == OQS_SUCCESS, "verify own signature");
    CHECK(OQS_SIG_verify_with_ctx_str(s, msg, msglen, sig, outlen, ctx, 3, pk) == OQS_ERROR, "context ignored");
    CHECK(OQS_SIG_sign_with_ctx_str(s, sig, &outlen, msg, msglen, ctx, 3, sk) == OQS_SUCCESS, "sign with ctx");
    CHECK(OQS_SIG_verify_with_ctx_str(s, msg, msglen, sig, outlen, ctx, 3, pk) == OQS_SUCCESS, "verify with ctx");
    CHECK(OQS_SIG_verify(s, msg, msglen, sig, outlen, pk) == OQS_ERROR, "ctx signature verified without ctx");
    CHECK(OQS_SIG_sign_with_ctx_str(s, sig, &outlen, msg, msglen, big_ctx, 256, sk) == OQS_ERROR, "256-byte context accepted");
    CHECK(OQS_SIG_sign(s, sig, &outlen, msg, msglen, sk) == OQS_SUCCESS, "sign again");
    CHECK(OQS_SIG_sign(s, sig2, &outlen, msg, msglen, sk) == OQS_SUCCESS && memcmp(sig, sig2, outlen) != 0, "signing is not hedged");
    OQS_SIG_free(s);
  }

  check_rounding();
  check_ntt();

  free(seed); free(pk_want); free(msg); free(sig_want);
  if (failures) {
    fprintf(stderr, "%d ML-DSA native check(s) failed\n", failures);
    return 1;
  }
  printf("ML-DSA native checks passed\n");
  return 0;
}
