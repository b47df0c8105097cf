/**
 * JOSE errors. Every class is a {@link QsignError}, so callers can catch one
 * type SDK-wide; the `code` strings are the ones panva/jose uses, so code
 * written against `jose` (`err.code === 'ERR_JWT_EXPIRED'`) keeps working.
 */
import { QsignError, type QsignErrorCode } from '../errors.js';

/** The codes this subpath raises; stable across versions. */
export const JoseErrorCodes = {
  /** The JWT `exp` is in the past (beyond the clock tolerance). */
  JWT_EXPIRED: 'ERR_JWT_EXPIRED',
  /** A JWT claim (`iss`, `aud`, `nbf`, `sub`, `typ`, …) fails the verify options. */
  JWT_CLAIM_VALIDATION_FAILED: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
  /** The JWT payload is not a JSON object of valid claims. */
  JWT_INVALID: 'ERR_JWT_INVALID',
  /** The JWS is malformed (serialization, header, encoding). */
  JWS_INVALID: 'ERR_JWS_INVALID',
  /** The signature does not verify under the key(s) given. */
  JWS_SIGNATURE_VERIFICATION_FAILED: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  /** A JWK is malformed (members, lengths, `kty`/`alg`). */
  JWK_INVALID: 'ERR_JWK_INVALID',
  /** A JWK Set is malformed. */
  JWKS_INVALID: 'ERR_JWKS_INVALID',
  /** No key in the set matches the JWS header (`kid`, `alg`). */
  JWKS_NO_MATCHING_KEY: 'ERR_JWKS_NO_MATCHING_KEY',
  /** Several keys match and none verified. */
  JWKS_MULTIPLE_MATCHING_KEYS: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  /** Fetching a remote JWK Set took longer than the timeout. */
  JWKS_TIMEOUT: 'ERR_JWKS_TIMEOUT',
  /** The `alg` is not in the allow-list, is `none`, or differs from the key's. */
  JOSE_ALG_NOT_ALLOWED: 'ERR_JOSE_ALG_NOT_ALLOWED',
  /** An `alg`, `crit` member or feature this library does not implement. */
  JOSE_NOT_SUPPORTED: 'ERR_JOSE_NOT_SUPPORTED',
  /** The key ring refuses to remove or disable the key it signs with. */
  KEY_IN_USE: 'ERR_KEY_IN_USE',
  /** A remote JWK Set could not be fetched (network, status, size). */
  JWKS_FETCH_FAILED: 'ERR_JWKS_FETCH_FAILED',
  /** OpenID discovery did not yield a usable `jwks_uri`. */
  DISCOVERY_FAILED: 'ERR_DISCOVERY_FAILED',
} as const;

declare module '../errors.js' {
  interface QsignErrorCodeTables {
    jose: typeof JoseErrorCodes;
  }
}

/** Union of the JOSE error codes, for exhaustive `switch (err.code)`. */
export type JoseErrorCode = (typeof JoseErrorCodes)[keyof typeof JoseErrorCodes];

/**
 * A JWT claim failed validation. `claim` names it (`iss`, `aud`, `nbf`, `typ`…)
 * and `reason` says how: `missing`, `invalid` (wrong type) or `check_failed`.
 *
 * @example
 * ```ts
 * catch (e) { if (isQsignError(e, 'ERR_JWT_CLAIM_VALIDATION_FAILED')) log(e.claim, e.reason) }
 * ```
 */
export class JWTClaimValidationFailed extends QsignError {
  readonly claim: string;
  readonly reason: string;
  /** The decoded (signature-verified) claims set. */
  readonly payload: Record<string, unknown>;
  constructor(
    message: string,
    payload: Record<string, unknown>,
    claim = 'unspecified',
    reason = 'unspecified',
    code: QsignErrorCode = JoseErrorCodes.JWT_CLAIM_VALIDATION_FAILED,
  ) {
    super(code, message);
    this.name = 'JWTClaimValidationFailed';
    this.claim = claim;
    this.reason = reason;
    this.payload = payload;
  }
}

/** The token's `exp` has passed (or it is older than `maxTokenAge`). Code `ERR_JWT_EXPIRED`. */
export class JWTExpired extends JWTClaimValidationFailed {
  constructor(message: string, payload: Record<string, unknown>, claim = 'exp', reason = 'check_failed') {
    super(message, payload, claim, reason, JoseErrorCodes.JWT_EXPIRED);
    this.name = 'JWTExpired';
  }
}

/** The signature does not verify under the selected key. Code `ERR_JWS_SIGNATURE_VERIFICATION_FAILED`. */
export class JWSSignatureVerificationFailed extends QsignError {
  constructor(message = 'signature verification failed') {
    super(JoseErrorCodes.JWS_SIGNATURE_VERIFICATION_FAILED, message);
    this.name = 'JWSSignatureVerificationFailed';
  }
}

/** Malformed JWS (structure, header, base64url). Code `ERR_JWS_INVALID`. */
export class JWSInvalid extends QsignError {
  constructor(message: string) {
    super(JoseErrorCodes.JWS_INVALID, message);
    this.name = 'JWSInvalid';
  }
}

/** A JWS that is not a valid JWT (payload not a JSON object, b64:false…). Code `ERR_JWT_INVALID`. */
export class JWTInvalid extends QsignError {
  constructor(message: string) {
    super(JoseErrorCodes.JWT_INVALID, message);
    this.name = 'JWTInvalid';
  }
}

/** Malformed or inconsistent JWK. Code `ERR_JWK_INVALID`. */
export class JWKInvalid extends QsignError {
  constructor(message: string) {
    super(JoseErrorCodes.JWK_INVALID, message);
    this.name = 'JWKInvalid';
  }
}

/** A JWK Set that is not `{ "keys": [ … ] }`. Code `ERR_JWKS_INVALID`. */
export class JWKSInvalid extends QsignError {
  constructor(message: string) {
    super(JoseErrorCodes.JWKS_INVALID, message);
    this.name = 'JWKSInvalid';
  }
}

/** No key in the set matches the header's `kid`/`alg`. Code `ERR_JWKS_NO_MATCHING_KEY`. */
export class JWKSNoMatchingKey extends QsignError {
  constructor(message = 'no applicable key found in the JSON Web Key Set') {
    super(JoseErrorCodes.JWKS_NO_MATCHING_KEY, message);
    this.name = 'JWKSNoMatchingKey';
  }
}

/**
 * Several keys in the set match (typically: no `kid` in the header). Like
 * jose, the error is async-iterable over the candidates, and the verify
 * functions try each of them before giving up.
 */
export class JWKSMultipleMatchingKeys<K = unknown> extends QsignError {
  readonly candidates: readonly K[];
  constructor(candidates: readonly K[], message = 'multiple matching keys found in the JSON Web Key Set') {
    super(JoseErrorCodes.JWKS_MULTIPLE_MATCHING_KEYS, message);
    this.name = 'JWKSMultipleMatchingKeys';
    this.candidates = candidates;
  }
  /**
   * Iterates the matching keys, so a caller resolving keys itself can try each in turn (`jwtVerify` and
   * the other verifiers already do this when a resolver throws this error).
   *
   * @example
   * ```ts
   * const JWKS = createLocalJWKSet(jwks);
   * let candidates: AkpKey[];
   * try {
   *   candidates = [await JWKS({ alg: 'ML-DSA-65' })]; // no kid: every ML-DSA-65 key matches
   * } catch (e) {
   *   if (!(e instanceof JWKSMultipleMatchingKeys)) throw e;
   *   candidates = [];
   *   for await (const key of e as JWKSMultipleMatchingKeys<AkpKey>) candidates.push(key);
   * }
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncIterator<K> {
    yield* this.candidates;
  }
}

/** The JWKS request did not complete within `timeoutDuration`. Code `ERR_JWKS_TIMEOUT`. */
export class JWKSTimeout extends QsignError {
  constructor(message = 'request timed out') {
    super(JoseErrorCodes.JWKS_TIMEOUT, message);
    this.name = 'JWKSTimeout';
  }
}

/** The `alg` is `none`, outside the `algorithms` allow-list, or not the key's alg. Code `ERR_JOSE_ALG_NOT_ALLOWED`. */
export class JOSEAlgNotAllowed extends QsignError {
  constructor(message: string) {
    super(JoseErrorCodes.JOSE_ALG_NOT_ALLOWED, message);
    this.name = 'JOSEAlgNotAllowed';
  }
}

/** A feature this implementation does not offer (unknown alg or `crit` extension, b64:false…). Code `ERR_JOSE_NOT_SUPPORTED`. */
export class JOSENotSupported extends QsignError {
  constructor(message: string) {
    super(JoseErrorCodes.JOSE_NOT_SUPPORTED, message);
    this.name = 'JOSENotSupported';
  }
}

/** A signing key cannot be removed while tokens it signed may still be valid. Code `ERR_KEY_IN_USE`. */
export class KeyInUse extends QsignError {
  readonly kid: string;
  /** Epoch seconds until which tokens signed by the key may still verify. */
  readonly inUseUntil: number;
  constructor(kid: string, inUseUntil: number, message: string) {
    super(JoseErrorCodes.KEY_IN_USE, message);
    this.name = 'KeyInUse';
    this.kid = kid;
    this.inUseUntil = inUseUntil;
  }
}
