// The "done when": a document signed and encrypted IN Chromium with
// qsign-pqc/cms is verified by `openssl cms -verify` (3.5) and decrypted by
// `openssl cms -decrypt` (3.6). The page gets certificates and keys as
// OpenSSL-readable PEM, makes the document itself, signs it detached over a
// Blob stream, encrypts it to an ML-KEM certificate and hands the .p7s and
// .p7m back; OpenSSL checks both here.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../src/index.js';
import { createCertificate, encodePKCS8Pem, generateKey } from '../../src/x509/index.js';
import { OPENSSL35, OPENSSL36 } from '../helpers/openssl.js';
// @ts-expect-error: the runner library is plain JavaScript without declarations
import { bundle, cleanup, launchChromium, scratchDir, serveRoot } from '../runners/lib.mjs';

let dir: string;
const DOC_BYTES = 4 << 20;
/** The page and this test make the same document from its length. */
const makeDoc = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);

const PAGE_ENTRY = `
import { init } from '../../src/index.ts';
import { decodePKCS8 } from '../../src/x509/index.ts';
import { signDetachedStream, encryptData } from '../../src/cms/index.ts';
const b64 = (b) => { let s = ''; for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000)); return btoa(s); };
globalThis.__cms = async ({ signerCert, signerKey, chain, kemCert, n }) => {
  await init();
  const doc = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
  const key = decodePKCS8(signerKey);
  const p7s = await signDetachedStream(new Blob([doc]).stream(), {
    signers: [{ certificate: signerCert, key, chain: [chain], digest: 'SHA-512' }],
  });
  const p7m = await encryptData(doc, { recipients: [kemCert] });
  return { p7s: b64(p7s), p7m: b64(p7m), ua: navigator.userAgent };
};
globalThis.__ready = true;
`;

const run = (bin: string, args: string) => spawnSync(bin, args.split(' '), { cwd: dir, encoding: 'utf8' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qsign-cms-chromium-'));
  await init();
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Chromium → openssl cms', () => {
  it('a document signed (ML-DSA-65, detached, SHA-512) and encrypted (ML-KEM-768, AES-256-GCM) in Chromium passes openssl cms -verify and -decrypt', async () => {
    const rk = generateKey('ML-DSA-87');
    const root = await createCertificate({ subject: 'CN=Browser Root', publicKey: rk, ca: true }, { key: rk });
    const ik = generateKey('ML-DSA-65');
    const inter = await createCertificate(
      { subject: 'CN=Browser CA', publicKey: ik, ca: true },
      { key: rk, certificate: root },
    );
    const sk = generateKey('ML-DSA-65');
    const signer = await createCertificate(
      { subject: 'CN=page-user@example.com', publicKey: sk, keyUsage: ['digitalSignature', 'nonRepudiation'] },
      { key: ik, certificate: inter },
    );
    const kk = generateKey('ML-KEM-768');
    const kem = await createCertificate({ subject: 'CN=Recipient', publicKey: kk }, { key: ik, certificate: inter });

    const scratch = scratchDir('cms-chromium');
    let context:
      | {
          newPage(): Promise<{
            goto(url: string): Promise<unknown>;
            waitForFunction(f: () => boolean, arg: null, o: { timeout: number }): Promise<unknown>;
            evaluate<A, R>(f: (a: A) => Promise<R>, a: A): Promise<R>;
          }>;
          close(): Promise<void>;
        }
      | undefined;
    let server: { origin: string; close(): Promise<void> } | undefined;
    let out: { p7s: string; p7m: string; ua: string };
    try {
      await bundle({
        contents: PAGE_ENTRY,
        outfile: join(scratch, 'cms.mjs'),
        platform: 'browser',
        conditions: ['browser'],
        entry: 'browser',
      });
      writeFileSync(
        join(scratch, 'cms.html'),
        '<!doctype html><meta charset="utf-8"><script type="module" src="./cms.mjs"></script>\n',
      );
      server = await serveRoot();
      context = await launchChromium();
      const page = await context.newPage();
      await page.goto(`${server.origin}/.cache/${scratch.split('/').pop()}/cms.html`);
      await page.waitForFunction(() => (globalThis as { __ready?: boolean }).__ready === true, null, {
        timeout: 60_000,
      });
      out = await page.evaluate(
        (a: object) =>
          (globalThis as unknown as { __cms(a: object): Promise<{ p7s: string; p7m: string; ua: string }> }).__cms(a),
        {
          signerCert: signer.pem,
          signerKey: encodePKCS8Pem('ML-DSA-65', sk),
          chain: inter.pem,
          kemCert: kem.pem,
          n: DOC_BYTES,
        },
      );
    } finally {
      await context?.close().catch(() => {});
      await server?.close();
      cleanup(scratch);
    }
    expect(out.ua).toMatch(/Chrome/);
    writeFileSync(join(dir, 'doc.bin'), makeDoc(DOC_BYTES));
    writeFileSync(join(dir, 'doc.p7s'), Buffer.from(out.p7s, 'base64'));
    writeFileSync(join(dir, 'doc.p7m'), Buffer.from(out.p7m, 'base64'));
    writeFileSync(join(dir, 'root.pem'), root.pem);
    writeFileSync(join(dir, 'kem.crt'), kem.pem);
    writeFileSync(join(dir, 'kem.key'), encodePKCS8Pem('ML-KEM-768', kk));
    const v = run(
      OPENSSL35,
      'cms -verify -binary -inform DER -in doc.p7s -content doc.bin -CAfile root.pem -out /dev/null',
    );
    expect(v.stderr).toMatch(/Verification successful/);
    expect(v.status).toBe(0);
    const d = run(
      OPENSSL36,
      'cms -decrypt -binary -inform DER -in doc.p7m -recip kem.crt -inkey kem.key -out plain.bin',
    );
    expect(d.status, d.stderr).toBe(0);
    expect(readFileSync(join(dir, 'plain.bin')).equals(readFileSync(join(dir, 'doc.bin')))).toBe(true);
  }, 300_000);
});
