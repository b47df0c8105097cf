/*
 * The heap exports every family module (ML-KEM, ML-DSA, X25519, SHA-3) links
 * in: the TypeScript layer reserves its scratch arena and KAT buffers with
 * them and wipes what held secrets. The SLH-DSA module has its own copies.
 */
#include <stdlib.h>
#include "qs_common.h"

/* Wipes a heap range the TypeScript layer used for secrets. */
QS_EXPORT("qs_wipe") void qs_wipe(void *p, size_t n) { qs_zeroize(p, n); }

QS_EXPORT("qs_malloc") void *qs_malloc(size_t n) { return malloc(n); }
QS_EXPORT("qs_free") void qs_free(void *p) { free(p); }
