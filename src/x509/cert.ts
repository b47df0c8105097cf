/**
 * X.509 v3 certificates signed with ML-DSA (RFC 9881), for ML-DSA and ML-KEM
 * (RFC 9935) subject keys: building, signing, parsing and signature checks.
 *
 * Fields go through @peculiar/asn1-x509; the outer SEQUENCE is assembled by
 * hand from the exact TBS bytes that were signed, and parsing slices the TBS
 * out of the input rather than re-serializing it, so a signature is always
 * checked over the bytes that were actually signed.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Time,
  Validity,
  AlgorithmIdentifier,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { sha1 } from '@noble/hashes/legacy.js';
import { QsignError } from '../errors.js';
import { codedCall, requireDate, requireObject, requireString, requireStringArray } from '../util/guard.js';
import { signMessage, verifyMessage } from './slhdsa.js';
import { ensureBytes, randomBytes, toHex, fromHex } from '../util/bytes.js';
import { readChildren, readWhole, tlv } from './der.js';
import { X509ErrorCodes as E } from './errors.js';
import {
  KEY_OIDS,
  algorithmIdentifier,
  decodeSPKI,
  encodeSPKI,
  isKemAlgorithm,
  isSignatureAlgorithm,
  parseAlgorithmIdentifier,
  type DecodedPublicKey,
  type KeyAlgorithm,
  type SigningAlgorithm,
} from './keys.js';
import { nameDer, parseName } from './name.js';
import {
  decodeAki,
  decodeBasicConstraints,
  decodeExtensionList,
  decodeGeneralNames,
  decodeKeyUsage,
  decodeName,
  decodeOidList,
  decodeTime,
} from './decode.js';
import { pemEncode, toDer } from './pem.js';

/** keyUsage bit names (RFC 5280 §4.2.1.3). */
export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KU_FLAGS: Record<KeyUsageName, number> = {
  digitalSignature: KeyUsageFlags.digitalSignature,
  nonRepudiation: KeyUsageFlags.nonRepudiation,
  keyEncipherment: KeyUsageFlags.keyEncipherment,
  dataEncipherment: KeyUsageFlags.dataEncipherment,
  keyAgreement: KeyUsageFlags.keyAgreement,
  keyCertSign: KeyUsageFlags.keyCertSign,
  cRLSign: KeyUsageFlags.cRLSign,
  encipherOnly: KeyUsageFlags.encipherOnly,
  decipherOnly: KeyUsageFlags.decipherOnly,
};

/** Extended key usage names this layer knows (others may be given as OIDs). */
export const EKU_OIDS: Readonly<Record<string, string>> = Object.freeze({
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
});
const EKU_NAMES = new Map(Object.entries(EKU_OIDS).map(([n, o]) => [o, n]));

/** Subject alternative names by type. */
export interface SubjectAltNames {
  dns?: string[];
  ip?: string[];
  uri?: string[];
  email?: string[];
}

/** RFC 9881 §5: the only keyUsage bits an ML-DSA key may carry. */
export const ML_DSA_KEY_USAGES: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyCertSign',
  'cRLSign',
];

/**
 * Checks keyUsage against RFC 9881 §5 (ML-DSA: at least one of
 * digitalSignature/nonRepudiation/keyCertSign/cRLSign and nothing else) and
 * RFC 9935 §5 (ML-KEM: keyEncipherment only). Returns the violated rule, or
 * undefined when the usages are allowed.
 */
export function keyUsageViolation(alg: KeyAlgorithm, usages: readonly KeyUsageName[]): string | undefined {
  requireString('key algorithm', alg);
  requireStringArray('keyUsage', usages);
  if (isSignatureAlgorithm(alg)) {
    const bad = usages.filter((u) => !ML_DSA_KEY_USAGES.includes(u));
    const rule = alg.startsWith('SLH-DSA') ? 'RFC 9909 §5' : 'RFC 9881 §5';
    if (bad.length) return `${rule}: an ${alg} key must not have keyUsage ${bad.join(', ')}`;
    if (usages.length === 0) return `${rule}: an ${alg} keyUsage needs at least one of ${ML_DSA_KEY_USAGES.join(', ')}`;
  } else if (isKemAlgorithm(alg)) {
    if (usages.length !== 1 || usages[0] !== 'keyEncipherment')
      return `RFC 9935 §5: an ${alg} key's keyUsage must be keyEncipherment only, got ${usages.join(', ') || 'none'}`;
  }
  return undefined;
}

/** A key that can sign certificates and CSRs (a DecodedPrivateKey of an ML-DSA key fits). */
export interface SigningKey {
  alg: KeyAlgorithm;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

function signingAlg(key: SigningKey, what: string): SigningAlgorithm {
  requireObject(what, key);
  requireString(`${what} alg`, key.alg);
  ensureBytes(`${what} secretKey`, key.secretKey);
  ensureBytes(`${what} publicKey`, key.publicKey);
  if (!isSignatureAlgorithm(key.alg)) {
    throw new QsignError(
      E.INVALID_CERT_REQUEST,
      `${what} must be an ML-DSA or SLH-DSA key; ${key.alg} cannot sign (RFC 9935 §1: KEM keys need a signing issuer)`,
    );
  }
  return key.alg;
}

/** Options for {@link createCertificate}. */
export interface CertificateOptions {
  /** Subject DN as `CN=…,O=…` (or an ASN.1 Name). */
  subject: string | Name;
  /** Subject public key (algorithm + raw bytes). */
  publicKey: DecodedPublicKey;
  /** Serial as hex; default 16 random bytes made positive (RFC 5280: ≤ 20 octets). */
  serialNumber?: string;
  /** Default: now minus 5 minutes (clock skew). */
  notBefore?: Date;
  /** Default: notBefore + `days`. */
  notAfter?: Date;
  /** Validity in days when notAfter is not given; default 365. */
  days?: number;
  /** Make a CA certificate (basicConstraints cA=TRUE, critical). */
  ca?: boolean;
  /** basicConstraints pathLenConstraint (CA only). */
  pathLength?: number;
  /** Default: CA → keyCertSign+cRLSign; ML-DSA leaf → digitalSignature; ML-KEM → keyEncipherment. */
  keyUsage?: KeyUsageName[];
  /** Names from EKU_OIDS or dotted OIDs. Not written when empty/absent. */
  extendedKeyUsage?: string[];
  subjectAltName?: SubjectAltNames;
  /** Extra pre-encoded extensions, appended as given. */
  extensions?: { oid: string; critical?: boolean; value: Uint8Array }[];
}

/** The issuing side: its key, and its certificate unless self-signed. */
export interface Issuer {
  key: SigningKey;
  certificate?: Certificate;
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value (the raw key). */
export function keyIdentifier(publicKey: Uint8Array): Uint8Array {
  return sha1(ensureBytes('public key', publicKey));
}

/** A random positive serial of `bytes` octets with a non-zero leading octet (DER-minimal, positive). */
export function randomSerial(bytes = 16): string {
  const s = randomBytes(bytes);
  s[0] = (s[0]! & 0x7f) | 0x40; // clear the sign bit and keep the first octet non-zero
  return toHex(s);
}

function serialBytes(hex: string): Uint8Array {
  let b = fromHex(hex.length % 2 ? '0' + hex : hex);
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && b[i + 1]! < 0x80) i++;
  b = b.subarray(i);
  if (b.length === 0 || (b.length === 1 && b[0] === 0))
    throw new QsignError(E.INVALID_CERT_REQUEST, 'serial number must be positive');
  if (b[0]! >= 0x80) b = Uint8Array.of(0, ...b); // keep it positive
  if (b.length > 20)
    throw new QsignError(
      E.INVALID_CERT_REQUEST,
      `serial number is ${b.length} octets; RFC 5280 §4.1.2.2 allows at most 20`,
    );
  return b;
}

function time(d: Date): Time {
  // DER forbids fractional seconds; RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  const t = new Date(Math.floor(d.getTime() / 1000) * 1000);
  return t.getUTCFullYear() < 2050 ? new Time({ utcTime: t }) : new Time({ generalTime: t });
}

function ext(oid: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function ekuOid(name: string): string {
  const oid = EKU_OIDS[name] ?? (/^\d+(\.\d+)+$/.test(name) ? name : undefined);
  if (!oid)
    throw new QsignError(
      E.INVALID_CERT_REQUEST,
      `unknown extended key usage "${name}"; use ${Object.keys(EKU_OIDS).join(', ')} or an OID`,
    );
  return oid;
}

/** GeneralNames for a SubjectAltNames value, validating each entry. */
export function generalNames(san: SubjectAltNames): GeneralName[] {
  requireObject('subjectAltName', san);
  for (const k of ['dns', 'ip', 'uri', 'email'] as const)
    if (san[k] !== undefined) requireStringArray(`subjectAltName.${k}`, san[k]);
  const out: GeneralName[] = [];
  for (const d of san.dns ?? []) {
    if (!/^(\*\.)?([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.?$/i.test(d)) {
      throw new QsignError(E.INVALID_CERT_REQUEST, `"${d}" is not a valid DNS name for subjectAltName`);
    }
    out.push(new GeneralName({ dNSName: d.toLowerCase() }));
  }
  for (const ip of san.ip ?? []) {
    if (!isIp(ip)) throw new QsignError(E.INVALID_CERT_REQUEST, `"${ip}" is not an IPv4/IPv6 address`);
    out.push(new GeneralName({ iPAddress: ip }));
  }
  for (const u of san.uri ?? []) {
    if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(u))
      throw new QsignError(E.INVALID_CERT_REQUEST, `"${u}" is not an absolute URI`);
    out.push(new GeneralName({ uniformResourceIdentifier: u }));
  }
  for (const m of san.email ?? []) {
    if (!/^[^@\s]+@[^@\s]+$/.test(m)) throw new QsignError(E.INVALID_CERT_REQUEST, `"${m}" is not an email address`);
    out.push(new GeneralName({ rfc822Name: m }));
  }
  return out;
}

/** True for dotted IPv4 or (possibly compressed) IPv6 text. */
export function isIp(s: string): boolean {
  if (typeof s !== 'string') return false;
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s)) return true;
  return s.includes(':') && /^[0-9a-f:.]+$/i.test(s) && (s.match(/::/g)?.length ?? 0) <= 1;
}

/**
 * Parses SAN strings in OpenSSL's `TYPE:value` form (`DNS:a.com`, `IP:1.2.3.4`,
 * `URI:…`, `email:…`); bare values are DNS names, or IPs when they look like one.
 */
export function parseSanList(items: readonly string[]): Required<SubjectAltNames> {
  requireStringArray('SAN list', items);
  const san: Required<SubjectAltNames> = { dns: [], ip: [], uri: [], email: [] };
  for (const raw of items
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(DNS|IP|URI|email|EMAIL):(.*)$/.exec(raw);
    if (m) {
      const k = m[1]!.toUpperCase();
      (k === 'DNS' ? san.dns : k === 'IP' ? san.ip : k === 'URI' ? san.uri : san.email).push(m[2]!);
    } else if (isIp(raw)) san.ip.push(raw);
    else if (raw.includes('@')) san.email.push(raw);
    else san.dns.push(raw);
  }
  return san;
}

/** Builds the Extensions list shared by certificates and CSRs. */
export function buildExtensions(
  opts: Omit<CertificateOptions, 'subject' | 'serialNumber' | 'notBefore' | 'notAfter' | 'days'>,
  extra: { ski?: Uint8Array; aki?: Uint8Array; emptySubject?: boolean } = {},
): Extension[] {
  const alg = opts.publicKey.alg;
  const exts: Extension[] = [];
  if (opts.pathLength !== undefined && !opts.ca)
    throw new QsignError(E.INVALID_CERT_REQUEST, 'pathLength needs ca: true (RFC 5280 §4.2.1.9)');
  if (opts.pathLength !== undefined && (!Number.isInteger(opts.pathLength) || opts.pathLength < 0))
    throw new QsignError(E.INVALID_CERT_REQUEST, 'pathLength must be a non-negative integer');
  if (opts.ca && !isSignatureAlgorithm(alg))
    throw new QsignError(E.INVALID_CERT_REQUEST, `a CA key must be ML-DSA or SLH-DSA; ${alg} cannot sign certificates`);
  // basicConstraints critical in CA certs (RFC 5280 §4.2.1.9, required by OpenSSL -x509_strict).
  exts.push(
    ext(
      id_ce_basicConstraints,
      true,
      new BasicConstraints(opts.ca ? { cA: true, pathLenConstraint: opts.pathLength } : { cA: false }),
    ),
  );
  const usages =
    opts.keyUsage ??
    (opts.ca ? ['keyCertSign', 'cRLSign'] : isKemAlgorithm(alg) ? ['keyEncipherment'] : ['digitalSignature']);
  const violation = keyUsageViolation(alg, usages);
  if (violation) throw new QsignError(E.INVALID_CERT_REQUEST, violation);
  if (opts.ca && !usages.includes('keyCertSign'))
    throw new QsignError(E.INVALID_CERT_REQUEST, 'a CA certificate needs keyUsage keyCertSign');
  let flags = 0;
  for (const u of usages) {
    const f = KU_FLAGS[u];
    if (f === undefined) throw new QsignError(E.INVALID_CERT_REQUEST, `unknown keyUsage "${u}"`);
    flags |= f;
  }
  exts.push(ext(id_ce_keyUsage, true, new KeyUsage(flags)));
  if (opts.extendedKeyUsage?.length)
    exts.push(ext(id_ce_extKeyUsage, false, new ExtendedKeyUsage(opts.extendedKeyUsage.map(ekuOid))));
  const gns = opts.subjectAltName ? generalNames(opts.subjectAltName) : [];
  // RFC 5280 §4.2.1.6: SAN is critical when the subject is empty.
  if (gns.length) exts.push(ext(id_ce_subjectAltName, !!extra.emptySubject, new SubjectAlternativeName(gns)));
  if (extra.ski) exts.push(ext(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(extra.ski)));
  if (extra.aki)
    exts.push(
      ext(
        id_ce_authorityKeyIdentifier,
        false,
        new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(extra.aki) }),
      ),
    );
  for (const x of opts.extensions ?? [])
    exts.push(new Extension({ extnID: x.oid, critical: !!x.critical, extnValue: new OctetString(x.value) }));
  return exts;
}

/**
 * The SPKI as an ASN.1 object, built directly: parsing our own DER back
 * with asn1-schema would cost milliseconds for a multi-kilobyte BIT STRING.
 * encodeSPKI validates the size; the AlgorithmIdentifier has no parameters.
 */
export function spkiAsn(alg: KeyAlgorithm, publicKey: Uint8Array): SubjectPublicKeyInfo {
  encodeSPKI(alg, publicKey);
  return new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({ algorithm: KEY_OIDS[alg] }),
    subjectPublicKey: publicKey.slice().buffer,
  });
}

/** Signs `tbs` and wraps it as SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING sig }. */
export async function signStructure(tbs: Uint8Array, key: SigningKey): Promise<Uint8Array> {
  const alg = signingAlg(key, 'signing key');
  // RFC 9881 §3 / RFC 9909 §4: pure ML-DSA or SLH-DSA with the empty context; hedged signing by default.
  const sig = await signMessage(alg, key.secretKey, tbs);
  return tlv(0x30, tbs, algorithmIdentifier(alg), tlv(0x03, new Uint8Array([0]), sig));
}

/**
 * Creates and signs a certificate. Without `issuer.certificate` it is
 * self-signed (issuer = subject, and the key must be the subject's own).
 */
export async function createCertificate(opts: CertificateOptions, issuer: Issuer): Promise<Certificate> {
  requireObject('certificate options', opts);
  requireObject('options.publicKey', opts.publicKey);
  requireString('options.publicKey.alg', opts.publicKey.alg);
  ensureBytes('options.publicKey.publicKey', opts.publicKey.publicKey);
  if (opts.notBefore !== undefined) requireDate('options.notBefore', opts.notBefore);
  if (opts.notAfter !== undefined) requireDate('options.notAfter', opts.notAfter);
  if (opts.days !== undefined && typeof opts.days !== 'number')
    throw new QsignError(E.INVALID_CERT_REQUEST, 'days must be a number');
  checkIssuer(issuer);
  const sigAlg = signingAlg(issuer.key, 'issuer key');
  const selfSigned = !issuer.certificate;
  if (
    selfSigned &&
    (issuer.key.alg !== opts.publicKey.alg || !bytesEq(issuer.key.publicKey, opts.publicKey.publicKey))
  ) {
    throw new QsignError(E.INVALID_CERT_REQUEST, "a self-signed certificate must be signed with the subject's own key");
  }
  if (issuer.certificate && !bytesEq(issuer.certificate.publicKey.publicKey, issuer.key.publicKey)) {
    throw new QsignError(
      E.INVALID_CERT_REQUEST,
      `issuer key does not match the public key of issuer certificate "${issuer.certificate.subject}"`,
    );
  }
  // An empty subject is legal when SANs identify the subject (RFC 5280 §4.1.2.6).
  const subject =
    typeof opts.subject === 'string' ? (opts.subject === '' ? new Name() : parseName(opts.subject)) : opts.subject;
  if (subject.length === 0 && !opts.subjectAltName)
    throw new QsignError(E.INVALID_CERT_REQUEST, 'a certificate needs a subject name or subjectAltName');
  const notBefore = opts.notBefore ?? new Date(Date.now() - 5 * 60_000);
  const days = opts.days ?? 365;
  if (!(days > 0)) throw new QsignError(E.INVALID_CERT_REQUEST, 'days must be positive');
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + days * 86_400_000);
  if (notAfter <= notBefore) throw new QsignError(E.INVALID_CERT_REQUEST, 'notAfter must be after notBefore');
  const ski = keyIdentifier(opts.publicKey.publicKey);
  const aki = selfSigned ? ski : (issuer.certificate!.subjectKeyIdentifier ?? keyIdentifier(issuer.key.publicKey));
  const exts = buildExtensions(opts, { ski, aki, emptySubject: subject.length === 0 });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serialBytes(opts.serialNumber ?? randomSerial()).slice().buffer,
    signature: new AlgorithmIdentifier({ algorithm: KEY_OIDS[sigAlg] }),
    issuer: selfSigned ? subject : AsnConvert.parse(issuer.certificate!.subjectDer, Name),
    validity: new Validity(),
    subject,
    subjectPublicKeyInfo: spkiAsn(opts.publicKey.alg, opts.publicKey.publicKey),
    extensions: new Extensions(exts),
  });
  tbs.validity.notBefore = time(notBefore);
  tbs.validity.notAfter = time(notAfter);
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  return Certificate.fromDer(await signStructure(tbsDer, issuer.key));
}

/** Checks the shape of an Issuer: a signing key, and a Certificate when not self-signed. */
export function checkIssuer(issuer: Issuer): void {
  requireObject('issuer', issuer);
  signingAlg(issuer.key, 'issuer key');
  if (issuer.certificate !== undefined && !(issuer.certificate instanceof Certificate))
    throw new QsignError('ERR_INVALID_ARGUMENT', 'issuer.certificate must be a Certificate (Certificate.parse)');
}

/** `der` when it is bytes; otherwise a coded error saying what to pass instead. */
export function derBytes(der: unknown, fn: string, pemFn: string): Uint8Array {
  if (der instanceof Uint8Array) return der;
  const got = der === null ? 'null' : typeof der === 'string' ? 'a string' : typeof der;
  throw new QsignError(
    'ERR_INVALID_ARGUMENT',
    `${fn} expects DER bytes (a Uint8Array), got ${got}${typeof der === 'string' ? `; use ${pemFn} for PEM text` : ''}`,
  );
}

function bytesEq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Decoded extension values of a certificate. */
export interface CertificateExtensions {
  basicConstraints?: { ca: boolean; pathLength?: number; critical: boolean };
  keyUsage?: KeyUsageName[];
  /** EKU names (from EKU_OIDS) or OIDs. */
  extendedKeyUsage?: string[];
  subjectAltName?: Required<SubjectAltNames>;
  subjectKeyIdentifier?: Uint8Array;
  authorityKeyIdentifier?: Uint8Array;
  /** OIDs of critical extensions this layer does not process (RFC 5280 §4.2: reject). */
  unknownCritical: string[];
}

const KNOWN_EXTENSIONS = new Set([
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_extKeyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
]);

/** Decodes the extensions this layer understands from an `Extensions` SEQUENCE DER (absent → none). */
export function decodeExtensions(der: Uint8Array | undefined): CertificateExtensions {
  const out: CertificateExtensions = { unknownCritical: [] };
  if (!der) return out;
  const seen = new Set<string>();
  for (const x of decodeExtensionList(der)) {
    if (seen.has(x.oid)) throw new QsignError(E.DER, `extension ${x.oid} appears twice (RFC 5280 §4.2)`);
    seen.add(x.oid);
    const v = x.value;
    switch (x.oid) {
      case id_ce_basicConstraints:
        out.basicConstraints = { ...decodeBasicConstraints(v), critical: x.critical };
        break;
      case id_ce_keyUsage:
        out.keyUsage = decodeKeyUsage(v);
        break;
      case id_ce_extKeyUsage:
        out.extendedKeyUsage = decodeOidList(v).map((o) => EKU_NAMES.get(o) ?? o);
        break;
      case id_ce_subjectAltName:
        out.subjectAltName = decodeGeneralNames(v);
        break;
      case id_ce_subjectKeyIdentifier:
        out.subjectKeyIdentifier = readWhole(v, 0x04, 'subjectKeyIdentifier').value.slice();
        break;
      case id_ce_authorityKeyIdentifier: {
        const k = decodeAki(v);
        if (k) out.authorityKeyIdentifier = k;
        break;
      }
      default:
        if (x.critical && !KNOWN_EXTENSIONS.has(x.oid)) out.unknownCritical.push(x.oid);
    }
  }
  return out;
}

/**
 * A parsed certificate. Construct with {@link Certificate.parse} (PEM or
 * DER). Parsing checks the outer structure and that the signature algorithm
 * is ML-DSA with absent parameters; it does not check the signature.
 */
export class Certificate {
  /** Full DER encoding. */
  readonly der: Uint8Array;
  /** The exact signed bytes (tbsCertificate). */
  readonly tbsDer: Uint8Array;
  readonly signatureAlgorithm: SigningAlgorithm;
  readonly signature: Uint8Array;
  /** Serial number as lowercase hex without leading zero octets. */
  readonly serialNumber: string;
  readonly subject: string;
  readonly issuer: string;
  /** Raw DER of the subject and issuer Names (for exact name chaining). */
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: DecodedPublicKey;
  readonly extensions: CertificateExtensions;

  private constructor(der: Uint8Array) {
    const fail = (why: string): never => {
      throw new QsignError(E.DER, `certificate: ${why}`);
    };
    this.der = der;
    const outer = readWhole(der, 0x30, 'Certificate');
    const parts = readChildren(outer.value);
    if (parts.length !== 3 || parts[0]!.tag !== 0x30 || parts[1]!.tag !== 0x30 || parts[2]!.tag !== 0x03)
      fail('expected SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }');
    this.tbsDer = parts[0]!.raw;
    const sigAlg = parseAlgorithmIdentifier(parts[1]!.value, 'certificate signatureAlgorithm');
    if (!isSignatureAlgorithm(sigAlg)) fail(`signatureAlgorithm ${sigAlg} is not a signature algorithm`);
    this.signatureAlgorithm = sigAlg as SigningAlgorithm;
    if (parts[2]!.value[0] !== 0) fail('signature BIT STRING must have 0 unused bits');
    this.signature = parts[2]!.value.slice(1);
    // TBS fields by position: [0] version, serial, signature, issuer, validity, subject, spki, ...
    const tbs = readChildren(parts[0]!.value);
    const off = tbs[0]?.tag === 0xa0 ? 1 : 0;
    if (tbs.length < off + 6) fail('tbsCertificate is truncated');
    const innerAlg = parseAlgorithmIdentifier(tbs[off + 1]!.value, 'tbsCertificate signature');
    // RFC 5280 §4.1.1.2: the two signature AlgorithmIdentifiers must be identical.
    if (innerAlg !== sigAlg) fail(`tbsCertificate signature ${innerAlg} differs from signatureAlgorithm ${sigAlg}`);
    this.issuerDer = tbs[off + 2]!.raw;
    this.subjectDer = tbs[off + 4]!.raw;
    this.publicKey = decodeSPKI(tbs[off + 5]!.raw);
    // Small fields are decoded by hand (decode.ts explains the measurement).
    const version = off ? (readChildren(tbs[0]!.value)[0]?.value[0] ?? 0) : 0;
    const validity = readChildren(tbs[off + 3]!.value);
    if (tbs[off + 3]!.tag !== 0x30 || validity.length !== 2) fail('validity must be SEQUENCE { notBefore, notAfter }');
    const extTlv = tbs.slice(off + 6).find((t) => t.tag === 0xa3);
    if (extTlv && version !== 2) fail('extensions need version 3');
    const serialTlv = tbs[off]!;
    if (serialTlv.tag !== 0x02 || serialTlv.value.length === 0) fail('serialNumber must be an INTEGER');
    const serial = serialTlv.value;
    let i = 0;
    while (i < serial.length - 1 && serial[i] === 0) i++;
    this.serialNumber = toHex(serial.subarray(i));
    this.subject = decodeName(this.subjectDer);
    this.issuer = decodeName(this.issuerDer);
    this.notBefore = decodeTime(validity[0]!);
    this.notAfter = decodeTime(validity[1]!);
    this.extensions = decodeExtensions(extTlv?.value);
  }

  /** Parses a PEM (`CERTIFICATE`) or DER certificate. */
  static parse(input: string | Uint8Array): Certificate {
    return codedCall('Certificate.parse', () => new Certificate(toDer(input, 'CERTIFICATE')));
  }

  /** Parses DER. */
  static fromDer(der: Uint8Array): Certificate {
    return codedCall(
      'Certificate.fromDer',
      () => new Certificate(derBytes(der, 'Certificate.fromDer', 'Certificate.parse')),
    );
  }

  /** PEM text. */
  get pem(): string {
    return pemEncode('CERTIFICATE', this.der);
  }

  get isCA(): boolean {
    return this.extensions.basicConstraints?.ca === true;
  }

  /** True when subject and issuer names are byte-identical. */
  get isSelfIssued(): boolean {
    return bytesEq(this.subjectDer, this.issuerDer);
  }

  get subjectKeyIdentifier(): Uint8Array | undefined {
    return this.extensions.subjectKeyIdentifier;
  }

  /**
   * Verifies this certificate's signature with `issuerPublicKey` (an
   * ML-DSA key; its algorithm must equal the signature algorithm).
   */
  async verifySignature(issuerPublicKey: DecodedPublicKey): Promise<boolean> {
    requireObject('issuer public key', issuerPublicKey);
    ensureBytes('issuer public key bytes', issuerPublicKey.publicKey);
    if (issuerPublicKey.alg !== this.signatureAlgorithm) return false;
    return verifyMessage(this.signatureAlgorithm, issuerPublicKey.publicKey, this.tbsDer, this.signature);
  }

  /** A short human-readable dump (what `qsign cert show` prints). */
  describe(): string {
    const x = this.extensions;
    const lines = [
      `Subject:        ${this.subject}`,
      `Issuer:         ${this.issuer}`,
      `Serial:         ${this.serialNumber}`,
      `Not before:     ${this.notBefore.toISOString()}`,
      `Not after:      ${this.notAfter.toISOString()}`,
      `Public key:     ${this.publicKey.alg} (${this.publicKey.publicKey.length} bytes)`,
      `Signature:      ${this.signatureAlgorithm} (${this.signature.length} bytes)`,
    ];
    if (x.basicConstraints)
      lines.push(
        `Basic constr.:  CA:${x.basicConstraints.ca ? 'TRUE' : 'FALSE'}${x.basicConstraints.pathLength !== undefined ? `, pathlen:${x.basicConstraints.pathLength}` : ''}${x.basicConstraints.critical ? ' (critical)' : ''}`,
      );
    if (x.keyUsage) lines.push(`Key usage:      ${x.keyUsage.join(', ')}`);
    if (x.extendedKeyUsage) lines.push(`Ext key usage:  ${x.extendedKeyUsage.join(', ')}`);
    if (x.subjectAltName) {
      const s = x.subjectAltName;
      lines.push(
        `Subject alt:    ${[...s.dns.map((d) => `DNS:${d}`), ...s.ip.map((d) => `IP:${d}`), ...s.uri.map((d) => `URI:${d}`), ...s.email.map((d) => `email:${d}`)].join(', ')}`,
      );
    }
    if (x.subjectKeyIdentifier) lines.push(`Subject key id: ${toHex(x.subjectKeyIdentifier)}`);
    if (x.authorityKeyIdentifier) lines.push(`Auth. key id:   ${toHex(x.authorityKeyIdentifier)}`);
    return lines.join('\n');
  }
}

export { nameDer };
