#!/usr/bin/env node
// ML-KEM throughput: our SIMD128 and scalar wasm builds (through the public
// API, so copies in/out and wiping are included) against @noble/post-quantum,
// mlkem and @oqs/liboqs-js, for all three parameter sets.
//
//   node bench/mlkem.mjs                 (needs dist/: npm run build:ts)
//   QSIGN_BENCH_SAMPLES=9 QSIGN_BENCH_MS=300 node bench/mlkem.mjs
//   node bench/mlkem.mjs --json          machine-readable result on stdout
//   node bench/mlkem.mjs --cpu           time by process CPU time instead of wall clock
//                                        (steadier on a shared, loaded machine)
//
// Each cell: warm-up (so V8 tiers the code up), then SAMPLES timed samples of
// about SAMPLE_MS each; the table shows the median ops/s and the min..max.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { summarize } from './stats.mjs';

const root = new URL('../', import.meta.url);
const SAMPLES = Number(process.env.QSIGN_BENCH_SAMPLES ?? 7);
const SAMPLE_MS = Number(process.env.QSIGN_BENCH_MS ?? 150);
const WARMUP_MS = Number(process.env.QSIGN_BENCH_WARMUP_MS ?? 250);
const asJson = process.argv.includes('--json');
const cpuClock = process.argv.includes('--cpu');
// milliseconds; CPU time excludes time this process spent descheduled
const now = cpuClock
  ? () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    }
  : () => performance.now();

let sdk;
try {
  sdk = await import(new URL('dist/index.js', root));
} catch (e) {
  console.error(`bench/mlkem: could not import dist/index.js (${e.message}); run \`npm run build:ts\` first`);
  process.exit(1);
}
const noble = await import('@noble/post-quantum/ml-kem.js');
const mlkemPkg = await import('mlkem');
const oqs = await import('@oqs/liboqs-js');

// Samples of all implementations are interleaved per (set, op), so load
// from other processes skews every column alike instead of whichever ran
// while the machine was busy.
function batchFor(fn) {
  const until = performance.now() + WARMUP_MS;
  while (performance.now() < until) fn();
  let batch = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    const dt = performance.now() - t;
    if (dt >= SAMPLE_MS / 4) return Math.max(1, Math.round((batch * SAMPLE_MS) / dt));
    batch *= 2;
  }
}

function sample(fn, batch) {
  const t = now();
  for (let i = 0; i < batch; i++) fn();
  return (batch * 1000) / (now() - t);
}

// One adapter per implementation: keygen/encaps/decaps closures over fixed inputs.
function oursAdapter(kem) {
  const { publicKey, secretKey } = kem.keygen();
  const { cipherText } = kem.encapsulate(publicKey);
  return {
    keygen: () => kem.keygen(),
    encaps: () => kem.encapsulate(publicKey),
    decaps: () => kem.decapsulate(cipherText, secretKey),
  };
}
function nobleAdapter(kem) {
  return oursAdapter(kem);
}
async function mlkemAdapter(create) {
  const kem = await create();
  const [pk, sk] = kem.generateKeyPair();
  const [ct] = kem.encap(pk);
  return { keygen: () => kem.generateKeyPair(), encaps: () => kem.encap(pk), decaps: () => kem.decap(ct, sk) };
}
async function oqsAdapter(create) {
  const kem = await create();
  const { publicKey, secretKey } = kem.generateKeyPair();
  const { ciphertext } = kem.encapsulate(publicKey);
  return {
    keygen: () => kem.generateKeyPair(),
    encaps: () => kem.encapsulate(publicKey),
    decaps: () => kem.decapsulate(ciphertext, secretKey),
    close: () => kem.destroy(),
  };
}

const SETS = [
  {
    name: 'ML-KEM-512',
    ours: sdk.ml_kem512,
    noble: noble.ml_kem512,
    mlkem: mlkemPkg.createMlKem512,
    oqs: oqs.createMLKEM512,
  },
  {
    name: 'ML-KEM-768',
    ours: sdk.ml_kem768,
    noble: noble.ml_kem768,
    mlkem: mlkemPkg.createMlKem768,
    oqs: oqs.createMLKEM768,
  },
  {
    name: 'ML-KEM-1024',
    ours: sdk.ml_kem1024,
    noble: noble.ml_kem1024,
    mlkem: mlkemPkg.createMlKem1024,
    oqs: oqs.createMLKEM1024,
  },
];
const OPS = ['keygen', 'encaps', 'decaps'];
const results = [];

// Both builds are compiled once; switching instances of an already compiled
// (and tiered-up) module costs microseconds, so they can be interleaved too.
// The ML-KEM module (one per family), with the SHA-3 the SDK's hashing then uses.
const wasmBytes = (v) => readFileSync(new URL(`wasm/qsign-mlkem-${v}.wasm`, root));
const modules = {
  simd: await WebAssembly.compile(wasmBytes('simd')),
  scalar: await WebAssembly.compile(wasmBytes('scalar')),
};
const useBuild = (v) => sdk.init({ simd: v === 'simd', force: true, wasm: { 'ml-kem': modules[v] } });

for (const s of SETS) {
  const impls = [
    { name: 'qsign simd128', before: () => useBuild('simd'), adapter: () => oursAdapter(s.ours) },
    { name: 'qsign scalar', before: () => useBuild('scalar'), adapter: () => oursAdapter(s.ours) },
    { name: '@oqs/liboqs-js', adapter: () => oqsAdapter(s.oqs) },
    { name: 'mlkem', adapter: () => mlkemAdapter(s.mlkem) },
    { name: '@noble/post-quantum', adapter: () => nobleAdapter(s.noble) },
  ];
  for (const impl of impls) {
    await impl.before?.();
    impl.a = await impl.adapter();
  }
  for (const op of OPS) {
    for (const impl of impls) {
      await impl.before?.();
      impl.batch = batchFor(impl.a[op]);
      impl.rates = [];
    }
    for (let i = 0; i < SAMPLES; i++) {
      for (const impl of impls) {
        await impl.before?.();
        impl.rates.push(sample(impl.a[op], impl.batch));
      }
    }
    for (const impl of impls) results.push({ impl: impl.name, set: s.name, op, ...summarize(impl.rates) });
  }
  for (const impl of impls) impl.a.close?.();
}
await sdk.init({ force: true });

const sizes = Object.fromEntries(
  ['simd', 'scalar'].map((v) => {
    const b = wasmBytes(v);
    return [v, { bytes: b.length, gzip: gzipSync(b, { level: 9 }).length }];
  }),
);

if (asJson) {
  console.log(
    JSON.stringify(
      {
        clock: cpuClock ? 'cpu' : 'wall',
        samples: SAMPLES,
        sampleMs: SAMPLE_MS,
        node: process.version,
        results,
        wasm: sizes,
      },
      null,
      2,
    ),
  );
} else {
  const fmt = (n) => (n >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0));
  const impls = [...new Set(results.map((r) => r.impl))];
  console.log(
    `ML-KEM ops/s (${cpuClock ? 'CPU time' : 'wall clock'}), median of ${SAMPLES} samples (min..max), Node ${process.version}`,
  );
  for (const s of SETS) {
    console.log(`\n${s.name}`);
    console.log(`  ${'implementation'.padEnd(22)}${OPS.map((o) => o.padEnd(24)).join('')}`);
    for (const impl of impls) {
      const cells = OPS.map((op) => {
        const r = results.find((x) => x.impl === impl && x.set === s.name && x.op === op);
        return `${fmt(r.median)} (${fmt(r.min)}..${fmt(r.max)})`.padEnd(24);
      });
      console.log(`  ${impl.padEnd(22)}${cells.join('')}`);
    }
    const ratio = (a, b, op) => {
      const x = results.find((r) => r.impl === a && r.set === s.name && r.op === op).median;
      const y = results.find((r) => r.impl === b && r.set === s.name && r.op === op).median;
      return (x / y).toFixed(2);
    };
    console.log(
      `  simd128 / liboqs-js: ${OPS.map((op) => `${op} ${ratio('qsign simd128', '@oqs/liboqs-js', op)}×`).join(', ')}`,
    );
    console.log(
      `  simd128 / scalar:    ${OPS.map((op) => `${op} ${ratio('qsign simd128', 'qsign scalar', op)}×`).join(', ')}`,
    );
  }
  console.log(
    `\nwasm: simd128 ${sizes.simd.bytes} B (${sizes.simd.gzip} B gzip), scalar ${sizes.scalar.bytes} B (${sizes.scalar.gzip} B gzip)`,
  );
}
