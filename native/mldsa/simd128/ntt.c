/*
 * SIMD128 twin of ../ntt.c: same contract, bit-identical outputs. Montgomery
 * products use i64x2 extended multiplies; because the low 32 bits of a*b and
 * t*q agree by construction, (a*b - t*q) >> 32 equals hi32(a*b) - hi32(t*q),
 * which is what the scalar code computes. Levels with len >= 4 pair four
 * butterflies per vector; len 2 and 1 regroup eight coefficients by shuffles.
 */
#include <wasm_simd128.h>
#include "../mldsa.h"
#include "../zetas.h"

#define Q QS_MLDSA_Q
#define QINV ((uint32_t)QS_MLDSA_QINV)

static inline int32_t zq(int32_t z) { return (int32_t)((uint32_t)z * QINV); }

/* hi32 of the four 64-bit products in (lo, hi) order */
static inline v128_t hi32(v128_t lo, v128_t hi) { return wasm_i32x4_shuffle(lo, hi, 1, 3, 5, 7); }

/* a * z * 2^-32 mod q with zqinv = z * q^-1 mod 2^32 lane-wise */
static inline v128_t mont_mul(v128_t a, v128_t z, v128_t zqinv) {
  const v128_t q = wasm_i32x4_splat(Q);
  v128_t t = wasm_i32x4_mul(a, zqinv);
  v128_t p = hi32(wasm_i64x2_extmul_low_i32x4(a, z), wasm_i64x2_extmul_high_i32x4(a, z));
  v128_t tq = hi32(wasm_i64x2_extmul_low_i32x4(t, q), wasm_i64x2_extmul_high_i32x4(t, q));
  return wasm_i32x4_sub(p, tq);
}

/* Montgomery reduction of two i64x2 accumulators holding lanes 0-1 and 2-3. */
static inline v128_t mont_reduce64(v128_t lo, v128_t hi) {
  const v128_t q = wasm_i32x4_splat(Q);
  v128_t low = wasm_i32x4_shuffle(lo, hi, 0, 2, 4, 6);
  v128_t t = wasm_i32x4_mul(low, wasm_i32x4_splat((int32_t)QINV));
  v128_t tq = hi32(wasm_i64x2_extmul_low_i32x4(t, q), wasm_i64x2_extmul_high_i32x4(t, q));
  return wasm_i32x4_sub(hi32(lo, hi), tq);
}

void qs_mldsa_ntt(qs_poly *p) {
  int32_t *a = p->c;
  unsigned m = 0;
  for (unsigned len = 128; len >= 4; len >>= 1) {
    for (unsigned start = 0; start < 256; start += 2 * len) {
      int32_t zs = qs_mldsa_zetas[++m];
      v128_t z = wasm_i32x4_splat(zs), zqv = wasm_i32x4_splat(zq(zs));
      for (unsigned j = start; j < start + len; j += 4) {
        v128_t x = wasm_v128_load(a + j), y = wasm_v128_load(a + j + len);
        v128_t t = mont_mul(y, z, zqv);
        wasm_v128_store(a + j + len, wasm_i32x4_sub(x, t));
        wasm_v128_store(a + j, wasm_i32x4_add(x, t));
      }
    }
  }
  /* len = 2 (zetas 64..127) and len = 1 (zetas 128..255), eight coefficients at a time */
  for (unsigned i = 0; i < 32; i++) {
    v128_t A = wasm_v128_load(a + 8 * i), B = wasm_v128_load(a + 8 * i + 4);
    int32_t z0 = qs_mldsa_zetas[64 + 2 * i], z1 = qs_mldsa_zetas[65 + 2 * i];
    v128_t x = wasm_i32x4_shuffle(A, B, 0, 1, 4, 5), y = wasm_i32x4_shuffle(A, B, 2, 3, 6, 7);
    v128_t t = mont_mul(y, wasm_i32x4_make(z0, z0, z1, z1), wasm_i32x4_make(zq(z0), zq(z0), zq(z1), zq(z1)));
    y = wasm_i32x4_sub(x, t);
    x = wasm_i32x4_add(x, t);
    /* x = [c0 c1 c4 c5], y = [c2 c3 c6 c7] -> pairs (c0,c1) (c2,c3) (c4,c5) (c6,c7) */
    v128_t P = wasm_i32x4_shuffle(x, y, 0, 4, 2, 6), R = wasm_i32x4_shuffle(x, y, 1, 5, 3, 7);
    const int32_t *zz = qs_mldsa_zetas + 128 + 4 * i;
    t = mont_mul(R, wasm_v128_load(zz), wasm_i32x4_make(zq(zz[0]), zq(zz[1]), zq(zz[2]), zq(zz[3])));
    R = wasm_i32x4_sub(P, t);
    P = wasm_i32x4_add(P, t);
    wasm_v128_store(a + 8 * i, wasm_i32x4_shuffle(P, R, 0, 4, 1, 5));
    wasm_v128_store(a + 8 * i + 4, wasm_i32x4_shuffle(P, R, 2, 6, 3, 7));
  }
}

void qs_mldsa_invntt_tomont(qs_poly *p) {
  int32_t *a = p->c;
  /* len = 1 (zetas 255..128, negated) and len = 2 (127..64), eight coefficients at a time */
  for (unsigned i = 0; i < 32; i++) {
    v128_t A = wasm_v128_load(a + 8 * i), B = wasm_v128_load(a + 8 * i + 4);
    v128_t P = wasm_i32x4_shuffle(A, B, 0, 2, 4, 6), R = wasm_i32x4_shuffle(A, B, 1, 3, 5, 7);
    /* the scalar loop walks the zetas downwards: pair k of this block uses -zetas[255 - 4i - k] */
    const int32_t *zz = qs_mldsa_zetas + 252 - 4 * i;
    int32_t n0 = -zz[3], n1 = -zz[2], n2 = -zz[1], n3 = -zz[0];
    v128_t z = wasm_i32x4_make(n0, n1, n2, n3);
    v128_t zqv = wasm_i32x4_make(zq(n0), zq(n1), zq(n2), zq(n3));
    v128_t s = wasm_i32x4_add(P, R);
    R = mont_mul(wasm_i32x4_sub(P, R), z, zqv);
    P = s;
    /* P = [c0 c2 c4 c6], R = [c1 c3 c5 c7] -> x = [c0 c1 c4 c5], y = [c2 c3 c6 c7] */
    v128_t x = wasm_i32x4_shuffle(P, R, 0, 4, 2, 6), y = wasm_i32x4_shuffle(P, R, 1, 5, 3, 7);
    int32_t z0 = -qs_mldsa_zetas[127 - 2 * i], z1 = -qs_mldsa_zetas[126 - 2 * i];
    s = wasm_i32x4_add(x, y);
    y = mont_mul(wasm_i32x4_sub(x, y), wasm_i32x4_make(z0, z0, z1, z1), wasm_i32x4_make(zq(z0), zq(z0), zq(z1), zq(z1)));
    x = s;
    wasm_v128_store(a + 8 * i, wasm_i32x4_shuffle(x, y, 0, 1, 4, 5));
    wasm_v128_store(a + 8 * i + 4, wasm_i32x4_shuffle(x, y, 2, 3, 6, 7));
  }
  unsigned m = 64;
  for (unsigned len = 4; len < 256; len <<= 1) {
    for (unsigned start = 0; start < 256; start += 2 * len) {
      int32_t zs = -qs_mldsa_zetas[--m];
      v128_t z = wasm_i32x4_splat(zs), zqv = wasm_i32x4_splat(zq(zs));
      for (unsigned j = start; j < start + len; j += 4) {
        v128_t x = wasm_v128_load(a + j), y = wasm_v128_load(a + j + len);
        wasm_v128_store(a + j, wasm_i32x4_add(x, y));
        wasm_v128_store(a + j + len, mont_mul(wasm_i32x4_sub(x, y), z, zqv));
      }
    }
  }
  const v128_t f = wasm_i32x4_splat(41978), fq = wasm_i32x4_splat(zq(41978));
  for (unsigned j = 0; j < 256; j += 4) wasm_v128_store(a + j, mont_mul(wasm_v128_load(a + j), f, fq));
}

void qs_mldsa_pointwise(qs_poly *r, const qs_poly *a, const qs_poly *b) {
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t x = wasm_v128_load(a->c + i), y = wasm_v128_load(b->c + i);
    v128_t lo = wasm_i64x2_extmul_low_i32x4(x, y), hi = wasm_i64x2_extmul_high_i32x4(x, y);
    wasm_v128_store(r->c + i, mont_reduce64(lo, hi));
  }
}

void qs_mldsa_pointwise_acc(qs_poly *r, const qs_poly *a, const qs_poly *b, int n) {
  /* Same single reduction of the 64-bit sum as the scalar code, so the
   * representative (not just the residue) matches. */
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t lo = wasm_i64x2_splat(0), hi = wasm_i64x2_splat(0);
    for (int k = 0; k < n; k++) {
      v128_t x = wasm_v128_load(a[k].c + i), y = wasm_v128_load(b[k].c + i);
      lo = wasm_i64x2_add(lo, wasm_i64x2_extmul_low_i32x4(x, y));
      hi = wasm_i64x2_add(hi, wasm_i64x2_extmul_high_i32x4(x, y));
    }
    wasm_v128_store(r->c + i, mont_reduce64(lo, hi));
  }
}

void qs_mldsa_poly_reduce(qs_poly *a) {
  const v128_t q = wasm_i32x4_splat(Q), half = wasm_i32x4_splat(1 << 22);
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t x = wasm_v128_load(a->c + i);
    v128_t t = wasm_i32x4_shr(wasm_i32x4_add(x, half), 23);
    wasm_v128_store(a->c + i, wasm_i32x4_sub(x, wasm_i32x4_mul(t, q)));
  }
}

void qs_mldsa_poly_caddq(qs_poly *a) {
  const v128_t q = wasm_i32x4_splat(Q);
  for (unsigned i = 0; i < 256; i += 4) {
    v128_t x = wasm_v128_load(a->c + i);
    wasm_v128_store(a->c + i, wasm_i32x4_add(x, wasm_v128_and(wasm_i32x4_shr(x, 31), q)));
  }
}

void qs_mldsa_poly_add(qs_poly *r, const qs_poly *a, const qs_poly *b) {
  for (unsigned i = 0; i < 256; i += 4)
    wasm_v128_store(r->c + i, wasm_i32x4_add(wasm_v128_load(a->c + i), wasm_v128_load(b->c + i)));
}

void qs_mldsa_poly_sub(qs_poly *r, const qs_poly *a, const qs_poly *b) {
  for (unsigned i = 0; i < 256; i += 4)
    wasm_v128_store(r->c + i, wasm_i32x4_sub(wasm_v128_load(a->c + i), wasm_v128_load(b->c + i)));
}

void qs_mldsa_poly_shiftl(qs_poly *a) {
  for (unsigned i = 0; i < 256; i += 4)
    wasm_v128_store(a->c + i, wasm_i32x4_shl(wasm_v128_load(a->c + i), QS_MLDSA_D));
}
