/* FIPS 204 Table 1 and 2; sizes follow from §7.2 and are asserted by the tests. */
#include "mldsa.h"

#define G2_88 ((QS_MLDSA_Q - 1) / 88)
#define G2_32 ((QS_MLDSA_Q - 1) / 32)

static const qs_mldsa_params P44 = {
  44, 4, 4, 2, 39, 128, 80, 1 << 17, G2_88, 39 * 2,
  32, 96, 576, 192, 1312, 2560, 2420,
};
static const qs_mldsa_params P65 = {
  65, 6, 5, 4, 49, 192, 55, 1 << 19, G2_32, 49 * 4,
  48, 128, 640, 128, 1952, 4032, 3309,
};
static const qs_mldsa_params P87 = {
  87, 8, 7, 2, 60, 256, 75, 1 << 19, G2_32, 60 * 2,
  64, 96, 640, 128, 2592, 4896, 4627,
};

const qs_mldsa_params *qs_mldsa_params_get(int level) {
  switch (level) {
    case 44: return &P44;
    case 65: return &P65;
    case 87: return &P87;
    default: return 0;
  }
}
