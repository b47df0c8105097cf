/**
 * Streaming decryption of EnvelopedData / AuthEnvelopedData: the message is
 * read from a stream, the recipient infos (small, before the content) are
 * parsed and the CEK unwrapped, then the encrypted content — one primitive
 * OCTET STRING or BER segments of any number — is decrypted chunk by chunk
 * and yielded. Memory stays flat (one chunk plus a block).
 *
 * AES-GCM is run as CTR + GHASH so it can stream. The tag comes after the
 * content, so plaintext is released before it is authenticated: the
 * iterator throws ERR_CMS_DECRYPT at the end when the tag does not match,
 * and a consumer must then discard everything it received (the CLI writes
 * to a temporary file and renames it only on success).
 */
import { GHASH } from '@noble/ciphers/_polyval.js';
import { cbcDecrypt, cbcDecryptBlocks, ctrXor, encryptBlock } from './aes.js';
import { equalBytes } from '../util/bytes.js';
import type { ByteSource } from '../sig/stream.js';
import { concat, oid, readBer, tlv } from './asn1.js';
import { CMS_OIDS } from './oids.js';
import { CmsError, CmsErrorCodes as E, malformed } from './errors.js';
import { parseEnvelope, unwrapCek, type DecryptDataOptions, type ParsedEnvelope } from './enveloped.js';

/** Largest element (other than the encrypted content) read into memory: recipient infos, attributes. */
const MAX_ELEMENT = 16 << 20;
/** Ciphertext is decrypted in batches of this size. */
const BATCH = 64 * 1024;

/** Pulls bytes from any ByteSource, with a small look-ahead buffer. */
class Pull {
  private buf: Uint8Array = new Uint8Array(0);
  private it: AsyncIterator<unknown> | Iterator<unknown>;
  private done = false;

  constructor(source: ByteSource) {
    const s = source as { getReader?: () => ReadableStreamDefaultReader<Uint8Array> };
    if (source !== null && typeof source === 'object' && Symbol.asyncIterator in source)
      this.it = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    else if (source !== null && typeof s.getReader === 'function') {
      const reader = s.getReader();
      this.it = { next: () => reader.read() as Promise<IteratorResult<unknown>> };
    } else if (source !== null && typeof source === 'object' && Symbol.iterator in source)
      this.it = (source as Iterable<unknown>)[Symbol.iterator]();
    else throw new CmsError(E.INVALID_OPTIONS, 'source must be a ReadableStream or an (async) iterable of Uint8Array');
  }

  private async more(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    const v = r.value;
    const chunk =
      v instanceof Uint8Array
        ? v
        : ArrayBuffer.isView(v)
          ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
          : v instanceof ArrayBuffer
            ? new Uint8Array(v)
            : undefined;
    if (!chunk) throw new CmsError(E.INVALID_OPTIONS, `stream chunks must be bytes, got ${typeof v}`);
    this.buf = this.buf.length ? concat([this.buf, chunk]) : chunk;
    return true;
  }

  async need(n: number): Promise<void> {
    while (this.buf.length < n) if (!(await this.more())) malformed('truncated message (stream ended early)');
  }

  async peek(): Promise<number | undefined> {
    while (this.buf.length < 1) if (!(await this.more())) return undefined;
    return this.buf[0];
  }

  take(n: number): Uint8Array {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Reads a tag and length; len -1 means indefinite. */
  async header(): Promise<{ tag: number; len: number; raw: Uint8Array }> {
    await this.need(2);
    const tag = this.buf[0]!;
    if ((tag & 0x1f) === 0x1f) malformed('high tag number form is not used by CMS');
    const first = this.buf[1]!;
    if (first === 0x80) {
      if (!(tag & 0x20)) malformed('indefinite length on a primitive element');
      return { tag, len: -1, raw: this.take(2).slice() };
    }
    let n = 0;
    if (first & 0x80) {
      n = first & 0x7f;
      if (n > 6) malformed(`length of ${n} octets is too large`);
      await this.need(2 + n);
    }
    let len = n ? 0 : first;
    for (let i = 0; i < n; i++) len = len * 256 + this.buf[2 + i]!;
    return { tag, len, raw: this.take(2 + n).slice() };
  }

  /** Reads a whole element (definite or BER indefinite) into memory, up to MAX_ELEMENT bytes. */
  async element(depth = 0): Promise<Uint8Array> {
    if (depth > 40) malformed('nesting too deep');
    const h = await this.header();
    if (h.len >= 0) {
      if (h.len > MAX_ELEMENT) malformed(`element of ${h.len} bytes is larger than ${MAX_ELEMENT}`);
      await this.need(h.len);
      return concat([h.raw, this.take(h.len)]);
    }
    const parts = [h.raw];
    let size = 0;
    for (;;) {
      await this.need(2);
      if (this.buf[0] === 0 && this.buf[1] === 0) {
        parts.push(this.take(2).slice());
        return concat(parts);
      }
      const c = await this.element(depth + 1);
      size += c.length;
      if (size > MAX_ELEMENT) malformed(`element larger than ${MAX_ELEMENT} bytes`);
      parts.push(c);
    }
  }

  async endOfContents(): Promise<void> {
    await this.need(2);
    const b = this.take(2);
    if (b[0] !== 0 || b[1] !== 0) malformed('expected end-of-contents octets');
  }

  /** Yields exactly `n` bytes in the pieces they arrive in. */
  async *bytes(n: number): AsyncGenerator<Uint8Array> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0 && !(await this.more())) malformed('truncated encrypted content');
      const k = Math.min(left, this.buf.length);
      yield this.take(k);
      left -= k;
    }
  }

  async atEnd(): Promise<boolean> {
    return (await this.peek()) === undefined;
  }
}

/** Decrypts a stream of ciphertext chunks; `finish` checks the tag / padding and returns the tail. */
interface StreamCipher {
  update(ct: Uint8Array): Promise<Uint8Array>;
  finish(mac: Uint8Array | undefined): Promise<Uint8Array>;
  wipe(): void;
}

function be32(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/**
 * AES-GCM (NIST SP 800-38D) as CTR + GHASH so it can stream: AES-CTR runs on
 * Web Crypto; GHASH is @noble/ciphers' (table-based multiplication by H).
 */
async function gcmStream(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array): Promise<StreamCipher> {
  if (nonce.length !== 12)
    throw new CmsError(E.UNSUPPORTED, `streaming AES-GCM needs a 12-byte nonce, got ${nonce.length}`);
  const h = await encryptBlock(key, new Uint8Array(16));
  // A large expected length makes noble pick its widest table window (~2.5x faster on long content).
  const gh = new GHASH(h, 1 << 30);
  h.fill(0);
  if (aad.length) gh.update(aad);
  let pending: Uint8Array = new Uint8Array(0);
  let blocks = 0; // 16-byte blocks processed so far
  let total = 0;
  const run = async (data: Uint8Array): Promise<Uint8Array> => {
    if (data.length === 0) return data;
    gh.update(data);
    // Counter block of this batch: nonce ‖ (2 + blocks done); J0 = nonce ‖ 1 is kept for the tag.
    const out = await ctrXor(key, concat([nonce, be32(2 + blocks)]), data);
    blocks += Math.ceil(data.length / 16);
    return out;
  };
  return {
    async update(ct) {
      total += ct.length;
      const all = pending.length ? concat([pending, ct]) : ct;
      const whole = all.length - (all.length % 16);
      pending = all.slice(whole);
      return run(all.subarray(0, whole));
    },
    async finish(mac) {
      const tail = await run(pending);
      const lens = new Uint8Array(16);
      const dv = new DataView(lens.buffer);
      dv.setBigUint64(0, BigInt(aad.length) * 8n);
      dv.setBigUint64(8, BigInt(total) * 8n);
      gh.update(lens);
      const s = gh.digest();
      const ek = await encryptBlock(key, concat([nonce, be32(1)]));
      for (let i = 0; i < 16; i++) s[i]! ^= ek[i]!;
      if (!mac || !equalBytes(s, mac))
        throw new CmsError(E.DECRYPT, 'AES-GCM authentication failed: discard the plaintext already received');
      return tail;
    },
    wipe() {
      pending.fill(0);
    },
  };
}

function cbcStream(key: Uint8Array, iv: Uint8Array): StreamCipher {
  let prev = iv.slice();
  let pending: Uint8Array = new Uint8Array(0);
  return {
    async update(ct) {
      const all = pending.length ? concat([pending, ct]) : ct;
      // Keep the last whole block back: it carries the padding.
      let n = all.length - (all.length % 16);
      if (n === all.length) n -= 16;
      if (n <= 0) {
        pending = all.slice();
        return new Uint8Array(0);
      }
      const body = all.subarray(0, n);
      pending = all.slice(n);
      const out = await cbcDecryptBlocks(key, prev, body);
      prev = body.slice(n - 16);
      return out;
    },
    async finish() {
      if (pending.length !== 16) throw new CmsError(E.DECRYPT, 'AES-CBC ciphertext is not a whole number of blocks');
      try {
        return await cbcDecrypt(key, prev, pending);
      } catch (e) {
        throw new CmsError(E.DECRYPT, 'AES-CBC decryption failed (bad padding): wrong key or altered ciphertext', {
          cause: e,
        });
      }
    },
    wipe() {
      pending.fill(0);
    },
  };
}

/**
 * Decrypts an EnvelopedData / AuthEnvelopedData read from `source`,
 * yielding the plaintext in chunks. See the module note on GCM: on an
 * authentication failure the iterator throws ERR_CMS_DECRYPT after the
 * last chunk, and everything received must be discarded.
 *
 * @example
 * ```ts
 * const out = fs.createWriteStream('doc.tmp');
 * for await (const chunk of decryptStream(fs.createReadStream('doc.p7m'), { key, certificate })) out.write(chunk);
 * ```
 */
export async function* decryptStream(source: ByteSource, opts: DecryptDataOptions): AsyncGenerator<Uint8Array> {
  const pull = new Pull(source);
  const outer: number[] = []; // indefinite containers still open, outermost first
  const open = async (tag: number, what: string) => {
    const h = await pull.header();
    if (h.tag !== tag) malformed(`${what}: expected tag 0x${tag.toString(16)}, got 0x${h.tag.toString(16)}`);
    if (h.len < 0) outer.push(tag);
    return h;
  };
  await open(0x30, 'ContentInfo');
  const typeEl = await pull.element();
  await open(0xa0, 'ContentInfo [0]');
  await open(0x30, 'EnvelopedData');
  // Everything up to the encrypted content is small: read it, then parse
  // it together with a stand-in content as an ordinary envelope.
  const head: Uint8Array[] = [];
  head.push(await pull.element()); // version
  if ((await pull.peek()) === 0xa0) head.push(await pull.element()); // originatorInfo
  head.push(await pull.element()); // recipientInfos
  const eciHeader = await pull.header();
  if (eciHeader.tag !== 0x30) malformed('EncryptedContentInfo must be a SEQUENCE');
  const eciType = await pull.element();
  const eciAlg = await pull.element();
  const ctHeader = await pull.header();
  if ((ctHeader.tag & ~0x20) !== 0x80) malformed('encrypted content must be [0] IMPLICIT OCTET STRING');
  // Parse the header part with an empty content and a dummy tag to reuse parseEnvelope's checks.
  const authenticated = oid(readBer(typeEl), 'ContentInfo.contentType') === CMS_OIDS.authEnvelopedData;
  const probe = tlv(
    0x30,
    typeEl,
    tlv(
      0xa0,
      tlv(
        0x30,
        ...head,
        tlv(0x30, eciType, eciAlg, tlv(0x80)),
        ...(authenticated ? [tlv(0x04, new Uint8Array(16))] : []),
      ),
    ),
  );
  const env: ParsedEnvelope = parseEnvelope(probe);
  const cek = await unwrapCek(env, opts);
  let cipher: StreamCipher | undefined;
  try {
    cipher = env.authenticated ? await gcmStream(cek, env.iv, new Uint8Array(0)) : cbcStream(cek, env.iv);
    // The content: primitive, or constructed segments (possibly nested, definite or indefinite).
    const segments = async function* (h: { tag: number; len: number }, depth: number): AsyncGenerator<Uint8Array> {
      if (depth > 40) malformed('nesting too deep');
      if (!(h.tag & 0x20)) {
        yield* pull.bytes(h.len);
        return;
      }
      let consumed = 0;
      for (;;) {
        if (h.len < 0) {
          await pull.need(2);
          if ((await pull.peek()) === 0) {
            await pull.endOfContents();
            return;
          }
        } else if (consumed === h.len) return;
        const c = await pull.header();
        if ((c.tag & ~0x20) !== 0x04) malformed('constructed encrypted content holds a non-OCTET STRING');
        if (h.len >= 0) consumed += c.raw.length + (c.len < 0 ? 0 : c.len);
        yield* segments(c, depth + 1);
        if (h.len >= 0 && (c.len < 0 || consumed > h.len)) malformed('content segments overrun their container');
      }
    };
    // Pieces arrive as the source chunks them (OpenSSL writes 4 KiB segments,
    // a network may deliver a few bytes): decrypt in batches of ~64 KiB.
    let batch: Uint8Array[] = [];
    let batched = 0;
    for await (const piece of segments(ctHeader, 0)) {
      batch.push(piece.slice());
      batched += piece.length;
      if (batched >= BATCH) {
        const out = await cipher.update(concat(batch));
        batch = [];
        batched = 0;
        if (out.length) yield out;
      }
    }
    if (batched) {
      const out = await cipher.update(concat(batch));
      if (out.length) yield out;
    }
    if (eciHeader.len < 0) await pull.endOfContents();
    let mac: Uint8Array | undefined;
    if (env.authenticated) {
      if ((await pull.peek()) === 0xa1)
        throw new CmsError(E.UNSUPPORTED, 'streaming decryption of AuthEnvelopedData with authAttrs is not supported');
      const m = readBer(await pull.element());
      if (m.tag !== 0x04) malformed('AuthEnvelopedData mac must be an OCTET STRING');
      mac = m.content;
      if ((await pull.peek()) === 0xa2) await pull.element();
    } else if ((await pull.peek()) === 0xa1) await pull.element();
    while (outer.length) {
      outer.pop();
      await pull.endOfContents();
    }
    if (!(await pull.atEnd())) malformed('trailing bytes after the message');
    const tail = await cipher.finish(mac);
    if (tail.length) yield tail;
  } finally {
    cipher?.wipe();
    cek.fill(0);
  }
}
