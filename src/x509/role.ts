/**
 * Role-based issuance, the Vault PKI model from seed §4.2: a named role says
 * which names, key algorithms, lifetimes and usages a certificate may have,
 * and every request (`issue`: we generate the key; `sign`: the caller sends
 * a CSR) is checked against it before anything is signed. A violation is a
 * QsignError whose code names the rule (ERR_ROLE_DOMAIN_NOT_ALLOWED, …) and
 * whose message quotes the offending value and the role setting.
 */
import { QsignError } from '../errors.js';
import { aliasHint, findAlgorithm, type SlhDsaName } from '../registry.js';
import { requireDate, requireObject, requireString } from '../util/guard.js';
import {
  Certificate,
  checkIssuer,
  createCertificate,
  isIp,
  keyUsageViolation,
  ML_DSA_KEY_USAGES,
  type CertificateOptions,
  type Issuer,
  type KeyUsageName,
} from './cert.js';
import { Csr } from './csr.js';
import { X509ErrorCodes as E } from './errors.js';
import {
  generateKey,
  isKemAlgorithm,
  isSignatureAlgorithm,
  KEY_OIDS,
  type DecodedPrivateKey,
  type KeyAlgorithm,
} from './keys.js';

/** A role (camelCase of Vault's PKI role fields, plus PQC key types). */
export interface RolePolicy {
  /** Used in error messages. */
  name?: string;
  /** Domains names must fall under (see allowBareDomains/allowSubdomains/allowGlobDomains). */
  allowedDomains?: string[];
  /** Names equal to an allowed domain. Default false (as Vault). */
  allowBareDomains?: boolean;
  /** Names below an allowed domain (`a.example.com`, and `*.example.com` when wildcards are allowed). Default false. */
  allowSubdomains?: boolean;
  /** allowedDomains entries are globs (`*` matches any characters). Default false. */
  allowGlobDomains?: boolean;
  /** Wildcard names like `*.example.com`. Default true (as Vault). */
  allowWildcardCertificates?: boolean;
  /** Any name at all. Default false. */
  allowAnyName?: boolean;
  /** IP subjectAltNames. Default true (as Vault). */
  allowIpSans?: boolean;
  /** Glob patterns for URI SANs; none allowed when empty. */
  allowedUriSans?: string[];
  /** Key algorithms a subject key may use. Default: all ML-DSA, SLH-DSA and ML-KEM sets. */
  allowedKeyTypes?: KeyAlgorithm[];
  /** Key algorithm for `issue` (we generate the key). Default ML-DSA-65. */
  keyType?: KeyAlgorithm;
  /** Default lifetime in seconds (or "72h", "30d"). Default min(maxTtl, 30 days). */
  ttl?: number | string;
  /** Longest lifetime allowed, seconds or duration string. Default 365 days. */
  maxTtl?: number | string;
  /** keyUsage for ML-DSA subject keys (must satisfy RFC 9881). Default digitalSignature. ML-KEM keys always get keyEncipherment (RFC 9935). */
  keyUsage?: KeyUsageName[];
  /** EKU names/OIDs; default from serverFlag/clientFlag. */
  extKeyUsage?: string[];
  /** Add serverAuth (default true). */
  serverFlag?: boolean;
  /** Add clientAuth (default true). */
  clientFlag?: boolean;
  /** `sign`: take CN from the CSR when the request gives none (default true). */
  useCsrCommonName?: boolean;
  /** `sign`: take SANs from the CSR's extensionRequest (default true). */
  useCsrSans?: boolean;
  /**
   * `sign`: honour the CSR's requested keyUsage and extendedKeyUsage instead
   * of the role's (default false, so the role decides). A requested CA
   * basicConstraints is never honoured: roles issue end-entity certificates.
   */
  useCsrExtensions?: boolean;
}

/** What a caller asks a role for. */
export interface IssueRequest {
  commonName?: string;
  /** DNS names or emails (Vault `alt_names`). */
  altNames?: string[];
  ipSans?: string[];
  uriSans?: string[];
  /** Seconds or duration string. */
  ttl?: number | string;
  /** `issue` only: overrides role.keyType (must be allowed). */
  keyType?: KeyAlgorithm;
}

const DAY = 86_400;

/** Seconds from a number or a Go-style duration ("90s", "15m", "72h", "30d"; units may combine: "1h30m"). */
export function parseTtl(v: number | string, what = 'ttl'): number {
  if (typeof v === 'number') {
    if (!(v > 0) || !Number.isFinite(v))
      throw new QsignError(E.ROLE_INVALID, `${what} must be a positive number of seconds`);
    return v;
  }
  if (/^\d+$/.test(v)) return parseTtl(Number(v), what);
  const re = /(\d+)(s|m|h|d)/gy;
  let total = 0,
    m: RegExpExecArray | null,
    consumed = 0;
  while ((m = re.exec(v))) {
    total += Number(m[1]) * { s: 1, m: 60, h: 3600, d: DAY }[m[2] as 's'];
    consumed = re.lastIndex;
  }
  if (consumed !== v.length || total <= 0)
    throw new QsignError(E.ROLE_INVALID, `${what} "${v}" is not a duration like 3600, "72h" or "30d"`);
  return total;
}

function roleName(role: RolePolicy): string {
  requireObject('role', role);
  return role.name ? `role "${role.name}"` : 'role';
}

function glob(pattern: string, s: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .toLowerCase()
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
  return re.test(s.toLowerCase());
}

/** Throws ERR_ROLE_DOMAIN_NOT_ALLOWED unless `name` is allowed by the role's domain rules. */
export function checkDomain(role: RolePolicy, name: string, what = 'name'): void {
  roleName(role);
  const n = requireString(what, name).toLowerCase().replace(/\.$/, '');
  const r = roleName(role);
  if (n.startsWith('*.') || n.includes('*')) {
    if (role.allowWildcardCertificates === false)
      throw new QsignError(
        E.ROLE_DOMAIN_NOT_ALLOWED,
        `${r}: ${what} "${name}" is a wildcard and allow_wildcard_certificates is false`,
      );
    if (!n.startsWith('*.') || n.slice(2).includes('*'))
      throw new QsignError(
        E.ROLE_DOMAIN_NOT_ALLOWED,
        `${r}: ${what} "${name}" is not a valid wildcard (only a whole left-most "*" label is allowed, RFC 6125)`,
      );
  }
  if (role.allowAnyName) return;
  const domains = (role.allowedDomains ?? []).map((d) => d.toLowerCase().replace(/\.$/, ''));
  for (const d of domains) {
    if (role.allowBareDomains && n === d) return;
    if (role.allowSubdomains && n.endsWith('.' + d) && n.length > d.length + 1) return;
    if (role.allowGlobDomains && d.includes('*') && glob(d, n)) return;
  }
  const flags = `allow_bare_domains=${!!role.allowBareDomains}, allow_subdomains=${!!role.allowSubdomains}, allow_glob_domains=${!!role.allowGlobDomains}`;
  throw new QsignError(
    E.ROLE_DOMAIN_NOT_ALLOWED,
    `${r}: ${what} "${name}" is not allowed by allowed_domains [${domains.join(', ')}] (${flags})`,
  );
}

/** Throws ERR_ROLE_KEY_TYPE_NOT_ALLOWED unless `alg` is allowed. */
export function checkKeyType(role: RolePolicy, alg: KeyAlgorithm): void {
  roleName(role);
  requireString('key algorithm', alg);
  if (!(alg in KEY_OIDS))
    throw new QsignError(E.ROLE_KEY_TYPE_NOT_ALLOWED, `${roleName(role)}: key algorithm "${alg}" is not supported`);
  const allowed = role.allowedKeyTypes ?? (Object.keys(KEY_OIDS) as KeyAlgorithm[]);
  if (!allowed.includes(alg))
    throw new QsignError(
      E.ROLE_KEY_TYPE_NOT_ALLOWED,
      `${roleName(role)}: key algorithm ${alg} is not in allowed_key_types [${allowed.join(', ')}]`,
    );
}

/** The certificate lifetime in seconds after checking max_ttl and the CA's own expiry. */
export function resolveTtl(
  role: RolePolicy,
  requested: number | string | undefined,
  ca: Certificate | undefined,
  now: Date,
): number {
  roleName(role);
  requireDate('now', now);
  if (ca !== undefined && !(ca instanceof Certificate))
    throw new QsignError('ERR_INVALID_ARGUMENT', 'the CA must be a Certificate (or undefined)');
  const max = parseTtl(role.maxTtl ?? 365 * DAY, 'max_ttl');
  const ttl =
    requested !== undefined
      ? parseTtl(requested)
      : role.ttl !== undefined
        ? parseTtl(role.ttl, 'role ttl')
        : Math.min(max, 30 * DAY);
  if (ttl > max)
    throw new QsignError(E.ROLE_TTL_EXCEEDED, `${roleName(role)}: requested ttl ${ttl}s exceeds max_ttl ${max}s`);
  if (ca && now.getTime() + ttl * 1000 > ca.notAfter.getTime()) {
    throw new QsignError(
      E.ROLE_TTL_EXCEEDED,
      `${roleName(role)}: ttl ${ttl}s would outlive the issuing CA "${ca.subject}" (expires ${ca.notAfter.toISOString()})`,
    );
  }
  return ttl;
}

/** Resolved certificate options (everything except the subject key) for a request under a role. */
export function applyRole(
  role: RolePolicy,
  req: IssueRequest & { keyAlg: KeyAlgorithm; csr?: Csr },
  ca: Certificate | undefined,
  now = new Date(),
): Omit<CertificateOptions, 'publicKey'> {
  const r = roleName(role);
  requireObject('issue request', req);
  requireDate('now', now);
  if (req.csr !== undefined && !(req.csr instanceof Csr))
    throw new QsignError('ERR_INVALID_ARGUMENT', 'request csr must be a Csr (Csr.parse)');
  if (ca !== undefined && !(ca instanceof Certificate))
    throw new QsignError('ERR_INVALID_ARGUMENT', 'the CA must be a Certificate (or undefined)');
  checkKeyType(role, req.keyAlg);
  const csrX = req.csr?.requestedExtensions;
  const csrSan = req.csr && role.useCsrSans !== false ? csrX?.subjectAltName : undefined;
  const csrCn = req.csr && role.useCsrCommonName !== false ? /(?:^|,)CN=([^,]+)/.exec(req.csr.subject)?.[1] : undefined;
  const cn = req.commonName ?? csrCn;
  const dns = new Set<string>();
  const email = new Set<string>();
  for (const a of [...(req.altNames ?? []), ...(csrSan?.dns ?? []), ...(csrSan?.email ?? [])])
    (a.includes('@') ? email : dns).add(a);
  const ips = [...(req.ipSans ?? []), ...(csrSan?.ip ?? [])];
  const uris = [...(req.uriSans ?? []), ...(csrSan?.uri ?? [])];
  if (!cn && dns.size === 0 && email.size === 0 && ips.length === 0 && uris.length === 0) {
    throw new QsignError(E.ROLE_INVALID, `${r}: the request names no subject (common_name or alt_names)`);
  }
  // Vault adds a hostname CN to the DNS SANs; an email-like CN goes to email SANs.
  if (cn) {
    if (cn.includes('@')) email.add(cn);
    else if (isIp(cn)) ips.push(cn);
    else dns.add(cn);
  }
  for (const d of dns) checkDomain(role, d, 'DNS name');
  for (const m of email) checkDomain(role, m.slice(m.lastIndexOf('@') + 1), `email "${m}" domain`);
  if (ips.length && role.allowIpSans === false)
    throw new QsignError(E.ROLE_IP_SAN_NOT_ALLOWED, `${r}: IP SAN ${ips[0]} requested but allow_ip_sans is false`);
  for (const u of uris) {
    if (!(role.allowedUriSans ?? []).some((p) => glob(p, u)))
      throw new QsignError(
        E.ROLE_URI_SAN_NOT_ALLOWED,
        `${r}: URI SAN "${u}" is not in allowed_uri_sans [${(role.allowedUriSans ?? []).join(', ')}]`,
      );
  }
  const ttl = resolveTtl(role, req.ttl, ca, now);

  let keyUsage: KeyUsageName[];
  if (isKemAlgorithm(req.keyAlg))
    keyUsage = ['keyEncipherment']; // RFC 9935 §5: the only permitted usage
  else {
    const wanted = (role.useCsrExtensions && csrX?.keyUsage) || role.keyUsage || ['digitalSignature'];
    // Vault's default role usages include keyEncipherment/keyAgreement, which
    // RFC 9881 §5 forbids for ML-DSA; keep only the permitted ones.
    keyUsage = wanted.filter((u) => ML_DSA_KEY_USAGES.includes(u) && u !== 'keyCertSign' && u !== 'cRLSign');
    if (keyUsage.length === 0) keyUsage = ['digitalSignature'];
  }
  const v = keyUsageViolation(req.keyAlg, keyUsage);
  if (v) throw new QsignError(E.ROLE_INVALID, `${r}: ${v}`);
  let eku = role.extKeyUsage ?? [
    ...(role.serverFlag !== false ? ['serverAuth'] : []),
    ...(role.clientFlag !== false ? ['clientAuth'] : []),
  ];
  if (role.useCsrExtensions && csrX?.extendedKeyUsage) eku = csrX.extendedKeyUsage;
  const notBefore = new Date(now.getTime() - 30_000);
  return {
    subject: cn ? `CN=${cn.replace(/([,+\\=])/g, '\\$1')}` : '',
    notBefore,
    notAfter: new Date(now.getTime() + ttl * 1000),
    keyUsage,
    extendedKeyUsage: eku,
    subjectAltName: { dns: [...dns], ip: ips, uri: uris, email: [...email] },
  };
}

/** Result of {@link issueFromRole} / {@link signCsrWithRole}. */
export interface IssuedCertificate {
  certificate: Certificate;
  /** Present for `issue` (the key we generated). */
  privateKey?: DecodedPrivateKey;
}

/** Vault `issue/:role`: generate a key of role.keyType and issue a certificate for it. */
export async function issueFromRole(
  role: RolePolicy,
  req: IssueRequest,
  ca: Issuer,
  now = new Date(),
): Promise<IssuedCertificate> {
  roleName(role);
  requireObject('issue request', req);
  checkIssuer(ca);
  const keyAlg = req.keyType ?? role.keyType ?? 'ML-DSA-65';
  const opts = applyRole(role, { ...req, keyAlg }, ca.certificate, now);
  const privateKey = generateKey(keyAlg);
  const certificate = await createCertificate({ ...opts, publicKey: privateKey }, ca);
  return { certificate, privateKey };
}

/** Vault `sign/:role`: verify the CSR's self-signature, apply the role, issue. */
export async function signCsrWithRole(
  role: RolePolicy,
  csr: Csr,
  req: IssueRequest,
  ca: Issuer,
  now = new Date(),
): Promise<IssuedCertificate> {
  roleName(role);
  if (!(csr instanceof Csr)) throw new QsignError('ERR_INVALID_ARGUMENT', 'signCsrWithRole needs a Csr (Csr.parse)');
  requireObject('issue request', req);
  checkIssuer(ca);
  requireDate('now', now);
  await csr.assertValid();
  // A requested basicConstraints CA:TRUE is dropped, never honoured: applyRole
  // builds end-entity options only (roles cannot mint CAs).
  const opts = applyRole(role, { ...req, keyAlg: csr.publicKey.alg, csr }, ca.certificate, now);
  return { certificate: await createCertificate({ ...opts, publicKey: csr.publicKey }, ca) };
}

/** Converts a Vault-style snake_case role JSON (as `qsign cert issue --role` and the handler accept) to a RolePolicy. */
export function roleFromJson(json: Record<string, unknown>, name?: string): RolePolicy {
  requireObject('role JSON', json);
  if (name !== undefined) requireString('role name', name);
  const list = (v: unknown): string[] | undefined =>
    v === undefined
      ? undefined
      : Array.isArray(v)
        ? v.map(String)
        : String(v)
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
  const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : v === true || v === 'true');
  const get = (snake: string, camel: string) => json[snake] ?? json[camel];
  const role: RolePolicy = {};
  const n = name ?? (json.name as string | undefined);
  if (n) role.name = n;
  const set = <K extends keyof RolePolicy>(k: K, v: RolePolicy[K] | undefined) => {
    if (v !== undefined) role[k] = v;
  };
  set('allowedDomains', list(get('allowed_domains', 'allowedDomains')));
  set('allowBareDomains', bool(get('allow_bare_domains', 'allowBareDomains')));
  set('allowSubdomains', bool(get('allow_subdomains', 'allowSubdomains')));
  set('allowGlobDomains', bool(get('allow_glob_domains', 'allowGlobDomains')));
  set('allowWildcardCertificates', bool(get('allow_wildcard_certificates', 'allowWildcardCertificates')));
  set('allowAnyName', bool(get('allow_any_name', 'allowAnyName')));
  set('allowIpSans', bool(get('allow_ip_sans', 'allowIpSans')));
  set('allowedUriSans', list(get('allowed_uri_sans', 'allowedUriSans')));
  const kt = list(get('allowed_key_types', 'allowedKeyTypes'));
  if (kt) role.allowedKeyTypes = kt.map((k) => keyAlg(k, role));
  const t = get('key_type', 'keyType');
  if (t !== undefined) role.keyType = keyAlg(String(t), role);
  set('ttl', get('ttl', 'ttl') as string | number | undefined);
  set('maxTtl', get('max_ttl', 'maxTtl') as string | number | undefined);
  set('keyUsage', list(get('key_usage', 'keyUsage'))?.map(kuName) as KeyUsageName[] | undefined);
  set('extKeyUsage', list(get('ext_key_usage', 'extKeyUsage'))?.map(ekuName));
  set('serverFlag', bool(get('server_flag', 'serverFlag')));
  set('clientFlag', bool(get('client_flag', 'clientFlag')));
  set('useCsrCommonName', bool(get('use_csr_common_name', 'useCsrCommonName')));
  set('useCsrSans', bool(get('use_csr_sans', 'useCsrSans')));
  set('useCsrExtensions', bool(get('use_csr_extensions', 'useCsrExtensions')));
  if (role.ttl !== undefined) parseTtl(role.ttl, 'ttl');
  if (role.maxTtl !== undefined) parseTtl(role.maxTtl, 'max_ttl');
  return role;
}

/** Vault spells key usages `DigitalSignature`; accept both spellings. */
function kuName(s: string): string {
  const lc = s.charAt(0).toLowerCase() + s.slice(1);
  return lc === 'crlSign' || lc === 'cRLSign' ? 'cRLSign' : lc;
}

/** Vault spells EKUs `ServerAuth`; accept both spellings. */
function ekuName(s: string): string {
  return /^\d/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}

/** Canonical key algorithm from a name or seed alias (dilithium3 → ML-DSA-65). */
export function keyAlg(s: string, role?: RolePolicy): KeyAlgorithm {
  requireString('key type', s);
  // Every spelling the registry knows, restricted to what has an X.509 OID here.
  const name = findAlgorithm(s)?.name;
  const hit = name !== undefined && Object.hasOwn(KEY_OIDS, name) ? (name as KeyAlgorithm) : undefined;
  if (!hit)
    throw new QsignError(
      role ? E.ROLE_KEY_TYPE_NOT_ALLOWED : E.UNSUPPORTED_ALGORITHM,
      `unknown key algorithm "${s}"${keyAlgHint(s, name)}; expected ${Object.keys(KEY_OIDS).join(', ')}`,
    );
  return hit;
}

/** What the user probably meant: the pure set of a HashSLH-DSA name, or the sets a truncated name starts. */
function keyAlgHint(input: string, known: string | undefined): string {
  const pure = known?.startsWith('HashSLH-DSA-') ? known.slice(4).replace(/-with-.*$/, '') : undefined;
  if (pure && Object.hasOwn(KEY_OIDS, pure)) {
    const aliases = aliasHint(pure as SlhDsaName);
    return ` (HashSLH-DSA is not a key type in X.509 here: use ${pure}${aliases ? `, also spelled ${aliases}` : ''})`;
  }
  const squash = (x: string) => x.toLowerCase().replace(/[\s_-]/g, '');
  const n = squash(input);
  const near = n.length >= 4 ? Object.keys(KEY_OIDS).filter((k) => squash(k).startsWith(n)) : [];
  return near.length ? ` (did you mean ${near.join(' or ')}?)` : '';
}

export { isSignatureAlgorithm };
