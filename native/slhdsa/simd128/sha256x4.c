/*
 * SIMD128 kernel of the 4-lane SHA-256 (contract in ../sha256x4.h): lane i
 * of every working variable and schedule word lives in lane i of a v128, so
 * one pass of FIPS 180-4 §6.2.2 compresses four blocks. Rotations are two
 * shifts and an or (wasm has no vector rotate).
 */
#include <string.h>
#include <wasm_simd128.h>
#include "../../common/qs_common.h"
#include "../sha2.h"
#include "../sha2_consts.h"
#include "../sha256x4.h"

#define ROTR(x, n) wasm_v128_or(wasm_u32x4_shr((x), (n)), wasm_i32x4_shl((x), 32 - (n)))

/* The 16 schedule words of one block per lane, transposed so that w[t]
 * holds word t of lanes 0..3: four 16-byte loads per lane, a byte swap to
 * big-endian, and 4x4 transposes. */
static inline void load_words(v128_t w[16], const uint8_t *const blk[4], size_t off) {
  for (int r = 0; r < 4; r++) {
    v128_t l[4];
    for (int i = 0; i < 4; i++) {
      v128_t v = wasm_v128_load(blk[i] + off + 16 * r);
      l[i] = wasm_i8x16_shuffle(v, v, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    }
    v128_t t0 = wasm_i32x4_shuffle(l[0], l[1], 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(l[0], l[1], 2, 6, 3, 7);
    v128_t t2 = wasm_i32x4_shuffle(l[2], l[3], 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(l[2], l[3], 2, 6, 3, 7);
    w[4 * r] = wasm_i64x2_shuffle(t0, t2, 0, 2);
    w[4 * r + 1] = wasm_i64x2_shuffle(t0, t2, 1, 3);
    w[4 * r + 2] = wasm_i64x2_shuffle(t1, t3, 0, 2);
    w[4 * r + 3] = wasm_i64x2_shuffle(t1, t3, 1, 3);
  }
}

/* The 64 rounds on the transposed schedule words w (overwritten). */
/* Not inlined: one copy serves both callers (the module size budget). */
__attribute__((noinline)) static void rounds4(v128_t s[8], v128_t w[16]) {
  v128_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
  v128_t bc = wasm_v128_xor(b, c);
  for (int t = 0; t < 64; t++) {
    v128_t wt;
    if (t < 16) {
      wt = w[t];
    } else {
      v128_t x15 = w[(t - 15) & 15], x2 = w[(t - 2) & 15];
      v128_t s0 = wasm_v128_xor(wasm_v128_xor(ROTR(x15, 7), ROTR(x15, 18)), wasm_u32x4_shr(x15, 3));
      v128_t s1 = wasm_v128_xor(wasm_v128_xor(ROTR(x2, 17), ROTR(x2, 19)), wasm_u32x4_shr(x2, 10));
      wt = w[t & 15] = wasm_i32x4_add(wasm_i32x4_add(w[t & 15], s0), wasm_i32x4_add(w[(t - 7) & 15], s1));
    }
    v128_t S1 = wasm_v128_xor(wasm_v128_xor(ROTR(e, 6), ROTR(e, 11)), ROTR(e, 25));
    v128_t ch = wasm_v128_bitselect(f, g, e); /* Ch: f where e is 1, g where 0 */
    v128_t t1 = wasm_i32x4_add(wasm_i32x4_add(h, S1), wasm_i32x4_add(ch, wasm_i32x4_add(wasm_i32x4_splat((int32_t)K256[t]), wt)));
    v128_t S0 = wasm_v128_xor(wasm_v128_xor(ROTR(a, 2), ROTR(a, 13)), ROTR(a, 22));
    /* Maj(a,b,c) = b ^ ((a ^ b) & (b ^ c)); b ^ c is the previous round's a ^ b. */
    v128_t ab = wasm_v128_xor(a, b);
    v128_t maj = wasm_v128_xor(b, wasm_v128_and(ab, bc));
    bc = ab;
    v128_t t2 = wasm_i32x4_add(S0, maj);
    h = g; g = f; f = e; e = wasm_i32x4_add(d, t1); d = c; c = b; b = a; a = wasm_i32x4_add(t1, t2);
  }
  s[0] = wasm_i32x4_add(s[0], a); s[1] = wasm_i32x4_add(s[1], b);
  s[2] = wasm_i32x4_add(s[2], c); s[3] = wasm_i32x4_add(s[3], d);
  s[4] = wasm_i32x4_add(s[4], e); s[5] = wasm_i32x4_add(s[5], f);
  s[6] = wasm_i32x4_add(s[6], g); s[7] = wasm_i32x4_add(s[7], h);
}

/* Compresses one 64-byte block per lane (lane i at blk[i] + off). */
static void compress4(v128_t s[8], const uint8_t *const blk[4], size_t off) {
  v128_t w[16];
  load_words(w, blk, off);
  rounds4(s, w);
}

/* Lane i of the eight state vectors as 32 big-endian bytes at out[i]:
 * a byte swap and a 4x4 transpose per half. */
static void store_digests(uint8_t *const out[4], const v128_t s[8]) {
  for (int half = 0; half < 2; half++) {
    const v128_t *r = s + 4 * half;
    v128_t t0 = wasm_i32x4_shuffle(r[0], r[1], 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r[0], r[1], 2, 6, 3, 7);
    v128_t t2 = wasm_i32x4_shuffle(r[2], r[3], 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r[2], r[3], 2, 6, 3, 7);
    v128_t lane[4] = {wasm_i64x2_shuffle(t0, t2, 0, 2), wasm_i64x2_shuffle(t0, t2, 1, 3),
                      wasm_i64x2_shuffle(t1, t3, 0, 2), wasm_i64x2_shuffle(t1, t3, 1, 3)};
    for (int i = 0; i < 4; i++) {
      v128_t v = wasm_i8x16_shuffle(lane[i], lane[i], 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
      wasm_v128_store(out[i] + 16 * half, v);
    }
  }
}

void qs_sha256x4_1block(uint8_t *const out[4], const uint32_t state[8], const uint8_t *const block[4]) {
  v128_t s[8];
  for (int j = 0; j < 8; j++) s[j] = wasm_i32x4_splat((int32_t)state[j]);
  compress4(s, block, 0);
  store_digests(out, s);
}

void qs_sha256x4(uint8_t *const out[4], const uint32_t state[8], uint64_t prefix_bytes, const uint8_t *const in[4],
                 size_t len) {
  v128_t s[8];
  uint8_t tail[4][128];
  for (int j = 0; j < 8; j++) s[j] = wasm_i32x4_splat((int32_t)state[j]);
  size_t full = len / 64;
  for (size_t blk = 0; blk < full; blk++) compress4(s, in, 64 * blk);
  /* The padded tail (FIPS 180-4 §5.1.1) has the same shape in every lane. */
  size_t rest = len - 64 * full, tail_len = rest + 9 <= 64 ? 64 : 128;
  uint64_t bits = (prefix_bytes + len) * 8;
  for (int i = 0; i < 4; i++) {
    memset(tail[i], 0, sizeof tail[i]);
    memcpy(tail[i], in[i] + 64 * full, rest);
    tail[i][rest] = 0x80;
    for (int k = 0; k < 8; k++) tail[i][tail_len - 1 - k] = (uint8_t)(bits >> (8 * k));
  }
  const uint8_t *tails[4] = {tail[0], tail[1], tail[2], tail[3]};
  for (size_t off = 0; off < tail_len; off += 64) compress4(s, tails, off);
  store_digests(out, s);
  qs_zeroize(tail, sizeof tail);
  qs_zeroize(s, sizeof s);
}

/* Big-endian word k of lane i's bytes p[i] + 4k, as lane i of a v128. */
static inline v128_t gather_be32(const uint8_t *const p[4], size_t off) {
  uint32_t v[4];
  for (int i = 0; i < 4; i++)
    v[i] = ((uint32_t)p[i][off] << 24) | ((uint32_t)p[i][off + 1] << 16) | ((uint32_t)p[i][off + 2] << 8) | p[i][off + 3];
  return wasm_u32x4_make(v[0], v[1], v[2], v[3]);
}

void qs_sha256x4_chain(uint8_t *const out[4], const uint32_t state[8], const uint8_t *const adrsc[4],
                       const uint8_t *const in[4], size_t n, unsigned steps) {
  const size_t nw = n / 4;
  v128_t iv[8], head[5], d[8], hash;
  for (int j = 0; j < 8; j++) iv[j] = wasm_i32x4_splat((int32_t)state[j]);
  /* Words 0..4 of every block: ADRSc bytes 0..19, fixed along the chain. */
  for (int k = 0; k < 5; k++) head[k] = gather_be32(adrsc, 4 * k);
  /* Hash address (ADRSc bytes 20..21) in the top half of word 5. */
  hash = wasm_i32x4_shl(gather_be32(adrsc, 18), 16);
  for (size_t k = 0; k < 8; k++) d[k] = k < nw ? gather_be32(in, 4 * k) : wasm_i32x4_splat(0);
  const v128_t one = wasm_i32x4_splat(1 << 16), pad = wasm_i32x4_splat(0x8000);
  const v128_t bits = wasm_i32x4_splat((int32_t)((64 + 22 + n) * 8));
  for (unsigned step = 0; step < steps; step++) {
    /* Block = ADRSc ‖ value ‖ 0x80 ‖ 0… ‖ bit length: the value starts two
     * bytes into word 5, so each word is the low half of one value word and
     * the high half of the next. */
    v128_t w[16], s[8];
    for (int k = 0; k < 5; k++) w[k] = head[k];
    w[5] = wasm_v128_or(hash, wasm_u32x4_shr(d[0], 16));
    for (size_t k = 1; k < nw; k++) w[5 + k] = wasm_v128_or(wasm_i32x4_shl(d[k - 1], 16), wasm_u32x4_shr(d[k], 16));
    w[5 + nw] = wasm_v128_or(wasm_i32x4_shl(d[nw - 1], 16), pad);
    for (size_t k = 6 + nw; k < 15; k++) w[k] = wasm_i32x4_splat(0);
    w[15] = bits;
    for (int j = 0; j < 8; j++) s[j] = iv[j];
    rounds4(s, w); /* adds iv back: s is the digest */
    for (int j = 0; j < 8; j++) d[j] = s[j];
    hash = wasm_i32x4_add(hash, one);
  }
  uint8_t dig[4][32];
  uint8_t *douts[4] = {dig[0], dig[1], dig[2], dig[3]};
  store_digests(douts, d);
  for (int i = 0; i < 4; i++) memcpy(out[i], dig[i], n);
}
