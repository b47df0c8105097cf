#!/usr/bin/env node
// Native Web Crypto vs our wasm, per runtime, algorithm and operation.
//
//   node bench/engine.mjs                       # node24, deno, bun, chromium, firefox, node20
//   node bench/engine.mjs --runtimes=deno,bun   # a subset (other rows are kept)
//   node bench/engine.mjs --quick --no-write    # smoke run, prints only
//   node bench/engine.mjs --regen               # no measuring: table + docs from bench/policy/*.json
//
// Each runtime measures itself: this driver bundles the engine with esbuild
// for the runtime, runs it there (Chromium/Firefox through a loopback page),
// and collects a JSON result. It then writes
//   - bench/policy/<runtime>@<major>.json   the raw numbers and the picks,
//   - src/engine/policy-table.ts            the picks of every committed JSON (what 'auto' uses),
//   - the results section of docs/engines.md (Markdown tables of all JSONs).
//
// What is timed is the engine call exactly as the SDK serves it with byte
// keys (so native includes its importKey): keygen → seed + public key,
// sign(seed), verify(public-key bytes), encapsulate(public-key bytes),
// decapsulate(seed). Each engine is forced with init({ engine }). Rounds
// alternate the engines so background load hits both alike; the best round
// counts (the one least disturbed by other processes; medians are kept in
// the JSON too). Native is picked only when it is >= PICK_MARGIN faster:
// on a near tie wasm wins (same behaviour everywhere, no runtime warnings).
// "Held" numbers (CryptoKey kept by native; expanded key kept by wasm) are
// informational: the best case of each engine when the caller keeps keys.

import { median } from './stats.mjs';

// Native must beat wasm by 15 %: rounds on this shared 2-core machine vary by
// ±10–20 % even best-of-16, and on a near tie wasm is the better default.
export const PICK_MARGIN = 1.15;

/** The policy decision for one measured operation. */
export function pickOf(v) {
  return v.webcrypto !== null && v.webcrypto !== undefined && v.webcrypto >= v.wasm * PICK_MARGIN
    ? 'webcrypto'
    : 'wasm';
}
const SIGS = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'];
const KEMS = ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'];

/**
 * Runs inside the measured runtime. `lib` is the bundled SDK surface
 * (qsign-pqc + qsign-pqc/webcrypto + the primitives).
 */
export async function measure(lib, { quick = false } = {}) {
  // Many short rounds: on a busy machine more rounds means more chances of an undisturbed one.
  const rounds = quick ? 2 : 16;
  const ms = quick ? 50 : 60;
  const now = () => performance.now();
  async function rate(fn) {
    // performance.now() is whole milliseconds in Firefox: time batches of >= `ms`.
    let n = 0;
    const t0 = now();
    let t = t0;
    while (t - t0 < ms) {
      await fn();
      n++;
      t = now();
    }
    return (n * 1000) / (t - t0);
  }
  const best = (xs) => Math.max(...xs);
  const seedOf = (n, k) => Uint8Array.from({ length: n }, (_, i) => (k * 13 + i) & 0xff);
  const prims = lib.primitives;

  await lib.init();
  const caps = await lib.probeWebCrypto();
  const out = {
    runtime: caps.runtime.key,
    version: caps.runtime.version,
    userAgent: globalThis.navigator?.userAgent ?? '',
    backend: lib.backend(),
    measured: new Date().toISOString(),
    quick,
    roundMs: ms,
    rounds,
    pickMargin: PICK_MARGIN,
    capabilities: {},
    ops: {},
    held: {},
  };
  const msg = new Uint8Array(64).fill(0x61);
  for (const alg of [...SIGS, ...KEMS]) {
    const c = caps.algorithms[alg];
    const isKem = alg.startsWith('ML-KEM');
    out.capabilities[alg] = Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'notes'));
    const seed = seedOf(isKem ? 64 : 32, alg.length);
    const kp = prims[alg].keygen(seed);
    const ct = isKem ? prims[alg].encapsulate(kp.publicKey).cipherText : undefined;
    const sig = isKem ? undefined : prims[alg].sign(msg, kp.secretKey);
    const calls = isKem
      ? {
          keygen: () => lib.kemKeygen(alg, undefined, { output: 'seed' }),
          encapsulate: () => lib.encapsulate(alg, kp.publicKey),
          decapsulate: () => lib.decapsulate(alg, ct, seed),
        }
      : {
          keygen: () => lib.signatureKeygen(alg, undefined, { output: 'seed' }),
          sign: () => lib.sign(alg, seed, msg),
          verify: () => lib.verify(alg, kp.publicKey, msg, sig),
        };
    const able = {
      keygen: c.generateKey && c.exportSeed,
      sign: c.sign,
      verify: c.verify && c.rawPublic,
      encapsulate: c.encapsulate && c.rawPublic,
      decapsulate: c.decapsulate,
    };
    out.ops[alg] = {};
    for (const [op, fn] of Object.entries(calls)) {
      const w = [],
        n = [];
      for (let r = 0; r < rounds + 1; r++) {
        await lib.init({ engine: 'wasm' });
        const rw = await rate(fn);
        let rn;
        if (able[op]) {
          await lib.init({ engine: 'webcrypto' });
          rn = await rate(fn);
        }
        // Round 0 is warm-up (tier-up of the wasm, first native calls).
        if (r > 0) {
          w.push(rw);
          if (rn !== undefined) n.push(rn);
        }
      }
      // Best round decides: on a shared machine the fastest round is the one least disturbed by others.
      const wasm = best(w),
        webcrypto = n.length ? best(n) : null;
      out.ops[alg][op] = {
        wasm: Math.round(wasm),
        webcrypto: webcrypto === null ? null : Math.round(webcrypto),
        wasmMedian: Math.round(median(w)),
        webcryptoMedian: n.length ? Math.round(median(n)) : null,
        pick: pickOf({ wasm, webcrypto }),
      };
    }
    await lib.init({ engine: 'auto' });
    // Held keys: the best case of each engine.
    out.held[alg] = {};
    const heldOps = isKem
      ? { decapsulate: [() => prims[alg].decapsulate(ct, kp.secretKey), 'decapsulateBits'] }
      : { sign: [() => prims[alg].sign(msg, kp.secretKey), 'sign'] };
    for (const [op, [wasmFn]] of Object.entries(heldOps)) {
      let native = null;
      if (able[op]) {
        const { privateKey } = await lib.importKeyToWebCrypto(alg, seed);
        const nfn = isKem ? () => lib.decapsulate(alg, ct, privateKey) : () => lib.sign(alg, privateKey, msg);
        await rate(nfn);
        const xs = [];
        for (let r = 0; r < rounds; r++) xs.push(await rate(nfn));
        native = Math.round(best(xs));
      }
      await rate(async () => wasmFn());
      const wasmR = [];
      for (let r = 0; r < rounds; r++) wasmR.push(await rate(async () => wasmFn()));
      out.held[alg][op] = { wasmExpandedKey: Math.round(best(wasmR)), webcryptoCryptoKey: native };
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Driver (Node). Nothing below runs inside the measured runtimes. Its imports
// go through `load()` so esbuild leaves them out of the measured bundles.

const load = (specifier) => import(specifier);

const ALL_RUNTIMES = ['node24', 'deno', 'bun', 'chromium', 'firefox', 'node20'];
const MARK_START = '<!-- bench:engine:start (generated by bench/engine.mjs; do not edit) -->';
const MARK_END = '<!-- bench:engine:end -->';

function entrySource(finish, quick) {
  return [
    `import * as core from '../../src/index.ts';`,
    `import * as wc from '../../src/webcrypto/index.ts';`,
    `import { measure } from '../../bench/engine.mjs';`,
    `const primitives = { 'ML-DSA-44': core.ml_dsa44, 'ML-DSA-65': core.ml_dsa65, 'ML-DSA-87': core.ml_dsa87, 'ML-KEM-512': core.ml_kem512, 'ML-KEM-768': core.ml_kem768, 'ML-KEM-1024': core.ml_kem1024 };`,
    `const run = () => measure({ ...core, ...wc, primitives }, { quick: ${quick} });`,
    finish,
  ].join('\n');
}

const TAG = '@@QSIGN_ENGINE_BENCH ';

async function runOne(name, lib, quick) {
  const { join } = await load('node:path');
  const { bundle, run, scratchDir, cleanup, serveRoot, BIN, requireFile } = lib;
  const dir = scratchDir(`bench-engine-${name}`);
  try {
    if (name === 'chromium' || name === 'firefox') {
      const { writeFileSync } = await load('node:fs');
      const { relative } = await load('node:path');
      await bundle({
        contents: entrySource(
          `run().then((r) => { globalThis.__bench = r; }, (e) => { globalThis.__bench = { error: String(e && e.stack || e) }; });`,
          quick,
        ),
        outfile: join(dir, 'b.mjs'),
        platform: 'browser',
        conditions: ['browser'],
        entry: 'browser',
      });
      writeFileSync(
        join(dir, 'b.html'),
        '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="./b.mjs"></script>\n',
      );
      const server = await serveRoot();
      const url = `${server.origin}/${relative(lib.root, join(dir, 'b.html'))}`;
      let browser, context;
      try {
        let page;
        if (name === 'chromium') {
          context = await lib.launchChromium();
          page = await context.newPage();
        } else {
          const puppeteer = (await load('puppeteer-core')).default;
          browser = await puppeteer.launch({
            browser: 'firefox',
            protocol: 'webDriverBiDi',
            executablePath: process.env.QSIGN_FIREFOX ?? '/usr/bin/firefox-esr',
          });
          page = await browser.newPage();
        }
        await page.goto(url);
        // playwright: (fn, arg, options); puppeteer: (fn, options).
        if (name === 'chromium')
          await page.waitForFunction(() => globalThis.__bench !== undefined, null, { timeout: 900_000, polling: 500 });
        else await page.waitForFunction(() => globalThis.__bench !== undefined, { timeout: 900_000, polling: 500 });
        const r = await page.evaluate(() => globalThis.__bench);
        if (r.error) throw new Error(r.error);
        return r;
      } finally {
        await context?.close().catch(() => {});
        await browser?.close().catch(() => {});
        await server.close();
      }
    }
    const outfile = join(dir, 'b.mjs');
    await bundle({
      contents: entrySource(`console.log(${JSON.stringify(TAG)} + JSON.stringify(await run()));`, quick),
      outfile,
      platform: 'node',
      conditions: name === 'deno' ? ['deno', 'node'] : ['node'],
      entry: name === 'deno' ? 'deno' : 'node',
    });
    const cmd = {
      node24: [requireFile(BIN.node24, 'run `npm run setup`'), ['--no-warnings', outfile]],
      node20: ['node', [outfile]],
      deno: [requireFile(BIN.deno, 'run `npm install`'), ['run', '-A', outfile]],
      bun: [requireFile(BIN.bun, 'run `npm install`'), [outfile]],
    }[name];
    if (!cmd) throw new Error(`unknown runtime ${name}; expected one of ${ALL_RUNTIMES.join(', ')}`);
    const res = await run(cmd[0], cmd[1], { timeoutMs: 900_000 });
    const line = res.stdout.split('\n').find((l) => l.startsWith(TAG));
    if (!line)
      throw new Error(`${name} printed no result (exit ${res.code}):\n${(res.stderr || res.stdout).slice(-2000)}`);
    return JSON.parse(line.slice(TAG.length));
  } finally {
    cleanup(dir);
  }
}

function fmt(n) {
  return n === null || n === undefined ? '—' : n >= 100 ? String(Math.round(n)) : n.toFixed(1);
}

/** Markdown for every committed result, newest runtime rows first. */
export function markdown(results) {
  const lines = [];
  for (const r of results) {
    const busy = r.machine ? `, ${r.machine.cpus} CPUs at load ${r.machine.loadAverage1m.join('→')}` : '';
    lines.push(
      `### ${r.runtime} (${r.userAgent || r.version}, wasm ${r.backend}, ${r.measured.slice(0, 10)}${busy}${r.quick ? ', quick run' : ''})`,
      '',
    );
    lines.push(
      '| algorithm | operation | wasm ops/s | native ops/s | native ÷ wasm | policy |',
      '|---|---|---:|---:|---:|---|',
    );
    for (const [alg, ops] of Object.entries(r.ops)) {
      for (const [op, v] of Object.entries(ops)) {
        lines.push(
          `| ${alg} | ${op} | ${fmt(v.wasm)} | ${fmt(v.webcrypto)} | ${v.webcrypto ? (v.webcrypto / v.wasm).toFixed(2) + '×' : 'no native'} | ${pickOf(v)} |`,
        );
      }
    }
    lines.push('', 'Keys held by the caller (expanded bytes in wasm; a non-extractable CryptoKey natively):', '');
    lines.push('| algorithm | operation | wasm, expanded key | native, CryptoKey |', '|---|---|---:|---:|');
    for (const [alg, ops] of Object.entries(r.held)) {
      for (const [op, v] of Object.entries(ops))
        lines.push(`| ${alg} | ${op} | ${fmt(v.wasmExpandedKey)} | ${fmt(v.webcryptoCryptoKey)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** TypeScript source of the policy table from every committed result. */
export function policySource(results) {
  const table = {};
  for (const r of results) {
    table[r.runtime] = {};
    for (const [alg, ops] of Object.entries(r.ops)) {
      // Recomputed from the numbers, so a changed PICK_MARGIN only needs --regen.
      const picks = Object.fromEntries(
        Object.entries(ops)
          .filter(([, v]) => pickOf(v) === 'webcrypto')
          .map(([op]) => [op, 'webcrypto']),
      );
      if (Object.keys(picks).length) table[r.runtime][alg] = picks;
    }
  }
  return [
    '// GENERATED by bench/engine.mjs from bench/policy/*.json — do not edit by hand;',
    '// re-run `node bench/engine.mjs` (see docs/engines.md) to regenerate. Only',
    "// native wins are listed: anything absent means 'wasm'.",
    '// No imports: src/engine/policy.ts types it (and a type import back would be a circle).',
    '',
    `export const POLICY_TABLE = ${JSON.stringify(table, null, 2)
      .replace(/"([A-Za-z][\w]*)":/g, '$1:')
      .replace(/"/g, "'")} as const;`,
    '',
  ].join('\n');
}

async function main() {
  const { readdirSync, readFileSync, writeFileSync, existsSync } = await load('node:fs');
  const { join } = await load('node:path');
  const lib = await load(new URL('../test/runners/lib.mjs', import.meta.url).href);
  const args = process.argv.slice(2);
  const opt = (k) => args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1];
  const quick = args.includes('--quick');
  const write = !args.includes('--no-write');
  // --regen: measure nothing, rewrite the table and docs from the committed JSONs.
  const runtimes = args.includes('--regen')
    ? []
    : (opt('runtimes') ?? ALL_RUNTIMES.join(',')).split(',').filter(Boolean);
  const policyDir = join(lib.root, 'bench/policy');
  let failed = 0;
  for (const name of runtimes) {
    const t = Date.now();
    try {
      const { loadavg, cpus } = await load('node:os');
      const before = loadavg()[0];
      const r = await runOne(name, lib, quick);
      // Context for whoever reads the numbers: how busy the machine was.
      r.machine = { cpus: cpus().length, loadAverage1m: [Number(before.toFixed(1)), Number(loadavg()[0].toFixed(1))] };
      console.log(`${name}: measured as ${r.runtime} in ${((Date.now() - t) / 1000).toFixed(0)} s`);
      console.log(markdown([r]));
      if (write) writeFileSync(join(policyDir, `${r.runtime}.json`), JSON.stringify(r, null, 2) + '\n');
    } catch (e) {
      failed++;
      console.error(`${name}: FAILED ${e?.stack ?? e}`);
    }
  }
  if (write) {
    const files = readdirSync(policyDir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    const results = files.map((f) => JSON.parse(readFileSync(join(policyDir, f), 'utf8')));
    // Keep each JSON's recorded picks in step with the current margin.
    results.forEach((r, i) => {
      for (const ops of Object.values(r.ops)) for (const v of Object.values(ops)) v.pick = pickOf(v);
      r.pickMargin = PICK_MARGIN;
      writeFileSync(join(policyDir, files[i]), JSON.stringify(r, null, 2) + '\n');
    });
    writeFileSync(join(lib.root, 'src/engine/policy-table.ts'), policySource(results));
    const docPath = join(lib.root, 'docs/engines.md');
    if (existsSync(docPath)) {
      const doc = readFileSync(docPath, 'utf8');
      const a = doc.indexOf(MARK_START),
        b = doc.indexOf(MARK_END);
      if (a >= 0 && b > a)
        writeFileSync(docPath, doc.slice(0, a + MARK_START.length) + '\n\n' + markdown(results) + '\n' + doc.slice(b));
    }
    console.log(
      `wrote ${results.length} policy rows to src/engine/policy-table.ts${existsSync(docPath) ? ' and docs/engines.md' : ''}`,
    );
  }
  if (failed) process.exitCode = 1;
}

// Only when run as a script: the measured bundles contain this module too.
if (
  import.meta.url.endsWith('/bench/engine.mjs') &&
  typeof process !== 'undefined' &&
  /engine\.mjs$/.test(process.argv?.[1] ?? '')
)
  await main();
