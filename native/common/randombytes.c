#include "qsign/oqs.h"

#if !defined(__wasm__)
#include <sys/random.h>
static OQS_STATUS system_randombytes(uint8_t *out, size_t len) {
  while (len) {
    ssize_t n = getrandom(out, len, 0);
    if (n <= 0) return OQS_ERROR;
    out += n;
    len -= (size_t)n;
  }
  return OQS_SUCCESS;
}
static OQS_randombytes_fn current = system_randombytes;
#else
/* The wasm module has no imports, so it has no entropy of its own: until the
 * host installs a source, the randomized calls fail instead of inventing one. */
static OQS_randombytes_fn current = 0;
#endif

void OQS_randombytes_custom_algorithm(OQS_randombytes_fn fn) { current = fn; }

OQS_STATUS OQS_randombytes(uint8_t *out, size_t len) {
  if (!current) return OQS_ERROR;
  return current(out, len);
}
