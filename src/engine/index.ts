/**
 * The one asynchronous engine interface the protocol layers (JOSE, HPKE,
 * transit, X.509) call for signatures and KEMs. Today every call runs on the
 * wasm primitives; the Web Crypto engine plugs in here, chosen per runtime and
 * operation, without the protocol layers changing.
 *
 * Keys are the byte forms of the primitives: ML-DSA expanded secret keys and
 * public keys, ML-KEM expanded decapsulation keys and encapsulation keys.
 */
import { QsignError } from '../errors.js';
import { findAlgorithm } from '../registry.js';
import { init } from '../wasm/loader.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '../sig/index.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '../kem/index.js';

export type SignatureAlgorithm = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';
export type KemAlgorithm = 'ML-KEM-512' | 'ML-KEM-768' | 'ML-KEM-1024';

const SIGS = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
const KEMS = { 'ML-KEM-512': ml_kem512, 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 } as const;

/** Resolves a signature algorithm name or alias to its canonical name. */
export function signatureAlgorithm(name: string): SignatureAlgorithm {
  const info = findAlgorithm(name, 'signature');
  if (!info) throw new QsignError('ERR_UNKNOWN_ALGORITHM', `unknown signature algorithm "${name}"; expected ML-DSA-44, ML-DSA-65 or ML-DSA-87`);
  return info.name as SignatureAlgorithm;
}

/** Resolves a KEM algorithm name or alias to its canonical name. */
export function kemAlgorithm(name: string): KemAlgorithm {
  const info = findAlgorithm(name, 'kem');
  if (!info) throw new QsignError('ERR_UNKNOWN_ALGORITHM', `unknown KEM algorithm "${name}"; expected ML-KEM-512, ML-KEM-768 or ML-KEM-1024`);
  return info.name as KemAlgorithm;
}

export interface SignOptions {
  /** FIPS 204 context string, 0..255 bytes. */
  context?: Uint8Array;
  /** false: deterministic; 32 bytes: that randomness; default: fresh randomness. */
  extraEntropy?: false | Uint8Array;
}

/** Key pair from a 32-byte ML-DSA seed (or fresh randomness). */
export async function signatureKeygen(alg: string, seed?: Uint8Array): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }> {
  await init();
  return SIGS[signatureAlgorithm(alg)].keygen(seed);
}

export async function sign(alg: string, secretKey: Uint8Array, message: Uint8Array, opts: SignOptions = {}): Promise<Uint8Array> {
  await init();
  return SIGS[signatureAlgorithm(alg)].sign(message, secretKey, opts);
}

export async function verify(alg: string, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, opts: { context?: Uint8Array } = {}): Promise<boolean> {
  await init();
  return SIGS[signatureAlgorithm(alg)].verify(signature, message, publicKey, opts);
}

/** Key pair from a 64-byte ML-KEM seed d‖z (or fresh randomness). */
export async function kemKeygen(alg: string, seed?: Uint8Array): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }> {
  await init();
  return KEMS[kemAlgorithm(alg)].keygen(seed);
}

export async function encapsulate(alg: string, publicKey: Uint8Array, msg?: Uint8Array): Promise<{ cipherText: Uint8Array; sharedSecret: Uint8Array }> {
  await init();
  return KEMS[kemAlgorithm(alg)].encapsulate(publicKey, msg);
}

export async function decapsulate(alg: string, cipherText: Uint8Array, secretKey: Uint8Array): Promise<Uint8Array> {
  await init();
  return KEMS[kemAlgorithm(alg)].decapsulate(cipherText, secretKey);
}
