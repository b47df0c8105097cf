#!/usr/bin/env node
// Where the time of one ML-DSA-65 key pair goes, ours and @oqs/liboqs-js's,
// in Chromium and in Node 20: the raw wasm call, the same call plus copying
// the two keys out into fresh arrays (as both libraries return them), the
// public API, and a loop that only allocates two such arrays. Every case runs
// in one page (or process) in interleaved ~250 ms rounds; the table gives
// the median µs per key pair and the spread over 9 rounds.
//
//   node bench/keygen-copyout.mjs                    Chromium and Node 20
//   node bench/keygen-copyout.mjs --runtime node20   one of them
//
// It explains the "ML-DSA-65 keygen in Chromium" row of docs/performance.md
// ("Known gaps"); it is not part of `npm run bench`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle, cleanup, requireFile, root, scratchDir, serveRoot } from '../test/runners/lib.mjs';

const args = process.argv.slice(2);
const runtimes = (args.includes('--runtime') ? args[args.indexOf('--runtime') + 1] : 'chromium,node20').split(',');

// One source for both runtimes: `env` supplies what differs (how the wasm
// bytes and liboqs-js's module are reached).
const SUITE = `
import { init, ml_dsa65 } from '../../src/index.ts';
import { createMLDSA65 } from '@oqs/liboqs-js';
export async function measure(env) {
  await init();
  const oqs = await createMLDSA65();
  const M = await env.liboqsModule();
  M._OQS_init();
  const name = M._malloc(16);
  M.stringToUTF8('ML-DSA-65', name, 16);
  const oqsSig = M._OQS_SIG_new(name);
  const opk = M._malloc(1952), osk = M._malloc(4032);
  // Our core instantiated directly, to call it without the SDK around it.
  const x = (await WebAssembly.instantiate(await env.wasmBytes(), {})).instance.exports;
  x._initialize?.();
  const seed = x.qs_malloc(32), pk = x.qs_malloc(1952), sk = x.qs_malloc(4032);
  const mem = () => new Uint8Array(x.memory.buffer);
  let sink;
  const cases = {
    'qsign: raw wasm call': (i) => { mem()[seed] = i; x.qs_mldsa_keypair(65, seed, pk, sk); },
    'qsign: raw call + copy both keys out': (i) => { mem()[seed] = i; x.qs_mldsa_keypair(65, seed, pk, sk); sink = [mem().slice(pk, pk + 1952), mem().slice(sk, sk + 4032)]; },
    'qsign: ml_dsa65.keygen()': () => { sink = ml_dsa65.keygen(); },
    '@oqs/liboqs-js: raw wasm call': () => { M._OQS_SIG_keypair(oqsSig, opk, osk); },
    '@oqs/liboqs-js: raw call + copy both keys out': () => { M._OQS_SIG_keypair(oqsSig, opk, osk); sink = [M.HEAPU8.slice(opk, opk + 1952), M.HEAPU8.slice(osk, osk + 4032)]; },
    '@oqs/liboqs-js: generateKeyPair()': () => { sink = oqs.generateKeyPair(); },
    'JS only: two new arrays (1952 + 4032 B)': () => { sink = [new Uint8Array(1952), new Uint8Array(4032)]; },
  };
  const rate = (fn, ms) => { const t0 = performance.now(); let n = 0; while (performance.now() - t0 < ms) fn(n++); return n / ((performance.now() - t0) / 1000); };
  for (const fn of Object.values(cases)) rate(fn, 300);
  const rounds = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let r = 0; r < 9; r++) for (const [k, fn] of Object.entries(cases)) rounds[k].push(1e6 / rate(fn, 250));
  const rows = {};
  for (const [k, v] of Object.entries(rounds)) { v.sort((a, b) => a - b); rows[k] = { median: v[4], min: v[0], max: v[8] }; }
  return rows;
}
`;

const LIBOQS_GLUE = 'node_modules/@oqs/liboqs-js/dist/ml-dsa-65.min.js';
const dir = scratchDir('keygen-copyout');
writeFileSync(join(dir, 'suite.ts'), SUITE);
const results = {};
try {
  for (const rt of runtimes) {
    if (rt === 'node20') {
      const outfile = join(dir, 'node.mjs');
      await bundle({ contents: `export { measure } from '${join(dir, 'suite.ts')}';`, outfile, platform: 'node', conditions: ['node'], entry: 'node', external: ['@oqs/liboqs-js'] });
      // The bundle lives in .cache/, so node resolves @oqs/liboqs-js from the repo's node_modules.
      const { measure } = await import(outfile);
      // Not in the package's "exports": its emscripten module, by path.
      const { default: factory } = await import(pathToFileURL(join(root, LIBOQS_GLUE)).href);
      results['Node 20'] = await measure({ wasmBytes: async () => readFileSync(join(root, 'wasm/qsign-simd.wasm')), liboqsModule: () => factory() });
    } else if (rt === 'chromium') {
      const file = join(dir, 'page.mjs');
      await bundle({
        contents: `import { measure } from '${join(dir, 'suite.ts')}';
import factory from '/${LIBOQS_GLUE}';
measure({ wasmBytes: async () => (await fetch('/wasm/qsign-simd.wasm')).arrayBuffer(), liboqsModule: () => factory() })
  .then((r) => { globalThis.__result = r; }, (e) => { globalThis.__result = { error: String(e && e.stack || e) }; });`,
        outfile: file, platform: 'browser', conditions: ['browser'], entry: 'browser', external: ['@oqs/liboqs-js', `/${LIBOQS_GLUE}`],
      });
      // As in bench/run.mjs: liboqs-js loads its glue with computed imports, so the page takes it unbundled through an import map.
      const importMap = { imports: { '@oqs/liboqs-js': '/node_modules/@oqs/liboqs-js/src/index.js' } };
      writeFileSync(join(dir, 'page.html'), `<!doctype html><meta charset="utf-8"><script type="importmap">${JSON.stringify(importMap)}</script><script type="module" src="./page.mjs"></script>\n`);
      const server = await serveRoot();
      const { chromium } = await import('playwright-core');
      const { mkdtempSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      // The same browser and flags as bench/run.mjs.
      const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'qsign-bench-chromium-')), {
        executablePath: requireFile(process.env.QSIGN_CHROMIUM ?? '/usr/bin/chromium', 'run `npm run setup`'), headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      try {
        const page = await ctx.newPage();
        await page.goto(`${server.origin}/${dir.slice(root.length + 1)}/page.html`);
        await page.waitForFunction(() => globalThis.__result !== undefined, null, { timeout: 600_000, polling: 500 });
        const r = await page.evaluate(() => globalThis.__result);
        if (r.error) throw new Error(r.error);
        const ua = await page.evaluate(() => navigator.userAgent);
        results[`Chromium ${ua.match(/Chrome\/([\d.]+)/)?.[1] ?? ''}`.trim()] = r;
      } finally { await ctx.close(); await server.close(); }
    } else {
      throw new Error(`unknown runtime ${rt} (chromium, node20)`);
    }
  }
} finally { cleanup(dir); }

const f = (v) => v.toFixed(1);
for (const [rt, rows] of Object.entries(results)) {
  console.log(`\n${rt}: µs per ML-DSA-65 key pair, median of 9 rounds (min..max)\n`);
  console.log('| case | µs | spread |\n|---|--:|--:|');
  for (const [k, v] of Object.entries(rows)) console.log(`| ${k} | ${f(v.median)} | ${f(v.min)}..${f(v.max)} |`);
  const q = rows['qsign: raw wasm call'].median, o = rows['@oqs/liboqs-js: raw wasm call'].median;
  console.log(`\nraw calls: liboqs-js ÷ qsign = ${(o / q).toFixed(2)}×; public APIs: ${(rows['@oqs/liboqs-js: generateKeyPair()'].median / rows['qsign: ml_dsa65.keygen()'].median).toFixed(2)}×`);
  console.log(`copying the keys out costs qsign ${f(rows['qsign: raw call + copy both keys out'].median - q)} µs, liboqs-js ${f(rows['@oqs/liboqs-js: raw call + copy both keys out'].median - o)} µs`);
}
