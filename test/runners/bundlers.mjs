#!/usr/bin/env node
// Issue 23 item 7: the packed tarball as bundlers and linters see it.
//   - publint and @arethetypeswrong/cli (profile esm-only: the package is ESM-only by design, so
//     node10 and require() from CommonJS are out of scope) pass on the tarball;
//   - a small browser app that imports the root and every public subpath (all but the Node-only
//     qsign-pqc/transit/node) builds with Vite, webpack 5, esbuild and Rollup, each with no
//     wasm plugin and no configuration beyond entry and output (Rollup needs its standard pair,
//     node-resolve to find node_modules at all and commonjs for @peculiar/asn1-schema's CommonJS
//     dependencies pvtsutils/tslib: without it the X.509/CMS code is bundled with missing exports
//     and the page never runs), and every build runs in one Chromium. Vite and webpack emit the .wasm
//     as an asset from the package's `new URL(…, import.meta.url)` and the page must fetch it;
//     esbuild and Rollup do not handle that pattern, so their app imports `init` from
//     qsign-pqc/inline (the documented route for them) and the page must fetch no .wasm.
// TypeScript consumers (node16, bundler) are the types-consumer suite.
//
//   node test/runners/bundlers.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium, root } from './lib.mjs';
import { makeApp } from './packed-app.mjs';

const started = Date.now();
const { app, tarball } = makeApp('bundlers');
const results = [];
const check = (name, ok, detail = '') => results.push({ name, ok, detail });
const bin = (p) => join(root, 'node_modules', p);

// ---------------------------------------------------------------- linters
for (const [name, args] of [
  ['publint', [bin('publint/src/cli.js'), tarball, '--strict']],
  [
    '@arethetypeswrong/cli',
    [bin('@arethetypeswrong/cli/dist/index.js'), tarball, '--profile', 'esm-only', '--format', 'ascii'],
  ],
]) {
  const r = spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  check(
    `${name} passes on the packed tarball`,
    r.status === 0,
    (r.stdout + r.stderr).trim().split('\n').slice(-15).join('\n        '),
  );
}

// ---------------------------------------------------------------- the app
const pkg = JSON.parse(readFileSync(join(app, 'node_modules/qsign-pqc/package.json'), 'utf8'));
const subpaths = Object.keys(pkg.exports)
  .filter((k) => !k.includes('*') && !k.endsWith('.json') && k !== './transit/node' && k !== './inline')
  .map((k) => (k === '.' ? 'qsign-pqc' : `qsign-pqc/${k.slice(2)}`));
const appSource = (initFrom) => `
import { ml_kem768, ml_dsa65, backend } from 'qsign-pqc';
import { init } from '${initFrom}';
${subpaths.map((s, i) => `import * as m${i} from '${s}';`).join('\n')}
const modules = [${subpaths.map((_, i) => `m${i}`).join(', ')}];
async function main() {
  await init();
  const { publicKey, secretKey } = ml_kem768.keygen();
  const { cipherText, sharedSecret } = ml_kem768.encapsulate(publicKey);
  const kemOk = ml_kem768.decapsulate(cipherText, secretKey).every((b, i) => b === sharedSecret[i]);
  const keys = ml_dsa65.keygen();
  const msg = new TextEncoder().encode('bundled');
  const sigOk = ml_dsa65.verify(ml_dsa65.sign(msg, keys.secretKey), msg, keys.publicKey);
  return { ok: kemOk && sigOk, backend: backend(), exports: modules.map((m) => Object.keys(m).length) };
}
main().then((r) => (globalThis.__result = r), (e) => (globalThis.__result = { error: (e && e.code) || String(e) }));
`;
writeFileSync(join(app, 'main.js'), appSource('qsign-pqc'));
writeFileSync(join(app, 'main-inline.js'), appSource('qsign-pqc/inline'));
const html = (script) => `<!doctype html><html><body><script type="module" src="${script}"></script></body></html>`;
writeFileSync(join(app, 'index.html'), html('/main.js'));

const out = (tool) => join(app, 'out', tool);
const builds = {
  async vite() {
    const { build } = await import('vite');
    await build({ root: app, logLevel: 'silent', configFile: false, build: { outDir: out('vite') } });
    return { html: readFileSync(join(out('vite'), 'index.html'), 'utf8'), wasmExpected: true };
  },
  async webpack() {
    const { default: webpack } = await import('webpack');
    const stats = await new Promise((res, rej) =>
      webpack(
        { mode: 'production', context: app, entry: './main.js', output: { path: out('webpack'), filename: 'main.js' } },
        (e, s) => (e ? rej(e) : res(s)),
      ),
    );
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }).slice(0, 800));
    return { html: html('/main.js'), wasmExpected: true };
  },
  async esbuild() {
    const { build } = await import('esbuild');
    await build({
      entryPoints: [join(app, 'main-inline.js')],
      bundle: true,
      format: 'esm',
      outfile: join(out('esbuild'), 'main.js'),
      logLevel: 'silent',
    });
    return { html: html('/main.js'), wasmExpected: false };
  },
  async rollup() {
    const { rollup } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    const { default: commonjs } = await import('@rollup/plugin-commonjs');
    const b = await rollup({
      input: join(app, 'main-inline.js'),
      plugins: [nodeResolve({ browser: true }), commonjs()],
      onwarn() {},
    });
    await b.write({ dir: out('rollup'), format: 'es', entryFileNames: 'main.js' });
    await b.close();
    return { html: html('/main.js'), wasmExpected: false };
  },
};

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));
const built = {};
for (const [tool, fn] of Object.entries(builds)) {
  try {
    const r = await fn();
    const all = files(out(tool));
    const js = all.filter((f) => f.endsWith('.js'));
    const gz = js.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0);
    const wasm = all.filter((f) => f.endsWith('.wasm'));
    built[tool] = {
      ...r,
      summary: `JS ${(gz / 1000).toFixed(1)} KB gz in ${js.length} file(s), ${wasm.length} .wasm asset(s)`,
    };
    if (r.wasmExpected) check(`${tool}: emits the wasm as an asset with no plugin`, wasm.length > 0, all.join(', '));
  } catch (e) {
    check(
      `${tool}: builds the app`,
      false,
      String(e.message ?? e)
        .split('\n')
        .slice(0, 6)
        .join('\n        '),
    );
  }
}

// ---------------------------------------------------------------- Chromium
const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm' };
if (Object.keys(built).length) {
  const context = await launchChromium();
  try {
    for (const [tool, b] of Object.entries(built)) {
      const page = await context.newPage();
      const wasmFetched = [];
      const missing = [];
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.route('**/*', (route) => {
        const path = decodeURIComponent(new URL(route.request().url()).pathname);
        if (path === '/') return route.fulfill({ contentType: 'text/html', body: b.html });
        const file = join(out(tool), path);
        if (path.endsWith('.wasm')) wasmFetched.push(path);
        if (!file.startsWith(out(tool)) || !existsSync(file) || !statSync(file).isFile()) {
          missing.push(path);
          return route.fulfill({ status: 404, body: 'not found' });
        }
        return route.fulfill({
          contentType: TYPES[extname(file)] ?? 'application/octet-stream',
          body: readFileSync(file),
        });
      });
      await page.goto(`http://${tool}.test/`);
      let r;
      try {
        await page.waitForFunction(() => globalThis.__result !== undefined, null, { timeout: 60_000 });
        r = await page.evaluate(() => globalThis.__result);
      } catch (e) {
        r = { error: e.message.split('\n')[0] };
      }
      const ok = r.ok === true && r.backend === 'simd128' && r.exports.every((n) => n > 0) && !missing.length;
      const wasmOk = b.wasmExpected ? wasmFetched.length > 0 : wasmFetched.length === 0;
      check(
        `${tool}: the app runs in Chromium (${b.summary}; ${b.wasmExpected ? `fetched ${wasmFetched.join(', ')}` : 'no wasm fetched: qsign-pqc/inline'})`,
        ok && wasmOk,
        `${JSON.stringify(r)}; 404: ${missing.join(', ')}; wasm: ${wasmFetched.join(', ')}; errors: ${errors.join(' | ').slice(0, 600)}`,
      );
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
console.log(
  `bundlers: ${subpaths.length} entry points in the app (${subpaths.join(', ')}), ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
