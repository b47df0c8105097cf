/*
 * SLH-DSA (FIPS 205), internal interface of the C core. Written from the
 * standard; algorithm numbers in comments refer to FIPS 205.
 *
 * Layout: params.c (Table 2), hash.c (the §11 tweakable hash families),
 * sha256x4.c (four SHA-256 lanes; its simd128/ twin is the SIMD kernel),
 * wots.c / xmss.c / fors.c (Alg 5-17), slhdsa.c (Alg 18-25), api.c (liboqs
 * names), exports.c (wasm).
 */
#ifndef QS_SLHDSA_H
#define QS_SLHDSA_H

#include <stddef.h>
#include <stdint.h>
#include "../common/qs_common.h"
#include "sha2.h"

#define SLH_MAX_N 32
#define SLH_W 16
#define SLH_LG_W 4
#define SLH_MAX_LEN (2 * SLH_MAX_N + 3)
#define SLH_MAX_HP 9
#define SLH_MAX_A 14
#define SLH_MAX_K 35
#define SLH_MAX_M 49

typedef struct {
  const char *name; /* FIPS 205 name, e.g. "SLH-DSA-SHA2-128s" */
  uint8_t id;       /* 0..11, the wasm ABI number of the set (OID arc - 20) */
  uint8_t shake;    /* 1: SHAKE family (§11.1), 0: SHA2 family (§11.2) */
  uint8_t n, h, d, hp, a, k, m;
  uint8_t len;       /* 2n + 3 */
  uint8_t nist_level; /* security category 1, 3 or 5 */
  uint32_t pk_bytes, sk_bytes, sig_bytes;
} slh_params;

/* id = last arc of the NIST OID 2.16.840.1.101.3.4.3.(20 + id): SHA2-128s,
 * SHA2-128f, SHA2-192s, SHA2-192f, SHA2-256s, SHA2-256f, then the same six
 * for SHAKE. */
const slh_params *slh_params_get(int id);
const slh_params *slh_params_by_name(const char *name);

/* ADRS (§4.2): 32 bytes, big-endian words. */
enum { SLH_WOTS_HASH = 0, SLH_WOTS_PK = 1, SLH_TREE = 2, SLH_FORS_TREE = 3, SLH_FORS_ROOTS = 4, SLH_WOTS_PRF = 5, SLH_FORS_PRF = 6 };
typedef struct {
  uint8_t b[32];
} slh_adrs;

QS_INLINE void slh_set_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
QS_INLINE uint32_t slh_get_u32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
QS_INLINE void adrs_set_layer(slh_adrs *a, uint32_t l) { slh_set_u32(a->b, l); }
/* The tree address is 12 bytes; FIPS 205 trees never need more than 64 bits. */
QS_INLINE void adrs_set_tree(slh_adrs *a, uint64_t t) {
  slh_set_u32(a->b + 4, 0); slh_set_u32(a->b + 8, (uint32_t)(t >> 32)); slh_set_u32(a->b + 12, (uint32_t)t);
}
/* setTypeAndClear: type word set, the three words after it zeroed. */
QS_INLINE void adrs_set_type(slh_adrs *a, uint32_t type) {
  slh_set_u32(a->b + 16, type); memset(a->b + 20, 0, 12);
}
QS_INLINE void adrs_set_keypair(slh_adrs *a, uint32_t i) { slh_set_u32(a->b + 20, i); }
QS_INLINE uint32_t adrs_get_keypair(const slh_adrs *a) { return slh_get_u32(a->b + 20); }
QS_INLINE void adrs_set_chain(slh_adrs *a, uint32_t i) { slh_set_u32(a->b + 24, i); }
QS_INLINE void adrs_set_tree_height(slh_adrs *a, uint32_t z) { slh_set_u32(a->b + 24, z); }
QS_INLINE void adrs_set_hash(slh_adrs *a, uint32_t i) { slh_set_u32(a->b + 28, i); }
QS_INLINE void adrs_set_tree_index(slh_adrs *a, uint32_t i) { slh_set_u32(a->b + 28, i); }
QS_INLINE uint32_t adrs_get_tree_index(const slh_adrs *a) { return slh_get_u32(a->b + 28); }

/* Per-call context: the parameter set, the seeds, and (SHA2 sets) the
 * compression state after the first block PK.seed || 0^(64-n) (and
 * 0^(128-n) for SHA-512), which every tweakable hash call starts from. */
typedef struct {
  const slh_params *p;
  uint8_t pk_seed[SLH_MAX_N];
  uint8_t sk_seed[SLH_MAX_N]; /* zero when only verifying */
  uint32_t st256[8];
  uint64_t st512[8];
} slh_ctx;

void slh_ctx_init(slh_ctx *c, const slh_params *p, const uint8_t *pk_seed, const uint8_t *sk_seed);
void slh_ctx_wipe(slh_ctx *c);

/* Tweakable hash T_l / H / F (§11): out = n bytes of Hash(PK.seed, ADRS, in), in = inblocks·n bytes. */
void slh_thash(const slh_ctx *c, uint8_t *out, const slh_adrs *adrs, const uint8_t *in, size_t inblocks);
/* PRF(PK.seed, SK.seed, ADRS). */
void slh_prf(const slh_ctx *c, uint8_t *out, const slh_adrs *adrs);
/* Four independent thash calls with the same inblocks. Lanes run in order
 * and each reads its input before writing its output, so out[i] may alias
 * in[i] or any in[j] with j < i (the in-place tree levels rely on this). */
void slh_thash_x4(const slh_ctx *c, uint8_t *out[4], const slh_adrs adrs[4], const uint8_t *const in[4], size_t inblocks);
void slh_prf_x4(const slh_ctx *c, uint8_t *out[4], const slh_adrs adrs[4]);
/* Four WOTS+ chain segments of the same length (Alg 5): lane i applies F
 * `steps` times to in[i], the hash address of adrs[i] counting up from the
 * value it holds; out[i] (n bytes) may alias any in[j]. */
void slh_chain_x4(const slh_ctx *c, uint8_t *out[4], const slh_adrs adrs[4], const uint8_t *const in[4],
                  unsigned steps);

/* A message given in two pieces (prefix ‖ body): M′ = 0x00‖len‖ctx ‖ M, or
 * 0x01‖len‖ctx‖OID ‖ PH(M), or M′ alone for the internal interface. */
typedef struct {
  const uint8_t *pre;
  size_t prelen;
  const uint8_t *msg;
  size_t msglen;
} slh_msg;

/* PRF_msg(SK.prf, opt_rand, M) and H_msg(R, PK.seed, PK.root, M). */
void slh_prf_msg(const slh_params *p, uint8_t *out, const uint8_t *sk_prf, const uint8_t *opt_rand, const slh_msg *m);
void slh_h_msg(const slh_params *p, uint8_t *out, const uint8_t *r, const uint8_t *pk_seed, const uint8_t *pk_root,
               const slh_msg *m);

/* WOTS+ (Alg 6-8). sig is len·n bytes; msg is the n-byte value signed.
 * slh_wots_pkgen4 makes the public keys of four consecutive key pairs. */
void slh_wots_pkgen4(const slh_ctx *c, uint8_t *out4, uint32_t first, const slh_adrs *tree_adrs);
void slh_wots_sign(const slh_ctx *c, uint8_t *sig, const uint8_t *msg, slh_adrs *adrs);
void slh_wots_pk_from_sig(const slh_ctx *c, uint8_t *pk, const uint8_t *sig, const uint8_t *msg, slh_adrs *adrs);

/* Merkle tree of 2^height leaves made by leaf_fn(4 consecutive leaves at a
 * time); writes the root and the authentication path of leaf idx. */
typedef void (*slh_leaf_fn)(const slh_ctx *c, uint8_t *out4, uint32_t first_leaf, const slh_adrs *tree_adrs, void *arg);
void slh_treehash(const slh_ctx *c, uint8_t *root, uint8_t *auth, uint32_t idx, unsigned height, uint32_t leaf_offset,
                  slh_leaf_fn leaf_fn, void *arg, const slh_adrs *tree_adrs, uint32_t node_type);
/* Root from a leaf and its authentication path (the loop of Alg 11 and 17). */
void slh_root_from_auth(const slh_ctx *c, uint8_t *root, const uint8_t *leaf, uint32_t idx, uint32_t idx_offset,
                        const uint8_t *auth, unsigned height, slh_adrs *adrs);

/* XMSS (Alg 9-11) and the hypertree (Alg 12-13). */
void slh_xmss_sign(const slh_ctx *c, uint8_t *sig, uint8_t *root, const uint8_t *msg, uint32_t idx, slh_adrs *adrs);
void slh_xmss_root(const slh_ctx *c, uint8_t *root, slh_adrs *adrs);
void slh_xmss_pk_from_sig(const slh_ctx *c, uint8_t *root, uint32_t idx, const uint8_t *sig, const uint8_t *msg, slh_adrs *adrs);
void slh_ht_sign(const slh_ctx *c, uint8_t *sig, const uint8_t *msg, uint64_t idx_tree, uint32_t idx_leaf);
int slh_ht_verify(const slh_ctx *c, const uint8_t *msg, const uint8_t *sig, uint64_t idx_tree, uint32_t idx_leaf,
                  const uint8_t *pk_root);

/* FORS (Alg 14-17). md is ceil(k·a/8) bytes. */
void slh_fors_sign(const slh_ctx *c, uint8_t *sig, uint8_t *pk, const uint8_t *md, const slh_adrs *adrs);
void slh_fors_pk_from_sig(const slh_ctx *c, uint8_t *pk, const uint8_t *sig, const uint8_t *md, const slh_adrs *adrs);

/* Alg 18-20. sk = SK.seed‖SK.prf‖PK.seed‖PK.root, pk = PK.seed‖PK.root.
 * addrnd NULL = deterministic (opt_rand = PK.seed). */
int slh_keygen_internal(const slh_params *p, uint8_t *sk, uint8_t *pk, const uint8_t *sk_seed, const uint8_t *sk_prf,
                        const uint8_t *pk_seed);
int slh_sign_internal(const slh_params *p, uint8_t *sig, const slh_msg *m, const uint8_t *sk, const uint8_t *addrnd);
int slh_verify_internal(const slh_params *p, const slh_msg *m, const uint8_t *sig, size_t siglen, const uint8_t *pk);

/* §10.2.2 pre-hash functions, by the same numbers as the OID arcs
 * 2.16.840.1.101.3.4.2.x: 1 SHA-256, 2 SHA-384, 3 SHA-512, 4 SHA-224,
 * 5 SHA-512/224, 6 SHA-512/256, 7-10 SHA3-224/256/384/512, 11 SHAKE128
 * (256-bit output), 12 SHAKE256 (512-bit output). Returns the digest length,
 * 0 for an unknown number. */
size_t slh_prehash(int ph, uint8_t out[64], const uint8_t *msg, size_t len);

/* Wipes the stack below the caller's frame: compiler spills (SIMD
 * registers, hash schedules) that no named buffer covers. */
void slh_scrub_stack(void);

#endif
