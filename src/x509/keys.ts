/**
 * SubjectPublicKeyInfo and PKCS#8 (RFC 5958 OneAsymmetricKey) codecs for
 * ML-DSA (RFC 9881), ML-KEM (RFC 9935) and SLH-DSA (RFC 9909), plus PEM helpers.
 *
 * The DER framing and the ML-DSA keys live in `./keys-core.js`; this module
 * plugs the ML-KEM and SLH-DSA key handling into it (seed expansion, the
 * FIPS 203 §7.3 checks of an expanded ML-KEM key) and re-exports the codec.
 * The split keeps the JOSE layer, which needs ML-DSA only, from reaching the
 * ML-KEM, SHA-3 and SLH-DSA wasm modules (issue 23 item 2).
 */
import { ml_kem512, ml_kem768, ml_kem1024 } from '../kem/index.js';
import { sha3_256 } from '../hash/index.js';
import type { SlhDsaName } from '../registry.js';
import { equalBytes } from '../util/bytes.js';
import type { KemAlgorithm } from '../engine/index.js';
import { slhDsaByName } from './slhdsa.js';
import * as core from './keys-core.js';
import { inconsistent, mlKemModulusOk, registerKeyFamily } from './keys-core.js';
import type { DecodedPrivateKey, EncodePKCS8Options, KeyAlgorithm } from './keys-core.js';

export { pemEncode, pemDecode, pemDecodeAll, toDer, isPem } from './pem.js';
export type { PemBlock } from './pem.js';
export {
  KEY_OIDS,
  isSignatureAlgorithm,
  isSlhDsaAlgorithm,
  isMlDsaAlgorithm,
  isKemAlgorithm,
  keySizes,
  algorithmFromOid,
  algorithmIdentifier,
  parseAlgorithmIdentifier,
  encodeSPKI,
  decodeSPKI,
  encodeSPKIPem,
  privateKeyDerFromPem,
} from './keys-core.js';
export type {
  SigningAlgorithm,
  KeyAlgorithm,
  DecodedPublicKey,
  PrivateKeyForm,
  DecodedPrivateKey,
  EncodePKCS8Options,
} from './keys-core.js';

const ML_KEM_PRIMITIVES = {
  'ML-KEM-512': ml_kem512,
  'ML-KEM-768': ml_kem768,
  'ML-KEM-1024': ml_kem1024,
} as const;

let plugged = false;

/**
 * Plugs ML-KEM and SLH-DSA into the codec. Called by every function below that may expand or check a key rather
 * than at module load: the package is `sideEffects: false`, so a bundler may drop a bare top-level registration.
 */
function plugFamilies(): void {
  if (plugged) return;
  registerKeyFamily('ML-KEM', {
    expandSeed: (alg, seed) => ML_KEM_PRIMITIVES[alg as KemAlgorithm].keygen(seed),
    checkExpanded: (alg, dk) => checkExpandedKem(alg as KemAlgorithm, dk),
  });
  registerKeyFamily('SLH-DSA', {
    expandSeed: (alg, seed) => slhDsaByName(alg as SlhDsaName).keygen(seed),
  });
  plugged = true;
}

/** Expands a seed to {publicKey, secretKey} with the primitive module (sync); any family. */
export function expandSeed(alg: KeyAlgorithm, seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  plugFamilies();
  return core.expandSeed(alg, seed);
}

/**
 * DER PKCS#8 for a key given by its seed (or by a decoded key, which may lack a seed and can then only be written
 * as `expanded`). Seed-only is the default; an expanded-only key is written only when asked for explicitly.
 *
 * @example
 * ```ts
 * const der = encodePKCS8('ML-KEM-768', generateKey('ML-KEM-768').seed!, { form: 'both' });
 * ```
 */
export function encodePKCS8(
  alg: KeyAlgorithm,
  key: Uint8Array | DecodedPrivateKey,
  opts: EncodePKCS8Options = {},
): Uint8Array {
  plugFamilies();
  return core.encodePKCS8(alg, key, opts);
}

/**
 * Parses a DER (or PEM `PRIVATE KEY`) PKCS#8 ML-DSA, ML-KEM or SLH-DSA key in any of its forms and checks that
 * its parts agree (see `decodePKCS8` in `./keys-core.ts` for the checks). Failures throw ERR_INVALID_PRIVATE_KEY
 * (malformed) or ERR_PRIVATE_KEY_INCONSISTENT (parts disagree).
 *
 * @example
 * ```ts
 * const { alg, seed, publicKey } = decodePKCS8(pem);
 * ```
 */
export function decodePKCS8(input: Uint8Array | string): DecodedPrivateKey {
  plugFamilies();
  return core.decodePKCS8(input);
}

/** PEM `PRIVATE KEY` text; see {@link encodePKCS8}. */
export function encodePKCS8Pem(
  alg: KeyAlgorithm,
  key: Uint8Array | DecodedPrivateKey,
  opts: EncodePKCS8Options = {},
): string {
  plugFamilies();
  return core.encodePKCS8Pem(alg, key, opts);
}

/** A fresh key (or the key for a given seed) as a DecodedPrivateKey, ready for {@link encodePKCS8} and signing. */
export function generateKey(alg: KeyAlgorithm, seed?: Uint8Array): DecodedPrivateKey {
  plugFamilies();
  return core.generateKey(alg, seed);
}

function checkExpandedKem(alg: KemAlgorithm, dk: Uint8Array): Uint8Array {
  const k = (dk.length - 96) / 768;
  const ek = dk.slice(384 * k, 768 * k + 32);
  // FIPS 203 §7.3 hash check: the stored H(ek) must be the hash of the stored ek.
  if (!equalBytes(sha3_256(ek), dk.subarray(768 * k + 32, 768 * k + 64)))
    inconsistent(alg, 'FIPS 203 hash check failed: H(ek) does not match');
  if (!mlKemModulusOk(ek)) inconsistent(alg, 'embedded encapsulation key fails the FIPS 203 modulus check');
  // Pairwise consistency (FIPS 140-3 style): the hash check does not cover
  // dk_PKE, so encapsulate to ek and decapsulate with dk. A fixed message is
  // fine: the output is discarded and only equality matters.
  const kem = ML_KEM_PRIMITIVES[alg];
  const { cipherText, sharedSecret } = kem.encapsulate(ek, new Uint8Array(32).fill(0x5a));
  if (!equalBytes(kem.decapsulate(cipherText, dk), sharedSecret))
    inconsistent(alg, 'pairwise encapsulate/decapsulate test failed (dk_PKE does not match ek)');
  return ek;
}
