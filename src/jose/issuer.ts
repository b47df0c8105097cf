/**
 * Issuer side (seed §5.1 token issuance, §8.2 Keycloak key rotation): a ring
 * of signing keys with Keycloak's statuses, token signing with the active
 * key, a JWKS of the keys that may still verify, a guard against removing a
 * key whose tokens may still be valid, persistence, and fetch-style handlers
 * for `GET /certs` and `/.well-known/openid-configuration`.
 */
import { isUrl, requireObject, requireString } from '../util/guard.js';
import { parseJsonStrict } from '../util/json.js';
// Declares Symbol.dispose for the emitted .d.ts (no esnext lib needed by users).
import '../util/disposable.js';
import { QsignError } from '../errors.js';
import { randomBytes, wipe } from '../util/bytes.js';
import { encode as b64u, decode as b64uDecode } from './base64url.js';
import { KeyInUse } from './errors.js';
import { SignJWT, type JWTPayload } from './jwt.js';
import {
  AkpKey,
  exportJWK,
  importRaw,
  seedOf,
  isJoseAlgorithm,
  type AkpJWK,
  type JSONWebKeySet,
  type JoseAlgorithm,
} from './keys.js';

/**
 * Keycloak key statuses: `active` signs new tokens (exactly one), `passive`
 * only verifies (published in the JWKS), `disabled` is neither published nor
 * used but kept until removed.
 */
export type KeyStatus = 'active' | 'passive' | 'disabled';

/** Public facts about one ring entry. */
export interface KeyRingEntry {
  kid: string;
  alg: JoseAlgorithm;
  status: KeyStatus;
  /** Epoch seconds. */
  createdAt: number;
  /** Latest `exp` (epoch seconds) of any token this key signed; Infinity if one had no exp. */
  latestExp?: number;
}

interface Slot extends KeyRingEntry {
  key: AkpKey;
}

/** Serialized ring; contains SEEDS — seal it (e.g. with transit/HPKE) before storing. */
export interface SerializedKeyRing {
  version: 1;
  keys: Array<{
    kid: string;
    alg: JoseAlgorithm;
    status: KeyStatus;
    createdAt: number;
    latestExp?: number | 'Infinity';
    seed: string;
  }>;
}

/**
 * Options of `SigningKeyRing.create`.
 *
 * @example
 * ```ts
 * const ring = await SigningKeyRing.create({ alg: 'ML-DSA-87', removalGrace: 120 });
 * ```
 */
export interface KeyRingOptions {
  /** Alg for new keys (default ML-DSA-65). */
  alg?: JoseAlgorithm;
  /** Clock in ms (default Date.now); inject a fake one in tests. */
  now?: () => number;
  /** Leeway (s) added to a key's latest exp before it may be removed (default 60), covering verifiers' clockTolerance. */
  removalGrace?: number;
}

/**
 * A set of ML-DSA signing keys with rotation.
 *
 * @example
 * ```ts
 * const ring = await SigningKeyRing.create({ alg: 'ML-DSA-65' })
 * const token = await ring.sign({ sub: 'user-1', iss, aud: 'api' }, { expiresIn: '5m' })
 * await ring.rotate()          // new active key; the old one turns passive
 * await ring.jwks()            // both public keys, so old tokens keep verifying
 * ring.remove(oldKid)          // ERR_KEY_IN_USE until the old tokens expired
 * ```
 */
export class SigningKeyRing {
  #slots: Slot[] = [];
  readonly #alg: JoseAlgorithm;
  readonly #now: () => number;
  readonly #grace: number;

  private constructor(o: KeyRingOptions) {
    requireObject('SigningKeyRing options', o);
    this.#alg = o.alg ?? 'ML-DSA-65';
    if (!isJoseAlgorithm(this.#alg))
      throw new QsignError('ERR_UNKNOWN_ALGORITHM', `unsupported alg ${JSON.stringify(this.#alg)}`);
    this.#now = o.now ?? Date.now;
    this.#grace = o.removalGrace ?? 60;
  }

  /** A ring with one fresh active key. */
  static async create(options: KeyRingOptions = {}): Promise<SigningKeyRing> {
    const ring = new SigningKeyRing(options);
    await ring.rotate();
    return ring;
  }

  /** Rebuilds a ring from {@link SigningKeyRing.serialize} output (string or object). */
  static async restore(data: string | SerializedKeyRing, options: KeyRingOptions = {}): Promise<SigningKeyRing> {
    const d = (
      typeof data === 'string'
        ? parseJsonStrict(
            data,
            (why) => new QsignError('ERR_INVALID_ARGUMENT', `not a serialized SigningKeyRing: ${why}`),
          )
        : data
    ) as SerializedKeyRing;
    if (!d || d.version !== 1 || !Array.isArray(d.keys))
      throw new QsignError('ERR_INVALID_ARGUMENT', 'not a serialized SigningKeyRing (version 1)');
    const ring = new SigningKeyRing(options);
    for (const k of d.keys) {
      if (!isJoseAlgorithm(k.alg) || !['active', 'passive', 'disabled'].includes(k.status))
        throw new QsignError('ERR_INVALID_ARGUMENT', `bad ring entry ${k.kid}`);
      const seed = b64uDecode(k.seed, 'ERR_INVALID_ARGUMENT', 'ring seed');
      const key = await importRaw(k.alg, seed, 'seed', { extractable: true, kid: k.kid });
      wipe(seed);
      const slot: Slot = { kid: k.kid, alg: k.alg, status: k.status, createdAt: k.createdAt, key };
      if (k.latestExp !== undefined) slot.latestExp = k.latestExp === 'Infinity' ? Infinity : k.latestExp;
      ring.#slots.push(slot);
    }
    if (ring.#slots.filter((s) => s.status === 'active').length !== 1)
      throw new QsignError('ERR_INVALID_ARGUMENT', 'a ring needs exactly one active key');
    return ring;
  }

  #nowSec(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** Entries in ring order (newest first). */
  entries(): KeyRingEntry[] {
    return this.#slots.map(({ key: _k, ...e }) => ({ ...e }));
  }

  /** The key that signs new tokens. */
  get active(): AkpKey {
    return this.#slots.find((s) => s.status === 'active')!.key;
  }

  /** Key for `kid`, if present. */
  get(kid: string): AkpKey | undefined {
    return this.#slots.find((s) => s.kid === kid)?.key;
  }

  /**
   * Creates a new active key and demotes the current active one to passive,
   * so tokens it signed keep verifying via the JWKS. Returns the new kid.
   */
  async rotate(options: { alg?: JoseAlgorithm; seed?: Uint8Array } = {}): Promise<string> {
    requireObject('rotate options', options);
    const alg = options.alg ?? this.#alg;
    const seed = options.seed ? options.seed.slice() : randomBytes(32);
    const key = await importRaw(alg, seed, 'seed', { extractable: true });
    wipe(seed);
    if (this.#slots.some((s) => s.kid === key.kid)) {
      key.destroy();
      throw new QsignError('ERR_INVALID_ARGUMENT', `key ${key.kid} is already in the ring`);
    }
    for (const s of this.#slots) if (s.status === 'active') s.status = 'passive';
    this.#slots.unshift({ kid: key.kid, alg, status: 'active', createdAt: this.#nowSec(), key });
    return key.kid;
  }

  /** Sets a non-active key's status (make another key active with {@link rotate}). */
  setStatus(kid: string, status: 'passive' | 'disabled'): void {
    const s = this.#slot(kid);
    if (s.status === 'active')
      throw new KeyInUse(kid, s.latestExp ?? 0, `key ${kid} is the active signing key; rotate() first`);
    s.status = status;
  }

  /**
   * Removes a key. Refused with ERR_KEY_IN_USE for the active key, and — unless
   * `force` — while tokens it signed may still be valid (latest exp + grace
   * not yet passed).
   */
  remove(kid: string, options: { force?: boolean } = {}): void {
    const s = this.#slot(kid);
    if (s.status === 'active')
      throw new KeyInUse(kid, s.latestExp ?? 0, `key ${kid} is the active signing key; rotate() before removing it`);
    const until = (s.latestExp ?? -Infinity) + this.#grace;
    if (!options.force && until > this.#nowSec()) {
      throw new KeyInUse(
        kid,
        s.latestExp!,
        `key ${kid} signed tokens valid until ${Number.isFinite(s.latestExp) ? new Date(s.latestExp! * 1000).toISOString() : 'forever (no exp)'}; wait or pass { force: true }`,
      );
    }
    s.key.destroy();
    this.#slots = this.#slots.filter((x) => x !== s);
  }

  #slot(kid: string): Slot {
    requireString('kid', kid);
    const s = this.#slots.find((x) => x.kid === kid);
    if (!s) throw new QsignError('ERR_INVALID_ARGUMENT', `no key ${kid} in the ring`);
    return s;
  }

  /**
   * Signs a JWT with the active key; header gets `alg`, `kid` and `typ: "JWT"`.
   * `iat` defaults to now; `expiresIn` (time span or seconds) sets `exp`.
   */
  async sign(
    claims: JWTPayload,
    options: { expiresIn?: string | number; header?: Record<string, unknown> } = {},
  ): Promise<string> {
    requireObject('JWT claims', claims);
    requireObject('sign options', options);
    const slot = this.#slots.find((s) => s.status === 'active')!;
    const nowDate = new Date(this.#now());
    const jwt = new SignJWT(claims, { currentDate: nowDate }).setProtectedHeader({
      typ: 'JWT',
      ...options.header,
      alg: slot.alg,
      kid: slot.kid,
    });
    if (claims.iat === undefined) jwt.setIssuedAt();
    if (options.expiresIn !== undefined) {
      jwt.setExpirationTime(
        typeof options.expiresIn === 'number' ? this.#nowSec() + options.expiresIn : options.expiresIn,
      );
    }
    const token = await jwt.sign(slot.key);
    // Track how long this key must stay verifiable; a token without exp pins it forever.
    const exp = JSON.parse(new TextDecoder().decode(b64uDecode(token.split('.')[1]!))).exp;
    const e = typeof exp === 'number' ? exp : Infinity;
    slot.latestExp = Math.max(slot.latestExp ?? -Infinity, e);
    return token;
  }

  /** Public JWKS with the active and passive keys (`use: "sig"`). */
  async jwks(): Promise<JSONWebKeySet> {
    const keys: AkpJWK[] = [];
    for (const s of this.#slots) {
      if (s.status === 'disabled') continue;
      keys.push({ ...(await exportJWK(s.key.toPublic())), use: 'sig' });
    }
    return { keys };
  }

  /** JSON with the seeds; seal it before persisting. */
  serialize(): string {
    const out: SerializedKeyRing = {
      version: 1,
      keys: this.#slots.map((s) => {
        const seedB64 = b64u(seedOf(s.key));
        const e: SerializedKeyRing['keys'][number] = {
          kid: s.kid,
          alg: s.alg,
          status: s.status,
          createdAt: s.createdAt,
          seed: seedB64,
        };
        if (s.latestExp !== undefined) e.latestExp = Number.isFinite(s.latestExp) ? s.latestExp : 'Infinity';
        return e;
      }),
    };
    return JSON.stringify(out);
  }

  /** Wipes every seed; the ring is unusable afterwards. */
  destroy(): void {
    for (const s of this.#slots) s.key.destroy();
    this.#slots = [];
  }
  /** `using ring = …` support: the same as {@link SigningKeyRing.destroy}. */
  [Symbol.dispose](): void {
    this.destroy();
  }
}

/** Options for {@link createIssuerHandler}. */
export interface IssuerHandlerOptions {
  /** The `iss` value; discovery's `issuer` and base of `jwks_uri`. */
  issuer: string;
  /** Path of the JWKS under the issuer (default "/certs" like Keycloak's …/protocol/openid-connect/certs). */
  jwksPath?: string;
  /** Cache-Control max-age for the JWKS, seconds (default 300). */
  maxAge?: number;
  /** Extra discovery metadata (token_endpoint, …). */
  metadata?: Record<string, unknown>;
}

/**
 * A fetch-style handler `(Request) => Promise<Response>` serving the ring's
 * JWKS and OIDC discovery document; returns 404 for other paths. Mount it in
 * a Worker, Deno.serve, Bun.serve or any Fetch-API router.
 */
export function createIssuerHandler(
  ring: SigningKeyRing,
  options: IssuerHandlerOptions,
): (request: Request) => Promise<Response> {
  if (!(ring instanceof SigningKeyRing))
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      'createIssuerHandler needs a SigningKeyRing (SigningKeyRing.create())',
    );
  requireObject('createIssuerHandler options', options);
  const issuer = requireString('options.issuer', options.issuer).replace(/\/$/, '');
  if (!isUrl(issuer))
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `options.issuer must be an absolute URL, got ${JSON.stringify(issuer)}`,
    );
  const issuerPath = new URL(issuer).pathname.replace(/\/$/, '');
  const jwksPath = issuerPath + (options.jwksPath ?? '/certs');
  const discoveryPath = issuerPath + '/.well-known/openid-configuration';
  const json = (body: unknown, extra: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...extra } });
  return async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path !== jwksPath && path !== discoveryPath) return new Response('not found', { status: 404 });
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } });
    if (path === jwksPath) {
      return json(await ring.jwks(), {
        'content-type': 'application/jwk-set+json',
        'cache-control': `public, max-age=${options.maxAge ?? 300}`,
      });
    }
    const algs = [
      ...new Set(
        ring
          .entries()
          .filter((e) => e.status !== 'disabled')
          .map((e) => e.alg),
      ),
    ];
    return json({
      issuer: options.issuer,
      jwks_uri: new URL(issuer + (options.jwksPath ?? '/certs')).href,
      id_token_signing_alg_values_supported: algs,
      ...options.metadata,
    });
  };
}
