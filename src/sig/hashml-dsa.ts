import { QsignError } from '../errors.js';
import { loadSha2, sha2 } from '../hash/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512, shake128, shake256 } from '../hash/sha3.js';
import { beforeReady } from '../wasm/loader.js';
import { ensureBytes } from '../util/bytes.js';
import {
  checkOptions,
  contextOf,
  coreOf,
  prehashPrefix,
  type MlDsaKeyPair,
  type MlDsaLengths,
  type MlDsaLevel,
} from './mldsa.js';

/*
 * HashML-DSA (FIPS 204 §5.4, Alg 4/5): a DIFFERENT signature algorithm from
 * ML-DSA. M′ = 0x01 ‖ len(ctx) ‖ ctx ‖ OID(PH) ‖ PH(M), so its signatures
 * never verify as pure ML-DSA (and vice versa). X.509 (RFC 9881) and
 * JOSE/COSE (RFC 9964) do not allow it; use it only where a protocol asks
 * for it by name.
 */

/** Pre-hash functions FIPS 204 §5.4.1 allows, named as in NIST ACVP. */
export type PrehashName =
  | 'SHA2-224'
  | 'SHA2-256'
  | 'SHA2-384'
  | 'SHA2-512'
  | 'SHA2-512/224'
  | 'SHA2-512/256'
  | 'SHA3-224'
  | 'SHA3-256'
  | 'SHA3-384'
  | 'SHA3-512'
  | 'SHAKE-128'
  | 'SHAKE-256';

/** A pre-hash function of FIPS 204 §5.4.1 / FIPS 205 §10.2.2 (the same list). */
export interface Prehash {
  /** Last byte of the DER OID 2.16.840.1.101.3.4.2.x. */
  arc: number;
  /** Digest length; SHAKE128/256 use 32/64 bytes as FIPS 204 fixes. */
  outLen: number;
  fn: (m: Uint8Array) => Uint8Array;
}

/** Shared with HashSLH-DSA (./slhdsa.ts): FIPS 205 §10.2.2 allows the same functions. */
export const PREHASHES: Readonly<Record<PrehashName, Prehash>> = {
  'SHA2-256': { arc: 1, outLen: 32, fn: (m) => sha2('SHA2-256', m) },
  'SHA2-384': { arc: 2, outLen: 48, fn: (m) => sha2('SHA2-384', m) },
  'SHA2-512': { arc: 3, outLen: 64, fn: (m) => sha2('SHA2-512', m) },
  'SHA2-224': { arc: 4, outLen: 28, fn: (m) => sha2('SHA2-224', m) },
  'SHA2-512/224': { arc: 5, outLen: 28, fn: (m) => sha2('SHA2-512/224', m) },
  'SHA2-512/256': { arc: 6, outLen: 32, fn: (m) => sha2('SHA2-512/256', m) },
  'SHA3-224': { arc: 7, outLen: 28, fn: (m) => sha3_224(m) },
  'SHA3-256': { arc: 8, outLen: 32, fn: (m) => sha3_256(m) },
  'SHA3-384': { arc: 9, outLen: 48, fn: (m) => sha3_384(m) },
  'SHA3-512': { arc: 10, outLen: 64, fn: (m) => sha3_512(m) },
  'SHAKE-128': { arc: 11, outLen: 32, fn: (m) => shake128(m, { dkLen: 32 }) },
  'SHAKE-256': { arc: 12, outLen: 64, fn: (m) => shake256(m, { dkLen: 64 }) },
};

function normName(s: string): string {
  return s
    .toUpperCase()
    .replace(/[\s_-]/g, '')
    .replace(/^SHA(?=(224|256|384|512)($|\/))/, 'SHA2');
}
const BY_NORM = new Map<string, PrehashName>(Object.keys(PREHASHES).map((k) => [normName(k), k as PrehashName]));

/** Resolves `SHA-512`, `sha512`, `SHA2-512`, `SHAKE256`, … to the ACVP spelling. */
export function prehashName(name: unknown): PrehashName {
  const n = typeof name === 'string' ? BY_NORM.get(normName(name)) : undefined;
  if (!n) {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `unsupported HashML-DSA pre-hash ${JSON.stringify(name)}; use one of ${Object.keys(PREHASHES).join(', ')}`,
    );
  }
  return n;
}

/** DER of the pre-hash OID 2.16.840.1.101.3.4.2.arc (the OID field of M′). */
export function oidOf(ph: Prehash): Uint8Array {
  return new Uint8Array([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, ph.arc]);
}

/** HashML-DSA signing options. */
export interface HashMlDsaSignOptions {
  context?: Uint8Array;
  /** As in ML-DSA: omitted = hedged, `false` = deterministic, or 32 bytes. */
  extraEntropy?: Uint8Array | false;
  /** Pre-hash function; default `SHA2-512` (the one RFC-registered OIDs name). */
  hash?: PrehashName | string;
}

/** HashML-DSA verification options. */
export interface HashMlDsaVerifyOptions {
  context?: Uint8Array;
  hash?: PrehashName | string;
}

/**
 * One HashML-DSA parameter set (FIPS 204 §5.4): the message is hashed first (SHA2-512 by default) and
 * the digest signed, with the hash's OID bound into the signature.
 *
 * @example
 * ```ts
 * import { init, hashml_dsa65 } from 'qsign-pqc';
 * await init();
 * const { publicKey, secretKey } = hashml_dsa65.keygen();
 * const msg = new TextEncoder().encode('hello');
 * const sig = hashml_dsa65.sign(msg, secretKey, { hash: 'SHA2-256' });
 * hashml_dsa65.verify(sig, msg, publicKey, { hash: 'SHA2-256' }); // true
 * ```
 */
export interface HashMlDsa {
  readonly info: { readonly type: 'hashml-dsa' };
  /** e.g. `HashML-DSA-65`. */
  readonly name: string;
  readonly level: MlDsaLevel;
  readonly securityLevel: number;
  readonly lengths: MlDsaLengths;
  /** KeyGen (FIPS 204 Alg 1), the same keys as ML-DSA of this level; with a 32-byte `seed` ξ it is deterministic. */
  keygen(seed?: Uint8Array): MlDsaKeyPair;
  /** The public key of an expanded secret key. */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /** HashML-DSA.Sign (FIPS 204 Alg 4): hashes `msg` with `opts.hash` (default SHA2-512) and signs the digest. */
  sign(msg: Uint8Array, secretKey: Uint8Array, opts?: HashMlDsaSignOptions): Uint8Array;
  /** HashML-DSA.Verify (FIPS 204 Alg 5): true when `sig` signs `msg` under `publicKey` with the same hash and context. */
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: HashMlDsaVerifyOptions): boolean;
  /** Signs an already computed PH(M) (its length must match the hash). */
  signDigest(digest: Uint8Array, secretKey: Uint8Array, opts?: HashMlDsaSignOptions): Uint8Array;
  /** Verifies a signature over an already computed PH(M) (its length must match the hash). */
  verifyDigest(sig: Uint8Array, digest: Uint8Array, publicKey: Uint8Array, opts?: HashMlDsaVerifyOptions): boolean;
}

const SIGN_KEYS = ['context', 'extraEntropy', 'hash'];
const VERIFY_KEYS = ['context', 'hash'];

function makeHashMlDsa(level: MlDsaLevel): HashMlDsa {
  beforeReady(loadSha2);
  const core = coreOf(level);
  const name = `HashML-DSA-${level}`;
  const phOf = (h: unknown): Prehash => PREHASHES[h === undefined ? 'SHA2-512' : prehashName(h)];
  const digestOf = (ph: Prehash, d: unknown): Uint8Array => ensureBytes('digest', d, ph.outLen);
  return Object.freeze({
    info: Object.freeze({ type: 'hashml-dsa' as const }),
    name,
    level,
    securityLevel: core.p.securityLevel,
    lengths: core.p.lengths,
    keygen: (seed?: Uint8Array) => core.keygen(seed),
    getPublicKey: (sk: Uint8Array) => core.getPublicKey(sk),
    sign(msg: Uint8Array, secretKey: Uint8Array, opts?: HashMlDsaSignOptions): Uint8Array {
      const o = checkOptions(opts, SIGN_KEYS, `${name} sign`);
      const ph = phOf(o.hash);
      const pre = prehashPrefix(contextOf(o.context), oidOf(ph));
      return core.signParts(pre, ph.fn(ensureBytes('message', msg)), secretKey, o.extraEntropy);
    },
    verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: HashMlDsaVerifyOptions): boolean {
      const o = checkOptions(opts, VERIFY_KEYS, `${name} verify`);
      const ph = phOf(o.hash);
      const pre = prehashPrefix(contextOf(o.context), oidOf(ph));
      return core.verifyParts(sig, pre, ph.fn(ensureBytes('message', msg)), publicKey);
    },
    signDigest(digest: Uint8Array, secretKey: Uint8Array, opts?: HashMlDsaSignOptions): Uint8Array {
      const o = checkOptions(opts, SIGN_KEYS, `${name} signDigest`);
      const ph = phOf(o.hash);
      return core.signParts(
        prehashPrefix(contextOf(o.context), oidOf(ph)),
        digestOf(ph, digest),
        secretKey,
        o.extraEntropy,
      );
    },
    verifyDigest(sig: Uint8Array, digest: Uint8Array, publicKey: Uint8Array, opts?: HashMlDsaVerifyOptions): boolean {
      const o = checkOptions(opts, VERIFY_KEYS, `${name} verifyDigest`);
      const ph = phOf(o.hash);
      return core.verifyParts(sig, prehashPrefix(contextOf(o.context), oidOf(ph)), digestOf(ph, digest), publicKey);
    },
  });
}

/** HashML-DSA-44 (FIPS 204 §5.4); not interchangeable with ML-DSA-44. */
export const hashml_dsa44: HashMlDsa = /* @__PURE__ */ makeHashMlDsa(44);
/** HashML-DSA-65 (FIPS 204 §5.4); not interchangeable with ML-DSA-65. */
export const hashml_dsa65: HashMlDsa = /* @__PURE__ */ makeHashMlDsa(65);
/** HashML-DSA-87 (FIPS 204 §5.4); not interchangeable with ML-DSA-87. */
export const hashml_dsa87: HashMlDsa = /* @__PURE__ */ makeHashMlDsa(87);
