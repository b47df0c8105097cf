/**
 * CMS SignedData (RFC 5652 §5) with ML-DSA (RFC 9882) or SLH-DSA (RFC 9814;
 * the same shape, pure SLH-DSA with the empty context): signing with or
 * without signed attributes, attached or detached, several signers, the
 * signers' certificates and chains embedded; verification that checks the
 * message digest, every signature and every chain (src/x509 verifyChain).
 *
 * With signed attributes (the default) ML-DSA signs the DER of the
 * attributes, which hold the content's digest (SHA-512 by default, the one
 * RFC 9882 requires for all three levels), the content type, the signing
 * time and the RFC 6211 CMSAlgorithmProtection attribute. Only the digest
 * depends on the content, which is what makes streaming (./stream.ts) cheap.
 * Without signed attributes ML-DSA signs the content itself (pure mode,
 * empty context) and the digest algorithm is ignored (RFC 9882 §3.3).
 */
import { signMessage, verifyMessage } from '../x509/slhdsa.js';
import { QsignError } from '../errors.js';
import { equalBytes, toHex } from '../util/bytes.js';
import { findAlgorithmByOid } from '../registry.js';
import {
  Certificate,
  isPem,
  isSignatureAlgorithm,
  type SigningAlgorithm,
  toDer,
  verifyChain,
  type KeyAlgorithm,
  type Purpose,
} from '../x509/index.js';
import {
  algId,
  algIdDer,
  children,
  concat,
  intDer,
  octets,
  oid,
  oidDer,
  readWholeBer,
  seq,
  setOf,
  smallInt,
  tlv,
  type AlgId,
  type Ber,
} from './asn1.js';
import {
  createDigest,
  defaultDigest,
  digestByName,
  digestByOid,
  registryEntry,
  weakDigestReason,
  type DigestName,
} from './algorithms.js';
import { CmsError, CmsErrorCodes as E, malformed } from './errors.js';
import { CMS_OIDS } from './oids.js';
import { certIdDer, describeCertId, matchesCertId, parseCertId, type CertId } from './identifier.js';

/** A key that can sign: a decoded PKCS#8 ML-DSA or SLH-DSA key from `qsign-pqc/x509` fits. */
export interface CmsSigningKey {
  alg: KeyAlgorithm;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** Anything a certificate can be given as. */
export type CertificateInput = Certificate | string | Uint8Array;

/** One signer of a SignedData. */
export interface CmsSignerOptions {
  /** The signer's certificate; its public key must match `key`. */
  certificate: CertificateInput;
  /** The signer's ML-DSA or SLH-DSA private key. */
  key: CmsSigningKey;
  /**
   * Digest for the message-digest attribute; default SHA-512 for ML-DSA (RFC 9882 MUST for every level), and for
   * SLH-DSA the RFC 9814 digest of the set (SHA-256, SHA-512, SHAKE128 or SHAKE256).
   */
  digest?: DigestName | string;
  /** Include signed attributes (default true; RFC 9882 prefers them). */
  signedAttributes?: boolean;
  /** signing-time attribute: a date, or false to leave it out; default now. */
  signingTime?: Date | false;
  /** How the SignerInfo names the certificate; default issuerAndSerialNumber (version 1). */
  sid?: 'issuerAndSerialNumber' | 'subjectKeyIdentifier';
  /** Intermediate CA certificates to embed for this signer (leaf first order not required). */
  chain?: CertificateInput[];
  /** false: deterministic ML-DSA / SLH-DSA (tests); default hedged. */
  extraEntropy?: false | Uint8Array;
}

/** Options for {@link signData}. */
export interface SignDataOptions {
  /** One or more signers; each adds a SignerInfo. */
  signers: CmsSignerOptions[];
  /** Leave the content out (a detached `.p7s`); default false. */
  detached?: boolean;
  /** eContentType OID; default id-data. */
  contentType?: string;
  /** Embed the signers' certificates and chains; default true. */
  includeCertificates?: boolean;
  /** More certificates to embed (e.g. the root, for readers that want it). */
  certificates?: CertificateInput[];
}

const toCert = (c: CertificateInput): Certificate => (c instanceof Certificate ? c : Certificate.parse(c));

function certOf(c: CertificateInput, what: string): Certificate {
  try {
    return toCert(c);
  } catch (e) {
    throw new CmsError(E.INVALID_OPTIONS, `${what} is not a certificate: ${(e as Error).message}`, { cause: e });
  }
}

function attribute(type: string, value: Uint8Array): Uint8Array {
  return tlv(0x30, oidDer(type), setOf(0x31, [value]));
}

function timeDer(d: Date): Uint8Array {
  // RFC 5652 §11.3: UTCTime for 1950–2049, GeneralizedTime otherwise; whole seconds.
  const iso = new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString();
  const y = d.getUTCFullYear();
  const digits = iso.replace(/[-:T]/g, '').slice(0, 14);
  const text = y >= 1950 && y < 2050 ? digits.slice(2) + 'Z' : digits + 'Z';
  return tlv(y >= 1950 && y < 2050 ? 0x17 : 0x18, new TextEncoder().encode(text));
}

/** What signing one SignerInfo needs once the content digest is known. */
export interface PreparedSigner {
  cert: Certificate;
  alg: SigningAlgorithm;
  digest: DigestName;
  opts: CmsSignerOptions;
}

export function prepareSigner(s: CmsSignerOptions, index: number): PreparedSigner {
  if (!s || typeof s !== 'object') throw new CmsError(E.INVALID_OPTIONS, `signers[${index}] must be an object`);
  const cert = certOf(s.certificate, `signers[${index}].certificate`);
  const key = s.key;
  if (!key || !isSignatureAlgorithm(key.alg))
    throw new CmsError(
      E.INVALID_OPTIONS,
      `signers[${index}].key must be an ML-DSA or SLH-DSA private key (a KEM key cannot sign)`,
    );
  if (cert.publicKey.alg !== key.alg || !equalBytes(cert.publicKey.publicKey, key.publicKey))
    throw new CmsError(
      E.INVALID_OPTIONS,
      `signers[${index}].key does not belong to certificate "${cert.subject}" (${cert.publicKey.alg})`,
    );
  const digest = s.digest === undefined ? defaultDigest(key.alg) : digestByName(s.digest);
  const weak = weakDigestReason(key.alg, digest);
  if (weak) throw new CmsError(E.WEAK_DIGEST, `signers[${index}]: ${weak}`);
  return { cert, alg: key.alg, digest, opts: s };
}

/**
 * Builds one SignerInfo. `contentDigest` is the digest of the content with
 * the signer's digest algorithm (used with signed attributes); `content` is
 * needed only without them.
 */
export async function signerInfo(
  p: PreparedSigner,
  contentType: string,
  contentDigest: Uint8Array | undefined,
  content: Uint8Array | undefined,
): Promise<Uint8Array> {
  const s = p.opts;
  const sidKind = s.sid ?? 'issuerAndSerialNumber';
  const digestAlg = algIdDer(registryEntry(p.digest).oid);
  const sigAlg = algIdDer(registryEntry(p.alg).oid);
  const signOpts = s.extraEntropy === undefined ? {} : { extraEntropy: s.extraEntropy };
  let signedAttrs: Uint8Array | undefined;
  let signature: Uint8Array;
  if (s.signedAttributes !== false) {
    const attrs = [
      attribute(CMS_OIDS.contentType, oidDer(contentType)),
      attribute(CMS_OIDS.messageDigest, tlv(0x04, contentDigest!)),
      // RFC 6211: CMSAlgorithmProtection { digestAlgorithm, signatureAlgorithm [1] IMPLICIT }.
      attribute(CMS_OIDS.algorithmProtection, tlv(0x30, digestAlg, tlv(0xa1, sigAlg.subarray(2)))),
    ];
    if (s.signingTime !== false) attrs.push(attribute(CMS_OIDS.signingTime, timeDer(s.signingTime ?? new Date())));
    // RFC 5652 §5.4: the signature covers the DER SET OF (tag 0x31); the message carries it as [0] IMPLICIT.
    const set = setOf(0x31, attrs);
    signature = await signMessage(p.alg, s.key.secretKey, set, signOpts);
    signedAttrs = concat([Uint8Array.of(0xa0), set.subarray(1)]);
  } else {
    signature = await signMessage(p.alg, s.key.secretKey, content!, signOpts);
  }
  return tlv(
    0x30,
    intDer(sidKind === 'subjectKeyIdentifier' ? 3 : 1),
    certIdDer(p.cert, sidKind),
    digestAlg,
    ...(signedAttrs ? [signedAttrs] : []),
    sigAlg,
    tlv(0x04, signature),
  );
}

/** Assembles ContentInfo { signedData } from finished SignerInfos. */
export function assembleSignedData(
  prepared: PreparedSigner[],
  infos: Uint8Array[],
  opts: SignDataOptions,
  content: Uint8Array | undefined,
): Uint8Array {
  const contentType = opts.contentType ?? CMS_OIDS.data;
  const digestAlgs = [...new Set(prepared.map((p) => p.digest))].map((d) => algIdDer(registryEntry(d).oid));
  const certs: Uint8Array[] = [];
  const seen = new Set<string>();
  const addCert = (c: Certificate) => {
    const k = toHex(c.der);
    if (!seen.has(k)) {
      seen.add(k);
      certs.push(c.der);
    }
  };
  if (opts.includeCertificates !== false) {
    for (const p of prepared) {
      addCert(p.cert);
      for (const c of p.opts.chain ?? []) addCert(certOf(c, 'chain certificate'));
    }
    for (const c of opts.certificates ?? []) addCert(certOf(c, 'certificates entry'));
  }
  // RFC 5652 §5.1: version 3 when a SignerInfo is v3 or eContentType is not id-data, else 1.
  const v3 = contentType !== CMS_OIDS.data || prepared.some((p) => p.opts.sid === 'subjectKeyIdentifier');
  const encap = opts.detached
    ? tlv(0x30, oidDer(contentType))
    : tlv(0x30, oidDer(contentType), tlv(0xa0, tlv(0x04, content!)));
  const signedData = tlv(
    0x30,
    intDer(v3 ? 3 : 1),
    setOf(0x31, digestAlgs),
    encap,
    ...(certs.length ? [setOf(0xa0, certs)] : []),
    setOf(0x31, infos),
  );
  return tlv(0x30, oidDer(CMS_OIDS.signedData), tlv(0xa0, signedData));
}

function checkSignOptions(opts: SignDataOptions): void {
  if (!opts || !Array.isArray(opts.signers) || opts.signers.length === 0)
    throw new CmsError(E.INVALID_OPTIONS, 'signers must be a non-empty array of { certificate, key }');
  if (opts.contentType !== undefined && !/^\d+(\.\d+)+$/.test(opts.contentType))
    throw new CmsError(E.INVALID_OPTIONS, `contentType must be a dotted OID, got ${String(opts.contentType)}`);
}

/**
 * Signs `content` into a DER `ContentInfo` holding SignedData (a `.p7s`
 * when detached, otherwise the content travels inside).
 *
 * @example
 * ```ts
 * import { signData, verifySignedData } from 'qsign-pqc/cms';
 * const p7s = await signData(pdf, { signers: [{ certificate: userCert, key: userKey, chain: [caCert] }], detached: true });
 * // openssl cms -verify -binary -inform DER -in doc.p7s -content doc.pdf -CAfile root.pem
 * ```
 */
export async function signData(content: Uint8Array, opts: SignDataOptions): Promise<Uint8Array> {
  if (!(content instanceof Uint8Array)) throw new QsignError('ERR_INVALID_ARGUMENT', 'content must be a Uint8Array');
  checkSignOptions(opts);
  const contentType = opts.contentType ?? CMS_OIDS.data;
  const prepared = opts.signers.map(prepareSigner);
  if (contentType !== CMS_OIDS.data && prepared.some((p) => p.opts.signedAttributes === false))
    throw new CmsError(
      E.INVALID_OPTIONS,
      `content type ${contentType} needs signed attributes (RFC 5652 §5.3); only id-data may be signed without them`,
    );
  const digests = new Map<DigestName, Uint8Array>();
  for (const p of prepared)
    if (!digests.has(p.digest)) digests.set(p.digest, createDigest(p.digest).update(content).digest());
  const infos: Uint8Array[] = [];
  for (const p of prepared) infos.push(await signerInfo(p, contentType, digests.get(p.digest), content));
  return assembleSignedData(prepared, infos, opts, opts.detached ? undefined : content);
}

// ---------------------------------------------------------------- parsing

/** A SignerInfo as read from the message. */
export interface ParsedSignerInfo {
  version: number;
  /** Either the issuer Name DER + serial hex, or a subject key identifier. */
  sid: CertId;
  digestAlgorithm: AlgId;
  /** The [0] IMPLICIT signedAttrs element, if present. */
  signedAttrs?: Ber;
  signatureAlgorithm: AlgId;
  signature: Uint8Array;
}

/** A parsed SignedData (structure only; nothing verified). */
export interface ParsedSignedData {
  version: number;
  contentType: string;
  /** The eContent octets; undefined for a detached signature. */
  content?: Uint8Array;
  certificates: Certificate[];
  signerInfos: ParsedSignerInfo[];
}

/** Largest CMS object read into memory by the in-memory API (1 GiB); the streaming API has no limit. */
export const MAX_CMS_BYTES = 1 << 30;

/** The [0] EXPLICIT content of a ContentInfo whose contentType must be `expect`. */
export function contentInfo(input: Uint8Array | string, expect: string, what: string): Ber {
  let der: Uint8Array;
  try {
    der =
      typeof input === 'string'
        ? toPemOrDer(new TextEncoder().encode(input))
        : input instanceof Uint8Array
          ? toPemOrDer(input)
          : bad();
  } catch (e) {
    if (e instanceof CmsError) throw e;
    throw new CmsError(E.MALFORMED, `malformed CMS: ${(e as Error).message}`, { cause: e });
  }
  if (der.length > MAX_CMS_BYTES) malformed(`${der.length} bytes exceeds the ${MAX_CMS_BYTES}-byte limit`);
  const ci = seq(readWholeBer(der, 0x30, 'ContentInfo'), 'ContentInfo');
  if (ci.length !== 2 || ci[1]!.tag !== 0xa0) malformed('ContentInfo must be SEQUENCE { contentType, [0] content }');
  const type = oid(ci[0]!, 'ContentInfo.contentType');
  if (type !== expect)
    throw new CmsError(E.UNSUPPORTED, `${what}: ContentInfo holds content type ${type}, expected ${expect}`);
  const inner = children(ci[1]!);
  if (inner.length !== 1) malformed('ContentInfo [0] must hold exactly one element');
  return inner[0]!;
}

function bad(): never {
  throw new QsignError('ERR_INVALID_ARGUMENT', 'CMS input must be DER bytes or PEM text');
}

/** PEM (`CMS` or `PKCS7`) bytes are accepted where DER is expected. */
function toPemOrDer(b: Uint8Array): Uint8Array {
  if (isPem(b)) {
    const s = new TextDecoder().decode(b);
    return toDer(s, s.includes('BEGIN PKCS7') ? 'PKCS7' : 'CMS');
  }
  return b;
}

function parseSignerInfo(e: Ber): ParsedSignerInfo {
  const p = seq(e, 'SignerInfo');
  if (p.length < 5) malformed('SignerInfo is truncated');
  let i = 0;
  const version = smallInt(p[i++]!, 'SignerInfo.version');
  const sid = parseCertId(p[i++]!, 'SignerInfo.sid');
  const digestAlgorithm = algId(p[i++]!, 'SignerInfo.digestAlgorithm');
  let signedAttrs: Ber | undefined;
  if (p[i]?.tag === 0xa0) signedAttrs = p[i++];
  if (!p[i]) malformed('SignerInfo has no signatureAlgorithm');
  const signatureAlgorithm = algId(p[i++]!, 'SignerInfo.signatureAlgorithm');
  if (!p[i]) malformed('SignerInfo has no signature');
  const signature = octets(p[i++]!, 'SignerInfo.signature');
  if (p[i]?.tag === 0xa1) i++; // unsignedAttrs: not interpreted
  if (i !== p.length) malformed('SignerInfo has unexpected trailing fields');
  return { version, sid, digestAlgorithm, ...(signedAttrs ? { signedAttrs } : {}), signatureAlgorithm, signature };
}

/**
 * Parses a SignedData ContentInfo (DER/BER bytes or PEM) without verifying
 * anything. Certificates that this SDK cannot read (e.g. RSA) are skipped.
 */
export function parseSignedData(input: Uint8Array | string): ParsedSignedData {
  const sd = seq(contentInfo(input, CMS_OIDS.signedData, 'SignedData'), 'SignedData');
  if (sd.length < 4) malformed('SignedData is truncated');
  let i = 0;
  const version = smallInt(sd[i++]!, 'SignedData.version');
  if (sd[i]!.tag !== 0x31) malformed('SignedData.digestAlgorithms must be a SET');
  children(sd[i++]!);
  const encap = seq(sd[i++]!, 'EncapsulatedContentInfo');
  if (encap.length < 1 || encap.length > 2)
    malformed('EncapsulatedContentInfo must be SEQUENCE { type, [0] content? }');
  const contentType = oid(encap[0]!, 'eContentType');
  let content: Uint8Array | undefined;
  if (encap[1]) {
    if (encap[1].tag !== 0xa0) malformed('eContent must be [0] EXPLICIT OCTET STRING');
    const inner = children(encap[1]);
    if (inner.length !== 1) malformed('eContent [0] must hold one OCTET STRING');
    content = octets(inner[0]!, 'eContent');
  }
  const certificates: Certificate[] = [];
  if (sd[i]?.tag === 0xa0) {
    for (const c of children(sd[i++]!)) {
      if (c.tag !== 0x30) continue; // attribute certificates and other formats are not used here
      try {
        certificates.push(Certificate.fromDer(c.raw.slice()));
      } catch {
        /* a certificate this SDK cannot read cannot be a signer's either */
      }
    }
  }
  if (sd[i]?.tag === 0xa1) i++; // crls: not processed (no revocation checking)
  if (!sd[i] || sd[i]!.tag !== 0x31) malformed('SignedData.signerInfos must be a SET');
  const signerInfos = children(sd[i++]!).map(parseSignerInfo);
  if (i !== sd.length) malformed('SignedData has unexpected trailing fields');
  return { version, contentType, ...(content ? { content } : {}), certificates, signerInfos };
}

// ---------------------------------------------------------------- verification

/** Options for {@link verifySignedData}. */
export interface VerifySignedDataOptions {
  /** Trusted roots; each signer's certificate must chain to one of them. */
  trustAnchors: CertificateInput[];
  /** The content of a detached signature. */
  content?: Uint8Array;
  /** More untrusted certificates that may complete chains (besides the embedded ones). */
  intermediates?: CertificateInput[];
  /** Certificates to look signers up in when the message does not embed them. */
  signerCertificates?: CertificateInput[];
  /** Validation time for the chains; default now. */
  time?: Date;
  /** Leaf purpose for chain validation; default 'any'. */
  purpose?: Purpose;
}

/** One verified signer. */
export interface VerifiedSigner {
  certificate: Certificate;
  /** Subject DN of the signer's certificate. */
  subject: string;
  /** Leaf first, trust anchor last. */
  chain: Certificate[];
  signatureAlgorithm: SigningAlgorithm;
  /** Digest of the message-digest attribute; undefined without signed attributes. */
  digestAlgorithm?: DigestName;
  signedAttributes: boolean;
  signingTime?: Date;
}

/** A verified SignedData. */
export interface VerifiedSignedData {
  contentType: string;
  /** The signed content (attached, or the detached content given). */
  content: Uint8Array;
  detached: boolean;
  signers: VerifiedSigner[];
}

/** The certificate a SignerInfo names, among `pool`. */
export function findSignerCert(sid: CertId, pool: Certificate[]): Certificate | undefined {
  return pool.find((c) => matchesCertId(sid, c));
}

/** The checked signed attributes of one SignerInfo. */
interface SignedAttrValues {
  messageDigest: Uint8Array;
  signingTime?: Date;
}

function attrFail(signer: string, why: string): never {
  throw new CmsError(E.ATTRIBUTES, `signer "${signer}": ${why}`, { signer });
}

function parseTime(e: Ber, signer: string): Date {
  const s = String.fromCharCode(...e.content);
  const m =
    e.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : e.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
        : null;
  if (!m) attrFail(signer, `signing-time "${s}" is not a UTCTime/GeneralizedTime`);
  let y = Number(m[1]);
  if (e.tag === 0x17) y = y >= 50 ? 1900 + y : 2000 + y;
  return new Date(Date.UTC(y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/**
 * RFC 5652 §5.3/§11 and RFC 6211: content-type and message-digest present
 * exactly once each with one value; content-type equal to eContentType;
 * CMSAlgorithmProtection, when present, naming the SignerInfo's algorithms.
 */
export function checkSignedAttrs(si: ParsedSignerInfo, contentType: string, signer: string): SignedAttrValues {
  const attrs = children(si.signedAttrs!);
  if (si.signedAttrs!.indefinite) attrFail(signer, 'signed attributes must be DER (definite length)');
  const seen = new Set<string>();
  let messageDigest: Uint8Array | undefined;
  let signingTime: Date | undefined;
  let sawType = false;
  for (const a of attrs) {
    const parts = seq(a, 'Attribute');
    if (parts.length !== 2 || parts[1]!.tag !== 0x31) malformed('Attribute must be SEQUENCE { OID, SET OF values }');
    const type = oid(parts[0]!, 'Attribute.attrType');
    const values = children(parts[1]!);
    const single = [CMS_OIDS.contentType, CMS_OIDS.messageDigest, CMS_OIDS.signingTime, CMS_OIDS.algorithmProtection];
    if (single.includes(type as (typeof single)[number])) {
      if (seen.has(type)) attrFail(signer, `attribute ${type} appears more than once`);
      if (values.length !== 1) attrFail(signer, `attribute ${type} must have exactly one value`);
    }
    seen.add(type);
    const v = values[0]!;
    switch (type) {
      case CMS_OIDS.contentType: {
        const t = oid(v, 'content-type attribute');
        if (t !== contentType)
          attrFail(signer, `content-type attribute ${t} differs from the encapsulated content type ${contentType}`);
        sawType = true;
        break;
      }
      case CMS_OIDS.messageDigest:
        messageDigest = octets(v, 'message-digest attribute');
        break;
      case CMS_OIDS.signingTime:
        signingTime = parseTime(v, signer);
        break;
      case CMS_OIDS.algorithmProtection: {
        const ap = seq(v, 'CMSAlgorithmProtection');
        const dig = ap[0];
        const sig = ap.find((x) => x.tag === 0xa1);
        if (!dig || dig.tag !== 0x30 || !equalBytes(dig.raw, si.digestAlgorithm.raw))
          attrFail(
            signer,
            'CMSAlgorithmProtection digestAlgorithm differs from the SignerInfo digestAlgorithm (RFC 6211)',
          );
        if (ap.some((x) => x.tag === 0xa2))
          attrFail(signer, 'CMSAlgorithmProtection names a MAC algorithm in a SignedData (RFC 6211 §2)');
        if (!sig || !equalBytes(tlv(0x30, sig.content), si.signatureAlgorithm.raw))
          attrFail(
            signer,
            'CMSAlgorithmProtection signatureAlgorithm differs from the SignerInfo signatureAlgorithm (RFC 6211)',
          );
        break;
      }
      default:
        break; // other attributes are signed but not interpreted
    }
  }
  if (!sawType) attrFail(signer, 'signed attributes lack content-type (RFC 5652 §5.3)');
  if (!messageDigest) attrFail(signer, 'signed attributes lack message-digest (RFC 5652 §5.3)');
  return { messageDigest, ...(signingTime ? { signingTime } : {}) };
}

/** The ML-DSA algorithm of a SignerInfo (parameters must be absent, RFC 9882 §2). */
export function signerAlgorithm(si: ParsedSignerInfo, signer: string): SigningAlgorithm {
  const a = registryEntryByOid(si.signatureAlgorithm.oid);
  if (!a || !isSignatureAlgorithm(a))
    throw new CmsError(
      E.UNSUPPORTED,
      `signer "${signer}": signature algorithm ${si.signatureAlgorithm.oid} is not ML-DSA or SLH-DSA`,
      {
        signer,
      },
    );
  if (si.signatureAlgorithm.params)
    throw new CmsError(
      E.UNSUPPORTED,
      `signer "${signer}": ${a} AlgorithmIdentifier must have absent parameters (RFC 9882, RFC 9814)`,
      {
        signer,
      },
    );
  return a;
}

function registryEntryByOid(o: string): string | undefined {
  return findAlgorithmByOid(o, 'signature')?.name;
}

/** The digest algorithm of a SignerInfo with signed attributes, checked against RFC 9882 for `alg`. */
export function signerDigest(si: ParsedSignerInfo, alg: SigningAlgorithm, signer: string): DigestName {
  const d = digestByOid(si.digestAlgorithm.oid);
  if (!d)
    throw new CmsError(
      E.WEAK_DIGEST,
      `signer "${signer}": digest algorithm ${si.digestAlgorithm.oid} is not accepted`,
      {
        signer,
      },
    );
  const weak = weakDigestReason(alg, d);
  if (weak) throw new CmsError(E.WEAK_DIGEST, `signer "${signer}": ${weak}`, { signer });
  return d;
}

/**
 * Verifies one SignerInfo whose content digest (for its digest algorithm)
 * or content is known, and its chain. Shared by the in-memory and the
 * streaming verifier.
 */
export async function verifySignerInfo(
  si: ParsedSignerInfo,
  parsed: ParsedSignedData,
  opts: VerifySignedDataOptions,
  contentDigest: (d: DigestName) => Uint8Array,
  content: Uint8Array | undefined,
): Promise<VerifiedSigner> {
  const pool = [...parsed.certificates, ...(opts.signerCertificates ?? []).map(toCert)];
  const cert = findSignerCert(si.sid, pool);
  if (!cert)
    throw new CmsError(
      E.UNKNOWN_SIGNER,
      `no certificate for the signer with ${describeCertId(si.sid)}: the message does not embed it and none was given in signerCertificates`,
      { signer: describeCertId(si.sid) },
    );
  const name = cert.subject;
  const alg = signerAlgorithm(si, name);
  if (cert.publicKey.alg !== alg)
    throw new CmsError(
      E.BAD_SIGNATURE,
      `signer "${name}": signatureAlgorithm ${alg} does not match the certificate's ${cert.publicKey.alg} key`,
      { signer: name },
    );
  let signed: Uint8Array;
  let digestAlgorithm: DigestName | undefined;
  let signingTime: Date | undefined;
  if (si.signedAttrs) {
    digestAlgorithm = signerDigest(si, alg, name);
    const v = checkSignedAttrs(si, parsed.contentType, name);
    if (!equalBytes(v.messageDigest, contentDigest(digestAlgorithm)))
      throw new CmsError(
        E.DIGEST_MISMATCH,
        `signer "${name}": the content's ${digestAlgorithm} digest does not match the message-digest attribute (content altered, or the wrong content given)`,
        { signer: name },
      );
    signingTime = v.signingTime;
    signed = concat([Uint8Array.of(0x31), si.signedAttrs.raw.subarray(1)]);
  } else {
    if (parsed.contentType !== CMS_OIDS.data)
      throw new CmsError(
        E.ATTRIBUTES,
        `signer "${name}": content type ${parsed.contentType} requires signed attributes (RFC 5652 §5.3)`,
        { signer: name },
      );
    if (!content)
      throw new CmsError(
        E.UNSUPPORTED,
        `signer "${name}": a SignerInfo without signed attributes cannot be verified from a stream`,
        { signer: name },
      );
    signed = content;
  }
  if (!(await verifyMessage(alg, cert.publicKey.publicKey, signed, si.signature)))
    throw new CmsError(E.BAD_SIGNATURE, `signer "${name}": ${alg} signature does not verify`, { signer: name });
  const ku = cert.extensions.keyUsage;
  if (ku && !ku.includes('digitalSignature') && !ku.includes('nonRepudiation'))
    throw new CmsError(
      E.CHAIN,
      `signer "${name}": keyUsage ${ku.join(', ')} allows neither digitalSignature nor nonRepudiation`,
      { signer: name, reason: 'ERR_CERT_USAGE' },
    );
  let chain: Certificate[];
  try {
    chain = (
      await verifyChain(cert, {
        trustAnchors: opts.trustAnchors,
        intermediates: [...parsed.certificates, ...(opts.intermediates ?? [])],
        ...(opts.time ? { time: opts.time } : {}),
        ...(opts.purpose ? { purpose: opts.purpose } : {}),
      })
    ).chain;
  } catch (e) {
    if (e instanceof QsignError)
      throw new CmsError(E.CHAIN, `signer "${name}": certificate chain does not validate: ${e.message}`, {
        signer: name,
        reason: e.code,
        cause: e,
      });
    throw e;
  }
  return {
    certificate: cert,
    subject: name,
    chain,
    signatureAlgorithm: alg,
    ...(digestAlgorithm ? { digestAlgorithm } : {}),
    signedAttributes: !!si.signedAttrs,
    ...(signingTime ? { signingTime } : {}),
  };
}

/**
 * Verifies a SignedData: every SignerInfo's digest, signature and chain.
 * Resolves to the content and who signed it; rejects with a CmsError whose
 * code names the first failure (ERR_CMS_DIGEST_MISMATCH, ERR_CMS_UNKNOWN_SIGNER,
 * ERR_CMS_BAD_SIGNATURE, ERR_CMS_CHAIN with `reason`, ERR_CMS_MALFORMED, …).
 *
 * @example
 * ```ts
 * const { signers } = await verifySignedData(p7s, { trustAnchors: [rootPem], content: pdf });
 * console.log(signers[0].subject);
 * ```
 */
export async function verifySignedData(
  input: Uint8Array | string,
  opts: VerifySignedDataOptions,
): Promise<VerifiedSignedData> {
  if (!opts || !Array.isArray(opts.trustAnchors) || opts.trustAnchors.length === 0)
    throw new CmsError(E.INVALID_OPTIONS, 'trustAnchors must list at least one trusted root certificate');
  const parsed = parseSignedData(input);
  if (parsed.content && opts.content && !equalBytes(parsed.content, opts.content))
    throw new CmsError(E.CONTENT_MISSING, 'the message carries its content and a different content was given');
  const content = parsed.content ?? opts.content;
  if (!content) throw new CmsError(E.CONTENT_MISSING, 'detached signature: pass the signed content as options.content');
  if (parsed.signerInfos.length === 0) throw new CmsError(E.UNKNOWN_SIGNER, 'SignedData has no SignerInfo');
  const digests = new Map<DigestName, Uint8Array>();
  const digestOf = (d: DigestName) => {
    let v = digests.get(d);
    if (!v) digests.set(d, (v = createDigest(d).update(content).digest()));
    return v;
  };
  const signers: VerifiedSigner[] = [];
  for (const si of parsed.signerInfos) signers.push(await verifySignerInfo(si, parsed, opts, digestOf, content));
  return { contentType: parsed.contentType, content, detached: !parsed.content, signers };
}
