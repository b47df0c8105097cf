/**
 * Bring your own key (`keys/:name/import`), wrapped the way Vault Transit specifies: the caller draws an
 * ephemeral AES-256 key, encrypts it with RSA-OAEP to the mount's RSA-4096 wrapping key (`GET wrapping_key`),
 * wraps the key material with AES-KWP (RFC 5649) under the ephemeral key, and sends
 * `base64(RSA-OAEP(ephemeral) ‖ AES-KWP(ephemeral, material))`.
 *
 * The wrapping key is created on first use and kept in the store like the audit key: the PKCS#8 private key
 * sealed under the master key, with the SHA-256 of the public key in the seal's AAD, so the public key handed to
 * clients cannot be swapped in the store without the seal failing (a client would otherwise wrap its key
 * material to someone else's RSA key).
 */
import { aeskwp } from '@noble/ciphers/aes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8, wipe } from '../util/bytes.js';
import { pemEncode } from '../x509/pem.js';
import { fromBase64, toBase64 } from './base64.js';
import { transitError, TransitErrorCodes } from './errors.js';
import { transitSubtle, type MasterKey } from './master-key.js';

/** RSA-4096 ciphertext length: the first part of an import ciphertext. */
const WRAPPED_EPHEMERAL_BYTES = 512;
const WRAPPING_AAD = 'qsign-pqc/transit/wrapping-key/v1\0';

/** Vault's `hash_function` names → Web Crypto's. Web Crypto's RSA-OAEP has no SHA-224, so Vault's SHA224 is refused. */
const OAEP_HASHES: ReadonlyMap<string, string> = new Map([
  ['SHA1', 'SHA-1'],
  ['SHA256', 'SHA-256'],
  ['SHA384', 'SHA-384'],
  ['SHA512', 'SHA-512'],
]);

interface StoredWrappingKey {
  format: 1;
  /** base64 SubjectPublicKeyInfo. */
  spki: string;
  /** base64 seal(PKCS#8) with AAD = context ‖ SHA-256(spki). */
  sealed: string;
}

const aadFor = (spki: Uint8Array) => concatBytes(utf8(WRAPPING_AAD), sha256(spki));

/** A fresh RSA-4096 wrapping key in its stored form (JSON). */
export async function newWrappingKey(masterKey: MasterKey): Promise<string> {
  const subtle = transitSubtle();
  const pair = (await subtle.generateKey(
    { name: 'RSA-OAEP', modulusLength: 4096, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['encrypt', 'decrypt'],
  )) as CryptoKeyPair;
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  try {
    const sealed = await masterKey.seal(pkcs8, aadFor(spki));
    const doc: StoredWrappingKey = { format: 1, spki: toBase64(spki), sealed: toBase64(sealed) };
    return JSON.stringify(doc);
  } finally {
    wipe(pkcs8);
  }
}

/**
 * Opens a stored wrapping key: the public key (PEM, as `GET wrapping_key` returns it) and the PKCS#8 private key
 * (the caller wipes it). Anything that does not open is `tampered()`'s error.
 */
export async function openWrappingKey(
  masterKey: MasterKey,
  json: string,
  tampered: (cause?: unknown) => Error,
): Promise<{ publicKeyPem: string; pkcs8: Uint8Array }> {
  let doc: Partial<StoredWrappingKey>;
  try {
    doc = JSON.parse(json) as Partial<StoredWrappingKey>;
  } catch (e) {
    throw tampered(e);
  }
  if (doc?.format !== 1 || typeof doc.spki !== 'string' || typeof doc.sealed !== 'string') throw tampered();
  try {
    const spki = fromBase64(doc.spki);
    const pkcs8 = await masterKey.open(fromBase64(doc.sealed), aadFor(spki));
    return { publicKeyPem: pemEncode('PUBLIC KEY', spki), pkcs8 };
  } catch (e) {
    throw tampered(e);
  }
}

/** Recovers the key material of an import ciphertext with the wrapping key's PKCS#8. */
export async function unwrapImport(
  pkcs8: Uint8Array,
  ciphertext: Uint8Array,
  hashFunction = 'SHA256',
): Promise<Uint8Array> {
  const hash = OAEP_HASHES.get(String(hashFunction).toUpperCase());
  if (!hash)
    throw transitError(
      TransitErrorCodes.INVALID_REQUEST,
      `unknown hash function: ${String(hashFunction)} (use SHA256, SHA384, SHA512 or SHA1)`,
    );
  if (ciphertext.length <= WRAPPED_EPHEMERAL_BYTES)
    throw transitError(TransitErrorCodes.INVALID_REQUEST, 'provided ciphertext is too short');
  const subtle = transitSubtle();
  let ephemeral: Uint8Array | undefined;
  try {
    const key = await subtle.importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, { name: 'RSA-OAEP', hash }, false, [
      'decrypt',
    ]);
    try {
      ephemeral = new Uint8Array(
        await subtle.decrypt(
          { name: 'RSA-OAEP' },
          key,
          ciphertext.subarray(0, WRAPPED_EPHEMERAL_BYTES) as Uint8Array<ArrayBuffer>,
        ),
      );
    } catch (e) {
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        "cannot decrypt the ephemeral key: wrap it with RSA-OAEP to this mount's wrapping_key using hash_function",
        e,
      );
    }
    if (ephemeral.length !== 32)
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'expected ephemeral AES key to be 256-bit');
    try {
      return aeskwp(ephemeral).decrypt(ciphertext.subarray(WRAPPED_EPHEMERAL_BYTES));
    } catch (e) {
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        'cannot unwrap the key material: wrap it with AES-KWP (RFC 5649) under the ephemeral key',
        e,
      );
    }
  } finally {
    wipe(ephemeral);
  }
}
