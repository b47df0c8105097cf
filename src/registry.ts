/**
 * The algorithm registry: per algorithm its names and aliases, OIDs, JOSE,
 * COSE and HPKE identifiers, transit key type, sizes, security level and
 * family. It is static data so `algorithms()` works before init(), and it is
 * the ONE place a length or an alias spelling is written down: every layer
 * reads from here (`test/unit/registry-single-source.test.ts` fails on a size
 * literal or an alias string anywhere else in `src/`).
 *
 * Aliases from the seed documents (`kyber768`, `dilithium3`, …) resolve to
 * the FIPS versions. Their outputs are NOT compatible with round-3
 * Kyber/Dilithium: ML-KEM changed the key derivation and ML-DSA changed the
 * key and signature sizes (Dilithium3 sk 4000 / sig 3293 vs ML-DSA-65 4032 / 3309).
 */
export type AlgorithmKind = 'kem' | 'signature' | 'hash' | 'hybrid-kem';

/** The family an algorithm belongs to (which standard's parameter sets). */
export type AlgorithmFamily = 'ML-KEM' | 'ML-DSA' | 'hybrid-kem' | 'SHA-3';

/**
 * Sizes in bytes. Which ones an algorithm has depends on its kind: KEMs have
 * `publicKey`, `secretKey` (the expanded decapsulation key), `seed`,
 * `cipherText`, `sharedSecret`, `encapsRand`; signatures `publicKey`,
 * `secretKey` (the expanded key), `seed`, `signature`, `signRand`.
 */
export interface AlgorithmSizes {
  readonly publicKey?: number;
  /** The expanded secret key (FIPS 203 dk, FIPS 204 skEncode); for X-Wing the 32-byte private seed. */
  readonly secretKey?: number;
  /** The private seed keys are derived from (ML-KEM d‖z, ML-DSA ξ). */
  readonly seed?: number;
  readonly cipherText?: number;
  readonly sharedSecret?: number;
  readonly signature?: number;
  /** Randomness one hedged signature takes (FIPS 204 rnd). */
  readonly signRand?: number;
  /** Randomness one encapsulation takes (ML-KEM m, X-Wing eseed). */
  readonly encapsRand?: number;
  /** Hash output length. */
  readonly output?: number;
  /** X25519MLKEM768: the client's key share, the server's key share, the client's private state. */
  readonly clientShare?: number;
  readonly serverShare?: number;
  readonly clientSecret?: number;
}

/** One algorithm of the registry (see {@link algorithms}). */
export interface AlgorithmInfo {
  /** Canonical name (FIPS / draft spelling). */
  readonly name: string;
  readonly kind: AlgorithmKind;
  readonly family: AlgorithmFamily;
  /** Name in liboqs' OQS_KEM_new / OQS_SIG_new. */
  readonly liboqsName?: string;
  /**
   * Other accepted spellings, case-insensitive, compared with spaces, `_`
   * and `-` removed (so `ml_kem768` needs no entry: it is `ML-KEM-768`).
   */
  readonly aliases: readonly string[];
  readonly nistLevel?: number;
  /** Classical security in bits the parameter set targets (noble's `securityLevel`). */
  readonly securityBits?: number;
  readonly standard: string;
  /** Sizes in bytes. */
  readonly sizes: AlgorithmSizes;
  /** Dotted object identifier (NIST CSOR; RFC 9881 / RFC 9935 for X.509). */
  readonly oid?: string;
  /** JOSE `alg` (RFC 9964; case-sensitive). */
  readonly jose?: string;
  /** COSE algorithm id (RFC 9964 / IANA COSE Algorithms). */
  readonly cose?: number;
  /** HPKE KEM id (RFC 9180 registry; draft-ietf-hpke-pq). */
  readonly hpkeKem?: number;
  /** Transit (Vault-style) key type, lower case. */
  readonly transitType?: string;
}

const ENTRIES = [
  {
    name: 'ML-KEM-512',
    kind: 'kem',
    family: 'ML-KEM',
    liboqsName: 'ML-KEM-512',
    aliases: ['kyber512'],
    nistLevel: 1,
    securityBits: 128,
    standard: 'FIPS 203',
    sizes: { publicKey: 800, secretKey: 1632, cipherText: 768, sharedSecret: 32, seed: 64, encapsRand: 32 },
    oid: '2.16.840.1.101.3.4.4.1',
    hpkeKem: 0x0040,
  },
  {
    name: 'ML-KEM-768',
    kind: 'kem',
    family: 'ML-KEM',
    liboqsName: 'ML-KEM-768',
    aliases: ['kyber768'],
    nistLevel: 3,
    securityBits: 192,
    standard: 'FIPS 203',
    sizes: { publicKey: 1184, secretKey: 2400, cipherText: 1088, sharedSecret: 32, seed: 64, encapsRand: 32 },
    oid: '2.16.840.1.101.3.4.4.2',
    hpkeKem: 0x0041,
    transitType: 'ml-kem-768',
  },
  {
    name: 'ML-KEM-1024',
    kind: 'kem',
    family: 'ML-KEM',
    liboqsName: 'ML-KEM-1024',
    aliases: ['kyber1024'],
    nistLevel: 5,
    securityBits: 256,
    standard: 'FIPS 203',
    sizes: { publicKey: 1568, secretKey: 3168, cipherText: 1568, sharedSecret: 32, seed: 64, encapsRand: 32 },
    oid: '2.16.840.1.101.3.4.4.3',
    hpkeKem: 0x0042,
    transitType: 'ml-kem-1024',
  },
  {
    name: 'ML-DSA-44',
    kind: 'signature',
    family: 'ML-DSA',
    liboqsName: 'ML-DSA-44',
    aliases: ['dilithium2'],
    nistLevel: 2,
    securityBits: 128,
    standard: 'FIPS 204',
    sizes: { publicKey: 1312, secretKey: 2560, signature: 2420, seed: 32, signRand: 32 },
    oid: '2.16.840.1.101.3.4.3.17',
    jose: 'ML-DSA-44',
    cose: -48,
    transitType: 'ml-dsa-44',
  },
  {
    name: 'ML-DSA-65',
    kind: 'signature',
    family: 'ML-DSA',
    liboqsName: 'ML-DSA-65',
    aliases: ['dilithium3'],
    nistLevel: 3,
    securityBits: 192,
    standard: 'FIPS 204',
    sizes: { publicKey: 1952, secretKey: 4032, signature: 3309, seed: 32, signRand: 32 },
    oid: '2.16.840.1.101.3.4.3.18',
    jose: 'ML-DSA-65',
    cose: -49,
    transitType: 'ml-dsa-65',
  },
  {
    name: 'ML-DSA-87',
    kind: 'signature',
    family: 'ML-DSA',
    liboqsName: 'ML-DSA-87',
    aliases: ['dilithium5'],
    nistLevel: 5,
    securityBits: 256,
    standard: 'FIPS 204',
    sizes: { publicKey: 2592, secretKey: 4896, signature: 4627, seed: 32, signRand: 32 },
    oid: '2.16.840.1.101.3.4.3.19',
    jose: 'ML-DSA-87',
    cose: -50,
    transitType: 'ml-dsa-87',
  },
  {
    name: 'X-Wing',
    kind: 'hybrid-kem',
    family: 'hybrid-kem',
    aliases: ['MLKEM768-X25519'],
    nistLevel: 3,
    securityBits: 192,
    standard: 'draft-connolly-cfrg-xwing-kem-10 (qsign-pqc/hybrid)',
    sizes: { publicKey: 1216, secretKey: 32, cipherText: 1120, sharedSecret: 32, seed: 32, encapsRand: 64 },
    hpkeKem: 0x647a,
    transitType: 'xwing',
  },
  {
    name: 'X25519MLKEM768',
    kind: 'hybrid-kem',
    family: 'hybrid-kem',
    aliases: [],
    nistLevel: 3,
    securityBits: 192,
    standard: 'draft-ietf-tls-ecdhe-mlkem (TLS group 0x11EC; qsign-pqc/hybrid)',
    sizes: { clientShare: 1216, serverShare: 1120, clientSecret: 96, sharedSecret: 64, encapsRand: 64 },
  },
  { name: 'SHA3-256', kind: 'hash', family: 'SHA-3', aliases: [], standard: 'FIPS 202', sizes: { output: 32 } },
  { name: 'SHA3-512', kind: 'hash', family: 'SHA-3', aliases: [], standard: 'FIPS 202', sizes: { output: 64 } },
  { name: 'SHAKE128', kind: 'hash', family: 'SHA-3', aliases: [], standard: 'FIPS 202', sizes: {} },
  { name: 'SHAKE256', kind: 'hash', family: 'SHA-3', aliases: [], standard: 'FIPS 202', sizes: {} },
] as const satisfies readonly AlgorithmInfo[];

/** Every canonical algorithm name in the registry. */
export type AlgorithmName = (typeof ENTRIES)[number]['name'];
type Entry<N extends AlgorithmName> = Extract<(typeof ENTRIES)[number], { name: N }>;
/** The sizes of one algorithm as literal types (`SizesOf<'X-Wing'>['publicKey']` is `1216`). */
export type SizesOf<N extends AlgorithmName> = Entry<N>['sizes'];
/** The alias spellings of one algorithm, as literal types. */
export type AliasesOf<N extends AlgorithmName> = Entry<N>['aliases'][number];
/** Canonical names of one family. */
export type FamilyNames<F extends AlgorithmFamily> = Extract<(typeof ENTRIES)[number], { family: F }>['name'];
/** The transit key types, from the registry. */
export type TransitKeyTypeName = Extract<(typeof ENTRIES)[number], { transitType: string }>['transitType'];

const TABLE: readonly AlgorithmInfo[] = Object.freeze(
  ENTRIES.map((a: AlgorithmInfo) =>
    Object.freeze({ ...a, aliases: Object.freeze([...a.aliases]), sizes: Object.freeze({ ...a.sizes }) }),
  ),
);
const BY_NAME = new Map<string, AlgorithmInfo>(TABLE.map((a) => [a.name, a]));

/** Every algorithm the core offers (hybrid layers add theirs in their own docs). */
export function algorithms(): readonly AlgorithmInfo[] {
  return TABLE;
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[\s_-]/g, '');
}

/** True when `name` is a spelling of this algorithm: its name, liboqs name or an alias (case-insensitive). */
function spells(a: AlgorithmInfo, n: string): boolean {
  return (
    norm(a.name) === n ||
    (a.liboqsName !== undefined && norm(a.liboqsName) === n) ||
    a.aliases.some((x) => norm(x) === n)
  );
}

/**
 * Looks up an algorithm by canonical name, liboqs name or alias (case-insensitive).
 *
 * @example
 * ```ts
 * findAlgorithm('kyber768')?.name; // 'ML-KEM-768'
 * findAlgorithm('ML-DSA-65', 'signature')?.sizes.signature; // 3309
 * ```
 */
export function findAlgorithm(name: string, kind?: AlgorithmKind): AlgorithmInfo | undefined {
  if (typeof name !== 'string') return undefined;
  const n = norm(name);
  return TABLE.find((a) => (kind === undefined || a.kind === kind) && spells(a, n));
}

/** The entry of a canonical name (for code inside the SDK, which names algorithms exactly). */
export function algorithm(name: AlgorithmName): AlgorithmInfo {
  return BY_NAME.get(name)!;
}

/** One size of a canonical algorithm, as a literal type where the registry has it. */
export function sizeOf<N extends AlgorithmName, K extends keyof SizesOf<N> & keyof AlgorithmSizes>(
  name: N,
  what: K,
): SizesOf<N>[K] {
  const n = (BY_NAME.get(name)!.sizes as Record<string, number | undefined>)[what as string];
  // A missing size is a bug in the SDK (the type above already rules it out for literal names).
  if (n === undefined) throw new RangeError(`registry: ${name} has no ${String(what)} size`);
  return n as SizesOf<N>[K];
}

/** The canonical names of one family, in registry order. */
export function familyNames<F extends AlgorithmFamily>(family: F): readonly FamilyNames<F>[] {
  return TABLE.filter((a) => a.family === family).map((a) => a.name as FamilyNames<F>);
}

/** The algorithm with this dotted OID, if any. */
export function algorithmByOid(oid: string): AlgorithmInfo | undefined {
  return TABLE.find((a) => a.oid !== undefined && a.oid === oid);
}

/** The algorithm with this JOSE `alg` (exact, case-sensitive as JOSE requires), if any. */
export function algorithmByJose(alg: unknown): AlgorithmInfo | undefined {
  return typeof alg === 'string' ? TABLE.find((a) => a.jose !== undefined && a.jose === alg) : undefined;
}

/** The algorithm with this HPKE KEM id, if any. */
export function algorithmByHpkeKem(id: number): AlgorithmInfo | undefined {
  return TABLE.find((a) => a.hpkeKem !== undefined && a.hpkeKem === id);
}

/**
 * The algorithm a transit key type names, from its canonical spelling or any
 * spelling of the algorithm (`kyber768`, `ML-KEM-768`, `x-wing`); only
 * algorithms that have a transit key type match.
 */
export function algorithmByTransitType(type: string): AlgorithmInfo | undefined {
  if (typeof type !== 'string') return undefined;
  const n = norm(type);
  return TABLE.find((a) => a.transitType !== undefined && (norm(a.transitType) === n || spells(a, n)));
}

/** The true aliases (spellings that differ from the name after normalization), for hints in error messages. */
export function aliasHint(name: AlgorithmName): string {
  return algorithm(name).aliases.join(', ');
}
