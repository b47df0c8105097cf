#!/usr/bin/env node
// Hybrid benchmark: X-Wing keygen / encapsulate / decapsulate, X25519MLKEM768
// (TLS) and HPKE seal/open of 1 KiB, ours (qsign-pqc/hybrid) against
// @noble/post-quantum's ml_kem768_x25519 and @hpke/core with
// @hpke/hybridkem-x-wing and @hpke/ml-kem.
//
//   node bench/hybrid.mjs [--quick] [--no-peers]
//
// Each figure is the median ops/s of several timed samples after a warm-up
// (so V8 tiers the code up), with the min..max of the samples. The SDK is
// bundled from src/ with esbuild on the fly: no build step needed. Our ML-KEM
// SHA-3 and X25519 are the wasm core.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const PEERS = !args.includes('--no-peers');
const SAMPLES = QUICK ? 5 : 9;
const SAMPLE_MS = QUICK ? 150 : 300;
const WARMUP_MS = QUICK ? 200 : 500;

async function loadSdk() {
  const dir = mkdtempSync(join(tmpdir(), 'qsign-bench-hybrid-'));
  const outfile = join(dir, 'sdk.mjs');
  await build({
    stdin: {
      contents: "export { init, backend } from './src/index.ts'; export * as hybrid from './src/hybrid/index.ts';",
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
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarize(rates) {
  rates.sort((a, b) => a - b);
  return { median: rates[rates.length >> 1], min: rates[0], max: rates[rates.length - 1] };
}

/**
 * ops/s of several implementations of one operation. Their samples are
 * interleaved (A, B, A, B, …), so load from other processes on a shared
 * machine skews every column alike instead of whichever ran while it was busy.
 * `fn` may be async; async operations are awaited one at a time
 * (latency-bound, like a request handler).
 */
async function compare(op, impls) {
  for (const [, fn] of impls) {
    const warmEnd = performance.now() + WARMUP_MS;
    while (performance.now() < warmEnd) await fn();
  }
  const rates = impls.map(() => []);
  for (let s = 0; s < SAMPLES; s++) {
    for (let i = 0; i < impls.length; i++) {
      const fn = impls[i][1];
      let n = 0;
      const t0 = performance.now();
      let t = t0;
      while (t - t0 < SAMPLE_MS) {
        await fn();
        n++;
        t = performance.now();
      }
      rates[i].push((n * 1000) / (t - t0));
    }
  }
  impls.forEach(([impl], i) => row(impl, op, summarize(rates[i])));
}

const fmt = (r) => `${r.median.toFixed(0).padStart(6)} /s  (${r.min.toFixed(0)}..${r.max.toFixed(0)})`;
const row = (impl, op, r) => console.log(`${impl.padEnd(20)} ${op.padEnd(48)} ${fmt(r)}`);

const sdk = await loadSdk();
// The bundle lives in a temp dir, so hand init() the wasm bytes explicitly.
await sdk.init({
  wasm: {
    simd: readFileSync(join(root, 'wasm/qsign-simd.wasm')),
    scalar: readFileSync(join(root, 'wasm/qsign-scalar.wasm')),
  },
});
const { xwing, x25519mlkem768, suite, seal, open, generateKeyPair } = sdk.hybrid;
console.log(
  `qsign-pqc/hybrid benchmark — node ${process.version}, wasm backend ${sdk.backend()}, ${SAMPLES} samples × ${SAMPLE_MS} ms`,
);

// ---- X-Wing ------------------------------------------------------------
const seed = new Uint8Array(32).fill(7);
const { publicKey, secretKey } = xwing.keygen(seed);
const { cipherText } = xwing.encapsulate(publicKey);
const noble = PEERS ? (await import('@noble/post-quantum/hybrid.js')).ml_kem768_x25519 : undefined;
const peer = (fn) => (noble ? [['@noble/post-quantum', fn]] : []);
await compare('X-Wing keygen', [['qsign', () => xwing.keygen()], ...peer(() => noble.keygen())]);
await compare('X-Wing encapsulate', [
  ['qsign', () => xwing.encapsulate(publicKey)],
  ...peer(() => noble.encapsulate(publicKey)),
]);
await compare('X-Wing decapsulate', [
  ['qsign', () => xwing.decapsulate(cipherText, secretKey)],
  ...peer(() => noble.decapsulate(cipherText, secretKey)),
]);

// ---- X25519MLKEM768 (TLS) ----------------------------------------------
const client = x25519mlkem768.clientKeyShare();
const server = x25519mlkem768.serverRespond(client.keyShare);
await compare('X25519MLKEM768 clientKeyShare', [['qsign', () => x25519mlkem768.clientKeyShare()]]);
await compare('X25519MLKEM768 serverRespond', [['qsign', () => x25519mlkem768.serverRespond(client.keyShare)]]);
await compare('X25519MLKEM768 clientFinish', [
  ['qsign', () => x25519mlkem768.clientFinish(client.secretKey, server.keyShare)],
]);

// ---- HPKE, 1 KiB -------------------------------------------------------
// Suites @hpke/core can also run are measured side by side with it.
const doc = new Uint8Array(1024).fill(0x61);
const info = new TextEncoder().encode('bench');
const hpke = PEERS
  ? { ...(await import('@hpke/core')), ...(await import('@hpke/hybridkem-x-wing')), ...(await import('@hpke/ml-kem')) }
  : undefined;
const SUITES = [
  ['X-Wing', 'HKDF-SHA256', 'AES-128-GCM', (h) => [new h.XWing(), new h.HkdfSha256(), new h.Aes128Gcm()]],
  ['ML-KEM-768', 'HKDF-SHA256', 'AES-128-GCM', (h) => [new h.MlKem768(), new h.HkdfSha256(), new h.Aes128Gcm()]],
  ['ML-KEM-1024', 'HKDF-SHA384', 'AES-256-GCM', (h) => [new h.MlKem1024(), new h.HkdfSha384(), new h.Aes256Gcm()]],
  ['X-Wing', 'HKDF-SHA256', 'ChaCha20Poly1305', undefined],
  ['X-Wing', 'SHAKE256', 'ChaCha20Poly1305', undefined],
];
for (const [kem, kdf, aead, theirs] of SUITES) {
  const s = suite({ kem, kdf, aead });
  const kp = await generateKeyPair(s);
  const sealed = await seal(s, kp.publicKey, doc, { info });
  const sealImpls = [['qsign', () => seal(s, kp.publicKey, doc, { info })]];
  const openImpls = [['qsign', () => open(s, kp.secretKey, sealed.enc, sealed.ciphertext, { info })]];
  if (hpke && theirs) {
    const [k, d, a] = theirs(hpke);
    const t = new hpke.CipherSuite({ kem: k, kdf: d, aead: a });
    const tk = await t.kem.generateKeyPair();
    const ts = await t.seal({ recipientPublicKey: tk.publicKey, info }, doc);
    sealImpls.push(['@hpke/core', () => t.seal({ recipientPublicKey: tk.publicKey, info }, doc)]);
    openImpls.push(['@hpke/core', () => t.open({ recipientKey: tk.privateKey, enc: ts.enc, info }, ts.ct)]);
  }
  await compare(`HPKE seal 1 KiB ${s.name}`, sealImpls);
  await compare(`HPKE open 1 KiB ${s.name}`, openImpls);
}
