/**
 * base64url without padding (RFC 7515 §2), on btoa/atob so it runs in every
 * runtime without Node's Buffer. Decoding is strict: JOSE values are
 * canonical, and accepting padding, '+', '/' or whitespace would let two
 * different strings name the same token.
 */
import { QsignError, type QsignErrorCode } from '../errors.js';

const CHUNK = 0x8000;

/** Encodes bytes (or a string as UTF-8) as unpadded base64url. */
export function encode(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  if (!(bytes instanceof Uint8Array))
    throw new QsignError('ERR_INVALID_ARGUMENT', 'base64url encoding takes a Uint8Array or a string');
  let bin = '';
  // fromCharCode.apply on the whole array overflows the stack for large inputs.
  for (let i = 0; i < bytes.length; i += CHUNK) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes unpadded base64url; throws QsignError `code` (default
 * ERR_INVALID_ARGUMENT) on anything non-canonical.
 */
export function decode(input: string, code: QsignErrorCode = 'ERR_INVALID_ARGUMENT', what = 'value'): Uint8Array {
  if (typeof input !== 'string' || !ALPHABET.test(input) || input.length % 4 === 1) {
    throw new QsignError(code, `${what} is not valid base64url`);
  }
  const b64 = input.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (input.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new QsignError(code, `${what} is not valid base64url`);
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  // Unused trailing bits must be zero, or "AB" and "AC" would decode alike.
  if (encode(out) !== input) throw new QsignError(code, `${what} is not canonical base64url`);
  return out;
}
