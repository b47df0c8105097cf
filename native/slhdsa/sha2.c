/*
 * SHA-2 (FIPS 180-4), written from the standard. Data-independent control
 * flow: every branch depends on lengths only, never on message bytes, so
 * hashing secrets (SK.seed, SK.prf) is constant time.
 */
#include <string.h>
#include "../common/qs_common.h"
#include "sha2.h"
#include "sha2_consts.h"

static inline uint32_t load32_be(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline uint64_t load64_be(const uint8_t *p) {
  return ((uint64_t)load32_be(p) << 32) | load32_be(p + 4);
}
static inline uint32_t rotr32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
static inline uint64_t rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

/* §6.2.2. The schedule is kept as a 16-word window (W[t] only needs the last
 * 16 words), which the compiler keeps in locals once the loop is unrolled. */
void qs_sha256_compress(uint32_t h[8], const uint8_t *blocks, size_t nblocks) {
  for (; nblocks; nblocks--, blocks += 64) {
    uint32_t w[16];
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 64; t++) {
      uint32_t wt;
      if (t < 16) {
        wt = w[t] = load32_be(blocks + 4 * t);
      } else {
        uint32_t x15 = w[(t - 15) & 15], x2 = w[(t - 2) & 15];
        uint32_t s0 = rotr32(x15, 7) ^ rotr32(x15, 18) ^ (x15 >> 3);
        uint32_t s1 = rotr32(x2, 17) ^ rotr32(x2, 19) ^ (x2 >> 10);
        wt = w[t & 15] = w[t & 15] + s0 + w[(t - 7) & 15] + s1;
      }
      uint32_t t1 = hh + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) + ((e & f) ^ (~e & g)) + K256[t] + wt;
      uint32_t t2 = (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    qs_zeroize(w, sizeof w);
  }
}

/* §6.4.2. */
void qs_sha512_compress(uint64_t h[8], const uint8_t *blocks, size_t nblocks) {
  for (; nblocks; nblocks--, blocks += 128) {
    uint64_t w[16];
    uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 80; t++) {
      uint64_t wt;
      if (t < 16) {
        wt = w[t] = load64_be(blocks + 8 * t);
      } else {
        uint64_t x15 = w[(t - 15) & 15], x2 = w[(t - 2) & 15];
        uint64_t s0 = rotr64(x15, 1) ^ rotr64(x15, 8) ^ (x15 >> 7);
        uint64_t s1 = rotr64(x2, 19) ^ rotr64(x2, 61) ^ (x2 >> 6);
        wt = w[t & 15] = w[t & 15] + s0 + w[(t - 7) & 15] + s1;
      }
      uint64_t t1 = hh + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) + ((e & f) ^ (~e & g)) + K512[t] + wt;
      uint64_t t2 = (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    qs_zeroize(w, sizeof w);
  }
}

void qs_sha256_init(qs_sha256_ctx *c) {
  memcpy(c->h, IV256, sizeof c->h);
  c->len = 0;
  c->fill = 0;
}
void qs_sha224_init(qs_sha256_ctx *c) {
  memcpy(c->h, IV224, sizeof c->h);
  c->len = 0;
  c->fill = 0;
}

void qs_sha256_update(qs_sha256_ctx *c, const uint8_t *in, size_t len) {
  if (len == 0) return; /* in may be NULL then */
  c->len += len;
  if (c->fill) {
    size_t take = 64 - c->fill < len ? 64 - c->fill : len;
    memcpy(c->buf + c->fill, in, take);
    c->fill += (uint32_t)take;
    in += take;
    len -= take;
    if (c->fill < 64) return;
    qs_sha256_compress(c->h, c->buf, 1);
    c->fill = 0;
  }
  qs_sha256_compress(c->h, in, len / 64);
  in += len & ~(size_t)63;
  len &= 63;
  memcpy(c->buf, in, len);
  c->fill = (uint32_t)len;
}

void qs_sha256_final(qs_sha256_ctx *c, uint8_t *out, size_t outlen) {
  uint64_t bits = c->len * 8;
  uint8_t i = (uint8_t)c->fill;
  c->buf[i++] = 0x80;
  if (i > 56) {
    memset(c->buf + i, 0, 64 - i);
    qs_sha256_compress(c->h, c->buf, 1);
    i = 0;
  }
  memset(c->buf + i, 0, 56 - i);
  for (int k = 0; k < 8; k++) c->buf[56 + k] = (uint8_t)(bits >> (56 - 8 * k));
  qs_sha256_compress(c->h, c->buf, 1);
  for (size_t k = 0; k < outlen; k++) out[k] = (uint8_t)(c->h[k / 4] >> (24 - 8 * (k % 4)));
  qs_zeroize(c, sizeof *c);
}

void qs_sha512_init_kind(qs_sha512_ctx *c, int kind) {
  const uint64_t *iv = kind == QS_SHA2_384       ? IV384
                       : kind == QS_SHA2_512_224 ? IV512_224
                       : kind == QS_SHA2_512_256 ? IV512_256
                                                 : IV512;
  memcpy(c->h, iv, sizeof c->h);
  c->len = 0;
  c->fill = 0;
}

void qs_sha512_update(qs_sha512_ctx *c, const uint8_t *in, size_t len) {
  if (len == 0) return;
  c->len += len;
  if (c->fill) {
    size_t take = 128 - c->fill < len ? 128 - c->fill : len;
    memcpy(c->buf + c->fill, in, take);
    c->fill += (uint32_t)take;
    in += take;
    len -= take;
    if (c->fill < 128) return;
    qs_sha512_compress(c->h, c->buf, 1);
    c->fill = 0;
  }
  qs_sha512_compress(c->h, in, len / 128);
  in += len & ~(size_t)127;
  len &= 127;
  memcpy(c->buf, in, len);
  c->fill = (uint32_t)len;
}

/* The 128-bit length field: messages here are far below 2^61 bytes, so its
 * top 64 bits are zero. */
void qs_sha512_final(qs_sha512_ctx *c, uint8_t *out, size_t outlen) {
  uint64_t bits = c->len * 8;
  uint32_t i = c->fill;
  c->buf[i++] = 0x80;
  if (i > 112) {
    memset(c->buf + i, 0, 128 - i);
    qs_sha512_compress(c->h, c->buf, 1);
    i = 0;
  }
  memset(c->buf + i, 0, 120 - i);
  for (int k = 0; k < 8; k++) c->buf[120 + k] = (uint8_t)(bits >> (56 - 8 * k));
  qs_sha512_compress(c->h, c->buf, 1);
  for (size_t k = 0; k < outlen; k++) out[k] = (uint8_t)(c->h[k / 8] >> (56 - 8 * (k % 8)));
  qs_zeroize(c, sizeof *c);
}

size_t qs_sha2(int kind, uint8_t *out, const uint8_t *in, size_t len) {
  if (kind == QS_SHA2_224 || kind == QS_SHA2_256) {
    qs_sha256_ctx c;
    size_t n = kind == QS_SHA2_224 ? 28 : 32;
    if (kind == QS_SHA2_224) qs_sha224_init(&c);
    else qs_sha256_init(&c);
    qs_sha256_update(&c, in, len);
    qs_sha256_final(&c, out, n);
    return n;
  }
  size_t n = kind == QS_SHA2_384 ? 48 : kind == QS_SHA2_512 ? 64 : kind == QS_SHA2_512_224 ? 28 : kind == QS_SHA2_512_256 ? 32 : 0;
  if (!n) return 0;
  qs_sha512_ctx c;
  qs_sha512_init_kind(&c, kind);
  qs_sha512_update(&c, in, len);
  qs_sha512_final(&c, out, n);
  return n;
}
