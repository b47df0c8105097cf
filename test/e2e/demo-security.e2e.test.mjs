/**
 * issue 18, the demo server's findings, against the real server over real HTTP:
 *   #3  the Host header must not rewrite the routed path; a malformed Host is 400, not a reset;
 *   #6  POST /token is rate limited per account and per client (429 + Retry-After) and
 *       password hashing (scrypt) runs with bounded concurrency;
 *   #13 a document must be signed with the key the demo CA certified for the account
 *       at first login: a signature by any other key is refused.
 * issue 20 item 6, the demo's CMS: the detached SignedData beside a document is verified with
 *   qsign-pqc/cms against the demo CA and must be signed with the account's own certificate;
 *   GET /api/documents/:id/cms is AuthEnvelopedData that OpenSSL 3.6 decrypts.
 *
 *   node --test test/e2e/demo-security.e2e.test.mjs
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { init, ml_dsa65 } from '../../dist/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Certificate,
  createCertificate,
  createCsr,
  encodePKCS8Pem,
  generateKey,
  verifyChain,
} from '../../dist/x509/index.js';
import { decryptData, signData } from '../../dist/cms/index.js';
import { b64, call, login, opensslHelpers, removeDir, startServer, tempDataDir, USERS } from '../helpers/demo.mjs';

/** One raw HTTP/1.1 request with exactly the headers given (fetch cannot set Host). */
function raw(base, { method = 'GET', path, headers = {}, body }) {
  const u = new URL(base);
  return new Promise((resolve) => {
    const req = httpRequest({ host: u.hostname, port: u.port, method, path, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', (e) => resolve({ error: e.code ?? e.message }));
    if (body) req.write(body);
    req.end();
  });
}

const tokenAttempt = (base, username, password) =>
  call(`${base}/token`, { method: 'POST', body: { grant_type: 'password', username, password } });

describe('issue 18 #3: the demo routes on the request target, never on Host', () => {
  let dataDir, srv;
  before(async () => {
    dataDir = tempDataDir('host');
    srv = await startServer(dataDir);
  });
  after(async () => {
    await srv?.stop();
    if (dataDir) removeDir(dataDir);
  });

  it('a Host header carrying a path does not reroute the request', async () => {
    const r = await raw(srv.url, { path: '/assets/app.css', headers: { Host: 'x/api/info?' } });
    assert.equal(r.error, undefined, `connection error ${r.error}`);
    // Routed on the Host it would answer /api/info (JSON); it must serve the stylesheet or refuse the Host.
    assert.ok(
      r.status === 400 || /text\/css/.test(r.headers['content-type'] ?? ''),
      `${r.status} ${r.text.slice(0, 80)}`,
    );
    assert.doesNotMatch(r.text, /"issuer"/);
    const t = await raw(srv.url, {
      path: '/api/info',
      headers: { Host: `x/v1/oqs-transit/keys/hosty?`, 'X-Vault-Token': srv.adminToken },
    });
    assert.ok(t.status === 400 || /"issuer"/.test(t.text), `${t.status} ${t.text.slice(0, 80)}`);
    const keys = await call(`${srv.url}/v1/oqs-transit/keys?list=true`, {
      headers: { 'x-vault-token': srv.adminToken },
    });
    assert.ok(!JSON.stringify(keys.json ?? {}).includes('hosty'), 'no key was created through the Host header');
  });

  for (const host of ['a b', 'x/y', '[::1', 'a\tb', '']) {
    it(`a malformed Host (${JSON.stringify(host)}) is answered 400, the connection is not reset`, async () => {
      const r = await raw(srv.url, { path: '/api/info', headers: { Host: host } });
      assert.equal(r.error, undefined, `connection error ${r.error}`);
      assert.equal(r.status, 400, r.text);
      assert.equal(JSON.parse(r.text).error, 'invalid_host');
    });
  }

  it('a request target that is not origin-form is 400; a good Host still works', async () => {
    const r = await raw(srv.url, { path: 'http://evil.example/api/info', headers: { Host: 'evil.example' } });
    assert.equal(r.error, undefined);
    assert.equal(r.status, 400);
    const ok = await raw(srv.url, { path: '/api/info', headers: { Host: new URL(srv.url).host } });
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.text).issuer, srv.url, 'the issuer comes from the bound address, not from Host');
    const other = await raw(srv.url, { path: '/api/info', headers: { Host: 'attacker.example:8080' } });
    assert.equal(JSON.parse(other.text).issuer, srv.url);
  });
});

describe('issue 18 #6: login rate limits and bounded password hashing', () => {
  let dataDir, srv;
  before(async () => {
    dataDir = tempDataDir('ratelimit');
    srv = await startServer(dataDir);
  });
  after(async () => {
    await srv?.stop();
    if (dataDir) removeDir(dataDir);
  });

  it('30 wrong passwords in a row for one account: 429 with Retry-After after the first few, then even the right password waits', async () => {
    const statuses = [];
    let retryAfter;
    for (let i = 0; i < 30; i++) {
      const r = await tokenAttempt(srv.url, 'alice', `wrong-${i}`);
      statuses.push(r.status);
      if (r.status === 429) {
        retryAfter = r.headers.get('retry-after');
        assert.equal(r.json.error, 'too_many_attempts');
      }
    }
    const n401 = statuses.filter((s) => s === 401).length;
    assert.ok(n401 >= 3 && n401 <= 5, `401 count ${n401}: ${statuses.join(',')}`);
    assert.deepEqual(statuses.slice(n401), Array(30 - n401).fill(429));
    assert.match(retryAfter ?? '', /^[1-9]\d*$/, 'Retry-After is a positive number of seconds');
    const right = await tokenAttempt(srv.url, 'alice', USERS.alice);
    assert.equal(right.status, 429, 'a locked account answers 429 whatever the password (no oracle)');
    // Another account from the same client is not locked by alice's failures.
    assert.equal((await tokenAttempt(srv.url, 'bob', USERS.bob)).status, 200);
  });

  it('many accounts guessed from one client: the per-client limit answers 429', async () => {
    const statuses = [];
    for (let i = 0; i < 30; i++) statuses.push((await tokenAttempt(srv.url, `spray-${i}`, 'x')).status);
    const first429 = statuses.indexOf(429);
    assert.ok(first429 > 0 && first429 <= 20, `per-client limit reached at ${first429}: ${statuses.join(',')}`);
    assert.ok(statuses.slice(first429).every((s) => s === 429));
  });
});

describe('issue 18 #6: concurrent password hashing is bounded', () => {
  let dataDir, srv;
  before(async () => {
    dataDir = tempDataDir('hashing');
    srv = await startServer(dataDir);
  });
  after(async () => {
    await srv?.stop();
    if (dataDir) removeDir(dataDir);
  });

  it('20 logins in parallel: the ones beyond the hashing queue get 429 at once instead of queuing CPU work', async () => {
    const t0 = Date.now();
    const rs = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const r = await tokenAttempt(srv.url, `parallel-${i}`, 'x');
        return { status: r.status, ms: Date.now() - t0, retry: r.headers.get('retry-after'), error: r.json?.error };
      }),
    );
    const busy = rs.filter((r) => r.status === 429);
    const hashed = rs.filter((r) => r.status === 401);
    assert.ok(busy.length >= 8, `429 count ${busy.length}: ${JSON.stringify(rs)}`);
    assert.ok(hashed.length <= 12, `401 count ${hashed.length}`);
    for (const b of busy) {
      assert.equal(b.error, 'too_many_attempts');
      assert.match(b.retry ?? '', /^[1-9]\d*$/);
    }
  });
});

describe('issue 18 #13: documents are checked against the key the demo CA certified for the account', () => {
  let dataDir, srv, alice, keyA, keyB, caPem;
  const doc = new TextEncoder().encode('contract: alice pays bob 10 EUR');

  before(async () => {
    await init();
    dataDir = tempDataDir('binding');
    srv = await startServer(dataDir);
    alice = await login(srv.url, 'alice');
    keyA = ml_dsa65.keygen();
    keyB = ml_dsa65.keygen();
  });
  after(async () => {
    await srv?.stop();
    if (dataDir) removeDir(dataDir);
  });

  const csrFor = async (kp, alg = 'ML-DSA-65', subject = 'CN=anything') =>
    (await createCsr({ subject }, { alg, publicKey: kp.publicKey, secretKey: kp.secretKey })).pem;
  const enroll = (token, csr) => call(`${srv.url}/api/enroll`, { method: 'POST', token, body: { csr } });
  const submit = (token, kp, claimed = kp.publicKey, bytes = doc) =>
    call(`${srv.url}/api/sign`, {
      method: 'POST',
      token,
      body: {
        name: 'c.txt',
        document: b64(bytes),
        signature: b64(ml_dsa65.sign(bytes, kp.secretKey)),
        public_key: b64(claimed),
      },
    });

  it('before enrollment a signed document is refused (no certificate bound to the account)', async () => {
    const r = await submit(alice.access_token, keyA);
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.error, 'no_signing_certificate');
  });

  it('first login enrolls: the demo CA certifies the key in the CSR for this account', async () => {
    const r = await enroll(alice.access_token, await csrFor(keyA));
    assert.equal(r.status, 200, r.text);
    caPem = (await call(`${srv.url}/api/ca`)).text;
    const cert = Certificate.parse(r.json.certificate);
    assert.deepEqual(cert.publicKey.publicKey, keyA.publicKey);
    assert.match(cert.subject, /CN=alice/);
    const { chain } = await verifyChain(cert, { trustAnchors: [caPem] });
    assert.equal(chain.length, 2);
    // Idempotent for the same key (the page enrolls at every login).
    const again = await enroll(alice.access_token, await csrFor(keyA));
    assert.equal(again.status, 200);
    assert.equal(Certificate.parse(again.json.certificate).serialNumber, cert.serialNumber);
  });

  it('a second key for the same account is refused (409), and so is a CSR that is not ML-DSA-65 or not self-signed', async () => {
    const r = await enroll(alice.access_token, await csrFor(keyB));
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error, 'signing_key_already_bound');
    const k44 = ml_dsa65.keygen(); // the 65 key, claimed as 44: the CSR cannot even be built
    void k44;
    const bad = await enroll(alice.access_token, 'not a csr');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error, 'invalid_csr');
  });

  it('a document signed with another key is refused, whatever public key the client claims', async () => {
    const own = await submit(alice.access_token, keyB);
    assert.equal(own.status, 403, own.text);
    assert.equal(own.json.error, 'signing_key_mismatch');
    const claimed = await submit(alice.access_token, keyB, keyA.publicKey);
    assert.equal(claimed.status, 400, claimed.text);
    assert.equal(claimed.json.error, 'invalid_document_signature');
  });

  it('a document signed with the certified key is accepted and the record names the certificate', async () => {
    const r = await submit(alice.access_token, keyA);
    assert.equal(r.status, 200, r.text);
    const cert = Certificate.parse(r.json.signatures.client.certificate);
    assert.deepEqual(cert.publicKey.publicKey, keyA.publicKey);
    assert.equal(r.json.signatures.client.certificate_serial, cert.serialNumber);
  });

  it("bob cannot sign with alice's key: his account has its own binding", async () => {
    const bob = await login(srv.url, 'bob');
    assert.equal((await enroll(bob.access_token, await csrFor(keyB))).status, 200);
    const r = await submit(bob.access_token, keyA);
    assert.equal(r.status, 403);
    assert.equal(r.json.error, 'signing_key_mismatch');
  });
});

describe('issue 20 item 6: the CMS SignedData beside a document is checked with qsign-pqc/cms and bound to the account; documents come back as ML-KEM CMS', () => {
  let dataDir, srv, alice, bob, caPem, aliceCert, bobCert, aliceKem, aliceRecipientPem, work, openssl;
  const keyA = () => ({ alg: 'ML-DSA-65', ...keys.a });
  const keys = {};
  const doc = new TextEncoder().encode('contract: alice pays bob 10 EUR\n');

  before(async () => {
    await init();
    openssl = await opensslHelpers();
    openssl.ensureOpenssl('3.5');
    openssl.ensureOpenssl('3.6');
    work = mkdtempSync(join(tmpdir(), 'qsign-e2e-cms-'));
    dataDir = tempDataDir('cms');
    srv = await startServer(dataDir);
    alice = await login(srv.url, 'alice');
    bob = await login(srv.url, 'bob');
    keys.a = ml_dsa65.keygen();
    keys.b = ml_dsa65.keygen();
    aliceKem = generateKey('ML-KEM-768');
    const enroll = async (token, kp, kem) => {
      const csr = await createCsr({ subject: 'CN=x' }, { alg: 'ML-DSA-65', ...kp });
      const body = { csr: csr.pem, ...(kem ? { recipient_public_key: b64(kem.publicKey) } : {}) };
      const r = await call(`${srv.url}/api/enroll`, { method: 'POST', token, body });
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    const a = await enroll(alice.access_token, keys.a, aliceKem);
    aliceCert = a.certificate;
    aliceRecipientPem = a.recipient_certificate;
    caPem = a.ca;
    bobCert = (await enroll(bob.access_token, keys.b)).certificate; // bob has no recipient key
  });
  after(async () => {
    await srv?.stop();
    if (dataDir) removeDir(dataDir);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const p7sBy = (certificate, key, content = doc, opts = {}) =>
    signData(content, { signers: [{ certificate, key, chain: [caPem] }], detached: true, ...opts });
  const submit = (token, cms, kp = keys.a, bytes = doc) =>
    call(`${srv.url}/api/sign`, {
      method: 'POST',
      token,
      body: {
        name: 'c.txt',
        document: b64(bytes),
        signature: b64(ml_dsa65.sign(bytes, kp.secretKey)),
        cms: b64(cms),
      },
    });

  it('a detached SignedData by the certified key is verified, stored and served back as document.p7s; OpenSSL 3.5 verifies it', async () => {
    const p7s = await p7sBy(aliceCert, keyA());
    const r = await submit(alice.access_token, p7s);
    assert.equal(r.status, 200, r.text);
    const cms = r.json.signatures.cms;
    assert.equal(cms.signer, 'CN=alice,O=QSIGN demo users');
    assert.deepEqual(cms.chain, ['CN=alice,O=QSIGN demo users', 'CN=QSIGN Demo CA,O=QSIGN demo']);
    assert.equal(cms.href, `/api/documents/${r.json.id}/p7s`);
    assert.equal(cms.p7s, undefined, 'the record names the CMS object; /p7s serves it');
    const stored = await fetch(`${srv.url}${cms.href}`, { headers: { authorization: `Bearer ${alice.access_token}` } });
    assert.equal(stored.status, 200);
    assert.equal(stored.headers.get('content-type'), 'application/pkcs7-signature');
    const bytes = new Uint8Array(await stored.arrayBuffer());
    assert.deepEqual(bytes, p7s);
    writeFileSync(join(work, 'document.p7s'), bytes);
    writeFileSync(join(work, 'c.txt'), doc);
    writeFileSync(join(work, 'ca.pem'), caPem);
    const v = openssl.openssl(
      '3.5',
      [...'cms -verify -binary -inform DER -in document.p7s -content c.txt -CAfile ca.pem -out /dev/null'.split(' ')],
      { cwd: work },
    );
    assert.equal(v.code, 0, v.out);
    const other = await fetch(`${srv.url}${cms.href}`, { headers: { authorization: `Bearer ${bob.access_token}` } });
    assert.equal(other.status, 403);
  });

  it('a SignedData over other content is refused (digest mismatch), and so is an attached one', async () => {
    const tampered = await p7sBy(aliceCert, keyA(), new TextEncoder().encode('contract: alice pays bob 1000 EUR\n'));
    const r = await submit(alice.access_token, tampered);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error, 'invalid_cms');
    assert.match(r.json.error_description, /ERR_CMS_DIGEST_MISMATCH/);
    const attached = await p7sBy(aliceCert, keyA(), doc, { detached: false });
    const a = await submit(alice.access_token, attached);
    assert.equal(a.status, 400, a.text);
    assert.equal(a.json.error, 'invalid_cms');
    assert.match(a.json.error_description, /must be detached/);
  });

  it("a SignedData by another account's certified key is refused even with alice's valid raw signature", async () => {
    const byBob = await p7sBy(bobCert, { alg: 'ML-DSA-65', ...keys.b });
    const r = await submit(alice.access_token, byBob);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error, 'cms_signer_mismatch');
  });

  it('a SignedData whose certificate another CA issued for the same key is refused (chain to the demo CA)', async () => {
    const rogueKey = generateKey('ML-DSA-65');
    const rogueCa = await createCertificate(
      { subject: 'CN=QSIGN Demo CA,O=QSIGN demo', publicKey: rogueKey, ca: true },
      { key: rogueKey },
    );
    const forged = await createCertificate(
      {
        subject: 'CN=alice,O=QSIGN demo users',
        publicKey: { alg: 'ML-DSA-65', publicKey: keys.a.publicKey },
        days: 30,
      },
      { key: rogueKey, certificate: rogueCa },
    );
    const p7s = await signData(doc, {
      signers: [{ certificate: forged, key: keyA(), chain: [rogueCa] }],
      detached: true,
    });
    const r = await submit(alice.access_token, p7s);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error, 'invalid_cms');
    assert.match(r.json.error_description, /ERR_CMS_CHAIN/);
  });

  it('GET /api/documents/:id/cms: AuthEnvelopedData to the recipient certificate; qsign-pqc/cms and OpenSSL 3.6 decrypt it', async () => {
    const r = await submit(alice.access_token, await p7sBy(aliceCert, keyA()));
    assert.equal(r.status, 200, r.text);
    const res = await fetch(`${srv.url}/api/documents/${r.json.id}/cms`, {
      headers: { authorization: `Bearer ${alice.access_token}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/pkcs7-mime/);
    const p7m = new Uint8Array(await res.arrayBuffer());
    const { content } = await decryptData(p7m, { key: aliceKem, certificate: aliceRecipientPem });
    assert.deepEqual(content, doc);
    writeFileSync(join(work, 'document.p7m'), p7m);
    writeFileSync(join(work, 'recipient.key'), encodePKCS8Pem('ML-KEM-768', aliceKem));
    writeFileSync(join(work, 'recipient.crt'), aliceRecipientPem);
    const d = openssl.openssl(
      '3.6',
      [...'cms -decrypt -binary -inform DER -in document.p7m -recip recipient.crt -inkey recipient.key'.split(' ')],
      { cwd: work },
    );
    assert.equal(d.code, 0, d.out);
    assert.deepEqual(new Uint8Array(d.bytes), doc);
    // The recipient certificate: ML-KEM-768, keyEncipherment only, issued by the demo CA for alice.
    const rc = Certificate.parse(aliceRecipientPem);
    assert.equal(rc.publicKey.alg, 'ML-KEM-768');
    assert.deepEqual(rc.publicKey.publicKey, aliceKem.publicKey);
    await verifyChain(rc, { trustAnchors: [caPem] });
  });

  it("bob (no recipient key) gets 409 no_recipient_certificate; alice's document is 403 for him", async () => {
    const mine = await call(`${srv.url}/api/sign`, {
      method: 'POST',
      token: bob.access_token,
      body: { name: 'b.txt', document: b64(doc), signature: b64(ml_dsa65.sign(doc, keys.b.secretKey)) },
    });
    assert.equal(mine.status, 200, mine.text);
    const r = await call(`${srv.url}/api/documents/${mine.json.id}/cms`, { token: bob.access_token });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error, 'no_recipient_certificate');
  });
});
