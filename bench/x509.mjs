#!/usr/bin/env node
// X.509 benchmark: chain validations per second (leaf ML-DSA-65 ← intermediate
// ML-DSA-65 ← root ML-DSA-87, i.e. two ML-DSA signature checks plus parsing
// and the RFC 5280 checks) and the wall time of `qsign ca create` (three key
// generations, three signatures, PEM files and the verification it does
// before returning), warm in-process and as a cold `node` process.
//
//   node bench/x509.mjs [--quick]
//
// The SDK is bundled from src/ with esbuild on the fly (no build step); the
// numbers follow whatever src/sig and src/kem export at the time.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, summarize } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
const SAMPLES = QUICK ? 5 : 9;
const SAMPLE_MS = QUICK ? 200 : 400;
const CA_RUNS = QUICK ? 5 : 15;
// One module per family (ML-KEM, ML-DSA, X25519), both builds; plain hashing runs on ML-KEM's.
const FAMILY_FILES = { 'ml-kem': 'mlkem', 'ml-dsa': 'mldsa', x25519: 'x25519' };
const wasmPaths = (v) =>
  Object.fromEntries(Object.entries(FAMILY_FILES).map(([f, m]) => [f, join(root, `wasm/qsign-${m}-${v}.wasm`)]));
const WASM = Object.fromEntries(
  Object.entries(FAMILY_FILES).map(([f, m]) => [
    f,
    {
      simd: readFileSync(join(root, `wasm/qsign-${m}-simd.wasm`)),
      scalar: readFileSync(join(root, `wasm/qsign-${m}-scalar.wasm`)),
    },
  ]),
);
const work = mkdtempSync(join(tmpdir(), 'qsign-bench-x509-'));

async function loadSdk() {
  const outfile = join(work, 'sdk.mjs');
  await build({
    stdin: {
      contents:
        "export { init, backend } from './src/index.ts'; export * as x509 from './src/x509/index.ts'; export { main } from './src/cli/main.ts';",
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'bench-entry.ts',
    },
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
  return { sdk: await import(pathToFileURL(outfile).href), outfile };
}

/** ops/s: median of SAMPLES timed samples after a warm-up; awaited one at a time. */
async function rate(fn) {
  const warmEnd = performance.now() + SAMPLE_MS;
  while (performance.now() < warmEnd) await fn();
  const rates = [];
  for (let s = 0; s < SAMPLES; s++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < SAMPLE_MS) {
      await fn();
      n++;
      t = performance.now();
    }
    rates.push((n * 1000) / (t - t0));
  }
  return summarize(rates);
}

try {
  const { sdk, outfile } = await loadSdk();
  const { x509, init, backend, main } = sdk;
  // The bundle lives in a temp dir, so hand init() the wasm bytes explicitly
  // (the CLI's own init() call then finds the SDK initialized).
  await init({ wasm: WASM });
  const h = await x509.createCaHierarchy({ cn: 'server.example.com', san: ['*.example.com'] });
  const opts = {
    trustAnchors: [h.root.certificate],
    intermediates: [h.intermediate.certificate],
    purpose: 'serverAuth',
    hostname: 'www.example.com',
  };
  const leafPem = h.server.certificate.pem,
    interPem = h.intermediate.certificate.pem,
    rootPem = h.root.certificate.pem;
  console.log(
    `qsign-pqc X.509 benchmark — node ${process.version}, wasm backend ${backend()}, ${new Date().toISOString()}`,
  );
  console.log('');
  const rows = [
    [
      'verifyChain, parsed certificates (3 certs, 2 ML-DSA verifies)',
      () => x509.verifyChain(h.server.certificate, opts),
    ],
    [
      'verifyChain from PEM (parse 3 certs + validate)',
      () => x509.verifyChain(leafPem, { ...opts, trustAnchors: [rootPem], intermediates: [interPem] }),
    ],
    ['Certificate.parse (PEM, ML-DSA-65 leaf)', () => x509.Certificate.parse(leafPem)],
    [
      'createCertificate (ML-DSA-65 issuer signs a leaf)',
      () =>
        x509.createCertificate(
          { subject: 'CN=b.example.com', publicKey: h.server.key, subjectAltName: { dns: ['b.example.com'] } },
          { key: h.intermediate.key, certificate: h.intermediate.certificate },
        ),
    ],
  ];
  for (const [name, fn] of rows) {
    const r = await rate(fn);
    console.log(`${name.padEnd(64)} ${r.median.toFixed(0).padStart(6)} /s  (${r.min.toFixed(0)}..${r.max.toFixed(0)})`);
  }
  console.log('');
  const warm = [];
  for (let i = 0; i < CA_RUNS; i++) {
    const out = join(work, `ca-${i}`);
    const t0 = performance.now();
    const code = await main(['ca', 'create', '--out', out], { out: () => {}, err: console.error });
    warm.push(performance.now() - t0);
    if (code !== 0) throw new Error('ca create failed');
  }
  console.log(
    `${'qsign ca create, in-process (warm), median of ' + CA_RUNS}`.padEnd(64) +
      ` ${median(warm).toFixed(1).padStart(6)} ms  (${Math.min(...warm).toFixed(1)}..${Math.max(...warm).toFixed(1)})`,
  );
  const cold = [];
  const script = `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); const { readFileSync } = await import('node:fs');
    const paths = ${JSON.stringify({ simd: wasmPaths('simd'), scalar: wasmPaths('scalar') })};
    await m.init({ wasm: Object.fromEntries(Object.keys(paths.simd).map((f) => [f, { simd: readFileSync(paths.simd[f]), scalar: readFileSync(paths.scalar[f]) }])) });
    process.exitCode = await m.main(['ca','create','--out',process.argv[1]], { out: () => {}, err: () => {} });`;
  for (let i = 0; i < Math.max(3, CA_RUNS / 3); i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, join(work, `cold-${i}`)], {
      stdio: 'inherit',
    });
    cold.push(performance.now() - t0);
    if (r.status !== 0) throw new Error('cold ca create failed');
  }
  console.log(
    `${'qsign ca create, fresh node process (cold), median of ' + cold.length}`.padEnd(64) +
      ` ${median(cold).toFixed(1).padStart(6)} ms  (${Math.min(...cold).toFixed(1)}..${Math.max(...cold).toFixed(1)})`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
