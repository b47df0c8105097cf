/**
 * `qsign-pqc/x509`: X.509 for ML-DSA (RFC 9881) and ML-KEM (RFC 9935).
 *
 * - keys: SPKI / PKCS#8 (seed, expanded, both) codecs and PEM — also usable alone via `./keys.js`.
 * - certificates: create/parse/sign, names as `CN=…,O=…`, the RFC 9881/9935 keyUsage rules.
 * - CSRs (PKCS#10), role-based issuance (Vault PKI model) and a Vault-shaped fetch handler.
 * - verifyChain: path validation with TLS-alert-shaped errors.
 *
 * Everything here runs in browsers, workerd, Deno, Bun and Node (no Node APIs).
 * Call `await init()` from the package root before using it.
 */
export * from './keys.js';
export * from './errors.js';
export { parseName, nameToString, commonName } from './name.js';
export {
  Certificate,
  createCertificate,
  keyIdentifier,
  randomSerial,
  keyUsageViolation,
  parseSanList,
  generalNames,
  isIp,
  EKU_OIDS,
  ML_DSA_KEY_USAGES,
} from './cert.js';
export type {
  CertificateOptions,
  CertificateExtensions,
  Issuer,
  KeyUsageName,
  SigningKey,
  SubjectAltNames,
} from './cert.js';
export { Csr, createCsr } from './csr.js';
export type { CsrOptions } from './csr.js';
export { verifyChain, matchesHostname } from './verify.js';
export type { Purpose, VerifyChainOptions, VerifiedChain } from './verify.js';
export {
  applyRole,
  checkDomain,
  checkKeyType,
  issueFromRole,
  signCsrWithRole,
  roleFromJson,
  parseTtl,
  resolveTtl,
  keyAlg,
} from './role.js';
export type { RolePolicy, IssueRequest, IssuedCertificate } from './role.js';
export { createPkiHandler, vaultSerial } from './handler.js';
export type { PkiHandlerOptions, PkiStore } from './handler.js';
export { createCaHierarchy } from './hierarchy.js';
export type { CaHierarchy, CaHierarchyOptions } from './hierarchy.js';
