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

/* Compresses one 64-byte block per lane (lane i at blk[i] + off). */
static void compress4(v128_t s[8], const uint8_t *const blk[4], size_t off) {
  v128_t w[16];
  load_words(w, blk, off);
  v128_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
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
    v128_t maj = wasm_v128_bitselect(c, a, wasm_v128_xor(a, b)); /* Maj: a where a = b, else c */
    v128_t t2 = wasm_i32x4_add(S0, maj);
    h = g; g = f; f = e; e = wasm_i32x4_add(d, t1); d = c; c = b; b = a; a = wasm_i32x4_add(t1, t2);
  }
  s[0] = wasm_i32x4_add(s[0], a); s[1] = wasm_i32x4_add(s[1], b);
  s[2] = wasm_i32x4_add(s[2], c); s[3] = wasm_i32x4_add(s[3], d);
  s[4] = wasm_i32x4_add(s[4], e); s[5] = wasm_i32x4_add(s[5], f);
  s[6] = wasm_i32x4_add(s[6], g); s[7] = wasm_i32x4_add(s[7], h);
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
