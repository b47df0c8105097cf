#!/usr/bin/env node
// Runs the conformance suite in headless Debian Firefox ESR through
// puppeteer-core over WebDriver BiDi (no browser download), SIMD and scalar
// passes in fresh pages. Pages and wasm come from a loopback HTTP server.
import puppeteer from 'puppeteer-core';
import {
  buildBrowserPages,
  cleanup,
  crashResult,
  report,
  requireFile,
  scratchDir,
  serveRoot,
  PAGE_TIMEOUT_MS,
} from './lib.mjs';

const started = Date.now();
const parts = [];
const dir = scratchDir('firefox');
let browser, server;
try {
  const executablePath = requireFile(
    process.env.QSIGN_FIREFOX ?? '/usr/bin/firefox-esr',
    'run `npm run setup` (it apt-installs firefox-esr)',
  );
  const pages = await buildBrowserPages(dir);
  server = await serveRoot();
  browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath,
    headless: true,
    // Keep Firefox off the network: no update, telemetry or captive-portal checks.
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'network.captive-portal-service.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'browser.safebrowsing.update.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  for (const [mode, path] of pages) {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    try {
      await page.goto(`${server.origin}/${path}`);
      await page.waitForFunction(() => globalThis.__qsignResult !== undefined, {
        timeout: PAGE_TIMEOUT_MS,
        polling: 100,
      });
      parts.push([mode, await page.evaluate(() => globalThis.__qsignResult)]);
    } catch (e) {
      parts.push([mode, crashResult(`firefox ${mode}`, new Error(`${e.message}\n${errors.join('\n')}`))]);
    } finally {
      await page.close();
    }
  }
} catch (e) {
  parts.push(['runner', crashResult('firefox', e)]);
} finally {
  await browser?.close().catch(() => {});
  await server?.close();
  cleanup(dir);
}
report('firefox', parts, started);
