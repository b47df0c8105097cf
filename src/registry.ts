/**
 * The algorithm registry: names, liboqs names, aliases, sizes and NIST
 * security levels. It is static data so `algorithms()` works before init().
 *
 * Aliases from the seed documents (`kyber768`, `dilithium3`, …) resolve to
 * the FIPS versions. Their outputs are NOT compatible with round-3
 * Kyber/Dilithium: ML-KEM changed the key derivation and ML-DSA changed the
 * key and signature sizes (Dilithium3 sk 4000 / sig 3293 vs ML-DSA-65 4032 / 3309).
 */
export type AlgorithmKind = 'kem' | 'signature' | 'hash' | 'hybrid-kem';

export interface AlgorithmInfo {
  /** Canonical name (FIPS / draft spelling). */
  readonly name: string;
  readonly kind: AlgorithmKind;
  /** Name in liboqs' OQS_KEM_new / OQS_SIG_new. */
  readonly liboqsName?: string;
  /** Other accepted spellings, case-insensitive. */
  readonly aliases: readonly string[];
  readonly nistLevel?: number;
  readonly standard: string;
  /** Sizes in bytes. */
  readonly sizes: Readonly<Record<string, number>>;
  /** Object identifier (dotted), where the standard assigns one. */
  readonly oid?: string;
  /** HashSLH-DSA: the pre-hash function its OID fixes (ACVP spelling, e.g. `SHA2-256`). */
  readonly prehash?: string;
}

/*
 * SLH-DSA (FIPS 205 Table 2): the twelve sets in the order of their NIST
 * OIDs 2.16.840.1.101.3.4.3.20-31 (RFC 9909); the HashSLH-DSA OIDs .35-.46
 * fix the pre-hash (SHA-256 for the 128-bit SHA2 sets, SHA-512 for the
 * other SHA2 sets, SHAKE128 / SHAKE256 for the SHAKE sets). Sizes follow
 * from n, h, d, a, k: pk 2n, sk 4n, signature n(1 + k(1 + a) + h + d(2n + 3)),
 * keygen seed 3n (SK.seed, SK.prf, PK.seed), addrnd n.
 */
const SLH_SHAPES = [
  // [set, n, h, d, a, k]
  ['128s', 16, 63, 7, 12, 14],
  ['128f', 16, 66, 22, 6, 33],
  ['192s', 24, 63, 7, 14, 17],
  ['192f', 24, 66, 22, 8, 33],
  ['256s', 32, 64, 8, 14, 22],
  ['256f', 32, 68, 17, 9, 35],
] as const;

function slhDsaEntries(): AlgorithmInfo[] {
  const out: AlgorithmInfo[] = [];
  const hashes = ['SHA2', 'SHAKE'] as const;
  hashes.forEach((hash, hi) =>
    SLH_SHAPES.forEach(([set, n, h, d, a, k], si) => {
      const name = `SLH-DSA-${hash}-${set}`;
      const liboqsSet = `${hash}_${set.toUpperCase()}`;
      const sizes = {
        publicKey: 2 * n,
        secretKey: 4 * n,
        signature: n * (1 + k * (1 + a) + h + d * (2 * n + 3)),
        seed: 3 * n,
        signRand: n,
      };
      const nistLevel = n === 16 ? 1 : n === 24 ? 3 : 5;
      const lower = `slh-dsa-${hash.toLowerCase()}-${set}`;
      out.push({
        name,
        kind: 'signature',
        liboqsName: `SLH_DSA_PURE_${liboqsSet}`,
        aliases: [lower.replace(/-/g, '_'), `id-${lower}`, `sphincs+-${hash.toLowerCase()}-${set}-simple`],
        nistLevel,
        standard: 'FIPS 205',
        sizes,
        oid: `2.16.840.1.101.3.4.3.${20 + hi * 6 + si}`,
      });
      const ph = hash === 'SHAKE' ? (n === 16 ? 'SHAKE-128' : 'SHAKE-256') : n === 16 ? 'SHA2-256' : 'SHA2-512';
      const phLabel = ph.replace('SHA2-', 'SHA').replace('-', '');
      const phOqs = ph.replace('-', '_');
      out.push({
        name: `HashSLH-DSA-${hash}-${set}-with-${phLabel}`,
        kind: 'signature',
        liboqsName: `SLH_DSA_${phOqs}_PREHASH_${liboqsSet}`,
        aliases: [`hash-${lower}-with-${phLabel.toLowerCase()}`, `id-hash-${lower}-with-${phLabel.toLowerCase()}`],
        nistLevel,
        standard: 'FIPS 205 §10.2',
        sizes,
        oid: `2.16.840.1.101.3.4.3.${35 + hi * 6 + si}`,
        prehash: ph,
      });
    }),
  );
  return out;
}

const ENTRIES: AlgorithmInfo[] = [
  {
    name: 'ML-KEM-512',
    kind: 'kem',
    liboqsName: 'ML-KEM-512',
    aliases: ['mlkem512', 'ml_kem512', 'kyber512'],
    nistLevel: 1,
    standard: 'FIPS 203',
    sizes: { publicKey: 800, secretKey: 1632, cipherText: 768, sharedSecret: 32, seed: 64 },
  },
  {
    name: 'ML-KEM-768',
    kind: 'kem',
    liboqsName: 'ML-KEM-768',
    aliases: ['mlkem768', 'ml_kem768', 'kyber768'],
    nistLevel: 3,
    standard: 'FIPS 203',
    sizes: { publicKey: 1184, secretKey: 2400, cipherText: 1088, sharedSecret: 32, seed: 64 },
  },
  {
    name: 'ML-KEM-1024',
    kind: 'kem',
    liboqsName: 'ML-KEM-1024',
    aliases: ['mlkem1024', 'ml_kem1024', 'kyber1024'],
    nistLevel: 5,
    standard: 'FIPS 203',
    sizes: { publicKey: 1568, secretKey: 3168, cipherText: 1568, sharedSecret: 32, seed: 64 },
  },
  {
    name: 'ML-DSA-44',
    kind: 'signature',
    liboqsName: 'ML-DSA-44',
    aliases: ['mldsa44', 'ml_dsa44', 'dilithium2'],
    nistLevel: 2,
    standard: 'FIPS 204',
    sizes: { publicKey: 1312, secretKey: 2560, signature: 2420, seed: 32 },
  },
  {
    name: 'ML-DSA-65',
    kind: 'signature',
    liboqsName: 'ML-DSA-65',
    aliases: ['mldsa65', 'ml_dsa65', 'dilithium3'],
    nistLevel: 3,
    standard: 'FIPS 204',
    sizes: { publicKey: 1952, secretKey: 4032, signature: 3309, seed: 32 },
  },
  {
    name: 'ML-DSA-87',
    kind: 'signature',
    liboqsName: 'ML-DSA-87',
    aliases: ['mldsa87', 'ml_dsa87', 'dilithium5'],
    nistLevel: 5,
    standard: 'FIPS 204',
    sizes: { publicKey: 2592, secretKey: 4896, signature: 4627, seed: 32 },
  },
  {
    name: 'X-Wing',
    kind: 'hybrid-kem',
    aliases: ['xwing', 'ml_kem768_x25519', 'mlkem768-x25519'],
    nistLevel: 3,
    standard: 'draft-connolly-cfrg-xwing-kem-10 (qsign-pqc/hybrid)',
    sizes: { publicKey: 1216, secretKey: 32, cipherText: 1120, sharedSecret: 32 },
  },
  {
    name: 'X25519MLKEM768',
    kind: 'hybrid-kem',
    aliases: ['x25519mlkem768', 'x25519-mlkem768'],
    nistLevel: 3,
    standard: 'draft-ietf-tls-ecdhe-mlkem (TLS group 0x11EC; qsign-pqc/hybrid)',
    sizes: { clientShare: 1216, serverShare: 1120, sharedSecret: 64 },
  },
  ...slhDsaEntries(),
  { name: 'SHA3-256', kind: 'hash', aliases: ['sha3_256', 'sha3-256'], standard: 'FIPS 202', sizes: { output: 32 } },
  { name: 'SHA3-512', kind: 'hash', aliases: ['sha3_512', 'sha3-512'], standard: 'FIPS 202', sizes: { output: 64 } },
  { name: 'SHAKE128', kind: 'hash', aliases: ['shake128'], standard: 'FIPS 202', sizes: {} },
  { name: 'SHAKE256', kind: 'hash', aliases: ['shake256'], standard: 'FIPS 202', sizes: {} },
];
const TABLE: readonly AlgorithmInfo[] = Object.freeze(
  ENTRIES.map((a) =>
    Object.freeze({ ...a, aliases: Object.freeze([...a.aliases]), sizes: Object.freeze({ ...a.sizes }) }),
  ),
);

/** Every algorithm the core offers (hybrid layers add theirs in their own docs). */
export function algorithms(): readonly AlgorithmInfo[] {
  return TABLE;
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[\s_-]/g, '');
}

/** Looks up an algorithm by canonical name, liboqs name or alias (case-insensitive). */
export function findAlgorithm(name: string, kind?: AlgorithmKind): AlgorithmInfo | undefined {
  if (typeof name !== 'string') return undefined;
  const n = norm(name);
  return TABLE.find(
    (a) =>
      (kind === undefined || a.kind === kind) &&
      (norm(a.name) === n ||
        (a.liboqsName !== undefined && norm(a.liboqsName) === n) ||
        a.aliases.some((x) => norm(x) === n)),
  );
}
