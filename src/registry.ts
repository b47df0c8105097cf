/**
 * The algorithm registry: names, liboqs names, aliases, sizes and NIST
 * security levels. It is static data so `algorithms()` works before init().
 *
 * Aliases from the seed documents (`kyber768`, `dilithium3`, …) resolve to
 * the FIPS versions. Their outputs are NOT compatible with round-3
 * Kyber/Dilithium: ML-KEM changed the key derivation and ML-DSA changed the
 * key and signature sizes (Dilithium3 sk 4000 / sig 3293 vs ML-DSA-65 4032 / 3309).
 */
export type AlgorithmKind = 'kem' | 'signature' | 'hash' | 'hybrid-kem' | 'cipher' | 'key-wrap' | 'kdf';

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
  /** ASN.1 object identifier (AlgorithmIdentifier in X.509/CMS), when one is assigned. */
  readonly oid?: string;
  /** Sizes in bytes. */
  readonly sizes: Readonly<Record<string, number>>;
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
    oid: '2.16.840.1.101.3.4.4.1',
    kind: 'kem',
    liboqsName: 'ML-KEM-512',
    aliases: ['mlkem512', 'ml_kem512', 'kyber512'],
    nistLevel: 1,
    standard: 'FIPS 203',
    sizes: { publicKey: 800, secretKey: 1632, cipherText: 768, sharedSecret: 32, seed: 64 },
  },
  {
    name: 'ML-KEM-768',
    oid: '2.16.840.1.101.3.4.4.2',
    kind: 'kem',
    liboqsName: 'ML-KEM-768',
    aliases: ['mlkem768', 'ml_kem768', 'kyber768'],
    nistLevel: 3,
    standard: 'FIPS 203',
    sizes: { publicKey: 1184, secretKey: 2400, cipherText: 1088, sharedSecret: 32, seed: 64 },
  },
  {
    name: 'ML-KEM-1024',
    oid: '2.16.840.1.101.3.4.4.3',
    kind: 'kem',
    liboqsName: 'ML-KEM-1024',
    aliases: ['mlkem1024', 'ml_kem1024', 'kyber1024'],
    nistLevel: 5,
    standard: 'FIPS 203',
    sizes: { publicKey: 1568, secretKey: 3168, cipherText: 1568, sharedSecret: 32, seed: 64 },
  },
  {
    name: 'ML-DSA-44',
    oid: '2.16.840.1.101.3.4.3.17',
    kind: 'signature',
    liboqsName: 'ML-DSA-44',
    aliases: ['mldsa44', 'ml_dsa44', 'dilithium2'],
    nistLevel: 2,
    standard: 'FIPS 204',
    sizes: { publicKey: 1312, secretKey: 2560, signature: 2420, seed: 32 },
  },
  {
    name: 'ML-DSA-65',
    oid: '2.16.840.1.101.3.4.3.18',
    kind: 'signature',
    liboqsName: 'ML-DSA-65',
    aliases: ['mldsa65', 'ml_dsa65', 'dilithium3'],
    nistLevel: 3,
    standard: 'FIPS 204',
    sizes: { publicKey: 1952, secretKey: 4032, signature: 3309, seed: 32 },
  },
  {
    name: 'ML-DSA-87',
    oid: '2.16.840.1.101.3.4.3.19',
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
  {
    name: 'SHA3-256',
    kind: 'hash',
    aliases: ['sha3_256', 'sha3-256'],
    standard: 'FIPS 202',
    oid: '2.16.840.1.101.3.4.2.8',
    sizes: { output: 32 },
  },
  {
    name: 'SHA3-512',
    kind: 'hash',
    aliases: ['sha3_512', 'sha3-512'],
    standard: 'FIPS 202',
    oid: '2.16.840.1.101.3.4.2.10',
    sizes: { output: 64 },
  },
  { name: 'SHAKE128', kind: 'hash', aliases: ['shake128'], standard: 'FIPS 202', sizes: {} },
  // As a CMS digest (RFC 8702 §3), id-shake256 means 512 bits of output.
  {
    name: 'SHAKE256',
    kind: 'hash',
    aliases: ['shake256'],
    standard: 'FIPS 202',
    oid: '2.16.840.1.101.3.4.2.12',
    sizes: {},
  },
  // ── Symmetric algorithms the CMS layer (qsign-pqc/cms) names in AlgorithmIdentifiers. ──
  ...sha2('SHA-256', '1', 32),
  ...sha2('SHA-384', '2', 48),
  ...sha2('SHA-512', '3', 64),
  {
    name: 'SHA3-384',
    kind: 'hash',
    aliases: ['sha3_384', 'sha3-384'],
    standard: 'FIPS 202',
    oid: '2.16.840.1.101.3.4.2.9',
    sizes: { output: 48 },
  },
  ...aes(128, { gcm: '6', cbc: '2', wrap: '5' }),
  ...aes(192, { gcm: '26', cbc: '22', wrap: '25' }),
  ...aes(256, { gcm: '46', cbc: '42', wrap: '45' }),
  ...hkdf('SHA256', '28', 32),
  ...hkdf('SHA384', '29', 48),
  ...hkdf('SHA512', '30', 64),
];

function sha2(name: string, arc: string, output: number): AlgorithmInfo[] {
  const short = name.replace('-', '').toLowerCase();
  return [
    {
      name,
      kind: 'hash',
      aliases: [short, name.toLowerCase().replace('-', '_')],
      standard: 'FIPS 180-4',
      oid: `2.16.840.1.101.3.4.2.${arc}`,
      sizes: { output },
    },
  ];
}

/** AES-GCM and AES-CBC (RFC 3565/5084 content encryption) and AES key wrap (RFC 3394) for one key size. */
function aes(bits: number, arcs: { gcm: string; cbc: string; wrap: string }): AlgorithmInfo[] {
  const key = bits / 8;
  const base = '2.16.840.1.101.3.4.1.';
  return [
    {
      name: `AES-${bits}-GCM`,
      kind: 'cipher',
      aliases: [`aes${bits}-gcm`, `aes${bits}gcm`],
      standard: 'NIST SP 800-38D, RFC 5084',
      oid: base + arcs.gcm,
      sizes: { key, nonce: 12, tag: 16 },
    },
    {
      name: `AES-${bits}-CBC`,
      kind: 'cipher',
      aliases: [`aes${bits}-cbc`, `aes${bits}cbc`],
      standard: 'NIST SP 800-38A, RFC 3565',
      oid: base + arcs.cbc,
      sizes: { key, iv: 16 },
    },
    {
      name: `AES-${bits}-KW`,
      kind: 'key-wrap',
      aliases: [`aes${bits}-wrap`, `id-aes${bits}-wrap`],
      standard: 'RFC 3394, RFC 3565',
      oid: base + arcs.wrap,
      sizes: { key },
    },
  ];
}

/** HKDF (RFC 5869) as a CMS key-derivation algorithm (RFC 8619); parameters absent. */
function hkdf(hash: string, arc: string, hashOutput: number): AlgorithmInfo[] {
  return [
    {
      name: `HKDF-${hash}`,
      kind: 'kdf',
      aliases: [`hkdf-with-${hash.toLowerCase()}`, `hkdf${hash.toLowerCase()}`],
      standard: 'RFC 5869, RFC 8619',
      oid: `1.2.840.113549.1.9.16.3.${arc}`,
      sizes: { hashOutput },
    },
  ];
}
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

/** Looks up an algorithm by its dotted OID (e.g. `2.16.840.1.101.3.4.3.18` → ML-DSA-65). */
export function findAlgorithmByOid(oid: string, kind?: AlgorithmKind): AlgorithmInfo | undefined {
  if (typeof oid !== 'string') return undefined;
  return TABLE.find((a) => a.oid === oid && (kind === undefined || a.kind === kind));
}
