/**
 * The one place where transit touches HPKE (RFC 9180, base mode) and the KEMs;
 * everything else in src/transit (keyring, stream framing, HTTP) calls only
 * the functions below. HPKE itself is `src/hybrid` (draft-ietf-hpke-pq suites:
 * KEM ML-KEM-768 0x0041, ML-KEM-1024 0x0042, X-Wing 0x647a; KDF HKDF-SHA256
 * 0x0001; AEAD AES-256-GCM 0x0002). Private keys are the KEM seeds (64 bytes
 * for ML-KEM, 32 for X-Wing), exactly what the keyring seals at rest.
 *
 * Layout of an envelope (`vault:v{N}:` + standard base64 of):
 * ```
 *  0      1      3      5      7                7+Nenc
 *  +------+------+------+------+----------------+---------------------------+
 *  | 0x01 | kem  | kdf  | aead | enc (Nenc)     | AEAD ct = pt ‖ tag (16)   |
 *  +------+------+------+------+----------------+---------------------------+
 *  info = "qsign-pqc/transit/v1" ‖ 0x00 ‖ u16be(len name) ‖ name ‖ u32be(N)
 *  aad  = bytes[0..7) ‖ associated_data
 * ```
 * See docs/envelope.md for the vectors.
 */
import { publicKeyFromSecretKey, setupBaseR, setupBaseS, suite, type CipherSuite } from '../hybrid/index.js';
import { QsignError } from '../errors.js';
import { algorithmByTransitType } from '../registry.js';
import { concatBytes, utf8 } from '../util/bytes.js';
import { transitError, TransitErrorCodes } from './errors.js';

/** Key types that encrypt (HPKE KEMs). */
export type KemKeyType = 'ml-kem-768' | 'ml-kem-1024' | 'xwing';

export const KDF_HKDF_SHA256 = 0x0001;
export const AEAD_AES_256_GCM = 0x0002;

interface KemSpec {
  id: number;
  /** Length of the stored private seed (HPKE-PQ Nsk). */
  nsk: number;
  npk: number;
  nenc: number;
  /** Bytes of encapsulation randomness (HPKE-PQ `ikmE`) one encapsulation takes. */
  nrand: number;
}

/** The transit KEM key types; which algorithm each is, and its sizes, come from the registry's `transitType`. */
const KEM_KEY_TYPES: readonly KemKeyType[] = ['ml-kem-768', 'ml-kem-1024', 'xwing'];

function kemSpec(type: KemKeyType): KemSpec {
  const a = algorithmByTransitType(type);
  if (!a?.hpkeKem) throw new Error(`the registry has no HPKE KEM with transit type ${type}`);
  const z = a.sizes;
  return { id: a.hpkeKem, nsk: z.seed!, npk: z.publicKey!, nenc: z.cipherText!, nrand: z.encapsRand! };
}

/** The transit KEM key types, their HPKE ids and sizes read from the registry. */
export const KEMS = Object.fromEntries(KEM_KEY_TYPES.map((t) => [t, kemSpec(t)])) as Record<KemKeyType, KemSpec>;

const SUITES = new Map<KemKeyType, CipherSuite>();
function suiteOf(type: KemKeyType): CipherSuite {
  let s = SUITES.get(type);
  if (!s) SUITES.set(type, (s = suite({ kem: KEMS[type].id, kdf: KDF_HKDF_SHA256, aead: AEAD_AES_256_GCM })));
  return s;
}

/** The KEM key type with this HPKE KEM id, if any. */
export function kemTypeById(id: number): KemKeyType | undefined {
  return (Object.keys(KEMS) as KemKeyType[]).find((k) => KEMS[k].id === id);
}

/** A recipient key pair; `secretKey` is the KEM seed (HPKE-PQ private key). */
export interface KemKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** The key pair of a stored private seed (64 B ML-KEM d‖z, 32 B X-Wing). */
export async function kemKeyPair(type: KemKeyType, seed: Uint8Array): Promise<KemKeyPair> {
  return { publicKey: await publicKeyFromSecretKey(suiteOf(type), seed), secretKey: seed.slice() };
}

/** An HPKE context: seal/open number messages 0, 1, 2, … (nonce = base_nonce XOR seq). */
export interface HpkeContext {
  seal(plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** Throws ERR_TRANSIT_DECRYPTION_FAILED when authentication fails. */
  open(ciphertext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
}

/** HPKE SetupBaseS; `rand` is the encapsulation randomness (fixed bytes in tests give fixed output). */
export async function setupSender(
  type: KemKeyType,
  publicKey: Uint8Array,
  info: Uint8Array,
  rand: Uint8Array,
): Promise<{ enc: Uint8Array; ctx: HpkeContext }> {
  if (publicKey.length !== KEMS[type].npk)
    throw transitError(TransitErrorCodes.INVALID_REQUEST, `public key must be ${KEMS[type].npk} bytes`);
  const ctx = await setupBaseS(suiteOf(type), publicKey, info, { ikmE: rand });
  return {
    enc: ctx.enc,
    ctx: { seal: (pt, aad) => ctx.seal(pt, aad), open: () => Promise.reject(new Error('sender context cannot open')) },
  };
}

/** HPKE SetupBaseR. A forged `enc` is caught by the first open (implicit rejection). */
export async function setupReceiver(
  type: KemKeyType,
  keyPair: KemKeyPair,
  enc: Uint8Array,
  info: Uint8Array,
): Promise<HpkeContext> {
  if (enc.length !== KEMS[type].nenc)
    throw transitError(TransitErrorCodes.INVALID_CIPHERTEXT, 'invalid ciphertext format');
  const ctx = await setupBaseR(suiteOf(type), enc, keyPair.secretKey, info);
  return {
    seal: () => Promise.reject(new Error('recipient context cannot seal')),
    async open(ct, aad) {
      try {
        return await ctx.open(ct, aad);
      } catch (e) {
        // One code for every authentication failure: callers cannot tell wrong key from tampering.
        if (e instanceof QsignError) throw transitError(TransitErrorCodes.DECRYPTION_FAILED, 'decryption failed', e);
        throw e;
      }
    },
  };
}

function i2osp(n: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0 && n > 0; i--) {
    out[i] = n & 0xff;
    n = Math.floor(n / 256);
  }
  return out;
}

export const ENVELOPE_FORMAT = 0x01;
export const HEADER_LEN = 7;
const INFO_LABEL = utf8('qsign-pqc/transit/v1');

/** HPKE `info`: binds the key name and version so an envelope cannot move between keys or versions. */
export function envelopeInfo(name: string, version: number): Uint8Array {
  const n = utf8(name);
  return concatBytes(INFO_LABEL, new Uint8Array([0]), i2osp(n.length, 2), n, i2osp(version, 4));
}

/** The 7-byte header: format ‖ kem_id ‖ kdf_id ‖ aead_id. */
export function envelopeHeader(type: KemKeyType, format = ENVELOPE_FORMAT): Uint8Array {
  return concatBytes(
    new Uint8Array([format]),
    i2osp(KEMS[type].id, 2),
    i2osp(KDF_HKDF_SHA256, 2),
    i2osp(AEAD_AES_256_GCM, 2),
  );
}

/** Parses and checks a header against the key type; any mismatch is a format error. */
export function checkHeader(bytes: Uint8Array, type: KemKeyType, format = ENVELOPE_FORMAT): void {
  const want = envelopeHeader(type, format);
  if (bytes.length < HEADER_LEN) throw transitError(TransitErrorCodes.INVALID_CIPHERTEXT, 'invalid ciphertext format');
  for (let i = 0; i < HEADER_LEN; i++) {
    if (bytes[i] !== want[i]) throw transitError(TransitErrorCodes.INVALID_CIPHERTEXT, 'invalid ciphertext format');
  }
}

/** Seals one message into the binary envelope body (without the `vault:vN:` prefix). */
export async function sealEnvelope(
  type: KemKeyType,
  publicKey: Uint8Array,
  name: string,
  version: number,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
  rand: Uint8Array,
): Promise<Uint8Array> {
  const header = envelopeHeader(type);
  const { enc, ctx } = await setupSender(type, publicKey, envelopeInfo(name, version), rand);
  const ct = await ctx.seal(plaintext, concatBytes(header, associatedData));
  return concatBytes(header, enc, ct);
}

/** Opens a binary envelope body; format errors and authentication failures have distinct codes. */
export async function openEnvelope(
  type: KemKeyType,
  keyPair: KemKeyPair,
  name: string,
  version: number,
  body: Uint8Array,
  associatedData: Uint8Array,
): Promise<Uint8Array> {
  checkHeader(body, type);
  const nenc = KEMS[type].nenc;
  if (body.length < HEADER_LEN + nenc + 16)
    throw transitError(TransitErrorCodes.INVALID_CIPHERTEXT, 'invalid ciphertext format');
  const enc = body.subarray(HEADER_LEN, HEADER_LEN + nenc);
  const ctx = await setupReceiver(type, keyPair, enc, envelopeInfo(name, version));
  return ctx.open(body.subarray(HEADER_LEN + nenc), concatBytes(body.subarray(0, HEADER_LEN), associatedData));
}
