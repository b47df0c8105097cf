/*
 * wasm exports for FIPS 202. Incremental contexts live on the wasm heap;
 * qs_keccak_free wipes them, since a SHAKE state can carry secret input.
 */
#include <stdlib.h>
#include "../common/qs_common.h"
#include "../fips202/fips202.h"

/* Kinds are part of the ABI shared with src/hash/sha3.ts. */
enum { KIND_SHAKE128 = 1, KIND_SHAKE256 = 2, KIND_SHA3_224 = 3, KIND_SHA3_256 = 4, KIND_SHA3_384 = 5, KIND_SHA3_512 = 6 };

QS_EXPORT("qs_keccak_new") qs_keccak_state *qs_keccak_new(int kind) {
  uint32_t rate;
  uint8_t ds = 0x06;
  switch (kind) {
    case KIND_SHAKE128: rate = QS_SHAKE128_RATE; ds = 0x1F; break;
    case KIND_SHAKE256: rate = QS_SHAKE256_RATE; ds = 0x1F; break;
    case KIND_SHA3_224: rate = QS_SHA3_224_RATE; break;
    case KIND_SHA3_256: rate = QS_SHA3_256_RATE; break;
    case KIND_SHA3_384: rate = QS_SHA3_384_RATE; break;
    case KIND_SHA3_512: rate = QS_SHA3_512_RATE; break;
    default: return 0;
  }
  qs_keccak_state *st = malloc(sizeof *st);
  if (st) qs_keccak_init(st, rate, ds);
  return st;
}

/* absorb, finalize and squeeze return QS_OK, or QS_ERR_INVALID_STATE for a
 * call out of order (see fips202.h); src/hash/sha3.ts checks every code.
 * Each scrubs the stack below its frame before returning (a hash may be fed
 * secrets: seeds, keys, MAC inputs). */
QS_EXPORT("qs_keccak_absorb") int qs_keccak_absorb_export(qs_keccak_state *st, const uint8_t *in, size_t len) {
  int rc = qs_keccak_absorb(st, in, len);
  qs_scrub_stack(QS_SCRUB_KECCAK);
  return rc;
}

QS_EXPORT("qs_keccak_finalize") int qs_keccak_finalize_export(qs_keccak_state *st) {
  int rc = qs_keccak_finalize(st);
  qs_scrub_stack(QS_SCRUB_KECCAK);
  return rc;
}

QS_EXPORT("qs_keccak_squeeze") int qs_keccak_squeeze_export(qs_keccak_state *st, uint8_t *out, size_t len) {
  int rc = qs_keccak_squeeze(st, out, len);
  qs_scrub_stack(QS_SCRUB_KECCAK);
  return rc;
}

/* Copies a state so a caller can fork a running hash (digest now, keep absorbing). */
QS_EXPORT("qs_keccak_clone") qs_keccak_state *qs_keccak_clone(const qs_keccak_state *st) {
  qs_keccak_state *copy = malloc(sizeof *copy);
  if (copy) *copy = *st;
  return copy;
}

QS_EXPORT("qs_keccak_free") void qs_keccak_free(qs_keccak_state *st) {
  if (!st) return;
  qs_zeroize(st, sizeof *st);
  free(st);
}

/* One-shot forms avoid three boundary crossings for short inputs. */
static int keccak_oneshot(int kind, const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen) {
  switch (kind) {
    case KIND_SHAKE128: qs_shake128(out, outlen, in, inlen); return QS_OK;
    case KIND_SHAKE256: qs_shake256(out, outlen, in, inlen); return QS_OK;
    case KIND_SHA3_224: if (outlen != 28) break; qs_sha3_224(out, in, inlen); return QS_OK;
    case KIND_SHA3_256: if (outlen != 32) break; qs_sha3_256(out, in, inlen); return QS_OK;
    case KIND_SHA3_384: if (outlen != 48) break; qs_sha3_384(out, in, inlen); return QS_OK;
    case KIND_SHA3_512: if (outlen != 64) break; qs_sha3_512(out, in, inlen); return QS_OK;
    default: break;
  }
  return QS_ERR_INVALID_ARGUMENT;
}

QS_EXPORT("qs_keccak_oneshot") int qs_keccak_oneshot(int kind, const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen) {
  int rc = keccak_oneshot(kind, in, inlen, out, outlen);
  qs_scrub_stack(QS_SCRUB_KECCAK);
  return rc;
}
