/*
 * X25519 (RFC 7748) for the qsign-pqc core.
 *
 * Field: GF(p), p = 2^255 - 19. An element is ten unsigned limbs in radix
 * 2^25.5: limb i carries bit positions ceil(25.5·i) and up, so even limbs
 * hold 26 bits and odd limbs 25 bits. The point of this shape is wasm: it
 * has a 64-bit multiply but no 64×64→128 one, and 26-bit limbs give 52-bit
 * products with enough headroom to sum ten of them (times 19 for the
 * wrap-around, times 2 where two odd limbs meet) in a uint64 without carries
 * between the products. (A 5×51-bit layout needs unsigned __int128, which
 * wasm lowers to a __multi3 helper call per product; measured 2.5-4× slower
 * per field multiplication in V8.)
 *
 * Limb bounds, used in the comments below:
 *   "tight"  limb i < 2^26 (even) / 2^25 (odd), plus at most 2^18 on limbs 1
 *            and 5 (the last carries of fe_carry); every output of
 *            fe_mul/fe_sq/fe_mul_small and fe_frombytes is tight.
 *   "loose"  limb i < 1.5·2^27 (even) / 1.5·2^26 (odd): a sum or a
 *            difference of two tight elements.
 * fe_mul and fe_sq accept loose inputs: the largest column sum is then below
 * 2^62.5 (worked out per column at fe_mul), so nothing wraps.
 *
 * Constant time: the ladder runs a fixed 255 steps; the conditional swap is a
 * masked XOR; inversion is a fixed exponentiation chain; the final reduction
 * subtracts p·q with q computed arithmetically. No branch or memory index
 * depends on the scalar (checked under Valgrind by test/native/ct_check.c).
 */
#include <string.h>
#include "../common/qs_common.h"
#include "x25519.h"

typedef struct {
  uint32_t v[10];
} fe;

#define M25 0x1ffffffu
#define M26 0x3ffffffu

/* Limb masks and the positions they start at, for encoding and decoding. */

QS_INLINE void fe_zero(fe *h) {
  for (int i = 0; i < 10; i++) h->v[i] = 0;
}

QS_INLINE void fe_one(fe *h) {
  fe_zero(h);
  h->v[0] = 1;
}

QS_INLINE void fe_copy(fe *h, const fe *f) { *h = *f; }

/* h = f + g, no carry: tight + tight is loose. */
QS_INLINE void fe_add(fe *h, const fe *f, const fe *g) {
  for (int i = 0; i < 10; i++) h->v[i] = f->v[i] + g->v[i];
}

/* h = f - g + 2p, no carry. 2p in this radix is (2^27 - 38, 2^26 - 2,
 * 2^27 - 2, 2^26 - 2, ...); every tight limb of g is below the matching limb
 * of 2p, so no limb goes negative, and tight f gives a loose result. */
QS_INLINE void fe_sub(fe *h, const fe *f, const fe *g) {
  h->v[0] = f->v[0] + (0x8000000u - 38u) - g->v[0];
  for (int i = 1; i < 10; i++) h->v[i] = f->v[i] + ((i & 1) ? 0x3fffffeu : 0x7fffffeu) - g->v[i];
}

/* Carries ten 64-bit column sums (each below 2^63) into a tight element. Two
 * carry chains run side by side (from limb 0 and from limb 4) so the
 * dependent shifts overlap; the carry out of limb 9 re-enters limb 0 times
 * 19, because 2^255 ≡ 19 (mod p). */
QS_INLINE void fe_carry(fe *out, uint64_t h0, uint64_t h1, uint64_t h2, uint64_t h3, uint64_t h4, uint64_t h5,
                        uint64_t h6, uint64_t h7, uint64_t h8, uint64_t h9) {
  uint64_t c;
  c = h0 >> 26; h1 += c; h0 &= M26;
  c = h4 >> 26; h5 += c; h4 &= M26;
  c = h1 >> 25; h2 += c; h1 &= M25;
  c = h5 >> 25; h6 += c; h5 &= M25;
  c = h2 >> 26; h3 += c; h2 &= M26;
  c = h6 >> 26; h7 += c; h6 &= M26;
  c = h3 >> 25; h4 += c; h3 &= M25;
  c = h7 >> 25; h8 += c; h7 &= M25;
  c = h4 >> 26; h5 += c; h4 &= M26;
  c = h8 >> 26; h9 += c; h8 &= M26;
  c = h9 >> 25; h0 += c * 19; h9 &= M25;
  c = h0 >> 26; h1 += c; h0 &= M26;
  out->v[0] = (uint32_t)h0; out->v[1] = (uint32_t)h1; out->v[2] = (uint32_t)h2; out->v[3] = (uint32_t)h3;
  out->v[4] = (uint32_t)h4; out->v[5] = (uint32_t)h5; out->v[6] = (uint32_t)h6; out->v[7] = (uint32_t)h7;
  out->v[8] = (uint32_t)h8; out->v[9] = (uint32_t)h9;
}

/*
 * h = f·g. Column k collects f_i·g_j for i + j ≡ k (mod 10). Where i + j ≥ 10
 * the product sits 2^255 higher, so g_j enters as 19·g_j (gn). Where i and j
 * are both odd, positions ceil(25.5i) + ceil(25.5j) exceed ceil(25.5(i+j))
 * by one, so f_i enters doubled (fd). Bound for loose inputs: a column has at
 * most five even·even terms below 19·(1.5·2^27)^2 < 2^59.5 and five other
 * terms below 2^58.5, so below 2^62.5.
 */
static void fe_mul(fe *h, const fe *f, const fe *g) {
  const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
  const uint64_t f5 = f->v[5], f6 = f->v[6], f7 = f->v[7], f8 = f->v[8], f9 = f->v[9];
  const uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3], g4 = g->v[4];
  const uint64_t g5 = g->v[5], g6 = g->v[6], g7 = g->v[7], g8 = g->v[8], g9 = g->v[9];
  const uint64_t fd1 = 2 * f1, fd3 = 2 * f3, fd5 = 2 * f5, fd7 = 2 * f7, fd9 = 2 * f9;
  const uint64_t gn1 = 19 * g1, gn2 = 19 * g2, gn3 = 19 * g3, gn4 = 19 * g4, gn5 = 19 * g5;
  const uint64_t gn6 = 19 * g6, gn7 = 19 * g7, gn8 = 19 * g8, gn9 = 19 * g9;

  uint64_t h0 = f0 * g0 + fd1 * gn9 + f2 * gn8 + fd3 * gn7 + f4 * gn6 + fd5 * gn5 + f6 * gn4 + fd7 * gn3 + f8 * gn2 + fd9 * gn1;
  uint64_t h1 = f0 * g1 + f1 * g0 + f2 * gn9 + f3 * gn8 + f4 * gn7 + f5 * gn6 + f6 * gn5 + f7 * gn4 + f8 * gn3 + f9 * gn2;
  uint64_t h2 = f0 * g2 + fd1 * g1 + f2 * g0 + fd3 * gn9 + f4 * gn8 + fd5 * gn7 + f6 * gn6 + fd7 * gn5 + f8 * gn4 + fd9 * gn3;
  uint64_t h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * gn9 + f5 * gn8 + f6 * gn7 + f7 * gn6 + f8 * gn5 + f9 * gn4;
  uint64_t h4 = f0 * g4 + fd1 * g3 + f2 * g2 + fd3 * g1 + f4 * g0 + fd5 * gn9 + f6 * gn8 + fd7 * gn7 + f8 * gn6 + fd9 * gn5;
  uint64_t h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * gn9 + f7 * gn8 + f8 * gn7 + f9 * gn6;
  uint64_t h6 = f0 * g6 + fd1 * g5 + f2 * g4 + fd3 * g3 + f4 * g2 + fd5 * g1 + f6 * g0 + fd7 * gn9 + f8 * gn8 + fd9 * gn7;
  uint64_t h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * gn9 + f9 * gn8;
  uint64_t h8 = f0 * g8 + fd1 * g7 + f2 * g6 + fd3 * g5 + f4 * g4 + fd5 * g3 + f6 * g2 + fd7 * g1 + f8 * g0 + fd9 * gn9;
  uint64_t h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  fe_carry(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/*
 * h = f^2: fe_mul with the symmetric products merged, 55 multiplications
 * instead of 100. Term f_i·f_j (i < j) appears twice, hence fd = 2f; the
 * weights 19 (fn) and 38 (fm) fold in the wrap-around, and the odd·odd
 * doubling as in fe_mul. Column sums stay below 2^62.2 for loose input.
 */
static void fe_sq(fe *h, const fe *f) {
  const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
  const uint64_t f5 = f->v[5], f6 = f->v[6], f7 = f->v[7], f8 = f->v[8], f9 = f->v[9];
  const uint64_t fd0 = 2 * f0, fd1 = 2 * f1, fd2 = 2 * f2, fd3 = 2 * f3, fd4 = 2 * f4;
  const uint64_t fd5 = 2 * f5, fd6 = 2 * f6, fd7 = 2 * f7, fd8 = 2 * f8, fd9 = 2 * f9;
  const uint64_t fn5 = 19 * f5, fn6 = 19 * f6, fn7 = 19 * f7, fn8 = 19 * f8, fn9 = 19 * f9;
  const uint64_t fm7 = 38 * f7, fm9 = 38 * f9;

  uint64_t h0 = f0 * f0 + fd1 * fm9 + fd2 * fn8 + fd3 * fm7 + fd4 * fn6 + fd5 * fn5;
  uint64_t h1 = fd0 * f1 + fd2 * fn9 + fd3 * fn8 + fd4 * fn7 + fd5 * fn6;
  uint64_t h2 = fd0 * f2 + fd1 * f1 + fd3 * fm9 + fd4 * fn8 + fd5 * fm7 + f6 * fn6;
  uint64_t h3 = fd0 * f3 + fd1 * f2 + fd4 * fn9 + fd5 * fn8 + fd6 * fn7;
  uint64_t h4 = fd0 * f4 + fd1 * fd3 + f2 * f2 + fd5 * fm9 + fd6 * fn8 + fd7 * fn7;
  uint64_t h5 = fd0 * f5 + fd1 * f4 + fd2 * f3 + fd6 * fn9 + fd7 * fn8;
  uint64_t h6 = fd0 * f6 + fd1 * fd5 + fd2 * f4 + fd3 * f3 + fd7 * fm9 + f8 * fn8;
  uint64_t h7 = fd0 * f7 + fd1 * f6 + fd2 * f5 + fd3 * f4 + fd8 * fn9;
  uint64_t h8 = fd0 * f8 + fd1 * fd7 + fd2 * f6 + fd3 * fd5 + f4 * f4 + fd9 * fn9;
  uint64_t h9 = fd0 * f9 + fd1 * f8 + fd2 * f7 + fd3 * f6 + fd4 * f5;
  fe_carry(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/* h = f^(2^n), n >= 1. */
static void fe_sq_n(fe *h, const fe *f, int n) {
  fe_sq(h, f);
  for (int i = 1; i < n; i++) fe_sq(h, h);
}

/* h = c·f for a small constant c (< 2^17); f loose. */
QS_INLINE void fe_mul_small(fe *h, const fe *f, uint32_t c) {
  const uint64_t k = c;
  fe_carry(h, f->v[0] * k, f->v[1] * k, f->v[2] * k, f->v[3] * k, f->v[4] * k, f->v[5] * k, f->v[6] * k,
           f->v[7] * k, f->v[8] * k, f->v[9] * k);
}

/*
 * h = z^(p-2) = z^-1 (Fermat; 0 maps to 0). p - 2 = 2^255 - 21
 * = 2^5·(2^250 - 1) + 11, so build z^(2^250 - 1) from runs of ones
 * z^(2^m - 1), doubling m with "square m times, multiply by itself", then
 * shift by five squarings and multiply by z^11. 254 squarings and 11
 * multiplications, the same for every z.
 */
static void fe_invert(fe *h, const fe *z) {
  fe z2, z9, z11, r5, r10, r20, r40, r50, r100, r200, t;
  fe_sq(&z2, z);            /* z^2 */
  fe_sq_n(&t, &z2, 2);      /* z^8 */
  fe_mul(&z9, &t, z);       /* z^9 */
  fe_mul(&z11, &z9, &z2);   /* z^11 */
  fe_sq(&t, &z11);          /* z^22 */
  fe_mul(&r5, &t, &z9);     /* z^(2^5 - 1) */
  fe_sq_n(&t, &r5, 5);
  fe_mul(&r10, &t, &r5);    /* z^(2^10 - 1) */
  fe_sq_n(&t, &r10, 10);
  fe_mul(&r20, &t, &r10);   /* z^(2^20 - 1) */
  fe_sq_n(&t, &r20, 20);
  fe_mul(&r40, &t, &r20);   /* z^(2^40 - 1) */
  fe_sq_n(&t, &r40, 10);
  fe_mul(&r50, &t, &r10);   /* z^(2^50 - 1) */
  fe_sq_n(&t, &r50, 50);
  fe_mul(&r100, &t, &r50);  /* z^(2^100 - 1) */
  fe_sq_n(&t, &r100, 100);
  fe_mul(&r200, &t, &r100); /* z^(2^200 - 1) */
  fe_sq_n(&t, &r200, 50);
  fe_mul(&t, &t, &r50);     /* z^(2^250 - 1) */
  fe_sq_n(&t, &t, 5);       /* z^(2^255 - 32) */
  fe_mul(h, &t, &z11);      /* z^(2^255 - 21) */
  qs_zeroize(&z2, sizeof z2); qs_zeroize(&z9, sizeof z9); qs_zeroize(&z11, sizeof z11);
  qs_zeroize(&r5, sizeof r5); qs_zeroize(&r10, sizeof r10); qs_zeroize(&r20, sizeof r20);
  qs_zeroize(&r40, sizeof r40); qs_zeroize(&r50, sizeof r50); qs_zeroize(&r100, sizeof r100);
  qs_zeroize(&r200, sizeof r200); qs_zeroize(&t, sizeof t);
}

/* decodeUCoordinate: 32 little-endian bytes, bit 255 dropped; a value in
 * [p, 2^255) is kept as is (it is congruent to its reduction). Tight. */
static void fe_frombytes(fe *h, const uint8_t s[32]) {
  const uint64_t w0 = qs_load64_le(s), w1 = qs_load64_le(s + 8), w2 = qs_load64_le(s + 16), w3 = qs_load64_le(s + 24);
  h->v[0] = (uint32_t)(w0 & M26);
  h->v[1] = (uint32_t)((w0 >> 26) & M25);
  h->v[2] = (uint32_t)(((w0 >> 51) | (w1 << 13)) & M26);
  h->v[3] = (uint32_t)((w1 >> 13) & M25);
  h->v[4] = (uint32_t)((w1 >> 38) & M26);
  h->v[5] = (uint32_t)(w2 & M25);
  h->v[6] = (uint32_t)((w2 >> 25) & M26);
  h->v[7] = (uint32_t)(((w2 >> 51) | (w3 << 13)) & M25);
  h->v[8] = (uint32_t)((w3 >> 12) & M26);
  h->v[9] = (uint32_t)((w3 >> 38) & M25);
}

/*
 * encodeUCoordinate of the canonical representative. For tight f the value
 * is below 2^255 + 2^147 (limb excesses), so below 2p - 19, and q = floor((f + 19) / 2^255)
 * is 1 exactly when f >= p. Adding 19·q and dropping bit 255 then subtracts
 * q·p. q comes from a carry chain, not a comparison.
 */
static void fe_tobytes(uint8_t s[32], const fe *f) {
  uint64_t h[10];
  for (int i = 0; i < 10; i++) h[i] = f->v[i];
  uint64_t q = (h[0] + 19) >> 26;
  for (int i = 1; i < 10; i++) q = (h[i] + q) >> ((i & 1) ? 25 : 26);
  h[0] += 19 * q;
  for (int i = 0; i < 9; i++) {
    const int bits = (i & 1) ? 25 : 26;
    h[i + 1] += h[i] >> bits;
    h[i] &= (i & 1) ? M25 : M26;
  }
  h[9] &= M25;
  const uint64_t w0 = h[0] | (h[1] << 26) | (h[2] << 51);
  const uint64_t w1 = (h[2] >> 13) | (h[3] << 13) | (h[4] << 38);
  const uint64_t w2 = h[5] | (h[6] << 25) | (h[7] << 51);
  const uint64_t w3 = (h[7] >> 13) | (h[8] << 12) | (h[9] << 38);
  qs_store64_le(s, w0);
  qs_store64_le(s + 8, w1);
  qs_store64_le(s + 16, w2);
  qs_store64_le(s + 24, w3);
  qs_zeroize(h, sizeof h);
}

/* Swaps f and g when mask is all ones, leaves them when it is zero. */
QS_INLINE void fe_cswap(fe *f, fe *g, uint32_t mask) {
  for (int i = 0; i < 10; i++) {
    const uint32_t t = mask & (f->v[i] ^ g->v[i]);
    f->v[i] ^= t;
    g->v[i] ^= t;
  }
}

/* (A24 = (486662 - 2) / 4, RFC 7748 §5.) */
#define A24 121665u

/*
 * RFC 7748 §5 ladder. (x2 : z2) and (x3 : z3) hold [m]P and [m+1]P for the
 * scalar prefix m read so far; each step doubles one and adds the two
 * (differential addition, difference P = u). Instead of branching on the bit,
 * the pair is swapped in and out with a mask, and consecutive swaps are
 * merged (swap only when the bit differs from the previous one).
 */
QS_INLINE void ladder(uint8_t out[QS_X25519_BYTES], const uint8_t scalar[QS_X25519_BYTES],
                      const uint8_t u[QS_X25519_BYTES], const int u_is_nine) {
  uint8_t e[32];
  fe x1, x2, z2, x3, z3, a, b, c, d, aa, bb, da, cb, t;
  memcpy(e, scalar, 32);
  /* decodeScalar25519: clear the three low bits (multiple of the cofactor),
   * clear bit 255, set bit 254. */
  e[0] &= 248;
  e[31] &= 127;
  e[31] |= 64;

  fe_frombytes(&x1, u);
  fe_one(&x2);
  fe_zero(&z2);
  fe_copy(&x3, &x1);
  fe_one(&z3);

  uint32_t swap = 0;
  for (int pos = 254; pos >= 0; pos--) {
    const uint32_t bit = (e[pos >> 3] >> (pos & 7)) & 1;
    swap ^= bit;
    const uint32_t mask = 0u - qs_value_barrier_u32(swap);
    fe_cswap(&x2, &x3, mask);
    fe_cswap(&z2, &z3, mask);
    swap = bit;

    fe_add(&a, &x2, &z2);   /* A = x2 + z2 */
    fe_sub(&b, &x2, &z2);   /* B = x2 - z2 */
    fe_add(&c, &x3, &z3);   /* C = x3 + z3 */
    fe_sub(&d, &x3, &z3);   /* D = x3 - z3 */
    fe_mul(&da, &d, &a);    /* DA */
    fe_mul(&cb, &c, &b);    /* CB */
    fe_sq(&aa, &a);         /* AA */
    fe_sq(&bb, &b);         /* BB */
    fe_add(&t, &da, &cb);
    fe_sq(&x3, &t);         /* x3 = (DA + CB)^2 */
    fe_sub(&t, &da, &cb);
    fe_sq(&t, &t);
    /* z3 = x1 · (DA - CB)^2; for the base point x1 = 9, a small constant.
     * u_is_nine is a compile-time constant of each caller, not secret. */
    if (u_is_nine) fe_mul_small(&z3, &t, 9); else fe_mul(&z3, &x1, &t);
    fe_mul(&x2, &aa, &bb);  /* x2 = AA · BB */
    fe_sub(&t, &aa, &bb);   /* E = AA - BB */
    fe_mul_small(&a, &t, A24);
    fe_add(&a, &a, &aa);    /* AA + a24·E */
    fe_mul(&z2, &t, &a);    /* z2 = E · (AA + a24·E) */
  }
  const uint32_t mask = 0u - qs_value_barrier_u32(swap);
  fe_cswap(&x2, &x3, mask);
  fe_cswap(&z2, &z3, mask);

  fe_invert(&t, &z2);
  fe_mul(&x2, &x2, &t);
  fe_tobytes(out, &x2);

  qs_zeroize(e, sizeof e);
  qs_zeroize(&x2, sizeof x2); qs_zeroize(&z2, sizeof z2); qs_zeroize(&x3, sizeof x3); qs_zeroize(&z3, sizeof z3);
  qs_zeroize(&a, sizeof a); qs_zeroize(&b, sizeof b); qs_zeroize(&c, sizeof c); qs_zeroize(&d, sizeof d);
  qs_zeroize(&aa, sizeof aa); qs_zeroize(&bb, sizeof bb); qs_zeroize(&da, sizeof da); qs_zeroize(&cb, sizeof cb);
  qs_zeroize(&t, sizeof t);
}

void qs_x25519_scalarmult(uint8_t out[QS_X25519_BYTES], const uint8_t scalar[QS_X25519_BYTES],
                          const uint8_t u[QS_X25519_BYTES]) {
  ladder(out, scalar, u, 0);
}

void qs_x25519_scalarmult_base(uint8_t out[QS_X25519_BYTES], const uint8_t scalar[QS_X25519_BYTES]) {
  static const uint8_t base[32] = { 9 };
  ladder(out, scalar, base, 1);
}
