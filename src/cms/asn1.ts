/**
 * The BER reader and the few DER writers the CMS layer needs.
 *
 * CMS (RFC 5652 §1.2) is BER: OpenSSL's streaming output uses indefinite
 * lengths and content split into constructed OCTET STRING segments, so the
 * strict DER reader of the X.509 layer (src/x509/der.ts) cannot read it.
 * This reader accepts both, with bounds that keep hostile input linear:
 * single-byte tags only (every CMS tag is below 31), lengths up to 2^32,
 * nesting at most {@link MAX_DEPTH} deep, no value running past its parent.
 * Writing reuses the X.509 layer's `tlv`/`oidDer` (DER) and adds DER's
 * SET OF ordering, which signed attributes need (RFC 5652 §5.4).
 */
import { oidDer, oidString, tlv } from '../x509/der.js';
import { malformed } from './errors.js';
import { concatBytes } from '../util/bytes.js';

export { oidDer, oidString, tlv };

/** Deepest nesting accepted; real CMS objects stay below 15. */
export const MAX_DEPTH = 40;

/** One parsed BER element. `content` is a view of the content octets (EOC excluded). */
export interface Ber {
  tag: number;
  constructed: boolean;
  indefinite: boolean;
  /** Offset of the tag byte in the input. */
  start: number;
  /** Offset just past the element (after the end-of-contents octets when indefinite). */
  end: number;
  content: Uint8Array;
  /** The whole encoding, tag to end. */
  raw: Uint8Array;
}

/** Reads the element at `offset` of `buf`. */
export function readBer(buf: Uint8Array, offset = 0, depth = 0): Ber {
  if (depth > MAX_DEPTH) malformed(`nesting deeper than ${MAX_DEPTH} levels`);
  if (offset + 2 > buf.length) malformed('truncated element header');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) malformed(`high tag number form (0x${tag.toString(16)}) is not used by CMS`);
  const constructed = (tag & 0x20) !== 0;
  let len = buf[offset + 1]!;
  let at = offset + 2;
  if (len === 0x80) {
    if (!constructed) malformed('indefinite length on a primitive element');
    // Walk the children until the end-of-contents octets (00 00).
    let p = at;
    for (;;) {
      if (p + 2 > buf.length) malformed('indefinite-length element has no end-of-contents');
      if (buf[p] === 0 && buf[p + 1] === 0) break;
      p = readBer(buf, p, depth + 1).end;
    }
    return {
      tag,
      constructed,
      indefinite: true,
      start: offset,
      end: p + 2,
      content: buf.subarray(at, p),
      raw: buf.subarray(offset, p + 2),
    };
  }
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4) malformed(`length of ${n} octets is too large`);
    if (at + n > buf.length) malformed('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + i]!;
    at += n;
  }
  if (at + len > buf.length)
    malformed(`element of ${len} bytes at offset ${offset} runs past the end of its container`);
  return {
    tag,
    constructed,
    indefinite: false,
    start: offset,
    end: at + len,
    content: buf.subarray(at, at + len),
    raw: buf.subarray(offset, at + len),
  };
}

/** Reads `buf` as exactly one element with `tag`; trailing bytes are refused. */
export function readWholeBer(buf: Uint8Array, tag: number, what: string): Ber {
  const e = readBer(buf, 0, 0);
  if (e.tag !== tag) malformed(`${what}: expected tag 0x${tag.toString(16)}, got 0x${e.tag.toString(16)}`);
  if (e.end !== buf.length) malformed(`${what}: ${buf.length - e.end} trailing bytes`);
  return e;
}

/** The elements inside a constructed element. */
export function children(e: Ber, depth = 1): Ber[] {
  if (!e.constructed) malformed(`expected a constructed element, got primitive tag 0x${e.tag.toString(16)}`);
  const out: Ber[] = [];
  for (let at = 0; at < e.content.length;) {
    const c = readBer(e.content, at, depth);
    out.push(c);
    at = c.end;
  }
  return out;
}

/** Children of `e` checked against the expected tag of `e` itself. */
export function seq(e: Ber, what: string, tag = 0x30): Ber[] {
  if (e.tag !== tag) malformed(`${what}: expected tag 0x${tag.toString(16)}, got 0x${e.tag.toString(16)}`);
  return children(e);
}

/**
 * The octets of an OCTET STRING (tag 0x04, or an IMPLICIT tag given in
 * `tag`): the value of a primitive one, or the concatenated segments of a
 * BER constructed one.
 */
export function octets(e: Ber, what: string, tag = 0x04): Uint8Array {
  if ((e.tag & ~0x20) !== tag) malformed(`${what}: expected an OCTET STRING, got tag 0x${e.tag.toString(16)}`);
  if (!e.constructed) return e.content;
  const parts: Uint8Array[] = [];
  const walk = (x: Ber, depth: number) => {
    for (const c of children(x, depth)) {
      if (c.tag === 0x24) walk(c, depth + 1);
      else if (c.tag === 0x04) parts.push(c.content);
      else malformed(`${what}: constructed OCTET STRING holds tag 0x${c.tag.toString(16)}`);
    }
  };
  walk(e, 1);
  return concat(parts);
}

/** Dotted OID of an OBJECT IDENTIFIER element. */
export function oid(e: Ber, what: string): string {
  if (e.tag !== 0x06 || e.content.length === 0) malformed(`${what}: expected an OBJECT IDENTIFIER`);
  if (e.content[e.content.length - 1]! & 0x80) malformed(`${what}: truncated OBJECT IDENTIFIER`);
  return oidString(e.content);
}

/** A small non-negative INTEGER (versions, lengths). */
export function smallInt(e: Ber, what: string): number {
  if (e.tag !== 0x02 || e.content.length === 0 || e.content.length > 4 || e.content[0]! & 0x80)
    malformed(`${what}: expected a small non-negative INTEGER`);
  let v = 0;
  for (const b of e.content) v = v * 256 + b;
  return v;
}

/** An AlgorithmIdentifier: its OID and the raw parameters element, if any. */
export interface AlgId {
  oid: string;
  params?: Ber;
  raw: Uint8Array;
}

export function algId(e: Ber, what: string): AlgId {
  const p = seq(e, what);
  if (p.length < 1 || p.length > 2) malformed(`${what}: AlgorithmIdentifier must be SEQUENCE { OID, parameters? }`);
  const out: AlgId = { oid: oid(p[0]!, what), raw: e.raw };
  if (p[1]) out.params = p[1];
  return out;
}

// ---------------------------------------------------------------- writing

/** Concatenation of byte arrays (the SDK's concatBytes, taking an array). */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return concatBytes(...parts);
}

/** DER INTEGER of a small non-negative number. */
export function intDer(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; ; v = Math.floor(v / 256)) {
    bytes.unshift(v & 0xff);
    if (v < 256) break;
  }
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

/** DER AlgorithmIdentifier with absent parameters, or with the given encoded parameters. */
export function algIdDer(oidDotted: string, params?: Uint8Array): Uint8Array {
  return params ? tlv(0x30, oidDer(oidDotted), params) : tlv(0x30, oidDer(oidDotted));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** DER SET OF: the element encodings sorted as octet strings (X.690 §11.6). */
export function setOf(tag: number, items: readonly Uint8Array[]): Uint8Array {
  return tlv(tag, ...[...items].sort(compareBytes));
}
