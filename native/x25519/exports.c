/*
 * wasm exports for X25519 (RFC 7748). Both write 32 bytes to out and return
 * QS_OK; a low-order u yields the all-zero string and it is the caller's
 * choice whether to reject it (src/hybrid/x25519.ts).
 */
#include "../common/qs_common.h"
#include "x25519.h"

QS_EXPORT("qs_x25519") int qs_x25519(uint8_t *out, const uint8_t *scalar, const uint8_t *u) {
  qs_x25519_scalarmult(out, scalar, u);
  qs_scrub_stack(QS_SCRUB_X25519);
  return QS_OK;
}

QS_EXPORT("qs_x25519_base") int qs_x25519_base(uint8_t *out, const uint8_t *scalar) {
  qs_x25519_scalarmult_base(out, scalar);
  qs_scrub_stack(QS_SCRUB_X25519);
  return QS_OK;
}
