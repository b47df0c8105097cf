#!/usr/bin/env node
// Runs the conformance suite in Node 24 (tools/node24, kept out of the root
// package.json so it cannot shadow Node 20), once with the SIMD build and once
// with the scalar one, then imports the built package by name (package shape).
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
const dir = scratchDir('node24');
try {
  const node = requireFile(BIN.node24, 'run `npm run setup` (it installs tools/node24)');
  for (const mode of MODES) {
    try {
      const outfile = join(dir, `${mode}.mjs`);
      await bundle({
        contents: entrySource(mode, PRINT_RESULT),
        outfile,
        platform: 'node',
        conditions: ['node'],
        entry: 'node',
      });
      parts.push([mode, parseResult(`node24 ${mode}`, await run(node, [outfile]))]);
    } catch (e) {
      parts.push([mode, crashResult(`node24 ${mode}`, e)]);
    }
  }
  parts.push(['package', await runPackageShape('node24', node, [])]);
} catch (e) {
  parts.push(['runner', crashResult('node24', e)]);
} finally {
  cleanup(dir);
}
report('node24', parts, started);
