/**
 * The algorithm families, each in a wasm module of its own
 * (wasm/qsign-{mlkem,mldsa,x25519,sha3}-{simd,scalar}.wasm), loaded on first
 * use. `'sha3'` (plain SHA-3/SHAKE hashing) runs on the ML-KEM or ML-DSA
 * module when one is loaded, else on the small SHA-3-only module.
 */
export type WasmFamily = 'sha3' | 'ml-kem' | 'ml-dsa' | 'x25519';

/**
 * The typed surface of the family modules: each has the heap exports and
 * its own block (ML-KEM and ML-DSA also the fips202 ones they are built on). Pointers and sizes are i32 offsets into
 * `memory`; return codes are the QS_* values of native/common/qs_common.h,
 * mapped to errors by ./status.ts. One block per C family.
 */
export interface QsignExports {
  readonly memory: WebAssembly.Memory;
  _initialize(): void;
  qs_malloc(n: number): number;
  qs_free(ptr: number): void;
  qs_wipe(ptr: number, n: number): void;

  // fips202 (native/fips202/exports.c)
  qs_keccak_new(kind: number): number;
  // absorb/finalize/squeeze return 0, or QS_ERR_INVALID_STATE (-9) for a call out of order
  qs_keccak_absorb(state: number, inPtr: number, len: number): number;
  qs_keccak_finalize(state: number): number;
  qs_keccak_squeeze(state: number, outPtr: number, len: number): number;
  qs_keccak_clone(state: number): number;
  qs_keccak_free(state: number): void;
  qs_keccak_oneshot(kind: number, inPtr: number, inLen: number, outPtr: number, outLen: number): number;

  // 2-way SHAKE (native/fips202/x2_exports.c): kind 1 = SHAKE128, 2 = SHAKE256; nblocks·rate bytes per lane
  qs_shake_x2(kind: number, in0: number, in1: number, inLen: number, out0: number, out1: number, nblocks: number): number;

  // mlkem (native/mlkem/exports.c); k = 2, 3, 4 for ML-KEM-512/768/1024
  qs_mlkem_keypair(k: number, seedPtr: number, pkPtr: number, skPtr: number): number;
  qs_mlkem_encaps(k: number, pkPtr: number, msgPtr: number, ctPtr: number, ssPtr: number): number;
  qs_mlkem_decaps(k: number, skPtr: number, ctPtr: number, ssPtr: number): number;
  qs_mlkem_check_pk(k: number, pkPtr: number): number;
  qs_mlkem_check_sk(k: number, skPtr: number): number;

  // mldsa (native/mldsa/exports.c); level = 44, 65, 87. `pre` is the M' prefix
  // (0x00||len||ctx pure, 0x01||len||ctx||OID HashML-DSA, empty for Sign_internal).
  qs_mldsa_keypair(level: number, xiPtr: number, pkPtr: number, skPtr: number): number;
  qs_mldsa_pk_from_sk(level: number, skPtr: number, pkPtr: number): number;
  /** < 0: QS_* error; else bit 0 = t0 differs, bit 1 = tr differs. */
  qs_mldsa_check_sk(level: number, skPtr: number, pkPtr: number): number;
  qs_mldsa_sign_mu(level: number, skPtr: number, muPtr: number, rndPtr: number, sigPtr: number): number;
  qs_mldsa_verify_mu(level: number, pkPtr: number, muPtr: number, sigPtr: number, sigLen: number): number;
  qs_mldsa_sign_msg(level: number, skPtr: number, prePtr: number, preLen: number, msgPtr: number, msgLen: number, rndPtr: number, sigPtr: number): number;
  qs_mldsa_verify_msg(level: number, pkPtr: number, prePtr: number, preLen: number, msgPtr: number, msgLen: number, sigPtr: number, sigLen: number): number;
  qs_mldsa_mu(level: number, pkPtr: number, prePtr: number, preLen: number, msgPtr: number, msgLen: number, muPtr: number): number;

  // x25519 (native/x25519/exports.c): RFC 7748 X25519, 32-byte scalar (clamped
  // inside) and u; writes 32 bytes, returns QS_OK. Low-order u gives all zeros.
  qs_x25519(outPtr: number, scalarPtr: number, uPtr: number): number;
  qs_x25519_base(outPtr: number, scalarPtr: number): number;
}

/** Keccak instance kinds; part of the ABI with native/fips202/exports.c. */
export const KeccakKind = {
  SHAKE128: 1,
  SHAKE256: 2,
  SHA3_224: 3,
  SHA3_256: 4,
  SHA3_384: 5,
  SHA3_512: 6,
} as const;
export type KeccakKind = (typeof KeccakKind)[keyof typeof KeccakKind];

/**
 * The SLH-DSA module (wasm/qsign-slhdsa-*.wasm, native/slhdsa/exports.c), a
 * module of its own so apps that do not use SLH-DSA do not download it.
 * `set` is 0..11 in the order of the NIST OIDs 2.16.840.1.101.3.4.3.20-31;
 * `pre` is the M′ prefix (0x00‖len‖ctx pure, 0x01‖len‖ctx‖OID HashSLH-DSA,
 * empty for slh_sign_internal); addrnd 0 signs deterministically.
 */
export interface SlhDsaExports {
  readonly memory: WebAssembly.Memory;
  _initialize(): void;
  qs_malloc(n: number): number;
  qs_free(ptr: number): void;
  qs_wipe(ptr: number, n: number): void;
  qs_slh_keypair(set: number, seedPtr: number, pkPtr: number, skPtr: number): number;
  qs_slh_sign(
    set: number,
    skPtr: number,
    prePtr: number,
    preLen: number,
    msgPtr: number,
    msgLen: number,
    addrndPtr: number,
    sigPtr: number,
  ): number;
  qs_slh_verify(
    set: number,
    pkPtr: number,
    prePtr: number,
    preLen: number,
    msgPtr: number,
    msgLen: number,
    sigPtr: number,
    sigLen: number,
  ): number;
  /** The 4-lane SHA-256 kernel alone (scalar/SIMD contract test): 4 inputs of len bytes → 4×32 bytes. */
  qs_slh_sha256x4(inPtr: number, len: number, outPtr: number): number;
}
