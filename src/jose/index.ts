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
import { guarded, guardClass } from '../util/guard.js';
import * as keys from './keys.js';
import * as jws from './jws.js';
import * as jwt from './jwt.js';
import * as jwks from './jwks.js';
import * as issuer from './issuer.js';
import * as b64 from './base64url.js';

// Every function below is wrapped by `guarded` (src/util/guard.ts): a bad
// argument nobody validated by name still fails as a coded QsignError.
export * from './errors.js';
export { QsignError, isQsignError } from '../errors.js';
export { AkpKey, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './keys.js';
export const generateKeyPair = guarded('generateKeyPair', keys.generateKeyPair);
export const importJWK = guarded('importJWK', keys.importJWK);
export const exportJWK = guarded('exportJWK', keys.exportJWK);
export const importRaw = guarded('importRaw', keys.importRaw);
export const exportRaw = guarded('exportRaw', keys.exportRaw);
export const calculateJwkThumbprint = guarded('calculateJwkThumbprint', keys.calculateJwkThumbprint);
export const calculateJwkThumbprintUri = guarded('calculateJwkThumbprintUri', keys.calculateJwkThumbprintUri);
export const importSPKI = guarded('importSPKI', keys.importSPKI);
export const importPKCS8 = guarded('importPKCS8', keys.importPKCS8);
export const exportSPKI = guarded('exportSPKI', keys.exportSPKI);
export const exportPKCS8 = guarded('exportPKCS8', keys.exportPKCS8);
export const registerKeyCodec = guarded('registerKeyCodec', keys.registerKeyCodec);
export const isJoseAlgorithm = guarded('isJoseAlgorithm', keys.isJoseAlgorithm);
export type { AkpJWK, JSONWebKeySet, JoseAlgorithm, KeyOptions, KeyCodec } from './keys.js';
guardClass('CompactSign', jws.CompactSign, [], ['setProtectedHeader', 'sign']);
guardClass('FlattenedSign', jws.FlattenedSign, [], ['setProtectedHeader', 'setUnprotectedHeader', 'sign']);
export { CompactSign, FlattenedSign, DEFAULT_MAX_TOKEN_SIZE } from './jws.js';
export const compactVerify = guarded('compactVerify', jws.compactVerify);
export const flattenedVerify = guarded('flattenedVerify', jws.flattenedVerify);
export const decodeProtectedHeader = guarded('decodeProtectedHeader', jws.decodeProtectedHeader);
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
guardClass(
  'SignJWT',
  jwt.SignJWT,
  [],
  [
    'setProtectedHeader',
    'setIssuer',
    'setSubject',
    'setAudience',
    'setJti',
    'setIssuedAt',
    'setNotBefore',
    'setExpirationTime',
    'sign',
  ],
);
export { SignJWT } from './jwt.js';
export const jwtVerify = guarded('jwtVerify', jwt.jwtVerify);
export const decodeJwt = guarded('decodeJwt', jwt.decodeJwt);
export const validateClaims = guarded('validateClaims', jwt.validateClaims);
export const secs = guarded('secs', jwt.secs);
export type { JWTPayload, JWTVerifyOptions, JWTVerifyResult } from './jwt.js';
export { jwksCache, MAX_JWKS_BYTES } from './jwks.js';
export const createLocalJWKSet = guarded('createLocalJWKSet', jwks.createLocalJWKSet);
export const createRemoteJWKSet = guarded('createRemoteJWKSet', jwks.createRemoteJWKSet);
export const discover = guarded('discover', jwks.discover);
export type { JWKSResolver, RemoteJWKSetOptions, ExportedJWKSCache, OpenIDConfiguration } from './jwks.js';
guardClass(
  'SigningKeyRing',
  issuer.SigningKeyRing,
  ['create', 'restore'],
  ['get', 'rotate', 'setStatus', 'remove', 'sign', 'jwks', 'serialize'],
);
export { SigningKeyRing } from './issuer.js';
export const createIssuerHandler = guarded('createIssuerHandler', issuer.createIssuerHandler);
export type { KeyStatus, KeyRingEntry, KeyRingOptions, SerializedKeyRing, IssuerHandlerOptions } from './issuer.js';
export const base64urlEncode = guarded('base64urlEncode', b64.encode);
export const base64urlDecode = guarded('base64urlDecode', b64.decode);
