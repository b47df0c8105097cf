/*
 * The few ML-KEM calls the hybrid layer makes, with the error mapping done in
 * one place. ML-KEM comes only from ../kem/index.js (the wasm core). It
 * already throws QsignErrors with the right codes; anything else it might
 * throw (a future engine, a bug) is still turned into a stable code here, so
 * the hybrid layer's contract does not depend on it.
 */
import { ml_kem512, ml_kem768, ml_kem1024, type MlKem } from '../kem/index.js';
import { QsignError } from '../errors.js';

export type MlKemName = 'ML-KEM-512' | 'ML-KEM-768' | 'ML-KEM-1024';

export interface MlKemParams {
  readonly name: MlKemName;
  readonly kem: MlKem;
  readonly publicKey: number;
  readonly cipherText: number;
}

export const MLKEM: Readonly<Record<MlKemName, MlKemParams>> = {
  'ML-KEM-512': { name: 'ML-KEM-512', kem: ml_kem512, publicKey: 800, cipherText: 768 },
  'ML-KEM-768': { name: 'ML-KEM-768', kem: ml_kem768, publicKey: 1184, cipherText: 1088 },
  'ML-KEM-1024': { name: 'ML-KEM-1024', kem: ml_kem1024, publicKey: 1568, cipherText: 1568 },
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
export function mlkemEncaps(
  p: MlKemParams,
  publicKey: Uint8Array,
  m?: Uint8Array,
): { cipherText: Uint8Array; sharedSecret: Uint8Array } {
  try {
    return p.kem.encapsulate(publicKey, m);
  } catch (e) {
    rethrow(
      e,
      'ERR_INVALID_PUBLIC_KEY',
      `${p.name} encapsulation key rejected: it fails the FIPS 203 §7.2 modulus check (a coefficient is >= q); obtain the recipient's real public key`,
    );
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
