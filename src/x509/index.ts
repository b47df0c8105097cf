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
import { guarded, guardClass } from '../util/guard.js';
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
export const pemEncode = guarded('pemEncode', keys.pemEncode);
export const pemDecode = guarded('pemDecode', keys.pemDecode);
export const pemDecodeAll = guarded('pemDecodeAll', keys.pemDecodeAll);
export const toDer = guarded('toDer', keys.toDer);
export const isPem = guarded('isPem', keys.isPem);
export const isSignatureAlgorithm = guarded('isSignatureAlgorithm', keys.isSignatureAlgorithm);
export const isKemAlgorithm = guarded('isKemAlgorithm', keys.isKemAlgorithm);
export const keySizes = guarded('keySizes', keys.keySizes);
export const algorithmFromOid = guarded('algorithmFromOid', keys.algorithmFromOid);
export const algorithmIdentifier = guarded('algorithmIdentifier', keys.algorithmIdentifier);
export const parseAlgorithmIdentifier = guarded('parseAlgorithmIdentifier', keys.parseAlgorithmIdentifier);
export const encodeSPKI = guarded('encodeSPKI', keys.encodeSPKI);
export const decodeSPKI = guarded('decodeSPKI', keys.decodeSPKI);
export const expandSeed = guarded('expandSeed', keys.expandSeed);
export const encodePKCS8 = guarded('encodePKCS8', keys.encodePKCS8);
export const decodePKCS8 = guarded('decodePKCS8', keys.decodePKCS8);
export const encodePKCS8Pem = guarded('encodePKCS8Pem', keys.encodePKCS8Pem);
export const encodeSPKIPem = guarded('encodeSPKIPem', keys.encodeSPKIPem);
export const privateKeyDerFromPem = guarded('privateKeyDerFromPem', keys.privateKeyDerFromPem);
export const generateKey = guarded('generateKey', keys.generateKey);
export * from './errors.js';
export const parseName = guarded('parseName', name.parseName);
export const nameToString = guarded('nameToString', name.nameToString);
export const commonName = guarded('commonName', name.commonName);
guardClass('Certificate', cert.Certificate, ['parse', 'fromDer'], ['verifySignature', 'describe']);
guardClass('Csr', csr.Csr, ['parse', 'fromDer'], ['verify', 'assertValid']);
export { Certificate, EKU_OIDS, ML_DSA_KEY_USAGES } from './cert.js';
export { Csr } from './csr.js';
export const createCertificate = guarded('createCertificate', cert.createCertificate);
export const keyIdentifier = guarded('keyIdentifier', cert.keyIdentifier);
export const randomSerial = guarded('randomSerial', cert.randomSerial);
export const keyUsageViolation = guarded('keyUsageViolation', cert.keyUsageViolation);
export const parseSanList = guarded('parseSanList', cert.parseSanList);
export const generalNames = guarded('generalNames', cert.generalNames);
export const isIp = guarded('isIp', cert.isIp);
export type {
  CertificateOptions,
  CertificateExtensions,
  Issuer,
  KeyUsageName,
  SigningKey,
  SubjectAltNames,
} from './cert.js';
export const createCsr = guarded('createCsr', csr.createCsr);
export type { CsrOptions } from './csr.js';
export const verifyChain = guarded('verifyChain', verify.verifyChain);
export const matchesHostname = guarded('matchesHostname', verify.matchesHostname);
export type { Purpose, VerifyChainOptions, VerifiedChain } from './verify.js';
export const applyRole = guarded('applyRole', role.applyRole);
export const checkDomain = guarded('checkDomain', role.checkDomain);
export const checkKeyType = guarded('checkKeyType', role.checkKeyType);
export const issueFromRole = guarded('issueFromRole', role.issueFromRole);
export const signCsrWithRole = guarded('signCsrWithRole', role.signCsrWithRole);
export const roleFromJson = guarded('roleFromJson', role.roleFromJson);
export const parseTtl = guarded('parseTtl', role.parseTtl);
export const resolveTtl = guarded('resolveTtl', role.resolveTtl);
export const keyAlg = guarded('keyAlg', role.keyAlg);
export type { RolePolicy, IssueRequest, IssuedCertificate } from './role.js';
export const createPkiHandler = guarded('createPkiHandler', handler.createPkiHandler);
export const vaultSerial = guarded('vaultSerial', handler.vaultSerial);
export type { PkiHandlerOptions, PkiStore } from './handler.js';
export const createCaHierarchy = guarded('createCaHierarchy', hierarchy.createCaHierarchy);
export type { CaHierarchy, CaHierarchyOptions } from './hierarchy.js';
