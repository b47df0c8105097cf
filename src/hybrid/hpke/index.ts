/*
 * HPKE (RFC 9180, base and PSK modes) with the post-quantum KEMs of draft-ietf-hpke-pq
 * and the one-stage SHAKE/TurboSHAKE KDFs of draft-ietf-hpke-hpke.
 *
 * Stability: `suite`, `seal`, `open`, `setupBaseS`, `setupBaseR` and the
 * context methods are the API the transit engine's envelopes are built on;
 * docs/hybrid.md describes them. Change them only compatibly.
 */
import { QsignError } from '../../errors.js';
import { findAlgorithm, type AliasesOf } from '../../registry.js';
import { ensureBytes, utf8, wipe } from '../../util/bytes.js';
import { init } from '../../wasm/loader.js';
import { AEADS, type AeadKey, type AeadName, type HpkeAead } from './aead.js';
import { KDFS, type HpkeKdf, type KdfName, i2osp } from './kdf.js';
import { KEMS, type HpkeKem, type KemName } from './kem.js';

export type { HpkeAead, AeadName, HpkeKdf, KdfName, HpkeKem, KemName };

/** Byte input that may also be given as a string (UTF-8 encoded). */
export type BytesLike = Uint8Array | string;

/** A fixed (KEM, KDF, AEAD) combination; build one with {@link suite}. */
export interface CipherSuite {
  readonly kem: HpkeKem;
  readonly kdf: HpkeKdf;
  readonly aead: HpkeAead;
  /** suite_id = "HPKE" ‖ I2OSP(kem_id, 2) ‖ I2OSP(kdf_id, 2) ‖ I2OSP(aead_id, 2). */
  readonly id: Uint8Array;
  /** e.g. "X-Wing/HKDF-SHA256/ChaCha20Poly1305". */
  readonly name: string;
}

/** Names (or numeric HPKE ids) accepted by {@link suite}. */
export interface SuiteSpec {
  /** 'X-Wing' (alias 'MLKEM768-X25519'), 'ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024', or the KEM id. */
  kem: KemName | AliasesOf<'X-Wing'> | number;
  /** 'HKDF-SHA256' | 'HKDF-SHA384' | 'HKDF-SHA512' | 'SHAKE128' | 'SHAKE256' | 'TurboSHAKE128' | 'TurboSHAKE256', or the KDF id. */
  kdf: KdfName | number;
  /** 'AES-128-GCM' | 'AES-256-GCM' | 'ChaCha20Poly1305' (alias 'ChaCha20-Poly1305') | 'ExportOnly', or the AEAD id. */
  aead: AeadName | 'ChaCha20-Poly1305' | number;
}

const ALIASES: Record<string, string> = {
  'chacha20-poly1305': 'chacha20poly1305',
  'export-only': 'exportonly',
  aes128gcm: 'aes-128-gcm',
  aes256gcm: 'aes-256-gcm',
};

function pick<T extends { id: number; name: string }>(
  table: ReadonlyMap<number, T>,
  what: string,
  v: unknown,
  hint: string,
): T {
  if (typeof v === 'number') {
    const hit = table.get(v);
    if (hit) return hit;
  } else if (typeof v === 'string') {
    // KEM spellings come from the registry (xwing, MLKEM768-X25519 → X-Wing); AEAD spellings from the table above.
    const want = (findAlgorithm(v)?.name ?? ALIASES[v.toLowerCase()] ?? v).toLowerCase();
    for (const x of table.values()) if (x.name.toLowerCase() === want) return x;
  }
  // Only numbers and strings are shown verbatim: JSON.stringify throws on a BigInt or a cyclic object.
  const shown =
    typeof v === 'number'
      ? `0x${v.toString(16).padStart(4, '0')}`
      : typeof v === 'string'
        ? JSON.stringify(v)
        : `(${typeof v})`;
  throw new QsignError('ERR_UNSUPPORTED_ALGORITHM', `unsupported HPKE ${what} ${shown}; supported: ${hint}`);
}

/**
 * Builds a cipher suite from names or HPKE ids.
 *
 * @example
 * ```ts
 * const s = suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ChaCha20Poly1305' });
 * const s2 = suite({ kem: 0x0041, kdf: 0x0001, aead: 0x0001 }); // ML-KEM-768, HKDF-SHA256, AES-128-GCM
 * ```
 * @throws QsignError ERR_UNSUPPORTED_ALGORITHM naming what is supported.
 */
export function suite(spec: SuiteSpec): CipherSuite {
  if (!spec || typeof spec !== 'object')
    throw new QsignError('ERR_INVALID_ARGUMENT', 'suite() takes { kem, kdf, aead }');
  const kem = pick(
    KEMS,
    'KEM',
    spec.kem,
    'X-Wing (0x647a), ML-KEM-512 (0x0040), ML-KEM-768 (0x0041), ML-KEM-1024 (0x0042); classic DHKEMs and the P-256/P-384 hybrids are not implemented',
  );
  const kdf = pick(
    KDFS,
    'KDF',
    spec.kdf,
    'HKDF-SHA256/384/512 (0x0001-0x0003), SHAKE128/256 (0x0010/0x0011), TurboSHAKE128/256 (0x0012/0x0013)',
  );
  const aead = pick(
    AEADS,
    'AEAD',
    spec.aead,
    'AES-128-GCM (0x0001), AES-256-GCM (0x0002), ChaCha20Poly1305 (0x0003), ExportOnly (0xffff)',
  );
  const id = new Uint8Array([0x48, 0x50, 0x4b, 0x45, ...i2osp(kem.id, 2), ...i2osp(kdf.id, 2), ...i2osp(aead.id, 2)]);
  return Object.freeze({ kem, kdf, aead, id, name: `${kem.name}/${kdf.name}/${aead.name}` });
}

function checkSuite(s: CipherSuite): CipherSuite {
  if (!s || typeof s !== 'object' || !s.kem || !s.kdf || !s.aead || !(s.id instanceof Uint8Array)) {
    throw new QsignError('ERR_INVALID_ARGUMENT', 'expected a cipher suite built with suite({ kem, kdf, aead })');
  }
  return s;
}

function bytesArg(name: string, v: BytesLike | undefined): Uint8Array {
  if (v === undefined) return new Uint8Array(0);
  return ensureBytes(name, typeof v === 'string' ? utf8(v) : v);
}

const MODE_BASE = 0x00;
const MODE_PSK = 0x01;

/** A pre-shared key and its identifier for PSK mode (RFC 9180 §5.1.2). */
export interface PreSharedKey {
  /** At least 32 bytes of high-entropy secret (RFC 9180 §5.1.2 minimum). */
  key: Uint8Array;
  /** Identifies the PSK to the recipient; non-empty. */
  id: BytesLike;
}

/** VerifyPSKInputs plus the §5.1.2 entropy floor; returns (mode, psk, psk_id). */
function pskInputs(psk: PreSharedKey | undefined): { mode: number; psk: Uint8Array; pskId: Uint8Array } {
  if (psk === undefined) return { mode: MODE_BASE, psk: new Uint8Array(0), pskId: new Uint8Array(0) };
  if (!psk || typeof psk !== 'object')
    throw new QsignError('ERR_INVALID_ARGUMENT', 'psk must be { key: Uint8Array, id: Uint8Array | string }');
  const key = ensureBytes('psk.key', psk.key);
  const id = bytesArg('psk.id', psk.id);
  if (key.length < 32) {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `psk.key must have at least 32 bytes of entropy (RFC 9180 §5.1.2), got ${key.length} bytes; a password is not a PSK`,
    );
  }
  if (id.length === 0)
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      'psk.id must not be empty: PSK mode needs both the key and its identifier',
    );
  return { mode: MODE_PSK, psk: key, pskId: id };
}

/** Shared state and behaviour of both context roles (RFC 9180 §5.2). */
abstract class ContextBase {
  /** The suite this context was set up with. */
  readonly suite: CipherSuite;
  protected readonly aeadKey: AeadKey | undefined;
  protected readonly baseNonce: Uint8Array;
  private readonly exporterSecret: Uint8Array;
  protected seqNo = 0n;
  protected readonly maxSeq: bigint;

  constructor(s: CipherSuite, key: Uint8Array, baseNonce: Uint8Array, exporterSecret: Uint8Array) {
    this.suite = s;
    this.aeadKey = s.aead.bind(key);
    this.baseNonce = baseNonce;
    this.exporterSecret = exporterSecret;
    // RFC 9180 §5.2: a context may use sequence numbers 0 .. 2^(8*Nn) - 2.
    this.maxSeq = (1n << BigInt(8 * s.aead.Nn)) - 1n;
  }

  /** Sequence number of the next message (starts at 0). */
  get seq(): bigint {
    return this.seqNo;
  }

  /**
   * Test hook: jumps the sequence number (e.g. to exercise the message
   * limit). Never needed in normal use.
   * @internal
   */
  _setSeq(seq: bigint): void {
    this.seqNo = seq;
  }

  /** The AEAD nonce of message `seq`: base_nonce XOR I2OSP(seq, Nn) (RFC 9180 §5.2). */
  protected nonce(seq: bigint): Uint8Array {
    const n = this.baseNonce.slice();
    let x = seq;
    for (let i = n.length - 1; i >= 0 && x > 0n; i--, x >>= 8n) n[i]! ^= Number(x & 0xffn);
    return n;
  }

  /** The bound AEAD key; throws ERR_UNSUPPORTED_ALGORITHM when `op` is asked of an export-only context. */
  protected requireAead(op: string): AeadKey {
    if (!this.aeadKey) {
      throw new QsignError(
        'ERR_UNSUPPORTED_ALGORITHM',
        `${op}() is not available with the export-only AEAD (0xffff); use export()`,
      );
    }
    return this.aeadKey;
  }

  /** Throws ERR_MESSAGE_LIMIT_REACHED once every sequence number the nonce allows has been used. */
  protected checkLimit(): void {
    if (this.seqNo >= this.maxSeq) {
      throw new QsignError(
        'ERR_MESSAGE_LIMIT_REACHED',
        'this HPKE context has used every sequence number its AEAD nonce allows; set up a new context',
      );
    }
  }

  /**
   * Secret export (RFC 9180 §5.3): `L` bytes bound to this context and to
   * `exporterContext`. Both sides get the same value.
   * @throws QsignError ERR_INVALID_ARGUMENT if L exceeds the KDF's limit.
   */
  async export(exporterContext: BytesLike, L: number): Promise<Uint8Array> {
    const ctx = bytesArg('exporterContext', exporterContext);
    const max = this.suite.kdf.maxExportLength;
    if (!Number.isSafeInteger(L) || L < 0 || L > max) {
      throw new QsignError(
        'ERR_INVALID_ARGUMENT',
        `export length must be an integer in 0..${max} for ${this.suite.kdf.name}, got ${L}`,
      );
    }
    return this.suite.kdf.export(this.suite.id, this.exporterSecret, ctx, L);
  }
}

/** Sender side of an HPKE context: encrypts messages in order. */
export class SenderContext extends ContextBase {
  /** The encapsulated key to send to the recipient (once, with the first message). */
  readonly enc: Uint8Array;

  /** @internal use {@link setupBaseS} */
  constructor(s: CipherSuite, enc: Uint8Array, key: Uint8Array, baseNonce: Uint8Array, exporterSecret: Uint8Array) {
    super(s, key, baseNonce, exporterSecret);
    this.enc = enc;
  }

  /**
   * Encrypts the next message. Each call takes the next sequence number at
   * the moment it is made, so concurrent calls never share a nonce; the
   * recipient must open the ciphertexts in the same order.
   * @throws QsignError ERR_MESSAGE_LIMIT_REACHED when the nonce space is used up.
   */
  async seal(plaintext: Uint8Array, aad?: BytesLike): Promise<Uint8Array> {
    const aead = this.requireAead('seal');
    const pt = ensureBytes('plaintext', plaintext);
    const ad = bytesArg('aad', aad);
    this.checkLimit();
    const nonce = this.nonce(this.seqNo);
    this.seqNo++;
    return aead.seal(nonce, ad, pt);
  }
}

/** Recipient side of an HPKE context: decrypts messages in the order they were sealed. */
export class RecipientContext extends ContextBase {
  // Opens are serialized so that a failed open leaves the sequence number
  // where it was (RFC 9180 §5.2) even when calls overlap.
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * Decrypts the next message.
   * @throws QsignError ERR_DECRYPTION_FAILED if anything (ciphertext, enc, aad,
   *   info, order, key) differs from what the sender used; the sequence
   *   number does not advance then.
   */
  open(ciphertext: Uint8Array, aad?: BytesLike): Promise<Uint8Array> {
    const run = this.tail.then(async () => {
      const aead = this.requireAead('open');
      const ct = ensureBytes('ciphertext', ciphertext);
      const ad = bytesArg('aad', aad);
      this.checkLimit();
      const pt = await aead.open(this.nonce(this.seqNo), ad, ct);
      this.seqNo++;
      return pt;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** Options of the sender setup. */
export interface SetupSenderOptions {
  /** PSK mode (RFC 9180 §5.1.2): both sides must give the same key and id. */
  psk?: PreSharedKey;
  /**
   * Test only: the encapsulation randomness (`ikmE` of the HPKE-PQ test
   * vectors; 32 bytes for ML-KEM, 64 for X-Wing). Never set it in production.
   */
  ikmE?: Uint8Array;
}

function schedule(s: CipherSuite, sharedSecret: Uint8Array, info: Uint8Array, psk: PreSharedKey | undefined) {
  try {
    const p = pskInputs(psk);
    return s.kdf.keySchedule(s.id, p.mode, sharedSecret, info, p.psk, p.pskId, s.aead.Nk, s.aead.Nn);
  } finally {
    wipe(sharedSecret);
  }
}

/**
 * SetupBaseS (RFC 9180 §5.1.1): encapsulates to the recipient's public key
 * and returns the sender context; send `context.enc` to the recipient.
 * With `opts.psk` this is SetupPSKS (§5.1.2) instead.
 * @throws QsignError ERR_INVALID_PUBLIC_KEY for a wrong-size or invalid key.
 */
export async function setupBaseS(
  s: CipherSuite,
  recipientPublicKey: Uint8Array,
  info?: BytesLike,
  opts: SetupSenderOptions = {},
): Promise<SenderContext> {
  await init();
  checkSuite(s);
  const inf = bytesArg('info', info);
  pskInputs(opts.psk); // refuse a bad PSK before spending an encapsulation
  const { sharedSecret, enc } = await s.kem.encap(recipientPublicKey, opts.ikmE);
  const { key, baseNonce, exporterSecret } = schedule(s, sharedSecret, inf, opts.psk);
  return new SenderContext(s, enc, key, baseNonce, exporterSecret);
}

/** Options of the recipient setup. */
export interface SetupRecipientOptions {
  /** PSK mode (RFC 9180 §5.1.2): the same key and id the sender used. */
  psk?: PreSharedKey;
}

/**
 * SetupBaseR (RFC 9180 §5.1.1): decapsulates `enc` with the recipient's
 * private key (the KEM seed: 64 bytes for ML-KEM, 32 for X-Wing).
 * With `opts.psk` this is SetupPSKR (§5.1.2) instead.
 * A forged `enc` is not detected here (implicit rejection); the first open() fails.
 * @throws QsignError ERR_INVALID_CIPHERTEXT_LENGTH / ERR_INVALID_SECRET_KEY for wrong sizes.
 */
export async function setupBaseR(
  s: CipherSuite,
  enc: Uint8Array,
  recipientSecretKey: Uint8Array,
  info?: BytesLike,
  opts: SetupRecipientOptions = {},
): Promise<RecipientContext> {
  await init();
  checkSuite(s);
  const inf = bytesArg('info', info);
  pskInputs(opts.psk);
  const sharedSecret = await s.kem.decap(enc, recipientSecretKey);
  const { key, baseNonce, exporterSecret } = schedule(s, sharedSecret, inf, opts.psk);
  return new RecipientContext(s, key, baseNonce, exporterSecret);
}

/** `info` (bound into the key schedule) and `aad` (authenticated, not encrypted) of single-shot HPKE. */
export interface SealOptions {
  info?: BytesLike;
  aad?: BytesLike;
  /** PSK mode (SealPSK/OpenPSK): the same pre-shared key on both sides. */
  psk?: PreSharedKey;
}

/**
 * Single-shot HPKE encryption (SealBase, RFC 9180 §6.1).
 *
 * @example
 * ```ts
 * const s = suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM' });
 * const { enc, ciphertext } = await seal(s, recipientPublicKey, doc, { info: 'app v1' });
 * const doc2 = await open(s, recipientSecretKey, enc, ciphertext, { info: 'app v1' });
 * ```
 */
export async function seal(
  s: CipherSuite,
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  opts: SealOptions & SetupSenderOptions = {},
): Promise<{ enc: Uint8Array; ciphertext: Uint8Array }> {
  const setup: SetupSenderOptions = {};
  if (opts.ikmE !== undefined) setup.ikmE = opts.ikmE;
  if (opts.psk !== undefined) setup.psk = opts.psk;
  const ctx = await setupBaseS(s, recipientPublicKey, opts.info, setup);
  const ciphertext = await ctx.seal(plaintext, opts.aad);
  return { enc: ctx.enc, ciphertext };
}

/**
 * Single-shot HPKE decryption (OpenBase, RFC 9180 §6.1).
 * @throws QsignError ERR_DECRYPTION_FAILED if enc, ciphertext, info or aad was altered or the key is wrong.
 */
export async function open(
  s: CipherSuite,
  recipientSecretKey: Uint8Array,
  enc: Uint8Array,
  ciphertext: Uint8Array,
  opts: SealOptions = {},
): Promise<Uint8Array> {
  const ctx = await setupBaseR(s, enc, recipientSecretKey, opts.info, opts.psk === undefined ? {} : { psk: opts.psk });
  return ctx.open(ciphertext, opts.aad);
}

/** A fresh recipient key pair for the suite's KEM (secretKey = the KEM seed). */
export async function generateKeyPair(s: CipherSuite): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }> {
  await init();
  return checkSuite(s).kem.generateKeyPair();
}

/** DeriveKeyPair(ikm) of the suite's KEM (draft-ietf-hpke-pq); ikm should be at least 32 bytes. */
export async function deriveKeyPair(
  s: CipherSuite,
  ikm: Uint8Array,
): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }> {
  await init();
  return checkSuite(s).kem.deriveKeyPair(ikm);
}

/** The public key belonging to a recipient private key (seed). */
export async function publicKeyFromSecretKey(s: CipherSuite, secretKey: Uint8Array): Promise<Uint8Array> {
  await init();
  return checkSuite(s).kem.publicKeyOf(secretKey);
}
