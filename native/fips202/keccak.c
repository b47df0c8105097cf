/*
 * Keccak-f[1600] and the sponge (FIPS 202 §3, §4). Written for clarity of the
 * step mappings; clang unrolls the fixed-bound loops at -O3. Keccak touches
 * only public indices, so it is constant time by construction.
 */
#include <string.h>
#include "../common/qs_common.h"
#include "fips202.h"

static const uint64_t round_constants[24] = {
  0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
  0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
  0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
  0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
  0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
  0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define ROL64(x, n) (((x) << (n)) | ((x) >> ((64 - (n)) & 63)))

void qs_keccakf1600(uint64_t a[25]) {
  for (int round = 0; round < 24; round++) {
    /* θ: each lane absorbs the parity of two neighbouring columns */
    uint64_t c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
    uint64_t c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
    uint64_t c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
    uint64_t c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
    uint64_t c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
    uint64_t d0 = c4 ^ ROL64(c1, 1);
    uint64_t d1 = c0 ^ ROL64(c2, 1);
    uint64_t d2 = c1 ^ ROL64(c3, 1);
    uint64_t d3 = c2 ^ ROL64(c4, 1);
    uint64_t d4 = c3 ^ ROL64(c0, 1);

    /* θ applied, then ρ and π fused: b[y][2x+3y] = rot(a[x][y] ^ d[x]) */
    uint64_t b00 = a[0] ^ d0;
    uint64_t b10 = ROL64(a[1] ^ d1, 1);
    uint64_t b20 = ROL64(a[2] ^ d2, 62);
    uint64_t b05 = ROL64(a[3] ^ d3, 28);
    uint64_t b15 = ROL64(a[4] ^ d4, 27);
    uint64_t b16 = ROL64(a[5] ^ d0, 36);
    uint64_t b01 = ROL64(a[6] ^ d1, 44);
    uint64_t b11 = ROL64(a[7] ^ d2, 6);
    uint64_t b21 = ROL64(a[8] ^ d3, 55);
    uint64_t b06 = ROL64(a[9] ^ d4, 20);
    uint64_t b07 = ROL64(a[10] ^ d0, 3);
    uint64_t b17 = ROL64(a[11] ^ d1, 10);
    uint64_t b02 = ROL64(a[12] ^ d2, 43);
    uint64_t b12 = ROL64(a[13] ^ d3, 25);
    uint64_t b22 = ROL64(a[14] ^ d4, 39);
    uint64_t b23 = ROL64(a[15] ^ d0, 41);
    uint64_t b08 = ROL64(a[16] ^ d1, 45);
    uint64_t b18 = ROL64(a[17] ^ d2, 15);
    uint64_t b03 = ROL64(a[18] ^ d3, 21);
    uint64_t b13 = ROL64(a[19] ^ d4, 8);
    uint64_t b14 = ROL64(a[20] ^ d0, 18);
    uint64_t b24 = ROL64(a[21] ^ d1, 2);
    uint64_t b09 = ROL64(a[22] ^ d2, 61);
    uint64_t b19 = ROL64(a[23] ^ d3, 56);
    uint64_t b04 = ROL64(a[24] ^ d4, 14);

    /* χ along rows, ι on lane (0,0) */
    a[0] = b00 ^ (~b01 & b02) ^ round_constants[round];
    a[1] = b01 ^ (~b02 & b03);
    a[2] = b02 ^ (~b03 & b04);
    a[3] = b03 ^ (~b04 & b00);
    a[4] = b04 ^ (~b00 & b01);
    a[5] = b05 ^ (~b06 & b07);
    a[6] = b06 ^ (~b07 & b08);
    a[7] = b07 ^ (~b08 & b09);
    a[8] = b08 ^ (~b09 & b05);
    a[9] = b09 ^ (~b05 & b06);
    a[10] = b10 ^ (~b11 & b12);
    a[11] = b11 ^ (~b12 & b13);
    a[12] = b12 ^ (~b13 & b14);
    a[13] = b13 ^ (~b14 & b10);
    a[14] = b14 ^ (~b10 & b11);
    a[15] = b15 ^ (~b16 & b17);
    a[16] = b16 ^ (~b17 & b18);
    a[17] = b17 ^ (~b18 & b19);
    a[18] = b18 ^ (~b19 & b15);
    a[19] = b19 ^ (~b15 & b16);
    a[20] = b20 ^ (~b21 & b22);
    a[21] = b21 ^ (~b22 & b23);
    a[22] = b22 ^ (~b23 & b24);
    a[23] = b23 ^ (~b24 & b20);
    a[24] = b24 ^ (~b20 & b21);
  }
}

void qs_keccak_init(qs_keccak_state *st, uint32_t rate, uint8_t dsbyte) {
  memset(st->s, 0, sizeof st->s);
  st->pos = 0;
  st->rate = rate;
  st->dsbyte = dsbyte;
  st->squeezing = 0;
}

static void xor_bytes_into_state(uint64_t s[25], uint32_t offset, const uint8_t *in, size_t len) {
  for (size_t i = 0; i < len; i++) {
    uint32_t at = offset + (uint32_t)i;
    s[at >> 3] ^= (uint64_t)in[i] << (8 * (at & 7));
  }
}

int qs_keccak_absorb(qs_keccak_state *st, const uint8_t *in, size_t inlen) {
  /* After finalize the state holds output: XORing input into it would turn
   * the next squeeze into a function of both, which no standard defines. */
  if (st->squeezing) return QS_ERR_INVALID_STATE;
  const uint32_t rate = st->rate;
  if (st->pos) {
    size_t take = rate - st->pos;
    if (take > inlen) take = inlen;
    xor_bytes_into_state(st->s, st->pos, in, take);
    st->pos += (uint32_t)take;
    in += take;
    inlen -= take;
    if (st->pos < rate) return QS_OK;
    qs_keccakf1600(st->s);
    st->pos = 0;
  }
  while (inlen >= rate) {
    for (uint32_t i = 0; i < rate / 8; i++) st->s[i] ^= qs_load64_le(in + 8 * i);
    qs_keccakf1600(st->s);
    in += rate;
    inlen -= rate;
  }
  xor_bytes_into_state(st->s, 0, in, inlen);
  st->pos = (uint32_t)inlen;
  return QS_OK;
}

int qs_keccak_finalize(qs_keccak_state *st) {
  if (st->squeezing) return QS_ERR_INVALID_STATE; /* padding twice would change the output */
  st->s[st->pos >> 3] ^= (uint64_t)st->dsbyte << (8 * (st->pos & 7));
  st->s[(st->rate - 1) >> 3] ^= 0x80ULL << (8 * ((st->rate - 1) & 7));
  /* pos == rate means "the current block is used up": squeezing permutes first */
  st->pos = st->rate;
  st->squeezing = 1;
  return QS_OK;
}

int qs_keccak_squeeze(qs_keccak_state *st, uint8_t *out, size_t outlen) {
  /* Before finalize the state is unpadded absorbed input, not output. */
  if (!st->squeezing) return QS_ERR_INVALID_STATE;
  const uint32_t rate = st->rate;
  while (outlen) {
    if (st->pos == rate) {
      qs_keccakf1600(st->s);
      st->pos = 0;
    }
    size_t take = rate - st->pos;
    if (take > outlen) take = outlen;
    for (size_t i = 0; i < take; i++) {
      uint32_t at = st->pos + (uint32_t)i;
      out[i] = (uint8_t)(st->s[at >> 3] >> (8 * (at & 7)));
    }
    st->pos += (uint32_t)take;
    out += take;
    outlen -= take;
  }
  return QS_OK;
}

int qs_keccak_squeezeblocks(qs_keccak_state *st, uint8_t *out, size_t nblocks) {
  /* Whole blocks start on a block boundary; mid-block they would skip the
   * rest of the current block. */
  if (!st->squeezing || st->pos != st->rate) return QS_ERR_INVALID_STATE;
  const uint32_t rate = st->rate;
  while (nblocks--) {
    qs_keccakf1600(st->s);
    for (uint32_t i = 0; i < rate / 8; i++) qs_store64_le(out + 8 * i, st->s[i]);
    out += rate;
  }
  st->pos = rate;
  return QS_OK;
}

static void sha3(uint8_t *out, size_t outlen, uint32_t rate, const uint8_t *in, size_t inlen) {
  qs_keccak_state st;
  qs_keccak_init(&st, rate, 0x06);
  qs_keccak_absorb(&st, in, inlen);
  qs_keccak_finalize(&st);
  qs_keccak_squeeze(&st, out, outlen);
  qs_zeroize(&st, sizeof st);
}

void qs_sha3_224(uint8_t out[28], const uint8_t *in, size_t inlen) { sha3(out, 28, QS_SHA3_224_RATE, in, inlen); }
void qs_sha3_256(uint8_t out[32], const uint8_t *in, size_t inlen) { sha3(out, 32, QS_SHA3_256_RATE, in, inlen); }
void qs_sha3_384(uint8_t out[48], const uint8_t *in, size_t inlen) { sha3(out, 48, QS_SHA3_384_RATE, in, inlen); }
void qs_sha3_512(uint8_t out[64], const uint8_t *in, size_t inlen) { sha3(out, 64, QS_SHA3_512_RATE, in, inlen); }

static void shake(uint8_t *out, size_t outlen, uint32_t rate, const uint8_t *in, size_t inlen) {
  qs_keccak_state st;
  qs_keccak_init(&st, rate, 0x1F);
  qs_keccak_absorb(&st, in, inlen);
  qs_keccak_finalize(&st);
  qs_keccak_squeeze(&st, out, outlen);
  qs_zeroize(&st, sizeof st);
}

void qs_shake128(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen) { shake(out, outlen, QS_SHAKE128_RATE, in, inlen); }
void qs_shake256(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen) { shake(out, outlen, QS_SHAKE256_RATE, in, inlen); }
