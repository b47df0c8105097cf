/*
 * Shared helpers for the qsign-pqc C core: fixed-width types, constant-time
 * primitives and secret zeroization. Every algorithm family includes this.
 */
#ifndef QS_COMMON_H
#define QS_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__wasm__)
#define QS_EXPORT(name) __attribute__((export_name(name), visibility("default")))
#else
#define QS_EXPORT(name) __attribute__((visibility("default")))
#endif

#define QS_INLINE static inline __attribute__((always_inline))

/* Return codes shared by the whole core; the TypeScript layer maps them to
 * typed errors (src/wasm/status.ts), so the numbers are part of the ABI. */
enum {
  QS_OK = 0,
  QS_ERR_INVALID_PUBLIC_KEY = -1,
  QS_ERR_INVALID_SECRET_KEY = -2,
  QS_ERR_INVALID_CIPHERTEXT_LENGTH = -3,
  QS_ERR_INVALID_SIGNATURE = -4,
  QS_ERR_INVALID_ARGUMENT = -5,
  QS_ERR_OUT_OF_MEMORY = -6,
  QS_ERR_RANDOMNESS = -7,
  /* ML-DSA signing stopped at its attempt cap (QS_MLDSA_MAX_ATTEMPTS). */
  QS_ERR_SIGN_ATTEMPTS = -8,
  /* A call out of order on a stateful object (Keccak absorb after finalize). */
  QS_ERR_INVALID_STATE = -9,
};

/* Constant-time analysis hooks. The test:ct build (scripts/test-native.mjs)
 * compiles with QS_CT_VALGRIND and marks every secret input undefined for
 * Valgrind memcheck, so a branch or memory index that depends on a secret is
 * reported. QS_DECLASSIFY marks a value the standard makes public (a public
 * key part, a rejection decision, a signature component) as defined; every use
 * carries a comment saying why that value is public. In normal builds both are
 * no-ops. */
#if defined(QS_CT_VALGRIND)
#include <valgrind/memcheck.h>
#define QS_SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define QS_DECLASSIFY(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#else
#define QS_SECRET(p, n) ((void)(p), (void)(n))
#define QS_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

/* Wipes memory in a way the optimiser may not remove: the barrier makes the
 * compiler assume the buffer is read afterwards. */
void qs_zeroize(void *p, size_t n);

/* Defence in depth at the wasm export boundary (security review issue 18).
 * Every function wipes its own secret stack buffers; on top of that, each
 * export that handles secrets zeroes the `depth` bytes of shadow stack
 * below its own frame before it returns, so a buffer a later change forgets
 * to wipe, or a temporary the compiler puts in linear memory (v128 arrays,
 * compiler-rt __int128 results), still does not outlive the call. The
 * depths are the deepest call chain of each family, measured, with margin;
 * test/conformance/residue.test.ts fails if a call goes deeper. A no-op in
 * native builds, where the stack is the host's. */
void qs_scrub_stack(size_t depth);
#define QS_SCRUB_KECCAK ((size_t)2 * 1024)
#define QS_SCRUB_X25519 ((size_t)2 * 1024)
#define QS_SCRUB_MLKEM ((size_t)32 * 1024)
#define QS_SCRUB_MLDSA ((size_t)96 * 1024)
/* The hot exports that go less deep than their family's deepest call scrub
 * their own window: a wipe costs its size on every call (in Chromium a
 * 96 KiB one leaves L1/L2 and takes several µs, a few % of a key pair).
 * Measured with the scrub disabled (both builds, every parameter set):
 * ML-KEM keypair 16.5 KiB, encaps 20.7 KiB (decaps 28.5 KiB keeps the
 * family's 32); ML-DSA keypair 51.7 KiB, pk_from_sk 47.5 KiB (signing
 * 86 KiB keeps the family's 96). test/conformance/residue.test.ts checks
 * both that no call writes below its window and that these stay tight. */
#define QS_SCRUB_MLKEM_KEYPAIR ((size_t)20 * 1024)
#define QS_SCRUB_MLKEM_ENCAPS ((size_t)24 * 1024)
#define QS_SCRUB_MLDSA_KEYPAIR ((size_t)56 * 1024)

/* Optimisation barrier: the compiler cannot reason about the value that
 * comes out, so it cannot turn masked selects back into branches. */
QS_INLINE uint32_t qs_value_barrier_u32(uint32_t x) {
  __asm__ volatile("" : "+r"(x));
  return x;
}
QS_INLINE uint8_t qs_value_barrier_u8(uint8_t x) {
  uint32_t y = x;
  __asm__ volatile("" : "+r"(y));
  return (uint8_t)y;
}

/* -1 when x < 0, else 0, kept as arithmetic. Without the barriers clang-14
 * reads x >> 31 as the comparison x < 0 and `mask & y` as x < 0 ? y : 0,
 * and emits a branch (x86-64) or a select (wasm) on the secret x: the first
 * barrier hides the comparison, the second that the result is 0 or -1. */
QS_INLINE int32_t qs_ct_sign_mask_i32(int32_t x) {
  int32_t spread = (int32_t)qs_value_barrier_u32((uint32_t)x) >> 31;
  return (int32_t)qs_value_barrier_u32((uint32_t)spread);
}

/* 0 when the buffers are equal, 0xFF otherwise; time depends only on n. */
QS_INLINE uint8_t qs_ct_memcmp_mask(const uint8_t *a, const uint8_t *b, size_t n) {
  uint8_t acc = 0;
  for (size_t i = 0; i < n; i++) acc |= (uint8_t)(a[i] ^ b[i]);
  uint32_t nz = qs_value_barrier_u32((uint32_t)acc);
  /* (nz | -nz) has its top bit set iff nz != 0 */
  return (uint8_t)(0u - (((nz | (0u - nz)) >> 31) & 1u));
}

/* dst = mask ? src : dst, for mask in {0x00, 0xFF}; no branch on mask. */
QS_INLINE void qs_ct_cmov(uint8_t *dst, const uint8_t *src, size_t n, uint8_t mask) {
  mask = qs_value_barrier_u8(mask);
  for (size_t i = 0; i < n; i++) dst[i] ^= (uint8_t)(mask & (dst[i] ^ src[i]));
}

/* Little-endian loads/stores, alignment-free. On little-endian targets they
 * are one unaligned memcpy each: clang does not merge the byte-by-byte form
 * into a single wasm load or store, and wasm allows unaligned access. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define QS_LITTLE_ENDIAN 1
#endif
QS_INLINE uint64_t qs_load64_le(const uint8_t *p) {
#ifdef QS_LITTLE_ENDIAN
  uint64_t r;
  memcpy(&r, p, 8);
  return r;
#else
  uint64_t r = 0;
  for (int i = 7; i >= 0; i--) r = (r << 8) | p[i];
  return r;
#endif
}
QS_INLINE void qs_store64_le(uint8_t *p, uint64_t v) {
#ifdef QS_LITTLE_ENDIAN
  memcpy(p, &v, 8);
#else
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
#endif
}
QS_INLINE void qs_store32_le(uint8_t *p, uint32_t v) {
#ifdef QS_LITTLE_ENDIAN
  memcpy(p, &v, 4);
#else
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
#endif
}
QS_INLINE uint32_t qs_load32_le(const uint8_t *p) {
#ifdef QS_LITTLE_ENDIAN
  uint32_t r;
  memcpy(&r, p, 4);
  return r;
#else
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
#endif
}

#endif
