/**
 * `qsign-pqc/x509`: X.509 for ML-DSA (RFC 9881), SLH-DSA (RFC 9909) and ML-KEM (RFC 9935).
 *
 * - keys: SPKI / PKCS#8 (seed, expanded, both) codecs and PEM — also usable alone via `./keys.js`.
 * - certificates: create/parse/sign, names as `CN=…,O=…`, the RFC 9881/9935 keyUsage rules.
 * - CSRs (PKCS#10), role-based issuance (Vault PKI model) and a Vault-shaped fetch handler.
 * - verifyChain: path validation with TLS-alert-shaped errors.
 *
 * Everything here runs in browsers, workerd, Deno, Bun and Node (no Node APIs).
 * Call `await init()` from the package root before using it.
 *
 * @packageDocumentation
 */
import { guarded } from '../util/guard.js';
import * as keys from './keys.js';
import * as name from './name.js';
import * as cert from './cert.js';
import * as csr from './csr.js';
import * as verify from './verify.js';
import * as role from './role.js';
import * as handler from './handler.js';
import * as hierarchy from './hierarchy.js';

// Every function below is wrapped by `guarded` (src/util/guard.ts): a bad
// argument nobody validated by name still fails as a coded QsignError.
export type {
  PemBlock,
  KeyAlgorithm,
  SigningAlgorithm,
  DecodedPublicKey,
  DecodedPrivateKey,
  PrivateKeyForm,
  EncodePKCS8Options,
} from './keys.js';
export { KEY_OIDS } from './keys.js';
/** @function */
export const pemEncode = /*#__PURE__*/ guarded('pemEncode', keys.pemEncode);
/** @function */
export const pemDecode = /*#__PURE__*/ guarded('pemDecode', keys.pemDecode);
/** @function */
export const pemDecodeAll = /*#__PURE__*/ guarded('pemDecodeAll', keys.pemDecodeAll);
/** @function */
export const toDer = /*#__PURE__*/ guarded('toDer', keys.toDer);
/** @function */
export const isPem = /*#__PURE__*/ guarded('isPem', keys.isPem);
/** @function */
export const isSignatureAlgorithm = /*#__PURE__*/ guarded('isSignatureAlgorithm', keys.isSignatureAlgorithm);
/** @function */
export const isSlhDsaAlgorithm = /*#__PURE__*/ guarded('isSlhDsaAlgorithm', keys.isSlhDsaAlgorithm);
/** @function */
export const isKemAlgorithm = /*#__PURE__*/ guarded('isKemAlgorithm', keys.isKemAlgorithm);
/** @function */
export const keySizes = /*#__PURE__*/ guarded('keySizes', keys.keySizes);
/** @function */
export const algorithmFromOid = /*#__PURE__*/ guarded('algorithmFromOid', keys.algorithmFromOid);
/** @function */
export const algorithmIdentifier = /*#__PURE__*/ guarded('algorithmIdentifier', keys.algorithmIdentifier);
/** @function */
export const parseAlgorithmIdentifier = /*#__PURE__*/ guarded(
  'parseAlgorithmIdentifier',
  keys.parseAlgorithmIdentifier,
);
/** @function */
export const encodeSPKI = /*#__PURE__*/ guarded('encodeSPKI', keys.encodeSPKI);
/** @function */
export const decodeSPKI = /*#__PURE__*/ guarded('decodeSPKI', keys.decodeSPKI);
/** @function */
export const expandSeed = /*#__PURE__*/ guarded('expandSeed', keys.expandSeed);
/** @function */
export const encodePKCS8 = /*#__PURE__*/ guarded('encodePKCS8', keys.encodePKCS8);
/** @function */
export const decodePKCS8 = /*#__PURE__*/ guarded('decodePKCS8', keys.decodePKCS8);
/** @function */
export const encodePKCS8Pem = /*#__PURE__*/ guarded('encodePKCS8Pem', keys.encodePKCS8Pem);
/** @function */
export const encodeSPKIPem = /*#__PURE__*/ guarded('encodeSPKIPem', keys.encodeSPKIPem);
/** @function */
export const privateKeyDerFromPem = /*#__PURE__*/ guarded('privateKeyDerFromPem', keys.privateKeyDerFromPem);
/** @function */
export const generateKey = /*#__PURE__*/ guarded('generateKey', keys.generateKey);
export * from './errors.js';
/** @function */
export const parseName = /*#__PURE__*/ guarded('parseName', name.parseName);
/** @function */
export const nameToString = /*#__PURE__*/ guarded('nameToString', name.nameToString);
/** @function */
export const commonName = /*#__PURE__*/ guarded('commonName', name.commonName);
export { Certificate, EKU_OIDS, ML_DSA_KEY_USAGES } from './cert.js';
export { Csr } from './csr.js';
/** @function */
export const createCertificate = /*#__PURE__*/ guarded('createCertificate', cert.createCertificate);
/** @function */
export const keyIdentifier = /*#__PURE__*/ guarded('keyIdentifier', cert.keyIdentifier);
/** @function */
export const randomSerial = /*#__PURE__*/ guarded('randomSerial', cert.randomSerial);
/** @function */
export const keyUsageViolation = /*#__PURE__*/ guarded('keyUsageViolation', cert.keyUsageViolation);
/** @function */
export const parseSanList = /*#__PURE__*/ guarded('parseSanList', cert.parseSanList);
/** @function */
export const generalNames = /*#__PURE__*/ guarded('generalNames', cert.generalNames);
/** @function */
export const isIp = /*#__PURE__*/ guarded('isIp', cert.isIp);
export type {
  CertificateOptions,
  CertificateExtensions,
  Issuer,
  KeyUsageName,
  SigningKey,
  SubjectAltNames,
} from './cert.js';
/** @function */
export const createCsr = /*#__PURE__*/ guarded('createCsr', csr.createCsr);
export type { CsrOptions } from './csr.js';
/** @function */
export const verifyChain = /*#__PURE__*/ guarded('verifyChain', verify.verifyChain);
/** @function */
export const matchesHostname = /*#__PURE__*/ guarded('matchesHostname', verify.matchesHostname);
export type { Purpose, VerifyChainOptions, VerifiedChain } from './verify.js';
/** @function */
export const applyRole = /*#__PURE__*/ guarded('applyRole', role.applyRole);
/** @function */
export const checkDomain = /*#__PURE__*/ guarded('checkDomain', role.checkDomain);
/** @function */
export const checkKeyType = /*#__PURE__*/ guarded('checkKeyType', role.checkKeyType);
/** @function */
export const issueFromRole = /*#__PURE__*/ guarded('issueFromRole', role.issueFromRole);
/** @function */
export const signCsrWithRole = /*#__PURE__*/ guarded('signCsrWithRole', role.signCsrWithRole);
/** @function */
export const roleFromJson = /*#__PURE__*/ guarded('roleFromJson', role.roleFromJson);
/** @function */
export const parseTtl = /*#__PURE__*/ guarded('parseTtl', role.parseTtl);
/** @function */
export const resolveTtl = /*#__PURE__*/ guarded('resolveTtl', role.resolveTtl);
/** @function */
export const keyAlg = /*#__PURE__*/ guarded('keyAlg', role.keyAlg);
export type { RolePolicy, IssueRequest, IssuedCertificate } from './role.js';
/** @function */
export const createPkiHandler = /*#__PURE__*/ guarded('createPkiHandler', handler.createPkiHandler);
/** @function */
export const vaultSerial = /*#__PURE__*/ guarded('vaultSerial', handler.vaultSerial);
export type { PkiHandlerOptions, PkiStore } from './handler.js';
/** @function */
export const createCaHierarchy = /*#__PURE__*/ guarded('createCaHierarchy', hierarchy.createCaHierarchy);
export type { CaHierarchy, CaHierarchyOptions } from './hierarchy.js';
