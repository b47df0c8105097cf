// Every certificate and CSR in the shared vectors parses and its signature
// verifies: RFC 9881/9935 examples, IETF hackathon R5 (OpenSSL 3.5 and
// Bouncy Castle) trust anchors and ML-KEM end-entity certificates, and the
// OpenSSL 3.5 interop PKI (root → intermediate → leaf, CSRs). Tampered copies
// must fail. (Key containers: x509-keys.test.ts.)
import { describe, it, expect, beforeAll } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { init } from '../../src/index.js';
import { Certificate, Csr, verifyChain, decodePKCS8 } from '../../src/x509/index.js';
import { VECTORS_DIR, vectorPath } from '../helpers/vectors.js';

const PKI = join(VECTORS_DIR, 'interop', 'openssl35', 'pki');
const lampsDsa = (alg: string) =>
  Certificate.parse(readFileSync(vectorPath(`x509/lamps-dilithium-certificates/${alg}.crt`), 'utf8'));

beforeAll(async () => {
  await init();
});

async function flipAndVerify(cert: Certificate, issuer: Certificate): Promise<boolean> {
  const der = cert.der.slice();
  der[der.length - 10] ^= 0x01; // inside the signature
  return Certificate.fromDer(der).verifySignature(issuer.publicKey);
}

describe('RFC 9881 ML-DSA example certificates', () => {
  for (const alg of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']) {
    it(`${alg}.crt: self-signed, RFC 9881 fields, signature verifies; a flipped bit does not`, async () => {
      const c = lampsDsa(alg);
      expect(c.signatureAlgorithm).toBe(alg);
      expect(c.publicKey.alg).toBe(alg);
      expect(c.subject).toBe('O=IETF,CN=LAMPS WG');
      expect(c.isSelfIssued).toBe(true);
      expect(c.extensions.keyUsage).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
      expect(await c.verifySignature(c.publicKey)).toBe(true);
      expect(await flipAndVerify(c, c)).toBe(false);
      // The example certificate's key is the example seed-form key.
      const k = decodePKCS8(readFileSync(vectorPath(`x509/lamps-dilithium-certificates/${alg}-seed.priv`), 'utf8'));
      expect(c.publicKey.publicKey).toEqual(k.publicKey);
    });
  }
});

describe('RFC 9935 ML-KEM example certificates', () => {
  for (const alg of ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024']) {
    it(`${alg}.crt: KEM subject key, keyEncipherment only, signed by exactly one LAMPS ML-DSA example key`, async () => {
      const c = Certificate.parse(readFileSync(vectorPath(`x509/lamps-kyber-certificates/${alg}.crt`), 'utf8'));
      expect(c.publicKey.alg).toBe(alg);
      expect(c.extensions.keyUsage).toEqual(['keyEncipherment']);
      const verdicts = await Promise.all(
        ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'].map((a) => c.verifySignature(lampsDsa(a).publicKey)),
      );
      expect(verdicts.filter(Boolean)).toHaveLength(1);
      expect(verdicts[['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'].indexOf(c.signatureAlgorithm)]).toBe(true);
      // All three LAMPS roots share the issuer name, so path building must pick the one whose signature verifies.
      const roots = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'].map(lampsDsa);
      const r = await verifyChain(c, { trustAnchors: roots, time: new Date(c.notBefore.getTime() + 1000) });
      expect(r.trustAnchor.publicKey.alg).toBe(c.signatureAlgorithm);
    });
  }
});

describe('IETF hackathon R5 certificates', () => {
  for (const provider of ['hackathon-r5-ossl35', 'hackathon-r5-bc']) {
    const dir = vectorPath(`x509/${provider}`);
    const files = readdirSync(dir);
    const load = (f: string) => Certificate.parse(new Uint8Array(readFileSync(join(dir, f))));
    it(`${provider}: every ML-DSA trust anchor is self-signed and verifies`, async () => {
      const tas = files.filter((f) => f.endsWith('_ta.der'));
      expect(tas).toHaveLength(3);
      for (const f of tas) {
        const c = load(f);
        expect(c.signatureAlgorithm).toBe(c.publicKey.alg);
        expect(await c.verifySignature(c.publicKey)).toBe(true);
        expect(await flipAndVerify(c, c)).toBe(false);
      }
    });
    it(`${provider}: every ML-KEM end-entity certificate verifies under its same-level ML-DSA TA`, async () => {
      const pairs = { 'ml-kem-512': 'ml-dsa-44', 'ml-kem-768': 'ml-dsa-65', 'ml-kem-1024': 'ml-dsa-87' } as const;
      for (const [kem, dsa] of Object.entries(pairs)) {
        const ee = load(files.find((f) => f.startsWith(kem + '-') && f.endsWith('_ee.der'))!);
        const ta = load(files.find((f) => f.startsWith(dsa + '-') && f.endsWith('_ta.der'))!);
        expect(ee.publicKey.alg).toBe(kem.toUpperCase());
        expect(await ee.verifySignature(ta.publicKey)).toBe(true);
        expect(await flipAndVerify(ee, ta)).toBe(false);
        // Full path validation (TA → KEM EE) at a time inside both validity periods.
        const time = new Date(Math.max(ee.notBefore.getTime(), ta.notBefore.getTime()) + 1000);
        const r = await verifyChain(ee, { trustAnchors: [ta], time });
        expect(r.chain.map((c) => c.publicKey.alg)).toEqual([kem.toUpperCase(), dsa.toUpperCase()]);
        // The KEM certificate's key matches the provider's KEM private key.
        const k = decodePKCS8(
          new Uint8Array(
            readFileSync(
              join(
                dir,
                files.find((f) => f.startsWith(kem + '-') && f.endsWith('_seed_priv.der'))!,
              ),
            ),
          ),
        );
        expect(ee.publicKey.publicKey).toEqual(k.publicKey);
      }
    });
  }
});

describe('OpenSSL 3.5 interop PKI', () => {
  const read = (f: string) => readFileSync(join(PKI, f), 'utf8');
  it('root → intermediate → leaf validates with serverAuth and hostname, at a time inside every validity', async () => {
    const root = Certificate.parse(read('root.crt.pem'));
    const inter = Certificate.parse(read('inter.crt.pem'));
    const leaf = Certificate.parse(read('leaf.crt.pem'));
    expect(Certificate.parse(new Uint8Array(readFileSync(join(PKI, 'leaf.crt.der')))).der).toEqual(leaf.der);
    expect(inter.extensions.basicConstraints).toEqual({ ca: true, pathLength: 0, critical: true });
    expect(leaf.extensions.subjectAltName?.dns).toEqual(['server.example.com', '*.example.com']);
    const time = new Date(
      Math.max(root.notBefore.getTime(), inter.notBefore.getTime(), leaf.notBefore.getTime()) + 60_000,
    );
    for (const host of ['server.example.com', 'www.example.com']) {
      const r = await verifyChain(leaf, {
        trustAnchors: [root],
        intermediates: [inter],
        time,
        purpose: 'serverAuth',
        hostname: host,
      });
      expect(r.chain.map((c) => c.signatureAlgorithm)).toEqual(['ML-DSA-65', 'ML-DSA-87', 'ML-DSA-87']);
    }
    await expect(
      verifyChain(leaf, { trustAnchors: [root], intermediates: [inter], time, hostname: 'a.b.example.com' }),
    ).rejects.toMatchObject({ code: 'ERR_CERT_HOSTNAME_MISMATCH' });
    // chain.pem = leaf + intermediate, as a TLS server sends it.
    const chain = read('chain.pem');
    expect(chain.includes(read('leaf.crt.pem').trim())).toBe(true);
    // The certificates' keys are the rig's keys.
    expect(decodePKCS8(read('leaf.key.pem')).publicKey).toEqual(leaf.publicKey.publicKey);
    expect(decodePKCS8(read('root.key.pem')).publicKey).toEqual(root.publicKey.publicKey);
  });
  it('OpenSSL CSRs (PEM and DER) parse and their self-signatures verify; a tampered one does not', async () => {
    for (const f of ['inter.csr.pem', 'leaf.csr.pem']) {
      const csr = Csr.parse(read(f));
      expect(await csr.verify()).toBe(true);
      const der = csr.der.slice();
      der[der.length - 5] ^= 0x80;
      expect(await Csr.fromDer(der).verify()).toBe(false);
    }
    const leafCsr = Csr.parse(new Uint8Array(readFileSync(join(PKI, 'leaf.csr.der'))));
    expect(leafCsr.subject).toMatch(/CN=server\.example\.com/);
    expect(await leafCsr.verify()).toBe(true);
  });
});
