/**
 * The demo page driven by real browsers: headless Chromium (playwright-core)
 * and Firefox ESR (puppeteer-core over WebDriver BiDi). Each run generates a
 * 50 MiB file IN the page, signs it there with the streaming ML-DSA-65 signer,
 * verifies it, logs in, submits, fetches it back (also as ML-KEM CMS), and runs
 * the seed §9 failure cases. In Chromium a small document then goes round
 * through OpenSSL: the page's document.p7s and CA file are downloaded and the
 * `openssl cms -verify` command the page shows is run as printed (OpenSSL
 * 3.5); the ML-KEM CMS the service returns is decrypted with the command the
 * page shows (OpenSSL 3.6) and with `qsign cms decrypt`. Screenshots (desktop
 * and phone) go to test-results/.
 *
 *   node --test test/e2e/browser.e2e.test.mjs            (--test-name-pattern=Chromium or =Firefox to choose)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { opensslHelpers, removeDir, root, startServer, tempDataDir, USERS } from '../helpers/demo.mjs';
import { launchChromium } from '../runners/lib.mjs';

const SHOTS = join(root, 'test-results');
const FIREFOX = '/usr/bin/firefox-esr';

/** One interface over Playwright and Puppeteer pages so both browsers run the same flow. */
function adapter(kind, page) {
  return {
    goto: (url) => page.goto(url),
    click: (sel) => page.click(sel),
    async fill(sel, value) {
      await page.evaluate(
        ([s, v]) => {
          const el = document.querySelector(s);
          el.value = v;
          el.dispatchEvent(new Event('input', { bubbles: true }));
        },
        [sel, value],
      );
    },
    text: (sel) => page.evaluate((s) => document.querySelector(s).textContent, sel),
    /** Waits until the element's text contains `needle`; fails with the text it last saw. */
    async waitText(sel, needle, timeout = 60_000) {
      const fn = ([s, n]) => (document.querySelector(s)?.textContent ?? '').includes(n);
      try {
        if (kind === 'playwright') await page.waitForFunction(fn, [sel, needle], { timeout, polling: 100 });
        else await page.waitForFunction(fn, { timeout, polling: 100 }, [sel, needle]);
      } catch (e) {
        const seen = await page.evaluate((s) => document.querySelector(s)?.textContent, sel).catch(() => '?');
        const st = await page.evaluate(() => document.getElementById('status')?.textContent).catch(() => '?');
        throw new Error(
          `waiting for ${sel} to contain ${JSON.stringify(needle)}: saw ${JSON.stringify(seen)} (status: ${st}) — ${e.message}`,
        );
      }
    },
    async viewport(width, height) {
      if (kind === 'playwright') await page.setViewportSize({ width, height });
      else await page.setViewport({ width, height });
    },
    async screenshot(path, fullPage = true) {
      if (!fullPage) await page.evaluate(() => window.scrollTo(0, 0)); // the first screen a phone user sees
      await page.screenshot({ path, fullPage });
    },
  };
}

/** The full page flow; returns timing facts for the report. */
async function runFlow(p, base, adminToken, name, username = 'alice') {
  await p.goto(`${base}/`);
  await p.waitText('#status', 'WebAssembly core loaded', 30_000);
  const badge = await p.text('#backend');
  assert.match(badge, /^(SIMD128|scalar)$/);
  const rows = await p.text('#algs tbody');
  assert.match(rows, /ML-DSA-65/);
  assert.match(rows, /ML-KEM-768/);

  await p.click('#keygen');
  await p.waitText('#key-info', 'saved to IndexedDB');

  // 50 MiB generated in the page (crypto.getRandomValues), then streamed through ml_dsa65.signer.
  await p.fill('#gen-size', '50');
  await p.click('#gen');
  await p.waitText('#doc-info', '52,428,800 bytes');
  await p.click('#sign');
  await p.waitText('#throughput', 'signed in', 150_000);
  const throughput = await p.text('#throughput');
  assert.match(await p.text('#signature'), /\(3309 bytes\)$/);
  await p.click('#verify');
  await p.waitText('#verify-result', '✓ valid ML-DSA-65 signature', 150_000);

  // Wrong password first: the error is shown, not thrown away.
  await p.fill('#password', 'not-the-password');
  await p.click('#login');
  await p.waitText('#login-result', 'invalid_grant');
  await p.fill('#username', username);
  await p.fill('#password', USERS[username]);
  await p.click('#login');
  await p.waitText('#login-result', `✓ signed in as ${username}`);
  assert.match(await p.text('#token-decoded'), /"alg": "ML-DSA-65"/);
  // First login: the demo CA certifies the page key for this account (issue 18 #13).
  await p.waitText('#enroll-result', '✓ key certified by QSIGN Demo CA');
  assert.match(await p.text('#enroll-result'), new RegExp(`CN=${username},O=QSIGN demo users`));

  await p.click('#submit');
  await p.waitText('#submit-result', '✓ stored as a signed manifest');
  // document.p7s over the whole 50 MiB file, made in the page with the certified key.
  await p.waitText('#p7s-result', '✓ document.p7s made in the page');
  assert.match(
    await p.text('#openssl-verify'),
    /^openssl cms -verify -binary -inform DER -in document\.p7s -content random-50MiB\.bin -CAfile qsign-demo-ca\.pem -out \/dev\/null$/,
  );
  // Any version: the Chromium run before rotated the data key on this same server.
  assert.match(await p.text('#rec-envelope'), /^vault:v\d+:[A-Za-z0-9+/]{20}/);
  assert.match(await p.text('#rec-countersig'), /^vault:v1:/);
  await p.click('#fetch');
  await p.waitText('#fetch-result', 'manifest matches the local file (50 MiB)');
  assert.match(await p.text('#fetch-result'), /^✓ decrypted .* client signature valid · SHA3-256 matches/);
  // The stored record back as ML-KEM CMS, decrypted in the page with its recipient key.
  await p.click('#fetch-cms');
  await p.waitText('#cms-result', 'document.p7m');
  assert.match(await p.text('#cms-result'), /^✓ document\.p7m: ML-KEM-768 AuthEnvelopedData .* SHA3-256 matches$/);
  await p.viewport(1280, 900);
  await p.screenshot(join(SHOTS, `demo-${name}-desktop.png`));

  // Seed §9 failure cases.
  await p.click('#case-tamper');
  await p.waitText('#case-tamper-out', 'invalid_document_signature');
  assert.match(await p.text('#case-tamper-out'), /^✓ rejected — HTTP 400/);
  await p.click('#case-otherkey');
  await p.waitText('#case-otherkey-out', 'signing_key_mismatch');
  assert.match(await p.text('#case-otherkey-out'), /^✓ rejected — HTTP 403/);
  await p.click('#case-expired');
  await p.waitText('#case-expired-out', 'token_expired', 20_000);
  assert.match(await p.text('#case-expired-out'), /^✓ rejected — HTTP 401 token_expired/);
  await p.fill('#admin-token', adminToken);
  await p.click('#case-version');
  await p.waitText('#case-version-out', 'key version no longer supported');
  assert.match(await p.text('#case-version-out'), /^✓ HTTP 400/);
  // The case restores min_decryption_version, so the record decrypts again.
  await p.click('#fetch');
  await p.waitText('#fetch-result', '✓ decrypted');

  await p.screenshot(join(SHOTS, `demo-${name}-desktop-cases.png`));
  await p.viewport(390, 844);
  await p.screenshot(join(SHOTS, `demo-${name}-phone.png`));
  await p.screenshot(join(SHOTS, `demo-${name}-phone-top.png`), false);
  return { badge, throughput };
}

/** Clicks a download link of the page and saves the file into `dir` under its download name. */
async function download(page, selector, dir) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(dir, dl.suggestedFilename());
  await dl.saveAs(path);
  return path;
}

/** Runs a command the page shows, as printed, with `openssl` on PATH from `opensslBin`. */
function runShown(command, cwd, opensslBin) {
  const r = spawnSync('sh', ['-c', command], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dirname(opensslBin)}:${process.env.PATH}` },
    timeout: 60_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/**
 * Issue 20 item 6: the small document signed in Chromium verifies with the `openssl cms -verify`
 * command the page shows (OpenSSL 3.5, files downloaded from the page), not once its content is
 * tampered with; the ML-KEM CMS the service returns decrypts with the page's `openssl cms -decrypt`
 * command (OpenSSL 3.6) and with `qsign cms decrypt`.
 */
async function roundTripWithOpenssl(page, p, work, original) {
  const { OPENSSL35, OPENSSL36, ensureOpenssl } = await opensslHelpers();
  ensureOpenssl('3.5');
  ensureOpenssl('3.6');
  const dir = join(work, 'downloads');
  mkdirSync(dir);
  await p.waitText('#p7s-result', '✓ document.p7s made in the page');
  const doc = await download(page, '#dl-doc', dir);
  const p7s = await download(page, '#dl-p7s', dir);
  const caFile = await download(page, '#dl-ca', dir);
  assert.equal(doc, join(dir, 'letter.txt'));
  assert.deepEqual(readFileSync(doc), readFileSync(original));
  assert.equal(readFileSync(p7s)[0], 0x30, 'document.p7s is DER');
  assert.match(readFileSync(caFile, 'utf8'), /^-----BEGIN CERTIFICATE-----/);

  const verify = await p.text('#openssl-verify');
  assert.equal(
    verify,
    'openssl cms -verify -binary -inform DER -in document.p7s -content letter.txt -CAfile qsign-demo-ca.pem -out /dev/null',
  );
  const ok = runShown(verify, dir, OPENSSL35);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /CMS Verification successful/);

  // Tampered content: one byte flipped in the downloaded document.
  const bytes = readFileSync(doc);
  bytes[10] ^= 0x01;
  writeFileSync(doc, bytes);
  const bad = runShown(verify, dir, OPENSSL35);
  assert.notEqual(bad.code, 0, bad.out);
  assert.match(bad.out, /Verification failure|digest failure/i);
  assert.doesNotMatch(bad.out, /Verification successful/);

  // Back as ML-KEM CMS: decrypted by OpenSSL 3.6 with the command shown, and by qsign cms decrypt.
  await p.click('#fetch-cms');
  await p.waitText('#cms-result', 'document.p7m');
  assert.match(await p.text('#cms-result'), /^✓ .* SHA3-256 matches$/);
  await download(page, '#dl-p7m', dir);
  const key = await download(page, '#dl-recip-key', dir);
  await download(page, '#dl-recip-crt', dir);
  assert.match(readFileSync(key, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
  const decrypt = await p.text('#openssl-decrypt');
  assert.equal(
    decrypt,
    'openssl cms -decrypt -binary -inform DER -in document.p7m -recip recipient.crt -inkey recipient.key -out received-letter.txt',
  );
  const dec = runShown(decrypt, dir, OPENSSL36);
  assert.equal(dec.code, 0, dec.out);
  assert.deepEqual(readFileSync(join(dir, 'received-letter.txt')), readFileSync(original));
  const q = spawnSync(
    process.execPath,
    [
      join(root, 'bin/qsign.mjs'),
      ...'cms decrypt --key recipient.key --cert recipient.crt --in document.p7m --out qsign-letter.txt'.split(' '),
    ],
    { cwd: dir, encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(q.status, 0, `${q.stdout}${q.stderr}`);
  assert.deepEqual(readFileSync(join(dir, 'qsign-letter.txt')), readFileSync(original));
}

describe('QSIGN demo page in real browsers', () => {
  let dataDir, srv;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = tempDataDir('browser');
    srv = await startServer(dataDir);
  });
  after(async () => {
    await srv?.stop();
    if (dataDir) removeDir(dataDir);
  });

  it('Chromium (playwright-core): 50 MiB signed in the page, full flow, failure cases', async () => {
    const ctx = await launchChromium({ viewport: { width: 1280, height: 900 } });
    const work = mkdtempSync(join(tmpdir(), 'qsign-e2e-'));
    const errors = [];
    const offsite = [];
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (
          m.type() === 'error' &&
          !/Failed to load resource: the server responded with a status of (400|401|403|413)/.test(m.text())
        )
          errors.push(m.text());
      });
      page.on('request', (r) => {
        if (!r.url().startsWith(srv.url)) offsite.push(r.url());
      });
      const res = await runFlow(adapter('playwright', page), srv.url, srv.adminToken, 'chromium');
      assert.equal(res.badge, 'SIMD128', 'Chromium runs the SIMD build');

      // A small picked file is uploaded as the document itself (not a manifest).
      await page.setViewportSize({ width: 1280, height: 900 });
      const small = join(work, 'letter.txt');
      writeFileSync(small, 'Dear Bob, this letter is signed with ML-DSA-65.\n'.repeat(100));
      await page.setInputFiles('#file', small);
      const p = adapter('playwright', page);
      await p.waitText('#doc-info', 'letter.txt');
      await p.click('#sign');
      await p.waitText('#throughput', 'signed in');
      await p.click('#submit');
      await p.waitText('#submit-result', '✓ stored as the document itself');
      assert.match(
        await p.text('#submit-result'),
        /CMS SignedData verified by the service \(qsign-pqc\/cms\): CN=alice,O=QSIGN demo users$/,
      );
      await p.click('#fetch');
      await p.waitText('#fetch-result', '✓ decrypted 4.7 KiB');
      await roundTripWithOpenssl(page, p, work, small);

      // The key survives a reload (IndexedDB).
      await page.reload();
      await p.waitText('#key-info', 'loaded from IndexedDB');
      writeFileSync(join(SHOTS, 'demo-chromium-throughput.txt'), `${res.throughput}\n`);
      assert.deepEqual(offsite, [], 'no request leaves the demo server (no CDN)');
      assert.deepEqual(errors, [], 'no page errors');
    } finally {
      await ctx.close();
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('Firefox ESR (puppeteer-core, WebDriver BiDi): the same flow', async () => {
    const puppeteer = (await import('puppeteer-core')).default;
    const browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: FIREFOX,
      headless: true,
    });
    const errors = [];
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      page.on('pageerror', (e) => errors.push(String(e)));
      // bob: alice's account is bound to the key the Chromium run certified on this same server.
      const res = await runFlow(adapter('puppeteer', page), srv.url, srv.adminToken, 'firefox', 'bob');
      writeFileSync(join(SHOTS, 'demo-firefox-throughput.txt'), `${res.throughput}\n`);
      assert.deepEqual(errors, [], 'no page errors');
    } finally {
      await browser.close();
    }
  });
});
