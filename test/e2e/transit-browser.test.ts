/*
 * The IndexedDB store and its non-extractable master key in headless
 * Chromium (playwright-core, system chromium), served from loopback.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.QSIGN_CHROMIUM ?? '/usr/bin/chromium';
let dir: string;
let server: Server;
let base: string;

const PAGE_CODE = `
import { Keyring, openIndexedDbStore, generateMasterKey } from './src/transit/index.ts';
window.runTransitIdb = async () => {
  const out = {};
  const s1 = await openIndexedDbStore('qsign-transit-test');
  const kr = new Keyring({ store: s1, masterKey: await s1.masterKey() });
  await kr.createKey('browser-key', { type: 'ml-kem-768' });
  const { ciphertext } = await kr.encrypt('browser-key', new TextEncoder().encode('in the browser'));
  out.prefix = ciphertext.slice(0, 9);
  s1.close();
  // Reopen: same database, same (persisted, non-extractable) master key.
  const s2 = await openIndexedDbStore('qsign-transit-test');
  const kr2 = new Keyring({ store: s2, masterKey: await s2.masterKey() });
  out.roundTrip = new TextDecoder().decode((await kr2.decrypt('browser-key', ciphertext)).plaintext);
  out.rotated = (await kr2.rotateKey('browser-key')).latest_version;
  out.list = await s2.list();
  // Compare-and-swap: ten writers race on one revision, one wins.
  await s2.put('cas', 'v0', undefined);
  const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => s2.put('cas', 'v' + (i + 1), 1)));
  out.casWinners = wins.filter((w) => w === 2).length;
  // The stored master key is a CryptoKey that script cannot export.
  const raw = await new Promise((res, rej) => { const r = indexedDB.open('qsign-transit-test'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  const key = await new Promise((res) => { const g = raw.transaction('meta').objectStore('meta').get('master'); g.onsuccess = () => res(g.result); });
  raw.close();
  out.keyType = Object.prototype.toString.call(key);
  out.extractable = key.extractable;
  out.exportRefused = await crypto.subtle.exportKey('raw', key).then(() => false, () => true);
  // Sealed at rest: the record holds no seed in the clear and another master key cannot open it.
  const row = await s2.get('browser-key');
  const rec = JSON.parse(row.json);
  out.sealedFormat = atob(rec.record.versions['1'].sealed.slice(0, 4)).charCodeAt(0);
  // Records are authenticated (issue 18, item 4): another master key cannot even use the record...
  const other = new Keyring({ store: s2, masterKey: (await generateMasterKey()).masterKey });
  out.otherKey = await other.decrypt('browser-key', ciphertext).then(() => 'opened', (e) => e.code);
  // ...and a public key written into the IndexedDB record is refused, not encrypted to.
  rec.record.versions['1'].public_key = rec.record.versions['2'].public_key;
  await s2.put('browser-key', JSON.stringify(rec), row.revision);
  out.tampered = await kr2.encrypt('browser-key', new Uint8Array(1), { keyVersion: 1 }).then(() => 'used', (e) => e.code);
  // SLH-DSA (issue 21): its wasm module is fetched on first use; the record round-trips and stays authenticated.
  const te = new TextEncoder();
  await kr2.createKey('slh-key', { type: 'slh-dsa-sha2-128f' });
  const slhSig = (await kr2.sign('slh-key', te.encode('idb'), { context: te.encode('c') })).signature;
  out.slhSignatureBytes = atob(slhSig.slice(9)).length;
  s2.close();
  const s3 = await openIndexedDbStore('qsign-transit-test');
  const kr3 = new Keyring({ store: s3, masterKey: await s3.masterKey() });
  out.slhVerified = await kr3.verify('slh-key', te.encode('idb'), slhSig, { context: te.encode('c') });
  const slhRow = await s3.get('slh-key');
  const slhDoc = JSON.parse(slhRow.json);
  out.slhType = slhDoc.record.type;
  slhDoc.record.type = 'slh-dsa-sha2-128s';
  await s3.put('slh-key', JSON.stringify(slhDoc), slhRow.revision);
  out.slhTampered = await kr3.verify('slh-key', te.encode('idb'), slhSig, { context: te.encode('c') }).then(() => 'used', (e) => e.code);
  s3.close();
  return out;
};
`;

beforeAll(async () => {
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  dir = mkdtempSync(join(root, 'node_modules', '.cache', 'qsign-transit-browser-'));
  await esbuild.build({
    stdin: { contents: PAGE_CODE, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    outfile: join(dir, 'page.js'),
    logLevel: 'silent',
    ignoreAnnotations: true,
    plugins: [
      {
        name: 'wasm',
        setup(b) {
          b.onResolve({ filter: /^#wasm-source$/ }, () => ({ path: 'w', namespace: 'w' }));
          b.onLoad({ filter: /.*/, namespace: 'w' }, () => ({
            loader: 'js',
            contents:
              "export function defaultModuleSource(m, v) { return fetch('/wasm/qsign-' + m + '-' + v + '.wasm'); }\n" +
              "export function defaultSlhDsaSource(v) { return fetch('/wasm/qsign-slhdsa-' + v + '.wasm'); }",
          }));
        },
      },
    ],
  });
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><script type="module" src="/page.js"></script>');
      return;
    }
    const file = url === '/page.js' ? join(dir, 'page.js') : url.startsWith('/wasm/') ? join(root, url.slice(1)) : '';
    if (!file || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('transit IndexedDB store in Chromium', () => {
  it('persists sealed keys across reopen with a non-extractable master key; CAS has one winner', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(base);
      await page.waitForFunction(
        () => typeof (window as unknown as { runTransitIdb?: unknown }).runTransitIdb === 'function',
      );
      const out = await page.evaluate(() =>
        (window as unknown as { runTransitIdb: () => Promise<Record<string, unknown>> }).runTransitIdb(),
      );
      expect(out).toEqual({
        prefix: 'vault:v1:',
        roundTrip: 'in the browser',
        rotated: 2,
        list: ['browser-key'],
        casWinners: 1,
        keyType: '[object CryptoKey]',
        extractable: false,
        exportRefused: true,
        sealedFormat: 1,
        otherKey: 'ERR_TRANSIT_RECORD_TAMPERED',
        tampered: 'ERR_TRANSIT_RECORD_TAMPERED',
        slhSignatureBytes: 17_088,
        slhVerified: true,
        slhType: 'slh-dsa-sha2-128f',
        slhTampered: 'ERR_TRANSIT_RECORD_TAMPERED',
      });
    } finally {
      await browser.close();
    }
  });
});
