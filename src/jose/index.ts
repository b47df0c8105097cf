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
export * from './errors.js';
export { QsignError, isQsignError } from '../errors.js';
export {
  AkpKey,
  generateKeyPair,
  importJWK,
  exportJWK,
  importRaw,
  exportRaw,
  calculateJwkThumbprint,
  calculateJwkThumbprintUri,
  importSPKI,
  importPKCS8,
  exportSPKI,
  exportPKCS8,
  registerKeyCodec,
  isJoseAlgorithm,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
} from './keys.js';
export type { AkpJWK, JSONWebKeySet, JoseAlgorithm, KeyOptions, KeyCodec } from './keys.js';
export {
  CompactSign,
  compactVerify,
  FlattenedSign,
  flattenedVerify,
  decodeProtectedHeader,
  DEFAULT_MAX_TOKEN_SIZE,
} from './jws.js';
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
export { signDetached, verifyDetached } from './detached.js';
export type { SignDetachedOptions, VerifyDetachedResult } from './detached.js';
export { SignJWT, jwtVerify, decodeJwt, validateClaims, secs } from './jwt.js';
export type { JWTPayload, JWTVerifyOptions, JWTVerifyResult } from './jwt.js';
export { createLocalJWKSet, createRemoteJWKSet, discover, jwksCache } from './jwks.js';
export type { JWKSResolver, RemoteJWKSetOptions, ExportedJWKSCache, OpenIDConfiguration } from './jwks.js';
export { SigningKeyRing, createIssuerHandler } from './issuer.js';
export type { KeyStatus, KeyRingEntry, KeyRingOptions, SerializedKeyRing, IssuerHandlerOptions } from './issuer.js';
export { encode as base64urlEncode, decode as base64urlDecode } from './base64url.js';
