/*
 * The few ML-KEM calls the hybrid layer makes, with the error mapping done in
 * one place. ML-KEM comes only from ../kem/index.js so this layer runs on our
 * wasm ML-KEM unchanged once it replaces the temporary stand-in; whatever
 * that implementation throws that is not already a QsignError is turned into
 * the stable code the caller can act on.
 */
import { ml_kem512, ml_kem768, ml_kem1024 } from '../kem/index.js';
import { QsignError } from '../errors.js';

/** The noble-shaped ML-KEM object exported by ../kem/index.js. */
export type MlKem = typeof ml_kem768;

export type MlKemName = 'ML-KEM-512' | 'ML-KEM-768' | 'ML-KEM-1024';

export interface MlKemParams {
  readonly name: MlKemName;
  readonly kem: MlKem;
  readonly publicKey: number;
  readonly cipherText: number;
}

export const MLKEM: Readonly<Record<MlKemName, MlKemParams>> = {
  'ML-KEM-512': { name: 'ML-KEM-512', kem: ml_kem512 as MlKem, publicKey: 800, cipherText: 768 },
  'ML-KEM-768': { name: 'ML-KEM-768', kem: ml_kem768, publicKey: 1184, cipherText: 1088 },
  'ML-KEM-1024': { name: 'ML-KEM-1024', kem: ml_kem1024 as MlKem, publicKey: 1568, cipherText: 1568 },
};

function rethrow(e: unknown, code: string, message: string): never {
  if (e instanceof QsignError) throw e;
  throw new QsignError(code, message, { cause: e });
}

/** ML-KEM.KeyGen_internal(d, z) from the 64-byte seed d‖z. */
export function mlkemFromSeed(p: MlKemParams, seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  try {
    return p.kem.keygen(seed);
  } catch (e) {
    rethrow(e, 'ERR_INVALID_SECRET_KEY', `${p.name} key generation from the 64-byte seed failed`);
  }
}

/**
 * ML-KEM.Encaps(ek) (with explicit randomness `m` when given). A key that
 * fails the FIPS 203 §7.2 modulus check becomes ERR_INVALID_PUBLIC_KEY.
 */
export function mlkemEncaps(p: MlKemParams, publicKey: Uint8Array, m?: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array } {
  try {
    return p.kem.encapsulate(publicKey, m);
  } catch (e) {
    rethrow(e, 'ERR_INVALID_PUBLIC_KEY',
      `${p.name} encapsulation key rejected: it fails the FIPS 203 §7.2 modulus check (a coefficient is >= q); obtain the recipient's real public key`);
  }
}

/** ML-KEM.Decaps(dk, c); implicit rejection means a wrong c yields a pseudorandom key, not an error. */
export function mlkemDecaps(p: MlKemParams, cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array {
  try {
    return p.kem.decapsulate(cipherText, secretKey);
  } catch (e) {
    rethrow(e, 'ERR_INVALID_SECRET_KEY', `${p.name} decapsulation failed: the decapsulation key is malformed`);
  }
}
