/**
 * Hand-rolled decoders for the small certificate fields (Name, Validity and
 * the extensions this layer understands), on top of der.ts.
 *
 * Why not @peculiar/asn1-schema here: it is used to *build* these structures,
 * but parsing with it measured ~2 ms per Name and ~2 ms per Extensions list
 * (asn1js walks every byte through generic BER machinery), i.e. slower than
 * the ML-DSA signature check itself, which made certificate parsing the
 * bottleneck of chain validation. These decoders are strict DER readers of
 * fixed shapes and cost microseconds.
 */
import { QsignError } from '../errors.js';
import { toHex } from '../util/codec.js';
import { oidString, readChildren, readTlv, readWhole, type Tlv } from './der.js';
import { X509ErrorCodes as E } from './errors.js';

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GN',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

function bad(what: string): never {
  throw new QsignError(E.DER, `malformed DER: ${what}`);
}

/** Text of a DirectoryString / IA5String / PrintableString TLV. */
export function decodeString(t: Tlv): string {
  const v = t.value;
  switch (t.tag) {
    case 0x0c: // UTF8String; invalid UTF-8 is malformed DER, not a TypeError from the decoder
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(v);
      } catch {
        return bad('UTF8String is not valid UTF-8');
      }
    case 0x13:
    case 0x16:
    case 0x12:
    case 0x1a: // Printable, IA5, Numeric, Visible
    case 0x14: {
      let s = '';
      for (const b of v) s += String.fromCharCode(b);
      return s;
    } // Teletex read as Latin-1
    case 0x1e: {
      let s = '';
      for (let i = 0; i + 1 < v.length; i += 2) s += String.fromCharCode((v[i]! << 8) | v[i + 1]!);
      return s;
    } // BMPString
    case 0x1c: {
      let s = '';
      for (let i = 0; i + 3 < v.length; i += 4)
        s += String.fromCodePoint(((v[i]! << 24) | (v[i + 1]! << 16) | (v[i + 2]! << 8) | v[i + 3]!) >>> 0);
      return s;
    }
    default: {
      return '#' + toHex(t.raw);
    } // RFC 4514 §2.4 hex form
  }
}

/** `CN=a,O=b` string of a Name's DER (encoding order, see name.ts). */
export function decodeName(der: Uint8Array): string {
  const seq = readWhole(der, 0x30, 'Name');
  return readChildren(seq.value)
    .map((set) => {
      if (set.tag !== 0x31) bad('RDN must be a SET');
      return readChildren(set.value)
        .map((atv) => {
          const [type, value] = readChildren(atv.value);
          if (atv.tag !== 0x30 || type?.tag !== 0x06 || !value)
            bad('AttributeTypeAndValue must be SEQUENCE { OID, value }');
          const oid = oidString(type.value);
          return `${SHORT[oid] ?? oid}=${decodeString(value).replace(/([,+\\=])/g, '\\$1')}`;
        })
        .join('+');
    })
    .join(',');
}

/** UTCTime (0x17) / GeneralizedTime (0x18) in the RFC 5280 DER forms. */
export function decodeTime(t: Tlv): Date {
  let s = '';
  for (const b of t.value) s += String.fromCharCode(b);
  let m: RegExpExecArray | null;
  if (t.tag === 0x17 && (m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s))) {
    const yy = Number(m[1]);
    // RFC 5280 §4.1.2.5.1: YY ≥ 50 is 19YY, otherwise 20YY.
    return new Date(
      Date.UTC(
        yy >= 50 ? 1900 + yy : 2000 + yy,
        Number(m[2]) - 1,
        Number(m[3]),
        Number(m[4]),
        Number(m[5]),
        Number(m[6]),
      ),
    );
  }
  if (t.tag === 0x18 && (m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s))) {
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  }
  return bad(`time "${s}" is not a DER UTCTime/GeneralizedTime`);
}

/** keyUsage bit names in bit order (RFC 5280 §4.2.1.3). */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** Set bits of a keyUsage BIT STRING value. */
export function decodeKeyUsage(der: Uint8Array): (typeof KEY_USAGE_BITS)[number][] {
  const t = readWhole(der, 0x03, 'keyUsage');
  const unused = t.value[0] ?? bad('keyUsage BIT STRING is empty');
  if (unused > 7) bad('keyUsage BIT STRING unused-bits > 7');
  const out: (typeof KEY_USAGE_BITS)[number][] = [];
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = t.value[1 + (i >> 3)];
    if (byte !== undefined && byte & (0x80 >> (i & 7))) out.push(name);
  });
  return out;
}

/** {ca, pathLength} of a basicConstraints value. */
export function decodeBasicConstraints(der: Uint8Array): { ca: boolean; pathLength?: number } {
  const parts = readChildren(readWhole(der, 0x30, 'basicConstraints').value);
  let i = 0,
    ca = false;
  if (parts[i]?.tag === 0x01) {
    ca = parts[i]!.value[0] !== 0;
    i++;
  }
  if (parts[i]?.tag === 0x02) {
    const v = parts[i]!.value;
    if (v.length > 4 || v[0]! & 0x80) bad('pathLenConstraint out of range');
    let n = 0;
    for (const b of v) n = n * 256 + b;
    return { ca, pathLength: n };
  }
  return { ca };
}

/** OIDs of an extKeyUsage value. */
export function decodeOidList(der: Uint8Array): string[] {
  return readChildren(readWhole(der, 0x30, 'extKeyUsage').value).map((t) => {
    if (t.tag !== 0x06) bad('extKeyUsage must hold OIDs');
    return oidString(t.value);
  });
}

function formatIp(v: Uint8Array): string {
  if (v.length === 4) return Array.from(v).join('.');
  if (v.length !== 16) return toHex(v);
  const groups = Array.from({ length: 8 }, (_, i) => (v[2 * i]! << 8) | v[2 * i + 1]!);
  // RFC 5952: compress the longest run (≥ 2) of zero groups.
  let best = -1,
    bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** DNS/IP/URI/email entries of a GeneralNames value; other name forms are skipped. */
export function decodeGeneralNames(der: Uint8Array): { dns: string[]; ip: string[]; uri: string[]; email: string[] } {
  const out = { dns: [] as string[], ip: [] as string[], uri: [] as string[], email: [] as string[] };
  const ascii = (v: Uint8Array) => {
    let s = '';
    for (const b of v) s += String.fromCharCode(b);
    return s;
  };
  for (const g of readChildren(readWhole(der, 0x30, 'GeneralNames').value)) {
    if (g.tag === 0x82) out.dns.push(ascii(g.value));
    else if (g.tag === 0x87) out.ip.push(formatIp(g.value));
    else if (g.tag === 0x86) out.uri.push(ascii(g.value));
    else if (g.tag === 0x81) out.email.push(ascii(g.value));
  }
  return out;
}

/** keyIdentifier [0] of an AuthorityKeyIdentifier value. */
export function decodeAki(der: Uint8Array): Uint8Array | undefined {
  const k = readChildren(readWhole(der, 0x30, 'authorityKeyIdentifier').value).find((t) => t.tag === 0x80);
  return k?.value.slice();
}

/** One Extension: {oid, critical, value (the OCTET STRING contents)}. */
export interface RawExtension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

/** The Extension list of an `Extensions` SEQUENCE DER. */
export function decodeExtensionList(der: Uint8Array): RawExtension[] {
  return readChildren(readWhole(der, 0x30, 'Extensions').value).map((e) => {
    const parts = readChildren(e.value);
    if (e.tag !== 0x30 || parts[0]?.tag !== 0x06) bad('Extension must be SEQUENCE { OID, [BOOLEAN], OCTET STRING }');
    const hasCrit = parts[1]?.tag === 0x01;
    const oct = parts[hasCrit ? 2 : 1];
    if (oct?.tag !== 0x04 || parts.length !== (hasCrit ? 3 : 2))
      bad('Extension must be SEQUENCE { OID, [BOOLEAN], OCTET STRING }');
    // DER: a FALSE critical flag must be omitted (DEFAULT FALSE); accept it anyway, as OpenSSL does.
    return { oid: oidString(parts[0]!.value), critical: hasCrit && parts[1]!.value[0] !== 0, value: oct.value };
  });
}

export { readTlv };
