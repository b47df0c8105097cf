/**
 * The algorithms the CMS layer uses, resolved through the one registry
 * (src/registry.ts): digest algorithms for signed attributes (RFC 9882 §3.3),
 * and the symmetric pieces of KEMRecipientInfo (RFC 9629/9936).
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { algorithm, findAlgorithm, findAlgorithmByOid, type AlgorithmInfo } from '../registry.js';
import { sha3_256, sha3_384, sha3_512, shake256 } from '../hash/index.js';
import type { SignatureAlgorithm } from '../engine/index.js';
import { CmsError, CmsErrorCodes as E } from './errors.js';

/** Digest algorithms accepted in SignerInfo.digestAlgorithm. */
export type DigestName = 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA3-256' | 'SHA3-384' | 'SHA3-512' | 'SHAKE256';

/** An incremental digest. */
export interface Digest {
  update(data: Uint8Array): Digest;
  digest(): Uint8Array;
}

/** RFC 8702 §3.1: id-shake256 as a CMS digest produces 512 bits (an XOF has no length in the registry). */
const SHAKE256_CMS_BYTES = 64;

const DIGESTS: Record<DigestName, { create(): Digest }> = {
  'SHA-256': { create: () => sha256.create() },
  'SHA-384': { create: () => sha384.create() },
  'SHA-512': { create: () => sha512.create() },
  'SHA3-256': { create: () => sha3_256.create() },
  'SHA3-384': { create: () => sha3_384.create() },
  'SHA3-512': { create: () => sha3_512.create() },
  SHAKE256: { create: () => shake256.create({ dkLen: SHAKE256_CMS_BYTES }) },
};

/**
 * RFC 9882 §3.3: the digest SHOULD be at least twice the collision strength
 * of ML-DSA's internal commitment hash — 256/384/512 bits for ML-DSA-44/65/87.
 */
function minDigestBytes(alg: SignatureAlgorithm): number {
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
  return name === 'SHAKE256' ? SHAKE256_CMS_BYTES : findAlgorithm(name, 'hash')!.sizes.output!;
}

/** Undefined when `digest` is strong enough for `alg`, else the rule broken. */
export function weakDigestReason(alg: SignatureAlgorithm, digest: DigestName): string | undefined {
  const need = minDigestBytes(alg);
  const have = digestLength(digest);
  if (have >= need) return undefined;
  return `${digest} (${have * 8} bits) is weaker than the ${need * 8}-bit digest RFC 9882 §3.3 asks for ${alg}`;
}
