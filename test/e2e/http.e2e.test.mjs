/**
 * Seed §10.1 end to end over HTTP, without a browser: log in, sign a document
 * client-side with our SDK, submit, fetch it back decrypted, and check every
 * signature (tokens, client, service counter-signature) with an independent
 * implementation (@noble/post-quantum). Then the §9 failure cases, the
 * signing-key rotation, and a restart on the same data dir.
 *
 *   node --test test/e2e/http.e2e.test.mjs
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ml_dsa65 as nobleMlDsa65 } from '@noble/post-quantum/ml-dsa.js';
import { sha3_256 as nobleSha3 } from '@noble/hashes/sha3.js';
import { init, ml_dsa65 } from '../../dist/index.js';
import { createCsr } from '../../dist/x509/index.js';
import { b64, b64url, call, login, removeDir, startServer, tempDataDir, unb64, USERS } from '../helpers/demo.mjs';

const enc = new TextEncoder();

/** Verifies a compact JWS with noble against the issuer's published JWKS. */
function nobleVerifyJwt(jwt, jwks) {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, `kid ${header.kid} is in the JWKS`);
  assert.equal(header.alg, 'ML-DSA-65');
  assert.equal(jwk.kty, 'AKP');
  return nobleMlDsa65.verify(b64url(s), enc.encode(`${h}.${p}`), b64url(jwk.pub));
}
const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

describe('QSIGN demo over HTTP (seed §10.1, §9)', () => {
  let dataDir, srv, base;
  let clientKey, document, signature, alice, record;

  before(async () => {
    await init();
    dataDir = tempDataDir('http');
    srv = await startServer(dataDir);
    base = srv.url;
    clientKey = ml_dsa65.keygen();
    document = new Uint8Array(256 * 1024);
    for (let o = 0; o < document.length; o += 65536) crypto.getRandomValues(document.subarray(o, o + 65536));
    // Streaming signer in the client, as the page does it.
    const signer = ml_dsa65.signer(clientKey.secretKey);
    for (let o = 0; o < document.length; o += 10_000) signer.update(document.subarray(o, o + 10_000));
    signature = signer.sign();
  });

  after(async () => {
    await srv?.stop();
    if (dataDir) removeDir(dataDir);
  });

  it("GET /api/sign without a token is 401 (the seed's first probe)", async () => {
    const r = await call(`${base}/api/sign`);
    assert.equal(r.status, 401);
    assert.equal(r.json.error, 'unauthorized');
    assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
  });

  it('the issuer publishes discovery and an ML-DSA-65 JWKS; a wrong password is refused', async () => {
    const d = await call(`${base}/.well-known/openid-configuration`);
    assert.equal(d.status, 200);
    assert.equal(d.json.issuer, base);
    assert.equal(d.json.jwks_uri, `${base}/certs`);
    assert.deepEqual(d.json.id_token_signing_alg_values_supported, ['ML-DSA-65']);
    const j = await call(`${base}/certs`);
    assert.equal(j.json.keys.length, 1);
    assert.equal(j.json.keys[0].alg, 'ML-DSA-65');
    assert.equal(j.json.keys[0].priv, undefined, 'no private part is published');
    const bad = await call(`${base}/token`, { method: 'POST', body: { username: 'alice', password: 'wrong' } });
    assert.equal(bad.status, 401);
    assert.equal(bad.json.error, 'invalid_grant');
    const nobody = await call(`${base}/token`, { method: 'POST', body: { username: 'mallory', password: 'x' } });
    assert.equal(nobody.status, 401);
  });

  it('logs in; access and ID tokens verify with @noble/post-quantum against /certs', async () => {
    alice = await login(base, 'alice');
    const jwks = (await call(`${base}/certs`)).json;
    assert.equal(nobleVerifyJwt(alice.access_token, jwks), true);
    assert.equal(nobleVerifyJwt(alice.id_token, jwks), true);
    const c = claimsOf(alice.access_token);
    assert.equal(c.iss, base);
    assert.equal(c.aud, 'qsign-api');
    assert.equal(c.preferred_username, 'alice');
    assert.ok(c.exp > Date.now() / 1000 + 200, 'default lifetime is 5 minutes');
    assert.equal(claimsOf(alice.id_token).aud, 'qsign-demo');
    // A one-byte change breaks the independent check too.
    const [h, p, s] = alice.access_token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...c, preferred_username: 'bob' })).toString('base64url')}.${s}`;
    assert.equal(nobleVerifyJwt(forged, jwks), false);
    void p;
  });

  it('signs a document: client signature verified, counter-signed via transit, encrypted, stored', async () => {
    // First login: the demo CA certifies the client's key (issue 18 #13); documents are checked against it.
    const csr = await createCsr({ subject: 'CN=alice' }, { alg: 'ML-DSA-65', ...clientKey });
    const enrolled = await call(`${base}/api/enroll`, {
      method: 'POST',
      token: alice.access_token,
      body: { csr: csr.pem },
    });
    assert.equal(enrolled.status, 200, enrolled.text);
    const r = await call(`${base}/api/sign`, {
      method: 'POST',
      token: alice.access_token,
      body: {
        name: 'contract.bin',
        document: b64(document),
        signature: b64(signature),
        public_key: b64(clientKey.publicKey),
      },
    });
    assert.equal(r.status, 200, r.text);
    record = r.json;
    assert.match(record.id, /^[0-9a-f-]{36}$/);
    assert.equal(record.size, document.length);
    assert.equal(record.user_id, claimsOf(alice.access_token).sub);
    assert.equal(record.sha3_256, Buffer.from(nobleSha3(document)).toString('hex'));
    assert.match(record.encrypted_data.preview, /^vault:v1:/);
    assert.equal(record.encrypted_data.key_version, 1);
    assert.match(record.signatures.service.signature, /^vault:v1:/);
    // The service's counter-signature over sha3-256(document), checked with noble and the transit public key.
    const info = (await call(`${base}/api/info`)).json;
    const pk = unb64(info.signing_key.public_keys['1']);
    const sig = unb64(record.signatures.service.signature.slice('vault:v1:'.length));
    assert.equal(nobleMlDsa65.verify(sig, nobleSha3(document), pk), true);
    assert.equal(nobleMlDsa65.verify(sig, nobleSha3(enc.encode('other')), pk), false);
    // The same public key is what the transit API exports.
    const exp = await call(`${base}/v1/oqs-transit/export/public-key/signing-key`, {
      headers: { 'x-vault-token': srv.adminToken },
    });
    assert.equal(exp.status, 200, exp.text);
    assert.equal(exp.json.data.keys['1'], info.signing_key.public_keys['1']);
  });

  it('the database row holds only the envelope, never the plaintext; the audit log has no secrets', () => {
    const Database = createRequire(import.meta.url)('better-sqlite3');
    const db = new Database(join(dataDir, 'qsign.db'), { readonly: true });
    const row = db.prepare('SELECT * FROM documents WHERE id = ?').get(record.id);
    db.close();
    assert.ok(row, 'row stored');
    assert.match(row.encrypted_data, /^vault:v1:[A-Za-z0-9+/=]+$/);
    assert.ok(!row.encrypted_data.includes(b64(document).slice(0, 64)), 'plaintext base64 not in the envelope');
    assert.deepEqual(Object.keys(row).sort(), [
      'created_at',
      'encrypted_data',
      'id',
      'name',
      'sha3_256',
      'signatures',
      'size',
      'user_id',
    ]);
    assert.equal(statSync(join(dataDir, 'master.key')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dataDir, 'qsign.db')).mode & 0o777, 0o600);
    const audit = readFileSync(join(dataDir, 'audit.log'), 'utf8');
    const lines = audit
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(
      lines.some((l) => l.path === '/api/sign' && l.status === 200),
      'sign is audited',
    );
    assert.ok(
      lines.some((l) => l.path === '/token' && l.status === 401),
      'failed login is audited',
    );
    assert.ok(
      !audit.includes(USERS.alice) && !audit.includes(alice.access_token.split('.')[2].slice(0, 40)),
      'no password or token in the audit log',
    );
  });

  it('GET /api/documents/:id returns it decrypted to its owner; all signatures verify independently', async () => {
    const r = await call(`${base}/api/documents/${record.id}`, { token: alice.access_token });
    assert.equal(r.status, 200, r.text);
    const doc = unb64(r.json.document);
    assert.deepEqual(doc, document);
    const client = r.json.signatures.client;
    assert.equal(nobleMlDsa65.verify(unb64(client.signature), doc, unb64(client.public_key)), true);
  });

  it('another user gets 403', async () => {
    const bob = await login(base, 'bob');
    const r = await call(`${base}/api/documents/${record.id}`, { token: bob.access_token });
    assert.equal(r.status, 403);
    assert.equal(r.json.error, 'forbidden');
    assert.equal(r.json.document, undefined);
  });

  it('an expired token is 401 token_expired (admin-forged and naturally expired)', async () => {
    const forged = await call(`${base}/admin/expired-token`, {
      method: 'POST',
      headers: { 'x-admin-token': srv.adminToken },
      body: { username: 'alice' },
    });
    assert.equal(forged.status, 200, forged.text);
    const r1 = await call(`${base}/api/documents/${record.id}`, { token: forged.json.access_token });
    assert.equal(r1.status, 401);
    assert.equal(r1.json.error, 'token_expired');
    const short = await login(base, 'alice', USERS.alice, { expires_in: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const r2 = await call(`${base}/api/documents/${record.id}`, { token: short.access_token });
    assert.equal(r2.status, 401);
    assert.equal(r2.json.error, 'token_expired');
    // Admin actions need the admin token.
    const denied = await call(`${base}/admin/expired-token`, { method: 'POST', token: alice.access_token, body: {} });
    assert.equal(denied.status, 403);
  });

  it('a token with a forged payload is 401 invalid_signature', async () => {
    const [h, , s] = alice.access_token.split('.');
    const c = claimsOf(alice.access_token);
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...c, exp: c.exp + 3600 })).toString('base64url')}.${s}`;
    const r = await call(`${base}/api/documents/${record.id}`, { token: forged });
    assert.equal(r.status, 401);
    assert.equal(r.json.error, 'invalid_signature');
  });

  it('a tampered document is rejected and nothing is stored', async () => {
    const tampered = document.slice();
    tampered[1000] ^= 1;
    const r = await call(`${base}/api/sign`, {
      method: 'POST',
      token: alice.access_token,
      body: {
        name: 'contract.bin',
        document: b64(tampered),
        signature: b64(signature),
        public_key: b64(clientKey.publicKey),
      },
    });
    assert.equal(r.status, 400);
    assert.equal(r.json.error, 'invalid_document_signature');
    const Database = createRequire(import.meta.url)('better-sqlite3');
    const db = new Database(join(dataDir, 'qsign.db'), { readonly: true });
    assert.equal(db.prepare('SELECT count(*) AS n FROM documents').get().n, 1);
    db.close();
  });

  it('documents over the limit are 413', async () => {
    const big = new Uint8Array(8 * 1024 * 1024 + 1);
    const r = await call(`${base}/api/sign`, {
      method: 'POST',
      token: alice.access_token,
      body: { name: 'big.bin', document: b64(big), signature: b64(signature), public_key: b64(clientKey.publicKey) },
    });
    assert.equal(r.status, 413);
    assert.equal(r.json.error, 'document_too_large');
  });

  it("wrong key version: after rotate + min_decryption_version the seed's message; lowering it again decrypts", async () => {
    const admin = { 'x-admin-token': srv.adminToken };
    const rot = await call(`${base}/admin/rotate-data-key`, { method: 'POST', headers: admin, body: {} });
    assert.equal(rot.status, 200, rot.text);
    assert.equal(rot.json.latest_version, 2);
    const cfg = await call(`${base}/admin/data-key-config`, {
      method: 'POST',
      headers: admin,
      body: { min_decryption_version: 2 },
    });
    assert.equal(cfg.json.min_decryption_version, 2);
    const r = await call(`${base}/api/documents/${record.id}`, { token: alice.access_token });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json.errors, ['key version no longer supported']);
    assert.equal(r.json.error, 'key_version_disallowed');
    await call(`${base}/admin/data-key-config`, {
      method: 'POST',
      headers: admin,
      body: { min_decryption_version: 1 },
    });
    const again = await call(`${base}/api/documents/${record.id}`, { token: alice.access_token });
    assert.equal(again.status, 200);
    // New documents use the latest version.
    const sig2 = ml_dsa65.sign(enc.encode('v2 doc'), clientKey.secretKey);
    const r2 = await call(`${base}/api/sign`, {
      method: 'POST',
      token: alice.access_token,
      body: {
        name: 'v2.txt',
        document: b64(enc.encode('v2 doc')),
        signature: b64(sig2),
        public_key: b64(clientKey.publicKey),
      },
    });
    assert.equal(r2.json.encrypted_data.key_version, 2);
  });

  it('the transit API on the same keyring answers the seed §9.2 errors', async () => {
    const h = { 'x-vault-token': srv.adminToken };
    const nf = await call(`${base}/v1/oqs-transit/encrypt/nonexistent-key`, {
      method: 'POST',
      headers: h,
      body: { plaintext: b64(enc.encode('x')) },
    });
    assert.equal(nf.status, 404);
    assert.deepEqual(nf.json.errors, ['encryption key not found']);
    const bad = await call(`${base}/v1/oqs-transit/decrypt/data-key`, {
      method: 'POST',
      headers: h,
      body: { ciphertext: 'vault:v1:corrupted!!' },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json.errors, ['invalid ciphertext format']);
    const noTok = await call(`${base}/v1/oqs-transit/encrypt/data-key`, {
      method: 'POST',
      body: { plaintext: 'eA==' },
    });
    assert.equal(noTok.status, 403);
  });

  it('rotating the signing key: new tokens use the new kid, old tokens keep verifying, JWKS has both', async () => {
    const oldKid = JSON.parse(Buffer.from(alice.access_token.split('.')[0], 'base64url')).kid;
    const rot = await call(`${base}/admin/rotate-signing-key`, {
      method: 'POST',
      headers: { authorization: `Bearer ${srv.adminToken}` },
      body: {},
    });
    assert.equal(rot.status, 200, rot.text);
    assert.equal(rot.json.previous, oldKid);
    assert.notEqual(rot.json.kid, oldKid);
    const jwks = (await call(`${base}/certs`)).json;
    assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [oldKid, rot.json.kid].sort());
    const fresh = await login(base, 'alice');
    assert.equal(JSON.parse(Buffer.from(fresh.access_token.split('.')[0], 'base64url')).kid, rot.json.kid);
    assert.equal(nobleVerifyJwt(fresh.access_token, jwks), true);
    assert.equal((await call(`${base}/api/documents/${record.id}`, { token: fresh.access_token })).status, 200);
    assert.equal(
      (await call(`${base}/api/documents/${record.id}`, { token: alice.access_token })).status,
      200,
      'old token still accepted',
    );
  });

  it('restart: users, keys and documents persist; old tokens still verify until they expire', async () => {
    const jwksBefore = (await call(`${base}/certs`)).json;
    const adminBefore = srv.adminToken;
    const port = Number(new URL(base).port);
    await srv.stop();
    // Same port, so the issuer URL (`iss`) is unchanged, as for a real deployment restart.
    srv = await startServer(dataDir, { port });
    assert.equal(srv.url, base);
    assert.equal(srv.adminToken, adminBefore, 'admin token persists');
    const jwksAfter = (await call(`${base}/certs`)).json;
    assert.deepEqual(
      jwksAfter.keys.map((k) => k.kid).sort(),
      jwksBefore.keys.map((k) => k.kid).sort(),
      'issuer keys persist (sealed)',
    );
    // The token from before the restart, signed by the now-passive key, is still valid…
    const old = await call(`${base}/api/documents/${record.id}`, { token: alice.access_token });
    assert.equal(old.status, 200, old.text);
    assert.deepEqual(unb64(old.json.document), document, 'the document still decrypts after restart');
    // …until it expires: the admin-forged expired token of the same user is still refused.
    const expired = await call(`${base}/admin/expired-token`, {
      method: 'POST',
      headers: { 'x-admin-token': srv.adminToken },
      body: { username: 'alice' },
    });
    assert.equal(
      (await call(`${base}/api/documents/${record.id}`, { token: expired.json.access_token })).json.error,
      'token_expired',
    );
    // The users' password hashes persisted too.
    const again = await login(base, 'alice');
    assert.equal((await call(`${base}/api/documents/${record.id}`, { token: again.access_token })).status, 200);
    assert.equal(
      (await call(`${base}/token`, { method: 'POST', body: { username: 'bob', password: 'wrong' } })).status,
      401,
    );
  });
});
