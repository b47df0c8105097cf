/**
 * JWS (RFC 7515) compact and flattened serializations with the RFC 9964
 * ML-DSA algs. Signing and verification go through the engine
 * (src/engine), so a native Web Crypto engine can take over unchanged.
 *
 * Verification checks, in order: size limit (before any parsing), structure,
 * header JSON, `crit`, `b64`, `alg` (never `none`, within `algorithms`,
 * equal to the key's alg), then the signature.
 */
import { QsignError } from '../errors.js';
import { requireObject } from '../util/guard.js';
import { sign as engineSign, verify as engineVerify } from '../engine/signature.js';
import { concatBytes } from '../util/bytes.js';
import { parseJsonStrict } from '../util/json.js';
import { encode as b64u, decode as b64uDecode } from './base64url.js';
import {
  JOSEAlgNotAllowed,
  JOSENotSupported,
  JWSInvalid,
  JWSSignatureVerificationFailed,
  JWKSMultipleMatchingKeys,
} from './errors.js';
import {
  AkpKey,
  expandedSecret,
  importJWK,
  isJoseAlgorithm,
  SIGNATURE_BYTES,
  type AkpJWK,
  type JoseAlgorithm,
} from './keys.js';

/** JOSE header parameters; RFC 7515 §4.1 names plus anything else. */
export interface JWSHeaderParameters {
  alg?: string;
  kid?: string;
  typ?: string;
  cty?: string;
  crit?: string[];
  b64?: boolean;
  jwk?: Record<string, unknown>;
  [parameter: string]: unknown;
}

/** A key, or a JWK to import on the fly. */
export type KeyInput = AkpKey | AkpJWK;

/** Picks the verification key from the header, e.g. {@link createLocalJWKSet}. */
export type KeyResolver = (
  protectedHeader: JWSHeaderParameters,
  token: FlattenedJWSInput,
) => Promise<KeyInput> | KeyInput;

/** Default `maxTokenSize`: bigger than any ML-DSA-87 JWT with generous claims. */
export const DEFAULT_MAX_TOKEN_SIZE = 256 * 1024;

/** Options shared by every verify function. */
export interface VerifyOptions {
  /** Allowed `alg` values; default all three ML-DSA algs. `none` is never allowed. */
  algorithms?: string[];
  /** Extension header parameters the caller understands, e.g. `{ b64: true }` to accept RFC 7797 unencoded payloads. */
  crit?: Record<string, boolean>;
  /** Reject serialized tokens longer than this many characters before parsing (default 256 KiB). */
  maxTokenSize?: number;
}

/** Options for signing. */
export interface SignOptions {
  /** Extension parameters the signer understands (`{ b64: true }` to allow b64:false). */
  crit?: Record<string, boolean>;
  /** Deterministic ML-DSA signing (FIPS 204 §3.4); default hedged. */
  deterministic?: boolean;
}

/** Flattened JWS JSON (RFC 7515 §7.2.2). */
export interface FlattenedJWS {
  payload: string;
  protected?: string;
  header?: JWSHeaderParameters;
  signature: string;
}
export type FlattenedJWSInput = FlattenedJWS;

/**
 * What {@link flattenedVerify} returns once the signature checks out: the payload and the headers it was signed with.
 *
 * @example
 * ```ts
 * const { payload, protectedHeader, unprotectedHeader } = await flattenedVerify(jws, publicKey);
 * ```
 */
export interface FlattenedVerifyResult {
  payload: Uint8Array;
  protectedHeader?: JWSHeaderParameters;
  unprotectedHeader?: JWSHeaderParameters;
  /** The key that verified, when a resolver function picked it. */
  key?: AkpKey;
}

/**
 * What {@link compactVerify} returns once the signature checks out: the payload, the protected header,
 * and the key a resolver function picked (if one did).
 *
 * @example
 * ```ts
 * const { payload, protectedHeader } = await compactVerify(token, publicKey);
 * console.log(protectedHeader.alg); // 'ML-DSA-65'
 * ```
 */
export interface CompactVerifyResult {
  payload: Uint8Array;
  protectedHeader: JWSHeaderParameters;
  key?: AkpKey;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

/** @internal shared with ./detached.ts (RFC 7797 streaming). */
export async function toKey(k: KeyInput): Promise<AkpKey> {
  if (k instanceof AkpKey) return k;
  if (k && typeof k === 'object') return importJWK(k);
  throw new QsignError('ERR_INVALID_ARGUMENT', 'key must be an AkpKey or an AKP JWK');
}

function isObject(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

/**
 * RFC 7515 §4.1.11: every `crit` entry must be understood and present in the
 * protected header. Returns the names recognised.
 */
/** @internal shared with ./detached.ts (RFC 7797 streaming). */
export function validateCrit(
  recognizedDefault: Map<string, boolean>,
  recognizedOption: Record<string, boolean> | undefined,
  protectedHeader: JWSHeaderParameters | undefined,
  joseHeader: JWSHeaderParameters,
): Set<string> {
  if (joseHeader.crit !== undefined && protectedHeader?.crit === undefined) {
    throw new JWSInvalid('"crit" (Critical) Header Parameter MUST be integrity protected');
  }
  if (!protectedHeader || protectedHeader.crit === undefined) return new Set();
  const crit = protectedHeader.crit;
  if (!Array.isArray(crit) || crit.length === 0 || crit.some((x) => typeof x !== 'string' || x.length === 0)) {
    throw new JWSInvalid('"crit" (Critical) Header Parameter MUST be an array of non-empty strings when present');
  }
  const recognized = new Map([...recognizedDefault, ...Object.entries(recognizedOption ?? {})]);
  for (const name of crit) {
    if (!recognized.has(name)) throw new JOSENotSupported(`Extension Header Parameter "${name}" is not recognized`);
    if (joseHeader[name] === undefined) throw new JWSInvalid(`Extension Header Parameter "${name}" is missing`);
    if (recognized.get(name) && protectedHeader[name] === undefined)
      throw new JWSInvalid(`Extension Header Parameter "${name}" MUST be integrity protected`);
  }
  return new Set(crit);
}

/** @internal shared with ./detached.ts (RFC 7797 streaming). */
export function checkAlgAllowed(alg: unknown, algorithms: string[] | undefined): JoseAlgorithm {
  if (typeof alg !== 'string' || !alg)
    throw new JWSInvalid('JWS "alg" (Algorithm) Header Parameter missing or invalid');
  // "none" is refused whatever the allow-list says: an unsigned token is never acceptable here.
  if (alg === 'none') throw new JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value "none" is not allowed');
  if (algorithms !== undefined) {
    if (!Array.isArray(algorithms) || algorithms.some((a) => typeof a !== 'string'))
      throw new QsignError('ERR_INVALID_ARGUMENT', '"algorithms" option must be an array of strings');
    if (!algorithms.includes(alg))
      throw new JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value "${alg}" not allowed`);
  }
  if (!isJoseAlgorithm(alg))
    throw new JOSENotSupported(
      `"alg" ${JSON.stringify(alg)} is not supported; this library implements ML-DSA-44, ML-DSA-65 and ML-DSA-87`,
    );
  return alg;
}

/** @internal shared with ./detached.ts (RFC 7797 streaming). */
export function checkKeyAlg(key: AkpKey, alg: JoseAlgorithm): void {
  // RFC 9964: an AKP key is bound to one alg; using it under another is a key confusion.
  if (key.alg !== alg) throw new JOSEAlgNotAllowed(`key is bound to ${key.alg} but the JWS "alg" is ${alg}`);
}

/** @internal shared with ./detached.ts (RFC 7797 streaming). */
export function parseHeader(b64: string): JWSHeaderParameters {
  const bytes = b64uDecode(b64, 'ERR_JWS_INVALID', 'JWS Protected Header');
  let text: string;
  try {
    text = dec.decode(bytes);
  } catch {
    throw new JWSInvalid('JWS Protected Header is not valid UTF-8');
  }
  // Duplicate names refused (RFC 7515 §5.2): `{"alg":"none","alg":"ML-DSA-65"}` must not mean one thing here and another elsewhere.
  const parsed = parseJsonStrict(text, (why) => new JWSInvalid(`JWS Protected Header is invalid: ${why}`));
  if (!isObject(parsed)) throw new JWSInvalid('JWS Protected Header is invalid');
  return parsed as JWSHeaderParameters;
}

/** @internal shared with ./detached.ts (RFC 7797 streaming). */
export async function resolveKey(
  key: KeyInput | KeyResolver,
  header: JWSHeaderParameters,
  jws: FlattenedJWS,
): Promise<{ keys: AkpKey[]; resolved: boolean }> {
  if (typeof key !== 'function') return { keys: [await toKey(key)], resolved: false };
  try {
    return { keys: [await toKey(await key(header, jws))], resolved: true };
  } catch (e) {
    // jose semantics: several candidates (no kid) → try each one.
    if (e instanceof JWKSMultipleMatchingKeys)
      return { keys: await Promise.all((e.candidates as KeyInput[]).map(toKey)), resolved: true };
    throw e;
  }
}

/**
 * Verifies a flattened JWS.
 *
 * @example
 * ```ts
 * const { payload, protectedHeader } = await flattenedVerify(jws, publicKey)
 * ```
 */
export async function flattenedVerify(
  jws: FlattenedJWS,
  key: KeyInput | KeyResolver,
  options: VerifyOptions = {},
): Promise<FlattenedVerifyResult> {
  if (!isObject(jws)) throw new JWSInvalid('Flattened JWS must be an object');
  if (jws.protected === undefined && jws.header === undefined)
    throw new JWSInvalid('Flattened JWS must have either of the "protected" or "header" members');
  if (jws.protected !== undefined && typeof jws.protected !== 'string')
    throw new JWSInvalid('JWS Protected Header incorrect type');
  if (typeof jws.payload !== 'string') throw new JWSInvalid('JWS Payload missing or incorrect type');
  if (typeof jws.signature !== 'string') throw new JWSInvalid('JWS Signature missing or incorrect type');
  if (jws.header !== undefined && !isObject(jws.header)) throw new JWSInvalid('JWS Unprotected Header incorrect type');
  const max = options.maxTokenSize ?? DEFAULT_MAX_TOKEN_SIZE;
  if ((jws.protected?.length ?? 0) + jws.payload.length + jws.signature.length > max)
    throw new JWSInvalid(`JWS exceeds the maximum size of ${max} characters`);

  const protectedHeader = jws.protected ? parseHeader(jws.protected) : undefined;
  const joseHeader: JWSHeaderParameters = { ...protectedHeader, ...jws.header };
  if (protectedHeader && jws.header) {
    for (const k of Object.keys(jws.header)) {
      if (k in protectedHeader)
        throw new JWSInvalid('JWS Protected and JWS Unprotected Header Parameter names must be disjoint');
    }
  }
  const crit = validateCrit(new Map([['b64', true]]), options.crit, protectedHeader, joseHeader);
  let b64 = true;
  if (crit.has('b64')) {
    b64 = (protectedHeader as JWSHeaderParameters).b64 as boolean;
    if (typeof b64 !== 'boolean')
      throw new JWSInvalid('The "b64" (base64url-encode payload) Header Parameter must be a boolean');
  } else if (joseHeader.b64 !== undefined && joseHeader.b64 !== true) {
    // RFC 7797 §6: b64 without crit must be ignored only when true; false without crit is malformed.
    throw new JWSInvalid('"b64": false requires "crit": ["b64"]');
  }
  // b64 is "recognised" by default so we can parse it, but unencoded payloads are
  // only accepted when the caller opts in: most consumers mishandle them.
  if (!b64 && !options.crit?.b64)
    throw new JOSENotSupported('unencoded payloads (b64: false) are not accepted unless options.crit = { b64: true }');

  const alg = checkAlgAllowed(joseHeader.alg, options.algorithms);
  const signature = b64uDecode(jws.signature, 'ERR_JWS_INVALID', 'JWS Signature');
  const protectedPart = enc.encode(jws.protected ?? '');
  // Either way the signing input holds the payload exactly as serialized.
  const data = concatBytes(protectedPart, enc.encode('.'), enc.encode(jws.payload));

  const { keys, resolved } = await resolveKey(key, { ...protectedHeader, ...jws.header }, jws);
  let verified: AkpKey | undefined;
  for (const k of keys) {
    checkKeyAlg(k, alg);
    // A wrong-length signature cannot verify; skip the engine call (and its length error).
    if (signature.length === SIGNATURE_BYTES[alg] && (await engineVerify(alg, k._pub(), data, signature))) {
      verified = k;
      break;
    }
  }
  if (!verified) throw new JWSSignatureVerificationFailed();

  const payload = b64 ? b64uDecode(jws.payload, 'ERR_JWS_INVALID', 'JWS Payload') : enc.encode(jws.payload);
  const result: FlattenedVerifyResult = { payload };
  if (protectedHeader) result.protectedHeader = protectedHeader;
  if (jws.header) result.unprotectedHeader = jws.header;
  if (resolved) result.key = verified;
  return result;
}

/**
 * Verifies a compact JWS (`header.payload.signature`).
 *
 * @example
 * ```ts
 * const { payload } = await compactVerify(token, publicKey, { algorithms: ['ML-DSA-65'] })
 * ```
 */
export async function compactVerify(
  jws: string | Uint8Array,
  key: KeyInput | KeyResolver,
  options: VerifyOptions = {},
): Promise<CompactVerifyResult> {
  if (jws instanceof Uint8Array) {
    // Size first (one UTF-8 byte per token character), then decode: invalid UTF-8 is a malformed JWS, not a TypeError.
    if (jws.length > (options.maxTokenSize ?? DEFAULT_MAX_TOKEN_SIZE))
      throw new JWSInvalid(
        `JWS exceeds the maximum size of ${options.maxTokenSize ?? DEFAULT_MAX_TOKEN_SIZE} characters`,
      );
    try {
      jws = dec.decode(jws);
    } catch {
      throw new JWSInvalid('Compact JWS bytes are not valid UTF-8');
    }
  }
  if (typeof jws !== 'string') throw new JWSInvalid('Compact JWS must be a string or Uint8Array');
  const max = options.maxTokenSize ?? DEFAULT_MAX_TOKEN_SIZE;
  if (jws.length > max) throw new JWSInvalid(`JWS exceeds the maximum size of ${max} characters`);
  const parts = jws.split('.');
  if (parts.length !== 3) throw new JWSInvalid('Invalid Compact JWS');
  const [protectedB64, payload, signature] = parts as [string, string, string];
  const r = await flattenedVerify({ payload, protected: protectedB64, signature }, key, options);
  const out: CompactVerifyResult = { payload: r.payload, protectedHeader: r.protectedHeader! };
  if (r.key) out.key = r.key;
  return out;
}

/**
 * Produces a flattened JWS.
 *
 * @example
 * ```ts
 * const jws = await new FlattenedSign(bytes).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(privateKey)
 * ```
 */
export class FlattenedSign {
  #payload: Uint8Array;
  #protected?: JWSHeaderParameters;
  #unprotected?: JWSHeaderParameters;

  constructor(payload: Uint8Array) {
    if (!(payload instanceof Uint8Array)) throw new QsignError('ERR_INVALID_ARGUMENT', 'payload must be a Uint8Array');
    this.#payload = payload;
  }

  /** Sets the integrity-protected header (must name `alg`); callable once. */
  setProtectedHeader(h: JWSHeaderParameters): this {
    if (this.#protected) throw new QsignError('ERR_INVALID_ARGUMENT', 'setProtectedHeader can only be called once');
    this.#protected = h;
    return this;
  }

  /** Sets the unprotected `header` member (not covered by the signature); callable once. */
  setUnprotectedHeader(h: JWSHeaderParameters): this {
    if (this.#unprotected) throw new QsignError('ERR_INVALID_ARGUMENT', 'setUnprotectedHeader can only be called once');
    this.#unprotected = h;
    return this;
  }

  /** Signs with a private key (`AkpKey` or seed JWK) whose algorithm matches the header's `alg`; resolves to the flattened JWS. */
  async sign(key: KeyInput, options: SignOptions = {}): Promise<FlattenedJWS> {
    requireObject('sign options', options);
    if (!this.#protected && !this.#unprotected)
      throw new JWSInvalid('either setProtectedHeader or setUnprotectedHeader must be called before sign()');
    if (this.#protected && this.#unprotected) {
      for (const k of Object.keys(this.#unprotected))
        if (k in this.#protected)
          throw new JWSInvalid('JWS Protected and JWS Unprotected Header Parameter names must be disjoint');
    }
    const joseHeader = { ...this.#protected, ...this.#unprotected };
    const crit = validateCrit(new Map([['b64', true]]), options.crit, this.#protected, joseHeader);
    let b64 = true;
    if (crit.has('b64')) {
      b64 = this.#protected!.b64 as boolean;
      if (typeof b64 !== 'boolean')
        throw new JWSInvalid('The "b64" (base64url-encode payload) Header Parameter must be a boolean');
      if (!b64 && !options.crit?.b64)
        throw new JOSENotSupported('unencoded payloads (b64: false) need options.crit = { b64: true }');
    }
    const alg = joseHeader.alg;
    if (alg === 'none') throw new JOSEAlgNotAllowed('"alg" none is not allowed');
    if (!isJoseAlgorithm(alg))
      throw new JOSENotSupported(
        `"alg" ${JSON.stringify(alg)} is not supported; use ML-DSA-44, ML-DSA-65 or ML-DSA-87`,
      );
    const k = await toKey(key);
    // A JWK imported just for this call is ours to wipe afterwards.
    const transient = k !== key;
    try {
      checkKeyAlg(k, alg);
      return await this.#signWith(k, alg, b64, options);
    } finally {
      if (transient) k.destroy();
    }
  }

  async #signWith(k: AkpKey, alg: JoseAlgorithm, b64: boolean, options: SignOptions): Promise<FlattenedJWS> {
    const sk = await expandedSecret(k);

    const protectedB64 = this.#protected ? b64u(JSON.stringify(this.#protected)) : '';
    let payloadStr: string;
    if (b64) payloadStr = b64u(this.#payload);
    else {
      // The serialized JWS is text, so an unencoded payload must be UTF-8.
      try {
        payloadStr = dec.decode(this.#payload);
      } catch {
        throw new JWSInvalid('an unencoded (b64: false) payload must be valid UTF-8');
      }
    }
    const data = concatBytes(enc.encode(protectedB64), enc.encode('.'), b64 ? enc.encode(payloadStr) : this.#payload);
    // RFC 9964: pure ML-DSA with the empty context string.
    const sig = await engineSign(alg, sk, data, options.deterministic ? { extraEntropy: false } : {});
    const out: FlattenedJWS = { payload: payloadStr, signature: b64u(sig) };
    if (this.#protected) out.protected = protectedB64;
    if (this.#unprotected) out.header = this.#unprotected;
    return out;
  }
}

/**
 * Produces a compact JWS (`header.payload.signature`).
 *
 * @example
 * ```ts
 * const jws = await new CompactSign(new TextEncoder().encode('hi'))
 *   .setProtectedHeader({ alg: 'ML-DSA-65' }).sign(privateKey)
 * ```
 */
export class CompactSign {
  #flattened: FlattenedSign;
  constructor(payload: Uint8Array) {
    this.#flattened = new FlattenedSign(payload);
  }
  /** Sets the protected header (must name `alg`); callable once. */
  setProtectedHeader(h: JWSHeaderParameters): this {
    this.#flattened.setProtectedHeader(h);
    return this;
  }
  /** Signs with a private key whose algorithm matches the header's `alg`; resolves to `header.payload.signature`. */
  async sign(key: KeyInput, options: SignOptions = {}): Promise<string> {
    requireObject('sign options', options);
    const jws = await this.#flattened.sign(key, options);
    // Compact serialization cannot carry a '.' inside an unencoded payload.
    if (jws.payload.includes('.'))
      throw new JWSInvalid('an unencoded payload containing "." cannot use the compact serialization');
    return `${jws.protected}.${jws.payload}.${jws.signature}`;
  }
}

/** Decodes the protected header of a compact or flattened JWS without verifying it. */
export function decodeProtectedHeader(token: string | { protected?: string }): JWSHeaderParameters {
  let b64: string | undefined;
  if (typeof token === 'string') {
    const first = token.split('.')[0];
    if (token.split('.').length !== 3 && token.split('.').length !== 5)
      throw new JWSInvalid('Invalid Token or Protected Header formatting');
    b64 = first;
  } else if (isObject(token)) {
    b64 = token.protected;
  }
  if (typeof b64 !== 'string' || !b64) throw new JWSInvalid('Token does not contain a Protected Header');
  return parseHeader(b64);
}
