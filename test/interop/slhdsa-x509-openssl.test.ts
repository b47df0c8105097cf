// SLH-DSA through X.509 (RFC 9909) and CMS (RFC 9814) against OpenSSL 3.5
// and 3.6, both directions:
//  - keys, all twelve sets: OpenSSL's PKCS#8 and SPKI decode here and our
//    encoding of the same key is byte-identical to OpenSSL's; OpenSSL reads
//    the keys we generate;
//  - certificates, CSRs and chains for a few sets (the s-sets sign slowly):
//    OpenSSL verifies ours (`openssl verify`, `req -verify`, `x509 -text`),
//    we verify OpenSSL's;
//  - CMS SignedData: `openssl cms -verify` accepts ours (attached, detached),
//    we accept `openssl cms -sign` output, with the RFC 9814 digests.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../src/index.js';
import {
  Certificate,
  Csr,
  createCertificate,
  createCsr,
  decodePKCS8,
  decodeSPKI,
  encodePKCS8,
  encodePKCS8Pem,
  encodeSPKI,
  generateKey,
  verifyChain,
  type KeyAlgorithm,
} from '../../src/x509/index.js';
import { signData, verifySignedData } from '../../src/cms/index.js';
import { openssl, type OpensslSeries } from '../helpers/openssl.js';

const ALL_SETS = ['SHA2', 'SHAKE'].flatMap((h) =>
  ['128s', '128f', '192s', '192f', '256s', '256f'].map((s) => `SLH-DSA-${h}-${s}` as KeyAlgorithm),
);
// Our certificates, CSRs and CMS: both hash families, every CMS digest (SHA-256, SHA-512, SHAKE128,
// SHAKE256), one slow s-set. What OpenSSL signs also covers the 256-bit s-sets on 3.5 (the s-sets cost
// seconds each even natively on a loaded machine, so 3.6 gets the five above).
const SIGNING_SETS = [
  'SLH-DSA-SHA2-128s',
  'SLH-DSA-SHA2-128f',
  'SLH-DSA-SHA2-192f',
  'SLH-DSA-SHAKE-128f',
  'SLH-DSA-SHAKE-256f',
] as const;
const SERIES: OpensslSeries[] = ['3.5', '3.6'];
const OPENSSL_SIGNED_SETS: Record<OpensslSeries, readonly KeyAlgorithm[]> = {
  '3.5': [...SIGNING_SETS, 'SLH-DSA-SHA2-256s', 'SLH-DSA-SHAKE-256s'],
  '3.6': SIGNING_SETS,
};

let dir: string;
const path = (name: string) => join(dir, name);
const file = (name: string, data: string | Uint8Array) => {
  writeFileSync(path(name), data);
  return path(name);
};
const read = (name: string) => readFileSync(path(name));
function ossl(series: OpensslSeries, ...args: string[]) {
  return openssl(series, args, { cwd: dir, timeoutMs: 120_000 });
}
function osslOk(series: OpensslSeries, ...args: string[]): string {
  return openssl(series, args, { cwd: dir, check: true, timeoutMs: 120_000 }).out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qsign-slh-x509-'));
  await init();
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(SERIES)('SLH-DSA keys with OpenSSL %s (all twelve sets)', (series) => {
  it.each(ALL_SETS)('%s: OpenSSL key → ours byte-identical; our key → OpenSSL', (alg) => {
    const tag = `${series}-${alg}`;
    osslOk(series, 'genpkey', '-algorithm', alg, '-outform', 'DER', '-out', `${tag}.key.der`);
    osslOk(
      series,
      'pkey',
      '-inform',
      'DER',
      '-in',
      `${tag}.key.der`,
      '-pubout',
      '-outform',
      'DER',
      '-out',
      `${tag}.pub.der`,
    );
    const der = new Uint8Array(read(`${tag}.key.der`));
    const key = decodePKCS8(der);
    expect(key.alg).toBe(alg);
    const spki = decodeSPKI(new Uint8Array(read(`${tag}.pub.der`)));
    expect(spki.alg).toBe(alg);
    expect(spki.publicKey).toEqual(key.publicKey);
    expect(encodePKCS8(alg, key)).toEqual(der);
    expect(encodeSPKI(alg, key.publicKey)).toEqual(new Uint8Array(read(`${tag}.pub.der`)));

    const mine = generateKey(alg);
    file(`${tag}.mine.key`, encodePKCS8Pem(alg, mine));
    osslOk(series, 'pkey', '-in', `${tag}.mine.key`, '-pubout', '-outform', 'DER', '-out', `${tag}.mine.pub.der`);
    expect(new Uint8Array(read(`${tag}.mine.pub.der`))).toEqual(encodeSPKI(alg, mine.publicKey));
    const text = osslOk(series, 'pkey', '-in', `${tag}.mine.key`, '-noout', '-text');
    expect(text).toContain(alg);
  });
});

describe.each(SERIES)('SLH-DSA certificates and CSRs with OpenSSL %s', (series) => {
  it.each(SIGNING_SETS)(
    '%s root → ML-DSA-65 intermediate → leaf of the same set: openssl verify -x509_strict; CSR passes req -verify',
    async (alg) => {
      const tag = `${series}-${alg}-chain`;
      const rk = generateKey(alg);
      const ik = generateKey('ML-DSA-65');
      const lk = generateKey(alg);
      const root = await createCertificate({ subject: `CN=${alg} Root`, publicKey: rk, ca: true }, { key: rk });
      const inter = await createCertificate(
        { subject: 'CN=ML-DSA Intermediate', publicKey: ik, ca: true, pathLength: 0 },
        { certificate: root, key: rk },
      );
      const leaf = await createCertificate(
        {
          subject: 'CN=app.example.com',
          publicKey: lk,
          subjectAltName: { dns: ['app.example.com'] },
          extendedKeyUsage: ['serverAuth'],
        },
        { certificate: inter, key: ik },
      );
      expect(root.signatureAlgorithm).toBe(alg);
      file(`${tag}.root.crt`, root.pem);
      file(`${tag}.inter.crt`, inter.pem);
      file(`${tag}.leaf.crt`, leaf.pem);
      const v = ossl(
        series,
        'verify',
        '-x509_strict',
        '-purpose',
        'sslserver',
        '-CAfile',
        `${tag}.root.crt`,
        '-untrusted',
        `${tag}.inter.crt`,
        `${tag}.leaf.crt`,
      );
      expect(v.out).toMatch(/leaf\.crt: OK/);
      expect(v.code).toBe(0);
      expect(osslOk(series, 'x509', '-in', `${tag}.root.crt`, '-noout', '-text')).toMatch(
        new RegExp(`Signature Algorithm: ${alg}`),
      );
      // All-SLH-DSA chain: the root issues the leaf directly.
      const direct = await createCertificate(
        { subject: 'CN=direct.example.com', publicKey: lk },
        { certificate: root, key: rk },
      );
      file(`${tag}.direct.crt`, direct.pem);
      const d = ossl(series, 'verify', '-x509_strict', '-CAfile', `${tag}.root.crt`, `${tag}.direct.crt`);
      expect(d.out).toMatch(/direct\.crt: OK/);
      const ours = await verifyChain(direct, { trustAnchors: [root] });
      expect(ours.chain.map((c) => c.signatureAlgorithm)).toEqual([alg, alg]);

      const csr = await createCsr({ subject: 'CN=csr.example.com', subjectAltName: { dns: ['csr.example.com'] } }, lk);
      file(`${tag}.csr`, csr.pem);
      const r = ossl(series, 'req', '-verify', '-in', `${tag}.csr`, '-noout');
      expect(r.out).toMatch(/verify OK/);
      expect(r.code).toBe(0);
    },
    120_000,
  );

  it.each(OPENSSL_SIGNED_SETS[series])(
    '%s: OpenSSL self-signed CA, CSR and issued leaf verify here',
    async (alg) => {
      const tag = `${series}-${alg}-ossl`;
      osslOk(series, 'genpkey', '-algorithm', alg, '-out', `${tag}.ca.key`);
      osslOk(
        series,
        'req',
        '-x509',
        '-new',
        '-key',
        `${tag}.ca.key`,
        '-subj',
        '/CN=OpenSSL SLH Root',
        '-days',
        '30',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
        '-out',
        `${tag}.ca.crt`,
      );
      osslOk(series, 'genpkey', '-algorithm', alg, '-out', `${tag}.leaf.key`);
      osslOk(series, 'req', '-new', '-key', `${tag}.leaf.key`, '-subj', '/CN=leaf.example.com', '-out', `${tag}.csr`);
      osslOk(
        series,
        'x509',
        '-req',
        '-in',
        `${tag}.csr`,
        '-CA',
        `${tag}.ca.crt`,
        '-CAkey',
        `${tag}.ca.key`,
        '-days',
        '10',
        '-out',
        `${tag}.leaf.crt`,
      );
      const ca = Certificate.parse(read(`${tag}.ca.crt`).toString());
      expect(ca.signatureAlgorithm).toBe(alg);
      const csr = Csr.parse(read(`${tag}.csr`).toString());
      expect(csr.publicKey.alg).toBe(alg);
      expect(await csr.verify()).toBe(true);
      const r = await verifyChain(read(`${tag}.leaf.crt`).toString(), { trustAnchors: [ca] });
      expect(r.chain[0]!.publicKey.publicKey).toEqual(decodePKCS8(read(`${tag}.leaf.key`).toString()).publicKey);
      // A flipped signature byte is refused.
      const bad = new Uint8Array(ca.der);
      bad[bad.length - 5]! ^= 1;
      await expect(verifyChain(bad, { trustAnchors: [ca.pem] })).rejects.toThrow();
    },
    120_000,
  );
});

// RFC 9814 §4: SHA-256 for SHA2-128*, SHA-512 for SHA2-192/256*, SHAKE128 for SHAKE-128*, SHAKE256 otherwise.
const CMS_DIGEST: Record<(typeof SIGNING_SETS)[number], string> = {
  'SLH-DSA-SHA2-128s': 'SHA-256',
  'SLH-DSA-SHA2-128f': 'SHA-256',
  'SLH-DSA-SHA2-192f': 'SHA-512',
  'SLH-DSA-SHAKE-128f': 'SHAKE128',
  'SLH-DSA-SHAKE-256f': 'SHAKE256',
};

describe.each(SERIES)('SLH-DSA CMS SignedData with OpenSSL %s', (series) => {
  it.each(SIGNING_SETS)(
    '%s: ours → openssl cms -verify (attached, detached); openssl cms -sign → ours; no-attributes round trip',
    async (alg) => {
      const tag = `${series}-${alg}-cms`;
      const key = generateKey(alg);
      const cert = await createCertificate(
        { subject: `CN=${alg} signer`, publicKey: key, ca: true, keyUsage: ['digitalSignature', 'keyCertSign'] },
        { key },
      );
      file(`${tag}.crt`, cert.pem);
      file(`${tag}.key`, encodePKCS8Pem(alg, key));
      const doc = new TextEncoder().encode(`hello from ${alg}\n`);
      file(`${tag}.txt`, doc);

      const attached = await signData(doc, { signers: [{ certificate: cert, key }] });
      const parsedDigest = (await verifySignedData(attached, { trustAnchors: [cert] })).signers[0]!;
      expect(parsedDigest.signatureAlgorithm).toBe(alg);
      expect(parsedDigest.digestAlgorithm).toBe(CMS_DIGEST[alg]);
      file(`${tag}.att.p7s`, attached);
      const a = ossl(
        series,
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        `${tag}.att.p7s`,
        '-CAfile',
        `${tag}.crt`,
        '-out',
        `${tag}.att.out`,
      );
      expect(a.out).toMatch(/Verification successful/);
      expect(new Uint8Array(read(`${tag}.att.out`))).toEqual(doc);

      const detached = await signData(doc, { signers: [{ certificate: cert, key }], detached: true });
      file(`${tag}.det.p7s`, detached);
      const d = ossl(
        series,
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        `${tag}.det.p7s`,
        '-content',
        `${tag}.txt`,
        '-CAfile',
        `${tag}.crt`,
        '-out',
        `${tag}.det.out`,
      );
      expect(d.out).toMatch(/Verification successful/);

      // Without signed attributes SLH-DSA signs the content itself (RFC 9814 §4). OpenSSL 3.5 and 3.6
      // cannot do that for SLH-DSA ("provider signature not supported" both ways), so this case is ours only.
      const noAttrs = await signData(doc, { signers: [{ certificate: cert, key, signedAttributes: false }] });
      const na = await verifySignedData(noAttrs, { trustAnchors: [cert] });
      expect(na.signers[0]!.signedAttributes).toBe(false);
      expect(na.content).toEqual(doc);

      // OpenSSL has no default CMS digest for SLH-DSA: name the RFC 9814 one.
      const md = { 'SHA-256': 'sha256', 'SHA-512': 'sha512', SHAKE128: 'shake128', SHAKE256: 'shake256' }[
        CMS_DIGEST[alg]
      ]!;
      for (const mode of ['attached', 'detached'] as const) {
        osslOk(
          series,
          'cms',
          '-sign',
          '-binary',
          '-md',
          md,
          '-in',
          `${tag}.txt`,
          '-signer',
          `${tag}.crt`,
          '-inkey',
          `${tag}.key`,
          '-outform',
          'DER',
          '-out',
          `${tag}.ossl-${mode}.p7s`,
          ...(mode === 'attached' ? ['-nodetach'] : []),
        );
        const v = await verifySignedData(new Uint8Array(read(`${tag}.ossl-${mode}.p7s`)), {
          trustAnchors: [cert],
          ...(mode === 'detached' ? { content: doc } : {}),
        });
        expect(v.content).toEqual(doc);
        expect(v.detached).toBe(mode === 'detached');
        expect(v.signers[0]!.signatureAlgorithm).toBe(alg);
        expect(v.signers[0]!.digestAlgorithm).toBe(CMS_DIGEST[alg]);
      }
    },
    180_000,
  );
});
