#include <string.h>
#include "qs_common.h"

void qs_zeroize(void *p, size_t n) {
  if (n == 0) return;
  memset(p, 0, n);
  /* The asm statement claims to read p, so the memset above is not dead. */
  __asm__ volatile("" : : "r"(p) : "memory");
}
