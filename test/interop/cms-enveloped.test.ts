// CMS EnvelopedData / AuthEnvelopedData to ML-KEM recipients through
// KEMRecipientInfo (RFC 9629/9936), both ways with OpenSSL 3.6 (3.5 refuses
// ML-KEM recipients): every parameter set, AES-256-GCM and AES-CBC, several
// recipients, rid by issuer-and-serial and by subject key identifier.
// Recipient certificates are ours (ML-KEM keys certified by an ML-DSA CA)
// and OpenSSL's (`openssl x509 -new -force_pubkey`).
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
  decodePKCS8,
  encodePKCS8Pem,
  generateKey,
  type DecodedPrivateKey,
} from '../../src/x509/index.js';
import { decryptData, encryptData, parseEnvelope } from '../../src/cms/index.js';
import { OPENSSL36 } from '../helpers/openssl.js';
import { indexOf } from '../helpers/bytes.js';

const KEMS = ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'] as const;
type Kem = (typeof KEMS)[number];
let dir: string;

function ossl(args: string): { code: number; out: string } {
  const r = spawnSync(OPENSSL36, args.split(' '), { cwd: dir, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
function osslOk(args: string): string {
  const r = ossl(args);
  if (r.code !== 0) throw new Error(`openssl ${args} failed (${r.code}):\n${r.out}`);
  return r.out;
}
const path = (name: string) => join(dir, name);
const put = (name: string, data: string | Uint8Array) => {
  writeFileSync(path(name), data);
  return path(name);
};
const read = (name: string) => new Uint8Array(readFileSync(path(name)));

let ca: { cert: Certificate; key: DecodedPrivateKey };
const ours = {} as Record<Kem, { cert: Certificate; key: DecodedPrivateKey }>;
const doc = new TextEncoder().encode('Board minutes — confidential\n'.repeat(300));

beforeAll(async () => {
  expect(existsSync(OPENSSL36), `OpenSSL 3.6 missing at ${OPENSSL36}; run npm run setup`).toBe(true);
  expect(osslOk('version')).toMatch(/OpenSSL 3\.6/);
  dir = mkdtempSync(join(tmpdir(), 'qsign-cms-env-'));
  await init();
  const k = generateKey('ML-DSA-65');
  ca = { key: k, cert: await createCertificate({ subject: 'CN=KEM CA,O=qsign', publicKey: k, ca: true }, { key: k }) };
  put('ca.crt', ca.cert.pem);
  put('ca.key', encodePKCS8Pem('ML-DSA-65', k));
  for (const alg of KEMS) {
    const key = generateKey(alg);
    const cert = await createCertificate(
      { subject: `CN=Recipient ${alg},O=qsign`, publicKey: key },
      { key: ca.key, certificate: ca.cert },
    );
    ours[alg] = { cert, key };
    put(`${alg}.crt`, cert.pem);
    put(`${alg}.key`, encodePKCS8Pem(alg, key));
  }
  put('doc.bin', doc);
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ours → openssl cms -decrypt (3.6)', () => {
  for (const alg of KEMS)
    for (const enc of ['AES-256-GCM', 'AES-256-CBC', 'AES-128-GCM'] as const)
      it(`${alg}, ${enc}`, async () => {
        const p7m = await encryptData(doc, { recipients: [ours[alg].cert], contentEncryption: enc });
        put('m.p7m', p7m);
        rmSync(path('out.bin'), { force: true });
        osslOk(`cms -decrypt -binary -inform DER -in m.p7m -recip ${alg}.crt -inkey ${alg}.key -out out.bin`);
        expect(read('out.bin')).toEqual(doc);
        expect((await decryptData(p7m, { key: ours[alg].key, certificate: ours[alg].cert })).content).toEqual(doc);
      });

  it('three recipients (one per ML-KEM level, one named by subjectKeyIdentifier): each decrypts with OpenSSL', async () => {
    const p7m = await encryptData(doc, {
      recipients: [
        ours['ML-KEM-512'].cert,
        { certificate: ours['ML-KEM-768'].cert, rid: 'subjectKeyIdentifier' },
        { certificate: ours['ML-KEM-1024'].cert, kdf: 'HKDF-SHA256', wrap: 'AES-256-KW' },
      ],
    });
    expect(parseEnvelope(p7m).recipients).toHaveLength(3);
    put('m3.p7m', p7m);
    for (const alg of KEMS) {
      rmSync(path('out.bin'), { force: true });
      osslOk(`cms -decrypt -binary -inform DER -in m3.p7m -recip ${alg}.crt -inkey ${alg}.key -out out.bin`);
      expect(read('out.bin')).toEqual(doc);
    }
  });

  it('openssl cms -cmsout -print shows KEMRecipientInfo with HKDF-SHA256 and the RFC 9936 key wrap', async () => {
    put('p.p7m', await encryptData(doc, { recipients: [ours['ML-KEM-768'].cert] }));
    const text = osslOk('cms -cmsout -print -inform DER -in p.p7m');
    expect(text).toMatch(/ML-KEM-768/);
    expect(text).toMatch(/hkdf/i);
    expect(text).toMatch(/aes256-wrap|id-aes256-wrap/);
  });
});

describe('openssl cms -encrypt (3.6) → ours', () => {
  for (const alg of KEMS)
    for (const cipher of ['-aes-256-gcm', '-aes-256-cbc'])
      it(`${alg}, ${cipher}`, () => {
        osslOk(`cms -encrypt -binary ${cipher} -outform DER -in doc.bin -recip ${alg}.crt -out o.p7m`);
        return decryptData(read('o.p7m'), { key: ours[alg].key, certificate: ours[alg].cert }).then((r) => {
          expect(r.content).toEqual(doc);
          expect(r.authenticated).toBe(cipher.endsWith('gcm'));
        });
      });

  it('OpenSSL-made ML-KEM certificate (x509 -new -force_pubkey) and key; -keyid rid; two recipients', async () => {
    osslOk('genpkey -algorithm ML-KEM-768 -out okem.key');
    osslOk('pkey -in okem.key -pubout -out okem.pub');
    osslOk(
      'x509 -new -subj /CN=openssl-kem -force_pubkey okem.pub -CA ca.crt -CAkey ca.key -days 30 -ext keyUsage -out okem.crt',
    );
    osslOk(
      'cms -encrypt -binary -aes-256-gcm -outform DER -in doc.bin -keyid -recip okem.crt -recip ML-KEM-1024.crt -out k.p7m',
    );
    const key = decodePKCS8(readFileSync(path('okem.key'), 'utf8'));
    const r = await decryptData(read('k.p7m'), { key, certificate: readFileSync(path('okem.crt'), 'utf8') });
    expect(r.content).toEqual(doc);
    // Without the certificate, the key alone finds its entry.
    expect((await decryptData(read('k.p7m'), { key })).content).toEqual(doc);
    expect((await decryptData(read('k.p7m'), { key: ours['ML-KEM-1024'].key })).content).toEqual(doc);
    // And our message to OpenSSL's certificate decrypts in OpenSSL.
    put('to-o.p7m', await encryptData(doc, { recipients: [readFileSync(path('okem.crt'), 'utf8')] }));
    osslOk('cms -decrypt -binary -inform DER -in to-o.p7m -recip okem.crt -inkey okem.key -out out2.bin');
    expect(read('out2.bin')).toEqual(doc);
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

  it('not a recipient → ERR_CMS_NO_RECIPIENT; wrong key of the same level → ERR_CMS_DECRYPT', async () => {
    const p7m = await encryptData(doc, { recipients: [ours['ML-KEM-768'].cert] });
    expect(await code(decryptData(p7m, { key: ours['ML-KEM-512'].key }))).toBe('ERR_CMS_NO_RECIPIENT');
    expect(await code(decryptData(p7m, { key: ours['ML-KEM-1024'].key, certificate: ours['ML-KEM-1024'].cert }))).toBe(
      'ERR_CMS_NO_RECIPIENT',
    );
    const other = generateKey('ML-KEM-768');
    expect(await code(decryptData(p7m, { key: other }))).toBe('ERR_CMS_DECRYPT');
  });

  it('tampered ciphertext or tag → ERR_CMS_DECRYPT (GCM); OpenSSL refuses the same bytes', async () => {
    const p7m = await encryptData(doc, { recipients: [ours['ML-KEM-768'].cert] });
    const env = parseEnvelope(p7m);
    for (const part of [env.encryptedContent, env.mac!]) {
      const at = indexOf(p7m, part);
      const x = p7m.slice();
      x[at + 3]! ^= 0x40;
      expect(await code(decryptData(x, { key: ours['ML-KEM-768'].key }))).toBe('ERR_CMS_DECRYPT');
      put('t.p7m', x);
      expect(
        ossl('cms -decrypt -binary -inform DER -in t.p7m -recip ML-KEM-768.crt -inkey ML-KEM-768.key -out t.out').code,
      ).not.toBe(0);
    }
  });

  it('every truncation → ERR_CMS_MALFORMED; byte mutations → a QsignError, never garbage plaintext from GCM', async () => {
    const p7m = await encryptData(doc.subarray(0, 100), { recipients: [ours['ML-KEM-512'].cert] });
    for (let n = 0; n < p7m.length; n += 11)
      expect(await code(decryptData(p7m.subarray(0, n), { key: ours['ML-KEM-512'].key })), `length ${n}`).toBe(
        'ERR_CMS_MALFORMED',
      );
    for (let i = 0; i < p7m.length; i += 3) {
      const x = p7m.slice();
      x[i] = x[i]! ^ (1 << (i % 8));
      const c = await code(decryptData(x, { key: ours['ML-KEM-512'].key }));
      // A flip inside a DER length or tag can still parse; the content must then still be authentic.
      if (c === 'resolved') {
        const r = await decryptData(x, { key: ours['ML-KEM-512'].key });
        expect(r.content).toEqual(doc.subarray(0, 100));
      } else expect(c).toMatch(/^ERR_/);
    }
  });
});
