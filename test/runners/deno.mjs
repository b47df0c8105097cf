#!/usr/bin/env node
// Runs the conformance suite in Deno (npm @deno/linux-x64-glibc) with the
// SIMD and the scalar build, then the package-shape smoke test by name.
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
  root,
} from './lib.mjs';
import { runPackageShape } from './package-shape.mjs';
import { join } from 'node:path';

const started = Date.now();
const parts = [];
const dir = scratchDir('deno');
// Deno keeps its cache under DENO_DIR; a repo-local one needs no $HOME and
// no network, and the update check would try to reach the internet.
const env = { DENO_DIR: join(root, '.cache/deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
try {
  const deno = requireFile(BIN.deno, 'run `npm run setup` (npm ci installs @deno/linux-x64-glibc)');
  for (const mode of MODES) {
    try {
      const outfile = join(dir, `${mode}.mjs`);
      await bundle({
        contents: entrySource(mode, PRINT_RESULT),
        // "neutral" + the deno condition: no Node built-ins are assumed.
        outfile,
        platform: 'neutral',
        conditions: ['deno', 'import', 'module', 'default'],
        entry: 'deno',
      });
      parts.push([
        mode,
        parseResult(`deno ${mode}`, await run(deno, ['run', '--allow-read', '--no-prompt', outfile], { env })),
      ]);
    } catch (e) {
      parts.push([mode, crashResult(`deno ${mode}`, e)]);
    }
  }
  // --allow-env: the package's dependencies may read env through Node compat.
  parts.push([
    'package',
    await runPackageShape('deno', deno, ['run', '--allow-read', '--allow-env', '--no-prompt'], env),
  ]);
} catch (e) {
  parts.push(['runner', crashResult('deno', e)]);
} finally {
  cleanup(dir);
}
report('deno', parts, started);
