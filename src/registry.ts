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
