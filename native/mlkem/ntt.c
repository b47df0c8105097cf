/*
 * Scalar reference NTT (FIPS 203 Alg 9-11) with Montgomery multiplication:
 * twiddles are stored pre-multiplied by R, so mont_mul(x, zeta·R) = x·zeta
 * and no domain bookkeeping leaks out of the butterflies. All loops have
 * public bounds and indices; nothing here branches on coefficient values.
 */
#include "mlkem.h"

#define Q QS_MLKEM_Q
#define QINV (-3327) /* q^-1 mod 2^16 */

/* zeta^BitRev7(i) · R mod q, centred. */
static const int16_t zetas_mont[128] = {
  -1044, -758, -359, -1517, 1493, 1422, 287, 202, -171, 622, 1577, 182, 962, -1202, -1474, 1468,
  573, -1325, 264, 383, -829, 1458, -1602, -130, -681, 1017, 732, 608, -1542, 411, -205, -1571,
  1223, 652, -552, 1015, -1293, 1491, -282, -1544, 516, -8, -320, -666, -1618, -1162, 126, 1469,
  -853, -90, -271, 830, 107, -1421, -247, -951, -398, 961, -1508, -725, 448, -1065, 677, -1275,
  -1103, 430, 555, 843, -1251, 871, 1550, 105, 422, 587, 177, -235, -291, -460, 1574, 1653,
  -246, 778, 1159, -147, -777, 1483, -602, 1119, -1590, 644, -872, 349, 418, 329, -156, -75,
  817, 1097, 603, 610, 1322, -1285, -1465, 384, -1215, -136, 1218, -1335, -874, 220, -1187, -1659,
  -1185, -1530, -1278, 794, -1510, -854, -870, 478, -108, -308, 996, 991, 958, -1460, 1522, 1628,
};

/* zeta^(2·BitRev7(i)+1) · R mod q: the γ of BaseCaseMultiply (Alg 12). */
static const int16_t gammas_mont[128] = {
  -1103, 1103, 430, -430, 555, -555, 843, -843, -1251, 1251, 871, -871, 1550, -1550, 105, -105,
  422, -422, 587, -587, 177, -177, -235, 235, -291, 291, -460, 460, 1574, -1574, 1653, -1653,
  -246, 246, 778, -778, 1159, -1159, -147, 147, -777, 777, 1483, -1483, -602, 602, 1119, -1119,
  -1590, 1590, 644, -644, -872, 872, 349, -349, 418, -418, 329, -329, -156, 156, -75, 75,
  817, -817, 1097, -1097, 603, -603, 610, -610, 1322, -1322, -1285, 1285, -1465, 1465, 384, -384,
  -1215, 1215, -136, 136, 1218, -1218, -1335, 1335, -874, 874, 220, -220, -1187, 1187, -1659, 1659,
  -1185, 1185, -1530, 1530, -1278, 1278, 794, -794, -1510, 1510, -854, 854, -870, 870, 478, -478,
  -108, 108, -308, 308, 996, -996, 991, -991, 958, -958, -1460, 1460, 1522, -1522, 1628, -1628,
};

/* For |a| < q·2^15 returns r ≡ a·R^-1 with |r| < q. */
static inline int16_t mont_reduce(int32_t a) {
  int16_t t = (int16_t)((int16_t)a * QINV);
  return (int16_t)((a - (int32_t)t * Q) >> 16);
}

static inline int16_t mont_mul(int16_t a, int16_t b) { return mont_reduce((int32_t)a * b); }

/* Centred Barrett reduction: any int16 in, |r| <= (q+1)/2 out.
 * 20159 = round(2^26 / q). */
static inline int16_t barrett_reduce(int16_t a) {
  int16_t t = (int16_t)(((int32_t)20159 * a + (1 << 25)) >> 26);
  return (int16_t)(a - t * Q);
}

void qs_mlkem_poly_ntt(qs_mlkem_poly *p) {
  int16_t *f = p->c;
  unsigned i = 1;
  /* each layer grows |c| by < q, so after 7 layers |c| < 8q < 2^15 */
  for (unsigned len = 128; len >= 2; len >>= 1) {
    for (unsigned start = 0; start < QS_MLKEM_N; start += 2 * len) {
      int16_t zeta = zetas_mont[i++];
      for (unsigned j = start; j < start + len; j++) {
        int16_t t = mont_mul(zeta, f[j + len]);
        f[j + len] = (int16_t)(f[j] - t);
        f[j] = (int16_t)(f[j] + t);
      }
    }
  }
  for (unsigned j = 0; j < QS_MLKEM_N; j++) f[j] = barrett_reduce(f[j]);
}

void qs_mlkem_poly_invntt_tomont(qs_mlkem_poly *p) {
  int16_t *f = p->c;
  unsigned i = 127;
  for (unsigned len = 2; len <= 128; len <<= 1) {
    for (unsigned start = 0; start < QS_MLKEM_N; start += 2 * len) {
      int16_t zeta = zetas_mont[i--];
      for (unsigned j = start; j < start + len; j++) {
        int16_t t = f[j];
        f[j] = barrett_reduce((int16_t)(t + f[j + len]));
        f[j + len] = mont_mul(zeta, (int16_t)(f[j + len] - t));
      }
    }
  }
  /* 1441 = R^2/128 mod q: folds Alg 10's final ×128^-1 and the ×R together */
  for (unsigned j = 0; j < QS_MLKEM_N; j++) f[j] = mont_mul(f[j], 1441);
}

void qs_mlkem_polyvec_basemul_acc(qs_mlkem_poly *r, const qs_mlkem_poly *a, const qs_mlkem_poly *b, int k) {
  for (unsigned i = 0; i < QS_MLKEM_N / 2; i++) {
    int32_t c0 = 0, c1 = 0;
    for (int v = 0; v < k; v++) {
      int32_t a0 = a[v].c[2 * i], a1 = a[v].c[2 * i + 1];
      int16_t b0 = b[v].c[2 * i], b1 = b[v].c[2 * i + 1];
      int32_t b1g = mont_mul(b1, gammas_mont[i]); /* b1·γ, |.| < q */
      c0 += a0 * b0 + a1 * b1g;
      c1 += a0 * b1 + a1 * b0;
    }
    /* |c| <= 2k·q^2 < q·2^15 for k <= 4, within mont_reduce's range */
    r->c[2 * i] = mont_reduce(c0);
    r->c[2 * i + 1] = mont_reduce(c1);
  }
}
