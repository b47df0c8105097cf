/*
 * Byte encodings (FIPS 203 Alg 5/6). The bit packer shifts by public
 * amounts only, so it is also safe for the message bits.
 */
#include "mlkem.h"

/* Eight d-bit values fill exactly d bytes (at most 12, so 96 bits), held as
 * two 64-bit words: lo takes bytes 0-7, hi the rest. Not an __int128: on
 * wasm32 its shifts are compiler-rt calls that pass their (message-bearing)
 * results through a shadow-stack frame nobody wipes. Inlined with a constant
 * d, every bit offset o = d·j below is a compile-time constant. */
QS_INLINE void pack_d(uint8_t *out, const uint16_t *in, const int d) {
  for (unsigned i = 0; i < QS_MLKEM_N; i += 8) {
    uint64_t lo = 0, hi = 0;
    for (int j = 0; j < 8; j++) {
      const int o = d * j;
      const uint64_t v = in[i + j];
      if (o >= 64) {
        hi |= v << (o - 64);
      } else {
        lo |= v << o;
        if (o + d > 64) hi |= v >> (64 - o); /* the value straddles the two words */
      }
    }
    for (int b = 0; b < d && b < 8; b++) out[b] = (uint8_t)(lo >> (8 * b));
    for (int b = 8; b < d; b++) out[b] = (uint8_t)(hi >> (8 * (b - 8)));
    out += d;
  }
}

QS_INLINE void unpack_d(uint16_t *out, const uint8_t *in, const int d) {
  const uint64_t mask = (1u << d) - 1;
  for (unsigned i = 0; i < QS_MLKEM_N; i += 8) {
    uint64_t lo = 0, hi = 0;
    for (int b = 0; b < d && b < 8; b++) lo |= (uint64_t)in[b] << (8 * b);
    for (int b = 8; b < d; b++) hi |= (uint64_t)in[b] << (8 * (b - 8));
    for (int j = 0; j < 8; j++) {
      const int o = d * j;
      uint64_t w;
      if (o >= 64) w = hi >> (o - 64);
      else if (o + d <= 64) w = lo >> o;
      else w = (lo >> o) | (hi << (64 - o));
      out[i + j] = (uint16_t)(w & mask);
    }
    in += d;
  }
}

/* d is a public parameter: 1 (the message) or a du/dv of the parameter
 * table, which holds only 4, 5, 10 and 11. One inlined copy per width that
 * occurs and no catch-all for the others (a former 1..12 fallback inlined
 * twelve more copies: 1.1 KB gzip of the ML-KEM module, issue 23). */
void qs_mlkem_pack(uint8_t *out, const uint16_t in[QS_MLKEM_N], int d) {
  switch (d) {
    case 1: pack_d(out, in, 1); break;
    case 4: pack_d(out, in, 4); break;
    case 5: pack_d(out, in, 5); break;
    case 10: pack_d(out, in, 10); break;
    case 11: pack_d(out, in, 11); break;
    default: break;
  }
}

void qs_mlkem_unpack(uint16_t out[QS_MLKEM_N], const uint8_t *in, int d) {
  switch (d) {
    case 1: unpack_d(out, in, 1); break;
    case 4: unpack_d(out, in, 4); break;
    case 5: unpack_d(out, in, 5); break;
    case 10: unpack_d(out, in, 10); break;
    case 11: unpack_d(out, in, 11); break;
    default: break;
  }
}

void qs_mlkem_poly_tobytes(uint8_t out[QS_MLKEM_POLYBYTES], const qs_mlkem_poly *a) {
  for (unsigned i = 0; i < QS_MLKEM_N / 2; i++) {
    uint16_t a0 = (uint16_t)a->c[2 * i], a1 = (uint16_t)a->c[2 * i + 1];
    out[3 * i] = (uint8_t)a0;
    out[3 * i + 1] = (uint8_t)((a0 >> 8) | (a1 << 4));
    out[3 * i + 2] = (uint8_t)(a1 >> 4);
  }
}

void qs_mlkem_poly_frombytes(qs_mlkem_poly *r, const uint8_t in[QS_MLKEM_POLYBYTES]) {
  for (unsigned i = 0; i < QS_MLKEM_N / 2; i++) {
    uint16_t b0 = in[3 * i], b1 = in[3 * i + 1], b2 = in[3 * i + 2];
    r->c[2 * i] = (int16_t)(b0 | ((b1 & 0x0F) << 8));
    r->c[2 * i + 1] = (int16_t)((b1 >> 4) | (b2 << 4));
  }
}

uint32_t qs_mlkem_modulus_check_fails(const uint8_t *in, int k) {
  uint32_t bad = 0;
  for (unsigned i = 0; i < (unsigned)k * QS_MLKEM_N / 2; i++) {
    uint32_t b0 = in[3 * i], b1 = in[3 * i + 1], b2 = in[3 * i + 2];
    uint32_t a0 = b0 | ((b1 & 0x0F) << 8);
    uint32_t a1 = (b1 >> 4) | (b2 << 4);
    /* (q-1 - a) underflows (sets bit 31) exactly when a >= q */
    bad |= ((uint32_t)(QS_MLKEM_Q - 1) - a0) | ((uint32_t)(QS_MLKEM_Q - 1) - a1);
  }
  return bad >> 31;
}
