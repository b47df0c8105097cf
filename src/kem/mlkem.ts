import { QsignError, type QsignErrorCode } from '../errors.js';
import { ML_KEM } from '../registry/ml-kem.js';
import { findIn, namesWithAliases } from '../registry/rows.js';
import { equalBytes, randomBytes, wipe } from '../util/bytes.js';
import { checkStatus } from '../wasm/status.js';
import { withHeap as withHeapOf, type Heap } from '../wasm/heap.js';
import { moduleSource } from '#wasm-source/mlkem';
import { registerModuleSource } from '../wasm/loader.js';
import { registerSelfTest } from '../wasm/selftest.js';
import { MLKEM_SELF_TEST } from './mlkem-selftest.js';
// This family's module (instantiated on first use) and its self-test, and only they, enter a bundle with this code
// (loader.ts registerModuleSource, selftest.ts registerSelfTest).
registerModuleSource('ml-kem', moduleSource);
registerSelfTest(MLKEM_SELF_TEST);
const withHeap = <T>(fn: (h: Heap) => T): T => withHeapOf('ml-kem', fn);

/*
 * ML-KEM (FIPS 203) on the wasm core, shaped like @noble/post-quantum's
 * `ml_kem512/768/1024` so code written for noble runs unchanged. The C side
 * does all secret-dependent work; this layer checks argument types and
 * lengths (so every failure carries a typed code), supplies randomness from
 * Web Crypto to the derandomized C entry points, and never keeps secrets:
 * the heap scope wipes every wasm byte it used.
 */

/** Byte lengths of one ML-KEM parameter set (noble's field names, plus `sharedSecret`). */
export interface MlKemLengths {
  readonly publicKey: number;
  readonly secretKey: number;
  readonly cipherText: number;
  readonly sharedSecret: number;
  /** Key-generation seed d‖z (FIPS 203 §7.1). */
  readonly seed: number;
  /** Encapsulation randomness m (FIPS 203 §7.2). */
  readonly msg: number;
  /** Same as `msg`; noble's name for the random-message length. */
  readonly msgRand: number;
}

/**
 * A public key checked once for repeated use, shaped like noble's
 * `KEMPrepared`. It holds only public data; `clean()` drops it.
 */
export interface MlKemPrepared {
  /** Private copy of the encapsulation key. */
  readonly publicKey: Uint8Array;
  /** Same as {@link MlKem.encapsulate} with this key. */
  encapsulate(msg?: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array };
  /**
   * Same as {@link MlKem.decapsulate}, and additionally refuses a secret key
   * that does not embed this public key.
   * @throws QsignError `ERR_INVALID_SECRET_KEY` for a key of another pair.
   */
  decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /** Wipes the cached key; the object must not be used afterwards. */
  clean(): void;
}

/** One ML-KEM parameter set. Call `await init()` once before using it; every method is then synchronous. */
export interface MlKem {
  /** FIPS 203 name, e.g. `ML-KEM-768`. */
  readonly name: 'ML-KEM-512' | 'ML-KEM-768' | 'ML-KEM-1024';
  readonly info: { readonly type: 'ml-kem' };
  readonly lengths: MlKemLengths;
  /**
   * ML-KEM.KeyGen. With `seed` (64 bytes, d‖z) the result is deterministic
   * (KeyGen_internal, Alg 16); store that seed as the private key if you
   * like, it re-derives the same pair. Without it, the seed comes from Web Crypto.
   * @throws QsignError `ERR_INVALID_ARGUMENT` when seed is not 64 bytes.
   */
  keygen(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  /**
   * The encapsulation key embedded in an expanded secret key.
   * @throws QsignError `ERR_INVALID_SECRET_KEY` on a wrong length or a failed FIPS 203 §7.3 hash check.
   */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /**
   * ML-KEM.Encaps. `msg` (32 bytes) makes it deterministic (Encaps_internal,
   * Alg 17) and is meant for tests; leave it out in production.
   * @throws QsignError `ERR_INVALID_PUBLIC_KEY` when the key fails the §7.2 length or modulus check,
   * `ERR_INVALID_ARGUMENT` when `msg` is not 32 bytes.
   */
  encapsulate(publicKey: Uint8Array, msg?: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array };
  /**
   * ML-KEM.Decaps. A ciphertext of the right length that was not made for
   * this key returns a pseudorandom key (implicit rejection), not an error,
   * so callers cannot tell a forgery apart by behaviour.
   * @throws QsignError `ERR_INVALID_CIPHERTEXT_LENGTH` on a wrong-length ciphertext,
   * `ERR_INVALID_SECRET_KEY` on a wrong-length key or a failed §7.3 hash check.
   */
  decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /**
   * Checks `publicKey` once (FIPS 203 §7.2) and returns an object bound to
   * it, like noble's `prepare`.
   * @throws QsignError `ERR_INVALID_PUBLIC_KEY` as for `encapsulate`.
   */
  prepare(publicKey: Uint8Array): MlKemPrepared;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  return v instanceof Uint8Array ? `${v.length} bytes` : typeof v;
}

function needBytes(what: string, v: unknown, len: number, code: QsignErrorCode): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) {
    throw new QsignError('ERR_INVALID_ARGUMENT', `${what} must be a Uint8Array of ${len} bytes, got ${describe(v)}`);
  }
  if (v.length !== len) throw new QsignError(code, `${what} must be ${len} bytes, got ${v.length}`);
}

// FIPS 203 lengths from (k, d_u, d_v); derived, not imported, to keep the registry out of core bundles
// (test/unit/registry-single-source.test.ts checks they match it).
function make(name: MlKem['name'], k: 2 | 3 | 4, du: number, dv: number): MlKem {
  const publicKey = 384 * k + 32;
  const secretKey = 2 * 384 * k + 3 * 32;
  const cipherText = 32 * (du * k + dv);
  const lengths: MlKemLengths = Object.freeze({
    publicKey,
    secretKey,
    cipherText,
    sharedSecret: 32,
    seed: 64,
    msg: 32,
    msgRand: 32,
  });

  function keygen(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
    if (seed !== undefined) needBytes(`${name} keygen seed (d‖z)`, seed, 64, 'ERR_INVALID_ARGUMENT');
    const s = seed ?? randomBytes(64);
    try {
      return withHeap((h) => {
        const seedPtr = h.put(s);
        const pk = h.alloc(publicKey);
        const sk = h.alloc(secretKey);
        checkStatus(h.x.qs_mlkem_keypair(k, seedPtr, pk, sk), `${name} keygen`);
        return { publicKey: h.read(pk, publicKey), secretKey: h.read(sk, secretKey) };
      });
    } finally {
      if (seed === undefined) wipe(s);
    }
  }

  function checkedSecretKey(what: string, sk: unknown): Uint8Array {
    needBytes(`${name} ${what} secretKey`, sk, secretKey, 'ERR_INVALID_SECRET_KEY');
    return sk;
  }

  function getPublicKey(sk: Uint8Array): Uint8Array {
    checkedSecretKey('getPublicKey', sk);
    withHeap((h) => checkStatus(h.x.qs_mlkem_check_sk(k, h.put(sk)), `${name} getPublicKey`));
    return sk.slice(384 * k, 768 * k + 32);
  }

  function encapsulate(pk: Uint8Array, msg?: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array } {
    needBytes(`${name} encapsulate publicKey`, pk, publicKey, 'ERR_INVALID_PUBLIC_KEY');
    if (msg !== undefined) needBytes(`${name} encapsulate msg`, msg, 32, 'ERR_INVALID_ARGUMENT');
    const m = msg ?? randomBytes(32);
    try {
      return withHeap((h) => {
        const pkPtr = h.put(pk);
        const mPtr = h.put(m);
        const ct = h.alloc(cipherText);
        const ss = h.alloc(32);
        checkStatus(h.x.qs_mlkem_encaps(k, pkPtr, mPtr, ct, ss), `${name} encapsulate`);
        return { cipherText: h.read(ct, cipherText), sharedSecret: h.read(ss, 32) };
      });
    } finally {
      if (msg === undefined) wipe(m);
    }
  }

  function decapsulate(ct: Uint8Array, sk: Uint8Array): Uint8Array {
    needBytes(`${name} decapsulate cipherText`, ct, cipherText, 'ERR_INVALID_CIPHERTEXT_LENGTH');
    checkedSecretKey('decapsulate', sk);
    return withHeap((h) => {
      const skPtr = h.put(sk);
      const ctPtr = h.put(ct);
      const ss = h.alloc(32);
      checkStatus(h.x.qs_mlkem_decaps(k, skPtr, ctPtr, ss), `${name} decapsulate`);
      return h.read(ss, 32);
    });
  }

  function prepare(pk: Uint8Array): MlKemPrepared {
    needBytes(`${name} prepare publicKey`, pk, publicKey, 'ERR_INVALID_PUBLIC_KEY');
    withHeap((h) => checkStatus(h.x.qs_mlkem_check_pk(k, h.put(pk)), `${name} prepare`));
    let key: Uint8Array | undefined = pk.slice();
    const live = (): Uint8Array => {
      if (key === undefined)
        throw new QsignError('ERR_DESTROYED', `this prepared ${name} key was cleaned; call prepare() again`);
      return key;
    };
    return Object.freeze({
      get publicKey() {
        return live();
      },
      encapsulate: (msg?: Uint8Array) => encapsulate(live(), msg),
      decapsulate(ct: Uint8Array, sk: Uint8Array): Uint8Array {
        const own = live();
        checkedSecretKey('decapsulate', sk);
        // the embedded ek is public, so a plain comparison is fine
        const embedded = sk.subarray(384 * k, 768 * k + 32);
        if (!equalBytes(own, embedded)) {
          throw new QsignError(
            'ERR_INVALID_SECRET_KEY',
            `${name} decapsulate: the secret key belongs to a different public key than the prepared one`,
          );
        }
        return decapsulate(ct, sk);
      },
      clean(): void {
        key?.fill(0);
        key = undefined;
      },
    });
  }

  return Object.freeze({
    name,
    info: Object.freeze({ type: 'ml-kem' as const }),
    lengths,
    keygen,
    getPublicKey,
    encapsulate,
    decapsulate,
    prepare,
  });
}

/** ML-KEM-512 (FIPS 203, NIST level 1): pk 800, sk 1632, ct 768 bytes. */
export const ml_kem512: MlKem = make('ML-KEM-512', 2, 10, 4);
/** ML-KEM-768 (FIPS 203, NIST level 3): pk 1184, sk 2400, ct 1088 bytes. The usual choice. */
export const ml_kem768: MlKem = make('ML-KEM-768', 3, 10, 4);
/** ML-KEM-1024 (FIPS 203, NIST level 5): pk 1568, sk 3168, ct 1568 bytes. */
export const ml_kem1024: MlKem = make('ML-KEM-1024', 4, 11, 5);

const BY_NAME: Record<string, MlKem> = { 'ML-KEM-512': ml_kem512, 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 };

/**
 * Looks up an ML-KEM parameter set by FIPS 203 name, liboqs name or alias
 * (case-insensitive): `ML-KEM-768`, `mlkem768`, `ml_kem768`, `kyber768`, …
 *
 * The `kyber*` aliases resolve to FIPS 203 ML-KEM. Keys and ciphertexts have
 * the same sizes as round-3 Kyber, but the outputs differ (FIPS 203 dropped
 * Kyber's hashing of m and of the ciphertext into the key, and added the k
 * byte to G), so ML-KEM does not interoperate with round-3 Kyber peers.
 *
 * @throws QsignError `ERR_UNKNOWN_ALGORITHM` for anything that is not ML-KEM.
 * @example
 * ```ts
 * const k = kem('kyber768'); // === ml_kem768
 * ```
 */
export function kem(name: string): MlKem {
  const info = findIn(ML_KEM, name);
  const found = info ? BY_NAME[info.name] : undefined;
  if (!found) {
    throw new QsignError(
      'ERR_UNKNOWN_ALGORITHM',
      `unknown KEM ${JSON.stringify(name)}; use ${namesWithAliases(ML_KEM)}`,
    );
  }
  return found;
}
