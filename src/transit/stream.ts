/**
 * Streaming envelopes for large payloads: one HPKE setup, then the payload in
 * fixed-size AEAD frames, so memory stays at about one chunk whatever the size.
 *
 * Layout (all integers big-endian):
 * ```
 * header:  "qts1" (4) ‖ 0x02 ‖ kem_id (2) ‖ kdf_id (2) ‖ aead_id (2) ‖ key_version (4) ‖ chunk_size (4) ‖ enc (Nenc)
 * frame i: flag (1: 0x00 more, 0x01 final) ‖ len (4) ‖ AEAD ct (len = chunk plaintext + 16)
 * aad_i  = header[0..19) ‖ flag ‖ associated_data
 * info   = "qsign-pqc/transit-stream/v1" ‖ 0x00 ‖ u16 len(name) ‖ name ‖ u32 version
 * ```
 * Frame i is sealed with the HPKE context's sequence number i (nonce =
 * base_nonce XOR i), so a reordered, duplicated or dropped frame fails
 * authentication; the final flag is authenticated, so cutting the stream after
 * any frame is detected (`ERR_TRANSIT_STREAM_CORRUPT`), as is trailing data.
 * Plaintext of a frame is released only after that frame authenticates; a
 * consumer must still treat the output as void if the stream errors later.
 */
import { concatBytes, utf8 } from '../util/bytes.js';
import {
  AEAD_AES_256_GCM,
  KDF_HKDF_SHA256,
  KEMS,
  kemTypeById,
  setupReceiver,
  setupSender,
  type HpkeContext,
  type KemKeyPair,
  type KemKeyType,
} from './envelope.js';
import { transitError, TransitErrorCodes } from './errors.js';

/**
 * What the stream framing needs from a keyring: the target to encrypt to and the key pair to decrypt with, both
 * after the keyring's policy checks. `Keyring` implements it; the framing depends on this interface only, so
 * keyring.ts → stream.ts is the one direction of the import (no circle).
 */
export interface StreamKeySource {
  /** The public key to encrypt to: the latest (or given) version of `name`, once policy allows encryption with it. */
  encryptionTarget(
    name: string,
    keyVersion?: number,
  ): Promise<{
    type: KemKeyType;
    version: number;
    publicKey: Uint8Array;
    /** The randomness source for the HPKE encapsulation (the keyring's, so tests can make it deterministic). */
    rand: (n: number) => Uint8Array;
  }>;
  /** The key pair of `name` at `version`, once policy allows decryption with that version. */
  decryptionKey(name: string, version: number): Promise<{ type: KemKeyType; keyPair: KemKeyPair }>;
}

const MAGIC = [0x71, 0x74, 0x73, 0x31]; // "qts1"
const STREAM_FORMAT = 0x02;
const FIXED_HEADER = 19;
const MAX_CHUNK = 16 * 1024 * 1024;
/** Plaintext bytes per frame when `chunkSize` is not given: 64 KiB. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/**
 * Options of {@link encryptStream}.
 *
 * @example
 * ```ts
 * const sealed = await encryptStream(keyring, 'backups', file.stream(), {
 *   associatedData: new TextEncoder().encode('backup-2026-12-07'),
 *   chunkSize: 1 << 20,
 * });
 * ```
 */
export interface StreamEncryptOptions {
  /** Bound to every frame; `decryptStream` must be given the same bytes. */
  associatedData?: Uint8Array;
  /** Encrypt to this key version instead of the latest (it must be at least `min_encryption_version`). */
  keyVersion?: number;
  /** Plaintext bytes per frame (default 64 KiB, at most 16 MiB). */
  chunkSize?: number;
}

function u16(n: number): number[] {
  return [(n >>> 8) & 0xff, n & 0xff];
}
function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}
function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

function streamInfo(name: string, version: number): Uint8Array {
  const n = utf8(name);
  return concatBytes(
    utf8('qsign-pqc/transit-stream/v1'),
    new Uint8Array([0, ...u16(n.length)]),
    n,
    new Uint8Array(u32(version)),
  );
}

const corrupt = (what: string) => transitError(TransitErrorCodes.STREAM_CORRUPT, `stream envelope is corrupt: ${what}`);

/** Reads exact byte counts from a stream, buffering only what one read needs. */
class ExactReader {
  private buf: Uint8Array = new Uint8Array(0);
  private done = false;
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** `n` bytes, or undefined on a clean end before any byte; throws on a partial read. */
  async read(n: number): Promise<Uint8Array | undefined> {
    while (this.buf.length < n && !this.done) {
      const r = await this.reader.read();
      if (r.done) this.done = true;
      else if (r.value.length) this.buf = this.buf.length ? concatBytes(this.buf, r.value) : r.value;
    }
    if (this.buf.length === 0 && n > 0) return undefined;
    if (this.buf.length < n) throw corrupt('truncated');
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  async atEnd(): Promise<boolean> {
    return (await this.read(1)) === undefined;
  }

  cancel(reason?: unknown): Promise<void> {
    return this.reader.cancel(reason);
  }
}

/** Encrypts a byte stream to the framed stream envelope of `name`'s latest (or given) version. */
export async function encryptStream(
  keyring: StreamKeySource,
  name: string,
  input: ReadableStream<Uint8Array>,
  opts: StreamEncryptOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK)
    throw transitError(TransitErrorCodes.INVALID_REQUEST, `chunkSize must be 1..${MAX_CHUNK}`);
  const t = await keyring.encryptionTarget(name, opts.keyVersion);
  const { enc, ctx } = await setupSender(t.type, t.publicKey, streamInfo(name, t.version), t.rand(KEMS[t.type].nrand));
  const fixed = new Uint8Array([
    ...MAGIC,
    STREAM_FORMAT,
    ...u16(KEMS[t.type].id),
    ...u16(KDF_HKDF_SHA256),
    ...u16(AEAD_AES_256_GCM),
    ...u32(t.version),
    ...u32(chunkSize),
  ]);
  const ad = opts.associatedData ?? new Uint8Array(0);
  const reader = input.getReader();
  let pending: Uint8Array[] = [];
  let buffered = 0;
  let inputDone = false;
  let headerSent = false;
  let finished = false;

  const take = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const head = pending[0]!;
      const k = Math.min(head.length, n - at);
      out.set(head.subarray(0, k), at);
      at += k;
      if (k === head.length) pending.shift();
      else pending[0] = head.subarray(k);
    }
    buffered -= n;
    return out;
  };

  const frame = async (flag: number, pt: Uint8Array): Promise<Uint8Array> => {
    const ct = await ctx.seal(pt, concatBytes(fixed, new Uint8Array([flag]), ad));
    return concatBytes(new Uint8Array([flag, ...u32(ct.length)]), ct);
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(concatBytes(fixed, enc));
          return;
        }
        if (finished) {
          controller.close();
          return;
        }
        // Need more than one chunk buffered to know this frame is not the last.
        while (!inputDone && buffered <= chunkSize) {
          const r = await reader.read();
          if (r.done) inputDone = true;
          else if (r.value.length) {
            pending.push(r.value);
            buffered += r.value.length;
          }
        }
        if (buffered > chunkSize) {
          controller.enqueue(await frame(0x00, take(chunkSize)));
          return;
        }
        controller.enqueue(await frame(0x01, take(buffered)));
        pending = [];
        finished = true;
        controller.close();
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 1 },
  );
}

/** Decrypts a framed stream envelope; errors with STREAM_CORRUPT on truncation or trailing data. */
export async function decryptStream(
  keyring: StreamKeySource,
  name: string,
  input: ReadableStream<Uint8Array>,
  opts: { associatedData?: Uint8Array } = {},
): Promise<ReadableStream<Uint8Array>> {
  const r = new ExactReader(input.getReader());
  const fixed = await r.read(FIXED_HEADER);
  if (!fixed) throw corrupt('empty');
  for (let i = 0; i < 4; i++)
    if (fixed[i] !== MAGIC[i]) throw transitError(TransitErrorCodes.INVALID_CIPHERTEXT, 'invalid ciphertext format');
  const type = kemTypeById((fixed[5]! << 8) | fixed[6]!);
  if (
    fixed[4] !== STREAM_FORMAT ||
    !type ||
    ((fixed[7]! << 8) | fixed[8]!) !== KDF_HKDF_SHA256 ||
    ((fixed[9]! << 8) | fixed[10]!) !== AEAD_AES_256_GCM
  ) {
    throw transitError(TransitErrorCodes.INVALID_CIPHERTEXT, 'invalid ciphertext format');
  }
  const version = readU32(fixed, 11);
  const chunkSize = readU32(fixed, 15);
  if (version < 1 || chunkSize < 1 || chunkSize > MAX_CHUNK)
    throw transitError(TransitErrorCodes.INVALID_CIPHERTEXT, 'invalid ciphertext format');
  const key = await keyring.decryptionKey(name, version);
  if (key.type !== type) throw transitError(TransitErrorCodes.INVALID_CIPHERTEXT, 'invalid ciphertext format');
  const enc = await r.read(KEMS[type].nenc);
  if (!enc) throw corrupt('truncated');
  const ctx: HpkeContext = await setupReceiver(type, key.keyPair, enc.slice(), streamInfo(name, version));
  const header = fixed.slice();
  const ad = opts.associatedData ?? new Uint8Array(0);
  let finished = false;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (finished) {
            if (!(await r.atEnd())) throw corrupt('trailing data after the final frame');
            controller.close();
            return;
          }
          const fh = await r.read(5);
          if (!fh) throw corrupt('truncated (no final frame)');
          const flag = fh[0]!;
          const len = readU32(fh, 1);
          if (flag > 1 || len < 16 || len > chunkSize + 16) throw corrupt('bad frame header');
          const ct = await r.read(len);
          if (!ct) throw corrupt('truncated');
          const pt = await ctx.open(ct, concatBytes(header, new Uint8Array([flag]), ad));
          if (flag === 0x01) finished = true;
          if (pt.length) controller.enqueue(pt);
        } catch (e) {
          await r.cancel(e).catch(() => undefined);
          throw e;
        }
      },
      cancel(reason) {
        return r.cancel(reason);
      },
    },
    { highWaterMark: 1 },
  );
}
