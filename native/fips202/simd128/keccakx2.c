/*
 * SIMD128 twin of ../keccakx2.c: lane j of both states lives in one v128
 * (i64x2: element 0 = state 0, element 1 = state 1), so every step mapping
 * of Keccak-f runs once for two permutations. wasm has no 64-bit vector
 * rotate, so rotations are shl/shr/or; rotations by 0 are skipped at compile
 * time. All indices are public, so this is constant time.
 */
#include <string.h>
#include <wasm_simd128.h>
#include "../../common/qs_common.h"
#include "../fips202x2.h"

static const uint64_t round_constants[24] = {
  0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
  0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
  0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
  0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
  0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
  0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define ROLV(x, n) wasm_v128_or(wasm_i64x2_shl((x), (n)), wasm_u64x2_shr((x), 64 - (n)))
#define XOR(a, b) wasm_v128_xor((a), (b))
/* χ: a ^ (~b & c); v128_andnot(x, y) is x & ~y */
#define CHI(a, b, c) wasm_v128_xor((a), wasm_v128_andnot((c), (b)))

void qs_keccakf1600x2(uint64_t s[50]) {
  v128_t a[25];
  for (int j = 0; j < 25; j++) a[j] = wasm_v128_load(&s[2 * j]);
  for (int round = 0; round < 24; round++) {
    v128_t c0 = XOR(XOR(XOR(a[0], a[5]), XOR(a[10], a[15])), a[20]);
    v128_t c1 = XOR(XOR(XOR(a[1], a[6]), XOR(a[11], a[16])), a[21]);
    v128_t c2 = XOR(XOR(XOR(a[2], a[7]), XOR(a[12], a[17])), a[22]);
    v128_t c3 = XOR(XOR(XOR(a[3], a[8]), XOR(a[13], a[18])), a[23]);
    v128_t c4 = XOR(XOR(XOR(a[4], a[9]), XOR(a[14], a[19])), a[24]);
    v128_t d0 = XOR(c4, ROLV(c1, 1));
    v128_t d1 = XOR(c0, ROLV(c2, 1));
    v128_t d2 = XOR(c1, ROLV(c3, 1));
    v128_t d3 = XOR(c2, ROLV(c4, 1));
    v128_t d4 = XOR(c3, ROLV(c0, 1));

    v128_t b00 = XOR(a[0], d0);
    v128_t b10 = ROLV(XOR(a[1], d1), 1);
    v128_t b20 = ROLV(XOR(a[2], d2), 62);
    v128_t b05 = ROLV(XOR(a[3], d3), 28);
    v128_t b15 = ROLV(XOR(a[4], d4), 27);
    v128_t b16 = ROLV(XOR(a[5], d0), 36);
    v128_t b01 = ROLV(XOR(a[6], d1), 44);
    v128_t b11 = ROLV(XOR(a[7], d2), 6);
    v128_t b21 = ROLV(XOR(a[8], d3), 55);
    v128_t b06 = ROLV(XOR(a[9], d4), 20);
    v128_t b07 = ROLV(XOR(a[10], d0), 3);
    v128_t b17 = ROLV(XOR(a[11], d1), 10);
    v128_t b02 = ROLV(XOR(a[12], d2), 43);
    v128_t b12 = ROLV(XOR(a[13], d3), 25);
    v128_t b22 = ROLV(XOR(a[14], d4), 39);
    v128_t b23 = ROLV(XOR(a[15], d0), 41);
    v128_t b08 = ROLV(XOR(a[16], d1), 45);
    v128_t b18 = ROLV(XOR(a[17], d2), 15);
    v128_t b03 = ROLV(XOR(a[18], d3), 21);
    v128_t b13 = ROLV(XOR(a[19], d4), 8);
    v128_t b14 = ROLV(XOR(a[20], d0), 18);
    v128_t b24 = ROLV(XOR(a[21], d1), 2);
    v128_t b09 = ROLV(XOR(a[22], d2), 61);
    v128_t b19 = ROLV(XOR(a[23], d3), 56);
    v128_t b04 = ROLV(XOR(a[24], d4), 14);

    a[0] = XOR(CHI(b00, b01, b02), wasm_i64x2_splat((int64_t)round_constants[round]));
    a[1] = CHI(b01, b02, b03);
    a[2] = CHI(b02, b03, b04);
    a[3] = CHI(b03, b04, b00);
    a[4] = CHI(b04, b00, b01);
    a[5] = CHI(b05, b06, b07);
    a[6] = CHI(b06, b07, b08);
    a[7] = CHI(b07, b08, b09);
    a[8] = CHI(b08, b09, b05);
    a[9] = CHI(b09, b05, b06);
    a[10] = CHI(b10, b11, b12);
    a[11] = CHI(b11, b12, b13);
    a[12] = CHI(b12, b13, b14);
    a[13] = CHI(b13, b14, b10);
    a[14] = CHI(b14, b10, b11);
    a[15] = CHI(b15, b16, b17);
    a[16] = CHI(b16, b17, b18);
    a[17] = CHI(b17, b18, b19);
    a[18] = CHI(b18, b19, b15);
    a[19] = CHI(b19, b15, b16);
    a[20] = CHI(b20, b21, b22);
    a[21] = CHI(b21, b22, b23);
    a[22] = CHI(b22, b23, b24);
    a[23] = CHI(b23, b24, b20);
    a[24] = CHI(b24, b20, b21);
  }
  for (int j = 0; j < 25; j++) wasm_v128_store(&s[2 * j], a[j]);
}

int qs_keccakx2_absorb_once(qs_keccakx2_state *st, uint32_t rate, const uint8_t *in0, size_t len0, uint8_t ds0,
                            const uint8_t *in1, size_t len1, uint8_t ds1) {
  if (len0 / rate != len1 / rate) return QS_ERR_INVALID_ARGUMENT; /* public lengths */
  memset(st->s, 0, sizeof st->s);
  while (len0 >= rate) {
    for (uint32_t j = 0; j < rate / 8; j++) {
      v128_t w = wasm_i64x2_make((int64_t)qs_load64_le(in0 + 8 * j), (int64_t)qs_load64_le(in1 + 8 * j));
      wasm_v128_store(&st->s[2 * j], XOR(wasm_v128_load(&st->s[2 * j]), w));
    }
    qs_keccakf1600x2(st->s);
    in0 += rate;
    in1 += rate;
    len0 -= rate;
    len1 -= rate;
  }
  for (size_t i = 0; i < len0; i++) st->s[2 * (i >> 3)] ^= (uint64_t)in0[i] << (8 * (i & 7));
  for (size_t i = 0; i < len1; i++) st->s[2 * (i >> 3) + 1] ^= (uint64_t)in1[i] << (8 * (i & 7));
  st->s[2 * (len0 >> 3)] ^= (uint64_t)ds0 << (8 * (len0 & 7));
  st->s[2 * (len1 >> 3) + 1] ^= (uint64_t)ds1 << (8 * (len1 & 7));
  for (int l = 0; l < 2; l++) st->s[2 * ((rate - 1) >> 3) + l] ^= 0x80ULL << (8 * ((rate - 1) & 7));
  return QS_OK;
}

void qs_keccakx2_squeezeblocks(uint8_t *out0, uint8_t *out1, size_t nblocks, uint32_t rate, qs_keccakx2_state *st) {
  while (nblocks--) {
    qs_keccakf1600x2(st->s);
    /* wasm is little-endian, so each 64-bit element is already in byte order */
    for (uint32_t j = 0; j < rate / 8; j++) {
      v128_t w = wasm_v128_load(&st->s[2 * j]);
      wasm_v128_store64_lane(out0 + 8 * j, w, 0);
      wasm_v128_store64_lane(out1 + 8 * j, w, 1);
    }
    out0 += rate;
    out1 += rate;
  }
}

void qs_shake128x2_absorb(qs_keccakx2_state *st, const uint8_t *in0, const uint8_t *in1, size_t inlen) {
  (void)qs_keccakx2_absorb_once(st, QS_SHAKE128_RATE, in0, inlen, 0x1F, in1, inlen, 0x1F);
}
void qs_shake128x2_squeezeblocks(uint8_t *out0, uint8_t *out1, size_t nblocks, qs_keccakx2_state *st) {
  qs_keccakx2_squeezeblocks(out0, out1, nblocks, QS_SHAKE128_RATE, st);
}
void qs_shake256x2_absorb(qs_keccakx2_state *st, const uint8_t *in0, const uint8_t *in1, size_t inlen) {
  (void)qs_keccakx2_absorb_once(st, QS_SHAKE256_RATE, in0, inlen, 0x1F, in1, inlen, 0x1F);
}
void qs_shake256x2_squeezeblocks(uint8_t *out0, uint8_t *out1, size_t nblocks, qs_keccakx2_state *st) {
  qs_keccakx2_squeezeblocks(out0, out1, nblocks, QS_SHAKE256_RATE, st);
}
