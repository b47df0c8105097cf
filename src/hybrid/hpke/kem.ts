/*
 * The post-quantum HPKE KEMs of draft-ietf-hpke-pq: ML-KEM-512/768/1024
 * (private key = the 64-byte FIPS 203 seed d‖z) and X-Wing / MLKEM768-X25519
 * (private key = its 32-byte seed). None is an authenticated KEM, so only the
 * base (and PSK) modes exist for them. Their shared secret goes straight
 * into the key schedule: no DHKEM-style ExtractAndExpand.
 */
import { QsignError } from '../../errors.js';
import { algorithm, type AlgorithmSizes } from '../../registry.js';
import { ensureBytes, randomBytes } from '../../util/bytes.js';
import {
  MLKEM,
  type MlKemName,
  type MlKemParams,
  mlkemDecapsSeedAsync,
  mlkemEncapsAsync,
  mlkemPublicKeyAsync,
} from '../mlkem.js';
import { xwingDecapsulateAsync, xwingEncapsulateAsync, xwingGetPublicKeyAsync, xwingKeygenAsync } from '../xwing.js';
import { i2osp, shake256LabeledDerive } from './kdf.js';

/** Names of the HPKE KEMs this package implements: the three ML-KEM parameter sets and X-Wing (draft-ietf-hpke-pq). */
export type KemName = MlKemName | 'X-Wing';

/**
 * An HPKE KEM (RFC 9180 §4 interface), reached through a suite. The sizes are the registry's.
 *
 * @example
 * ```ts
 * import { suite } from 'qsign-pqc/hybrid';
 * const { kem } = suite({ kem: 'ML-KEM-768', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM' });
 * const { publicKey, secretKey } = await kem.generateKeyPair();
 * const { sharedSecret, enc } = await kem.encap(publicKey);
 * const same = await kem.decap(enc, secretKey); // equals sharedSecret
 * ```
 */
export interface HpkeKem {
  readonly id: number;
  readonly name: KemName;
  readonly Nsecret: number;
  readonly Nenc: number;
  readonly Npk: number;
  readonly Nsk: number;
  /** Bytes of randomness one encapsulation consumes (the `ikmE` of the test vectors). */
  readonly Nrandom: number;
  // Async: the ML-KEM calls go through the engine, which may serve them natively.
  /** GenerateKeyPair(): a fresh recipient key pair, the secret key in its serialized (seed) form. */
  generateKeyPair(): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }>;
  /** DeriveKeyPair(ikm): seed = SHAKE256.LabeledDerive(ikm, "DeriveKeyPair", "", Nsk). */
  deriveKeyPair(ikm: Uint8Array): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }>;
  /** Public key of a serialized private key. */
  publicKeyOf(secretKey: Uint8Array): Promise<Uint8Array>;
  /**
   * Encap(pkR): a shared secret and its encapsulation `enc` for the recipient. `rand` (Nrandom bytes)
   * makes it deterministic, for known-answer tests only.
   */
  encap(publicKey: Uint8Array, rand?: Uint8Array): Promise<{ sharedSecret: Uint8Array; enc: Uint8Array }>;
  /** Decap(enc, skR): the shared secret `enc` carries, computed with the recipient's serialized private key. */
  decap(enc: Uint8Array, secretKey: Uint8Array): Promise<Uint8Array>;
}

function kemSuiteId(id: number): Uint8Array {
  return new Uint8Array([0x4b, 0x45, 0x4d, ...i2osp(id, 2)]); // "KEM" ‖ I2OSP(kem_id, 2)
}

function checkPublicKey(name: string, pk: unknown, n: number): Uint8Array {
  if (!(pk instanceof Uint8Array) || pk.length !== n) {
    throw new QsignError(
      'ERR_INVALID_PUBLIC_KEY',
      `${name} HPKE recipient public key must be ${n} bytes, got ${pk instanceof Uint8Array ? `${pk.length} bytes` : typeof pk}`,
    );
  }
  return pk;
}

function checkSecretKey(name: string, sk: unknown, n: number): Uint8Array {
  if (!(sk instanceof Uint8Array) || sk.length !== n) {
    throw new QsignError(
      'ERR_INVALID_SECRET_KEY',
      `${name} HPKE private key must be the ${n}-byte seed, got ${sk instanceof Uint8Array ? `${sk.length} bytes` : typeof sk}` +
        (n === 64 && sk instanceof Uint8Array && sk.length > 64
          ? ' (an expanded ML-KEM decapsulation key is not accepted: HPKE-PQ keys are seeds)'
          : ''),
    );
  }
  return sk;
}

function checkEnc(name: string, enc: unknown, n: number): Uint8Array {
  if (!(enc instanceof Uint8Array) || enc.length !== n) {
    throw new QsignError(
      'ERR_INVALID_CIPHERTEXT_LENGTH',
      `${name} HPKE enc must be ${n} bytes, got ${enc instanceof Uint8Array ? `${enc.length} bytes` : typeof enc}`,
    );
  }
  return enc;
}

function mlkemHpke(p: MlKemParams): HpkeKem {
  const a = algorithm(p.name);
  const id = a.hpkeKem!;
  const { sharedSecret: Nsecret, seed: Nsk, encapsRand: Nrandom } = a.sizes as Sizes;
  const suiteId = kemSuiteId(id);
  const fromSeed = async (seed: Uint8Array) => ({ publicKey: await mlkemPublicKeyAsync(p, seed), secretKey: seed });
  return Object.freeze({
    id,
    name: p.name,
    Nsecret,
    Nenc: p.cipherText,
    Npk: p.publicKey,
    Nsk,
    Nrandom,
    generateKeyPair: () => fromSeed(randomBytes(Nsk)),
    deriveKeyPair: (ikm: Uint8Array) =>
      fromSeed(shake256LabeledDerive(suiteId, ensureBytes('ikm', ikm), 'DeriveKeyPair', new Uint8Array(0), Nsk)),
    publicKeyOf: (sk: Uint8Array) => mlkemPublicKeyAsync(p, checkSecretKey(p.name, sk, Nsk)),
    async encap(pk: Uint8Array, rand?: Uint8Array) {
      checkPublicKey(p.name, pk, p.publicKey);
      const { cipherText, sharedSecret } = await mlkemEncapsAsync(
        p,
        pk,
        rand === undefined ? undefined : ensureBytes('ikmE', rand, Nrandom),
      );
      return { sharedSecret, enc: cipherText };
    },
    async decap(enc: Uint8Array, sk: Uint8Array) {
      checkEnc(p.name, enc, p.cipherText);
      // The seed is the private key; the engine expands it (wasm, wiped after the call) or imports it (native).
      return mlkemDecapsSeedAsync(p, enc, checkSecretKey(p.name, sk, Nsk));
    },
  });
}

type Sizes = Required<Pick<AlgorithmSizes, 'publicKey' | 'cipherText' | 'sharedSecret' | 'seed' | 'encapsRand'>>;
const XWING = algorithm('X-Wing').sizes as Sizes;

function xwingHpke(): HpkeKem {
  const id = algorithm('X-Wing').hpkeKem!;
  const suiteId = kemSuiteId(id);
  return Object.freeze({
    id,
    name: 'X-Wing' as const,
    Nsecret: XWING.sharedSecret,
    Nenc: XWING.cipherText,
    Npk: XWING.publicKey,
    Nsk: XWING.seed,
    Nrandom: XWING.encapsRand,
    generateKeyPair: () => xwingKeygenAsync(),
    // draft-ietf-hpke-pq's labeled derivation (not the bare SHAKE256(ikm, 32)
    // of the X-Wing draft's own HPKE section): the HPKE-PQ vectors use this.
    deriveKeyPair: (ikm: Uint8Array) =>
      xwingKeygenAsync(
        shake256LabeledDerive(suiteId, ensureBytes('ikm', ikm), 'DeriveKeyPair', new Uint8Array(0), XWING.seed),
      ),
    publicKeyOf: async (sk: Uint8Array) => xwingGetPublicKeyAsync(checkSecretKey('X-Wing', sk, XWING.seed)),
    async encap(pk: Uint8Array, rand?: Uint8Array) {
      checkPublicKey('X-Wing', pk, XWING.publicKey);
      const { cipherText, sharedSecret } = await xwingEncapsulateAsync(
        pk,
        rand === undefined ? undefined : ensureBytes('ikmE', rand, XWING.encapsRand),
      );
      return { sharedSecret, enc: cipherText };
    },
    async decap(enc: Uint8Array, sk: Uint8Array) {
      return xwingDecapsulateAsync(checkEnc('X-Wing', enc, XWING.cipherText), checkSecretKey('X-Wing', sk, XWING.seed));
    },
  });
}

/** Every KEM this module implements, by HPKE KEM id. */
export const KEMS: ReadonlyMap<number, HpkeKem> = new Map<number, HpkeKem>(
  [...Object.values(MLKEM).map(mlkemHpke), xwingHpke()].map((k) => [k.id, k]),
);
