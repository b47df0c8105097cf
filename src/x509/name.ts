/**
 * Distinguished names as short strings: `CN=server.example.com,O=Example`.
 * The string lists RDNs in encoding order (the order OpenSSL's `-text` and
 * `-subj /O=…/CN=…` use), not RFC 4514's reversed order, so what you write
 * is what you see in `openssl x509 -text`. `\,` escapes a comma and `+`
 * joins attributes into one multi-valued RDN.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { QsignError } from '../errors.js';
import { X509ErrorCodes as E } from './errors.js';

const TYPES: Record<string, string> = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  T: '2.5.4.12',
  GN: '2.5.4.42',
  E: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
};
const SHORT: Record<string, string> = Object.fromEntries(
  Object.entries(TYPES)
    .filter(([k]) => k !== 'EMAILADDRESS')
    .map(([k, v]) => [v, k === 'SERIALNUMBER' ? 'serialNumber' : k]),
);

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length) {
      cur += ch + s[++i];
      continue;
    }
    if (ch === sep) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
const escape = (s: string) => s.replace(/([,+\\=])/g, '\\$1');

/** Parses `CN=a,O=b` (or OpenSSL's `/CN=a/O=b`) into an ASN.1 Name. */
export function parseName(text: string): Name {
  if (typeof text !== 'string' || text.trim() === '')
    throw new QsignError(
      E.INVALID_NAME,
      'a distinguished name must be a non-empty string like "CN=example.com,O=Example"',
    );
  const src = text.startsWith('/') ? text.slice(1).split('/').join(',') : text;
  const rdns = splitUnescaped(src, ',').map((rdn) => {
    const atvs = splitUnescaped(rdn, '+').map((atv) => {
      const eq = atv.indexOf('=');
      if (eq <= 0) throw new QsignError(E.INVALID_NAME, `"${atv.trim()}" in name "${text}" is not TYPE=value`);
      const key = atv.slice(0, eq).trim();
      const oid = TYPES[key.toUpperCase()] ?? (/^\d+(\.\d+)+$/.test(key) ? key : undefined);
      if (!oid) throw new QsignError(E.INVALID_NAME, `unknown attribute type "${key}" in name "${text}"`);
      const value = unescape(atv.slice(eq + 1).trim());
      if (value === '') throw new QsignError(E.INVALID_NAME, `empty value for ${key} in name "${text}"`);
      // Country is PrintableString (RFC 5280 X520countryName); email and DC are
      // IA5String; everything else UTF8String as RFC 5280 §4.1.2.4 recommends.
      let v: AttributeValue;
      if (oid === TYPES.C) {
        if (!/^[A-Za-z]{2}$/.test(value))
          throw new QsignError(E.INVALID_NAME, `C must be a two-letter country code, got "${value}"`);
        v = new AttributeValue({ printableString: value });
      } else if (oid === TYPES.E || oid === TYPES.DC) v = new AttributeValue({ ia5String: value });
      else v = new AttributeValue({ utf8String: value });
      return new AttributeTypeAndValue({ type: oid, value: v });
    });
    return new RelativeDistinguishedName(atvs);
  });
  return new Name(rdns);
}

/** String form of a Name, in encoding order (see module doc). */
/** `name` when it is an ASN.1 Name (a list of RDNs, each a list of attributes); else ERR_INVALID_ARGUMENT. */
function requireName(name: unknown): Name {
  if (!(name instanceof Name))
    throw new QsignError('ERR_INVALID_ARGUMENT', 'expected an ASN.1 Name (from parseName), not a string or bytes');
  return name;
}

/** The RFC 4514 string of a Name (`CN=a,O=b`), as {@link parseName} reads it. */
export function nameToString(name: Name): string {
  requireName(name);
  return name
    .map((rdn) =>
      rdn
        .map((atv) => {
          const k = SHORT[atv.type] ?? atv.type;
          return `${k}=${escape(atv.value.toString())}`;
        })
        .join('+'),
    )
    .join(',');
}

/** DER of a Name given as string or Name. */
export function nameDer(name: string | Name): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(typeof name === 'string' ? parseName(name) : name));
}

/** The first CN value of a Name, if any. */
export function commonName(name: Name): string | undefined {
  requireName(name);
  for (const rdn of name) for (const atv of rdn) if (atv.type === TYPES.CN) return atv.value.toString();
  return undefined;
}
