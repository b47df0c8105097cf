/**
 * The wasm engine: the synchronous primitives behind an async face. Kept in
 * its own module so the router and the probe share one table.
 */
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '../sig/index.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '../kem/index.js';
import type { KemAlgorithm, SignatureAlgorithm } from './native.js';

/** The slice of the primitives' (noble-shaped) API the engine relies on. */
export interface WasmSignature {
  keygen(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  sign(
    message: Uint8Array,
    secretKey: Uint8Array,
    opts?: { context?: Uint8Array; extraEntropy?: false | Uint8Array },
  ): Uint8Array;
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, opts?: { context?: Uint8Array }): boolean;
}
export interface WasmKem {
  keygen(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  encapsulate(publicKey: Uint8Array, msg?: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array };
  decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

export const WASM_SIGS: Readonly<Record<SignatureAlgorithm, WasmSignature>> = {
  'ML-DSA-44': ml_dsa44,
  'ML-DSA-65': ml_dsa65,
  'ML-DSA-87': ml_dsa87,
};
export const WASM_KEMS: Readonly<Record<KemAlgorithm, WasmKem>> = {
  'ML-KEM-512': ml_kem512,
  'ML-KEM-768': ml_kem768,
  'ML-KEM-1024': ml_kem1024,
};
