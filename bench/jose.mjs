#!/usr/bin/env node
// JOSE benchmark: ML-DSA-65 JWT verifications/s (and signatures/s) with
// qsign-pqc/jose (jwtVerify: parse, header checks, ML-DSA verify through the
// engine, claim checks) vs a minimal verifier written on @noble/post-quantum
// (split, base64url, ml_dsa65.verify, JSON.parse, exp check). Optionally the
// ML-DSA-44/87 rows too.
//
//   node bench/jose.mjs [--quick] [--sets 65] [--json]
//
// Each figure is the median of several timed samples after a warm-up. The SDK
// is bundled from src/ with esbuild on the fly, so no build step is needed.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { summarize } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const QUICK = flag('--quick');
const JSON_OUT = flag('--json');
const SETS = opt('--sets', '65').split(',').map(Number);
const SAMPLES = QUICK ? 3 : 7;
const SAMPLE_MS = QUICK ? 200 : 400;

async function loadSdk() {
  const dir = mkdtempSync(join(tmpdir(), 'qsign-bench-jose-'));
  const outfile = join(dir, 'jose.mjs');
  await build({
    stdin: {
      contents: "export * from './src/jose/index.ts'; export { init, backend } from './src/wasm/loader.ts';",
      resolveDir: root,
      loader: 'ts',
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

/** ops/s of an async fn: median over samples, each running fn for ~SAMPLE_MS. */
async function measure(fn) {
  const warmEnd = performance.now() + (QUICK ? 200 : 500);
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

const NOBLE = { 44: ml_dsa44, 65: ml_dsa65, 87: ml_dsa87 };
const enc = new TextEncoder();

/** The baseline: what a hand-rolled verifier on noble does per token. */
function nobleVerifyJwt(token, pub, ml) {
  const [h, p, s] = token.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  if (header.alg !== 'ML-DSA-65' && header.alg !== 'ML-DSA-44' && header.alg !== 'ML-DSA-87') throw new Error('alg');
  if (!ml.verify(new Uint8Array(Buffer.from(s, 'base64url')), enc.encode(`${h}.${p}`), pub))
    throw new Error('signature');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  if (typeof payload.exp === 'number' && payload.exp <= Date.now() / 1000) throw new Error('expired');
  return payload;
}

const sdk = await loadSdk();
// The bundle lives in a temp dir, so hand init() the wasm bytes explicitly.
await sdk.init({
  // JWT verify needs only the ML-DSA module (one per family: src/wasm/loader.ts).
  wasm: {
    'ml-dsa': {
      simd: readFileSync(join(root, 'wasm/qsign-mldsa-simd.wasm')),
      scalar: readFileSync(join(root, 'wasm/qsign-mldsa-scalar.wasm')),
    },
  },
});
const rows = [];
for (const set of SETS) {
  const alg = `ML-DSA-${set}`;
  const seed = new Uint8Array(32).fill(set);
  const { publicKey, privateKey } = await sdk.generateKeyPair(alg, { seed });
  const claims = { iss: 'https://id.example/realms/qsign', aud: 'api', sub: 'user-1', roles: ['reader', 'writer'] };
  const token = await new sdk.SignJWT(claims)
    .setProtectedHeader({ alg, kid: privateKey.kid, typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const ml = NOBLE[set];
  const nobleKeys = ml.keygen(seed);
  const opts = { issuer: claims.iss, audience: 'api', algorithms: [alg] };
  // Sanity: both verifiers accept the token before we time them.
  await sdk.jwtVerify(token, publicKey, opts);
  nobleVerifyJwt(token, nobleKeys.publicKey, ml);
  const ours = await measure(() => sdk.jwtVerify(token, publicKey, opts));
  const noble = await measure(async () => nobleVerifyJwt(token, nobleKeys.publicKey, ml));
  const oursSign = await measure(() =>
    new sdk.SignJWT(claims).setProtectedHeader({ alg, kid: privateKey.kid }).setExpirationTime('1h').sign(privateKey),
  );
  const nobleSign = await measure(async () => {
    const input = `${Buffer.from(JSON.stringify({ alg, kid: privateKey.kid })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${input}.${Buffer.from(ml.sign(enc.encode(input), nobleKeys.secretKey)).toString('base64url')}`;
  });
  rows.push({
    alg,
    tokenBytes: token.length,
    verify: { qsign: ours, noble },
    sign: { qsign: oursSign, noble: nobleSign },
  });
}

const fmt = (r) => `${r.median.toFixed(0).padStart(7)} /s  (${r.min.toFixed(0)}..${r.max.toFixed(0)})`;
if (JSON_OUT) console.log(JSON.stringify({ backend: sdk.backend(), node: process.version, rows }, null, 2));
else {
  console.log(
    `JOSE JWT benchmark — wasm backend ${sdk.backend()}, Node ${process.version}; medians of ${SAMPLES} samples`,
  );
  for (const r of rows) {
    console.log(`\n${r.alg} (token ${r.tokenBytes} chars)`);
    console.log(`  jwtVerify   qsign-pqc/jose       ${fmt(r.verify.qsign)}`);
    console.log(
      `  verify      noble baseline       ${fmt(r.verify.noble)}   → ratio ${(r.verify.qsign.median / r.verify.noble.median).toFixed(2)}×`,
    );
    console.log(`  SignJWT     qsign-pqc/jose       ${fmt(r.sign.qsign)}`);
    console.log(
      `  sign        noble baseline       ${fmt(r.sign.noble)}   → ratio ${(r.sign.qsign.median / r.sign.noble.median).toFixed(2)}×`,
    );
  }
}
