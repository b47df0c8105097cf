// Interop with OpenSSL 3.5 (the independent ML-DSA/ML-KEM X.509 peer):
// our chains, CSRs and key containers must be accepted by OpenSSL, OpenSSL's
// fresh chains and keys by us, and the negative cases must fail in both
// with matching reasons. OpenSSL 3.5 comes from Debian packages in
// tools/openssl/3.5 (npm run setup; test/helpers/openssl.ts installs it if missing).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../src/index.js';
import { main } from '../../src/cli/main.js';
import { sign, verify } from '../../src/engine/index.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '../../src/kem/index.js';
import {
  Certificate,
  CertificateError,
  Csr,
  createCertificate,
  createCsr,
  decodePKCS8,
  decodeSPKI,
  encodePKCS8Pem,
  encodeSPKIPem,
  generateKey,
  verifyChain,
  type KeyAlgorithm,
} from '../../src/x509/index.js';
import { openssl } from '../helpers/openssl.js';

let dir: string;

function ossl(...args: string[]): { code: number; out: string } {
  const r = openssl('3.5', args, { cwd: dir });
  return { code: r.code, out: r.out };
}
function osslOk(...args: string[]): string {
  const r = ossl(...args);
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed (${r.code}):\n${r.out}`);
  return r.out;
}
const file = (name: string, data: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const read = (name: string) => readFileSync(join(dir, name));

beforeAll(async () => {
  expect(osslOk('version')).toMatch(/^OpenSSL 3\.5\./);
  dir = mkdtempSync(join(tmpdir(), 'qsign-ossl-'));
  await init();
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('our output → OpenSSL', () => {
  it('`qsign ca create` passes openssl verify -x509_strict -purpose sslserver -verify_hostname', async () => {
    const out = join(dir, 'ca');
    const r = await main(['ca', 'create', '--out', out, '--cn', 'server.example.com', '--san', '*.example.com'], {
      out: () => {},
      err: () => {},
    });
    expect(r).toBe(0);
    for (const host of ['server.example.com', 'www.example.com']) {
      const v = ossl(
        'verify',
        '-x509_strict',
        '-purpose',
        'sslserver',
        '-verify_hostname',
        host,
        '-CAfile',
        join(out, 'root-ca.crt'),
        '-untrusted',
        join(out, 'intermediate-ca.crt'),
        join(out, 'server.crt'),
      );
      expect(v.out).toMatch(/server\.crt: OK/);
      expect(v.code).toBe(0);
    }
    // OpenSSL reads our seed-only keys and they match the certificates.
    for (const name of ['root-ca', 'intermediate-ca', 'server']) {
      const pub = osslOk('pkey', '-in', join(out, `${name}.key`), '-pubout');
      expect(decodeSPKI(pub).publicKey).toEqual(
        Certificate.parse(readFileSync(join(out, `${name}.crt`), 'utf8')).publicKey.publicKey,
      );
    }
    const text = osslOk('x509', '-in', join(out, 'server.crt'), '-noout', '-text');
    expect(text).toMatch(/Signature Algorithm: ML-DSA-65/);
    expect(text).toMatch(/DNS:server\.example\.com, DNS:\*\.example\.com/);
  });

  it('our CSRs pass openssl req -verify, and OpenSSL can issue from them into a chain we validate', async () => {
    for (const alg of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const) {
      const k = generateKey(alg);
      const csr = await createCsr(
        { subject: 'CN=app.example.com,O=qsign', subjectAltName: { dns: ['app.example.com'] } },
        k,
      );
      const p = file(`${alg}.csr`, csr.pem);
      const v = ossl('req', '-verify', '-in', p, '-noout');
      expect(v.out).toMatch(/verify OK/);
      expect(v.code).toBe(0);
    }
    // OpenSSL CA signs our CSR; we validate the OpenSSL-made chain.
    const caKey = generateKey('ML-DSA-65');
    const ca = await createCertificate({ subject: 'CN=qsign CA', publicKey: caKey, ca: true }, { key: caKey });
    file('our-ca.crt', ca.pem);
    file('our-ca.key', encodePKCS8Pem(caKey.alg, caKey));
    const lk = generateKey('ML-DSA-44');
    file('our-leaf.csr', (await createCsr({ subject: 'CN=app.example.com' }, lk)).pem);
    file(
      'leaf.ext',
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:app.example.com\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n',
    );
    osslOk(
      'x509',
      '-req',
      '-in',
      'our-leaf.csr',
      '-CA',
      'our-ca.crt',
      '-CAkey',
      'our-ca.key',
      '-days',
      '30',
      '-extfile',
      'leaf.ext',
      '-out',
      'ossl-leaf.crt',
    );
    const r = await verifyChain(read('ossl-leaf.crt'), {
      trustAnchors: [ca],
      purpose: 'serverAuth',
      hostname: 'app.example.com',
    });
    expect(r.chain[0]!.publicKey.publicKey).toEqual(lk.publicKey);
  });

  const ALGS: KeyAlgorithm[] = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87', 'ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'];
  for (const alg of ALGS) {
    it(`${alg}: our PKCS#8 (seed and both) and SPKI load in OpenSSL and ${alg.startsWith('ML-DSA') ? 'sign/verify' : 'encapsulate/decapsulate'} across`, async () => {
      const k = generateKey(alg);
      const spki = file(`${alg}.pub.pem`, encodeSPKIPem(alg, k.publicKey));
      for (const form of ['seed', 'both'] as const) {
        const keyFile = file(`${alg}.${form}.key`, encodePKCS8Pem(alg, k, { form }));
        const text = osslOk('pkey', '-in', keyFile, '-noout', '-text');
        expect(text.split('\n')[0]).toBe(`${alg} Private-Key:`);
        expect(decodeSPKI(osslOk('pkey', '-in', keyFile, '-pubout'))).toEqual({ alg, publicKey: k.publicKey });
        // OpenSSL writes our key back in its default (both) form; we read it.
        expect(decodePKCS8(osslOk('pkey', '-in', keyFile)).secretKey).toEqual(k.secretKey);
      }
      expect(osslOk('pkey', '-pubin', '-in', spki, '-noout', '-text').split('\n')[0]).toBe(`${alg} Public-Key:`);
      if (alg.startsWith('ML-DSA')) {
        const msg = file('msg.bin', new TextEncoder().encode(`interop message for ${alg}`));
        osslOk('pkeyutl', '-sign', '-inkey', `${alg}.seed.key`, '-in', msg, '-out', `${alg}.ossl.sig`);
        expect(await verify(alg, k.publicKey, read('msg.bin'), read(`${alg}.ossl.sig`))).toBe(true);
        file(`${alg}.our.sig`, await sign(alg, k.secretKey, read('msg.bin')));
        const ok = ossl('pkeyutl', '-verify', '-pubin', '-inkey', spki, '-in', msg, '-sigfile', `${alg}.our.sig`);
        expect(ok.out).toMatch(/Signature Verified Successfully/);
        const bad = read(`${alg}.our.sig`);
        bad[7] ^= 1;
        file(`${alg}.bad.sig`, bad);
        expect(
          ossl('pkeyutl', '-verify', '-pubin', '-inkey', spki, '-in', msg, '-sigfile', `${alg}.bad.sig`).code,
        ).not.toBe(0);
      } else {
        const kem = { 'ML-KEM-512': ml_kem512, 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 }[
          alg as 'ML-KEM-512'
        ];
        osslOk('pkeyutl', '-encap', '-pubin', '-inkey', spki, '-out', `${alg}.ct`, '-secret', `${alg}.ss`);
        expect(kem.decapsulate(read(`${alg}.ct`), k.secretKey)).toEqual(new Uint8Array(read(`${alg}.ss`)));
        const { cipherText, sharedSecret } = kem.encapsulate(k.publicKey);
        file(`${alg}.our.ct`, cipherText);
        osslOk('pkeyutl', '-decap', '-inkey', `${alg}.seed.key`, '-in', `${alg}.our.ct`, '-secret', `${alg}.our.ss`);
        expect(new Uint8Array(read(`${alg}.our.ss`))).toEqual(sharedSecret);
      }
    });
  }
});

describe('OpenSSL output → us', () => {
  it('a fresh OpenSSL ML-DSA-87 → ML-DSA-65 → ML-DSA-44 chain with an ML-KEM leaf validates; its keys decode in every form', async () => {
    osslOk('genpkey', '-algorithm', 'ML-DSA-87', '-out', 'o-root.key');
    osslOk(
      'req',
      '-x509',
      '-new',
      '-key',
      'o-root.key',
      '-subj',
      '/O=ossl/CN=OSSL Root',
      '-days',
      '30',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      'o-root.crt',
    );
    osslOk('genpkey', '-algorithm', 'ML-DSA-65', '-out', 'o-inter.key');
    osslOk('req', '-new', '-key', 'o-inter.key', '-subj', '/O=ossl/CN=OSSL Intermediate', '-out', 'o-inter.csr');
    file(
      'o-inter.ext',
      'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n',
    );
    osslOk(
      'x509',
      '-req',
      '-in',
      'o-inter.csr',
      '-CA',
      'o-root.crt',
      '-CAkey',
      'o-root.key',
      '-days',
      '20',
      '-extfile',
      'o-inter.ext',
      '-out',
      'o-inter.crt',
    );
    osslOk('genpkey', '-algorithm', 'ML-DSA-44', '-out', 'o-leaf.key');
    osslOk('req', '-new', '-key', 'o-leaf.key', '-subj', '/CN=svc.example.net', '-out', 'o-leaf.csr');
    file(
      'o-leaf.ext',
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:svc.example.net,IP:192.0.2.1\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n',
    );
    osslOk(
      'x509',
      '-req',
      '-in',
      'o-leaf.csr',
      '-CA',
      'o-inter.crt',
      '-CAkey',
      'o-inter.key',
      '-days',
      '10',
      '-extfile',
      'o-leaf.ext',
      '-out',
      'o-leaf.crt',
    );
    expect(await Csr.parse(read('o-leaf.csr')).verify()).toBe(true);
    const r = await verifyChain(read('o-leaf.crt'), {
      trustAnchors: [read('o-root.crt')],
      intermediates: [read('o-inter.crt')],
      purpose: 'serverAuth',
      hostname: '192.0.2.1',
    });
    expect(r.chain.map((c) => c.publicKey.alg)).toEqual(['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']);
    // ML-KEM end-entity issued by OpenSSL from the intermediate (-force_pubkey: a KEM key cannot sign a CSR).
    osslOk('genpkey', '-algorithm', 'ML-KEM-768', '-out', 'o-kem.key');
    osslOk('pkey', '-in', 'o-kem.key', '-pubout', '-out', 'o-kem.pub');
    file(
      'o-kem.ext',
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyEncipherment\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n',
    );
    osslOk(
      'x509',
      '-new',
      '-subj',
      '/CN=kem.example.net',
      '-force_pubkey',
      'o-kem.pub',
      '-CA',
      'o-inter.crt',
      '-CAkey',
      'o-inter.key',
      '-days',
      '10',
      '-extfile',
      'o-kem.ext',
      '-out',
      'o-kem.crt',
    );
    const kemChain = await verifyChain(read('o-kem.crt'), {
      trustAnchors: [read('o-root.crt')],
      intermediates: [read('o-inter.crt')],
    });
    expect(kemChain.chain[0]!.publicKey.alg).toBe('ML-KEM-768');
    expect(kemChain.chain[0]!.extensions.keyUsage).toEqual(['keyEncipherment']);
    // OpenSSL's keys in its three output forms.
    for (const key of ['o-root.key', 'o-leaf.key', 'o-kem.key']) {
      const ref = decodePKCS8(read(key));
      expect(ref.form).toBe('both'); // OpenSSL 3.5 default
      for (const [fmt, form] of [
        ['seed-only', 'seed'],
        ['priv-only', 'expanded'],
        ['seed-priv', 'both'],
      ] as const) {
        const param = key === 'o-kem.key' ? 'ml-kem.output_formats' : 'ml-dsa.output_formats';
        const der = osslOk('pkey', '-in', key, '-provparam', `${param}=${fmt}`);
        const d = decodePKCS8(der);
        expect(d.form).toBe(form);
        expect(d.publicKey).toEqual(ref.publicKey);
      }
    }
  });
});

describe('negative cases fail in both, for matching reasons', () => {
  const T0 = new Date(Date.now() - 3 * 86_400_000);
  it('expired, wrong CA, tampered signature, pathLen exceeded, wrong host', async () => {
    const rk = generateKey('ML-DSA-87'),
      ik = generateKey('ML-DSA-65'),
      sk = generateKey('ML-DSA-65'),
      lk = generateKey('ML-DSA-44');
    const root = await createCertificate(
      { subject: 'CN=Neg Root', publicKey: rk, ca: true, notBefore: T0, days: 100 },
      { key: rk },
    );
    const inter = await createCertificate(
      { subject: 'CN=Neg Intermediate', publicKey: ik, ca: true, pathLength: 0, notBefore: T0, days: 50 },
      { key: rk, certificate: root },
    );
    const leafOpts = {
      subject: 'CN=svc.example.com',
      publicKey: lk,
      extendedKeyUsage: ['serverAuth'],
      subjectAltName: { dns: ['svc.example.com'] },
    };
    const leaf = await createCertificate({ ...leafOpts, notBefore: T0, days: 10 }, { key: ik, certificate: inter });
    const expired = await createCertificate(
      { ...leafOpts, notBefore: T0, notAfter: new Date(Date.now() - 86_400_000) },
      { key: ik, certificate: inter },
    );
    const otherKey = generateKey('ML-DSA-87');
    const otherRoot = await createCertificate(
      { subject: 'CN=Other Root', publicKey: otherKey, ca: true, notBefore: T0 },
      { key: otherKey },
    );
    const tampered = leaf.der.slice();
    tampered[tampered.length - 30] ^= 0x20;
    const sub = await createCertificate(
      { subject: 'CN=Sub CA', publicKey: sk, ca: true, notBefore: T0, days: 20 },
      { key: ik, certificate: inter },
    );
    const deep = await createCertificate({ ...leafOpts, notBefore: T0, days: 10 }, { key: sk, certificate: sub });
    file('n-root.pem', root.pem);
    file('n-inter.pem', inter.pem);
    file('n-other.pem', otherRoot.pem);
    file('n-sub.pem', sub.pem + inter.pem);
    // Each case: our error code + TLS alert, and OpenSSL's `verify` text for the same defect.
    const cases: {
      name: string;
      leaf: Uint8Array;
      anchor: string;
      untrusted: string;
      host?: string;
      code: string;
      alert: string;
      openssl: RegExp;
    }[] = [
      {
        name: 'expired',
        leaf: expired.der,
        anchor: 'n-root.pem',
        untrusted: 'n-inter.pem',
        code: 'ERR_CERT_EXPIRED',
        alert: 'certificate_expired',
        openssl: /certificate has expired/,
      },
      {
        name: 'wrong CA',
        leaf: leaf.der,
        anchor: 'n-other.pem',
        untrusted: 'n-inter.pem',
        code: 'ERR_CERT_UNKNOWN_CA',
        alert: 'unknown_ca',
        openssl: /unable to get (local )?issuer certificate/,
      },
      {
        name: 'tampered signature',
        leaf: tampered,
        anchor: 'n-root.pem',
        untrusted: 'n-inter.pem',
        code: 'ERR_CERT_SIGNATURE_INVALID',
        alert: 'bad_certificate',
        openssl: /certificate signature failure/,
      },
      {
        name: 'pathLen exceeded',
        leaf: deep.der,
        anchor: 'n-root.pem',
        untrusted: 'n-sub.pem',
        code: 'ERR_CERT_PATH_LENGTH',
        alert: 'bad_certificate',
        openssl: /path length constraint exceeded/,
      },
      {
        name: 'wrong host',
        leaf: leaf.der,
        anchor: 'n-root.pem',
        untrusted: 'n-inter.pem',
        host: 'other.example.org',
        code: 'ERR_CERT_HOSTNAME_MISMATCH',
        alert: 'bad_certificate',
        openssl: /hostname mismatch/,
      },
    ];
    // The good leaf passes both, so each failure below is caused by its defect.
    file('n-good.der', leaf.der);
    osslOk('x509', '-inform', 'DER', '-in', 'n-good.der', '-out', 'n-good.pem');
    expect(
      ossl(
        'verify',
        '-x509_strict',
        '-purpose',
        'sslserver',
        '-verify_hostname',
        'svc.example.com',
        '-CAfile',
        'n-root.pem',
        '-untrusted',
        'n-inter.pem',
        'n-good.pem',
      ).code,
    ).toBe(0);
    await verifyChain(leaf, {
      trustAnchors: [root],
      intermediates: [inter],
      purpose: 'serverAuth',
      hostname: 'svc.example.com',
    });
    for (const c of cases) {
      const der = file(`n-${c.name.replace(/ /g, '-')}.der`, c.leaf);
      osslOk('x509', '-inform', 'DER', '-in', der, '-out', der.replace(/\.der$/, '.pem'));
      const o = ossl(
        'verify',
        '-x509_strict',
        '-purpose',
        'sslserver',
        ...(c.host ? ['-verify_hostname', c.host] : []),
        '-CAfile',
        c.anchor,
        '-untrusted',
        c.untrusted,
        der.replace(/\.der$/, '.pem'),
      );
      expect(o.code, `${c.name}: OpenSSL must refuse`).not.toBe(0);
      expect(o.out, c.name).toMatch(c.openssl);
      let err: unknown;
      try {
        await verifyChain(c.leaf, {
          trustAnchors: [readFileSync(join(dir, c.anchor), 'utf8')],
          intermediates: [readFileSync(join(dir, c.untrusted), 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/)]
            .flat()
            .filter(Boolean),
          purpose: 'serverAuth',
          ...(c.host ? { hostname: c.host } : {}),
        });
      } catch (e) {
        err = e;
      }
      expect(err, `${c.name}: we must refuse`).toBeInstanceOf(CertificateError);
      expect((err as CertificateError).code, c.name).toBe(c.code);
      expect((err as CertificateError).tlsAlert, c.name).toBe(c.alert);
    }
  });
});
