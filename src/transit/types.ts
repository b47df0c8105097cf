/**
 * Key types, their aliases and the Vault-shaped key description that both the
 * library (`Keyring.readKey`) and the HTTP API (`GET keys/:name`) return.
 */
import { aliasHint, algorithmByTransitType } from '../registry.js';
import { transitError, TransitErrorCodes } from './errors.js';
import type { KemKeyType } from './envelope.js';

/** Transit key types that sign and verify (ML-DSA, FIPS 204). */
export type SignatureKeyType = 'ml-dsa-44' | 'ml-dsa-65' | 'ml-dsa-87';
/** `hmac`: a key for `hmac/:name` and HMAC verification only (as Vault's `type: hmac`). */
export type KeyType = KemKeyType | SignatureKeyType | 'hmac';

/**
 * Every canonical transit key type, in the order error messages list them; other spellings
 * (`kyber768`, `ML-KEM-768`, …) resolve to these through {@link resolveKeyType}.
 *
 * @example
 * ```ts
 * if (!KEY_TYPES.includes(type as KeyType)) type = resolveKeyType(type);
 * ```
 */
export const KEY_TYPES: readonly KeyType[] = [
  'ml-kem-768',
  'ml-kem-1024',
  'xwing',
  'ml-dsa-44',
  'ml-dsa-65',
  'ml-dsa-87',
  'hmac',
];

/**
 * Canonical key type from a request: a key type, any spelling the registry
 * knows for its algorithm (`kyber768`, `ML-KEM-768`, `x-wing`, …), or Vault
 * Enterprise's `type: "ml-dsa"` + `parameter_set: "44"|"65"|"87"`. Default
 * `ml-kem-768`. The registry lookup scans an array, so `__proto__` or
 * `constructor` from a request finds nothing.
 */
export function resolveKeyType(type?: string, parameterSet?: string | number): KeyType {
  if (type === undefined || type === '') return 'ml-kem-768';
  const t = String(type).toLowerCase();
  if (t === 'ml-dsa' || t === 'mldsa') {
    const p = String(parameterSet ?? '65');
    const k = `ml-dsa-${p}` as KeyType;
    if (KEY_TYPES.includes(k)) return k;
    throw transitError(
      TransitErrorCodes.INVALID_REQUEST,
      `unsupported parameter_set "${p}" for ml-dsa; use 44, 65 or 87`,
    );
  }
  if ((KEY_TYPES as readonly string[]).includes(t)) return t as KeyType;
  const a = algorithmByTransitType(t)?.transitType as KeyType | undefined;
  if (a !== undefined && KEY_TYPES.includes(a)) return a;
  // String(), not the template literal: a Symbol `type` from an untyped caller must not throw a TypeError here.
  throw transitError(
    TransitErrorCodes.INVALID_REQUEST,
    `unsupported key type "${String(type)}"; use one of ${KEY_TYPES.join(', ')} (alias ${aliasHint('ML-KEM-768')})`,
  );
}

export function isSignatureType(t: KeyType): t is SignatureKeyType {
  return t.startsWith('ml-dsa-');
}

/** One version as `GET keys/:name` shows it (never secrets). */
export interface KeyVersionInfo {
  creation_time: string;
  name: KeyType;
  public_key: string;
}

/** Vault's `GET keys/:name` `data`, for our key types. */
export interface KeyInfo {
  name: string;
  type: KeyType;
  keys: Record<string, KeyVersionInfo>;
  latest_version: number;
  min_available_version: number;
  min_decryption_version: number;
  min_encryption_version: number;
  deletion_allowed: boolean;
  derived: false;
  exportable: boolean;
  allow_plaintext_backup: false;
  supports_encryption: boolean;
  supports_decryption: boolean;
  supports_derivation: false;
  supports_signing: boolean;
  auto_rotate_period: number;
  /** True for a key created by `keys/:name/import`. */
  imported_key: boolean;
  /** Imported keys only: whether `rotate` may add versions generated here. */
  imported_key_allow_rotation?: boolean;
  /** `hmac` keys only: bytes of HMAC key per version. */
  key_size?: number;
}

/** Options of `createKey` (Vault field names). */
export interface CreateKeyOptions {
  type?: string;
  parameter_set?: string | number;
  exportable?: boolean;
  deletion_allowed?: boolean;
  /** Seconds, or a duration such as "24h", "90m"; 0 disables. */
  auto_rotate_period?: number | string;
  /** `hmac` keys only: HMAC key bytes per version, 32..512 (default 32). */
  key_size?: number;
}

/** Options of `importKey` (Vault field names). */
export interface ImportKeyOptions extends CreateKeyOptions {
  /** Whether `rotate` may add versions generated here (Vault's default: false). */
  allow_rotation?: boolean;
}

/** Fields of `keys/:name/config`; absent fields keep their value. */
export interface KeyConfig {
  min_decryption_version?: number;
  min_encryption_version?: number;
  deletion_allowed?: boolean;
  /** One-way: once true it stays true. */
  exportable?: boolean;
  auto_rotate_period?: number | string;
}

/** Parses seconds or a Go-style duration ("1h30m", "45s", "7d" is not Go but common). */
export function parseDuration(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0)
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'auto_rotate_period must be a non-negative duration');
    return Math.floor(v);
  }
  const s = String(v).trim();
  if (/^\d+$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  let total = 0,
    used = 0,
    m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    used += m[0].length;
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  }
  if (used !== s.length || s.length === 0)
    throw transitError(TransitErrorCodes.INVALID_REQUEST, `invalid duration "${s}"`);
  return Math.floor(total);
}
