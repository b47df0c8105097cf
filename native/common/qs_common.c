#include <string.h>
#include "qs_common.h"
#if defined(__wasm__)
#include <emscripten/stack.h>
#endif

void qs_zeroize(void *p, size_t n) {
  if (n == 0) return;
  memset(p, 0, n);
  /* The asm statement claims to read p, so the memset above is not dead. */
  __asm__ volatile("" : : "r"(p) : "memory");
}

#if defined(__wasm__)
/* Exports run with the stack pointer at the top of a 512 KiB stack (JS is
 * their only caller and wasm has no re-entry), so the window below the
 * caller's frame lies inside the stack. Neither this function nor
 * qs_zeroize/memset takes a shadow-stack frame, so nothing live is in the
 * window while it is cleared. */
void qs_scrub_stack(size_t depth) {
  uint8_t *sp = (uint8_t *)emscripten_stack_get_current();
  qs_zeroize(sp - depth, depth);
}
#else
void qs_scrub_stack(size_t depth) { (void)depth; }
#endif
