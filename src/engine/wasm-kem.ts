/**
 * The wasm engine's ML-KEM half (engine/wasm.ts is the ML-DSA half): apart so
 * that signature-only apps reach neither the ML-KEM wrappers nor, through
 * them, the ML-KEM wasm module (`#wasm-source/mlkem`, which a Worker uploads
 * whenever its bundle's module graph reaches it).
 */
import { ml_kem512, ml_kem768, ml_kem1024 } from '../kem/index.js';
import type { KemAlgorithm } from './native.js';
import { withExpanded, type WasmKem } from './wasm.js';

export const WASM_KEMS: Readonly<Record<KemAlgorithm, WasmKem>> = {
  'ML-KEM-512': ml_kem512,
  'ML-KEM-768': ml_kem768,
  'ML-KEM-1024': ml_kem1024,
};

export function encapsulateInWasm(
  alg: KemAlgorithm,
  key: Uint8Array,
  msg?: Uint8Array,
): { cipherText: Uint8Array; sharedSecret: Uint8Array } {
  return WASM_KEMS[alg].encapsulate(key, msg);
}

/** Decapsulates with expanded secret-key bytes or the 64-byte seed d‖z. */
export function decapsulateInWasm(alg: KemAlgorithm, key: Uint8Array, cipherText: Uint8Array): Uint8Array {
  const prim = WASM_KEMS[alg];
  return withExpanded(prim, key, (dk) => prim.decapsulate(cipherText, dk));
}
