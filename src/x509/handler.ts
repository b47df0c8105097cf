/**
 * A Vault-PKI-shaped HTTP API as a fetch handler, `(Request) => Promise<Response>`,
 * so it mounts unchanged in Cloudflare Workers, Deno.serve, Bun.serve or a
 * Node adapter. Routes under the mount (default `/v1/oqs-pki/`), following
 * seed §4.2 and Vault's PKI engine:
 *
 * | method | path | body → `data` |
 * |---|---|---|
 * | POST | `root/generate/internal` | `{common_name, key_type?, ttl?}` → `{certificate, issuing_ca, serial_number, expiration}` |
 * | POST/GET | `roles/:name` | Vault role fields (`allowed_domains`, `allow_subdomains`, `max_ttl`, …) |
 * | POST | `issue/:role` | `{common_name, alt_names?, ip_sans?, uri_sans?, ttl?, key_type?}` → `{certificate, private_key, private_key_type, issuing_ca, ca_chain, serial_number, expiration}` |
 * | POST | `sign/:role` | `{csr, common_name?, alt_names?, ttl?}` → `{certificate, issuing_ca, ca_chain, serial_number, expiration}` |
 * | GET | `cert/:serial` (`ca` for the root) | → `{certificate}` |
 *
 * Errors answer `{errors: [message], error_code}` with 400 (policy/input, or a
 * non-canonical path), 403 (token), 404 (unknown role/serial/route), 405, or
 * 413 (body over the limit). State is in memory; pass `store` to persist it
 * elsewhere.
 *
 * The HTTP plumbing (canonical path, bounded JSON bodies, request ids, token
 * match, Vault error shape) is the shared kit in src/http/, the same as the
 * transit handler's. A token is required: serving without one needs the
 * explicit development flag `allowUnauthenticated: true`.
 */
import { QsignError } from '../errors.js';
import {
  canonicalPath,
  createTokenMatcher,
  DEFAULT_MAX_BODY_BYTES,
  field,
  HttpErrorCodes,
  jsonResponse,
  readJsonBody,
  requestId,
  requestPath,
  vaultEnvelope,
  vaultErrorResponse,
  type JsonObject,
} from '../http/index.js';
import { Certificate, createCertificate, type Issuer } from './cert.js';
import { Csr } from './csr.js';
import { X509ErrorCodes as E } from './errors.js';
import { encodePKCS8Pem, generateKey, type DecodedPrivateKey } from './keys.js';
import { issueFromRole, keyAlg, parseTtl, roleFromJson, signCsrWithRole, type RolePolicy } from './role.js';

/** Where the handler keeps its CA, roles and issued certificates. */
export interface PkiStore {
  ca?: { certificate: Certificate; key: DecodedPrivateKey };
  roles: Map<string, { policy: RolePolicy; raw: Record<string, unknown> }>;
  /** Serial (lowercase hex, no colons) → PEM. */
  certs: Map<string, string>;
}

/** Options for {@link createPkiHandler}. */
export interface PkiHandlerOptions {
  /** Path prefix; default `/v1/oqs-pki/`. */
  mount?: string;
  /**
   * Requests must carry `X-Vault-Token: <token>` (at least 8 characters; compared in constant time). Required
   * unless `allowUnauthenticated` is set.
   */
  token?: string;
  /**
   * Development only: serve every request without a token (anyone who reaches the handler can create a root CA
   * and issue certificates). Without a token and without this flag, `createPkiHandler` throws `ERR_HTTP_CONFIG`.
   */
  allowUnauthenticated?: boolean;
  /** Largest request body in bytes (default 32 MiB, as transit); more is 413 without buffering it. */
  limits?: { maxBodyBytes?: number };
  /** Default root key algorithm; default ML-DSA-87 (seed §7.1 uses Dilithium5 for the root). */
  rootKeyType?: string;
  store?: PkiStore;
  /** Clock for tests. */
  now?: () => Date;
}

function vault(data: Record<string, unknown>, warnings: string[] | null = null): Response {
  return jsonResponse(200, vaultEnvelope(requestId(), data, warnings));
}

function errorResponse(e: unknown): Response {
  return vaultErrorResponse(e, undefined, { withCode: true });
}

/** Vault prints serials as colon-separated hex pairs. */
export function vaultSerial(hex: string): string {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]+$/.test(hex))
    throw new QsignError('ERR_INVALID_ARGUMENT', 'a serial number must be a non-empty hex string');
  const h = hex.length % 2 ? '0' + hex : hex;
  return h.match(/../g)!.join(':');
}

function normSerial(s: string): string {
  return s
    .toLowerCase()
    .replace(/[:-]/g, '')
    .replace(/^0+(?=.)/, '');
}

const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));
const list = (v: unknown) =>
  v === undefined || v === null || v === ''
    ? undefined
    : Array.isArray(v)
      ? v.map(String)
      : String(v)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);

/**
 * Creates the handler. Requests outside the mount get 404; the handler
 * never throws (errors become JSON responses).
 */
export function createPkiHandler(options: PkiHandlerOptions = {}): (req: Request) => Promise<Response> {
  const mount = canonicalPath((options.mount ?? '/v1/oqs-pki/').replace(/\/+$/, ''));
  const maxBytes = options.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (options.token === undefined && options.allowUnauthenticated !== true)
    throw new QsignError(
      HttpErrorCodes.CONFIG,
      'createPkiHandler needs a token (or allowUnauthenticated: true, for development only)',
    );
  const tokenOk =
    options.token === undefined ? undefined : createTokenMatcher([{ token: options.token, value: true as const }]);
  const store: PkiStore = options.store ?? { roles: new Map(), certs: new Map() };
  const now = options.now ?? (() => new Date());

  const needCa = (): Issuer & { certificate: Certificate } => {
    if (!store.ca) throw new QsignError(E.ROLE_INVALID, 'no CA configured: POST root/generate/internal first');
    return { certificate: store.ca.certificate, key: store.ca.key };
  };
  const needRole = (name: string) => {
    const r = store.roles.get(name);
    if (!r) throw new QsignError(HttpErrorCodes.NOT_FOUND, `unknown role "${name}"`);
    return r.policy;
  };
  const record = (c: Certificate) => {
    store.certs.set(normSerial(c.serialNumber), c.pem);
  };
  const issued = (c: Certificate, extra: Record<string, unknown> = {}) => {
    const ca = needCa().certificate;
    return vault({
      certificate: c.pem.trimEnd(),
      issuing_ca: ca.pem.trimEnd(),
      ca_chain: [ca.pem.trimEnd()],
      serial_number: vaultSerial(c.serialNumber),
      expiration: Math.floor(c.notAfter.getTime() / 1000),
      ...extra,
    });
  };

  return async (req: Request): Promise<Response> => {
    try {
      // One canonical path: a spelling that is not canonical is refused (400) before anything else.
      const canonical = requestPath(req);
      if (!canonical.startsWith(mount + '/'))
        throw new QsignError(HttpErrorCodes.NOT_FOUND, `no route for ${canonical}`);
      if (tokenOk !== undefined && tokenOk(req.headers.get('x-vault-token')) !== true) {
        throw new QsignError(HttpErrorCodes.FORBIDDEN, 'permission denied: missing or wrong X-Vault-Token');
      }
      const path = canonical.slice(mount.length + 1).split('/');
      const method = req.method.toUpperCase();
      const body = (): Promise<JsonObject> => readJsonBody(req, { maxBytes });
      const [head, arg] = path;

      if (path.join('/') === 'root/generate/internal' && (method === 'POST' || method === 'PUT')) {
        const b = await body();
        const cn = str(field(b, 'common_name'));
        if (!cn) throw new QsignError('ERR_INVALID_ARGUMENT', 'common_name is required');
        const alg = keyAlg(
          str(field(b, 'key_type')) ?? str(field(b, 'algorithm')) ?? options.rootKeyType ?? 'ML-DSA-87',
        );
        const key = generateKey(alg);
        const ttl = field(b, 'ttl') !== undefined ? parseTtl(field(b, 'ttl') as string | number) : 10 * 365 * 86_400;
        const t = now();
        const certificate = await createCertificate(
          {
            subject: `CN=${cn.replace(/([,+\\=])/g, '\\$1')}`,
            publicKey: key,
            ca: true,
            notBefore: new Date(t.getTime() - 30_000),
            notAfter: new Date(t.getTime() + ttl * 1000),
          },
          { key },
        );
        store.ca = { certificate, key };
        record(certificate);
        return vault({
          certificate: certificate.pem.trimEnd(),
          issuing_ca: certificate.pem.trimEnd(),
          serial_number: vaultSerial(certificate.serialNumber),
          expiration: Math.floor(certificate.notAfter.getTime() / 1000),
          key_type: alg,
        });
      }
      if (head === 'roles' && arg && path.length === 2) {
        if (method === 'GET') {
          const r = store.roles.get(arg);
          if (!r) throw new QsignError(HttpErrorCodes.NOT_FOUND, `unknown role "${arg}"`);
          return vault(r.raw);
        }
        if (method === 'POST' || method === 'PUT') {
          const raw = await body();
          store.roles.set(arg, { policy: roleFromJson(raw, arg), raw });
          return new Response(null, { status: 204 });
        }
        if (method === 'DELETE') {
          store.roles.delete(arg);
          return new Response(null, { status: 204 });
        }
        throw new QsignError(HttpErrorCodes.METHOD, `${method} not allowed on roles/${arg}`);
      }
      if ((head === 'issue' || head === 'sign') && arg && path.length === 2) {
        if (method !== 'POST' && method !== 'PUT')
          throw new QsignError(HttpErrorCodes.METHOD, `${method} not allowed on ${head}/${arg}`);
        const role = needRole(arg);
        const b = await body();
        const request = {
          commonName: str(field(b, 'common_name')),
          altNames: list(field(b, 'alt_names')),
          ipSans: list(field(b, 'ip_sans')),
          uriSans: list(field(b, 'uri_sans')),
          ttl: field(b, 'ttl') as string | number | undefined,
          keyType: str(field(b, 'key_type')) ? keyAlg(str(field(b, 'key_type'))!, role) : undefined,
        };
        if (head === 'issue') {
          const r = await issueFromRole(role, request, needCa(), now());
          record(r.certificate);
          return issued(r.certificate, {
            private_key: encodePKCS8Pem(r.privateKey!.alg, r.privateKey!).trimEnd(),
            private_key_type: r.privateKey!.alg,
          });
        }
        const pem = str(field(b, 'csr'));
        if (!pem) throw new QsignError('ERR_INVALID_ARGUMENT', 'csr is required');
        const r = await signCsrWithRole(role, Csr.parse(pem), request, needCa(), now());
        record(r.certificate);
        return issued(r.certificate);
      }
      if (head === 'cert' && arg && path.length === 2 && method === 'GET') {
        if (arg === 'ca') return vault({ certificate: needCa().certificate.pem.trimEnd() });
        const pem = store.certs.get(normSerial(arg));
        if (!pem) throw new QsignError(HttpErrorCodes.NOT_FOUND, `no certificate with serial ${arg}`);
        return vault({ certificate: pem.trimEnd() });
      }
      throw new QsignError(HttpErrorCodes.NOT_FOUND, `no route for ${method} ${canonical}`);
    } catch (e) {
      return errorResponse(e);
    }
  };
}
