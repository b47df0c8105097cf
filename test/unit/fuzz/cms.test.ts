/*
 * The CMS parsers (SignedData, EnvelopedData/AuthEnvelopedData, the
 * streaming decryptor) on mutated and random input, with the harness's
 * time and wasm-memory bounds: every outcome is a result or a QsignError
 * with a stable code, and a mutated message never verifies or decrypts to
 * something other than the original.
 */
import { describe, expect } from 'vitest';
import fc from 'fast-check';
import { init } from '../../../src/index.js';
import { createCertificate, generateKey } from '../../../src/x509/index.js';
import {
  decryptData,
  decryptStream,
  encryptData,
  parseSignedData,
  signData,
  verifyDetachedStream,
  verifySignedData,
} from '../../../src/cms/index.js';
import { fuzz, mutatedBytes } from './invariants.js';

await init();
const T0 = new Date();
const rk = generateKey('ML-DSA-44');
const root = await createCertificate({ subject: 'CN=Fuzz Root', publicKey: rk, ca: true }, { key: rk });
const sk = generateKey('ML-DSA-44');
const leaf = await createCertificate({ subject: 'CN=Fuzz Signer', publicKey: sk }, { key: rk, certificate: root });
const kk = generateKey('ML-KEM-512');
const kemCert = await createCertificate({ subject: 'CN=Fuzz KEM', publicKey: kk }, { key: rk, certificate: root });
const content = new TextEncoder().encode('fuzz me');
const attached = await signData(content, { signers: [{ certificate: leaf, key: sk }] });
const noAttrs = await signData(content, { signers: [{ certificate: leaf, key: sk, signedAttributes: false }] });
const detached = await signData(content, { signers: [{ certificate: leaf, key: sk }], detached: true });
const gcmMsg = await encryptData(content, { recipients: [kemCert] });
const cbcMsg = await encryptData(content, { recipients: [kemCert], contentEncryption: 'AES-128-CBC' });
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

describe('fuzz: CMS', () => {
  fuzz({
    name: 'cms-signed-mutated',
    runs: 150,
    seed: 2001,
    timeoutMs: 4000,
    arb: mutatedBytes([attached, noAttrs]),
    run: (b) => verifySignedData(b, { trustAnchors: [root], time: T0 }),
    expectOutcome: (b, out) => {
      if (!same(b, attached) && !same(b, noAttrs) && out.ok) {
        // A no-op edit of an unsigned, unchecked part may still verify: the content must then be intact.
        expect((out.value as { content: Uint8Array }).content).toEqual(content);
      }
    },
  });
  fuzz({
    name: 'cms-signed-random',
    runs: 200,
    seed: 2002,
    arb: fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.of(0x30, 0x80, ...b)),
      fc.integer({ min: 1, max: 3000 }).map((n) => new Uint8Array(n * 2).map((_, i) => (i % 2 ? 0x80 : 0x30))),
    ),
    run: (b) => parseSignedData(b),
  });
  fuzz({
    name: 'cms-detached-stream-mutated',
    runs: 100,
    seed: 2003,
    timeoutMs: 4000,
    arb: mutatedBytes([detached]),
    run: (b) => verifyDetachedStream(b, [content], { trustAnchors: [root], time: T0 }),
  });
  fuzz({
    name: 'cms-enveloped-mutated',
    runs: 150,
    seed: 2004,
    timeoutMs: 4000,
    arb: mutatedBytes([gcmMsg, cbcMsg]),
    run: (b) => decryptData(b, { key: kk }),
    expectOutcome: (b, out) => {
      // GCM authenticates: a changed message either fails or yields the original content.
      if (out.ok && (out.value as { authenticated: boolean }).authenticated)
        expect((out.value as { content: Uint8Array }).content).toEqual(content);
    },
  });
  fuzz({
    name: 'cms-decrypt-stream-mutated',
    runs: 100,
    seed: 2005,
    timeoutMs: 4000,
    arb: mutatedBytes([gcmMsg]),
    run: (b) => collect(decryptStream([b], { key: kk })),
    expectOutcome: (_b, out) => {
      if (out.ok) expect(out.value).toEqual(content);
    },
  });
});
