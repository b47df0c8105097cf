/**
 * RFC 5280 §6 path validation for ML-DSA chains, reduced to what a TLS
 * client and `openssl verify -x509_strict` check: chain building by name
 * (and key identifier), ML-DSA signatures, validity, basicConstraints and
 * pathLen, keyUsage/EKU for the purpose, unknown critical extensions, and
 * an optional RFC 6125 hostname match against the leaf's SAN.
 *
 * Not implemented: revocation (CRL/OCSP), name constraints and certificate
 * policies (a certificate marking either critical is rejected as an unknown
 * critical extension, which is the safe failure).
 *
 * Every failure is a CertificateError naming the certificate (subject and
 * depth, 0 = leaf) and the TLS alert a client would send (seed §9.1).
 */
import { Certificate, EKU_OIDS, keyUsageViolation, type KeyUsageName } from './cert.js';
import { CertificateError, X509ErrorCodes as E, type TlsAlert } from './errors.js';
import { isKemAlgorithm, isSignatureAlgorithm } from './keys.js';
import { QsignError, type QsignErrorCode } from '../errors.js';
import { equalBytes } from '../util/bytes.js';
import { isIp } from './cert.js';

/** What the leaf certificate is going to be used for. */
export type Purpose = 'serverAuth' | 'clientAuth' | 'codeSigning' | 'emailProtection' | 'timeStamping' | 'any';

/** Options for {@link verifyChain}. */
export interface VerifyChainOptions {
  /** Trusted roots (PEM/DER or parsed). At least one is required. */
  trustAnchors: (Certificate | string | Uint8Array)[];
  /** Untrusted certificates that may complete the path (e.g. the server's chain). */
  intermediates?: (Certificate | string | Uint8Array)[];
  /** Validation time; default now. */
  time?: Date;
  /** Default 'any' (no EKU/keyUsage requirement on the leaf). */
  purpose?: Purpose;
  /** DNS name or IP the leaf must be valid for (RFC 6125). */
  hostname?: string;
  /** Longest path accepted, anchors included; default 10. */
  maxDepth?: number;
}

/** A validated path. */
export interface VerifiedChain {
  /** Leaf first, trust anchor last. */
  chain: Certificate[];
  trustAnchor: Certificate;
}

const toCert = (c: Certificate | string | Uint8Array) => (c instanceof Certificate ? c : Certificate.parse(c));

function fail(code: QsignErrorCode, alert: TlsAlert, cert: Certificate, depth: number, msg: string): never {
  throw new CertificateError(code, alert, cert.subject || '(empty subject)', depth, msg);
}

/** True when `issuer` plausibly issued `child`: names chain and key ids (when both present) agree. */
function issues(issuer: Certificate, child: Certificate): boolean {
  if (!equalBytes(issuer.subjectDer, child.issuerDer)) return false;
  const aki = child.extensions.authorityKeyIdentifier;
  const ski = issuer.subjectKeyIdentifier;
  return !(aki && ski && !equalBytes(aki, ski));
}

/**
 * Builds and validates the path from `leaf` to one of `trustAnchors`.
 * Resolves to the chain; rejects with a CertificateError otherwise.
 */
export async function verifyChain(
  leafInput: Certificate | string | Uint8Array,
  opts: VerifyChainOptions,
): Promise<VerifiedChain> {
  if (!opts || typeof opts !== 'object' || !Array.isArray(opts.trustAnchors))
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      'verifyChain(leaf, options) needs options.trustAnchors: an array of trusted root certificates',
    );
  if (opts.intermediates !== undefined && !Array.isArray(opts.intermediates))
    throw new QsignError('ERR_INVALID_ARGUMENT', 'verifyChain options.intermediates must be an array of certificates');
  const leaf = toCert(leafInput);
  const anchors = opts.trustAnchors.map(toCert);
  const pool = (opts.intermediates ?? []).map(toCert);
  const now = opts.time ?? new Date();
  const maxDepth = opts.maxDepth ?? 10;
  const purpose = opts.purpose ?? 'any';

  // 1. Build: walk issuer links, preferring trust anchors, then the pool.
  // Among several candidates the first whose signature verifies wins, so a
  // renamed look-alike CA cannot shadow the real one.
  const chain: Certificate[] = [leaf];
  let anchor: Certificate | undefined = anchors.find((a) => equalBytes(a.der, leaf.der));
  while (!anchor) {
    const cur = chain[chain.length - 1]!;
    const depth = chain.length - 1;
    if (chain.length >= maxDepth)
      fail(E.CERT_PATH_LENGTH, 'bad_certificate', cur, depth, `no trust anchor within ${maxDepth} certificates`);
    const fromAnchors = anchors.filter((a) => issues(a, cur));
    const fromPool = pool.filter((p) => issues(p, cur) && !chain.some((c) => equalBytes(c.der, p.der)));
    const candidates = [...fromAnchors, ...fromPool];
    if (candidates.length === 0) {
      if (cur.isSelfIssued)
        fail(E.CERT_UNKNOWN_CA, 'unknown_ca', cur, depth, 'self-signed certificate is not a trust anchor');
      fail(
        E.CERT_UNKNOWN_CA,
        'unknown_ca',
        cur,
        depth,
        `issuer "${cur.issuer}" is not a trust anchor and no intermediate for it was given`,
      );
    }
    let chosen: Certificate | undefined;
    for (const c of candidates)
      if (await cur.verifySignature(c.publicKey)) {
        chosen = c;
        break;
      }
    if (!chosen) {
      fail(
        E.CERT_SIGNATURE_INVALID,
        'bad_certificate',
        cur,
        depth,
        `${cur.signatureAlgorithm} signature does not verify with the key of issuer "${candidates[0]!.subject}"`,
      );
    }
    chain.push(chosen);
    if (fromAnchors.includes(chosen)) anchor = chosen;
  }

  // 2. Check each certificate, from the anchor down (RFC 5280 §6.1 order).
  const n = chain.length;
  for (let i = n - 1; i >= 0; i--) {
    const c = chain[i]!;
    const x = c.extensions;
    if (now < c.notBefore)
      fail(
        E.CERT_NOT_YET_VALID,
        'certificate_expired',
        c,
        i,
        `not valid before ${c.notBefore.toISOString()} (checked at ${now.toISOString()})`,
      );
    if (now > c.notAfter)
      fail(
        E.CERT_EXPIRED,
        'certificate_expired',
        c,
        i,
        `expired at ${c.notAfter.toISOString()} (checked at ${now.toISOString()})`,
      );
    if (x.unknownCritical.length)
      fail(
        E.CERT_MALFORMED,
        'unsupported_certificate',
        c,
        i,
        `unsupported critical extension ${x.unknownCritical.join(', ')}`,
      );
    if (x.keyUsage) {
      const v = keyUsageViolation(c.publicKey.alg, x.keyUsage);
      if (v) fail(E.CERT_USAGE, 'unsupported_certificate', c, i, v);
    }
    if (i > 0) {
      // Issuer of chain[i-1]: must be a CA allowed to sign certificates.
      if (!x.basicConstraints?.ca)
        fail(
          E.CERT_NOT_A_CA,
          'bad_certificate',
          c,
          i,
          `issues "${chain[i - 1]!.subject}" but basicConstraints cA is not TRUE`,
        );
      if (x.keyUsage && !x.keyUsage.includes('keyCertSign'))
        fail(E.CERT_USAGE, 'bad_certificate', c, i, 'CA keyUsage lacks keyCertSign');
      if (!isSignatureAlgorithm(c.publicKey.alg))
        fail(E.CERT_NOT_A_CA, 'bad_certificate', c, i, `${c.publicKey.alg} key cannot sign certificates`);
      // pathLen counts the non-self-issued intermediates below this CA (RFC 5280 §6.1.4 (l)-(m)).
      const pl = x.basicConstraints.pathLength;
      if (pl !== undefined) {
        let below = 0;
        for (let j = i - 1; j >= 1; j--) if (!chain[j]!.isSelfIssued) below++;
        if (below > pl)
          fail(
            E.CERT_PATH_LENGTH,
            'bad_certificate',
            c,
            i,
            `pathLenConstraint ${pl} allows ${pl} intermediate CA(s) below it, the path has ${below}`,
          );
      }
      // OpenSSL also requires an EKU on intermediates, when present, to allow the purpose.
      if (i < n - 1 && !ekuAllows(x.extendedKeyUsage, purpose))
        fail(
          E.CERT_USAGE,
          'unsupported_certificate',
          c,
          i,
          `extendedKeyUsage ${x.extendedKeyUsage!.join(', ')} does not allow ${purpose}`,
        );
    }
  }

  // 3. Leaf purpose and hostname.
  const lx = leaf.extensions;
  if (purpose !== 'any') {
    if (!ekuAllows(lx.extendedKeyUsage, purpose))
      fail(
        E.CERT_USAGE,
        'unsupported_certificate',
        leaf,
        0,
        `extendedKeyUsage ${lx.extendedKeyUsage!.join(', ')} does not include ${purpose}`,
      );
    const need: KeyUsageName[] = isKemAlgorithm(leaf.publicKey.alg)
      ? ['keyEncipherment']
      : purpose === 'serverAuth' || purpose === 'clientAuth'
        ? ['digitalSignature']
        : ['digitalSignature', 'nonRepudiation'];
    if (lx.keyUsage && !need.some((u) => lx.keyUsage!.includes(u)))
      fail(
        E.CERT_USAGE,
        'unsupported_certificate',
        leaf,
        0,
        `keyUsage ${lx.keyUsage.join(', ')} lacks ${need.join(' or ')} needed for ${purpose}`,
      );
  }
  if (opts.hostname !== undefined && !matchesHostname(leaf, opts.hostname)) {
    const san = lx.subjectAltName;
    const names = san ? [...san.dns, ...san.ip] : [];
    fail(
      E.CERT_HOSTNAME_MISMATCH,
      'bad_certificate',
      leaf,
      0,
      `not valid for "${opts.hostname}" (subjectAltName: ${names.join(', ') || 'none'})`,
    );
  }
  return { chain, trustAnchor: anchor };
}

function ekuAllows(eku: string[] | undefined, purpose: Purpose): boolean {
  if (!eku || purpose === 'any') return true;
  return eku.includes(purpose) || eku.includes('anyExtendedKeyUsage') || eku.includes(EKU_OIDS[purpose]!);
}

/**
 * RFC 6125 §6.4 matching of `host` against the certificate's SAN: DNS names
 * case-insensitively, a wildcard only as the entire left-most label and
 * matching exactly one label (`*.example.com` matches `a.example.com`, not
 * `example.com` or `a.b.example.com`), IP addresses against iPAddress
 * entries only. The subject CN is not consulted (RFC 6125 §6.4.4 / CA/B BR).
 */
export function matchesHostname(cert: Certificate, host: string): boolean {
  if (!(cert instanceof Certificate))
    throw new QsignError('ERR_INVALID_ARGUMENT', 'matchesHostname needs a Certificate (Certificate.parse)');
  if (typeof host !== 'string') throw new QsignError('ERR_INVALID_ARGUMENT', 'the host name must be a string');
  const san = cert.extensions.subjectAltName;
  if (!san) return false;
  if (isIp(host)) return san.ip.some((ip) => normIp(ip) === normIp(host));
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === '' || h.includes('*')) return false;
  return san.dns.some((pattern) => matchDns(pattern.toLowerCase().replace(/\.$/, ''), h));
}

function matchDns(pattern: string, host: string): boolean {
  if (!pattern.includes('*')) return pattern === host;
  const pl = pattern.split('.');
  const hl = host.split('.');
  // Only "*" as the whole first label, and at least two labels after it
  // (never "*.com"), per RFC 6125 §6.4.3 and common practice.
  if (pl[0] !== '*' || pl.slice(1).some((l) => l.includes('*')) || pl.length < 3) return false;
  if (hl.length !== pl.length) return false;
  return hl.slice(1).join('.') === pl.slice(1).join('.') && hl[0]!.length > 0;
}

function normIp(s: string): string {
  if (!s.includes(':')) return s;
  // Expand IPv6 so textual variants compare equal.
  const [head, tail] = s.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const fill = tail !== undefined ? Array(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16).toString(16)).join(':');
}
