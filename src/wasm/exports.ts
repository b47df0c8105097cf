/**
 * The typed surface of the wasm module. Pointers and sizes are i32 offsets into
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
  qs_keccak_absorb(state: number, inPtr: number, len: number): void;
  qs_keccak_finalize(state: number): void;
  qs_keccak_squeeze(state: number, outPtr: number, len: number): void;
  qs_keccak_clone(state: number): number;
  qs_keccak_free(state: number): void;
  qs_keccak_oneshot(kind: number, inPtr: number, inLen: number, outPtr: number, outLen: number): number;
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
