/*
 * Merkle trees (FIPS 205 §6 XMSS, Alg 9-11; §7 hypertree, Alg 12-13) and
 * the tree computation FORS shares (Alg 15).
 *
 * Alg 9 (xmss_node) and Alg 15 (fors_node) define a node recursively; here a
 * whole tree is built bottom-up instead, in blocks of up to 64 leaves, four
 * leaves or nodes per slh_thash_x4 call, collecting the authentication path
 * on the way. The nodes and addresses are exactly those of the recursion.
 */
#include <string.h>
#include "slhdsa.h"

#define BLOCK_LOG 6
#define MAX_UPPER (1u << (SLH_MAX_A - BLOCK_LOG))

/* Hashes level z-1 (count nodes at buf) into level z in place; node j of
 * level z has tree index first + j. */
static void hash_level(const slh_ctx *c, uint8_t *buf, unsigned count, unsigned z, uint32_t first,
                       const slh_adrs *node_adrs) {
  const size_t n = c->p->n;
  uint8_t spare[2 * SLH_MAX_N] = {0};
  for (unsigned j = 0; j < count; j += 4) {
    slh_adrs a[4];
    uint8_t *outs[4];
    const uint8_t *ins[4];
    for (unsigned l = 0; l < 4; l++) {
      a[l] = *node_adrs;
      adrs_set_tree_height(&a[l], z);
      adrs_set_tree_index(&a[l], first + j + l);
      if (j + l < count) {
        outs[l] = buf + (j + l) * n;
        ins[l] = buf + 2 * (j + l) * n;
      } else {
        outs[l] = spare;
        ins[l] = spare;
      }
    }
    /* Lane l writes node j+l after reading nodes 2(j+l), 2(j+l)+1: never an
     * input of a later lane (see slh_thash_x4). */
    slh_thash_x4(c, outs, a, ins, 2);
  }
  qs_zeroize(spare, sizeof spare);
}

void slh_treehash(const slh_ctx *c, uint8_t *root, uint8_t *auth, uint32_t idx, unsigned height, uint32_t leaf_offset,
                  slh_leaf_fn leaf_fn, void *arg, const slh_adrs *tree_adrs, uint32_t node_type) {
  const size_t n = c->p->n;
  const unsigned b = height < BLOCK_LOG ? height : BLOCK_LOG;
  const uint32_t bsize = 1u << b, nblocks = 1u << (height - b);
  uint8_t blk[(1u << BLOCK_LOG) * SLH_MAX_N];
  uint8_t upper[MAX_UPPER * SLH_MAX_N];
  slh_adrs node_adrs = *tree_adrs;
  /* XMSS nodes use type TREE (which clears the key pair word); FORS nodes
   * keep the FORS_TREE address with its key pair. */
  if (node_type == SLH_TREE) adrs_set_type(&node_adrs, SLH_TREE);
  for (uint32_t bi = 0; bi < nblocks; bi++) {
    uint32_t first_leaf = leaf_offset + bi * bsize;
    for (uint32_t j = 0; j < bsize; j += 4) leaf_fn(c, blk + j * n, first_leaf + j, tree_adrs, arg);
    /* The tree is public data once signed, but which block holds the signed
     * leaf depends only on idx, a public value (from H_msg). */
    int mine = (idx >> b) == bi;
    for (unsigned z = 0; z < b; z++) {
      if (mine) memcpy(auth + z * n, blk + (((idx & (bsize - 1)) >> z) ^ 1) * n, n);
      hash_level(c, blk, bsize >> (z + 1), z + 1, first_leaf >> (z + 1), &node_adrs);
    }
    memcpy(upper + bi * n, blk, n);
  }
  for (unsigned z = b; z < height; z++) {
    unsigned count = nblocks >> (z - b);
    memcpy(auth + z * n, upper + (((idx >> z) ^ 1) & (count - 1)) * n, n);
    hash_level(c, upper, count >> 1, z + 1, leaf_offset >> (z + 1), &node_adrs);
  }
  memcpy(root, upper, n);
  qs_zeroize(blk, sizeof blk);
  qs_zeroize(upper, sizeof upper);
}

void slh_root_from_auth(const slh_ctx *c, uint8_t *root, const uint8_t *leaf, uint32_t idx, uint32_t idx_offset,
                        const uint8_t *auth, unsigned height, slh_adrs *adrs) {
  const size_t n = c->p->n;
  uint8_t buf[2 * SLH_MAX_N];
  uint32_t tidx = idx_offset + idx;
  memcpy(buf, leaf, n);
  for (unsigned k = 0; k < height; k++) {
    adrs_set_tree_height(adrs, k + 1);
    if (((idx >> k) & 1) == 0) {
      tidx >>= 1;
      memcpy(buf + n, auth + k * n, n);
    } else {
      tidx = (tidx - 1) >> 1;
      memmove(buf + n, buf, n);
      memcpy(buf, auth + k * n, n);
    }
    adrs_set_tree_index(adrs, tidx);
    slh_thash(c, buf, adrs, buf, 2);
  }
  memcpy(root, buf, n);
}

/* Leaves of an XMSS tree: WOTS+ public keys (Alg 9, z = 0). */
static void xmss_leaves(const slh_ctx *c, uint8_t *out4, uint32_t first_leaf, const slh_adrs *tree_adrs, void *arg) {
  (void)arg;
  slh_wots_pkgen4(c, out4, first_leaf, tree_adrs);
}

/* Alg 10, returning also the tree root (the value Alg 11 would recompute). */
void slh_xmss_sign(const slh_ctx *c, uint8_t *sig, uint8_t *root, const uint8_t *msg, uint32_t idx, slh_adrs *adrs) {
  const slh_params *p = c->p;
  uint8_t m[SLH_MAX_N];
  memcpy(m, msg, p->n); /* msg may be the root buffer (the layer below's root) */
  slh_treehash(c, root, sig + p->len * p->n, idx, p->hp, 0, xmss_leaves, 0, adrs, SLH_TREE);
  /* The root is what a verifier recomputes from the signature: public. */
  QS_DECLASSIFY(root, p->n);
  slh_adrs a = *adrs;
  adrs_set_type(&a, SLH_WOTS_HASH);
  adrs_set_keypair(&a, idx);
  slh_wots_sign(c, sig, m, &a);
}

/* Root of the XMSS tree at adrs (Alg 9 with i = 0, z = h'). */
void slh_xmss_root(const slh_ctx *c, uint8_t *root, slh_adrs *adrs) {
  uint8_t auth[SLH_MAX_HP * SLH_MAX_N];
  slh_treehash(c, root, auth, 0, c->p->hp, 0, xmss_leaves, 0, adrs, SLH_TREE);
  qs_zeroize(auth, sizeof auth);
}

/* Alg 11. */
void slh_xmss_pk_from_sig(const slh_ctx *c, uint8_t *root, uint32_t idx, const uint8_t *sig, const uint8_t *msg,
                          slh_adrs *adrs) {
  const slh_params *p = c->p;
  uint8_t leaf[SLH_MAX_N];
  slh_adrs a = *adrs;
  adrs_set_type(&a, SLH_WOTS_HASH);
  adrs_set_keypair(&a, idx);
  slh_wots_pk_from_sig(c, leaf, sig, msg, &a);
  adrs_set_type(&a, SLH_TREE);
  slh_root_from_auth(c, root, leaf, idx, 0, sig + p->len * p->n, p->hp, &a);
}

/* Alg 12. */
void slh_ht_sign(const slh_ctx *c, uint8_t *sig, const uint8_t *msg, uint64_t idx_tree, uint32_t idx_leaf) {
  const slh_params *p = c->p;
  const size_t xmss_bytes = (size_t)(p->len + p->hp) * p->n;
  uint8_t root[SLH_MAX_N];
  slh_adrs adrs;
  memset(&adrs, 0, sizeof adrs);
  adrs_set_tree(&adrs, idx_tree);
  slh_xmss_sign(c, sig, root, msg, idx_leaf, &adrs);
  for (unsigned j = 1; j < p->d; j++) {
    idx_leaf = (uint32_t)(idx_tree & ((1u << p->hp) - 1));
    idx_tree >>= p->hp;
    adrs_set_layer(&adrs, j);
    adrs_set_tree(&adrs, idx_tree);
    slh_xmss_sign(c, sig + j * xmss_bytes, root, root, idx_leaf, &adrs);
  }
  qs_zeroize(root, sizeof root);
}

/* Alg 13; returns 1 when the recomputed root equals PK.root. */
int slh_ht_verify(const slh_ctx *c, const uint8_t *msg, const uint8_t *sig, uint64_t idx_tree, uint32_t idx_leaf,
                  const uint8_t *pk_root) {
  const slh_params *p = c->p;
  const size_t xmss_bytes = (size_t)(p->len + p->hp) * p->n;
  uint8_t node[SLH_MAX_N];
  slh_adrs adrs;
  memset(&adrs, 0, sizeof adrs);
  adrs_set_tree(&adrs, idx_tree);
  slh_xmss_pk_from_sig(c, node, idx_leaf, sig, msg, &adrs);
  for (unsigned j = 1; j < p->d; j++) {
    idx_leaf = (uint32_t)(idx_tree & ((1u << p->hp) - 1));
    idx_tree >>= p->hp;
    adrs_set_layer(&adrs, j);
    adrs_set_tree(&adrs, idx_tree);
    slh_xmss_pk_from_sig(c, node, idx_leaf, sig + j * xmss_bytes, node, &adrs);
  }
  return memcmp(node, pk_root, p->n) == 0;
}
