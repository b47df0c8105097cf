/**
 * Async forms of the primitives, with the primitives' (noble-shaped)
 * argument order, for direct native speed: `ml_dsa65_async.signAsync(msg,
 * sk, opts)` mirrors `ml_dsa65.sign(msg, sk, opts)` but may run on native
 * Web Crypto (per the engine policy) and also accepts a CryptoKey.
 * The synchronous primitives themselves always run on wasm.
 */
import type { SignatureAlgorithm, KemAlgorithm } from './native.js';
import { signatureKeygen, sign, verify } from './signature.js';
import { kemKeygen, encapsulate, decapsulate } from './kem.js';
import type { KeygenOptions, SignOptions, KeyPair } from './router.js';

/**
 * An ML-DSA parameter set with async, engine-routed methods (`ml_dsa44_async`, `ml_dsa65_async`, `ml_dsa87_async`).
 *
 * @example
 * ```ts
 * import { init } from 'qsign-pqc';
 * import { ml_dsa65_async } from 'qsign-pqc/webcrypto';
 * await init();
 * const { publicKey, secretKey } = await ml_dsa65_async.keygenAsync();
 * const msg = new TextEncoder().encode('hello');
 * const sig = await ml_dsa65_async.signAsync(msg, secretKey);
 * await ml_dsa65_async.verifyAsync(sig, msg, publicKey); // true
 * ```
 */
export interface AsyncSignature {
  /** Like `keygen(seed?)`; `opts.output` may ask for a seed or a CryptoKey instead of the expanded key. */
  keygenAsync(seed?: Uint8Array, opts?: KeygenOptions): Promise<KeyPair<Uint8Array | CryptoKey>>;
  /** Like `sign(msg, sk, opts)`; `secretKey` may also be a native private CryptoKey. */
  signAsync(message: Uint8Array, secretKey: Uint8Array | CryptoKey, opts?: SignOptions): Promise<Uint8Array>;
  /** Like `verify(sig, msg, pk, opts)`; `publicKey` may also be a native public CryptoKey. */
  verifyAsync(
    signature: Uint8Array,
    message: Uint8Array,
    publicKey: Uint8Array | CryptoKey,
    opts?: { context?: Uint8Array },
  ): Promise<boolean>;
}

/**
 * An ML-KEM parameter set with async, engine-routed methods (`ml_kem512_async`, `ml_kem768_async`, `ml_kem1024_async`).
 *
 * @example
 * ```ts
 * import { init } from 'qsign-pqc';
 * import { ml_kem768_async } from 'qsign-pqc/webcrypto';
 * await init();
 * const { publicKey, secretKey } = await ml_kem768_async.keygenAsync();
 * const { cipherText, sharedSecret } = await ml_kem768_async.encapsulateAsync(publicKey);
 * const same = await ml_kem768_async.decapsulateAsync(cipherText, secretKey); // equals sharedSecret
 * ```
 */
export interface AsyncKem {
  /** Like `keygen(seed?)`; `opts.output` may ask for a seed or a CryptoKey instead of the expanded key. */
  keygenAsync(seed?: Uint8Array, opts?: KeygenOptions): Promise<KeyPair<Uint8Array | CryptoKey>>;
  /** Like `encapsulate(pk, msg?)`; `msg` (32 bytes) makes it deterministic (wasm only). `publicKey` may be a CryptoKey. */
  encapsulateAsync(
    publicKey: Uint8Array | CryptoKey,
    msg?: Uint8Array,
  ): Promise<{ cipherText: Uint8Array; sharedSecret: Uint8Array }>;
  /** Like `decapsulate(ct, sk)`; `secretKey` may also be a native private CryptoKey. */
  decapsulateAsync(cipherText: Uint8Array, secretKey: Uint8Array | CryptoKey): Promise<Uint8Array>;
}

function sig(alg: SignatureAlgorithm): AsyncSignature {
  return Object.freeze({
    keygenAsync: (seed?: Uint8Array, opts: KeygenOptions = {}) =>
      signatureKeygen(alg, seed, opts as KeygenOptions & { output?: 'expanded' }),
    signAsync: (message: Uint8Array, secretKey: Uint8Array | CryptoKey, opts?: SignOptions) =>
      sign(alg, secretKey, message, opts),
    verifyAsync: (
      signature: Uint8Array,
      message: Uint8Array,
      publicKey: Uint8Array | CryptoKey,
      opts?: { context?: Uint8Array },
    ) => verify(alg, publicKey, message, signature, opts),
  });
}

function kem(alg: KemAlgorithm): AsyncKem {
  return Object.freeze({
    keygenAsync: (seed?: Uint8Array, opts: KeygenOptions = {}) =>
      kemKeygen(alg, seed, opts as KeygenOptions & { output?: 'expanded' }),
    encapsulateAsync: (publicKey: Uint8Array | CryptoKey, msg?: Uint8Array) => encapsulate(alg, publicKey, msg),
    decapsulateAsync: (cipherText: Uint8Array, secretKey: Uint8Array | CryptoKey) =>
      decapsulate(alg, cipherText, secretKey),
  });
}

/** ML-DSA-44 with async, engine-routed methods (native Web Crypto where the policy picks it); see {@link AsyncSignature}. */
export const ml_dsa44_async: AsyncSignature = sig('ML-DSA-44');
/** ML-DSA-65 with async, engine-routed methods (native Web Crypto where the policy picks it); see {@link AsyncSignature}. */
export const ml_dsa65_async: AsyncSignature = sig('ML-DSA-65');
/** ML-DSA-87 with async, engine-routed methods (native Web Crypto where the policy picks it); see {@link AsyncSignature}. */
export const ml_dsa87_async: AsyncSignature = sig('ML-DSA-87');
/** ML-KEM-512 with async, engine-routed methods (native Web Crypto where the policy picks it); see {@link AsyncKem}. */
export const ml_kem512_async: AsyncKem = kem('ML-KEM-512');
/** ML-KEM-768 with async, engine-routed methods (native Web Crypto where the policy picks it); see {@link AsyncKem}. */
export const ml_kem768_async: AsyncKem = kem('ML-KEM-768');
/** ML-KEM-1024 with async, engine-routed methods (native Web Crypto where the policy picks it); see {@link AsyncKem}. */
export const ml_kem1024_async: AsyncKem = kem('ML-KEM-1024');
