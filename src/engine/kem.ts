/**
 * The KEM half of the engine interface (see ./router.ts): ML-KEM key
 * generation, encapsulation and decapsulation on wasm or native Web Crypto.
 * It references only the ML-KEM wrappers.
 */
import { unsupported, encapsulateNatively, decapsulateNatively, type KemAlgorithm } from './native.js';
import type { NativeAlgorithmCapability } from './probe.js';
import { probeKemAlgorithm } from './probe-kem.js';
import { engineMode } from '../wasm/engine-mode.js';
import {
  run,
  keygenWith,
  resolveAlgorithm,
  checkBytes,
  checkKey,
  type Engines,
  type KeygenOptions,
  type KeyPair,
} from './router.js';
import { isCryptoKey } from './runtime.js';
import { WASM_KEMS, encapsulateInWasm, decapsulateInWasm } from './wasm-kem.js';

/** Resolves a KEM algorithm name or alias to its canonical name. */
export function kemAlgorithm(name: string): KemAlgorithm {
  return resolveAlgorithm(name, ['kem'], 'KEM ', 'ML-KEM-512, ML-KEM-768 or ML-KEM-1024');
}

const probe = probeKemAlgorithm as (alg: string) => Promise<NativeAlgorithmCapability>;

type Encapsulation = { cipherText: Uint8Array; sharedSecret: Uint8Array };
// The router only sends byte keys to wasm (a CryptoKey always decides native).
const ENCAPSULATE = { wasm: encapsulateInWasm, webcrypto: encapsulateNatively } as unknown as Engines<
  [string, Uint8Array | CryptoKey],
  Encapsulation
>;
const DECAPSULATE = { wasm: decapsulateInWasm, webcrypto: decapsulateNatively } as unknown as Engines<
  [string, Uint8Array | CryptoKey, Uint8Array],
  Uint8Array
>;

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
  return keygenWith(alg, 'kem', WASM_KEMS, probe, seed, opts);
}

/**
 * Encapsulates to `publicKey` (raw bytes or a public CryptoKey). `msg` (the
 * 32-byte FIPS 203 `m`, for test vectors) forces wasm: native draws its own.
 */
export async function encapsulate(
  alg: string,
  publicKey: Uint8Array | CryptoKey,
  msg?: Uint8Array,
): Promise<Encapsulation> {
  if (msg !== undefined) {
    // Derandomized (test vectors, HPKE with a given ikmE): wasm only, never routed.
    const a = kemAlgorithm(alg);
    checkKey(a, publicKey, 'public');
    checkBytes(msg, 'msg');
    if (isCryptoKey(publicKey) || engineMode() === 'webcrypto') {
      throw unsupported(
        `${a} encapsulate: native Web Crypto draws its own randomness, so a caller-chosen m needs the wasm engine (and byte keys)`,
      );
    }
    return encapsulateInWasm(a, publicKey as Uint8Array, msg);
  }
  return run(alg, 'kem', 'encapsulate', { key: publicKey }, probe, ENCAPSULATE, publicKey);
}

/** Decapsulates; `secretKey` is expanded bytes (wasm), the 64-byte seed (policy picks) or a private CryptoKey (native). */
export async function decapsulate(
  alg: string,
  cipherText: Uint8Array,
  secretKey: Uint8Array | CryptoKey,
): Promise<Uint8Array> {
  return run(
    alg,
    'kem',
    'decapsulate',
    { key: secretKey, inputs: { 'the ciphertext': cipherText } },
    probe,
    DECAPSULATE,
    secretKey,
    cipherText,
  );
}
