/**
 * JWT (RFC 7519) on top of compact JWS, mirroring jose v6's `SignJWT` and
 * `jwtVerify`, including its claim checks and error codes.
 */
import { QsignError } from '../errors.js';
import { requireObject } from '../util/guard.js';
import { parseJsonStrict } from '../util/json.js';
import { decode as b64uDecode } from './base64url.js';
import { JWTClaimValidationFailed, JWTExpired, JWTInvalid } from './errors.js';
import {
  CompactSign,
  compactVerify,
  type JWSHeaderParameters,
  type KeyInput,
  type KeyResolver,
  type SignOptions,
  type VerifyOptions,
} from './jws.js';
import type { AkpKey } from './keys.js';

/** Registered claims plus anything else. */
export interface JWTPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  jti?: string;
  nbf?: number;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

const MINUTE = 60,
  HOUR = 3600,
  DAY = 86400,
  WEEK = 604800,
  YEAR = 31557600;
const SPAN =
  /^(\+|-)? ?(\d+|\d+\.\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)(?: (ago|from now))?$/i;

/**
 * Parses a jose time span ('30s', '2 hours', '1d', '-5m', '3 days ago') into
 * signed seconds.
 */
export function secs(span: string): number {
  const m = SPAN.exec(span);
  if (!m || (m[4] && m[1]))
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `invalid time period format ${JSON.stringify(span)}; use e.g. "30s", "15m", "2h", "7d"`,
    );
  const value = parseFloat(m[2]!);
  const unit = m[3]!.toLowerCase();
  let s: number;
  if (/^s/.test(unit)) s = Math.round(value);
  else if (/^m/.test(unit)) s = Math.round(value * MINUTE);
  else if (/^h/.test(unit)) s = Math.round(value * HOUR);
  else if (/^d/.test(unit)) s = Math.round(value * DAY);
  else if (/^w/.test(unit)) s = Math.round(value * WEEK);
  else s = Math.round(value * YEAR);
  return m[1] === '-' || m[4] === 'ago' ? -s : s;
}

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

function timestamp(label: string, input: number | string | Date, now: number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new QsignError('ERR_INVALID_ARGUMENT', `${label} must be a finite number`);
    return input;
  }
  if (input instanceof Date) return epoch(input);
  if (typeof input === 'string') return now + secs(input);
  throw new QsignError('ERR_INVALID_ARGUMENT', `${label} must be a number, Date or time span string`);
}

// Registered string claims: a number or object here is a caller bug that
// verifiers would reject later with a less helpful error.
function str(label: string, v: unknown): string {
  if (typeof v !== 'string') throw new QsignError('ERR_INVALID_ARGUMENT', `${label} needs a string`);
  return v;
}

/**
 * Builds and signs a JWT.
 *
 * @example
 * ```ts
 * const jwt = await new SignJWT({ roles: ['admin'] })
 *   .setProtectedHeader({ alg: 'ML-DSA-65', kid: privateKey.kid, typ: 'JWT' })
 *   .setIssuer('https://id.example').setAudience('api').setSubject('user-1')
 *   .setIssuedAt().setExpirationTime('2h')
 *   .sign(privateKey)
 * ```
 */
export class SignJWT {
  #payload: JWTPayload;
  #header?: JWSHeaderParameters;
  #now: () => number;

  /** `options.currentDate` fixes "now" for relative times (tests, replays). */
  constructor(payload: JWTPayload = {}, options: { currentDate?: Date } = {}) {
    if (!payload || typeof payload !== 'object' || Array.isArray(payload))
      throw new QsignError('ERR_INVALID_ARGUMENT', 'JWT Claims Set MUST be an object');
    if (options === null || typeof options !== 'object')
      throw new QsignError('ERR_INVALID_ARGUMENT', 'SignJWT options must be an object');
    this.#payload = { ...payload };
    const fixed = options.currentDate;
    this.#now = () => epoch(fixed ?? new Date());
  }
  /** Sets the protected header; it must name `alg` (the key's algorithm), and may carry `kid` and `typ`. */
  setProtectedHeader(h: JWSHeaderParameters): this {
    this.#header = h;
    return this;
  }
  /** Sets the `iss` (issuer) claim. */
  setIssuer(iss: string): this {
    this.#payload.iss = str('setIssuer', iss);
    return this;
  }
  /** Sets the `sub` (subject) claim. */
  setSubject(sub: string): this {
    this.#payload.sub = str('setSubject', sub);
    return this;
  }
  /** Sets the `aud` (audience) claim: one audience or several. */
  setAudience(aud: string | string[]): this {
    this.#payload.aud = Array.isArray(aud) ? aud.map((a) => str('setAudience', a)) : str('setAudience', aud);
    return this;
  }
  /** Sets the `jti` (JWT ID) claim, e.g. for replay detection. */
  setJti(jti: string): this {
    this.#payload.jti = str('setJti', jti);
    return this;
  }
  /** No argument: now. A time span is relative to now. */
  setIssuedAt(input?: number | string | Date): this {
    this.#payload.iat = input === undefined ? this.#now() : timestamp('setIssuedAt', input, this.#now());
    return this;
  }
  /** Sets the `nbf` (not before) claim: a number is epoch seconds, a string ('5m') is relative to now. */
  setNotBefore(input: number | string | Date): this {
    this.#payload.nbf = timestamp('setNotBefore', input, this.#now());
    return this;
  }
  /** A number is an absolute epoch-seconds value; a string ('2h') is relative to now. */
  setExpirationTime(input: number | string | Date): this {
    this.#payload.exp = timestamp('setExpirationTime', input, this.#now());
    return this;
  }

  /** Signs the claims with a private key whose algorithm is the header's `alg`; resolves to the compact JWT. */
  async sign(key: KeyInput, options: SignOptions = {}): Promise<string> {
    requireObject('sign options', options);
    if (!this.#header) throw new JWTInvalid('setProtectedHeader must be called before sign()');
    // RFC 7797 unencoded payloads are not JWTs.
    if (Array.isArray(this.#header.crit) && this.#header.crit.includes('b64') && this.#header.b64 === false)
      throw new JWTInvalid('JWTs MUST NOT use unencoded payload');
    return new CompactSign(new TextEncoder().encode(JSON.stringify(this.#payload)))
      .setProtectedHeader(this.#header)
      .sign(key, options);
  }
}

/** Options for {@link jwtVerify}; see jose's `JWTClaimVerificationOptions`. */
export interface JWTVerifyOptions extends VerifyOptions {
  /** Expected `aud`; one must match. */
  audience?: string | string[];
  /** Expected `iss`; one must match. */
  issuer?: string | string[];
  subject?: string;
  /** Seconds (or a time span) of leeway for `exp`/`nbf`/`iat`. */
  clockTolerance?: number | string;
  /** Maximum age since `iat` (seconds or a time span); makes `iat` required. */
  maxTokenAge?: number | string;
  /** Claims that must be present. */
  requiredClaims?: string[];
  /** "Now" for the time checks. */
  currentDate?: Date;
  /** Expected `typ` header ('JWT', 'at+jwt'…), compared without "application/" and case. */
  typ?: string;
}

/**
 * What {@link jwtVerify} returns once signature and claims check out.
 *
 * @example
 * ```ts
 * const { payload, protectedHeader } = await jwtVerify(jwt, publicKey, { issuer: 'https://id.example', audience: 'api' });
 * console.log(payload.sub, protectedHeader.kid);
 * ```
 */
export interface JWTVerifyResult {
  payload: JWTPayload;
  protectedHeader: JWSHeaderParameters;
  /** The key that verified, when a resolver (e.g. a JWKS) chose it. */
  key?: AkpKey;
}

const normalizeTyp = (v: string) => v.toLowerCase().replace(/^application\//, '');

function decodePayload(bytes: Uint8Array): JWTPayload {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new JWTInvalid('JWT Claims Set must be a top-level JSON object (payload is not valid UTF-8)');
  }
  // Duplicate claim names refused: `{"sub":"alice","sub":"admin"}` must not be read two ways.
  const payload = parseJsonStrict(text, (why) => new JWTInvalid(`JWT Claims Set is invalid: ${why}`));
  if (!payload || typeof payload !== 'object' || Array.isArray(payload))
    throw new JWTInvalid('JWT Claims Set must be a top-level JSON object');
  return payload as JWTPayload;
}

/** jose's claim validation; exported for callers who verify the JWS themselves. */
export function validateClaims(
  protectedHeader: JWSHeaderParameters,
  payload: JWTPayload,
  options: JWTVerifyOptions = {},
): JWTPayload {
  const { typ, issuer, subject, audience, maxTokenAge } = options;
  if (typ && (typeof protectedHeader.typ !== 'string' || normalizeTyp(protectedHeader.typ) !== normalizeTyp(typ))) {
    throw new JWTClaimValidationFailed('unexpected "typ" JWT header value', payload, 'typ', 'check_failed');
  }
  const required = new Set(options.requiredClaims ?? []);
  if (maxTokenAge !== undefined) required.add('iat');
  if (audience !== undefined) required.add('aud');
  if (subject !== undefined) required.add('sub');
  if (issuer !== undefined) required.add('iss');
  for (const claim of required) {
    if (!(claim in payload))
      throw new JWTClaimValidationFailed(`missing required "${claim}" claim`, payload, claim, 'missing');
  }
  if (issuer !== undefined && !(Array.isArray(issuer) ? issuer : [issuer]).includes(payload.iss as string)) {
    throw new JWTClaimValidationFailed('unexpected "iss" claim value', payload, 'iss', 'check_failed');
  }
  if (subject !== undefined && payload.sub !== subject)
    throw new JWTClaimValidationFailed('unexpected "sub" claim value', payload, 'sub', 'check_failed');
  if (audience !== undefined) {
    const want = Array.isArray(audience) ? audience : [audience];
    const have = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
    if (!want.some((a) => have.includes(a)))
      throw new JWTClaimValidationFailed('unexpected "aud" claim value', payload, 'aud', 'check_failed');
  }
  let tolerance: number;
  switch (typeof options.clockTolerance) {
    case 'string':
      tolerance = secs(options.clockTolerance);
      break;
    case 'number':
      tolerance = options.clockTolerance;
      break;
    case 'undefined':
      tolerance = 0;
      break;
    default:
      throw new QsignError('ERR_INVALID_ARGUMENT', 'invalid clockTolerance option type');
  }
  const now = epoch(options.currentDate ?? new Date());
  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'number') {
      throw new JWTClaimValidationFailed(`"${claim}" claim must be a number`, payload, claim, 'invalid');
    }
  }
  if (payload.nbf !== undefined && payload.nbf > now + tolerance) {
    throw new JWTClaimValidationFailed('"nbf" claim timestamp check failed', payload, 'nbf', 'check_failed');
  }
  if (payload.exp !== undefined && payload.exp <= now - tolerance) {
    throw new JWTExpired('"exp" claim timestamp check failed', payload, 'exp', 'check_failed');
  }
  if (maxTokenAge !== undefined) {
    const age = now - (payload.iat as number);
    const max = typeof maxTokenAge === 'number' ? maxTokenAge : secs(maxTokenAge);
    if (age - tolerance > max)
      throw new JWTExpired('"iat" claim timestamp check failed (too far in the past)', payload, 'iat', 'check_failed');
    if (age < 0 - tolerance)
      throw new JWTClaimValidationFailed(
        '"iat" claim timestamp check failed (it should be in the past)',
        payload,
        'iat',
        'check_failed',
      );
  }
  return payload;
}

/**
 * Verifies a compact JWT's signature and claims.
 *
 * @example
 * ```ts
 * const JWKS = createRemoteJWKSet(new URL('https://id.example/certs'))
 * const { payload } = await jwtVerify(token, JWKS, { issuer: 'https://id.example', audience: 'api' })
 * ```
 */
export async function jwtVerify(
  jwt: string | Uint8Array,
  key: KeyInput | KeyResolver,
  options: JWTVerifyOptions = {},
): Promise<JWTVerifyResult> {
  const verified = await compactVerify(jwt, key, options);
  if (verified.protectedHeader.crit?.includes('b64') && verified.protectedHeader.b64 === false)
    throw new JWTInvalid('JWTs MUST NOT use unencoded payload');
  const payload = validateClaims(verified.protectedHeader, decodePayload(verified.payload), options);
  const result: JWTVerifyResult = { payload, protectedHeader: verified.protectedHeader };
  if (verified.key) result.key = verified.key;
  return result;
}

/** Decodes a compact JWT's claims WITHOUT verifying anything. Never trust the result. */
export function decodeJwt(jwt: string): JWTPayload {
  if (typeof jwt !== 'string') throw new JWTInvalid('JWTs must use Compact JWS serialization, JWT must be a string');
  const parts = jwt.split('.');
  if (parts.length === 5) throw new JWTInvalid('Only JWTs using Compact JWS serialization can be decoded');
  if (parts.length !== 3) throw new JWTInvalid('Invalid JWT');
  if (!parts[1]) throw new JWTInvalid('JWTs must contain a payload');
  let bytes: Uint8Array;
  try {
    bytes = b64uDecode(parts[1], 'ERR_JWT_INVALID', 'JWT payload');
  } catch {
    throw new JWTInvalid('Failed to base64url decode the payload');
  }
  return decodePayload(bytes);
}
