// CMS conformance subset that must behave identically in every runtime
// (Node, Deno, Bun, workerd, browsers): OpenSSL-made SignedData and
// (Auth)EnvelopedData from test/helpers/fixtures/cms-openssl.json verify and
// decrypt, our own round trips work, and tampering is refused with codes.
import { describe, it, expect } from '../helpers/harness.js';
import { init } from '../../src/index.js';
import { Certificate, createCertificate, decodePKCS8, generateKey } from '../../src/x509/index.js';
import {
  decryptData,
  decryptStream,
  encryptData,
  signData,
  signDetachedStream,
  verifyDetachedStream,
  verifySignedData,
} from '../../src/cms/index.js';
import fixture from '../helpers/fixtures/cms-openssl.json' with { type: 'json' };

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const time = new Date(fixture.madeAt);

describe('cms', () => {
  it('verifies OpenSSL 3.5 ML-DSA-44 SignedData: attached (SHA-512) and detached (SHAKE256, streamed)', async () => {
    await init();
    const root = Certificate.parse(fixture.rootPem);
    const a = await verifySignedData(b64(fixture.signedAttached), { trustAnchors: [root], time });
    expect(text(a.content)).toBe(fixture.content);
    expect(a.signers[0]!.subject).toBe('CN=OpenSSL-Fixture-Signer');
    expect(a.signers[0]!.signatureAlgorithm).toBe('ML-DSA-44');
    const content = new TextEncoder().encode(fixture.content);
    const d = await verifyDetachedStream(
      b64(fixture.signedDetachedShake256),
      [content.subarray(0, 9), content.subarray(9)],
      {
        trustAnchors: [root],
        time,
      },
    );
    expect(d.signers[0]!.digestAlgorithm).toBe('SHAKE256');
    const bad = content.slice();
    bad[0] ^= 1;
    await expect(
      verifySignedData(b64(fixture.signedDetachedShake256), { trustAnchors: [root], content: bad, time }),
    ).rejects('ERR_CMS_DIGEST_MISMATCH');
  });

  it('decrypts OpenSSL 3.6 ML-KEM-768 AuthEnvelopedData (AES-256-GCM) and streamed EnvelopedData (AES-256-CBC)', async () => {
    await init();
    const key = decodePKCS8(fixture.kemKeyPem);
    const g = await decryptData(b64(fixture.authEnvelopedGcm), { key, certificate: fixture.kemCertPem });
    expect(text(g.content)).toBe(fixture.content);
    expect(g.authenticated).toBeTrue();
    const parts: Uint8Array[] = [];
    for await (const c of decryptStream([b64(fixture.envelopedCbcStreamed)], { key })) parts.push(c);
    expect(parts.map(text).join('')).toBe(fixture.content);
    const x = b64(fixture.authEnvelopedGcm);
    x[x.length - 1] ^= 1;
    await expect(decryptData(x, { key })).rejects('ERR_CMS_DECRYPT');
  });

  it('round-trips our own SignedData (two signers, streamed) and AuthEnvelopedData (two recipients)', async () => {
    await init();
    const rk = generateKey('ML-DSA-65');
    const root = await createCertificate({ subject: 'CN=Conformance CMS Root', publicKey: rk, ca: true }, { key: rk });
    const k1 = generateKey('ML-DSA-44');
    const c1 = await createCertificate({ subject: 'CN=One', publicKey: k1 }, { key: rk, certificate: root });
    const k2 = generateKey('ML-DSA-87');
    const c2 = await createCertificate({ subject: 'CN=Two', publicKey: k2 }, { key: rk, certificate: root });
    const doc = new TextEncoder().encode('conformance document');
    const p7s = await signData(doc, {
      signers: [
        { certificate: c1, key: k1 },
        { certificate: c2, key: k2, sid: 'subjectKeyIdentifier' },
      ],
    });
    const v = await verifySignedData(p7s, { trustAnchors: [root] });
    expect(v.signers.map((s) => s.subject)).toEqual(['CN=One', 'CN=Two']);
    const s = await signDetachedStream([doc], { signers: [{ certificate: c1, key: k1 }] });
    expect((await verifyDetachedStream(s, [doc], { trustAnchors: [root] })).contentLength).toBe(doc.length);
    await expect(verifySignedData(p7s, { trustAnchors: [c2] })).rejects('ERR_CMS_CHAIN');
    const e1 = generateKey('ML-KEM-512');
    const r1 = await createCertificate({ subject: 'CN=R1', publicKey: e1 }, { key: rk, certificate: root });
    const e2 = generateKey('ML-KEM-1024');
    const r2 = await createCertificate({ subject: 'CN=R2', publicKey: e2 }, { key: rk, certificate: root });
    const p7m = await encryptData(doc, { recipients: [r1, { certificate: r2, rid: 'subjectKeyIdentifier' }] });
    expect((await decryptData(p7m, { key: e1, certificate: r1 })).content).toEqual(doc);
    expect((await decryptData(p7m, { key: e2, certificate: r2 })).content).toEqual(doc);
    await expect(decryptData(p7m, { key: generateKey('ML-KEM-768') })).rejects('ERR_CMS_NO_RECIPIENT');
  });
});
