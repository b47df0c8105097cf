/*
 * FIPS 204 ML-DSA.KeyGen_internal (Alg 6), Sign_internal (Alg 7, on an
 * already computed mu) and Verify_internal (Alg 8, on mu).
 *
 * Secret values (xi, rho', K, s1, s2, t0, rho'', y, w0, c of rejected
 * attempts) flow only through branch-free kernels; every buffer that held
 * one is wiped before return.
 */
#include <string.h>
#include "mldsa.h"
#include "../fips202/fips202.h"

#define K_MAX QS_MLDSA_K_MAX
#define L_MAX QS_MLDSA_L_MAX

/*
 * A-hat cache. A-hat is a pure function of the public seed rho (FIPS 204
 * lets an implementation compute it ahead of time and keep it), yet ExpandA
 * is about half of the Keccak work of a signature and most of the work of a
 * verification. So the last few matrices stay in a small LRU cache keyed by
 * the whole 32-byte rho and the dimensions (k, l): the same rho under two
 * parameter sets yields differently shaped matrices, and the row-major layout
 * depends on l. Sign, verify and pk_from_sk look it up; keygen has a fresh
 * rho, so it only fills a slot (expanding straight into it costs nothing
 * extra), which makes signing right after keygen a hit. Nothing secret is
 * stored: rho is in the public key and A-hat is derived from rho alone, so
 * the hit/miss timing reveals only which public key was used recently.
 *
 * The wasm build is single-threaded and uses plain static slots (4 x 56 KiB
 * of the fixed 4 MiB memory, in .bss). Native builds may be called from
 * several threads, so there each thread has its own cache.
 */
#ifndef QS_MLDSA_A_CACHE_SLOTS
#define QS_MLDSA_A_CACHE_SLOTS 4
#endif
#if defined(__wasm__) && !defined(__wasm_atomics__)
#define A_CACHE_STORAGE static
#else
#define A_CACHE_STORAGE static _Thread_local
#endif

typedef struct {
  qs_poly a[K_MAX * L_MAX];
  uint8_t rho[32];
  int k, l;      /* 0 while the slot is empty */
  uint32_t used; /* LRU stamp; a wrap after 2^32 lookups only spoils one eviction choice */
} a_cache_slot;

A_CACHE_STORAGE a_cache_slot a_cache[QS_MLDSA_A_CACHE_SLOTS];
A_CACHE_STORAGE uint32_t a_cache_clock;

/* rho must already be public (declassified). The matrix stays valid until
 * the next lookup, which may evict it. */
static const qs_poly *expand_a_cached(const qs_mldsa_params *p, const uint8_t rho[32]) {
  a_cache_slot *victim = &a_cache[0];
  for (int i = 0; i < QS_MLDSA_A_CACHE_SLOTS; i++) {
    a_cache_slot *s = &a_cache[i];
    if (s->k == p->k && s->l == p->l && memcmp(s->rho, rho, 32) == 0) {
      s->used = ++a_cache_clock;
      return s->a;
    }
    if (s->used < victim->used) victim = s;
  }
  victim->k = victim->l = 0;
  qs_mldsa_expand_a(victim->a, rho, p->k, p->l);
  memcpy(victim->rho, rho, 32);
  victim->k = p->k;
  victim->l = p->l;
  victim->used = ++a_cache_clock;
  return victim->a;
}

void qs_mldsa_mu_from_tr(uint8_t mu[64], const uint8_t tr[64], const uint8_t *pre, size_t prelen,
                         const uint8_t *msg, size_t msglen) {
  qs_keccak_state st;
  qs_shake256_init(&st);
  qs_keccak_absorb(&st, tr, 64);
  qs_keccak_absorb(&st, pre, prelen);
  qs_keccak_absorb(&st, msg, msglen);
  qs_keccak_finalize(&st);
  qs_keccak_squeeze(&st, mu, 64);
  qs_zeroize(&st, sizeof st);
}

void qs_mldsa_mu_from_pk(uint8_t mu[64], const uint8_t *pk, size_t pklen, const uint8_t *pre, size_t prelen,
                         const uint8_t *msg, size_t msglen) {
  uint8_t tr[64];
  qs_shake256(tr, 64, pk, pklen);
  qs_mldsa_mu_from_tr(mu, tr, pre, prelen, msg, msglen);
}

/* t = A*s1 + s2 in [0, q), from s1 in NTT form. */
static void compute_t(const qs_mldsa_params *p, qs_poly *t, const qs_poly *a, const qs_poly *s1hat, const qs_poly *s2) {
  for (int i = 0; i < p->k; i++) {
    qs_mldsa_pointwise_acc(&t[i], &a[i * p->l], s1hat, p->l);
    qs_mldsa_invntt_tomont(&t[i]);
    qs_mldsa_poly_add(&t[i], &t[i], &s2[i]);
    qs_mldsa_poly_reduce(&t[i]);
    qs_mldsa_poly_caddq(&t[i]);
  }
}

typedef struct {
  qs_poly s1[L_MAX], s1hat[L_MAX], s2[K_MAX], t[K_MAX], t1[K_MAX], t0[K_MAX];
  uint8_t expanded[128];
  uint8_t tr[64];
} keygen_ws;

int qs_mldsa_keygen_internal(const qs_mldsa_params *p, uint8_t *pk, uint8_t *sk, const uint8_t xi[32]) {
  keygen_ws ws;
  uint8_t in[34];
  memcpy(in, xi, 32);
  in[32] = (uint8_t)p->k; /* domain separation added by the final FIPS 204 */
  in[33] = (uint8_t)p->l;
  qs_shake256(ws.expanded, 128, in, sizeof in);
  const uint8_t *rho = ws.expanded, *rhoprime = ws.expanded + 32, *key = ws.expanded + 96;
  QS_DECLASSIFY(ws.expanded, 32); /* rho is published in pk */

  const qs_poly *a = expand_a_cached(p, rho);
  qs_mldsa_expand_s(ws.s1, ws.s2, rhoprime, p->k, p->l, p->eta);
  for (int i = 0; i < p->l; i++) {
    ws.s1hat[i] = ws.s1[i];
    qs_mldsa_ntt(&ws.s1hat[i]);
  }
  compute_t(p, ws.t, a, ws.s1hat, ws.s2);
  for (int i = 0; i < p->k; i++) qs_mldsa_poly_power2round(&ws.t1[i], &ws.t0[i], &ws.t[i]);
  qs_mldsa_pack_pk(p, pk, rho, ws.t1);
  qs_shake256(ws.tr, 64, pk, p->pk_bytes);
  qs_mldsa_pack_sk(p, sk, rho, key, ws.tr, ws.s1, ws.s2, ws.t0);

  qs_zeroize(&ws, sizeof ws);
  qs_zeroize(in, sizeof in);
  return QS_OK;
}

int qs_mldsa_pk_from_sk(const qs_mldsa_params *p, uint8_t *pk, const uint8_t *sk) {
  keygen_ws ws;
  uint8_t rho[32], key[32];
  int rc = qs_mldsa_unpack_sk(p, rho, key, ws.tr, ws.s1, ws.s2, ws.t0, sk);
  if (rc == QS_OK) {
    QS_DECLASSIFY(rho, 32); /* rho is published in pk */
    const qs_poly *a = expand_a_cached(p, rho);
    for (int i = 0; i < p->l; i++) {
      ws.s1hat[i] = ws.s1[i];
      qs_mldsa_ntt(&ws.s1hat[i]);
    }
    compute_t(p, ws.t, a, ws.s1hat, ws.s2);
    for (int i = 0; i < p->k; i++) qs_mldsa_poly_power2round(&ws.t1[i], &ws.t[i], &ws.t[i]);
    qs_mldsa_pack_pk(p, pk, rho, ws.t1);
  }
  qs_zeroize(&ws, sizeof ws);
  qs_zeroize(rho, sizeof rho);
  qs_zeroize(key, sizeof key);
  return rc;
}

/* Whether a candidate's polynomial breaks a signing bound; public (see the
 * rejection step of qs_mldsa_sign_mu_internal). */
static int exceeds_public(const qs_poly *a, int32_t bound) {
  uint32_t bad = qs_value_barrier_u32(qs_mldsa_poly_exceeds(a, bound));
  QS_DECLASSIFY(&bad, sizeof bad);
  return bad != 0;
}

/*
 * Attempt cap of Sign_internal. FIPS 204 Alg 7 loops until a candidate passes
 * its bounds; Appendix C (Table 3) lets an implementation stop after a fixed
 * number of attempts, but not fewer than 814. The expected number of attempts
 * is 4.25 / 5.1 / 3.85 for ML-DSA-44 / 65 / 87 (Table 1), so an attempt is
 * rejected with probability at most 1 - 1/5.1; 814 rejections in a row then
 * happen with probability (1 - 1/5.1)^814 ~ 2^-256 (ML-DSA-65, the worst set;
 * 2^-315 and 2^-353 for 44 and 87). Honest randomness never reaches the cap;
 * stopping there turns a broken XOF or a hostile sk into an error instead of
 * an endless loop. The native tests lower it to reach that error path; the
 * shipped build always uses 814.
 *
 * ExpandMask's nonce kappa + r is 16 bits (IntegerToBytes(kappa + r, 2)).
 * The largest nonce drawn is attempts * l (the prefetched ynext of an odd l),
 * so the cap keeps every nonce below 2^16: the counter cannot wrap and reuse
 * a mask y.
 */
#ifndef QS_MLDSA_MAX_ATTEMPTS
#define QS_MLDSA_MAX_ATTEMPTS 814
#endif
_Static_assert(QS_MLDSA_MAX_ATTEMPTS >= 1 && (long)QS_MLDSA_MAX_ATTEMPTS * L_MAX <= 0xFFFF,
               "the attempt cap must keep ExpandMask nonces within 16 bits");

typedef struct {
  qs_poly s1[L_MAX], s2[K_MAX], t0[K_MAX];
  qs_poly y[L_MAX], yhat[L_MAX], z[L_MAX], ynext;
  qs_poly w[K_MAX], w1[K_MAX], w0[K_MAX], h[K_MAX];
  qs_poly c, cs, tmp;
  uint8_t w1buf[K_MAX * 192];
  uint8_t rho[32], key[32], tr[64], rhopp[64], ctilde[QS_MLDSA_CTILDE_MAX];
  uint8_t seedbuf[32 + 32 + 64];
} sign_ws;

int qs_mldsa_sign_mu_internal(const qs_mldsa_params *p, uint8_t *sig, const uint8_t *sk,
                              const uint8_t mu[64], const uint8_t rnd[32]) {
  sign_ws ws;
  const int k = p->k, l = p->l;
  int rc = qs_mldsa_unpack_sk(p, ws.rho, ws.key, ws.tr, ws.s1, ws.s2, ws.t0, sk);
  if (rc != QS_OK) goto done;
  QS_DECLASSIFY(ws.rho, 32); /* rho is published in pk */

  for (int i = 0; i < l; i++) qs_mldsa_ntt(&ws.s1[i]);
  for (int i = 0; i < k; i++) qs_mldsa_ntt(&ws.s2[i]);
  for (int i = 0; i < k; i++) qs_mldsa_ntt(&ws.t0[i]);
  const qs_poly *a = expand_a_cached(p, ws.rho);

  memcpy(ws.seedbuf, ws.key, 32);
  memcpy(ws.seedbuf + 32, rnd, 32);
  memcpy(ws.seedbuf + 64, mu, 64);
  qs_shake256(ws.rhopp, 64, ws.seedbuf, sizeof ws.seedbuf);

  /* ExpandMask draws its polynomials in pairs. When l is odd, the last one
   * of an attempt is paired with the first of the next attempt (nonce
   * kappa + l), which is kept in ynext: every pair then fills both lanes of
   * the 2-way Keccak. Whether ynext is filled depends only on the attempt
   * count, which is public; it is secret like y and wiped with ws. */
  int have_next = 0;
  for (unsigned attempt = 0;; attempt++) {
    if (attempt == QS_MLDSA_MAX_ATTEMPTS) {
      rc = QS_ERR_SIGN_ATTEMPTS;
      goto done;
    }
    const uint16_t kappa = (uint16_t)(attempt * (unsigned)l); /* < 2^16 by the assertion above */
    int r = 0;
    if (have_next) ws.y[r++] = ws.ynext;
    for (; r + 1 < l; r += 2)
      qs_mldsa_expand_mask_x2(&ws.y[r], &ws.y[r + 1], ws.rhopp, (uint16_t)(kappa + r), (uint16_t)(kappa + r + 1),
                              p->gamma1);
    have_next = r < l;
    if (have_next)
      qs_mldsa_expand_mask_x2(&ws.y[r], &ws.ynext, ws.rhopp, (uint16_t)(kappa + r), (uint16_t)(kappa + l), p->gamma1);
    for (int i = 0; i < l; i++) {
      ws.yhat[i] = ws.y[i];
      qs_mldsa_ntt(&ws.yhat[i]);
    }
    for (int i = 0; i < k; i++) {
      qs_mldsa_pointwise_acc(&ws.w[i], &a[i * l], ws.yhat, l);
      qs_mldsa_invntt_tomont(&ws.w[i]);
      qs_mldsa_poly_caddq(&ws.w[i]);
      qs_mldsa_poly_decompose(&ws.w1[i], &ws.w0[i], &ws.w[i], p->gamma2);
    }
    qs_mldsa_pack_w1(p, ws.w1buf, ws.w1);
    {
      qs_keccak_state st;
      qs_shake256_init(&st);
      qs_keccak_absorb(&st, mu, 64);
      qs_keccak_absorb(&st, ws.w1buf, (size_t)k * p->polyw1_bytes);
      qs_keccak_finalize(&st);
      qs_keccak_squeeze(&st, ws.ctilde, p->ctilde_bytes);
      qs_zeroize(&st, sizeof st);
    }
    qs_mldsa_sample_in_ball(&ws.c, ws.ctilde, p->ctilde_bytes, p->tau);
    qs_mldsa_ntt(&ws.c);
    qs_mldsa_pointwise_prepare(&ws.c, &ws.cs);

    /* Rejection. Each norm check is tested as soon as its polynomial is
     * ready, and the attempt stops at the first failure. Which check failed,
     * and on which polynomial, is declassified: a rejected candidate is
     * discarded, so its bounds say nothing about the key (Dilithium round 3
     * specification, section 5.5; the reference code stops the same way).
     * Only the values stay secret. The r0 check goes first because it fails
     * most often (about 2 in 3 attempts for ML-DSA-65, against 2 in 5 for
     * z), which skips most inverse NTTs of a rejected attempt: ~6 instead of
     * 17. */
    int rejected = 0;
    for (int i = 0; i < k && !rejected; i++) {
      qs_mldsa_pointwise_fixed(&ws.tmp, &ws.s2[i], &ws.c, &ws.cs);
      qs_mldsa_invntt_tomont(&ws.tmp);
      qs_mldsa_poly_sub(&ws.w0[i], &ws.w0[i], &ws.tmp);
      qs_mldsa_poly_reduce(&ws.w0[i]);
      rejected = exceeds_public(&ws.w0[i], p->gamma2 - p->beta);
    }
    for (int i = 0; i < l && !rejected; i++) {
      qs_mldsa_pointwise_fixed(&ws.z[i], &ws.s1[i], &ws.c, &ws.cs);
      qs_mldsa_invntt_tomont(&ws.z[i]);
      qs_mldsa_poly_add(&ws.z[i], &ws.z[i], &ws.y[i]);
      qs_mldsa_poly_reduce(&ws.z[i]);
      rejected = exceeds_public(&ws.z[i], p->gamma1 - p->beta);
    }
    unsigned hints = 0;
    for (int i = 0; i < k && !rejected; i++) {
      qs_mldsa_pointwise_fixed(&ws.tmp, &ws.t0[i], &ws.c, &ws.cs);
      qs_mldsa_invntt_tomont(&ws.tmp);
      qs_mldsa_poly_reduce(&ws.tmp);
      rejected = exceeds_public(&ws.tmp, p->gamma2);
      qs_mldsa_poly_add(&ws.w0[i], &ws.w0[i], &ws.tmp);
      hints += qs_mldsa_poly_make_hint(&ws.h[i], &ws.w0[i], &ws.w1[i], p->gamma2);
    }
    if (!rejected) {
      uint32_t too_many = qs_value_barrier_u32((uint32_t)((int32_t)((unsigned)p->omega - hints) >> 31));
      QS_DECLASSIFY(&too_many, sizeof too_many); /* public: the hint count of a kept signature is in it */
      if (too_many == 0) break;
    }
  }
  /* c-tilde, z and h of the accepted attempt are the published signature. */
  QS_DECLASSIFY(ws.ctilde, sizeof ws.ctilde);
  QS_DECLASSIFY(ws.z, sizeof ws.z);
  QS_DECLASSIFY(ws.h, sizeof ws.h);
  qs_mldsa_pack_sig(p, sig, ws.ctilde, ws.z, ws.h);

done:
  /* A failed call leaves no partial or stale bytes where a caller might
   * mistake them for a signature. */
  if (rc != QS_OK) memset(sig, 0, p->sig_bytes);
  qs_zeroize(&ws, sizeof ws);
  return rc;
}

typedef struct {
  qs_poly t1[K_MAX], z[L_MAX], h[K_MAX], w[K_MAX], c, cs, tmp;
  uint8_t w1buf[K_MAX * 192];
  uint8_t rho[32], ctilde[QS_MLDSA_CTILDE_MAX], ctilde2[QS_MLDSA_CTILDE_MAX];
} verify_ws;

int qs_mldsa_verify_mu_internal(const qs_mldsa_params *p, const uint8_t *pk, const uint8_t mu[64],
                                const uint8_t *sig, size_t siglen) {
  /* Verification handles only public data, so early returns are fine. */
  verify_ws wsv;
  verify_ws *ws = &wsv;
  const int k = p->k, l = p->l;
  if (siglen != p->sig_bytes) return QS_ERR_INVALID_SIGNATURE;
  if (qs_mldsa_unpack_sig(p, ws->ctilde, ws->z, ws->h, sig) != 0) return QS_ERR_INVALID_SIGNATURE;
  uint32_t bad = 0;
  for (int i = 0; i < l; i++) bad |= qs_mldsa_poly_exceeds(&ws->z[i], p->gamma1 - p->beta);
  if (bad) return QS_ERR_INVALID_SIGNATURE;

  qs_mldsa_unpack_pk(p, ws->rho, ws->t1, pk);
  const qs_poly *a = expand_a_cached(p, ws->rho);
  qs_mldsa_sample_in_ball(&ws->c, ws->ctilde, p->ctilde_bytes, p->tau);
  qs_mldsa_ntt(&ws->c);
  qs_mldsa_pointwise_prepare(&ws->c, &ws->cs);
  for (int i = 0; i < l; i++) qs_mldsa_ntt(&ws->z[i]);
  for (int i = 0; i < k; i++) {
    qs_mldsa_pointwise_acc(&ws->w[i], &a[i * l], ws->z, l);
    qs_mldsa_poly_shiftl(&ws->t1[i]);
    qs_mldsa_ntt(&ws->t1[i]);
    qs_mldsa_pointwise_fixed(&ws->tmp, &ws->t1[i], &ws->c, &ws->cs);
    qs_mldsa_poly_sub(&ws->w[i], &ws->w[i], &ws->tmp);
    qs_mldsa_poly_reduce(&ws->w[i]);
    qs_mldsa_invntt_tomont(&ws->w[i]);
    qs_mldsa_poly_caddq(&ws->w[i]);
    qs_mldsa_poly_use_hint(&ws->w[i], &ws->w[i], &ws->h[i], p->gamma2);
  }
  qs_mldsa_pack_w1(p, ws->w1buf, ws->w);
  qs_keccak_state st;
  qs_shake256_init(&st);
  qs_keccak_absorb(&st, mu, 64);
  qs_keccak_absorb(&st, ws->w1buf, (size_t)k * p->polyw1_bytes);
  qs_keccak_finalize(&st);
  qs_keccak_squeeze(&st, ws->ctilde2, p->ctilde_bytes);
  return qs_ct_memcmp_mask(ws->ctilde, ws->ctilde2, p->ctilde_bytes) == 0 ? QS_OK : QS_ERR_INVALID_SIGNATURE;
}
