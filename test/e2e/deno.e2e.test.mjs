/**
 * examples/deno-server: the same service under Deno.serve (in memory).
 * Builds the bundle, runs it with the npm Deno binary, and walks the §10.1
 * flow plus 403 / expired / tampered over HTTP; signatures are checked with
 * @noble/post-quantum.
 *
 *   node --test test/e2e/deno.e2e.test.mjs
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ml_dsa65 as noble } from '@noble/post-quantum/ml-dsa.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { init } from '../../dist/index.js';
import { createCsr } from '../../dist/x509/index.js';
import { b64, call, login, removeDir, root, startServer, tempDataDir, unb64 } from '../helpers/demo.mjs';

const DENO = join(root, 'node_modules/@deno/linux-x64-glibc/deno');

describe('examples/deno-server on Deno.serve', () => {
  let dir, srv, base;
  before(async () => {
    dir = tempDataDir('deno');
    execFileSync(process.execPath, [join(root, 'examples/deno-server/build.mjs'), dir], { stdio: 'ignore' });
    srv = await startServer(dir, {
      command: [DENO, 'run', '--allow-net', '--allow-read', '--allow-env', '--no-prompt', join(dir, 'server.js')],
      readyWhen: 'state:',
      // Repo-local cache, no update check: works offline and without $HOME.
      env: { DENO_DIR: join(root, '.cache/deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    });
    base = srv.url;
    assert.match(srv.output(), /Deno 2\./);
  });
  after(async () => {
    await srv?.stop();
    if (dir) removeDir(dir);
  });

  it('login → sign → fetch back; tokens and signatures verify with noble; 403, 401 token_expired, tampered', async () => {
    const alice = await login(base, 'alice');
    const jwks = (await call(`${base}/certs`)).json;
    const [h, p, s] = alice.access_token.split('.');
    const kid = JSON.parse(Buffer.from(h, 'base64url')).kid;
    const jwk = jwks.keys.find((k) => k.kid === kid);
    assert.equal(
      noble.verify(
        new Uint8Array(Buffer.from(s, 'base64url')),
        new TextEncoder().encode(`${h}.${p}`),
        new Uint8Array(Buffer.from(jwk.pub, 'base64url')),
      ),
      true,
    );

    const keys = noble.keygen();
    const doc = new TextEncoder().encode('signed under Deno.serve');
    const sig = noble.sign(doc, keys.secretKey);
    const body = { name: 'deno.txt', document: b64(doc), signature: b64(sig), public_key: b64(keys.publicKey) };
    // First login binds the key to the account (issue 18 #13): a CSR signed by it, certified by the demo CA.
    await init();
    const csr = await createCsr({ subject: 'CN=alice' }, { alg: 'ML-DSA-65', ...keys });
    const enrolled = await call(`${base}/api/enroll`, {
      method: 'POST',
      token: alice.access_token,
      body: { csr: csr.pem },
    });
    assert.equal(enrolled.status, 200, enrolled.text);
    const r = await call(`${base}/api/sign`, { method: 'POST', token: alice.access_token, body });
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.encrypted_data.preview, /^vault:v1:/);
    const info = (await call(`${base}/api/info`)).json;
    const counter = unb64(r.json.signatures.service.signature.slice('vault:v1:'.length));
    assert.equal(noble.verify(counter, sha3_256(doc), unb64(info.signing_key.public_keys['1'])), true);

    const back = await call(`${base}/api/documents/${r.json.id}`, { token: alice.access_token });
    assert.equal(back.status, 200);
    assert.deepEqual(unb64(back.json.document), doc);

    const bob = await login(base, 'bob');
    assert.equal((await call(`${base}/api/documents/${r.json.id}`, { token: bob.access_token })).status, 403);

    const expired = await call(`${base}/admin/expired-token`, {
      method: 'POST',
      headers: { 'x-admin-token': srv.adminToken },
      body: { username: 'alice' },
    });
    const e = await call(`${base}/api/documents/${r.json.id}`, { token: expired.json.access_token });
    assert.equal(e.status, 401);
    assert.equal(e.json.error, 'token_expired');

    const tampered = doc.slice();
    tampered[0] ^= 1;
    const t = await call(`${base}/api/sign`, {
      method: 'POST',
      token: alice.access_token,
      body: { ...body, document: b64(tampered) },
    });
    assert.equal(t.status, 400);
    assert.equal(t.json.error, 'invalid_document_signature');
  });
});
