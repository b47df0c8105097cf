/**
 * The seed §7.1 three-level CA (`create-oqs-ca.sh`) as one call: an ML-DSA
 * root, an intermediate (pathLen 0) and a TLS server certificate, verified
 * with {@link verifyChain} before it is returned so a broken hierarchy is
 * never handed out.
 */
import { createCertificate, parseSanList, type Certificate } from './cert.js';
import { generateKey, isSignatureAlgorithm, type DecodedPrivateKey, type KeyAlgorithm } from './keys.js';
import { verifyChain } from './verify.js';
import { QsignError } from '../errors.js';
import { X509ErrorCodes as E } from './errors.js';

/** Options for {@link createCaHierarchy}. */
export interface CaHierarchyOptions {
  /** Root key algorithm, ML-DSA or SLH-DSA; default ML-DSA-87 (seed: Dilithium5 root). */
  rootAlg?: KeyAlgorithm;
  /** Intermediate and server key algorithm; default ML-DSA-65 (seed: Dilithium3). */
  alg?: KeyAlgorithm;
  /** Server common name; default server.example.com. Always also a DNS SAN. */
  cn?: string;
  /** Extra SANs (`*.example.com`, `IP:10.0.0.1`, `DNS:…`, `URI:…`, `email:…`). */
  san?: string[];
  /** Server certificate lifetime; default 365. Root gets 3650, intermediate 1825 (at least `days`+1). */
  days?: number;
  /** Organization put in every subject; default "qsign". */
  organization?: string;
  now?: Date;
}

export interface CaLevel {
  certificate: Certificate;
  key: DecodedPrivateKey;
}

/**
 * The three levels {@link createCaHierarchy} made (each a certificate and its private key) and the chain a
 * TLS server sends.
 *
 * @example
 * ```ts
 * const ca = await createCaHierarchy({ cn: 'api.example.com', san: ['DNS:www.example.com'] });
 * writeFileSync('chain.pem', ca.chainPem);
 * writeFileSync('server.key', encodePKCS8Pem(ca.server.key.alg, ca.server.key));
 * ```
 */
export interface CaHierarchy {
  root: CaLevel;
  intermediate: CaLevel;
  server: CaLevel;
  /** server.crt followed by intermediate-ca.crt (what a TLS server sends). */
  chainPem: string;
}

/** Creates and verifies root → intermediate → server. */
export async function createCaHierarchy(opts: CaHierarchyOptions = {}): Promise<CaHierarchy> {
  const rootAlg = opts.rootAlg ?? 'ML-DSA-87';
  const alg = opts.alg ?? 'ML-DSA-65';
  const cn = opts.cn ?? 'server.example.com';
  const days = opts.days ?? 365;
  const org = (opts.organization ?? 'qsign').replace(/([,+\\=])/g, '\\$1');
  const now = opts.now ?? new Date();
  if (!isSignatureAlgorithm(rootAlg))
    throw new QsignError(
      E.INVALID_CERT_REQUEST,
      `root algorithm must be ML-DSA or SLH-DSA (a KEM key cannot sign certificates), got ${rootAlg}`,
    );
  const notBefore = new Date(now.getTime() - 5 * 60_000);
  const interDays = Math.max(1825, days + 1);
  const rootDays = Math.max(3650, interDays + 1);
  const rk = generateKey(rootAlg);
  const root = await createCertificate(
    { subject: `CN=Root CA,O=${org}`, publicKey: rk, ca: true, notBefore, days: rootDays },
    { key: rk },
  );
  // Intermediate CAs sign, so they are ML-DSA-65 when the server key is ML-KEM.
  const ik = generateKey(isSignatureAlgorithm(alg) ? alg : 'ML-DSA-65');
  const inter = await createCertificate(
    { subject: `CN=Intermediate CA,O=${org}`, publicKey: ik, ca: true, pathLength: 0, notBefore, days: interDays },
    { key: rk, certificate: root },
  );
  const sk = generateKey(alg);
  const san = parseSanList([cn, ...(opts.san ?? [])]);
  san.dns = [...new Set(san.dns)];
  const server = await createCertificate(
    {
      subject: `CN=${cn.replace(/([,+\\=])/g, '\\$1')},O=${org}`,
      publicKey: sk,
      notBefore,
      days,
      extendedKeyUsage: ['serverAuth'],
      subjectAltName: san,
    },
    { key: ik, certificate: inter },
  );
  await verifyChain(server, {
    trustAnchors: [root],
    intermediates: [inter],
    time: now,
    purpose: isSignatureAlgorithm(alg) ? 'serverAuth' : 'any',
  });
  return {
    root: { certificate: root, key: rk },
    intermediate: { certificate: inter, key: ik },
    server: { certificate: server, key: sk },
    chainPem: server.pem + inter.pem,
  };
}
