/*
 * Native sanity test of the X25519 core (npm run test:native, ASan + UBSan):
 * RFC 7748 §5.2 test vectors including the iterated one (1 and 1,000 rounds;
 * 1,000,000 with QSIGN_X25519_MILLION=1), the §6.1 Diffie-Hellman example,
 * low-order inputs giving all zeros, bit 255 of u ignored, non-canonical u
 * reduced, and agreement of both sides of random exchanges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../native/x25519/x25519.h"

static int failures = 0;

static void unhex(uint8_t *out, const char *hex) {
  for (size_t i = 0; i < 32; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    out[i] = (uint8_t)v;
  }
}

static void expect(const char *what, const uint8_t got[32], const char *want_hex) {
  uint8_t want[32];
  unhex(want, want_hex);
  if (memcmp(got, want, 32) != 0) {
    fprintf(stderr, "FAIL %s: got ", what);
    for (int i = 0; i < 32; i++) fprintf(stderr, "%02x", got[i]);
    fprintf(stderr, "\n");
    failures++;
  }
}

static void vector(const char *what, const char *k_hex, const char *u_hex, const char *out_hex) {
  uint8_t k[32], u[32], out[32];
  unhex(k, k_hex);
  unhex(u, u_hex);
  qs_x25519_scalarmult(out, k, u);
  expect(what, out, out_hex);
}

static uint64_t rng = 0x243F6A8885A308D3ULL;
static void fill(uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    p[i] = (uint8_t)(rng >> 24);
  }
}

int main(void) {
  /* RFC 7748 §5.2 */
  vector("rfc7748 5.2 #1", "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
         "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
         "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  vector("rfc7748 5.2 #2", "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
         "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
         "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");

  /* Iterated: k = u = 9; k, u = X25519(k, u), k. */
  {
    uint8_t k[32] = { 9 }, u[32] = { 9 }, r[32];
    const char *million = getenv("QSIGN_X25519_MILLION");
    const long rounds = million && million[0] == '1' ? 1000000 : 1000;
    for (long i = 1; i <= rounds; i++) {
      qs_x25519_scalarmult(r, k, u);
      memcpy(u, k, 32);
      memcpy(k, r, 32);
      if (i == 1) expect("rfc7748 iterated x1", k, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
      if (i == 1000) expect("rfc7748 iterated x1000", k, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
      if (i == 1000000) expect("rfc7748 iterated x1000000", k, "7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f887424");
    }
  }

  /* RFC 7748 §6.1 */
  {
    uint8_t a[32], b[32], pa[32], pb[32], s1[32], s2[32];
    unhex(a, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    unhex(b, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    qs_x25519_scalarmult_base(pa, a);
    qs_x25519_scalarmult_base(pb, b);
    expect("rfc7748 6.1 alice pk", pa, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    expect("rfc7748 6.1 bob pk", pb, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    qs_x25519_scalarmult(s1, a, pb);
    qs_x25519_scalarmult(s2, b, pa);
    expect("rfc7748 6.1 shared (alice)", s1, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    expect("rfc7748 6.1 shared (bob)", s2, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  }

  /* Low-order u (0, 1, p-1, the two order-8 points, and p, p+1 non-canonical) give zeros. */
  {
    const char *low[] = {
      "0000000000000000000000000000000000000000000000000000000000000000",
      "0100000000000000000000000000000000000000000000000000000000000000",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
      "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };
    uint8_t k[32], u[32], out[32];
    fill(k, 32);
    for (size_t i = 0; i < sizeof low / sizeof low[0]; i++) {
      unhex(u, low[i]);
      qs_x25519_scalarmult(out, k, u);
      expect("low-order u gives zeros", out, "0000000000000000000000000000000000000000000000000000000000000000");
    }
  }

  /* Bit 255 of u is ignored; u + p gives the same result as u (u < 2^255 - p). */
  {
    uint8_t k[32], u[32], u2[32], o1[32], o2[32];
    for (int trial = 0; trial < 64; trial++) {
      fill(k, 32);
      fill(u, 32);
      u[31] &= 0x7f;
      memcpy(u2, u, 32);
      u2[31] |= 0x80;
      qs_x25519_scalarmult(o1, k, u);
      qs_x25519_scalarmult(o2, k, u2);
      if (memcmp(o1, o2, 32) != 0) { fprintf(stderr, "FAIL bit 255 not ignored\n"); failures++; }
      /* u in [0, 18] and u + p in [p, 2^255): same point. */
      memset(u, 0, 32);
      u[0] = (uint8_t)(trial % 19);
      memset(u2, 0xff, 32);
      u2[31] = 0x7f;
      u2[0] = (uint8_t)(0xed + trial % 19);
      qs_x25519_scalarmult(o1, k, u);
      qs_x25519_scalarmult(o2, k, u2);
      if (memcmp(o1, o2, 32) != 0) { fprintf(stderr, "FAIL non-canonical u not reduced\n"); failures++; }
    }
  }

  /* Random exchanges agree; output is canonical (< p). */
  {
    uint8_t a[32], b[32], pa[32], pb[32], s1[32], s2[32];
    for (int trial = 0; trial < 200; trial++) {
      fill(a, 32);
      fill(b, 32);
      qs_x25519_scalarmult_base(pa, a);
      qs_x25519_scalarmult_base(pb, b);
      qs_x25519_scalarmult(s1, a, pb);
      qs_x25519_scalarmult(s2, b, pa);
      if (memcmp(s1, s2, 32) != 0) { fprintf(stderr, "FAIL exchange %d disagrees\n", trial); failures++; }
      if (s1[31] & 0x80) { fprintf(stderr, "FAIL output bit 255 set\n"); failures++; }
    }
  }

  printf("x25519_test: %s\n", failures ? "FAILED" : "all checks passed");
  return failures ? 1 : 0;
}
