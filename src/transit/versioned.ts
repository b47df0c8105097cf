/**
 * The `vault:vN:` prefix of transit ciphertexts, signatures and HMACs, parsed
 * and written in this one place (the keyring and the HTTP client both use it).
 */
import type { QsignError } from '../errors.js';
import { fromBase64 } from './base64.js';
import { transitError, TransitErrorCodes, type TransitErrorCode } from './errors.js';

/** What every versioned value starts with; the key version and a colon follow. */
export const VERSIONED_PREFIX = 'vault:v';

/** Which part of `vault:vN:payload` is malformed: no prefix, no second colon, or N not a version. */
export type VersionedFault = 'prefix' | 'fields' | 'version';

/** How a caller reports a malformed value (HMAC verification uses Vault's per-shape messages). */
export interface VersionedErrors {
  /** The error for a malformed prefix, field count or version. */
  fault: (fault: VersionedFault) => QsignError;
  /** What the payload is, for the base64 error message. */
  what: string;
  /** The code of a payload that is not standard base64. */
  code: TransitErrorCode;
}

const CIPHERTEXT_ERRORS: VersionedErrors = {
  fault: () => transitError(TransitErrorCodes.INVALID_CIPHERTEXT, 'invalid ciphertext format'),
  what: 'ciphertext',
  code: TransitErrorCodes.INVALID_CIPHERTEXT,
};

/** The key version N of `vault:vN:…` and where the payload starts. */
function split(s: unknown, fail: VersionedErrors['fault']): { version: number; at: number } {
  if (typeof s !== 'string' || !s.startsWith(VERSIONED_PREFIX)) throw fail('prefix');
  const colon = s.indexOf(':', VERSIONED_PREFIX.length);
  if (colon < 0) throw fail('fields');
  const v = s.slice(VERSIONED_PREFIX.length, colon);
  if (!/^[1-9]\d{0,8}$/.test(v)) throw fail('version');
  return { version: Number(v), at: colon + 1 };
}

/** The key version of `vault:vN:payload` (the payload is not decoded); ERR_TRANSIT_INVALID_CIPHERTEXT otherwise. */
export function versionOf(s: unknown): number {
  return split(s, CIPHERTEXT_ERRORS.fault).version;
}

/**
 * Splits `vault:vN:payload`; every malformed shape is ERR_TRANSIT_INVALID_CIPHERTEXT unless `errors` says
 * otherwise.
 */
export function parseVersioned(
  s: unknown,
  errors: VersionedErrors = CIPHERTEXT_ERRORS,
): { version: number; payload: Uint8Array } {
  const { version, at } = split(s, errors.fault);
  return { version, payload: fromBase64((s as string).slice(at), errors.what, errors.code) };
}
