#!/usr/bin/env node
// Two parties end up with the same session key, protected by ML-KEM-768 AND
// X25519 at once (the design doc's "hybrid KEM (X25519 + KYBER768)" flow).
//
//   npm run build:ts && node examples/hybrid-key-exchange/two-party.mjs
//
// Part 1 uses X-Wing, the standard way to do this in one message: the
// combiner (SHA3-256 over both secrets, the X25519 ciphertext and public
// key) is already the "combined_secret = KDF(classical ‖ pqc)" step.
// Part 2 shows the TLS 1.3 shape (X25519MLKEM768), where the two secrets are
// only concatenated and the protocol's own key schedule must bind the
// transcript; we stand in for that with HKDF over secret and transcript.
import { init } from 'qsign-pqc';
import { xwing, x25519mlkem768 } from 'qsign-pqc/hybrid';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

const enc = new TextEncoder();
const hex = (b) => Buffer.from(b).toString('hex');
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

await init(); // the KEM objects are synchronous once the wasm core is loaded

// ---- Part 1: X-Wing ------------------------------------------------------
// Server: a long-term (or per-session) key pair; the public key is published.
const server = xwing.keygen();
console.log(`server publishes its X-Wing public key (${server.publicKey.length} bytes)`);

// Client: encapsulates to it and sends the 1120-byte ciphertext.
const { cipherText, sharedSecret: clientSecret } = xwing.encapsulate(server.publicKey);
console.log(`client sends the X-Wing ciphertext (${cipherText.length} bytes)`);

// Server: decapsulates.
const serverSecret = xwing.decapsulate(cipherText, server.secretKey);

// Both: one HKDF step turns the 32-byte KEM secret into purpose-bound keys.
const info = enc.encode('qsign example v1: session key');
const sessionKeyClient = hkdf(sha256, clientSecret, undefined, info, 32);
const sessionKeyServer = hkdf(sha256, serverSecret, undefined, info, 32);
console.log(`X-Wing session key, client: ${hex(sessionKeyClient)}`);
console.log(`X-Wing session key, server: ${hex(sessionKeyServer)}`);
if (!same(sessionKeyClient, sessionKeyServer)) throw new Error('X-Wing: session keys differ');

// Prove it: the client encrypts with AES-GCM, the server decrypts.
const aesKey = (k) => crypto.subtle.importKey('raw', k, 'AES-GCM', false, ['encrypt', 'decrypt']);
const iv = crypto.getRandomValues(new Uint8Array(12));
const sealed = await crypto.subtle.encrypt(
  { name: 'AES-GCM', iv },
  await aesKey(sessionKeyClient),
  enc.encode('hello over a hybrid channel'),
);
const opened = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, await aesKey(sessionKeyServer), sealed);
console.log(`server decrypted: "${new TextDecoder().decode(opened)}"`);

// ---- Part 2: X25519MLKEM768 (TLS 1.3 group 0x11EC) -----------------------
const client = x25519mlkem768.clientKeyShare(); // ClientHello key_share (1216 B)
const answer = x25519mlkem768.serverRespond(client.keyShare); // ServerHello key_share (1120 B)
const clientSs = x25519mlkem768.clientFinish(client.secretKey, answer.keyShare);
if (!same(clientSs, answer.sharedSecret)) throw new Error('X25519MLKEM768: secrets differ');
// 64 bytes = ML-KEM secret ‖ X25519 secret, NOT hashed: bind the transcript yourself.
const transcript = sha256(new Uint8Array([...client.keyShare, ...answer.keyShare]));
const tlsLikeKey = hkdf(sha256, clientSs, transcript, info, 32);
console.log(`X25519MLKEM768 shared secret: ${clientSs.length} bytes; derived key ${hex(tlsLikeKey)}`);
console.log('both parties agree in both constructions ✔');
