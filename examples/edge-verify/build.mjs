#!/usr/bin/env node
// Bundles the example from this checkout (wrangler users need none of this:
// `wrangler deploy` resolves qsign-pqc/jose under the "workerd" condition).
//   node examples/edge-verify/build.mjs workerd OUTDIR  → OUTDIR/worker.js + the .wasm modules it imports (ML-DSA's, SIMD128)
//   node examples/edge-verify/build.mjs deno OUTDIR     → OUTDIR/deno.js (reads the .wasm from the repo)
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

/** Bundles `target` ('workerd' | 'deno') into `outdir`; returns the entry file path. */
export async function bundleEdgeVerify(target, outdir) {
  mkdirSync(outdir, { recursive: true });
  const workerd = target === 'workerd';
  const plugin = {
    name: 'qsign-checkout',
    setup(b) {
      // From a checkout the SDK is the TypeScript source, not dist/.
      b.onResolve({ filter: /^qsign-pqc\/jose$/ }, () => ({ path: join(root, 'src/jose/index.ts') }));
      if (workerd) {
        b.onResolve({ filter: /^#wasm-source$/ }, () => ({ path: join(root, 'src/entries/workerd.ts') }));
        // Each family's module source (`#wasm-source/<module>`), imported by that family's code only.
        b.onResolve({ filter: /^#wasm-source\/\w+$/ }, (a) => ({
          path: join(root, 'src/entries', `workerd-${a.path.slice('#wasm-source/'.length)}.ts`),
        }));
        // Keep wasm as module imports, named by basename so the capnp config
        // (or wrangler) can supply them next to worker.js.
        b.onResolve({ filter: /\.wasm$/ }, (a) => ({ path: `./${basename(a.path)}`, external: true }));
      } else {
        b.onResolve({ filter: /^#wasm-source$/ }, () => ({ path: 'wasm-source', namespace: 'qsign' }));
        b.onResolve({ filter: /^#wasm-source\/\w+$/ }, (a) => ({
          path: join(root, 'src/entries', `deno-${a.path.slice('#wasm-source/'.length)}.ts`),
        }));
        b.onLoad({ filter: /.*/, namespace: 'qsign' }, () => ({
          contents: `export function defaultModuleSource(m, v) { return Deno.readFileSync(${JSON.stringify(join(root, 'wasm'))} + '/qsign-' + m + '-' + v + '.wasm'); }`,
          loader: 'js',
        }));
      }
    },
  };
  const outfile = join(outdir, workerd ? 'worker.js' : 'deno.js');
  const { metafile } = await build({
    entryPoints: [join(here, workerd ? 'src/worker.ts' : 'src/deno.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile,
    logLevel: 'error',
    platform: workerd ? 'browser' : 'neutral',
    conditions: workerd ? ['workerd', 'worker', 'browser'] : ['deno', 'import', 'default'],
    plugins: [plugin],
    metafile: true,
  });
  // Copy the .wasm modules the script imports (each family's code imports its own module, SIMD128 build
  // only): for a JWT verifier, qsign-mldsa-simd.wasm alone.
  if (workerd) for (const file of importedWasm(metafile)) copyFileSync(join(root, 'wasm', file), join(outdir, file));
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [target = 'workerd', outdir = join(here, 'dist')] = process.argv.slice(2);
  console.log(await bundleEdgeVerify(target, resolve(outdir)));
}
