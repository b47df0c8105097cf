/*
 * FORS (FIPS 205 §8, Alg 14-17). Signing builds each of the k trees with
 * slh_treehash (leaves four at a time); verifying climbs four trees at once,
 * since every tree has the same height.
 */
#include <string.h>
#include "slhdsa.h"

/* Alg 4 base_2b(md, a, k): k a-bit big-endian integers. */
static void fors_indices(const slh_params *p, uint32_t *idx, const uint8_t *md) {
  unsigned bit = 0;
  for (unsigned i = 0; i < p->k; i++) {
    uint32_t v = 0;
    for (unsigned j = 0; j < p->a; j++, bit++) v = (v << 1) | ((md[bit >> 3] >> (7 - (bit & 7))) & 1);
    idx[i] = v;
  }
}

/* fors_skGen (Alg 14) for four consecutive leaf indices. */
static void fors_secrets(const slh_ctx *c, uint8_t *out4, uint32_t first, const slh_adrs *adrs) {
  slh_adrs a[4];
  uint8_t *outs[4];
  for (uint32_t l = 0; l < 4; l++) {
    a[l] = *adrs;
    adrs_set_type(&a[l], SLH_FORS_PRF);
    adrs_set_keypair(&a[l], adrs_get_keypair(adrs));
    adrs_set_tree_index(&a[l], first + l);
    outs[l] = out4 + l * c->p->n;
  }
  slh_prf_x4(c, outs, a);
}

/* Leaves of a FORS tree (Alg 15, z = 0): F of the secret values. */
static void fors_leaves(const slh_ctx *c, uint8_t *out4, uint32_t first, const slh_adrs *adrs, void *arg) {
  (void)arg;
  const size_t n = c->p->n;
  uint8_t sk[4 * SLH_MAX_N];
  slh_adrs a[4];
  uint8_t *outs[4];
  const uint8_t *ins[4];
  fors_secrets(c, sk, first, adrs);
  for (uint32_t l = 0; l < 4; l++) {
    a[l] = *adrs;
    adrs_set_tree_height(&a[l], 0);
    adrs_set_tree_index(&a[l], first + l);
    outs[l] = out4 + l * n;
    ins[l] = sk + l * n;
  }
  slh_thash_x4(c, outs, a, ins, 1);
  qs_zeroize(sk, sizeof sk);
}

static void fors_roots_to_pk(const slh_ctx *c, uint8_t *pk, const uint8_t *roots, const slh_adrs *adrs) {
  slh_adrs pka = *adrs;
  adrs_set_type(&pka, SLH_FORS_ROOTS);
  adrs_set_keypair(&pka, adrs_get_keypair(adrs));
  slh_thash(c, pk, &pka, roots, c->p->k);
}

/* Alg 16, returning also PK_FORS (the value Alg 17 would recompute). */
void slh_fors_sign(const slh_ctx *c, uint8_t *sig, uint8_t *pk, const uint8_t *md, const slh_adrs *adrs) {
  const slh_params *p = c->p;
  const size_t n = p->n, tree_bytes = (size_t)(p->a + 1) * n;
  uint32_t idx[SLH_MAX_K];
  uint8_t roots[SLH_MAX_K * SLH_MAX_N], sk4[4 * SLH_MAX_N];
  fors_indices(p, idx, md);
  for (unsigned i = 0; i < p->k; i++) {
    uint32_t offset = (uint32_t)i << p->a;
    uint32_t leaf = offset + idx[i];
    /* The revealed secret: one PRF lane of four (the lanes are aligned). */
    fors_secrets(c, sk4, leaf & ~3u, adrs);
    memcpy(sig + i * tree_bytes, sk4 + (leaf & 3u) * n, n);
    slh_treehash(c, roots + i * n, sig + i * tree_bytes + n, idx[i], p->a, offset, fors_leaves, 0, adrs,
                 SLH_FORS_TREE);
  }
  fors_roots_to_pk(c, pk, roots, adrs);
  qs_zeroize(sk4, sizeof sk4);
  qs_zeroize(roots, sizeof roots);
}

/* Alg 17. */
void slh_fors_pk_from_sig(const slh_ctx *c, uint8_t *pk, const uint8_t *sig, const uint8_t *md, const slh_adrs *adrs) {
  const slh_params *p = c->p;
  const size_t n = p->n, tree_bytes = (size_t)(p->a + 1) * n;
  uint32_t idx[SLH_MAX_K];
  uint8_t roots[SLH_MAX_K * SLH_MAX_N], node[4][2 * SLH_MAX_N];
  fors_indices(p, idx, md);
  for (unsigned i0 = 0; i0 < p->k; i0 += 4) {
    slh_adrs a[4];
    uint8_t *outs[4];
    const uint8_t *ins[4];
    uint32_t tidx[4];
    for (unsigned l = 0; l < 4; l++) {
      unsigned i = i0 + l < p->k ? i0 + l : i0; /* past k: repeat a real tree, result ignored */
      tidx[l] = ((uint32_t)i << p->a) + idx[i];
      a[l] = *adrs;
      adrs_set_tree_height(&a[l], 0);
      adrs_set_tree_index(&a[l], tidx[l]);
      outs[l] = node[l];
      ins[l] = sig + i * tree_bytes;
    }
    slh_thash_x4(c, outs, a, ins, 1);
    for (unsigned z = 0; z < p->a; z++) {
      for (unsigned l = 0; l < 4; l++) {
        unsigned i = i0 + l < p->k ? i0 + l : i0;
        const uint8_t *auth = sig + i * tree_bytes + n + z * n;
        adrs_set_tree_height(&a[l], z + 1);
        if (((idx[i] >> z) & 1) == 0) {
          memcpy(node[l] + n, auth, n);
        } else {
          memcpy(node[l] + n, node[l], n);
          memcpy(node[l], auth, n);
        }
        tidx[l] >>= 1; /* (t - 1) / 2 = t / 2 for odd t */
        adrs_set_tree_index(&a[l], tidx[l]);
        ins[l] = node[l];
      }
      slh_thash_x4(c, outs, a, ins, 2);
    }
    for (unsigned l = 0; l < 4 && i0 + l < p->k; l++) memcpy(roots + (i0 + l) * n, node[l], n);
  }
  fors_roots_to_pk(c, pk, roots, adrs);
}
