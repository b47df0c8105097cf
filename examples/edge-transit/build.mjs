#!/usr/bin/env node
// Bundles the example from this checkout for workerd (wrangler users need
// none of this: `wrangler deploy` resolves qsign-pqc/transit under the
// "workerd" condition).
//   node examples/edge-transit/build.mjs OUTDIR  → OUTDIR/worker.js + the .wasm modules it imports
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');

/** The .wasm files (basenames) the bundled script imports, from esbuild's metafile. */
const importedWasm = (metafile) =>
  Object.values(metafile.outputs)
    .flatMap((o) => o.imports)
    .map((i) => i.path)
    .filter((p) => p.endsWith('.wasm'))
    .map((p) => basename(p));

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
      // Each family's module source (`#wasm-source/<module>`), imported by that family's code only.
      b.onResolve({ filter: /^#wasm-source\/\w+$/ }, (a) => ({
        path: join(root, 'src/entries', `workerd-${a.path.slice('#wasm-source/'.length)}.ts`),
      }));
      // wasm stays a module import that workerd (or wrangler) compiles ahead of time.
      b.onResolve({ filter: /\.wasm$/ }, (a) => ({ path: `./${basename(a.path)}`, external: true }));
    },
  };
  const outfile = join(outdir, 'worker.js');
  const { metafile } = await build({
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
    metafile: true,
  });
  // Copy the .wasm modules the script imports: each family's code imports its own module (SIMD128 build only).
  for (const file of importedWasm(metafile)) copyFileSync(join(root, 'wasm', file), join(outdir, file));
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await bundleEdgeTransit(resolve(process.argv[2] ?? join(here, 'dist'))));
}
