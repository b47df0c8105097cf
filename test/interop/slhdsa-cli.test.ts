// `qsign key|ca|csr|cert|cms` with SLH-DSA keys against the openssl command
// line (3.5 and 3.6): what qsign writes OpenSSL reads and verifies, what
// OpenSSL writes qsign reads, and bad input fails with a coded message.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { openssl, type OpensslSeries } from '../helpers/openssl.js';

let dir: string;
const path = (n: string) => join(dir, n);

function osslOk(series: OpensslSeries, ...args: string[]): string {
  return openssl(series, args, { cwd: dir, check: true, timeoutMs: 120_000 }).out;
}
async function qsign(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(
    args.map((a) => (a.startsWith('@') ? path(a.slice(1)) : a)),
    { out: (s) => (out += s + '\n'), err: (s) => (err += s + '\n') },
  );
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qsign-slh-cli-'));
  writeFileSync(path('doc.txt'), 'signed with SLH-DSA\n');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('qsign key generate', () => {
  it('writes SLH-DSA PKCS#8 PEM (0600) and SPKI that OpenSSL 3.5 and 3.6 read; --der writes DER', async () => {
    const r = await qsign('key', 'generate', '--alg', 'slh-dsa-sha2-128f', '--out', '@k.pem', '--pub-out', '@k.pub');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/SLH-DSA-SHA2-128f/);
    expect(statSync(path('k.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path('k.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    for (const series of ['3.5', '3.6'] as const) {
      osslOk(series, 'pkey', '-in', 'k.pem', '-pubout', '-out', `k.${series}.pub`);
      expect(readFileSync(path(`k.${series}.pub`), 'utf8')).toBe(readFileSync(path('k.pub'), 'utf8'));
    }
    const show = await qsign('cert', 'show', '@k.pem');
    expect(show.out).toMatch(/SLH-DSA-SHA2-128f, RFC 9909 private key .*consistency checked/);
    const d = await qsign('key', 'generate', '--alg', 'SLH-DSA-SHAKE-256f', '--out', '@k.der', '--der');
    expect(d.code, d.err).toBe(0);
    expect(osslOk('3.5', 'pkey', '-inform', 'DER', '-in', 'k.der', '-noout', '-text')).toMatch(/SLH-DSA-SHAKE-256f/);
  });

  it('an unknown set name fails with ERR_X509_UNSUPPORTED_ALGORITHM and names the sets it may mean', async () => {
    const r = await qsign('key', 'generate', '--alg', 'slh-dsa-sha2-128', '--out', '@bad.pem');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ERR_X509_UNSUPPORTED_ALGORITHM/);
    expect(r.err).toMatch(/did you mean SLH-DSA-SHA2-128s or SLH-DSA-SHA2-128f/);
  });

  it('a HashSLH-DSA name fails with a hint to the pure set', async () => {
    const r = await qsign('key', 'generate', '--alg', 'HashSLH-DSA-SHA2-128s-with-SHA256', '--out', '@bad.pem');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ERR_X509_UNSUPPORTED_ALGORITHM/);
    expect(r.err).toMatch(/use SLH-DSA-SHA2-128s/);
  });
});

describe('qsign ca / csr / cert with SLH-DSA', () => {
  it('ca create --root-alg slh-dsa-shake-128f: OpenSSL 3.5 and 3.6 verify the chain', async () => {
    const r = await qsign('ca', 'create', '--out', '@ca', '--root-alg', 'slh-dsa-shake-128f', '--alg', 'ML-DSA-65');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Root CA: .*\(SLH-DSA-SHAKE-128f\)/);
    for (const series of ['3.5', '3.6'] as const) {
      const v = osslOk(
        series,
        'verify',
        '-x509_strict',
        '-CAfile',
        'ca/root-ca.crt',
        '-untrusted',
        'ca/intermediate-ca.crt',
        'ca/server.crt',
      );
      expect(v).toMatch(/server\.crt: OK/);
    }
  }, 60_000);

  it('csr create with a new SLH-DSA key passes openssl req -verify; cert issue signs it with an SLH-DSA CA', async () => {
    const c = await qsign(
      'csr',
      'create',
      '--subject',
      'CN=app.example.com',
      '--alg',
      'slh-dsa-sha2-128f',
      '--key-out',
      '@app.key',
      '--out',
      '@app.csr',
    );
    expect(c.code, c.err).toBe(0);
    for (const series of ['3.5', '3.6'] as const)
      expect(osslOk(series, 'req', '-verify', '-in', 'app.csr', '-noout')).toMatch(/verify OK/);
    const root = await qsign(
      'cert',
      'issue',
      '--ca-cert',
      '@ca/root-ca.crt',
      '--ca-key',
      '@ca/root-ca.key',
      '--csr',
      '@app.csr',
      '--out',
      '@app.crt',
    );
    expect(root.code, root.err).toBe(0);
    expect(osslOk('3.5', 'verify', '-CAfile', 'ca/root-ca.crt', 'app.crt')).toMatch(/app\.crt: OK/);
    const v = await qsign('cert', 'verify', '--ca', '@ca/root-ca.crt', '@app.crt');
    expect(v.code, v.err).toBe(0);
  }, 60_000);
});

describe('qsign cms with SLH-DSA', () => {
  beforeAll(async () => {
    const r = await qsign(
      'cert',
      'issue',
      '--ca-cert',
      '@ca/root-ca.crt',
      '--ca-key',
      '@ca/root-ca.key',
      '--cn',
      'signer',
      '--alg',
      'slh-dsa-sha2-128f',
      '--key-out',
      '@signer.key',
      '--out',
      '@signer.crt',
    );
    expect(r.code, r.err).toBe(0);
  }, 60_000);

  it('qsign cms sign (attached, detached) → openssl cms -verify on 3.5 and 3.6', async () => {
    for (const detached of [false, true]) {
      const out = detached ? 'det.p7s' : 'att.p7s';
      const r = await qsign(
        'cms',
        'sign',
        '--cert',
        '@signer.crt',
        '--key',
        '@signer.key',
        '--in',
        '@doc.txt',
        '--out',
        `@${out}`,
        '--chain',
        '@ca/root-ca.crt',
        ...(detached ? ['--detached'] : []),
      );
      expect(r.code, r.err).toBe(0);
      // `cert issue --cn` gives serverAuth/clientAuth, not emailProtection: OpenSSL's S/MIME purpose check is off.
      for (const series of ['3.5', '3.6'] as const) {
        const v = osslOk(
          series,
          'cms',
          '-verify',
          '-binary',
          '-inform',
          'DER',
          '-in',
          out,
          '-purpose',
          'any',
          '-CAfile',
          'ca/root-ca.crt',
          ...(detached ? ['-content', 'doc.txt'] : []),
          '-out',
          `${out}.${series}.out`,
        );
        expect(v).toMatch(/Verification successful/);
      }
    }
  }, 60_000);

  it('openssl cms -sign (SLH-DSA, RFC 9814 digest) → qsign cms verify', async () => {
    for (const series of ['3.5', '3.6'] as const) {
      osslOk(
        series,
        'cms',
        '-sign',
        '-binary',
        '-md',
        'sha256',
        '-in',
        'doc.txt',
        '-signer',
        'signer.crt',
        '-inkey',
        'signer.key',
        '-outform',
        'DER',
        '-out',
        `ossl.${series}.p7s`,
      );
      const v = await qsign(
        'cms',
        'verify',
        '--ca',
        '@ca/root-ca.crt',
        '--in',
        `@ossl.${series}.p7s`,
        '--content',
        '@doc.txt',
      );
      expect(v.code, v.err).toBe(0);
      expect(v.out).toMatch(/signer/);
    }
  }, 60_000);

  it('cms sign with an ML-KEM key fails with ERR_CMS_INVALID_OPTIONS naming the signing families', async () => {
    const k = await qsign('key', 'generate', '--alg', 'ML-KEM-768', '--out', '@kem.key');
    expect(k.code, k.err).toBe(0);
    const r = await qsign(
      'cms',
      'sign',
      '--cert',
      '@signer.crt',
      '--key',
      '@kem.key',
      '--in',
      '@doc.txt',
      '--out',
      '@x.p7s',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ERR_CMS_INVALID_OPTIONS.*ML-DSA or SLH-DSA/);
  });
});
