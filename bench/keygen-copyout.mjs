#!/usr/bin/env node
// Where the time of one ML-DSA-65 and one ML-KEM-768 key pair goes, ours
// and @oqs/liboqs-js's, in Chromium and in Node 20: the raw wasm call, the
// same call plus copying the two keys out into fresh arrays (as both
// libraries return them), the public API, and a loop that only allocates two
// such arrays. Every case runs in one page (or process) in interleaved
// ~250 ms rounds; the tables give the median µs per key pair and the spread
// over 9 rounds.
//
//   node bench/keygen-copyout.mjs                    Chromium and Node 20
//   node bench/keygen-copyout.mjs --runtime node20   one of them
//
// It explains the Chromium keygen rows of docs/performance.md ("Known
// gaps"); it is not part of `npm run bench`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle, cleanup, launchChromium, root, scratchDir, serveRoot } from '../test/runners/lib.mjs';

const args = process.argv.slice(2);
const runtimes = (args.includes('--runtime') ? args[args.indexOf('--runtime') + 1] : 'chromium,node20').split(',');

// One source for both runtimes: `env` supplies what differs (how the wasm
// bytes and liboqs-js's module are reached).
const SUITE = `
import { init, ml_dsa65, ml_kem768 } from '../../src/index.ts';
import { summarize } from '../../bench/stats.mjs';
import { createMLDSA65, createMLKEM768 } from '@oqs/liboqs-js';
export async function measure(env) {
  await init();
  // Our family modules (ML-DSA, ML-KEM) instantiated directly, to call them without the SDK around them.
  const ourModule = async (name) => {
    const x = (await WebAssembly.instantiate(await env.wasmBytes(name), {})).instance.exports;
    x._initialize?.();
    return { x, mem: () => new Uint8Array(x.memory.buffer), seed: x.qs_malloc(64), pk: x.qs_malloc(1952), sk: x.qs_malloc(4032) };
  };
  const ourDsa = await ourModule('mldsa'), ourKem = await ourModule('mlkem');
  // liboqs-js's emscripten modules, likewise called directly.
  const raw = async (glue, newFn, name) => {
    const M = await env.liboqsModule(glue);
    M._OQS_init();
    const n = M._malloc(16);
    M.stringToUTF8(name, n, 16);
    return { M, obj: M[newFn](n) };
  };
  const dsa = await raw('ml-dsa-65', '_OQS_SIG_new', 'ML-DSA-65'), kem = await raw('ml-kem-768', '_OQS_KEM_new', 'ML-KEM-768');
  const oqsDsa = await createMLDSA65(), oqsKem = await createMLKEM768();
  let sink;
  const set = (o, alg, pkLen, skLen, ours, lib, oursApi, libApi) => {
    const { mem, seed, pk, sk } = o;
    const copy = (heap, p, s) => { sink = [heap.slice(p, p + pkLen), heap.slice(s, s + skLen)]; };
    const lp = lib.M._malloc(pkLen), ls = lib.M._malloc(skLen);
    return {
      [alg + ' | qsign: raw wasm call']: (i) => { mem()[seed] = i; ours(); },
      [alg + ' | qsign: raw call + copy both keys out']: (i) => { mem()[seed] = i; ours(); copy(mem(), pk, sk); },
      [alg + ' | qsign: keygen()']: () => { sink = oursApi(); },
      [alg + ' | @oqs/liboqs-js: raw wasm call']: () => { lib.call(lp, ls); },
      [alg + ' | @oqs/liboqs-js: raw call + copy both keys out']: () => { lib.call(lp, ls); copy(lib.M.HEAPU8, lp, ls); },
      [alg + ' | @oqs/liboqs-js: generateKeyPair()']: () => { sink = libApi(); },
      [alg + ' | JS only: two new arrays (' + pkLen + ' + ' + skLen + ' B)']: () => { sink = [new Uint8Array(pkLen), new Uint8Array(skLen)]; },
    };
  };
  const cases = {
    ...set(ourDsa, 'ML-DSA-65', 1952, 4032, () => ourDsa.x.qs_mldsa_keypair(65, ourDsa.seed, ourDsa.pk, ourDsa.sk), { ...dsa, call: (p, s) => dsa.M._OQS_SIG_keypair(dsa.obj, p, s) }, () => ml_dsa65.keygen(), () => oqsDsa.generateKeyPair()),
    ...set(ourKem, 'ML-KEM-768', 1184, 2400, () => ourKem.x.qs_mlkem_keypair(3, ourKem.seed, ourKem.pk, ourKem.sk), { ...kem, call: (p, s) => kem.M._OQS_KEM_keypair(kem.obj, p, s) }, () => ml_kem768.keygen(), () => oqsKem.generateKeyPair()),
  };
  const rate = (fn, ms) => { const t0 = performance.now(); let n = 0; while (performance.now() - t0 < ms) fn(n++); return n / ((performance.now() - t0) / 1000); };
  for (const fn of Object.values(cases)) rate(fn, 300);
  const rounds = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let r = 0; r < 9; r++) for (const [k, fn] of Object.entries(cases)) rounds[k].push(1e6 / rate(fn, 250));
  const rows = {};
  for (const [k, v] of Object.entries(rounds)) rows[k] = summarize(v);
  return rows;
}
`;

const LIBOQS_DIST = 'node_modules/@oqs/liboqs-js/dist';
const dir = scratchDir('keygen-copyout');
writeFileSync(join(dir, 'suite.ts'), SUITE);
const results = {};
try {
  for (const rt of runtimes) {
    if (rt === 'node20') {
      const outfile = join(dir, 'node.mjs');
      await bundle({
        contents: `export { measure } from '${join(dir, 'suite.ts')}';`,
        outfile,
        platform: 'node',
        conditions: ['node'],
        entry: 'node',
        external: ['@oqs/liboqs-js'],
      });
      // The bundle lives in .cache/, so node resolves @oqs/liboqs-js from the repo's node_modules.
      const { measure } = await import(outfile);
      // Not in the package's "exports": its emscripten modules, by path.
      const liboqsModule = async (glue) =>
        (await import(pathToFileURL(join(root, LIBOQS_DIST, `${glue}.min.js`)).href)).default();
      results['Node 20'] = await measure({
        wasmBytes: async (name) => readFileSync(join(root, `wasm/qsign-${name}-simd.wasm`)),
        liboqsModule,
      });
    } else if (rt === 'chromium') {
      const file = join(dir, 'page.mjs');
      await bundle({
        contents: `import { measure } from '${join(dir, 'suite.ts')}';
measure({ wasmBytes: async (name) => (await fetch('/wasm/qsign-' + name + '-simd.wasm')).arrayBuffer(), liboqsModule: async (glue) => { const url = \`/${LIBOQS_DIST}/\${glue}.min.js\`; return (await import(url)).default(); } })
  .then((r) => { globalThis.__result = r; }, (e) => { globalThis.__result = { error: String(e && e.stack || e) }; });`,
        outfile: file,
        platform: 'browser',
        conditions: ['browser'],
        entry: 'browser',
        external: ['@oqs/liboqs-js'],
      });
      // As in bench/run.mjs: liboqs-js loads its glue with computed imports, so the page takes it unbundled through an import map.
      const importMap = { imports: { '@oqs/liboqs-js': '/node_modules/@oqs/liboqs-js/src/index.js' } };
      writeFileSync(
        join(dir, 'page.html'),
        `<!doctype html><meta charset="utf-8"><script type="importmap">${JSON.stringify(importMap)}</script><script type="module" src="./page.mjs"></script>\n`,
      );
      const server = await serveRoot();
      const ctx = await launchChromium(); // the browser and flags of bench/run.mjs
      try {
        const page = await ctx.newPage();
        await page.goto(`${server.origin}/${dir.slice(root.length + 1)}/page.html`);
        await page.waitForFunction(() => globalThis.__result !== undefined, null, { timeout: 600_000, polling: 500 });
        const r = await page.evaluate(() => globalThis.__result);
        if (r.error) throw new Error(r.error);
        const ua = await page.evaluate(() => navigator.userAgent);
        results[`Chromium ${ua.match(/Chrome\/([\d.]+)/)?.[1] ?? ''}`.trim()] = r;
      } finally {
        await ctx.close();
        await server.close();
      }
    } else {
      throw new Error(`unknown runtime ${rt} (chromium, node20)`);
    }
  }
} finally {
  cleanup(dir);
}

const f = (v) => v.toFixed(1);
for (const [rt, rows] of Object.entries(results)) {
  for (const alg of ['ML-DSA-65', 'ML-KEM-768']) {
    const own = Object.entries(rows)
      .filter(([k]) => k.startsWith(`${alg} | `))
      .map(([k, v]) => [k.slice(alg.length + 3), v]);
    const get = (name) => own.find(([k]) => k === name)[1].median;
    console.log(`\n${rt}, ${alg} key pair: µs, median of 9 rounds (min..max)\n`);
    console.log('| case | µs | spread |\n|---|--:|--:|');
    for (const [k, v] of own) console.log(`| ${k} | ${f(v.median)} | ${f(v.min)}..${f(v.max)} |`);
    const q = get('qsign: raw wasm call'),
      o = get('@oqs/liboqs-js: raw wasm call');
    console.log(
      `\nraw calls: liboqs-js ÷ qsign = ${(o / q).toFixed(2)}×; public APIs: ${(get('@oqs/liboqs-js: generateKeyPair()') / get('qsign: keygen()')).toFixed(2)}×`,
    );
    console.log(
      `copying the keys out costs qsign ${f(get('qsign: raw call + copy both keys out') - q)} µs, liboqs-js ${f(get('@oqs/liboqs-js: raw call + copy both keys out') - o)} µs`,
    );
  }
}
