/*
 * wasm exports of the SLH-DSA module (its own .wasm, so apps that do not use
 * SLH-DSA do not download it). set is 0..11 (qsign/slhdsa.h); return values
 * are QS_* codes (0 = success / valid signature). The TypeScript layer
 * formats M′'s prefix (0x00‖|ctx|‖ctx, or 0x01‖|ctx|‖ctx‖OID with msg =
 * PH(M), or empty for slh_sign_internal) and sizes every buffer.
 */
#include <stdlib.h>
#include "../common/qs_common.h"
#include "sha256x4.h"
#include "slhdsa.h"

/* slh_keygen_internal: seed = SK.seed ‖ SK.prf ‖ PK.seed (3n bytes). */
QS_EXPORT("qs_slh_keypair") int qs_slh_keypair(int set, const uint8_t *seed, uint8_t *pk, uint8_t *sk) {
  const slh_params *p = slh_params_get(set);
  if (!p) return QS_ERR_INVALID_ARGUMENT;
  return slh_keygen_internal(p, sk, pk, seed, seed + p->n, seed + 2 * p->n);
}

/* slh_sign_internal over M′ = pre ‖ msg; addrnd 0 = deterministic. */
QS_EXPORT("qs_slh_sign") int qs_slh_sign(int set, const uint8_t *sk, const uint8_t *pre, size_t prelen,
                                         const uint8_t *msg, size_t msglen, const uint8_t *addrnd, uint8_t *sig) {
  slh_msg m = {pre, prelen, msg, msglen};
  return slh_sign_internal(slh_params_get(set), sig, &m, sk, addrnd);
}

/* slh_verify_internal over M′ = pre ‖ msg. */
QS_EXPORT("qs_slh_verify") int qs_slh_verify(int set, const uint8_t *pk, const uint8_t *pre, size_t prelen,
                                             const uint8_t *msg, size_t msglen, const uint8_t *sig, size_t siglen) {
  slh_msg m = {pre, prelen, msg, msglen};
  return slh_verify_internal(slh_params_get(set), &m, sig, siglen, pk);
}

/* The 4-lane SHA-256 kernel on its own, for the scalar/SIMD contract test:
 * four inputs of len bytes each at in (lane i at in + i·len), hashed from
 * the standard IV; digests at out (lane i at out + 32i). */
QS_EXPORT("qs_slh_sha256x4") int qs_slh_sha256x4(const uint8_t *in, size_t len, uint8_t *out) {
  static const uint8_t empty[1] = {0};
  qs_sha256_ctx iv;
  qs_sha256_init(&iv);
  const uint8_t *ins[4];
  uint8_t *outs[4];
  for (int i = 0; i < 4; i++) {
    ins[i] = len ? in + i * len : empty;
    outs[i] = out + 32 * i;
  }
  qs_sha256x4(outs, iv.h, 0, ins, len);
  return QS_OK;
}

/* Allocation for the TypeScript heap scopes (src/wasm/heap.ts), under the
 * names the core module uses; the C names differ so native builds that link
 * every family together see no clash. */
QS_EXPORT("qs_malloc") void *qs_slh_malloc(size_t n) { return malloc(n); }
QS_EXPORT("qs_free") void qs_slh_free(void *p) { free(p); }
QS_EXPORT("qs_wipe") void qs_slh_wipe(void *p, size_t n) { qs_zeroize(p, n); }
