/*
 * FIPS 204 §7.1-7.2 encodings: SimpleBitPack/BitPack (Alg 16-19),
 * HintBitPack/HintBitUnpack (Alg 20-21) and the pk/sk/sig layouts
 * (Alg 22-27). Bit widths are public, so the loops branch only on them.
 */
#include <string.h>
#include "mldsa.h"

/* Kept as a loop: unrolled or vectorised by clang it was no faster and
 * cost 1.5 KB gzip of wasm. gcc (native tests) has no such pragma. */
#if defined(__clang__)
#define QS_LOOP_NOT_UNROLLED_NOR_VECTORIZED _Pragma("clang loop unroll(disable) vectorize(disable)")
#else
#define QS_LOOP_NOT_UNROLLED_NOR_VECTORIZED
#endif

/* Writes 256 fields of `bits` bits, least significant bit first; field i
 * holds `add - a_i` when negate is set (BitPack) or a_i (SimpleBitPack).
 * Eight fields fill `bits` whole bytes (at most 16 bytes here, two 64-bit
 * words), so each group is assembled and written on its own; with `bits` a
 * constant the shifts and the byte count are constants too. */
QS_INLINE void pack_groups_of_8(uint8_t *out, const int32_t *a, unsigned bits, int32_t add, int negate) {
  const uint32_t mask = (1u << bits) - 1u;
  QS_LOOP_NOT_UNROLLED_NOR_VECTORIZED
  for (unsigned i = 0; i < 256; i += 8, out += bits) {
    uint64_t w[2] = {0, 0};
    for (unsigned j = 0; j < 8; j++) {
      uint64_t v = (uint32_t)(negate ? add - a[i + j] : a[i + j]) & mask;
      unsigned s = j * bits;
      if (s >= 64) {
        w[1] |= v << (s - 64);
      } else {
        w[0] |= v << s;
        if (s + bits > 64) w[1] |= v >> (64 - s);
      }
    }
    /* Whole-word stores: clang does not merge the byte stores of a group. */
    if (bits >= 8) {
      qs_store64_le(out, w[0]);
      unsigned b = 8;
      if (bits - b >= 4) {
        qs_store32_le(out + b, (uint32_t)w[1]);
        b += 4;
      }
      for (; b < bits; b++) out[b] = (uint8_t)(w[1] >> (8 * (b - 8)));
    } else {
      qs_store32_le(out, (uint32_t)w[0]); /* bits == 4 */
    }
  }
}

/* The widths a key pair writes (s1/s2 at eta = 4, t1, t0) get constant-width
 * copies: packing was ~7% of ML-DSA-65 keygen with the generic loop below,
 * which carries its bit position from one field to the next. */
static void pack_bits(uint8_t *out, const int32_t *a, unsigned bits, int32_t add, int negate) {
  switch (bits) {
    case 4: pack_groups_of_8(out, a, 4, add, negate); return;
    case 10: pack_groups_of_8(out, a, 10, add, negate); return;
    case 13: pack_groups_of_8(out, a, 13, add, negate); return;
    default: break;
  }
  const uint32_t mask = (1u << bits) - 1u;
  uint64_t acc = 0;
  unsigned have = 0;
  for (unsigned i = 0; i < 256; i++) {
    uint32_t v = (uint32_t)(negate ? add - a[i] : a[i]) & mask;
    acc |= (uint64_t)v << have;
    have += bits;
    if (have >= 32) {
      qs_store32_le(out, (uint32_t)acc);
      out += 4;
      acc >>= 32;
      have -= 32;
    }
  }
}

/* Inverse of pack_bits: a_i = add - field (negate) or field. */
static void unpack_bits(int32_t *a, const uint8_t *in, unsigned bits, int32_t add, int negate) {
  /* Hot widths (t1, z) decode a whole byte-aligned group per 64-bit load;
   * the generic loop below handles the rest. */
  if (bits == 10 || bits == 20) {
    const unsigned group = bits == 10 ? 4 : 2; /* either way one group is 5 bytes */
    const uint32_t mask = (1u << bits) - 1u;
    for (unsigned i = 0; i < 256; i += group, in += 5) {
      uint64_t v = (uint64_t)qs_load32_le(in) | ((uint64_t)in[4] << 32);
      for (unsigned k = 0; k < group; k++) {
        int32_t f = (int32_t)((v >> (k * bits)) & mask);
        a[i + k] = negate ? add - f : f;
      }
    }
    return;
  }
  if (bits == 18) { /* only z uses 18 bits, always as BitUnpack (negate) */
    for (unsigned i = 0; i < 256; i += 4, in += 9) {
      uint64_t v = qs_load64_le(in);
      a[i + 0] = add - (int32_t)(v & 0x3FFFF);
      a[i + 1] = add - (int32_t)((v >> 18) & 0x3FFFF);
      a[i + 2] = add - (int32_t)((v >> 36) & 0x3FFFF);
      a[i + 3] = add - (int32_t)(((v >> 54) | ((uint64_t)in[8] << 10)) & 0x3FFFF);
    }
    return;
  }
  /* As in pack_bits, whole 32-bit words: reads exactly 32 * bits bytes. */
  uint64_t acc = 0;
  unsigned have = 0;
  for (unsigned i = 0; i < 256; i++) {
    if (have < bits) {
      acc |= (uint64_t)qs_load32_le(in) << have;
      in += 4;
      have += 32;
    }
    int32_t v = (int32_t)(acc & ((1u << bits) - 1u));
    acc >>= bits;
    have -= bits;
    a[i] = negate ? add - v : v;
  }
}

void qs_mldsa_pack_pk(const qs_mldsa_params *p, uint8_t *pk, const uint8_t rho[32], const qs_poly *t1) {
  memcpy(pk, rho, 32);
  for (int i = 0; i < p->k; i++) pack_bits(pk + 32 + i * QS_MLDSA_POLYT1_BYTES, t1[i].c, 10, 0, 0);
}

void qs_mldsa_unpack_pk(const qs_mldsa_params *p, uint8_t rho[32], qs_poly *t1, const uint8_t *pk) {
  memcpy(rho, pk, 32);
  for (int i = 0; i < p->k; i++) unpack_bits(t1[i].c, pk + 32 + i * QS_MLDSA_POLYT1_BYTES, 10, 0, 0);
}

void qs_mldsa_pack_sk(const qs_mldsa_params *p, uint8_t *sk, const uint8_t rho[32], const uint8_t key[32],
                      const uint8_t tr[64], const qs_poly *s1, const qs_poly *s2, const qs_poly *t0) {
  unsigned eb = p->eta == 2 ? 3 : 4;
  memcpy(sk, rho, 32);
  memcpy(sk + 32, key, 32);
  memcpy(sk + 64, tr, 64);
  sk += 128;
  for (int i = 0; i < p->l; i++, sk += p->polyeta_bytes) pack_bits(sk, s1[i].c, eb, p->eta, 1);
  for (int i = 0; i < p->k; i++, sk += p->polyeta_bytes) pack_bits(sk, s2[i].c, eb, p->eta, 1);
  for (int i = 0; i < p->k; i++, sk += QS_MLDSA_POLYT0_BYTES) pack_bits(sk, t0[i].c, 13, 1 << 12, 1);
}

/* All-ones when some coefficient lies outside [-eta, eta]. */
static uint32_t eta_out_of_range(const int32_t *a, int32_t eta) {
  int32_t bad = 0;
  for (unsigned i = 0; i < 256; i++) bad |= ((eta - a[i]) | (a[i] + eta)) >> 31;
  return (uint32_t)bad;
}

int qs_mldsa_unpack_sk(const qs_mldsa_params *p, uint8_t rho[32], uint8_t key[32], uint8_t tr[64],
                       qs_poly *s1, qs_poly *s2, qs_poly *t0, const uint8_t *sk) {
  unsigned eb = p->eta == 2 ? 3 : 4;
  uint32_t bad = 0;
  memcpy(rho, sk, 32);
  memcpy(key, sk + 32, 32);
  memcpy(tr, sk + 64, 64);
  sk += 128;
  for (int i = 0; i < p->l; i++, sk += p->polyeta_bytes) {
    unpack_bits(s1[i].c, sk, eb, p->eta, 1);
    bad |= eta_out_of_range(s1[i].c, p->eta);
  }
  for (int i = 0; i < p->k; i++, sk += p->polyeta_bytes) {
    unpack_bits(s2[i].c, sk, eb, p->eta, 1);
    bad |= eta_out_of_range(s2[i].c, p->eta);
  }
  for (int i = 0; i < p->k; i++, sk += QS_MLDSA_POLYT0_BYTES) unpack_bits(t0[i].c, sk, 13, 1 << 12, 1);
  /* Validity of the key is not secret; only the coefficients are. */
  bad = qs_value_barrier_u32(bad);
  QS_DECLASSIFY(&bad, sizeof bad);
  return bad ? QS_ERR_INVALID_SECRET_KEY : QS_OK;
}

/* The largest omega of the three parameter sets (ML-DSA-44). */
#define QS_MLDSA_OMEGA_MAX 80

static void pack_hint(const qs_mldsa_params *p, uint8_t *y, const qs_poly *h);

void qs_mldsa_pack_sig(const qs_mldsa_params *p, uint8_t *sig, const uint8_t *ctilde, const qs_poly *z, const qs_poly *h) {
  unsigned zb = p->gamma1 == (1 << 17) ? 18 : 20;
  memcpy(sig, ctilde, p->ctilde_bytes);
  sig += p->ctilde_bytes;
  for (int i = 0; i < p->l; i++, sig += p->polyz_bytes) pack_bits(sig, z[i].c, zb, p->gamma1, 1);
  pack_hint(p, sig, h);
}

/*
 * FIPS 204 Alg 20 HintBitPack. y has omega + k bytes: y[0..omega) lists the
 * positions j of the ones of h[0], then h[1], ..., each list ascending, and
 * zero after the last; y[omega + i] is how many positions h[0..i] took in
 * all. The signer checked that at most omega hints are set. Every position
 * is written to the next free slot and the slot is kept only when the bit is
 * set, so the loop has no branch (slot omega is a discard slot, never
 * copied out). The hint is public, so this is tidiness, not secrecy.
 */
static void pack_hint(const qs_mldsa_params *p, uint8_t *y, const qs_poly *h) {
  const unsigned omega = (unsigned)p->omega;
  uint8_t list[QS_MLDSA_OMEGA_MAX + 1] = {0};
  unsigned used = 0;
  for (int i = 0; i < p->k; i++) {
    for (unsigned j = 0; j < 256; j++) {
      list[used] = (uint8_t)j;
      used += (uint32_t)h[i].c[j] & 1u;
      used -= (uint32_t)(omega - used) >> 31; /* stay at the discard slot */
    }
    y[omega + (unsigned)i] = (uint8_t)used;
  }
  /* Slot used (if below omega) holds a stray position: clear it and the rest. */
  memset(list + used, 0, sizeof list - used);
  memcpy(y, list, omega);
}

/*
 * FIPS 204 Alg 21 HintBitUnpack, with its checks done in two passes: first
 * the shape of the count bytes (each y[omega + i] between the previous one
 * and omega), then each polynomial's positions (strictly ascending, so no
 * position repeats) and the zero padding after the last. Any failure is the
 * standard's ⊥: every hint then has exactly one encoding, which strong
 * unforgeability depends on.
 */
static int unpack_hint(const qs_mldsa_params *p, qs_poly *h, const uint8_t *y) {
  const unsigned omega = (unsigned)p->omega;
  const uint8_t *ends = y + omega;
  for (int i = 0; i < p->k; i++) {
    unsigned begin = i ? ends[i - 1] : 0;
    if (ends[i] < begin || ends[i] > omega) return -1;
  }
  for (int i = 0; i < p->k; i++) {
    unsigned begin = i ? ends[i - 1] : 0;
    memset(h[i].c, 0, sizeof h[i].c);
    for (unsigned s = begin; s < ends[i]; s++) {
      if (s > begin && y[s] <= y[s - 1]) return -1;
      h[i].c[y[s]] = 1;
    }
  }
  for (unsigned s = ends[p->k - 1]; s < omega; s++)
    if (y[s] != 0) return -1;
  return 0;
}

int qs_mldsa_unpack_sig(const qs_mldsa_params *p, uint8_t *ctilde, qs_poly *z, qs_poly *h, const uint8_t *sig) {
  unsigned zb = p->gamma1 == (1 << 17) ? 18 : 20;
  memcpy(ctilde, sig, p->ctilde_bytes);
  sig += p->ctilde_bytes;
  for (int i = 0; i < p->l; i++, sig += p->polyz_bytes) unpack_bits(z[i].c, sig, zb, p->gamma1, 1);
  return unpack_hint(p, h, sig);
}

void qs_mldsa_pack_w1(const qs_mldsa_params *p, uint8_t *out, const qs_poly *w1) {
  /* Runs once per signing attempt, so the two widths get straight-line loops. */
  for (int i = 0; i < p->k; i++) {
    const int32_t *c = w1[i].c;
    uint8_t *o = out + i * p->polyw1_bytes;
    if (p->gamma2 == (QS_MLDSA_Q - 1) / 88) {
      for (unsigned j = 0; j < 256; j += 4, o += 3) {
        uint32_t v = (uint32_t)c[j] | ((uint32_t)c[j + 1] << 6) | ((uint32_t)c[j + 2] << 12) | ((uint32_t)c[j + 3] << 18);
        o[0] = (uint8_t)v;
        o[1] = (uint8_t)(v >> 8);
        o[2] = (uint8_t)(v >> 16);
      }
    } else {
      for (unsigned j = 0; j < 256; j += 2) o[j >> 1] = (uint8_t)(c[j] | (c[j + 1] << 4));
    }
  }
}
