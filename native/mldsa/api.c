/*
 * liboqs-shaped API for ML-DSA (native/include/qsign/oqs.h) plus the
 * derandomized entry points of qsign/mldsa.h. Pure ML-DSA only (FIPS 204
 * Alg 2/3): M' = 0x00 || len(ctx) || ctx || M.
 */
#include <stdlib.h>
#include <string.h>
#include "qsign/oqs.h"
#include "qsign/mldsa.h"
#include "mldsa.h"

static int pure_prefix(uint8_t pre[257], const uint8_t *ctx, size_t ctx_len) {
  if (ctx_len > 255 || (ctx_len && !ctx)) return -1;
  pre[0] = 0;
  pre[1] = (uint8_t)ctx_len;
  if (ctx_len) memcpy(pre + 2, ctx, ctx_len);
  return (int)ctx_len + 2;
}

int qs_mldsa_keypair_derand(int level, uint8_t *pk, uint8_t *sk, const uint8_t seed[32]) {
  const qs_mldsa_params *p = qs_mldsa_params_get(level);
  if (!p || !pk || !sk || !seed) return QS_ERR_INVALID_ARGUMENT;
  return qs_mldsa_keygen_internal(p, pk, sk, seed);
}

int qs_mldsa_sign_derand(int level, uint8_t *sig, const uint8_t *m, size_t mlen, const uint8_t *ctx, size_t ctx_len,
                         const uint8_t rnd[32], const uint8_t *sk) {
  const qs_mldsa_params *p = qs_mldsa_params_get(level);
  uint8_t pre[257], mu[64];
  if (!p || !sig || !sk || !rnd || (mlen && !m)) return QS_ERR_INVALID_ARGUMENT;
  int prelen = pure_prefix(pre, ctx, ctx_len);
  if (prelen < 0) return QS_ERR_INVALID_ARGUMENT;
  qs_mldsa_mu_from_tr(mu, sk + 64, pre, (size_t)prelen, m, mlen); /* tr sits at sk[64..128) */
  int rc = qs_mldsa_sign_mu_internal(p, sig, sk, mu, rnd);
  qs_zeroize(mu, sizeof mu);
  return rc;
}

int qs_mldsa_verify_ctx(int level, const uint8_t *m, size_t mlen, const uint8_t *sig, size_t siglen,
                        const uint8_t *ctx, size_t ctx_len, const uint8_t *pk) {
  const qs_mldsa_params *p = qs_mldsa_params_get(level);
  uint8_t pre[257], mu[64];
  if (!p || !sig || !pk || (mlen && !m)) return QS_ERR_INVALID_ARGUMENT;
  int prelen = pure_prefix(pre, ctx, ctx_len);
  if (prelen < 0) return QS_ERR_INVALID_ARGUMENT;
  qs_mldsa_mu_from_pk(mu, pk, p->pk_bytes, pre, (size_t)prelen, m, mlen);
  return qs_mldsa_verify_mu_internal(p, pk, mu, sig, siglen);
}

/* liboqs function pointers carry no level argument, so each set gets its
 * own thin wrappers. */
#define DEFINE_LEVEL(L)                                                                                       \
  static OQS_STATUS keypair_##L(uint8_t *pk, uint8_t *sk) {                                                   \
    uint8_t seed[32];                                                                                         \
    /* A source may fail after writing part of seed: wipe on both paths. */                                  \
    int rc = OQS_randombytes(seed, 32) == OQS_SUCCESS ? qs_mldsa_keypair_derand(L, pk, sk, seed) : QS_ERR_RANDOMNESS; \
    qs_zeroize(seed, sizeof seed);                                                                            \
    return rc == QS_OK ? OQS_SUCCESS : OQS_ERROR;                                                             \
  }                                                                                                           \
  static OQS_STATUS sign_ctx_##L(uint8_t *sig, size_t *siglen, const uint8_t *m, size_t mlen,                 \
                                 const uint8_t *ctx, size_t ctxlen, const uint8_t *sk) {                      \
    uint8_t rnd[32];                                                                                          \
    /* As in keypair: rnd is wiped whether or not the source succeeded. */                                    \
    int rc = OQS_randombytes(rnd, 32) == OQS_SUCCESS ? qs_mldsa_sign_derand(L, sig, m, mlen, ctx, ctxlen, rnd, sk) \
                                                     : QS_ERR_RANDOMNESS;                                     \
    qs_zeroize(rnd, sizeof rnd);                                                                              \
    if (rc != QS_OK) return OQS_ERROR;                                                                        \
    if (siglen) *siglen = qs_mldsa_params_get(L)->sig_bytes;                                                  \
    return OQS_SUCCESS;                                                                                       \
  }                                                                                                           \
  static OQS_STATUS sign_##L(uint8_t *sig, size_t *siglen, const uint8_t *m, size_t mlen, const uint8_t *sk) { \
    return sign_ctx_##L(sig, siglen, m, mlen, 0, 0, sk);                                                      \
  }                                                                                                           \
  static OQS_STATUS verify_ctx_##L(const uint8_t *m, size_t mlen, const uint8_t *sig, size_t siglen,          \
                                   const uint8_t *ctx, size_t ctxlen, const uint8_t *pk) {                    \
    return qs_mldsa_verify_ctx(L, m, mlen, sig, siglen, ctx, ctxlen, pk) == QS_OK ? OQS_SUCCESS : OQS_ERROR;  \
  }                                                                                                           \
  static OQS_STATUS verify_##L(const uint8_t *m, size_t mlen, const uint8_t *sig, size_t siglen,              \
                               const uint8_t *pk) {                                                           \
    return verify_ctx_##L(m, mlen, sig, siglen, 0, 0, pk);                                                    \
  }

DEFINE_LEVEL(44)
DEFINE_LEVEL(65)
DEFINE_LEVEL(87)

/* SLH-DSA objects come from native/slhdsa/api.c where it is linked in; the
 * ML-KEM/ML-DSA wasm module does not link it (SLH-DSA is a module of its own). */
__attribute__((weak)) OQS_SIG *qs_oqs_sig_new_slhdsa(const char *method_name) {
  (void)method_name;
  return 0;
}

OQS_SIG *OQS_SIG_new(const char *method_name) {
  if (!method_name) return 0;
  int level;
  uint8_t nist;
  if (strcmp(method_name, OQS_SIG_alg_ml_dsa_44) == 0) { level = 44; nist = 2; }
  else if (strcmp(method_name, OQS_SIG_alg_ml_dsa_65) == 0) { level = 65; nist = 3; }
  else if (strcmp(method_name, OQS_SIG_alg_ml_dsa_87) == 0) { level = 87; nist = 5; }
  else return qs_oqs_sig_new_slhdsa(method_name);
  OQS_SIG *s = calloc(1, sizeof *s);
  if (!s) return 0;
  const qs_mldsa_params *p = qs_mldsa_params_get(level);
  s->alg_version = "FIPS204";
  s->claimed_nist_level = nist;
  s->euf_cma = true;
  s->suf_cma = true;
  s->sig_with_ctx_support = true;
  s->length_public_key = p->pk_bytes;
  s->length_secret_key = p->sk_bytes;
  s->length_signature = p->sig_bytes;
  switch (level) {
#define WIRE(L)                                       \
  case L:                                             \
    s->method_name = OQS_SIG_alg_ml_dsa_##L;          \
    s->keypair = keypair_##L;                         \
    s->sign = sign_##L;                               \
    s->sign_with_ctx_str = sign_ctx_##L;              \
    s->verify = verify_##L;                           \
    s->verify_with_ctx_str = verify_ctx_##L;          \
    break;
    WIRE(44)
    WIRE(65)
    WIRE(87)
#undef WIRE
  }
  return s;
}

OQS_STATUS OQS_SIG_keypair(const OQS_SIG *sig, uint8_t *pk, uint8_t *sk) {
  return sig && sig->keypair ? sig->keypair(pk, sk) : OQS_ERROR;
}
OQS_STATUS OQS_SIG_sign(const OQS_SIG *sig, uint8_t *s, size_t *slen, const uint8_t *m, size_t mlen, const uint8_t *sk) {
  return sig && sig->sign ? sig->sign(s, slen, m, mlen, sk) : OQS_ERROR;
}
OQS_STATUS OQS_SIG_sign_with_ctx_str(const OQS_SIG *sig, uint8_t *s, size_t *slen, const uint8_t *m, size_t mlen,
                                     const uint8_t *ctx, size_t ctxlen, const uint8_t *sk) {
  return sig && sig->sign_with_ctx_str ? sig->sign_with_ctx_str(s, slen, m, mlen, ctx, ctxlen, sk) : OQS_ERROR;
}
OQS_STATUS OQS_SIG_verify(const OQS_SIG *sig, const uint8_t *m, size_t mlen, const uint8_t *s, size_t slen, const uint8_t *pk) {
  return sig && sig->verify ? sig->verify(m, mlen, s, slen, pk) : OQS_ERROR;
}
OQS_STATUS OQS_SIG_verify_with_ctx_str(const OQS_SIG *sig, const uint8_t *m, size_t mlen, const uint8_t *s, size_t slen,
                                       const uint8_t *ctx, size_t ctxlen, const uint8_t *pk) {
  return sig && sig->verify_with_ctx_str ? sig->verify_with_ctx_str(m, mlen, s, slen, ctx, ctxlen, pk) : OQS_ERROR;
}
void OQS_SIG_free(OQS_SIG *sig) { free(sig); }
