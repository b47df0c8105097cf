/*
 * WOTS+ (FIPS 205 §5, Alg 5-8) with w = 16. The chains of one WOTS+ key are
 * independent, so they run four at a time through slh_chain_x4, in segments
 * as long as the shortest remaining chain: a lane that finishes its chain
 * takes the next one (chain lengths differ when signing and verifying), so
 * the lanes stay busy.
 */
#include <string.h>
#include "slhdsa.h"

/* Alg 4 base_2b with b = 4, plus the checksum digits of Alg 7/8. */
static void wots_digits(const slh_params *p, uint8_t *digits, const uint8_t *msg) {
  unsigned len1 = 2u * p->n, csum = 0;
  for (unsigned i = 0; i < p->n; i++) {
    digits[2 * i] = msg[i] >> 4;
    digits[2 * i + 1] = msg[i] & 15;
  }
  for (unsigned i = 0; i < len1; i++) csum += 15u - digits[i];
  /* csum << 4 as two bytes, read as three base-16 digits: the top 12 bits. */
  digits[len1] = (uint8_t)((csum >> 8) & 15);
  digits[len1 + 1] = (uint8_t)((csum >> 4) & 15);
  digits[len1 + 2] = (uint8_t)(csum & 15);
}

/* Advances chain i of `count` chains from position start[i] by steps[i]
 * (Alg 5 per chain): out[i] = chain(in[i], start[i], steps[i]). `adrs` is the
 * WOTS_HASH address of the key pair; chain and hash words are set per step.
 * Step counts are public (the digits of a published or public value). */
static void wots_chains(const slh_ctx *c, uint8_t *out, const uint8_t *in, const uint8_t *start, const uint8_t *steps,
                        unsigned count, const slh_adrs *adrs) {
  const size_t n = c->p->n;
  uint8_t cur[4][SLH_MAX_N], spare[SLH_MAX_N] = {0};
  slh_adrs la[4];
  unsigned chain[4], pos[4], left[4], active = 0, next = 0, busy = 0;
  uint8_t order[SLH_MAX_LEN];
  for (int l = 0; l < 4; l++) la[l] = *adrs;
  /* Chains with nothing to do are copied straight through; the others run
   * longest first, so the last segments, where lanes fall idle, are short
   * (a counting sort on the public step counts). */
  for (unsigned i = 0; i < count; i++)
    if (steps[i] == 0) memcpy(out + i * n, in + i * n, n);
  /* Kept rolled: clang -O3 unrolls and vectorizes it into kilobytes for nothing. */
#ifdef __clang__
#pragma clang loop unroll(disable) vectorize(disable)
#endif
  for (unsigned len = SLH_W - 1; len > 0; len--)
#ifdef __clang__
#pragma clang loop unroll(disable) vectorize(disable)
#endif
    for (unsigned i = 0; i < count; i++)
      if (steps[i] == len) order[busy++] = (uint8_t)i;
  for (;;) {
    for (int l = 0; l < 4; l++) {
      if (active & (1u << l)) continue;
      if (next == busy) continue;
      unsigned ci = order[next];
      chain[l] = ci;
      pos[l] = start[ci];
      left[l] = steps[ci];
      memcpy(cur[l], in + ci * n, n);
      adrs_set_chain(&la[l], ci);
      active |= 1u << l;
      next++;
    }
    if (!active) break;
    /* All active lanes advance by the shortest remaining segment in one
     * kernel call; at least one of them finishes and takes the next chain. */
    unsigned run = SLH_W;
    uint8_t *outs[4];
    const uint8_t *ins[4];
    for (int l = 0; l < 4; l++) {
      if (active & (1u << l)) {
        if (left[l] < run) run = left[l];
        adrs_set_hash(&la[l], pos[l]);
        outs[l] = cur[l];
        ins[l] = cur[l];
      } else {
        outs[l] = spare; /* idle lane: hashed and ignored */
        ins[l] = spare;
      }
    }
    slh_chain_x4(c, outs, la, ins, run);
    for (int l = 0; l < 4; l++) {
      if (!(active & (1u << l))) continue;
      pos[l] += run;
      left[l] -= run;
      if (left[l] == 0) {
        memcpy(out + chain[l] * n, cur[l], n);
        active &= ~(1u << l);
      }
    }
  }
  qs_zeroize(cur, sizeof cur);
  qs_zeroize(spare, sizeof spare);
}

/* The len secret chain starts: PRF(PK.seed, SK.seed, skADRS) for each chain. */
static void wots_secrets(const slh_ctx *c, uint8_t *sk, const slh_adrs *adrs) {
  const slh_params *p = c->p;
  slh_adrs a[4];
  slh_adrs base = *adrs;
  adrs_set_type(&base, SLH_WOTS_PRF);
  adrs_set_keypair(&base, adrs_get_keypair(adrs));
  for (unsigned i = 0; i < p->len; i += 4) {
    uint8_t spare[4][SLH_MAX_N];
    uint8_t *outs[4];
    for (unsigned l = 0; l < 4; l++) {
      a[l] = base;
      adrs_set_chain(&a[l], i + l);
      outs[l] = i + l < p->len ? sk + (i + l) * p->n : spare[l];
    }
    slh_prf_x4(c, outs, a);
    qs_zeroize(spare, sizeof spare);
  }
}

static void wots_compress_pk(const slh_ctx *c, uint8_t *pk, const uint8_t *tmp, const slh_adrs *adrs) {
  slh_adrs pka = *adrs;
  adrs_set_type(&pka, SLH_WOTS_PK);
  adrs_set_keypair(&pka, adrs_get_keypair(adrs));
  slh_thash(c, pk, &pka, tmp, c->p->len);
}

/* Alg 7. msg is public by the time it is signed: a FORS public key or an
 * XMSS root, both recomputable from the signature. */
void slh_wots_sign(const slh_ctx *c, uint8_t *sig, const uint8_t *msg, slh_adrs *adrs) {
  const slh_params *p = c->p;
  uint8_t sk[SLH_MAX_LEN * SLH_MAX_N], digits[SLH_MAX_LEN], start[SLH_MAX_LEN];
  memset(start, 0, sizeof start);
  wots_digits(p, digits, msg);
  wots_secrets(c, sk, adrs);
  wots_chains(c, sig, sk, start, digits, p->len, adrs);
  qs_zeroize(sk, sizeof sk);
}

/* Alg 8. */
void slh_wots_pk_from_sig(const slh_ctx *c, uint8_t *pk, const uint8_t *sig, const uint8_t *msg, slh_adrs *adrs) {
  const slh_params *p = c->p;
  uint8_t tmp[SLH_MAX_LEN * SLH_MAX_N], digits[SLH_MAX_LEN], steps[SLH_MAX_LEN];
  wots_digits(p, digits, msg);
  for (unsigned i = 0; i < p->len; i++) steps[i] = (uint8_t)(SLH_W - 1 - digits[i]);
  wots_chains(c, tmp, sig, digits, steps, p->len, adrs);
  wots_compress_pk(c, pk, tmp, adrs);
}

/* Alg 6 for the four key pairs first..first+3 of the tree at tree_adrs
 * (the leaves of Alg 9): the chains as in slh_wots_pkgen, then the four T_len
 * compressions side by side. */
void slh_wots_pkgen4(const slh_ctx *c, uint8_t *out4, uint32_t first, const slh_adrs *tree_adrs) {
  const slh_params *p = c->p;
  uint8_t sk[SLH_MAX_LEN * SLH_MAX_N], tmp[4][SLH_MAX_LEN * SLH_MAX_N], start[SLH_MAX_LEN], steps[SLH_MAX_LEN];
  slh_adrs pka[4];
  uint8_t *outs[4];
  const uint8_t *ins[4];
  memset(start, 0, sizeof start);
  memset(steps, SLH_W - 1, sizeof steps);
  for (uint32_t l = 0; l < 4; l++) {
    slh_adrs a = *tree_adrs;
    adrs_set_type(&a, SLH_WOTS_HASH);
    adrs_set_keypair(&a, first + l);
    wots_secrets(c, sk, &a);
    wots_chains(c, tmp[l], sk, start, steps, p->len, &a);
    pka[l] = a;
    adrs_set_type(&pka[l], SLH_WOTS_PK);
    adrs_set_keypair(&pka[l], first + l);
    outs[l] = out4 + l * p->n;
    ins[l] = tmp[l];
  }
  slh_thash_x4(c, outs, pka, ins, p->len);
  qs_zeroize(sk, sizeof sk);
  qs_zeroize(tmp, sizeof tmp);
}
