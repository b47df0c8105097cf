/**
 * The KEM half of the engine interface (see ./router.ts): ML-KEM key
 * generation, encapsulation and decapsulation on wasm or native Web Crypto.
 * It references only the ML-KEM wrappers.
 */
import {
  sizeOf,
  unsupported,
  importSeed,
  importPublic,
  nativeEncapsulate,
  nativeDecapsulate,
  type KemAlgorithm,
} from './native.js';
import { probeKemAlgorithm } from './probe.js';
import { engineMode } from './mode.js';
import {
  route,
  keygenWith,
  resolveAlgorithm,
  checkBytes,
  checkKey,
  type KeygenOptions,
  type KeyPair,
} from './router.js';
import { isCryptoKey } from './runtime.js';
import { WASM_KEMS } from './wasm.js';

/** Resolves a KEM algorithm name or alias to its canonical name. */
export function kemAlgorithm(name: string): KemAlgorithm {
  return resolveAlgorithm(name, ['kem'], 'KEM ', 'ML-KEM-512, ML-KEM-768 or ML-KEM-1024');
}

/** Key pair from a 64-byte ML-KEM seed d‖z (or fresh randomness); see {@link KeygenOptions}. */
export async function kemKeygen(
  alg: string,
  seed?: Uint8Array,
): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }>;
export async function kemKeygen(
  alg: string,
  seed: Uint8Array | undefined,
  opts: KeygenOptions & { output: 'cryptokey' },
): Promise<KeyPair<CryptoKey>>;
export async function kemKeygen(
  alg: string,
  seed?: Uint8Array,
  opts?: KeygenOptions & { output?: 'expanded' | 'seed' },
): Promise<KeyPair<Uint8Array>>;
export async function kemKeygen(
  alg: string,
  seed?: Uint8Array,
  opts: KeygenOptions = {},
): Promise<KeyPair<Uint8Array | CryptoKey>> {
  const a = kemAlgorithm(alg);
  return keygenWith(a, WASM_KEMS[a], () => probeKemAlgorithm(a), seed, opts);
}

/**
 * Encapsulates to `publicKey` (raw bytes or a public CryptoKey). `msg` (the
 * 32-byte FIPS 203 `m`, for test vectors) forces wasm: native draws its own.
 */
export async function encapsulate(
  alg: string,
  publicKey: Uint8Array | CryptoKey,
  msg?: Uint8Array,
): Promise<{ cipherText: Uint8Array; sharedSecret: Uint8Array }> {
  const a = kemAlgorithm(alg);
  checkKey(a, publicKey, 'public');
  if (msg !== undefined) {
    checkBytes(msg, 'msg');
    if (isCryptoKey(publicKey) || engineMode() === 'webcrypto') {
      throw unsupported(
        `${a} encapsulate: native Web Crypto draws its own randomness, so a caller-chosen m needs the wasm engine (and byte keys)`,
      );
    }
    return WASM_KEMS[a].encapsulate(publicKey, msg);
  }
  if ((await route(a, 'encapsulate', { key: publicKey }, () => probeKemAlgorithm(a))) === 'webcrypto') {
    const key = isCryptoKey(publicKey) ? publicKey : await importPublic(a, publicKey);
    return nativeEncapsulate(a, key);
  }
  return WASM_KEMS[a].encapsulate(publicKey as Uint8Array);
}

/** Decapsulates; `secretKey` is expanded bytes (wasm), the 64-byte seed (policy picks) or a private CryptoKey (native). */
export async function decapsulate(
  alg: string,
  cipherText: Uint8Array,
  secretKey: Uint8Array | CryptoKey,
): Promise<Uint8Array> {
  const a = kemAlgorithm(alg);
  checkKey(a, secretKey, 'private');
  checkBytes(cipherText, 'the ciphertext');
  if ((await route(a, 'decapsulate', { key: secretKey }, () => probeKemAlgorithm(a))) === 'webcrypto') {
    const key = isCryptoKey(secretKey) ? secretKey : await importSeed(a, secretKey, false);
    return nativeDecapsulate(a, key, cipherText);
  }
  const sk = secretKey as Uint8Array;
  const expanded = sk.length === sizeOf(a, 'seed') ? WASM_KEMS[a].keygen(sk).secretKey : sk;
  return WASM_KEMS[a].decapsulate(cipherText, expanded);
}
