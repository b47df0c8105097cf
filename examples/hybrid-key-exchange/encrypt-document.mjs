#!/usr/bin/env node
// "Encrypt a document to a server's public key" with HPKE (RFC 9180) and
// X-Wing: the browser needs nothing but the server's public key, the server
// alone can decrypt. Only one request, no handshake.
//
//   npm run build:ts && node examples/hybrid-key-exchange/encrypt-document.mjs
//
// The script starts a small HTTP server, then plays the browser with fetch().
// The `browserUpload` function uses only Web APIs plus qsign-pqc/hybrid, so
// the same code runs in a page (bundle it with esbuild/vite/rollup).
import { createServer } from 'node:http';
import { suite, seal, open, generateKeyPair } from 'qsign-pqc/hybrid';

// Both sides must agree on the suite and on `info`; change `info` when the
// meaning of the payload changes, so old ciphertexts cannot be replayed into it.
const SUITE = suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM' });
const INFO = 'qsign example v1: document upload';
const b64 = (b) => Buffer.from(b).toString('base64');
const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));

// ---- server ----------------------------------------------------------------
const serverKeys = await generateKeyPair(SUITE); // keep secretKey (32 bytes) in your KMS / secret store
const received = [];
const http = createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/hpke-public-key') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ suite: SUITE.name, publicKey: b64(serverKeys.publicKey) }));
    return;
  }
  if (req.method === 'POST' && req.url === '/documents') {
    let body = '';
    for await (const chunk of req) body += chunk;
    const { id, enc, ciphertext } = JSON.parse(body);
    try {
      // The document id is the AEAD's associated data: a ciphertext cannot be
      // moved to another id without failing here.
      const doc = await open(SUITE, serverKeys.secretKey, unb64(enc), unb64(ciphertext), { info: INFO, aad: id });
      received.push({ id, text: new TextDecoder().decode(doc) });
      res.statusCode = 204;
    } catch (e) {
      res.statusCode = 400; // e.code === 'ERR_DECRYPTION_FAILED' for anything tampered
      res.setHeader('content-type', 'application/json');
      res.write(JSON.stringify({ error: e.code ?? 'ERR_INTERNAL' }));
    }
    res.end();
    return;
  }
  res.statusCode = 404;
  res.end();
});
await new Promise((r) => http.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${http.address().port}`;

// ---- browser -------------------------------------------------------------
async function browserUpload(origin, id, text) {
  const { publicKey } = await (await fetch(`${origin}/hpke-public-key`)).json();
  const pk = Uint8Array.from(atob(publicKey), (c) => c.charCodeAt(0));
  const { enc, ciphertext } = await seal(SUITE, pk, new TextEncoder().encode(text), { info: INFO, aad: id });
  const toB64 = (b) => btoa(String.fromCharCode(...b));
  return fetch(`${origin}/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, enc: toB64(enc), ciphertext: toB64(ciphertext) }),
  });
}

try {
  const ok = await browserUpload(origin, 'doc-001', 'Quarterly report: all numbers are up.');
  console.log(`upload doc-001 → HTTP ${ok.status}`);
  // An attacker replays the same ciphertext under another id: rejected.
  const { publicKey } = await (await fetch(`${origin}/hpke-public-key`)).json();
  const { enc, ciphertext } = await seal(SUITE, unb64(publicKey), new TextEncoder().encode('x'), {
    info: INFO,
    aad: 'doc-002',
  });
  const moved = await fetch(`${origin}/documents`, {
    method: 'POST',
    body: JSON.stringify({ id: 'doc-003', enc: b64(enc), ciphertext: b64(ciphertext) }),
  });
  console.log(`ciphertext for doc-002 posted as doc-003 → HTTP ${moved.status} ${await moved.text()}`);
  console.log('server received:', received);
  if (ok.status !== 204 || moved.status !== 400 || received.length !== 1) process.exitCode = 1;
} finally {
  http.close();
}
