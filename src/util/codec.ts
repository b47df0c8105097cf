/**
 * The byte ↔ text codecs of the SDK, in one place: standard base64 with
 * padding (RFC 4648 §4; Vault's binary fields, PEM bodies), base64url without
 * padding (RFC 4648 §5 / RFC 7515 §2; JOSE), and hex.
 *
 * Written out rather than on btoa/atob or Buffer because the same code must
 * run in browsers, workerd, Deno, Bun and Node (no Buffer), be fast for
 * megabyte payloads (Node 20's btoa/atob are slow), and be *strict*: a
 * decoder that skips junk, accepts the other alphabet or non-zero trailing
 * bits would let two different strings name one ciphertext or one token.
 * Both directions work on bytes: ASCII goes through the native
 * TextEncoder/TextDecoder and the table lookups run over typed arrays.
 *
 * Decoders throw what the caller's `fail` returns (each layer reports its
 * own code), by default `ERR_INVALID_ARGUMENT`.
 */
import { QsignError } from '../errors.js';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS_AND_LOWER = `${UPPER.toLowerCase()}0123456789`;

interface Alphabet {
  enc: Uint8Array;
  dec: Int16Array;
}

function alphabet(last2: string): Alphabet {
  const chars = UPPER + DIGITS_AND_LOWER + last2;
  const enc = new Uint8Array(64);
  const dec = new Int16Array(256).fill(-1);
  for (let i = 0; i < 64; i++) {
    enc[i] = chars.charCodeAt(i);
    dec[enc[i]!] = i;
  }
  return { enc, dec };
}

const STD = alphabet('+/');
const URL = alphabet('-_');
const PAD = 61; // '='
const ascii = new TextDecoder(); // UTF-8: base64 is ASCII, and the UTF-8 path is the fast native one
const toAsciiBytes = new TextEncoder();

function encode(bytes: Uint8Array, a: Alphabet, pad: boolean): string {
  const n = bytes.length;
  const rest = n % 3;
  const out = new Uint8Array(Math.floor(n / 3) * 4 + (rest === 0 ? 0 : pad ? 4 : rest + 1));
  const e = a.enc;
  let o = 0,
    i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = e[v >>> 18]!;
    out[o++] = e[(v >>> 12) & 63]!;
    out[o++] = e[(v >>> 6) & 63]!;
    out[o++] = e[v & 63]!;
  }
  if (rest) {
    const two = rest === 2;
    const v = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out[o++] = e[v >>> 18]!;
    out[o++] = e[(v >>> 12) & 63]!;
    if (two) out[o++] = e[(v >>> 6) & 63]!;
    else if (pad) out[o++] = PAD;
    if (pad) out[o++] = PAD;
  }
  return ascii.decode(out);
}

function decode(s: unknown, a: Alphabet, padded: boolean, fail: () => Error): Uint8Array {
  if (typeof s !== 'string') throw fail();
  const b = toAsciiBytes.encode(s);
  // A non-ASCII character becomes several UTF-8 bytes: not base64.
  if (b.length !== s.length) throw fail();
  let len = b.length;
  if (padded) {
    if (len % 4 !== 0) throw fail();
    if (len > 0 && b[len - 1] === PAD) len -= b[len - 2] === PAD ? 2 : 1;
  }
  const tail = len % 4;
  if (tail === 1) throw fail();
  const out = new Uint8Array(Math.floor(len / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  const d = a.dec;
  const full = len - tail;
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const w = d[b[i]!]!,
      x = d[b[i + 1]!]!,
      y = d[b[i + 2]!]!,
      z = d[b[i + 3]!]!;
    if ((w | x | y | z) < 0) throw fail();
    const v = (w << 18) | (x << 12) | (y << 6) | z;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (tail) {
    const w = d[b[full]!]!,
      x = d[b[full + 1]!]!,
      y = tail === 3 ? d[b[full + 2]!]! : 0;
    if ((w | x | y) < 0) throw fail();
    // Canonical form only: the bits the short group drops must be zero.
    if (tail === 2 ? (x & 15) !== 0 : (y & 3) !== 0) throw fail();
    const v = (w << 18) | (x << 12) | (y << 6);
    out[o++] = v >>> 16;
    if (tail === 3) out[o++] = (v >>> 8) & 0xff;
  }
  return out;
}

const defaultFail = (what: string) => () => new QsignError('ERR_INVALID_ARGUMENT', `value is not canonical ${what}`);

/**
 * Encodes bytes as padded standard base64 (RFC 4648 §4).
 *
 * @example
 * ```ts
 * toBase64(new Uint8Array([1, 2, 3])); // 'AQID'
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  return encode(bytes, STD, true);
}

/**
 * Decodes padded standard base64; anything else (URL alphabet, whitespace,
 * missing padding, non-zero trailing bits) throws `fail()`.
 */
export function fromBase64(s: string, fail: () => Error = defaultFail('base64')): Uint8Array {
  return decode(s, STD, true, fail);
}

/**
 * Encodes bytes as unpadded base64url (RFC 7515 §2).
 *
 * @example
 * ```ts
 * toBase64Url(new Uint8Array([251, 255])); // '-_8'
 * ```
 */
export function toBase64Url(bytes: Uint8Array): string {
  return encode(bytes, URL, false);
}

/** Decodes unpadded base64url; padding, `+`, `/`, whitespace or non-zero trailing bits throw `fail()`. */
export function fromBase64Url(s: string, fail: () => Error = defaultFail('base64url')): Uint8Array {
  return decode(s, URL, false, fail);
}

const HEX = '0123456789abcdef';

/** Lower-case hex of the bytes. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += HEX[x >>> 4]! + HEX[x & 15]!;
  return s;
}

/** Bytes of a hex string (either case, even length). */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) {
    throw new QsignError('ERR_INVALID_ARGUMENT', 'hex string must have an even number of hex digits');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
