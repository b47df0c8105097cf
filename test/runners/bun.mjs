#!/usr/bin/env node
// Runs the conformance suite in Bun (npm @oven/bun-linux-x64) with the SIMD
// and the scalar build, then the package-shape smoke test by name.
import {
  BIN,
  bundle,
  cleanup,
  crashResult,
  entrySource,
  parseResult,
  report,
  requireFile,
  run,
  scratchDir,
  MODES,
  PRINT_RESULT,
} from './lib.mjs';
import { runPackageShape } from './package-shape.mjs';
import { join } from 'node:path';

const started = Date.now();
const parts = [];
const dir = scratchDir('bun');
try {
  const bun = requireFile(BIN.bun, 'run `npm run setup` (npm ci installs @oven/bun-linux-x64)');
  for (const mode of MODES) {
    try {
      const outfile = join(dir, `${mode}.mjs`);
      await bundle({
        contents: entrySource(mode, PRINT_RESULT),
        // Bun reads the wasm bytes the way Node does (package.json maps bun → the node entry).
        outfile,
        platform: 'node',
        conditions: ['bun', 'node'],
        entry: 'node',
      });
      parts.push([mode, parseResult(`bun ${mode}`, await run(bun, ['run', outfile], { env: { NO_COLOR: '1' } }))]);
    } catch (e) {
      parts.push([mode, crashResult(`bun ${mode}`, e)]);
    }
  }
  parts.push(['package', await runPackageShape('bun', bun, ['run'])]);
} catch (e) {
  parts.push(['runner', crashResult('bun', e)]);
} finally {
  cleanup(dir);
}
report('bun', parts, started);
