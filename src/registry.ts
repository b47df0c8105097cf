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
export type AlgorithmKind = 'kem' | 'signature' | 'hash' | 'hybrid-kem' | 'cipher' | 'key-wrap' | 'kdf';

/** The family an algorithm belongs to (which standard's parameter sets). */
export type AlgorithmFamily =
  'ML-KEM' | 'ML-DSA' | 'SLH-DSA' | 'HashSLH-DSA' | 'hybrid-kem' | 'SHA-3' | 'SHA-2' | 'AES' | 'HKDF';

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
  /** Symmetric key length (AES). */
  readonly key?: number;
  /** AES-GCM nonce and tag lengths. */
  readonly nonce?: number;
  readonly tag?: number;
  /** AES-CBC IV length. */
  readonly iv?: number;
  /** HKDF: the output length of its hash (RFC 5869 HashLen). */
  readonly hashOutput?: number;
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
  /** HashSLH-DSA: the pre-hash function its OID fixes (ACVP spelling, e.g. `SHA2-256`). */
  readonly prehash?: string;
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
  {
    name: 'SHA3-256',
    kind: 'hash',
    family: 'SHA-3',
    aliases: [],
    standard: 'FIPS 202',
    sizes: { output: 32 },
    oid: '2.16.840.1.101.3.4.2.8',
  },
  {
    name: 'SHA3-384',
    kind: 'hash',
    family: 'SHA-3',
    aliases: [],
    standard: 'FIPS 202',
    sizes: { output: 48 },
    oid: '2.16.840.1.101.3.4.2.9',
  },
  {
    name: 'SHA3-512',
    kind: 'hash',
    family: 'SHA-3',
    aliases: [],
    standard: 'FIPS 202',
    sizes: { output: 64 },
    oid: '2.16.840.1.101.3.4.2.10',
  },
  // As a CMS digest (RFC 8702 §3), id-shake128 means 256 bits of output (RFC 9814: SLH-DSA-SHAKE-128*).
  {
    name: 'SHAKE128',
    kind: 'hash',
    family: 'SHA-3',
    aliases: [],
    standard: 'FIPS 202',
    sizes: {},
    oid: '2.16.840.1.101.3.4.2.11',
  },
  // As a CMS digest (RFC 8702 §3), id-shake256 means 512 bits of output.
  {
    name: 'SHAKE256',
    kind: 'hash',
    family: 'SHA-3',
    aliases: [],
    standard: 'FIPS 202',
    sizes: {},
    oid: '2.16.840.1.101.3.4.2.12',
  },
] as const satisfies readonly AlgorithmInfo[];

type WrittenName = (typeof ENTRIES)[number]['name'];
/** Every canonical algorithm name the SDK names exactly: the rows written out above and the SLH-DSA sets. */
export type AlgorithmName = WrittenName | SlhDsaName;
type Entry<N extends WrittenName> = Extract<(typeof ENTRIES)[number], { name: N }>;
/** The sizes of one algorithm as literal types (`SizesOf<'X-Wing'>['publicKey']` is `1216`). */
export type SizesOf<N extends AlgorithmName> = N extends WrittenName ? Entry<N>['sizes'] : SlhDsaSizes;
/** The alias spellings of one algorithm, as literal types. */
export type AliasesOf<N extends AlgorithmName> = N extends WrittenName ? Entry<N>['aliases'][number] : string;
/** Canonical names of one family. */
export type FamilyNames<F extends AlgorithmFamily> = F extends 'SLH-DSA'
  ? SlhDsaName
  : Extract<(typeof ENTRIES)[number], { family: F }>['name'];
/** The transit key types, from the registry. */
export type TransitKeyTypeName = Extract<(typeof ENTRIES)[number], { transitType: string }>['transitType'];

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
const SLH_HASHES = ['SHA2', 'SHAKE'] as const;

/** The twelve SLH-DSA parameter set names (FIPS 205 Table 2). */
export type SlhDsaName = `SLH-DSA-${(typeof SLH_HASHES)[number]}-${(typeof SLH_SHAPES)[number][0]}`;

/** The sizes of every SLH-DSA and HashSLH-DSA set (the same for a set and its pre-hash variant). */
export interface SlhDsaSizes {
  readonly publicKey: number;
  readonly secretKey: number;
  readonly signature: number;
  readonly seed: number;
  readonly signRand: number;
}

/** Security category → classical bits, for the SLH-DSA rows (FIPS 205 Table 2: n = 16, 24, 32). */
const SLH_LEVEL = { 16: [1, 128], 24: [3, 192], 32: [5, 256] } as const;

function slhDsaEntries(): AlgorithmInfo[] {
  const out: AlgorithmInfo[] = [];
  SLH_HASHES.forEach((hash, hi) =>
    SLH_SHAPES.forEach(([set, n, h, d, a, k], si) => {
      const name = `SLH-DSA-${hash}-${set}`;
      const liboqsSet = `${hash}_${set.toUpperCase()}`;
      const sizes: SlhDsaSizes = {
        publicKey: 2 * n,
        secretKey: 4 * n,
        signature: n * (1 + k * (1 + a) + h + d * (2 * n + 3)),
        seed: 3 * n,
        signRand: n,
      };
      const [nistLevel, securityBits] = SLH_LEVEL[n];
      const lower = `slh-dsa-${hash.toLowerCase()}-${set}`;
      out.push({
        name,
        kind: 'signature',
        family: 'SLH-DSA',
        liboqsName: `SLH_DSA_PURE_${liboqsSet}`,
        aliases: [`id-${lower}`, `sphincs+-${hash.toLowerCase()}-${set}-simple`],
        nistLevel,
        securityBits,
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
        family: 'HashSLH-DSA',
        liboqsName: `SLH_DSA_${phOqs}_PREHASH_${liboqsSet}`,
        aliases: [`id-hash-${lower}-with-${phLabel.toLowerCase()}`],
        nistLevel,
        securityBits,
        standard: 'FIPS 205 §10.2',
        sizes,
        oid: `2.16.840.1.101.3.4.3.${35 + hi * 6 + si}`,
        prehash: ph,
      });
    }),
  );
  return out;
}

// ── Symmetric algorithms the CMS layer (qsign-pqc/cms) names in AlgorithmIdentifiers. ──

/** SHA-2 (FIPS 180-4) as a CMS digest. */
function sha2(name: string, arc: string, output: number): AlgorithmInfo {
  return {
    name,
    kind: 'hash',
    family: 'SHA-2',
    aliases: [],
    standard: 'FIPS 180-4',
    oid: `2.16.840.1.101.3.4.2.${arc}`,
    sizes: { output },
  };
}

/** AES-GCM and AES-CBC (RFC 3565/5084 content encryption) and AES key wrap (RFC 3394) for one key size. */
function aes(bits: number, arcs: { gcm: string; cbc: string; wrap: string }): AlgorithmInfo[] {
  const key = bits / 8;
  const base = '2.16.840.1.101.3.4.1.';
  return [
    {
      name: `AES-${bits}-GCM`,
      kind: 'cipher',
      family: 'AES',
      aliases: [],
      standard: 'NIST SP 800-38D, RFC 5084',
      oid: base + arcs.gcm,
      sizes: { key, nonce: 12, tag: 16 },
    },
    {
      name: `AES-${bits}-CBC`,
      kind: 'cipher',
      family: 'AES',
      aliases: [],
      standard: 'NIST SP 800-38A, RFC 3565',
      oid: base + arcs.cbc,
      sizes: { key, iv: 16 },
    },
    {
      name: `AES-${bits}-KW`,
      kind: 'key-wrap',
      family: 'AES',
      aliases: [`aes${bits}-wrap`, `id-aes${bits}-wrap`],
      standard: 'RFC 3394, RFC 3565',
      oid: base + arcs.wrap,
      sizes: { key },
    },
  ];
}

/** HKDF (RFC 5869) as a CMS key-derivation algorithm (RFC 8619); parameters absent. */
function hkdf(hash: string, arc: string, hashOutput: number): AlgorithmInfo {
  return {
    name: `HKDF-${hash}`,
    kind: 'kdf',
    family: 'HKDF',
    aliases: [`hkdf-with-${hash.toLowerCase()}`],
    standard: 'RFC 5869, RFC 8619',
    oid: `1.2.840.113549.1.9.16.3.${arc}`,
    sizes: { hashOutput },
  };
}

/** Rows built from parameters rather than written out (their names are plain strings to the type system). */
const DERIVED: readonly AlgorithmInfo[] = [
  ...slhDsaEntries(),
  sha2('SHA-256', '1', 32),
  sha2('SHA-384', '2', 48),
  sha2('SHA-512', '3', 64),
  ...aes(128, { gcm: '6', cbc: '2', wrap: '5' }),
  ...aes(192, { gcm: '26', cbc: '22', wrap: '25' }),
  ...aes(256, { gcm: '46', cbc: '42', wrap: '45' }),
  hkdf('SHA256', '28', 32),
  hkdf('SHA384', '29', 48),
  hkdf('SHA512', '30', 64),
];

const TABLE: readonly AlgorithmInfo[] = Object.freeze(
  [...ENTRIES, ...DERIVED].map((a: AlgorithmInfo) =>
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

/** Looks up an algorithm by its dotted OID (e.g. `2.16.840.1.101.3.4.3.18` → ML-DSA-65). */
export function findAlgorithmByOid(oid: string, kind?: AlgorithmKind): AlgorithmInfo | undefined {
  if (typeof oid !== 'string') return undefined;
  return TABLE.find((a) => a.oid === oid && (kind === undefined || a.kind === kind));
}
