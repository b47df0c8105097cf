/**
 * A minimal strict DER reader and writer for the few structures this layer
 * handles by hand (PKCS#8 OneAsymmetricKey, SPKI, the ML-KEM/ML-DSA private
 * key CHOICE, and slicing the exact signed bytes out of certificates and
 * CSRs). The certificate bodies themselves go through @peculiar/asn1-*; this
 * exists because those schemas re-serialize (so they cannot give back the
 * signed bytes) and do not model RFC 5958 v2 `publicKey [1]`.
 *
 * Only definite, minimally encoded lengths are accepted: a BER length form
 * here would make two encodings of one key compare unequal.
 */
import { QsignError, type QsignErrorCode } from '../errors.js';

/** One parsed tag-length-value. `value` is a view into the input. */
export interface Tlv {
  tag: number;
  /** Offset of the tag byte in the input. */
  start: number;
  /** Offset just past the value. */
  end: number;
  value: Uint8Array;
  /** The whole encoding (tag, length and value). */
  raw: Uint8Array;
}

function bad(what: string, code: QsignErrorCode): never {
  throw new QsignError(code, `malformed DER: ${what}`);
}

/** Reads one TLV at `offset`; only single-byte tags (all we need) are allowed. */
export function readTlv(buf: Uint8Array, offset = 0, code: QsignErrorCode = 'ERR_X509_DER'): Tlv {
  if (offset + 2 > buf.length) bad('truncated header', code);
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) bad('multi-byte tags are not supported', code);
  let len = buf[offset + 1]!;
  let at = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) bad('indefinite or oversized length', code);
    if (at + n > buf.length) bad('truncated length', code);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + i]!;
    if (buf[at] === 0 || len < 0x80) bad('non-minimal length encoding', code);
    at += n;
  }
  if (at + len > buf.length) bad(`value runs past the end (${len} bytes at offset ${at})`, code);
  return { tag, start: offset, end: at + len, value: buf.subarray(at, at + len), raw: buf.subarray(offset, at + len) };
}

/** Reads all TLVs inside a constructed value (e.g. a SEQUENCE body). */
export function readChildren(value: Uint8Array, code: QsignErrorCode = 'ERR_X509_DER'): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < value.length;) {
    const t = readTlv(value, at, code);
    out.push(t);
    at = t.end;
  }
  return out;
}

/**
 * Largest DER object parsed (certificate, CSR, SPKI, PKCS#8): 256 KiB. The
 * biggest real one, an ML-DSA-87 certificate with a long SAN list, is ~20 KiB;
 * anything larger is refused before any parsing work.
 */
export const MAX_DER_BYTES = 256 * 1024;

/** Reads a TLV that must span the whole buffer with the given tag. */
export function readWhole(buf: Uint8Array, tag: number, what: string, code: QsignErrorCode = 'ERR_X509_DER'): Tlv {
  if (buf.length > MAX_DER_BYTES) bad(`${what}: ${buf.length} bytes exceeds the ${MAX_DER_BYTES}-byte limit`, code);
  const t = readTlv(buf, 0, code);
  if (t.tag !== tag) bad(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`, code);
  if (t.end !== buf.length) bad(`${what}: ${buf.length - t.end} trailing bytes`, code);
  return t;
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** Encodes one TLV from a tag and its (already encoded) content parts. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const head = [tag, ...lengthBytes(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** DER of an OBJECT IDENTIFIER given in dotted form. */
export function oidDer(oid: string): Uint8Array {
  const arcs = oid.split('.').map((x) => BigInt(x));
  const body: number[] = [];
  const enc = (v: bigint) => {
    const chunk: number[] = [Number(v & 0x7fn)];
    for (v >>= 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    body.push(...chunk);
  };
  enc(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) enc(a);
  return tlv(0x06, Uint8Array.from(body));
}

/**
 * Longest OID arc read, in content octets. 2.25 UUID arcs (128 bits) need 19;
 * without a cap one arc spanning a 256 KiB structure grew a BigInt one shift
 * at a time (quadratic: 25–40 s per parse at MAX_DER_BYTES).
 */
export const MAX_OID_ARC_BYTES = 20;

/** Dotted form of an OBJECT IDENTIFIER's content bytes. */
export function oidString(content: Uint8Array, code: QsignErrorCode = 'ERR_X509_DER'): string {
  const arcs: bigint[] = [];
  let v = 0n;
  let arcBytes = 0;
  for (const b of content) {
    if (++arcBytes > MAX_OID_ARC_BYTES) bad(`OID arc longer than ${MAX_OID_ARC_BYTES} octets`, code);
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0n;
      arcBytes = 0;
    }
  }
  if (arcs.length === 0) return '';
  const first = arcs[0]!;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].map(String).join('.');
}
