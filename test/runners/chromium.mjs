#!/usr/bin/env node
// Runs the conformance suite in headless Debian Chromium through
// playwright-core (which never downloads a browser), SIMD and scalar passes,
// each in a fresh page so each gets a fresh module graph and loader state.
// Pages and wasm come from a loopback HTTP server with application/wasm.
import {
  buildBrowserPages,
  cleanup,
  crashResult,
  launchChromium,
  report,
  scratchDir,
  serveRoot,
  PAGE_TIMEOUT_MS,
} from './lib.mjs';

const started = Date.now();
const parts = [];
const dir = scratchDir('chromium');
let context, server;
try {
  const pages = await buildBrowserPages(dir);
  server = await serveRoot();
  context = await launchChromium();
  for (const [mode, path] of pages) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    try {
      await page.goto(`${server.origin}/${path}`);
      await page.waitForFunction(() => globalThis.__qsignResult !== undefined, null, {
        timeout: PAGE_TIMEOUT_MS,
        polling: 100,
      });
      parts.push([mode, await page.evaluate(() => globalThis.__qsignResult)]);
    } catch (e) {
      parts.push([mode, crashResult(`chromium ${mode}`, new Error(`${e.message}\n${errors.join('\n')}`))]);
    } finally {
      await page.close();
    }
  }
} catch (e) {
  parts.push(['runner', crashResult('chromium', e)]);
} finally {
  await context?.close().catch(() => {});
  await server?.close();
  cleanup(dir);
}
report('chromium', parts, started);
