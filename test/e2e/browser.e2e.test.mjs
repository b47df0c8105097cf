/**
 * The demo page driven by real browsers: headless Chromium (playwright-core)
 * and Firefox ESR (puppeteer-core over WebDriver BiDi). Each run generates a
 * 50 MiB file IN the page, signs it there with the streaming ML-DSA-65 signer,
 * verifies it, logs in, submits, fetches it back, and runs the three seed §9
 * failure cases. Screenshots (desktop and phone) go to test-results/.
 *
 *   node --test test/e2e/browser.e2e.test.mjs            (--test-name-pattern=Chromium or =Firefox to choose)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDir, root, startServer, tempDataDir, USERS } from './helpers.mjs';
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
  // Any version: the Chromium run before rotated the data key on this same server.
  assert.match(await p.text('#rec-envelope'), /^vault:v\d+:[A-Za-z0-9+/]{20}/);
  assert.match(await p.text('#rec-countersig'), /^vault:v1:/);
  await p.click('#fetch');
  await p.waitText('#fetch-result', 'manifest matches the local file (50 MiB)');
  assert.match(await p.text('#fetch-result'), /^✓ decrypted .* client signature valid · SHA3-256 matches/);
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
      await p.click('#fetch');
      await p.waitText('#fetch-result', '✓ decrypted 4.7 KiB');

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
