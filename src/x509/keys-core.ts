/**
 * SubjectPublicKeyInfo and PKCS#8 (RFC 5958 OneAsymmetricKey) codecs for
 * ML-DSA (RFC 9881), ML-KEM (RFC 9935) and SLH-DSA (RFC 9909), plus PEM helpers.
 *
 * This module is deliberately independent of the certificate code (no
 * @peculiar/asn1-* import) so the JOSE and transit layers can reuse it
 * without pulling an ASN.1 schema library. The structures are tiny and fixed:
 *
 * ```
 * SPKI   = SEQ { SEQ { OID } , BIT STRING (0 unused bits) raw-public-key }
 * PKCS#8 = SEQ { INTEGER 0|1, SEQ { OID }, OCTET STRING privateKey, [1] publicKey OPTIONAL }
 * privateKey CHOICE: seed [0] IMPLICIT OCTET STRING (0x80) | expandedKey OCTET STRING (0x04)
 *                   | both SEQUENCE { seed OCTET STRING, expandedKey OCTET STRING } (0x30)
 * ```
 *
 * SLH-DSA (RFC 9909) has no CHOICE: SPKI holds PK.seed ‖ PK.root and the
 * PKCS#8 privateKey OCTET STRING holds SK.seed ‖ SK.prf ‖ PK.seed ‖ PK.root
 * directly (4n bytes, no inner wrapping; what OpenSSL 3.5 writes). Only the
 * pure id-slh-dsa-* OIDs are keys here; a HashSLH-DSA OID is refused.
 *
 * Parameters are always absent (RFC 9881 §2, RFC 9935 §3, RFC 9909 §3), and a NULL is
 * rejected. The CHOICE is dispatched on its tag, never on its length.
 *
 * Decoding runs the consistency checks RFC 9881 §8.2 / RFC 9935 §8 ask for;
 * like every primitive call, that needs `await init()` first.
 *
 * This is the ML-DSA-only half of the key layer: all the DER framing lives
 * here, but it imports no ML-KEM, SHA-3-module or SLH-DSA code, so the JOSE
 * layer's lazy import of it (src/jose/keys.ts) keeps those wasm modules out of
 * an edge Worker's graph (issue 23 item 2). Expanding an ML-KEM or SLH-DSA seed
 * and checking an expanded ML-KEM key are plugged in with
 * {@link registerKeyFamily} by `./keys.js`, the module `qsign-pqc/x509` imports.
 */
import { QsignError, type QsignErrorCode } from '../errors.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '../sig/index.js';
import { algorithm, familyNames, findAlgorithmByOid, type SlhDsaName } from '../registry.js';
import { equalBytes, randomBytes } from '../util/bytes.js';
import type { KemAlgorithm, SignatureAlgorithm } from '../engine/index.js';
import { oidDer, oidString, readChildren, readWhole, tlv } from './der.js';
import { X509ErrorCodes as E } from './errors.js';
import { checkExpandedSecretKey, type MlDsaLevel } from '../sig/mldsa.js';
import { pemDecode, pemEncode, toDer } from './pem.js';

/** Every algorithm that can sign certificates, CSRs and CMS here: ML-DSA (RFC 9881) and SLH-DSA (RFC 9909). */
export type SigningAlgorithm = SignatureAlgorithm | SlhDsaName;

/** Every algorithm that can appear in an SPKI or PKCS#8 handled here. */
export type KeyAlgorithm = SigningAlgorithm | KemAlgorithm;

/** The algorithms this layer handles, signature sets first (the order error messages list them in). */
const KEY_ALGORITHMS: readonly KeyAlgorithm[] = [
  ...familyNames('ML-DSA'),
  ...familyNames('SLH-DSA'),
  ...familyNames('ML-KEM'),
];

/** RFC 9881 / RFC 9935 / RFC 9909 object identifiers, from the registry. */
export const KEY_OIDS: Readonly<Record<KeyAlgorithm, string>> = Object.freeze(
  Object.fromEntries(KEY_ALGORITHMS.map((a) => [a, algorithm(a).oid!])) as Record<KeyAlgorithm, string>,
);

/** The families whose key handling `./keys.js` plugs in (ML-DSA's is built in). */
export type PluggedKeyFamily = 'ML-KEM' | 'SLH-DSA';

interface AlgSpec {
  kind: 'signature' | 'kem';
  family: 'ML-DSA' | PluggedKeyFamily;
  slh: boolean;
  publicKey: number;
  secretKey: number;
  seed: number;
}

const SPECS: Readonly<Record<KeyAlgorithm, AlgSpec>> = Object.freeze(
  Object.fromEntries(
    KEY_ALGORITHMS.map((name) => {
      const a = algorithm(name);
      const spec: AlgSpec = {
        kind: a.kind as AlgSpec['kind'],
        family: a.family as AlgSpec['family'],
        slh: a.family === 'SLH-DSA',
        publicKey: a.sizes.publicKey!,
        secretKey: a.sizes.secretKey!,
        seed: a.sizes.seed!,
      };
      return [name, spec];
    }),
  ) as Record<KeyAlgorithm, AlgSpec>,
);

const ML_DSA_PRIMITIVES = {
  'ML-DSA-44': ml_dsa44,
  'ML-DSA-65': ml_dsa65,
  'ML-DSA-87': ml_dsa87,
} as const;

/** What a family other than ML-DSA plugs into this codec (registered by `./keys.js`). */
export interface KeyFamilyHandler {
  /** The family's keygen from a seed already checked for length. */
  expandSeed(alg: KeyAlgorithm, seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  /** Checks an expanded-only secret key and returns its public key (families with an expanded PKCS#8 form). */
  checkExpanded?(alg: KeyAlgorithm, secretKey: Uint8Array): Uint8Array;
}

const HANDLERS = new Map<PluggedKeyFamily, KeyFamilyHandler>();

/** Plugs a family's seed expansion and key checks into the codec; `./keys.js` does it for ML-KEM and SLH-DSA. */
export function registerKeyFamily(family: PluggedKeyFamily, handler: KeyFamilyHandler): void {
  HANDLERS.set(family, handler);
}

function handlerFor(alg: KeyAlgorithm, family: PluggedKeyFamily): KeyFamilyHandler {
  const h = HANDLERS.get(family);
  if (!h)
    throw new QsignError(
      E.UNSUPPORTED_ALGORITHM,
      `${alg} keys need the ${family} key handling of 'qsign-pqc/x509', which this program has not imported`,
    );
  return h;
}

const BY_OID = new Map<string, KeyAlgorithm>(Object.entries(KEY_OIDS).map(([a, o]) => [o, a as KeyAlgorithm]));

/** True for the names that sign: ML-DSA and SLH-DSA. */
export function isSignatureAlgorithm(alg: string): alg is SigningAlgorithm {
  return Object.hasOwn(SPECS, alg) && SPECS[alg as KeyAlgorithm].kind === 'signature';
}

/**
 * True for the twelve SLH-DSA names (FIPS 205, RFC 9909).
 *
 * @example
 * ```ts
 * isSlhDsaAlgorithm('SLH-DSA-SHA2-128s'); // true
 * isSlhDsaAlgorithm('ML-DSA-65'); // false
 * ```
 */
export function isSlhDsaAlgorithm(alg: string): alg is SlhDsaName {
  return Object.hasOwn(SPECS, alg) && SPECS[alg as KeyAlgorithm].slh;
}

/** True for the ML-DSA names. */
export function isMlDsaAlgorithm(alg: string): alg is SignatureAlgorithm {
  return isSignatureAlgorithm(alg) && !isSlhDsaAlgorithm(alg);
}

/** True for the ML-KEM names. */
export function isKemAlgorithm(alg: string): alg is KemAlgorithm {
  return Object.hasOwn(SPECS, alg) && SPECS[alg as KeyAlgorithm].kind === 'kem';
}

/** Sizes in bytes of one algorithm's public key, expanded secret key and seed. */
export function keySizes(alg: KeyAlgorithm): { publicKey: number; secretKey: number; seed: number } {
  const s = spec(alg);
  return { publicKey: s.publicKey, secretKey: s.secretKey, seed: s.seed };
}

function spec(alg: string): AlgSpec {
  const s = Object.hasOwn(SPECS, alg) ? SPECS[alg as KeyAlgorithm] : undefined;
  if (!s)
    throw new QsignError(
      E.UNSUPPORTED_ALGORITHM,
      `unsupported key algorithm "${alg}"; expected one of ${Object.keys(SPECS).join(', ')}`,
    );
  return s;
}

/** The algorithm named by an OID, or undefined. */
export function algorithmFromOid(oid: string): KeyAlgorithm | undefined {
  return BY_OID.get(oid);
}

/** DER of `AlgorithmIdentifier { oid }` with parameters absent. */
export function algorithmIdentifier(alg: KeyAlgorithm): Uint8Array {
  spec(alg);
  return tlv(0x30, oidDer(KEY_OIDS[alg]));
}

/**
 * Parses an AlgorithmIdentifier TLV body and returns the algorithm. Any
 * parameters, including NULL, are refused (RFC 9881 §2: MUST be absent).
 */
export function parseAlgorithmIdentifier(body: Uint8Array, where: string, code: QsignErrorCode = E.DER): KeyAlgorithm {
  const parts = readChildren(body, code);
  if (parts.length === 0 || parts[0]!.tag !== 0x06)
    throw new QsignError(code, `${where}: AlgorithmIdentifier has no OID`);
  const oid = oidString(parts[0]!.value, code);
  const alg = BY_OID.get(oid);
  if (!alg) {
    const hashed = findAlgorithmByOid(oid);
    if (hashed?.family === 'HashSLH-DSA')
      throw new QsignError(
        E.UNSUPPORTED_ALGORITHM,
        `${where}: ${hashed.name} (OID ${oid}) is not supported in X.509 here; use the pure SLH-DSA OID (RFC 9909 id-slh-dsa-*)`,
      );
    throw new QsignError(E.UNSUPPORTED_ALGORITHM, `${where}: unsupported algorithm OID ${oid}`);
  }
  if (parts.length > 1)
    throw new QsignError(
      E.ALGORITHM_PARAMETERS,
      `${where}: ${alg} AlgorithmIdentifier must have absent parameters (RFC 9881/9935/9909)`,
    );
  return alg;
}

// ---------------------------------------------------------------- SPKI

/** DER SubjectPublicKeyInfo for a raw public key (BIT STRING holds the key itself). */
export function encodeSPKI(alg: KeyAlgorithm, publicKey: Uint8Array): Uint8Array {
  const s = spec(alg);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== s.publicKey) {
    throw new QsignError(
      E.INVALID_PUBLIC_KEY,
      `${alg} public key must be ${s.publicKey} bytes, got ${publicKey?.length}`,
    );
  }
  return tlv(0x30, algorithmIdentifier(alg), tlv(0x03, new Uint8Array([0]), publicKey));
}

/** A decoded SubjectPublicKeyInfo. */
export interface DecodedPublicKey {
  alg: KeyAlgorithm;
  publicKey: Uint8Array;
}

/**
 * Parses a DER (or PEM `PUBLIC KEY`) SubjectPublicKeyInfo. For ML-KEM the
 * FIPS 203 §7.2 modulus check is applied so a key that Encaps would refuse
 * is refused here already.
 */
export function decodeSPKI(input: Uint8Array | string): DecodedPublicKey {
  const der = toDer(input, 'PUBLIC KEY');
  const outer = readWhole(der, 0x30, 'SubjectPublicKeyInfo', E.INVALID_PUBLIC_KEY);
  const parts = readChildren(outer.value, E.INVALID_PUBLIC_KEY);
  if (parts.length !== 2 || parts[0]!.tag !== 0x30 || parts[1]!.tag !== 0x03) {
    throw new QsignError(
      E.INVALID_PUBLIC_KEY,
      'SubjectPublicKeyInfo must be SEQUENCE { AlgorithmIdentifier, BIT STRING }',
    );
  }
  const alg = parseAlgorithmIdentifier(parts[0]!.value, 'SubjectPublicKeyInfo', E.INVALID_PUBLIC_KEY);
  const bits = parts[1]!.value;
  if (bits[0] !== 0) throw new QsignError(E.INVALID_PUBLIC_KEY, `${alg} public key BIT STRING must have 0 unused bits`);
  const publicKey = bits.slice(1);
  const s = spec(alg);
  if (publicKey.length !== s.publicKey) {
    throw new QsignError(
      E.INVALID_PUBLIC_KEY,
      `${alg} public key must be ${s.publicKey} bytes, got ${publicKey.length}`,
    );
  }
  if (s.family === 'ML-KEM' && !mlKemModulusOk(publicKey)) {
    throw new QsignError(E.INVALID_PUBLIC_KEY, `${alg} public key fails the FIPS 203 §7.2 modulus check`);
  }
  return { alg, publicKey };
}

/** FIPS 203 §7.2: every 12-bit coefficient of ek's t̂ part is below q = 3329. */
export function mlKemModulusOk(ek: Uint8Array): boolean {
  const end = ek.length - 32;
  let bad = 0;
  for (let i = 0; i < end; i += 3) {
    const a = ek[i]! | ((ek[i + 1]! & 0x0f) << 8);
    const b = (ek[i + 1]! >> 4) | (ek[i + 2]! << 4);
    bad |= Number(a >= 3329) | Number(b >= 3329);
  }
  return bad === 0;
}

// ---------------------------------------------------------------- PKCS#8

/** Which `privateKey` CHOICE to write or was read. */
export type PrivateKeyForm = 'seed' | 'expanded' | 'both';

/** A decoded private key: always the expanded key and public key, the seed when known. */
export interface DecodedPrivateKey {
  alg: KeyAlgorithm;
  /** The CHOICE the input used. */
  form: PrivateKeyForm;
  /** ξ (32 bytes, ML-DSA), d‖z (64 bytes, ML-KEM) or SK.seed‖SK.prf‖PK.seed (3n bytes, SLH-DSA); absent for expanded-only keys. */
  seed?: Uint8Array;
  /** FIPS 204 skEncode / FIPS 203 dk / the FIPS 205 private key (4n bytes). */
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** Options for {@link encodePKCS8}. */
export interface EncodePKCS8Options {
  /**
   * Default `seed` (RFC 9881/9935 RECOMMENDED); `both` matches OpenSSL 3.5's default output.
   * SLH-DSA keys have one form (RFC 9909: the 4n-byte private key) and ignore this option.
   */
  form?: PrivateKeyForm;
  /** Also write the RFC 5958 v2 `publicKey [1]` field (version becomes 1). */
  includePublicKey?: boolean;
}

/** Expands a seed to {publicKey, secretKey} with the primitive module (sync). */
export function expandSeed(alg: KeyAlgorithm, seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const s = spec(alg);
  if (!(seed instanceof Uint8Array) || seed.length !== s.seed) {
    throw new QsignError(E.INVALID_PRIVATE_KEY, `${alg} seed must be ${s.seed} bytes, got ${seed?.length}`);
  }
  if (s.family === 'ML-DSA') return ML_DSA_PRIMITIVES[alg as keyof typeof ML_DSA_PRIMITIVES].keygen(seed);
  return handlerFor(alg, s.family).expandSeed(alg, seed);
}

/**
 * DER PKCS#8 for a key given by its seed (or by a decoded key, which may
 * lack a seed and can then only be written as `expanded`). Seed-only is the
 * default; an expanded-only key is written only when asked for explicitly.
 */
export function encodePKCS8(
  alg: KeyAlgorithm,
  key: Uint8Array | DecodedPrivateKey,
  opts: EncodePKCS8Options = {},
): Uint8Array {
  const s = spec(alg);
  if (s.slh) return encodeSlhPKCS8(alg as SlhDsaName, key, opts);
  const form = opts.form ?? 'seed';
  let seed: Uint8Array | undefined;
  let expanded: { publicKey: Uint8Array; secretKey: Uint8Array } | undefined;
  if (key instanceof Uint8Array) {
    seed = key;
    if (seed.length !== s.seed)
      throw new QsignError(E.INVALID_PRIVATE_KEY, `${alg} seed must be ${s.seed} bytes, got ${seed.length}`);
  } else {
    if (key.alg !== alg) throw new QsignError(E.INVALID_PRIVATE_KEY, `key is ${key.alg}, not ${alg}`);
    seed = key.seed;
    expanded = { publicKey: key.publicKey, secretKey: key.secretKey };
  }
  const needExpanded = form !== 'seed' || opts.includePublicKey;
  if (needExpanded && !expanded) expanded = expandSeed(alg, seed!);
  if (form !== 'expanded' && !seed) {
    throw new QsignError(
      E.INVALID_PRIVATE_KEY,
      `${alg} key has no seed (it was imported expanded-only); only form "expanded" can be written`,
    );
  }
  let choice: Uint8Array;
  if (form === 'seed') choice = tlv(0x80, seed!);
  else if (form === 'expanded') choice = tlv(0x04, expanded!.secretKey);
  else if (form === 'both') choice = tlv(0x30, tlv(0x04, seed!), tlv(0x04, expanded!.secretKey));
  else throw new QsignError('ERR_INVALID_ARGUMENT', `form must be "seed", "expanded" or "both", got "${String(form)}"`);
  const fields = [
    tlv(0x02, new Uint8Array([opts.includePublicKey ? 1 : 0])),
    algorithmIdentifier(alg),
    tlv(0x04, choice),
  ];
  if (opts.includePublicKey) fields.push(tlv(0x81, new Uint8Array([0]), expanded!.publicKey));
  return tlv(0x30, ...fields);
}

/** RFC 9909 §6: privateKey holds the FIPS 205 private key itself; the key is given by its 3n-byte seed or decoded. */
function encodeSlhPKCS8(alg: SlhDsaName, key: Uint8Array | DecodedPrivateKey, opts: EncodePKCS8Options): Uint8Array {
  let sk: Uint8Array;
  let pk: Uint8Array;
  const derived = key instanceof Uint8Array;
  if (key instanceof Uint8Array) ({ secretKey: sk, publicKey: pk } = expandSeed(alg, key));
  else {
    if (key.alg !== alg) throw new QsignError(E.INVALID_PRIVATE_KEY, `key is ${key.alg}, not ${alg}`);
    ({ secretKey: sk, publicKey: pk } = key);
    if (sk.length !== spec(alg).secretKey)
      throw new QsignError(E.INVALID_PRIVATE_KEY, `${alg} private key must be ${spec(alg).secretKey} bytes`);
  }
  const fields = [tlv(0x02, new Uint8Array([opts.includePublicKey ? 1 : 0])), algorithmIdentifier(alg), tlv(0x04, sk)];
  // The key expanded here from a seed is ours to wipe; the DER holds its own copy.
  if (derived) sk.fill(0);
  if (opts.includePublicKey) fields.push(tlv(0x81, new Uint8Array([0]), pk));
  const out = tlv(0x30, ...fields);
  fields[2]!.fill(0);
  return out;
}

/**
 * An SLH-DSA private key from PKCS#8: its public half is its last 2n bytes,
 * and PK.root must be the root the first 3n bytes regenerate (FIPS 205
 * Alg 18), so a corrupted key fails here rather than signing garbage.
 */
function decodeSlhPrivateKey(alg: SlhDsaName, raw: Uint8Array): DecodedPrivateKey {
  const s = spec(alg);
  if (raw.length !== s.secretKey)
    throw new QsignError(
      E.INVALID_PRIVATE_KEY,
      `${alg} privateKey must be the ${s.secretKey}-byte SK.seed‖SK.prf‖PK.seed‖PK.root (RFC 9909), got ${raw.length} bytes`,
    );
  const seed = raw.slice(0, s.seed);
  const { publicKey, secretKey } = expandSeed(alg, seed);
  if (!equalBytes(secretKey, raw)) inconsistent(alg, 'PK.root is not the root SK.seed and PK.seed generate');
  return { alg, form: 'expanded', seed, secretKey, publicKey };
}

/** Throws ERR_PRIVATE_KEY_INCONSISTENT: the parts of `alg`'s private key disagree (`why`). */
export function inconsistent(alg: string, why: string): never {
  throw new QsignError(E.INCONSISTENT_PRIVATE_KEY, `${alg} private key is inconsistent: ${why}`);
}

/**
 * Parses a DER (or PEM `PRIVATE KEY`) PKCS#8 ML-DSA/ML-KEM key in any of the
 * three forms and checks it:
 * - `both`: the seed is re-expanded and must equal the expanded key;
 * - expanded ML-KEM: FIPS 203 §7.3 hash check H(ek) and a pairwise
 *   encapsulate/decapsulate test (catches an altered s);
 * - expanded ML-DSA: s1/s2 ranges, t0 = Power2Round(A·s1+s2) and tr = H(pk);
 * - an optional `publicKey [1]` must match the derived public key.
 * Failures throw ERR_INVALID_PRIVATE_KEY (malformed) or
 * ERR_PRIVATE_KEY_INCONSISTENT (parts disagree).
 */
export function decodePKCS8(input: Uint8Array | string): DecodedPrivateKey {
  return decodePrivateKeyInfo(input);
}

/**
 * {@link decodePKCS8}, with `onAlgorithm` called once the AlgorithmIdentifier is read and before any key is
 * expanded: a caller that takes one family only (JOSE: ML-DSA) refuses the others there, with its own error.
 */
export function decodePrivateKeyInfo(
  input: Uint8Array | string,
  onAlgorithm?: (alg: KeyAlgorithm) => void,
): DecodedPrivateKey {
  const der = toDer(input, 'PRIVATE KEY');
  const C = E.INVALID_PRIVATE_KEY;
  const outer = readWhole(der, 0x30, 'PKCS#8 PrivateKeyInfo', C);
  const parts = readChildren(outer.value, C);
  if (parts.length < 3 || parts[0]!.tag !== 0x02 || parts[1]!.tag !== 0x30 || parts[2]!.tag !== 0x04) {
    throw new QsignError(C, 'PKCS#8 must be SEQUENCE { INTEGER version, AlgorithmIdentifier, OCTET STRING, ... }');
  }
  const version = parts[0]!.value;
  if (version.length !== 1 || version[0]! > 1) throw new QsignError(C, 'PKCS#8 version must be 0 (v1) or 1 (v2)');
  const alg = parseAlgorithmIdentifier(parts[1]!.value, 'PKCS#8 privateKeyAlgorithm', C);
  onAlgorithm?.(alg);
  let embeddedPublic: Uint8Array | undefined;
  for (const extra of parts.slice(3)) {
    if (extra.tag === 0xa0) continue; // attributes: carried by some tools, not meaningful here
    if (extra.tag === 0x81 && version[0] === 1) {
      if (extra.value[0] !== 0) throw new QsignError(C, `${alg} publicKey [1] must have 0 unused bits`);
      embeddedPublic = extra.value.slice(1);
      continue;
    }
    throw new QsignError(C, `PKCS#8 has an unexpected field with tag 0x${extra.tag.toString(16)}`);
  }
  const s = spec(alg);
  if (s.slh) {
    const k = decodeSlhPrivateKey(alg as SlhDsaName, parts[2]!.value);
    if (embeddedPublic && !equalBytes(embeddedPublic, k.publicKey))
      inconsistent(alg, 'publicKey [1] does not match the private key');
    return k;
  }
  const choice = readWhole(parts[2]!.value, parts[2]!.value[0] ?? 0, `${alg} privateKey`, C);
  let seed: Uint8Array | undefined;
  let expandedIn: Uint8Array | undefined;
  let form: PrivateKeyForm;
  switch (choice.tag) {
    case 0x80:
      form = 'seed';
      seed = choice.value.slice();
      break;
    case 0x04:
      form = 'expanded';
      expandedIn = choice.value.slice();
      break;
    case 0x30: {
      form = 'both';
      const inner = readChildren(choice.value, C);
      if (inner.length !== 2 || inner[0]!.tag !== 0x04 || inner[1]!.tag !== 0x04) {
        throw new QsignError(
          C,
          `${alg} "both" private key must be SEQUENCE { OCTET STRING seed, OCTET STRING expandedKey }`,
        );
      }
      seed = inner[0]!.value.slice();
      expandedIn = inner[1]!.value.slice();
      break;
    }
    default:
      throw new QsignError(
        C,
        `${alg} privateKey has CHOICE tag 0x${choice.tag.toString(16)}; expected seed [0] (0x80), expandedKey (0x04) or both (0x30)`,
      );
  }
  if (seed && seed.length !== s.seed)
    throw new QsignError(C, `${alg} seed must be ${s.seed} bytes, got ${seed.length}`);
  if (expandedIn && expandedIn.length !== s.secretKey)
    throw new QsignError(C, `${alg} expandedKey must be ${s.secretKey} bytes, got ${expandedIn.length}`);

  let publicKey: Uint8Array;
  let secretKey: Uint8Array;
  if (seed) {
    ({ publicKey, secretKey } = expandSeed(alg, seed));
    if (expandedIn && !equalBytes(expandedIn, secretKey)) inconsistent(alg, 'expandedKey is not the expansion of seed');
  } else {
    secretKey = expandedIn!;
    publicKey =
      s.family === 'ML-DSA'
        ? checkExpandedDsa(alg as SignatureAlgorithm, secretKey)
        : checkExpandedPlugged(alg, s.family, secretKey);
  }
  if (embeddedPublic && !equalBytes(embeddedPublic, publicKey))
    inconsistent(alg, 'publicKey [1] does not match the private key');
  return seed ? { alg, form, seed, secretKey, publicKey } : { alg, form, secretKey, publicKey };
}

function checkExpandedPlugged(alg: KeyAlgorithm, family: PluggedKeyFamily, secretKey: Uint8Array): Uint8Array {
  const check = handlerFor(alg, family).checkExpanded;
  if (!check) throw new QsignError(E.INVALID_PRIVATE_KEY, `${alg} has no expanded-only PKCS#8 form here`);
  return check(alg, secretKey);
}

function checkExpandedDsa(alg: SigningAlgorithm, sk: Uint8Array): Uint8Array {
  const r = checkExpandedSecretKey(Number(alg.slice(-2)) as MlDsaLevel, sk);
  if (!r.ok) inconsistent(alg, r.reason);
  return r.publicKey;
}

/** PEM `PRIVATE KEY` text; see {@link encodePKCS8}. */
export function encodePKCS8Pem(
  alg: KeyAlgorithm,
  key: Uint8Array | DecodedPrivateKey,
  opts: EncodePKCS8Options = {},
): string {
  return pemEncode('PRIVATE KEY', encodePKCS8(alg, key, opts));
}

/** PEM `PUBLIC KEY` text; see {@link encodeSPKI}. */
export function encodeSPKIPem(alg: KeyAlgorithm, publicKey: Uint8Array): string {
  return pemEncode('PUBLIC KEY', encodeSPKI(alg, publicKey));
}

/** Reads the DER of a `PRIVATE KEY` PEM block (convenience re-export of pemDecode). */
export function privateKeyDerFromPem(pem: string): Uint8Array {
  return pemDecode(pem, 'PRIVATE KEY');
}

/**
 * A fresh key (or the key for a given seed) as a DecodedPrivateKey with
 * form `seed`, ready for {@link encodePKCS8} and for signing.
 */
export function generateKey(alg: KeyAlgorithm, seed?: Uint8Array): DecodedPrivateKey {
  const s = spec(alg);
  const sd = seed ?? randomBytes(s.seed);
  const { publicKey, secretKey } = expandSeed(alg, sd);
  return { alg, form: s.slh ? 'expanded' : 'seed', seed: sd.slice(), secretKey, publicKey };
}
