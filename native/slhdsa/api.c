/*
 * The public C API of SLH-DSA: the derandomized entry points of
 * qsign/slhdsa.h, the external interfaces of FIPS 205 §10 (pure with
 * context, Alg 22/24; HashSLH-DSA, Alg 23/25), and liboqs-shaped OQS_SIG
 * objects under liboqs's names (qsign/oqs.h).
 */
#include <stdlib.h>
#include <string.h>
#include "qsign/oqs.h"
#include "qsign/slhdsa.h"
#include "slhdsa.h"

/* DER of the pre-hash OIDs 2.16.840.1.101.3.4.2.ph (§10.2.2). */
static void oid_of(uint8_t out[11], int ph) {
  static const uint8_t prefix[10] = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02};
  memcpy(out, prefix, 10);
  out[10] = (uint8_t)ph;
}

/* M′ prefix: 0x00 ‖ |ctx| ‖ ctx (pure) or 0x01 ‖ |ctx| ‖ ctx ‖ OID (pre-hash). */
static int format_prefix(uint8_t pre[2 + 255 + 11], int ph, const uint8_t *ctx, size_t ctx_len) {
  if (ctx_len > 255 || (ctx_len && !ctx)) return -1;
  pre[0] = ph ? 1 : 0;
  pre[1] = (uint8_t)ctx_len;
  if (ctx_len) memcpy(pre + 2, ctx, ctx_len);
  if (!ph) return (int)ctx_len + 2;
  oid_of(pre + 2 + ctx_len, ph);
  return (int)ctx_len + 13;
}

size_t qs_slhdsa_public_key_bytes(int set) {
  const slh_params *p = slh_params_get(set);
  return p ? p->pk_bytes : 0;
}
size_t qs_slhdsa_secret_key_bytes(int set) {
  const slh_params *p = slh_params_get(set);
  return p ? p->sk_bytes : 0;
}
size_t qs_slhdsa_signature_bytes(int set) {
  const slh_params *p = slh_params_get(set);
  return p ? p->sig_bytes : 0;
}

int qs_slhdsa_keypair_derand(int set, uint8_t *pk, uint8_t *sk, const uint8_t *seed) {
  const slh_params *p = slh_params_get(set);
  if (!p || !seed) return QS_ERR_INVALID_ARGUMENT;
  return slh_keygen_internal(p, sk, pk, seed, seed + p->n, seed + 2 * p->n);
}

int qs_slhdsa_sign_internal(int set, uint8_t *sig, const uint8_t *mp, size_t mplen, const uint8_t *addrnd,
                            const uint8_t *sk) {
  slh_msg m = {0, 0, mp, mplen};
  return slh_sign_internal(slh_params_get(set), sig, &m, sk, addrnd);
}

int qs_slhdsa_verify_internal(int set, const uint8_t *mp, size_t mplen, const uint8_t *sig, size_t siglen,
                              const uint8_t *pk) {
  slh_msg m = {0, 0, mp, mplen};
  return slh_verify_internal(slh_params_get(set), &m, sig, siglen, pk);
}

/* Shared by the pure (ph = 0) and pre-hash interfaces. */
static int sign_external(int set, int ph, uint8_t *sig, const uint8_t *msg, size_t mlen, const uint8_t *ctx,
                         size_t ctx_len, const uint8_t *addrnd, const uint8_t *sk) {
  uint8_t pre[2 + 255 + 11], digest[64];
  if (mlen && !msg) return QS_ERR_INVALID_ARGUMENT;
  int prelen = format_prefix(pre, ph, ctx, ctx_len);
  if (prelen < 0) return QS_ERR_INVALID_ARGUMENT;
  slh_msg m = {pre, (size_t)prelen, msg, mlen};
  if (ph) {
    size_t dlen = slh_prehash(ph, digest, msg, mlen);
    if (!dlen) return QS_ERR_INVALID_ARGUMENT;
    m.msg = digest;
    m.msglen = dlen;
  }
  return slh_sign_internal(slh_params_get(set), sig, &m, sk, addrnd);
}

static int verify_external(int set, int ph, const uint8_t *msg, size_t mlen, const uint8_t *sig, size_t siglen,
                           const uint8_t *ctx, size_t ctx_len, const uint8_t *pk) {
  uint8_t pre[2 + 255 + 11], digest[64];
  if (mlen && !msg) return QS_ERR_INVALID_ARGUMENT;
  int prelen = format_prefix(pre, ph, ctx, ctx_len);
  if (prelen < 0) return QS_ERR_INVALID_ARGUMENT;
  slh_msg m = {pre, (size_t)prelen, msg, mlen};
  if (ph) {
    size_t dlen = slh_prehash(ph, digest, msg, mlen);
    if (!dlen) return QS_ERR_INVALID_ARGUMENT;
    m.msg = digest;
    m.msglen = dlen;
  }
  return slh_verify_internal(slh_params_get(set), &m, sig, siglen, pk);
}

int qs_slhdsa_sign_derand(int set, uint8_t *sig, const uint8_t *m, size_t mlen, const uint8_t *ctx, size_t ctx_len,
                          const uint8_t *addrnd, const uint8_t *sk) {
  return sign_external(set, 0, sig, m, mlen, ctx, ctx_len, addrnd, sk);
}
int qs_slhdsa_verify_ctx(int set, const uint8_t *m, size_t mlen, const uint8_t *sig, size_t siglen, const uint8_t *ctx,
                         size_t ctx_len, const uint8_t *pk) {
  return verify_external(set, 0, m, mlen, sig, siglen, ctx, ctx_len, pk);
}
int qs_hash_slhdsa_sign_derand(int set, int ph, uint8_t *sig, const uint8_t *m, size_t mlen, const uint8_t *ctx,
                               size_t ctx_len, const uint8_t *addrnd, const uint8_t *sk) {
  if (ph < 1 || ph > 12) return QS_ERR_INVALID_ARGUMENT;
  return sign_external(set, ph, sig, m, mlen, ctx, ctx_len, addrnd, sk);
}
int qs_hash_slhdsa_verify_ctx(int set, int ph, const uint8_t *m, size_t mlen, const uint8_t *sig, size_t siglen,
                              const uint8_t *ctx, size_t ctx_len, const uint8_t *pk) {
  if (ph < 1 || ph > 12) return QS_ERR_INVALID_ARGUMENT;
  return verify_external(set, ph, m, mlen, sig, siglen, ctx, ctx_len, pk);
}

/* ---- liboqs-shaped objects ---- */

static OQS_STATUS oqs_keypair(int set, uint8_t *pk, uint8_t *sk) {
  const slh_params *p = slh_params_get(set);
  uint8_t seed[3 * SLH_MAX_N];
  if (OQS_randombytes(seed, 3 * p->n) != OQS_SUCCESS) return OQS_ERROR;
  int rc = qs_slhdsa_keypair_derand(set, pk, sk, seed);
  qs_zeroize(seed, sizeof seed);
  return rc == QS_OK ? OQS_SUCCESS : OQS_ERROR;
}

/* Hedged signing, as FIPS 205 recommends: addrnd fresh from OQS_randombytes. */
static OQS_STATUS oqs_sign(int set, int ph, uint8_t *sig, size_t *siglen, const uint8_t *m, size_t mlen,
                           const uint8_t *ctx, size_t ctx_len, const uint8_t *sk) {
  const slh_params *p = slh_params_get(set);
  uint8_t addrnd[SLH_MAX_N];
  if (OQS_randombytes(addrnd, p->n) != OQS_SUCCESS) return OQS_ERROR;
  int rc = sign_external(set, ph, sig, m, mlen, ctx, ctx_len, addrnd, sk);
  qs_zeroize(addrnd, sizeof addrnd);
  if (rc != QS_OK) return OQS_ERROR;
  if (siglen) *siglen = p->sig_bytes;
  return OQS_SUCCESS;
}

static OQS_STATUS oqs_verify(int set, int ph, const uint8_t *m, size_t mlen, const uint8_t *sig, size_t siglen,
                             const uint8_t *ctx, size_t ctx_len, const uint8_t *pk) {
  return verify_external(set, ph, m, mlen, sig, siglen, ctx, ctx_len, pk) == QS_OK ? OQS_SUCCESS : OQS_ERROR;
}

/* liboqs function pointers carry no parameter-set argument, so every
 * (set, pre-hash) pair gets its own thin wrappers, generated here. */
#define SLH_SETS(X)                                                                                                 \
  X(0, SHA2_128S) X(1, SHA2_128F) X(2, SHA2_192S) X(3, SHA2_192F) X(4, SHA2_256S) X(5, SHA2_256F) X(6, SHAKE_128S) \
  X(7, SHAKE_128F) X(8, SHAKE_192S) X(9, SHAKE_192F) X(10, SHAKE_256S) X(11, SHAKE_256F)
#define SLH_PREHASHES(Y, S, NAME)                                                                            \
  Y(S, NAME, 0, PURE) Y(S, NAME, 4, SHA2_224) Y(S, NAME, 1, SHA2_256) Y(S, NAME, 2, SHA2_384)                 \
  Y(S, NAME, 3, SHA2_512) Y(S, NAME, 5, SHA2_512_224) Y(S, NAME, 6, SHA2_512_256) Y(S, NAME, 7, SHA3_224)     \
  Y(S, NAME, 8, SHA3_256) Y(S, NAME, 9, SHA3_384) Y(S, NAME, 10, SHA3_512) Y(S, NAME, 11, SHAKE_128)          \
  Y(S, NAME, 12, SHAKE_256)

#define DEFINE_VARIANT(S, NAME, PH, PHNAME)                                                                     \
  static OQS_STATUS sign_ctx_##S##_##PH(uint8_t *sig, size_t *siglen, const uint8_t *m, size_t mlen,           \
                                        const uint8_t *ctx, size_t ctxlen, const uint8_t *sk) {                \
    return oqs_sign(S, PH, sig, siglen, m, mlen, ctx, ctxlen, sk);                                             \
  }                                                                                                            \
  static OQS_STATUS sign_##S##_##PH(uint8_t *sig, size_t *siglen, const uint8_t *m, size_t mlen,               \
                                    const uint8_t *sk) {                                                       \
    return oqs_sign(S, PH, sig, siglen, m, mlen, 0, 0, sk);                                                    \
  }                                                                                                            \
  static OQS_STATUS verify_ctx_##S##_##PH(const uint8_t *m, size_t mlen, const uint8_t *sig, size_t siglen,    \
                                          const uint8_t *ctx, size_t ctxlen, const uint8_t *pk) {              \
    return oqs_verify(S, PH, m, mlen, sig, siglen, ctx, ctxlen, pk);                                           \
  }                                                                                                            \
  static OQS_STATUS verify_##S##_##PH(const uint8_t *m, size_t mlen, const uint8_t *sig, size_t siglen,        \
                                      const uint8_t *pk) {                                                     \
    return oqs_verify(S, PH, m, mlen, sig, siglen, 0, 0, pk);                                                  \
  }
#define DEFINE_SET(S, NAME)                                                                                    \
  static OQS_STATUS keypair_##S(uint8_t *pk, uint8_t *sk) { return oqs_keypair(S, pk, sk); }                   \
  SLH_PREHASHES(DEFINE_VARIANT, S, NAME)
SLH_SETS(DEFINE_SET)

typedef struct {
  const char *name;
  int set;
  OQS_STATUS (*keypair)(uint8_t *, uint8_t *);
  OQS_STATUS (*sign)(uint8_t *, size_t *, const uint8_t *, size_t, const uint8_t *);
  OQS_STATUS (*sign_ctx)(uint8_t *, size_t *, const uint8_t *, size_t, const uint8_t *, size_t, const uint8_t *);
  OQS_STATUS (*verify)(const uint8_t *, size_t, const uint8_t *, size_t, const uint8_t *);
  OQS_STATUS (*verify_ctx)(const uint8_t *, size_t, const uint8_t *, size_t, const uint8_t *, size_t, const uint8_t *);
} variant;

#define ROW(S, NAME, PH, PHNAME)                                                                             \
  {(PH) == 0 ? "SLH_DSA_PURE_" #NAME : "SLH_DSA_" #PHNAME "_PREHASH_" #NAME, S, keypair_##S, sign_##S##_##PH, \
   sign_ctx_##S##_##PH, verify_##S##_##PH, verify_ctx_##S##_##PH},
#define SET_ROWS(S, NAME) SLH_PREHASHES(ROW, S, NAME)
static const variant VARIANTS[] = {SLH_SETS(SET_ROWS)};

/* Called by OQS_SIG_new (native/mldsa/api.c) for names it does not own. */
OQS_SIG *qs_oqs_sig_new_slhdsa(const char *method_name) {
  for (size_t i = 0; method_name && i < sizeof VARIANTS / sizeof VARIANTS[0]; i++) {
    const variant *v = &VARIANTS[i];
    if (strcmp(v->name, method_name) != 0) continue;
    const slh_params *p = slh_params_get(v->set);
    OQS_SIG *s = calloc(1, sizeof *s);
    if (!s) return 0;
    s->method_name = v->name;
    s->alg_version = "FIPS205";
    s->claimed_nist_level = p->nist_level;
    s->euf_cma = true;
    s->suf_cma = true;
    s->sig_with_ctx_support = true;
    s->length_public_key = p->pk_bytes;
    s->length_secret_key = p->sk_bytes;
    s->length_signature = p->sig_bytes;
    s->keypair = v->keypair;
    s->sign = v->sign;
    s->sign_with_ctx_str = v->sign_ctx;
    s->verify = v->verify;
    s->verify_with_ctx_str = v->verify_ctx;
    return s;
  }
  return 0;
}
