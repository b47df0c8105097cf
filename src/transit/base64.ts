/**
 * Standard base64 with padding (RFC 4648 §4), the encoding Vault uses for every
 * binary field. Written out here because the transit core must run unchanged
 * in browsers, workerd and Deno (no Buffer), must be fast for megabyte
 * payloads (Node 20's btoa/atob are slow), and must be *strict*: a decoder
 * that skips junk would let two different strings name one ciphertext.
 *
 * Both directions work on bytes: ASCII characters go through the native
 * TextEncoder/TextDecoder, and the table lookups run over typed arrays.
 */
import { transitError, TransitErrorCodes } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENC = new Uint8Array(64);
const DEC = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  ENC[i] = ALPHABET.charCodeAt(i);
  DEC[ENC[i]!] = i;
}
const PAD = 61; // '='
const ascii = new TextDecoder(); // UTF-8: base64 is ASCII, and the UTF-8 path is the fast native one
const toBytes = new TextEncoder();

/** Encodes bytes as padded standard base64. */
export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0,
    i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ENC[v >>> 18]!;
    out[o++] = ENC[(v >>> 12) & 63]!;
    out[o++] = ENC[(v >>> 6) & 63]!;
    out[o++] = ENC[v & 63]!;
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out[o++] = ENC[v >>> 18]!;
    out[o++] = ENC[(v >>> 12) & 63]!;
    out[o++] = two ? ENC[(v >>> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  return ascii.decode(out);
}

/**
 * Decodes padded standard base64; anything else (URL alphabet, whitespace,
 * missing padding, non-zero trailing bits) throws with `code` (default
 * ERR_TRANSIT_INVALID_REQUEST) and `what` in the message.
 */
export function fromBase64(s: string, what = 'value', code: string = TransitErrorCodes.INVALID_REQUEST): Uint8Array {
  const bad = () =>
    transitError(
      code as never,
      code === TransitErrorCodes.INVALID_CIPHERTEXT ? 'invalid ciphertext format' : `${what} must be standard base64`,
    );
  if (typeof s !== 'string' || s.length % 4 !== 0) throw bad();
  const b = toBytes.encode(s);
  // A non-ASCII character becomes several UTF-8 bytes: not base64.
  if (b.length !== s.length) throw bad();
  const pad = b.length === 0 ? 0 : b[b.length - 1] === PAD ? (b[b.length - 2] === PAD ? 2 : 1) : 0;
  const out = new Uint8Array((b.length / 4) * 3 - pad);
  const full = pad ? b.length - 4 : b.length;
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const a = DEC[b[i]!]!,
      c = DEC[b[i + 1]!]!,
      d = DEC[b[i + 2]!]!,
      e = DEC[b[i + 3]!]!;
    if ((a | c | d | e) < 0) throw bad();
    const v = (a << 18) | (c << 12) | (d << 6) | e;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (pad) {
    const i = full;
    const a = DEC[b[i]!]!,
      c = DEC[b[i + 1]!]!,
      d = pad === 1 ? DEC[b[i + 2]!]! : 0;
    if ((a | c | d) < 0) throw bad();
    // Canonical form only: the bits dropped by the padding must be zero.
    if (pad === 2 ? (c & 15) !== 0 : (d & 3) !== 0) throw bad();
    const v = (a << 18) | (c << 12) | (d << 6);
    out[o++] = v >>> 16;
    if (pad === 1) out[o++] = (v >>> 8) & 0xff;
  }
  return out;
}
