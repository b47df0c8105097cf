/**
 * `qsign-pqc/cms`: the Cryptographic Message Syntax (RFC 5652) with
 * post-quantum algorithms, readable by OpenSSL 3.5+/3.6+ and other CMS tools.
 *
 * - SignedData with ML-DSA (RFC 9882) or SLH-DSA (RFC 9814): attached or detached, signed
 *   attributes with CMSAlgorithmProtection (RFC 6211), several signers,
 *   certificates embedded; verification checks digest, signature and chain.
 * - EnvelopedData (AES-CBC) and AuthEnvelopedData (AES-GCM, RFC 5083) to
 *   ML-KEM recipients through KEMRecipientInfo (RFC 9629/9936).
 *
 * Everything here runs in browsers, workerd, Deno, Bun and Node (no Node APIs).
 * Call `await init()` from the package root before using it.
 *
 * @example
 * ```ts
 * import { init } from 'qsign-pqc';
 * import { signData, verifySignedData } from 'qsign-pqc/cms';
 * await init();
 * const p7s = await signData(doc, { signers: [{ certificate, key }], detached: true });
 * const { signers } = await verifySignedData(p7s, { trustAnchors: [root], content: doc });
 * ```
 *
 * @packageDocumentation
 */
export { CmsError, CmsErrorCodes } from './errors.js';
export type { CmsErrorCode } from './errors.js';
export { CMS_OIDS } from './oids.js';
export type { DigestName } from './algorithms.js';
export { signData, verifySignedData, parseSignedData } from './signed.js';
export type {
  CertificateInput,
  CmsSigningKey,
  CmsSignerOptions,
  SignDataOptions,
  VerifySignedDataOptions,
  VerifiedSignedData,
  VerifiedSigner,
  ParsedSignedData,
  ParsedSignerInfo,
} from './signed.js';
export { encryptData, decryptData, parseEnvelope } from './enveloped.js';
export type {
  ContentEncryption,
  KemKdf,
  KeyWrap,
  KemRecipient,
  EncryptDataOptions,
  CmsDecryptionKey,
  DecryptDataOptions,
  DecryptedData,
  ParsedEnvelope,
} from './enveloped.js';
export { signDetachedStream, verifyDetachedStream } from './stream.js';
export type { ByteSource, VerifiedStream } from './stream.js';
export { decryptStream } from './decrypt-stream.js';
