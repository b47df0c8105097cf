#!/usr/bin/env node
// SLH-DSA benchmark: our SIMD128 and scalar wasm builds vs @noble/post-quantum
// and @oqs/liboqs-js (liboqs in wasm), keygen / sign 1 KiB / verify, for the
// sets the issue names (SHA2-128s, SHA2-128f, SHAKE-128f, SHAKE-256f) or --sets.
//
//   node bench/slhdsa.mjs [--quick] [--sets sha2_128f,shake_128f] [--no-peers] [--wall] [--json]
//
// Figures are ops/s, the median of timed samples after a warm-up, with the
// min..max. Time is this process's CPU time (user + system) by default, so
// figures stay comparable on a loaded machine; --wall for wall-clock time.
// Slow operations (one s-set signature takes seconds in noble) run at least
// once per sample. The SDK is bundled from src/ with esbuild on the fly.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const QUICK = flag('--quick');
const SETS = opt('--sets', 'sha2_128s,sha2_128f,shake_128f,shake_256f').split(',');
const PEERS = !flag('--no-peers');
const SAMPLES = QUICK ? 3 : 7;
const SAMPLE_MS = QUICK ? 150 : 400;
const WALL = flag('--wall');
const now = WALL
  ? () => performance.now()
  : () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };

async function loadSdk() {
  const dir = mkdtempSync(join(tmpdir(), 'qsign-bench-'));
  const outfile = join(dir, 'sdk.mjs');
  await build({
    entryPoints: [join(root, 'src/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'error',
    plugins: [
      {
        name: 'wasm-source',
        setup(b) {
          b.onResolve({ filter: /^#wasm-source$/ }, () => ({ path: join(root, 'src/entries/node.ts') }));
        },
      },
    ],
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ops/s: median over samples; each sample runs fn at least once and for ~SAMPLE_MS. */
function measure(fn) {
  const warmEnd = now() + (QUICK ? 200 : 600);
  do fn();
  while (now() < warmEnd);
  const rates = [];
  for (let s = 0; s < SAMPLES; s++) {
    let n = 0;
    const t0 = now();
    let t = t0;
    do {
      fn();
      n++;
      t = now();
    } while (t - t0 < SAMPLE_MS);
    rates.push((n * 1000) / (t - t0));
  }
  rates.sort((a, b) => a - b);
  return { median: rates[rates.length >> 1], min: rates[0], max: rates[rates.length - 1] };
}

const fmtRate = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const fmt = (r) => `${fmtRate(r.median).padStart(8)} /s  (${fmtRate(r.min)}..${fmtRate(r.max)})`;
console.log(
  `SLH-DSA benchmark, Node ${process.version}, ${WALL ? 'wall-clock' : 'CPU'} time, ${SAMPLES} samples x ${SAMPLE_MS} ms, median (min..max)`,
);

const sdk = await loadSdk();
// Everything is bundled into a temp dir, so the wasm is passed explicitly.
const wasm = (name) => ({
  simd: readFileSync(join(root, `wasm/${name}-simd.wasm`)),
  scalar: readFileSync(join(root, `wasm/${name}-scalar.wasm`)),
});
// SLH-DSA needs no other family module: init() only picks the build.
const slh = wasm('qsign-slhdsa');
const noble = PEERS ? await import('@noble/post-quantum/slh-dsa.js') : undefined;
const oqs = PEERS ? await import('@oqs/liboqs-js') : undefined;
const results = [];
const row = (impl, set, op, r) => {
  results.push({ impl, set, op, ...r });
  console.log(`${impl.padEnd(14)} ${set.padEnd(11)} ${op.padEnd(12)} ${fmt(r)}`);
};
const msg = new Uint8Array(1024).fill(9);
const oqsFactory = (set) =>
  `createSlhDsa${set
    .split('_')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('')
    .replace(/(\d+)([sf])$/, '$1$2')}`;

for (const set of SETS) {
  for (const b of ['simd', 'scalar']) {
    await sdk.init({ simd: b === 'simd', force: true, families: [] });
    await sdk.loadSlhDsa({ wasm: slh });
    const alg = sdk[`slh_dsa_${set}`];
    const { publicKey, secretKey } = alg.keygen();
    const sig = alg.sign(msg, secretKey);
    row(
      `qsign-${b}`,
      set,
      'keygen',
      measure(() => alg.keygen()),
    );
    row(
      `qsign-${b}`,
      set,
      'sign 1KiB',
      measure(() => alg.sign(msg, secretKey)),
    );
    row(
      `qsign-${b}`,
      set,
      'verify 1KiB',
      measure(() => alg.verify(sig, msg, publicKey)),
    );
  }
  if (noble) {
    const alg = noble[`slh_dsa_${set}`];
    const { publicKey, secretKey } = alg.keygen();
    const sig = alg.sign(msg, secretKey);
    row(
      'noble',
      set,
      'keygen',
      measure(() => alg.keygen()),
    );
    row(
      'noble',
      set,
      'sign 1KiB',
      measure(() => alg.sign(msg, secretKey)),
    );
    row(
      'noble',
      set,
      'verify 1KiB',
      measure(() => alg.verify(sig, msg, publicKey)),
    );
  }
  if (oqs) {
    const create = oqs[oqsFactory(set)];
    if (typeof create !== 'function') {
      console.log(`liboqs-js      ${set}: no ${oqsFactory(set)} export`);
    } else {
      const s = await create();
      const { publicKey, secretKey } = s.generateKeyPair();
      const sig = s.sign(msg, secretKey);
      row(
        'liboqs-js',
        set,
        'keygen',
        measure(() => s.generateKeyPair()),
      );
      row(
        'liboqs-js',
        set,
        'sign 1KiB',
        measure(() => s.sign(msg, secretKey)),
      );
      row(
        'liboqs-js',
        set,
        'verify 1KiB',
        measure(() => s.verify(msg, sig, publicKey)),
      );
      s.destroy?.();
    }
  }
}

console.log('\nRatios (median ops/s of qsign-simd / peer):');
for (const set of SETS) {
  for (const op of ['keygen', 'sign 1KiB', 'verify 1KiB']) {
    const get = (impl) => results.find((r) => r.impl === impl && r.set === set && r.op === op)?.median;
    const ours = get('qsign-simd');
    const parts = ['qsign-scalar', 'noble', 'liboqs-js']
      .filter((p) => get(p))
      .map((p) => `${p} ${(ours / get(p)).toFixed(2)}x`);
    console.log(`  ${set.padEnd(11)} ${op.padEnd(12)} ${parts.join('  ')}`);
  }
}
if (flag('--json')) console.log(JSON.stringify(results));
