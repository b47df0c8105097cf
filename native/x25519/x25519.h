/*
 * X25519 (RFC 7748 §5): Diffie-Hellman on Curve25519 by the Montgomery ladder
 * over GF(2^255 - 19). Constant time in the scalar; the u-coordinate is
 * public. The scalar is clamped here (callers pass the raw 32 bytes).
 */
#ifndef QS_X25519_H
#define QS_X25519_H

#include <stdint.h>

#define QS_X25519_BYTES 32

/* out = X25519(scalar, u). Non-canonical u (>= p) is reduced and the top bit
 * of u ignored, as RFC 7748 §5 requires. A low-order u gives the all-zero
 * string; rejecting it is the caller's decision (RFC 7748 §6.1). */
void qs_x25519_scalarmult(uint8_t out[QS_X25519_BYTES], const uint8_t scalar[QS_X25519_BYTES],
                          const uint8_t u[QS_X25519_BYTES]);

/* out = X25519(scalar, 9): the public key of a secret scalar. */
void qs_x25519_scalarmult_base(uint8_t out[QS_X25519_BYTES], const uint8_t scalar[QS_X25519_BYTES]);

#endif
