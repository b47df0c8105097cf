#!/usr/bin/env node
// Runs the conformance suite in headless Debian Chromium through
// playwright-core (which never downloads a browser), SIMD and scalar passes,
// each in a fresh page so each gets a fresh module graph and loader state.
// Pages and wasm come from a loopback HTTP server with application/wasm.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBrowserPages, cleanup, crashResult, report, requireFile, scratchDir, serveRoot, PAGE_TIMEOUT_MS } from './lib.mjs';

const started = Date.now();
const parts = [];
const dir = scratchDir('chromium');
const profile = mkdtempSync(join(tmpdir(), 'qsign-chromium-'));
let context, server;
try {
  const executablePath = requireFile(process.env.QSIGN_CHROMIUM ?? '/usr/bin/chromium', 'run `npm run setup` (it apt-installs chromium)');
  const pages = await buildBrowserPages(dir);
  server = await serveRoot();
  // Flags from shared/toolchain.md: root needs --no-sandbox; the network
  // flags stop Chromium's background calls to hosts this machine cannot reach.
  context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  for (const [mode, path] of pages) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    try {
      await page.goto(`${server.origin}/${path}`);
      await page.waitForFunction(() => globalThis.__qsignResult !== undefined, null, { timeout: PAGE_TIMEOUT_MS, polling: 100 });
      parts.push([mode, await page.evaluate(() => globalThis.__qsignResult)]);
    } catch (e) {
      parts.push([mode, crashResult(`chromium ${mode}`, new Error(`${e.message}\n${errors.join('\n')}`))]);
    } finally { await page.close(); }
  }
} catch (e) { parts.push(['runner', crashResult('chromium', e)]); }
finally {
  await context?.close().catch(() => {});
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
  cleanup(dir);
}
report('chromium', parts, started);
