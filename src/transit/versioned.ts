/**
 * The `vault:vN:` prefix of transit ciphertexts and signatures, parsed and
 * written in this one place (the keyring and the HTTP client both use it).
 */
import { fromBase64 } from './base64.js';
import { transitError, TransitErrorCodes } from './errors.js';

/** What every versioned value starts with; the key version and a colon follow. */
export const VERSIONED_PREFIX = 'vault:v';

const bad = () => transitError(TransitErrorCodes.INVALID_CIPHERTEXT, 'invalid ciphertext format');

/** The key version N of `vault:vN:…` and where the payload starts; ERR_TRANSIT_INVALID_CIPHERTEXT otherwise. */
function split(s: unknown): { version: number; at: number } {
  if (typeof s !== 'string' || !s.startsWith(VERSIONED_PREFIX)) throw bad();
  const colon = s.indexOf(':', VERSIONED_PREFIX.length);
  if (colon < 0) throw bad();
  const v = s.slice(VERSIONED_PREFIX.length, colon);
  if (!/^[1-9]\d{0,8}$/.test(v)) throw bad();
  return { version: Number(v), at: colon + 1 };
}

/** The key version of `vault:vN:payload` (the payload is not decoded). */
export function versionOf(s: unknown): number {
  return split(s).version;
}

/** Splits `vault:vN:payload`; every malformed shape is ERR_TRANSIT_INVALID_CIPHERTEXT. */
export function parseVersioned(s: unknown): { version: number; payload: Uint8Array } {
  const { version, at } = split(s);
  return {
    version,
    payload: fromBase64((s as string).slice(at), 'ciphertext', TransitErrorCodes.INVALID_CIPHERTEXT),
  };
}
