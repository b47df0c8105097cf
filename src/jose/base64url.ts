/**
 * base64url without padding (RFC 7515 §2) with JOSE's error codes; the codec
 * is the SDK's one (`src/util/codec.ts`). Decoding is strict: JOSE values are
 * canonical, and accepting padding, '+', '/' or whitespace would let two
 * different strings name the same token.
 */
import { QsignError, type QsignErrorCode } from '../errors.js';
import { fromBase64Url, toBase64Url } from '../util/codec.js';

const utf8 = new TextEncoder();

/** Encodes bytes (or a string as UTF-8) as unpadded base64url. */
export function encode(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? utf8.encode(input) : input;
  if (!(bytes instanceof Uint8Array))
    throw new QsignError('ERR_INVALID_ARGUMENT', 'base64url encoding takes a Uint8Array or a string');
  return toBase64Url(bytes);
}

/**
 * Decodes unpadded base64url; throws QsignError `code` (default
 * ERR_INVALID_ARGUMENT) on anything non-canonical.
 */
export function decode(input: string, code: QsignErrorCode = 'ERR_INVALID_ARGUMENT', what = 'value'): Uint8Array {
  return fromBase64Url(input, () => new QsignError(code, `${what} is not valid, canonical base64url`));
}
