/**
 * Bundles the TypeScript CLI (src/cli/main.ts) into one .mjs that plain `node`
 * runs as the `qsign` command would, so tests can drive it as a real process
 * (pipes, exit codes, stderr). The wasm is read from the repo's wasm/.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Writes the bundled CLI launcher to `out` (same entry as bin/qsign.mjs). */
export async function bundleCli(out: string): Promise<void> {
  await esbuild.build({
    stdin: {
      contents: `import { main } from './src/cli/main.ts'; process.exitCode = await main(process.argv.slice(2));`,
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'qsign-entry.ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    external: ['better-sqlite3'],
    logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    plugins: [
      {
        name: 'wasm-source',
        setup(b) {
          b.onResolve({ filter: /^#wasm-source$/ }, () => ({ path: 'wasm-source', namespace: 'wasm-source' }));
          b.onLoad({ filter: /.*/, namespace: 'wasm-source' }, () => ({
            contents: `export async function defaultWasmSource(v) { const { readFile } = await import('node:fs/promises'); return readFile(${JSON.stringify(join(root, 'wasm'))} + '/qsign-' + v + '.wasm'); }`,
            loader: 'js',
          }));
        },
      },
    ],
  });
}
