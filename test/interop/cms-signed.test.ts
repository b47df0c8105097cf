// CMS SignedData with ML-DSA (RFC 9882) both ways with OpenSSL 3.5:
// what we sign, `openssl cms -verify` accepts; what `openssl cms -sign`
// makes, we verify — every parameter set, attached and detached, with and
// without signed attributes, several signers. Tampered content, a wrong
// root, truncated and mutated DER are refused with coded errors (and by
// OpenSSL too, where it has an opinion).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../src/index.js';
import { QsignError } from '../../src/errors.js';
import {
  Certificate,
  createCertificate,
  encodePKCS8Pem,
  generateKey,
  type DecodedPrivateKey,
} from '../../src/x509/index.js';
import { CmsError, parseSignedData, signData, verifySignedData } from '../../src/cms/index.js';
import { OPENSSL35 } from '../helpers/openssl.js';
import { indexOf } from '../helpers/bytes.js';

const LEVELS = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const;
type Level = (typeof LEVELS)[number];
let dir: string;

function ossl(...args: string[]): { code: number; out: string } {
  const r = spawnSync(OPENSSL35, args, { cwd: dir, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
function osslOk(...args: string[]): string {
  const r = ossl(...args);
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed (${r.code}):\n${r.out}`);
  return r.out;
}
const path = (name: string) => join(dir, name);
const put = (name: string, data: string | Uint8Array) => {
  writeFileSync(path(name), data);
  return path(name);
};

interface Pki {
  root: Certificate;
  otherRoot: Certificate;
  inter: Certificate;
  leaves: Record<Level, { cert: Certificate; key: DecodedPrivateKey }>;
}
let pki: Pki;
const doc = new TextEncoder().encode('Quarterly report v3\n\u00e9t\u00e9 — signed in the browser\n'.repeat(50));

/** `openssl cms -verify` over our output; resolves to the content OpenSSL wrote out. */
function opensslVerify(
  p7s: Uint8Array,
  opts: { detached: boolean; root?: Certificate },
): { code: number; out: string } {
  put('in.p7s', p7s);
  put('doc.bin', doc);
  put('root.pem', (opts.root ?? pki.root).pem);
  rmSync(path('out.bin'), { force: true });
  const args = [
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    'in.p7s',
    '-CAfile',
    'root.pem',
    '-out',
    'out.bin',
  ];
  if (opts.detached) args.push('-content', 'doc.bin');
  return ossl(...args);
}

beforeAll(async () => {
  expect(existsSync(OPENSSL35), `OpenSSL 3.5 missing at ${OPENSSL35}; run npm run setup`).toBe(true);
  expect(osslOk('version')).toMatch(/OpenSSL 3\.5/);
  dir = mkdtempSync(join(tmpdir(), 'qsign-cms-'));
  await init();
  const rk = generateKey('ML-DSA-87');
  const root = await createCertificate({ subject: 'CN=CMS Root,O=qsign', publicKey: rk, ca: true }, { key: rk });
  const ok = generateKey('ML-DSA-87');
  const otherRoot = await createCertificate({ subject: 'CN=CMS Root,O=qsign', publicKey: ok, ca: true }, { key: ok });
  const ik = generateKey('ML-DSA-65');
  const inter = await createCertificate(
    { subject: 'CN=CMS Intermediate,O=qsign', publicKey: ik, ca: true, pathLength: 0 },
    { key: rk, certificate: root },
  );
  const leaves = {} as Pki['leaves'];
  for (const alg of LEVELS) {
    const key = generateKey(alg);
    const cert = await createCertificate(
      {
        subject: `CN=Signer ${alg},O=qsign`,
        publicKey: key,
        keyUsage: ['digitalSignature', 'nonRepudiation'],
        subjectAltName: { email: [`${alg.toLowerCase()}@example.com`] },
      },
      { key: ik, certificate: inter },
    );
    leaves[alg] = { cert, key };
    put(`${alg}.crt`, cert.pem);
    put(`${alg}.key`, encodePKCS8Pem(alg, key, { form: 'both' }));
  }
  put('inter.crt', inter.pem);
  put('root.crt', root.pem);
  pki = { root, otherRoot, inter, leaves };
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const signer = (alg: Level, extra: object = {}) => ({
  certificate: pki.leaves[alg].cert,
  key: pki.leaves[alg].key,
  chain: [pki.inter],
  ...extra,
});

describe('ours → openssl cms -verify (3.5)', () => {
  for (const alg of LEVELS)
    for (const detached of [false, true])
      it(`${alg}, ${detached ? 'detached' : 'attached'}, with signed attributes`, async () => {
        const p7s = await signData(doc, { signers: [signer(alg)], detached });
        const r = opensslVerify(p7s, { detached });
        expect(r.out).toMatch(/Verification successful/);
        expect(r.code).toBe(0);
        expect(new Uint8Array(readFileSync(path('out.bin')))).toEqual(doc);
        // And we read our own output back.
        const v = await verifySignedData(p7s, { trustAnchors: [pki.root], ...(detached ? { content: doc } : {}) });
        expect(v.signers.map((s) => s.subject)).toEqual([`CN=Signer ${alg},O=qsign`]);
        expect(v.signers[0]!.signedAttributes).toBe(true);
        expect(v.signers[0]!.digestAlgorithm).toBe('SHA-512');
      });

  // OpenSSL 3.5/3.6 cannot verify (or make) ML-DSA SignerInfos without signed
  // attributes: CMS_verify asks the provider for a digest-then-verify context,
  // which ML-DSA refuses. The signature is still pure ML-DSA over the content
  // (RFC 9882 §3.2), so OpenSSL checks it with `pkeyutl -verify -rawin` instead.
  for (const alg of LEVELS)
    for (const detached of [false, true])
      it(`${alg}, ${detached ? 'detached' : 'attached'}, without signed attributes: openssl pkeyutl -verify -rawin accepts the signature`, async () => {
        const p7s = await signData(doc, { signers: [signer(alg, { signedAttributes: false })], detached });
        const cms = opensslVerify(p7s, { detached });
        expect(cms.code).not.toBe(0);
        expect(cms.out).toMatch(/verify_init|provider signature not supported/);
        const si = parseSignedData(p7s).signerInfos[0]!;
        expect(si.signedAttrs).toBeUndefined();
        put('sig.bin', si.signature);
        put('pub.pem', osslOk('x509', '-in', `${alg}.crt`, '-noout', '-pubkey'));
        const r = ossl(
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          'pub.pem',
          '-rawin',
          '-in',
          'doc.bin',
          '-sigfile',
          'sig.bin',
        );
        expect(r.out).toMatch(/Signature Verified Successfully/);
        expect(r.code).toBe(0);
        const v = await verifySignedData(p7s, { trustAnchors: [pki.root], ...(detached ? { content: doc } : {}) });
        expect(v.signers[0]!.signedAttributes).toBe(false);
      });

  it('three signers (one per level), one with a subjectKeyIdentifier sid, pass openssl cms -verify', async () => {
    const p7s = await signData(doc, {
      signers: [signer('ML-DSA-44'), signer('ML-DSA-65', { sid: 'subjectKeyIdentifier' }), signer('ML-DSA-87')],
    });
    expect(parseSignedData(p7s).version).toBe(3);
    const r = opensslVerify(p7s, { detached: false });
    expect(r.out).toMatch(/Verification successful/);
    expect(r.code).toBe(0);
    const v = await verifySignedData(p7s, { trustAnchors: [pki.root] });
    expect(v.signers.map((s) => s.signatureAlgorithm)).toEqual(['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']);
  });

  it('openssl cms -cmsout -print shows CMSAlgorithmProtection with SHA-512 and the ML-DSA OID', async () => {
    const p7s = await signData(doc, { signers: [signer('ML-DSA-65')], detached: true });
    put('p.p7s', p7s);
    const text = osslOk('cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'p.p7s');
    expect(text).toMatch(/id-smime-aa-CMSAlgorithmProtection|cmsAlgorithmProtection|1\.2\.840\.113549\.1\.9\.52/i);
    expect(text).toMatch(/sha512/);
    expect(text).toMatch(/ML-DSA-65/);
  });

  it('tampered content and a wrong root are refused by OpenSSL too', async () => {
    const p7s = await signData(doc, { signers: [signer('ML-DSA-65')], detached: true });
    const bad = doc.slice();
    bad[7]! ^= 1;
    put('in.p7s', p7s);
    put('bad.bin', bad);
    put('root.pem', pki.root.pem);
    const r1 = ossl(
      ...'cms -verify -binary -inform DER -in in.p7s -content bad.bin -CAfile root.pem -out out.bin'.split(' '),
    );
    expect(r1.code).not.toBe(0);
    expect(r1.out).toMatch(/Verification failure/);
    const r2 = opensslVerify(p7s, { detached: true, root: pki.otherRoot });
    expect(r2.code).not.toBe(0);
    expect(r2.out).toMatch(/certificate verify error|unable to get local issuer|certificate signature failure/i);
  });
});

describe('openssl cms -sign (3.5) → ours', () => {
  for (const alg of LEVELS)
    for (const detached of [false, true])
      it(`${alg}, ${detached ? 'detached' : 'attached'}, with signed attributes`, async () => {
        put('doc.bin', doc);
        const args = ['cms', '-sign', '-binary', '-md', 'sha512', '-outform', 'DER', '-in', 'doc.bin'];
        args.push('-signer', `${alg}.crt`, '-inkey', `${alg}.key`, '-certfile', 'inter.crt', '-out', 'o.p7s');
        if (!detached) args.push('-nodetach');
        osslOk(...args);
        const p7s = new Uint8Array(readFileSync(path('o.p7s')));
        const v = await verifySignedData(p7s, { trustAnchors: [pki.root], ...(detached ? { content: doc } : {}) });
        expect(v.detached).toBe(detached);
        expect(v.content).toEqual(doc);
        expect(v.signers).toHaveLength(1);
        expect(v.signers[0]!.subject).toBe(`CN=Signer ${alg},O=qsign`);
        expect(v.signers[0]!.signatureAlgorithm).toBe(alg);
        expect(v.signers[0]!.signedAttributes).toBe(true);
        expect(v.signers[0]!.digestAlgorithm).toBe('SHA-512');
        expect(v.signers[0]!.chain.map((c) => c.subject)).toEqual([
          `CN=Signer ${alg},O=qsign`,
          'CN=CMS Intermediate,O=qsign',
          'CN=CMS Root,O=qsign',
        ]);
        expect(v.signers[0]!.signingTime).toBeInstanceOf(Date);
      });

  it('without signed attributes OpenSSL 3.5 refuses to sign with ML-DSA (so only our own -noattr output is tested)', () => {
    put('doc.bin', doc);
    const r = ossl(
      'cms',
      '-sign',
      '-binary',
      '-md',
      'sha512',
      '-noattr',
      '-nodetach',
      '-outform',
      'DER',
      '-in',
      'doc.bin',
      '-signer',
      'ML-DSA-65.crt',
      '-inkey',
      'ML-DSA-65.key',
      '-out',
      'na.p7s',
    );
    // If this starts passing, extend the loop above to -noattr.
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/sign_init|provider signature not supported/);
  });

  it('with -md sha256, an ML-DSA-44 signature verifies and an ML-DSA-87 one is refused as ERR_CMS_WEAK_DIGEST', async () => {
    put('doc.bin', doc);
    for (const alg of ['ML-DSA-44', 'ML-DSA-87'] as const) {
      osslOk(
        'cms',
        '-sign',
        '-binary',
        '-md',
        'sha256',
        '-nodetach',
        '-outform',
        'DER',
        '-in',
        'doc.bin',
        '-signer',
        `${alg}.crt`,
        '-inkey',
        `${alg}.key`,
        '-certfile',
        'inter.crt',
        '-out',
        'm.p7s',
      );
      const p = verifySignedData(new Uint8Array(readFileSync(path('m.p7s'))), { trustAnchors: [pki.root] });
      if (alg === 'ML-DSA-44') expect((await p).signers[0]!.digestAlgorithm).toBe('SHA-256');
      else await expect(p).rejects.toMatchObject({ code: 'ERR_CMS_WEAK_DIGEST' });
    }
  });

  it('two OpenSSL signers (ML-DSA-44 and ML-DSA-87, -keyid on one) verify, each named', async () => {
    put('doc.bin', doc);
    osslOk(
      'cms',
      '-sign',
      '-binary',
      '-md',
      'sha512',
      '-outform',
      'DER',
      '-nodetach',
      '-in',
      'doc.bin',
      '-certfile',
      'inter.crt',
      '-signer',
      'ML-DSA-44.crt',
      '-inkey',
      'ML-DSA-44.key',
      '-signer',
      'ML-DSA-87.crt',
      '-inkey',
      'ML-DSA-87.key',
      '-keyid',
      '-out',
      'two.p7s',
    );
    const v = await verifySignedData(new Uint8Array(readFileSync(path('two.p7s'))), { trustAnchors: [pki.root] });
    expect(v.signers.map((s) => s.subject).sort()).toEqual([
      'CN=Signer ML-DSA-44,O=qsign',
      'CN=Signer ML-DSA-87,O=qsign',
    ]);
  });

  it('an OpenSSL streaming (-stream, indefinite-length BER) signature verifies', async () => {
    put('doc.bin', doc);
    osslOk(
      'cms',
      '-sign',
      '-binary',
      '-stream',
      '-md',
      'sha512',
      '-outform',
      'DER',
      '-nodetach',
      '-in',
      'doc.bin',
      '-signer',
      'ML-DSA-65.crt',
      '-inkey',
      'ML-DSA-65.key',
      '-certfile',
      'inter.crt',
      '-out',
      'stream.p7s',
    );
    const p7s = new Uint8Array(readFileSync(path('stream.p7s')));
    expect(p7s[1]).toBe(0x80); // indefinite length: really BER
    const v = await verifySignedData(p7s, { trustAnchors: [pki.root] });
    expect(v.content).toEqual(doc);
  });
});

describe('refusals with coded errors', () => {
  const code = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(QsignError);
      return (e as QsignError).code;
    }
    return 'resolved';
  };

  it('tampered detached content → ERR_CMS_DIGEST_MISMATCH; without signed attributes → ERR_CMS_BAD_SIGNATURE', async () => {
    const bad = doc.slice();
    bad[0]! ^= 0x20;
    const withAttrs = await signData(doc, { signers: [signer('ML-DSA-44')], detached: true });
    expect(await code(verifySignedData(withAttrs, { trustAnchors: [pki.root], content: bad }))).toBe(
      'ERR_CMS_DIGEST_MISMATCH',
    );
    const noAttrs = await signData(doc, {
      signers: [signer('ML-DSA-44', { signedAttributes: false })],
      detached: true,
    });
    expect(await code(verifySignedData(noAttrs, { trustAnchors: [pki.root], content: bad }))).toBe(
      'ERR_CMS_BAD_SIGNATURE',
    );
    expect(await code(verifySignedData(withAttrs, { trustAnchors: [pki.root] }))).toBe('ERR_CMS_CONTENT_MISSING');
  });

  it('wrong root → ERR_CMS_CHAIN with the X.509 reason and the signer named', async () => {
    const p7s = await signData(doc, { signers: [signer('ML-DSA-87')] });
    try {
      await verifySignedData(p7s, { trustAnchors: [pki.otherRoot] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CmsError);
      const c = e as CmsError;
      expect(c.code).toBe('ERR_CMS_CHAIN');
      expect(c.reason).toBe('ERR_CERT_UNKNOWN_CA');
      expect(c.signer).toBe('CN=Signer ML-DSA-87,O=qsign');
    }
    // Chain left out of the message and not given: the intermediate is unknown.
    const bare = await signData(doc, {
      signers: [{ certificate: pki.leaves['ML-DSA-87'].cert, key: pki.leaves['ML-DSA-87'].key }],
    });
    const e2 = await verifySignedData(bare, { trustAnchors: [pki.root] }).catch((e) => e as CmsError);
    expect(e2.code).toBe('ERR_CMS_CHAIN');
    expect(e2.reason).toBe('ERR_CERT_UNKNOWN_CA');
    expect(
      (await verifySignedData(bare, { trustAnchors: [pki.root], intermediates: [pki.inter] })).signers[0]!.subject,
    ).toBe('CN=Signer ML-DSA-87,O=qsign');
  });

  it('no embedded certificate → ERR_CMS_UNKNOWN_SIGNER, unless the certificate is given', async () => {
    const p7s = await signData(doc, { signers: [signer('ML-DSA-65')], includeCertificates: false });
    expect(await code(verifySignedData(p7s, { trustAnchors: [pki.root] }))).toBe('ERR_CMS_UNKNOWN_SIGNER');
    const v = await verifySignedData(p7s, {
      trustAnchors: [pki.root],
      signerCertificates: [pki.leaves['ML-DSA-65'].cert],
      intermediates: [pki.inter],
    });
    expect(v.signers[0]!.subject).toBe('CN=Signer ML-DSA-65,O=qsign');
  });

  it('a flipped signature byte → ERR_CMS_BAD_SIGNATURE; a flipped signed-attribute byte never verifies', async () => {
    const p7s = await signData(doc, { signers: [signer('ML-DSA-65')], detached: true });
    const sig = parseSignedData(p7s).signerInfos[0]!.signature;
    const at = indexOf(p7s, sig);
    const m = p7s.slice();
    m[at + 100]! ^= 1;
    expect(await code(verifySignedData(m, { trustAnchors: [pki.root], content: doc }))).toBe('ERR_CMS_BAD_SIGNATURE');
    const attrs = parseSignedData(p7s).signerInfos[0]!.signedAttrs!;
    const aAt = indexOf(p7s, attrs.raw);
    for (let i = 2; i < attrs.raw.length; i += 7) {
      const x = p7s.slice();
      x[aAt + i]! ^= 0x01;
      const c = await code(verifySignedData(x, { trustAnchors: [pki.root], content: doc }));
      expect(c, `byte ${i} of the signed attributes`).not.toBe('resolved');
      expect(c).toMatch(/^ERR_CMS_/);
    }
  });

  it('every truncation of a SignedData → ERR_CMS_MALFORMED', async () => {
    const p7s = await signData(doc.subarray(0, 64), { signers: [signer('ML-DSA-44')] });
    for (let n = 0; n < p7s.length; n += 13)
      expect(await code(verifySignedData(p7s.subarray(0, n), { trustAnchors: [pki.root] })), `length ${n}`).toBe(
        'ERR_CMS_MALFORMED',
      );
    expect(await code(verifySignedData(new Uint8Array([...p7s, 0]), { trustAnchors: [pki.root] }))).toBe(
      'ERR_CMS_MALFORMED',
    );
  });

  it('mutated DER anywhere is refused with a QsignError (never a raw TypeError), and never verifies where it matters', async () => {
    const p7s = await signData(doc.subarray(0, 64), { signers: [signer('ML-DSA-44')] });
    let refused = 0;
    for (let i = 0; i < p7s.length; i += 5) {
      const x = p7s.slice();
      x[i] = x[i]! ^ (1 << (i % 8));
      const c = await code(verifySignedData(x, { trustAnchors: [pki.root] }));
      if (c !== 'resolved') refused++;
      expect(typeof c).toBe('string');
    }
    // Bytes outside anything signed or checked (e.g. inside the root's own copy) are rare here.
    expect(refused).toBeGreaterThan(Math.floor(p7s.length / 5) * 0.97);
  });

  it('garbage, PEM of the wrong kind and a non-SignedData ContentInfo are refused with codes', async () => {
    expect(await code(verifySignedData(new Uint8Array([0x30, 0x80, 1, 2]), { trustAnchors: [pki.root] }))).toBe(
      'ERR_CMS_MALFORMED',
    );
    expect(await code(verifySignedData(pki.root.der, { trustAnchors: [pki.root] }))).toMatch(/^ERR_CMS_/);
    expect(await code(verifySignedData('not pem', { trustAnchors: [pki.root] }))).toBe('ERR_CMS_MALFORMED');
    // 200 nested indefinite-length SEQUENCEs: bounded depth, no stack overflow.
    const deep = new Uint8Array(200 * 2 + 200 * 2);
    for (let i = 0; i < 200; i++) deep.set([0x30, 0x80], i * 2);
    expect(await code(verifySignedData(deep, { trustAnchors: [pki.root] }))).toBe('ERR_CMS_MALFORMED');
  });
});

describe('RFC 5652 §5.3: signed attributes are required for content types other than id-data', () => {
  it('signData refuses signedAttributes: false with another contentType; such a message is refused on verify', async () => {
    const other = '1.2.840.113549.1.9.16.1.4'; // id-ct-TSTInfo, any non-data type
    await expect(
      signData(doc, { signers: [signer('ML-DSA-44', { signedAttributes: false })], contentType: other }),
    ).rejects.toMatchObject({ code: 'ERR_CMS_INVALID_OPTIONS' });
    // Build one anyway by swapping the eContentType OID of a no-attrs id-data message (same length).
    const p7s = await signData(doc, { signers: [signer('ML-DSA-44', { signedAttributes: false })] });
    const dataOid = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01);
    const at = indexOf(p7s.subarray(20), dataOid) + 20; // the eContentType, after the outer signedData OID
    const x = p7s.slice();
    x[at + 10] = 0x05; // id-data (…7.1) → …7.5, a different content type
    await expect(verifySignedData(x, { trustAnchors: [pki.root] })).rejects.toMatchObject({
      code: 'ERR_CMS_ATTRIBUTES',
    });
    // With signed attributes the same type is fine.
    const ok = await signData(doc, { signers: [signer('ML-DSA-44')], contentType: other });
    expect((await verifySignedData(ok, { trustAnchors: [pki.root] })).contentType).toBe(other);
  });
});
