/**
 * issue 18, the demo server's findings, against the real server over real HTTP:
 *   #3  the Host header must not rewrite the routed path; a malformed Host is 400, not a reset;
 *   #6  POST /token is rate limited per account and per client (429 + Retry-After) and
 *       password hashing (scrypt) runs with bounded concurrency;
 *   #13 a document must be signed with the key the demo CA certified for the account
 *       at first login: a signature by any other key is refused.
 *
 *   node --test test/e2e/demo-security.e2e.test.mjs
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { init, ml_dsa65 } from '../../dist/index.js';
import { Certificate, createCsr, verifyChain } from '../../dist/x509/index.js';
import { b64, call, login, removeDir, startServer, tempDataDir, USERS } from '../helpers/demo.mjs';

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
