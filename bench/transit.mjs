#!/usr/bin/env node
// Transit throughput: library and HTTP (loopback) encrypt/decrypt of 1 KiB
// and 1 MiB, and streaming MB/s. Uses dist/ when built (npm run build:ts),
// otherwise bundles the TypeScript sources with esbuild first.
//
//   node bench/transit.mjs [--seconds 2] [--json]
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] || 2) || 2;
const asJson = args.includes('--json');

async function load() {
  const dist = join(root, 'dist/transit/index.js');
  if (existsSync(dist) && existsSync(join(root, 'dist/transit/node/server.js'))) {
    return {
      ...(await import(pathToFileURL(dist).href)),
      ...(await import(pathToFileURL(join(root, 'dist/transit/node/server.js')).href)),
    };
  }
  const esbuild = await import('esbuild');
  const outDir = join(root, 'node_modules/.cache/qsign-bench');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'transit-bench.mjs');
  await esbuild.build({
    stdin: {
      contents: "export * from './src/transit/index.ts'; export * from './src/transit/node/server.ts';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    external: ['better-sqlite3'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'wasm-source',
        setup(b) {
          b.onResolve({ filter: /^#wasm-source$/ }, () => ({ path: 'w', namespace: 'w' }));
          b.onLoad({ filter: /.*/, namespace: 'w' }, () => ({
            loader: 'js',
            contents: `import { readFileSync } from 'node:fs'; export function defaultModuleSource(m, v) { return new WebAssembly.Module(readFileSync(${JSON.stringify(join(root, 'wasm'))} + '/qsign-' + m + '-' + v + '.wasm')); }`,
          }));
        },
      },
    ],
  });
  return import(pathToFileURL(out).href);
}

const t = await load();
const results = [];

/** Runs `fn` repeatedly for about `seconds` (after a warm-up) with `concurrency` in flight. */
async function measure(name, bytes, fn, concurrency = 1) {
  for (let i = 0; i < 3; i++) await fn();
  let ops = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await fn();
        ops++;
      }
    }),
  );
  const dt = (performance.now() - t0) / 1000;
  const r = { name, ops_per_s: +(ops / dt).toFixed(1), mb_per_s: +((ops * bytes) / dt / 1e6).toFixed(2) };
  results.push(r);
  if (!asJson)
    console.log(`${name.padEnd(48)} ${String(r.ops_per_s).padStart(9)} ops/s ${String(r.mb_per_s).padStart(9)} MB/s`);
}

const keyring = new t.Keyring({ store: t.memoryStore(), masterKey: (await t.generateMasterKey()).masterKey });
const KiB = new Uint8Array(1024).fill(0x61);
const MiB = new Uint8Array(1 << 20).fill(0x62);
for (const type of ['ml-kem-768', 'xwing']) {
  await keyring.createKey(type, { type });
  const c1 = (await keyring.encrypt(type, KiB)).ciphertext;
  await measure(`library ${type} encrypt 1 KiB`, 1024, () => keyring.encrypt(type, KiB));
  await measure(`library ${type} decrypt 1 KiB`, 1024, () => keyring.decrypt(type, c1));
}
const cM = (await keyring.encrypt('ml-kem-768', MiB)).ciphertext;
await measure('library ml-kem-768 encrypt 1 MiB', 1 << 20, () => keyring.encrypt('ml-kem-768', MiB));
await measure('library ml-kem-768 decrypt 1 MiB', 1 << 20, () => keyring.decrypt('ml-kem-768', cM));

const token = 'bench-token-0123456789';
const srv = await t.serveNode(t.createTransitHandler({ keyring, auth: { tokens: [{ token, policies: ['root'] }] } }), {
  port: 0,
});
const client = new t.TransitClient({ address: srv.url, token });
const h1 = (await client.encrypt('ml-kem-768', KiB)).ciphertext;
const hM = (await client.encrypt('ml-kem-768', MiB)).ciphertext;
await measure('HTTP loopback encrypt 1 KiB (1 in flight)', 1024, () => client.encrypt('ml-kem-768', KiB));
await measure('HTTP loopback encrypt 1 KiB (8 in flight)', 1024, () => client.encrypt('ml-kem-768', KiB), 8);
await measure('HTTP loopback decrypt 1 KiB (8 in flight)', 1024, () => client.decrypt('ml-kem-768', h1), 8);
await measure('HTTP loopback encrypt 1 MiB', 1 << 20, () => client.encrypt('ml-kem-768', MiB));
await measure('HTTP loopback decrypt 1 MiB', 1 << 20, () => client.decrypt('ml-kem-768', hM));
await srv.close();

async function drain(s) {
  let n = 0;
  for (const r = s.getReader(); ;) {
    const x = await r.read();
    if (x.done) return n;
    n += x.value.length;
  }
}
function source(total, piece) {
  let sent = 0;
  return new ReadableStream(
    {
      pull(c) {
        if (sent >= total) c.close();
        else {
          c.enqueue(piece);
          sent += piece.length;
        }
      },
    },
    { highWaterMark: 0 },
  );
}
const TOTAL = 64 << 20;
for (const chunk of [64 << 10, 1 << 20]) {
  const t0 = performance.now();
  const sealed = [];
  const enc = await keyring.encryptStream('ml-kem-768', source(TOTAL, MiB), { chunkSize: chunk });
  for (const r = enc.getReader(); ;) {
    const x = await r.read();
    if (x.done) break;
    sealed.push(x.value);
  }
  const dtE = (performance.now() - t0) / 1000;
  let i = 0;
  const replay = new ReadableStream({
    pull(c) {
      if (i < sealed.length) c.enqueue(sealed[i++]);
      else c.close();
    },
  });
  const t1 = performance.now();
  const n = await drain(await keyring.decryptStream('ml-kem-768', replay));
  const dtD = (performance.now() - t1) / 1000;
  if (n !== TOTAL) throw new Error('stream length mismatch');
  for (const [what, dt] of [
    ['encryptStream', dtE],
    ['decryptStream', dtD],
  ]) {
    const r = {
      name: `${what} 64 MiB, ${chunk >> 10} KiB chunks`,
      ops_per_s: +(1 / dt).toFixed(2),
      mb_per_s: +(TOTAL / dt / 1e6).toFixed(1),
    };
    results.push(r);
    if (!asJson) console.log(`${r.name.padEnd(48)} ${String(r.mb_per_s).padStart(9)} MB/s`);
  }
}
if (asJson) console.log(JSON.stringify({ node: process.version, seconds, results }, null, 2));
