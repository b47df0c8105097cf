/**
 * JSON Web Key Sets: a local set and a remote, cached one with jose v6's
 * semantics (select by kid+alg, one refetch on an unknown kid outside the
 * cooldown, abort on timeout, concurrent reloads share one request), plus
 * OpenID Connect discovery. Only Web APIs: global fetch, AbortController,
 * setTimeout — so it runs in Workers, Deno, Bun and browsers.
 */
import { QsignError } from '../errors.js';
import { parseJsonStrict } from '../util/json.js';
import { guarded, isUrl } from '../util/guard.js';
import { JWKSInvalid, JWKSMultipleMatchingKeys, JWKSNoMatchingKey, JWKSTimeout } from './errors.js';
import type { FlattenedJWSInput, JWSHeaderParameters } from './jws.js';
import { AkpKey, importJWK, type JSONWebKeySet } from './keys.js';

/** The resolver function handed to `jwtVerify`/`compactVerify`. */
export type JWKSResolver = (protectedHeader?: JWSHeaderParameters, token?: FlattenedJWSInput) => Promise<AkpKey>;

function isJWKSLike(x: unknown): x is JSONWebKeySet {
  return (
    !!x &&
    typeof x === 'object' &&
    Array.isArray((x as JSONWebKeySet).keys) &&
    (x as JSONWebKeySet).keys.every((k) => !!k && typeof k === 'object' && !Array.isArray(k))
  );
}

class LocalJWKSet {
  readonly #jwks: JSONWebKeySet;
  readonly #cache = new WeakMap<object, Promise<AkpKey>>();

  constructor(jwks: unknown) {
    if (!isJWKSLike(jwks)) throw new JWKSInvalid('JSON Web Key Set malformed');
    // Copy so later mutation of the caller's object cannot change what we trust.
    // A set holding functions or symbols is not JSON; structuredClone's DataCloneError becomes a typed error.
    try {
      this.#jwks = structuredClone(jwks);
    } catch {
      throw new JWKSInvalid('JSON Web Key Set malformed (not JSON data)');
    }
  }

  jwks(): JSONWebKeySet {
    return structuredClone(this.#jwks);
  }

  async getKey(protectedHeader: JWSHeaderParameters = {}): Promise<AkpKey> {
    const { alg, kid } = protectedHeader;
    const candidates = this.#jwks.keys.filter((jwk) => {
      // Only AKP keys bound to the header's alg can verify an ML-DSA JWS;
      // other key types in a mixed JWKS are skipped, not errors.
      let ok = jwk.kty === 'AKP' && jwk.alg === alg;
      if (ok && typeof kid === 'string') ok = jwk.kid === kid;
      if (ok && typeof jwk.use === 'string') ok = jwk.use === 'sig';
      if (ok && Array.isArray(jwk.key_ops)) ok = jwk.key_ops.includes('verify');
      return ok;
    });
    if (candidates.length === 0) throw new JWKSNoMatchingKey();
    if (candidates.length > 1) {
      const keys = await Promise.all(candidates.map((jwk) => this.#import(jwk)));
      throw new JWKSMultipleMatchingKeys<AkpKey>(keys);
    }
    return this.#import(candidates[0]!);
  }

  #import(jwk: Record<string, unknown>): Promise<AkpKey> {
    let p = this.#cache.get(jwk);
    if (!p) {
      // A private JWK published by mistake must not turn into a signing key here.
      const { priv: _drop, ...pub } = jwk;
      p = importJWK(pub);
      this.#cache.set(jwk, p);
      p.catch(() => this.#cache.delete(jwk));
    }
    return p;
  }
}

/**
 * A key resolver over a fixed JWK Set.
 *
 * @example
 * ```ts
 * const JWKS = createLocalJWKSet({ keys: [publicJwk] })
 * const { payload } = await jwtVerify(token, JWKS)
 * ```
 */
export function createLocalJWKSet(jwks: JSONWebKeySet): JWKSResolver & {
  /** A copy of the set. */
  jwks(): JSONWebKeySet;
} {
  const set = new LocalJWKSet(jwks);
  const fn = guarded('JWKS resolver', async (protectedHeader?: JWSHeaderParameters) => set.getKey(protectedHeader));
  return Object.assign(fn, { jwks: () => set.jwks() });
}

/**
 * Largest JWK Set or discovery document read: 1 MiB (a set of 100 ML-DSA-87
 * keys is ~360 KiB). Bigger responses are refused while reading, not after.
 */
export const MAX_JWKS_BYTES = 1024 * 1024;

/** The body of `res` as UTF-8 text, refusing more than `limit` bytes or invalid UTF-8. */
async function readLimited(res: Response, limit: number, fail: (why: string) => Error): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        await reader.cancel();
        throw fail(`response body exceeds the ${limit}-byte limit`);
      }
      chunks.push(value);
    }
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all);
  } catch {
    throw fail('response body is not valid UTF-8');
  }
}

/** Cache entry shape for {@link jwksCache}: the set and when it was fetched (ms). */
export interface ExportedJWKSCache {
  jwks: JSONWebKeySet;
  uat: number;
}

/**
 * Option key to seed a remote set from (and write it back to) a cache object,
 * e.g. one kept in a Worker's global scope or KV: `{ [jwksCache]: cache }`.
 */
export const jwksCache: unique symbol = Symbol('qsign.jose.jwksCache');

/**
 * Options of {@link createRemoteJWKSet}: caching, cooldown, timeout and transport of the JWKS fetch.
 *
 * @example
 * ```ts
 * const JWKS = createRemoteJWKSet(new URL('https://id.example/certs'), { cacheMaxAge: 60_000, timeoutDuration: 2000 });
 * ```
 */
export interface RemoteJWKSetOptions {
  /** How long a fetched set is fresh, ms (default 600000 = 10 min). */
  cacheMaxAge?: number;
  /** Minimum time between fetches, ms, also for unknown kids (default 30000). */
  cooldownDuration?: number;
  /** Abort the request after this many ms (default 5000). */
  timeoutDuration?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Replacement fetch (tests, custom transport); default global fetch. */
  fetch?: typeof fetch;
  /** Clock in ms (tests); default Date.now. */
  now?: () => number;
  /** Seed / write-back cache, mutated in place after every successful fetch. */
  [jwksCache]?: Partial<ExportedJWKSCache>;
}

class RemoteJWKSet {
  readonly #url: URL;
  readonly #timeout: number;
  readonly #cooldown: number;
  readonly #maxAge: number;
  readonly #headers: Headers;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #cache: Partial<ExportedJWKSCache> | undefined;
  #timestamp: number | undefined;
  #local: LocalJWKSet | undefined;
  #pending: Promise<void> | undefined;

  constructor(url: URL, o: RemoteJWKSetOptions) {
    if (!(url instanceof URL)) throw new QsignError('ERR_INVALID_ARGUMENT', 'url must be an instance of URL');
    this.#url = new URL(url.href);
    this.#timeout = o.timeoutDuration ?? 5000;
    this.#cooldown = o.cooldownDuration ?? 30000;
    this.#maxAge = o.cacheMaxAge ?? 600000;
    this.#headers = new Headers(o.headers);
    if (!this.#headers.has('accept')) this.#headers.set('accept', 'application/json, application/jwk-set+json');
    this.#fetch = o.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
    this.#now = o.now ?? Date.now;
    this.#cache = o[jwksCache];
    if (this.#cache?.jwks !== undefined && typeof this.#cache.uat === 'number' && isJWKSLike(this.#cache.jwks)) {
      this.#timestamp = this.#cache.uat;
      this.#local = new LocalJWKSet(this.#cache.jwks);
    }
  }

  coolingDown(): boolean {
    return this.#timestamp !== undefined && this.#now() < this.#timestamp + this.#cooldown;
  }
  fresh(): boolean {
    return this.#timestamp !== undefined && this.#now() < this.#timestamp + this.#maxAge;
  }
  get reloading(): boolean {
    return this.#pending !== undefined;
  }
  jwks(): JSONWebKeySet | undefined {
    return this.#local?.jwks();
  }

  async getKey(header?: JWSHeaderParameters): Promise<AkpKey> {
    if (!this.#local || !this.fresh()) await this.reload();
    try {
      return await this.#local!.getKey(header);
    } catch (e) {
      // An unknown kid may mean the issuer rotated: refetch once, but never
      // more often than the cooldown allows, so bogus kids cannot make us
      // hammer the issuer.
      if (e instanceof JWKSNoMatchingKey && !this.coolingDown()) {
        await this.reload();
        return this.#local!.getKey(header);
      }
      throw e;
    }
  }

  reload(): Promise<void> {
    // Concurrent callers share one request.
    this.#pending ??= this.#fetchSet().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetchSet(): Promise<void> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeout);
    let json: unknown;
    try {
      const res = await this.#fetch(this.#url.href, {
        method: 'GET',
        headers: this.#headers,
        redirect: 'manual',
        signal: controller.signal,
      });
      if (res.status !== 200)
        throw new QsignError(
          'ERR_JWKS_FETCH_FAILED',
          `expected 200 OK from the JSON Web Key Set HTTP response, got ${res.status}`,
        );
      const text = await readLimited(res, MAX_JWKS_BYTES, (why) => new JWKSInvalid(why));
      json = parseJsonStrict(text, (why) => new JWKSInvalid(`the JSON Web Key Set HTTP response is invalid: ${why}`));
    } catch (e) {
      if (timedOut) throw new JWKSTimeout(`JWKS request to ${this.#url.origin} timed out after ${this.#timeout} ms`);
      if (e instanceof QsignError) throw e;
      throw new QsignError(
        'ERR_JWKS_FETCH_FAILED',
        `fetching the JSON Web Key Set failed: ${(e as Error)?.message ?? e}`,
        { cause: e },
      );
    } finally {
      clearTimeout(timer);
    }
    const local = new LocalJWKSet(json);
    this.#local = local;
    this.#timestamp = this.#now();
    if (this.#cache) {
      this.#cache.jwks = local.jwks();
      this.#cache.uat = this.#timestamp;
    }
  }
}

/**
 * A key resolver over a JWKS fetched from `url` and cached.
 *
 * @example
 * ```ts
 * const JWKS = createRemoteJWKSet(new URL('https://id.example/realms/qsign/protocol/openid-connect/certs'))
 * const { payload } = await jwtVerify(token, JWKS, { issuer, audience })
 * ```
 */
export function createRemoteJWKSet(
  url: URL,
  options: RemoteJWKSetOptions = {},
): JWKSResolver & {
  coolingDown: boolean;
  fresh: boolean;
  reloading: boolean;
  /** Fetches the set again now (honouring the cooldown). */
  reload(): Promise<void>;
  /** The last fetched set, if any. */
  jwks(): JSONWebKeySet | undefined;
} {
  const set = new RemoteJWKSet(url, options);
  const fn = guarded('JWKS resolver', async (protectedHeader?: JWSHeaderParameters) => set.getKey(protectedHeader));
  Object.defineProperties(fn, {
    coolingDown: { get: () => set.coolingDown(), enumerable: true },
    fresh: { get: () => set.fresh(), enumerable: true },
    reloading: { get: () => set.reloading, enumerable: true },
    reload: { value: () => set.reload(), enumerable: true },
    jwks: { value: () => set.jwks(), enumerable: true },
  });
  return fn as ReturnType<typeof createRemoteJWKSet>;
}

/** The OpenID Provider Metadata members this SDK reads (OIDC Discovery 1.0 §3). */
export interface OpenIDConfiguration {
  issuer: string;
  jwks_uri: string;
  id_token_signing_alg_values_supported?: string[];
  [member: string]: unknown;
}

/**
 * Fetches `<issuer>/.well-known/openid-configuration` and checks that its
 * `issuer` is exactly `issuerUrl` (OIDC Discovery §4.3, against mix-up).
 *
 * @example
 * ```ts
 * const meta = await discover('https://id.example/realms/qsign')
 * const JWKS = createRemoteJWKSet(new URL(meta.jwks_uri))
 * ```
 */
export async function discover(
  issuerUrl: string | URL,
  options: { fetch?: typeof fetch; timeoutDuration?: number; headers?: Record<string, string> } = {},
): Promise<OpenIDConfiguration> {
  if (typeof issuerUrl !== 'string' && !(issuerUrl instanceof URL))
    throw new QsignError('ERR_INVALID_ARGUMENT', 'discover needs the issuer as a string or URL');
  const issuer = typeof issuerUrl === 'string' ? issuerUrl : issuerUrl.href;
  const wellKnown = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  if (!isUrl(wellKnown))
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `discover: issuer ${JSON.stringify(issuer.slice(0, 200))} is not a URL`,
    );
  const url = new URL(wellKnown);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutDuration ?? 5000);
  let meta: unknown;
  try {
    const res = await (options.fetch ?? globalThis.fetch)(url.href, {
      headers: { accept: 'application/json', ...options.headers },
      redirect: 'manual',
      signal: controller.signal,
    });
    if (res.status !== 200)
      throw new QsignError('ERR_DISCOVERY_FAILED', `expected 200 OK from ${url.href}, got ${res.status}`);
    const text = await readLimited(res, MAX_JWKS_BYTES, (why) => new QsignError('ERR_DISCOVERY_FAILED', why));
    meta = parseJsonStrict(
      text,
      (why) => new QsignError('ERR_DISCOVERY_FAILED', `openid-configuration at ${url.href} is invalid: ${why}`),
    );
  } catch (e) {
    if (timedOut) throw new JWKSTimeout(`discovery request to ${url.origin} timed out`);
    if (e instanceof QsignError) throw e;
    throw new QsignError('ERR_DISCOVERY_FAILED', `discovery at ${url.href} failed: ${(e as Error)?.message ?? e}`, {
      cause: e,
    });
  } finally {
    clearTimeout(timer);
  }
  if (!meta || typeof meta !== 'object' || typeof (meta as OpenIDConfiguration).jwks_uri !== 'string') {
    throw new QsignError('ERR_DISCOVERY_FAILED', 'openid-configuration lacks "jwks_uri"');
  }
  if ((meta as OpenIDConfiguration).issuer !== issuer) {
    throw new QsignError(
      'ERR_DISCOVERY_FAILED',
      `openid-configuration "issuer" ${JSON.stringify((meta as OpenIDConfiguration).issuer)} does not match ${JSON.stringify(issuer)}`,
    );
  }
  return meta as OpenIDConfiguration;
}
