/**
 * The transit keyring: named keys with versions 1..n, Vault Transit semantics
 * (`latest_version`, `min_decryption_version`, `min_encryption_version`,
 * `min_available_version`, `deletion_allowed`, `exportable`,
 * `auto_rotate_period`), post-quantum key types, and a storage backend behind
 * `TransitStore`.
 *
 * Every operation re-reads the key document from the store, so several
 * keyrings (processes) sharing a store agree on the latest version; writes are
 * compare-and-swap on the document revision, so a rotate is all-or-nothing.
 * Unsealed (expanded) private keys are cached per sealed blob, which is unique
 * per version, so a deleted-and-recreated key never hits a stale entry.
 */
import { sign as engineSign, signatureKeygen, verify as engineVerify } from '../engine/signature.js';
import { QsignError } from '../errors.js';
import { slhDsaByName } from '../sig/slhdsa.js';
import type { SlhDsa } from '../sig/slhdsa.js';
import { loadSlhDsa } from '../wasm/slhdsa-loader.js';
import { init, isInitialized } from '../wasm/loader.js';
import { equalBytes, randomBytes, wipe, utf8 } from '../util/bytes.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64, toBase64 } from './base64.js';
import { newWrappingKey, openWrappingKey, unwrapImport } from './byok.js';
import { transitHmac } from './digest.js';
import { KEMS, kemKeyPair, openEnvelope, sealEnvelope, type KemKeyPair, type KemKeyType } from './envelope.js';
import { transitError, TransitErrorCodes } from './errors.js';
import { parseVersioned, VERSIONED_PREFIX, type VersionedFault } from './versioned.js';
import { sealAad, transitSubtle, type MasterKey } from './master-key.js';
import type { TransitStore } from './store.js';
import { decryptStream, encryptStream, type StreamEncryptOptions } from './stream.js';
import {
  isSignatureType,
  isSlhDsaType,
  signatureAlgorithmOf,
  KEY_TYPES,
  parseDuration,
  resolveKeyType,
  type CreateKeyOptions,
  type ImportKeyOptions,
  type KeyConfig,
  type KeyInfo,
  type KeyType,
  type SignatureKeyType,
  type SlhDsaKeyType,
} from './types.js';

/** One stored version: public key in the clear, private seed sealed. */
interface VersionRecord {
  creation_time: string;
  public_key: string;
  sealed: string;
}

/**
 * The key document. Format 2 is stored inside an authenticated envelope ({@link StoredKey}); format 1 (before
 * records were authenticated) is read only to migrate it.
 */
interface KeyRecord {
  format: 1 | 2;
  name: string;
  type: KeyType;
  deletion_allowed: boolean;
  exportable: boolean;
  auto_rotate_period: number;
  latest_version: number;
  min_decryption_version: number;
  min_encryption_version: number;
  min_available_version: number;
  versions: Record<string, VersionRecord>;
  /** `hmac` keys: HMAC key bytes per version. Present only when set (absent fields keep old MACs valid). */
  key_size?: number;
  /** Present (true) only on keys made by `importKey`. */
  imported_key?: true;
  /** Imported keys: whether `rotateKey` may generate versions here. */
  allow_rotation?: boolean;
}

/**
 * What the store holds for a key (format 2): the record and an HMAC-SHA256 over it, keyed by a key derived from
 * the master key and bound to the key name, so no field (public keys, versions, policy) can be changed, and no
 * record moved to another name, without the master key.
 */
interface StoredKey {
  format: 2;
  record: KeyRecord;
  /** base64 HMAC-SHA256(macKey, RECORD_MAC_CONTEXT ‖ name ‖ 0x00 ‖ canonicalJson(record)). */
  mac: string;
}

/**
 * What a {@link Keyring} keeps its keys in and seals them with.
 *
 * @example
 * ```ts
 * const keyring = new Keyring({ store: memoryStore(), masterKey: await masterKeyFromBytes(key32), cacheSize: 256 });
 * ```
 */
export interface KeyringOptions {
  /** Where sealed key versions are persisted (memory, SQLite, PostgreSQL, IndexedDB, Durable Objects). */
  store: TransitStore;
  /** Seals every private key before it reaches the store. */
  masterKey: MasterKey;
  /** Milliseconds since the epoch; inject for auto-rotation tests. */
  now?: () => number;
  /**
   * Randomness for key seeds and encapsulation. Test hook only: a fixed
   * source makes envelopes reproducible (docs/envelope.md vectors).
   */
  random?: (n: number) => Uint8Array;
  /** Expanded private keys kept in memory (default 1024). */
  cacheSize?: number;
  /**
   * What to do with a format-1 (unauthenticated) record found in the store: `'migrate'` (default) checks that
   * every version's public key is the one its sealed seed gives, then rewrites the record authenticated;
   * `'refuse'` treats it as tampered. Policy fields of a format-1 record cannot be checked and are kept as found.
   */
  legacyRecords?: 'migrate' | 'refuse';
}

/**
 * Options of `Keyring.encrypt` (and `rewrap`).
 *
 * @example
 * ```ts
 * const { ciphertext } = await keyring.encrypt('app', data, { associatedData: new TextEncoder().encode('order-42') });
 * ```
 */
export interface EncryptOptions {
  /** Bound as AEAD associated data; must be given again to decrypt. */
  associatedData?: Uint8Array;
  /** Encrypt with this version instead of the latest (must be ≥ min_encryption_version). */
  keyVersion?: number;
}

/**
 * Options of `Keyring.decrypt`.
 *
 * @example
 * ```ts
 * const { plaintext } = await keyring.decrypt('app', ciphertext, { associatedData: new TextEncoder().encode('order-42') });
 * ```
 */
export interface DecryptOptions {
  /** The associated data the ciphertext was sealed with (decryption fails without the same bytes). */
  associatedData?: Uint8Array;
}

/**
 * Options of `Keyring.sign`.
 *
 * @example
 * ```ts
 * const { signature } = await keyring.sign('release-key', artifact, { context: new TextEncoder().encode('release') });
 * ```
 */
export interface SignOptions {
  /** Sign with this version instead of the latest. */
  keyVersion?: number;
  /** FIPS 204 / FIPS 205 context string (0..255 bytes); the verifier must give the same. */
  context?: Uint8Array;
}

/**
 * Options of `Keyring.dataKey`: the size of the data key and how it is wrapped.
 *
 * @example
 * ```ts
 * const { plaintext, ciphertext } = await keyring.dataKey('app', 'plaintext', { bits: 256 });
 * ```
 */
export interface DataKeyOptions extends EncryptOptions {
  /** 128, 256 (default) or 512. */
  bits?: number;
}

const PREFIX = VERSIONED_PREFIX;
/** Key names: 1-128 of A-Z a-z 0-9 . _ - starting with a letter or digit (store entries that are not keys start with `_`). */
export const KEY_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** The canonical algorithm name of a signature key type (`ml-dsa-65` → `ML-DSA-65`), from the registry. */
const sigAlg = (t: SignatureKeyType): string => signatureAlgorithmOf(t).name;

/**
 * The SLH-DSA object of a key type, its wasm module loaded (the core first: the module follows its SIMD or scalar
 * build). SLH-DSA has its own module, fetched on first use in browsers, so every SLH-DSA path awaits this.
 */
async function slhDsaOf(t: SlhDsaKeyType): Promise<SlhDsa> {
  if (!isInitialized()) await init();
  await loadSlhDsa();
  const name = sigAlg(t);
  return slhDsaByName(name)!;
}

/** A signature key type's key pair from its seed: ML-DSA ξ (32 B) through the engine, SLH-DSA SK.seed‖SK.prf‖PK.seed. */
async function signatureKeyPair(t: SignatureKeyType, seed: Uint8Array): Promise<KemKeyPair> {
  return isSlhDsaType(t) ? (await slhDsaOf(t)).keygen(seed) : signatureKeygen(sigAlg(t), seed);
}

/**
 * Pure SLH-DSA holds the whole message in its module's memory (it reads it twice): a message over that limit is a
 * size limit (507 over HTTP), not an internal error. Anything else is passed on.
 */
function slhDsaLimit(e: unknown): unknown {
  return e instanceof QsignError && e.code === 'ERR_INPUT_TOO_LARGE'
    ? transitError(TransitErrorCodes.LIMIT_EXCEEDED, e.message, e)
    : e;
}
const BACKUP_AAD = utf8('qsign-pqc/transit/backup/v1');
const RECORD_MAC_LABEL = 'qsign-pqc/transit/record-mac/v2';
const RECORD_MAC_CONTEXT = 'qsign-pqc/transit/record/v2\0';
/** Store entry of the audit HMAC key; key names start with a letter or digit, so no key can take this name. */
const AUDIT_KEY_ENTRY = '_audit-hmac-key';
const AUDIT_KEY_AAD = utf8('qsign-pqc/transit/audit-key/v1');
/** Store entry of the BYOK wrapping key; like the audit key, a name no key can take. */
const WRAPPING_KEY_ENTRY = '_wrapping-key';
/** HKDF salt of the HMAC key a KEM or ML-DSA version derives from its seed (`hmac/:name` on any key type). */
const HMAC_KEY_SALT = utf8('qsign-pqc/transit/hmac-key/v1');
/** Vault's bounds for `key_size` of `hmac` keys. */
const HMAC_KEY_SIZES = { min: 32, max: 512, default: 32 } as const;
/** Vault's rule: 0 disables automatic rotation, anything else is at least an hour. */
const MIN_AUTO_ROTATE_SECONDS = 3600;

/** JSON with object keys sorted at every level: the one byte string a record's MAC covers. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

function tampered(name: string, cause?: unknown): QsignError {
  return transitError(
    TransitErrorCodes.RECORD_TAMPERED,
    `key record "${name}" failed its integrity check (modified in the store, moved from another name, or written ` +
      'under another master key) and is not used; restore the key from a backup',
    cause,
  );
}

/** `auto_rotate_period` in seconds, with Vault's minimum. */
function rotatePeriod(v: number | string | undefined): number | undefined {
  const p = parseDuration(v);
  if (p !== undefined && p !== 0 && p < MIN_AUTO_ROTATE_SECONDS)
    throw transitError(
      TransitErrorCodes.INVALID_REQUEST,
      'auto rotate period must be 0 to disable or at least an hour',
    );
  return p;
}

export { parseVersioned };

/** `key_size` with Vault's rules: only for `hmac` keys, 32..512 bytes. */
function keySizeOf(type: KeyType, v: unknown): number | undefined {
  if (v === undefined || v === null || v === 0) return type === 'hmac' ? HMAC_KEY_SIZES.default : undefined;
  if (type !== 'hmac')
    throw transitError(TransitErrorCodes.INVALID_REQUEST, `key_size is not valid for algorithm ${type}`);
  if (!Number.isSafeInteger(v) || (v as number) < HMAC_KEY_SIZES.min || (v as number) > HMAC_KEY_SIZES.max)
    throw transitError(
      TransitErrorCodes.INVALID_REQUEST,
      `key_size must be between ${HMAC_KEY_SIZES.min} and ${HMAC_KEY_SIZES.max} bytes`,
    );
  return v as number;
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !KEY_NAME_RE.test(name)) {
    throw transitError(
      TransitErrorCodes.INVALID_REQUEST,
      'key names are 1-128 characters of A-Z a-z 0-9 . _ - and start with a letter or digit',
    );
  }
}

function checkBytes(what: string, v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) throw transitError(TransitErrorCodes.INVALID_REQUEST, `${what} must be a Uint8Array`);
  return v;
}

/** Associated data: absent means empty; anything but bytes (e.g. an ArrayBuffer) is a bad request, not a RangeError deep in HPKE. */
function adOf(v: unknown): Uint8Array {
  return v === undefined || v === null ? new Uint8Array(0) : checkBytes('associatedData', v);
}

function isKemType(t: KeyType): t is KemKeyType {
  return Object.hasOwn(KEMS, t);
}

/** Seed bytes of one version: what is sealed, exported and imported (ML-DSA ξ, SLH-DSA's 3n-byte keygen seed). */
function seedLength(type: KeyType, keySize?: number): number {
  if (type === 'hmac') return keySize ?? HMAC_KEY_SIZES.default;
  return isSignatureType(type) ? signatureAlgorithmOf(type).sizes.seed! : KEMS[type].nsk;
}

/** Vault's message for each malformed shape of an HMAC to verify. */
const HMAC_FAULTS: Record<VersionedFault, string> = {
  prefix: 'invalid HMAC to verify: no prefix',
  fields: 'invalid HMAC: wrong number of fields',
  version: 'invalid HMAC: version number could not be decoded',
};

/** Splits `vault:vN:base64` of an HMAC to verify (ERR_TRANSIT_INVALID_REQUEST with Vault's messages). */
function parseHmac(s: unknown): { version: number; mac: Uint8Array } {
  const { version, payload } = parseVersioned(s, {
    fault: (f) => transitError(TransitErrorCodes.INVALID_REQUEST, HMAC_FAULTS[f]),
    what: 'verification HMAC',
    code: TransitErrorCodes.INVALID_REQUEST,
  });
  return { version, mac: payload };
}

function notFound(): QsignError {
  return transitError(TransitErrorCodes.KEY_NOT_FOUND, 'encryption key not found');
}

/** A MasterKey has seal/open; catch the easy mix-ups here rather than as a TypeError on first use. */
function checkMasterKey(mk: unknown): MasterKey {
  const m = mk as Partial<MasterKey> | undefined;
  if (typeof m?.seal === 'function' && typeof m.open === 'function') return m as MasterKey;
  const hint =
    m && typeof m === 'object' && 'masterKey' in m
      ? ': got the { key, masterKey } pair, pass generateMasterKey().masterKey'
      : mk instanceof Uint8Array
        ? ': got raw bytes, pass await masterKeyFromBytes(bytes)'
        : '';
  throw transitError(
    TransitErrorCodes.INVALID_REQUEST,
    `masterKey must be a MasterKey (from masterKeyFromBytes(), generateMasterKey().masterKey or your own seal/open)${hint}`,
  );
}

/**
 * A keyring over one store and master key: Vault Transit's key operations (create, rotate, encrypt, decrypt,
 * rewrap, sign, verify, HMAC, data keys, backup/restore) on post-quantum keys. Safe to share between
 * concurrent requests.
 *
 * @example
 * ```ts
 * import { Keyring, memoryStore, generateMasterKey } from 'qsign-pqc/transit';
 * const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
 * await keyring.createKey('app', { type: 'ml-kem-768' });
 * const { ciphertext } = await keyring.encrypt('app', new TextEncoder().encode('secret')); // "vault:v1:…"
 * const { plaintext } = await keyring.decrypt('app', ciphertext);
 * ```
 */
export class Keyring {
  readonly store: TransitStore;
  private readonly masterKey: MasterKey;
  private readonly now: () => number;
  private readonly random: (n: number) => Uint8Array;
  private readonly cacheSize: number;
  private readonly cache = new Map<string, Promise<KemKeyPair>>();
  private readonly legacyRecords: 'migrate' | 'refuse';

  constructor(opts: KeyringOptions) {
    this.store = opts.store;
    this.masterKey = checkMasterKey(opts.masterKey);
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? randomBytes;
    this.cacheSize = opts.cacheSize ?? 1024;
    this.legacyRecords = opts.legacyRecords ?? 'migrate';
    if (typeof this.masterKey?.deriveMacKey !== 'function')
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        'the master key must implement deriveMacKey (key records are authenticated with a key derived from it)',
      );
  }

  // ---- storage helpers -------------------------------------------------

  private macInput(name: string, rec: KeyRecord): Uint8Array {
    return utf8(`${RECORD_MAC_CONTEXT}${name}\0${canonicalJson(rec)}`);
  }

  /** The stored form of a record: format 2, authenticated and bound to `name`. */
  private async encode(name: string, rec: KeyRecord): Promise<string> {
    const record: KeyRecord = { ...rec, format: 2 };
    const key = await this.masterKey.deriveMacKey(RECORD_MAC_LABEL);
    const mac = new Uint8Array(
      await transitSubtle().sign('HMAC', key, this.macInput(name, record) as Uint8Array<ArrayBuffer>),
    );
    const stored: StoredKey = { format: 2, record, mac: toBase64(mac) };
    return JSON.stringify(stored);
  }

  /** Parses and authenticates a stored record; anything that does not verify is RECORD_TAMPERED. */
  private async decode(name: string, json: string): Promise<{ rec: KeyRecord; legacy: boolean }> {
    let doc: Partial<StoredKey> & Partial<KeyRecord>;
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw tampered(name, e);
    }
    if (doc && doc.format === 2 && typeof doc.mac === 'string' && doc.record && typeof doc.record === 'object') {
      let mac: Uint8Array;
      try {
        mac = fromBase64(doc.mac);
      } catch (e) {
        throw tampered(name, e);
      }
      const key = await this.masterKey.deriveMacKey(RECORD_MAC_LABEL);
      // Web Crypto's verify compares in constant time.
      const ok = await transitSubtle().verify(
        'HMAC',
        key,
        mac as Uint8Array<ArrayBuffer>,
        this.macInput(name, doc.record) as Uint8Array<ArrayBuffer>,
      );
      if (!ok || doc.record.name !== name || doc.record.format !== 2) throw tampered(name);
      return { rec: doc.record, legacy: false };
    }
    if (doc && (doc as { format?: unknown }).format === 1 && this.legacyRecords === 'migrate')
      return { rec: await this.checkLegacy(name, doc as KeyRecord), legacy: true };
    throw tampered(name);
  }

  /**
   * A format-1 record is trusted for migration only if every version's public key is the one its sealed seed
   * (authenticated by the master key, bound to name and version) gives: that catches a substituted public key.
   */
  private async checkLegacy(name: string, rec: KeyRecord): Promise<KeyRecord> {
    try {
      if (rec.name !== name || !rec.versions || typeof rec.versions !== 'object') throw tampered(name);
      // `hmac` and SLH-DSA keys came after format 2, so a format-1 record naming such a type is not genuine.
      if (!(KEY_TYPES as readonly string[]).includes(rec.type) || rec.type === 'hmac' || isSlhDsaType(rec.type))
        throw tampered(name);
      for (const [v, r] of Object.entries(rec.versions)) {
        const seed = await this.masterKey.open(fromBase64(r.sealed), sealAad(name, Number(v)));
        try {
          const pk = isSignatureType(rec.type)
            ? (await signatureKeygen(sigAlg(rec.type), seed)).publicKey
            : (await kemKeyPair(rec.type, seed)).publicKey;
          if (!equalBytes(pk, fromBase64(r.public_key))) throw tampered(name);
        } finally {
          wipe(seed);
        }
      }
      if (!rec.versions[String(rec.latest_version)]) throw tampered(name);
      return rec;
    } catch (e) {
      throw e instanceof QsignError && e.code === TransitErrorCodes.RECORD_TAMPERED ? e : tampered(name, e);
    }
  }

  private async load(name: string): Promise<{ rec: KeyRecord; revision: number } | undefined> {
    checkName(name);
    for (let attempt = 0; attempt < 8; attempt++) {
      const row = await this.store.get(name);
      if (!row) return undefined;
      const { rec, legacy } = await this.decode(name, row.json);
      if (!legacy) return { rec, revision: row.revision };
      // Migrate on first load: rewrite authenticated (compare-and-swap; a concurrent writer wins and we re-read).
      const revision = await this.store.put(name, await this.encode(name, rec), row.revision);
      if (revision !== undefined) return { rec: { ...rec, format: 2 }, revision };
    }
    throw transitError(TransitErrorCodes.CONFLICT, `too many concurrent updates of key "${name}"; retry`);
  }

  private async must(name: string): Promise<KeyRecord> {
    const r = await this.load(name);
    if (!r) throw notFound();
    return r.rec;
  }

  /** Read-modify-write with compare-and-swap; retried when another writer wins. */
  private async mutate(
    name: string,
    fn: (rec: KeyRecord) => Promise<KeyRecord | undefined> | KeyRecord | undefined,
  ): Promise<KeyRecord> {
    for (let attempt = 0; attempt < 64; attempt++) {
      const cur = await this.load(name);
      if (!cur) throw notFound();
      const next = await fn(structuredClone(cur.rec));
      if (next === undefined) return cur.rec; // nothing to change
      if ((await this.store.put(name, await this.encode(name, next), cur.revision)) !== undefined) return next;
      // Lost the race: back off a little (jitter spreads competing processes).
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
    throw transitError(TransitErrorCodes.CONFLICT, `too many concurrent updates of key "${name}"; retry`);
  }

  /** A new version from a fresh seed, or from `imported` (copied; the caller wipes its own buffer). */
  private async newVersion(
    name: string,
    type: KeyType,
    version: number,
    keySize?: number,
    imported?: Uint8Array,
  ): Promise<VersionRecord> {
    const seed = imported ? imported.slice() : this.random(seedLength(type, keySize));
    try {
      // An HMAC key has no public part.
      const pk =
        type === 'hmac'
          ? new Uint8Array(0)
          : isSignatureType(type)
            ? (await signatureKeyPair(type, seed)).publicKey
            : (await kemKeyPair(type, seed)).publicKey;
      const sealed = await this.masterKey.seal(seed, sealAad(name, version));
      return { creation_time: new Date(this.now()).toISOString(), public_key: toBase64(pk), sealed: toBase64(sealed) };
    } finally {
      wipe(seed);
    }
  }

  /** The seed of one version, unsealed (the caller wipes it). */
  private async seedOf(rec: KeyRecord, version: number): Promise<Uint8Array> {
    const v = rec.versions[String(version)];
    if (!v) throw transitError(TransitErrorCodes.VERSION_DISALLOWED, 'key version no longer supported');
    return this.masterKey.open(fromBase64(v.sealed), sealAad(rec.name, version));
  }

  /**
   * The HMAC key of one version (the caller wipes it): an `hmac` key's seed is its HMAC key; any other type
   * derives a separate one from its seed (HKDF-SHA256), so an HMAC never uses KEM or ML-DSA seed bytes directly.
   */
  private async hmacKeyOf(rec: KeyRecord, version: number): Promise<Uint8Array> {
    const seed = await this.seedOf(rec, version);
    if (rec.type === 'hmac') return seed;
    try {
      return hkdf(sha256, seed, HMAC_KEY_SALT, new Uint8Array(0), 32);
    } finally {
      wipe(seed);
    }
  }

  /** The expanded private key of one version (cached). */
  private keyPair(rec: KeyRecord, version: number): Promise<KemKeyPair> {
    const v = rec.versions[String(version)];
    if (!v) throw transitError(TransitErrorCodes.VERSION_DISALLOWED, 'key version no longer supported');
    const cacheKey = v.sealed;
    let p = this.cache.get(cacheKey);
    if (!p) {
      p = (async () => {
        const seed = await this.masterKey.open(fromBase64(v.sealed), sealAad(rec.name, version));
        try {
          if (isSignatureType(rec.type)) return await signatureKeyPair(rec.type, seed);
          if (!isKemType(rec.type))
            throw transitError(TransitErrorCodes.UNSUPPORTED_OPERATION, `key type ${rec.type} has no key pair`);
          return await kemKeyPair(rec.type, seed);
        } finally {
          wipe(seed);
        }
      })();
      // A failed unseal must not poison the cache.
      p.catch(() => this.cache.delete(cacheKey));
      if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(cacheKey, p);
    }
    return p;
  }

  private info(rec: KeyRecord): KeyInfo {
    const keys: KeyInfo['keys'] = {};
    for (const [v, r] of Object.entries(rec.versions))
      keys[v] = { creation_time: r.creation_time, name: rec.type, public_key: r.public_key };
    const sig = isSignatureType(rec.type);
    const kem = isKemType(rec.type);
    return {
      name: rec.name,
      type: rec.type,
      keys,
      latest_version: rec.latest_version,
      min_available_version: rec.min_available_version,
      min_decryption_version: rec.min_decryption_version,
      min_encryption_version: rec.min_encryption_version,
      deletion_allowed: rec.deletion_allowed,
      derived: false,
      exportable: rec.exportable,
      allow_plaintext_backup: false,
      supports_encryption: kem,
      supports_decryption: kem,
      supports_derivation: false,
      supports_signing: sig,
      auto_rotate_period: rec.auto_rotate_period,
      imported_key: rec.imported_key === true,
      ...(rec.imported_key ? { imported_key_allow_rotation: rec.allow_rotation === true } : {}),
      ...(rec.key_size !== undefined ? { key_size: rec.key_size } : {}),
    };
  }

  /** Version used to encrypt/sign, after the policy checks of Vault. */
  private encryptionVersion(rec: KeyRecord, requested: number | undefined, what: 'encryption' | 'signing'): number {
    if (requested === undefined || requested === 0) return rec.latest_version;
    if (!Number.isSafeInteger(requested) || requested < 0)
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'key_version must be a positive integer');
    if (requested > rec.latest_version)
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        `requested version for ${what} is higher than the latest key version`,
      );
    if (requested < rec.min_encryption_version)
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        `requested version for ${what} is less than the minimum ${what === 'encryption' ? 'encryption' : 'signing'} key version`,
      );
    if (requested < rec.min_decryption_version || !rec.versions[String(requested)])
      throw transitError(TransitErrorCodes.VERSION_DISALLOWED, 'key version no longer supported');
    return requested;
  }

  /** Refuses versions the policy disallows (seed §9.2 scenario 3). */
  private decryptionVersion(rec: KeyRecord, version: number): number {
    if (version > rec.latest_version)
      throw transitError(TransitErrorCodes.INVALID_CIPHERTEXT, 'invalid ciphertext format');
    if (version < rec.min_decryption_version || version < rec.min_available_version || !rec.versions[String(version)]) {
      throw transitError(TransitErrorCodes.VERSION_DISALLOWED, 'key version no longer supported');
    }
    return version;
  }

  private async rotateIfDue(rec: KeyRecord): Promise<KeyRecord> {
    if (!rec.auto_rotate_period) return rec;
    const due = (r: KeyRecord) =>
      this.now() - Date.parse(r.versions[String(r.latest_version)]!.creation_time) >= r.auto_rotate_period * 1000;
    if (!due(rec)) return rec;
    return this.mutate(rec.name, async (r) => (due(r) ? this.addVersion(r) : undefined));
  }

  private async addVersion(r: KeyRecord): Promise<KeyRecord> {
    if (r.imported_key && !r.allow_rotation)
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        `imported key ${r.name} does not allow rotation within Vault`,
      );
    const v = r.latest_version + 1;
    r.versions[String(v)] = await this.newVersion(r.name, r.type, v, r.key_size);
    r.latest_version = v;
    return r;
  }

  private async kemRecord(name: string): Promise<KeyRecord & { type: KemKeyType }> {
    const rec = await this.must(name);
    if (!isKemType(rec.type))
      throw transitError(TransitErrorCodes.UNSUPPORTED_OPERATION, `key type ${rec.type} does not support encryption`);
    return rec as KeyRecord & { type: KemKeyType };
  }

  // ---- key management --------------------------------------------------

  /** A new key's record with version 1 (from `imported` seed bytes, else fresh ones); optional fields only when set. */
  private async firstVersionRecord(
    name: string,
    type: KeyType,
    opts: CreateKeyOptions,
    autoRotatePeriod: number,
    keySize: number | undefined,
    imported?: Uint8Array,
  ): Promise<KeyRecord> {
    return {
      format: 2,
      name,
      type,
      deletion_allowed: opts.deletion_allowed === true,
      exportable: opts.exportable === true,
      auto_rotate_period: autoRotatePeriod,
      latest_version: 1,
      min_decryption_version: 1,
      min_encryption_version: 0,
      min_available_version: 0,
      versions: { '1': await this.newVersion(name, type, 1, keySize, imported) },
      ...(keySize !== undefined ? { key_size: keySize } : {}),
    };
  }

  /** Creates key `name` (version 1). Like Vault, creating an existing key returns it unchanged. */
  async createKey(name: string, opts: CreateKeyOptions = {}): Promise<KeyInfo> {
    opts ??= {}; // a null from an untyped (JSON) caller means "no options", not a TypeError
    checkName(name);
    const type = resolveKeyType(opts.type, opts.parameter_set);
    const keySize = keySizeOf(type, opts.key_size);
    const existing = await this.load(name);
    if (existing) return this.info(existing.rec);
    const rec = await this.firstVersionRecord(name, type, opts, rotatePeriod(opts.auto_rotate_period) ?? 0, keySize);
    if ((await this.store.put(name, await this.encode(name, rec), undefined)) === undefined) {
      // Someone created it concurrently; theirs wins, as with Vault's upsert.
      return this.readKey(name);
    }
    return this.info(rec);
  }

  /** Public description of a key (public keys per version, never secrets). */
  async readKey(name: string): Promise<KeyInfo> {
    return this.info(await this.must(name));
  }

  /** The names of every key in the store. */
  async listKeys(): Promise<string[]> {
    // Entries that are not keys (the audit key) have names no key can have.
    return (await this.store.list()).filter((n) => KEY_NAME_RE.test(n));
  }

  /**
   * The audit log's HMAC key: created on first use, kept in the store sealed under the master key (bound to its
   * purpose by the AAD), so audit hashes compare across restarts and between servers sharing the store.
   */
  async auditHmacKey(): Promise<Uint8Array> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const row = await this.store.get(AUDIT_KEY_ENTRY);
      if (row) {
        let sealed: unknown;
        try {
          sealed = (JSON.parse(row.json) as { sealed?: unknown }).sealed;
        } catch (e) {
          throw tampered(AUDIT_KEY_ENTRY, e);
        }
        if (typeof sealed !== 'string') throw tampered(AUDIT_KEY_ENTRY);
        return this.masterKey.open(fromBase64(sealed), AUDIT_KEY_AAD);
      }
      const key = randomBytes(32);
      const sealed = toBase64(await this.masterKey.seal(key, AUDIT_KEY_AAD));
      if ((await this.store.put(AUDIT_KEY_ENTRY, JSON.stringify({ format: 1, sealed }), undefined)) !== undefined)
        return key;
      wipe(key); // another process stored its key first: use that one
    }
    throw transitError(TransitErrorCodes.CONFLICT, 'too many concurrent creations of the audit key; retry');
  }

  /** Changes policy fields with Vault's validation rules. */
  async configKey(name: string, cfg: KeyConfig): Promise<KeyInfo> {
    // Untyped callers may pass nothing; that is a bad request, not a TypeError on cfg.x.
    if (!cfg || typeof cfg !== 'object')
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'key config must be an object');
    const next = await this.mutate(name, (r) => {
      const int = (v: unknown, f: string) => {
        if (!Number.isSafeInteger(v) || (v as number) < 0)
          throw transitError(TransitErrorCodes.INVALID_REQUEST, `${f} must be a non-negative integer`);
        return v as number;
      };
      if (cfg.min_decryption_version !== undefined) {
        let v = int(cfg.min_decryption_version, 'min_decryption_version');
        if (v === 0) v = 1;
        if (v > r.latest_version)
          throw transitError(
            TransitErrorCodes.INVALID_REQUEST,
            'cannot set min decryption version above the latest version',
          );
        if (v < r.min_available_version)
          throw transitError(
            TransitErrorCodes.INVALID_REQUEST,
            'cannot set min decryption version below min available version (trimmed)',
          );
        r.min_decryption_version = v;
      }
      if (cfg.min_encryption_version !== undefined) {
        const v = int(cfg.min_encryption_version, 'min_encryption_version');
        if (v > r.latest_version)
          throw transitError(
            TransitErrorCodes.INVALID_REQUEST,
            'cannot set min encryption version above the latest version',
          );
        r.min_encryption_version = v;
      }
      if (r.min_encryption_version !== 0 && r.min_encryption_version < r.min_decryption_version) {
        throw transitError(
          TransitErrorCodes.INVALID_REQUEST,
          'min encryption version must be 0 or at least the min decryption version',
        );
      }
      if (cfg.deletion_allowed !== undefined) r.deletion_allowed = cfg.deletion_allowed === true;
      if (cfg.exportable !== undefined) {
        if (r.exportable && cfg.exportable !== true)
          throw transitError(TransitErrorCodes.INVALID_REQUEST, 'exportable cannot be disabled once enabled');
        r.exportable = cfg.exportable === true;
      }
      if (cfg.auto_rotate_period !== undefined) r.auto_rotate_period = rotatePeriod(cfg.auto_rotate_period)!;
      return r;
    });
    return this.info(next);
  }

  /** Adds version latest+1 and makes it the encryption/signing default. */
  async rotateKey(name: string): Promise<KeyInfo> {
    return this.info(await this.mutate(name, (r) => this.addVersion(r)));
  }

  /**
   * Destroys versions below `minAvailableVersion`. This, and delete, are the
   * only operations that make existing ciphertexts undecryptable.
   */
  async trimKey(name: string, minAvailableVersion: number): Promise<KeyInfo> {
    return this.info(
      await this.mutate(name, (r) => {
        const v = minAvailableVersion;
        if (!Number.isSafeInteger(v) || v < 1)
          throw transitError(TransitErrorCodes.INVALID_REQUEST, 'min_available_version must be a positive integer');
        if (r.min_encryption_version === 0)
          throw transitError(
            TransitErrorCodes.INVALID_REQUEST,
            'cannot trim while min_encryption_version is 0 (latest); set it first',
          );
        if (v > r.min_decryption_version || v > r.min_encryption_version) {
          throw transitError(
            TransitErrorCodes.INVALID_REQUEST,
            'min available version must not exceed the min decryption and min encryption versions',
          );
        }
        if (v < r.min_available_version)
          throw transitError(TransitErrorCodes.INVALID_REQUEST, 'min available version cannot go backwards');
        for (const k of Object.keys(r.versions)) if (Number(k) < v) delete r.versions[k];
        r.min_available_version = v;
        return r;
      }),
    );
  }

  /** Deletes the key and every version; refused unless `deletion_allowed`. */
  async deleteKey(name: string): Promise<void> {
    for (let attempt = 0; attempt < 64; attempt++) {
      const cur = await this.load(name);
      if (!cur) throw notFound();
      if (!cur.rec.deletion_allowed)
        throw transitError(
          TransitErrorCodes.DELETION_NOT_ALLOWED,
          `error deleting policy ${name}: deletion is not allowed for this key`,
        );
      if (await this.store.delete(name, cur.revision)) return;
    }
    throw transitError(TransitErrorCodes.CONFLICT, `too many concurrent updates of key "${name}"; retry`);
  }

  // ---- encryption ------------------------------------------------------

  /** Encrypts to `vault:vN:…` with HPKE on version N's KEM (latest unless `keyVersion`). */
  async encrypt(
    name: string,
    plaintext: Uint8Array,
    opts: EncryptOptions = {},
  ): Promise<{ ciphertext: string; keyVersion: number }> {
    opts ??= {};
    checkBytes('plaintext', plaintext);
    const rec = (await this.rotateIfDue(await this.kemRecord(name))) as KeyRecord & { type: KemKeyType };
    const version = this.encryptionVersion(rec, opts.keyVersion, 'encryption');
    const pk = fromBase64(rec.versions[String(version)]!.public_key);
    const body = await sealEnvelope(
      rec.type,
      pk,
      name,
      version,
      plaintext,
      adOf(opts.associatedData),
      this.random(KEMS[rec.type].nrand),
    );
    return { ciphertext: `${PREFIX}${version}:${toBase64(body)}`, keyVersion: version };
  }

  /** Decrypts a `vault:vN:` envelope of this key. */
  async decrypt(
    name: string,
    ciphertext: string,
    opts: DecryptOptions = {},
  ): Promise<{ plaintext: Uint8Array; keyVersion: number }> {
    opts ??= {};
    const { version, payload } = parseVersioned(ciphertext);
    const rec = await this.kemRecord(name);
    this.decryptionVersion(rec, version);
    const kp = await this.keyPair(rec, version);
    const plaintext = await openEnvelope(rec.type, kp, name, version, payload, adOf(opts.associatedData));
    return { plaintext, keyVersion: version };
  }

  /** Decrypts and re-encrypts under the latest (or given) version; the plaintext never leaves. */
  async rewrap(
    name: string,
    ciphertext: string,
    opts: EncryptOptions = {},
  ): Promise<{ ciphertext: string; keyVersion: number }> {
    opts ??= {};
    const { plaintext } = await this.decrypt(name, ciphertext, opts);
    try {
      return await this.encrypt(name, plaintext, opts);
    } finally {
      wipe(plaintext);
    }
  }

  /** A fresh random data key, returned wrapped (and in the clear for `plaintext` mode). */
  async dataKey(
    name: string,
    mode: 'plaintext' | 'wrapped',
    opts: DataKeyOptions = {},
  ): Promise<{ ciphertext: string; keyVersion: number; plaintext?: Uint8Array }> {
    opts ??= {};
    const bits = opts.bits ?? 256;
    if (bits !== 128 && bits !== 256 && bits !== 512)
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'bits must be 128, 256 or 512');
    if (mode !== 'plaintext' && mode !== 'wrapped')
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'data key type must be "plaintext" or "wrapped"');
    const key = randomBytes(bits / 8);
    const r = await this.encrypt(name, key, opts);
    if (mode === 'wrapped') {
      wipe(key);
      return r;
    }
    return { ...r, plaintext: key };
  }

  // ---- signatures ------------------------------------------------------

  /**
   * ML-DSA or SLH-DSA signature as `vault:vN:` + base64(raw signature): pure FIPS 204 / FIPS 205 signing of
   * `input` with `context` (hedged). Pure SLH-DSA takes messages up to `SLH_DSA_MAX_MESSAGE` bytes (larger:
   * ERR_TRANSIT_LIMIT_EXCEEDED).
   *
   * @example
   * ```ts
   * await keyring.createKey('firmware', { type: 'slh-dsa-sha2-128s' });
   * const { signature } = await keyring.sign('firmware', image, { context: utf8('fw-v1') });
   * await keyring.verify('firmware', image, signature, { context: utf8('fw-v1') }); // true
   * ```
   */
  async sign(
    name: string,
    input: Uint8Array,
    opts: SignOptions = {},
  ): Promise<{ signature: string; keyVersion: number }> {
    opts ??= {};
    checkBytes('input', input);
    let rec = await this.must(name);
    if (!isSignatureType(rec.type))
      throw transitError(TransitErrorCodes.UNSUPPORTED_OPERATION, `key type ${rec.type} does not support signing`);
    rec = await this.rotateIfDue(rec);
    const version = this.encryptionVersion(rec, opts.keyVersion, 'signing');
    const kp = await this.keyPair(rec, version);
    const type = rec.type as SignatureKeyType;
    const ctx = opts.context ? { context: opts.context } : {};
    let sig: Uint8Array;
    if (isSlhDsaType(type)) {
      const slh = await slhDsaOf(type);
      try {
        sig = slh.sign(input, kp.secretKey, ctx);
      } catch (e) {
        throw slhDsaLimit(e);
      }
    } else sig = await engineSign(sigAlg(type), kp.secretKey, input, ctx);
    return { signature: `${PREFIX}${version}:${toBase64(sig)}`, keyVersion: version };
  }

  /** True when `signature` is a valid signature of `input` by the version it names. */
  async verify(
    name: string,
    input: Uint8Array,
    signature: string,
    opts: { context?: Uint8Array } = {},
  ): Promise<boolean> {
    opts ??= {};
    checkBytes('input', input);
    const { version, payload } = parseVersioned(signature);
    const rec = await this.must(name);
    if (!isSignatureType(rec.type))
      throw transitError(TransitErrorCodes.UNSUPPORTED_OPERATION, `key type ${rec.type} does not support verification`);
    this.decryptionVersion(rec, version);
    const pk = fromBase64(rec.versions[String(version)]!.public_key);
    const ctx = opts.context ? { context: opts.context } : {};
    if (isSlhDsaType(rec.type)) {
      const slh = await slhDsaOf(rec.type);
      try {
        return slh.verify(payload, input, pk, ctx);
      } catch (e) {
        const limit = slhDsaLimit(e);
        if (limit !== e) throw limit;
        return false; // as below: a malformed signature or context is simply invalid
      }
    }
    try {
      return await engineVerify(sigAlg(rec.type), pk, input, payload, ctx);
    } catch {
      return false; // wrong-length signatures are simply invalid
    }
  }

  /** Public keys by version (`export/public-key/:name[/:version]`). */
  async exportPublicKeys(
    name: string,
    version?: number | 'latest',
  ): Promise<{ name: string; type: KeyType; keys: Record<string, string> }> {
    const rec = await this.must(name);
    if (rec.type === 'hmac')
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'key type hmac has no public key; export hmac-key instead');
    const keys: Record<string, string> = {};
    const want = version === 'latest' ? rec.latest_version : version;
    for (const [v, r] of Object.entries(rec.versions))
      if (want === undefined || Number(v) === want) keys[v] = r.public_key;
    if (want !== undefined && Object.keys(keys).length === 0)
      throw transitError(TransitErrorCodes.VERSION_DISALLOWED, 'key version no longer supported');
    return { name, type: rec.type, keys };
  }

  // ---- HMAC ------------------------------------------------------------

  /**
   * HMAC of `input` with version N's HMAC key (latest unless `keyVersion`), as `vault:vN:base64`. Every key type
   * has one HMAC key per version; `hmac` keys have nothing else.
   *
   * @example
   * ```ts
   * const { hmac } = await keyring.hmac('tokens', utf8('user-42'), { algorithm: 'sha3-256' });
   * await keyring.verifyHmac('tokens', utf8('user-42'), hmac, { algorithm: 'sha3-256' }); // true
   * ```
   */
  async hmac(
    name: string,
    input: Uint8Array,
    opts: { algorithm?: string; keyVersion?: number } = {},
  ): Promise<{ hmac: string; keyVersion: number }> {
    opts ??= {};
    checkBytes('input', input);
    const rec = await this.must(name);
    const requested = opts.keyVersion ?? 0;
    if (!Number.isSafeInteger(requested) || requested < 0)
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'key_version must be a non-negative integer');
    const version = requested === 0 ? rec.latest_version : requested;
    if (version > rec.latest_version)
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'invalid HMAC key version: higher than the latest version');
    if (version !== rec.latest_version && rec.min_encryption_version > 0 && version < rec.min_encryption_version)
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        'cannot generate HMAC: version is too old (disallowed by policy)',
      );
    const key = await this.hmacKeyOf(rec, version);
    try {
      const mac = await transitHmac(opts.algorithm ?? 'sha2-256', key, input);
      return { hmac: `${PREFIX}${version}:${toBase64(mac)}`, keyVersion: version };
    } finally {
      wipe(key);
    }
  }

  /** True when `hmac` (`vault:vN:…`) is the HMAC of `input` under version N; compared in constant time. */
  async verifyHmac(name: string, input: Uint8Array, hmac: string, opts: { algorithm?: string } = {}): Promise<boolean> {
    opts ??= {};
    checkBytes('input', input);
    const rec = await this.must(name);
    const { version, mac } = parseHmac(hmac);
    if (version > rec.latest_version)
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'invalid HMAC: version is too new');
    if (rec.min_decryption_version > 0 && version < rec.min_decryption_version)
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        'cannot verify HMAC: version is too old (disallowed by policy)',
      );
    const key = await this.hmacKeyOf(rec, version);
    let expected: Uint8Array | undefined;
    try {
      expected = await transitHmac(opts.algorithm ?? 'sha2-256', key, input);
      return equalBytes(expected, mac);
    } finally {
      wipe(key, expected);
    }
  }

  // ---- export and import of key material --------------------------------

  /**
   * Key material of an `exportable` key (`export/:type/:name[/:version]`): `encryption-key` is a KEM version's
   * seed (ML-KEM d‖z, 64 B; X-Wing 32 B), `signing-key` an ML-DSA seed ξ (32 B) or an SLH-DSA keygen seed
   * SK.seed‖SK.prf‖PK.seed (3n B: 48, 72 or 96; `keygen(seed)` of `slh_dsa_*` or noble's gives the key pair), `hmac-key` a version's HMAC
   * key. The same bytes `importKey` takes, so a key moves between servers with its versions' secrets.
   */
  async exportKey(
    kind: 'encryption-key' | 'signing-key' | 'hmac-key',
    name: string,
    version?: number | 'latest',
  ): Promise<{ name: string; type: KeyType; keys: Record<string, string> }> {
    const rec = await this.must(name);
    if (!rec.exportable)
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'private key material is not exportable');
    if (kind === 'encryption-key' && !isKemType(rec.type))
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'encryption not supported for the key');
    if (kind === 'signing-key' && !isSignatureType(rec.type))
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'signing not supported for the key');
    let versions: number[];
    if (version === undefined) versions = Object.keys(rec.versions).map(Number);
    else {
      const v = version === 'latest' ? rec.latest_version : version;
      if (v < rec.min_decryption_version)
        throw transitError(TransitErrorCodes.INVALID_REQUEST, 'version for export is below minimum decryption version');
      if (!rec.versions[String(v)])
        throw transitError(TransitErrorCodes.INVALID_REQUEST, 'version does not exist or cannot be found');
      versions = [v];
    }
    const keys: Record<string, string> = {};
    for (const v of versions) {
      const secret = kind === 'hmac-key' ? await this.hmacKeyOf(rec, v) : await this.seedOf(rec, v);
      keys[String(v)] = toBase64(secret);
      wipe(secret);
    }
    return { name, type: rec.type, keys };
  }

  /** The PEM public key (RSA-4096) that `keys/:name/import` ciphertexts are wrapped to; created on first use. */
  async wrappingKey(): Promise<string> {
    const { publicKeyPem, pkcs8 } = await this.openWrapping();
    wipe(pkcs8);
    return publicKeyPem;
  }

  private async openWrapping(): Promise<{ publicKeyPem: string; pkcs8: Uint8Array }> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const row = await this.store.get(WRAPPING_KEY_ENTRY);
      if (row) return openWrappingKey(this.masterKey, row.json, (cause) => tampered(WRAPPING_KEY_ENTRY, cause));
      // First use: create one; if another process stored its key first, use that one.
      await this.store.put(WRAPPING_KEY_ENTRY, await newWrappingKey(this.masterKey), undefined);
    }
    throw transitError(TransitErrorCodes.CONFLICT, 'too many concurrent creations of the wrapping key; retry');
  }

  /**
   * Creates key `name` (version 1) from key material wrapped for this keyring (Vault's BYOK): `ciphertext` is
   * RSA-OAEP(`hash_function`, {@link wrappingKey}) of an ephemeral AES-256 key followed by AES-KWP of the material
   * under it. The material is what {@link exportKey} gives for the type. An imported key rotates only with
   * `allow_rotation`.
   */
  async importKey(
    name: string,
    ciphertext: Uint8Array,
    opts: ImportKeyOptions & { hash_function?: string } = {},
  ): Promise<KeyInfo> {
    opts ??= {};
    checkName(name);
    checkBytes('ciphertext', ciphertext);
    const type = resolveKeyType(opts.type, opts.parameter_set);
    const autoRotate = rotatePeriod(opts.auto_rotate_period) ?? 0;
    if (autoRotate > 0 && opts.allow_rotation !== true)
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        'allow_rotation must be set to true if auto-rotation is enabled',
      );
    const existsError = () =>
      transitError(
        TransitErrorCodes.INVALID_REQUEST,
        'the import path cannot be used with an existing key; use import-version to rotate an existing imported key',
      );
    if (await this.store.get(name)) throw existsError();
    const { pkcs8 } = await this.openWrapping();
    let material: Uint8Array | undefined;
    try {
      material = await unwrapImport(pkcs8, ciphertext, opts.hash_function);
      const keySize = type === 'hmac' ? keySizeOf(type, material.length) : undefined;
      if (type !== 'hmac' && material.length !== seedLength(type))
        throw transitError(
          TransitErrorCodes.INVALID_REQUEST,
          `key material for ${type} must be its ${seedLength(type)}-byte seed, not ${material.length} bytes`,
        );
      const rec: KeyRecord = {
        ...(await this.firstVersionRecord(name, type, opts, autoRotate, keySize, material)),
        imported_key: true,
        allow_rotation: opts.allow_rotation === true,
      };
      if ((await this.store.put(name, await this.encode(name, rec), undefined)) === undefined) throw existsError();
      return this.info(rec);
    } finally {
      wipe(pkcs8, material);
    }
  }

  // ---- backup ----------------------------------------------------------

  /**
   * The whole key document sealed under the master key (base64). Restorable
   * only where the same master key is configured.
   */
  async backup(name: string): Promise<string> {
    const rec = await this.must(name);
    const sealed = await this.masterKey.seal(utf8(JSON.stringify(rec)), BACKUP_AAD);
    return toBase64(sealed);
  }

  /** Restores a backup, optionally under a new name; refuses to overwrite unless `force`. */
  async restore(backup: string, opts: { name?: string; force?: boolean } = {}): Promise<KeyInfo> {
    opts ??= {};
    let rec: KeyRecord;
    try {
      const bytes = await this.masterKey.open(fromBase64(backup, 'backup'), BACKUP_AAD);
      rec = JSON.parse(new TextDecoder().decode(bytes)) as KeyRecord;
    } catch (e) {
      if (e instanceof QsignError && e.code === TransitErrorCodes.SEALED)
        throw transitError(
          TransitErrorCodes.INVALID_REQUEST,
          'backup cannot be opened with this master key or was modified',
          e,
        );
      throw e;
    }
    const name = opts.name ?? rec.name;
    checkName(name);
    if (name !== rec.name) {
      // Sealed seeds are bound to their key name: reseal them for the new one.
      for (const [v, r] of Object.entries(rec.versions)) {
        const seed = await this.masterKey.open(fromBase64(r.sealed), sealAad(rec.name, Number(v)));
        r.sealed = toBase64(await this.masterKey.seal(seed, sealAad(name, Number(v))));
        wipe(seed);
      }
      rec.name = name;
    }
    const cur = await this.store.get(name);
    if (cur && !opts.force)
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        `key "${name}" already exists; restore with force to overwrite`,
      );
    if ((await this.store.put(name, await this.encode(name, rec), cur?.revision)) === undefined)
      throw transitError(TransitErrorCodes.CONFLICT, `key "${name}" changed during restore; retry`);
    return this.info(rec);
  }

  // ---- streaming -------------------------------------------------------

  /** Encrypts a large payload as framed chunks (see stream.ts); memory stays at about one chunk. */
  encryptStream(
    name: string,
    input: ReadableStream<Uint8Array>,
    opts: StreamEncryptOptions = {},
  ): Promise<ReadableStream<Uint8Array>> {
    return encryptStream(this, name, input, opts);
  }

  /** Decrypts a stream from `encryptStream`; the output errors on tampering, truncation or reordering. */
  decryptStream(
    name: string,
    input: ReadableStream<Uint8Array>,
    opts: { associatedData?: Uint8Array } = {},
  ): Promise<ReadableStream<Uint8Array>> {
    return decryptStream(this, name, input, opts);
  }

  // ---- internals for the stream framing -------------------------------

  /** @internal Key type, version and public key to encrypt a stream with. */
  async encryptionTarget(
    name: string,
    keyVersion?: number,
  ): Promise<{ type: KemKeyType; version: number; publicKey: Uint8Array; rand: (n: number) => Uint8Array }> {
    const rec = (await this.rotateIfDue(await this.kemRecord(name))) as KeyRecord & { type: KemKeyType };
    const version = this.encryptionVersion(rec, keyVersion, 'encryption');
    return {
      type: rec.type,
      version,
      publicKey: fromBase64(rec.versions[String(version)]!.public_key),
      rand: this.random,
    };
  }

  /** @internal Key pair of one version for stream decryption, after the policy checks. */
  async decryptionKey(name: string, version: number): Promise<{ type: KemKeyType; keyPair: KemKeyPair }> {
    const rec = await this.kemRecord(name);
    this.decryptionVersion(rec, version);
    return { type: rec.type, keyPair: await this.keyPair(rec, version) };
  }
}
