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
 *
 * @packageDocumentation
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
/** @function */
export const generateKeyPair = /*#__PURE__*/ guarded('generateKeyPair', keys.generateKeyPair);
/** @function */
export const importJWK = /*#__PURE__*/ guarded('importJWK', keys.importJWK);
/** @function */
export const exportJWK = /*#__PURE__*/ guarded('exportJWK', keys.exportJWK);
/** @function */
export const importRaw = /*#__PURE__*/ guarded('importRaw', keys.importRaw);
/** @function */
export const exportRaw = /*#__PURE__*/ guarded('exportRaw', keys.exportRaw);
/** @function */
export const calculateJwkThumbprint = /*#__PURE__*/ guarded('calculateJwkThumbprint', keys.calculateJwkThumbprint);
/** @function */
export const calculateJwkThumbprintUri = /*#__PURE__*/ guarded(
  'calculateJwkThumbprintUri',
  keys.calculateJwkThumbprintUri,
);
/** @function */
export const importSPKI = /*#__PURE__*/ guarded('importSPKI', keys.importSPKI);
/** @function */
export const importPKCS8 = /*#__PURE__*/ guarded('importPKCS8', keys.importPKCS8);
/** @function */
export const exportSPKI = /*#__PURE__*/ guarded('exportSPKI', keys.exportSPKI);
/** @function */
export const exportPKCS8 = /*#__PURE__*/ guarded('exportPKCS8', keys.exportPKCS8);
/** @function */
export const registerKeyCodec = /*#__PURE__*/ guarded('registerKeyCodec', keys.registerKeyCodec);
/** @function */
export const isJoseAlgorithm = /*#__PURE__*/ guarded('isJoseAlgorithm', keys.isJoseAlgorithm);
export type { AkpJWK, JSONWebKeySet, JoseAlgorithm, KeyOptions, KeyCodec } from './keys.js';
export { CompactSign, FlattenedSign, DEFAULT_MAX_TOKEN_SIZE } from './jws.js';
/** @function */
export const compactVerify = /*#__PURE__*/ guarded('compactVerify', jws.compactVerify);
/** @function */
export const flattenedVerify = /*#__PURE__*/ guarded('flattenedVerify', jws.flattenedVerify);
/** @function */
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
/** @function */
export const jwtVerify = /*#__PURE__*/ guarded('jwtVerify', jwt.jwtVerify);
/** @function */
export const decodeJwt = /*#__PURE__*/ guarded('decodeJwt', jwt.decodeJwt);
/** @function */
export const validateClaims = /*#__PURE__*/ guarded('validateClaims', jwt.validateClaims);
/** @function */
export const secs = /*#__PURE__*/ guarded('secs', jwt.secs);
/** @function */
export const signDetached = /*#__PURE__*/ guarded('signDetached', detached.signDetached);
/** @function */
export const verifyDetached = /*#__PURE__*/ guarded('verifyDetached', detached.verifyDetached);
export type { SignDetachedOptions, VerifyDetachedResult } from './detached.js';
export type { JWTPayload, JWTVerifyOptions, JWTVerifyResult } from './jwt.js';
export { jwksCache, MAX_JWKS_BYTES } from './jwks.js';
/** @function */
export const createLocalJWKSet = /*#__PURE__*/ guarded('createLocalJWKSet', jwks.createLocalJWKSet);
/** @function */
export const createRemoteJWKSet = /*#__PURE__*/ guarded('createRemoteJWKSet', jwks.createRemoteJWKSet);
/** @function */
export const discover = /*#__PURE__*/ guarded('discover', jwks.discover);
export type { JWKSResolver, RemoteJWKSetOptions, ExportedJWKSCache, OpenIDConfiguration } from './jwks.js';
export { SigningKeyRing } from './issuer.js';
/** @function */
export const createIssuerHandler = /*#__PURE__*/ guarded('createIssuerHandler', issuer.createIssuerHandler);
export type { KeyStatus, KeyRingEntry, KeyRingOptions, SerializedKeyRing, IssuerHandlerOptions } from './issuer.js';
/** @function */
export const base64urlEncode = /*#__PURE__*/ guarded('base64urlEncode', b64.encode);
/** @function */
export const base64urlDecode = /*#__PURE__*/ guarded('base64urlDecode', b64.decode);
