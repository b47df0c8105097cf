// `qsign ca create | csr create | cert issue | cert verify | cert show` through main().
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { Certificate, decodePKCS8 } from '../../src/x509/index.js';

async function run(...argv: string[]) {
  const out: string[] = [],
    err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qsign-pki-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('qsign ca/csr/cert', () => {
  it('ca create writes the seed §7.1 files (keys 0600, seed-only) and the chain verifies', async () => {
    const out = join(dir, 'ca');
    const r = await run(
      'ca',
      'create',
      '--out',
      out,
      '--cn',
      'server.example.com',
      '--san',
      '*.example.com',
      '--days',
      '30',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/chain verified/);
    for (const f of ['root-ca.key', 'intermediate-ca.key', 'server.key']) {
      expect(statSync(join(out, f)).mode & 0o777).toBe(0o600);
      expect(decodePKCS8(readFileSync(join(out, f), 'utf8')).form).toBe('seed');
    }
    const root = Certificate.parse(readFileSync(join(out, 'root-ca.crt'), 'utf8'));
    expect(root.publicKey.alg).toBe('ML-DSA-87');
    expect(Certificate.parse(readFileSync(join(out, 'server.crt'), 'utf8')).publicKey.alg).toBe('ML-DSA-65');
    expect(readFileSync(join(out, 'server-chain.crt'), 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const v = await run(
      'cert',
      'verify',
      '--ca',
      join(out, 'root-ca.crt'),
      '--untrusted',
      join(out, 'intermediate-ca.crt'),
      '--host',
      'www.example.com',
      '--purpose',
      'serverAuth',
      join(out, 'server.crt'),
    );
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/: OK/);
    // server-chain.crt carries its own intermediate.
    expect((await run('cert', 'verify', '--ca', join(out, 'root-ca.crt'), join(out, 'server-chain.crt'))).code).toBe(0);
  });

  it('cert verify exits 1 with the error code for wrong host, missing intermediate and expiry', async () => {
    const out = join(dir, 'ca');
    const bad = await run(
      'cert',
      'verify',
      '--ca',
      join(out, 'root-ca.crt'),
      '--untrusted',
      join(out, 'intermediate-ca.crt'),
      '--host',
      'other.org',
      join(out, 'server.crt'),
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/ERR_CERT_HOSTNAME_MISMATCH \(TLS alert bad_certificate\)/);
    const noInter = await run('cert', 'verify', '--ca', join(out, 'root-ca.crt'), join(out, 'server.crt'));
    expect(noInter.code).toBe(1);
    expect(noInter.err).toMatch(/ERR_CERT_UNKNOWN_CA/);
    const late = await run(
      'cert',
      'verify',
      '--ca',
      join(out, 'root-ca.crt'),
      '--at',
      new Date(Date.now() + 40 * 86_400_000).toISOString(),
      join(out, 'server-chain.crt'),
    );
    expect(late.code).toBe(1);
    expect(late.err).toMatch(/ERR_CERT_EXPIRED/);
  });

  it('csr create → cert issue (plain and under a role) → cert show', async () => {
    const out = join(dir, 'ca');
    const csr = join(dir, 'app.csr'),
      key = join(dir, 'app.key'),
      crt = join(dir, 'app.crt');
    expect(
      (
        await run(
          'csr',
          'create',
          '--subject',
          'CN=app.example.com,O=Example',
          '--alg',
          'ML-DSA-44',
          '--key-out',
          key,
          '--san',
          'app.example.com',
          '--out',
          csr,
        )
      ).code,
    ).toBe(0);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const issued = await run(
      'cert',
      'issue',
      '--ca-cert',
      join(out, 'intermediate-ca.crt'),
      '--ca-key',
      join(out, 'intermediate-ca.key'),
      '--csr',
      csr,
      '--days',
      '10',
      '--out',
      crt,
    );
    expect(issued.code).toBe(0);
    const c = Certificate.parse(readFileSync(crt, 'utf8'));
    expect(c.subject).toBe('CN=app.example.com,O=Example');
    expect(c.extensions.subjectAltName?.dns).toEqual(['app.example.com']);
    expect(c.publicKey.publicKey).toEqual(decodePKCS8(readFileSync(key, 'utf8')).publicKey);
    const role = join(dir, 'role.json');
    writeFileSync(
      role,
      JSON.stringify({ name: 'web', allowed_domains: ['example.org'], allow_subdomains: true, max_ttl: '720h' }),
    );
    const denied = await run(
      'cert',
      'issue',
      '--ca-cert',
      join(out, 'intermediate-ca.crt'),
      '--ca-key',
      join(out, 'intermediate-ca.key'),
      '--csr',
      csr,
      '--role',
      role,
    );
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/ERR_ROLE_DOMAIN_NOT_ALLOWED/);
    expect(denied.err).toMatch(/role "web"/);
    writeFileSync(
      role,
      JSON.stringify({ name: 'web', allowed_domains: ['example.com'], allow_subdomains: true, max_ttl: '720h' }),
    );
    const kemKey = join(dir, 'kem.key');
    const kem = await run(
      'cert',
      'issue',
      '--ca-cert',
      join(out, 'intermediate-ca.crt'),
      '--ca-key',
      join(out, 'intermediate-ca.key'),
      '--cn',
      'kem.example.com',
      '--alg',
      'ML-KEM-768',
      '--key-out',
      kemKey,
      '--role',
      role,
      '--out',
      join(dir, 'kem.crt'),
    );
    expect(kem.code).toBe(0);
    expect(Certificate.parse(readFileSync(join(dir, 'kem.crt'), 'utf8')).extensions.keyUsage).toEqual([
      'keyEncipherment',
    ]);
    const tooLong = await run(
      'cert',
      'issue',
      '--ca-cert',
      join(out, 'intermediate-ca.crt'),
      '--ca-key',
      join(out, 'intermediate-ca.key'),
      '--csr',
      csr,
      '--role',
      role,
      '--days',
      '31',
    );
    expect(tooLong.code).toBe(1);
    expect(tooLong.err).toMatch(/ERR_ROLE_TTL_EXCEEDED/);
    const show = await run('cert', 'show', crt);
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/Subject: +CN=app\.example\.com,O=Example/);
    expect(show.out).toMatch(/Signature: +ML-DSA-65/);
    expect((await run('cert', 'show', csr)).out).toMatch(/Self-signature: OK/);
    expect((await run('cert', 'show', kemKey)).out).toMatch(/ML-KEM-768, PKCS#8 form "seed"/);
  });

  it('usage errors exit 2', async () => {
    expect((await run('ca', 'create')).code).toBe(2);
    expect((await run('cert', 'verify', '--ca', 'x')).code).toBe(2);
  });
});
