/**
 * `qsign-pqc/jose`: ML-DSA JWS, JWT, JWK and JWKS (RFC 9964) with the names
 * and semantics of panva/jose v6, running on the SDK's WebAssembly engine in
 * every runtime — including those whose Web Crypto lacks ML-DSA.
 *
 * @example
 * ```ts
 * import { generateKeyPair, SignJWT, jwtVerify } from 'qsign-pqc/jose'
 * const { publicKey, privateKey } = await generateKeyPair('ML-DSA-65')
 * const jwt = await new SignJWT({ sub: 'u1' }).setProtectedHeader({ alg: 'ML-DSA-65' })
 *   .setExpirationTime('2h').sign(privateKey)
 * const { payload } = await jwtVerify(jwt, publicKey)
 * ```
 */
import { guarded } from '../util/guard.js';
import * as keys from './keys.js';
import * as jws from './jws.js';
import * as jwt from './jwt.js';
import * as jwks from './jwks.js';
import * as issuer from './issuer.js';
import * as b64 from './base64url.js';
import * as detached from './detached.js';

// Every function below is wrapped by `guarded` (src/util/guard.ts): a bad
// argument nobody validated by name still fails as a coded QsignError.
export * from './errors.js';
export { QsignError, isQsignError } from '../errors.js';
export { AkpKey, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './keys.js';
export const generateKeyPair = /*#__PURE__*/ guarded('generateKeyPair', keys.generateKeyPair);
export const importJWK = /*#__PURE__*/ guarded('importJWK', keys.importJWK);
export const exportJWK = /*#__PURE__*/ guarded('exportJWK', keys.exportJWK);
export const importRaw = /*#__PURE__*/ guarded('importRaw', keys.importRaw);
export const exportRaw = /*#__PURE__*/ guarded('exportRaw', keys.exportRaw);
export const calculateJwkThumbprint = /*#__PURE__*/ guarded('calculateJwkThumbprint', keys.calculateJwkThumbprint);
export const calculateJwkThumbprintUri = /*#__PURE__*/ guarded(
  'calculateJwkThumbprintUri',
  keys.calculateJwkThumbprintUri,
);
export const importSPKI = /*#__PURE__*/ guarded('importSPKI', keys.importSPKI);
export const importPKCS8 = /*#__PURE__*/ guarded('importPKCS8', keys.importPKCS8);
export const exportSPKI = /*#__PURE__*/ guarded('exportSPKI', keys.exportSPKI);
export const exportPKCS8 = /*#__PURE__*/ guarded('exportPKCS8', keys.exportPKCS8);
export const registerKeyCodec = /*#__PURE__*/ guarded('registerKeyCodec', keys.registerKeyCodec);
export const isJoseAlgorithm = /*#__PURE__*/ guarded('isJoseAlgorithm', keys.isJoseAlgorithm);
export type { AkpJWK, JSONWebKeySet, JoseAlgorithm, KeyOptions, KeyCodec } from './keys.js';
export { CompactSign, FlattenedSign, DEFAULT_MAX_TOKEN_SIZE } from './jws.js';
export const compactVerify = /*#__PURE__*/ guarded('compactVerify', jws.compactVerify);
export const flattenedVerify = /*#__PURE__*/ guarded('flattenedVerify', jws.flattenedVerify);
export const decodeProtectedHeader = /*#__PURE__*/ guarded('decodeProtectedHeader', jws.decodeProtectedHeader);
export type {
  JWSHeaderParameters,
  KeyInput,
  KeyResolver,
  VerifyOptions,
  SignOptions,
  FlattenedJWS,
  FlattenedVerifyResult,
  CompactVerifyResult,
} from './jws.js';
export { SignJWT } from './jwt.js';
export const jwtVerify = /*#__PURE__*/ guarded('jwtVerify', jwt.jwtVerify);
export const decodeJwt = /*#__PURE__*/ guarded('decodeJwt', jwt.decodeJwt);
export const validateClaims = /*#__PURE__*/ guarded('validateClaims', jwt.validateClaims);
export const secs = /*#__PURE__*/ guarded('secs', jwt.secs);
export const signDetached = /*#__PURE__*/ guarded('signDetached', detached.signDetached);
export const verifyDetached = /*#__PURE__*/ guarded('verifyDetached', detached.verifyDetached);
export type { SignDetachedOptions, VerifyDetachedResult } from './detached.js';
export type { JWTPayload, JWTVerifyOptions, JWTVerifyResult } from './jwt.js';
export { jwksCache, MAX_JWKS_BYTES } from './jwks.js';
export const createLocalJWKSet = /*#__PURE__*/ guarded('createLocalJWKSet', jwks.createLocalJWKSet);
export const createRemoteJWKSet = /*#__PURE__*/ guarded('createRemoteJWKSet', jwks.createRemoteJWKSet);
export const discover = /*#__PURE__*/ guarded('discover', jwks.discover);
export type { JWKSResolver, RemoteJWKSetOptions, ExportedJWKSCache, OpenIDConfiguration } from './jwks.js';
export { SigningKeyRing } from './issuer.js';
export const createIssuerHandler = /*#__PURE__*/ guarded('createIssuerHandler', issuer.createIssuerHandler);
export type { KeyStatus, KeyRingEntry, KeyRingOptions, SerializedKeyRing, IssuerHandlerOptions } from './issuer.js';
export const base64urlEncode = /*#__PURE__*/ guarded('base64urlEncode', b64.encode);
export const base64urlDecode = /*#__PURE__*/ guarded('base64urlDecode', b64.decode);
