/**
 * The QSIGN demo service (seed §10.1) as one fetch-style handler, on Web APIs
 * only, so Node (examples/demo/service.mjs: SQLite + files) and Deno
 * (examples/deno-server: in memory) run the same code:
 *
 *   Keycloak role   POST /token, GET /certs, GET /.well-known/openid-configuration
 *   Service role    POST /api/sign, GET /api/documents/:id
 *   Vault role      /v1/oqs-transit/* (the SDK's transit handler, same keyring)
 *   Admin           POST /admin/* (rotate the token signing key, rotate the data key,
 *                   raise/lower min_decryption_version, forge an expired token)
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
import { scryptAsync } from '@noble/hashes/scrypt.js';

/** Largest document accepted by POST /api/sign, in bytes (the page sends a signed manifest for bigger files). */
export const DOCUMENT_LIMIT = 8 * 1024 * 1024;
/** JSON body limit: base64 of DOCUMENT_LIMIT plus key, signature and names. */
const BODY_LIMIT = Math.ceil(DOCUMENT_LIMIT / 3) * 4 + 64 * 1024;
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
 * The service over a `store` adapter:
 *   getUser(username) → row | undefined, addUser(row), getKv(k) → string | undefined, setKv(k, v),
 *   insertDocument(row), getDocument(id) → row | undefined   (each may return a promise)
 * `keyring` is a transit Keyring; `audit` an AuditLog; `issuer` the public base URL.
 */
export async function createQsignService({ issuer, keyring, masterKey, adminToken, audit, store, log = () => {} }) {
  await init();
  await keyring.createKey(SIGNING_KEY, { type: 'ml-dsa-65' });
  await keyring.createKey(DATA_KEY, { type: 'ml-kem-768' });

  // Users: scrypt hashes only; the plaintext passwords are never stored.
  for (const u of DEFAULT_USERS) {
    if (await store.getUser(u.username)) continue;
    const password = envPassword(u.username) || u.password;
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const hash = await scryptAsync(password, salt, SCRYPT);
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

  async function token(request) {
    const body = await readJson(request, 64 * 1024);
    if ((body.grant_type ?? 'password') !== 'password')
      throw new DemoError(400, 'unsupported_grant_type', 'only grant_type=password is supported');
    const user = await store.getUser(String(body.username ?? ''));
    // Hash even for unknown users so the response time does not reveal which names exist.
    const salt = user ? fromBase64(user.salt) : new Uint8Array(16);
    const got = await scryptAsync(String(body.password ?? ''), salt, user ? JSON.parse(user.params) : SCRYPT);
    if (!user || !safeEqual(got, fromBase64(user.hash))) {
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
    const publicKey = b64field(body, 'public_key', { length: ml_dsa65.lengths.publicKey });
    const name = String(body.name ?? 'document').slice(0, 200);
    // Step "문서 검증": the client's own ML-DSA-65 signature must cover these exact bytes.
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
    const digest = sha3_256(document);
    const id = crypto.randomUUID();
    const createdAt = new Date().toISOString();
    // Transit sign over hash(document), as in the seed; encrypt binds the record id as AAD
    // so an envelope cannot be swapped into another row.
    const counter = await keyring.sign(SIGNING_KEY, digest);
    const { ciphertext, keyVersion } = await keyring.encrypt(DATA_KEY, document, { associatedData: enc.encode(id) });
    const signatures = {
      client: { alg: 'ML-DSA-65', public_key: toBase64(publicKey), signature: toBase64(signature), input: 'document' },
      service: {
        alg: 'ML-DSA-65',
        key: SIGNING_KEY,
        key_version: counter.keyVersion,
        signature: counter.signature,
        input: 'sha3-256(document)',
      },
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

  function publicRecord(row) {
    const env = row.encrypted_data;
    return {
      id: row.id,
      user_id: row.user_id,
      name: row.name,
      size: row.size,
      sha3_256: row.sha3_256,
      created_at: row.created_at,
      signatures: JSON.parse(row.signatures),
      // The envelope can be megabytes; the record shows its head and size.
      encrypted_data: {
        key: DATA_KEY,
        key_version: Number(/^vault:v(\d+):/.exec(env)?.[1]),
        length: env.length,
        preview: env.length > 120 ? `${env.slice(0, 120)}…` : env,
      },
    };
  }

  async function getDocument(request, id) {
    const claims = await authenticate(request);
    const row = await store.getDocument(id);
    if (!row) throw new DemoError(404, 'not_found', 'no such document');
    if (row.user_id !== claims.sub) {
      await auditEvent({
        method: 'GET',
        path: `/api/documents/${id}`,
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
        path: `/api/documents/${id}`,
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
      path: `/api/documents/${id}`,
      status: 200,
      display_name: claims.preferred_username,
      data: { id },
    });
    return json(200, { ...publicRecord(row), document: toBase64(plaintext) });
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

  async function handle(request) {
    const url = new URL(request.url);
    const path = url.pathname;
    try {
      if (path.startsWith('/v1/')) return await transitHandler(request);
      if (path === '/certs' || path === '/.well-known/openid-configuration') return await issuerHandler(request);
      if (path === '/token') {
        if (request.method !== 'POST') throw new DemoError(405, 'method_not_allowed', 'POST only');
        return await token(request);
      }
      if (path === '/api/sign') {
        // The seed's first probe: GET /api/sign without a token → 401.
        if (request.method !== 'POST') await authenticate(request);
        if (request.method !== 'POST') throw new DemoError(405, 'method_not_allowed', 'POST only');
        return await signDocument(request);
      }
      const m = /^\/api\/documents\/([0-9a-f-]{36})$/.exec(path);
      if (m && request.method === 'GET') return await getDocument(request, m[1]);
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
          issuer_keys: ring.entries().map((e) => ({ kid: e.kid, status: e.status })),
        });
      }
      const a = /^\/admin\/([a-z-]+)$/.exec(path);
      if (a && request.method === 'POST') return await admin(request, a[1]);
      return undefined; // not ours: static files
    } catch (e) {
      if (e instanceof DemoError) {
        const headers =
          e.status === 401
            ? {
                'www-authenticate': `Bearer error="${e.code === 'unauthorized' ? 'invalid_request' : 'invalid_token'}"`,
              }
            : {};
        return json(
          e.status,
          { error: e.code, error_description: e.message, errors: [e.message], ...e.extra },
          headers,
        );
      }
      const { status, message } = httpStatusFor(e);
      log(`error on ${request.method} ${path}: ${e?.stack ?? e}`);
      return json(status, { error: e?.code ?? 'internal_error', error_description: message, errors: [message] });
    }
  }

  return { handle, ring };
}
