/**
 * Stable error codes of the X.509 layer. Every failure is a QsignError with
 * one of these codes; path-validation errors also carry the TLS alert a TLS
 * stack would send (seed §9.1) and the subject of the failing certificate.
 */
import { CoreErrorCodes, QsignError, type QsignErrorCode } from '../errors.js';

/** The X.509 layer's error codes (docs/errors.md). */
export const X509ErrorCodes = {
  /** Bytes are not valid DER for the expected structure. */
  DER: 'ERR_X509_DER',
  /** Text is not PEM, or has the wrong label. */
  PEM: 'ERR_PEM',
  /** An AlgorithmIdentifier names an algorithm this layer does not handle. */
  UNSUPPORTED_ALGORITHM: 'ERR_X509_UNSUPPORTED_ALGORITHM',
  /** AlgorithmIdentifier parameters present although RFC 9881/9935 require them absent. */
  ALGORITHM_PARAMETERS: 'ERR_X509_ALGORITHM_PARAMETERS',
  /** A SubjectPublicKeyInfo is malformed (size, unused bits). */
  INVALID_PUBLIC_KEY: CoreErrorCodes.INVALID_PUBLIC_KEY,
  /** A PKCS#8 private key is malformed (version, CHOICE tag, size). */
  INVALID_PRIVATE_KEY: 'ERR_INVALID_PRIVATE_KEY',
  /** A PKCS#8 key's parts disagree (seed vs expanded, FIPS 203 hash check, t0, tr, publicKey). */
  INCONSISTENT_PRIVATE_KEY: 'ERR_PRIVATE_KEY_INCONSISTENT',
  /** A name string like `CN=a,O=b` cannot be parsed. */
  INVALID_NAME: 'ERR_X509_INVALID_NAME',
  /** Options for building a certificate/CSR violate RFC 5280/9881/9935. */
  INVALID_CERT_REQUEST: 'ERR_X509_INVALID_OPTIONS',
  /** A CSR's self-signature does not verify. */
  CSR_SIGNATURE_INVALID: 'ERR_CSR_SIGNATURE_INVALID',
  // Path validation (verifyChain); tlsAlert in parentheses.
  CERT_SIGNATURE_INVALID: 'ERR_CERT_SIGNATURE_INVALID', // bad_certificate
  CERT_EXPIRED: 'ERR_CERT_EXPIRED', // certificate_expired
  CERT_NOT_YET_VALID: 'ERR_CERT_NOT_YET_VALID', // certificate_expired (no separate alert exists)
  CERT_UNKNOWN_CA: 'ERR_CERT_UNKNOWN_CA', // unknown_ca
  CERT_NOT_A_CA: 'ERR_CERT_NOT_A_CA', // bad_certificate
  CERT_PATH_LENGTH: 'ERR_CERT_PATH_LENGTH', // bad_certificate
  CERT_USAGE: 'ERR_CERT_USAGE', // unsupported_certificate
  CERT_HOSTNAME_MISMATCH: 'ERR_CERT_HOSTNAME_MISMATCH', // bad_certificate
  CERT_MALFORMED: 'ERR_CERT_MALFORMED', // bad_certificate (unparseable, unknown critical extension)
  // Role policy (Vault PKI style issuance).
  /** A requested DNS name is outside the role's allowed domains. */
  ROLE_DOMAIN_NOT_ALLOWED: 'ERR_ROLE_DOMAIN_NOT_ALLOWED',
  /** The key algorithm is not in the role's allowed key types. */
  ROLE_KEY_TYPE_NOT_ALLOWED: 'ERR_ROLE_KEY_TYPE_NOT_ALLOWED',
  /** The requested TTL is above the role's `max_ttl`. */
  ROLE_TTL_EXCEEDED: 'ERR_ROLE_TTL_EXCEEDED',
  /** The role does not allow IP address SANs. */
  ROLE_IP_SAN_NOT_ALLOWED: 'ERR_ROLE_IP_SAN_NOT_ALLOWED',
  /** A URI SAN outside the role's allowed URI SANs. */
  ROLE_URI_SAN_NOT_ALLOWED: 'ERR_ROLE_URI_SAN_NOT_ALLOWED',
  /** The role does not allow e-mail SANs. */
  ROLE_EMAIL_NOT_ALLOWED: 'ERR_ROLE_EMAIL_NOT_ALLOWED',
  /** The role definition itself is malformed. */
  ROLE_INVALID: 'ERR_ROLE_INVALID',
} as const;

declare module '../errors.js' {
  interface QsignErrorCodeTables {
    x509: typeof X509ErrorCodes;
  }
}

/** TLS alert names (RFC 8446 §6.2) used for path-validation failures. */
export type TlsAlert =
  'bad_certificate' | 'certificate_expired' | 'unknown_ca' | 'unsupported_certificate' | 'certificate_unknown';

/**
 * A path-validation failure: `subject` names the certificate that failed,
 * `depth` is its position (0 = leaf) and `tlsAlert` the alert to send.
 */
export class CertificateError extends QsignError {
  readonly tlsAlert: TlsAlert;
  readonly subject: string;
  readonly depth: number;
  constructor(code: QsignErrorCode, tlsAlert: TlsAlert, subject: string, depth: number, message: string) {
    super(code, `certificate "${subject}" (depth ${depth}): ${message}`);
    this.name = 'CertificateError';
    this.tlsAlert = tlsAlert;
    this.subject = subject;
    this.depth = depth;
  }
}
