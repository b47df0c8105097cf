/**
 * PKCS#10 certification requests (RFC 2986) with ML-DSA keys: creation,
 * parsing and self-signature verification. Requested extensions travel in
 * the PKCS#9 extensionRequest attribute, as OpenSSL writes them.
 *
 * An ML-KEM key cannot sign, so it cannot make a PKCS#10 CSR (RFC 9935 §1
 * points at other proof-of-possession mechanisms); issuing an ML-KEM
 * certificate goes through {@link createCertificate} with the public key.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Attributes, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { Attribute, Extensions, type Name } from '@peculiar/asn1-x509';
import { QsignError } from '../errors.js';
import { codedCall, requireObject } from '../util/guard.js';
import { verifyMessage } from './slhdsa.js';
import {
  buildExtensions,
  decodeExtensions,
  derBytes,
  signStructure,
  spkiAsn,
  type CertificateExtensions,
  type KeyUsageName,
  type SigningKey,
  type SubjectAltNames,
} from './cert.js';
import { oidString, readChildren, readWhole } from './der.js';
import { decodeName } from './decode.js';
import { X509ErrorCodes as E } from './errors.js';
import {
  decodeSPKI,
  isSignatureAlgorithm,
  parseAlgorithmIdentifier,
  type DecodedPublicKey,
  type SigningAlgorithm,
} from './keys.js';
import { parseName } from './name.js';
import { pemEncode, toDer } from './pem.js';

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

/** Options for {@link createCsr}. */
export interface CsrOptions {
  subject: string | Name;
  subjectAltName?: SubjectAltNames;
  /** Requested keyUsage; omitted from the request when absent. */
  keyUsage?: KeyUsageName[];
  extendedKeyUsage?: string[];
  /** Request a CA certificate (basicConstraints cA, pathLength). */
  ca?: boolean;
  pathLength?: number;
}

/** Creates a CSR signed by `key` (an ML-DSA key; the CSR carries its public key). */
export async function createCsr(opts: CsrOptions, key: SigningKey): Promise<Csr> {
  requireObject('CSR options', opts);
  requireObject('CSR signing key', key);
  if (!isSignatureAlgorithm(key.alg)) {
    throw new QsignError(
      E.INVALID_CERT_REQUEST,
      `a PKCS#10 CSR must be signed by its subject key; ${key.alg} cannot sign (RFC 9935 §1)`,
    );
  }
  const subject = typeof opts.subject === 'string' ? parseName(opts.subject) : opts.subject;
  const attrs: Attribute[] = [];
  const want = opts.subjectAltName || opts.keyUsage || opts.extendedKeyUsage?.length || opts.ca;
  if (want) {
    const exts = buildExtensions(
      { publicKey: { alg: key.alg, publicKey: key.publicKey }, ...opts },
      { emptySubject: subject.length === 0 },
    )
      // keyUsage/basicConstraints are added by buildExtensions by default; keep them only when requested.
      .filter((x) =>
        x.extnID === '2.5.29.15' ? !!opts.keyUsage : x.extnID === '2.5.29.19' ? opts.ca !== undefined : true,
      );
    if (exts.length)
      attrs.push(new Attribute({ type: EXTENSION_REQUEST, values: [AsnConvert.serialize(new Extensions(exts))] }));
  }
  const info = new CertificationRequestInfo({
    version: 0,
    subject,
    subjectPKInfo: spkiAsn(key.alg, key.publicKey),
    attributes: new Attributes(attrs),
  });
  const infoDer = new Uint8Array(AsnConvert.serialize(info));
  return Csr.fromDer(await signStructure(infoDer, key));
}

/** A parsed PKCS#10 request. The signature is checked by {@link Csr.verify}. */
export class Csr {
  readonly der: Uint8Array;
  /** The exact signed bytes (certificationRequestInfo). */
  readonly infoDer: Uint8Array;
  readonly signatureAlgorithm: SigningAlgorithm;
  readonly signature: Uint8Array;
  readonly subject: string;
  readonly subjectDer: Uint8Array;
  readonly publicKey: DecodedPublicKey;
  /** Extensions from the extensionRequest attribute. */
  readonly requestedExtensions: CertificateExtensions;
  /** Whether an extensionRequest attribute was present. */
  readonly hasExtensionRequest: boolean;

  private constructor(der: Uint8Array) {
    this.der = der;
    const outer = readWhole(der, 0x30, 'CertificationRequest');
    const parts = readChildren(outer.value);
    if (parts.length !== 3 || parts[0]!.tag !== 0x30 || parts[2]!.tag !== 0x03)
      throw new QsignError(E.DER, 'CSR must be SEQUENCE { info, signatureAlgorithm, signature }');
    this.infoDer = parts[0]!.raw;
    const alg = parseAlgorithmIdentifier(parts[1]!.value, 'CSR signatureAlgorithm');
    if (!isSignatureAlgorithm(alg))
      throw new QsignError(E.DER, `CSR signatureAlgorithm ${alg} is not a signature algorithm`);
    this.signatureAlgorithm = alg;
    if (parts[2]!.value[0] !== 0) throw new QsignError(E.DER, 'CSR signature BIT STRING must have 0 unused bits');
    this.signature = parts[2]!.value.slice(1);
    const info = readChildren(parts[0]!.value);
    if (info.length < 3) throw new QsignError(E.DER, 'CSR info is truncated');
    this.subjectDer = info[1]!.raw;
    this.publicKey = decodeSPKI(info[2]!.raw);
    // Slice first, then parse only the small parts (see Certificate for why).
    const version = info[0]!.tag === 0x02 ? info[0]!.value : undefined;
    if (!version || version.length !== 1 || version[0] !== 0) throw new QsignError(E.DER, 'CSR version must be 0 (v1)');
    const attrTlv = info[3];
    if (attrTlv && attrTlv.tag !== 0xa0) throw new QsignError(E.DER, 'CSR attributes must be [0] IMPLICIT SET');
    this.subject = decodeName(this.subjectDer);
    // extensionRequest = SEQUENCE { OID 1.2.840.113549.1.9.14, SET { Extensions } }
    let exts: Uint8Array | undefined;
    for (const attr of attrTlv ? readChildren(attrTlv.value) : []) {
      const [type, values] = readChildren(attr.value);
      if (attr.tag !== 0x30 || type?.tag !== 0x06 || values?.tag !== 0x31)
        throw new QsignError(E.DER, 'CSR attribute must be SEQUENCE { OID, SET }');
      if (oidString(type.value) === EXTENSION_REQUEST) exts = readChildren(values.value)[0]?.raw;
    }
    this.hasExtensionRequest = exts !== undefined;
    this.requestedExtensions = decodeExtensions(exts);
  }

  /** Parses PEM (`CERTIFICATE REQUEST`) or DER. */
  static parse(input: string | Uint8Array): Csr {
    return codedCall('Csr.parse', () => new Csr(toDer(input, 'CERTIFICATE REQUEST')));
  }

  /** Parses DER bytes only (no PEM); {@link Csr.parse} takes either. */
  static fromDer(der: Uint8Array): Csr {
    return codedCall('Csr.fromDer', () => new Csr(derBytes(der, 'Csr.fromDer', 'Csr.parse')));
  }

  get pem(): string {
    return pemEncode('CERTIFICATE REQUEST', this.der);
  }

  /** True when the self-signature verifies with the CSR's own public key. */
  async verify(): Promise<boolean> {
    if (this.publicKey.alg !== this.signatureAlgorithm) return false;
    return verifyMessage(this.signatureAlgorithm, this.publicKey.publicKey, this.infoDer, this.signature);
  }

  /** Like verify() but throws ERR_CSR_SIGNATURE_INVALID naming the subject. */
  async assertValid(): Promise<void> {
    if (!(await this.verify()))
      throw new QsignError(
        E.CSR_SIGNATURE_INVALID,
        `CSR for "${this.subject}": ${this.signatureAlgorithm} self-signature does not verify`,
      );
  }
}
