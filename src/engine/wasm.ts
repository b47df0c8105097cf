/**
 * The wasm engine: the synchronous primitives behind the router's async
 * face. The tables are shared with the probe (it cross-checks native
 * against them); the operations below are what the router dispatches to,
 * each taking the key forms the engine accepts (a seed is expanded here,
 * and the expanded copy wiped before returning). The KEM half is
 * engine/wasm-kem.ts: a signature-only app (a JWT verifier) never reaches the
 * ML-KEM code, nor its wasm module (#wasm-source/mlkem, a Worker upload).
 */
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '../sig/index.js';
import type { SignatureAlgorithm } from './native.js';
import { randomBytes } from '../util/bytes.js';

/** The slice of the primitives' (noble-shaped) API the engine relies on. */
export interface WasmSignature {
  readonly lengths: { readonly seed: number };
  keygen(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  sign(
    message: Uint8Array,
    secretKey: Uint8Array,
    opts?: { context?: Uint8Array; extraEntropy?: false | Uint8Array },
  ): Uint8Array;
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, opts?: { context?: Uint8Array }): boolean;
}
export interface WasmKem {
  readonly lengths: { readonly seed: number };
  keygen(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  encapsulate(publicKey: Uint8Array, msg?: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array };
  decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

export const WASM_SIGS: Readonly<Record<SignatureAlgorithm, WasmSignature>> = {
  'ML-DSA-44': ml_dsa44,
  'ML-DSA-65': ml_dsa65,
  'ML-DSA-87': ml_dsa87,
};

/** Runs `f` on the expanded secret key of `key` (expanding a seed for just this call). */
export function withExpanded<T>(prim: WasmSignature | WasmKem, key: Uint8Array, f: (expanded: Uint8Array) => T): T {
  if (key.length !== prim.lengths.seed) return f(key);
  const expanded = prim.keygen(key).secretKey;
  try {
    return f(expanded);
  } finally {
    expanded.fill(0);
  }
}

/** Signs with expanded secret-key bytes or the 32-byte seed. */
export function signInWasm(
  alg: SignatureAlgorithm,
  key: Uint8Array,
  message: Uint8Array,
  opts: { context?: Uint8Array; extraEntropy?: false | Uint8Array },
): Uint8Array {
  const prim = WASM_SIGS[alg];
  return withExpanded(prim, key, (sk) => prim.sign(message, sk, opts));
}

export function verifyInWasm(
  alg: SignatureAlgorithm,
  key: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  opts: { context?: Uint8Array },
): boolean {
  return WASM_SIGS[alg].verify(signature, message, key, opts);
}

/** Key generation on wasm: the expanded pair, or seed output (a fresh seed when none is given). */
export function keygenInWasm(
  prim: WasmSignature | WasmKem,
  seed: Uint8Array | undefined,
  output: 'expanded' | 'seed',
): { publicKey: Uint8Array; secretKey: Uint8Array } {
  if (output === 'expanded') return prim.keygen(seed);
  const s = seed ? seed.slice() : randomBytes(prim.lengths.seed);
  const pair = prim.keygen(s);
  pair.secretKey.fill(0);
  return { publicKey: pair.publicKey, secretKey: s };
}
