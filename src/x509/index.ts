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
  DecodedPublicKey,
  DecodedPrivateKey,
  PrivateKeyForm,
  EncodePKCS8Options,
} from './keys.js';
export { KEY_OIDS } from './keys.js';
export const pemEncode = /*#__PURE__*/ guarded('pemEncode', keys.pemEncode);
export const pemDecode = /*#__PURE__*/ guarded('pemDecode', keys.pemDecode);
export const pemDecodeAll = /*#__PURE__*/ guarded('pemDecodeAll', keys.pemDecodeAll);
export const toDer = /*#__PURE__*/ guarded('toDer', keys.toDer);
export const isPem = /*#__PURE__*/ guarded('isPem', keys.isPem);
export const isSignatureAlgorithm = /*#__PURE__*/ guarded('isSignatureAlgorithm', keys.isSignatureAlgorithm);
export const isKemAlgorithm = /*#__PURE__*/ guarded('isKemAlgorithm', keys.isKemAlgorithm);
export const keySizes = /*#__PURE__*/ guarded('keySizes', keys.keySizes);
export const algorithmFromOid = /*#__PURE__*/ guarded('algorithmFromOid', keys.algorithmFromOid);
export const algorithmIdentifier = /*#__PURE__*/ guarded('algorithmIdentifier', keys.algorithmIdentifier);
export const parseAlgorithmIdentifier = /*#__PURE__*/ guarded(
  'parseAlgorithmIdentifier',
  keys.parseAlgorithmIdentifier,
);
export const encodeSPKI = /*#__PURE__*/ guarded('encodeSPKI', keys.encodeSPKI);
export const decodeSPKI = /*#__PURE__*/ guarded('decodeSPKI', keys.decodeSPKI);
export const expandSeed = /*#__PURE__*/ guarded('expandSeed', keys.expandSeed);
export const encodePKCS8 = /*#__PURE__*/ guarded('encodePKCS8', keys.encodePKCS8);
export const decodePKCS8 = /*#__PURE__*/ guarded('decodePKCS8', keys.decodePKCS8);
export const encodePKCS8Pem = /*#__PURE__*/ guarded('encodePKCS8Pem', keys.encodePKCS8Pem);
export const encodeSPKIPem = /*#__PURE__*/ guarded('encodeSPKIPem', keys.encodeSPKIPem);
export const privateKeyDerFromPem = /*#__PURE__*/ guarded('privateKeyDerFromPem', keys.privateKeyDerFromPem);
export const generateKey = /*#__PURE__*/ guarded('generateKey', keys.generateKey);
export * from './errors.js';
export const parseName = /*#__PURE__*/ guarded('parseName', name.parseName);
export const nameToString = /*#__PURE__*/ guarded('nameToString', name.nameToString);
export const commonName = /*#__PURE__*/ guarded('commonName', name.commonName);
export { Certificate, EKU_OIDS, ML_DSA_KEY_USAGES } from './cert.js';
export { Csr } from './csr.js';
export const createCertificate = /*#__PURE__*/ guarded('createCertificate', cert.createCertificate);
export const keyIdentifier = /*#__PURE__*/ guarded('keyIdentifier', cert.keyIdentifier);
export const randomSerial = /*#__PURE__*/ guarded('randomSerial', cert.randomSerial);
export const keyUsageViolation = /*#__PURE__*/ guarded('keyUsageViolation', cert.keyUsageViolation);
export const parseSanList = /*#__PURE__*/ guarded('parseSanList', cert.parseSanList);
export const generalNames = /*#__PURE__*/ guarded('generalNames', cert.generalNames);
export const isIp = /*#__PURE__*/ guarded('isIp', cert.isIp);
export type {
  CertificateOptions,
  CertificateExtensions,
  Issuer,
  KeyUsageName,
  SigningKey,
  SubjectAltNames,
} from './cert.js';
export const createCsr = /*#__PURE__*/ guarded('createCsr', csr.createCsr);
export type { CsrOptions } from './csr.js';
export const verifyChain = /*#__PURE__*/ guarded('verifyChain', verify.verifyChain);
export const matchesHostname = /*#__PURE__*/ guarded('matchesHostname', verify.matchesHostname);
export type { Purpose, VerifyChainOptions, VerifiedChain } from './verify.js';
export const applyRole = /*#__PURE__*/ guarded('applyRole', role.applyRole);
export const checkDomain = /*#__PURE__*/ guarded('checkDomain', role.checkDomain);
export const checkKeyType = /*#__PURE__*/ guarded('checkKeyType', role.checkKeyType);
export const issueFromRole = /*#__PURE__*/ guarded('issueFromRole', role.issueFromRole);
export const signCsrWithRole = /*#__PURE__*/ guarded('signCsrWithRole', role.signCsrWithRole);
export const roleFromJson = /*#__PURE__*/ guarded('roleFromJson', role.roleFromJson);
export const parseTtl = /*#__PURE__*/ guarded('parseTtl', role.parseTtl);
export const resolveTtl = /*#__PURE__*/ guarded('resolveTtl', role.resolveTtl);
export const keyAlg = /*#__PURE__*/ guarded('keyAlg', role.keyAlg);
export type { RolePolicy, IssueRequest, IssuedCertificate } from './role.js';
export const createPkiHandler = /*#__PURE__*/ guarded('createPkiHandler', handler.createPkiHandler);
export const vaultSerial = /*#__PURE__*/ guarded('vaultSerial', handler.vaultSerial);
export type { PkiHandlerOptions, PkiStore } from './handler.js';
export const createCaHierarchy = /*#__PURE__*/ guarded('createCaHierarchy', hierarchy.createCaHierarchy);
export type { CaHierarchy, CaHierarchyOptions } from './hierarchy.js';
