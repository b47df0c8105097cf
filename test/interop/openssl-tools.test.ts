// The OpenSSL tools the interop tests rely on (scripts/install-openssl.mjs,
// test/helpers/openssl.ts): each wrapper runs with an empty environment, reports
// its series, uses its own providers, survives the checkout being copied
// elsewhere (CI copies it), and a second install does nothing, quickly.
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPENSSL35, OPENSSL36, ensureOpenssl, openssl, type OpensslSeries } from '../helpers/openssl.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'qsign-ossl-tools-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('OpenSSL tools in tools/openssl', () => {
  for (const [series, bin] of [
    ['3.5', OPENSSL35],
    ['3.6', OPENSSL36],
  ] as [OpensslSeries, string][]) {
    it(`${series}: the wrapper inside the checkout runs with an empty environment and reports ${series}.x`, () => {
      expect(bin).toBe(join(root, 'tools', 'openssl', series, 'bin', 'openssl'));
      ensureOpenssl(series);
      const r = spawnSync(bin, ['version'], { env: {}, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^OpenSSL ${series.replace('.', '\\.')}\\.\\d+ `));
    });

    it(`${series}: loads its own providers (the legacy one too) and makes ML-DSA and ML-KEM keys`, () => {
      const p = openssl(series, ['list', '-providers', '-provider', 'default', '-provider', 'legacy'], { check: true });
      expect(p.out).toMatch(/legacy[\s\S]*status: active/);
      expect(p.out).toMatch(new RegExp(`version: ${series.replace('.', '\\.')}\\.`));
      for (const alg of ['ML-DSA-65', 'ML-KEM-768']) {
        expect(openssl(series, ['genpkey', '-algorithm', alg], { check: true }).stdout).toMatch(/BEGIN PRIVATE KEY/);
      }
    });

    it(`${series}: still runs when the prefix is copied elsewhere (no absolute paths inside)`, () => {
      const copy = join(scratch, series);
      cpSync(dirname(dirname(bin)), copy, { recursive: true, verbatimSymlinks: true });
      const r = spawnSync(join(copy, 'bin', 'openssl'), ['version'], { env: {}, encoding: 'utf8' });
      expect(r.stdout).toMatch(new RegExp(`^OpenSSL ${series.replace('.', '\\.')}\\.`));
    });
  }

  it('3.6 has what the CMS work needs from it and 3.5 lacks: encrypting to an ML-KEM recipient', () => {
    const o = (s: OpensslSeries, args: string[]) => openssl(s, args, { cwd: scratch });
    const ok = (s: OpensslSeries, args: string[]) => openssl(s, args, { cwd: scratch, check: true });
    ok('3.6', ['genpkey', '-algorithm', 'ML-DSA-65', '-out', 'ca.key']);
    ok('3.6', ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=ca', '-out', 'ca.crt']);
    ok('3.6', ['genpkey', '-algorithm', 'ML-KEM-768', '-out', 'kem.key']);
    ok('3.6', ['pkey', '-in', 'kem.key', '-pubout', '-out', 'kem.pub']);
    ok('3.6', [
      'x509',
      '-new',
      '-force_pubkey',
      'kem.pub',
      '-subj',
      '/CN=kem',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-out',
      'kem.crt',
    ]);
    const msg = 'to an ML-KEM recipient\n';
    const enc = ['cms', '-encrypt', '-aes-256-gcm', '-recip', 'kem.crt', '-outform', 'DER', '-binary'];
    const sealed = openssl('3.6', enc, { cwd: scratch, input: msg, check: true }).bytes;
    expect(sealed.length).toBeGreaterThan(1000);
    const dec = ['cms', '-decrypt', '-inform', 'DER', '-recip', 'kem.crt', '-inkey', 'kem.key', '-binary'];
    expect(openssl('3.6', dec, { cwd: scratch, input: sealed, check: true }).stdout).toBe(msg);
    expect(o('3.5', enc).code).not.toBe(0);
  });

  it('parallel installs wait for each other (tools/openssl/.installing); a dead holder’s lock is taken over', async () => {
    // A scratch checkout with only the installer and its lock; QSIGN_OPENSSL3x point it at the
    // installed tools, so this needs no network.
    const r = join(scratch, 'lockroot');
    mkdirSync(join(r, 'scripts'), { recursive: true });
    mkdirSync(join(r, 'tools', 'openssl', '.installing'), { recursive: true });
    cpSync(join(root, 'scripts', 'install-openssl.mjs'), join(r, 'scripts', 'install-openssl.mjs'));
    cpSync(join(root, 'tools', 'openssl.lock.json'), join(r, 'tools', 'openssl.lock.json'));
    const lockDir = join(r, 'tools', 'openssl', '.installing');
    const env = { ...process.env, QSIGN_OPENSSL35: OPENSSL35, QSIGN_OPENSSL36: OPENSSL36 };
    const script = join(r, 'scripts', 'install-openssl.mjs');

    writeFileSync(join(lockDir, 'pid'), String(process.pid)); // held by a live process: us
    const child = spawn(process.execPath, [script, '--quiet'], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    await new Promise((done) => setTimeout(done, 1500));
    expect(child.exitCode).toBe(null); // still waiting for the lock
    rmSync(lockDir, { recursive: true });
    expect(await exited).toBe(0);
    expect(spawnSync(join(r, 'tools/openssl/3.6/bin/openssl'), ['version'], { encoding: 'utf8' }).stdout).toMatch(
      /^OpenSSL 3\.6\./,
    );

    rmSync(join(r, 'tools', 'openssl'), { recursive: true });
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(join(lockDir, 'pid'), String(spawnSync('true').pid)); // a process that has exited
    const again = spawnSync(process.execPath, [script, '--quiet'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(spawnSync(join(r, 'tools/openssl/3.5/bin/openssl'), ['version'], { encoding: 'utf8' }).stdout).toMatch(
      /^OpenSSL 3\.5\./,
    );
  });

  it('a second install run does nothing and is quick', () => {
    const t = Date.now();
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'install-openssl.mjs'), '--quiet'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toBe('');
    expect(Date.now() - t).toBeLessThan(5_000);
  });
});
