import { build } from 'esbuild';
import { readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
const root = process.cwd();
const dir = mkdtempSync(join(tmpdir(), 'x25519b-')); const outfile = join(dir, 'b.mjs');
await build({ stdin: { contents: "export { init } from './src/index.ts'; export * as X from './src/hybrid/x25519.ts';", resolveDir: root, loader: 'ts' },
  bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'error',
  plugins: [{ name: 'w', setup(b) { b.onResolve({ filter: /^#wasm-source$/ }, () => ({ path: join(root, 'src/entries/node.ts') })); } }] });
const sdk = await import(pathToFileURL(outfile).href);
const which = process.env.WASM ?? 'simd';
await sdk.init({ wasm: { simd: readFileSync('wasm/qsign-simd.wasm'), scalar: readFileSync('wasm/qsign-scalar.wasm') } });
const { x25519 } = await import('@noble/curves/ed25519.js');
const sk = new Uint8Array(32).fill(3), pk = x25519.getPublicKey(new Uint8Array(32).fill(5));
async function rate(fn, ms = 400) { for (let i = 0; i < 50; i++) await fn(); let n = 0; const t0 = performance.now(); let t = t0; while (t - t0 < ms) { await fn(); n++; t = performance.now(); } return n * 1000 / (t - t0); }
const impls = [['qsign wasm x25519Raw', () => sdk.X.x25519Raw(sk, pk)], ['@noble/curves getSharedSecret', () => x25519.getSharedSecret(sk, pk)], ['async x25519RawAsync (Web Crypto)', () => sdk.X.x25519RawAsync(sk, pk)]];
const res = impls.map(() => []);
for (let s = 0; s < 7; s++) for (let i = 0; i < impls.length; i++) res[i].push(await rate(impls[i][1]));
impls.forEach(([n], i) => { const r = res[i].sort((a, b) => a - b); console.log(n.padEnd(36), r[3].toFixed(0), `(${r[0].toFixed(0)}..${r[6].toFixed(0)})`); });
