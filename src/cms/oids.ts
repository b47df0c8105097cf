/**
 * Object identifiers of CMS structures and attributes (RFC 5652, 5083,
 * 6211, 9629). Algorithm OIDs are not here: they live in the one algorithm
 * registry (src/registry.ts, `findAlgorithm(name).oid`).
 */
export const CMS_OIDS = {
  /** id-data: arbitrary octets (RFC 5652 §4). */
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  /** id-ct-authEnvelopedData (RFC 5083 §1). */
  authEnvelopedData: '1.2.840.113549.1.9.16.1.23',
  // Attributes (RFC 5652 §11, RFC 6211 §2).
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  algorithmProtection: '1.2.840.113549.1.9.52',
  /** id-ori-kem: OtherRecipientInfo holding a KEMRecipientInfo (RFC 9629 §3). */
  oriKem: '1.2.840.113549.1.9.16.13.3',
} as const;
