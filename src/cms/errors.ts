/**
 * Stable error codes of the CMS layer (`qsign-pqc/cms`). Every failure is a
 * {@link QsignError} (or its {@link CmsError} subclass) with one of these
 * codes, so callers can `switch (e.code)`. Chain failures keep the X.509
 * layer's `CertificateError` as `cause` and repeat its code in `reason`.
 */
import { QsignError } from '../errors.js';

/** The codes this subpath raises; stable across versions. */
export const CmsErrorCodes = {
  /** Bytes are not BER/DER for the expected CMS structure (truncated, wrong tag, trailing data, too deep/large). */
  MALFORMED: 'ERR_CMS_MALFORMED',
  /** A content type, version, attribute or algorithm this layer does not handle. */
  UNSUPPORTED: 'ERR_CMS_UNSUPPORTED',
  /** Detached signature without the content, or content given for an attached one that differs. */
  CONTENT_MISSING: 'ERR_CMS_CONTENT_MISSING',
  /** The message-digest attribute does not match the content's digest. */
  DIGEST_MISMATCH: 'ERR_CMS_DIGEST_MISMATCH',
  /** No certificate (embedded or given) matches a SignerInfo's sid. */
  UNKNOWN_SIGNER: 'ERR_CMS_UNKNOWN_SIGNER',
  /** The ML-DSA signature does not verify under the signer's certificate key. */
  BAD_SIGNATURE: 'ERR_CMS_BAD_SIGNATURE',
  /** The signer's certificate does not chain to a trust anchor; `reason` holds the X.509 code. */
  CHAIN: 'ERR_CMS_CHAIN',
  /** Signed attributes break RFC 5652 §5.3/§11 or RFC 6211 (missing, duplicated, content-type or algorithm mismatch). */
  ATTRIBUTES: 'ERR_CMS_ATTRIBUTES',
  /** The digest algorithm is weaker than RFC 9882 asks for the ML-DSA level, or unknown. */
  WEAK_DIGEST: 'ERR_CMS_WEAK_DIGEST',
  /** No RecipientInfo is addressed to the given certificate/key. */
  NO_RECIPIENT: 'ERR_CMS_NO_RECIPIENT',
  /** Key unwrap or content decryption/authentication failed (wrong key, tampered ciphertext or tag). */
  DECRYPT: 'ERR_CMS_DECRYPT',
  /** Options passed to a CMS function are inconsistent (key/certificate mismatch, bad algorithm choice, …). */
  INVALID_OPTIONS: 'ERR_CMS_INVALID_OPTIONS',
} as const;

declare module '../errors.js' {
  interface QsignErrorCodeTables {
    cms: typeof CmsErrorCodes;
  }
}

/** Union of the CMS error codes, for exhaustive `switch (err.code)`. */
export type CmsErrorCode = (typeof CmsErrorCodes)[keyof typeof CmsErrorCodes];

/**
 * A CMS failure. `signer` names the SignerInfo concerned (its certificate
 * subject, or its sid when no certificate matched) when there is one;
 * `reason` carries the underlying X.509 code for `ERR_CMS_CHAIN`.
 *
 * @example
 * ```ts
 * try { await verifySignedData(p7s, { trustAnchors: [root] }) }
 * catch (e) { if (isQsignError(e, 'ERR_CMS_CHAIN')) console.log((e as CmsError).reason) }
 * ```
 */
export class CmsError extends QsignError {
  readonly signer?: string;
  readonly reason?: string;
  constructor(code: CmsErrorCode, message: string, opts: { signer?: string; reason?: string; cause?: unknown } = {}) {
    super(code, message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CmsError';
    if (opts.signer !== undefined) this.signer = opts.signer;
    if (opts.reason !== undefined) this.reason = opts.reason;
  }
}

/** Throws ERR_CMS_MALFORMED with `what` explained. */
export function malformed(what: string): never {
  throw new CmsError(CmsErrorCodes.MALFORMED, `malformed CMS: ${what}`);
}
