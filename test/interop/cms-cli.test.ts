// `qsign cms sign|verify|encrypt|decrypt` against the `openssl cms` command
// line: files each one writes, the other reads (OpenSSL 3.5 for SignedData,
// 3.6 for ML-KEM recipients), keys and certificates as OpenSSL writes them
// (PEM and DER, seed+expanded), and the exit codes of refusals.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { OPENSSL35, OPENSSL36 } from '../helpers/openssl.js';

let dir: string;
const doc = new TextEncoder().encode('contract.pdf stand-in\n'.repeat(2000));
const path = (n: string) => join(dir, n);

function ossl(bin: string, args: string): { code: number; out: string } {
  const r = spawnSync(bin, args.split(' '), { cwd: dir, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
function osslOk(bin: string, args: string): string {
  const r = ossl(bin, args);
  if (r.code !== 0) throw new Error(`openssl ${args} failed:\n${r.out}`);
  return r.out;
}
async function qsign(args: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(
    args.split(' ').map((a) => (a.startsWith('@') ? path(a.slice(1)) : a)),
    { out: (s) => (out += s + '\n'), err: (s) => (err += s + '\n') },
  );
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qsign-cms-cli-'));
  writeFileSync(path('doc.bin'), doc);
  // An OpenSSL-made PKI: ML-DSA-87 root, ML-DSA-65 signer, ML-KEM-768 recipient (x509 -new -force_pubkey).
  const o = (a: string) => osslOk(OPENSSL35, a);
  o('genpkey -algorithm ML-DSA-87 -out root.key');
  o(
    'req -x509 -new -key root.key -subj /CN=CLI-Root -days 30 -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out root.crt',
  );
  o('genpkey -algorithm ML-DSA-87 -out other.key');
  o('req -x509 -new -key other.key -subj /CN=CLI-Root -days 30 -out other.crt');
  o('genpkey -algorithm ML-DSA-65 -out signer.key');
  o('pkey -in signer.key -outform DER -out signer.key.der');
  o('req -new -key signer.key -subj /CN=CLI-Signer -out signer.csr');
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('qsign cms ↔ openssl cms', () => {
  beforeAll(() => {
    osslOk(OPENSSL35, 'x509 -req -in signer.csr -CA root.crt -CAkey root.key -days 30 -out signer.crt');
    osslOk(OPENSSL35, 'x509 -in signer.crt -outform DER -out signer.crt.der');
    osslOk(OPENSSL36, 'genpkey -algorithm ML-KEM-768 -out kem.key');
    osslOk(OPENSSL36, 'pkey -in kem.key -pubout -out kem.pub');
    osslOk(
      OPENSSL36,
      'x509 -new -subj /CN=CLI-KEM -force_pubkey kem.pub -CA root.crt -CAkey root.key -days 30 -out kem.crt',
    );
    osslOk(OPENSSL36, 'genpkey -algorithm ML-KEM-1024 -out kem2.key');
    osslOk(OPENSSL36, 'pkey -in kem2.key -pubout -out kem2.pub');
    osslOk(
      OPENSSL36,
      'x509 -new -subj /CN=CLI-KEM2 -force_pubkey kem2.pub -CA root.crt -CAkey root.key -days 30 -out kem2.crt',
    );
    osslOk(OPENSSL36, 'pkey -in kem2.key -outform DER -out kem2.key.der');
  });

  it('qsign cms sign --detached (DER key and cert) → openssl cms -verify -content', async () => {
    const r = await qsign(
      'cms sign --cert @signer.crt.der --key @signer.key.der --in @doc.bin --out @d.p7s --detached',
    );
    expect(r.code).toBe(0);
    const v = ossl(
      OPENSSL35,
      'cms -verify -binary -inform DER -in d.p7s -content doc.bin -CAfile root.crt -out /dev/null',
    );
    expect(v.out).toMatch(/Verification successful/);
    expect(v.code).toBe(0);
  });

  it('qsign cms sign --pem (attached, shake256) → openssl cms -verify -inform PEM writes the content back', async () => {
    const r = await qsign(
      'cms sign --cert @signer.crt --key @signer.key --in @doc.bin --out @a.pem --pem --digest shake256',
    );
    expect(r.code).toBe(0);
    expect(readFileSync(path('a.pem'), 'utf8')).toMatch(/^-----BEGIN CMS-----/);
    osslOk(OPENSSL35, 'cms -verify -binary -inform PEM -in a.pem -CAfile root.crt -out a.out');
    expect(new Uint8Array(readFileSync(path('a.out')))).toEqual(doc);
  });

  it('openssl cms -sign → qsign cms verify prints the signer and exits 0; tampered content or a wrong root exit 1 with the code', async () => {
    osslOk(
      OPENSSL35,
      'cms -sign -binary -md sha512 -outform DER -in doc.bin -signer signer.crt -inkey signer.key -out o.p7s',
    );
    const ok = await qsign('cms verify --ca @root.crt --in @o.p7s --content @doc.bin');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(
      /Signer: CN=CLI-Signer \(ML-DSA-65 with SHA-512, signed .*\); chain: CN=CLI-Signer <- CN=CLI-Root/,
    );
    writeFileSync(path('bad.bin'), new TextEncoder().encode('contract.pdf stand-in, altered'));
    const bad = await qsign('cms verify --ca @root.crt --in @o.p7s --content @bad.bin');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/ERR_CMS_DIGEST_MISMATCH/);
    const wrong = await qsign('cms verify --ca @other.crt --in @o.p7s --content @doc.bin');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/ERR_CMS_CHAIN/);
    const missing = await qsign('cms verify --ca @root.crt --in @o.p7s');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/ERR_CMS_CONTENT_MISSING/);
    osslOk(
      OPENSSL35,
      'cms -sign -binary -md sha512 -nodetach -outform PEM -in doc.bin -signer signer.crt -inkey signer.key -out o.pem',
    );
    const att = await qsign('cms verify --ca @root.crt --in @o.pem --out @o.out');
    expect(att.code).toBe(0);
    expect(new Uint8Array(readFileSync(path('o.out')))).toEqual(doc);
  });

  it('qsign cms encrypt to two OpenSSL-made ML-KEM certificates → openssl cms -decrypt (3.6) for each', async () => {
    const r = await qsign('cms encrypt --recip @kem.crt --recip @kem2.crt --in @doc.bin --out @e.p7m');
    expect(r.code).toBe(0);
    for (const [crt, key] of [
      ['kem.crt', 'kem.key'],
      ['kem2.crt', 'kem2.key'],
    ]) {
      osslOk(OPENSSL36, `cms -decrypt -binary -inform DER -in e.p7m -recip ${crt} -inkey ${key} -out e.out`);
      expect(new Uint8Array(readFileSync(path('e.out')))).toEqual(doc);
    }
    const cbc = await qsign(
      'cms encrypt --recip @kem.crt --in @doc.bin --out @c.pem --cipher aes-256-cbc --keyid --pem',
    );
    expect(cbc.code).toBe(0);
    osslOk(OPENSSL36, 'cms -decrypt -binary -inform PEM -in c.pem -recip kem.crt -inkey kem.key -out c.out');
    expect(new Uint8Array(readFileSync(path('c.out')))).toEqual(doc);
  });

  it('openssl cms -encrypt (3.6) → qsign cms decrypt (PEM and DER keys); a tampered file exits 1 and leaves no output', async () => {
    osslOk(
      OPENSSL36,
      'cms -encrypt -binary -aes-256-gcm -outform DER -in doc.bin -recip kem.crt -recip kem2.crt -out o.p7m',
    );
    const a = await qsign('cms decrypt --key @kem.key --cert @kem.crt --in @o.p7m --out @o1.bin');
    expect(a.code).toBe(0);
    expect(new Uint8Array(readFileSync(path('o1.bin')))).toEqual(doc);
    const b = await qsign('cms decrypt --key @kem2.key.der --in @o.p7m --out @o2.bin');
    expect(b.code).toBe(0);
    expect(new Uint8Array(readFileSync(path('o2.bin')))).toEqual(doc);
    const x = new Uint8Array(readFileSync(path('o.p7m')));
    x[x.length - 3]! ^= 1;
    writeFileSync(path('t.p7m'), x);
    const t = await qsign('cms decrypt --key @kem.key --in @t.p7m --out @t.bin');
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/ERR_CMS_DECRYPT/);
    expect(existsSync(path('t.bin'))).toBe(false);
    expect(existsSync(path('t.bin.partial'))).toBe(false);
    const u = await qsign('cms decrypt --key @signer.key --in @o.p7m --out @u.bin');
    expect(u.code).toBe(1);
    expect(u.err).toMatch(/ERR_CMS_INVALID_OPTIONS/);
  });

  it('usage errors exit 2', async () => {
    expect((await qsign('cms sign --cert x')).code).toBe(2);
    expect((await qsign('cms encrypt --in @doc.bin --out @z')).code).toBe(2);
  });
});
