// Native reference for `npm run bench`: the same C core as the wasm builds
// (scalar sources; the simd128/ kernels are wasm-only), compiled for x86_64
// and timed through the same exported ABI the SDK calls. bench/native.mjs
// compiles and runs it; it prints one JSON object.
//
// Time is this process's CPU time (CLOCK_PROCESS_CPUTIME_ID), so a busy
// machine slows the figures less than wall time would. Each case: warm-up,
// a batch sized to ~sample_ms, `samples` samples, median/min/max in ops/s.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int qs_mlkem_keypair(int k, const uint8_t seed[64], uint8_t *pk, uint8_t *sk);
int qs_mlkem_encaps(int k, const uint8_t *pk, const uint8_t m[32], uint8_t *ct, uint8_t ss[32]);
int qs_mlkem_decaps(int k, const uint8_t *sk, const uint8_t *ct, uint8_t ss[32]);
int qs_mldsa_keypair(int level, const uint8_t *xi, uint8_t *pk, uint8_t *sk);
int qs_mldsa_sign_msg(int level, const uint8_t *sk, const uint8_t *pre, size_t prelen, const uint8_t *msg, size_t msglen,
                      const uint8_t *rnd, uint8_t *sig);
int qs_mldsa_verify_msg(int level, const uint8_t *pk, const uint8_t *pre, size_t prelen, const uint8_t *msg, size_t msglen,
                        const uint8_t *sig, size_t siglen);

static int samples = 9;
static double sample_ms = 200, warmup_ms = 300;
static uint8_t seed[64], pk[8192], sk[8192], ct[8192], ss[32], sig[8192], msg[1024];
// Pure ML-DSA with an empty context: M' = 0x00 || len(ctx)=0 || M (FIPS 204, 5.2).
static const uint8_t pre[2] = {0, 0};
static int level, k;
static size_t msglen, siglen;
static uint32_t counter;
static int first = 1;

static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// Varying inputs per call: the hedging randomness (so ML-DSA's rejection loop
// averages over rnd, like the SDK's hedged default) and the KEM's m.
static void bump(uint8_t *b) { memcpy(b, &counter, sizeof counter); counter++; }

static void op_kem_keygen(void) { bump(seed); qs_mlkem_keypair(k, seed, pk, sk); }
static void op_kem_encaps(void) { uint8_t m[32] = {0}; bump(m); qs_mlkem_encaps(k, pk, m, ct, ss); }
static void op_kem_decaps(void) { qs_mlkem_decaps(k, sk, ct, ss); }
static void op_dsa_keygen(void) { bump(seed); qs_mldsa_keypair(level, seed, pk, sk); }
static void op_dsa_sign(void) { uint8_t rnd[32] = {0}; bump(rnd); qs_mldsa_sign_msg(level, sk, pre, 2, msg, msglen, rnd, sig); }
static void op_dsa_verify(void) {
  if (qs_mldsa_verify_msg(level, pk, pre, 2, msg, msglen, sig, siglen) != 0) { fprintf(stderr, "verify failed\n"); exit(1); }
}

static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

static void measure(const char *group, const char *name, void (*fn)(void)) {
  double until = cpu_ms() + warmup_ms;
  while (cpu_ms() < until) fn();
  long batch = 1;
  for (;;) {
    double t = cpu_ms();
    for (long i = 0; i < batch; i++) fn();
    double dt = cpu_ms() - t;
    if (dt >= sample_ms / 4) { batch = (long)(batch * sample_ms / dt) + 1; break; }
    batch *= 2;
  }
  double rates[64];
  for (int s = 0; s < samples; s++) {
    double t = cpu_ms();
    for (long i = 0; i < batch; i++) fn();
    rates[s] = batch * 1000.0 / (cpu_ms() - t);
  }
  qsort(rates, samples, sizeof rates[0], cmp);
  printf("%s\n  {\"group\":\"%s\",\"name\":\"%s\",\"median\":%.1f,\"min\":%.1f,\"max\":%.1f}", first ? "" : ",", group, name,
         rates[samples / 2], rates[0], rates[samples - 1]);
  first = 0;
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--quick") == 0) { samples = 5; sample_ms = 60; warmup_ms = 100; }
  for (size_t i = 0; i < sizeof msg; i++) msg[i] = (uint8_t)(i * 31);
  printf("{\"results\":[");
  static const int ks[] = {2, 3, 4}, kn[] = {512, 768, 1024};
  char group[32];
  for (int i = 0; i < 3; i++) {
    k = ks[i];
    snprintf(group, sizeof group, "ML-KEM-%d", kn[i]);
    qs_mlkem_keypair(k, seed, pk, sk);
    measure(group, "keygen", op_kem_keygen);
    qs_mlkem_keypair(k, seed, pk, sk);
    measure(group, "encaps", op_kem_encaps);
    measure(group, "decaps", op_kem_decaps);
  }
  static const int levels[] = {44, 65, 87};
  static const size_t siglens[] = {2420, 3309, 4627};
  static const size_t lens[] = {32, 1024};
  for (int i = 0; i < 3; i++) {
    level = levels[i];
    siglen = siglens[i];
    snprintf(group, sizeof group, "ML-DSA-%d", level);
    measure(group, "keygen", op_dsa_keygen);
    qs_mldsa_keypair(level, seed, pk, sk);
    for (int j = 0; j < 2; j++) {
      msglen = lens[j];
      char name[32];
      snprintf(name, sizeof name, "sign %s", j ? "1 KiB" : "32 B");
      measure(group, name, op_dsa_sign);
      uint8_t rnd[32] = {0};
      if (qs_mldsa_sign_msg(level, sk, pre, 2, msg, msglen, rnd, sig) != 0) { fprintf(stderr, "sign failed\n"); return 1; }
      snprintf(name, sizeof name, "verify %s", j ? "1 KiB" : "32 B");
      measure(group, name, op_dsa_verify);
    }
  }
  printf("\n]}\n");
  return 0;
}
