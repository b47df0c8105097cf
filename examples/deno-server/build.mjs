#!/usr/bin/env node
/**
 * Bundles examples/deno-server/main.mjs for Deno (the `deno` export
 * condition, no Node built-ins) into OUT/server.js and copies the two wasm
 * builds beside it.   node examples/deno-server/build.mjs OUT
 */
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const out = resolve(process.argv[2] ?? join(root, '.cache/deno-server'));
if (!existsSync(join(root, 'dist/index.js'))) {
  console.error('dist/ is missing: run `npm run setup` (or `npx tsc -p tsconfig.json`) first');
  process.exit(1);
}
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, 'main.mjs')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  conditions: ['deno', 'import', 'module', 'default'],
  // @peculiar/asn1-* ship only main/module; the neutral platform names none by default.
  mainFields: ['module', 'main'],
  target: 'es2022',
  outfile: join(out, 'server.js'),
  external: ['node:*', 'better-sqlite3'],
  logLevel: 'warning',
});
const modules = ['mlkem', 'mldsa', 'x25519'].flatMap((m) => [`qsign-${m}-simd.wasm`, `qsign-${m}-scalar.wasm`]);
for (const f of modules) copyFileSync(join(root, 'wasm', f), join(out, f));
console.log(`${join(out, 'server.js')} (+ ${modules.join(', ')})`);
