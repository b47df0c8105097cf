/**
 * The registry's row shape and the lookups every family file and the index share (src/registry.ts is the index over
 * all families; src/registry/<family>.ts hold the rows). A layer that serves one family imports that family's file,
 * so a bundle carries only the rows it can use (issue 23 item 2).
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

/** Freezes written rows into registry entries (annotated pure: a bundle drops an unused family's rows). */
export function freezeRows(rows: readonly AlgorithmInfo[]): readonly AlgorithmInfo[] {
  return Object.freeze(
    rows.map((a) =>
      Object.freeze({ ...a, aliases: Object.freeze([...a.aliases]), sizes: Object.freeze({ ...a.sizes }) }),
    ),
  );
}

/** Spelling-insensitive form of a name: lower case, spaces, `_` and `-` removed. */
export function norm(s: string): string {
  return s.toLowerCase().replace(/[\s_-]/g, '');
}

/** True when `n` (normalized) is a spelling of this algorithm: its name, liboqs name or an alias. */
export function spells(a: AlgorithmInfo, n: string): boolean {
  return (
    norm(a.name) === n ||
    (a.liboqsName !== undefined && norm(a.liboqsName) === n) ||
    a.aliases.some((x) => norm(x) === n)
  );
}

/** The row of `rows` that `name` spells (case-insensitive), optionally of one kind. */
export function findIn(rows: readonly AlgorithmInfo[], name: unknown, kind?: AlgorithmKind): AlgorithmInfo | undefined {
  if (typeof name !== 'string') return undefined;
  const n = norm(name);
  return rows.find((a) => (kind === undefined || a.kind === kind) && spells(a, n));
}

/** One size of a row of `rows` (a missing row or size is a bug in the SDK). */
export function sizeIn(rows: readonly AlgorithmInfo[], name: string, what: keyof AlgorithmSizes): number {
  const n = rows.find((a) => a.name === name)?.sizes[what];
  if (n === undefined) throw new RangeError(`registry: ${name} has no ${what} size`);
  return n;
}

/** "name (aliases), …" of `rows`, for error messages that list what is accepted. */
export function namesWithAliases(rows: readonly AlgorithmInfo[]): string {
  return `${rows.map((a) => a.name).join(', ')} (aliases: ${rows.map((a) => a.aliases.join(', ')).join(', ')})`;
}
