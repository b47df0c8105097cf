/**
 * Standard base64 with padding (RFC 4648 §4), the encoding Vault uses for
 * every binary field, with transit's error codes. The codec itself is the
 * SDK's one (`src/util/codec.ts`: strict, fast, no Buffer).
 */
import { fromBase64 as decodeBase64, toBase64 } from '../util/codec.js';
import { transitError, TransitErrorCodes, type TransitErrorCode } from './errors.js';

export { toBase64 };

/**
 * Decodes padded standard base64; anything else (URL alphabet, whitespace,
 * missing padding, non-zero trailing bits) throws with `code` (default
 * ERR_TRANSIT_INVALID_REQUEST) and `what` in the message.
 */
export function fromBase64(
  s: string,
  what = 'value',
  code: TransitErrorCode = TransitErrorCodes.INVALID_REQUEST,
): Uint8Array {
  return decodeBase64(s, () =>
    transitError(
      code,
      code === TransitErrorCodes.INVALID_CIPHERTEXT ? 'invalid ciphertext format' : `${what} must be standard base64`,
    ),
  );
}
