/**
 * How CMS names a certificate: SignerIdentifier (RFC 5652 §5.3) and
 * RecipientIdentifier (§6.2.1) are the same CHOICE of IssuerAndSerialNumber
 * or a [0] IMPLICIT subjectKeyIdentifier.
 */
import { equalBytes, fromHex, toHex } from '../util/bytes.js';
import type { Certificate } from '../x509/index.js';
import { concat, seq, tlv, type Ber } from './asn1.js';
import { CmsError, CmsErrorCodes as E, malformed } from './errors.js';

/** A parsed identifier: issuer Name DER + serial (hex, no leading zero octets), or a key identifier. */
export type CertId = { issuerDer: Uint8Array; serial: string } | { ski: Uint8Array };

/** Which form to write. */
export type CertIdKind = 'issuerAndSerialNumber' | 'subjectKeyIdentifier';

/** IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER }, copied from the certificate. */
export function issuerAndSerialDer(cert: Certificate): Uint8Array {
  const hex = cert.serialNumber.length % 2 ? '0' + cert.serialNumber : cert.serialNumber;
  let serial = fromHex(hex || '00');
  if (serial[0]! & 0x80) serial = concat([new Uint8Array(1), serial]);
  return tlv(0x30, cert.issuerDer, tlv(0x02, serial));
}

/** DER of the identifier naming `cert`. */
export function certIdDer(cert: Certificate, kind: CertIdKind): Uint8Array {
  if (kind !== 'subjectKeyIdentifier') return issuerAndSerialDer(cert);
  const ski = cert.subjectKeyIdentifier;
  if (!ski)
    throw new CmsError(
      E.INVALID_OPTIONS,
      `certificate "${cert.subject}" has no subjectKeyIdentifier; name it by issuerAndSerialNumber instead`,
    );
  return tlv(0x80, ski);
}

export function parseCertId(e: Ber, what: string): CertId {
  if (e.tag === 0x80) return { ski: e.content };
  const p = seq(e, what);
  if (p.length !== 2 || p[0]!.tag !== 0x30 || p[1]!.tag !== 0x02)
    malformed(`${what}: IssuerAndSerialNumber must be SEQUENCE { Name, INTEGER }`);
  let i = 0;
  const v = p[1]!.content;
  while (i < v.length - 1 && v[i] === 0) i++;
  return { issuerDer: p[0]!.raw, serial: toHex(v.subarray(i)) };
}

export function matchesCertId(id: CertId, cert: Certificate): boolean {
  if ('ski' in id) return cert.subjectKeyIdentifier !== undefined && equalBytes(cert.subjectKeyIdentifier, id.ski);
  return id.serial === cert.serialNumber && equalBytes(id.issuerDer, cert.issuerDer);
}

export function describeCertId(id: CertId): string {
  return 'ski' in id ? `subjectKeyIdentifier ${toHex(id.ski)}` : `serial ${id.serial}`;
}
