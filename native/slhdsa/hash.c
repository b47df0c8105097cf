/*
 * The tweakable hash functions of FIPS 205 §11: PRF, PRF_msg, H_msg, F, H
 * and T_l for the SHAKE sets (§11.1) and the SHA2 sets (§11.2.1 category 1,
 * §11.2.2 categories 3 and 5), one-lane and four-lane.
 *
 * SHA2: every F/H/T_l/PRF input starts with PK.seed ‖ 0^(64-n) (one SHA-256
 * block) or PK.seed ‖ 0^(128-n) (one SHA-512 block), so the state after that
 * block is computed once per operation (slh_ctx_init) and every call hashes
 * only ADRSc ‖ M. ADRSc is the 22-byte compressed address (§11.2).
 */
#include <string.h>
#include "../fips202/fips202.h"
#include "../fips202/fips202x2.h"
#include "sha256x4.h"
#include "slhdsa.h"

void slh_ctx_init(slh_ctx *c, const slh_params *p, const uint8_t *pk_seed, const uint8_t *sk_seed) {
  memset(c, 0, sizeof *c);
  c->p = p;
  memcpy(c->pk_seed, pk_seed, p->n);
  if (sk_seed) memcpy(c->sk_seed, sk_seed, p->n);
  if (!p->shake) {
    uint8_t block[128] = {0};
    memcpy(block, pk_seed, p->n);
    qs_sha256_ctx s;
    qs_sha256_init(&s);
    qs_sha256_compress(s.h, block, 1);
    memcpy(c->st256, s.h, sizeof c->st256);
    if (p->n > 16) {
      qs_sha512_ctx s5;
      qs_sha512_init_kind(&s5, QS_SHA2_512);
      qs_sha512_compress(s5.h, block, 1);
      memcpy(c->st512, s5.h, sizeof c->st512);
    }
  }
}

void slh_ctx_wipe(slh_ctx *c) { qs_zeroize(c, sizeof *c); }

/* ADRSc = ADRS[3] ‖ ADRS[8..16) ‖ ADRS[19] ‖ ADRS[20..32). */
static inline void compress_adrs(uint8_t out[22], const slh_adrs *a) {
  out[0] = a->b[3];
  memcpy(out + 1, a->b + 8, 8);
  out[9] = a->b[19];
  memcpy(out + 10, a->b + 20, 12);
}

/* F always uses SHA-256; H and T_l use SHA-512 in categories 3 and 5. */
static inline int uses_sha512(const slh_params *p, size_t inblocks) { return p->n > 16 && inblocks > 1; }

void slh_thash(const slh_ctx *c, uint8_t *out, const slh_adrs *adrs, const uint8_t *in, size_t inblocks) {
  const slh_params *p = c->p;
  size_t inlen = inblocks * p->n;
  if (p->shake) {
    qs_keccak_state st;
    qs_shake256_init(&st);
    qs_keccak_absorb(&st, c->pk_seed, p->n);
    qs_keccak_absorb(&st, adrs->b, 32);
    qs_keccak_absorb(&st, in, inlen);
    qs_keccak_finalize(&st);
    qs_keccak_squeeze(&st, out, p->n);
    qs_zeroize(&st, sizeof st);
    return;
  }
  uint8_t ac[22];
  compress_adrs(ac, adrs);
  if (uses_sha512(p, inblocks)) {
    qs_sha512_ctx s;
    memcpy(s.h, c->st512, sizeof s.h);
    s.len = 128;
    s.fill = 0;
    qs_sha512_update(&s, ac, 22);
    qs_sha512_update(&s, in, inlen);
    qs_sha512_final(&s, out, p->n);
  } else {
    qs_sha256_ctx s;
    memcpy(s.h, c->st256, sizeof s.h);
    s.len = 64;
    s.fill = 0;
    qs_sha256_update(&s, ac, 22);
    qs_sha256_update(&s, in, inlen);
    qs_sha256_final(&s, out, p->n);
  }
}

/* PRF(PK.seed, SK.seed, ADRS) has the shape of F with SK.seed as the message
 * (§11.1 and §11.2 alike). */
void slh_prf(const slh_ctx *c, uint8_t *out, const slh_adrs *adrs) { slh_thash(c, out, adrs, c->sk_seed, 1); }

/* Largest per-lane input of the parallel path: PK.seed ‖ ADRS ‖ in for
 * SHAKE with in up to len·n bytes (T_len of a WOTS+ public key). */
#define X4_MAX_IN (SLH_MAX_N + 32 + SLH_MAX_LEN * SLH_MAX_N)

void slh_thash_x4(const slh_ctx *c, uint8_t *out[4], const slh_adrs adrs[4], const uint8_t *const in[4],
                  size_t inblocks) {
  const slh_params *p = c->p;
  size_t n = p->n, inlen = inblocks * n;
  if (uses_sha512(p, inblocks)) {
    for (int i = 0; i < 4; i++) slh_thash(c, out[i], &adrs[i], in[i], inblocks);
    return;
  }
  uint8_t buf[4][X4_MAX_IN];
  size_t used = 0;
  const uint8_t *lanes[4] = {buf[0], buf[1], buf[2], buf[3]};
  if (p->shake && n + 32 + inlen < QS_SHAKE256_RATE) {
    /* One SHAKE256 block per lane (every F, H and PRF; PK.seed, ADRS and the
     * input are whole 64-bit words): the two-lane state is written directly
     * (lane l of word j is s[2j + l], the fips202x2 layout), padded, permuted
     * once, and the first n bytes read back. Its state is wiped with the
     * stack at the end of the operation (slh_scrub_stack). */
    const size_t words = (n + 32 + inlen) / 8;
    for (int pair = 0; pair < 4; pair += 2) {
      qs_keccakx2_state st;
      memset(st.s, 0, sizeof st.s);
      for (int l = 0; l < 2; l++) {
        const uint8_t *src[3] = {c->pk_seed, adrs[pair + l].b, in[pair + l]};
        const size_t nw[3] = {n / 8, 4, inlen / 8};
        size_t w = 0;
        for (int part = 0; part < 3; part++)
          for (size_t j = 0; j < nw[part]; j++, w++) st.s[2 * w + l] = qs_load64_le(src[part] + 8 * j);
        st.s[2 * words + l] ^= 0x1F;
        st.s[2 * ((QS_SHAKE256_RATE - 1) / 8) + l] ^= 0x80ULL << 56;
      }
      qs_keccakf1600x2(st.s);
      for (int l = 0; l < 2; l++)
        for (size_t j = 0; j < n / 8; j++) qs_store64_le(out[pair + l] + 8 * j, st.s[2 * j + l]);
    }
    return;
  }
  if (p->shake) {
    size_t len = n + 32 + inlen;
    uint8_t outb[4][QS_SHAKE256_RATE];
    used = len;
    for (int i = 0; i < 4; i++) {
      memcpy(buf[i], c->pk_seed, n);
      memcpy(buf[i] + n, adrs[i].b, 32);
      memcpy(buf[i] + n + 32, in[i], inlen);
    }
    for (int pair = 0; pair < 4; pair += 2) {
      qs_keccakx2_state st;
      qs_keccakx2_absorb_once(&st, QS_SHAKE256_RATE, lanes[pair], len, 0x1F, lanes[pair + 1], len, 0x1F);
      qs_keccakx2_squeezeblocks(outb[pair], outb[pair + 1], 1, QS_SHAKE256_RATE, &st);
      qs_zeroize(&st, sizeof st);
    }
    for (int i = 0; i < 4; i++) memcpy(out[i], outb[i], n);
    qs_zeroize(outb, sizeof outb);
  } else if (22 + inlen + 9 <= 64) {
    /* One padded block per lane after the PK.seed block (F, PRF, and H for
     * n = 16): length field (64 + 22 + inlen)·8 bits. */
    uint8_t blk[4][64], dig[4][32];
    const uint8_t *blks[4] = {blk[0], blk[1], blk[2], blk[3]};
    uint8_t *douts[4] = {dig[0], dig[1], dig[2], dig[3]};
    uint32_t bits = (uint32_t)(64 + 22 + inlen) * 8;
    for (int i = 0; i < 4; i++) {
      compress_adrs(blk[i], &adrs[i]);
      memcpy(blk[i] + 22, in[i], inlen);
      blk[i][22 + inlen] = 0x80;
      memset(blk[i] + 23 + inlen, 0, 64 - 4 - (23 + inlen));
      slh_set_u32(blk[i] + 60, bits);
    }
    qs_sha256x4_1block(douts, c->st256, blks);
    for (int i = 0; i < 4; i++) memcpy(out[i], dig[i], n);
    /* blk and dig are wiped with the stack at the end of the operation
     * (slh_scrub_stack): this is the innermost loop of signing. */
    return;
  } else {
    uint8_t dig[4][32];
    uint8_t *douts[4] = {dig[0], dig[1], dig[2], dig[3]};
    used = 22 + inlen;
    for (int i = 0; i < 4; i++) {
      compress_adrs(buf[i], &adrs[i]);
      memcpy(buf[i] + 22, in[i], inlen);
    }
    qs_sha256x4(douts, c->st256, 64, lanes, 22 + inlen);
    for (int i = 0; i < 4; i++) memcpy(out[i], dig[i], n);
    qs_zeroize(dig, sizeof dig);
  }
  for (int i = 0; i < 4; i++) qs_zeroize(buf[i], used);
}

void slh_chain_x4(const slh_ctx *c, uint8_t *out[4], const slh_adrs adrs[4], const uint8_t *const in[4],
                  unsigned steps) {
  const size_t n = c->p->n;
  if (!c->p->shake) {
    uint8_t ac[4][22];
    const uint8_t *acs[4] = {ac[0], ac[1], ac[2], ac[3]};
    for (int i = 0; i < 4; i++) compress_adrs(ac[i], &adrs[i]);
    qs_sha256x4_chain(out, c->st256, acs, in, n, steps);
    return;
  }
  /* SHAKE: step by step through the two-way Keccak, from copies of the
   * inputs (an output may alias another lane's input). */
  uint8_t cur[4][SLH_MAX_N];
  uint8_t *curs[4] = {cur[0], cur[1], cur[2], cur[3]};
  slh_adrs a[4];
  for (int i = 0; i < 4; i++) {
    memcpy(cur[i], in[i], n);
    a[i] = adrs[i];
  }
  for (unsigned j = 0; j < steps; j++) {
    slh_thash_x4(c, curs, a, (const uint8_t *const *)curs, 1);
    for (int i = 0; i < 4; i++) adrs_set_hash(&a[i], slh_get_u32(a[i].b + 28) + 1);
  }
  for (int i = 0; i < 4; i++) memcpy(out[i], cur[i], n);
  qs_zeroize(cur, sizeof cur);
}

void slh_prf_x4(const slh_ctx *c, uint8_t *out[4], const slh_adrs adrs[4]) {
  const uint8_t *in[4] = {c->sk_seed, c->sk_seed, c->sk_seed, c->sk_seed};
  slh_thash_x4(c, out, adrs, in, 1);
}

/* ---- PRF_msg and H_msg ---- */

/* HMAC (FIPS 198-1) with SHA-256 or SHA-512 over opt_rand ‖ M; the key
 * SK.prf (n bytes) is shorter than a block, so K0 is it padded with zeros. */
static void hmac_prf_msg(const slh_params *p, uint8_t *out, const uint8_t *key, const uint8_t *opt_rand,
                         const slh_msg *m) {
  uint8_t k0[128], inner[64];
  size_t bs = p->n > 16 ? 128 : 64;
  memset(k0, 0, sizeof k0);
  memcpy(k0, key, p->n);
  for (size_t i = 0; i < bs; i++) k0[i] ^= 0x36;
  if (bs == 64) {
    qs_sha256_ctx s;
    qs_sha256_init(&s);
    qs_sha256_update(&s, k0, 64);
    qs_sha256_update(&s, opt_rand, p->n);
    qs_sha256_update(&s, m->pre, m->prelen);
    qs_sha256_update(&s, m->msg, m->msglen);
    qs_sha256_final(&s, inner, 32);
    for (size_t i = 0; i < bs; i++) k0[i] ^= 0x36 ^ 0x5c;
    qs_sha256_init(&s);
    qs_sha256_update(&s, k0, 64);
    qs_sha256_update(&s, inner, 32);
    qs_sha256_final(&s, out, p->n);
  } else {
    qs_sha512_ctx s;
    qs_sha512_init_kind(&s, QS_SHA2_512);
    qs_sha512_update(&s, k0, 128);
    qs_sha512_update(&s, opt_rand, p->n);
    qs_sha512_update(&s, m->pre, m->prelen);
    qs_sha512_update(&s, m->msg, m->msglen);
    qs_sha512_final(&s, inner, 64);
    for (size_t i = 0; i < bs; i++) k0[i] ^= 0x36 ^ 0x5c;
    qs_sha512_init_kind(&s, QS_SHA2_512);
    qs_sha512_update(&s, k0, 128);
    qs_sha512_update(&s, inner, 64);
    qs_sha512_final(&s, out, p->n);
  }
  qs_zeroize(k0, sizeof k0);
  qs_zeroize(inner, sizeof inner);
}

void slh_prf_msg(const slh_params *p, uint8_t *out, const uint8_t *sk_prf, const uint8_t *opt_rand, const slh_msg *m) {
  if (p->shake) {
    qs_keccak_state st;
    qs_shake256_init(&st);
    qs_keccak_absorb(&st, sk_prf, p->n);
    qs_keccak_absorb(&st, opt_rand, p->n);
    if (m->prelen) qs_keccak_absorb(&st, m->pre, m->prelen);
    if (m->msglen) qs_keccak_absorb(&st, m->msg, m->msglen);
    qs_keccak_finalize(&st);
    qs_keccak_squeeze(&st, out, p->n);
    qs_zeroize(&st, sizeof st);
  } else {
    hmac_prf_msg(p, out, sk_prf, opt_rand, m);
  }
}

static void be32(uint8_t *o, uint32_t v) { slh_set_u32(o, v); }

void slh_h_msg(const slh_params *p, uint8_t *out, const uint8_t *r, const uint8_t *pk_seed, const uint8_t *pk_root,
               const slh_msg *m) {
  size_t n = p->n;
  if (p->shake) {
    qs_keccak_state st;
    qs_shake256_init(&st);
    qs_keccak_absorb(&st, r, n);
    qs_keccak_absorb(&st, pk_seed, n);
    qs_keccak_absorb(&st, pk_root, n);
    if (m->prelen) qs_keccak_absorb(&st, m->pre, m->prelen);
    if (m->msglen) qs_keccak_absorb(&st, m->msg, m->msglen);
    qs_keccak_finalize(&st);
    qs_keccak_squeeze(&st, out, p->m);
    qs_zeroize(&st, sizeof st);
    return;
  }
  /* MGF1-SHA-x(R ‖ PK.seed ‖ SHA-x(R ‖ PK.seed ‖ PK.root ‖ M), m) */
  uint8_t seed[2 * SLH_MAX_N + 64 + 4], block[64];
  size_t hl;
  if (n == 16) {
    qs_sha256_ctx s;
    qs_sha256_init(&s);
    qs_sha256_update(&s, r, n);
    qs_sha256_update(&s, pk_seed, n);
    qs_sha256_update(&s, pk_root, n);
    qs_sha256_update(&s, m->pre, m->prelen);
    qs_sha256_update(&s, m->msg, m->msglen);
    hl = 32;
    qs_sha256_final(&s, seed + 2 * n, hl);
  } else {
    qs_sha512_ctx s;
    qs_sha512_init_kind(&s, QS_SHA2_512);
    qs_sha512_update(&s, r, n);
    qs_sha512_update(&s, pk_seed, n);
    qs_sha512_update(&s, pk_root, n);
    qs_sha512_update(&s, m->pre, m->prelen);
    qs_sha512_update(&s, m->msg, m->msglen);
    hl = 64;
    qs_sha512_final(&s, seed + 2 * n, hl);
  }
  memcpy(seed, r, n);
  memcpy(seed + n, pk_seed, n);
  size_t seedlen = 2 * n + hl;
  for (uint32_t ctr = 0, done = 0; done < p->m; ctr++) {
    be32(seed + seedlen, ctr);
    qs_sha2(hl == 32 ? QS_SHA2_256 : QS_SHA2_512, block, seed, seedlen + 4);
    size_t take = p->m - done < hl ? p->m - done : hl;
    memcpy(out + done, block, take);
    done += (uint32_t)take;
  }
}

/* ---- §10.2.2 pre-hash ---- */
size_t slh_prehash(int ph, uint8_t out[64], const uint8_t *msg, size_t len) {
  static const int SHA2_KIND[7] = {0, QS_SHA2_256, QS_SHA2_384, QS_SHA2_512, QS_SHA2_224, QS_SHA2_512_224,
                                   QS_SHA2_512_256};
  if (ph >= 1 && ph <= 6) return qs_sha2(SHA2_KIND[ph], out, msg, len);
  switch (ph) {
    case 7: qs_sha3_224(out, msg, len); return 28;
    case 8: qs_sha3_256(out, msg, len); return 32;
    case 9: qs_sha3_384(out, msg, len); return 48;
    case 10: qs_sha3_512(out, msg, len); return 64;
    case 11: qs_shake128(out, 32, msg, len); return 32;
    case 12: qs_shake256(out, 64, msg, len); return 64;
    default: return 0;
  }
}
