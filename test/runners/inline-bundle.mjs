#!/usr/bin/env node
// Issue 23 item 6: a plain `esbuild --bundle` of an app (no plugin, no loader
// config, no asset emitted) works with `qsign-pqc/inline`, whose wasm is in the
// JavaScript. The app bundle is one file; it runs in Node and in Chromium, where
// every request other than the page and that file is answered 404 and
// recorded (none may be a .wasm). For contrast, the same app on the root entry
// is bundled the same way and must fail in Chromium with ERR_WASM_LOAD_FAILED
// (the asset it fetches was never emitted): the reason the inline entry exists.
//
//   node test/runners/inline-bundle.mjs [--tarball qsign-pqc-x.tgz]
import { build } from 'esbuild';
import { rmSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium, run } from './lib.mjs';
import { makeApp } from './packed-app.mjs';

const started = Date.now();
const i = process.argv.indexOf('--tarball');
const { app } = makeApp('inline', { tarball: i > 0 ? process.argv[i + 1] : undefined });

const appSource = (entry) => `
import { init, ml_kem768, backend } from '${entry}';
import { sha3_256 } from 'qsign-pqc';
import { SigningKeyRing } from 'qsign-pqc/jose';
const out = {};
try {
  await init();
  const { publicKey, secretKey } = ml_kem768.keygen();
  const { cipherText, sharedSecret } = ml_kem768.encapsulate(publicKey);
  const again = ml_kem768.decapsulate(cipherText, secretKey);
  out.ok = sharedSecret.every((b, i) => b === again[i]) && sha3_256(new Uint8Array(3)).length === 32 && typeof SigningKeyRing === 'function';
  out.backend = backend();
} catch (e) {
  out.error = (e && e.code) || String(e);
}
globalThis.__result = out;
if (typeof document === 'undefined') console.log(JSON.stringify(out));
`;

const results = [];
const check = (name, ok, detail = '') => results.push({ name, ok, detail });
const bundles = {};
for (const [name, entry] of [
  ['inline', 'qsign-pqc/inline'],
  ['root', 'qsign-pqc'],
]) {
  writeFileSync(join(app, `${name}.mjs`), appSource(entry));
  for (const platform of ['browser', 'node']) {
    const outfile = join(app, 'out', `${name}-${platform}.js`);
    try {
      // What `esbuild app.mjs --bundle --format=esm [--platform=node]` does: nothing else configured.
      await build({
        entryPoints: [join(app, `${name}.mjs`)],
        bundle: true,
        format: 'esm',
        platform,
        outfile,
        logLevel: 'silent',
      });
      bundles[`${name}-${platform}`] = outfile;
    } catch (e) {
      check(`esbuild bundles the ${name} app (${platform})`, false, e.message.split('\n')[0]);
    }
  }
}

const size = (f) =>
  `${(statSync(f).size / 1000).toFixed(1)} KB, ${(gzipSync(readFileSync(f), { level: 9 }).length / 1000).toFixed(1)} KB gz`;
if (bundles['inline-node']) {
  const r = await run(process.execPath, [bundles['inline-node']], { cwd: join(app, 'out'), timeoutMs: 60_000 });
  const out = JSON.parse(r.stdout.trim().split('\n').pop() || '{}');
  check(
    'Node: the esbuild bundle of qsign-pqc/inline runs (keygen, encaps, decaps agree)',
    out.ok === true,
    JSON.stringify(out) + r.stderr.slice(0, 300),
  );
}

if (bundles['inline-browser'] && bundles['root-browser']) {
  const context = await launchChromium();
  try {
    for (const name of ['inline', 'root']) {
      const page = await context.newPage();
      const other = [];
      await page.route('**/*', (route) => {
        const path = new URL(route.request().url()).pathname;
        if (path === '/')
          return route.fulfill({ contentType: 'text/html', body: `<script type="module" src="/app.js"></script>` });
        if (path === '/app.js')
          return route.fulfill({ contentType: 'text/javascript', body: readFileSync(bundles[`${name}-browser`]) });
        other.push(path);
        return route.fulfill({ status: 404, body: 'not found' });
      });
      await page.goto('http://qsign.test/');
      await page.waitForFunction(() => globalThis.__result !== undefined, null, { timeout: 60_000 });
      const out = await page.evaluate(() => globalThis.__result);
      if (name === 'inline') {
        check(
          `Chromium: the esbuild bundle of qsign-pqc/inline runs with no wasm served (${size(bundles['inline-browser'])})`,
          out.ok === true && out.backend === 'simd128' && !other.some((p) => p.endsWith('.wasm')),
          `${JSON.stringify(out)}; other requests: ${other.join(', ')}`,
        );
      } else {
        check(
          `Chromium: the same app on the root entry fetches a wasm esbuild never emitted (${other.join(', ')}) and fails with ERR_WASM_LOAD_FAILED`,
          out.error === 'ERR_WASM_LOAD_FAILED' && other.some((p) => p.endsWith('.wasm')),
          `${JSON.stringify(out)}; other requests: ${other.join(', ')}`,
        );
      }
      await page.close();
    }
  } finally {
    await context.close();
  }
}
rmSync(app, { recursive: true, force: true });

let failed = 0;
for (const r of results) {
  if (!r.ok) failed++;
  console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.ok ? '' : `\n        ${r.detail}`}`);
}
console.log(`inline-bundle: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
