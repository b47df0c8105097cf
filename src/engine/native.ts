/**
 * Thin, typed wrappers over the runtime's native Web Crypto ML-DSA / ML-KEM
 * (WICG "modern algorithms" shape). Nothing here decides *whether* to use
 * native crypto — that is the router's job (index.ts) with the probe's
 * answers (probe.ts); this module only turns native calls and their
 * DOMExceptions into byte results and QsignErrors with stable codes.
 */
import { QsignError, type QsignErrorCode } from '../errors.js';
import { ML_DSA } from '../registry/ml-dsa.js';
import { ML_KEM } from '../registry/ml-kem.js';
import { findIn } from '../registry/rows.js';
import { nativeSubtle, type ModernSubtle } from './runtime.js';

/** Signature algorithms the engine can route to native Web Crypto (canonical names). */
export type SignatureAlgorithm = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';
/** KEM algorithms the engine can route to native Web Crypto (canonical names). */
export type KemAlgorithm = 'ML-KEM-512' | 'ML-KEM-768' | 'ML-KEM-1024';
/** Every algorithm the engine routes: {@link SignatureAlgorithm} or {@link KemAlgorithm}. */
export type EngineAlgorithm = SignatureAlgorithm | KemAlgorithm;

/** Stable codes this layer adds (errors.ts keeps the core ones). */
export const EngineErrorCodes = {
  /** The runtime's Web Crypto lacks the algorithm, operation or feature the call needs. */
  UNSUPPORTED_BY_RUNTIME: 'ERR_UNSUPPORTED_BY_RUNTIME',
  /** A CryptoKey was created non-extractable, so its secret cannot be exported. */
  KEY_NOT_EXTRACTABLE: 'ERR_KEY_NOT_EXTRACTABLE',
} as const;

declare module '../errors.js' {
  interface QsignErrorCodeTables {
    engine: typeof EngineErrorCodes;
  }
}

export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'];
export const KEM_ALGORITHMS: readonly KemAlgorithm[] = ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'];
export const ENGINE_ALGORITHMS: readonly EngineAlgorithm[] = [...SIGNATURE_ALGORITHMS, ...KEM_ALGORITHMS];

export function isKem(alg: EngineAlgorithm): alg is KemAlgorithm {
  return alg.startsWith('ML-KEM');
}

/** Byte sizes from the registry (one source of truth). */
export function sizeOf(
  alg: EngineAlgorithm,
  what: 'publicKey' | 'secretKey' | 'signature' | 'cipherText' | 'seed',
): number {
  const n = findIn(isKem(alg) ? ML_KEM : ML_DSA, alg)?.sizes[what];
  if (n === undefined) throw new QsignError('ERR_INTERNAL', `no ${what} size for ${alg}`);
  return n;
}

export function unsupported(what: string, cause?: unknown): QsignError {
  return new QsignError(EngineErrorCodes.UNSUPPORTED_BY_RUNTIME, what, cause === undefined ? undefined : { cause });
}

/** The subtle object, or ERR_UNSUPPORTED_BY_RUNTIME when the runtime has none. */
export function requireSubtle(): ModernSubtle {
  const s = nativeSubtle();
  if (!s)
    throw unsupported(
      'this runtime has no crypto.subtle (Web Crypto), so the native engine is unavailable; use the wasm engine',
    );
  return s;
}

/** Copies into a fresh ArrayBuffer-backed view: Web Crypto rejects SharedArrayBuffer views and some runtimes detach nothing but we never hand out caller memory. */
function own(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(b) as Uint8Array<ArrayBuffer>;
}

function bytes(b: ArrayBuffer): Uint8Array {
  return new Uint8Array(b);
}

function domName(e: unknown): string {
  return (e as { name?: string })?.name ?? '';
}

/** Maps a native failure to our codes; an unknown-algorithm NotSupportedError means the runtime lacks it. */
function mapError(e: unknown, what: string, badInput: QsignErrorCode): QsignError {
  if (e instanceof QsignError) return e;
  const n = domName(e);
  // WebIDL TypeErrors ("'raw-seed' is not a valid enum value of type KeyFormat", Node 20) mean the
  // runtime does not know the format/usage at all: our arguments are always well-typed.
  if (n === 'NotSupportedError' || n === 'TypeError')
    return unsupported(`${what}: the runtime's Web Crypto does not support this (${(e as Error).message})`, e);
  if (n === 'DataError' || n === 'OperationError' || n === 'InvalidAccessError') {
    return new QsignError(badInput, `${what}: native Web Crypto rejected the input (${n}: ${(e as Error).message})`, {
      cause: e,
    });
  }
  return new QsignError(
    'ERR_INTERNAL',
    `${what}: native Web Crypto failed (${n || 'error'}: ${(e as Error)?.message ?? e})`,
    { cause: e },
  );
}

const SIGN_PRIVATE = ['sign'];
const SIGN_PUBLIC = ['verify'];
const KEM_PRIVATE = ['decapsulateBits'];
const KEM_PUBLIC = ['encapsulateBits'];

export function privateUsages(alg: EngineAlgorithm): string[] {
  return isKem(alg) ? [...KEM_PRIVATE] : [...SIGN_PRIVATE];
}
export function publicUsages(alg: EngineAlgorithm): string[] {
  return isKem(alg) ? [...KEM_PUBLIC] : [...SIGN_PUBLIC];
}

/** Imports a seed (32-byte ξ or 64-byte d‖z) as a native private key. */
export async function importSeed(
  alg: EngineAlgorithm,
  seed: Uint8Array,
  extractable: boolean,
  usages = privateUsages(alg),
  s: ModernSubtle = requireSubtle(),
): Promise<CryptoKey> {
  // Web Crypto copies keyData before importKey returns; our copy is wiped once the import settles.
  const copy = own(seed);
  try {
    return await s.importKey('raw-seed', copy, { name: alg }, extractable, usages);
  } catch (e) {
    throw mapError(e, `importing a ${alg} seed into Web Crypto`, 'ERR_INVALID_SECRET_KEY');
  } finally {
    copy.fill(0);
  }
}

/**
 * FIPS 203 §7.2 encapsulation-key checks (length, and every 12-bit
 * coefficient < q = 3329), done here because Deno 2.9 imports and uses
 * malformed ML-KEM public keys that Node, Bun and our wasm reject: the
 * engine must not accept a key on one engine that it rejects on the other.
 */
export function checkKemPublicKey(alg: KemAlgorithm, pk: Uint8Array): void {
  const n = sizeOf(alg, 'publicKey');
  if (pk.length !== n)
    throw new QsignError('ERR_INVALID_PUBLIC_KEY', `${alg} public key must be ${n} bytes, got ${pk.length}`);
  for (let i = 0; i < n - 32; i += 3) {
    const b0 = pk[i]!,
      b1 = pk[i + 1]!,
      b2 = pk[i + 2]!;
    if ((b0 | ((b1 & 0x0f) << 8)) >= 3329 || ((b1 >> 4) | (b2 << 4)) >= 3329) {
      throw new QsignError(
        'ERR_INVALID_PUBLIC_KEY',
        `${alg} public key fails the FIPS 203 modulus check (a coefficient is >= 3329)`,
      );
    }
  }
}

/** Imports raw public-key bytes as a native public key. */
export async function importPublic(
  alg: EngineAlgorithm,
  publicKey: Uint8Array,
  usages = publicUsages(alg),
  s: ModernSubtle = requireSubtle(),
): Promise<CryptoKey> {
  if (isKem(alg)) checkKemPublicKey(alg, publicKey);
  try {
    return await s.importKey('raw-public', own(publicKey), { name: alg }, true, usages);
  } catch (e) {
    throw mapError(e, `importing a ${alg} public key into Web Crypto`, 'ERR_INVALID_PUBLIC_KEY');
  }
}

/** The public CryptoKey of a private one (getPublicKey, else via its JWK's `pub`). */
export async function publicOf(
  alg: EngineAlgorithm,
  privateKey: CryptoKey,
  s: ModernSubtle = requireSubtle(),
): Promise<CryptoKey> {
  try {
    if (typeof s.getPublicKey === 'function') return await s.getPublicKey(privateKey, publicUsages(alg));
  } catch (e) {
    throw mapError(e, `deriving the ${alg} public key in Web Crypto`, 'ERR_INVALID_SECRET_KEY');
  }
  throw unsupported(
    `this runtime's Web Crypto has no getPublicKey(), so the public half of a ${alg} private CryptoKey cannot be derived; keep the public key bytes alongside`,
  );
}

export async function exportRaw(
  key: CryptoKey,
  format: 'raw-seed' | 'raw-public' | 'pkcs8' | 'spki',
  s: ModernSubtle = requireSubtle(),
): Promise<Uint8Array> {
  try {
    return bytes((await s.exportKey(format, key)) as ArrayBuffer);
  } catch (e) {
    if (domName(e) === 'InvalidAccessError' && !key.extractable) {
      throw new QsignError(
        EngineErrorCodes.KEY_NOT_EXTRACTABLE,
        `the ${key.algorithm.name} CryptoKey is non-extractable, so its ${format} cannot be exported (that is the point of non-extractable keys)`,
        { cause: e },
      );
    }
    throw mapError(e, `exporting a ${key.algorithm.name} key as ${format}`, 'ERR_INVALID_ARGUMENT');
  }
}

export async function nativeSign(
  alg: SignatureAlgorithm,
  key: CryptoKey,
  message: Uint8Array,
  context?: Uint8Array,
  s: ModernSubtle = requireSubtle(),
): Promise<Uint8Array> {
  const params = context && context.length > 0 ? { name: alg, context: own(context) } : { name: alg };
  try {
    return bytes(await s.sign(params, key, own(message)));
  } catch (e) {
    throw mapError(e, `${alg} native signing`, 'ERR_INVALID_SECRET_KEY');
  }
}

/**
 * Native verification. A malformed signature is "not valid" (false), as in
 * the wasm engine, not an exception: some runtimes throw on a wrong length.
 */
export async function nativeVerify(
  alg: SignatureAlgorithm,
  key: CryptoKey,
  message: Uint8Array,
  signature: Uint8Array,
  context?: Uint8Array,
  s: ModernSubtle = requireSubtle(),
): Promise<boolean> {
  if (signature.length !== sizeOf(alg, 'signature')) return false;
  const params = context && context.length > 0 ? { name: alg, context: own(context) } : { name: alg };
  try {
    return await s.verify(params, key, own(signature), own(message));
  } catch (e) {
    const n = domName(e);
    if (n === 'OperationError' || n === 'DataError') return false;
    throw mapError(e, `${alg} native verification`, 'ERR_INVALID_PUBLIC_KEY');
  }
}

export async function nativeEncapsulate(
  alg: KemAlgorithm,
  key: CryptoKey,
  s: ModernSubtle = requireSubtle(),
): Promise<{ cipherText: Uint8Array; sharedSecret: Uint8Array }> {
  if (typeof s.encapsulateBits !== 'function')
    throw unsupported(`this runtime's Web Crypto has no encapsulateBits(), so ${alg} cannot run natively`);
  try {
    const r = await s.encapsulateBits({ name: alg }, key);
    return { cipherText: bytes(r.ciphertext), sharedSecret: bytes(r.sharedKey) };
  } catch (e) {
    throw mapError(e, `${alg} native encapsulation`, 'ERR_INVALID_PUBLIC_KEY');
  }
}

export async function nativeDecapsulate(
  alg: KemAlgorithm,
  key: CryptoKey,
  cipherText: Uint8Array,
  s: ModernSubtle = requireSubtle(),
): Promise<Uint8Array> {
  if (typeof s.decapsulateBits !== 'function')
    throw unsupported(`this runtime's Web Crypto has no decapsulateBits(), so ${alg} cannot run natively`);
  if (cipherText.length !== sizeOf(alg, 'cipherText')) {
    throw new QsignError(
      'ERR_INVALID_CIPHERTEXT_LENGTH',
      `${alg} ciphertext must be ${sizeOf(alg, 'cipherText')} bytes, got ${cipherText.length}`,
    );
  }
  try {
    return bytes(await s.decapsulateBits({ name: alg }, key, own(cipherText)));
  } catch (e) {
    throw mapError(e, `${alg} native decapsulation`, 'ERR_INVALID_SECRET_KEY');
  }
}

/** A fresh native key pair (the private half non-extractable unless asked). */
export async function nativeGenerate(
  alg: EngineAlgorithm,
  extractable: boolean,
  s: ModernSubtle = requireSubtle(),
): Promise<CryptoKeyPair> {
  try {
    return await s.generateKey({ name: alg }, extractable, [...privateUsages(alg), ...publicUsages(alg)]);
  } catch (e) {
    throw mapError(e, `${alg} native key generation`, 'ERR_INTERNAL');
  }
}

/*
 * The native engine's operations as the router dispatches them: each takes
 * the key in any form the router sends here (seed bytes, raw public-key
 * bytes or a CryptoKey), looks up crypto.subtle once, and does the import
 * and the operation in this one visit.
 */

/** Signs with a 32-byte seed or a private CryptoKey (hedged: native signing has no other mode). */
export async function signNatively(
  alg: SignatureAlgorithm,
  key: Uint8Array | CryptoKey,
  message: Uint8Array,
  opts: { context?: Uint8Array },
): Promise<Uint8Array> {
  const s = requireSubtle();
  const k = key instanceof Uint8Array ? await importSeed(alg, key, false, privateUsages(alg), s) : key;
  return nativeSign(alg, k, message, opts.context, s);
}

/** Verifies with raw public-key bytes or a public CryptoKey. */
export async function verifyNatively(
  alg: SignatureAlgorithm,
  key: Uint8Array | CryptoKey,
  message: Uint8Array,
  signature: Uint8Array,
  opts: { context?: Uint8Array },
): Promise<boolean> {
  const s = requireSubtle();
  const k = key instanceof Uint8Array ? await importPublic(alg, key, publicUsages(alg), s) : key;
  return nativeVerify(alg, k, message, signature, opts.context, s);
}

/** Encapsulates to raw public-key bytes or a public CryptoKey. */
export async function encapsulateNatively(
  alg: KemAlgorithm,
  key: Uint8Array | CryptoKey,
): Promise<{ cipherText: Uint8Array; sharedSecret: Uint8Array }> {
  const s = requireSubtle();
  const k = key instanceof Uint8Array ? await importPublic(alg, key, publicUsages(alg), s) : key;
  return nativeEncapsulate(alg, k, s);
}

/** Decapsulates with a 64-byte seed or a private CryptoKey. */
export async function decapsulateNatively(
  alg: KemAlgorithm,
  key: Uint8Array | CryptoKey,
  cipherText: Uint8Array,
): Promise<Uint8Array> {
  const s = requireSubtle();
  const k = key instanceof Uint8Array ? await importSeed(alg, key, false, privateUsages(alg), s) : key;
  return nativeDecapsulate(alg, k, cipherText, s);
}

/**
 * Native key generation in the three output forms: a CryptoKey pair (from
 * `seed` or fresh), or seed bytes (`seed` given: only its public key is
 * computed; else a fresh extractable pair whose seed is exported).
 */
export async function keygenNatively(
  alg: EngineAlgorithm,
  seed: Uint8Array | undefined,
  output: 'seed' | 'cryptokey',
  extractable: boolean,
): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array | CryptoKey }> {
  const s = requireSubtle();
  if (output === 'cryptokey') {
    const pair = seed
      ? await importSeed(alg, seed, extractable, privateUsages(alg), s).then(async (privateKey) => ({
          privateKey,
          publicKey: await publicOf(alg, privateKey, s),
        }))
      : await nativeGenerate(alg, extractable, s);
    return { publicKey: await exportRaw(pair.publicKey, 'raw-public', s), secretKey: pair.privateKey };
  }
  if (seed) {
    const privateKey = await importSeed(alg, seed, false, privateUsages(alg), s);
    return { publicKey: await exportRaw(await publicOf(alg, privateKey, s), 'raw-public', s), secretKey: seed.slice() };
  }
  const pair = await nativeGenerate(alg, true, s);
  return {
    publicKey: await exportRaw(pair.publicKey, 'raw-public', s),
    secretKey: await exportRaw(pair.privateKey, 'raw-seed', s),
  };
}
