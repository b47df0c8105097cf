#!/usr/bin/env node
// ML-DSA benchmark: our SIMD128 and scalar wasm builds vs @noble/post-quantum
// and @oqs/liboqs-js, ML-DSA-44/65/87, keygen / sign / verify with 32 B and
// 1 KiB messages, plus streaming-signature throughput on a 256 MiB input.
//
//   node bench/mldsa.mjs [--quick] [--sets 65] [--no-peers] [--stream-mib 256] [--stream-only] [--wall] [--json]
//
// Each figure is the median of several timed samples (after a warm-up that
// lets V8 tier the code up), printed with the min..max of the samples.
// Time is this process's CPU time (user + system) by default, so figures stay
// comparable on a loaded machine; pass --wall for wall-clock time.
// The SDK is bundled from src/ with esbuild on the fly, so no build step is needed.
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
const SETS = flag('--stream-only') ? [] : opt('--sets', '44,65,87').split(',').map(Number);
const PEERS = !flag('--no-peers') && !flag('--stream-only');
const STREAM_MIB = Number(opt('--stream-mib', QUICK ? '64' : '256'));
const SAMPLES = QUICK ? 5 : 9;
const SAMPLE_MS = QUICK ? 150 : 300;
const WALL = flag('--wall');
/** Milliseconds of CPU time (or wall time with --wall). */
const now = WALL
  ? () => performance.now()
  : () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };

async function loadSdk() {
  // Everything is bundled (no externals), so the file can live in a temp dir;
  // the wasm bytes are passed to init() explicitly.
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

/** ops/s: median over samples, each sample runs fn repeatedly for ~SAMPLE_MS. */
function measure(fn) {
  const warmEnd = now() + (QUICK ? 300 : 800);
  while (now() < warmEnd) fn();
  const rates = [];
  for (let s = 0; s < SAMPLES; s++) {
    let n = 0;
    const t0 = now();
    let t = t0;
    while (t - t0 < SAMPLE_MS) {
      fn();
      n++;
      t = now();
    }
    rates.push((n * 1000) / (t - t0));
  }
  rates.sort((a, b) => a - b);
  return { median: rates[rates.length >> 1], min: rates[0], max: rates[rates.length - 1] };
}

console.log(
  `ML-DSA benchmark, Node ${process.version}, ${WALL ? 'wall-clock' : 'CPU'} time, ${SAMPLES} samples x ${SAMPLE_MS} ms, median (min..max)`,
);
const fmt = (r) => `${r.median.toFixed(0).padStart(6)} /s  (${r.min.toFixed(0)}..${r.max.toFixed(0)})`;

const sdk = await loadSdk();
const wasmBytes = {
  simd: readFileSync(join(root, 'wasm/qsign-simd.wasm')),
  scalar: readFileSync(join(root, 'wasm/qsign-scalar.wasm')),
};
const noble = PEERS ? await import('@noble/post-quantum/ml-dsa.js') : undefined;
const oqs = PEERS ? await import('@oqs/liboqs-js') : undefined;

const results = [];
const row = (impl, set, op, r) => {
  results.push({ impl, set, op, ...r });
  console.log(`${impl.padEnd(14)} ML-DSA-${set} ${op.padEnd(16)} ${fmt(r)}`);
};

const msgs = { '32B': new Uint8Array(32).fill(7), '1KiB': new Uint8Array(1024).fill(9) };

for (const set of SETS) {
  for (const build of ['simd', 'scalar']) {
    await sdk.init({ simd: build === 'simd', force: true, wasm: wasmBytes[build] });
    const alg = sdk[`ml_dsa${set}`];
    const seed = new Uint8Array(32).fill(1);
    const { publicKey, secretKey } = alg.keygen(seed);
    row(
      `qsign-${build}`,
      set,
      'keygen',
      measure(() => alg.keygen()),
    );
    for (const [label, m] of Object.entries(msgs)) {
      const sig = alg.sign(m, secretKey);
      row(
        `qsign-${build}`,
        set,
        `sign ${label}`,
        measure(() => alg.sign(m, secretKey)),
      );
      row(
        `qsign-${build}`,
        set,
        `verify ${label}`,
        measure(() => alg.verify(sig, m, publicKey)),
      );
    }
  }
  if (noble) {
    const alg = noble[`ml_dsa${set}`];
    const { publicKey, secretKey } = alg.keygen(new Uint8Array(32).fill(1));
    row(
      'noble',
      set,
      'keygen',
      measure(() => alg.keygen()),
    );
    for (const [label, m] of Object.entries(msgs)) {
      const sig = alg.sign(m, secretKey);
      row(
        'noble',
        set,
        `sign ${label}`,
        measure(() => alg.sign(m, secretKey)),
      );
      row(
        'noble',
        set,
        `verify ${label}`,
        measure(() => alg.verify(sig, m, publicKey)),
      );
    }
  }
  if (oqs) {
    const s = await oqs[`createMLDSA${set}`]();
    const { publicKey, secretKey } = s.generateKeyPair();
    row(
      'liboqs-js',
      set,
      'keygen',
      measure(() => s.generateKeyPair()),
    );
    for (const [label, m] of Object.entries(msgs)) {
      const sig = s.sign(m, secretKey);
      row(
        'liboqs-js',
        set,
        `sign ${label}`,
        measure(() => s.sign(m, secretKey)),
      );
      row(
        'liboqs-js',
        set,
        `verify ${label}`,
        measure(() => s.verify(m, sig, publicKey)),
      );
    }
    s.destroy();
  }
}

// Streaming: sign a STREAM_MIB input fed in 1 MiB chunks (the same buffer
// reused, so the figure is hashing throughput, not the source's).
{
  const chunk = new Uint8Array(1 << 20).map((_, i) => i * 31);
  async function* source() {
    for (let i = 0; i < STREAM_MIB; i++) yield chunk;
  }
  for (const build of ['simd', 'scalar']) {
    await sdk.init({ simd: build === 'simd', force: true, wasm: wasmBytes[build] });
    const { secretKey } = sdk.ml_dsa65.keygen(new Uint8Array(32));
    await sdk.ml_dsa65.signStream(source(), secretKey); // warm-up
    const rates = [];
    const heap0 = process.memoryUsage().rss;
    for (let s = 0; s < (QUICK ? 2 : 3); s++) {
      const t0 = now();
      await sdk.ml_dsa65.signStream(source(), secretKey);
      rates.push((STREAM_MIB * 1.048576) / ((now() - t0) / 1000));
    }
    rates.sort((a, b) => a - b);
    const r = { median: rates[rates.length >> 1], min: rates[0], max: rates[rates.length - 1] };
    results.push({ impl: `qsign-${build}`, set: 65, op: `signStream ${STREAM_MIB} MiB (MB/s)`, ...r });
    console.log(
      `qsign-${build.padEnd(8)} ML-DSA-65 signStream ${STREAM_MIB} MiB: ${r.median.toFixed(0)} MB/s (${r.min.toFixed(0)}..${r.max.toFixed(0)}), rss delta ${((process.memoryUsage().rss - heap0) / 1048576).toFixed(1)} MiB`,
    );
  }
}

if (flag('--json')) console.log(JSON.stringify(results, null, 2));
