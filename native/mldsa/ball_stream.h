/*
 * The public half of SampleInBall (FIPS 204 Alg 29), shared by the scalar and
 * the SIMD128 samplers: the SHAKE256 stream over c̃, its 64 sign bits, and the
 * rejection of positions j > i. The two sample.c files differ only in how they
 * place each sign (a scalar scan or a vector pass), so only that is twinned.
 */
#ifndef QS_MLDSA_BALL_STREAM_H
#define QS_MLDSA_BALL_STREAM_H

#include "mldsa.h"
#include "../fips202/fips202.h"

typedef struct {
  qs_keccak_state st;
  uint8_t buf[QS_SHAKE256_RATE];
  size_t pos;
} ball_stream;

/* Absorbs c̃ and returns the 64 sign bits (the first 8 bytes of the stream). */
static uint64_t ball_start(ball_stream *s, const uint8_t *ctilde, size_t ctilde_len) {
  qs_shake256_init(&s->st);
  qs_keccak_absorb(&s->st, ctilde, ctilde_len);
  qs_keccak_finalize(&s->st);
  qs_keccak_squeezeblocks(&s->st, s->buf, 1);
  s->pos = 8;
  return qs_load64_le(s->buf);
}

/* The next accepted position j <= i. Rejecting bytes > i reveals only
 * discarded samples (the standard's own leak). */
static uint32_t ball_next(ball_stream *s, unsigned i) {
  uint32_t j, rejected;
  do {
    if (s->pos >= QS_SHAKE256_RATE) {
      qs_keccak_squeezeblocks(&s->st, s->buf, 1);
      s->pos = 0;
    }
    j = s->buf[s->pos++];
    rejected = (i - j) >> 31; /* j > i */
    /* Only the accept/reject bit is public (a rejected byte is discarded);
     * the accepted position j stays secret and is used only by the scans. */
    QS_DECLASSIFY(&rejected, sizeof rejected);
  } while (rejected);
  return j;
}

/* The stream carries c̃-derived state: wipe it. */
static void ball_end(ball_stream *s) { qs_zeroize(s, sizeof *s); }

#endif
