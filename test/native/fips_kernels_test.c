/*
 * Issue 18 item 15: the kernels rewritten from FIPS 203/204 (ML-KEM
 * SamplePolyCBD and SampleNTT's rejection, ML-DSA's centred reduction and
 * HintBitPack/HintBitUnpack), each checked against a literal transcription
 * of the standard's algorithm, bit by bit and loop by loop, written here with
 * the plain operations the core avoids (division, branches on data).
 * Decompose and Power2Round are checked exhaustively in mldsa_oqs_test.c.
 */
#include <stdio.h>
#include <string.h>
#include "../../native/mlkem/mlkem.h"
#include "../../native/mldsa/mldsa.h"

static int failures = 0;
#define CHECK(cond, what)                                           \
  do {                                                              \
    if (!(cond)) {                                                  \
      fprintf(stderr, "FAIL %s:%d %s\n", __FILE__, __LINE__, what); \
      failures++;                                                   \
    }                                                               \
  } while (0)

static uint64_t rng = 0x243F6A8885A308D3ULL;
static uint8_t next_byte(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint8_t)(rng >> 24);
}

/* FIPS 203 Alg 8 as written: b = BytesToBits(B); f_i = sum of b[2iη + j] - sum of b[2iη + η + j]. */
static void cbd_fips203(int16_t f[256], const uint8_t *B, int eta) {
  for (int i = 0; i < 256; i++) {
    int x = 0, y = 0;
    for (int j = 0; j < eta; j++) {
      int bx = 2 * i * eta + j, by = 2 * i * eta + eta + j;
      x += (B[bx / 8] >> (bx % 8)) & 1;
      y += (B[by / 8] >> (by % 8)) & 1;
    }
    f[i] = (int16_t)(x - y);
  }
}

static void check_cbd(void) {
  uint8_t B[192];
  int16_t want[256];
  qs_mlkem_poly got;
  long bad = 0;
  for (int trial = 0; trial < 2000; trial++) {
    int eta = 2 + (trial & 1);
    for (int i = 0; i < 64 * eta; i++) B[i] = next_byte();
    if (trial < 4) memset(B, trial < 2 ? 0x00 : 0xFF, sizeof B); /* all-zero and all-one edges */
    cbd_fips203(want, B, eta);
    qs_mlkem_poly_cbd(&got, B, eta);
    bad += memcmp(want, got.c, sizeof want) != 0;
  }
  CHECK(bad == 0, "SamplePolyCBD differs from FIPS 203 Alg 8");
}

/* FIPS 203 Alg 7's loop over a fixed byte string: the coefficients it accepts, up to `need`. */
static unsigned sample_ntt_fips203(int16_t *a, unsigned need, const uint8_t *C, unsigned len) {
  unsigned j = 0;
  for (unsigned pos = 0; j < need && pos + 3 <= len; pos += 3) {
    unsigned d1 = C[pos] + 256 * (C[pos + 1] % 16);
    unsigned d2 = C[pos + 1] / 16 + 16 * C[pos + 2];
    if (d1 < 3329) a[j++] = (int16_t)d1;
    if (d2 < 3329 && j < need) a[j++] = (int16_t)d2;
  }
  return j;
}

static void check_rej(void) {
  uint8_t C[504];
  int16_t want[256], got[256];
  long bad = 0;
  for (int trial = 0; trial < 2000; trial++) {
    /* Bias half the trials towards rejection so both branches run often. */
    for (unsigned i = 0; i < sizeof C; i++) C[i] = (uint8_t)(next_byte() | (trial & 1 ? 0xC0 : 0));
    unsigned need = 1 + (unsigned)(next_byte() % 256), len = (unsigned)(next_byte() * 2) % sizeof C;
    unsigned nw = sample_ntt_fips203(want, need, C, len);
    unsigned ng = qs_mlkem_rej_uniform(got, need, C, len);
    bad += nw != ng || memcmp(want, got, nw * sizeof want[0]) != 0;
  }
  CHECK(bad == 0, "SampleNTT rejection differs from FIPS 203 Alg 7");
}

/* qs_mldsa_poly_reduce: a representative of a mod q with |r| <= 6291200, and
 * identity on [-2^22, 2^22), for every |a| < 2^31 - 2^22. */
static void check_reduce(void) {
  const int64_t Q = QS_MLDSA_Q, lim = (1LL << 31) - (1LL << 22);
  static qs_poly a;
  long bad = 0, n = 0;
  for (int64_t base = -lim; base < lim; base += 256 * 997) {
    for (int i = 0; i < 256; i++) {
      int64_t v = base + i * 997;
      a.c[i] = (int32_t)(v < lim ? v : lim - 1);
    }
    qs_poly in = a;
    qs_mldsa_poly_reduce(&a);
    for (int i = 0; i < 256; i++, n++) {
      int64_t r = a.c[i], v = in.c[i];
      int in_small = v >= -(1 << 22) && v < (1 << 22);
      if (((v - r) % Q) != 0 || r > 6291200 || r < -6291200 || (in_small && r != v)) bad++;
    }
  }
  CHECK(n > 4000000 && bad == 0, "reduce32 is not a small representative mod q");
}

/* FIPS 204 Alg 20 HintBitPack as written. */
static void hint_pack_fips204(uint8_t *y, const qs_poly *h, int k, int omega) {
  memset(y, 0, (size_t)(omega + k));
  int index = 0;
  for (int i = 0; i < k; i++) {
    for (int j = 0; j < 256; j++)
      if (h[i].c[j] != 0) y[index++] = (uint8_t)j;
    y[omega + i] = (uint8_t)index;
  }
}

static void check_hints(void) {
  static const int levels[3] = {44, 65, 87};
  static qs_poly z[QS_MLDSA_L_MAX], h[QS_MLDSA_K_MAX], z2[QS_MLDSA_L_MAX], h2[QS_MLDSA_K_MAX];
  static uint8_t sig[QS_MLDSA_SIG_MAX], want[128], ctilde[64] = {0}, ct2[64];
  long bad_pack = 0, bad_round = 0, bad_reject = 0;
  for (int s = 0; s < 3; s++) {
    const qs_mldsa_params *p = qs_mldsa_params_get(levels[s]);
    uint8_t *y = sig + p->sig_bytes - (size_t)(p->omega + p->k);
    for (int trial = 0; trial < 300; trial++) {
      memset(h, 0, sizeof h);
      int count = trial % (p->omega + 1); /* 0 .. omega hints */
      for (int c = 0; c < count; c++) h[next_byte() % p->k].c[next_byte()] = 1; /* repeats only lower the count */
      qs_mldsa_pack_sig(p, sig, ctilde, z, h);
      hint_pack_fips204(want, h, p->k, p->omega);
      bad_pack += memcmp(y, want, (size_t)(p->omega + p->k)) != 0;
      bad_round += qs_mldsa_unpack_sig(p, ct2, z2, h2, sig) != 0 || memcmp(h, h2, sizeof(qs_poly) * (size_t)p->k) != 0;

      /* Each malformation of Alg 21 must be refused. */
      int total = y[p->omega + p->k - 1];
      uint8_t saved[128];
      memcpy(saved, y, (size_t)(p->omega + p->k));
      if (total < p->omega) { /* nonzero padding */
        y[p->omega - 1] = 1;
        bad_reject += qs_mldsa_unpack_sig(p, ct2, z2, h2, sig) == 0;
        memcpy(y, saved, (size_t)(p->omega + p->k));
      }
      y[p->omega + p->k - 1] = (uint8_t)(p->omega + 1); /* count beyond omega */
      bad_reject += qs_mldsa_unpack_sig(p, ct2, z2, h2, sig) == 0;
      memcpy(y, saved, (size_t)(p->omega + p->k));
      if (p->k > 1 && y[p->omega] > 0) { /* counts decreasing */
        y[p->omega + 1] = (uint8_t)(y[p->omega] - 1);
        bad_reject += qs_mldsa_unpack_sig(p, ct2, z2, h2, sig) == 0;
        memcpy(y, saved, (size_t)(p->omega + p->k));
      }
      if (y[p->omega] >= 2) { /* positions not ascending within h[0] */
        uint8_t t = y[0];
        y[0] = y[1];
        y[1] = t;
        bad_reject += qs_mldsa_unpack_sig(p, ct2, z2, h2, sig) == 0;
        y[1] = y[0]; /* a repeated position */
        bad_reject += qs_mldsa_unpack_sig(p, ct2, z2, h2, sig) == 0;
        memcpy(y, saved, (size_t)(p->omega + p->k));
      }
    }
  }
  CHECK(bad_pack == 0, "HintBitPack differs from FIPS 204 Alg 20");
  CHECK(bad_round == 0, "HintBitUnpack(HintBitPack(h)) != h");
  CHECK(bad_reject == 0, "HintBitUnpack accepted a malformed encoding (FIPS 204 Alg 21)");
}

int main(void) {
  check_cbd();
  check_rej();
  check_reduce();
  check_hints();
  printf("fips_kernels_test: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
