/* FIPS 205 Table 2: the twelve approved parameter sets. */
#include <string.h>
#include "slhdsa.h"

#define SET(ID, NAME, SHAKE, N, H, D, HP, A, K, M, LVL)                                                     \
  {NAME, ID, SHAKE, N, H, D, HP, A, K, M, 2 * N + 3, LVL, 2 * N, 4 * N,                                     \
   N * (1 + K * (1 + A) + H + D * (2 * N + 3))}

static const slh_params PARAMS[12] = {
    SET(0, "SLH-DSA-SHA2-128s", 0, 16, 63, 7, 9, 12, 14, 30, 1),
    SET(1, "SLH-DSA-SHA2-128f", 0, 16, 66, 22, 3, 6, 33, 34, 1),
    SET(2, "SLH-DSA-SHA2-192s", 0, 24, 63, 7, 9, 14, 17, 39, 3),
    SET(3, "SLH-DSA-SHA2-192f", 0, 24, 66, 22, 3, 8, 33, 42, 3),
    SET(4, "SLH-DSA-SHA2-256s", 0, 32, 64, 8, 8, 14, 22, 47, 5),
    SET(5, "SLH-DSA-SHA2-256f", 0, 32, 68, 17, 4, 9, 35, 49, 5),
    SET(6, "SLH-DSA-SHAKE-128s", 1, 16, 63, 7, 9, 12, 14, 30, 1),
    SET(7, "SLH-DSA-SHAKE-128f", 1, 16, 66, 22, 3, 6, 33, 34, 1),
    SET(8, "SLH-DSA-SHAKE-192s", 1, 24, 63, 7, 9, 14, 17, 39, 3),
    SET(9, "SLH-DSA-SHAKE-192f", 1, 24, 66, 22, 3, 8, 33, 42, 3),
    SET(10, "SLH-DSA-SHAKE-256s", 1, 32, 64, 8, 8, 14, 22, 47, 5),
    SET(11, "SLH-DSA-SHAKE-256f", 1, 32, 68, 17, 4, 9, 35, 49, 5),
};

const slh_params *slh_params_get(int id) { return id >= 0 && id < 12 ? &PARAMS[id] : 0; }

const slh_params *slh_params_by_name(const char *name) {
  for (int i = 0; name && i < 12; i++)
    if (strcmp(PARAMS[i].name, name) == 0) return &PARAMS[i];
  return 0;
}
