/**
 * Error codes of the transit layer and the Vault-style HTTP mapping.
 *
 * Library callers switch on `QsignError.code`; the HTTP handler turns the same
 * codes into the status and message texts the seed document prescribes
 * (§9.2), so one place decides what a client sees for each failure.
 */
import { QsignError } from '../errors.js';
import { HttpErrorCodes, httpStatusOfCode } from '../http/errors.js';

/** The transit layer's error codes (docs/errors.md lists them with their HTTP status). */
export const TransitErrorCodes = {
  /** No key with that name (HTTP 404 `encryption key not found`). */
  KEY_NOT_FOUND: 'ERR_TRANSIT_KEY_NOT_FOUND',
  /** Envelope or signature string cannot be parsed / base64 is bad (400 `invalid ciphertext format`). */
  INVALID_CIPHERTEXT: 'ERR_TRANSIT_INVALID_CIPHERTEXT',
  /** Version below min_decryption_version or trimmed (400 `key version no longer supported`). */
  VERSION_DISALLOWED: 'ERR_TRANSIT_VERSION_DISALLOWED',
  /** AEAD authentication failed: wrong key, AAD, name or a modified envelope (400 `decryption failed`). */
  DECRYPTION_FAILED: 'ERR_TRANSIT_DECRYPTION_FAILED',
  /** Body, batch or plaintext larger than the configured limits (507 `insufficient resources`). */
  LIMIT_EXCEEDED: 'ERR_TRANSIT_LIMIT_EXCEEDED',
  /** The per-request deadline passed (504 `request timeout`). */
  TIMEOUT: 'ERR_TRANSIT_TIMEOUT',
  /** Missing/unknown token or the token's policies lack the capability (403 `permission denied`). */
  PERMISSION_DENIED: 'ERR_TRANSIT_PERMISSION_DENIED',
  /** Malformed request field (400 with the message). */
  INVALID_REQUEST: 'ERR_TRANSIT_INVALID_REQUEST',
  /** Operation the key type does not support, e.g. encrypt with an ML-DSA key (400). */
  UNSUPPORTED_OPERATION: 'ERR_TRANSIT_UNSUPPORTED_OPERATION',
  /** DELETE without deletion_allowed (400). */
  DELETION_NOT_ALLOWED: 'ERR_TRANSIT_DELETION_NOT_ALLOWED',
  /** Concurrent writers kept winning the compare-and-swap (500, retryable). */
  CONFLICT: 'ERR_TRANSIT_CONFLICT',
  /** The master key cannot open stored material (wrong key or corrupted store) (500). */
  SEALED: 'ERR_TRANSIT_SEALED',
  /** A storage backend failed or is unavailable (e.g. better-sqlite3 not installed) (500). */
  STORAGE: 'ERR_TRANSIT_STORAGE',
  /**
   * A stored key record failed its integrity check: modified, moved to another name, or written under another
   * master key (500 `key record failed its integrity check`; the record is never used).
   */
  RECORD_TAMPERED: 'ERR_TRANSIT_RECORD_TAMPERED',
  /** A streamed envelope ended early, was reordered or had trailing data. */
  STREAM_CORRUPT: 'ERR_TRANSIT_STREAM_CORRUPT',
  /** The transit client got an error answer the server gave no code for (carries the HTTP status). */
  HTTP: 'ERR_TRANSIT_HTTP',
  /** TransitClient could not reach the server at all (refused, DNS, TLS, reset); no HTTP status. */
  UNREACHABLE: 'ERR_TRANSIT_UNREACHABLE',
} as const;

declare module '../errors.js' {
  interface QsignErrorCodeTables {
    transit: typeof TransitErrorCodes;
  }
}

/** The `code` of every error the transit layer throws (the values of {@link TransitErrorCodes}). */
export type TransitErrorCode = (typeof TransitErrorCodes)[keyof typeof TransitErrorCodes];

/** Shorthand used throughout the transit layer. */
export function transitError(code: TransitErrorCode, message: string, cause?: unknown): QsignError {
  return new QsignError(code, message, cause === undefined ? undefined : { cause });
}

/** Status and the exact message the HTTP layer returns for a library code. */
export function httpStatusFor(e: unknown): { status: number; message: string } {
  const code = e instanceof QsignError ? e.code : undefined;
  const msg = e instanceof Error ? e.message : String(e);
  switch (code) {
    case TransitErrorCodes.KEY_NOT_FOUND:
      return { status: 404, message: 'encryption key not found' };
    case TransitErrorCodes.INVALID_CIPHERTEXT:
      return { status: 400, message: 'invalid ciphertext format' };
    case TransitErrorCodes.VERSION_DISALLOWED:
      return { status: 400, message: 'key version no longer supported' };
    case TransitErrorCodes.DECRYPTION_FAILED:
      return { status: 400, message: 'decryption failed' };
    case TransitErrorCodes.LIMIT_EXCEEDED:
    case HttpErrorCodes.BODY_TOO_LARGE: // the seed (§9.2) answers 507 for every size limit, bodies included
      return { status: 507, message: 'insufficient resources' };
    case TransitErrorCodes.RECORD_TAMPERED:
      return { status: 500, message: 'key record failed its integrity check' };
    case TransitErrorCodes.TIMEOUT:
      return { status: 504, message: 'request timeout' };
    case TransitErrorCodes.PERMISSION_DENIED:
      return { status: 403, message: 'permission denied' };
    case TransitErrorCodes.INVALID_REQUEST:
    case TransitErrorCodes.UNSUPPORTED_OPERATION:
    case TransitErrorCodes.DELETION_NOT_ALLOWED:
    case TransitErrorCodes.STREAM_CORRUPT:
    case 'ERR_INVALID_ARGUMENT':
    case 'ERR_UNKNOWN_ALGORITHM':
      return { status: 400, message: msg };
    case 'ERR_OUT_OF_MEMORY':
      return { status: 507, message: 'insufficient resources' };
    default: {
      // The HTTP kit's own codes (bad path, bad body…) answer their status with their message.
      const kit = httpStatusOfCode(code);
      if (kit !== undefined && kit < 500) return { status: kit, message: msg };
      // Internal failures never echo details (they may name files or keys).
      return { status: 500, message: 'internal error' };
    }
  }
}
