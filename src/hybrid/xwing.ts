/*
 * X-Wing: the ML-KEM-768 + X25519 hybrid KEM of draft-connolly-cfrg-xwing-kem-10
 * (identical to MLKEM768-X25519 of draft-irtf-cfrg-concrete-hybrid-kems, HPKE
 * KEM 0x647a, TLS group 0x647a). SHA3-256 and SHAKE256 run on our wasm Keccak;
 * ML-KEM comes from the engine (./mlkem.ts); X25519 from the primitives floor
 * (src/x25519).
 */
import { QsignError } from '../errors.js';
import { sizeOf, type SizesOf } from '../registry.js';
import { sha3_256, shake256 } from '../hash/index.js';
import { concatBytes, ensureBytes, randomBytes, wipe } from '../util/bytes.js';
import { x25519Base, x25519Raw, isLowOrder } from '../x25519/index.js';
import {
  MLKEM,
  mlkemDecaps,
  mlkemDecapsSeedAsync,
  mlkemEncaps,
  mlkemEncapsAsync,
  mlkemFromSeed,
  mlkemPublicKeyAsync,
} from './mlkem.js';

/** A KEM key pair; `secretKey` is whatever the KEM defines as its private key. */
export interface KemKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** Result of encapsulation: send `cipherText`, keep `sharedSecret`. */
export interface Encapsulation {
  cipherText: Uint8Array;
  sharedSecret: Uint8Array;
}

type Sizes = SizesOf<'X-Wing'>;

/** Sizes in bytes (from the registry), named as in @noble/post-quantum. */
export interface XWingLengths {
  /** Key generation seed (= the secret key). */
  readonly seed: Sizes['seed'];
  readonly secretKey: Sizes['secretKey'];
  readonly publicKey: Sizes['publicKey'];
  readonly cipherText: Sizes['cipherText'];
  readonly sharedSecret: Sizes['sharedSecret'];
  /** Encapsulation randomness: 32 bytes for ML-KEM ‖ 32 for the ephemeral X25519 key. */
  readonly msgRand: Sizes['encapsRand'];
}

/** The X-Wing KEM object (same shape as `ml_kem768` plus `lengths`/`name`). */
export interface XWing {
  readonly name: 'X-Wing';
  readonly lengths: XWingLengths;
  /**
   * Generates a key pair. With `seed` (32 bytes) it is deterministic
   * (GenerateKeyPairDerand): the secret key *is* the seed.
   */
  keygen(seed?: Uint8Array): KemKeyPair;
  /** Recomputes the 1216-byte public key from the 32-byte secret key. */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /**
   * Encapsulates to a 1216-byte public key. `rand` (64 bytes) makes it
   * deterministic (EncapsulateDerand); omit it in production.
   * @throws QsignError ERR_INVALID_PUBLIC_KEY if the ML-KEM half fails the
   *   FIPS 203 §7.2 check or the X25519 half is a low-order point.
   */
  encapsulate(publicKey: Uint8Array, rand?: Uint8Array): Encapsulation;
  /**
   * Decapsulates a 1120-byte ciphertext. Never fails for well-sized input: a
   * forged ciphertext gives an unrelated key (ML-KEM implicit rejection).
   */
  decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

const M = MLKEM['ML-KEM-768'];
/** XWingLabel = "\.//^\" (5c2e2f2f5e5c), hashed last. */
const LABEL = new Uint8Array([0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c]);

const LENGTHS: XWingLengths = Object.freeze({
  seed: sizeOf('X-Wing', 'seed'),
  secretKey: sizeOf('X-Wing', 'secretKey'),
  publicKey: sizeOf('X-Wing', 'publicKey'),
  cipherText: sizeOf('X-Wing', 'cipherText'),
  sharedSecret: sizeOf('X-Wing', 'sharedSecret'),
  msgRand: sizeOf('X-Wing', 'encapsRand'),
});
const PK = LENGTHS.publicKey;
const CT = LENGTHS.cipherText;

interface Expanded {
  skM: Uint8Array;
  skX: Uint8Array;
  pkM: Uint8Array;
  pkX: Uint8Array;
}

function secretKeyArg(sk: unknown): Uint8Array {
  if (!(sk instanceof Uint8Array) || sk.length !== 32) {
    throw new QsignError(
      'ERR_INVALID_SECRET_KEY',
      `X-Wing secret key must be a 32-byte Uint8Array (the seed), got ${sk instanceof Uint8Array ? `${sk.length} bytes` : typeof sk}`,
    );
  }
  return sk;
}

/** expandDecapsulationKey (§5.2) up to the X25519 base multiplication: SHAKE256(sk, 96) → ML-KEM (d, z) and the X25519 scalar. */
function expandCore(sk: Uint8Array): Omit<Expanded, 'pkX'> {
  const e = shake256(sk, { dkLen: 96 });
  try {
    const { publicKey: pkM, secretKey: skM } = mlkemFromSeed(M, e.subarray(0, 64));
    return { skM, skX: e.slice(64, 96), pkM };
  } finally {
    wipe(e);
  }
}

function expand(sk: Uint8Array): Expanded {
  const c = expandCore(sk);
  return { ...c, pkX: x25519Base(c.skX) };
}

/** The public key of a secret key through the engine (its keygen policy picks the ML-KEM engine). */
async function publicKeyAsync(sk: Uint8Array): Promise<Uint8Array> {
  const e = shake256(sk, { dkLen: 96 });
  try {
    const pkM = await mlkemPublicKeyAsync(M, e.subarray(0, 64));
    return concatBytes(pkM, x25519Base(e.subarray(64, 96)));
  } finally {
    wipe(e);
  }
}

function checkPublicKey(publicKey: unknown): { pkM: Uint8Array; pkX: Uint8Array } {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PK) {
    throw new QsignError(
      'ERR_INVALID_PUBLIC_KEY',
      `X-Wing public key must be a ${PK}-byte Uint8Array (ML-KEM-768 key ‖ X25519 key), got ${publicKey instanceof Uint8Array ? `${publicKey.length} bytes` : typeof publicKey}`,
    );
  }
  const pkX = publicKey.subarray(M.publicKey, PK);
  // The draft does not require this check (X25519 of a low-order point is
  // simply zero and the combiner still binds ss_M). Honest key generation
  // never yields a low-order pk_X, so such a key is malformed or malicious;
  // refusing it up front keeps the classical half from silently
  // contributing nothing. Decapsulation stays exactly as specified.
  if (isLowOrder(pkX)) {
    throw new QsignError(
      'ERR_INVALID_PUBLIC_KEY',
      "X-Wing public key has a low-order X25519 part (its shared secret would be all zeros); obtain the recipient's real public key",
    );
  }
  return { pkM: publicKey.subarray(0, M.publicKey), pkX };
}

function checkCipherText(cipherText: unknown): Uint8Array {
  if (!(cipherText instanceof Uint8Array) || cipherText.length !== CT) {
    throw new QsignError(
      'ERR_INVALID_CIPHERTEXT_LENGTH',
      `X-Wing ciphertext must be ${CT} bytes (ML-KEM-768 ciphertext ‖ X25519 ephemeral key), got ${cipherText instanceof Uint8Array ? `${cipherText.length} bytes` : typeof cipherText}`,
    );
  }
  return cipherText;
}

function combiner(ssM: Uint8Array, ssX: Uint8Array, ctX: Uint8Array, pkX: Uint8Array): Uint8Array {
  const input = concatBytes(ssM, ssX, ctX, pkX, LABEL);
  try {
    return sha3_256(input);
  } finally {
    wipe(input);
  }
}

/**
 * X-Wing (draft-connolly-cfrg-xwing-kem-10). Synchronous: `await init()`
 * from `qsign-pqc` must have completed first (SHA-3 and ML-KEM run in wasm).
 *
 * @example
 * ```ts
 * await init();
 * const { publicKey, secretKey } = xwing.keygen();
 * const { cipherText, sharedSecret } = xwing.encapsulate(publicKey);
 * xwing.decapsulate(cipherText, secretKey); // equals sharedSecret
 * ```
 */
export const xwing: XWing = Object.freeze({
  name: 'X-Wing' as const,
  lengths: LENGTHS,

  keygen(seed?: Uint8Array): KemKeyPair {
    const sk = seed === undefined ? randomBytes(32) : ensureBytes('seed', seed, 32).slice();
    const x = expand(sk);
    wipe(x.skM, x.skX);
    return { publicKey: concatBytes(x.pkM, x.pkX), secretKey: sk };
  },

  getPublicKey(secretKey: Uint8Array): Uint8Array {
    const x = expand(secretKeyArg(secretKey));
    wipe(x.skM, x.skX);
    return concatBytes(x.pkM, x.pkX);
  },

  encapsulate(publicKey: Uint8Array, rand?: Uint8Array): Encapsulation {
    const { pkM, pkX } = checkPublicKey(publicKey);
    const eseed = rand === undefined ? randomBytes(64) : ensureBytes('rand', rand, 64);
    const ekX = eseed.slice(32, 64);
    try {
      const { cipherText: ctM, sharedSecret: ssM } = mlkemEncaps(M, pkM, eseed.subarray(0, 32));
      const ctX = x25519Base(ekX);
      const ssX = x25519Raw(ekX, pkX);
      const sharedSecret = combiner(ssM, ssX, ctX, pkX);
      wipe(ssM, ssX);
      return { cipherText: concatBytes(ctM, ctX), sharedSecret };
    } finally {
      wipe(ekX);
      if (rand === undefined) wipe(eseed);
    }
  },

  decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array {
    const ct = checkCipherText(cipherText);
    const x = expand(secretKeyArg(secretKey));
    try {
      const ctX = ct.subarray(M.cipherText, CT);
      const ssM = mlkemDecaps(M, ct.subarray(0, M.cipherText), x.skM);
      // Raw RFC 7748 output, as the draft specifies: no all-zero abort here,
      // so a forged ct_X behaves like any other forged ciphertext.
      const ssX = x25519Raw(x.skX, ctX);
      const ss = combiner(ssM, ssX, ctX, x.pkX);
      wipe(ssM, ssX);
      return ss;
    } finally {
      wipe(x.skM, x.skX);
    }
  },
});

/** Alias used by @noble/post-quantum and draft-irtf-cfrg-concrete-hybrid-kems (MLKEM768-X25519). */
export const ml_kem768_x25519: XWing = xwing;

/*
 * The same operations for the async entry points (HPKE, transit). They give
 * the same bytes as the synchronous object for the same inputs, but their
 * ML-KEM half goes through the engine router, so native Web Crypto serves it
 * where the engine policy says it is faster. With `rand` given, the ML-KEM
 * half takes its m from it and runs on wasm (native cannot take m).
 */

/** @internal {@link XWing.keygen}, asynchronously. */
export async function xwingKeygenAsync(seed?: Uint8Array): Promise<KemKeyPair> {
  const sk = seed === undefined ? randomBytes(32) : ensureBytes('seed', seed, 32).slice();
  return { publicKey: await publicKeyAsync(sk), secretKey: sk };
}

/** @internal {@link XWing.encapsulate}, asynchronously. */
export async function xwingEncapsulateAsync(publicKey: Uint8Array, rand?: Uint8Array): Promise<Encapsulation> {
  const { pkM, pkX } = checkPublicKey(publicKey);
  const given = rand === undefined ? undefined : ensureBytes('rand', rand, 64);
  // Without given randomness only the X25519 half needs ours: ML-KEM draws its own m on either engine.
  const ekX = given ? given.slice(32, 64) : randomBytes(32);
  try {
    const { cipherText: ctM, sharedSecret: ssM } = await mlkemEncapsAsync(M, pkM, given?.subarray(0, 32));
    const ctX = x25519Base(ekX);
    const ssX = x25519Raw(ekX, pkX);
    const sharedSecret = combiner(ssM, ssX, ctX, pkX);
    wipe(ssM, ssX);
    return { cipherText: concatBytes(ctM, ctX), sharedSecret };
  } finally {
    wipe(ekX);
  }
}

/** @internal {@link XWing.decapsulate}, asynchronously. */
export async function xwingDecapsulateAsync(cipherText: Uint8Array, secretKey: Uint8Array): Promise<Uint8Array> {
  const ct = checkCipherText(cipherText);
  const e = shake256(secretKeyArg(secretKey), { dkLen: 96 });
  try {
    const ctX = ct.subarray(M.cipherText, CT);
    // The ML-KEM key is the seed d‖z = e[0..64): the engine decapsulates with it directly.
    const ssM = await mlkemDecapsSeedAsync(M, ct.subarray(0, M.cipherText), e.subarray(0, 64));
    const skX = e.subarray(64, 96);
    const pkX = x25519Base(skX);
    const ssX = x25519Raw(skX, ctX);
    const ss = combiner(ssM, ssX, ctX, pkX);
    wipe(ssM, ssX);
    return ss;
  } finally {
    wipe(e);
  }
}

/** @internal {@link XWing.getPublicKey}, asynchronously. */
export async function xwingGetPublicKeyAsync(secretKey: Uint8Array): Promise<Uint8Array> {
  return publicKeyAsync(secretKeyArg(secretKey));
}
