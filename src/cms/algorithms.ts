/**
 * The algorithms the CMS layer uses, resolved through the one registry
 * (src/registry.ts): digest algorithms for signed attributes (RFC 9882 §3.3),
 * and the symmetric pieces of KEMRecipientInfo (RFC 9629/9936).
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { algorithm, algorithms, findAlgorithm, findAlgorithmByOid, type AlgorithmInfo } from '../registry.js';
import { sha3_256, sha3_384, sha3_512, shake128, shake256 } from '../hash/index.js';
import type { SigningAlgorithm } from '../x509/keys.js';
import { CmsError, CmsErrorCodes as E } from './errors.js';

/** Digest algorithms accepted in SignerInfo.digestAlgorithm. */
export type DigestName =
  'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA3-256' | 'SHA3-384' | 'SHA3-512' | 'SHAKE128' | 'SHAKE256';

/** An incremental digest. */
export interface Digest {
  update(data: Uint8Array): Digest;
  digest(): Uint8Array;
}

/** RFC 8702 §3.1: id-shake256 as a CMS digest produces 512 bits (an XOF has no length in the registry). */
const SHAKE256_CMS_BYTES = 64;
/** RFC 8702 §3.1: id-shake128 as a CMS digest produces 256 bits. */
const SHAKE128_CMS_BYTES = 32;

const DIGESTS: Record<DigestName, { create(): Digest }> = {
  'SHA-256': { create: () => sha256.create() },
  'SHA-384': { create: () => sha384.create() },
  'SHA-512': { create: () => sha512.create() },
  'SHA3-256': { create: () => sha3_256.create() },
  'SHA3-384': { create: () => sha3_384.create() },
  'SHA3-512': { create: () => sha3_512.create() },
  SHAKE128: { create: () => shake128.create({ dkLen: SHAKE128_CMS_BYTES }) },
  SHAKE256: { create: () => shake256.create({ dkLen: SHAKE256_CMS_BYTES }) },
};

/**
 * RFC 9882 §3.3: the digest SHOULD be at least twice the collision strength
 * of ML-DSA's internal commitment hash — 256/384/512 bits for ML-DSA-44/65/87.
 * RFC 9814 §4 asks the same of SLH-DSA: 256 bits for the 128-bit sets, 512
 * (SHA-512, SHAKE256) for the 192- and 256-bit sets.
 */
function minDigestBytes(alg: SigningAlgorithm): number {
  // 2λ bits for a λ-bit collision strength: λ/4 bytes.
  return algorithm(alg).securityBits! / 4;
}

/** The registry entry of a named algorithm that must have an OID. */
export function registryEntry(name: string): AlgorithmInfo & { oid: string } {
  const a = findAlgorithm(name);
  if (!a?.oid) throw new CmsError(E.UNSUPPORTED, `algorithm ${name} has no OID in the registry`);
  return a as AlgorithmInfo & { oid: string };
}

export function digestNames(): DigestName[] {
  return Object.keys(DIGESTS) as DigestName[];
}

/** Resolves a digest name (`SHA-512`, `sha512`, …) to the canonical DigestName. */
export function digestByName(name: string): DigestName {
  const a = findAlgorithm(name, 'hash');
  if (!a || !(a.name in DIGESTS))
    throw new CmsError(
      E.INVALID_OPTIONS,
      `digest "${name}" is not usable in CMS here; use one of ${digestNames().join(', ')}`,
    );
  return a.name as DigestName;
}

/** The DigestName of an OID, or undefined. */
export function digestByOid(oid: string): DigestName | undefined {
  const a = findAlgorithmByOid(oid, 'hash');
  return a && a.name in DIGESTS ? (a.name as DigestName) : undefined;
}

export function createDigest(name: DigestName): Digest {
  return DIGESTS[name].create();
}

export function digestLength(name: DigestName): number {
  if (name === 'SHAKE256') return SHAKE256_CMS_BYTES;
  if (name === 'SHAKE128') return SHAKE128_CMS_BYTES;
  return findAlgorithm(name, 'hash')!.sizes.output!;
}

/** Undefined when `digest` is strong enough for `alg`, else the rule broken. */
export function weakDigestReason(alg: SigningAlgorithm, digest: DigestName): string | undefined {
  const need = minDigestBytes(alg);
  const have = digestLength(digest);
  if (have >= need) return undefined;
  const rule = alg.startsWith('SLH-DSA') ? 'RFC 9814 §4' : 'RFC 9882 §3.3';
  return `${digest} (${have * 8} bits) is weaker than the ${need * 8}-bit digest ${rule} asks for ${alg}`;
}

/**
 * The digest a signer uses when none is named: SHA-512 for ML-DSA (RFC 9882
 * §3.3, a MUST for every level); for SLH-DSA the one RFC 9814 §4 names for
 * the set — the pre-hash the set's HashSLH-DSA registry row fixes (SHA-256
 * for SHA2-128*, SHA-512 for the other SHA2 sets, SHAKE128 for SHAKE-128*,
 * SHAKE256 for the other SHAKE sets).
 */
export function defaultDigest(alg: SigningAlgorithm): DigestName {
  if (!alg.startsWith('SLH-DSA-')) return 'SHA-512';
  const hashed = algorithms().find((a) => a.family === 'HashSLH-DSA' && a.name.startsWith(`Hash${alg}-with-`))!;
  // ACVP spelling (SHA2-256, SHAKE-128) → the CMS digest name (SHA-256, SHAKE128).
  return hashed.prehash!.replace('SHA2-', 'SHA-').replace('SHAKE-', 'SHAKE') as DigestName;
}
