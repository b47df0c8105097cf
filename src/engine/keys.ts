/**
 * Moving keys between our seed-based byte keys and native `CryptoKey`s.
 *
 * Seeds are the common currency: every runtime we probed imports and exports
 * `raw-seed` (and the seed-only PKCS#8 form), none accepts the expanded
 * secret key (Node 24, Deno 2.9 and Bun 1.4 all reject expanded PKCS#8 with
 * NotSupportedError). So a key created by the wasm engine moves to native
 * through its seed, and an extractable native key moves back the same way;
 * the probe checks both engines derive the same public key from a seed.
 *
 * A non-extractable CryptoKey is the way to hold a signing or decapsulation
 * key whose secret JavaScript can never read again; the engine functions
 * accept it in place of secret bytes and run it natively.
 */
import { QsignError } from '../errors.js';
import { init, isInitialized } from '../wasm/loader.js';
import {
  EngineErrorCodes,
  importSeed,
  importPublic,
  publicOf,
  exportRaw,
  privateUsages,
  publicUsages,
  requireSubtle,
  sizeOf,
  unsupported,
  checkKemPublicKey,
  isKem,
  type EngineAlgorithm,
} from './native.js';
import { probeAlgorithm } from './probe-kem.js';
import { engineAlgorithm } from './router.js';
import { isCryptoKey } from './runtime.js';

/** Key formats of the Web Crypto modern-algorithms draft for ML-DSA / ML-KEM. */
export type WebCryptoKeyFormat = 'raw-seed' | 'raw-public' | 'pkcs8' | 'spki' | 'jwk';

/**
 * Options of the native key imports ({@link importKeyToWebCrypto}, {@link importWebCryptoKey}).
 *
 * @example
 * ```ts
 * const { privateKey } = await importKeyToWebCrypto('ML-DSA-65', seed, { extractable: false });
 * ```
 */
export interface ImportKeyOptions {
  /** Whether the private key may be exported later (default false: it cannot leave native code). */
  extractable?: boolean;
  /** Key usages; default: sign/verify or decapsulateBits/encapsulateBits by key type. */
  usages?: string[];
}

/** Throws ERR_UNSUPPORTED_BY_RUNTIME unless the probe found native seed import for `alg`. */
async function requireNative(alg: EngineAlgorithm): Promise<void> {
  if (!isInitialized()) await init();
  const cap = await probeAlgorithm(alg);
  if (!cap.importSeed) {
    throw unsupported(
      `this runtime's Web Crypto does not support ${alg}${cap.notes.length ? ` (${cap.notes[0]})` : ''}; use the wasm engine with byte keys`,
    );
  }
}

function checkSeed(alg: EngineAlgorithm, seed: unknown): asserts seed is Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length !== sizeOf(alg, 'seed')) {
    throw new QsignError(
      'ERR_INVALID_SECRET_KEY',
      `a ${alg} seed is a Uint8Array of ${sizeOf(alg, 'seed')} bytes (expanded secret keys cannot be imported natively)`,
    );
  }
}

/**
 * Imports one of our seeds (32-byte ML-DSA ξ, 64-byte ML-KEM d‖z) as a native
 * key pair. With `extractable: false` (the default) the private key can sign
 * / decapsulate but its seed can never be read back.
 *
 * @throws QsignError `ERR_UNSUPPORTED_BY_RUNTIME` where the runtime lacks `alg`.
 * @example
 * ```ts
 * const { privateKey } = await importKeyToWebCrypto('ML-DSA-65', seed);
 * const sig = await sign('ML-DSA-65', privateKey, msg); // runs natively
 * ```
 */
export async function importKeyToWebCrypto(
  alg: string,
  seed: Uint8Array,
  opts: ImportKeyOptions = {},
): Promise<CryptoKeyPair> {
  const a = engineAlgorithm(alg);
  checkSeed(a, seed);
  await requireNative(a);
  const privateKey = await importSeed(a, seed, opts.extractable ?? false, opts.usages ?? privateUsages(a));
  return { privateKey, publicKey: await publicOf(a, privateKey) };
}

/** Imports raw public-key bytes as a native public key. */
export async function importPublicKeyToWebCrypto(alg: string, publicKey: Uint8Array): Promise<CryptoKey> {
  const a = engineAlgorithm(alg);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== sizeOf(a, 'publicKey')) {
    throw new QsignError('ERR_INVALID_PUBLIC_KEY', `a ${a} public key is ${sizeOf(a, 'publicKey')} bytes`);
  }
  await requireNative(a);
  return importPublic(a, publicKey);
}

/**
 * Imports a key in any draft format: `raw-seed` / `pkcs8` (private; the
 * seed form), `raw-public` / `spki` (public), `jwk` (either, `kty: "AKP"`).
 */
export async function importWebCryptoKey(
  alg: string,
  format: WebCryptoKeyFormat,
  data: Uint8Array | JsonWebKey,
  opts: ImportKeyOptions = {},
): Promise<CryptoKey> {
  const a = engineAlgorithm(alg);
  await requireNative(a);
  const isPrivate =
    format === 'raw-seed' ||
    format === 'pkcs8' ||
    (format === 'jwk' && typeof (data as { priv?: unknown }).priv === 'string');
  if (format === 'jwk' ? data instanceof Uint8Array : !(data instanceof Uint8Array)) {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      format === 'jwk' ? 'a jwk import takes a JSON Web Key object' : `a ${format} import takes a Uint8Array`,
    );
  }
  if (format === 'raw-seed') checkSeed(a, data);
  const usages = opts.usages ?? (isPrivate ? privateUsages(a) : publicUsages(a));
  try {
    const body = data instanceof Uint8Array ? new Uint8Array(data) : data;
    const key = await requireSubtle().importKey(
      format,
      body,
      { name: a },
      isPrivate ? (opts.extractable ?? false) : true,
      usages,
    );
    // Same public-key validation as raw-public imports (see checkKemPublicKey).
    if (!isPrivate && isKem(a)) checkKemPublicKey(a, await exportRaw(key, 'raw-public'));
    return key;
  } catch (e) {
    if (e instanceof QsignError) throw e;
    const n = (e as { name?: string })?.name;
    if (n === 'NotSupportedError')
      throw unsupported(`this runtime's Web Crypto cannot import a ${a} ${format} key (${(e as Error).message})`, e);
    throw new QsignError(
      isPrivate ? 'ERR_INVALID_SECRET_KEY' : 'ERR_INVALID_PUBLIC_KEY',
      `the ${a} ${format} key was rejected (${n}: ${(e as Error).message})`,
      { cause: e },
    );
  }
}

/** Exports a native key. Private formats need an extractable key (else `ERR_KEY_NOT_EXTRACTABLE`). */
export async function exportWebCryptoKey(key: CryptoKey, format: 'jwk'): Promise<JsonWebKey>;
export async function exportWebCryptoKey(
  key: CryptoKey,
  format: Exclude<WebCryptoKeyFormat, 'jwk'>,
): Promise<Uint8Array>;
export async function exportWebCryptoKey(key: CryptoKey, format: WebCryptoKeyFormat): Promise<Uint8Array | JsonWebKey> {
  if (!isCryptoKey(key)) throw new QsignError('ERR_INVALID_ARGUMENT', 'exportWebCryptoKey takes a CryptoKey');
  if (format !== 'jwk') return exportRaw(key, format);
  try {
    return (await requireSubtle().exportKey('jwk', key)) as JsonWebKey;
  } catch (e) {
    if (!key.extractable)
      throw new QsignError(
        EngineErrorCodes.KEY_NOT_EXTRACTABLE,
        `the ${key.algorithm.name} CryptoKey is non-extractable`,
        { cause: e },
      );
    throw unsupported(
      `this runtime's Web Crypto cannot export a ${key.algorithm.name} JWK (${(e as Error).message})`,
      e,
    );
  }
}

/**
 * The seed of an extractable private CryptoKey: our byte form, usable by the
 * wasm primitives (`ml_dsa65.keygen(seed)`) and the engine functions.
 */
export async function seedFromWebCrypto(key: CryptoKey): Promise<Uint8Array> {
  if (!isCryptoKey(key) || key.type !== 'private')
    throw new QsignError('ERR_INVALID_ARGUMENT', 'seedFromWebCrypto takes a private CryptoKey');
  return exportRaw(key, 'raw-seed');
}

/** The raw public-key bytes of a public CryptoKey, or of a private one (even non-extractable). */
export async function publicKeyFromWebCrypto(key: CryptoKey): Promise<Uint8Array> {
  if (!isCryptoKey(key)) throw new QsignError('ERR_INVALID_ARGUMENT', 'publicKeyFromWebCrypto takes a CryptoKey');
  const a = engineAlgorithm(key.algorithm.name);
  return exportRaw(key.type === 'public' ? key : await publicOf(a, key), 'raw-public');
}
