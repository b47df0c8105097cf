/**
 * The ONE place that knows which JavaScript runtime we are in and how to
 * reach its Web Crypto. Everything else in the SDK asks this module instead
 * of scattering `typeof Deno` / `process.versions` checks around, so a new
 * runtime only needs a line here.
 *
 * Identification uses `navigator.userAgent`, which every runtime we support
 * sets (Node ≥ 21 "Node.js/24", Deno "Deno/2.9.6", Bun "Bun/1.4.5", workerd
 * "Cloudflare-Workers", browsers their usual strings). It is only used to
 * pick a row of the committed speed policy; *what* native crypto exists is
 * always probed, never inferred from the name.
 */

/** Runtime families with their own row in the engine policy table. */
export type RuntimeName = 'node' | 'deno' | 'bun' | 'workerd' | 'chromium' | 'firefox' | 'safari' | 'unknown';

/** Which runtime this is, as the engine sees it. */
export interface RuntimeInfo {
  readonly name: RuntimeName;
  /** Version string as reported (may be only the major, e.g. Node's "24"). */
  readonly version: string;
  /** Major version, 0 when unknown. */
  readonly major: number;
  /** Policy-table key, e.g. `node@24`, `chromium@156`. */
  readonly key: string;
}

/** Runtime family and version from a user-agent string (exported for tests). */
export function parseUserAgent(ua: string): { name: RuntimeName; version: string } {
  const m = (re: RegExp): string | undefined => ua.match(re)?.[1];
  let v: string | undefined;
  if ((v = m(/^Node\.js\/(\S+)/))) return { name: 'node', version: v };
  if ((v = m(/^Deno\/(\S+)/))) return { name: 'deno', version: v };
  if ((v = m(/^Bun\/(\S+)/))) return { name: 'bun', version: v };
  if (/Cloudflare-Workers/.test(ua)) return { name: 'workerd', version: '' };
  if ((v = m(/Firefox\/(\S+)/))) return { name: 'firefox', version: v };
  // Chromium-based browsers all carry "Chrome/"; Edge/Opera run the same BoringSSL Web Crypto.
  if ((v = m(/(?:Headless)?Chrome\/(\S+)/))) return { name: 'chromium', version: v };
  if ((v = m(/Version\/(\S+).*Safari\//))) return { name: 'safari', version: v };
  return { name: 'unknown', version: '' };
}

let info: RuntimeInfo | undefined;

/** Which runtime this is (memoized; cheap: one regex over the user agent). */
export function runtimeInfo(): RuntimeInfo {
  if (!info) {
    const nav = (globalThis as { navigator?: { userAgent?: unknown } }).navigator;
    const ua = typeof nav?.userAgent === 'string' ? nav.userAgent : '';
    let { name, version } = parseUserAgent(ua);
    // Node 20 has no navigator; its process object says who it is. Kept here,
    // the one runtime-specific module, and read only when the UA is missing.
    if (name === 'unknown') {
      const proc = (globalThis as { process?: { versions?: { node?: string; bun?: string } } }).process;
      if (typeof proc?.versions?.bun === 'string') {
        name = 'bun';
        version = proc.versions.bun;
      } else if (typeof proc?.versions?.node === 'string') {
        name = 'node';
        version = proc.versions.node;
      }
    }
    const major = Number.parseInt(version, 10) || 0;
    info = Object.freeze({ name, version, major, key: `${name}@${major}` });
  }
  return info;
}

/**
 * The Web Crypto "modern algorithms" surface we use. TypeScript's DOM lib
 * does not know `raw-seed`, `getPublicKey` or the KEM methods yet, so they
 * are typed here loosely and every call is feature-detected.
 */
export interface ModernSubtle {
  generateKey(alg: unknown, extractable: boolean, usages: string[]): Promise<CryptoKeyPair>;
  importKey(format: string, data: unknown, alg: unknown, extractable: boolean, usages: string[]): Promise<CryptoKey>;
  exportKey(format: string, key: CryptoKey): Promise<ArrayBuffer | JsonWebKey>;
  sign(alg: unknown, key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  verify(alg: unknown, key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
  getPublicKey?(key: CryptoKey, usages: string[]): Promise<CryptoKey>;
  encapsulateBits?(alg: unknown, key: CryptoKey): Promise<{ ciphertext: ArrayBuffer; sharedKey: ArrayBuffer }>;
  decapsulateBits?(alg: unknown, key: CryptoKey, ciphertext: Uint8Array): Promise<ArrayBuffer>;
}

/**
 * `crypto.subtle` when the runtime has it, else undefined (insecure browser
 * contexts, very old runtimes). Looked up on each call rather than at module
 * load: in Node merely touching `globalThis.crypto.subtle` loads the whole
 * Web Crypto implementation (~8 ms measured), which must not happen in a
 * cold start that never uses the native engine.
 */
export function nativeSubtle(): ModernSubtle | undefined {
  try {
    const s = (globalThis as { crypto?: { subtle?: unknown } }).crypto?.subtle;
    return s && typeof s === 'object' ? (s as ModernSubtle) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The runtime's standard `SubtleCrypto` (AES-GCM, HMAC, …) for the layers
 * that use Web Crypto beyond ML-DSA / ML-KEM (HPKE's AES-GCM), or undefined
 * where there is none. Same lookup as {@link nativeSubtle}: this module is
 * the one door to `crypto.subtle`.
 */
export function webCryptoSubtle(): SubtleCrypto | undefined {
  return nativeSubtle() as unknown as SubtleCrypto | undefined;
}

/** What the engine router needs to know of the runtime, in one look: who it is and whether it has `crypto.subtle`. */
export function runtimeFacts(): RuntimeInfo & { readonly webCrypto: boolean } {
  return { ...runtimeInfo(), webCrypto: nativeSubtle() !== undefined };
}

/** True for a Web Crypto `CryptoKey` (duck-typed too, for keys from another realm). */
export function isCryptoKey(v: unknown): v is CryptoKey {
  if (typeof CryptoKey !== 'undefined' && v instanceof CryptoKey) return true;
  return (
    !!v &&
    typeof v === 'object' &&
    !(v instanceof Uint8Array) &&
    typeof (v as CryptoKey).type === 'string' &&
    typeof (v as CryptoKey).algorithm === 'object' &&
    typeof (v as CryptoKey).extractable === 'boolean' &&
    Array.isArray((v as CryptoKey).usages)
  );
}
