// X.509 conformance subset that must behave identically in every runtime
// (Node, Deno, Bun, workerd, browsers): build a root and a leaf, validate the
// chain, parse PEM back, and one negative case per alert family.
import { describe, it, expect } from '../helpers/harness.js';
import { init } from '../../src/index.js';
import {
  Certificate,
  createCertificate,
  createCsr,
  decodePKCS8,
  encodePKCS8Pem,
  generateKey,
  verifyChain,
} from '../../src/x509/index.js';

describe('x509', () => {
  it('creates a root and an ML-DSA leaf, and the chain validates with hostname and purpose', async () => {
    await init();
    const rk = generateKey('ML-DSA-65');
    const root = await createCertificate(
      { subject: 'CN=Conformance Root,O=qsign', publicKey: rk, ca: true, days: 30 },
      { key: rk },
    );
    const lk = generateKey('ML-DSA-44');
    const leaf = await createCertificate(
      {
        subject: 'CN=svc.example.com',
        publicKey: lk,
        days: 7,
        extendedKeyUsage: ['serverAuth'],
        subjectAltName: { dns: ['svc.example.com'] },
      },
      { key: rk, certificate: root },
    );
    const r = await verifyChain(leaf.pem, {
      trustAnchors: [root.pem],
      purpose: 'serverAuth',
      hostname: 'svc.example.com',
    });
    expect(r.chain.length).toBe(2);
    expect(r.chain[1]!.subject).toBe('CN=Conformance Root,O=qsign');
    const again = Certificate.parse(leaf.pem);
    expect(again.der).toEqual(leaf.der);
    expect(again.extensions.keyUsage).toEqual(['digitalSignature']);
    expect(await again.verifySignature(root.publicKey)).toBeTrue();
  });

  it('rejects a tampered leaf (bad_certificate), an unknown CA (unknown_ca) and a wrong host', async () => {
    await init();
    const rk = generateKey('ML-DSA-44');
    const root = await createCertificate({ subject: 'CN=R', publicKey: rk, ca: true }, { key: rk });
    const lk = generateKey('ML-DSA-44');
    const leaf = await createCertificate(
      { subject: 'CN=a.example.com', publicKey: lk, subjectAltName: { dns: ['a.example.com'] } },
      { key: rk, certificate: root },
    );
    const bad = leaf.der.slice();
    bad[bad.length - 1] ^= 1;
    await expect(verifyChain(bad, { trustAnchors: [root] })).rejects('ERR_CERT_SIGNATURE_INVALID');
    const ok = generateKey('ML-DSA-44');
    const other = await createCertificate({ subject: 'CN=Other', publicKey: ok, ca: true }, { key: ok });
    await expect(verifyChain(leaf, { trustAnchors: [other] })).rejects('ERR_CERT_UNKNOWN_CA');
    await expect(verifyChain(leaf, { trustAnchors: [root], hostname: 'b.example.com' })).rejects(
      'ERR_CERT_HOSTNAME_MISMATCH',
    );
  });

  it('PKCS#8 seed form round-trips and a CSR self-verifies', async () => {
    await init();
    const k = generateKey('ML-KEM-768');
    const d = decodePKCS8(encodePKCS8Pem(k.alg, k));
    expect(d.form).toBe('seed');
    expect(d.publicKey).toEqual(k.publicKey);
    const s = generateKey('ML-DSA-65');
    const csr = await createCsr({ subject: 'CN=csr.example.com' }, s);
    expect(await csr.verify()).toBeTrue();
  });
});
