/**
 * The QSIGN demo service (seed §10.1) as one fetch-style handler, on Web APIs
 * only, so Node (examples/demo/service.mjs: SQLite + files) and Deno
 * (examples/deno-server: in memory) run the same code:
 *
 *   Keycloak role   POST /token, GET /certs, GET /.well-known/openid-configuration
 *   Service role    POST /api/enroll (first login: the demo CA certifies the page's ML-DSA-65 key
 *                   and its ML-KEM-768 recipient key), POST /api/sign (raw signature, plus the
 *                   page's detached CMS SignedData checked with qsign-pqc/cms), GET /api/documents/:id,
 *                   GET /api/documents/:id/p7s (the stored CMS), GET /api/documents/:id/cms (the
 *                   document as ML-KEM CMS AuthEnvelopedData to the account's recipient certificate),
 *                   GET /api/ca
 *   Vault role      /v1/oqs-transit/* (the SDK's transit handler, same keyring)
 *   Admin           POST /admin/* (rotate the token signing key, rotate the data key,
 *                   raise/lower min_decryption_version, forge an expired token,
 *                   unbind a user's signing key)
 *
 * POST /token is throttled per account and per client, with bounded
 * concurrent password hashing (limits.mjs). A document is accepted only
 * when signed by the key the demo CA certified for the account.
 *
 * State goes through a small `store` adapter (users, a key-value table for the
 * sealed issuer ring, documents) plus the transit Keyring's own store; secrets
 * at rest are sealed with the master key. The APISIX TLS hop of the seed is
 * out of scope (a browser's own TLS stack is not ours to change): the server
 * binds 127.0.0.1 only. See docs/seed-map.md.
 */
// The callers check that dist/ exists before importing this file.
import { init, ml_dsa65, sha3_256, backend } from '../../dist/index.js';
import { SigningKeyRing, createIssuerHandler, createRemoteJWKSet, jwtVerify } from '../../dist/jose/index.js';
import {
  createTransitHandler,
  httpStatusFor,
  TransitErrorCodes,
  toBase64,
  fromBase64,
} from '../../dist/transit/index.js';
import {
  Certificate,
  Csr,
  createCertificate,
  decodePKCS8,
  encodePKCS8,
  generateKey,
  verifyChain,
} from '../../dist/x509/index.js';
import { encryptData, verifySignedData } from '../../dist/cms/index.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { createLoginThrottle, LOGIN_LIMITS, TooManyAttempts } from './limits.mjs';

/** Largest document accepted by POST /api/sign, in bytes (the page sends a signed manifest for bigger files). */
export const DOCUMENT_LIMIT = 8 * 1024 * 1024;
/** JSON body limit: base64 of DOCUMENT_LIMIT plus key, signature and names. */
const BODY_LIMIT = Math.ceil(DOCUMENT_LIMIT / 3) * 4 + 64 * 1024 + Math.ceil((64 * 1024) / 3) * 4;
export const AUDIENCE = 'qsign-api';
export const CLIENT_ID = 'qsign-demo';
export const SIGNING_KEY = 'signing-key';
export const DATA_KEY = 'data-key';
/** `QSIGN_<USER>_PASSWORD` where the runtime exposes env (Node, Deno with --allow-env). */
function envPassword(username) {
  const name = `QSIGN_${username.toUpperCase()}_PASSWORD`;
  try {
    return globalThis.process?.env?.[name] ?? globalThis.Deno?.env.get(name);
  } catch {
    return undefined; // Deno without --allow-env
  }
}
/** Default demo passwords (documented in README "## Demo"); override with QSIGN_ALICE_PASSWORD / QSIGN_BOB_PASSWORD on first start. */
export const DEFAULT_USERS = [
  { username: 'alice', password: 'alice-pqc-demo', name: 'Alice Kim' },
  { username: 'bob', password: 'bob-pqc-demo', name: 'Bob Lee' },
];
// scrypt cost N=2^14, r=8: the common interactive-login setting; pure-JS scrypt costs ~1 s per login on a 2-core box at 2^15.
const SCRYPT = { N: 2 ** 14, r: 8, p: 1, dkLen: 32 };
const RING_AAD = new TextEncoder().encode('qsign-demo/issuer-ring/v1');
const CA_AAD = new TextEncoder().encode('qsign-demo/ca-key/v1');
/** Subject of the demo CA that certifies each account's ML-DSA-65 signing key. */
export const CA_SUBJECT = 'CN=QSIGN Demo CA,O=QSIGN demo';
const certKey = (userId) => `signing_cert:${userId}`;
const recipientKey = (userId) => `recipient_cert:${userId}`;
/** Largest CMS SignedData accepted beside a document; the page's (two ML-DSA-65 certificates, one signature, attributes) is about 14.5 KiB. */
const P7S_LIMIT = 64 * 1024;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A typed error the handler turns into a JSON response. */
export class DemoError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.name = 'DemoError';
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/** Reads a request body up to `limit` bytes without trusting Content-Length. */
async function readBody(request, limit) {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new DemoError(413, 'document_too_large', `request body over ${limit} bytes`);
  if (!request.body) return new Uint8Array(0);
  const parts = [];
  let n = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > limit) {
      await reader.cancel();
      throw new DemoError(413, 'document_too_large', `request body over ${limit} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function readJson(request, limit) {
  const bytes = await readBody(request, limit);
  const type = request.headers.get('content-type') ?? '';
  const text = dec.decode(bytes);
  if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v;
  } catch {
    throw new DemoError(400, 'invalid_request', 'body must be a JSON object');
  }
}

function b64field(body, field, { required = true, length } = {}) {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw new DemoError(400, 'invalid_request', `missing ${field}`);
    return undefined;
  }
  let bytes;
  try {
    bytes = fromBase64(String(v));
  } catch {
    throw new DemoError(400, 'invalid_request', `${field} is not base64`);
  }
  if (length !== undefined && bytes.length !== length)
    throw new DemoError(400, 'invalid_request', `${field} must be ${length} bytes`);
  return bytes;
}

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Constant-time comparison of two strings or byte arrays (length may leak, content does not). */
function safeEqual(a, b) {
  const x = typeof a === 'string' ? enc.encode(a) : a;
  const y = typeof b === 'string' ? enc.encode(b) : b;
  if (x.length !== y.length) return false;
  let d = 0;
  for (let i = 0; i < x.length; i++) d |= x[i] ^ y[i];
  return d === 0;
}

/** Maps jwtVerify failures to the OAuth-style `error` codes of docs/jose.md. */
function tokenError(e) {
  const code = e?.code;
  if (code === 'ERR_JWT_EXPIRED')
    return new DemoError(401, 'token_expired', 'the access token has expired; log in again');
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
    return new DemoError(401, 'invalid_signature', 'the access token signature does not verify');
  return new DemoError(
    401,
    'invalid_token',
    `the access token is not valid (${code ?? 'malformed'}: ${e?.message ?? e})`,
  );
}

/**
 * `hashPassword(password, salt, {N, r, p, dkLen})` → Promise<Uint8Array> is scrypt; the default (noble)
 * runs on the calling thread, so Node passes node:crypto's, which runs on the libuv pool and leaves the
 * event loop free while the login throttle bounds how many run at once.
 *
 * The service over a `store` adapter:
 *   getUser(username) → row | undefined, addUser(row), getKv(k) → string | undefined, setKv(k, v),
 *   insertDocument(row), getDocument(id) → row | undefined   (each may return a promise)
 * `keyring` is a transit Keyring; `audit` an AuditLog; `issuer` the public base URL.
 */
export async function createQsignService({
  issuer,
  keyring,
  masterKey,
  adminToken,
  audit,
  store,
  log = () => {},
  loginLimits = LOGIN_LIMITS,
  hashPassword = (password, salt, params) => scryptAsync(password, salt, params),
}) {
  await init();
  const throttle = createLoginThrottle(loginLimits);
  await keyring.createKey(SIGNING_KEY, { type: 'ml-dsa-65' });
  await keyring.createKey(DATA_KEY, { type: 'ml-kem-768' });

  // Users: scrypt hashes only; the plaintext passwords are never stored.
  for (const u of DEFAULT_USERS) {
    if (await store.getUser(u.username)) continue;
    const password = envPassword(u.username) || u.password;
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const hash = await hashPassword(password, salt, SCRYPT);
    await store.addUser({
      username: u.username,
      user_id: crypto.randomUUID(),
      name: u.name,
      salt: toBase64(salt),
      hash: toBase64(hash),
      params: JSON.stringify(SCRYPT),
    });
  }

  // The issuer's ML-DSA-65 key ring, sealed under the master key at rest.
  const sealedRing = await store.getKv('issuer_ring');
  const ring = sealedRing
    ? await SigningKeyRing.restore(dec.decode(await masterKey.open(fromBase64(sealedRing), RING_AAD)))
    : await SigningKeyRing.create({ alg: 'ML-DSA-65' });
  const saveRing = async () => {
    await store.setKv('issuer_ring', toBase64(await masterKey.seal(enc.encode(ring.serialize()), RING_AAD)));
  };
  if (!sealedRing) await saveRing();

  // The demo CA (ML-DSA-65): its seed sealed under the master key, its certificate beside it.
  const sealedCa = await store.getKv('demo_ca');
  let ca;
  if (sealedCa) {
    const { key, certificate } = JSON.parse(dec.decode(await masterKey.open(fromBase64(sealedCa), CA_AAD)));
    ca = { key: decodePKCS8(fromBase64(key)), certificate: Certificate.parse(certificate) };
  } else {
    const key = generateKey('ML-DSA-65');
    const certificate = await createCertificate(
      { subject: CA_SUBJECT, publicKey: key, ca: true, pathLength: 0, days: 3650 },
      { key },
    );
    const sealed = await masterKey.seal(
      enc.encode(JSON.stringify({ key: toBase64(encodePKCS8('ML-DSA-65', key)), certificate: certificate.pem })),
      CA_AAD,
    );
    await store.setKv('demo_ca', toBase64(sealed));
    ca = { key, certificate };
  }

  /** The certificate bound to `userId` at first login, or undefined. */
  async function userCertificate(userId) {
    const pem = await store.getKv(certKey(userId));
    return pem ? Certificate.parse(pem) : undefined;
  }
  /** The account's ML-KEM-768 recipient certificate (documents come back encrypted to it), or undefined. */
  async function userRecipientCertificate(userId) {
    const pem = await store.getKv(recipientKey(userId));
    return pem ? Certificate.parse(pem) : undefined;
  }
  // One enrollment at a time per account, so two first logins cannot bind two keys.
  const enrolling = new Map();
  function withUserLock(userId, fn) {
    const prev = enrolling.get(userId) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    enrolling.set(userId, tail);
    void tail.then(() => {
      if (enrolling.get(userId) === tail) enrolling.delete(userId);
    });
    return run;
  }

  const issuerHandler = createIssuerHandler(ring, {
    issuer,
    metadata: {
      token_endpoint: `${issuer}/token`,
      grant_types_supported: ['password'],
      subject_types_supported: ['public'],
    },
  });
  const transitHandler = createTransitHandler({
    keyring,
    audit,
    auth: { tokens: [{ token: adminToken, policies: ['root'], displayName: 'admin' }] },
  });
  // The service verifies tokens the way a separate resource server would:
  // through the issuer's JWKS. The fetch goes to the in-process issuer (no
  // loopback round trip); cooldown 0 so a freshly rotated kid is found at once.
  const JWKS = createRemoteJWKSet(new URL(`${issuer}/certs`), {
    fetch: (input, initArg) => issuerHandler(new Request(input, initArg)),
    cooldownDuration: 0,
    cacheMaxAge: 60_000,
  });

  const auditEvent = async (rec) => {
    await audit.write({
      time: new Date().toISOString(),
      type: 'response',
      request_id: crypto.randomUUID(),
      ...rec,
      data: rec.data && audit.redact(rec.data),
    });
  };

  async function authenticate(request) {
    const h = request.headers.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    if (!m) throw new DemoError(401, 'unauthorized', 'missing bearer token: POST /token first');
    try {
      const { payload } = await jwtVerify(m[1], JWKS, {
        issuer,
        audience: AUDIENCE,
        algorithms: ['ML-DSA-65'],
        typ: 'JWT',
        requiredClaims: ['sub', 'exp'],
      });
      return payload;
    } catch (e) {
      throw tokenError(e);
    }
  }

  function requireAdmin(request) {
    const h = request.headers.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    const t = m?.[1] ?? request.headers.get('x-admin-token') ?? '';
    if (!safeEqual(t, adminToken)) throw new DemoError(403, 'forbidden', 'admin token required');
  }

  async function issueTokens(user, expiresIn, extra = {}) {
    const base = { iss: issuer, sub: user.user_id, preferred_username: user.username, name: user.name, azp: CLIENT_ID };
    const access = await ring.sign(
      { ...base, aud: AUDIENCE, scope: 'openid documents', jti: crypto.randomUUID(), ...extra },
      { expiresIn },
    );
    const id = await ring.sign(
      { ...base, aud: CLIENT_ID, auth_time: Math.floor(Date.now() / 1000), ...extra },
      { expiresIn },
    );
    return {
      access_token: access,
      id_token: id,
      token_type: 'Bearer',
      expires_in: typeof expiresIn === 'number' ? expiresIn : 300,
    };
  }

  async function token(request, clientAddress) {
    const body = await readJson(request, 64 * 1024);
    if ((body.grant_type ?? 'password') !== 'password')
      throw new DemoError(400, 'unsupported_grant_type', 'only grant_type=password is supported');
    const username = String(body.username ?? '').slice(0, 256);
    const user = await store.getUser(username);
    let ok;
    try {
      ok = await throttle.attempt(username, clientAddress, async () => {
        // Hash even for unknown users so the response time does not reveal which names exist.
        const salt = user ? fromBase64(user.salt) : new Uint8Array(16);
        const got = await hashPassword(String(body.password ?? ''), salt, user ? JSON.parse(user.params) : SCRYPT);
        return !!user && safeEqual(got, fromBase64(user.hash));
      });
    } catch (e) {
      if (!(e instanceof TooManyAttempts)) throw e;
      await auditEvent({ method: 'POST', path: '/token', status: 429, error: 'too_many_attempts', data: { username } });
      throw new DemoError(429, 'too_many_attempts', `${e.message}; retry in ${e.retryAfter} s`, {
        headers: { 'retry-after': String(e.retryAfter) },
      });
    }
    if (!ok) {
      await auditEvent({
        method: 'POST',
        path: '/token',
        status: 401,
        error: 'invalid_grant',
        data: { username: String(body.username ?? '') },
      });
      throw new DemoError(401, 'invalid_grant', 'invalid username or password');
    }
    // Demo extension: a short lifetime (1..3600 s) lets the page show token expiry.
    let expiresIn = 300;
    if (body.expires_in !== undefined) {
      const n = Number(body.expires_in);
      if (!Number.isInteger(n) || n < 1 || n > 3600)
        throw new DemoError(400, 'invalid_request', 'expires_in must be 1..3600 seconds');
      expiresIn = n;
    }
    await auditEvent({
      method: 'POST',
      path: '/token',
      status: 200,
      display_name: user.username,
      data: { username: user.username },
    });
    return json(200, await issueTokens(user, expiresIn));
  }

  /** Verifies, counter-signs, encrypts and stores one document (seed §10.1 steps 3–5). */
  async function signDocument(request) {
    const claims = await authenticate(request);
    const body = await readJson(request, BODY_LIMIT);
    const document = b64field(body, 'document');
    if (document.length > DOCUMENT_LIMIT)
      throw new DemoError(
        413,
        'document_too_large',
        `documents are limited to ${DOCUMENT_LIMIT} bytes; sign a manifest for larger files`,
      );
    const signature = b64field(body, 'signature', { length: ml_dsa65.lengths.signature });
    const claimedKey = b64field(body, 'public_key', { required: false, length: ml_dsa65.lengths.publicKey });
    const name = String(body.name ?? 'document').slice(0, 200);
    const p7s = b64field(body, 'cms', { required: false });
    if (p7s && p7s.length > P7S_LIMIT)
      throw new DemoError(413, 'cms_too_large', `cms (the detached SignedData) is limited to ${P7S_LIMIT} bytes`);
    // The signature is checked against the key the demo CA certified for this account, never a key the
    // request brings: otherwise anyone's signature would pass as the user's (issue 18 #13).
    const certificate = await userCertificate(claims.sub);
    if (!certificate)
      throw new DemoError(
        403,
        'no_signing_certificate',
        'no signing key is bound to this account yet: POST /api/enroll a CSR for your ML-DSA-65 key first (the page does it at login)',
      );
    try {
      await verifyChain(certificate, { trustAnchors: [ca.certificate] });
    } catch (e) {
      throw new DemoError(
        403,
        'signing_certificate_invalid',
        `the account's signing certificate is not valid: ${e.message}`,
      );
    }
    const publicKey = certificate.publicKey.publicKey;
    if (claimedKey && !safeEqual(claimedKey, publicKey)) {
      await auditEvent({
        method: 'POST',
        path: '/api/sign',
        status: 403,
        display_name: claims.preferred_username,
        error: 'signing_key_mismatch',
        data: { name },
      });
      throw new DemoError(
        403,
        'signing_key_mismatch',
        `this document was signed with a key that is not certified for this account; sign with the key of certificate ${certificate.serialNumber}`,
      );
    }
    // Step "문서 검증": the user's ML-DSA-65 signature must cover these exact bytes.
    if (!ml_dsa65.verify(signature, document, publicKey)) {
      await auditEvent({
        method: 'POST',
        path: '/api/sign',
        status: 400,
        display_name: claims.preferred_username,
        error: 'invalid_document_signature',
        data: { name },
      });
      throw new DemoError(
        400,
        'invalid_document_signature',
        'document signature verification failed: the document was modified after signing or signed with another key',
      );
    }
    // The page's detached CMS SignedData (document.p7s), checked with qsign-pqc/cms against the demo CA
    // and bound to the account's certificate: the same object `openssl cms -verify` accepts.
    const cms = p7s ? await checkSignedData(p7s, document, certificate, claims, name) : undefined;
    const digest = sha3_256(document);
    const id = crypto.randomUUID();
    const createdAt = new Date().toISOString();
    // Transit sign over hash(document), as in the seed; encrypt binds the record id as AAD
    // so an envelope cannot be swapped into another row.
    const counter = await keyring.sign(SIGNING_KEY, digest);
    const { ciphertext, keyVersion } = await keyring.encrypt(DATA_KEY, document, { associatedData: enc.encode(id) });
    const signatures = {
      client: {
        alg: 'ML-DSA-65',
        public_key: toBase64(publicKey),
        signature: toBase64(signature),
        input: 'document',
        certificate: certificate.pem,
        certificate_serial: certificate.serialNumber,
      },
      service: {
        alg: 'ML-DSA-65',
        key: SIGNING_KEY,
        key_version: counter.keyVersion,
        signature: counter.signature,
        input: 'sha3-256(document)',
      },
      ...(cms ? { cms } : {}),
    };
    await store.insertDocument({
      id,
      user_id: claims.sub,
      name,
      size: document.length,
      sha3_256: hex(digest),
      encrypted_data: ciphertext,
      signatures: JSON.stringify(signatures),
      created_at: createdAt,
    });
    await auditEvent({
      method: 'POST',
      path: '/api/sign',
      status: 200,
      display_name: claims.preferred_username,
      data: { id, name, key_version: keyVersion },
    });
    return json(200, {
      ...publicRecord({
        id,
        user_id: claims.sub,
        name,
        size: document.length,
        sha3_256: hex(digest),
        encrypted_data: ciphertext,
        signatures: JSON.stringify(signatures),
        created_at: createdAt,
      }),
    });
  }

  /**
   * Verifies a detached SignedData over `document`: digest, ML-DSA signature and chain to the demo CA
   * (verifySignedData), one signer only, and that signer's certificate must be the one bound to the
   * account, so a CMS made with another CA-issued certificate does not pass as this user's.
   * Returns what the record stores.
   */
  async function checkSignedData(p7s, document, certificate, claims, name) {
    const refuse = async (code, message) => {
      await auditEvent({
        method: 'POST',
        path: '/api/sign',
        status: 400,
        display_name: claims.preferred_username,
        error: code,
        data: { name },
      });
      return new DemoError(400, code, message);
    };
    let verified;
    try {
      verified = await verifySignedData(p7s, { trustAnchors: [ca.certificate], content: document });
    } catch (e) {
      throw await refuse(
        'invalid_cms',
        `the CMS SignedData does not verify (${e?.code ?? 'error'}${e?.reason ? `/${e.reason}` : ''}: ${e?.message ?? e})`,
      );
    }
    if (!verified.detached) throw await refuse('invalid_cms', 'the CMS SignedData must be detached (document.p7s)');
    if (verified.signers.length !== 1 || !safeEqual(verified.signers[0].certificate.der, certificate.der))
      throw await refuse(
        'cms_signer_mismatch',
        `the CMS SignedData must have one signer, the certificate bound to this account (serial ${certificate.serialNumber})`,
      );
    const signer = verified.signers[0];
    return {
      format: 'CMS SignedData, detached (RFC 5652, ML-DSA per RFC 9882)',
      verified_with: 'qsign-pqc/cms verifySignedData, trust anchor: the demo CA',
      signer: signer.subject,
      chain: signer.chain.map((c) => c.subject),
      signature_algorithm: signer.signatureAlgorithm,
      digest_algorithm: signer.digestAlgorithm,
      signing_time: signer.signingTime?.toISOString(),
      length: p7s.length,
      p7s: toBase64(p7s),
    };
  }

  function publicRecord(row) {
    const env = row.encrypted_data;
    const signatures = JSON.parse(row.signatures);
    // The CMS object is served by GET /api/documents/:id/p7s; the record names it.
    if (signatures.cms) {
      signatures.cms = { ...signatures.cms, href: `/api/documents/${row.id}/p7s` };
      delete signatures.cms.p7s;
    }
    return {
      id: row.id,
      user_id: row.user_id,
      name: row.name,
      size: row.size,
      sha3_256: row.sha3_256,
      created_at: row.created_at,
      signatures,
      // The envelope can be megabytes; the record shows its head and size.
      encrypted_data: {
        key: DATA_KEY,
        key_version: Number(/^vault:v(\d+):/.exec(env)?.[1]),
        length: env.length,
        preview: env.length > 120 ? `${env.slice(0, 120)}…` : env,
      },
    };
  }

  /**
   * First login: the demo CA certifies the ML-DSA-65 key of a PKCS#10 CSR
   * (its self-signature proves possession) for the authenticated account.
   * The same key again gets the same certificate; another key is 409 until
   * the admin unbinds the old one.
   */
  async function enroll(request) {
    const claims = await authenticate(request);
    const body = await readJson(request, 64 * 1024);
    let csr;
    try {
      csr = Csr.parse(String(body.csr ?? ''));
      await csr.assertValid();
    } catch (e) {
      throw new DemoError(
        400,
        'invalid_csr',
        `csr must be a PEM PKCS#10 request signed by the key it carries (${e?.code ?? 'error'}: ${e?.message ?? e})`,
      );
    }
    if (csr.publicKey.alg !== 'ML-DSA-65')
      throw new DemoError(400, 'invalid_csr', `the signing key must be ML-DSA-65, got ${csr.publicKey.alg}`);
    const kemPublicKey = b64field(body, 'recipient_public_key', { required: false, length: 1184 });
    return withUserLock(claims.sub, async () => {
      const existing = await userCertificate(claims.sub);
      if (existing) {
        if (safeEqual(existing.publicKey.publicKey, csr.publicKey.publicKey))
          return json(200, {
            certificate: existing.pem,
            ca: ca.certificate.pem,
            serial: existing.serialNumber,
            created: false,
            ...(await recipientCertificateFor(claims, kemPublicKey)),
          });
        await auditEvent({
          method: 'POST',
          path: '/api/enroll',
          status: 409,
          display_name: claims.preferred_username,
          error: 'signing_key_already_bound',
        });
        throw new DemoError(
          409,
          'signing_key_already_bound',
          `this account's signing key is already certified (certificate ${existing.serialNumber}); sign with that key, or ask the admin to unbind it (POST /admin/unbind-signing-key)`,
          { certificate: existing.pem },
        );
      }
      const certificate = await createCertificate(
        {
          subject: `CN=${claims.preferred_username},O=QSIGN demo users`,
          publicKey: csr.publicKey,
          keyUsage: ['digitalSignature', 'nonRepudiation'],
          subjectAltName: { uri: [`urn:uuid:${claims.sub}`] },
          days: 365,
        },
        { key: ca.key, certificate: ca.certificate },
      );
      await store.setKv(certKey(claims.sub), certificate.pem);
      await auditEvent({
        method: 'POST',
        path: '/api/enroll',
        status: 200,
        display_name: claims.preferred_username,
        data: { serial: certificate.serialNumber },
      });
      return json(200, {
        certificate: certificate.pem,
        ca: ca.certificate.pem,
        serial: certificate.serialNumber,
        created: true,
        ...(await recipientCertificateFor(claims, kemPublicKey)),
      });
    });
  }

  /**
   * The account's ML-KEM-768 recipient certificate (keyUsage keyEncipherment, RFC 9935), issued by the
   * demo CA for the key the page sent beside its CSR, or the one already issued for that key. A KEM key
   * cannot sign a CSR, so possession is not proven: the account's token and its certified signing key
   * stand for it, and a wrong key only locks the account out of its own encrypted copies (a new key
   * replaces the old certificate). Called under the account's enrollment lock.
   */
  async function recipientCertificateFor(claims, kemPublicKey) {
    if (!kemPublicKey) return {};
    const existing = await userRecipientCertificate(claims.sub);
    if (existing && safeEqual(existing.publicKey.publicKey, kemPublicKey))
      return { recipient_certificate: existing.pem };
    const certificate = await createCertificate(
      {
        subject: `CN=${claims.preferred_username} (recipient),O=QSIGN demo users`,
        publicKey: { alg: 'ML-KEM-768', publicKey: kemPublicKey },
        keyUsage: ['keyEncipherment'],
        subjectAltName: { uri: [`urn:uuid:${claims.sub}`] },
        days: 365,
      },
      { key: ca.key, certificate: ca.certificate },
    );
    await store.setKv(recipientKey(claims.sub), certificate.pem);
    await auditEvent({
      method: 'POST',
      path: '/api/enroll',
      status: 200,
      display_name: claims.preferred_username,
      data: { recipient_serial: certificate.serialNumber },
    });
    return { recipient_certificate: certificate.pem };
  }

  /** The caller's own stored document, decrypted (403 for another user's, 404 if none). */
  async function ownDocument(request, id, path) {
    const claims = await authenticate(request);
    const row = await store.getDocument(id);
    if (!row) throw new DemoError(404, 'not_found', 'no such document');
    if (row.user_id !== claims.sub) {
      await auditEvent({
        method: 'GET',
        path,
        status: 403,
        display_name: claims.preferred_username,
        error: 'forbidden',
      });
      throw new DemoError(403, 'forbidden', 'this document belongs to another user');
    }
    let plaintext;
    try {
      ({ plaintext } = await keyring.decrypt(DATA_KEY, row.encrypted_data, { associatedData: enc.encode(id) }));
    } catch (e) {
      const { status, message } = httpStatusFor(e);
      await auditEvent({
        method: 'GET',
        path,
        status,
        display_name: claims.preferred_username,
        error: message,
        error_code: e?.code,
      });
      const code = e?.code === TransitErrorCodes.VERSION_DISALLOWED ? 'key_version_disallowed' : 'decryption_failed';
      throw new DemoError(status, code, message, {
        errors: [message],
        hint:
          code === 'key_version_disallowed'
            ? 'data re-encryption required (rewrap with the latest key version)'
            : undefined,
      });
    }
    await auditEvent({
      method: 'GET',
      path,
      status: 200,
      display_name: claims.preferred_username,
      data: { id },
    });
    return { claims, row, plaintext };
  }

  async function getDocument(request, id) {
    const { row, plaintext } = await ownDocument(request, id, `/api/documents/${id}`);
    return json(200, { ...publicRecord(row), document: toBase64(plaintext) });
  }

  /** The stored CMS SignedData (document.p7s, DER) of the caller's own document. */
  async function getSignedData(request, id) {
    const claims = await authenticate(request);
    const row = await store.getDocument(id);
    if (!row) throw new DemoError(404, 'not_found', 'no such document');
    if (row.user_id !== claims.sub) throw new DemoError(403, 'forbidden', 'this document belongs to another user');
    const cms = JSON.parse(row.signatures).cms;
    if (!cms) throw new DemoError(404, 'no_cms', 'this document was submitted without a CMS SignedData');
    return new Response(fromBase64(cms.p7s), {
      headers: {
        'content-type': 'application/pkcs7-signature',
        'content-disposition': 'attachment; filename="document.p7s"',
        'cache-control': 'no-store',
      },
    });
  }

  /**
   * The caller's document as ML-KEM CMS: AuthEnvelopedData (AES-256-GCM) with one KEMRecipientInfo
   * (ML-KEM-768, HKDF-SHA256, AES-256 key wrap; RFC 9629/9936) to the account's recipient certificate,
   * whose private key only the page holds: `openssl cms -decrypt` (3.6) or `qsign cms decrypt` opens it.
   */
  async function getEnvelopedData(request, id) {
    const { claims, plaintext } = await ownDocument(request, id, `/api/documents/${id}/cms`);
    const recipient = await userRecipientCertificate(claims.sub);
    if (!recipient)
      throw new DemoError(
        409,
        'no_recipient_certificate',
        'no ML-KEM recipient certificate for this account: log in from the page (it enrolls its ML-KEM-768 key beside the signing key)',
      );
    let p7m;
    try {
      p7m = await encryptData(plaintext, { recipients: [recipient] });
    } finally {
      plaintext.fill(0);
    }
    return new Response(p7m, {
      headers: {
        'content-type': 'application/pkcs7-mime; smime-type=authEnveloped-data',
        'content-disposition': 'attachment; filename="document.p7m"',
        'cache-control': 'no-store',
      },
    });
  }

  async function admin(request, action) {
    requireAdmin(request);
    const body = request.method === 'POST' ? await readJson(request, 64 * 1024).catch(() => ({})) : {};
    let out;
    switch (action) {
      case 'rotate-signing-key': {
        const previous = ring.active.kid;
        const kid = await ring.rotate();
        await saveRing();
        out = { kid, previous, keys: ring.entries().map((e) => ({ kid: e.kid, status: e.status })) };
        break;
      }
      case 'rotate-data-key': {
        const info = await keyring.rotateKey(DATA_KEY);
        out = { latest_version: info.latest_version, min_decryption_version: info.min_decryption_version };
        break;
      }
      case 'data-key-config': {
        const info = await keyring.configKey(DATA_KEY, { min_decryption_version: Number(body.min_decryption_version) });
        out = { latest_version: info.latest_version, min_decryption_version: info.min_decryption_version };
        break;
      }
      case 'unbind-signing-key': {
        // Lets a user who lost the page key enroll a new one at the next login.
        const user = await store.getUser(String(body.username ?? ''));
        if (!user) throw new DemoError(404, 'not_found', 'no such user');
        await withUserLock(user.user_id, () => store.setKv(certKey(user.user_id), ''));
        out = { username: user.username, unbound: true };
        break;
      }
      case 'expired-token': {
        // An admin-forged token that expired 5 minutes ago, signed by the real
        // active key: only the exp check can reject it.
        const user = await store.getUser(String(body.username ?? 'alice'));
        if (!user) throw new DemoError(404, 'not_found', 'no such user');
        const now = Math.floor(Date.now() / 1000);
        out = await issueTokens(user, -300, { iat: now - 600 });
        break;
      }
      default:
        throw new DemoError(404, 'not_found', 'unknown admin action');
    }
    await auditEvent({ method: 'POST', path: `/admin/${action}`, status: 200, display_name: 'admin' });
    return json(200, out);
  }

  /** `info.clientAddress`: the peer address from the server (never from a request header), for the login limits. */
  async function handle(request, info = {}) {
    const url = new URL(request.url);
    const path = url.pathname;
    try {
      if (path.startsWith('/v1/')) return await transitHandler(request);
      if (path === '/certs' || path === '/.well-known/openid-configuration') return await issuerHandler(request);
      if (path === '/token') {
        if (request.method !== 'POST') throw new DemoError(405, 'method_not_allowed', 'POST only');
        return await token(request, String(info.clientAddress ?? 'unknown'));
      }
      if (path === '/api/sign') {
        // The seed's first probe: GET /api/sign without a token → 401.
        if (request.method !== 'POST') await authenticate(request);
        if (request.method !== 'POST') throw new DemoError(405, 'method_not_allowed', 'POST only');
        return await signDocument(request);
      }
      if (path === '/api/enroll') {
        if (request.method !== 'POST') throw new DemoError(405, 'method_not_allowed', 'POST only');
        return await enroll(request);
      }
      if (path === '/api/ca' && request.method === 'GET')
        return new Response(ca.certificate.pem, {
          headers: { 'content-type': 'application/x-pem-file', 'cache-control': 'no-store' },
        });
      const m = /^\/api\/documents\/([0-9a-f-]{36})(\/p7s|\/cms)?$/.exec(path);
      if (m && request.method === 'GET') {
        if (m[2] === '/p7s') return await getSignedData(request, m[1]);
        if (m[2] === '/cms') return await getEnvelopedData(request, m[1]);
        return await getDocument(request, m[1]);
      }
      if (path === '/api/info' && request.method === 'GET') {
        const data = await keyring.readKey(DATA_KEY);
        const signing = await keyring.exportPublicKeys(SIGNING_KEY);
        return json(200, {
          issuer,
          audience: AUDIENCE,
          client_id: CLIENT_ID,
          document_limit: DOCUMENT_LIMIT,
          server_backend: backend(),
          data_key: {
            name: DATA_KEY,
            type: data.type,
            latest_version: data.latest_version,
            min_decryption_version: data.min_decryption_version,
          },
          signing_key: { name: SIGNING_KEY, public_keys: signing.keys },
          demo_ca: { subject: ca.certificate.subject, serial: ca.certificate.serialNumber, pem: '/api/ca' },
          issuer_keys: ring.entries().map((e) => ({ kid: e.kid, status: e.status })),
        });
      }
      const a = /^\/admin\/([a-z-]+)$/.exec(path);
      if (a && request.method === 'POST') return await admin(request, a[1]);
      return undefined; // not ours: static files
    } catch (e) {
      if (e instanceof DemoError) {
        const { headers: extraHeaders = {}, ...extra } = e.extra;
        const headers =
          e.status === 401
            ? {
                'www-authenticate': `Bearer error="${e.code === 'unauthorized' ? 'invalid_request' : 'invalid_token'}"`,
              }
            : {};
        return json(
          e.status,
          { error: e.code, error_description: e.message, errors: [e.message], ...extra },
          { ...headers, ...extraHeaders },
        );
      }
      const { status, message } = httpStatusFor(e);
      log(`error on ${request.method} ${path}: ${e?.stack ?? e}`);
      return json(status, { error: e?.code ?? 'internal_error', error_description: message, errors: [message] });
    }
  }

  return { handle, ring };
}
