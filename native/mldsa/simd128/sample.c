/*
 * SIMD128 twin of ../sample.c: the same samplers, but ExpandA, ExpandS and
 * the paired ExpandMask run two SHAKE instances side by side through the 2-way Keccak
 * (fips202x2.h), whose SIMD128 build permutes both states in one pass.
 * Outputs are identical to the scalar file (each lane is plain SHAKE).
 */
#include <string.h>
#include <wasm_simd128.h>
#include "../mldsa.h"
#include "../../fips202/fips202.h"
#include "../../fips202/fips202x2.h"

#define Q QS_MLDSA_Q

/* Candidates are 23-bit integers from 3 bytes; A-hat is public, so plain
 * branches and table lookups on the accept pattern are fine here. Four
 * candidates (12 bytes) per step: widen to lanes, mask, compare with q, and
 * move the accepted lanes to the front with a shuffle chosen by the 4-bit
 * accept mask. The vector path stores four lanes, so it runs only while at
 * least four slots are free; the scalar loop finishes. Returns how many
 * coefficients were filled. */
static const uint8_t compact_idx[16][16] = {
#define L0 0, 1, 2, 3
#define L1 4, 5, 6, 7
#define L2 8, 9, 10, 11
#define L3 12, 13, 14, 15
#define Z 128, 128, 128, 128
  {Z, Z, Z, Z},     {L0, Z, Z, Z},     {L1, Z, Z, Z},     {L0, L1, Z, Z},
  {L2, Z, Z, Z},    {L0, L2, Z, Z},    {L1, L2, Z, Z},    {L0, L1, L2, Z},
  {L3, Z, Z, Z},    {L0, L3, Z, Z},    {L1, L3, Z, Z},    {L0, L1, L3, Z},
  {L2, L3, Z, Z},   {L0, L2, L3, Z},   {L1, L2, L3, Z},   {L0, L1, L2, L3},
#undef L0
#undef L1
#undef L2
#undef L3
#undef Z
};

static unsigned rej_uniform(int32_t *a, unsigned ctr, const uint8_t *buf, size_t len) {
  size_t pos = 0;
  const v128_t spread = wasm_i8x16_make(0, 1, 2, -128, 3, 4, 5, -128, 6, 7, 8, -128, 9, 10, 11, -128);
  const v128_t mask23 = wasm_i32x4_splat(0x7FFFFF), q = wasm_i32x4_splat(Q);
  while (ctr + 4 <= 256 && pos + 16 <= len) {
    v128_t v = wasm_v128_and(wasm_i8x16_swizzle(wasm_v128_load(buf + pos), spread), mask23);
    unsigned bits = (unsigned)wasm_i32x4_bitmask(wasm_i32x4_lt(v, q));
    wasm_v128_store(a + ctr, wasm_i8x16_swizzle(v, wasm_v128_load(compact_idx[bits])));
    ctr += (unsigned)__builtin_popcount(bits);
    pos += 12;
  }
  for (; ctr < 256 && pos + 3 <= len; pos += 3) {
    uint32_t t = (uint32_t)buf[pos] | ((uint32_t)buf[pos + 1] << 8) | ((uint32_t)(buf[pos + 2] & 0x7F) << 16);
    if (t < Q) a[ctr++] = (int32_t)t;
  }
  return ctr;
}

void qs_mldsa_expand_a(qs_poly *a, const uint8_t rho[32], int k, int l) {
  uint8_t buf0[5 * QS_SHAKE128_RATE], buf1[5 * QS_SHAKE128_RATE];
  uint8_t in0[34], in1[34];
  const int n = k * l;
  memcpy(in0, rho, 32);
  memcpy(in1, rho, 32);
  int idx = 0;
  for (; idx + 1 < n; idx += 2) {
    qs_keccakx2_state st;
    in0[32] = (uint8_t)(idx % l); /* column s, then row r: public indices */
    in0[33] = (uint8_t)(idx / l);
    in1[32] = (uint8_t)((idx + 1) % l);
    in1[33] = (uint8_t)((idx + 1) / l);
    qs_shake128x2_absorb(&st, in0, in1, 34);
    qs_shake128x2_squeezeblocks(buf0, buf1, 5, &st);
    unsigned c0 = rej_uniform(a[idx].c, 0, buf0, sizeof buf0);
    unsigned c1 = rej_uniform(a[idx + 1].c, 0, buf1, sizeof buf1);
    while (c0 < 256 || c1 < 256) {
      qs_shake128x2_squeezeblocks(buf0, buf1, 1, &st);
      c0 = rej_uniform(a[idx].c, c0, buf0, QS_SHAKE128_RATE);
      c1 = rej_uniform(a[idx + 1].c, c1, buf1, QS_SHAKE128_RATE);
    }
  }
  if (idx < n) {
    qs_keccak_state st;
    in0[32] = (uint8_t)(idx % l);
    in0[33] = (uint8_t)(idx / l);
    qs_shake128_init(&st);
    qs_keccak_absorb(&st, in0, 34);
    qs_keccak_finalize(&st);
    qs_keccak_squeezeblocks(&st, buf0, 5);
    unsigned c0 = rej_uniform(a[idx].c, 0, buf0, sizeof buf0);
    while (c0 < 256) {
      qs_keccak_squeezeblocks(&st, buf0, 1);
      c0 = rej_uniform(a[idx].c, c0, buf0, QS_SHAKE128_RATE);
    }
  }
}

#include "../rej_bounded.h"

/* rej_eta, sixteen nibbles (8 bytes) per step while at least 16 slots are
 * free, then the scalar rej_eta finishes. Same order, same output. The
 * keep mask picks a compaction shuffle from compact_idx: it is the
 * discarded-sample information rej_eta already declassifies, and the
 * coefficient values only pass through lane-wise arithmetic. */
static unsigned rej_eta_vec(int32_t tmp[257], unsigned ctr, const uint8_t *buf, size_t len, int eta) {
  size_t pos = 0;
  const v128_t low4 = wasm_i8x16_splat(0x0F);
  while (ctr + 16 <= 256 && pos + 8 <= len) {
    v128_t v = wasm_v128_load64_zero(buf + pos);
    v128_t n = wasm_i8x16_shuffle(wasm_v128_and(v, low4), wasm_u8x16_shr(v, 4), 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5,
                                  21, 6, 22, 7, 23);
    v128_t keep, coeff;
    if (eta == 2) { /* public parameter; n mod 5 by two compare-and-subtract steps */
      keep = wasm_u8x16_lt(n, wasm_i8x16_splat(15));
      const v128_t five = wasm_i8x16_splat(5);
      v128_t m = wasm_i8x16_sub(n, wasm_v128_and(wasm_u8x16_gt(n, wasm_i8x16_splat(4)), five));
      m = wasm_i8x16_sub(m, wasm_v128_and(wasm_u8x16_gt(n, wasm_i8x16_splat(9)), five));
      coeff = wasm_i8x16_sub(wasm_i8x16_splat(2), m);
    } else {
      keep = wasm_u8x16_lt(n, wasm_i8x16_splat(9));
      coeff = wasm_i8x16_sub(wasm_i8x16_splat(4), n);
    }
    uint32_t bits = (uint32_t)wasm_i8x16_bitmask(keep);
    QS_DECLASSIFY(&bits, sizeof bits);
    v128_t lo = wasm_i16x8_extend_low_i8x16(coeff), hi = wasm_i16x8_extend_high_i8x16(coeff);
    v128_t q[4] = {wasm_i32x4_extend_low_i16x8(lo), wasm_i32x4_extend_high_i16x8(lo), wasm_i32x4_extend_low_i16x8(hi),
                   wasm_i32x4_extend_high_i16x8(hi)};
    for (unsigned g = 0; g < 4; g++) {
      unsigned m4 = (bits >> (4 * g)) & 15u;
      wasm_v128_store(tmp + ctr, wasm_i8x16_swizzle(q[g], wasm_v128_load(compact_idx[m4])));
      ctr += (unsigned)__builtin_popcount(m4);
    }
    pos += 8;
  }
  return rej_eta(tmp, ctr, buf + pos, len - pos, eta);
}


void qs_mldsa_expand_s(qs_poly *s1, qs_poly *s2, const uint8_t rhoprime[64], int k, int l, int eta) {
  uint8_t in0[66], in1[66];
  uint8_t buf0[2 * QS_SHAKE256_RATE], buf1[2 * QS_SHAKE256_RATE];
  int32_t tmp0[257], tmp1[257];
  const int n = k + l;
  memcpy(in0, rhoprime, 64);
  memcpy(in1, rhoprime, 64);
  int r = 0;
  for (; r + 1 < n; r += 2) {
    qs_keccakx2_state st;
    in0[64] = (uint8_t)r;
    in0[65] = 0;
    in1[64] = (uint8_t)(r + 1);
    in1[65] = 0;
    qs_shake256x2_absorb(&st, in0, in1, 66);
    qs_shake256x2_squeezeblocks(buf0, buf1, 2, &st);
    unsigned c0 = rej_eta_vec(tmp0, 0, buf0, sizeof buf0, eta);
    unsigned c1 = rej_eta_vec(tmp1, 0, buf1, sizeof buf1, eta);
    /* Both lanes keep squeezing until both are full: whether a lane needed
     * more blocks is the same discarded-sample information as in rej_eta. */
    while (c0 < 256 || c1 < 256) {
      qs_shake256x2_squeezeblocks(buf0, buf1, 1, &st);
      c0 = rej_eta_vec(tmp0, c0, buf0, QS_SHAKE256_RATE, eta);
      c1 = rej_eta_vec(tmp1, c1, buf1, QS_SHAKE256_RATE, eta);
    }
    memcpy(r < l ? s1[r].c : s2[r - l].c, tmp0, sizeof s1[0].c);
    memcpy(r + 1 < l ? s1[r + 1].c : s2[r + 1 - l].c, tmp1, sizeof s1[0].c);
    qs_zeroize(&st, sizeof st);
  }
  if (r < n) rej_bounded_poly(r < l ? &s1[r] : &s2[r - l], rhoprime, (uint16_t)r, eta);
  qs_zeroize(tmp0, sizeof tmp0);
  qs_zeroize(tmp1, sizeof tmp1);
  qs_zeroize(buf0, sizeof buf0);
  qs_zeroize(buf1, sizeof buf1);
  qs_zeroize(in0, sizeof in0);
  qs_zeroize(in1, sizeof in1);
}

/* BitUnpack(y, gamma1 - 1, gamma1) of one squeezed mask polynomial. */
static void unpack_mask(int32_t *c, const uint8_t *buf, int32_t gamma1) {
  if (gamma1 == (1 << 17)) {
    for (unsigned i = 0; i < 64; i++) {
      const uint8_t *b = buf + 9 * i;
      uint64_t v = qs_load64_le(b);
      c[4 * i + 0] = gamma1 - (int32_t)(v & 0x3FFFF);
      c[4 * i + 1] = gamma1 - (int32_t)((v >> 18) & 0x3FFFF);
      c[4 * i + 2] = gamma1 - (int32_t)((v >> 36) & 0x3FFFF);
      c[4 * i + 3] = gamma1 - (int32_t)(((v >> 54) | ((uint64_t)b[8] << 10)) & 0x3FFFF);
    }
  } else {
    for (unsigned i = 0; i < 128; i++) {
      const uint8_t *b = buf + 5 * i;
      uint64_t v = (uint64_t)qs_load32_le(b) | ((uint64_t)b[4] << 32);
      c[2 * i + 0] = gamma1 - (int32_t)(v & 0xFFFFF);
      c[2 * i + 1] = gamma1 - (int32_t)((v >> 20) & 0xFFFFF);
    }
  }
}

void qs_mldsa_expand_mask_x2(qs_poly *y0, qs_poly *y1, const uint8_t rhopp[64], uint16_t n0, uint16_t n1,
                             int32_t gamma1) {
  uint8_t in0[66], in1[66];
  uint8_t buf0[5 * QS_SHAKE256_RATE], buf1[5 * QS_SHAKE256_RATE];
  qs_keccakx2_state st;
  memcpy(in0, rhopp, 64);
  memcpy(in1, rhopp, 64);
  in0[64] = (uint8_t)n0;
  in0[65] = (uint8_t)(n0 >> 8);
  in1[64] = (uint8_t)n1;
  in1[65] = (uint8_t)(n1 >> 8);
  qs_shake256x2_absorb(&st, in0, in1, 66);
  qs_shake256x2_squeezeblocks(buf0, buf1, 5, &st);
  unpack_mask(y0->c, buf0, gamma1);
  unpack_mask(y1->c, buf1, gamma1);
  qs_zeroize(&st, sizeof st);
  qs_zeroize(buf0, sizeof buf0);
  qs_zeroize(buf1, sizeof buf1);
  qs_zeroize(in0, sizeof in0);
  qs_zeroize(in1, sizeof in1);
}

#include "../ball_stream.h"

void qs_mldsa_sample_in_ball(qs_poly *c, const uint8_t *ctilde, size_t ctilde_len, int tau) {
  ball_stream s;
  /* c is built in one byte per coefficient (every value is 0 or +-1), so a
   * vector covers 16 slots and the scan over slots 0..i takes at most 16
   * steps instead of 64; it is widened to 32 bits at the end. */
  int8_t cb[256] __attribute__((aligned(16)));
  uint64_t signs = ball_start(&s, ctilde, ctilde_len);
  memset(cb, 0, sizeof cb);
  for (unsigned i = 256 - (unsigned)tau; i < 256; i++) {
    uint32_t j = ball_next(&s, i);
    /* c[i] <- c[j]; c[j] <- +-1, as a scan over every slot <= i so that the
     * accessed addresses do not depend on j: c of a rejected signing attempt
     * is never published. */
    int8_t sign = (int8_t)(1 - 2 * (int32_t)(signs & 1));
    signs >>= 1;
    /* One vector pass over the groups of 16 that cover 0..i: gather c[j]
     * and write the sign into slot j. Slots above i are still zero and never
     * equal j, so covering a few extra is harmless. Then c[i] = old c[j],
     * except when j == i, where slot i must keep the sign; that case is a
     * mask, not a branch. */
    const v128_t jv = wasm_i8x16_splat((int8_t)j), sv = wasm_i8x16_splat(sign), step = wasm_i8x16_splat(16);
    v128_t idx = wasm_i8x16_make(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), acc = wasm_i8x16_splat(0);
    const unsigned groups = (i >> 4) + 1;
    for (unsigned g = 0; g < groups; g++) {
      v128_t eq = wasm_i8x16_eq(idx, jv), v = wasm_v128_load(cb + 16 * g);
      acc = wasm_v128_or(acc, wasm_v128_and(v, eq));
      wasm_v128_store(cb + 16 * g, wasm_v128_bitselect(sv, v, eq));
      idx = wasm_i8x16_add(idx, step);
    }
    acc = wasm_v128_or(acc, wasm_i64x2_shuffle(acc, acc, 1, 0));
    acc = wasm_v128_or(acc, wasm_u64x2_shr(acc, 32));
    acc = wasm_v128_or(acc, wasm_u64x2_shr(acc, 16));
    acc = wasm_v128_or(acc, wasm_u64x2_shr(acc, 8));
    uint32_t d = i ^ j;
    int32_t same = -(int32_t)(((d | (0u - d)) >> 31) ^ 1u);
    cb[i] = (int8_t)((wasm_i8x16_extract_lane(acc, 0) & ~same) | (sign & same));
  }
  for (unsigned g = 0; g < 16; g++) {
    v128_t v = wasm_v128_load(cb + 16 * g);
    v128_t lo = wasm_i16x8_extend_low_i8x16(v), hi = wasm_i16x8_extend_high_i8x16(v);
    wasm_v128_store(c->c + 16 * g, wasm_i32x4_extend_low_i16x8(lo));
    wasm_v128_store(c->c + 16 * g + 4, wasm_i32x4_extend_high_i16x8(lo));
    wasm_v128_store(c->c + 16 * g + 8, wasm_i32x4_extend_low_i16x8(hi));
    wasm_v128_store(c->c + 16 * g + 12, wasm_i32x4_extend_high_i16x8(hi));
  }
  qs_zeroize(cb, sizeof cb);
  ball_end(&s);
}
