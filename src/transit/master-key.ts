/**
 * Sealing of secret key material at rest (seed §4.1: "Encrypt secret_key
 * (master key)"). Every private seed is AES-256-GCM encrypted under the master
 * key before any store sees it, with the key name and version as AAD so a
 * sealed blob cannot be moved to another key or version inside the store.
 *
 * Uses Web Crypto only, so the same code runs in Node, Deno, workerd and
 * browsers; in browsers the master key can be a non-extractable CryptoKey
 * kept in IndexedDB, which script can use but never read.
 */
import { webCryptoSubtle } from '../engine/runtime.js';
import { concatBytes, randomBytes, utf8 } from '../util/bytes.js';
import { transitError, TransitErrorCodes } from './errors.js';

/**
 * The runtime's Web Crypto, reached through the engine's one door to it. Transit seals and authenticates with
 * AES-GCM and HMAC, which every supported runtime has; a runtime without `crypto.subtle` (an insecure browser
 * context) gets a coded error instead of a TypeError.
 */
export function transitSubtle(): SubtleCrypto {
  const subtle = webCryptoSubtle();
  if (!subtle) {
    throw transitError(
      TransitErrorCodes.UNSUPPORTED_OPERATION,
      'transit needs Web Crypto (crypto.subtle) for sealing keys; in a browser, serve the page over https or localhost',
    );
  }
  return subtle;
}

/**
 * Seals and opens secrets; implementations must be authenticated encryption.
 *
 * @example
 * ```ts
 * const { masterKey: mk } = await generateMasterKey();
 * const aad = new TextEncoder().encode('app/v1');
 * const sealed = await mk.seal(secret, aad);
 * const same = await mk.open(sealed, aad); // equals secret; another aad throws ERR_TRANSIT_SEALED
 * ```
 */
export interface MasterKey {
  /** Encrypts and authenticates `plaintext`, bound to `aad` (AES-256-GCM with a fresh nonce in the built-in keys). */
  seal(plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** Throws ERR_TRANSIT_SEALED when the blob does not authenticate (wrong master key or tampering). */
  open(sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /**
   * A non-extractable HMAC-SHA256 key derived from the master key for one purpose (`label`); distinct labels
   * give independent keys. The keyring authenticates its key records with `deriveMacKey('…/record-mac/v2')`.
   */
  deriveMacKey(label: string): Promise<CryptoKey>;
}

const SEAL_FORMAT = 0x01;
/**
 * The fixed AES-GCM nonce of the key-derivation step. Sealing draws random 96-bit nonces, so it meets this one
 * with probability 2^-96 per seal; the keystream it yields is only ever fed to HKDF.
 */
const KDF_IV = utf8('qsign-kdf-v1');
const KDF_SALT = utf8('qsign-pqc/transit/kdf/v1');

/**
 * HKDF-SHA256 from an AES-256 master key that may be non-extractable: the input keying material is the AES
 * keystream under the fixed nonce (AES as a PRF of the key, two blocks), then HKDF with `label` as info. The
 * same master key gives the same derived keys whether it was imported from bytes or kept as a CryptoKey.
 */
async function deriveHmacKey(aesKey: CryptoKey, label: string): Promise<CryptoKey> {
  const subtle = transitSubtle();
  const stream = new Uint8Array(
    await subtle.encrypt({ name: 'AES-GCM', iv: KDF_IV as Uint8Array<ArrayBuffer> }, aesKey, new Uint8Array(32)),
  );
  const ikm = stream.subarray(0, 32);
  try {
    const base = await subtle.importKey('raw', ikm as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveKey']);
    return (await subtle.deriveKey(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: KDF_SALT as Uint8Array<ArrayBuffer>,
        info: utf8(label) as Uint8Array<ArrayBuffer>,
      },
      base,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign', 'verify'],
    )) as CryptoKey;
  } finally {
    stream.fill(0);
  }
}

/** A master key on a Web Crypto AES-GCM 256-bit key (may be non-extractable). */
export function masterKeyFromCryptoKey(key: CryptoKey): MasterKey {
  const derived = new Map<string, Promise<CryptoKey>>();
  return {
    deriveMacKey(label) {
      let k = derived.get(label);
      if (!k) {
        k = deriveHmacKey(key, label);
        k.catch(() => derived.delete(label));
        derived.set(label, k);
      }
      return k;
    },
    async seal(plaintext, aad) {
      const iv = randomBytes(12);
      const ct = await transitSubtle().encrypt(
        { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: aad as Uint8Array<ArrayBuffer> },
        key,
        plaintext as Uint8Array<ArrayBuffer>,
      );
      return concatBytes(new Uint8Array([SEAL_FORMAT]), iv, new Uint8Array(ct));
    },
    async open(sealed, aad) {
      if (sealed.length < 1 + 12 + 16 || sealed[0] !== SEAL_FORMAT)
        throw transitError(TransitErrorCodes.SEALED, 'stored key material has an unknown format');
      try {
        const pt = await transitSubtle().decrypt(
          {
            name: 'AES-GCM',
            iv: sealed.subarray(1, 13) as Uint8Array<ArrayBuffer>,
            additionalData: aad as Uint8Array<ArrayBuffer>,
          },
          key,
          sealed.subarray(13) as Uint8Array<ArrayBuffer>,
        );
        return new Uint8Array(pt);
      } catch (e) {
        throw transitError(
          TransitErrorCodes.SEALED,
          'cannot unseal stored key material: wrong master key or corrupted store',
          e,
        );
      }
    },
  };
}

/** Imports 32 raw bytes as a non-extractable master key. */
export async function masterKeyFromBytes(raw: Uint8Array): Promise<MasterKey> {
  if (!(raw instanceof Uint8Array) || raw.length !== 32)
    throw transitError(TransitErrorCodes.INVALID_REQUEST, 'the master key must be exactly 32 bytes (AES-256)');
  const key = await transitSubtle().importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  return masterKeyFromCryptoKey(key);
}

/** Generates a fresh non-extractable master key (dev mode, tests, browsers). */
export async function generateMasterKey(): Promise<{ key: CryptoKey; masterKey: MasterKey }> {
  const key = (await transitSubtle().generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ])) as CryptoKey;
  return { key, masterKey: masterKeyFromCryptoKey(key) };
}

/** AAD binding a sealed secret to its key name and version. */
export function sealAad(name: string, version: number): Uint8Array {
  return concatBytes(utf8('qsign-pqc/transit/seal/v1\0'), utf8(name), utf8(`\0${version}`));
}
