#!/usr/bin/env node
// Bundles the example from this checkout for workerd (wrangler users need
// none of this: `wrangler deploy` resolves qsign-pqc/transit under the
// "workerd" condition).
//   node examples/edge-transit/build.mjs OUTDIR  → OUTDIR/worker.js + the .wasm modules
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');

/**
 * Bundles the worker into `outdir`; returns the worker.js path. `entry` defaults to src/worker.ts (tests pass
 * a wrapper of it).
 */
export async function bundleEdgeTransit(outdir, entry = join(here, 'src/worker.ts')) {
  mkdirSync(outdir, { recursive: true });
  const plugin = {
    name: 'qsign-checkout',
    setup(b) {
      // From a checkout the SDK is the TypeScript source, not dist/.
      b.onResolve({ filter: /^qsign-pqc\/transit$/ }, () => ({ path: join(root, 'src/transit/index.ts') }));
      b.onResolve({ filter: /^#wasm-source$/ }, () => ({ path: join(root, 'src/entries/workerd.ts') }));
      // wasm stays a module import that workerd (or wrangler) compiles ahead of time.
      b.onResolve({ filter: /\.wasm$/ }, (a) => ({ path: `./${basename(a.path)}`, external: true }));
    },
  };
  const outfile = join(outdir, 'worker.js');
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile,
    logLevel: 'error',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    // The package is marked side-effect free; keep the whole module graph.
    ignoreAnnotations: true,
    plugins: [plugin],
  });
  // The workerd entry imports every family module statically (wasm/build-info.json lists them);
  // each is instantiated on the first use of its family only.
  const { outputs } = JSON.parse(readFileSync(join(root, 'wasm/build-info.json'), 'utf8'));
  for (const { file } of Object.values(outputs)) copyFileSync(join(root, 'wasm', file), join(outdir, file));
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await bundleEdgeTransit(resolve(process.argv[2] ?? join(here, 'dist'))));
}
