/**
 * Standard base64 with padding (RFC 4648 §4), the encoding Vault uses for every
 * binary field. Written out here because the transit core must run unchanged
 * in browsers, workerd and Deno (no Buffer) and must be *strict*: a decoder
 * that skips junk would let two different strings name one ciphertext.
 */
import { transitError, TransitErrorCodes } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Encodes bytes as padded standard base64. */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  // Build in slices so huge inputs do not create one giant intermediate array.
  const SLICE = 3 * 16384;
  for (let start = 0; start < bytes.length; start += SLICE) {
    const end = Math.min(bytes.length, start + SLICE);
    let s = '';
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      s += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
    }
    if (i < end) {
      const rem = end - i;
      const n = (bytes[i]! << 16) | (rem === 2 ? bytes[i + 1]! << 8 : 0);
      s += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + (rem === 2 ? ALPHABET[(n >>> 6) & 63]! : '=') + '=';
    }
    parts.push(s);
  }
  return parts.join('');
}

/**
 * Decodes padded standard base64; anything else (URL alphabet, whitespace,
 * missing padding, non-zero trailing bits) throws with `code` (default
 * ERR_TRANSIT_INVALID_REQUEST) and `what` in the message.
 */
export function fromBase64(s: string, what = 'value', code: string = TransitErrorCodes.INVALID_REQUEST): Uint8Array {
  const bad = () => transitError(code as never, code === TransitErrorCodes.INVALID_CIPHERTEXT ? 'invalid ciphertext format' : `${what} must be standard base64`);
  if (typeof s !== 'string' || s.length % 4 !== 0) throw bad();
  let pad = 0;
  if (s.endsWith('==')) pad = 2; else if (s.endsWith('=')) pad = 1;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const last = i + 4 === s.length;
    const a = LOOKUP[s.charCodeAt(i)]!, b = LOOKUP[s.charCodeAt(i + 1)]!;
    const c = last && pad === 2 ? 0 : LOOKUP[s.charCodeAt(i + 2)]!;
    const d = last && pad >= 1 ? 0 : LOOKUP[s.charCodeAt(i + 3)]!;
    if ((a | b | c | d) < 0) throw bad();
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
    // Canonical form only: the bits dropped by the padding must be zero.
    if (last && ((pad === 2 && (n & 0xffff) !== 0) || (pad === 1 && (n & 0xff) !== 0))) throw bad();
  }
  return out;
}
