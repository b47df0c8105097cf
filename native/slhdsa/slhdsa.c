/*
 * SLH-DSA key generation, signing and verification (FIPS 205 §9, Alg 18-20).
 * The external interfaces (Alg 21-25) only format M′ and live in api.c.
 */
#include <string.h>
#include "slhdsa.h"

/* Large enough for the deepest call tree below (XMSS block and upper-level
 * buffers ~10 KiB, four WOTS+ chain sets ~11 KiB, the 4-lane hash buffers
 * ~9 KiB, hash states): ~32 KiB, with margin. */
#define SCRUB_BYTES (64 * 1024)

__attribute__((noinline)) void slh_scrub_stack(void) {
  uint8_t area[SCRUB_BYTES];
  qs_zeroize(area, sizeof area);
}

/* Alg 18. */
int slh_keygen_internal(const slh_params *p, uint8_t *sk, uint8_t *pk, const uint8_t *sk_seed, const uint8_t *sk_prf,
                        const uint8_t *pk_seed) {
  if (!p || !sk || !pk || !sk_seed || !sk_prf || !pk_seed) return QS_ERR_INVALID_ARGUMENT;
  const size_t n = p->n;
  slh_ctx c;
  slh_adrs adrs;
  uint8_t root[SLH_MAX_N];
  slh_ctx_init(&c, p, pk_seed, sk_seed);
  memset(&adrs, 0, sizeof adrs);
  adrs_set_layer(&adrs, p->d - 1);
  slh_xmss_root(&c, root, &adrs);
  /* PK.root is the public key. */
  QS_DECLASSIFY(root, n);
  memmove(sk + 2 * n, pk_seed, n); /* pk_seed may live inside sk or pk */
  memmove(sk, sk_seed, n);
  memmove(sk + n, sk_prf, n);
  memcpy(sk + 3 * n, root, n);
  memcpy(pk, sk + 2 * n, 2 * n);
  slh_ctx_wipe(&c);
  qs_zeroize(root, sizeof root);
  qs_zeroize(&adrs, sizeof adrs);
  slh_scrub_stack();
  return QS_OK;
}

/* Splits H_msg's output into md, idx_tree and idx_leaf (Alg 19 lines 7-12). */
static void split_digest(const slh_params *p, const uint8_t *digest, uint64_t *idx_tree, uint32_t *idx_leaf) {
  const unsigned md_bytes = (p->k * p->a + 7) / 8;
  const unsigned tree_bits = p->h - p->hp, tree_bytes = (tree_bits + 7) / 8, leaf_bytes = (p->hp + 7) / 8;
  uint64_t t = 0;
  uint32_t l = 0;
  for (unsigned i = 0; i < tree_bytes; i++) t = (t << 8) | digest[md_bytes + i];
  for (unsigned i = 0; i < leaf_bytes; i++) l = (l << 8) | digest[md_bytes + tree_bytes + i];
  *idx_tree = tree_bits == 64 ? t : t & ((UINT64_C(1) << tree_bits) - 1);
  *idx_leaf = l & ((1u << p->hp) - 1);
}

/* Alg 19. addrnd NULL signs deterministically (opt_rand = PK.seed). */
int slh_sign_internal(const slh_params *p, uint8_t *sig, const slh_msg *m, const uint8_t *sk, const uint8_t *addrnd) {
  if (!p || !sig || !m || !sk || (m->prelen && !m->pre) || (m->msglen && !m->msg)) return QS_ERR_INVALID_ARGUMENT;
  const size_t n = p->n;
  uint8_t pub[2 * SLH_MAX_N], digest[SLH_MAX_M], pk_fors[SLH_MAX_N];
  uint64_t idx_tree;
  uint32_t idx_leaf;
  slh_ctx c;
  slh_adrs adrs;
  /* PK.seed ‖ PK.root: the public half of the secret key. */
  memcpy(pub, sk + 2 * n, 2 * n);
  QS_DECLASSIFY(pub, 2 * n);
  slh_ctx_init(&c, p, pub, sk);
  slh_prf_msg(p, sig, sk + n, addrnd ? addrnd : pub, m);
  /* R is published as the first n bytes of the signature. */
  QS_DECLASSIFY(sig, n);
  slh_h_msg(p, digest, sig, pub, pub + n, m);
  split_digest(p, digest, &idx_tree, &idx_leaf);
  memset(&adrs, 0, sizeof adrs);
  adrs_set_tree(&adrs, idx_tree);
  adrs_set_type(&adrs, SLH_FORS_TREE);
  adrs_set_keypair(&adrs, idx_leaf);
  slh_fors_sign(&c, sig + n, pk_fors, digest, &adrs);
  /* PK_FORS is what a verifier recomputes from the signature. */
  QS_DECLASSIFY(pk_fors, n);
  slh_ht_sign(&c, sig + n + (size_t)p->k * (p->a + 1) * n, pk_fors, idx_tree, idx_leaf);
  /* Everything here is public once the signature is out (digest, indices,
   * PK_FORS) or is the public key, but wiping it keeps the module's memory
   * independent of which key signed (the differential residue test). */
  slh_ctx_wipe(&c);
  qs_zeroize(pk_fors, sizeof pk_fors);
  qs_zeroize(pub, sizeof pub);
  qs_zeroize(digest, sizeof digest);
  qs_zeroize(&adrs, sizeof adrs);
  qs_zeroize(&idx_tree, sizeof idx_tree);
  qs_zeroize(&idx_leaf, sizeof idx_leaf);
  slh_scrub_stack();
  return QS_OK;
}

/* Alg 20. Returns QS_OK for a valid signature. */
int slh_verify_internal(const slh_params *p, const slh_msg *m, const uint8_t *sig, size_t siglen, const uint8_t *pk) {
  if (!p || !m || !pk || (m->prelen && !m->pre) || (m->msglen && !m->msg)) return QS_ERR_INVALID_ARGUMENT;
  if (!sig || siglen != p->sig_bytes) return QS_ERR_INVALID_SIGNATURE;
  const size_t n = p->n;
  uint8_t digest[SLH_MAX_M], pk_fors[SLH_MAX_N];
  uint64_t idx_tree;
  uint32_t idx_leaf;
  slh_ctx c;
  slh_adrs adrs;
  slh_ctx_init(&c, p, pk, 0);
  slh_h_msg(p, digest, sig, pk, pk + n, m);
  split_digest(p, digest, &idx_tree, &idx_leaf);
  memset(&adrs, 0, sizeof adrs);
  adrs_set_tree(&adrs, idx_tree);
  adrs_set_type(&adrs, SLH_FORS_TREE);
  adrs_set_keypair(&adrs, idx_leaf);
  slh_fors_pk_from_sig(&c, pk_fors, sig + n, digest, &adrs);
  int ok = slh_ht_verify(&c, pk_fors, sig + n + (size_t)p->k * (p->a + 1) * n, idx_tree, idx_leaf, pk + n);
  return ok ? QS_OK : QS_ERR_INVALID_SIGNATURE;
}
