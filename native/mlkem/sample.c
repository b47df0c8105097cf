/*
 * Matrix and noise expansion (FIPS 203 Alg 13 lines 3-16, Alg 14 lines
 * 4-17) on the 2-way SHAKE; the per-byte samplers are in rej.c and cbd.c
 * (each with a SIMD128 twin).
 */
#include <string.h>
#include "../fips202/fips202.h"
#include "../fips202/fips202x2.h"
#include "mlkem.h"

#define Q QS_MLKEM_Q
/* 3 blocks give >= 256 accepted values in about 99% of cases; the rest
 * squeeze one more block at a time. */
#define GEN_BLOCKS 3
#define GEN_BUFLEN (GEN_BLOCKS * QS_SHAKE128_RATE)

static void seed_for(uint8_t out[34], const uint8_t rho[32], int i, int j, int transposed) {
  memcpy(out, rho, 32);
  /* Â[i][j] absorbs ρ‖j‖i; the transpose swaps the two bytes */
  out[32] = (uint8_t)(transposed ? i : j);
  out[33] = (uint8_t)(transposed ? j : i);
}

void qs_mlkem_gen_matrix(qs_mlkem_poly *a, const uint8_t rho[32], int k, int transposed) {
  _Alignas(16) uint8_t buf0[GEN_BUFLEN], buf1[GEN_BUFLEN];
  uint8_t in0[34], in1[34];
  qs_keccakx2_state st;
  const int total = k * k;
  /* entry idx is row idx/k, column idx%k; tabulated so no division appears
   * (the values are public, but a division-free file is easier to audit) */
  uint8_t row[QS_MLKEM_KMAX * QS_MLKEM_KMAX], col[QS_MLKEM_KMAX * QS_MLKEM_KMAX];
  for (int i = 0, n = 0; i < k; i++)
    for (int j = 0; j < k; j++, n++) {
      row[n] = (uint8_t)i;
      col[n] = (uint8_t)j;
    }
  int idx = 0;
  for (; idx + 1 < total; idx += 2) {
    seed_for(in0, rho, row[idx], col[idx], transposed);
    seed_for(in1, rho, row[idx + 1], col[idx + 1], transposed);
    qs_shake128x2_absorb(&st, in0, in1, 34);
    qs_shake128x2_squeezeblocks(buf0, buf1, GEN_BLOCKS, &st);
    int16_t *r0 = a[idx].c, *r1 = a[idx + 1].c;
    unsigned n0 = qs_mlkem_rej_uniform(r0, QS_MLKEM_N, buf0, GEN_BUFLEN);
    unsigned n1 = qs_mlkem_rej_uniform(r1, QS_MLKEM_N, buf1, GEN_BUFLEN);
    while (n0 < QS_MLKEM_N || n1 < QS_MLKEM_N) {
      qs_shake128x2_squeezeblocks(buf0, buf1, 1, &st);
      n0 += qs_mlkem_rej_uniform(r0 + n0, QS_MLKEM_N - n0, buf0, QS_SHAKE128_RATE);
      n1 += qs_mlkem_rej_uniform(r1 + n1, QS_MLKEM_N - n1, buf1, QS_SHAKE128_RATE);
    }
  }
  if (idx < total) {
    qs_keccak_state one;
    qs_shake128_init(&one);
    seed_for(in0, rho, row[idx], col[idx], transposed);
    qs_keccak_absorb(&one, in0, 34);
    qs_keccak_finalize(&one);
    qs_keccak_squeezeblocks(&one, buf0, GEN_BLOCKS);
    unsigned n0 = qs_mlkem_rej_uniform(a[idx].c, QS_MLKEM_N, buf0, GEN_BUFLEN);
    while (n0 < QS_MLKEM_N) {
      qs_keccak_squeezeblocks(&one, buf0, 1);
      n0 += qs_mlkem_rej_uniform(a[idx].c + n0, QS_MLKEM_N - n0, buf0, QS_SHAKE128_RATE);
    }
    qs_zeroize(&one, sizeof one);
  }
  /* ρ is public once ek is, but in keygen it is derived from the secret d */
  qs_zeroize(buf0, sizeof buf0);
  qs_zeroize(buf1, sizeof buf1);
  qs_zeroize(in0, sizeof in0);
  qs_zeroize(in1, sizeof in1);
  qs_zeroize(&st, sizeof st);
}

/* 2 SHAKE256 blocks cover 64·η bytes for η <= 3 */
#define NOISE_BUFLEN (2 * QS_SHAKE256_RATE)

void qs_mlkem_sample_noise(qs_mlkem_poly *const *r, const int *eta, const uint8_t *nonce, int n, const uint8_t seed[32]) {
  _Alignas(16) uint8_t buf0[NOISE_BUFLEN], buf1[NOISE_BUFLEN];
  uint8_t in0[33], in1[33];
  qs_keccakx2_state st;
  memcpy(in0, seed, 32);
  memcpy(in1, seed, 32);
  int i = 0;
  for (; i + 1 < n; i += 2) {
    in0[32] = nonce[i];
    in1[32] = nonce[i + 1];
    int maxeta = eta[i] > eta[i + 1] ? eta[i] : eta[i + 1];
    size_t blocks = 64 * maxeta > QS_SHAKE256_RATE ? 2 : 1; /* 128 or 192 bytes */
    qs_shake256x2_absorb(&st, in0, in1, 33);
    qs_shake256x2_squeezeblocks(buf0, buf1, blocks, &st);
    qs_mlkem_poly_cbd(r[i], buf0, eta[i]);
    qs_mlkem_poly_cbd(r[i + 1], buf1, eta[i + 1]);
  }
  if (i < n) {
    in0[32] = nonce[i];
    qs_shake256(buf0, (size_t)(64 * eta[i]), in0, 33);
    qs_mlkem_poly_cbd(r[i], buf0, eta[i]);
  }
  qs_zeroize(buf0, sizeof buf0);
  qs_zeroize(buf1, sizeof buf1);
  qs_zeroize(in0, sizeof in0);
  qs_zeroize(in1, sizeof in1);
  qs_zeroize(&st, sizeof st);
}
