/*
 * K-PKE (FIPS 203 Alg 13-15) and ML-KEM internal algorithms (Alg 16-18)
 * plus the §7.2/§7.3 input checks. Every secret intermediate is wiped
 * before return; the compare and select of the Fujisaki-Okamoto transform
 * are constant time.
 */
#include <string.h>
#include "../fips202/fips202.h"
#include "../fips202/fips202x2.h"
#include "mlkem.h"

#define K_MAX QS_MLKEM_KMAX

static const qs_mlkem_params PARAMS[3] = {
  {2, 3, 10, 4, 800, 1632, 768},
  {3, 2, 10, 4, 1184, 2400, 1088},
  {4, 2, 11, 5, 1568, 3168, 1568},
};

const qs_mlkem_params *qs_mlkem_params_for(int k) {
  if (k < 2 || k > 4) return 0;
  return &PARAMS[k - 2];
}

/* Decodes 384k bytes to canonical residues; reducing makes every later
 * bound hold even for an unchecked (e.g. dk-embedded) encoding >= q. */
static void polyvec_frombytes(qs_mlkem_poly *r, const uint8_t *in, int k) {
  for (int i = 0; i < k; i++) {
    qs_mlkem_poly_frombytes(&r[i], in + QS_MLKEM_POLYBYTES * i);
    qs_mlkem_poly_reduce(&r[i]);
  }
}

static void polyvec_tobytes(uint8_t *out, qs_mlkem_poly *a, int k) {
  for (int i = 0; i < k; i++) {
    qs_mlkem_poly_reduce(&a[i]);
    qs_mlkem_poly_tobytes(out + QS_MLKEM_POLYBYTES * i, &a[i]);
  }
}

/* K-PKE.KeyGen (Alg 13): writes ek (384k+32) and dk_PKE (384k). */
static void kpke_keygen(const qs_mlkem_params *p, uint8_t *ek, uint8_t *dk_pke, const uint8_t d[32]) {
  const int k = p->k;
  uint8_t in[33], rs[64]; /* rs = ρ‖σ */
  qs_mlkem_poly a[K_MAX * K_MAX], s[K_MAX], e[K_MAX], t[K_MAX];
  qs_mlkem_poly *noise[2 * K_MAX];
  int eta[2 * K_MAX];
  uint8_t nonce[2 * K_MAX];

  memcpy(in, d, 32);
  in[32] = (uint8_t)k; /* the domain-separation byte FIPS 203 added over Kyber */
  qs_sha3_512(rs, in, 33);
  const uint8_t *rho = rs, *sigma = rs + 32;
  /* ρ is published as the last 32 bytes of ek; SampleNTT may branch on it */
  QS_DECLASSIFY(rho, 32);

  qs_mlkem_gen_matrix(a, rho, k, 0);
  for (int i = 0; i < k; i++) {
    noise[i] = &s[i];
    noise[k + i] = &e[i];
  }
  for (int i = 0; i < 2 * k; i++) {
    eta[i] = p->eta1;
    nonce[i] = (uint8_t)i;
  }
  qs_mlkem_sample_noise(noise, eta, nonce, 2 * k, sigma);
  for (int i = 0; i < k; i++) {
    qs_mlkem_poly_ntt(&s[i]);
    qs_mlkem_poly_ntt(&e[i]);
  }
  for (int i = 0; i < k; i++) {
    qs_mlkem_polyvec_basemul_acc(&t[i], &a[i * k], s, k);
    qs_mlkem_poly_tomont(&t[i]); /* cancels basemul's R^-1 */
    qs_mlkem_poly_add(&t[i], &t[i], &e[i]);
  }
  polyvec_tobytes(ek, t, k);
  memcpy(ek + QS_MLKEM_POLYBYTES * k, rho, 32);
  polyvec_tobytes(dk_pke, s, k);

  qs_zeroize(in, sizeof in);
  qs_zeroize(rs, sizeof rs);
  qs_zeroize(s, sizeof s);
  qs_zeroize(e, sizeof e);
  qs_zeroize(t, sizeof t);
  /* Â is public once ek is, but it is derived from d: leave no trace of d */
  qs_zeroize(a, sizeof a);
}

/* K-PKE.Encrypt (Alg 14). ek must already have passed the modulus check
 * or come from a dk (whose embedded ek is bound by the hash check). */
static void kpke_encrypt(const qs_mlkem_params *p, uint8_t *c, const uint8_t *ek, const uint8_t m[32], const uint8_t r[32]) {
  const int k = p->k;
  qs_mlkem_poly at[K_MAX * K_MAX], th[K_MAX], y[K_MAX], e1[K_MAX], u[K_MAX], e2, v, mu;
  qs_mlkem_poly *noise[2 * K_MAX + 1];
  int eta[2 * K_MAX + 1];
  uint8_t nonce[2 * K_MAX + 1];
  uint16_t packed[QS_MLKEM_N];

  polyvec_frombytes(th, ek, k);
  qs_mlkem_gen_matrix(at, ek + QS_MLKEM_POLYBYTES * k, k, 1);

  for (int i = 0; i < k; i++) {
    noise[i] = &y[i];
    eta[i] = p->eta1;
    noise[k + i] = &e1[i];
    eta[k + i] = 2;
  }
  noise[2 * k] = &e2;
  eta[2 * k] = 2;
  for (int i = 0; i <= 2 * k; i++) nonce[i] = (uint8_t)i;
  qs_mlkem_sample_noise(noise, eta, nonce, 2 * k + 1, r);

  for (int i = 0; i < k; i++) qs_mlkem_poly_ntt(&y[i]);

  /* u = NTT^-1(Â^T ŷ) + e1 */
  for (int i = 0; i < k; i++) {
    qs_mlkem_polyvec_basemul_acc(&u[i], &at[i * k], y, k);
    qs_mlkem_poly_invntt_tomont(&u[i]);
    qs_mlkem_poly_add(&u[i], &u[i], &e1[i]);
    qs_mlkem_poly_reduce(&u[i]);
    qs_mlkem_poly_compress(packed, &u[i], p->du);
    qs_mlkem_pack(c + 32 * p->du * i, packed, p->du);
  }

  /* v = NTT^-1(t̂^T ŷ) + e2 + Decompress_1(m) */
  qs_mlkem_unpack(packed, m, 1);
  qs_mlkem_poly_decompress(&mu, packed, 1);
  qs_mlkem_polyvec_basemul_acc(&v, th, y, k);
  qs_mlkem_poly_invntt_tomont(&v);
  qs_mlkem_poly_add(&v, &v, &e2);
  qs_mlkem_poly_add(&v, &v, &mu);
  qs_mlkem_poly_reduce(&v);
  qs_mlkem_poly_compress(packed, &v, p->dv);
  qs_mlkem_pack(c + 32 * p->du * k, packed, p->dv);

  qs_zeroize(y, sizeof y);
  qs_zeroize(e1, sizeof e1);
  qs_zeroize(&e2, sizeof e2);
  qs_zeroize(u, sizeof u);
  qs_zeroize(&v, sizeof v);
  qs_zeroize(&mu, sizeof mu);
  qs_zeroize(packed, sizeof packed);
  /* Â and t̂ come from ek; in decapsulation that is the secret key's own */
  qs_zeroize(at, sizeof at);
  qs_zeroize(th, sizeof th);
}

/* K-PKE.Decrypt (Alg 15). */
static void kpke_decrypt(const qs_mlkem_params *p, uint8_t m[32], const uint8_t *dk_pke, const uint8_t *c) {
  const int k = p->k;
  qs_mlkem_poly u[K_MAX], s[K_MAX], v, w;
  uint16_t packed[QS_MLKEM_N];

  for (int i = 0; i < k; i++) {
    qs_mlkem_unpack(packed, c + 32 * p->du * i, p->du);
    qs_mlkem_poly_decompress(&u[i], packed, p->du);
    qs_mlkem_poly_ntt(&u[i]);
  }
  qs_mlkem_unpack(packed, c + 32 * p->du * k, p->dv);
  qs_mlkem_poly_decompress(&v, packed, p->dv);
  polyvec_frombytes(s, dk_pke, k);

  qs_mlkem_polyvec_basemul_acc(&w, s, u, k);
  qs_mlkem_poly_invntt_tomont(&w);
  qs_mlkem_poly_sub(&w, &v, &w);
  qs_mlkem_poly_reduce(&w);
  qs_mlkem_poly_compress(packed, &w, 1);
  qs_mlkem_pack(m, packed, 1);

  qs_zeroize(s, sizeof s);
  qs_zeroize(&w, sizeof w);
  qs_zeroize(packed, sizeof packed);
  qs_zeroize(u, sizeof u);
  qs_zeroize(&v, sizeof v);
}

void qs_mlkem_keygen_internal(const qs_mlkem_params *p, uint8_t *pk, uint8_t *sk, const uint8_t d[32], const uint8_t z[32]) {
  const size_t pv = (size_t)QS_MLKEM_POLYBYTES * p->k;
  /* dk = dk_PKE ‖ ek ‖ H(ek) ‖ z (Alg 16) */
  kpke_keygen(p, pk, sk, d);
  memcpy(sk + pv, pk, p->pk_bytes);
  qs_sha3_256(sk + pv + p->pk_bytes, pk, p->pk_bytes);
  memcpy(sk + pv + p->pk_bytes + 32, z, 32);
}

int qs_mlkem_check_pk_internal(const qs_mlkem_params *p, const uint8_t *pk) {
  return qs_mlkem_modulus_check_fails(pk, p->k) ? QS_ERR_INVALID_PUBLIC_KEY : QS_OK;
}

int qs_mlkem_check_sk_internal(const qs_mlkem_params *p, const uint8_t *sk) {
  const size_t pv = (size_t)QS_MLKEM_POLYBYTES * p->k;
  uint8_t h[32];
  qs_sha3_256(h, sk + pv, p->pk_bytes);
  uint8_t bad = qs_ct_memcmp_mask(h, sk + pv + p->pk_bytes, 32);
  /* whether dk passes the §7.3 check is reported to the caller: public */
  QS_DECLASSIFY(&bad, sizeof bad);
  qs_zeroize(h, sizeof h);
  return bad ? QS_ERR_INVALID_SECRET_KEY : QS_OK;
}

int qs_mlkem_encaps_internal(const qs_mlkem_params *p, uint8_t *ct, uint8_t ss[32], const uint8_t *pk, const uint8_t m[32]) {
  if (qs_mlkem_check_pk_internal(p, pk) != QS_OK) return QS_ERR_INVALID_PUBLIC_KEY;
  uint8_t buf[64], kr[64]; /* buf = m ‖ H(ek); kr = K ‖ r */
  memcpy(buf, m, 32);
  qs_sha3_256(buf + 32, pk, p->pk_bytes);
  qs_sha3_512(kr, buf, 64);
  kpke_encrypt(p, ct, pk, m, kr + 32);
  memcpy(ss, kr, 32);
  qs_zeroize(buf, sizeof buf);
  qs_zeroize(kr, sizeof kr);
  return QS_OK;
}

int qs_mlkem_decaps_internal(const qs_mlkem_params *p, uint8_t ss[32], const uint8_t *ct, const uint8_t *sk) {
  const size_t pv = (size_t)QS_MLKEM_POLYBYTES * p->k;
  const uint8_t *ek = sk + pv, *h = ek + p->pk_bytes, *z = h + 32;
  /* dk embeds ek and H(ek), which are the public key and its hash; only
   * dk_PKE and z are secret (this matters to the valgrind CT build only) */
  QS_DECLASSIFY(ek, p->pk_bytes + 32);
  uint8_t buf[64], kr[64];
  uint8_t zc[32 + 1568], cprime[1568];
  _Alignas(16) uint8_t hek[QS_SHA3_256_RATE], kbar[QS_SHA3_256_RATE];
  qs_keccakx2_state st;

  /* H(ek) for the §7.3 hash check and K̄ = J(z‖c) = SHAKE256(z‖c, 32) share
   * a rate and, for all three sets, a block count: one 2-way sponge does both */
  memcpy(zc, z, 32);
  memcpy(zc + 32, ct, p->ct_bytes);
  if (qs_keccakx2_absorb_once(&st, QS_SHA3_256_RATE, ek, p->pk_bytes, 0x06, zc, 32 + p->ct_bytes, 0x1F) == QS_OK) {
    qs_keccakx2_squeezeblocks(hek, kbar, 1, QS_SHA3_256_RATE, &st);
  } else {
    qs_sha3_256(hek, ek, p->pk_bytes);
    qs_shake256(kbar, 32, zc, 32 + p->ct_bytes);
  }
  uint8_t bad = qs_ct_memcmp_mask(hek, h, 32);
  /* whether dk passes the §7.3 check is reported to the caller: public */
  QS_DECLASSIFY(&bad, sizeof bad);
  int rc = QS_OK;
  if (bad) {
    qs_zeroize(ss, 32);
    rc = QS_ERR_INVALID_SECRET_KEY;
  } else {
    kpke_decrypt(p, buf, sk, ct); /* m' */
    memcpy(buf + 32, h, 32);
    qs_sha3_512(kr, buf, 64); /* (K', r') = G(m' ‖ h) */
    kpke_encrypt(p, cprime, ek, buf, kr + 32);
    /* a wrong ciphertext must be indistinguishable from a right one in
     * timing, so the comparison and the select never branch */
    uint8_t differ = qs_ct_memcmp_mask(ct, cprime, p->ct_bytes);
    memcpy(ss, kr, 32);
    qs_ct_cmov(ss, kbar, 32, differ);
  }

  qs_zeroize(buf, sizeof buf);
  qs_zeroize(kr, sizeof kr);
  qs_zeroize(kbar, sizeof kbar);
  qs_zeroize(zc, sizeof zc);
  qs_zeroize(cprime, sizeof cprime);
  qs_zeroize(hek, sizeof hek);
  qs_zeroize(&st, sizeof st);
  return rc;
}
