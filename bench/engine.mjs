#!/usr/bin/env node
// Native Web Crypto vs our wasm, per runtime, algorithm and operation.
//
//   node bench/engine.mjs                       # node24, deno, bun, chromium, firefox, node20, workerd
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
  for (const alg of [...SIGS, ...KEMS]) {
    const c = caps.algorithms[alg];
    out.capabilities[alg] = Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'notes'));
    const { calls, able, held } = await fixtures(lib, c, alg);
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
      out.ops[alg][op] = summarizeRates(w, n);
    }
    await lib.init({ engine: 'auto' });
    // Held keys: the best case of each engine.
    out.held[alg] = {};
    for (const [op, { wasm: wasmFn, native: nfn }] of Object.entries(held)) {
      let native = null;
      if (nfn) {
        await rate(nfn);
        const xs = [];
        for (let r = 0; r < rounds; r++) xs.push(await rate(nfn));
        native = Math.round(best(xs));
      }
      await rate(wasmFn);
      const wasmR = [];
      for (let r = 0; r < rounds; r++) wasmR.push(await rate(wasmFn));
      out.held[alg][op] = { wasmExpandedKey: Math.round(best(wasmR)), webcryptoCryptoKey: native };
    }
  }
  return out;
}

const best = (xs) => Math.max(...xs);

/** One operation's record from its per-round rates (ops/s): the best round decides, medians are kept. */
function summarizeRates(w, n) {
  // Best round decides: on a shared machine the fastest round is the one least disturbed by others.
  const wasm = best(w),
    webcrypto = n.length ? best(n) : null;
  return {
    wasm: Math.round(wasm),
    webcrypto: webcrypto === null ? null : Math.round(webcrypto),
    wasmMedian: Math.round(median(w)),
    webcryptoMedian: n.length ? Math.round(median(n)) : null,
    pick: pickOf({ wasm, webcrypto }),
  };
}

/**
 * The measured calls for one algorithm (the same in every runtime, workerd
 * included): `calls` in the engine's byte-key shape, `able` which of them
 * native can serve here, `held` the keys-kept best cases (wasm with the
 * expanded key; native with a non-extractable CryptoKey, or null).
 */
async function fixtures(lib, c, alg) {
  const prims = lib.primitives;
  const msg = new Uint8Array(64).fill(0x61);
  const seedOf = (n, k) => Uint8Array.from({ length: n }, (_, i) => (k * 13 + i) & 0xff);
  const isKem = alg.startsWith('ML-KEM');
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
  const heldOp = isKem ? 'decapsulate' : 'sign';
  let native = null;
  if (able[heldOp]) {
    const { privateKey } = await lib.importKeyToWebCrypto(alg, seed);
    native = isKem ? () => lib.decapsulate(alg, ct, privateKey) : () => lib.sign(alg, privateKey, msg);
  }
  const wasm = isKem
    ? async () => prims[alg].decapsulate(ct, kp.secretKey)
    : async () => prims[alg].sign(msg, kp.secretKey);
  return { calls, able, held: { [heldOp]: { wasm, native } } };
}

/**
 * workerd: performance.now() there advances only between I/O events, so a
 * rate measured inside the isolate means little. The worker instead runs
 * `n` calls per request (/run?alg&op&engine&n, or kind=held) and the driver
 * times the request from outside, less the time of an empty request.
 */
export function workerdHandler(lib) {
  let ready;
  const state = {};
  async function setup() {
    await lib.init();
    const caps = await lib.probeWebCrypto();
    for (const alg of [...SIGS, ...KEMS]) state[alg] = await fixtures(lib, caps.algorithms[alg], alg);
    return {
      runtime: caps.runtime.key,
      version: caps.runtime.version,
      userAgent: globalThis.navigator?.userAgent ?? '',
      backend: lib.backend(),
      capabilities: Object.fromEntries(
        Object.entries(caps.algorithms).map(([a, c]) => [
          a,
          Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'notes')),
        ]),
      ),
      able: Object.fromEntries(Object.entries(state).map(([a, f]) => [a, f.able])),
    };
  }
  return {
    async fetch(request) {
      try {
        const info = await (ready ??= setup());
        const q = new URL(request.url).searchParams;
        if (q.get('info') !== null) return Response.json(info);
        const n = Number(q.get('n') ?? 0);
        const f = state[q.get('alg')];
        let fn;
        if (q.get('kind') === 'held') fn = f?.held[q.get('op')]?.[q.get('engine')];
        else {
          await lib.init({ engine: q.get('engine') });
          fn = f?.calls[q.get('op')];
        }
        if (n > 0 && !fn) return new Response('no such call', { status: 404 });
        for (let i = 0; i < n; i++) await fn();
        return Response.json({ n });
      } catch (e) {
        return new Response(String(e?.stack ?? e), { status: 500 });
      }
    },
  };
}

// ---------------------------------------------------------------------------
// Driver (Node). Nothing below runs inside the measured runtimes. Its imports
// go through `load()` so esbuild leaves them out of the measured bundles.

const load = (specifier) => import(specifier);

const ALL_RUNTIMES = ['node24', 'deno', 'bun', 'chromium', 'firefox', 'node20', 'workerd'];
// workerd's native ML-KEM/ML-DSA exist only with this compatibility flag (see docs/engines.md).
const WORKERD_FLAGS = ['webcrypto_modern_algorithms'];
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

/** Measures workerd from outside the isolate (see workerdHandler). */
async function runWorkerd(lib, dir, quick) {
  const { join } = await load('node:path');
  const { writeFileSync } = await load('node:fs');
  // Longer batches than in-process runs: each includes a loopback HTTP round trip's jitter.
  const rounds = quick ? 2 : 16;
  const ms = quick ? 50 : 100;
  const file = join(dir, 'worker.mjs');
  await lib.bundle({
    contents: entrySource(`export default workerdHandler({ ...core, ...wc, primitives });`, quick).replace(
      `import { measure } from`,
      `import { workerdHandler } from`,
    ),
    outfile: file,
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser', 'import', 'module', 'default'],
    entry: 'workerd',
    plugins: [lib.externalWasmPlugin],
  });
  const port = await lib.freePort();
  // The tests' one workerd harness writes the config (dynamic import: this file is also bundled into pages).
  const { workerdConfig, WASM_MODULES } = await load(new URL('../test/helpers/workerd.mjs', import.meta.url).href);
  writeFileSync(
    join(dir, 'config.capnp'),
    workerdConfig({
      dir,
      port,
      workers: [
        {
          name: 'bench',
          modules: [{ name: 'worker.mjs', esModule: file }, ...WASM_MODULES],
          compatibilityFlags: WORKERD_FLAGS,
        },
      ],
    }),
  );
  const child = lib.run(
    lib.requireFile(lib.BIN.workerd, 'run `npm run setup`'),
    ['serve', join(dir, 'config.capnp'), 'config'],
    {
      timeoutMs: 3_600_000,
    },
  );
  let exited = false;
  child.then(() => {
    exited = true;
  });
  const base = `http://127.0.0.1:${port}/`;
  async function get(query) {
    const res = await fetch(base + '?' + new URLSearchParams(query));
    const text = await res.text();
    if (!res.ok) throw new Error(`workerd ${JSON.stringify(query)}: HTTP ${res.status} ${text.slice(0, 2000)}`);
    return JSON.parse(text);
  }
  try {
    let info;
    for (let i = 0; i < 300 && !exited && !info; i++) {
      try {
        info = await get({ info: '' });
      } catch (e) {
        if (!['ECONNREFUSED', 'ECONNRESET'].includes(e.cause?.code))
          throw new Error(`workerd: ${e.cause?.code ?? e.message}\n${exited ? (await child).stderr : ''}`, {
            cause: e,
          });
        await lib.sleep(100);
      }
    }
    if (!info) throw new Error(`workerd did not start: ${exited ? (await child).stderr : 'no answer in 30 s'}`);
    // The clock: CPU time of the workerd process, every thread, in ns (/proc/<pid>/task/*/schedstat).
    // Wall time on this shared machine swings with other processes' load (best-of-16 rounds still
    // disagreed run to run by 1.5×); the CPU the worker spends on a request does not.
    const { readdirSync, readFileSync } = await load('node:fs');
    const pid = child.child.pid;
    const cpuNow = () => {
      let ns = 0;
      for (const t of readdirSync(`/proc/${pid}/task`)) {
        try {
          ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
        } catch {
          // A thread that ended between the listing and the read.
        }
      }
      return ns / 1e6;
    };
    // The cost of a request that does nothing (best of many), taken off every timed request.
    let overhead = Infinity;
    for (let i = 0; i < 50; i++) {
      const t = cpuNow();
      // Same shape as a timed request (the engine switch included), with no calls.
      await get({ alg: 'ML-KEM-768', op: 'encapsulate', engine: 'wasm', n: 0 });
      overhead = Math.min(overhead, cpuNow() - t);
    }
    // Calls per request, per call shape: re-aimed after every request at `ms` of work, so
    // one request timed during a stall (this machine is shared) cannot fix a batch so small
    // that HTTP jitter would swamp it.
    const batch = new Map();
    async function rate(query) {
      const key = JSON.stringify(query);
      const n = batch.get(key) ?? 1;
      const t = cpuNow();
      await get({ ...query, n });
      const took = Math.max(cpuNow() - t - overhead, 0.01);
      batch.set(key, Math.max(1, Math.min(n * 4, Math.round((n * ms) / took))));
      return (n * 1000) / took;
    }
    // Until a call's batch is near `ms`: the first requests of each shape are warm-up, not data.
    async function warm(query) {
      const key = JSON.stringify(query);
      for (let i = 0; i < 12; i++) {
        const n = batch.get(key) ?? 1;
        await rate(query);
        const next = batch.get(key);
        if (i >= 3 && next <= n * 1.25 && next >= n * 0.8) break;
      }
    }
    const { createRequire } = await load('node:module');
    const out = {
      runtime: info.runtime,
      // workerd's user agent carries no version; the binary measured is the npm package's.
      version: info.version || createRequire(import.meta.url)('workerd/package.json').version,
      userAgent: info.userAgent,
      backend: info.backend,
      measured: new Date().toISOString(),
      quick,
      roundMs: ms,
      rounds,
      pickMargin: PICK_MARGIN,
      clock: `from outside the isolate: workerd's process CPU time (all threads) for a request of n calls, less an empty request (${overhead.toFixed(2)} ms)`,
      compatibilityFlags: WORKERD_FLAGS,
      capabilities: info.capabilities,
      ops: {},
      held: {},
    };
    for (const alg of [...SIGS, ...KEMS]) {
      const isKem = alg.startsWith('ML-KEM');
      out.ops[alg] = {};
      for (const op of isKem ? ['keygen', 'encapsulate', 'decapsulate'] : ['keygen', 'sign', 'verify']) {
        const w = [],
          n = [];
        await warm({ alg, op, engine: 'wasm' });
        if (info.able[alg][op]) await warm({ alg, op, engine: 'webcrypto' });
        for (let r = 0; r < rounds + 1; r++) {
          const rw = await rate({ alg, op, engine: 'wasm' });
          const rn = info.able[alg][op] ? await rate({ alg, op, engine: 'webcrypto' }) : undefined;
          if (r > 0) {
            w.push(rw);
            if (rn !== undefined) n.push(rn);
          }
        }
        out.ops[alg][op] = summarizeRates(w, n);
      }
      out.held[alg] = {};
      const op = isKem ? 'decapsulate' : 'sign';
      const held = async (engine) => {
        await warm({ alg, op, engine, kind: 'held' });
        const xs = [];
        for (let r = 0; r < rounds + 1; r++) xs.push(await rate({ alg, op, engine, kind: 'held' }));
        return Math.round(best(xs.slice(1)));
      };
      out.held[alg][op] = {
        wasmExpandedKey: await held('wasm'),
        webcryptoCryptoKey: info.able[alg][op] ? await held('native') : null,
      };
    }
    return out;
  } finally {
    child.child.kill('SIGTERM');
    await child;
  }
}

async function runOne(name, lib, quick) {
  const { join } = await load('node:path');
  const { bundle, run, scratchDir, cleanup, serveRoot, BIN, requireFile } = lib;
  const dir = scratchDir(`bench-engine-${name}`);
  try {
    if (name === 'workerd') return await runWorkerd(lib, dir, quick);
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
    const who = r.compatibilityFlags
      ? `${r.userAgent} ${r.version}, compatibility flags ${r.compatibilityFlags.join(', ')}`
      : r.userAgent || r.version;
    lines.push(
      `### ${r.runtime} (${who}, wasm ${r.backend}, ${r.measured.slice(0, 10)}${busy}${r.quick ? ', quick run' : ''})`,
      '',
    );
    if (r.clock) lines.push(`Timed ${r.clock}.`, '');
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
  // workerd has no import.meta.url.
  import.meta.url?.endsWith('/bench/engine.mjs') &&
  typeof process !== 'undefined' &&
  /engine\.mjs$/.test(process.argv?.[1] ?? '')
)
  await main();
