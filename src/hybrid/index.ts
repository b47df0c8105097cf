/**
 * `qsign-pqc/hybrid`: post-quantum/traditional hybrid key establishment.
 *
 * - {@link xwing} (alias {@link ml_kem768_x25519}): the X-Wing KEM
 *   (draft-connolly-cfrg-xwing-kem-10), ML-KEM-768 + X25519 with a SHA3-256 combiner.
 * - {@link x25519mlkem768}: the TLS 1.3 group X25519MLKEM768 (0x11EC,
 *   draft-ietf-tls-ecdhe-mlkem). Not X-Wing; different outputs.
 * - HPKE (RFC 9180, base and PSK modes) with ML-KEM-512/768/1024 and X-Wing
 *   (draft-ietf-hpke-pq): {@link suite}, {@link seal}/{@link open},
 *   {@link setupBaseS}/{@link setupBaseR}.
 *
 * The KEM objects are synchronous and need `await init()` from `qsign-pqc`
 * first; the HPKE functions are async and initialize on their own.
 * @module
 */
import { CoreErrorCodes } from '../errors.js';
export { xwing, ml_kem768_x25519 } from './xwing.js';
export type { XWing, XWingLengths, KemKeyPair, Encapsulation } from './xwing.js';
export { x25519mlkem768 } from './x25519mlkem768.js';
export type {
  X25519MLKEM768,
  X25519MLKEM768Client,
  X25519MLKEM768Server,
  X25519MLKEM768Lengths,
} from './x25519mlkem768.js';
export {
  suite,
  seal,
  open,
  setupBaseS,
  setupBaseR,
  generateKeyPair,
  deriveKeyPair,
  publicKeyFromSecretKey,
  SenderContext,
  RecipientContext,
} from './hpke/index.js';
export type {
  CipherSuite,
  SuiteSpec,
  SealOptions,
  SetupSenderOptions,
  SetupRecipientOptions,
  PreSharedKey,
  BytesLike,
  HpkeKem,
  HpkeKdf,
  HpkeAead,
  KemName,
  KdfName,
  AeadName,
} from './hpke/index.js';

/** Error codes this layer adds to the core ones (see `CoreErrorCodes`). */
export const HybridErrorCodes = {
  INVALID_PUBLIC_KEY: CoreErrorCodes.INVALID_PUBLIC_KEY,
  INVALID_SECRET_KEY: CoreErrorCodes.INVALID_SECRET_KEY,
  INVALID_CIPHERTEXT_LENGTH: CoreErrorCodes.INVALID_CIPHERTEXT_LENGTH,
  /** HPKE open: the AEAD tag did not verify (wrong key, AAD, sequence number or a modified ciphertext). */
  DECRYPTION_FAILED: 'ERR_DECRYPTION_FAILED',
  /** An HPKE KEM, KDF or AEAD that is not implemented. */
  UNSUPPORTED_ALGORITHM: 'ERR_UNSUPPORTED_ALGORITHM',
  /** An HPKE context reached its sequence-number limit (RFC 9180 §5.2). */
  MESSAGE_LIMIT_REACHED: 'ERR_MESSAGE_LIMIT_REACHED',
  INVALID_ARGUMENT: CoreErrorCodes.INVALID_ARGUMENT,
} as const;

declare module '../errors.js' {
  interface QsignErrorCodeTables {
    hybrid: typeof HybridErrorCodes;
  }
}
