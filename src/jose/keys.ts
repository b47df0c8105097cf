/**
 * ML-DSA keys for JOSE (RFC 9964 "AKP" JWKs): generation, JWK/raw
 * import-export, RFC 7638 thumbprints, and the seam where SPKI/PKCS#8 codecs
 * (owned by the X.509 layer) plug in.
 *
 * A private key is held as its 32-byte FIPS 204 seed ξ: that is the only
 * private form RFC 9964 can represent, and the expanded secret key cannot be
 * turned back into it. The expanded key is derived on first use and cached.
 */
// Declares Symbol.dispose for the emitted .d.ts (no esnext lib needed by users).
import '../util/disposable.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { QsignError } from '../errors.js';
import type { FamilyNames } from '../registry.js';
// The ML-DSA rows only (not the registry index): a JWT verifier's bundle carries no other family's rows.
import { ML_DSA } from '../registry/ml-dsa.js';
import { sizeIn } from '../registry/rows.js';
import { signatureKeygen } from '../engine/signature.js';
import { init } from '../wasm/loader.js';
import { ensureBytes, equalBytes, randomBytes, wipe } from '../util/bytes.js';
import { encode as b64u, decode as b64uDecode } from './base64url.js';
import { JWKInvalid, JOSENotSupported } from './errors.js';

/** JOSE algorithm identifiers for ML-DSA (RFC 9964). */
export type JoseAlgorithm = FamilyNames<'ML-DSA'>;

const JOSE_ALGS = ML_DSA.map((a) => a.name as JoseAlgorithm);
const bySize = (what: 'publicKey' | 'signature') =>
  Object.freeze(Object.fromEntries(JOSE_ALGS.map((a) => [a, sizeIn(ML_DSA, a, what)]))) as Readonly<
    Record<JoseAlgorithm, number>
  >;

/** Public key sizes per alg (FIPS 204 Table 2, from the registry); used to reject truncated `pub`. */
export const PUBLIC_KEY_BYTES: Readonly<Record<JoseAlgorithm, number>> = bySize('publicKey');
/** Signature sizes per alg (from the registry). */
export const SIGNATURE_BYTES: Readonly<Record<JoseAlgorithm, number>> = bySize('signature');
const SEED_BYTES = sizeIn(ML_DSA, 'ML-DSA-65', 'seed');

/** True for the three RFC 9964 alg names (exact spelling: JOSE is case-sensitive). */
export function isJoseAlgorithm(alg: unknown): alg is JoseAlgorithm {
  return typeof alg === 'string' && ML_DSA.some((a) => a.jose === alg);
}

/** An RFC 9964 AKP JSON Web Key. `priv` (the seed) only on private keys. */
export interface AkpJWK {
  kty: 'AKP';
  alg: JoseAlgorithm;
  pub: string;
  priv?: string;
  kid?: string;
  use?: string;
  key_ops?: string[];
  ext?: boolean;
  [member: string]: unknown;
}

/** A JSON Web Key Set. Members other than AKP keys are carried but ignored. */
export interface JSONWebKeySet {
  keys: Array<Record<string, unknown>>;
}

interface Secret {
  seed: Uint8Array;
  expanded?: Uint8Array;
}

// Secrets live outside the key objects so console.log, structuredClone or a
// stray spread of a key never shows the seed.
const SECRETS = new WeakMap<AkpKey, Secret>();

/**
 * An ML-DSA key bound to one JOSE alg: the public key, and for private keys
 * the seed. Plays the role of jose's `CryptoKey`/`KeyLike`.
 *
 * Call {@link AkpKey.destroy} (or use `using key = …`) to wipe the seed and
 * the expanded secret key once done; JavaScript may still hold copies made by
 * the engine, so this is best effort.
 */
export class AkpKey {
  /** `public` keys verify; `private` keys sign (and can also verify). */
  readonly type: 'public' | 'private';
  readonly alg: JoseAlgorithm;
  /** Whether {@link exportJWK}/{@link exportRaw} may reveal the seed. */
  readonly extractable: boolean;
  /** Key ID; defaults to the RFC 7638 thumbprint. */
  readonly kid: string;
  readonly #publicKey: Uint8Array;

  /** @internal use {@link generateKeyPair}, {@link importJWK} or {@link importRaw}. */
  constructor(
    alg: JoseAlgorithm,
    publicKey: Uint8Array,
    opts: { seed?: Uint8Array; expanded?: Uint8Array; extractable?: boolean; kid?: string } = {},
  ) {
    if (!isJoseAlgorithm(alg)) throw new JOSENotSupported(`AkpKey: "alg" must be ML-DSA-44, ML-DSA-65 or ML-DSA-87`);
    ensureBytes(`${alg} public key`, publicKey, PUBLIC_KEY_BYTES[alg]);
    if (opts === null || typeof opts !== 'object')
      throw new QsignError('ERR_INVALID_ARGUMENT', 'AkpKey options must be an object');
    if (opts.seed !== undefined) ensureBytes(`${alg} seed`, opts.seed, 32);
    this.alg = alg;
    this.#publicKey = publicKey.slice();
    this.type = opts.seed ? 'private' : 'public';
    this.extractable = opts.seed ? (opts.extractable ?? false) : true;
    if (opts.seed)
      SECRETS.set(this, { seed: opts.seed.slice(), ...(opts.expanded ? { expanded: opts.expanded } : {}) });
    this.kid = opts.kid ?? thumbprintOf(alg, this.#publicKey);
  }

  /** A copy of the raw FIPS 204 public key. */
  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }

  /** True once {@link destroy} has wiped the secret. */
  get destroyed(): boolean {
    return this.type === 'private' && !SECRETS.has(this);
  }

  /** The public half as its own key object (same kid). */
  toPublic(): AkpKey {
    return new AkpKey(this.alg, this.#publicKey, { kid: this.kid });
  }

  /** Wipes the seed and the expanded secret key; later signing throws ERR_DESTROYED. */
  destroy(): void {
    const s = SECRETS.get(this);
    if (s) {
      wipe(s.seed, s.expanded);
      SECRETS.delete(this);
    }
  }

  /** `using key = …` support: the same as {@link AkpKey.destroy}. */
  [Symbol.dispose](): void {
    this.destroy();
  }

  /** @internal raw public key without copying. */
  _pub(): Uint8Array {
    return this.#publicKey;
  }
}

/** @internal the expanded secret key, derived through the engine on first use. */
export async function expandedSecret(key: AkpKey): Promise<Uint8Array> {
  if (key.type !== 'private')
    throw new QsignError('ERR_INVALID_ARGUMENT', 'signing needs a private key; this one is public');
  const s = SECRETS.get(key);
  if (!s) throw new QsignError('ERR_DESTROYED', 'this key was destroyed');
  if (!s.expanded) s.expanded = (await signatureKeygen(key.alg, s.seed)).secretKey;
  return s.expanded;
}

/** @internal the seed itself (no copy, no extractable check) for the key ring's persistence. */
export function seedOf(key: AkpKey): Uint8Array {
  const s = SECRETS.get(key);
  if (!s) throw new QsignError('ERR_DESTROYED', 'this key was destroyed or is public');
  return s.seed;
}

function thumbprintOf(alg: JoseAlgorithm, pub: Uint8Array): string {
  // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
  const json = `{"alg":"${alg}","kty":"AKP","pub":"${b64u(pub)}"}`;
  return b64u(sha256(new TextEncoder().encode(json)));
}

/**
 * RFC 7638 thumbprint (SHA-256, base64url) of an AKP key or JWK, over the
 * members `alg`, `kty`, `pub` as RFC 9964 §6 specifies.
 *
 * @example
 * ```ts
 * const kid = await calculateJwkThumbprint(jwk) // equals the RFC 9964 example kids
 * ```
 */
export async function calculateJwkThumbprint(
  key: AkpKey | AkpJWK,
  digestAlgorithm: 'sha256' = 'sha256',
): Promise<string> {
  if (digestAlgorithm !== 'sha256') throw new JOSENotSupported('only sha256 thumbprints are supported');
  if (key instanceof AkpKey) return thumbprintOf(key.alg, key._pub());
  const { alg, pub } = checkPublicMembers(key);
  return thumbprintOf(alg, pub);
}

/** RFC 9638 thumbprint URI (`urn:ietf:params:oauth:jwk-thumbprint:sha-256:…`). */
export async function calculateJwkThumbprintUri(key: AkpKey | AkpJWK): Promise<string> {
  return `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${await calculateJwkThumbprint(key)}`;
}

function checkPublicMembers(jwk: unknown): { alg: JoseAlgorithm; pub: Uint8Array } {
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) throw new JWKInvalid('JWK must be an object');
  const j = jwk as Record<string, unknown>;
  if (j.kty !== 'AKP')
    throw new JWKInvalid(`unsupported JWK "kty" ${JSON.stringify(j.kty)}; ML-DSA keys are "AKP" (RFC 9964)`);
  // RFC 9964: alg is REQUIRED on AKP keys; the key is bound to that one alg.
  if (j.alg === undefined) throw new JWKInvalid('AKP JWK is missing its required "alg"');
  if (!isJoseAlgorithm(j.alg))
    throw new JWKInvalid(`AKP JWK "alg" ${JSON.stringify(j.alg)} is not ML-DSA-44, ML-DSA-65 or ML-DSA-87`);
  if (typeof j.pub !== 'string') throw new JWKInvalid('AKP JWK is missing "pub"');
  const pub = b64uDecode(j.pub, 'ERR_JWK_INVALID', 'JWK "pub"');
  if (pub.length !== PUBLIC_KEY_BYTES[j.alg])
    throw new JWKInvalid(`"pub" of an ${j.alg} key must be ${PUBLIC_KEY_BYTES[j.alg]} bytes, got ${pub.length}`);
  return { alg: j.alg, pub };
}

/** Options for key import and generation. */
export interface KeyOptions {
  /** Allow exporting the seed (default: `generateKeyPair` false; `importJWK` the JWK's `ext` or true). */
  extractable?: boolean;
}

/**
 * Imports an AKP JWK. A private JWK (`priv`, the 32-byte seed) is checked
 * against its `pub` by re-deriving the public key, so a tampered or mixed-up
 * pair is refused with ERR_JWK_INVALID.
 *
 * @example
 * ```ts
 * const key = await importJWK({ kty: 'AKP', alg: 'ML-DSA-65', pub: '…' })
 * ```
 */
export async function importJWK(jwk: AkpJWK | Record<string, unknown>, opts: KeyOptions = {}): Promise<AkpKey> {
  const { alg, pub } = checkPublicMembers(jwk);
  const j = jwk as Record<string, unknown>;
  if (j.kid !== undefined && typeof j.kid !== 'string') throw new JWKInvalid('JWK "kid" must be a string');
  const kid = j.kid as string | undefined;
  if (j.priv === undefined) return new AkpKey(alg, pub, kid === undefined ? {} : { kid });
  if (typeof j.priv !== 'string') throw new JWKInvalid('JWK "priv" must be a string');
  const seed = b64uDecode(j.priv, 'ERR_JWK_INVALID', 'JWK "priv"');
  try {
    if (seed.length !== SEED_BYTES)
      throw new JWKInvalid(`JWK "priv" must be the 32-byte ML-DSA seed, got ${seed.length} bytes`);
    const derived = await signatureKeygen(alg, seed);
    if (!equalBytes(derived.publicKey, pub)) {
      wipe(derived.secretKey);
      throw new JWKInvalid('JWK "pub" does not match the key derived from "priv"');
    }
    const extractable = opts.extractable ?? (typeof j.ext === 'boolean' ? j.ext : true);
    return new AkpKey(alg, pub, {
      seed,
      expanded: derived.secretKey,
      extractable,
      ...(kid === undefined ? {} : { kid }),
    });
  } finally {
    wipe(seed); // AkpKey holds its own copy
  }
}

/** `key` when it is an AkpKey; else ERR_INVALID_ARGUMENT saying how to get one. */
function requireKey(what: string, key: unknown): AkpKey {
  if (!(key instanceof AkpKey))
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `${what} must be an AkpKey (from generateKeyPair, importJWK, importRaw, importSPKI or importPKCS8)`,
    );
  return key;
}

/**
 * Exports a key as an AKP JWK (`kid` included). Private keys include `priv`
 * only when extractable; otherwise ERR_INVALID_ARGUMENT, as jose refuses to
 * export non-extractable keys.
 */
export async function exportJWK(key: AkpKey): Promise<AkpJWK> {
  requireKey('exportJWK key', key);
  const jwk: AkpJWK = { kty: 'AKP', alg: key.alg, kid: key.kid, pub: b64u(key._pub()) };
  if (key.type === 'private') {
    if (!key.extractable)
      throw new QsignError(
        'ERR_INVALID_ARGUMENT',
        'non-extractable key cannot be exported; import or generate it with { extractable: true }',
      );
    const s = SECRETS.get(key);
    if (!s) throw new QsignError('ERR_DESTROYED', 'this key was destroyed');
    jwk.priv = b64u(s.seed);
  }
  return jwk;
}

/**
 * Generates an ML-DSA key pair for `alg`, from `seed` (32 bytes,
 * deterministic) or fresh randomness.
 *
 * @example
 * ```ts
 * const { publicKey, privateKey } = await generateKeyPair('ML-DSA-65', { extractable: true })
 * ```
 */
export async function generateKeyPair(
  alg: JoseAlgorithm,
  opts: KeyOptions & { seed?: Uint8Array } = {},
): Promise<{ publicKey: AkpKey; privateKey: AkpKey }> {
  if (!isJoseAlgorithm(alg))
    throw new JOSENotSupported(`unsupported alg ${JSON.stringify(alg)}; use ML-DSA-44, ML-DSA-65 or ML-DSA-87`);
  if (opts.seed !== undefined && (!(opts.seed instanceof Uint8Array) || opts.seed.length !== SEED_BYTES)) {
    throw new QsignError('ERR_INVALID_ARGUMENT', 'seed must be a Uint8Array of 32 bytes');
  }
  const seed = opts.seed ? opts.seed.slice() : randomBytes(SEED_BYTES);
  try {
    const { publicKey, secretKey } = await signatureKeygen(alg, seed);
    const privateKey = new AkpKey(alg, publicKey, {
      seed,
      expanded: secretKey,
      extractable: opts.extractable ?? false,
    });
    return { publicKey: privateKey.toPublic(), privateKey };
  } finally {
    wipe(seed);
  }
}

/**
 * Imports raw key bytes: the 32-byte seed (`'seed'`, a private key) or the
 * FIPS 204 public key (`'public'`).
 */
export async function importRaw(
  alg: JoseAlgorithm,
  bytes: Uint8Array,
  format: 'seed' | 'public',
  opts: KeyOptions & { kid?: string } = {},
): Promise<AkpKey> {
  if (!isJoseAlgorithm(alg)) throw new JOSENotSupported(`unsupported alg ${JSON.stringify(alg)}`);
  if (!(bytes instanceof Uint8Array)) throw new QsignError('ERR_INVALID_ARGUMENT', 'raw key must be a Uint8Array');
  const kid = opts.kid === undefined ? {} : { kid: opts.kid };
  if (format === 'public') {
    if (bytes.length !== PUBLIC_KEY_BYTES[alg])
      throw new QsignError(
        'ERR_INVALID_PUBLIC_KEY',
        `${alg} public key must be ${PUBLIC_KEY_BYTES[alg]} bytes, got ${bytes.length}`,
      );
    return new AkpKey(alg, bytes, kid);
  }
  if (bytes.length !== SEED_BYTES)
    throw new QsignError('ERR_INVALID_SECRET_KEY', `ML-DSA seed must be 32 bytes, got ${bytes.length}`);
  const { publicKey, secretKey } = await signatureKeygen(alg, bytes);
  return new AkpKey(alg, publicKey, {
    seed: bytes,
    expanded: secretKey,
    extractable: opts.extractable ?? true,
    ...kid,
  });
}

/** Exports the seed (extractable private keys only) or the raw public key. */
export async function exportRaw(key: AkpKey, format: 'seed' | 'public'): Promise<Uint8Array> {
  requireKey('exportRaw key', key);
  if (format !== 'seed' && format !== 'public')
    throw new QsignError('ERR_INVALID_ARGUMENT', 'exportRaw format must be "seed" or "public"');
  if (format === 'public') return key.publicKey;
  if (key.type !== 'private') throw new QsignError('ERR_INVALID_ARGUMENT', 'a public key has no seed');
  if (!key.extractable) throw new QsignError('ERR_INVALID_ARGUMENT', 'non-extractable key cannot be exported');
  const s = SECRETS.get(key);
  if (!s) throw new QsignError('ERR_DESTROYED', 'this key was destroyed');
  return s.seed.slice();
}

// --- SPKI / PKCS#8 seam -----------------------------------------------------
// DER lives in the X.509 layer (src/x509/keys-core.ts); this module must not grow
// a second ASN.1 codec. By default that layer is loaded lazily on first use
// (so JWT-only bundles do not carry it); registerKeyCodec() can replace it.

/**
 * What an SPKI/PKCS#8 codec hands back and takes: the seam {@link registerKeyCodec} fills when the
 * default codec (the X.509 layer's, loaded on first use) is not wanted.
 *
 * @example
 * ```ts
 * import { registerKeyCodec, type KeyCodec } from 'qsign-pqc/jose';
 * import { decodeSPKI, decodePKCS8, encodeSPKIPem, encodePKCS8Pem } from 'qsign-pqc/x509';
 * const codec: KeyCodec = {
 *   decodeSPKI: (spki) => decodeSPKI(spki),
 *   decodePKCS8: (pkcs8) => {
 *     const { alg, seed, secretKey } = decodePKCS8(pkcs8);
 *     secretKey.fill(0); // JOSE keeps only the seed
 *     if (!seed) throw new Error('JOSE keys need the seed form');
 *     return { alg, seed };
 *   },
 *   encodeSPKI: (alg, pk) => encodeSPKIPem(alg as 'ML-DSA-65', pk),
 *   encodePKCS8: (alg, seed) => encodePKCS8Pem(alg as 'ML-DSA-65', seed, { form: 'seed' }),
 * };
 * registerKeyCodec(codec);
 * ```
 */
export interface KeyCodec {
  /** Reads an SPKI (DER bytes or PEM text): the algorithm name (e.g. `ML-DSA-65`) and the raw public key. */
  decodeSPKI(spki: string | Uint8Array): { alg: string; publicKey: Uint8Array };
  /** Reads a PKCS#8 private key (DER bytes or PEM text) in seed form: the algorithm name and the seed. */
  decodePKCS8(pkcs8: string | Uint8Array): { alg: string; seed: Uint8Array };
  /** Writes a raw public key as an SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  encodeSPKI(alg: string, publicKey: Uint8Array): string;
  /** Writes a seed as a seed-form PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  encodePKCS8(alg: string, seed: Uint8Array): string;
}

let codec: KeyCodec | null | undefined;

/**
 * Installs an SPKI/PKCS#8 codec; `undefined` restores the default (the X.509
 * layer's), `null` disables SPKI/PKCS#8 (ERR_JOSE_NOT_SUPPORTED).
 */
export function registerKeyCodec(c: KeyCodec | null | undefined): void {
  codec = c;
}

async function x509Codec(): Promise<KeyCodec> {
  // x509's decoders expand keys synchronously on the wasm core.
  await init();
  // The ML-DSA half of the X.509 key layer: it reaches no ML-KEM, SHA-3 or SLH-DSA module, so an edge Worker
  // bundle of JOSE ships the ML-DSA wasm only (issue 23 item 2).
  const x = await import('../x509/keys-core.js');
  type KA = Parameters<typeof x.encodeSPKI>[0];
  return {
    decodeSPKI: (i) => x.decodeSPKI(i),
    decodePKCS8: (i) => {
      // Every JOSE algorithm is ML-DSA: another family's key is the wrong key (as checkAlg would say once it
      // was decoded), refused before the codec would need that family's code to expand it.
      const d = x.decodePrivateKeyInfo(i, (alg) => {
        if (!x.isMlDsaAlgorithm(alg)) throw new JWKInvalid(`key is ${alg}, expected an ML-DSA key`);
      });
      wipe(d.secretKey);
      // RFC 9964 keys are seeds; an expanded-only key cannot become one.
      if (!d.seed)
        throw new JOSENotSupported('this PKCS#8 key is expanded-only; JOSE (RFC 9964) keys need the seed form');
      return { alg: d.alg, seed: d.seed };
    },
    encodeSPKI: (alg, pk) => x.encodeSPKIPem(alg as KA, pk),
    encodePKCS8: (alg, seed) => x.encodePKCS8Pem(alg as KA, seed, { form: 'seed' }),
  };
}

async function needCodec(): Promise<KeyCodec> {
  if (codec === null)
    throw new JOSENotSupported('SPKI/PKCS#8 support is disabled; register a codec with registerKeyCodec()');
  return codec ?? x509Codec();
}

function checkAlg(expected: JoseAlgorithm, got: string): void {
  if (got !== expected) throw new JWKInvalid(`key is ${got}, expected ${expected}`);
}

/** Imports a PEM/DER SPKI public key (RFC 9881) for `alg`. */
export async function importSPKI(spki: string | Uint8Array, alg: JoseAlgorithm): Promise<AkpKey> {
  const { alg: a, publicKey } = (await needCodec()).decodeSPKI(spki);
  checkAlg(alg, a);
  return importRaw(alg, publicKey, 'public');
}

/** Imports a PEM/DER PKCS#8 private key (seed form, RFC 9881) for `alg`. */
export async function importPKCS8(
  pkcs8: string | Uint8Array,
  alg: JoseAlgorithm,
  opts: KeyOptions = {},
): Promise<AkpKey> {
  const { alg: a, seed } = (await needCodec()).decodePKCS8(pkcs8);
  try {
    checkAlg(alg, a);
    return await importRaw(alg, seed, 'seed', opts);
  } finally {
    wipe(seed);
  }
}

/** Exports the public key as PEM SPKI. */
export async function exportSPKI(key: AkpKey): Promise<string> {
  requireKey('exportSPKI key', key);
  return (await needCodec()).encodeSPKI(key.alg, key._pub());
}

/** Exports an extractable private key as PEM PKCS#8 (seed-only form). */
export async function exportPKCS8(key: AkpKey): Promise<string> {
  requireKey('exportPKCS8 key', key);
  const seed = await exportRaw(key, 'seed');
  try {
    return (await needCodec()).encodePKCS8(key.alg, seed);
  } finally {
    wipe(seed);
  }
}
