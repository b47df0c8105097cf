/*
 * The ML-KEM calls the hybrid layer makes, all through the engine (never
 * src/kem directly), with the error mapping done in one place.
 *
 * - Synchronous calls (the X-Wing and X25519MLKEM768 objects, and any call
 *   with caller-chosen randomness: test vectors, HPKE's ikmE) run on the
 *   engine's wasm table: a synchronous call, or one whose randomness is
 *   given, has no other engine.
 * - Asynchronous calls without given randomness (HPKE, transit) go through
 *   the engine router, so its policy picks native Web Crypto where that is
 *   faster (Bun's ML-KEM decapsulation, for one).
 *
 * The engine already throws QsignErrors with the right codes; anything else
 * (a runtime's own exception, a bug) still becomes a stable code here, so
 * the hybrid layer's contract does not depend on the engine.
 */
import { QsignError, type QsignErrorCode } from '../errors.js';
import { findAlgorithm } from '../registry.js';
import { decapsulate, encapsulate, kemKeygen } from '../engine/kem.js';
import type { WasmKem } from '../engine/wasm.js';
import { WASM_KEMS } from '../engine/wasm-kem.js';

export type MlKemName = 'ML-KEM-512' | 'ML-KEM-768' | 'ML-KEM-1024';

export interface MlKemParams {
  readonly name: MlKemName;
  readonly kem: WasmKem;
  readonly publicKey: number;
  readonly cipherText: number;
}

function params(name: MlKemName): MlKemParams {
  const sizes = findAlgorithm(name)!.sizes;
  return Object.freeze({ name, kem: WASM_KEMS[name], publicKey: sizes.publicKey!, cipherText: sizes.cipherText! });
}

export const MLKEM: Readonly<Record<MlKemName, MlKemParams>> = {
  'ML-KEM-512': params('ML-KEM-512'),
  'ML-KEM-768': params('ML-KEM-768'),
  'ML-KEM-1024': params('ML-KEM-1024'),
};

function rethrow(e: unknown, code: QsignErrorCode, message: string): never {
  if (e instanceof QsignError) throw e;
  throw new QsignError(code, message, { cause: e });
}

const KEYGEN_FAILED = (p: MlKemParams) => `${p.name} key generation from the 64-byte seed failed`;
const BAD_PUBLIC_KEY = (p: MlKemParams) =>
  `${p.name} encapsulation key rejected: it fails the FIPS 203 §7.2 modulus check (a coefficient is >= q); obtain the recipient's real public key`;
const BAD_SECRET_KEY = (p: MlKemParams) => `${p.name} decapsulation failed: the decapsulation key is malformed`;

/** ML-KEM.KeyGen_internal(d, z) from the 64-byte seed d‖z. */
export function mlkemFromSeed(p: MlKemParams, seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  try {
    return p.kem.keygen(seed);
  } catch (e) {
    rethrow(e, 'ERR_INVALID_SECRET_KEY', KEYGEN_FAILED(p));
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
    rethrow(e, 'ERR_INVALID_PUBLIC_KEY', BAD_PUBLIC_KEY(p));
  }
}

/** ML-KEM.Decaps(dk, c); implicit rejection means a wrong c yields a pseudorandom key, not an error. */
export function mlkemDecaps(p: MlKemParams, cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array {
  try {
    return p.kem.decapsulate(cipherText, secretKey);
  } catch (e) {
    rethrow(e, 'ERR_INVALID_SECRET_KEY', BAD_SECRET_KEY(p));
  }
}

/** The public key of a 64-byte seed d‖z, on the engine the policy picks for keygen. */
export async function mlkemPublicKeyAsync(p: MlKemParams, seed: Uint8Array): Promise<Uint8Array> {
  try {
    return (await kemKeygen(p.name, seed, { output: 'seed' })).publicKey;
  } catch (e) {
    rethrow(e, 'ERR_INVALID_SECRET_KEY', KEYGEN_FAILED(p));
  }
}

/** ML-KEM.Encaps(ek) with fresh randomness, on the engine the policy picks; with `m`, the wasm engine. */
export async function mlkemEncapsAsync(
  p: MlKemParams,
  publicKey: Uint8Array,
  m?: Uint8Array,
): Promise<{ cipherText: Uint8Array; sharedSecret: Uint8Array }> {
  if (m !== undefined) return mlkemEncaps(p, publicKey, m);
  try {
    return await encapsulate(p.name, publicKey);
  } catch (e) {
    rethrow(e, 'ERR_INVALID_PUBLIC_KEY', BAD_PUBLIC_KEY(p));
  }
}

/** ML-KEM.Decaps with the 64-byte seed d‖z as the key, on the engine the policy picks. */
export async function mlkemDecapsSeedAsync(
  p: MlKemParams,
  cipherText: Uint8Array,
  seed: Uint8Array,
): Promise<Uint8Array> {
  try {
    return await decapsulate(p.name, cipherText, seed);
  } catch (e) {
    rethrow(e, 'ERR_INVALID_SECRET_KEY', BAD_SECRET_KEY(p));
  }
}
